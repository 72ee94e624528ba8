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
make -s -j"$(nproc)" fuzzers ENGINE="$ENGINE" BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" BUG="$BUG" >/dev/null ||
	die "build failed: run 'make fuzzers ENGINE=$ENGINE $(flavour_make_args)' to see why"

seeds="build/corpus/$TARGET"
dict="build/corpus/$TARGET.dict"
out="findings/$FLAVOUR_DIR"
max_len=$(sed -n 's/^max_len *= *//p' "fuzz/$TARGET.options" 2>/dev/null)
max_len=${max_len:-4096}
mkdir -p "$out"
# what this run writes is newer than its stamp: earlier runs' findings are not this run's
stamp="$out/.run-stamp"
touch "$stamp"
start=$(date +%s)

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
make -s -j2 "$replay_bin" BOOTSTRAP="$BOOTSTRAP" NUMA="$NUMA" BUG="$BUG" >/dev/null 2>&1 ||
	die "build failed: make $replay_bin BOOTSTRAP=$BOOTSTRAP"

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

# libFuzzer's last status line: "#N pulse cov: C ft: F corp: A/Bb ... exec/s: E", or in fork
# mode "#N: cov: C ft: F corp: A exec/s: E ..."
lf_numbers() {
	grep -aE '^#[0-9]+:?[[:space:]].*cov: ' "$out/fuzz.log" 2>/dev/null | tail -1 |
		sed -E 's/^#([0-9]+):?[[:space:]].*cov: ([0-9]+).*corp: ([0-9]+).*exec\/s: ([0-9]+).*/\1 \4 \2 \3/; t; s/^#([0-9]+).*/\1 0 ? ?/'
}

# AFL++'s numbers: execs and exec/s from each instance's fuzzer_stats (as of its last update),
# edges and corpus counted live from the bitmap coverage and the queue folders
afl_numbers() {
	local execs=0 eps=0 cov="" corp=0 s q
	for s in "${instances[@]}"; do
		[ -f "$out/$s/fuzzer_stats" ] && [ "$out/$s/fuzzer_stats" -nt "$stamp" ] || continue
		execs=$((execs + $(sed -n 's/^execs_done *: *//p' "$out/$s/fuzzer_stats")))
		eps=$(awk -v a="$eps" -v b="$(sed -n 's/^execs_per_sec *: *//p' "$out/$s/fuzzer_stats")" \
			'BEGIN { printf "%.0f", a + b }')
		[ -n "$cov" ] || cov=$(sed -n 's/^bitmap_cvg *: *//p' "$out/$s/fuzzer_stats")
	done
	q=$(find "$out/main/queue" -maxdepth 1 -type f -name 'id:*' 2>/dev/null | wc -l)
	corp=$q
	echo "$execs $eps ${cov:-?} $corp"
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
		logsize=$(stat -c %s "$out/fuzz.log")
		setsid "$bin" "${args[@]}" -max_total_time="$rem" "$out/corpus" "$out/seeds" \
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
	echo "fuzz: $runs libFuzzer start(s)"
	# the reports' first lines (not the sanitizer's "ABRT" that follows the oracle's abort)
	grep -aE '==slubfuzz== FINDING|ERROR: |SUMMARY: |^stat::' "$out/fuzz.log" |
		grep -avE 'Sanitizer: ABRT on unknown address|SUMMARY: [A-Za-z]+Sanitizer: ABRT' | sed 's/^/  /'
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
AFL_OUTS=()
for s in "${instances[@]}"; do AFL_OUTS+=("$out/$s"); done
afl_reap "${AFL_OUTS[@]}" # whatever an interrupted earlier run left holding them
echo "fuzz: afl-fuzz $bin for ${SECS}s, $JOBS instance(s), output $out"
monitor afl_numbers &
mon=$!
for ((j = 1; j < JOBS; j++)); do
	setsid afl-fuzz "${common[@]}" -S "s$j" -- "$bin" >"$out/afl-s$j.log" 2>&1 &
	pids+=($!)
done
setsid afl-fuzz "${common[@]}" -M main -c "$cmplog" -- "$bin" >"$out/afl-main.log" 2>&1 &
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
[ $rc -eq 0 ] || { tail -20 "$out/afl-main.log" >&2; die "afl-fuzz failed (log: $out/afl-main.log)"; }
for s in "${instances[@]}"; do
	[ -f "$out/$s/fuzzer_stats" ] || continue
	echo "fuzz: $s: $(grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|stability)' "$out/$s/fuzzer_stats" | tr -s ' ' | tr '\n' ' ')"
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
