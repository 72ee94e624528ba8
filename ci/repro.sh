#!/usr/bin/env bash
# repro.sh - what `make repro` runs: replays one input with the plain replay build (ASan +
# UBSan), the strict checker after every event, and prints the program, each event with the
# page requests it made, the allocator dump and the report.
#
# Environment: CRASH=file (required), TARGET= (else guessed from the path, else slub_ops),
# BOOTSTRAP=fixed|seed (else guessed from the path), NUMA=1|0.
# Exit status: 1 if the input reproduces a finding, 0 if it runs clean, 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.."

die() {
	echo "repro: $*" >&2
	exit 2
}

CRASH=${CRASH:-}
[ -n "$CRASH" ] || die "usage: make repro CRASH=<input file> [TARGET=slub_ops|slub_boot] [BOOTSTRAP=fixed|seed]"
[ -e "$CRASH" ] || die "$CRASH: no such file"
[ -f "$CRASH" ] || die "$CRASH: not a regular file"
[ -r "$CRASH" ] || die "$CRASH: not readable"

# which build the finding came from, read from its path where not given (ci/flavour.sh:
# target, engine, bootstrap, NUMA=0, BUG=)
. ci/flavour.sh
for v in TARGET BOOTSTRAP NUMA BUG; do [ -n "${!v:-}" ] || unset "$v"; done
flavour_guess "$CRASH"
echo "repro: $CRASH came from: $FLAVOUR"

targets=$(ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||')
TARGET=${TARGET:-}
if [ -z "$TARGET" ]; then
	# findings/<target>-<engine>..., corpus/regressions/<target>/...
	for t in $targets; do
		case "$CRASH" in *"$t"*) TARGET=$t ;; esac
	done
	TARGET=${TARGET:-slub_ops}
fi
[ -f "fuzz/$TARGET.c" ] || die "unknown TARGET=$TARGET (targets: $(echo $targets))"
BOOTSTRAP=${BOOTSTRAP:-}
if [ -z "$BOOTSTRAP" ]; then
	case "$CRASH" in *-seed/* | */seed/*) BOOTSTRAP=seed ;; *) BOOTSTRAP=fixed ;; esac
fi
case "$BOOTSTRAP" in fixed | seed) ;; *) die "BOOTSTRAP must be fixed or seed, not '$BOOTSTRAP'" ;; esac
NUMA=${NUMA:-1}
command -v clang >/dev/null || die "clang is missing (make deps installs it)"

suffix=""
[ "$BOOTSTRAP" = seed ] && suffix="-seed"
[ "$NUMA" = 0 ] && suffix="$suffix-up"
BUG=${BUG:-}
[ -n "$BUG" ] && suffix="$suffix-bug-$BUG"
make -s -j"$(nproc)" replay CC=clang SAN=asan BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" BUG="$BUG" >/dev/null ||
	die "build failed: run 'make replay CC=clang BOOTSTRAP=$BOOTSTRAP' to see why"
bin="build/replay$suffix/$TARGET"

flags=sanitizers/flags.mk
export ASAN_OPTIONS=${ASAN_OPTIONS:-$(make -s -f "$flags" print-ASAN_OPTIONS_default 2>/dev/null)}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-$(make -s -f "$flags" print-UBSAN_OPTIONS_default 2>/dev/null)}
echo "repro: $bin -vv -check-all $CRASH"
"$bin" -vv -check-all "$CRASH"
rc=$?
if [ $rc -eq 0 ]; then
	echo "repro: $CRASH runs clean on $TARGET ($BOOTSTRAP)"
	exit 0
fi
echo "repro: $CRASH reproduces on $TARGET ($BOOTSTRAP), exit status $rc"
echo "repro: as text: build/tools/slubprog text $CRASH"
exit 1
