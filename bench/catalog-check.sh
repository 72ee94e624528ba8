#!/usr/bin/env bash
# catalog-check.sh - the bug catalog is what the code says it is: every X(NAME, ...) entry of
# allocator/bugs.h is tested as SLUB_BUG_<NAME> somewhere in allocator/*.c and every
# SLUB_BUG_<NAME> tested there is an entry; each entry's "where" names a file that uses it; and
# the allocator compiles (-fsyntax-only, warnings as errors) with each entry alone and with the
# seed variant; every SEED_/UPSTREAM_ entry's row in allocator/README.md names, in its "caught
# by" column, a shipped seed or regression that exists (`target/name` or `name` in backquotes;
# ci/fuzz-tests.sh checks that each regression under seed/ reproduces there), or says "every
# input", or says "unit test only: <why no program can reach it>". Deterministic, no timing (the
# timings are bench/ttb.sh's). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
. ci/testlib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

mapfile -t catalog < <(sed -n 's/^[[:space:]]*X(\([A-Z0-9_]*\),.*/\1/p' allocator/bugs.h)
# names tested in the code: #if/#ifdef/defined(...) uses, not the catalog macro itself
mapfile -t used < <(grep -ho 'SLUB_BUG_[A-Z0-9_]*' allocator/*.c | sed 's/^SLUB_BUG_//' |
	grep -vx 'CATALOG' | sort -u)

[ ${#catalog[@]} -ge 12 ] && ok "catalog has ${#catalog[@]} entries (at least 12)" ||
	bad "catalog has ${#catalog[@]} entries, fewer than 12"
dups=$(printf '%s\n' "${catalog[@]}" | sort | uniq -d | tr '\n' ' ')
[ -z "$dups" ] && ok "catalog names are unique" || bad "catalog names repeated: $dups"

for name in "${catalog[@]}"; do
	files=$(grep -l "SLUB_BUG_$name\b" allocator/*.c | tr '\n' ' ')
	if [ -z "$files" ]; then
		bad "$name: in bugs.h, but no allocator/*.c tests SLUB_BUG_$name"
		continue
	fi
	where=$(sed -n "s/^[[:space:]]*X($name, *\"\([^\":]*\).*/\1/p" allocator/bugs.h)
	if [[ " $files" == *" allocator/$where "* ]]; then
		ok "$name: used in ${files% }"
	else
		bad "$name: bugs.h says $where, the code uses it in ${files% }"
	fi
done
for name in "${used[@]}"; do
	printf '%s\n' "${catalog[@]}" | grep -qx "$name" ||
		bad "SLUB_BUG_$name is tested in allocator/*.c but is not in the catalog"
done
[ ${#used[@]} -gt 0 ] && ok "every SLUB_BUG_<NAME> in allocator/*.c is a catalog entry (${#used[@]} names)"

# reached NAME: the catalog row's "caught by" column (its last) names a shipped seed or
# regression that exists, says "every input", or says "unit test only: <reason>"
reached() {
	local row cell n f
	row=$(grep -F "| \`$1\` |" allocator/README.md | head -1)
	[ -n "$row" ] || { echo "no row in allocator/README.md's catalog table"; return 1; }
	cell=$(awk -F'|' '{ print $(NF-1) }' <<<"$row")
	grep -q 'unit test only: [a-z]' <<<"$cell" && { echo "unit test only (the row says why)"; return 0; }
	grep -q 'every input' <<<"$cell" && { echo "every input"; return 0; }
	for n in $(grep -o '`[^`]*`' <<<"$cell" | tr -d '`'); do
		[[ "$n" =~ ^[a-z0-9_/]+$ ]] || continue
		for f in corpus/*/"${n##*/}".txt corpus/regressions/*/"${n##*/}" \
			corpus/regressions/*/seed/"${n##*/}" corpus/regressions/*/open/"${n##*/}"; do
			[ -f "$f" ] && { echo "$f"; return 0; }
		done
	done
	echo "its \"caught by\" names no shipped seed or regression and no \"unit test only: <reason>\""
	return 1
}
for name in "${catalog[@]}"; do
	[[ "$name" == SEED_* || "$name" == UPSTREAM_* ]] || continue
	if how=$(reached "$name"); then
		ok "$name: reached by $how"
	else
		bad "$name: $how"
	fi
done

# compiles DEF: every allocator/*.c passes -fsyntax-only with the common warnings as errors
cc=$(command -v clang || command -v cc)
warn=$(make -s -f sanitizers/flags.mk print-COMMON_CFLAGS 2>/dev/null)
compiles() {
	local f rc=0
	for f in allocator/*.c; do
		# shellcheck disable=SC2086
		"$cc" $warn -Iallocator/include -Iallocator "$1" -fsyntax-only "$f" || rc=1
	done
	return $rc
}
for def in "${catalog[@]/#/-DSLUB_BUG_}" -DSLUB_BOOTSTRAP_SEED; do
	check "allocator compiles with $def" compiles "$def" && echo "ok   allocator compiles with $def"
done

finish
