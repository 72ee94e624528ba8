#!/usr/bin/env bash
# fuzz-bench.sh - how fast the fuzz targets run: exec/s of each target under libFuzzer with
# ASan+UBSan on one core, from its shipped seed corpus, beside the exec/s of an empty target
# built the same way (the ceiling), and the replay driver's time per input for the default
# program at 1, 4, 64 and 1024 nodes (boot + teardown + shutdown, no events). Not a test:
# it prints numbers. BENCH_SECONDS=30 per libFuzzer run.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${BENCH_SECONDS:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -j"$(nproc)" fuzzers replay CC=clang >/dev/null
san=$(make -s -f sanitizers/flags.mk print-SAN_FLAGS_asan_clang)

# The ceiling: the same runtime and sanitizers around a target that does nothing.
cat >"$tmp/empty.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
EOF
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer $san -o "$tmp/empty" "$tmp/empty.c"

# execs_per_sec BIN SEEDS MAX_LEN: one process, one core, SECS seconds
execs_per_sec() {
	local work="$tmp/work-$(basename "$1")"
	rm -rf "$work" && mkdir -p "$work"
	[ -d "$2" ] && cp "$2"/* "$work"/ 2>/dev/null || true
	taskset -c 0 "$1" -max_total_time="$SECS" -max_len="$3" -print_final_stats=1 "$work" \
		2>"$tmp/log" >/dev/null || true
	sed -n 's/^stat::average_exec_per_sec: *//p' "$tmp/log"
}

empty=$(execs_per_sec "$tmp/empty" /nonexistent 4096)
printf '%-12s %10s %s\n' target exec/s "(libFuzzer, ASan+UBSan, one core, ${SECS}s from the seed corpus)"
printf '%-12s %10s\n' empty "$empty"
for t in $(ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||'); do
	n=$(execs_per_sec "build/libfuzzer/$t" "build/corpus/$t" \
		"$(sed -n 's/^max_len *= *//p' "fuzz/$t.options")")
	printf '%-12s %10s  (1/%s of empty)\n' "$t" "$n" "$(awk -v e="$empty" -v n="$n" 'BEGIN { printf "%.0f", n ? e / n : 0 }')"
done

echo
printf '%-8s %12s %s\n' nodes "ms/input" "(replay, ASan+UBSan: boot, validate, teardown, shutdown of an empty program)"
for n in 1 4 64 1024; do
	printf 'boot nodes=%d cpus=4\n' "$n" >"$tmp/n.txt"
	[ "$n" -gt 8 ] && printf 'far_nodes every=1 pages=64\n' >>"$tmp/n.txt"
	build/tools/slubprog bin "$tmp/n.txt" -o "$tmp/n.bin"
	runs=$((n >= 1024 ? 3 : n >= 64 ? 20 : 200))
	start=$(date +%s%N)
	build/replay/slub_ops -runs="$runs" "$tmp/n.bin" 2>/dev/null
	end=$(date +%s%N)
	printf '%-8s %12s\n' "$n" "$(awk -v d=$((end - start)) -v r="$runs" 'BEGIN { printf "%.2f", d / r / 1e6 }')"
done
