#!/usr/bin/env bash
# fuzz-batch.sh - what `make fuzz-batch` runs, the local equivalent of ClusterFuzzLite's batch
# mode: every target with every engine for SECONDS each (one `make fuzz` run apiece, ci/fuzz.sh,
# whose working corpora under findings/<target>-<engine>/ carry over from run to run), then
# every new finding copied into one folder, findings/batch-<date>/, triaged there
# (ci/triage.sh), with a summary.
#
# Environment: FUZZ_SECONDS (default 60), TARGETS (default every fuzz/slub_*.c),
# ENGINES (default "libfuzzer afl"), BOOTSTRAP, NUMA, BUG as for make fuzz.
# Exit status: 0 when no run found anything, 1 on any finding, 2 on usage or build errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh

SECS=${FUZZ_SECONDS:-}
SECS=${SECS:-60}
TARGETS=${TARGETS:-}
TARGETS=${TARGETS:-$(flavour_targets | tr '\n' ' ')}
ENGINES=${ENGINES:-}
ENGINES=${ENGINES:-libfuzzer afl}
BOOTSTRAP=${BOOTSTRAP:-fixed} NUMA=${NUMA:-1} BUG=${BUG:-}
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -gt 0 ] || die "SECONDS must be a positive number, not '$SECS'"
for e in $ENGINES; do case "$e" in libfuzzer | afl) ;; *) die "unknown engine '$e' in ENGINES (libfuzzer afl)" ;; esac; done
for t in $TARGETS; do
	TARGET=$t
	flavour_settle # every target, BOOTSTRAP, NUMA and BUG exist: die otherwise
done

# run_execs LOG: this run's executions as make fuzz counted them (every libFuzzer start summed,
# only this run's share of each AFL++ instance's lifetime count): its "this run:" line
run_execs() { sed -n 's/^fuzz: this run: \([0-9]*\) execs .*/\1/p' "$1" | tail -1; }

# batch_copy DIR FILE...: this run's findings, as they lie (AFL++: <instance>/crashes/id:...),
# with the build they came from (DIR/build) and the known findings' kept inputs, so that
# triage of the batch lists what each run's own list said
batch_copy() {
	local dir=$1 f rel
	shift
	mkdir -p "$batch/$dir"
	[ -f "findings/$dir/build" ] && cp "findings/$dir/build" "$batch/$dir/build"
	for f in "$@" $(sed -n 's/^fuzz: known [A-Za-z0-9_]*: .* hit(s) in this run, first input \(findings\/.*\)$/\1/p' "$batch/$dir.log"); do
		[ -f "$f" ] || continue
		rel=${f#findings/"$dir"/}
		mkdir -p "$batch/$dir/$(dirname "$rel")"
		cp "$f" "$batch/$dir/$rel"
	done
}

batch="findings/batch-$(date +%Y%m%d-%H%M%S)"
summary="$batch/summary.txt"
mkdir -p "$batch"
runs=$(($(wc -w <<<"$TARGETS") * $(wc -w <<<"$ENGINES")))
echo "fuzz-batch: $runs run(s) of ${SECS}s ($TARGETS x $ENGINES, bootstrap $BOOTSTRAP); results in $batch/"
{
	echo "# make fuzz-batch: ${SECS}s per target and engine, bootstrap $BOOTSTRAP$([ "$NUMA" = 0 ] && echo ', !NUMA')${BUG:+, BUG=$BUG}, started $(date -Is)"
	printf '%-12s %-10s %-6s %-12s %s\n' "# target" engine exit execs "new findings"
} >"$summary"

total=0 broken=0
for t in $TARGETS; do
	for e in $ENGINES; do
		dir="$t-$e$SUFFIX"
		echo "== fuzz-batch: $t with $e for ${SECS}s (make fuzz TARGET=$t ENGINE=$e SECONDS=$SECS)"
		# fuzz.sh's status lines come every 10 s: shown as they come
		TARGET=$t ENGINE=$e FUZZ_SECONDS=$SECS JOBS=1 BOOTSTRAP=$BOOTSTRAP NUMA=$NUMA BUG=$BUG \
			bash ci/fuzz.sh 2>&1 | tee "$batch/$dir.log" | grep --line-buffered -E '^fuzz: ' |
			grep --line-buffered -v 'reproduce:' | sed -u 's/^/   /'
		rc=${PIPESTATUS[0]}
		[ "$rc" -eq 2 ] && broken=$((broken + 1))
		# this run's findings, as fuzz.sh listed them (AFL++ dry-run crashes included)
		mapfile -t new < <(sed -n '/finding file(s) in this run/,$ s/^  \(findings\/[^ ]*\)$/\1/p' "$batch/$dir.log")
		batch_copy "$dir" "${new[@]}"
		total=$((total + ${#new[@]}))
		execs=$(run_execs "$batch/$dir.log")
		printf '%-12s %-10s %-6s %-12s %s\n' "$t" "$e" "$rc" "${execs:-?}" "${#new[@]}" >>"$summary"
	done
done

if [ "$total" -gt 0 ]; then
	echo "== fuzz-batch: $total new finding(s); triage:"
	DIR=$batch bash ci/triage.sh | sed 's/^/   /'
	echo "# $total new finding(s), triaged in $batch/triage/ (one report per bug)" >>"$summary"
else
	echo "# no new finding" >>"$summary"
fi
echo "== fuzz-batch: summary ($summary):"
cat "$summary"
[ "$broken" -eq 0 ] || { echo "fuzz-batch: $broken run(s) could not start (logs in $batch/)" >&2; exit 2; }
[ "$total" -eq 0 ]
