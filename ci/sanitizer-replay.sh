#!/usr/bin/env bash
# sanitizer-replay.sh - the shipped corpus and every regression input replayed on `fixed` under
# MSan (all of them) and under valgrind memcheck (a sample: it is ~50x slower), one input per
# check. ASan+UBSan replays are ci/fuzz-tests.sh's. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

. ci/testlib.sh # flags, check, finish
export MSAN_OPTIONS="${MSAN_OPTIONS:-$(flags MSAN_OPTIONS_default)}"
read -r -a valgrind <<<"valgrind $(flags VALGRIND_FLAGS)"
VALGRIND_SAMPLE=${VALGRIND_SAMPLE:-4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for target in $(ls fuzz/slub_*.c | xargs -n1 basename | sed 's/\.c$//'); do
	# every input that must run clean on fixed: seeds, fixed findings, the seed's defects
	mapfile -t inputs < <(find "build/corpus/$target" "corpus/regressions/$target" \
		-type f ! -name '*.*' 2>/dev/null | grep -v '/open/' | sort)
	for f in "${inputs[@]}"; do
		check "msan $target $f" "build/replay-msan/$target" "$f"
	done
	for f in "${inputs[@]:0:$VALGRIND_SAMPLE}"; do
		check "valgrind $target $f" "${valgrind[@]}" "build/replay-valgrind-gcc/$target" "$f"
	done
done
finish
