# testlib.sh - sourced by the suites under ci/: the pass/fail count, check, and the closing
# line "N passed, N failed" that ci/run-tests.sh sums.
pass=0
fail=0

# check NAME CMD...: one test; its output goes to $tmp/out (the suite's scratch directory)
# and is shown only when it fails.
check() {
	local name=$1
	shift
	# ONLY=regex runs just the checks whose names match (for working on one)
	[ -z "${ONLY:-}" ] || [[ "$name" =~ $ONLY ]] || return 0
	if ("$@"; exit $?) >"${tmp:?check needs the suite tmp directory}/out" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		tail -25 "$tmp/out" | sed 's/^/  | /'
	fi
}

# finish: the closing line; the status says whether anything failed.
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# ---- shared by every script under ci/ (and bench/): one copy of each helper ----

# die MESSAGE: a usage or build error of the calling script ("repro: ..."), exit status 2
die() {
	echo "$(basename "$0" .sh): $*" >&2
	exit 2
}

# flags NAME: a value of sanitizers/flags.mk, the one source of flags and runtime options
flags() { make -s --no-print-directory -f sanitizers/flags.mk "print-$1"; }

# san_env: the sanitizers' runtime options of flags.mk, unless the caller chose their own
san_env() {
	export ASAN_OPTIONS=${ASAN_OPTIONS:-$(flags ASAN_OPTIONS_default)}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-$(flags UBSAN_OPTIONS_default)}
	export MSAN_OPTIONS=${MSAN_OPTIONS:-$(flags MSAN_OPTIONS_default)}
}

# afl_mutator: where the schedule mutator's library is (fuzz/fuzz.mk's AFLMUT)
afl_mutator() { make -s --no-print-directory print-AFLMUT; }
# afl_env: AFL++ unattended (AFL_RUN_ENV of flags.mk), its targets' sanitizer options, and the
# schedule mutator (fuzz/mutate.c; `make fuzzers ENGINE=afl` builds it) unless
# SLUBFUZZ_SCHED_MUTATE=0
afl_env() {
	local v AFL_MUTATOR
	for v in $(flags AFL_RUN_ENV); do export "${v?}"; done
	if [ "${SLUBFUZZ_SCHED_MUTATE:-1}" != 0 ]; then
		AFL_MUTATOR=$(afl_mutator)
		if [ -f "$AFL_MUTATOR" ]; then
			export AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/$AFL_MUTATOR"
		else
			echo "afl_env: no $AFL_MUTATOR (make fuzzers ENGINE=afl builds it):" \
				"AFL++ runs without the schedule mutator" >&2
		fi
	fi
	ASAN_OPTIONS=$(flags ASAN_OPTIONS_afl)
	UBSAN_OPTIONS=$(flags UBSAN_OPTIONS_afl)
	export ASAN_OPTIONS UBSAN_OPTIONS
	unset MSAN_OPTIONS # afl-fuzz refuses one without exit_code=86; nothing here runs MSan
}

# afl_reap DIR...: ends every process afl-fuzz left holding DIR open (an AFL++ output folder).
# afl-fuzz starts its fork servers (the CMPLOG one too) in sessions of their own, so a process
# group kill misses them: a stopped CMPLOG server would keep the folder "in use" for the next
# run. They are found by the folder they hold, so nothing of anyone else's is touched.
afl_reap() {
	local d real p fd left
	for d in "$@"; do
		[ -d "$d" ] || continue
		real=$(realpath "$d")
		for p in /proc/[0-9]*; do
			[ "${p#/proc/}" != $$ ] || continue
			for fd in "$p"/fd/*; do
				case "$(readlink "$fd" 2>/dev/null)" in
				"$real" | "$real"/*)
					kill -KILL "${p#/proc/}" 2>/dev/null
					break
					;;
				esac
			done
		done
	done
	return 0
}

# reap_children PID...: ends the given process groups (started with setsid) and whatever
# still holds the AFL++ output folders listed in AFL_OUTS; the scripts call it at the end and
# on a signal, so that no fuzzer outlives its run.
AFL_OUTS=()
reap_children() {
	local p
	for p in "$@"; do kill -KILL -- "-$p" 2>/dev/null; done
	afl_reap "${AFL_OUTS[@]}"
}

# run CMD...: runs CMD with its own output as it is, and its exit status; a death by signal (a
# finding's abort) is not announced by the shell ("line N: ... Aborted"): the report said it
run() { { "$@" 2>&3 3>&-; } 3>&2 2>/dev/null; }
