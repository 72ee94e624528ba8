#!/usr/bin/env bash
# fuzz-tests.sh - the fuzz harness's test suite (ci/tests.d/20-fuzz.sh runs it after building):
# text-form round trips, the corpus and regressions replayed under ASan+UBSan, determinism of
# every corpus input, no carry-over between inputs replayed in one process, random inputs
# through the decoder and the executor, the gcc plain build,
# and a short libFuzzer run of each target. Ends with "N passed, N failed".
#
# Regressions live in corpus/regressions/<target>/: each finding as its exact input <name> and
# its text form <name>.txt. Those directly there were fixed: they must run clean on `fixed`,
# alone and, for a sequence <name>.1, <name>.2, ..., all of it in order in one process.
# Those under seed/ are the seed build's defects (the seed patch's and 2.6.36's): they must
# reproduce on the `seed` build and run clean on `fixed`; one with <name>.why must, past the
# seed's known findings (corpus/known/seed.txt), fail with every line of the .why in its
# report. Those under open/ are findings in `fixed` not fixed yet, each with
# <name>.why holding a phrase of its finding line: they must still reproduce on `fixed` (once
# one runs clean, move it up a directory), and a random or smoke run that stops on one of them
# is reported as KNOWN OPEN instead of failing.
set -uo pipefail
cd "$(dirname "$0")/.."

. ci/testlib.sh
SMOKE_SECONDS=${SMOKE_SECONDS:-20}
RANDOM_INPUTS=${RANDOM_INPUTS:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# known_open TARGET FILE: FILE's finding is one of the target's open findings.
known_open() {
	local line why
	line=$(grep -m1 '==slubfuzz== FINDING' "$2") || return 1
	for why in corpus/regressions/"$1"/open/*.why; do
		[ -f "$why" ] || continue
		if grep -qF -- "$(head -1 "$why")" <<<"$line"; then
			echo "KNOWN OPEN ($why): $line"
			return 0
		fi
	done
	return 1
}

# check_open TARGET NAME CMD...: like check, but stopping on a known open finding passes.
check_open() {
	local t=$1 name=$2
	shift 2
	if ("$@"; exit $?) >"$tmp/out" 2>&1 || known_open "$t" "$tmp/out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		tail -25 "$tmp/out" | sed 's/^/  | /'
	fi
}

# reproduces_open TARGET FILE: the open finding still reproduces on fixed, with its phrase.
reproduces_open() {
	must_fail ./build/replay/"$1" "$2" || {
		echo "$2 runs clean now: if it was fixed, move it (and its .txt) to corpus/regressions/$1/"
		return 1
	}
	grep -qF -- "$(head -1 "$2.why")" "$tmp/repro" || {
		echo "$2 fails, but not with its finding: $(grep -m1 FINDING "$tmp/repro")"
		return 1
	}
}

# must_fail CMD...: succeeds when CMD exits non-zero with a report (a reproduced finding).
must_fail() {
	if ("$@"; exit $?) >"$tmp/repro" 2>&1; then
		echo "ran clean, but it must reproduce: $*"
		return 1
	fi
	grep -qE '==slubfuzz== FINDING|ERROR: AddressSanitizer|runtime error|SUMMARY: ' "$tmp/repro" || {
		echo "failed without a finding report: $*"
		tail -10 "$tmp/repro"
		return 1
	}
}

# same_digests BIN FILE: two processes, each running the input twice, print one digest.
same_digests() {
	local a b
	a=$("$1" -digest -runs=2 "$2" 2>/dev/null) || return 1
	b=$("$1" -digest -runs=2 "$2" 2>/dev/null) || return 1
	[ "$a" = "$b" ] || {
		echo "digests differ: $a / $b"
		return 1
	}
}

# norm_matches BIN.txt BIN: the text form and the exact input have the same normal form.
norm_matches() {
	./build/tools/slubprog bin "$1" -o "$tmp/a" && ./build/tools/slubprog norm "$2" -o "$tmp/b" &&
		cmp -s "$tmp/a" "$tmp/b"
}

regression_inputs() { # DIR: the exact inputs (not their .txt forms)
	[ -d "$1" ] || return 0
	find "$1" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.why' ! -name 'README*' | sort
}

# seed_reproduces TARGET FILE: FILE fails on the seed build; with FILE.why, past the seed's
# known findings and with every phrase of FILE.why in the report.
seed_reproduces() {
	local phrase
	[ -f "$2.why" ] || { must_fail ./build/replay-seed/"$1" "$2"; return; }
	# (with UBSan's stack: a phrase may name a function)
	if (SLUBFUZZ_KNOWN=corpus/known/seed.txt UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1" \
		./build/replay-seed/"$1" "$2"; exit $?) >"$tmp/seed.out" 2>&1; then
		echo "$2 runs clean on seed past its known findings"
		return 1
	fi
	while IFS= read -r phrase; do
		grep -qF -- "$phrase" "$tmp/seed.out" || {
			echo "$2: '$phrase' is not in its seed report:"
			grep -m3 -E 'FINDING|ERROR|runtime error' "$tmp/seed.out"
			return 1
		}
	done <"$2.why"
}

targets=$(ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||')

# ---- the program format ----
check "caller table of fuzz/README.md names every op of fuzz/prog.h" bash ci/caller-table.sh
check "every binary regression decodes to its text form" bash ci/regression-decode.sh
for f in corpus/*/*.txt corpus/regressions/*/*.txt corpus/regressions/*/seed/*.txt \
	corpus/regressions/*/open/*.txt; do
	[ -f "$f" ] || continue
	[[ "$f" == corpus/known/* ]] && continue # signature patterns (fuzz/known.c), not programs
	check "roundtrip $f" ./build/tools/slubprog roundtrip "$f"
done
check "slubprog selftest (random bytes: normal form is a fixed point, text carries it)" \
	./build/tools/slubprog selftest 3000 1
for t in $targets; do
	for f in $(regression_inputs "corpus/regressions/$t") $(regression_inputs "corpus/regressions/$t/seed") \
		$(regression_inputs "corpus/regressions/$t/open"); do
		if [ -f "$f.txt" ]; then
			check "regression $f matches $f.txt" norm_matches "$f.txt" "$f"
		else
			check "regression $f has its text form $f.txt" false
		fi
	done
done

# ---- replay: corpus and regressions, ASan+UBSan ----
for t in $targets; do
	for f in build/corpus/"$t"/*; do
		check "replay $t $(basename "$f")" ./build/replay/"$t" "$f"
		check "determinism $t $(basename "$f")" same_digests ./build/replay/"$t" "$f"
	done
	check "replay $t corpus, !CONFIG_NUMA" ./build/replay-up/"$t" "build/corpus/$t"
	check "replay $t corpus, gcc without sanitizers" ./build/replay-plain-gcc/"$t" "build/corpus/$t"
	# a switch's site is its place in allocator/sched_sites.h: every site met must be there
	check "every yield site $t's corpus and regressions meet is in allocator/sched_sites.h" \
		./build/replay/"$t" -sites "build/corpus/$t" $(regression_inputs "corpus/regressions/$t") \
		$(regression_inputs "corpus/regressions/$t/seed")
	for f in $(regression_inputs "corpus/regressions/$t"); do
		check "regression $f runs clean on fixed" ./build/replay/"$t" "$f"
	done
	# <name>.1, <name>.2, ...: a finding only their replay in one process, in order, shows
	for f in $(regression_inputs "corpus/regressions/$t" | grep '\.1$'); do
		seq=() i=1
		while [ -f "${f%.1}.$i" ]; do seq+=("${f%.1}.$i") i=$((i + 1)); done
		check "regression sequence ${f%.1}.1..$((i - 1)) runs clean in one process" \
			./build/replay/"$t" "${seq[@]}"
	done
	for f in $(regression_inputs "corpus/regressions/$t/seed"); do
		check "seed regression $f reproduces on seed" seed_reproduces "$t" "$f"
		check "seed regression $f runs clean on fixed" ./build/replay/"$t" "$f"
	done
	for f in $(regression_inputs "corpus/regressions/$t/open"); do
		check "open finding $f still reproduces on fixed" reproduces_open "$t" "$f"
	done
done

# ---- no state of one input reaches the next ----
# no_carryover BIN FILE...: every input, replayed in one process right after its neighbour in
# the list (cyclically, in both orders: a b c a, then c b a c), gives the trace digest it gives
# alone. Runs the replay driver's default mode, whatever keeps the machine between inputs.
no_carryover() {
	local bin=$1 f d got prev bad=0 i
	shift
	local -A alone
	local fwd=("$@") rev=()
	for f in "$@"; do
		d=$("$bin" -digest "$f" 2>/dev/null) || { echo "$f: fails alone"; return 1; }
		alone[$f]=${d%% *}
	done
	for ((i = $# - 1; i >= 0; i--)); do rev+=("${fwd[i]}"); done
	for order in fwd rev; do
		local -n list=$order
		stdbuf -oL "$bin" -digest "${list[@]}" "${list[0]}" >"$tmp/chain" 2>"$tmp/chain.err" || {
			i=$(wc -l <"$tmp/chain")
			echo "replaying the $order chain in one process fails on ${list[i]}, after $( ((i)) && echo "${list[i - 1]}" || echo nothing):"
			grep -m1 -E 'FINDING|ERROR|runtime error' "$tmp/chain.err" || tail -5 "$tmp/chain.err"
			bad=1
			continue
		}
		prev="(none)"
		while read -r got f; do
			[ "$got" = "${alone[$f]}" ] || {
				echo "$f after $prev: digest $got, alone ${alone[$f]}"
				bad=1
			}
			prev=$f
		done <"$tmp/chain"
	done
	return $bad
}
for t in $targets; do
	# the shipped seeds and every regression that runs clean on fixed
	mapfile -t inputs < <(ls build/corpus/"$t"/* 2>/dev/null; regression_inputs "corpus/regressions/$t";
		regression_inputs "corpus/regressions/$t/seed")
	check "no carry-over: ${#inputs[@]} $t inputs, each after its neighbours in one process" \
		no_carryover ./build/replay/"$t" "${inputs[@]}"
	check "no carry-over: the same, !CONFIG_NUMA" no_carryover ./build/replay-up/"$t" "${inputs[@]}"
done

# ---- totality: random bytes decode to programs that run without a finding ----
for t in $targets; do
	check "random events: $RANDOM_INPUTS programs on the default machine through $t" \
		./build/replay/"$t" -random-events="$RANDOM_INPUTS":7
	check_open "$t" "random bytes: $RANDOM_INPUTS inputs through $t" \
		./build/replay/"$t" -random="$RANDOM_INPUTS":7
done

# ---- every global a machine depends on is saved with it ----
# A snapshot restores the allocator's globals marked __slub_state (one section) and the tables
# listed in allocator/snapshot.c. Any other writable global survives a restore, so it must be
# one of these, each for its reason; a new one must be marked, or listed here with why.
outside_state_ok="
	boot_cache_copy boot_node_cache_copy boot_node_copies copy_a copy_b
	cc_kind_name cc_objects cc_objmap cc_seen cc_seen_where cc_slabs cc_slots cc_used
	validate_map validate_problems slabinfo_len slabinfo_line dmesg_text
	report_text report_len report_open report_cut report_cache
	debug_depth debug_entry_file debug_entry_func debug_entry_line
	pa_hook pa_hook_arg pa_observer pa_observer_arg slub_stat_observer report_hook report_arg registry_hook registry_hook_arg
	fault_hook fault_hook_arg slab_attrs
	printk_echo cc_filter cc_filter_arg
	pa_arena mem_map percpu_pool
	pa_nodes registry registry_names log_buf
	held_locks lock_classes nr_lock_classes lock_class_last lock_class_uncached
	lock_class_next_id host_cache host_cache_bytes
	slub_sched_active fibers stack_pool nr_fibers cur prev config points switches budget
	site_hits lowest change_at nr_changes switch_hook switch_arg site_hook site_arg site_memo site_names
	ipi_queue ipi_running ipi_host known_sites slub_yield_on point_hook point_arg"
# (scratch of shutdown, the checkers, slabinfo and reports, valid only within one call; the
# caller's hooks and settings, the attribute table (const, in .data.rel.ro for its
# pointers); the reserved address ranges; tables snapshot.c saves by the
# part in use; the lock model's held locks, meaningful only below slub_lockdep_depth, which is
# saved, and its memo of lock names, the same in every machine; the host's freed mappings,
# which belong to no machine; the scheduler's, which live within one slub_sched_run, while a
# machine is kept only between inputs, and its memo and names of yield sites, the same in
# every machine, and its table of site names, const in .data.rel.ro; the point hook and its
# flag, which the harness sets afresh for every input)
globals_outside_state() {
	local f name bad=""
	for f in build/obj/replay-plain-fixed-numa-gcc/allocator/*.o; do
		for name in $(objdump -t "$f" | awk '$3 == "O" && $4 ~ /^\.(bss|data)/ { print $NF }'); do
			name=${name%%.*}
			grep -qw -- "$name" <<<"$outside_state_ok" || bad="$bad $(basename "$f"):$name"
		done
	done
	[ -z "$bad" ] || {
		echo "writable globals outside the slub_state section, not restored by a snapshot:$bad"
		return 1
	}
}
check "every allocator global is in the snapshot's state section or known scratch" globals_outside_state

# ---- a restored machine behaves as a booted one ----
# By default slub_ops restores a machine kept from an earlier input with the same boot
# header; -cold boots and shuts down for every input. Every input must give the same digest
# both ways, whatever ran before it in the process: the corpus and regressions (each run
# twice, so the second run is a restore) and random programs on the default machine (a
# restore after every one) under ASan+UBSan, whose poisoning is restored too; and
# WARM_RANDOM inputs with random boot headers in the gcc plain build, which runs them fast.
WARM_RANDOM=${WARM_RANDOM:-10000}
warm_matches_cold() { # BIN ARGS...: digests with and without -cold
	local bin=$1
	shift
	"$bin" -digest "$@" >"$tmp/warm" 2>"$tmp/warm.err" || { tail -5 "$tmp/warm.err"; return 1; }
	"$bin" -cold -digest "$@" >"$tmp/cold" 2>"$tmp/cold.err" || { tail -5 "$tmp/cold.err"; return 1; }
	[ -s "$tmp/warm" ] && diff "$tmp/warm" "$tmp/cold" >"$tmp/warm.diff" || {
		echo "digests differ (< restored machine, > cold boot):"
		head -10 "$tmp/warm.diff"
		return 1
	}
}
check "warm = cold digests: slub_ops corpus and regressions, each run twice" \
	warm_matches_cold ./build/replay/slub_ops -runs=2 build/corpus/slub_ops \
	$(regression_inputs corpus/regressions/slub_ops)
check "warm = cold digests: slub_ops, $RANDOM_INPUTS random programs on the default machine" \
	warm_matches_cold ./build/replay/slub_ops -random-events="$RANDOM_INPUTS":11
check "warm = cold digests: slub_ops, $WARM_RANDOM random inputs (gcc, no sanitizer)" \
	warm_matches_cold ./build/replay-plain-gcc/slub_ops -random="$WARM_RANDOM":13

# ---- libFuzzer smoke runs from the shipped corpus ----
# Fork mode with crashes ignored, so that a known open finding does not end the run; every
# crash it leaves must be a known open finding.
smoke_ok() { # TARGET DIR
	local c
	for c in "$2"/crash-* "$2"/leak-* "$2"/timeout-* "$2"/oom-*; do
		[ -f "$c" ] || continue
		./build/replay/"$1" "$c" >"$tmp/crash.out" 2>&1
		known_open "$1" "$tmp/crash.out" >/dev/null || {
			echo "libFuzzer found $c:"
			grep -m1 -E 'FINDING|ERROR|runtime error' "$tmp/crash.out" || tail -5 "$tmp/crash.out"
			return 1
		}
	done
}
# smoke_run TARGET: the fuzzer must run its time out (fork mode exits non-zero when it ignored
# a crash; smoke_ok judges those).
smoke_run() {
	./build/libfuzzer/"$1" -fork=1 -ignore_crashes=1 -max_total_time="$SMOKE_SECONDS" -seed=1 \
		-dict="build/corpus/$1.dict" -max_len="$(sed -n 's/^max_len *= *//p' "fuzz/$1.options")" \
		-artifact_prefix="$tmp/lf-$1/out/" "$tmp/lf-$1/corpus" "build/corpus/$1" \
		>"$tmp/lf-$1/log" 2>&1
	grep -q 'INFO: fuzzed for' "$tmp/lf-$1/log" || {
		tail -20 "$tmp/lf-$1/log"
		return 1
	}
}
# the libFuzzer builds carry the schedule mutator (fuzz/mutate.c), which libFuzzer calls by
# this name: without it the engine would fall back to byte mutations alone, silently
# (grep -c reads all of nm's output: with -q, nm's SIGPIPE would fail the pipeline)
has_sched_mutator() { [ "$(nm "build/libfuzzer/$1" | grep -c ' T LLVMFuzzerCustomMutator$')" = 1 ]; }
for t in $targets; do
	check "libFuzzer $t carries the schedule mutator" has_sched_mutator "$t"
	mkdir -p "$tmp/lf-$t/corpus" "$tmp/lf-$t/out"
	check "libFuzzer $t runs ${SMOKE_SECONDS}s" smoke_run "$t"
	check "libFuzzer $t: every crash is a known open finding" smoke_ok "$t" "$tmp/lf-$t/out"
	echo "libFuzzer $t: $(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$tmp/lf-$t/log" | tail -1)," \
		"$(ls "$tmp/lf-$t/corpus" | wc -l) corpus inputs, $(ls "$tmp/lf-$t/out" | wc -l) crash(es)"
done

finish
