# testlib.sh - sourced by the suites under ci/: the pass/fail count, check, and the closing
# line "N passed, N failed" that ci/run-tests.sh sums.
pass=0
fail=0

# check NAME CMD...: one test; its output goes to $tmp/out (the suite's scratch directory)
# and is shown only when it fails.
check() {
	local name=$1
	shift
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
