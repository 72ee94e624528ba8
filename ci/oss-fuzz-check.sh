#!/usr/bin/env bash
# oss-fuzz-check.sh - runs build.sh the way the OSS-Fuzz / ClusterFuzzLite builder does, without
# docker: clang, the builder's CFLAGS for each sanitizer, $LIB_FUZZING_ENGINE, a fresh copy of
# the sources as $SRC/slubfuzz, temporary $OUT and $WORK. Then it checks every build the way
# OSS-Fuzz's check_build (bad_build_check) does, from a different $OUT so that no path can be
# hardcoded: each target is an executable ELF with LLVMFuzzerTestOneInput, instrumented for its
# sanitizer and no other, runs a few inputs, runs an empty input and its whole seed corpus
# without a finding; its options file parses as the runner parses it, its dictionary loads,
# its seed corpus zip is sound and not empty, and no sanitizer default options are compiled in.
#
#   FLAVOURS="address:libfuzzer undefined:libfuzzer memory:libfuzzer address:afl coverage:libfuzzer"
#   KEEP=dir    keep the builds there instead of a temporary directory
# Ends with "N passed, N failed" (ci/tests.d/40-workflows.sh runs it in `make test`).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

FLAVOURS=${FLAVOURS:-address:libfuzzer undefined:libfuzzer memory:libfuzzer address:afl coverage:libfuzzer}
. ci/testlib.sh
. ci/progress.sh
if [ -n "${KEEP:-}" ]; then
	tmp=$KEEP
	rm -rf "$tmp" && mkdir -p "$tmp"
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
fi

# ---- the builder's environment (OSS-Fuzz infra/base-images: base-clang, base-builder, compile) ----
OF_CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -Wno-error=incompatible-function-pointer-types
 -Wno-error=int-conversion -Wno-error=deprecated-declarations -Wno-error=implicit-function-declaration
 -Wno-error=implicit-int -Wno-error=unknown-warning-option -Wno-error=vla-cxx-extension
 -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
UB_CHECKS=array-bounds,bool,builtin,enum,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
declare -A SANITIZER_FLAGS=(
	[address]="-fsanitize=address -fsanitize-address-use-after-scope"
	# unsigned-integer-overflow is on but recoverable: OSS-Fuzz uses it as a coverage signal
	[undefined]="-fsanitize=$UB_CHECKS,unsigned-integer-overflow -fno-sanitize-recover=$UB_CHECKS"
	[memory]="-fsanitize=memory -fsanitize-memory-track-origins"
	[coverage]=""
)
COVERAGE_FLAGS_coverage="-fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument"
# the runner's sanitizer options (base-runner); the check's own runs use them
RUN_ASAN="alloc_dealloc_mismatch=0:allocator_may_return_null=1:check_malloc_usable_size=0:detect_container_overflow=1:detect_leaks=1:detect_odr_violation=0:detect_stack_use_after_return=1:fast_unwind_on_fatal=0:handle_abort=1:handle_segv=1:handle_sigill=1:print_scariness=1:strict_memcmp=1:symbolize=1:use_sigaltstack=1:dedup_token_length=3"
RUN_MSAN="print_stats=1:symbolize=1:dedup_token_length=3"
RUN_UBSAN="print_stacktrace=1:print_summary=1:silence_unsigned_overflow=1:symbolize=1:dedup_token_length=3"

run_env() { # the runner's environment, then CMD
	ASAN_OPTIONS=$RUN_ASAN MSAN_OPTIONS=$RUN_MSAN UBSAN_OPTIONS=$RUN_UBSAN "$@"
}
# the coverage build writes a profile wherever it runs: never into the tree
export LLVM_PROFILE_FILE="$tmp/default-%p.profraw"

# build SAN ENGINE DIR: build.sh from a fresh $SRC/slubfuzz, as `compile` would run it.
build() {
	local san=$1 engine=$2 dir=$3 cflags cc=clang cxx=clang++ lib=-fsanitize=fuzzer
	local -a extra=()
	cflags="$(echo $OF_CFLAGS) ${SANITIZER_FLAGS[$san]}"
	case "$san:$engine" in
	coverage:*) cflags="$cflags $COVERAGE_FLAGS_coverage" ;;
	*:libfuzzer) cflags="$cflags -fsanitize=fuzzer-no-link" ;;
	esac
	[ "$san" = undefined ] && cflags="$cflags -fno-sanitize=function" # compile does this for C
	if [ "$engine" = afl ]; then
		cc=afl-clang-fast cxx=afl-clang-fast++ lib=/usr/lib/afl/libAFLDriver.a
		extra=(AFL_QUIET=1 AFL_IGNORE_PROBLEMS=1 AFL_IGNORE_UNKNOWN_ENVS=1
			ASAN_OPTIONS=detect_leaks=0:symbolize=0:detect_odr_violation=0:abort_on_error=1)
	fi
	mkdir -p "$dir/out" "$dir/work"
	# CXXFLAGS would add -stdlib=libc++ (the builder's libc++); C targets link without it
	(cd "$tmp/src/slubfuzz" && env "${extra[@]}" CC="$cc" CXX="$cxx" CCC="$cxx" CFLAGS="$cflags" \
		CXXFLAGS="$cflags" LIB_FUZZING_ENGINE="$lib" SANITIZER="$san" FUZZING_ENGINE="$engine" \
		FUZZING_LANGUAGE=c ARCHITECTURE=x86_64 SRC="$tmp/src" OUT="$dir/out" WORK="$dir/work" \
		bash build.sh) >"$dir/build.log" 2>&1 || { tail -20 "$dir/build.log"; return 1; }
	# check_build looks at the build from another $OUT: nothing may depend on the path
	mv "$dir/out" "$dir/not-out"
}

is_target() { # BIN: executable ELF holding the entry point, as test_all finds targets
	[ -x "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] &&
		grep -q LLVMFuzzerTestOneInput "$1"
}

calls() { objdump -d "$1" | grep -cE "call[q]?\s+[0-9a-f]+\s+<__$2"; }

# instrumented SAN ENGINE BIN: bad_build_check's thresholds for calls into each runtime
instrumented() {
	local san=$1 engine=$2 bin=$3 a m u
	a=$(calls "$bin" asan) m=$(calls "$bin" msan) u=$(calls "$bin" ubsan)
	echo "calls: asan $a, msan $m, ubsan $u"
	case "$san" in
	address) [ "$a" -ge 1000 ] && [ "$m" -le 3 ] && [ "$u" -le 200 ] ;;
	memory) [ "$m" -ge 1000 ] && [ "$a" -eq 0 ] && [ "$u" -le 200 ] ;;
	undefined) [ "$u" -ge 168 ] && [ "$a" -eq 0 ] && [ "$m" -le 3 ] ;;
	coverage) [ "$a" -eq 0 ] && [ "$m" -le 3 ] && nm "$bin" | grep ' __llvm_profile_dump$' >/dev/null &&
		objdump -h "$bin" | grep ' __llvm_covmap' >/dev/null ;;
	esac
}

no_default_options() { # BIN: no compiled-in sanitizer options the runner's could not override
	! nm "$1" | grep -E ' T __(asan|msan|ubsan|lsan)_default_options$'
}

# options_ok OUT TARGET: the runner reads .options with configparser; dict must be in OUT
options_ok() {
	local out=$1 t=$2 dict
	[ -f "$out/$t.options" ] || { echo "no $t.options"; return 1; }
	if command -v python3 >/dev/null; then
		python3 - "$out/$t.options" <<-'EOF' || return 1
		import configparser, sys
		p = configparser.ConfigParser()
		p.read(sys.argv[1])
		bad = set(p.sections()) - {"libfuzzer", "afl", "honggfuzz", "asan", "msan", "ubsan"}
		if bad or not p.sections():
		    sys.exit("%s: sections %s" % (sys.argv[1], p.sections()))
		for k, v in p["libfuzzer"].items() if p.has_section("libfuzzer") else []:
		    print("-%s=%s" % (k, v))
		EOF
	fi
	dict=$(sed -n 's/^\s*dict\s*=\s*\(.*\)/\1/p' "$out/$t.options" | tail -1)
	[ -z "$dict" ] || [ -f "$out/$dict" ] || { echo "$t.options names $dict, not in \$OUT"; return 1; }
}

# lf_args OUT TARGET: the libFuzzer flags run_fuzzer derives from the options file
lf_args() {
	sed -n '/^\[libfuzzer\]/,/^\[/{s/^\s*\([a-z_]*\)\s*=\s*\(.*\)$/-\1=\2/p}' "$1/$2.options"
}

zip_ok() { # ZIP: sound and not empty
	unzip -tq "$1" && [ "$(unzip -Z1 "$1" | grep -vc '/$')" -gt 0 ]
}

# ---- libFuzzer checks ----
lf_runs() { # BIN: bad_build_check's engine and startup checks
	local o
	o=$(run_env "$1" -seed=1337 -runs=4 2>&1)
	grep -q 'Done 4 runs' <<<"$o" || { echo "$o" | tail -20; return 1; }
	local edges
	edges=$(grep -Po 'INFO: Loaded [0-9]+ module.*\(.*(counters|guards)\):\s+\K[0-9]+' <<<"$o" |
		head -1)
	echo "edges: $edges"
	[ "${edges:-0}" -ge 100 ]
}
lf_dict() { # BIN DICT
	local o
	o=$(cd "$tmp" && run_env "$1" -dict="$2" -runs=1 2>&1)
	grep -q 'Dictionary: [1-9][0-9]* entries' <<<"$o" || { echo "$o" | tail; return 1; }
}
lf_seeds() { # OUT TARGET DIR: run_fuzzer TARGET -runs=0 over the unpacked seed corpus
	# shellcheck disable=SC2046
	(cd "$1" && run_env "./$2" -rss_limit_mb=2560 -timeout=25 -runs=0 $(lf_args "$1" "$2") "$3" \
		</dev/null)
}
ub_clean() { # OUT TARGET DIR: the seeds again with unsigned overflow reported, not silenced
	local o
	o=$(cd "$1" && UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=0 "./$2" -runs=0 "$3" 2>&1)
	! grep -E 'runtime error:' <<<"$o"
}
cov_report() { # OUT TARGET DIR: the seeds produce a profile that llvm-cov can read
	local d=$tmp/prof-$2
	rm -rf "$d" && mkdir -p "$d"
	(cd "$1" && LLVM_PROFILE_FILE="$d/%p.profraw" run_env "./$2" -runs=0 "$3") || return 1
	llvm-profdata merge -sparse "$d"/*.profraw -o "$d/merged.profdata" || return 1
	llvm-cov report "$1/$2" -instr-profile="$d/merged.profdata" \
		"$tmp/src/slubfuzz/allocator" >"$d/report" || return 1
	tail -1 "$d/report"
	awk '/^TOTAL/ { exit !($10 + 0 > 0) }' "$d/report" # line coverage
}
empty_ok() { : >"$tmp/empty" && run_env "$1" "$tmp/empty"; }

# ---- AFL++ checks ----
afl_starts() { # BIN DICT SEEDS: afl-fuzz gets to "All set and ready to roll", nothing crashes
	local o
	o=$tmp/afl-$(basename "$1")
	rm -rf "$o"
	# a start-up check, not a campaign: no core of its own needed (others may hold them all)
	# shellcheck disable=SC2046
	env $(flags AFL_RUN_ENV) AFL_FAST_CAL=1 AFL_FORKSRV_INIT_TMOUT=30000 \
		ASAN_OPTIONS="$RUN_ASAN:abort_on_error=1:symbolize=0:detect_odr_violation=0" \
		MSAN_OPTIONS="$RUN_MSAN:exit_code=86:symbolize=0" UBSAN_OPTIONS="$RUN_UBSAN:symbolize=0" \
		timeout -s INT 30 afl-fuzz -i "$3" -o "$o" -V 3 -m none -t 5000+ -x "$2" -- "$1" \
		>"$o.log" 2>&1
	afl_reap "$o"/* # nothing afl-fuzz started outlives it
	grep -q 'All set and ready to roll' "$o.log" && ! grep -Eq 'target binary (crashed|terminated)' "$o.log" ||
		{ tail -20 "$o.log"; return 1; }
}
afl_seeds() { run_env "$1" "$2"/*; } # BIN DIR: the AFL++ driver runs each file given

# ---- the flavours ----
command -v clang >/dev/null || { echo "clang is missing"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$tmp/src/slubfuzz"
# a fresh checkout: what git tracks or would track, nothing from build/
git ls-files -co --exclude-standard | while read -r f; do
	[ -e "$f" ] && cp --parents "$f" "$tmp/src/slubfuzz/"
done

for fl in $FLAVOURS; do
	san=${fl%%:*} engine=${fl##*:} dir=$tmp/$san-$engine
	start=$SECONDS
	progress_stop
	# a flavour takes up to half a minute: a line at least every 10 s
	progress_start "oss-fuzz-check: $fl"
	if [ "$engine" = afl ] && ! command -v afl-clang-fast >/dev/null; then
		check "$fl: AFL++ installed (make deps)" false
		continue
	fi
	check "$fl: build.sh builds" build "$san" "$engine" "$dir" || continue
	out=$dir/not-out
	[ -d "$out" ] || continue
	targets=$(make -s --no-print-directory print-FUZZ_TARGETS)
	for t in $targets; do
		bin=$out/$t seeds=$dir/seeds-$t
		check "$fl: $t is an executable fuzz target" is_target "$bin" || continue
		check "$fl: $t is instrumented for $san only" instrumented "$san" "$engine" "$bin"
		check "$fl: $t compiles in no sanitizer default options" no_default_options "$bin"
		check "$fl: $t.options parses and its dict is in \$OUT" options_ok "$out" "$t"
		check "$fl: ${t}_seed_corpus.zip is sound and not empty" zip_ok "$out/${t}_seed_corpus.zip"
		mkdir -p "$seeds" && unzip -qo -d "$seeds" "$out/${t}_seed_corpus.zip"
		if [ "$engine" = afl ]; then
			check "$fl: $t runs an empty input" empty_ok "$bin"
			check "$fl: $t runs its seed corpus without a finding" afl_seeds "$bin" "$seeds"
			check "$fl: afl-fuzz starts on $t with its dictionary" afl_starts "$bin" "$out/$t.dict" "$seeds"
			continue
		fi
		check "$fl: $t runs an empty input" empty_ok "$bin"
		check "$fl: $t runs its seed corpus without a finding" lf_seeds "$out" "$t" "$seeds"
		check "$fl: $t.dict loads" lf_dict "$bin" "$out/$t.dict"
		case "$san" in
		coverage) check "$fl: $t seed corpus gives a coverage report of allocator/" \
			cov_report "$out" "$t" "$seeds" ;;
		*) check "$fl: $t starts and is coverage-instrumented (-runs=4, >= 100 edges)" lf_runs "$bin" ;;
		esac
		[ "$san" = undefined ] &&
			check "$fl: $t seed corpus has no unsigned wraparound either" ub_clean "$out" "$t" "$seeds"
	done
	progress_stop
	echo "$fl: $((SECONDS - start))s"
done
progress_stop

finish
