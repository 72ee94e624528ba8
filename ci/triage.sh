#!/usr/bin/env bash
# triage.sh - what `make triage DIR=...` runs: replays every finding under DIR with the replay
# build of the flavour it came from (ci/flavour.sh), groups them by bug (ci/signature.sh:
# report kind and top 3 frames in our sources, or the oracle's why line) and writes one
# report per unique bug, built around its smallest reproducer, to DIR/triage/.
#
# Environment: DIR (required): a findings folder (make fuzz, make fuzz-batch) or any folder of
# inputs; TARGET/BOOTSTRAP/NUMA/BUG override what the paths say.
# Exit status: 0 when triaged (findings or not), 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/flavour.sh

die() {
	echo "triage: $*" >&2
	exit 2
}

DIR=${DIR:-}
[ -n "$DIR" ] || die "usage: make triage DIR=<findings folder> [BOOTSTRAP=] [TARGET=]"
[ -d "$DIR" ] || die "$DIR: no such folder"
DIR=${DIR%/}
out="$DIR/triage"
given_target=${TARGET:-} given_bs=${BOOTSTRAP:-} given_numa=${NUMA:-} given_bug=${BUG:-}
flags() { make -s --no-print-directory -f sanitizers/flags.mk "print-$1"; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-$(flags ASAN_OPTIONS_default)}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-$(flags UBSAN_OPTIONS_default)}

# the findings: the engines' names for them, else every input-looking file
mapfile -t files < <(find "$DIR" -path "$out" -prune -o -type f \( -name 'crash-*' -o -name 'leak-*' \
	-o -name 'timeout-*' -o -name 'oom-*' -o -path '*/crashes/id:*' -o -name '*.min' \) -print | sort)
if [ ${#files[@]} -eq 0 ]; then
	mapfile -t files < <(find "$DIR" -path "$out" -prune -o -path '*/repro' -prune -o -type f \
		! -name '*.txt' ! -name '*.why' ! -name '*.log' ! -name '*.c' ! -name 'README*' \
		! -name 'summary*' ! -name '.*' -print | sort)
fi
echo "triage: ${#files[@]} input(s) under $DIR; reports go to $out/"
rm -rf "$out" && mkdir -p "$out/logs"
[ ${#files[@]} -gt 0 ] || { echo "triage: nothing to triage"; exit 0; }

declare -A built=()
table="$out/.table"
: >"$table"
n=0
for f in "${files[@]}"; do
	TARGET=$given_target BOOTSTRAP=$given_bs NUMA=$given_numa BUG=$given_bug
	for v in TARGET BOOTSTRAP NUMA BUG; do [ -n "${!v}" ] || unset "$v"; done
	flavour_guess "$f"
	margs=$(flavour_make_args)
	if [ -z "${built[$margs]:-}" ]; then
		# shellcheck disable=SC2086
		make -s -j"$(nproc)" replay CC=clang SAN=asan $margs >/dev/null 2>&1 ||
			die "build failed: make replay CC=clang $margs"
		built[$margs]=1
	fi
	n=$((n + 1))
	log="$out/logs/$n.log"
	bin="build/replay$(flavour_suffix)/$TARGET"
	bash -c '"$@"; exit $?' run "$bin" -v "$f" >"$log" 2>&1
	sig=$(bash ci/signature.sh "$log")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$sig" "$(stat -c %s "$f")" "$f" "$log" "$FLAVOUR" \
		"make repro CRASH=$f TARGET=$TARGET BOOTSTRAP=$BOOTSTRAP$([ "$NUMA" = 0 ] && echo ' NUMA=0')$([ -n "$BUG" ] && echo " BUG=$BUG")" \
		>>"$table"
done

# one report per signature, around the smallest input
k=0
summary="$out/summary.txt"
{
	echo "# triage of $DIR: ${#files[@]} input(s), $(cut -f1 "$table" | sort -u | wc -l) unique bug(s)"
	echo "# bug  inputs  smallest  signature"
} >"$summary"
while IFS= read -r sig; do
	k=$((k + 1))
	rows=$(awk -F'\t' -v s="$sig" '$1 == s' "$table" | sort -t$'\t' -k2,2n)
	count=$(wc -l <<<"$rows")
	IFS=$'\t' read -r _ size small log flav cmd <<<"$(head -1 <<<"$rows")"
	report="$out/bug-$k.txt"
	{
		echo "bug $k: $sig"
		echo "inputs: $count; smallest: $small ($size bytes; $flav)"
		echo "reproduce: $cmd"
		echo "           make prog2c CRASH=$small    (a standalone C reproducer)"
		echo "           make minimize CRASH=$small  (fewer events, same bug)"
		echo
		echo "== every input of this bug"
		cut -f3 <<<"$rows" | sed 's/^/  /'
		echo
		echo "== the smallest one's run (replay driver, -v)"
		grep -vE '^ *$' "$log" | head -150
	} >"$report"
	printf '%-5s %-7s %-8s %s\n' "$k" "$count" "$size" "$sig" >>"$summary"
done < <(cut -f1 "$table" | sort | uniq -c | sort -rn | sed -E 's/^ *[0-9]+ //')
rm -f "$table"
cat "$summary"
echo "triage: one report per bug in $out/bug-<n>.txt (summary: $summary)"
