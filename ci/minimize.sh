#!/usr/bin/env bash
# minimize.sh - what `make minimize` runs: shrinks a failing input with the engine's own
# minimiser (libFuzzer -minimize_crash=1 -runs=N, or afl-tmin), keeps only a result that
# shows the same bug as the original (ci/signature.sh: same report kind and top frames, or the
# same oracle finding), then drops the program's records one at a time while the bug stays,
# and writes the result with its program text and the events that remain.
#
# Environment: CRASH=file (required; binary or text program); TARGET, BOOTSTRAP, NUMA, BUG
# (else the build the finding records, ci/flavour.sh); KNOWN=<file>|none (default
# corpus/known/<bootstrap>.txt: the bug kept is the first finding not on it, as make repro and
# make triage report it); ENGINE=libfuzzer|afl (default: the one that found
# it, else libfuzzer); RUNS (libFuzzer -runs per step, default 3000); OUTDIR (default
# findings/minimized). The result goes to OUTDIR/<target>-<engine>[-seed][-up][-bug-<NAME>]/,
# with its build beside it (<name>.min.build, and a "# build:" line in <name>.min.txt), so that
# make repro, prog2c and triage read its flavour as from the original. An earlier .min of the
# same input is kept: the next is <name>.2.min, and so on.
# Exit status of this script: 0 with a smaller input of the same bug, 1 when nothing smaller
# keeps it (the original stays; nothing is written), 2 on usage errors or a crash that does not
# reproduce.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh

CRASH=${CRASH:-}
[ -n "$CRASH" ] || die "usage: make minimize CRASH=<input file> [TARGET=] [ENGINE=libfuzzer|afl] [RUNS=]"
[ -e "$CRASH" ] || die "$CRASH: no such file"
[ -d "$CRASH" ] && die "$CRASH is a folder: minimize takes one input (make triage DIR=$CRASH replays a folder)"
[ -f "$CRASH" ] || die "$CRASH: not a regular file"
for v in TARGET BOOTSTRAP NUMA BUG ENGINE; do [ -n "${!v:-}" ] || unset "$v"; done
FLAVOUR_WHO=minimize
flavour_guess "$CRASH"
known_setup
ENGINE=${ENGINE:-${ENGINE_FROM:-libfuzzer}}
RUNS=${RUNS:-3000}
case "$ENGINE" in libfuzzer | afl) ;; *) die "ENGINE must be libfuzzer or afl, not '$ENGINE'" ;; esac
[[ "$RUNS" =~ ^[0-9]+$ ]] && [ "$RUNS" -gt 0 ] || die "RUNS must be a positive number, not '$RUNS'"
outdir=${OUTDIR:-findings/minimized}/$FLAVOUR_DIR
name=$(basename "$CRASH" .txt)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

margs=$(flavour_make_args)
suffix=$SUFFIX
echo "minimize: $CRASH ($FLAVOUR) with $ENGINE"
# shellcheck disable=SC2086
. ci/progress.sh && progress_start "minimize: build" # a line every 10 s while it builds
make -s -j"$(nproc)" replay tools CC=clang SAN=asan $margs >/dev/null &&
	make -s -j"$(nproc)" fuzzers ENGINE="$ENGINE" $margs >/dev/null ||
	die "build failed: make fuzzers ENGINE=$ENGINE $margs"
progress_stop && san_env
replay="build/replay$suffix/$TARGET"
# the engines minimise bytes: a text program is encoded first (slubprog bytes: prog_load, the
# one place that tells the forms apart; a broken text program stops here with its line)
build/tools/slubprog bytes "$CRASH" -o "$tmp/input" 2>"$tmp/load.err" || die "$(cat "$tmp/load.err")"
orig=$CRASH
CRASH=$tmp/input

signature() { # FILE: its bug, replayed
	bash -c '"$@"; exit $?' run "$replay" "$1" >"$tmp/replay.log" 2>&1
	bash ci/signature.sh "$tmp/replay.log"
}
events() { build/tools/slubprog print "$1" | sed -n '1s/.* \([0-9]*\) events$/\1/p'; }

sig=$(signature "$CRASH")
[ "$sig" != "none :: ran clean" ] || die "$orig runs clean on $replay: nothing to minimise"
echo "minimize: the bug: $sig"
passed=$(known_passed "$tmp/replay.log")
[ -n "$passed" ] && echo "minimize: (it passes over known finding(s) first: $passed, from $KNOWN_FILE)"
echo "minimize: before: $(stat -c %s "$CRASH") bytes, $(events "$CRASH") events"

mkdir -p "$tmp/steps"
if [ "$ENGINE" = libfuzzer ]; then
	# each smaller crash libFuzzer finds lands in steps/ as minimized-from-*: the smallest
	# one of the same bug wins
	# with dedup tokens (the top frames) in the reports, libFuzzer itself stops where a step
	# turns into another sanitizer-reported bug; the oracle's findings all abort from one
	# place, so for those the signature check below does the sorting
	echo "minimize: build/libfuzzer$suffix/$TARGET -minimize_crash=1 -runs=$RUNS"
	(bin=$PWD/build/libfuzzer$suffix/$TARGET crash=$(realpath "$CRASH") && cd "$tmp" &&
		ASAN_OPTIONS="$ASAN_OPTIONS:dedup_token_length=3" \
		UBSAN_OPTIONS="$UBSAN_OPTIONS:dedup_token_length=3" "$bin" -minimize_crash=1 -runs="$RUNS" -max_total_time="${MAX_SECONDS:-120}" \
			-artifact_prefix="$tmp/steps/" "$crash" >"$tmp/minimize.log" 2>&1)
	# (its lines name files in this script's temporary folder, gone when it ends: not shown)
	echo "minimize: libFuzzer tried $(grep -c 'CRASH_MIN: minimizing crash input' "$tmp/minimize.log") step(s)"
else
	echo "minimize: afl-tmin -i $orig -- build/afl$suffix/$TARGET"
	(afl_env && afl-tmin -i "$CRASH" -o "$tmp/steps/tmin" -m none -t 5000 -- "build/afl$suffix/$TARGET") \
		>"$tmp/minimize.log" 2>&1 || { tail -5 "$tmp/minimize.log"; die "afl-tmin failed"; }
	grep -E 'Finished|reduction' "$tmp/minimize.log" | tail -2 | sed 's/^/  /'
fi

best="" other=0
while read -r _ f; do
	s=$(signature "$f")
	if [ "$s" = "$sig" ]; then
		best=$f
		break
	fi
	[ "$s" != "none :: ran clean" ] && other=$((other + 1))
done < <(for f in "$tmp"/steps/*; do [ -f "$f" ] && echo "$(stat -c %s "$f") $f"; done | sort -n)
[ -n "$best" ] || echo "minimize: no step of $ENGINE's kept this bug ($other showed another one)"

# Then the program itself: each record of its text form (an event, a node, a boot failure)
# is dropped in turn, last first, and stays dropped if the bug remains: what is left is
# needed. The engines shrink bytes; this knows events.
build/tools/slubprog text "${best:-$CRASH}" >"$tmp/cur.txt"
dropped=0
for ((i = $(wc -l <"$tmp/cur.txt"); i >= 2; i--)); do # line 1: the text form's first line
	sed "${i}d" "$tmp/cur.txt" >"$tmp/try.txt"
	build/tools/slubprog bin "$tmp/try.txt" -o "$tmp/try.bin" 2>/dev/null || continue
	if [ "$(signature "$tmp/try.bin")" = "$sig" ]; then
		mv "$tmp/try.txt" "$tmp/cur.txt"
		dropped=$((dropped + 1))
	fi
done
build/tools/slubprog bin "$tmp/cur.txt" -o "$tmp/reduced"
echo "minimize: dropping records one by one: $dropped dropped"
[ "$(signature "$tmp/reduced")" = "$sig" ] && best=$tmp/reduced

# smaller means fewer bytes in normal form: a result no smaller than the input is no result
if [ -n "$best" ] && [ "$(stat -c %s "$best")" -ge "$(stat -c %s "$CRASH")" ]; then
	best=""
fi
if [ -z "$best" ]; then
	echo "minimize: no smaller input keeps this bug; $orig stays as it is (nothing written)"
	exit 1
fi
mkdir -p "$outdir"
min="$outdir/$name.min"
k=1
while [ -e "$min" ]; do # an earlier minimisation is kept
	k=$((k + 1))
	min="$outdir/$name.$k.min"
done
[ "$k" -gt 1 ] && echo "minimize: $outdir/$name.min exists (an earlier run's): this one is $min"
cp "$best" "$min"
flavour_build_line >"$min.build"
build/tools/slubprog text "$min" -o "$min.txt" -c "minimised from $orig ($FLAVOUR) by make minimize ENGINE=$ENGINE" \
	-c "the bug: $sig" -c "build: $(flavour_build_line)"
echo "minimize: after: $(stat -c %s "$min") bytes, $(events "$min") events remain, same bug"
echo "minimize: wrote $min and its program text $min.txt"
echo "  reproduce: $(flavour_repro "$min")"
