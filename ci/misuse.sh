#!/usr/bin/env bash
# misuse.sh - expected-failure tests: builds each tests/misuse/*.c in the flavour its header
# names, runs it, and passes only if it was stopped (non-zero exit) with a report matching
# every "// expect:" line. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

. ci/testlib.sh # flags, check, finish
out=build/misuse
mkdir -p "$out"
rm -rf "$out"/obj-* # the allocator is compiled anew for every run (flavour_objs)
base_cflags="$(flags COMMON_CFLAGS) -O1 -Iallocator/include -Iallocator -Itests/misuse"

# flavour_objs FLAVOUR CC FLAGS DEFS: the allocator compiled once per flavour (all cores), the
# objects' paths on stdout; a build failure prints nothing and leaves its log.
flavour_objs() {
	local dir="$out/obj-$1" cc=$2 flags=$3 defs=$4
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir" && mkdir -p "$dir"
		# shellcheck disable=SC2086
		printf '%s\n' allocator/*.c | xargs -P "$(nproc)" -I{} sh -c \
			'o="$1/$(basename "$2" .c).o"; shift 2; exec "$@" -c "$0" -o "$o"' {} "$dir" {} \
			$cc $base_cflags $flags $defs >"$dir/build.log" 2>&1 || return 0
		touch "$dir/.done"
	fi
	ls "$dir"/*.o
}

# run_one SRC FLAVOUR: builds SRC in FLAVOUR, runs it, checks its report.
run_one() {
	local src=$1 flavour=$2 name defs="" cc=clang flags
	local -a env_opts=() runner=() expects
	name="$(basename "$src" .c)-$flavour"
	mapfile -t expects < <(sed -n -e 's|^// expect: *||p' -e "s|^// expect $flavour: *||p" "$src")
	case "$flavour" in
	asan) flags=$(flags SAN_FLAGS_asan) env_opts=(ASAN_OPTIONS="$(flags ASAN_OPTIONS_default)") ;;
	asan-seed) flags=$(flags SAN_FLAGS_asan) defs=-DSLUB_BOOTSTRAP_SEED
		env_opts=(ASAN_OPTIONS="$(flags ASAN_OPTIONS_default)") ;;
	msan) flags=$(flags SAN_FLAGS_msan) env_opts=(MSAN_OPTIONS="$(flags MSAN_OPTIONS_default)") ;;
	valgrind) flags=$(flags SAN_FLAGS_valgrind) cc=gcc
		read -r -a runner <<<"valgrind $(flags VALGRIND_FLAGS)" ;;
	plain) flags=$(flags SAN_FLAGS_plain) cc=gcc ;; # the allocator's own checks report, then go on
	*) echo "FAIL $name: unknown flavour '$flavour'"; fail=$((fail + 1)); return ;;
	esac
	if [ ${#expects[@]} -eq 0 ]; then
		echo "FAIL $name: no expect line"; fail=$((fail + 1)); return
	fi
	local bin="$out/$name" objs
	objs=$(flavour_objs "$flavour" "$cc" "$flags" "$defs")
	if [ -z "$objs" ]; then
		echo "FAIL $name: the allocator does not build in $flavour"
		sed 's/^/  | /' "$out/obj-$flavour/build.log" | head -20
		fail=$((fail + 1)); return
	fi
	# shellcheck disable=SC2086
	if ! $cc $base_cflags $flags $defs $objs "$src" -o "$bin" 2>"$bin.build.log"; then
		echo "FAIL $name: build failed"; sed 's/^/  | /' "$bin.build.log" | head -20
		fail=$((fail + 1)); return
	fi
	# an inner shell reports the signal into the log, not onto our terminal
	bash -c '"$@"; exit $?' run env "${env_opts[@]}" "${runner[@]}" "$bin" >"$bin.out" 2>&1
	local rc=$? ok=1 why="" re
	# a sanitizer must stop the program; slub_debug reports and repairs, so there only the
	# report counts
	if [ "$flavour" != plain ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; }; then
		ok=0 why="not stopped (exit $rc)"
	fi
	for re in "${expects[@]}"; do
		if ! grep -Eq -- "$re" "$bin.out"; then
			ok=0 why="${why:+$why; }no match for /$re/"
		fi
	done
	if [ $ok -eq 1 ]; then
		echo "PASS $name (exit $rc)"; pass=$((pass + 1))
	else
		echo "FAIL $name: $why"; sed 's/^/  | /' "$bin.out" | head -30
		fail=$((fail + 1))
	fi
}

for src in tests/misuse/*.c; do
	flavours=$(sed -n 's|^// flavour: *||p' "$src" | head -1)
	if [ -z "$flavours" ]; then
		echo "FAIL $(basename "$src"): no flavour line"; fail=$((fail + 1)); continue
	fi
	for flavour in $flavours; do
		run_one "$src" "$flavour"
	done
done
finish
