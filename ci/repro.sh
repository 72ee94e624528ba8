#!/usr/bin/env bash
# repro.sh - what `make repro` runs: replays one input (binary or text program: the replay
# driver tells them apart) with the replay build of the flavour it came from, the strict checker
# after every event, and prints the program, each event with the page requests it made, the
# allocator dump and the report.
#
# Environment: CRASH=file (required); TARGET, BOOTSTRAP, NUMA, BUG (else read from the path,
# ci/flavour.sh, e.g. clusterfuzz-testcase-minimized-<target>-...); SAN=asan|msan|ubsan (the
# sanitizer of the replay build: ASan+UBSan, MSan, UBSan alone, as ClusterFuzzLite's matrix).
# Exit status of this script: 1 if the input reproduces a finding, 0 if it runs clean, 2 on
# usage errors (a missing file, a broken text program, a flavour that does not exist). Through
# make every failure is make's 2: its last line says "Error 1" (reproduces) or "Error 2".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh

CRASH=${CRASH:-}
[ -n "$CRASH" ] || die "usage: make repro CRASH=<input file> [TARGET=slub_ops|slub_boot] [BOOTSTRAP=fixed|seed] [SAN=asan|msan|ubsan]"
[ -e "$CRASH" ] || die "$CRASH: no such file"
[ -f "$CRASH" ] || die "$CRASH: not a regular file"
[ -r "$CRASH" ] || die "$CRASH: not readable"

# which build the finding came from, read from its path where not given
for v in TARGET BOOTSTRAP NUMA BUG SAN; do [ -n "${!v:-}" ] || unset "$v"; done
flavour_guess "$CRASH"
echo "repro: $CRASH came from: $FLAVOUR"
command -v clang >/dev/null || die "clang is missing (make deps installs it)"

margs=$(flavour_make_args)
# shellcheck disable=SC2086
make -s -j"$(nproc)" replay CC=clang SAN="$SAN" $margs >/dev/null ||
	die "build failed: run 'make replay CC=clang SAN=$SAN $margs' to see why"
# shellcheck disable=SC2086
bin="$(make -s --no-print-directory print-REPLAY_DIR CC=clang SAN="$SAN" $margs)/$TARGET"
san_env
echo "repro: $bin -vv -check-all $CRASH"
run "$bin" -vv -check-all "$CRASH"
rc=$?
case $rc in
0)
	echo "repro: $CRASH runs clean on $TARGET ($FLAVOUR)"
	exit 0
	;;
2) die "$CRASH was not run (see above)" ;;
esac
echo "repro: $CRASH reproduces on $TARGET ($FLAVOUR), exit status $rc"
echo "repro: as text: build/tools/slubprog text $CRASH"
exit 1
