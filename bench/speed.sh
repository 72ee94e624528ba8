#!/usr/bin/env bash
# speed.sh - harness speed: exec/s of each fuzz target in each flavour, beside the exec/s of the
# empty target (bench/empty_target.c: the same objects and runtime, an entry point that does
# nothing) measured in the same run, which is the ceiling; and what one input with no events
# costs at 1..1024 nodes. One measurement at a time, repetitions interleaved so that machine
# noise hits every row alike; the median of the repetitions is printed. Not a test.
#
#   replay     the plain replay driver (SAN=plain, -O1), each shipped seed run R times in a loop
#              (-runs=R), R chosen so one pass takes about S seconds
#   libFuzzer  ASan+UBSan, S seconds from the shipped corpus (continuing after a finding);
#              exec/s = executed units / wall time
#   AFL++      ASan+UBSan, persistent mode, no CMPLOG, `afl-fuzz -V S`; execs_per_sec of
#              fuzzer_stats
#
# Environment: QUICK=1 (S=10, one repetition; default S=20, three), SPEED_SECONDS, SPEED_REPS,
# BENCH_MAKE_ARGS (extra make arguments), BENCH_OUT (default build/bench/speed), SPEED_GROWN
# (a corpus directory a campaign grew, e.g. findings/slub_ops-libfuzzer/corpus: slub_ops is
# measured from it too, in its own row), SPEED_BASE (a commit, e.g. the one before a change:
# its slub_ops is built from `git archive` in BENCH_OUT and measured in the same run, from the
# same seeds and dictionary, in a row of its own, and the table ends with now / before).
set -uo pipefail
cd "$(dirname "$0")/.."

QUICK=${QUICK:-}
SECS=${SPEED_SECONDS:-$([ -n "$QUICK" ] && echo 10 || echo 20)}
REPS=${SPEED_REPS:-$([ -n "$QUICK" ] && echo 1 || echo 3)}
OUT=${BENCH_OUT:-build/bench/speed}
eval "make_extra=(${BENCH_MAKE_ARGS:-})"
targets=$(ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||')
. ci/testlib.sh # flags, afl_env, afl_reap
ASAN_DEFAULT=$(flags ASAN_OPTIONS_default)
UBSAN_DEFAULT=$(flags UBSAN_OPTIONS_default)

mkdir -p "$OUT"
echo "speed: building the three flavours and their empty targets" >&2
{
	make -s -j"$(nproc)" "${make_extra[@]}" corpus fuzzers bench-empty &&
		make -s -j"$(nproc)" "${make_extra[@]}" fuzzers ENGINE=afl &&
		make -s -j"$(nproc)" "${make_extra[@]}" replay bench-empty SAN=plain
} >"$OUT/build.log" 2>&1 || { echo "speed: build failed (see $OUT/build.log)" >&2; exit 2; }

# SPEED_BASE: the commit's tree, built in three flavours (slub_ops only)
base=${SPEED_BASE:-}
base_dir=
if [ -n "$base" ]; then
	base_sha=$(git rev-parse --short=12 --verify "$base^{commit}" 2>/dev/null) ||
		{ echo "speed: SPEED_BASE=$base is not a commit here" >&2; exit 2; }
	base_dir="$OUT/base-$base_sha"
	echo "speed: building slub_ops at $base_sha (SPEED_BASE=$base) in $base_dir" >&2
	rm -rf "$base_dir" && mkdir -p "$base_dir" && git archive "$base_sha" | tar -x -C "$base_dir" &&
		{
			make -C "$base_dir" -s -j"$(nproc)" "${make_extra[@]}" build/libfuzzer/slub_ops &&
				make -C "$base_dir" -s -j"$(nproc)" "${make_extra[@]}" build/afl/slub_ops ENGINE=afl &&
				make -C "$base_dir" -s -j"$(nproc)" "${make_extra[@]}" build/replay-plain/slub_ops SAN=plain
		} >"$OUT/build-base.log" 2>&1 ||
		{ echo "speed: building $base_sha failed (see $OUT/build-base.log)" >&2; exit 2; }
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.4f", b - a }'; }
bin_of() { # FLAVOUR TARGET
	[ "$2" = slub_ops@base ] && { bin_of "$1" slub_ops | sed "s|^|$base_dir/|"; return; }
	case "$1" in
	replay) [ "$2" = empty_target ] && echo build/bench/replay-plain/empty_target || echo "build/replay-plain/$2" ;;
	libfuzzer) [ "$2" = empty_target ] && echo build/bench/libfuzzer/empty_target || echo "build/libfuzzer/$2" ;;
	afl) [ "$2" = empty_target ] && echo build/bench/afl/empty_target || echo "build/afl/$2" ;;
	esac
}
# The empty target reads slub_ops's seeds and dictionary.
corpus_of() { case "$1" in empty_target | slub_ops@base) echo slub_ops ;; *) echo "$1" ;; esac; }

# replay_rate BIN SEEDS [ARGS...]: inputs per second of the replay loop
replay_rate() {
	local bin=$1 seeds=$2 n r=1 t0 t
	shift 2
	n=$(find "$seeds" -maxdepth 1 -type f | wc -l)
	while :; do # calibrate: double R until a pass takes a second
		t0=$(now)
		"$bin" "$@" -runs=$r "$seeds" >/dev/null 2>&1 || { echo 0; return; }
		t=$(since "$t0")
		awk -v t="$t" 'BEGIN { exit !(t >= 1) }' && break
		r=$((r * 2))
		[ "$r" -lt 1000000000 ] || break
	done
	r=$(awk -v r="$r" -v t="$t" -v s="$SECS" 'BEGIN { x = int(r * s / t); print (x < 1 ? 1 : x) }')
	t0=$(now)
	"$bin" "$@" -runs="$r" "$seeds" >/dev/null 2>&1 || { echo 0; return; }
	t=$(since "$t0")
	awk -v n="$n" -v r="$r" -v t="$t" 'BEGIN { printf "%.0f", n * r / t }'
}

# libfuzzer_rate BIN TARGET [SEEDS]: executed units per wall second over SECS, restarting (next
# seed, same working corpus) if a finding ends a run early
libfuzzer_rate() {
	local work="$OUT/work" t0 rem units=0 u k=0 max_len
	local c seeds
	c=$(corpus_of "$2")
	seeds=${3:-build/corpus/$c}
	max_len=$(sed -n 's/^max_len *= *//p' "fuzz/$c.options")
	rm -rf "$work" && mkdir -p "$work"
	t0=$(now)
	while :; do
		rem=$(awk -v s="$SECS" -v e="$(since "$t0")" 'BEGIN { printf "%d", s - e }')
		[ "$rem" -ge 1 ] || break
		(
			ASAN_OPTIONS=$ASAN_DEFAULT UBSAN_OPTIONS=$UBSAN_DEFAULT "$1" -seed=$((k + 1)) \
				-max_total_time="$rem" -timeout=25 -rss_limit_mb=4096 -max_len="${max_len:-4096}" \
				-dict="build/corpus/$c.dict" -artifact_prefix="$OUT/lf-" -print_final_stats=1 \
				"$work" "$seeds" >"$OUT/lf.log" 2>&1
			exit $?
		) 2>/dev/null
		u=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/lf.log")
		units=$((units + ${u:-0}))
		k=$((k + 1))
		grep -q '^stat::' "$OUT/lf.log" && ! grep -qE 'ERROR|FINDING|deadly signal' "$OUT/lf.log" && break
	done
	awk -v u="$units" -v t="$(since "$t0")" 'BEGIN { printf "%.0f", u / t }'
}

# afl_rate BIN TARGET: execs_per_sec of a SECS-second afl-fuzz run
afl_rate() {
	local c dir="$OUT/afl"
	c=$(corpus_of "$2")
	rm -rf "$dir"
	(
		# the commit before had no schedule mutator: its afl-fuzz runs as it did
		[ "$2" != slub_ops@base ] || export SLUBFUZZ_SCHED_MUTATE=0
		afl_env # sanitizers/flags.mk: AFL_RUN_ENV, ASAN/UBSAN_OPTIONS_afl
		afl-fuzz -i "build/corpus/$c" -o "$dir" -V "$SECS" -x "build/corpus/$c.dict" -m none \
			-t 5000 -s 1 -- "$1" >"$OUT/afl.log" 2>&1
	)
	afl_reap "$dir"/* # nothing afl-fuzz started outlives it
	sed -n 's/^execs_per_sec *: *//p' "$dir/default/fuzzer_stats" 2>/dev/null | awk '{ printf "%.0f", $1 }'
}

declare -A samples
rows="empty_target $targets"
grown=${SPEED_GROWN:-}
[ -z "$grown" ] || [ -d "$grown" ] || { echo "speed: SPEED_GROWN=$grown is not a directory" >&2; exit 2; }
[ -n "$grown" ] && rows="$rows slub_ops@grown"
[ -n "$base" ] && rows="$rows slub_ops@base"
for rep in $(seq 1 "$REPS"); do
	for fl in replay libfuzzer afl; do
		for t in $rows; do
			b=$(bin_of "$fl" "${t%@grown}")
			case "$fl.$t" in
			*@grown) [ "$fl" = afl ] && v=0 ;; # afl-fuzz would spend the run calibrating
			esac
			case "$fl.$t" in
			afl.*@grown) ;;
			replay.*@grown) v=$(replay_rate "$b" "$grown") ;;
			libfuzzer.*@grown) v=$(libfuzzer_rate "$b" slub_ops "$grown") ;;
			replay.*) v=$(replay_rate "$b" "build/corpus/$(corpus_of "$t")") ;;
			libfuzzer.*) v=$(libfuzzer_rate "$b" "$t") ;;
			afl.*) v=$(afl_rate "$b" "$t") ;;
			esac
			echo "speed: rep $rep $fl $t: ${v:-?} exec/s" >&2
			samples[$fl.$t]="${samples[$fl.$t]:-} ${v:-0}"
		done
	done
done

median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print 0; exit }
	printf "%.0f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f%%", 100 * a / b; else print "-" }'; }

echo "exec/s per target and flavour, median of $REPS repetition(s) of about $SECS s each, one"
echo "measurement at a time; *of ceiling* = the target's exec/s / the empty target's in the same"
echo "flavour. The empty target fuzzes slub_ops's seeds.$([ -n "$grown" ] && echo " slub_ops@grown starts from $grown ($(ls "$grown" | wc -l) inputs); AFL++ is not run on it.")"
echo
echo "| target | replay loop, plain -O1 | of ceiling | libFuzzer, ASan+UBSan | of ceiling | AFL++ persistent, ASan+UBSan | of ceiling |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A med
for t in $rows; do
	line="| $t$([ "$t" = empty_target ] && echo " (ceiling)")"
	for fl in replay libfuzzer afl; do
		med[$fl.$t]=$(median ${samples[$fl.$t]})
		if [ "$fl.$t" = afl.slub_ops@grown ]; then
			line="$line | - | -"
		elif [ "$t" = empty_target ]; then
			line="$line | ${med[$fl.$t]} | 100%"
		else
			line="$line | ${med[$fl.$t]} | $(ratio "${med[$fl.$t]}" "${med[$fl.empty_target]}")"
		fi
	done
	echo "$line |"
done
if [ -n "$base" ]; then
	echo
	echo "slub_ops@base: at $base_sha (SPEED_BASE), same seeds; now / before: replay" \
		"$(ratio "${med[replay.slub_ops]}" "${med[replay.slub_ops@base]}"), libFuzzer" \
		"$(ratio "${med[libfuzzer.slub_ops]}" "${med[libfuzzer.slub_ops@base]}"), AFL++" \
		"$(ratio "${med[afl.slub_ops]}" "${med[afl.slub_ops@base]}")."
fi

# What one input pays with no events: a restore (or boot), oracle set-up, validation, teardown,
# the leak check (or shutdown).
echo
echo "One input with no events (\`boot nodes=N cpus=4\`, far nodes of 64 pages, every one up to 256"
echo "nodes, every fourth past: PROG_DENSE_NODES), replay loop, plain:"
echo "*restored*: the machine kept from the run before is restored (what the fuzz loop does);"
echo "*booted*: \`-cold\`, booted and shut down every time."
echo
echo "| nr_node_ids | us per input, restored | us per node | us per input, booted | us per node |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for n in 1 4 16 64 256 1024; do
	printf '#slubprog\nboot nodes=%d cpus=4\n' "$n" >"$OUT/nodes-$n.txt"
	[ "$n" -gt 8 ] && printf 'far_nodes every=%d pages=64\n' "$([ "$n" -gt 256 ] && echo 4 || echo 1)" \
		>>"$OUT/nodes-$n.txt"
	mkdir -p "$OUT/nodes-$n"
	build/tools/slubprog bin "$OUT/nodes-$n.txt" -o "$OUT/nodes-$n/input" 2>>"$OUT/build.log" ||
		{ echo "| $n | (slubprog failed) | |"; continue; }
	v=() c=()
	for rep in $(seq 1 "$REPS"); do
		v+=("$(replay_rate build/replay-plain/slub_ops "$OUT/nodes-$n")")
		c+=("$(replay_rate build/replay-plain/slub_ops "$OUT/nodes-$n" -cold)")
	done
	r=$(median "${v[@]}") rc=$(median "${c[@]}")
	awk -v n="$n" -v r="$r" -v c="$rc" 'BEGIN { if (r > 0 && c > 0)
		printf "| %d | %.1f | %.2f | %.1f | %.2f |\n", n, 1e6 / r, 1e6 / r / n, 1e6 / c, 1e6 / c / n;
		else printf "| %d | - | - | - | - |\n", n }'
done

# The most expensive inputs of max_len bytes we could construct (issue: no input over a second):
# the biggest machines the decoder makes, slub_debug on, order-3 slabs, the input filled with one
# costly event kind up to 4096 bytes. One run each in the libFuzzer build, as a fuzzing run's
# first input of a machine would pay it: boot, events, a thorough teardown, shutdown.
echo
echo "The most expensive inputs of max_len (4096) bytes constructed so far, libFuzzer build"
echo "(ASan+UBSan), one run each (\`-runs=1\`, boot and thorough teardown included), median of $REPS:"
echo
echo "| input | target | ms |"
echo "| --- | --- | ---: |"
worst() { # NAME TARGET BOOT-LINES EVENT-TEMPLATE (i = 1..)
	local name=$1 t=$2 boot=$3 ev=$4 i ms=()
	{ echo "#slubprog"; printf '%b\n' "$boot"; for i in $(seq 1 900); do eval "echo \"$ev\""; done | sed 's/ ; /\n/g'; } >"$OUT/worst-$name.txt"
	build/tools/slubprog bin "$OUT/worst-$name.txt" -o "$OUT/worst-$name.full" 2>>"$OUT/build.log" ||
		{ echo "| $name | $t | (slubprog failed) |"; return; }
	head -c 4096 "$OUT/worst-$name.full" >"$OUT/worst-$name"
	for i in $(seq 1 "$REPS"); do
		ms+=("$("build/libfuzzer/$t" -runs=1 "$OUT/worst-$name" 2>&1 | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')")
	done
	echo "| $name: \`$(printf '%b' "$boot" | head -1)\` + \`$(i=1; eval "echo \"$ev\"")\` ... | $t | $(median "${ms[@]}") |"
}
big='boot nodes=1024 cpus=64 min_order=3 max_order=3 debug="FZPU"\nfar_nodes every=4 pages=190'
dense='boot nodes=256 cpus=64 min_order=3 max_order=3 debug="FZPU"\nfar_nodes every=1 pages=190'
worst create-1024 slub_ops "$big" 'create cache=$((i % 8)) size=$((i * 8))'
worst create-256-dense slub_ops "$dense" 'create cache=$((i % 8)) size=$((i * 8))'
worst offline-online slub_ops "$big" 'node_offline node=$((i % 1024)) ; node_online node=$((i % 1024))'
worst cpu-down-up slub_ops "$big" 'cpu_down cpu=$((i % 64)) ; cpu_up cpu=$((i % 64))'
worst validate slub_ops "$big" 'validate'
worst kmalloc-validate slub_ops "$dense" 'kmalloc slot=$((i % 64)) size=$((i * 16)) ; validate'
worst boot-dense slub_boot "$dense" 'create cache=$((i % 8)) size=$((i * 8))'
