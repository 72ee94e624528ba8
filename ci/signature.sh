#!/usr/bin/env bash
# signature.sh LOG - what bug a run's output shows, as one line "KIND :: WHERE", so that two
# findings of the same bug compare equal (make triage groups by it, make minimize keeps it).
#   a sanitizer report:  its kind (heap-use-after-free, runtime error: <what>, ...) and the
#                        top 3 frames in allocator/ or fuzz/ (function names: they survive
#                        edits that move lines)
#   the oracle's finding: FINDING and its why line
# (The harness aborts after its finding: ASan's ABRT report then is not the bug.)
# Numbers and addresses are masked (sizes, slots, pointers differ between two inputs of one
# bug). A finding on the known list (fuzz/known.c: "==slubfuzz== KNOWN <NAME> ...") is passed
# over; a log holding only known findings gives "known <NAME>: <its signature>" (the first).
# Prints "none :: ran clean" when the log holds no finding.
set -uo pipefail
log=${1:?usage: signature.sh LOG}

mask() { sed -E 's/0x[0-9a-fA-F]+/ADDR/g; s/[0-9]+/N/g'; }

# frames: "#N 0x... in func path:line:col" in our sources, top first
frames() {
	sed -nE 's/^ *#[0-9]+ 0x[0-9a-f]+ in ([^ ]+) (.*\/)?((allocator|fuzz|tools)\/[^:]+):.*/\1/p' "$log" |
		grep -vE '^(LLVMFuzzerTestOneInput|main|run_one|run_path|fuzz_run)$' | head -3 |
		paste -sd '>' - | sed 's/>/ > /g'
}

kind=""
finding=$(grep -m1 '==slubfuzz== FINDING' "$log")
if line=$(grep -m1 -E 'ERROR: [A-Za-z]+Sanitizer: ' "$log") &&
	! { [ -n "$finding" ] && grep -qE 'Sanitizer: (ABRT|deadly signal)' <<<"$line"; }; then
	kind=$(sed -E 's/.*ERROR: ([A-Za-z]+Sanitizer): ([A-Za-z-]+( [a-z-]+)*).*/\1: \2/; s/ on (unknown )?address.*//; s/ (at|on) .*//' <<<"$line")
elif line=$(grep -m1 -E 'WARNING: MemorySanitizer: ' "$log"); then
	kind=$(sed -E 's/.*WARNING: MemorySanitizer: ([a-z-]+).*/MemorySanitizer: \1/' <<<"$line")
elif line=$(grep -m1 -E ': runtime error: ' "$log"); then
	kind="runtime error: $(sed -E 's/.*: runtime error: //' <<<"$line" | mask)"
fi
if [ -n "$kind" ]; then
	where=$(frames)
	[ -n "$where" ] || where=$(grep -m1 -oE '(allocator|fuzz)/[a-z_]+\.c' <<<"$line" || echo '?')
	echo "$kind :: $where"
	exit 0
fi
if [ -n "$finding" ]; then
	echo "FINDING :: $(sed -E 's/.*==slubfuzz== FINDING in [a-z_]+ \(bootstrap [a-z]+\): //' <<<"$finding" | mask)"
	exit 0
fi
if grep -qE 'ERROR: libFuzzer: (timeout|out-of-memory)' "$log"; then
	echo "libFuzzer: $(grep -m1 -oE 'timeout|out-of-memory' "$log") :: ?"
	exit 0
fi
if line=$(grep -am1 -E '==slubfuzz== KNOWN [A-Za-z0-9_]+ \(not fatal; counted\): ' "$log"); then
	sed -E 's/.*==slubfuzz== KNOWN ([A-Za-z0-9_]+) \(not fatal; counted\): /known \1: /' <<<"$line"
	exit 0
fi
echo "none :: ran clean"
