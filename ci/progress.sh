# progress.sh - sourced by the workflow scripts: a phase that may take more than 10 s (a build,
# a merge, a replay of a corpus) runs with its output in a log and prints a heartbeat line at
# least every PROGRESS_SECONDS (default 10), so that a user never stares at a silent terminal:
#   fuzz: build: 20 s, 143 of 210 steps
# One copy for every script (ci/fuzz.sh, coverage.sh, corpus-merge.sh, minimize.sh, ...).

PROGRESS_SECONDS=${PROGRESS_SECONDS:-10}
PROGRESS_TOTAL=""

# progress_run LABEL LOG CMD...: runs CMD with its output (both streams) appended to LOG; every
# PROGRESS_SECONDS while it runs, "LABEL: N s" (with, after progress_make, the compile and link
# steps done of those make planned). Returns CMD's status.
progress_run() {
	local label=$1 log=$2 rc tick before
	shift 2
	mkdir -p "$(dirname "$log")"
	before=$(grep -c -- ' -o ' "$log" 2>/dev/null)
	(
		trap 'kill "$sp" 2>/dev/null; exit 0' TERM
		t=0
		while :; do
			sleep "$PROGRESS_SECONDS" &
			sp=$!
			wait "$sp"
			t=$((t + PROGRESS_SECONDS))
			if [ -n "$PROGRESS_TOTAL" ] && [ "$PROGRESS_TOTAL" -gt 0 ]; then
				echo "$label: $t s, $(($(grep -c -- ' -o ' "$log" 2>/dev/null) - ${before:-0})) of $PROGRESS_TOTAL steps"
			else
				echo "$label: $t s"
			fi
		done
	) &
	tick=$!
	"$@" >>"$log" 2>&1
	rc=$?
	kill "$tick" 2>/dev/null
	wait "$tick" 2>/dev/null
	PROGRESS_TOTAL=""
	return $rc
}

# progress_make LABEL LOG MAKE-ARGUMENTS...: make with a heartbeat that counts its steps (the
# compile and link commands `make -n` plans; make echoes each one into LOG as it starts it).
progress_make() {
	local label=$1 log=$2
	shift 2
	PROGRESS_TOTAL=$(make -n "$@" 2>/dev/null | grep -c -- ' -o ')
	progress_run "$label" "$log" make "$@"
}
