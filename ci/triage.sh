#!/usr/bin/env bash
# triage.sh - what `make triage DIR=...` runs: replays every finding under DIR with the replay
# build of the flavour it came from (ci/flavour.sh), groups them by bug (ci/signature.sh:
# report kind and top 3 frames in our sources, or the oracle's why line) and writes one
# report per unique bug, built around its smallest reproducer, to DIR/triage/.
#
# Inputs: the engines' finding files (crash-*, leak-*, timeout-*, oom-*, crashes*/id:*) and
# make minimize's *.min; in a folder without any, every file that is an input (binary or text
# program). Never what the workflows derive from them: C files, logs, notes, executables,
# a .min's own .min.txt, the repro/ and triage/ folders. An input that runs clean is no bug:
# it is listed apart.
# Environment: DIR (required): a findings folder (make fuzz, make fuzz-batch) or any folder of
# inputs; TARGET/BOOTSTRAP/NUMA/BUG override what the paths say.
# Exit status: 0 when triaged (findings or not), 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh

DIR=${DIR:-}
[ -n "$DIR" ] || die "usage: make triage DIR=<findings folder> [BOOTSTRAP=] [TARGET=]"
[ -d "$DIR" ] || die "$DIR: no such folder"
DIR=${DIR%/}
out="$DIR/triage"
given_target=${TARGET:-} given_bs=${BOOTSTRAP:-} given_numa=${NUMA:-} given_bug=${BUG:-}
san_env

# derived files are no inputs: C files, logs, notes, executables (prog2c's), a .min's text
derived() { # FILE
	case "$1" in
	*.c | *.log | *.why | *.md | *.png | *.dat | *.html | */README* | */summary* | */.*) return 0 ;;
	*.min.txt) [ -f "${1%.txt}" ] && return 0 ;;
	esac
	[ -x "$1" ] && [ "$(head -c 4 "$1")" = $'\x7fELF' ] && return 0
	return 1
}
inputs() { # the engines' names for findings (NAMES=engine), or every file (NAMES=any)
	find "$DIR" \( -path "$out" -o -path '*/repro' -o -path '*/triage' -o -path '*/queue' \
		-o -path '*/corpus' -o -path '*/.synced' \) -prune -o -type f -print | sort |
		while read -r f; do
			derived "$f" && continue
			if [ "$1" = engine ]; then
				case "$(basename "$f")" in
				crash-* | leak-* | timeout-* | oom-* | *.min | *.min.txt) ;;
				id:*) [[ "$f" == */crashes*/id:* ]] || continue ;;
				*) continue ;;
				esac
			fi
			echo "$f"
		done
}
mapfile -t files < <(inputs engine)
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(inputs any)
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
	bin="build/replay$SUFFIX/$TARGET"
	bash -c '"$@"; exit $?' run "$bin" -v "$f" >"$log" 2>&1
	rc=$?
	sig=$(bash ci/signature.sh "$log")
	if [ $rc -eq 2 ]; then # not run: a broken text program, say
		echo "triage: $f was not run: $(grep -m1 '^replay: ' "$log")" >&2
		sig="none :: not run"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$sig" "$(stat -c %s "$f")" "$f" "$log" "$FLAVOUR" \
		"$(flavour_repro "$f")" \
		>>"$table"
done

# one report per signature, around the smallest input; inputs that ran clean (or were not run)
# are no bug
clean=$(awk -F'\t' '$1 ~ /^none :: / { print $3 " (" substr($1, 9) ")" }' "$table")
awk -F'\t' '$1 !~ /^none :: /' "$table" >"$table.bugs"
mv "$table.bugs" "$table"
k=0
summary="$out/summary.txt"
{
	echo "# triage of $DIR: ${#files[@]} input(s), $(cut -f1 "$table" | sort -u | grep -c .) unique bug(s)$([ -n "$clean" ] && echo ", $(grep -c . <<<"$clean") without a finding")"
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
if [ -n "$clean" ]; then
	echo "# without a finding (no bug):" >>"$summary"
	sed 's/^/#   /' <<<"$clean" >>"$summary"
fi
cat "$summary"
echo "triage: one report per bug in $out/bug-<n>.txt (summary: $summary)"
