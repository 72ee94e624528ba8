#!/usr/bin/env bash
# profile.sh - where one campaign's CPU time goes: perf samples of build/<ENGINE>/<T> fuzzing
# from the shipped corpus, grouped two ways. By phase: the share of samples under each part of
# the fuzz loop (inclusive, from frame-pointer call chains; the parts nest as the table indents
# them). By kind: the share of samples whose own function is the engine, the coverage
# callbacks, the sanitizer runtimes, the kernel, libc, or our code. Under AFL++ every process
# is recorded (afl-fuzz, the fork server, the persistent child). Not a test.
#
#   bench/profile.sh [TARGET [ENGINE]]   (default slub_ops libfuzzer; ENGINE: libfuzzer | afl)
# Environment: PROFILE_SECONDS (default 30; QUICK=1: 15), PROFILE_SKIP (seconds left out at the
# start, while the seeds load: default 5), BENCH_OUT (default build/bench/profile),
# BENCH_MAKE_ARGS. Needs perf (`bash ci/install-deps.sh perf`).
set -uo pipefail
cd "$(dirname "$0")/.."

[ $# -le 2 ] || { echo "usage: bench/profile.sh [TARGET [libfuzzer|afl]]" >&2; exit 2; }
target=${1:-slub_ops}
engine=${2:-libfuzzer}
[ -f "fuzz/$target.c" ] || { echo "profile: no target $target (fuzz/slub_*.c)" >&2; exit 2; }
case "$engine" in libfuzzer | afl) ;;
*) echo "profile: unknown engine $engine (libfuzzer or afl)" >&2; exit 2 ;;
esac
command -v perf >/dev/null 2>&1 ||
	{ echo "profile: perf is not installed; run: bash ci/install-deps.sh perf" >&2; exit 2; }
SECS=${PROFILE_SECONDS:-$([ -n "${QUICK:-}" ] && echo 15 || echo 30)}
SKIP=${PROFILE_SKIP:-5}
OUT=${BENCH_OUT:-build/bench/profile}
eval "make_extra=(${BENCH_MAKE_ARGS:-})"
. ci/testlib.sh # flags
mkdir -p "$OUT"
make -s -j"$(nproc)" "${make_extra[@]}" corpus fuzzers ENGINE="$engine" >"$OUT/build.log" 2>&1 ||
	{ echo "profile: build failed (see $OUT/build.log)" >&2; exit 2; }

work="$OUT/work"
rm -rf "$work" && mkdir -p "$work"
max_len=$(sed -n 's/^max_len *= *//p' "fuzz/$target.options")
# -D: perf starts recording after the seeds are loaded (AFL++: its dry run and calibration)
if [ "$engine" = libfuzzer ]; then
	if ! ASAN_OPTIONS=$(flags ASAN_OPTIONS_default) UBSAN_OPTIONS=$(flags UBSAN_OPTIONS_default) \
		perf record -q -g -D $((SKIP * 1000)) -o "$OUT/perf.data" -- \
		"build/libfuzzer/$target" -seed=1 -max_total_time=$((SECS + SKIP)) -timeout=25 \
		-max_len="${max_len:-4096}" -dict="build/corpus/$target.dict" -artifact_prefix="$OUT/" \
		-print_final_stats=1 "$work" "build/corpus/$target" >"$OUT/fuzz.log" 2>&1; then
		grep -q '^stat::' "$OUT/fuzz.log" ||
			{ echo "profile: the run failed (see $OUT/fuzz.log)" >&2; exit 2; }
	fi
	units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/fuzz.log")
	what="build/libfuzzer/$target from build/corpus/$target, -seed=1"
else
	command -v afl-fuzz >/dev/null 2>&1 ||
		{ echo "profile: afl-fuzz is not installed; run: bash ci/install-deps.sh" >&2; exit 2; }
	(
		afl_env # sanitizers/flags.mk: AFL_RUN_ENV, ASAN/UBSAN_OPTIONS_afl
		perf record -q -g -D $((SKIP * 1000)) -o "$OUT/perf.data" -- \
			afl-fuzz -i "build/corpus/$target" -o "$work" -V $((SECS + SKIP)) -s 1 -m none \
			-t 5000 -x "build/corpus/$target.dict" -- "build/afl/$target" >"$OUT/fuzz.log" 2>&1
	)
	afl_reap "$work"/* # nothing afl-fuzz started outlives it
	units=$(sed -n 's/^execs_done *: *//p' "$work/default/fuzzer_stats" 2>/dev/null)
	[ -n "$units" ] || { echo "profile: the run failed (see $OUT/fuzz.log)" >&2; exit 2; }
	what="build/afl/$target (persistent mode, no CMPLOG) from build/corpus/$target, -s 1"
fi

# children% self% [.]|[k] symbol, one line per symbol, as shares of all samples; under AFL++
# those of the target's processes only (afl-fuzz is stripped: its share is counted apart)
comm=()
[ "$engine" = libfuzzer ] || comm=(--comm "$target" --percentage absolute)
perf report -i "$OUT/perf.data" "${comm[@]}" --children --stdio -g none --sort sym --percent-limit 0 2>/dev/null |
	awk '$1 ~ /%$/ && $2 ~ /%$/ { sub(/%/, "", $1); sub(/%/, "", $2); print }' >"$OUT/symbols.txt"
[ -s "$OUT/symbols.txt" ] || { echo "profile: perf report gave nothing (see $OUT/perf.data)" >&2; exit 2; }

inclusive() { # the largest inclusive share among the named functions' lines
	awk -v names=" $* " '{ n = $4; sub(/\(.*/, "", n); if (index(names, " " n " ") && $1 > m) m = $1 }
		END { printf "%.1f", m }' "$OUT/symbols.txt"
}
by_kind() { # AWK-REGEX over the symbol: the sum of self shares
	awk -v re="$1" '$3 == "[.]" && $4 ~ re { s += $2 } END { printf "%.1f", s }' "$OUT/symbols.txt"
}

echo "_Measured $(date -u '+%Y-%m-%d %H:%M UTC') at $(git rev-parse --short HEAD 2>/dev/null); \
$what, ${SECS} s recorded after the first ${SKIP}; ${units:-?} inputs executed in all \
($(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)); run: \`bench/profile.sh $target \
$engine\`._"
echo
echo "| phase (inclusive share of all samples) | % |"
echo "| --- | ---: |"
row() { echo "| $1 | $2 |"; }
row "the target (LLVMFuzzerTestOneInput)" "$(inclusive LLVMFuzzerTestOneInput)"
row "&nbsp;&nbsp;put a kept machine back (fz_machine_resume)" "$(inclusive fz_machine_resume)"
row "&nbsp;&nbsp;boot a new machine (slub_boot_start, run_step)" \
	"$(awk -v a="$(inclusive slub_boot_start)" -v b="$(inclusive run_step)" 'BEGIN { printf "%.1f", a + b }')"
row "&nbsp;&nbsp;save it (fz_machine_keep)" "$(inclusive fz_machine_keep)"
row "&nbsp;&nbsp;the events (run_event)" "$(inclusive run_event)"
row "&nbsp;&nbsp;&nbsp;&nbsp;the allocator calls of events (event_body)" "$(inclusive event_body)"
row "&nbsp;&nbsp;the strict checker (fz_check_consistency)" "$(inclusive fz_check_consistency)"
row "&nbsp;&nbsp;validate walks, events and after boot (fz_validate)" "$(inclusive fz_validate)"
row "&nbsp;&nbsp;teardown and leak check (teardown_body, fz_machine_finish)" \
	"$(awk -v a="$(inclusive teardown_body)" -v b="$(inclusive fz_machine_finish)" 'BEGIN { printf "%.1f", a + b }')"
row "&nbsp;&nbsp;&nbsp;&nbsp;cold shutdown (slub_shutdown)" "$(inclusive slub_shutdown)"
if [ "$engine" = libfuzzer ]; then
	row "the engine around it: mutation, feature collection, corpus (100 - target)" \
		"$(awk -v t="$(inclusive LLVMFuzzerTestOneInput)" 'BEGIN { printf "%.1f", 100 - t }')"
else
	# per process: afl-fuzz itself, and the target's processes outside the target function
	perf report -i "$OUT/perf.data" --stdio -g none --sort comm 2>/dev/null |
		awk '$1 ~ /%$/ { sub(/%/, "", $1); print $1, $NF }' >"$OUT/comms.txt"
	afl=$(awk '$2 == "afl-fuzz" { printf "%.1f", $1 }' "$OUT/comms.txt")
	row "the engine around it (100 - target)" \
		"$(awk -v t="$(inclusive LLVMFuzzerTestOneInput)" 'BEGIN { printf "%.1f", 100 - t }')"
	row "&nbsp;&nbsp;afl-fuzz: mutation, map classification, queue" "${afl:-0.0}"
	row "&nbsp;&nbsp;the target's processes outside the target: persistent loop's SIGSTOP/SIGCONT, fork server's waits, reading the input" \
		"$(awk -v t="$(inclusive LLVMFuzzerTestOneInput)" -v a="${afl:-0}" \
			'BEGIN { printf "%.1f", 100 - t - a }')"
fi
echo
echo "| kind of function the sample was in (self share) | % |"
echo "| --- | ---: |"
cov=$(by_kind '^__sanitizer_cov_')
eng=$(by_kind '^fuzzer::|^std::|^__afl_')
san=$(by_kind '^__asan|^__ubsan|^__sanitizer::|^__interceptor_|^__sanitizer_weak_hook|^__lsan')
kern=$(awk '$3 == "[k]" { s += $2 } END { printf "%.1f", s }' "$OUT/symbols.txt")
libc=$(by_kind '^__mem|^__str|^_IO_|^__vfprintf|^printf_|^__libc|^__ieee754|^_int_|^malloc$|^free$')
row "coverage and comparison callbacks (__sanitizer_cov_*)" "$cov"
if [ "$engine" = libfuzzer ]; then
	row "libFuzzer (fuzzer::*, its std:: containers)" "$eng"
else
	eng=$(awk -v a="$eng" -v b="${afl:-0}" 'BEGIN { printf "%.1f", a + b }')
	row "AFL++: the afl-fuzz process (all of it) and the target's __afl_* runtime" "$eng"
fi
row "ASan/UBSan runtime and interceptors" "$san"
row "kernel$([ "$engine" = afl ] && echo ", in the target's processes")" "$kern"
row "libc" "$libc"
row "the allocator, the harness and the oracle (the rest)" \
	"$(awk -v a="$cov" -v b="$eng" -v c="$san" -v d="$kern" -v e="$libc" \
		'BEGIN { printf "%.1f", 100 - a - b - c - d - e }')"
echo
echo "Our functions with the largest self share:"
echo
echo "| function | self % |"
echo "| --- | ---: |"
awk '$3 == "[.]" && $4 !~ /^(__sanitizer|__asan|__ubsan|__interceptor|fuzzer::|std::|__mem|__str)/' \
	"$OUT/symbols.txt" | sort -k2,2 -g -r | head -12 | awk '{ n = $4; sub(/\(.*/, "", n); printf "| %s | %.1f |\n", n, $2 }'
