#!/usr/bin/env bash
# coverage.sh - what `make coverage` runs, the local equivalent of ClusterFuzzLite's coverage
# mode: clang source-based coverage (SAN_FLAGS_coverage of sanitizers/flags.mk) of allocator/
# from replaying a corpus through the replay driver of every target. Writes an HTML report,
# build/coverage/html/index.html, and prints a one-screen summary with line, function, region
# and branch figures per file of allocator/.
#
# Environment: CORPUS (default: the shipped seeds, build/corpus/<target>/, and the fixed
# regressions): a folder holding <target>/ folders, e.g. findings/merged; BOOTSTRAP.
# Inputs that end in a finding still count up to the finding. Exit status: 0, or 2 when the
# build or the report fails.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/flavour.sh

die() {
	echo "coverage: $*" >&2
	exit 2
}

BOOTSTRAP=${BOOTSTRAP:-fixed}
CORPUS=${CORPUS:-}
for tool in llvm-profdata llvm-cov clang; do
	command -v "$tool" >/dev/null || die "$tool is missing (package llvm / clang; make deps)"
done
make -s -j"$(nproc)" coverage-bins corpus BOOTSTRAP="$BOOTSTRAP" >/dev/null ||
	die "build failed: run 'make coverage-bins BOOTSTRAP=$BOOTSTRAP' to see why"
bindir=build/coverage/bin$([ "$BOOTSTRAP" = seed ] && echo -seed)
prof=build/coverage/prof
html=build/coverage/html
rm -rf "$prof" "$html" && mkdir -p "$prof"

objects=()
for t in $(flavour_targets); do
	if [ -n "$CORPUS" ]; then
		dirs=("$CORPUS/$t")
	else
		dirs=("build/corpus/$t" "corpus/regressions/$t")
	fi
	mapfile -t inputs < <(find "${dirs[@]}" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.why' \
		! -name 'README*' 2>/dev/null | sort)
	echo "coverage: $t: ${#inputs[@]} input(s) from ${dirs[*]}"
	objects+=(-object "$bindir/$t")
	# one process per input: a finding (an abort) must not cost the rest their profile
	for f in "${inputs[@]}"; do
		LLVM_PROFILE_FILE="$prof/$t-%p.profraw" "$bindir/$t" "$f" >/dev/null 2>&1 ||
			echo "   $f ends in a finding (counted up to it)"
	done
done
compgen -G "$prof/*.profraw" >/dev/null || die "no profile written: no inputs?"
llvm-profdata merge -sparse "$prof"/*.profraw -o build/coverage/slubfuzz.profdata ||
	die "llvm-profdata merge failed"
# the first -object is the binary llvm-cov wants in front
bin=${objects[1]}
unset 'objects[0]' 'objects[1]'
llvm-cov show "$bin" "${objects[@]}" -instr-profile=build/coverage/slubfuzz.profdata \
	-format=html -output-dir="$html" -show-branches=count -show-line-counts-or-regions \
	-project-title="slubfuzz allocator/ ($BOOTSTRAP)" allocator/ >/dev/null || die "llvm-cov show failed"
llvm-cov report "$bin" "${objects[@]}" -instr-profile=build/coverage/slubfuzz.profdata allocator/ \
	>build/coverage/report.txt || die "llvm-cov report failed"
# one screen: per file, covered/total and cover for lines, branches, functions and regions
# (llvm-cov report's row: regions, missed, cover, functions, missed, executed, lines, missed,
# cover, branches, missed, cover)
awk 'function cov(total, missed, pct) { return sprintf("%5d/%-5d %7s", total - missed, total, pct) }
     NR == 1 { printf "%-15s %-19s %-19s %-19s %s\n", "allocator/", "lines", "branches", "functions", "regions"; next }
     /^---/ || NF < 13 { next }
     { printf "%-15s %s %s %s %s\n", $1, cov($8, $9, $10), cov($11, $12, $13), cov($5, $6, $7), cov($2, $3, $4) }' \
	build/coverage/report.txt
echo "coverage: HTML report in $html/index.html; full table in build/coverage/report.txt"
