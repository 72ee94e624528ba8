#!/usr/bin/env bash
# repro.sh - what `make repro` runs: replays one input (binary or text program: the replay
# driver tells them apart) with the replay build of the flavour it came from, the strict checker
# after every event, and prints the program, each event with the page requests it made, the
# allocator dump and the report.
#
# Environment: CRASH=file (required); TARGET, BOOTSTRAP, NUMA, BUG (else the build the finding
# records: its sidecar, folder or path, ci/flavour.sh; one given that contradicts it gets a
# note); SAN=asan|msan|ubsan (the sanitizer of the replay build: ASan+UBSan, MSan, UBSan alone,
# as ClusterFuzzLite's matrix); KNOWN=<file>|none (default corpus/known/<bootstrap>.txt): the
# replay passes over those findings, says so, and reports the first other one.
# Exit status of this script: 1 if the input reproduces a finding (a known one included), 0 if it runs clean, 2 on
# usage errors (a missing file, a broken text program, a flavour that does not exist). Through
# make every failure is make's 2: its last line says "Error 1" (reproduces) or "Error 2".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh

CRASH=${CRASH:-}
[ -n "$CRASH" ] || die "usage: make repro CRASH=<input file> [TARGET=slub_ops|slub_boot] [BOOTSTRAP=fixed|seed] [SAN=asan|msan|ubsan] [KNOWN=file|none]"
[ -e "$CRASH" ] || die "$CRASH: no such file"
[ -f "$CRASH" ] || die "$CRASH: not a regular file"
[ -r "$CRASH" ] || die "$CRASH: not readable"

# which build the finding came from, read from its path where not given
for v in TARGET BOOTSTRAP NUMA BUG SAN; do [ -n "${!v:-}" ] || unset "$v"; done
FLAVOUR_WHO=repro
flavour_guess "$CRASH"
known_setup
if [ -n "$FLAVOUR_OVERRIDDEN" ]; then
	echo "repro: $CRASH is replayed on: $FLAVOUR (it came from $FLAVOUR_OVERRIDDEN)"
else
	echo "repro: $CRASH came from: $FLAVOUR"
fi
[ -n "$KNOWN_FILE" ] && echo "repro: known findings passed over, and named when met: $KNOWN_FILE (KNOWN=none for none)"
command -v clang >/dev/null || die "clang is missing (make deps installs it)"

margs=$(flavour_make_args)
# shellcheck disable=SC2086
make -s -j"$(nproc)" replay CC=clang SAN="$SAN" $margs >/dev/null ||
	die "build failed: run 'make replay CC=clang SAN=$SAN $margs' to see why"
# shellcheck disable=SC2086
bin="$(make -s --no-print-directory print-REPLAY_DIR CC=clang SAN="$SAN" $margs)/$TARGET"
san_env
tmplog=$(mktemp)
trap 'rm -f "$tmplog"' EXIT
echo "repro: $bin -vv -check-all $CRASH"
run "$bin" -vv -check-all "$CRASH" 2>&1 | tee "$tmplog"
rc=${PIPESTATUS[0]}
passed=$(known_passed "$tmplog")
case $rc in
0)
	if [ -n "$passed" ]; then
		echo "repro: $CRASH reproduces only known finding(s) on $TARGET ($FLAVOUR): $passed (from $KNOWN_FILE)"
		exit 1
	fi
	echo "repro: $CRASH runs clean on $TARGET ($FLAVOUR)$([ -n "$FLAVOUR_OVERRIDDEN" ] && echo "; it came from $FLAVOUR_OVERRIDDEN, where it may not")"
	exit 0
	;;
2) die "$CRASH was not run (see above)" ;;
esac
[ -n "$passed" ] && echo "repro: it passed over known finding(s) first: $passed (from $KNOWN_FILE)"
echo "repro: $CRASH reproduces on $TARGET ($FLAVOUR), exit status $rc"
echo "repro: as text: build/tools/slubprog text $CRASH"
exit 1
