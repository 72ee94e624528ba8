#!/usr/bin/env bash
# run.sh - what `make bench` runs: every benchmark section in turn, each table printed as it
# is measured, all of them written to build/bench/results-<date>.md with the machine's
# description, and each section's generated block of bench/RESULTS.md replaced, in the compact
# form of bench/compact.awk (text outside the <!-- bench:<section>:begin/end --> markers, the
# hand-written reading of each section, is kept). Earlier runs are in git history.
#
# `bash bench/run.sh --recompact` measures nothing: it rewrites bench/RESULTS.md's blocks from
# the figures they hold (what bench/compact.awk would make of them; a fixed point once done).
#
# Environment (the Makefile passes what was given):
#   QUICK=1      a few minutes: shorter runs, time-to-bug on three entries (TTB_QUICK_SUBSET=1,
#                which `make bench` sets and `make bench-ttb` does not)
#   SECTIONS     any of: ttb races speed profile boot memclaim fastpath coverage (default: all,
#                in that order; races: time-to-bug of the RACE_ entries, which ttb leaves out;
#                profile needs perf: `bash ci/install-deps.sh perf`)
#   TTB_TRIALS, TTB_SECONDS, TTB_ENTRIES, BENCH_MAKE_ARGS: see bench/ttb.sh
#   BENCH_RESULTS=0   do not touch bench/RESULTS.md
#   BENCH_RESULTS_FILE   write the blocks there instead of bench/RESULTS.md (the tests)
#   BENCH_COMMIT      the commit measured, when not run from a git checkout
set -uo pipefail
cd "$(dirname "$0")/.."

# replace_block FILE SECTION CONTENT_FILE: the generated block of one section, compacted
replace_block() {
	local file=$1 s=$2 begin="<!-- bench:$2:begin -->" end="<!-- bench:$2:end -->"
	local content=$3.compact
	awk -v section="$s" -f bench/compact.awk "$3" >"$content" || return 1
	if grep -qxF "$begin" "$file" && grep -qxF "$end" "$file"; then
		awk -v b="$begin" -v e="$end" -v c="$content" '
			$0 == b { print; while ((getline l < c) > 0) print l; skip = 1; next }
			$0 == e { skip = 0 }
			!skip { print }' "$file" >"$file.new" && mv "$file.new" "$file"
	else
		{ echo; echo "## $(title_of "$s")"; echo; echo "$begin"; cat "$content"; echo "$end"; } >>"$file"
	fi
	rm -f "$content"
}

if [ "${1:-}" = --recompact ]; then
	file=${BENCH_RESULTS_FILE:-bench/RESULTS.md}
	mkdir -p build/bench
	for s in machine ttb races speed profile boot memclaim fastpath coverage; do
		awk -v b="<!-- bench:$s:begin -->" -v e="<!-- bench:$s:end -->" '$0 == e { p = 0 } p { print } $0 == b { p = 1 }' \
			"$file" >"build/bench/recompact-$s.md"
		[ -s "build/bench/recompact-$s.md" ] && replace_block "$file" "$s" "build/bench/recompact-$s.md"
		rm -f "build/bench/recompact-$s.md"
	done
	exit 0
fi

QUICK=${QUICK:-}
SECTIONS=${SECTIONS:-}
[ -n "$SECTIONS" ] || SECTIONS="ttb races speed profile boot memclaim fastpath coverage"
export QUICK
for s in $SECTIONS; do
	case "$s" in ttb | races | speed | profile | boot | memclaim | fastpath | coverage) ;;
	*) echo "bench: unknown section $s (ttb races speed profile boot memclaim fastpath coverage)" >&2
		exit 2 ;;
	esac
done
if [ -n "$QUICK" ] && [ "${TTB_QUICK_SUBSET:-}" = 1 ] && [ -z "${TTB_ENTRIES:-}" ]; then
	# the seed variant, a shallow entry and one no shipped seed triggers
	export TTB_ENTRIES="seed GET_SLAB_OFF_BY_ONE MERGE_IGNORES_ALIGN" TTB_SECONDS=${TTB_SECONDS:-10}
fi
eval "make_extra=(${BENCH_MAKE_ARGS:-})"

stamp=$(date -u +%Y-%m-%dT%H%MZ)
day=$(date -u '+%Y-%m-%d %H:%M UTC')
outdir=build/bench
mkdir -p "$outdir"
results="$outdir/results-$stamp.md"
commit=${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
if [ -z "${BENCH_COMMIT:-}" ] && [ -n "$(git status --porcelain -- allocator fuzz bench 2>/dev/null)" ]; then
	commit="$commit + uncommitted changes"
fi

machine() {
	local model mem os
	model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -1)
	mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
	echo "| | |"
	echo "| --- | --- |"
	echo "| date | $day |"
	echo "| commit | $commit |"
	echo "| cpus (nproc) | $(nproc) x ${model:-unknown} |"
	echo "| memory | $mem |"
	echo "| kernel | $(uname -sr) |"
	echo "| os | ${os:-unknown} |"
	echo "| clang | $(clang --version 2>/dev/null | head -1) |"
	echo "| gcc | $(gcc --version 2>/dev/null | head -1) |"
	echo "| AFL++ | $(afl-fuzz -h 2>&1 | sed -n 's/\x1b\[[0-9;]*m//g; s/^\(afl-fuzz[^ ]*\) .*/\1/p' | head -1) |"
	echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
	[ -z "${BENCH_MAKE_ARGS:-}" ] || echo "| extra make arguments | \`$BENCH_MAKE_ARGS\` |"
}

title_of() {
	case "$1" in
	machine) echo "Machine" ;;
	ttb) echo "Time to bug (bug catalog and the seed variant)" ;;
	races) echo "Time to bug: the race catalog (concurrent groups)" ;;
	speed) echo "Harness speed" ;;
	profile) echo "Where a campaign's time goes (perf)" ;;
	boot) echo "Boot + shutdown cost (allocator alone, plain -O2)" ;;
	memclaim) echo "The seed's memory claim: kmem_cache structures before and after" ;;
	fastpath) echo "Allocator fast path against glibc (plain -O2, one thread)" ;;
	coverage) echo "Coverage of allocator/ per engine" ;;
	esac
}

# growth TABLE_FILE COLUMN_X COLUMN_Y FROM TO: the exponent a in y ~ x^a between the rows whose
# first column is FROM and TO (1: linear)
growth() {
	awk -F'|' -v from="$4" -v to="$5" -v cx="$2" -v cy="$3" '
		{ x = $cx + 0; y = $cy + 0; gsub(/ /, "", $2) }
		$2 == from { x1 = x; y1 = y } $2 == to { x2 = x; y2 = y }
		END { if (x1 > 0 && x2 > x1 && y1 > 0 && y2 > 0) printf "%.2f", log(y2 / y1) / log(x2 / x1); else print "?" }' "$1"
}
describe_growth() {
	awk -v a="$1" 'BEGIN { if (a == "?") print "unknown"; else if (a < 0.85) print "slower than linear";
		else if (a <= 1.15) print "about linear"; else if (a < 1.85) print "faster than linear";
		else print "about quadratic or worse" }'
}

section() {
	local s=$1 f="$outdir/$1.md"
	echo "bench: $s ..." >&2
	{
		case "$s" in
		machine) machine ;;
		ttb)
			echo "_Measured $day at $commit; $([ -n "${TTB_ENTRIES:-}" ] && echo "entries: $TTB_ENTRIES; ")run: \`$(ttb_cmd)\`._"
			echo
			bash bench/ttb.sh
			;;
		races)
			echo "_Measured $day at $commit; run: \`$(ttb_cmd races)\`._"
			echo
			TTB_ENTRIES=races bash bench/ttb.sh
			;;
		speed)
			echo "_Measured $day at $commit$([ -n "$QUICK" ] && echo ", QUICK=1")._"
			echo
			bash bench/speed.sh
			;;
		profile)
			echo "### libFuzzer"
			echo
			bash bench/profile.sh slub_ops libfuzzer 2>&1 || echo "(not measured: see the line above)"
			echo
			echo "### AFL++"
			echo
			bash bench/profile.sh slub_ops afl 2>&1 || echo "(not measured: see the line above)"
			;;
		coverage)
			echo "_Measured $day at $commit$([ -n "$QUICK" ] && echo ", QUICK=1")._"
			echo
			bash bench/coverage.sh
			;;
		boot)
			make -s -j"$(nproc)" "${make_extra[@]}" bench-progs >"$outdir/build-progs.log" 2>&1 ||
				{ echo "bench: build failed (see $outdir/build-progs.log)"; return; }
			echo "_Measured $day at $commit._"
			echo
			build/bench/bin/boot_cost | tee "$outdir/boot_cost.txt"
			local an ac
			an=$(growth <(sed '/nr_cpu_ids/,$d' "$outdir/boot_cost.txt") 2 3 64 1024)
			ac=$(growth <(sed -n '/nr_cpu_ids/,$p' "$outdir/boot_cost.txt") 2 3 8 64)
			echo
			echo "Growth, as the exponent a in time ~ n^a between the two largest rows (1 = linear):"
			echo "nr_node_ids 64 -> 1024: a = $an, $(describe_growth "$an");" \
				"nr_cpu_ids 8 -> 64: a = $ac, $(describe_growth "$ac")."
			;;
		memclaim | fastpath)
			make -s -j"$(nproc)" "${make_extra[@]}" bench-progs >"$outdir/build-progs.log" 2>&1 ||
				{ echo "bench: build failed (see $outdir/build-progs.log)"; return; }
			echo "_Measured $day at $commit._"
			echo
			"build/bench/bin/$s"
			;;
		esac
	} >"$f"
	{ echo "## $(title_of "$s")"; echo; cat "$f"; echo; } | tee -a "$results"
}

ttb_cmd() { # [races]
	local c="make bench-ttb"
	[ "${1:-}" = races ] && c="make bench-races"
	[ -n "$QUICK" ] && c="$c QUICK=1"
	[ -n "${TTB_TRIALS:-}" ] && c="$c TRIALS=$TTB_TRIALS"
	[ -n "${TTB_SECONDS:-}" ] && c="$c SECONDS=$TTB_SECONDS"
	[ -z "${1:-}" ] && [ -n "${TTB_ENTRIES:-}" ] && c="$c ENTRIES=\"$TTB_ENTRIES\""
	echo "$c"
}

{
	echo "# slubfuzz benchmark results, $day"
	echo
} >"$results"
section machine
for s in $SECTIONS; do section "$s"; done
echo "bench: results in $results" >&2

if [ "${BENCH_RESULTS:-1}" != 0 ]; then
	file=${BENCH_RESULTS_FILE:-bench/RESULTS.md}
	[ -f "$file" ] || printf '# slubfuzz benchmark results\n\nWritten by `make bench` (bench/run.sh).\n' >"$file"
	for s in machine $SECTIONS; do replace_block "$file" "$s" "$outdir/$s.md"; done
	echo "bench: $file updated (sections: $SECTIONS; the full tables: $results)" >&2
fi
