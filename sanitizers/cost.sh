#!/usr/bin/env bash
# cost.sh - what each build flavour costs: exec/s of the slub_ops replay driver over the shipped
# corpus (each input run RUNS times), median of 3, relative to the plain build in the same run.
# A benchmark: prints a table, asserts nothing. Usage: bash sanitizers/cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
flag() { make -s --no-print-directory -f sanitizers/flags.mk "print-$1"; }
make -s replay CC=clang SAN=plain >/dev/null
make -s replay CC=clang SAN=asan >/dev/null
make -s replay CC=clang SAN=msan >/dev/null
make -s replay CC=gcc SAN=valgrind >/dev/null
make -s corpus >/dev/null
n=$(find build/corpus/slub_ops -type f | wc -l)

# rate RUNS CMD...: median exec/s of three timed runs of CMD over the corpus
rate() {
	local runs=$1 r t0 t1 rates=()
	shift
	for r in 1 2 3; do
		t0=$(date +%s.%N)
		"$@" -runs="$runs" build/corpus/slub_ops >/dev/null 2>&1
		t1=$(date +%s.%N)
		rates+=("$(echo "$n * $runs / ($t1 - $t0)" | bc -l)")
	done
	printf '%s\n' "${rates[@]}" | sort -g | sed -n 2p
}

plain=$(rate "$RUNS" build/replay-plain/slub_ops)
asan=$(rate "$RUNS" env ASAN_OPTIONS="$(flag ASAN_OPTIONS_default)" build/replay/slub_ops)
msan=$(rate "$RUNS" env MSAN_OPTIONS="$(flag MSAN_OPTIONS_default)" build/replay-msan/slub_ops)
vg=$(rate 1 valgrind -q build/replay-valgrind-gcc/slub_ops)
echo "slub_ops replay, $n corpus inputs; $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d)"
echo "| flavour | exec/s (median of 3) | relative to plain |"
echo "| --- | ---: | ---: |"
for row in "plain $plain" "asan+ubsan $asan" "msan $msan" "valgrind $vg"; do
	set -- $row
	printf '| %s | %.0f | %.2f |\n' "$1" "$2" "$(echo "$2 / $plain" | bc -l)"
done
