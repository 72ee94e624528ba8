#!/usr/bin/env bash
# fuzz.sh - what `make fuzz` runs: builds what is missing, then fuzzes one target from the
# shipped corpus for a bounded time, without a UI. Findings land in findings/<target>-<engine>
# (with -seed / -up for those variants), each with the command that reproduces it.
#
# Environment (the Makefile passes its variables through):
#   TARGET=slub_ops|slub_boot   ENGINE=libfuzzer|afl   FUZZ_SECONDS=300   JOBS=1
#   BOOTSTRAP=fixed|seed        NUMA=1|0      BUG=<NAME> (a defect of allocator/bugs.h)
#   KNOWN=<file>  findings the campaign already knows (default corpus/known/<bootstrap>.txt when
#                 it exists; KNOWN=none for none): fuzz/known.c keeps each one's first input in
#                 <out>/known/<name>, counts it and runs on (format: corpus/known/seed.txt).
# libFuzzer stops at a finding; here the run then goes on until the time is up: the finding's
# signature (ci/signature.sh) is listed with its input, an oracle finding joins the session's
# known list (<out>/known.txt) and a shipped seed that crashes is left out of the next start.
# The run ends by listing every distinct finding it met, known or new, with a reproducer each.
# Exit status: 0 when the run ended without a new finding, 1 with findings, 2 on usage errors.
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

# ---- known findings (fuzz/known.c) ----
KNOWN=${KNOWN:-}
[ -n "$KNOWN" ] || { [ -f "corpus/known/$BOOTSTRAP.txt" ] && KNOWN="corpus/known/$BOOTSTRAP.txt"; }
[ "$KNOWN" = none ] && KNOWN=""
[ -z "$KNOWN" ] || [ -f "$KNOWN" ] || die "KNOWN=$KNOWN: no such file"
session="$out/known.txt"
rm -rf "$out/known" "$out/findings.tsv" "$out"/known.*.txt
{ echo "# the known findings of this run: $([ -n "$KNOWN" ] && echo "$KNOWN, then" ) what it found"; [ -z "$KNOWN" ] || cat "$KNOWN"; } >"$session"
export SLUBFUZZ_KNOWN="$PWD/$session" SLUBFUZZ_KNOWN_DIR="$PWD/$out/known"
: >"$out/findings.tsv" # signature <TAB> first input

replay_bin="build/replay$suffix/$TARGET"
make -s -j2 "$replay_bin" BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" BUG="$BUG" >/dev/null 2>&1 ||
	die "build failed: make $replay_bin BOOTSTRAP=$BOOTSTRAP"

# signature_of FILE: what the replay build says about FILE, past the session's known findings.
# The fuzzer ends some inputs with a real shutdown instead of the warm leak check (fuzz/machine.c),
# so an input the default replay runs clean is replayed -cold too.
signature_of() {
	local log="$out/.sig.log" sig
	for how in "" -cold; do
		(
			export ASAN_OPTIONS=$asan_default UBSAN_OPTIONS=$ubsan_default
			unset SLUBFUZZ_KNOWN_DIR
			timeout -k 5 60 "$replay_bin" $how "$1" >"$log" 2>&1
			exit 0
		) 2>/dev/null
		sig=$(bash ci/signature.sh "$log")
		[ "$sig" = "none :: ran clean" ] || break
	done
	echo "$sig"
}

# note FILE: list FILE's finding once; an oracle finding becomes known for the rest of the run
note() {
	local f=$1 sig name
	sig=$(signature_of "$f")
	[ "$sig" = "none :: ran clean" ] && sig="$sig (only under the fuzzer: $(basename "$f"))"
	cut -f1 "$out/findings.tsv" | grep -qxF "$sig" && return
	printf '%s\t%s\n' "$sig" "$f" >>"$out/findings.tsv"
	echo "fuzz: new finding: $sig ($f)"
	# the known list it was met past: its reproducer needs the same one
	cp "$session" "$out/known.$(wc -l <"$out/findings.tsv").txt"
	if [[ "$sig" == FINDING* ]]; then
		name="NEW_$(wc -l <"$out/findings.tsv")"
		# the signature as an fnmatch pattern: its own wildcards escaped
		printf '%s %s\n' "$name" "$(sed 's/[][*?\\]/\\&/g' <<<"$sig")" >>"$session"
	fi
}

# list: every distinct finding of the run, known ones with their kept input and hit count
list_findings() {
	local n=0 k=0 name sig hits f
	local flav="$([ "$NUMA" = 0 ] && echo ' NUMA=0')$([ -n "$BUG" ] && echo " BUG=$BUG")"
	echo "fuzz: distinct findings of this run ($out):"
	for f in "$out"/known/*.sig; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .sig)
		[[ "$name" == NEW_* ]] && continue
		n=$((n + 1))
		hits=$(awk '{ n += $1 } END { print n + 0 }' "$out/known/$name.count" 2>/dev/null)
		echo "  $n. known $name (${hits:-?} hits): $(cat "$f")"
		echo "     input: $out/known/$name"
		echo "     reproduce: make repro CRASH=$out/known/$name TARGET=$TARGET BOOTSTRAP=$BOOTSTRAP$flav"
	done
	while IFS=$'\t' read -r sig f; do
		n=$((n + 1)) k=$((k + 1))
		hits=$(awk '{ n += $1 } END { print n + 0 }' "$out/known/NEW_$k.count" 2>/dev/null)
		echo "  $n. new: $sig$([ "${hits:-0}" -gt 0 ] && echo " (met $hits more time(s) once known)")"
		echo "     input: $f"
		echo "     reproduce: SLUBFUZZ_KNOWN=$out/known.$k.txt make repro CRASH=$f TARGET=$TARGET BOOTSTRAP=$BOOTSTRAP$flav"
	done <"$out/findings.tsv"
	[ "$n" -gt 0 ] || echo "  none"
}

if [ "$ENGINE" = libfuzzer ]; then
	bin="build/libfuzzer$suffix/$TARGET"
	mkdir -p "$out/corpus"
	rm -rf "$out/seeds" && cp -r "$seeds" "$out/seeds"
	args=(-timeout=25 -rss_limit_mb=4096 -max_len="$max_len" -dict="$dict"
		-artifact_prefix="$out/" -print_final_stats=1)
	[ "$JOBS" -gt 1 ] && args+=(-fork="$JOBS" -ignore_crashes=1)
	echo "fuzz: $bin for ${SECS}s, $JOBS job(s), corpus $out/corpus (+ $seeds)$([ -n "$KNOWN" ] && echo ", known findings from $KNOWN")"
	: >"$out/fuzz.log"
	declare -A seen=()
	for c in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do [ -f "$c" ] && seen[$c]=1; done
	start=$(date +%s)
	runs=0
	while :; do
		rem=$((SECS - ($(date +%s) - start)))
		[ "$rem" -ge 1 ] || break
		runs=$((runs + 1))
		logsize=$(stat -c %s "$out/fuzz.log")
		# the subshell keeps bash's "Aborted" notice out of the output
		( ASAN_OPTIONS=${ASAN_OPTIONS:-$asan_default} UBSAN_OPTIONS=${UBSAN_OPTIONS:-$ubsan_default} \
			"$bin" "${args[@]}" -max_total_time="$rem" "$out/corpus" "$out/seeds" 2>&1; exit $? ) 2>&1 |
			tee -a "$out/fuzz.log" |
			grep -E --line-buffered '^#[0-9]+.*(pulse|DONE)|FINDING|KNOWN|ERROR|SUMMARY'
		# a start that ended without an artifact ran out its time (or could not start)
		# (not a pipe into grep -q: under pipefail, tail's SIGPIPE would fail it)
		grep -q "Test unit written to" <(tail -c +$((logsize + 1)) "$out/fuzz.log") || break
		for c in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do
			[ -f "$c" ] && [ -z "${seen[$c]:-}" ] || continue
			seen[$c]=1
			note "$c"
			# a shipped seed that crashes would stop every later start
			h=$(sha1sum <"$c" | cut -d' ' -f1)
			for s in "$out"/seeds/*; do
				[ "$(sha1sum <"$s" | cut -d' ' -f1)" = "$h" ] && rm -f "$s"
			done
		done
	done
	echo "fuzz: $runs libFuzzer start(s) in $(($(date +%s) - start))s"
	list_findings
	[ ! -s "$out/findings.tsv" ]
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
for c in "${crashes[@]}"; do note "$c" >/dev/null; done
list_findings
[ ! -s "$out/findings.tsv" ]
