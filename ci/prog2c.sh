#!/usr/bin/env bash
# prog2c.sh - what `make prog2c` (or `make reproducer`) runs: turns one input into a standalone
# C reproducer (tools/prog2c.c: the program as text and a main that runs it through the
# target's own entry point), builds it with the allocator and the harness's executor and
# oracle (the replay build's objects, in the flavour the finding came from, plus
# fuzz/<target>.c; no fuzzing runtime, no replay driver), runs it and says whether it
# reproduces.
#
# Environment: CRASH=file (required; binary or text program); TARGET, BOOTSTRAP, NUMA, BUG
# (else the build the finding records, see ci/flavour.sh); KNOWN=<file>|none (default
# corpus/known/<bootstrap>.txt): the reproducer runs with SLUBFUZZ_KNOWN set to it, and its
# header says so; OUTDIR (default findings/repro): <name>.c is
# written to OUTDIR/<target>-<engine>[-seed][-up][-bug-<NAME>]/, the binary beside it; the
# C file's header names the defines of its flavour and refuses to build without them. A text
# program keeps its .txt in the name (X.min and X.min.txt give X.min.c and X.min.txt.c).
# Exit status of this script: 1 if the reproducer reproduces a finding, 0 if it runs clean,
# 2 on usage errors (a broken text program among them) or a reproducer that does not build.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh

CRASH=${CRASH:-}
[ -n "$CRASH" ] || die "usage: make prog2c CRASH=<input file> [TARGET=] [BOOTSTRAP=] [OUTDIR=]"
[ -e "$CRASH" ] || die "$CRASH: no such file"
[ -f "$CRASH" ] || die "$CRASH: not a regular file (prog2c takes one input)"
for v in TARGET BOOTSTRAP NUMA BUG; do [ -n "${!v:-}" ] || unset "$v"; done
FLAVOUR_WHO=prog2c
flavour_guess "$CRASH"
known_setup
command -v clang >/dev/null || die "clang is missing (make deps installs it)"

outdir=${OUTDIR:-findings/repro}/$FLAVOUR_DIR
name=$(basename "$CRASH" | tr -c 'A-Za-z0-9_.\n-' '_')
src="$outdir/$name.c" bin="$outdir/$name"
margs=$(flavour_make_args)
# shellcheck disable=SC2086
make -s -j"$(nproc)" prog2c-tools replay CC=clang SAN=asan $margs >/dev/null ||
	die "build failed: run 'make prog2c-tools replay CC=clang $margs' to see why"
# shellcheck disable=SC2086
objdir=$(make -s --no-print-directory print-REPLAY_OBJDIR CC=clang SAN=asan $margs)
# the flavour's defines: the generator writes them into the C file, which needs them
defs="" gen=()
[ "$BOOTSTRAP" = seed ] && defs="-DSLUB_BOOTSTRAP_SEED" && gen+=(-D SLUB_BOOTSTRAP_SEED)
[ -n "$BUG" ] && defs="$defs -DSLUB_BUG_$BUG" && gen+=(-D "SLUB_BUG_$BUG")
[ "$NUMA" = 0 ] && defs="$defs -DSLUB_CONFIG_NONUMA" && gen+=(-nonuma)
[ -n "$KNOWN_FILE" ] && gen+=(-known "$KNOWN_FILE")

echo "prog2c: $CRASH ($FLAVOUR)"
# the folder is made once the generator took the input: a refused one leaves none behind
gen_out=$(mktemp) || die "mktemp failed"
"build/tools/prog2c-$TARGET" "${gen[@]}" "$CRASH" -o "$gen_out" ||
	{ rm -f "$gen_out"; die "prog2c failed on $CRASH"; }
mkdir -p "$outdir" && cat "$gen_out" >"$src" && rm -f "$gen_out" || die "cannot write $src"
# the replay build's allocator and harness objects (not its driver), and the target's file
harness=$(make -s --no-print-directory print-FUZZ_LIB_SRCS | tr ' ' '\n' | sed "s|^|$objdir/|; s|\.c\$|.o|" |
	paste -sd ' ' -)
cmd="clang $(flags COMMON_CFLAGS) -O1 $(flags SAN_FLAGS_asan_clang) $defs -Iallocator/include -Iallocator -Ifuzz $src fuzz/$TARGET.c $objdir/allocator/*.o $harness -o $bin"
echo "prog2c: wrote $src ($(grep -c '^	/\* *[0-9]* \*/ "' "$src") events); building it with the allocator and the harness's oracle:"
echo "  $cmd"
# shellcheck disable=SC2086
$cmd || die "the reproducer does not build: $src"
san_env
echo "prog2c: running $([ -n "$KNOWN_FILE" ] && echo "SLUBFUZZ_KNOWN=$KNOWN_FILE ")$bin"
bash -c '"$@"; exit $?' run "$bin" >"$bin.log" 2>&1 # the abort stays in the log
rc=$?
grep -m1 -E '==slubfuzz== FINDING|ERROR: [A-Za-z]+Sanitizer|runtime error:' "$bin.log" | sed 's/^/  /'
passed=$(known_passed "$bin.log")
[ -n "$passed" ] && echo "prog2c: it passed over known finding(s): $passed (SLUBFUZZ_KNOWN=$KNOWN_FILE)"
if [ $rc -eq 0 ] && [ -n "$passed" ]; then
	echo "prog2c: $bin reproduces only known finding(s): $passed (its output: $bin.log)"
	exit 1
fi
if [ $rc -eq 0 ]; then
	echo "prog2c: $bin runs clean ($(tail -1 "$bin.log"))"
	exit 0
fi
echo "prog2c: $bin reproduces (exit status $rc; its output: $bin.log)"
exit 1
