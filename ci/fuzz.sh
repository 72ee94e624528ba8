#!/usr/bin/env bash
# fuzz.sh - what `make fuzz` runs: builds what is missing, then fuzzes one target from the
# shipped corpus for a bounded time, without a UI. Findings land in findings/<target>-<engine>
# (with -seed / -up for those variants), each with the command that reproduces it.
#
# Environment (the Makefile passes its variables through):
#   TARGET=slub_ops|slub_boot   ENGINE=libfuzzer|afl   FUZZ_SECONDS=300   JOBS=1
#   BOOTSTRAP=fixed|seed        NUMA=1|0      BUG=<NAME> (a defect of allocator/bugs.h)
# Exit status: 0 when the run ended without a finding, 1 with findings, 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.."

TARGET=${TARGET:-slub_ops}
ENGINE=${ENGINE:-libfuzzer}
SECS=${FUZZ_SECONDS:-300}
JOBS=${JOBS:-1}
BOOTSTRAP=${BOOTSTRAP:-fixed}
NUMA=${NUMA:-1}
[ -n "$TARGET" ] || TARGET=slub_ops
[ -n "$ENGINE" ] || ENGINE=libfuzzer
[ -n "$SECS" ] || SECS=300
[ -n "$JOBS" ] || JOBS=1

die() {
	echo "fuzz: $*" >&2
	exit 2
}

targets=$(ls fuzz/slub_*.c 2>/dev/null | sed 's|fuzz/||; s|\.c$||' | tr '\n' ' ')
[ -f "fuzz/$TARGET.c" ] || die "unknown TARGET=$TARGET (targets: $targets)"
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -gt 0 ] || die "SECONDS must be a positive number, not '$SECS'"
[[ "$JOBS" =~ ^[0-9]+$ ]] && [ "$JOBS" -gt 0 ] || die "JOBS must be a positive number, not '$JOBS'"
case "$BOOTSTRAP" in fixed | seed) ;; *) die "BOOTSTRAP must be fixed or seed, not '$BOOTSTRAP'" ;; esac

suffix=""
[ "$BOOTSTRAP" = seed ] && suffix="-seed"
[ "$NUMA" = 0 ] && suffix="$suffix-up"
BUG=${BUG:-}
[ -n "$BUG" ] && suffix="$suffix-bug-$BUG"

case "$ENGINE" in
libfuzzer)
	command -v clang >/dev/null || die "clang is missing (make deps installs it)"
	compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null ||
		die "the libFuzzer runtime is missing (package libclang-rt-dev; make deps)"
	;;
afl)
	command -v afl-fuzz >/dev/null && command -v afl-clang-fast >/dev/null ||
		die "AFL++ is missing (package afl++; make deps)"
	[ -f /usr/lib/afl/libAFLDriver.a ] || die "/usr/lib/afl/libAFLDriver.a is missing (package afl++)"
	;;
*) die "unknown ENGINE=$ENGINE (libfuzzer or afl)" ;;
esac

echo "fuzz: building $ENGINE $TARGET ($BOOTSTRAP$([ "$NUMA" = 0 ] && echo ', !NUMA'))"
make -s -j"$(nproc)" fuzzers ENGINE="$ENGINE" BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" BUG="$BUG" >/dev/null ||
	die "build failed: run 'make fuzzers ENGINE=$ENGINE BOOTSTRAP=$BOOTSTRAP' to see why"

seeds="build/corpus/$TARGET"
dict="build/corpus/$TARGET.dict"
out="findings/$TARGET-$ENGINE$suffix"
max_len=$(sed -n 's/^max_len *= *//p' "fuzz/$TARGET.options" 2>/dev/null)
max_len=${max_len:-4096}
mkdir -p "$out"
flags=sanitizers/flags.mk
asan_default=$(make -s -f "$flags" print-ASAN_OPTIONS_default 2>/dev/null)
ubsan_default=$(make -s -f "$flags" print-UBSAN_OPTIONS_default 2>/dev/null)

report() {
	local crashes=("$@")
	if [ ${#crashes[@]} -eq 0 ]; then
		echo "fuzz: no finding in ${SECS}s ($out)"
		return 0
	fi
	echo "fuzz: ${#crashes[@]} finding(s) in $out:"
	for c in "${crashes[@]}"; do
		echo "  $c"
		echo "    reproduce: make repro CRASH=$c TARGET=$TARGET BOOTSTRAP=$BOOTSTRAP$([ "$NUMA" = 0 ] && echo ' NUMA=0')"
	done
	return 1
}

if [ "$ENGINE" = libfuzzer ]; then
	bin="build/libfuzzer$suffix/$TARGET"
	mkdir -p "$out/corpus"
	args=(-max_total_time="$SECS" -timeout=25 -rss_limit_mb=4096 -max_len="$max_len"
		-dict="$dict" -artifact_prefix="$out/" -print_final_stats=1)
	[ "$JOBS" -gt 1 ] && args+=(-fork="$JOBS")
	echo "fuzz: $bin for ${SECS}s, $JOBS job(s), corpus $out/corpus (+ $seeds)"
	ASAN_OPTIONS=${ASAN_OPTIONS:-$asan_default} UBSAN_OPTIONS=${UBSAN_OPTIONS:-$ubsan_default} \
		"$bin" "${args[@]}" "$out/corpus" "$seeds" 2>&1 | tee "$out/fuzz.log" |
		grep -E --line-buffered '^#[0-9]+.*(pulse|DONE)|FINDING|ERROR|stat::|SUMMARY'
	mapfile -t crashes < <(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
	report "${crashes[@]}"
	exit $?
fi

# AFL++: persistent mode through libAFLDriver; the main instance also uses the CMPLOG build.
bin="build/afl$suffix/$TARGET"
cmplog="build/afl-cmplog$suffix/$TARGET"
# No core binding: on a shared machine (CI, other fuzzers) every core may already be taken.
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1 \
	AFL_NO_AFFINITY=1
export ASAN_OPTIONS="abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=0"
common=(-i "$seeds" -o "$out" -V "$SECS" -x "$dict" -m none -t 5000)
echo "fuzz: afl-fuzz $bin for ${SECS}s, $JOBS instance(s), output $out"
pids=()
for ((j = 1; j < JOBS; j++)); do
	afl-fuzz "${common[@]}" -S "s$j" -- "$bin" >"$out/afl-s$j.log" 2>&1 &
	pids+=($!)
done
afl-fuzz "${common[@]}" -M main -c "$cmplog" -- "$bin" >"$out/afl-main.log" 2>&1
rc=$?
for p in "${pids[@]}"; do wait "$p"; done
[ $rc -eq 0 ] || { tail -20 "$out/afl-main.log" >&2; die "afl-fuzz failed (log: $out/afl-main.log)"; }
for s in "$out"/*/fuzzer_stats; do
	[ -f "$s" ] || continue
	echo "fuzz: $(dirname "$s" | xargs basename): $(grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|stability)' "$s" | tr -s ' ' | tr '\n' ' ')"
done
mapfile -t crashes < <(find "$out" -path '*/crashes/id:*' -type f | sort)
report "${crashes[@]}"
