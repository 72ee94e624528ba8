#!/usr/bin/env bash
# coverage.sh - coverage per engine: line and branch coverage of allocator/ reached by each
# engine after a fixed campaign on the fixed build, every target, from the shipped corpus
# (seed 1, as `make fuzz` runs it: libFuzzer ASan+UBSan continuing after findings; AFL++ one main
# instance with CMPLOG). Each engine's output corpus (libFuzzer's working corpus plus the seeds;
# AFL++'s queue) is replayed, one process per input, through the coverage build of
# `make coverage-bins` (ci/workflows.mk; clang source-based coverage, SAN_FLAGS_coverage), and
# llvm-cov reports allocator/ only. The shipped seeds alone are the baseline row.
#
# Environment: QUICK=1 (60 s campaigns; default 300 s), COV_SECONDS, BENCH_MAKE_ARGS,
# BENCH_OUT (default build/bench/coverage). The two engines run side by side, one core each.
set -uo pipefail
cd "$(dirname "$0")/.."

QUICK=${QUICK:-}
SECS=${COV_SECONDS:-$([ -n "$QUICK" ] && echo 60 || echo 300)}
OUT=${BENCH_OUT:-build/bench/coverage}
eval "make_extra=(${BENCH_MAKE_ARGS:-})"
targets=$(ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||')
PROFDATA=$(command -v llvm-profdata-14 || command -v llvm-profdata)
LLVMCOV=$(command -v llvm-cov-14 || command -v llvm-cov)
[ -n "$PROFDATA" ] && [ -n "$LLVMCOV" ] || { echo "coverage: llvm-profdata/llvm-cov missing" >&2; exit 2; }
. ci/testlib.sh # flags, afl_env, afl_reap
ASAN_DEFAULT=$(flags ASAN_OPTIONS_default)
UBSAN_DEFAULT=$(flags UBSAN_OPTIONS_default)

mkdir -p "$OUT"
echo "coverage: building the coverage replay, libFuzzer and AFL++ builds (fixed)" >&2
{
	make -s -j"$(nproc)" "${make_extra[@]}" corpus coverage-bins fuzzers &&
		make -s -j"$(nproc)" "${make_extra[@]}" fuzzers ENGINE=afl
} >"$OUT/build.log" 2>&1 || { echo "coverage: build failed (see $OUT/build.log)" >&2; exit 2; }
covbin=build/coverage/bin
[ -x "$covbin/slub_ops" ] || { echo "coverage: no $covbin/ (make coverage-bins)" >&2; exit 2; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

campaign_libfuzzer() { # TARGET DIR
	local t=$1 dir=$2 t0 rem k=0 max_len
	max_len=$(sed -n 's/^max_len *= *//p' "fuzz/$t.options")
	mkdir -p "$dir/corpus"
	t0=$(now)
	while :; do
		rem=$(awk -v s="$SECS" -v e="$(since "$t0")" 'BEGIN { printf "%d", s - e }')
		[ "$rem" -ge 1 ] || break
		(
			ASAN_OPTIONS=$ASAN_DEFAULT UBSAN_OPTIONS=$UBSAN_DEFAULT "build/libfuzzer/$t" \
				-seed=$((k + 1)) -max_total_time="$rem" -timeout=25 -rss_limit_mb=4096 \
				-max_len="${max_len:-4096}" -dict="build/corpus/$t.dict" \
				-artifact_prefix="$dir/" -print_final_stats=1 "$dir/corpus" "build/corpus/$t" \
				>>"$dir/fuzz.log" 2>&1
			exit $?
		) 2>/dev/null && break
		k=$((k + 1))
	done
	echo "coverage: libfuzzer $t: $(find "$dir/corpus" -type f | wc -l) new input(s), $k finding(s)" >&2
}

campaign_afl() { # TARGET DIR
	local t=$1 dir=$2
	mkdir -p "$dir"
	(
		afl_env # sanitizers/flags.mk: AFL_RUN_ENV, ASAN/UBSAN_OPTIONS_afl
		afl-fuzz -i "build/corpus/$t" -o "$dir/afl" -V "$SECS" -x "build/corpus/$t.dict" -m none \
			-t 5000 -s 1 -M main -c "build/afl-cmplog/$t" -- "build/afl/$t"
	) >"$dir/afl.log" 2>&1
	afl_reap "$dir/afl"/* # afl-fuzz's CMPLOG server may outlive it, stopped
	echo "coverage: afl $t: $(find "$dir/afl/main/queue" -maxdepth 1 -type f 2>/dev/null | wc -l) queue entries," \
		"$(find "$dir/afl/main/crashes" -name 'id:*' 2>/dev/null | wc -l) crash(es)" >&2
}

inputs_of() { # ROW TARGET -> the inputs to replay, one per line
	case "$1" in
	shipped) find "build/corpus/$2" -maxdepth 1 -type f ;;
	libfuzzer) find "build/corpus/$2" "$OUT/libfuzzer-$2/corpus" -maxdepth 1 -type f ;;
	afl) find "$OUT/afl-$2/afl/main/queue" -maxdepth 1 -type f -name 'id:*' ;;
	esac
}

# profile ROW: replays every input of ROW through the coverage build, one process per input (a
# finding ends its own process, never the rest); writes $OUT/ROW.profdata
profile() {
	local row=$1 t f n prof="$OUT/prof-$1"
	rm -rf "$prof" && mkdir -p "$prof"
	for t in $targets; do
		n=0
		while read -r f; do
			LLVM_PROFILE_FILE="$prof/$t-%4m.profraw" timeout -k 5 60 "$covbin/$t" "$f" >/dev/null 2>&1
			n=$((n + 1))
		done < <(inputs_of "$row" "$t" | sort)
		echo "$n" >"$prof/$t.inputs"
	done
	"$PROFDATA" merge -sparse "$prof"/*.profraw -o "$OUT/$row.profdata"
}

objects=()
for t in $targets; do objects+=(-object "$covbin/$t"); done
# report PROFDATA...: "lines_pct lines_cov lines_total branches_pct branches_cov branches_total"
# from llvm-cov report's TOTAL row (regions, missed, cover, functions, missed, executed, lines,
# missed, cover, branches, missed, cover), allocator/ only
report() {
	"$LLVMCOV" report "${objects[@]:1}" -instr-profile="$1" allocator/ 2>/dev/null |
		awk '$1 == "TOTAL" { printf "%s %d %d %s %d %d %s %d %d\n", $10, $8 - $9, $8, $13, $11 - $12, $11, $7, $5 - $6, $5 }'
}

echo "coverage: ${SECS}s campaigns per target, libFuzzer and AFL++ side by side" >&2
for t in $targets; do
	rm -rf "$OUT/libfuzzer-$t" "$OUT/afl-$t"
	campaign_libfuzzer "$t" "$OUT/libfuzzer-$t" &
	p1=$!
	campaign_afl "$t" "$OUT/afl-$t" &
	p2=$!
	wait "$p1" "$p2"
done
for row in shipped libfuzzer afl; do profile "$row"; done
"$PROFDATA" merge -sparse "$OUT/libfuzzer.profdata" "$OUT/afl.profdata" -o "$OUT/both.profdata"

echo "Coverage of allocator/ (fixed build, every target: $(echo $targets | tr ' ' '+')) after a ${SECS} s"
echo "campaign per engine and target from the shipped corpus, seed 1, both engines running side by"
echo "side; the engine's output corpus replayed through the coverage build (llvm-cov, TOTAL row)."
echo
echo "| corpus | inputs | lines | branches | functions |"
echo "| --- | ---: | ---: | ---: | ---: |"
for row in shipped libfuzzer afl both; do
	case "$row" in
	shipped) name="shipped seeds only" ;;
	libfuzzer) name="libFuzzer, ${SECS} s per target" ;;
	afl) name="AFL++ (CMPLOG), ${SECS} s per target" ;;
	both) name="libFuzzer and AFL++ together" ;;
	esac
	n=""
	if [ "$row" = both ]; then
		n="-"
	else
		for t in $targets; do n="$n${n:+ + }$(cat "$OUT/prof-$row/$t.inputs")"; done
	fi
	read -r lp lc lt bp bc bt fp fc ft < <(report "$OUT/$row.profdata")
	echo "| $name | $n | $lp ($lc/$lt) | $bp ($bc/$bt) | $fp ($fc/$ft) |"
done
