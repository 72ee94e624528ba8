#!/usr/bin/env bash
# fuzz.sh - what `make fuzz` runs: builds what is missing, then fuzzes one target from the
# shipped corpus for a bounded time, without a UI, printing one status line at least every
# 10 s. Findings land in findings/<target>-<engine> (with -seed / -up / -bug-<NAME> for those
# variants), each with the command that reproduces it. A run continues the working corpus of
# the earlier ones and never deletes their findings: AFL++ resumes (AFL_AUTORESUME; its old
# crashes/ is kept as crashes.<date>/), libFuzzer adds to its folder; only files written by
# this run count as its findings, the earlier ones are named apart.
#
# Environment (the Makefile passes its variables through):
#   TARGET=slub_ops|slub_boot   ENGINE=libfuzzer|afl   FUZZ_SECONDS=300   JOBS=1
#   BOOTSTRAP=fixed|seed        NUMA=1|0      BUG=<NAME> (a defect of allocator/bugs.h)
#   STATUS_SECONDS=10 (how often the status line comes)
#   KNOWN=<file>  findings the campaign already knows (default corpus/known/<bootstrap>.txt when
#                 it exists; KNOWN=none for none; ci/flavour.sh known_setup, as every workflow):
#                 fuzz/known.c keeps each one's first input in <out>/known-<date>/<name>, counts
#                 it and runs on (format: corpus/known/seed.txt).
# libFuzzer stops at a finding; here it then starts again until the time is up: the finding's
# signature (ci/signature.sh) is listed with its input, an oracle finding joins the session's
# known list (<out>/.known-session.txt) and a shipped seed that crashes is left out of the next
# start. The run ends with the list `make triage DIR=<out>` prints (ci/triage.sh, on this run's
# inputs): every distinct finding, known or new, by cause, with a reproducer each.
# The build travels: <out>/build records it (ci/flavour.sh), so that every workflow reads it.
# Nothing an earlier run left is deleted: its known-<date>/ and fuzz-<date>.log stay.
# Exit status: 0 when the run ended without a finding, 1 with findings (an AFL++ seed that
# crashed in its dry run is one), 2 on usage errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh
. ci/progress.sh

TARGET=${TARGET:-}
TARGET=${TARGET:-slub_ops}
ENGINE=${ENGINE:-}
ENGINE=${ENGINE:-libfuzzer}
SECS=${FUZZ_SECONDS:-}
SECS=${SECS:-300}
JOBS=${JOBS:-}
JOBS=${JOBS:-1}
EVERY=${STATUS_SECONDS:-10}
BOOTSTRAP=${BOOTSTRAP:-}
BOOTSTRAP=${BOOTSTRAP:-fixed}
NUMA=${NUMA:-}
NUMA=${NUMA:-1}

[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -gt 0 ] || die "SECONDS must be a positive number, not '$SECS'"
[[ "$JOBS" =~ ^[0-9]+$ ]] && [ "$JOBS" -gt 0 ] || die "JOBS must be a positive number, not '$JOBS'"
[[ "$EVERY" =~ ^[0-9]+$ ]] && [ "$EVERY" -gt 0 ] && [ "$EVERY" -le 10 ] ||
	die "STATUS_SECONDS must be 1..10, not '$EVERY'"
case "$ENGINE" in libfuzzer | afl) ;; *) die "unknown ENGINE=$ENGINE (libfuzzer or afl)" ;; esac
ENGINE_FROM=$ENGINE SAN=asan
flavour_settle # TARGET, BOOTSTRAP, NUMA, BUG checked; SUFFIX and FLAVOUR_DIR

case "$ENGINE" in
libfuzzer)
	command -v clang >/dev/null || die "clang is missing (make deps installs it)"
	compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null ||
		die "the libFuzzer runtime is missing (package libclang-rt-dev; make deps)"
	;;
afl)
	command -v afl-fuzz >/dev/null && command -v afl-clang-fast >/dev/null ||
		die "AFL++ is missing (package afl++; make deps)"
	[ -f /usr/lib/afl/libAFLDriver.a ] || die "/usr/lib/afl/libAFLDriver.a is missing (package afl++)"
	;;
esac

known_setup # a KNOWN file that does not exist is refused here, before any build
echo "fuzz: building $ENGINE $TARGET (bootstrap $BOOTSTRAP$([ "$NUMA" = 0 ] && echo ", !NUMA")${BUG:+, BUG=$BUG})"
buildlog=build/logs/fuzz-$ENGINE$SUFFIX.log
mkdir -p build/logs && : >"$buildlog"
progress_make "fuzz: build" "$buildlog" -j"$(nproc)" fuzzers ENGINE="$ENGINE" BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" BUG="$BUG" ||
	{ tail -5 "$buildlog" >&2; die "build failed (log: $buildlog): run 'make fuzzers ENGINE=$ENGINE $(flavour_make_args)' to see why"; }

seeds="build/corpus/$TARGET"
dict="build/corpus/$TARGET.dict"
out="findings/$FLAVOUR_DIR"
max_len=$(sed -n 's/^max_len *= *//p' "fuzz/$TARGET.options" 2>/dev/null)
max_len=${max_len:-4096}
mkdir -p "$out"
# what this run writes is newer than its stamp: earlier runs' findings are not this run's
stamp="$out/.run-stamp"
touch "$stamp"

# ---- known findings (fuzz/known.c) and the build, recorded with the findings ----
findings_setup() {
	local run
	run=$(date +%Y%m%d-%H%M%S)
	flavour_build_line >"$out/build"
	kdir="$out/known-$run-$$"
	session="$out/.known-session.txt"
	# the last run's log is kept under its date: lines printed then still point at it
	[ -s "$out/fuzz.log" ] && mv "$out/fuzz.log" "$out/fuzz-$(date -r "$out/fuzz.log" +%Y%m%d-%H%M%S).log"
	{
		echo "# the known findings of this run: $([ -n "$KNOWN_FILE" ] && echo "$KNOWN_FILE, then ")what it found"
		[ -z "$KNOWN_FILE" ] || cat "$KNOWN_FILE"
	} >"$session"
	export SLUBFUZZ_KNOWN="$PWD/$session" SLUBFUZZ_KNOWN_DIR="$PWD/$kdir"
	tsv="$out/.findings.tsv"
	: >"$tsv" # signature <TAB> first input
}
findings_setup

replay_bin="build/replay$SUFFIX/$TARGET"
progress_make "fuzz: build" "$buildlog" -j2 "$replay_bin" BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" BUG="$BUG" ||
	{ tail -5 "$buildlog" >&2; die "build failed (log: $buildlog): make $replay_bin BOOTSTRAP=$BOOTSTRAP"; }
# the fuzzing time starts here, with everything built: SECONDS counts fuzzing only
start=$(date +%s)

# signature_of FILE: what the replay build says about FILE, past the session's known findings,
# symbolised whatever the engine's sanitizer options (AFL++'s are not).
# The fuzzer ends some inputs with a real shutdown instead of the warm leak check (fuzz/machine.c),
# so an input the default replay runs clean is replayed -cold too.
signature_of() {
	local log="$out/.sig.log" sig
	for how in "" -cold; do
		(
			export ASAN_OPTIONS="$(flags ASAN_OPTIONS_default)" UBSAN_OPTIONS="$(flags UBSAN_OPTIONS_default)"
			unset SLUBFUZZ_KNOWN_DIR
			timeout -k 5 60 "$replay_bin" $how "$1" >"$log" 2>&1
			exit 0
		) 2>/dev/null
		sig=$(bash ci/signature.sh "$log")
		[[ "$sig" == "known "* ]] && sig="none :: ran clean"
		[ "$sig" = "none :: ran clean" ] || break
	done
	echo "$sig"
}

# note FILE: list FILE's finding once; an oracle finding becomes known for the rest of the run
note() {
	local f=$1 sig name
	sig=$(signature_of "$f")
	[ "$sig" = "none :: ran clean" ] && sig="$sig (only under the fuzzer: $(basename "$f"))"
	cut -f1 "$tsv" | grep -qxF "$sig" && return
	printf '%s\t%s\n' "$sig" "$f" >>"$tsv"
	echo "fuzz: new finding: $sig ($f)"
	if [[ "$sig" == FINDING* ]]; then
		name="NEW_$(wc -l <"$tsv")"
		# the signature as an fnmatch pattern: its own wildcards escaped
		printf '%s %s\n' "$name" "$(sed 's/[][*?\\]/\\&/g' <<<"$sig")" >>"$session"
	fi
}

# list_findings FILE...: this run's distinct findings, by cause, as make triage lists them (the
# same code: ci/triage.sh on this run's inputs and the known findings' kept inputs)
list_findings() {
	local k files
	files=$(printf '%s\n' "$@")
	for k in "$kdir"/*; do
		[ -f "$k" ] || continue
		case "$(basename "$k")" in NEW_* | *.sig | *.count) continue ;; esac
		files="$files"$'\n'"$k"
	done
	echo "fuzz: the distinct findings of this run, by cause (make triage DIR=$out lists the same):"
	# shellcheck disable=SC2153
	(unset SLUBFUZZ_KNOWN SLUBFUZZ_KNOWN_DIR ASAN_OPTIONS UBSAN_OPTIONS
		KNOWN=${KNOWN:-} DIR=$out FILES=$files OUT=$out/triage bash ci/triage.sh 2>&1) |
		grep --line-buffered -v '^triage: .* input(s) under ' | sed -u 's/^/  /'
	for k in "$kdir"/*.count; do
		[ -f "$k" ] || continue
		case "$(basename "$k")" in NEW_*) continue ;; esac
		echo "fuzz: known $(basename "$k" .count): $(awk '{ n += $1 } END { print n + 0 }' "$k") hit(s) in this run, first input $kdir/$(basename "$k" .count)"
	done
}

findings_glob() { # every finding file under $out, this run's or not
	find "$out" \( -path "$out/corpus" -o -path '*/queue' \) -prune -o -type f \( -name 'crash-*' \
		-o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' -o -path '*/crashes*/id:*' \) -print
}
new_findings() { findings_glob | while read -r f; do [ "$f" -nt "$stamp" ] && echo "$f"; done | sort; }

report() { # this run's findings (arguments), then the earlier ones still there
	local crashes=("$@") old
	old=$(findings_glob | while read -r f; do [ "$f" -nt "$stamp" ] || echo "$f"; done | wc -l)
	[ "$old" -gt 0 ] && echo "fuzz: $old finding(s) of earlier runs are still in $out (make triage DIR=$out)"
	if [ ${#crashes[@]} -eq 0 ]; then
		echo "fuzz: no finding in ${SECS}s ($out)"
		return 0
	fi
	echo "fuzz: ${#crashes[@]} finding file(s) in this run, in $out (the list above gives each distinct one a reproducer):"
	for c in "${crashes[@]}"; do
		echo "  $c"
	done
	return 1
}

# status LINE-SOURCE: one line "fuzz: [t/T s] execs ... exec/s ... cov ... corpus ... findings ... left"
status() {
	local now el execs eps cov corp
	now=$(date +%s) el=$((now - start))
	read -r execs eps cov corp < <("$@")
	printf 'fuzz: [%ds/%ds] execs %s  exec/s %s  cov %s  corpus %s  findings %d  (%s)\n' \
		"$el" "$SECS" "${execs:-0}" "${eps:-0}" "${cov:-?}" "${corp:-?}" "$(new_findings | wc -l)" \
		"$([ "$el" -lt "$SECS" ] && echo "$((SECS - el))s left" || echo "stopping")"
}
monitor() { # SOURCE-FUNCTION: a status line every $EVERY s until killed
	while sleep "$EVERY"; do status "$@"; done
}

# ---- this run's numbers (status lines and the closing "this run" line) ----
# libFuzzer: fuzz.log holds every start of this run, each after a "#slubfuzz: start" marker. A
# start's status lines are "#N<TAB>pulse cov: C ft: F corp: A/Bb ... exec/s: E ..." with N
# counted from that start: the run's execs are the sum of each start's last N. In fork mode
# (JOBS>1) the parent writes "#N: cov: C ft: F corp: A exec/s E oom/timeout/crash: ... time: Ts"
# (FuzzerFork.cpp, LLVM 14: no colon after exec/s), N counting every job; the jobs' own lines
# (copied into the log after a crash) are not the run's. exec/s is execs over fuzzing time.
# A start that ends at a finding closes with "stat::number_of_executed_units: N", which counts
# the inputs run before its first status line too.
lf_numbers() {
	awk -v fork=$((JOBS > 1)) -v el=$(($(date +%s) - start)) '
		/^#slubfuzz: start / { base += last; last = 0; next }
		fork && /^#[0-9]+: .*cov: / {
			n = substr($1, 2) + 0; for (i = 2; i < NF; i++) {
				if ($i == "cov:") cov = $(i + 1); if ($i == "corp:") corp = $(i + 1) }
			last = n; next }
		!fork && /^#[0-9]+[ \t].* cov: / {
			n = substr($1, 2) + 0; for (i = 2; i < NF; i++) {
				if ($i == "cov:") cov = $(i + 1); if ($i == "corp:") { corp = $(i + 1); sub("/.*", "", corp) } }
			last = n }
		# a start that ends in its first inputs prints no status line, only its closing numbers
		/^stat::number_of_executed_units:/ && !fork { if ($2 > last) last = $2 }
		END { t = base + last; printf "%d %d %s %s\n", t, (el > 0 ? t / el : 0), (cov == "" ? "?" : cov), (corp == "" ? "?" : corp) }
	' "$out/fuzz.log" 2>/dev/null
}

# AFL++: each instance's fuzzer_stats (AFL++ 4 rewrites it once a minute and at exit) and its
# plot_data (a line every 5 s: ..., corpus_count (4th), ..., map_size (7th), ...,
# total_execs (12th), ...), whichever is further on. Both count a resumed instance's whole
# lifetime, so the count it had before this run is subtracted. exec/s: this run's execs of each
# instance over the time from the start to when its numbers were written, summed; coverage
# (bitmap_cvg, map_size) and corpus are the main instance's.
declare -A afl_base=()
afl_stat() { sed -n "s/^$2 *: *//p" "$1" 2>/dev/null | head -1; }
afl_read() { # INSTANCE: "execs written-at coverage corpus", the freshest of its two files
	local d=$out/$1 fs
	fs=$(afl_stat "$d/fuzzer_stats" execs_done)
	if [ -n "$fs" ]; then
		echo "$fs $(afl_stat "$d/fuzzer_stats" last_update) $(afl_stat "$d/fuzzer_stats" bitmap_cvg) $(afl_stat "$d/fuzzer_stats" corpus_count)"
	fi
	[ -f "$d/plot_data" ] && grep -v '^#' "$d/plot_data" | tail -1 |
		awk -F', *' -v t="$(stat -c %Y "$d/plot_data")" 'NF >= 12 { print $12, t, $7, $4 }'
}
afl_latest() { afl_read "$1" 2>/dev/null | sort -n -k1,1 | tail -1; }
afl_baseline() { # before the start: what each instance's lifetime counters hold already
	local s e
	for s in "${instances[@]}"; do
		read -r e _ < <(afl_latest "$s")
		afl_base[$s]=${e:-0}
	done
}
afl_numbers() {
	local execs=0 eps=0 cov="?" corp="?" s e up c k
	for s in "${instances[@]}"; do
		[ "$out/$s/fuzzer_stats" -nt "$stamp" ] || [ "$out/$s/plot_data" -nt "$stamp" ] || continue
		read -r e up c k < <(afl_latest "$s")
		e=$((${e:-0} - ${afl_base[$s]:-0}))
		[ "$e" -ge 0 ] || e=0
		execs=$((execs + e))
		[ "${up:-0}" -gt "$start" ] && eps=$((eps + e / (up - start)))
		[ "$s" = main ] && cov=${c:-?} corp=${k:-?}
	done
	echo "$execs $eps $cov $corp"
}

# lf_log_summary: libFuzzer's closing statistics summed over every start of this run, then the
# reports' first lines, each once with how often it came (process ids and addresses masked; not
# the sanitizer's "ABRT" that follows the oracle's abort)
lf_log_summary() {
	awk -v runs="$runs" '/^stat::number_of_executed_units:/ { u += $2 } /^stat::peak_rss_mb:/ { if ($2 > r) r = $2 }
		/^stat::new_units_added:/ { a += $2 }
		END { printf "fuzz: %d libFuzzer start(s)", runs
		      if (u) printf ": %d executed units, %d new units, peak rss %d MB", u, a, r; print "" }' \
		"$out/fuzz.log"
	grep -aE '==slubfuzz== FINDING|ERROR: |SUMMARY: ' "$out/fuzz.log" |
		grep -avE 'Sanitizer: ABRT on unknown address|SUMMARY: [A-Za-z]+Sanitizer: ABRT' |
		sed -E 's/^==[0-9]+==/==PID==/; s/0x[0-9a-f]{8,}/ADDR/g' | sort | uniq -c | sort -rn | awk '{ n = $1; $1 = ""; sub(/^ /, ""); print "  " (n > 1 ? n "x " : "") $0 }'
}

# this_run SOURCE-FUNCTION: the closing line fuzz-batch reads: this run's execs and fuzzing time
this_run() {
	local execs eps
	read -r execs eps _ < <("$@")
	echo "fuzz: this run: ${execs:-0} execs in $(($(date +%s) - start))s of fuzzing (${eps:-0} exec/s)"
}

pids=()
mon=""
cleanup() {
	[ -n "$mon" ] && kill "$mon" 2>/dev/null
	reap_children "${pids[@]}"
}
trap 'cleanup; echo "fuzz: interrupted" >&2; exit 2' INT TERM HUP
trap cleanup EXIT

if [ "$ENGINE" = libfuzzer ]; then
	bin="build/libfuzzer$SUFFIX/$TARGET"
	mkdir -p "$out/corpus"
	rm -rf "$out/seeds" && cp -r "$seeds" "$out/seeds"
	args=(-timeout=25 -rss_limit_mb=4096 -max_len="$max_len" -dict="$dict"
		-artifact_prefix="$out/" -print_final_stats=1)
	[ "$JOBS" -gt 1 ] && args+=(-fork="$JOBS" -ignore_crashes=1)
	echo "fuzz: $bin for ${SECS}s, $JOBS job(s), corpus $out/corpus (+ $seeds)$([ -n "$KNOWN_FILE" ] && echo ", known findings from $KNOWN_FILE")"
	san_env
	: >"$out/fuzz.log"
	declare -A seen=()
	monitor lf_numbers &
	mon=$!
	runs=0
	while :; do
		rem=$((SECS - ($(date +%s) - start)))
		[ "$rem" -ge 1 ] || break
		runs=$((runs + 1))
		echo "#slubfuzz: start $runs at $(($(date +%s) - start))s" >>"$out/fuzz.log"
		logsize=$(stat -c %s "$out/fuzz.log")
		# fork mode's parent outlives -max_total_time waiting for its jobs (a 6 s run took 12 s):
		# 5 s past it, the deadline is ours (SIGINT to the parent and its jobs)
		setsid timeout --preserve-status -s INT -k 2 $((JOBS > 1 ? rem + 5 : rem + 1)) \
			"$bin" "${args[@]}" -max_total_time="$rem" "$out/corpus" "$out/seeds" \
			>>"$out/fuzz.log" 2>&1 &
		pids=($!)
		# a finding's abort is the report's business, not bash's ("line N: ... Aborted")
		wait "${pids[0]}" 2>/dev/null
		# a start that ended without an artifact ran out its time (or could not start)
		grep -q "Test unit written to" <(tail -c +$((logsize + 1)) "$out/fuzz.log") || break
		while read -r c; do
			[ -z "${seen[$c]:-}" ] || continue
			seen[$c]=1
			note "$c"
			# a shipped seed that crashes would stop every later start
			h=$(sha1sum <"$c" | cut -d' ' -f1)
			for f in "$out"/seeds/*; do
				[ "$(sha1sum <"$f" | cut -d' ' -f1)" = "$h" ] && rm -f "$f"
			done
		done < <(new_findings)
	done
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	mon=""
	status lf_numbers
	this_run lf_numbers
	lf_log_summary
	mapfile -t crashes < <(new_findings)
	list_findings "${crashes[@]}"
	report "${crashes[@]}"
	exit $?
fi

# AFL++: persistent mode through libAFLDriver; the main instance also uses the CMPLOG build.
bin="build/afl$SUFFIX/$TARGET"
cmplog="build/afl-cmplog$SUFFIX/$TARGET"
afl_env
# an earlier run's output folder is resumed, never deleted (AFL++ would otherwise delete a short
# earlier session, crashes included)
export AFL_AUTORESUME=1
common=(-i "$seeds" -o "$out" -V "$SECS" -x "$dict" -m none -t 5000)
instances=(main)
for ((j = 1; j < JOBS; j++)); do instances+=("s$j"); done
afl_baseline
# -V counts afl-fuzz's fuzzing time after its dry run and calibration: the run's own deadline
# is SECONDS from here, when timeout sends SIGINT (afl-fuzz then saves its state and stops)
deadline=(timeout --preserve-status -s INT -k 3 "$SECS")
AFL_OUTS=()
for s in "${instances[@]}"; do AFL_OUTS+=("$out/$s"); done
afl_reap "${AFL_OUTS[@]}" # whatever an interrupted earlier run left holding them
echo "fuzz: afl-fuzz $bin for ${SECS}s, $JOBS instance(s), output $out$([ -n "${AFL_CUSTOM_MUTATOR_LIBRARY:-}" ] && echo ", schedule mutator ${AFL_CUSTOM_MUTATOR_LIBRARY#"$PWD/"}")"
start=$(date +%s)
monitor afl_numbers &
mon=$!
for ((j = 1; j < JOBS; j++)); do
	setsid "${deadline[@]}" afl-fuzz "${common[@]}" -S "s$j" -- "$bin" >"$out/afl-s$j.log" 2>&1 &
	pids+=($!)
done
setsid "${deadline[@]}" afl-fuzz "${common[@]}" -M main -c "$cmplog" -- "$bin" >"$out/afl-main.log" 2>&1 &
main_pid=$!
pids+=("$main_pid")
# the main instance first: if it cannot run, the others are stopped, not left to run for nothing
wait "$main_pid"
rc=$?
[ $rc -eq 0 ] || reap_children "${pids[@]}"
for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
mon=""
reap_children "${pids[@]}"
status afl_numbers
this_run afl_numbers
[ $rc -eq 0 ] || { tail -20 "$out/afl-main.log" >&2; die "afl-fuzz failed (log: $out/afl-main.log)"; }
for s in "${instances[@]}"; do
	[ -f "$out/$s/fuzzer_stats" ] || continue
	echo "fuzz: $s (lifetime, earlier runs included): $(grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|stability)' "$out/$s/fuzzer_stats" | tr -s ' ' | tr '\n' ' ')"
done
mapfile -t crashes < <(new_findings)
# a seed that crashes in the dry run is skipped by afl-fuzz, never saved: it is a finding too,
# kept as $out/crash-dryrun-<queue name> (a name make triage knows)
for s in "${instances[@]}"; do
	while read -r c; do
		[ -f "$out/$s/queue/$c" ] || continue
		cp "$out/$s/queue/$c" "$out/crash-dryrun-${c//[:,]/_}"
		crashes+=("$out/crash-dryrun-${c//[:,]/_}")
	done < <(sed -nE "s/.*Test case '([^']+)' results in a crash.*/\1/p" "$out/afl-$s.log" 2>/dev/null |
		sed 's|.*/||' | sort -u)
done
[ ${#crashes[@]} -eq 0 ] || mapfile -t crashes < <(printf '%s\n' "${crashes[@]}" | sort -u)
list_findings "${crashes[@]}"
report "${crashes[@]}"
