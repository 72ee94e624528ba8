#!/usr/bin/env bash
# triage.sh - what `make triage DIR=...` runs, and the finding list `make fuzz` and
# `make fuzz-batch` end with (the same code, so the three print the same list).
# Every finding under DIR is replayed with the replay build of the flavour it came from
# (ci/flavour.sh: its sidecar, folder or path) and the known list of that flavour
# (ci/flavour.sh known_setup). A replay reports the first finding the known list does not name
# and says which known ones it passed; an oracle finding is then masked and the input replayed
# again, so that an input holding two findings yields both (its chain; the fuzzer goes on past
# an oracle finding in the same way). A sanitizer report ends the chain.
# Cause, not wording: for a seed or BUG= build each distinct finding is replayed on `fixed`
# (same NUMA) and, for seed, on `fixed` with each SLUB_HISTORY_CATALOG entry of allocator/bugs.h
# alone (BUG=<entry>: the seed is exactly fixed plus those; the builds are made on demand and
# kept in build/replay-bug-<entry>/, make's own cache); it is named by the entries whose build
# shows it. A BUG=<entry> build's findings are that entry's unless `fixed` shows them too.
# Findings are then grouped by cause, then by signature (ci/signature.sh, always from the
# symbolised replay build, whichever engine found the input). Listed first: findings `fixed`
# shows (a defect of fixed or of the harness), then new-defect candidates (no single entry
# shows it and fixed does not), then one line per cause.
#
# Inputs: the engines' finding files (crash-*, leak-*, timeout-*, oom-*, crashes*/id:*), the
# known findings' kept inputs (known*/<NAME>), make minimize's *.min; in a folder without any,
# every file that is an input (binary or text program; X.txt beside X is X's text, counted once).
# Never what the workflows derive: C files, logs, notes, executables, sidecars, a .min's own
# .min.txt, the repro/ and triage/ folders. An input that runs clean is listed apart.
# Environment: DIR (required): a findings folder or any folder of inputs; TARGET/BOOTSTRAP/
# NUMA/BUG/KNOWN override what the findings record (with a note); FILES: a newline-separated list
# of inputs instead of DIR's (make fuzz: this run's); OUT: the report folder (default DIR/triage,
# or findings/triage/<DIR> for a folder of the shipped tree, which triage never writes into);
# CAUSE=0 skips the cause replays; CAUSE_ENTRIES="A B" tries only those entries (the tests).
# Exit status: 0 when triaged (findings or not), 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh
FLAVOUR_WHO=triage

DIR=${DIR:-}
[ -n "$DIR" ] || die "usage: make triage DIR=<findings folder> [BOOTSTRAP=] [TARGET=] [KNOWN=]"
[ -e "$DIR" ] || die "$DIR: no such folder"
[ -d "$DIR" ] || die "$DIR is a file, not a folder of findings (make repro CRASH=$DIR replays one input)"
DIR=${DIR%/}
if [ -n "${OUT:-}" ]; then
	out=$OUT
elif [ -n "$(git ls-files -- "$DIR" 2>/dev/null | head -1)" ]; then
	# a folder of the shipped tree (corpus/regressions, ...): its reports are a build product
	out="findings/triage/$(tr '/' '_' <<<"$DIR")"
else
	out="$DIR/triage"
fi
given_target=${TARGET:-} given_bs=${BOOTSTRAP:-} given_numa=${NUMA:-} given_bug=${BUG:-}

# derived files are no inputs: C files, logs, notes, executables (prog2c's), a .min's text,
# afl-fuzz's own bookkeeping (a campaign without crashes once listed it as 5 inputs "ran clean")
derived() { # FILE
	case "$1" in
	*.c | *.log | *.why | *.md | *.png | *.dat | *.html | *.build | *.sig | *.count | */build | \
		*/README* | */summary* | */.* | */known.txt | */known.[0-9]*.txt | */known*/NEW_*) return 0 ;;
	*/cmdline | */fuzz_bitmap | */fuzzer_setup | */fuzzer_stats | */plot_data) return 0 ;;
	*.min.txt) [ -f "${1%.txt}" ] && return 0 ;;
	esac
	[ -x "$1" ] && [ "$(head -c 4 "$1")" = $'\x7fELF' ] && return 0
	return 1
}
inputs() { # the engines' names for findings (NAMES=engine), or every file (NAMES=any)
	find "$DIR" \( -path "$out" -o -path '*/repro' -o -path '*/triage' -o -path '*/queue' \
		-o -path '*/corpus' -o -path '*/seeds' -o -path '*/.synced' -o -path '*/plots' \) -prune \
		-o -type f -print | sort |
		while read -r f; do
			derived "$f" && continue
			if [ "$1" = engine ]; then
				case "$f" in
				*/crash-* | */leak-* | */timeout-* | */oom-* | *.min | *.min.txt) ;;
				*/crashes*/id:*) ;;
				*/known*/[A-Z]*) ;;
				*) continue ;;
				esac
			fi
			echo "$f"
		done |
		# X.txt beside X is X's text form (the shipped regressions): one input
		awk '{ f[NR] = $0; have[$0] = 1 } END { for (i = 1; i <= NR; i++) { b = f[i]; sub(/\.txt$/, "", b); if (b == f[i] || !(b in have)) print f[i] } }'
}
if [ -n "${FILES:-}" ]; then
	mapfile -t files < <(grep . <<<"$FILES")
else
	mapfile -t files < <(inputs engine)
	[ ${#files[@]} -gt 0 ] || mapfile -t files < <(inputs any)
fi
echo "triage: ${#files[@]} input(s) under $DIR; reports go to $out/"
rm -rf "$out" && mkdir -p "$out/logs" "$out/known"
[ ${#files[@]} -gt 0 ] || { echo "triage: nothing to triage"; exit 0; }

# the replay's sanitizer options, symbolised whatever the caller's (AFL++'s are not): the
# signatures name functions, the same for both engines
san_env
export ASAN_OPTIONS="$ASAN_OPTIONS:symbolize=1" UBSAN_OPTIONS="$UBSAN_OPTIONS:print_stacktrace=1"

declare -A built=()
replay_dir() { # make args: where that flavour's replay drivers are (fuzz/fuzz.mk says)
	# shellcheck disable=SC2068
	make -s --no-print-directory print-REPLAY_DIR CC=clang SAN=asan $@
}
build_replay() { # make args: the replay build of that flavour, once per run (make keeps it)
	[ -n "${built[$*]:-}" ] && return 0
	[ -d "$(replay_dir "$@")" ] ||
		echo "triage: building the replay driver for $* (kept in build/ for the next time)" >&2
	# shellcheck disable=SC2068
	make -s -j"$(nproc)" replay CC=clang SAN=asan $@ >/dev/null 2>&1 ||
		die "build failed: make replay CC=clang $*"
	built[$*]=1
}

# chain BIN FILE KNOWNFILE LOGBASE: FILE's findings on BIN, in order, one a line
# "known<TAB>NAME<TAB>signature" (passed over: on the known list) or "new<TAB>-<TAB>signature";
# nothing when it runs clean. An oracle finding is masked (added to a copy of the known list)
# and the input replayed again, up to 8 times; a sanitizer report, a timeout or "not run" ends it.
chain() {
	local bin=$1 f=$2 known=$3 logb=$4 mask="$4.mask" how="" i sig log rc
	[[ "$mask" == /* ]] || mask=$PWD/$mask
	if [ -n "$known" ]; then cp "$known" "$mask"; else : >"$mask"; fi
	for ((i = 1; i <= 8; i++)); do
		log="$logb.$i.log"
		SLUBFUZZ_KNOWN=$mask bash -c '"$@"; exit $?' run timeout -k 5 120 "$bin" $how -v "$f" >"$log" 2>&1
		rc=$?
		if [ $i = 1 ] && [ $rc = 0 ] && [ -z "$how" ] && ! grep -aq '==slubfuzz== KNOWN' "$log"; then
			# the fuzzer ends some inputs with a real shutdown rather than the warm leak
			# check (fuzz/machine.c): one that runs clean warm is tried -cold too
			how=-cold
			SLUBFUZZ_KNOWN=$mask bash -c '"$@"; exit $?' run timeout -k 5 120 "$bin" $how -v "$f" >"$log" 2>&1
			rc=$?
		fi
		[ $rc = 2 ] && { printf 'new\t-\tnone :: not run: %s\n' "$(grep -am1 '^replay: ' "$log")"; return; }
		grep -aoE '==slubfuzz== KNOWN [A-Za-z0-9_]+ \(not fatal; counted\): .*' "$log" |
			sed -E 's/^==slubfuzz== KNOWN ([A-Za-z0-9_]+) \(not fatal; counted\): /\1\t/' |
			grep -v '^CHAIN_' | while IFS=$'\t' read -r name s; do printf 'known\t%s\t%s\n' "$name" "$s"; done
		sig=$(bash ci/signature.sh "$log")
		[ "$sig" = "none :: ran clean" ] || [[ "$sig" == "known "* ]] && return
		printf 'new\t-\t%s\n' "$sig"
		[[ "$sig" == "FINDING :: "* ]] || return
		printf 'CHAIN_%d %s\n' "$i" "$(sed 's/[][*?\\]/\\&/g' <<<"$sig")" >>"$mask"
	done
}

# ---- every input: its flavour, its replay build, its chain ----
rows="$out/.rows" # flavour-args <TAB> kind <TAB> name <TAB> signature <TAB> size <TAB> file <TAB> reproduce
: >"$rows"
n=0
for f in "${files[@]}"; do
	TARGET=$given_target BOOTSTRAP=$given_bs NUMA=$given_numa BUG=$given_bug
	for v in TARGET BOOTSTRAP NUMA BUG; do [ -n "${!v}" ] || unset "$v"; done
	FLAVOUR_NOTES=$out/notes flavour_guess "$f"
	known_setup
	margs=$(flavour_make_args)
	build_replay "$margs"
	n=$((n + 1))
	bin="build/replay$SUFFIX/$TARGET"
	fl="$TARGET $margs KNOWN=${KNOWN_FILE:-none}"
	ch=$(chain "$bin" "$f" "$KNOWN_FILE" "$out/logs/$n" | awk '!s[$0]++')
	[ -n "$ch" ] || ch=$(printf 'new\t-\tnone :: ran clean')
	while IFS=$'\t' read -r kind name sig; do
		[[ "$sig" == "none :: not run"* ]] && echo "triage: $f was not run: ${sig#none :: not run: }" >&2
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$fl" "$kind" "$name" "$sig" "$(stat -c %s "$f")" "$f" \
			"$(flavour_repro "$f")" >>"$rows"
	done <<<"$ch"
	printf '%s\n' "$f" >"$out/logs/$n.input"
done
[ -s "$out/notes" ] && sort -u "$out/notes" | head -3 >&2 && [ "$(sort -u "$out/notes" | wc -l)" -gt 3 ] && echo "triage: (and more such notes: $out/notes)" >&2

# ---- each distinct finding: its smallest input, then its cause ----
# key: the flavour and the finding (a known one by its name, a new one by its signature)
keyed="$out/.keyed"
awk -F'\t' '$4 !~ /^none :: / { k = $1 "\t" ($2 == "known" ? "known " $3 : $4); print k "\t" $5 "\t" $6 "\t" $7 "\t" $4 }' "$rows" |
	sort -t$'\t' -k1,2 -k3,3n >"$keyed"
history=$(sed -n '/^#define SLUB_HISTORY_CATALOG/,/^$/p' allocator/bugs.h | grep -oE '^[[:space:]]*X\([A-Z0-9_]+,' |
	sed -E 's/^[[:space:]]*X\(//; s/,$//')
[ -n "${CAUSE_ENTRIES:-}" ] && history=$CAUSE_ENTRIES
declare -A chains=()
shows() { # FLAVOUR-ARGS(target BOOTSTRAP= NUMA= BUG= KNOWN=) FILE KEY BUGNAME: does the build show KEY?
	local fl=$1 f=$2 key=$3 bug=$4 tgt numa known bin id c
	read -r tgt _ numa _ known <<<"$fl"
	numa=${numa#NUMA=} known=${known#KNOWN=}
	[ "$known" = none ] && known=""
	build_replay "BOOTSTRAP=fixed NUMA=$numa BUG=$bug"
	bin="$(replay_dir "BOOTSTRAP=fixed NUMA=$numa BUG=$bug")/$tgt"
	id="$bin $f"
	if [ -z "${chains[$id]+x}" ]; then
		chains[$id]=$(chain "$bin" "$f" "$known" "$out/logs/cause.$RANDOM")
	fi
	c=${chains[$id]}
	if [[ "$key" == "known "* ]]; then
		awk -F'\t' -v n="${key#known }" '$1 == "known" && $2 == n { f = 1 } END { exit !f }' <<<"$c"
	else
		awk -F'\t' -v s="$key" '$1 == "new" && $3 == s { f = 1 } END { exit !f }' <<<"$c"
	fi
}
causes="$out/.causes" # cause <TAB> flavour <TAB> key <TAB> count <TAB> smallest <TAB> size <TAB> reproduce
: >"$causes"
t0=$(date +%s)
attributed=0
while IFS=$'\t' read -r fl key; do
	krows=$(awk -F'\t' -v a="$fl" -v b="$key" '$1 == a && $2 == b' "$keyed")
	count=$(cut -f4 <<<"$krows" | sort -u | wc -l) # inputs, not lines (one input: several wordings)
	IFS=$'\t' read -r _ _ size small cmd _ <<<"$(head -1 <<<"$krows")"
	read -r _ bs _ bug _ <<<"$fl"
	bs=${bs#BOOTSTRAP=} bug=${bug#BUG=}
	cause=""
	if [ "${CAUSE:-1}" = 0 ]; then
		cause="?"
	elif [ "$bs" = fixed ] && [ -z "$bug" ]; then
		cause="fixed"
	elif shows "$fl" "$small" "$key" ""; then
		cause="fixed"
		attributed=$((attributed + 1))
	elif [ "$bs" = fixed ]; then
		cause=$bug # fixed plus that one entry: nothing else can show it
		attributed=$((attributed + 1))
	else
		echo "triage: the cause of: $key ($small): fixed and $(wc -w <<<"$history") catalog entries" >&2
		for e in $history; do shows "$fl" "$small" "$key" "$e" && cause="${cause:+$cause, }$e"; done
		[ -n "$cause" ] || cause="new"
		attributed=$((attributed + 1))
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cause" "$fl" "$key" "$count" "$small" "$size" "$cmd" >>"$causes"
done < <(cut -f1,2 "$keyed" | uniq)
[ "$attributed" -gt 0 ] && echo "triage: the causes of $attributed finding(s) took $(($(date +%s) - t0)) s" >&2

# ---- the list: fixed first, then new-defect candidates, then by cause; one report each ----
clean=$(awk -F'\t' '$4 ~ /^none :: / { sub(/^none :: /, "", $4); print $6 " (" $4 ")" }' "$rows" | sort -u)
nin=${#files[@]}
# one entry per cause (fixed, new: per finding), its findings sorted, smallest input first
awk -F'\t' 'BEGIN { OFS = "\t" } { e = ($1 == "fixed" || $1 == "new" || $1 == "?") ? $1 "\t" $3 : $1 "\t"; r = ($1 == "fixed") ? 0 : ($1 == "new") ? 1 : ($1 == "?") ? 3 : 2; print r, e, $0 }' "$causes" |
	sort -t$'\t' -k1,1n -k2,3 -k9,9n >"$causes.sorted"
summary="$out/summary.txt"
ncause=$(cut -f1-3 "$causes.sorted" | sort -u | grep -c .)
sample() { # KEY: a known finding's signature, for the list
	awk -F'\t' -v k="$1" '$2 == k { print $6; exit }' "$keyed"
}
{
	echo "# findings of $DIR: $nin input(s); $ncause distinct by cause ($(grep -c . "$causes") by signature)$([ -n "$clean" ] && echo "; $(grep -c . <<<"$clean") input(s) without a finding")"
	[ -n "${CAUSE_ENTRIES:-}" ] && echo "# (causes tried: fixed and CAUSE_ENTRIES=$CAUSE_ENTRIES only)"
	k=0
	while IFS=$'\t' read -r _ c1 c2; do
		k=$((k + 1))
		entry=$(awk -F'\t' -v a="$c1" -v b="$c2" '$2 == a && $3 == b' "$causes.sorted" | cut -f4-)
		IFS=$'\t' read -r cause fl key count small size cmd <<<"$(sort -t$'\t' -k6,6n <<<"$entry" | head -1)"
		case "$cause" in
		fixed) echo "$k. ON FIXED (a defect of fixed or of the harness: no catalog entry needed): $key" ;;
		new) echo "$k. NEW DEFECT CANDIDATE (no single catalog entry shows it, fixed does not): $key" ;;
		"?") echo "$k. $key" ;;
		*) echo "$k. cause: $cause" ;;
		esac
		report="$out/finding-$k.txt"
		: >"$report"
		while IFS=$'\t' read -r _ fl key count small2 size2 _; do
			s=$key
			[[ "$key" == "known "* ]] && s="$key: $(sample "$key")"
			case "$cause" in fixed | new | "?") ;; *) echo "     $s ($count input(s))" ;; esac
			{
				echo "finding: $s"
				echo "cause: $cause; flavour: $fl"
				echo "inputs: $count; smallest: $small2 ($size2 bytes)"
				echo "== every input of it"
				awk -F'\t' -v a="$fl" -v b="$key" '$1 == a && $2 == b { print "  " $4 }' "$keyed"
				echo "== the smallest one's replay (replay driver, -v; the known list applied)"
				l=$(grep -lxF "$small2" "$out"/logs/*.input | head -1)
				grep -avE '^ *$' "${l%.input}.1.log" | head -150
				echo
			} >>"$report"
		done <<<"$entry"
		echo "     input: $small ($size bytes; the smallest)"
		echo "     reproduce: $cmd"
		{
			echo "reproduce: $cmd"
			echo "           make prog2c CRASH=$small    (a standalone C reproducer)"
			echo "           make minimize CRASH=$small  (fewer events, same finding)"
		} >>"$report"
	done < <(cut -f1-3 "$causes.sorted" | awk '!s[$0]++')
	[ -s "$causes" ] || echo "  no finding"
	if [ -n "$clean" ]; then
		echo "# without a finding:"
		sed 's/^/#   /' <<<"$clean"
	fi
} >"$summary"
rm -f "$out/.rows" "$out/.keyed" "$out/.causes" "$out/.causes.sorted"
cat "$summary"
echo "triage: one report per finding in $out/finding-<n>.txt (summary: $summary)"
