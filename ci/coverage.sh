#!/usr/bin/env bash
# coverage.sh - what `make coverage` runs, the local equivalent of ClusterFuzzLite's coverage
# mode: clang source-based coverage (SAN_FLAGS_coverage of sanitizers/flags.mk) of allocator/,
# one report per target, from replaying that target's corpus through its replay driver:
# build/coverage/<target>/html/index.html and a one-screen summary with line, branch,
# function and region figures per file of allocator/.
#
# Environment: TARGET (default: every target, one report each); CORPUS: a folder of inputs, or
# one holding <target>/ folders (e.g. findings/merged); by default the shipped seeds and fixed
# regressions plus every corpus a campaign grew under findings/ (<target>-libfuzzer*/corpus/,
# <target>-afl*/*/queue/, merged/<target>/); BOOTSTRAP, NUMA. A CORPUS holding <target>/
# folders reports on the targets it has a folder for (the others are named and skipped).
# Inputs that end in a finding still count up to it. Exit status: 0, or 2 on usage errors or
# when the build or the report fails.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh
. ci/progress.sh

BOOTSTRAP=${BOOTSTRAP:-}
BOOTSTRAP=${BOOTSTRAP:-fixed}
NUMA=${NUMA:-}
NUMA=${NUMA:-1}
CORPUS=${CORPUS:-}
TARGETS=${TARGET:-}
TARGETS=${TARGETS:-$(flavour_targets | tr '\n' ' ')}
for TARGET in $TARGETS; do flavour_settle; done # die on a target or flavour that does not exist
[ -z "$CORPUS" ] || [ -d "$CORPUS" ] || die "CORPUS=$CORPUS: no such folder"
for tool in llvm-profdata llvm-cov clang; do
	command -v "$tool" >/dev/null || die "$tool is missing (package llvm / clang; make deps)"
done
buildlog=build/logs/coverage.log
mkdir -p build/logs && : >"$buildlog"
progress_make "coverage: build" "$buildlog" -j"$(nproc)" coverage-bins corpus BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" ||
	{ tail -5 "$buildlog" >&2; die "build failed (log: $buildlog): run 'make coverage-bins BOOTSTRAP=$BOOTSTRAP NUMA=$NUMA' to see why"; }
bindir=$(make -s --no-print-directory print-COV_DIR BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA")

# a CORPUS of <target>/ folders (findings/merged, say) has inputs for the targets it names only
per_target=""
if [ -n "$CORPUS" ]; then
	for t in $(flavour_targets); do [ -d "$CORPUS/$t" ] && per_target=1; done
fi
reported=0
for t in $TARGETS; do
	if [ -n "$CORPUS" ]; then
		dirs=("$CORPUS")
		[ -d "$CORPUS/$t" ] && dirs=("$CORPUS/$t")
		if [ -n "$per_target" ] && [ ! -d "$CORPUS/$t" ]; then
			echo "coverage: $t: no $CORPUS/$t/ folder: no report for $t"
			continue
		fi
	else
		mapfile -t dirs < <({
			echo "build/corpus/$t"
			echo "corpus/regressions/$t"
			find findings -type d \( -path "findings/$t-libfuzzer*/corpus" -o -path "findings/$t-afl*/*/queue" \
				-o -path "findings/merged/$t" -o -path "findings/batch-*/$t-libfuzzer*/corpus" \) 2>/dev/null | sort
		} | while read -r d; do [ -d "$d" ] && echo "$d"; done)
	fi
	# inputs only (binary or text programs): no notes, no AFL++ bookkeeping
	mapfile -t inputs < <(find "${dirs[@]}" -maxdepth 1 -type f ! -name '*.why' ! -name 'README*' \
		! -name '.*' 2>/dev/null | grep -v '/corpus/regressions/.*\.txt$' | sort)
	out=build/coverage/$t
	prof=$out/prof
	rm -rf "$out" && mkdir -p "$prof"
	echo "coverage: $t: ${#inputs[@]} input(s) from ${dirs[*]}"
	[ ${#inputs[@]} -gt 0 ] || die "no inputs for $t"
	# one process per input: a finding (an abort) must not cost the rest their profile; a line
	# at least every PROGRESS_SECONDS while they run
	i=0 last=$SECONDS
	for f in "${inputs[@]}"; do
		i=$((i + 1))
		LLVM_PROFILE_FILE="$prof/$t-%p.profraw" run "$bindir/$t" "$f" >/dev/null 2>&1 ||
			echo "   $f ends in a finding (counted up to it)"
		if [ $((SECONDS - last)) -ge "$PROGRESS_SECONDS" ]; then
			last=$SECONDS
			echo "coverage: $t: $i of ${#inputs[@]} input(s) replayed"
		fi
	done
	compgen -G "$prof/*.profraw" >/dev/null || die "$t: no profile written"
	llvm-profdata merge -sparse "$prof"/*.profraw -o "$out/$t.profdata" || die "llvm-profdata merge failed"
	llvm-cov show "$bindir/$t" -instr-profile="$out/$t.profdata" -format=html -output-dir="$out/html" \
		-show-branches=count -show-line-counts-or-regions \
		-project-title="slubfuzz allocator/ from $t ($BOOTSTRAP)" allocator/ >/dev/null || die "llvm-cov show failed"
	llvm-cov report "$bindir/$t" -instr-profile="$out/$t.profdata" allocator/ >"$out/report.txt" ||
		die "llvm-cov report failed"
	# one screen: per file, covered/total and cover for lines, branches, functions and regions
	# (llvm-cov report's row: regions, missed, cover, functions, missed, executed, lines, missed,
	# cover, branches, missed, cover)
	awk 'function cov(total, missed, pct) { return sprintf("%5d/%-5d %7s", total - missed, total, pct) }
	     NR == 1 { printf "%-15s %-19s %-19s %-19s %s\n", "allocator/", "lines", "branches", "functions", "regions"; next }
	     /^---/ || NF < 13 { next }
	     { printf "%-15s %s %s %s %s\n", $1, cov($8, $9, $10), cov($11, $12, $13), cov($5, $6, $7), cov($2, $3, $4) }' \
		"$out/report.txt"
	echo "coverage: $t: HTML report in $out/html/index.html; full table in $out/report.txt"
	reported=$((reported + 1))
done
[ "$reported" -gt 0 ] || die "CORPUS=$CORPUS has no folder for $TARGETS"
