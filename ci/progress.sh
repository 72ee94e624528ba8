# progress.sh - sourced by the workflow scripts: a phase that may take more than 10 s (a build,
# a merge, a replay of a corpus) runs with its output in a log and prints a heartbeat line at
# least every PROGRESS_SECONDS (default 10), so that a user never stares at a silent terminal:
#   fuzz: build: 20 s, 143 of 210 steps
# One copy for every script (ci/fuzz.sh, coverage.sh, corpus-merge.sh, minimize.sh, ...).

PROGRESS_SECONDS=${PROGRESS_SECONDS:-10}
PROGRESS_TOTAL=""

# progress_start LABEL [LOG]: from now on, every PROGRESS_SECONDS, "LABEL: N s" (with LOG and
# PROGRESS_TOTAL set: the compile and link steps LOG shows of those make planned), until
# progress_stop. For a phase that shows its own output as it goes.
PROGRESS_TICK=""
progress_start() {
	local label=$1 log=${2:-} before=0
	[ -z "$log" ] || before=$(grep -c -- ' -o ' "$log" 2>/dev/null)
	(
		trap 'kill "$sp" 2>/dev/null; exit 0' TERM
		t=0
		while :; do
			sleep "$PROGRESS_SECONDS" &
			sp=$!
			wait "$sp"
			kill -0 $$ 2>/dev/null || exit 0 # the script died (die) without stopping it
			t=$((t + PROGRESS_SECONDS))
			if [ -n "$log" ] && [ -n "$PROGRESS_TOTAL" ] && [ "$PROGRESS_TOTAL" -gt 0 ]; then
				echo "$label: $t s, $(($(grep -c -- ' -o ' "$log" 2>/dev/null) - ${before:-0})) of $PROGRESS_TOTAL steps"
			else
				echo "$label: $t s"
			fi
		done
	) &
	PROGRESS_TICK=$!
}
progress_stop() {
	[ -n "$PROGRESS_TICK" ] || return 0
	kill "$PROGRESS_TICK" 2>/dev/null
	wait "$PROGRESS_TICK" 2>/dev/null
	PROGRESS_TICK="" PROGRESS_TOTAL=""
}

# progress_run LABEL LOG CMD...: runs CMD with its output (both streams) appended to LOG, with
# the heartbeat of progress_start while it runs. Returns CMD's status.
progress_run() {
	local label=$1 log=$2 rc
	shift 2
	mkdir -p "$(dirname "$log")"
	progress_start "$label" "$log"
	"$@" >>"$log" 2>&1
	rc=$?
	progress_stop
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
