#!/usr/bin/env bash
# caller-table.sh - checks fuzz/README.md's caller table against the op table of fuzz/prog.h:
# every op of PROG_OPS is named by a row's event column, every event a row names is an op, and
# a row without an event says why ("none: ..."). Exit 0 when they agree, 1 (naming what is
# wrong) when not, 2 when a file is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
readme=${1:-fuzz/README.md}
prog=${2:-fuzz/prog.h}
for f in "$readme" "$prog"; do
	[ -f "$f" ] || { echo "caller-table: no $f" >&2; exit 2; }
done
# the ops: the quoted names of X(ID, "name", ...) lines inside #define PROG_OPS(X)
ops=$(awk '/^#define PROG_OPS\(X\)/ { on = 1 } on && /X\([A-Z_0-9]+, "/ {
		split($0, a, "\""); print a[2] }
	on && !/\\$/ { on = 0 }' "$prog" | sort -u)
[ -n "$ops" ] || { echo "caller-table: no ops found in $prog" >&2; exit 2; }
rows=$(sed -n '/<!-- caller-table -->/,/<!-- \/caller-table -->/p' "$readme" | grep '^| ' |
	tail -n +3)
[ -n "$rows" ] || { echo "caller-table: no table between the caller-table markers in $readme" >&2; exit 2; }
bad=0
# the event column: the last cell of each row
events=$(awk -F'|' '{ print $(NF-1) }' <<<"$rows")
while IFS= read -r cell; do
	if ! grep -q '`' <<<"$cell" && ! grep -q '^ *none: ' <<<"$cell"; then
		echo "caller-table: a row names no event and gives no \"none:\" reason: $cell"
		bad=1
	fi
done <<<"$events"
named=$(grep -o '`[^`]*`' <<<"$events" | tr -d '`' | sort -u)
for n in $named; do
	grep -qx -- "$n" <<<"$ops" || { echo "caller-table: the table names \`$n\`, which is no op of $prog"; bad=1; }
done
for op in $ops; do
	grep -qx -- "$op" <<<"$named" || { echo "caller-table: op \`$op\` has no row in $readme's caller table"; bad=1; }
done
[ "$bad" = 0 ] && echo "caller-table: $(wc -l <<<"$ops") ops, $(wc -l <<<"$rows") rows, all named"
exit "$bad"
