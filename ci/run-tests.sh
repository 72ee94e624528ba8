#!/usr/bin/env bash
# run-tests.sh - what `make test` runs: builds every flavour the tests need, runs each suite,
# and ends with one line "N passed, N failed" summing them all. Exit status 0 only if none failed.
set -uo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
# sanitizer runtime options come from sanitizers/flags.mk, set per suite, never exported to
# all: afl-fuzz, for one, refuses an MSAN_OPTIONS it did not choose
. ci/testlib.sh # flags
total_pass=0
total_fail=0
failed_suites=()

# run_suite NAME CMD...: runs CMD, takes its last "N passed, N failed" line; a suite that
# ends without one (crash, build failure) counts as one failure.
run_suite() {
	local name=$1; shift
	local log="build/test-logs/$name.log"
	mkdir -p build/test-logs
	echo "== $name: $*"
	"$@" >"$log" 2>&1
	local rc=$?
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		echo "   no result line (exit $rc); last lines of $log:"
		tail -15 "$log" | sed 's/^/   | /'
		total_fail=$((total_fail + 1))
		failed_suites+=("$name")
		return
	fi
	local p f
	p=$(echo "$line" | awk '{print $1}')
	f=$(echo "$line" | awk '{print $3}')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	echo "   $line"
	if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
		grep -E '^(FAIL|  )' "$log" | head -20 | sed 's/^/   | /'
		[ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
		failed_suites+=("$name")
	fi
}

# build NAME make-args...: a build failure is a failed suite
build() {
	local name=$1; shift
	mkdir -p build/test-logs
	if ! make -j"$JOBS" --no-print-directory "$@" >"build/test-logs/build-$name.log" 2>&1; then
		echo "== build $name failed:"
		tail -20 "build/test-logs/build-$name.log" | sed 's/^/   | /'
		total_fail=$((total_fail + 1))
		failed_suites+=("build-$name")
		return 1
	fi
}

# Unit tests: both bootstrap variants x both NUMA paths under ASan+UBSan (clang), and the
# plain build with gcc, so both compilers stay warning-free.
for variant in "fixed 1" "seed 1" "fixed 0" "seed 0"; do
	set -- $variant
	bs=$1 numa=$2
	tag="asan-$bs-$([ "$numa" = 0 ] && echo up || echo numa)-clang"
	build "$tag" unit SAN=asan CC=clang BOOTSTRAP="$bs" NUMA="$numa" &&
		run_suite "unit-$tag" "build/unit/$tag/unit_tests"
done
build plain-fixed-numa-gcc unit SAN=plain CC=gcc BOOTSTRAP=fixed NUMA=1 &&
	run_suite unit-plain-fixed-numa-gcc build/unit/plain-fixed-numa-gcc/unit_tests

# MSan (clang, origins) over every unit test; valgrind memcheck over a sample of them in the
# plain build with client requests (it is ~50x slower); sched_ because memcheck must be told
# of every fiber stack (VALGRIND_STACK_REGISTER), 2 s.
build msan-fixed-numa-clang unit SAN=msan CC=clang BOOTSTRAP=fixed NUMA=1 &&
	run_suite unit-msan-fixed-numa-clang env MSAN_OPTIONS="$(flags MSAN_OPTIONS_default)" \
		build/unit/msan-fixed-numa-clang/unit_tests
if build valgrind-fixed-numa-gcc unit SAN=valgrind CC=gcc BOOTSTRAP=fixed NUMA=1; then
	read -r -a vg <<<"valgrind $(flags VALGRIND_FLAGS)"
	for prefix in cache_ kmalloc_krealloc merge_ sched_; do
		run_suite "unit-valgrind-$prefix" "${vg[@]}" build/unit/valgrind-fixed-numa-gcc/unit_tests "$prefix"
	done
fi

# Further suites register here (fuzz replay, smoke runs, sanitizer expectations).
for extra in ci/tests.d/*.sh; do
	[ -e "$extra" ] || continue
	# shellcheck source=/dev/null
	. "$extra"
done

echo
if [ ${#failed_suites[@]} -gt 0 ]; then
	echo "failed suites: ${failed_suites[*]} (logs in build/test-logs/)"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
