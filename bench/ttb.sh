#!/usr/bin/env bash
# ttb.sh - time-to-bug: for each entry of the bug catalog (allocator/bugs.h) and the seed
# variant, and for each engine, N bounded trials, each with its own seed. A finding counts for
# entry X only if it reproduces on X's replay build and runs clean on the fixed replay build
# (exit status of build/replay-<X>/<target> and build/replay/<target>), so the fixed build's
# own open findings and harness noise are never credited to X.
#
# Two starting corpora: the shipped one (build/corpus/<target>), and - for entries some shipped
# seed already triggers - the shipped one without those seeds ("reduced"), which measures the
# engine rather than the corpus. Prints markdown tables on stdout; progress goes to stderr.
#
# Environment:
#   QUICK=1          2 trials of 20 s (default: 5 trials of 60 s)
#   TTB_TRIALS=N  TTB_SECONDS=S  TTB_ENTRIES="seed GET_SLAB_OFF_BY_ONE ..." (default:
#                every entry but the race catalog's; races: the RACE_ entries; all: every one)
#   TTB_ENGINES="libfuzzer afl"  TTB_JOBS=<trials run at once, default nproc>
#   TTB_REDUCED=0    skip the reduced-corpus trials
#   BENCH_MAKE_ARGS  extra arguments for every make call (e.g. other sanitizer flags)
#   BENCH_OUT        working directory (default build/bench/ttb)
# One trial: `bench/ttb.sh trial ENTRY ENGINE K shipped|reduced` (what the job queue runs).
set -uo pipefail
cd "$(dirname "$0")/.."

QUICK=${QUICK:-}
TRIALS=${TTB_TRIALS:-}
SECS=${TTB_SECONDS:-}
[ -n "$TRIALS" ] || TRIALS=$([ -n "$QUICK" ] && echo 2 || echo 5)
[ -n "$SECS" ] || SECS=$([ -n "$QUICK" ] && echo 20 || echo 60)
ENGINES=${TTB_ENGINES:-libfuzzer afl}
JOBS=${TTB_JOBS:-$(nproc)}
REDUCED=${TTB_REDUCED:-1}
OUT=${BENCH_OUT:-build/bench/ttb}
HANG_S=5 # an input running longer than this is a hang finding (both engines)
eval "make_extra=(${BENCH_MAKE_ARGS:-})"

catalog() { sed -n 's/^[[:space:]]*X(\([A-Z0-9_]*\),.*/\1/p' allocator/bugs.h; }
where_of() { sed -n "s/^[[:space:]]*X($1, *\"\([^\"]*\)\".*/\1/p" allocator/bugs.h; }

# The bootstrap entries are reached by slub_boot (boot steps, node counts, boot failures).
target_of() {
	case "$1" in
	seed | EARLY_NODE_INUSE | SIZE_INDEX_MIN_SIZE | SEED_FIXUP_* | SEED_BOOT_* | \
		SEED_KMALLOC_CACHE_* | UPSTREAM_ALIAS_MSG_NAME | UPSTREAM_STAT_NULL_CPU_SLAB | \
		UPSTREAM_DMA_NAME_UNCHECKED) echo slub_boot ;;
	*) echo slub_ops ;;
	esac
}
# SLUB's own history (SEED_/UPSTREAM_ entries) gets a table of its own.
is_history() { [[ "$1" == SEED_* || "$1" == UPSTREAM_* ]]; }
# The race catalog (RACE_ entries: only a concurrent group shows them) too, and a section of
# bench/RESULTS.md: TTB_ENTRIES=races measures them, the default (all) leaves them to it.
is_race() { [[ "$1" == RACE_* ]]; }
suffix_of() { [ "$1" = seed ] && echo -seed || echo "-bug-$1"; }
make_args_of() { [ "$1" = seed ] && echo BOOTSTRAP=seed || echo "BUG=$1"; }
seeds_of() { # ENTRY MODE -> the starting corpus directory
	[ "$2" = reduced ] && echo "$OUT/corpus/$1" || echo "build/corpus/$(target_of "$1")"
}

. ci/testlib.sh # flags, afl_env, afl_reap
ASAN_DEFAULT=$(flags ASAN_OPTIONS_default)
UBSAN_DEFAULT=$(flags UBSAN_OPTIONS_default)

# replay BIN FILE|DIR: the replay driver's exit status (124 on a hang), nothing printed. The
# subshell keeps bash's "Aborted" notice out of the output.
replay() {
	(
		ASAN_OPTIONS=$ASAN_DEFAULT UBSAN_OPTIONS=$UBSAN_DEFAULT timeout -k 5 30 "$1" "$2" \
			>/dev/null 2>&1
		exit $?
	) 2>/dev/null
}

# judge FILE ENTRY TARGET: 0 if FILE reproduces on ENTRY's replay build and not on fixed.
judge() {
	local rb
	replay "build/replay$(suffix_of "$2")/$3" "$1"
	rb=$?
	[ "$rb" -ne 0 ] && [ "$rb" -ne 2 ] && replay "build/replay/$3" "$1"
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f", b - a }'; }

# libFuzzer stops at its first finding; one that does not match is set aside and the run goes
# on (next seed, same working corpus) until a match or the time is up.
trial_libfuzzer() {
	local entry=$1 target=$2 seed=$3 dir=$4 seeds=$5
	local bin="build/libfuzzer$(suffix_of "$entry")/$target"
	local max_len t0 rem k=0 other=0 a t found
	max_len=$(sed -n 's/^max_len *= *//p' "fuzz/$target.options")
	mkdir -p "$dir/corpus"
	t0=$(now)
	while :; do
		rem=$(awk -v s="$SECS" -v e="$(since "$t0")" 'BEGIN { printf "%d", s - e }')
		[ "$rem" -ge 1 ] || break
		(
			ASAN_OPTIONS=$ASAN_DEFAULT UBSAN_OPTIONS=$UBSAN_DEFAULT timeout -k 5 $((rem + 60)) \
				"$bin" -seed=$((seed * 1000 + k)) -max_total_time="$rem" -timeout=$HANG_S \
				-rss_limit_mb=4096 -max_len="${max_len:-4096}" -dict="build/corpus/$target.dict" \
				-artifact_prefix="$dir/run$k-" -print_final_stats=1 "$dir/corpus" "$seeds" \
				>>"$dir/fuzz.log" 2>&1
			exit $?
		) 2>/dev/null
		found=0
		for a in "$dir"/run$k-*; do
			[ -f "$a" ] || continue
			found=1
			t=$(since "$t0" "$(date -r "$a" +%s.%N)")
			if judge "$a" "$entry" "$target" &&
				awk -v t="$t" -v s="$SECS" 'BEGIN { exit !(t <= s) }'; then
				echo "1 $t $other $(basename "$a")"
				return
			fi
			other=$((other + 1))
		done
		[ "$found" = 1 ] || break
		k=$((k + 1))
	done
	echo "0 - $other -"
}

# AFL++ as `make fuzz ENGINE=afl` runs it (one main instance with the CMPLOG build). Its
# findings are judged while it runs, and it is stopped at the first match. The time is the
# finding file's, from the start of afl-fuzz (the time: field in its name leaves out the dry run
# and calibration). Seeds that crash or hang in its dry run are findings too (AFL reports them,
# skips them, and stops if none is left); their time is when this loop saw the report.
trial_afl() {
	local entry=$1 target=$2 seed=$3 dir=$4 seeds=$5
	local sfx pid other=0 f t judged="$dir/judged" t0 result="" running=1 name
	sfx=$(suffix_of "$entry")
	: >"$judged"
	(
		afl_env # sanitizers/flags.mk: AFL_RUN_ENV, ASAN/UBSAN_OPTIONS_afl
		exec afl-fuzz -i "$seeds" -o "$dir/afl" -V "$SECS" -x "build/corpus/$target.dict" \
			-m none -t $((HANG_S * 1000)) -s "$seed" \
			-M main -c "build/afl-cmplog$sfx/$target" -- "build/afl$sfx/$target"
	) >"$dir/afl.log" 2>&1 &
	pid=$!
	t0=$(now)
	while [ -z "$result" ]; do
		kill -0 "$pid" 2>/dev/null || running=0
		# dry-run findings, by the seed's original name
		for name in $(sed -n "s/.*Test case '[^']*orig:\([^']*\)' results in a \(crash\|timeout\).*/\1/p" \
			"$dir/afl.log" 2>/dev/null); do
			f="$seeds/$name"
			[ -f "$f" ] && ! grep -qxF "$f" "$judged" || continue
			echo "$f" >>"$judged"
			if judge "$f" "$entry" "$target"; then
				result="1 $(since "$t0") $other dry-run:$name"
				break
			fi
			other=$((other + 1))
		done
		[ -z "$result" ] || break
		for f in "$dir"/afl/main/crashes/id:* "$dir"/afl/main/hangs/id:*; do
			[ -f "$f" ] && ! grep -qxF "$f" "$judged" || continue
			echo "$f" >>"$judged"
			if judge "$f" "$entry" "$target"; then
				t=$(since "$t0" "$(date -r "$f" +%s.%N)")
				result="1 $t $other $(basename "$(dirname "$f")")/$(basename "$f" | cut -d, -f1)"
				break
			fi
			other=$((other + 1))
		done
		[ -n "$result" ] || [ "$running" = 1 ] || break
		[ -n "$result" ] || sleep 1
	done
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	afl_reap "$dir/afl/main" # afl-fuzz's CMPLOG server may outlive it, stopped
	if [ -z "$result" ] && [ ! -f "$dir/afl/main/fuzzer_stats" ]; then
		echo "ttb: afl-fuzz did not start for $entry (see $dir/afl.log)" >&2
		result="E - $other afl-did-not-start"
	fi
	echo "${result:-0 - $other -}"
}

if [ "${1:-}" = trial ]; then
	entry=$2 engine=$3 k=$4 mode=$5
	dir="$OUT/trials/$entry/$mode-$engine-$k"
	rm -rf "$dir" && mkdir -p "$dir"
	"trial_$engine" "$entry" "$(target_of "$entry")" "$k" "$dir" "$(seeds_of "$entry" "$mode")" \
		>"$dir/result"
	echo "ttb: $entry $mode $engine #$k: $(cat "$dir/result")" >&2
	exit 0
fi

# ---- the whole benchmark ----
entries=${TTB_ENTRIES:-}
case "$entries" in
'') entries="seed $(catalog | grep -v '^RACE_' | tr '\n' ' ')" ;;
all) entries="seed $(catalog | tr '\n' ' ')" ;;
races) entries=$(catalog | grep '^RACE_' | tr '\n' ' ') ;;
esac
known=" seed $(catalog | tr '\n' ' ') "
for e in $entries; do
	[[ "$known" == *" $e "* ]] || { echo "ttb: unknown entry $e (catalog:$known)" >&2; exit 2; }
done
for eng in $ENGINES; do
	case "$eng" in libfuzzer | afl) ;; *) echo "ttb: unknown engine $eng" >&2; exit 2 ;; esac
done
mkdir -p "$OUT"
rm -rf "$OUT/trials" "$OUT/corpus"

# Builds: the fixed replay (the judge's baseline), the corpus, and per entry the two engines'
# binaries and its replay binary, only for the target the entry uses.
nent=$(echo $entries | wc -w)
echo "ttb: building the fixed replay build, the corpus and $nent variant(s)" >&2
make -s -j"$(nproc)" "${make_extra[@]}" corpus replay "$(afl_mutator)" >"$OUT/build-fixed.log" 2>&1 ||
	{ echo "ttb: fixed build failed (see $OUT/build-fixed.log)" >&2; exit 2; }
for e in $entries; do
	t=$(target_of "$e") s=$(suffix_of "$e")
	# shellcheck disable=SC2046
	make -s -j"$(nproc)" "${make_extra[@]}" $(make_args_of "$e") "build/replay$s/$t" \
		"build/libfuzzer$s/$t" "build/afl$s/$t" "build/afl-cmplog$s/$t" \
		>"$OUT/build-$e.log" 2>&1 ||
		{ echo "ttb: build of $e failed (see $OUT/build-$e.log)" >&2; exit 2; }
done

# Which shipped seeds already trigger each entry? The rest is its reduced corpus. When the
# empty input (the default machine, no events) triggers it, every engine finds it at once and
# there is no reduced corpus to speak of.
# libAFLDriver calls the target once with the 4 bytes "##SI" before its fork server starts
# (a 36-node machine to our decoder); when that triggers the entry, every AFL++ execution
# crashes and AFL++ cannot fuzz from a corpus that does not trigger it.
declare -A triggers nseeds empty warmup
: >"$OUT/empty-input"
printf '##SI' >"$OUT/afl-warmup-input"
for e in $entries; do
	t=$(target_of "$e")
	mkdir -p "$OUT/corpus/$e"
	triggers[$e]=0 nseeds[$e]=0 empty[$e]=no warmup[$e]=no
	replay "build/replay$(suffix_of "$e")/$t" "$OUT/empty-input" || empty[$e]=yes
	judge "$OUT/afl-warmup-input" "$e" "$t" && warmup[$e]=yes
	for f in build/corpus/"$t"/*; do
		nseeds[$e]=$((${nseeds[$e]} + 1))
		if replay "build/replay$(suffix_of "$e")/$t" "$f"; then
			cp "$f" "$OUT/corpus/$e/"
		else
			triggers[$e]=$((${triggers[$e]} + 1))
		fi
	done
done

jobs_file="$OUT/jobs"
: >"$jobs_file"
for k in $(seq 1 "$TRIALS"); do
	for e in $entries; do
		for eng in $ENGINES; do
			echo "$e $eng $k shipped" >>"$jobs_file"
			[ "$REDUCED" = 1 ] && [ "${empty[$e]}" = no ] && [ "${triggers[$e]}" -gt 0 ] &&
				[ "${triggers[$e]}" -lt "${nseeds[$e]}" ] &&
				! { [ "$eng" = afl ] && [ "${warmup[$e]}" = yes ]; } &&
				echo "$e $eng $k reduced" >>"$jobs_file"
		done
	done
done
njobs=$(wc -l <"$jobs_file")
echo "ttb: $njobs trials of at most ${SECS}s, $JOBS at a time" >&2
t_start=$(now)
xargs -P "$JOBS" -L 1 bash bench/ttb.sh trial <"$jobs_file"
wall=$(since "$t_start")

# ---- the tables ----
# stats ENTRY ENGINE MODE -> "found/n median fastest other"; median over all trials, a trial
# without a match counting as infinite
stats() {
	local k r ok t o n=0 found=0 other=0 errs=0 times="" fastest="-" med note=""
	for k in $(seq 1 "$TRIALS"); do
		r="$OUT/trials/$1/$3-$2-$k/result"
		ok=E t=- o=0
		[ -f "$r" ] && read -r ok t o _ <"$r"
		n=$((n + 1)) other=$((other + ${o:-0}))
		if [ "$ok" = 1 ]; then
			found=$((found + 1))
			times="$times$t"$'\n'
			{ [ "$fastest" = - ] || awk -v a="$t" -v b="$fastest" 'BEGIN { exit !(a < b) }'; } &&
				fastest=$t
		else
			[ "$ok" = E ] && errs=$((errs + 1))
			times="${times}inf"$'\n'
		fi
	done
	med=$(printf '%s' "$times" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) m = v[(NR + 1) / 2]
		else if (v[NR / 2] == "inf" || v[NR / 2 + 1] == "inf") m = "inf"
		else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		if (m == "inf") print "inf"; else printf "%.1f\n", m }')
	[ "$med" = inf ] && med="> $SECS"
	[ "$errs" -gt 0 ] && note=" ($errs did not run)"
	echo "$found/$n$note|$med|$fastest|$other"
	[ "$found" -gt 0 ]
}

echo "Time to bug: $TRIALS trial(s) of at most $SECS s per entry, engine and corpus (seeds 1..$TRIALS),"
echo "$JOBS trials at a time on this machine; $(printf '%.0f' "$wall") s of wall time for the trials."
echo "A finding counts only when it reproduces on the entry's replay build and runs clean on the fixed"
echo "one. *median*: over all trials, a trial without a match counting as infinite (\"> $SECS\" when"
echo "half or more found nothing). *shipped*: from build/corpus/<target>; *seeds*: how many shipped"
echo "seeds already trigger the entry; *reduced*: from the shipped corpus without those seeds (the"
echo "engine's own work). *fastest*: the fastest matching trial (reduced corpus when there is one)."
echo "*other*: findings that did not match (shipped + reduced trials)."
echo
declare -A ent_ship ent_red tr_ship tr_red any
# table ENTRY...: one row per entry and engine
table() {
echo "| entry | where | target | seeds | engine | shipped: found | median s | reduced: found | median s | fastest s | other |"
echo "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for e in "$@"; do
	where=$([ "$e" = seed ] && echo "bootstrap.c (BOOTSTRAP=seed)" || where_of "$e")
	for eng in $ENGINES; do
		IFS='|' read -r sf sm sfast so < <(stats "$e" "$eng" shipped)
		stats "$e" "$eng" shipped >/dev/null && { ent_ship[$eng]=$((${ent_ship[$eng]:-0} + 1)); any[$e]=1; }
		tr_ship[$eng]=$((${tr_ship[$eng]:-0} + ${sf%%/*}))
		if [ "${triggers[$e]}" -eq 0 ]; then
			rf="(= shipped)" rm="" fast=$sfast ro=0
			stats "$e" "$eng" shipped >/dev/null && ent_red[$eng]=$((${ent_red[$eng]:-0} + 1))
			tr_red[$eng]=$((${tr_red[$eng]:-0} + ${sf%%/*}))
		elif [ "${empty[$e]}" = yes ]; then
			rf="(the empty input triggers it)" rm="" fast=$sfast ro=0
		elif [ "${triggers[$e]}" -ge "${nseeds[$e]}" ]; then
			rf="(every seed triggers it)" rm="" fast=$sfast ro=0
		elif [ "$eng" = afl ] && [ "${warmup[$e]}" = yes ]; then
			rf="(not run: AFL's warm-up input triggers it)" rm="" fast=$sfast ro=0
		elif [ "$REDUCED" != 1 ]; then
			rf="(not run)" rm="" fast=$sfast ro=0
		else
			IFS='|' read -r rf rm fast ro < <(stats "$e" "$eng" reduced)
			stats "$e" "$eng" reduced >/dev/null && ent_red[$eng]=$((${ent_red[$eng]:-0} + 1))
			tr_red[$eng]=$((${tr_red[$eng]:-0} + ${rf%%/*}))
		fi
		echo "| $e | $where | $(target_of "$e") | ${triggers[$e]}/${nseeds[$e]} | $eng | $sf | $sm | $rf | $rm | $fast | $((so + ro)) |"
	done
done
}
synthetic=() history=() races=()
for e in $entries; do
	if is_history "$e"; then history+=("$e"); elif is_race "$e"; then races+=("$e"); else synthetic+=("$e"); fi
done
if [ ${#synthetic[@]} -gt 0 ]; then
	echo "Synthetic defects (SLUB_BUG_CATALOG) and the seed variant:"
	echo
	table "${synthetic[@]}"
	echo
fi
if [ ${#history[@]} -gt 0 ]; then
	echo "SLUB's own history (SLUB_HISTORY_CATALOG): each defect of the seed (SEED_) and of 2.6.36 under"
	echo "it (UPSTREAM_) compiled alone into fixed; allocator/bugs.h names the upstream fix."
	echo
	table "${history[@]}"
	echo
fi
if [ ${#races[@]} -gt 0 ]; then
	echo "The race catalog (RACE_ entries): narrowings of 2.6.36's locking that only a concurrent"
	echo "group shows; each replays clean, and stays clean, without one (allocator/README.md)."
	echo
	table "${races[@]}"
	echo
fi
declare -A nred
for eng in $ENGINES; do
	nred[$eng]=0
	for e in $entries; do
		[ "${empty[$e]}" = no ] && [ "${triggers[$e]}" -lt "${nseeds[$e]}" ] &&
			! { [ "$eng" = afl ] && [ "${warmup[$e]}" = yes ]; } && nred[$eng]=$((${nred[$eng]} + 1))
	done
done
echo
echo "| engine | entries found, shipped corpus | trials, shipped | entries found, reduced corpus | trials, reduced |"
echo "| --- | ---: | ---: | ---: | ---: |"
for eng in $ENGINES; do
	echo "| $eng | ${ent_ship[$eng]:-0}/$nent | ${tr_ship[$eng]:-0}/$((nent * TRIALS)) |" \
		"${ent_red[$eng]:-0}/${nred[$eng]} | ${tr_red[$eng]:-0}/$((${nred[$eng]} * TRIALS)) |"
done
echo "| either engine | ${#any[@]}/$nent | | | |"
echo
echo "The reduced columns count the entries that have a reduced corpus (for the others the empty"
echo "input or every seed triggers them, or, for AFL++, the driver's warm-up input \"##SI\" does); an"
echo "entry no seed triggers counts its shipped trials there."
w=""
for e in $entries; do [ "${warmup[$e]}" = yes ] && w="$w $e"; done
[ -z "$w" ] || echo "AFL++'s warm-up input triggers:$w."
missing=""
for e in $entries; do [ -n "${any[$e]:-}" ] || missing="$missing $e"; done
[ -z "$missing" ] || { echo; echo "Not found by any engine in this run:$missing"; }
exit 0
