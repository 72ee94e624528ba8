#!/usr/bin/env bash
# regression-decode.sh - every binary input under corpus/regressions/ still decodes to the
# program its .txt was written from: a change of the decoder (more slots, new ops, new kinds)
# must not change what a kept finding means. Prints each input that disagrees, with the
# first differing line; exit 0 when all agree, 1 when one does not, 2 without the tool.
set -uo pipefail
cd "$(dirname "$0")/.."
tool=${SLUBPROG:-build/tools/slubprog}
[ -x "$tool" ] || { echo "regression-decode: no $tool (make replay builds it)" >&2; exit 2; }
bad=0 n=0
while IFS= read -r txt; do
	bin=${txt%.txt}
	[ -f "$bin" ] || continue
	n=$((n + 1))
	if ! diff <("$tool" print "$bin" 2>&1 | grep -v '^#') <("$tool" print "$txt" 2>&1 | grep -v '^#') \
		>/tmp/regression-decode.$$ 2>&1; then
		echo "regression-decode: $bin no longer decodes to $txt: $(grep -m1 '^[<>]' /tmp/regression-decode.$$)"
		bad=1
	fi
done < <(find corpus/regressions -name '*.txt' | sort)
rm -f /tmp/regression-decode.$$
[ "$bad" = 0 ] && echo "regression-decode: $n binary regressions decode to their text form"
exit "$bad"
