#!/usr/bin/env bash
# misuse.sh - expected-failure tests: builds each tests/misuse/*.c in the flavour its header
# names, runs it, and passes only if it was stopped (non-zero exit) with a report matching
# every "// expect:" line. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

flag() { make -s --no-print-directory -f sanitizers/flags.mk "print-$1"; }
out=build/misuse
mkdir -p "$out"
pass=0 fail=0
base_cflags="$(flag COMMON_CFLAGS) -O1 -Iallocator/include -Iallocator -Itests/misuse"

for src in tests/misuse/*.c; do
	name=$(basename "$src" .c)
	flavour=$(sed -n 's|^// flavour: *||p' "$src" | head -1)
	mapfile -t expects < <(sed -n 's|^// expect: *||p' "$src")
	defs="" cc=clang env_opts=() runner=()
	case "$flavour" in
	asan) flags=$(flag SAN_FLAGS_asan) env_opts=(ASAN_OPTIONS="$(flag ASAN_OPTIONS_default)") ;;
	asan-seed) flags=$(flag SAN_FLAGS_asan) defs=-DSLUB_BOOTSTRAP_SEED
		env_opts=(ASAN_OPTIONS="$(flag ASAN_OPTIONS_default)") ;;
	msan) flags=$(flag SAN_FLAGS_msan) env_opts=(MSAN_OPTIONS="$(flag MSAN_OPTIONS_default)") ;;
	valgrind) flags=$(flag SAN_FLAGS_valgrind) cc=gcc runner=(valgrind $(flag VALGRIND_FLAGS)) ;;
	plain) flags="" ;;
	*) echo "FAIL $name: unknown flavour '$flavour'"; fail=$((fail + 1)); continue ;;
	esac
	if [ ${#expects[@]} -eq 0 ]; then
		echo "FAIL $name: no '// expect:' line"; fail=$((fail + 1)); continue
	fi
	bin="$out/$name"
	# shellcheck disable=SC2086
	if ! $cc $base_cflags $flags $defs allocator/*.c "$src" -o "$bin" 2>"$bin.build.log"; then
		echo "FAIL $name: build failed"; sed 's/^/  | /' "$bin.build.log" | head -20
		fail=$((fail + 1)); continue
	fi
	env "${env_opts[@]}" "${runner[@]}" "$bin" >"$bin.out" 2>&1
	rc=$?
	ok=1 why=""
	if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then
		ok=0 why="not stopped (exit $rc)"
	fi
	for re in "${expects[@]}"; do
		if ! grep -Eq -- "$re" "$bin.out"; then
			ok=0 why="${why:+$why; }no match for /$re/"
		fi
	done
	if [ $ok -eq 1 ]; then
		echo "PASS $name ($flavour, exit $rc)"; pass=$((pass + 1))
	else
		echo "FAIL $name ($flavour): $why"; sed 's/^/  | /' "$bin.out" | head -30
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
