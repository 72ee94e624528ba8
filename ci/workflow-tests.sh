#!/usr/bin/env bash
# workflow-tests.sh - the workflows' test suite (ci/tests.d/40-workflows.sh runs it): each
# make target on a planted crash (the seed patch's own defects, BOOTSTRAP=seed): repro
# reproduces it and names its flavour, minimize shrinks it and keeps the same bug, triage
# groups two inputs of one bug as one, prog2c's C file builds from the allocator and the
# harness's own executor and oracle and reproduces it; prog2c's reproducer of every shipped seed
# and fixed regression runs clean and gives the replay driver's trace digest; fuzz-batch,
# corpus-merge, coverage and plot do their work; the ClusterFuzzLite and OSS-Fuzz files say
# what their documentation asks.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

. ci/testlib.sh
mkdir -p build && tmp=$(mktemp -d "$PWD/build/workflow-tests.XXXXXX") # afl-cmin refuses /tmp
trap 'rm -rf "$tmp"' EXIT
JOBS=${JOBS:-2}

export ASAN_OPTIONS=${ASAN_OPTIONS:-$(flags ASAN_OPTIONS_default)}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-$(flags UBSAN_OPTIONS_default)}
# afl-fuzz refuses an MSAN_OPTIONS without exit_code=86 (the scripts set their own, afl_env)
unset MSAN_OPTIONS
targets=$(ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||')
# triage (and make fuzz's end list) names a seed finding by the catalog entries that show it
# alone: here only these three, each one replay build, not all of SLUB_HISTORY_CATALOG's
export CAUSE_ENTRIES="SEED_FIXUP_CPU_SLAB SEED_KMALLOC_CACHE_UNCHECKED UPSTREAM_UNIQUE_ID_BUG_ON"
sig_of() { # BIN FILE: the bug the replay build shows for FILE
	bash -c '"$@"; exit $?' run "$1" "$2" >"$tmp/sig.log" 2>&1
	bash ci/signature.sh "$tmp/sig.log"
}

# ---- the planted crash: the seed patch's create_kmalloc_cache defect, with events after it ----
# (corpus/regressions/slub_boot/seed/null_create_kmalloc_cache: a boot failure in
# kmem_cache_init_late makes kmem_cache_open memset NULL, UBSan reports it; the events after
# the boot are never reached, a minimiser should drop them)
plant=$tmp/findings/slub_boot-libfuzzer-seed
mkdir -p "$plant"
{
	cat corpus/regressions/slub_boot/seed/null_create_kmalloc_cache.txt
	for i in 1 2 3 4 5 6 7 8; do echo "kmalloc slot=$i size=$((i * 40))"; done
	echo "free slot=2"
	echo "kzalloc slot=9 size=300"
	echo "validate"
} >"$tmp/planted.txt"
build/tools/slubprog bin "$tmp/planted.txt" -o "$plant/crash-planted" || echo "FAIL: the planted crash does not encode"
planted_sig=$(sig_of build/replay-seed/slub_boot corpus/regressions/slub_boot/seed/null_create_kmalloc_cache)

planted_reproduces() {
	local s
	s=$(sig_of build/replay-seed/slub_boot "$plant/crash-planted")
	echo "planted: $s; regression: $planted_sig"
	[ "$s" = "$planted_sig" ] && [[ "$s" == "runtime error: "* ]] &&
		[ "$(build/tools/slubprog print "$plant/crash-planted" | sed -n '1s/.* \([0-9]*\) events$/\1/p')" -ge 10 ]
}
check "the planted crash shows the regression's bug on seed, with 10+ events" planted_reproduces

# ---- make repro ----
repro_ok() {
	make -s repro CRASH="$plant/crash-planted" >"$tmp/repro.log" 2>&1
	local rc=$?
	[ $rc -ne 0 ] || { echo "repro exited 0"; return 1; }
	grep -q 'runtime error: null pointer passed' "$tmp/repro.log" &&
		grep -q 'came from: slub_boot, found by libFuzzer (ASan+UBSan), bootstrap seed' "$tmp/repro.log" ||
		{ tail -20 "$tmp/repro.log"; return 1; }
}
check "make repro reproduces the planted crash and names the flavour it came from" repro_ok

# ---- make minimize ----
minimize_ok() {
	make -s minimize CRASH="$plant/crash-planted" RUNS=300 OUTDIR="$tmp/min" >"$tmp/min.log" 2>&1 ||
		{ tail -20 "$tmp/min.log"; return 1; }
	local before after s
	local m=$tmp/min/slub_boot-libfuzzer-seed/crash-planted.min # the flavour in its path
	before=$(stat -c %s "$plant/crash-planted") after=$(stat -c %s "$m")
	s=$(sig_of build/replay-seed/slub_boot "$m")
	echo "$before -> $after bytes; $s"
	grep 'events remain' "$tmp/min.log"
	[ "$after" -lt "$before" ] && [ "$s" = "$planted_sig" ] && [ -s "$m.txt" ] &&
		build/tools/slubprog bin "$m.txt" -o "$tmp/min/again" &&
		grep -q 'events remain, same bug' "$tmp/min.log"
}
check "make minimize shrinks the planted crash and keeps the same bug" minimize_ok

# ---- make triage ----
triage_ok() {
	local d=$tmp/tri/slub_boot-libfuzzer-seed
	mkdir -p "$d" "$tmp/tri/slub_ops-libfuzzer-seed"
	cp "$plant/crash-planted" "$d/crash-aaa"
	cp corpus/regressions/slub_boot/seed/null_create_kmalloc_cache "$d/crash-bbb"
	cp corpus/regressions/slub_ops/seed/stale_cpu_slab_owner "$tmp/tri/slub_ops-libfuzzer-seed/crash-ccc"
	make -s triage DIR="$tmp/tri" >"$tmp/tri.log" 2>&1 || { cat "$tmp/tri.log"; return 1; }
	cat "$tmp/tri/triage/summary.txt"
	grep -q '3 input(s); 2 distinct by cause' "$tmp/tri/triage/summary.txt" &&
		grep -A1 '^[0-9]*\. cause: SEED_KMALLOC_CACHE_UNCHECKED$' "$tmp/tri/triage/summary.txt" |
		grep -q 'runtime error: null pointer passed.* (2 input(s))' &&
		grep -q "input: $d/crash-bbb " "$tmp/tri/triage/summary.txt"
}
check "make triage groups two inputs of one bug as one, around the smaller" triage_ok

# ---- make prog2c: the planted crash, the regressions, every shipped seed ----
prog2c_reproduces() { # FILE [BOOTSTRAP]: the C reproducer shows the replay build's bug
	local f=$1 bs=${2:-seed} t want got
	t=$(echo "$f" | grep -oE 'slub_[a-z]+' | head -1)
	CRASH="$f" TARGET="$t" BOOTSTRAP="$bs" OUTDIR="$tmp/p2c" bash ci/prog2c.sh >"$tmp/p2c.log" 2>&1
	[ $? -eq 1 ] || { tail -20 "$tmp/p2c.log"; return 1; }
	# past the known findings, as prog2c's reproducer runs (SLUBFUZZ_KNOWN, ci/flavour.sh)
	want=$(SLUBFUZZ_KNOWN=$([ "$bs" = seed ] && echo "$PWD/corpus/known/seed.txt") \
		sig_of "build/replay$([ "$bs" = seed ] && echo -seed)/$t" "$f")
	got=$(bash ci/signature.sh "$(find "$tmp/p2c" -name "$(basename "$f").log" | head -1)")
	# compare the kind and the first frame (the reproducer's own frames are main, not replay's)
	echo "replay: $want"
	echo "prog2c: $got"
	[ "${want%% :: *}" = "${got%% :: *}" ] &&
		{ [ "${want%% :: *}" = FINDING ] || [ "${want#* :: }" = "${got#* :: }" ] ||
			[ "$(cut -d' ' -f1 <<<"${want#* :: }")" = "$(cut -d' ' -f1 <<<"${got#* :: }")" ]; }
}
check "make prog2c: the planted crash's C file builds with the harness's oracle and reproduces it" \
	prog2c_reproduces "$plant/crash-planted"
for f in corpus/regressions/*/seed/*; do
	case "$f" in *.txt | *.why) continue ;; esac
	[ -f "$f" ] || continue
	check "prog2c reproduces seed regression $f on seed" prog2c_reproduces "$f" seed
done
for f in corpus/regressions/*/open/*; do
	case "$f" in *.txt | *.why) continue ;; esac
	[ -f "$f" ] || continue
	check "prog2c reproduces open finding $f on fixed" prog2c_reproduces "$f" fixed
done

# every shipped seed and fixed regression: the reproducer runs clean on fixed and its trace
# digest is the replay driver's, so it does what the harness does, event for event
make -s -j"$JOBS" prog2c-tools replay CC=clang SAN=asan >/dev/null 2>&1
objdir=$(make -s --no-print-directory print-REPLAY_OBJDIR CC=clang SAN=asan)
p2c_cflags="$(flags COMMON_CFLAGS) -O1 $(flags SAN_FLAGS_asan_clang) -Iallocator/include -Iallocator -Ifuzz"
# the harness's own objects, as ci/prog2c.sh links them: the reproducer has no oracle of its own
p2c_objs="$(echo "$objdir"/allocator/*.o) $(make -s --no-print-directory print-FUZZ_LIB_SRCS |
	tr ' ' '\n' | sed "s|^|$objdir/|; s|\.c\$|.o|" | paste -sd ' ' -)"
seed_digest() { # TARGET FILE
	local t=$1 f=$2 c want got
	c=$tmp/seeds/$t-$(basename "$f")
	build/tools/prog2c-"$t" "$f" -o "$c.c" || return 1
	# shellcheck disable=SC2086
	clang $p2c_cflags "$c.c" fuzz/"$t".c $p2c_objs -o "$c" || return 1
	got=$("$c" -digest 2>"$c.log") || { tail -5 "$c.log"; return 1; }
	want=$(build/replay/"$t" -digest "$f" 2>/dev/null | cut -d' ' -f1)
	[ "$got" = "$want" ] || { echo "digest $got, replay $want: the reproducer does not run what the replay runs"; return 1; }
}
export -f seed_digest
export tmp p2c_cflags p2c_objs
mkdir -p "$tmp/seeds"
for t in $targets; do
	# in parallel, one verdict per seed
	# the shipped seeds and the fixed regressions
	{ find "build/corpus/$t" -maxdepth 1 -type f; find "corpus/regressions/$t" -maxdepth 1 -type f \
		! -name '*.txt' ! -name '*.why' ! -name 'README*' 2>/dev/null; } | sort |
		xargs -P "$JOBS" -I{} bash -c 'seed_digest "$1" "$2" >"$tmp/seeds/$(basename "$2").$1.out" 2>&1 && echo ok || echo "FAIL $2"' _ "$t" {} \
		>"$tmp/seeds/$t.verdicts"
	while read -r v f; do
		if [ "$v" = ok ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL prog2c reproducer of $f: not clean or not the replay's digest"
			sed 's/^/  | /' "$tmp/seeds/$(basename "$f").$t.out" | tail -10
		fi
	done < <(sed 's/^ok$/ok -/' "$tmp/seeds/$t.verdicts")
done

# ---- make fuzz-batch ----
# make fuzz writes under findings/, where a user's own runs may be going on: the batch tests
# run in a copy of the tree (same mtimes, build/ shared, so nothing is rebuilt)
tree=$tmp/tree
mkdir -p "$tree"
git ls-files -co --exclude-standard | while read -r f; do
	[ -e "$f" ] && cp -p --parents "$f" "$tree/"
done
ln -s "$PWD/build" "$tree/build"
batch_dir() { sed -n 's/.*results in \(findings\/batch-[0-9-]*\)\/.*/\1/p' "$1" | sed "s|^|$tree/|" | head -1; }
batch_clean() { # every target, both engines, a few seconds: runs, summary, no finding but known open ones
	(cd "$tree" && FUZZ_SECONDS=3 bash ci/fuzz-batch.sh) >"$tmp/batch.log" 2>&1
	local rc=$? d
	d=$(batch_dir "$tmp/batch.log")
	[ -n "$d" ] && [ -f "$d/summary.txt" ] || { tail -20 "$tmp/batch.log"; return 1; }
	cat "$d/summary.txt"
	[ "$(grep -cE '^slub_[a-z]+ +(libfuzzer|afl) +[01] ' "$d/summary.txt")" -eq $(($(wc -w <<<"$targets") * 2)) ] ||
		return 1
	if [ $rc -ne 0 ]; then # only the open finding may be found in fixed
		grep -qE 'stale owner|kmem_cache structure|STALE_BOOT_SLAB_OWNER' "$d/triage/summary.txt" || return 1
	fi
	rm -rf "$d"
}
check "make fuzz-batch: every target with both engines, a summary, no unknown finding" batch_clean
batch_finds() { # the seed variant: the batch finds its defect, copies it, triages it, fails
	(cd "$tree" && FUZZ_SECONDS=3 TARGETS=slub_ops ENGINES=libfuzzer BOOTSTRAP=seed \
		bash ci/fuzz-batch.sh) >"$tmp/batch2.log" 2>&1
	local rc=$? d
	d=$(batch_dir "$tmp/batch2.log")
	cat "$d/summary.txt" 2>/dev/null
	[ $rc -eq 1 ] && compgen -G "$d/slub_ops-libfuzzer-seed/crash-*" >/dev/null &&
		grep -q 'STALE_BOOT_SLAB_OWNER\|stale owner' "$d/triage/summary.txt" || { tail -20 "$tmp/batch2.log"; return 1; }
	rm -rf "$d"
}
check "make fuzz-batch BOOTSTRAP=seed fails on the seed's defect, copied and triaged" batch_finds

# ---- make corpus-merge ----
merge_ok() { # ENGINE: a short run's corpus merged back, new seeds as readable text
	local e=$1 from=$tmp/from-$1 n
	mkdir -p "$from/slub_boot-libfuzzer/corpus"
	build/libfuzzer/slub_boot -runs=400 -seed=7 -max_len=512 "$from/slub_boot-libfuzzer/corpus" \
		build/corpus/slub_boot >/dev/null 2>&1
	# in the tree's copy: findings/merged/ is the user's
	(cd "$tree" && make -s corpus-merge TARGET=slub_boot ENGINE="$e" FROM="$from" \
		SEEDS_OUT="$tmp/seeds-$e") >"$tmp/merge.log" 2>&1 || { tail -20 "$tmp/merge.log"; return 1; }
	grep -E 'new seed|inputs in' "$tmp/merge.log" | tail -3
	n=$(ls "$tmp/seeds-$e/slub_boot"/merged-*.txt 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] || return 1
	for f in "$tmp/seeds-$e/slub_boot"/merged-*.txt; do
		build/tools/slubprog roundtrip "$f" >/dev/null || return 1
	done
	build/tools/slubprog bin "$(ls "$tmp/seeds-$e/slub_boot"/merged-*.txt | head -1)" -o "$tmp/m1" &&
		build/replay/slub_boot "$tmp/m1"
}
check "make corpus-merge (libFuzzer -merge=1) writes new coverage back as merged-<hash>.txt" merge_ok libfuzzer
check "make corpus-merge ENGINE=afl (afl-cmin) does the same" merge_ok afl

# ---- make coverage ----
coverage_ok() {
	make -s coverage >"$tmp/cov.log" 2>&1 || { tail -20 "$tmp/cov.log"; return 1; }
	grep -E '^TOTAL' "$tmp/cov.log"
	for t in $targets; do [ -s "build/coverage/$t/html/index.html" ] || return 1; done
	[ "$(grep -cE '^TOTAL +[0-9]+/[0-9]+ +[0-9.]+% +[0-9]+/[0-9]+ +[0-9.]+%' "$tmp/cov.log")" -eq "$(wc -w <<<"$targets")" ]
}
check "make coverage: HTML report and a summary with line and branch figures" coverage_ok

# ---- make plot: an AFL++ instance's plot_data and a libFuzzer fuzz.log, made up ----
plot_ok() {
	local d=$tmp/plotrun
	mkdir -p "$d/main"
	{
		echo "# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found"
		for i in 1 2 3 4 5 6; do echo "$((i * 5)), 0, $i, $((20 + i)), 10, 5, 2$i.00%, 0, 0, 2, 90.00, $((i * 450)), $((1400 + i * 20))"; done
	} >"$d/main/plot_data"
	{
		printf '#2\tINITED cov: 100 ft: 120 corp: 1/1b exec/s: 0 rss: 30Mb\n'
		printf '#400\tNEW    cov: 150 ft: 200 corp: 5/40b lim: 4 exec/s: 200 rss: 31Mb L: 2/2 MS: 1 ChangeBit-\n'
		printf '#1024\tpulse  cov: 180 ft: 260 corp: 9/90b lim: 8 exec/s: 256 rss: 31Mb\n'
	} >"$d/fuzz.log"
	make -s plot DIR="$d" >"$tmp/plot.log" 2>&1 || { cat "$tmp/plot.log"; return 1; }
	cat "$tmp/plot.log"
	[ "$(wc -l <"$d/plots/libfuzzer.dat")" -eq 3 ] && grep -q '^4.00 180 260 9$' "$d/plots/libfuzzer.dat" ||
		return 1
	if command -v gnuplot >/dev/null; then
		[ -s "$d/plots/libfuzzer-coverage.png" ] && compgen -G "$d/plots/afl-main/*.png" >/dev/null
	else
		grep -q 'gnuplot is missing' "$tmp/plot.log"
	fi
}
check "make plot: afl-plot of an AFL++ run, coverage over time of a libFuzzer run" plot_ok

# ---- the ClusterFuzzLite and OSS-Fuzz files ----
cflite_ok() {
	local f modes
	grep -qx 'language: c' .clusterfuzzlite/project.yaml || return 1
	grep -q '^FROM gcr.io/oss-fuzz-base/base-builder' .clusterfuzzlite/Dockerfile &&
		grep -q 'COPY .clusterfuzzlite/build.sh $SRC/' .clusterfuzzlite/Dockerfile || return 1
	for f in .github/workflows/cflite_*.yml; do
		# only the two actions, at v1; language c; modes the action knows
		grep -E 'uses:' "$f" | grep -vqE 'google/clusterfuzzlite/actions/(build|run)_fuzzers@v1|github/codeql-action/upload-sarif@v3' &&
			{ echo "$f: unknown action"; return 1; }
		grep -E '^\s+language:' "$f" | grep -vqE 'language: c$' && { echo "$f: language"; return 1; }
		modes=$(sed -n 's/^\s*mode: *//p' "$f")
		for m in $modes; do
			case "$m" in code-change | batch | prune | coverage) ;; *) echo "$f: mode $m"; return 1 ;; esac
		done
	done
	grep -q 'mode: code-change' .github/workflows/cflite_pr.yml &&
		grep -q 'mode: batch' .github/workflows/cflite_batch.yml &&
		grep -q 'mode: prune' .github/workflows/cflite_cron.yml &&
		grep -q 'mode: coverage' .github/workflows/cflite_cron.yml &&
		grep -q 'upload-build: true' .github/workflows/cflite_build.yml || return 1
	grep -qx 'language: c' ci/oss-fuzz/project.yaml &&
		grep -q '^FROM gcr.io/oss-fuzz-base/base-builder' ci/oss-fuzz/Dockerfile &&
		grep -q '"$SRC/slubfuzz/build.sh"' ci/oss-fuzz/build.sh &&
		grep -q '"$SRC/slubfuzz/build.sh"' .clusterfuzzlite/build.sh
}
check "ClusterFuzzLite and OSS-Fuzz files: base image, language c, known actions and modes" cflite_ok

# ==== issue 13: workflows a user can trust (one test per item, numbered as the issue) ====
# the fuzz runs happen in the tree's copy, a few seconds each, status every 2 s
fz() { # LOG VAR=VALUE...: make fuzz in the tree's copy, its output in LOG; returns its status
	local log=$1
	shift
	(cd "$tree" && env STATUS_SECONDS=2 "$@" bash ci/fuzz.sh) >"$log" 2>&1
}
holders() { # DIR: processes holding a file under DIR open (what the next run would trip on)
	local real p fd
	real=$(realpath "$1")
	for p in /proc/[0-9]*; do
		for fd in "$p"/fd/*; do
			case "$(readlink "$fd" 2>/dev/null)" in "$real" | "$real"/*)
				echo "${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) state $(awk '{print $3}' "$p/stat" 2>/dev/null)"
				break ;;
			esac
		done
	done
}
status_lines() { grep -cE '^fuzz: \[[0-9]+s/[0-9]+s\] execs [0-9]+ +exec/s [0-9]+ +cov [^ ]+ +corpus [0-9?]+ +findings [0-9]+' "$1"; }

# 1, 2, 11: AFL++ twice on one output folder: the earlier crash and queue survive, a JOBS=1 run
# shows no JOBS=2 instance, nothing holds the folder afterwards, status lines come
afl_twice() {
	local out=$tree/findings/slub_boot-afl q1 q2
	rm -rf "$out"
	fz "$tmp/afl1.log" TARGET=slub_boot ENGINE=afl JOBS=2 FUZZ_SECONDS=4 || { tail -20 "$tmp/afl1.log"; return 1; }
	echo "first run:"; grep -E '^fuzz: ' "$tmp/afl1.log"
	[ -z "$(holders "$out")" ] || { echo "left running:"; holders "$out"; return 1; }
	[ "$(status_lines "$tmp/afl1.log")" -ge 2 ] || { echo "no status line every 2 s (JOBS=2)"; return 1; }
	# every instance loads the schedule mutator, and the run says so
	grep -q 'schedule mutator build/afl-mutator/slub_mutator.so' "$tmp/afl1.log" &&
		grep -q 'Loading custom mutator library' "$out/afl-main.log" &&
		grep -q 'Loading custom mutator library' "$out/afl-s1.log" ||
		{ echo "AFL++ ran without the schedule mutator"; return 1; }
	cp "$plant/crash-planted" "$out/main/crashes/id:000000,sig:06,planted"
	q1=$(find "$out/main/queue" -maxdepth 1 -type f | wc -l)
	fz "$tmp/afl2.log" TARGET=slub_boot ENGINE=afl JOBS=1 FUZZ_SECONDS=4 || { tail -20 "$tmp/afl2.log"; return 1; }
	echo "second run:"; grep -E '^fuzz: ' "$tmp/afl2.log"
	q2=$(find "$out/main/queue" -maxdepth 1 -type f | wc -l)
	echo "queue $q1 -> $q2"
	compgen -G "$out/main/crashes*/id:000000,sig:06,planted" >/dev/null || { echo "the earlier crash is gone"; return 1; }
	[ "$q2" -ge "$q1" ] || { echo "the queue shrank"; return 1; }
	! grep -q '^fuzz: s1:' "$tmp/afl2.log" || { echo "a JOBS=1 run shows the JOBS=2 run's s1"; return 1; }
	grep -q '1 finding(s) of earlier runs' "$tmp/afl2.log" || return 1
	[ "$(status_lines "$tmp/afl2.log")" -ge 2 ] || { echo "no status line every 2 s (JOBS=1)"; return 1; }
	[ -z "$(holders "$out")" ] || { echo "left running:"; holders "$out"; return 1; }
}
check "1,2,11: make fuzz ENGINE=afl twice: earlier crash and queue kept, nothing left running, status lines" afl_twice

# 11: libFuzzer with JOBS=1 and JOBS=2 (fork mode): status lines with numbers
lf_status() { # JOBS
	fz "$tmp/lf$1.log" TARGET=slub_boot ENGINE=libfuzzer JOBS="$1" FUZZ_SECONDS=5 || { tail -20 "$tmp/lf$1.log"; return 1; }
	grep -E '^fuzz: \[' "$tmp/lf$1.log"
	[ "$(status_lines "$tmp/lf$1.log")" -ge 2 ] &&
		[ "$(grep -E '^fuzz: \[' "$tmp/lf$1.log" | tail -1 | sed -E 's/.* execs ([0-9]+) .*/\1/')" -gt 0 ]
}
check "11: make fuzz (libFuzzer, JOBS=1) prints status lines with its numbers" lf_status 1
check "11: make fuzz (libFuzzer, JOBS=2, fork mode) prints status lines with its numbers" lf_status 2

# 6: a stale libFuzzer crash file is not this run's finding; AFL++'s dry-run crash is one
lf_stale() {
	local out=$tree/findings/slub_boot-libfuzzer
	mkdir -p "$out" && cp "$plant/crash-planted" "$out/crash-stale"
	touch -d '1 hour ago' "$out/crash-stale"
	fz "$tmp/stale.log" TARGET=slub_boot ENGINE=libfuzzer FUZZ_SECONDS=2
	local rc=$?
	tail -3 "$tmp/stale.log"
	[ $rc -eq 0 ] && grep -q '1 finding(s) of earlier runs' "$tmp/stale.log" &&
		grep -q 'no finding in 2s' "$tmp/stale.log"
}
check "6: make fuzz (libFuzzer) does not count an earlier run's crash file as its finding" lf_stale
afl_dryrun() { # BOOTSTRAP=seed: shipped seeds crash in afl-fuzz's dry run; each is a finding
	rm -rf "$tree/findings/slub_boot-afl-seed"
	fz "$tmp/dry.log" TARGET=slub_boot ENGINE=afl BOOTSTRAP=seed FUZZ_SECONDS=3
	local rc=$?
	grep -E "results in a crash" "$tree/findings/slub_boot-afl-seed/afl-main.log" | head -3
	grep -E '^fuzz: |crash-dryrun' "$tmp/dry.log" | tail -6
	[ $rc -eq 1 ] && grep -q "crash-dryrun-" "$tmp/dry.log" &&
		[ -z "$(holders "$tree/findings/slub_boot-afl-seed")" ]
}
check "6: make fuzz ENGINE=afl: a seed that crashes in the dry run is a finding (exit 1)" afl_dryrun

# 3: both forms everywhere, told apart; a broken text program refused with its line
printf '#slubprog\nboot nodes=2\nkmalloc slot=1 size=lots\n' >"$tmp/broken.txt"
text_forms() {
	local t=$tmp/text/slub_boot-libfuzzer-seed rc
	mkdir -p "$t" && cp "$tmp/planted.txt" "$t/planted.txt"
	# the text program reproduces as its binary does
	make -s repro CRASH="$t/planted.txt" >"$tmp/rt.log" 2>&1
	grep -q 'runtime error: null pointer passed' "$tmp/rt.log" && grep -q 'reproduces on slub_boot' "$tmp/rt.log" ||
		{ echo "repro of a text program:"; tail -5 "$tmp/rt.log"; return 1; }
	for w in repro prog2c minimize; do
		CRASH=$tmp/broken.txt OUTDIR=$tmp/bt bash "ci/$w.sh" >"$tmp/bt.log" 2>&1
		rc=$?
		echo "$w: exit $rc: $(grep -m1 'line 3' "$tmp/bt.log")"
		[ $rc -eq 2 ] && grep -q 'line 3: size=lots' "$tmp/bt.log" || { tail -5 "$tmp/bt.log"; return 1; }
	done
	mkdir -p "$tmp/bt/dir" && cp "$tmp/broken.txt" "$tmp/bt/dir/"
	DIR=$tmp/bt/dir bash ci/triage.sh >"$tmp/bt.log" 2>&1
	grep -q 'line 3: size=lots' "$tmp/bt.log" || { cat "$tmp/bt.log"; return 1; }
	build/replay/slub_boot "$tmp/broken.txt" >"$tmp/bt.log" 2>&1
	[ $? -eq 2 ] && grep -q 'line 3' "$tmp/bt.log" || { cat "$tmp/bt.log"; return 1; }
	# a binary input is never read as text, a text program without its first line is no text
	! build/tools/slubprog bin "$plant/crash-planted" -o /dev/null 2>/dev/null &&
		sed 1d "$tmp/planted.txt" >"$tmp/nomagic.txt" &&
		! build/tools/slubprog bin "$tmp/nomagic.txt" -o /dev/null 2>"$tmp/bt.log" &&
		grep -q 'first line must begin with #slubprog' "$tmp/bt.log"
}
check "3: repro, prog2c, minimize, triage and replay take text programs; a broken one stops at its line" text_forms
shipped_text() { # every shipped text program begins with the marker
	local f bad=0
	for f in corpus/*/*.txt corpus/regressions/*/*.txt corpus/regressions/*/*/*.txt; do
		[ -f "$f" ] || continue
		case "$f" in corpus/known/*) continue ;; esac # finding patterns, not programs
		[ "$(head -1 "$f" | cut -d' ' -f1)" = "#slubprog" ] || { echo "$f"; bad=1; }
	done
	[ $bad -eq 0 ]
}
check "3: every shipped .txt program begins with #slubprog" shipped_text

# 4: minimize's output keeps its flavour: prog2c on it builds for seed and reproduces, and the
# C file names the define it needs (and refuses to build without it)
flavour_travels() {
	local m=$tmp/min/slub_boot-libfuzzer-seed/crash-planted.min c
	[ -f "$m" ] || { echo "no minimised input (the minimize test failed)"; return 1; }
	make -s prog2c CRASH="$m" OUTDIR="$tmp/p2cm" >"$tmp/p2cm.log" 2>&1
	grep -qE 'make(\[[0-9]+\])?: \*\*\* .* Error 1' "$tmp/p2cm.log" || { tail -10 "$tmp/p2cm.log"; return 1; }
	c=$(find "$tmp/p2cm" -name '*.c' | head -1)
	echo "$c"
	grep -q -- '-DSLUB_BOOTSTRAP_SEED' "$c" && grep -q 'reproduces' "$tmp/p2cm.log" &&
		! clang -fsyntax-only -Iallocator/include -Iallocator "$c" 2>"$tmp/p2cm.err" &&
		grep -q 'generated for a build with -DSLUB_BOOTSTRAP_SEED' "$tmp/p2cm.err"
}
check "4: make prog2c on make minimize's output builds for its flavour; the C file names its define" flavour_travels

# 5: a flavour that does not exist is refused before anything is built
no_such_flavour() {
	local a rc
	for a in "fuzz BUG=NO_SUCH_BUG" "fuzz BUG=missed_list_del" "coverage BOOTSTRAP=weird" \
		"repro CRASH=$plant/crash-planted NUMA=2" "fuzzers SAN=tsan"; do
		# shellcheck disable=SC2086
		timeout 60 make -s $a >"$tmp/nf.log" 2>&1
		rc=$?
		echo "make $a: exit $rc: $(head -1 "$tmp/nf.log")"
		[ $rc -eq 2 ] && grep -qE 'BUG=|BOOTSTRAP=weird|NUMA=2|SAN=tsan' "$tmp/nf.log" &&
			! grep -q 'fuzz: building\|no finding' "$tmp/nf.log" || return 1
	done
}
check "5: BUG=NO_SUCH_BUG, lower-case names, BOOTSTRAP=weird, NUMA=2, SAN=tsan are refused" no_such_flavour

# 7: exit codes as documented: the scripts' 1 and 2; through make, "Error 1" and "Error 2"
exit_codes() {
	CRASH=$plant/crash-planted bash ci/repro.sh >/dev/null 2>&1
	[ $? -eq 1 ] || { echo "repro.sh on a crash: not 1"; return 1; }
	CRASH=corpus/regressions/slub_ops/create_null_debug_o_unique_id bash ci/repro.sh >/dev/null 2>&1 ||
		{ echo "repro.sh on a fixed regression: not 0"; return 1; }
	CRASH=$tmp/none bash ci/repro.sh >/dev/null 2>&1
	[ $? -eq 2 ] || { echo "repro.sh on a missing file: not 2"; return 1; }
	make -s repro CRASH="$plant/crash-planted" >"$tmp/ec.log" 2>&1
	[ $? -eq 2 ] && tail -1 "$tmp/ec.log" | grep -q 'Error 1$' || { tail -2 "$tmp/ec.log"; return 1; }
	make -s repro CRASH="$tmp/none" >"$tmp/ec.log" 2>&1
	[ $? -eq 2 ] && tail -1 "$tmp/ec.log" | grep -q 'Error 2$' || { tail -2 "$tmp/ec.log"; return 1; }
	make -s repro CRASH=corpus/regressions/slub_ops/create_null_debug_o_unique_id >/dev/null 2>&1 &&
		grep -q 'Error 1' ci/WORKFLOWS.md && grep -q 'Error 1' fuzz/README.md
}
check "7: repro exits 1 (reproduces), 0 (clean), 2 (usage); through make: Error 1 / Error 2, as documented" exit_codes

# 8: triage: a clean input is no bug; what the workflows derive (C files, logs, executables,
# a .min's .min.txt) is never replayed
triage_derived() {
	local d=$tmp/tri8/slub_boot-libfuzzer-seed
	mkdir -p "$d" "$tmp/tri8/repro" "$tmp/tri8/slub_boot-libfuzzer"
	cp "$plant/crash-planted" "$d/crash-one"
	cp build/corpus/slub_boot/default_machine "$tmp/tri8/slub_boot-libfuzzer/crash-clean" # clean on fixed
	(cd "$d" && build_c=1 && echo 'int main(void) { return 0; }' >crash-one.c && echo log >crash-one.log &&
		cp /bin/true crash-one-bin && chmod +x crash-one-bin)
	cp "$plant/crash-planted" "$d/crash-two.min" && build/tools/slubprog text "$d/crash-two.min" -o "$d/crash-two.min.txt"
	make -s triage DIR="$tmp/tri8" >"$tmp/tri8.log" 2>&1 || { cat "$tmp/tri8.log"; return 1; }
	cat "$tmp/tri8/triage/summary.txt"
	# crash-one, crash-clean, crash-two.min: 3 inputs, 1 bug, 1 without a finding
	grep -q '3 input(s); 1 distinct by cause (1 by signature); 1 input(s) without a finding' "$tmp/tri8/triage/summary.txt" &&
		! grep -q 'ran clean ::\|none ::' "$tmp/tri8/triage/summary.txt" && [ ! -e "$tmp/tri8/triage/finding-2.txt" ]
}
check "8: make triage: a clean input is no bug; .c, .log, executables and .min.txt are not inputs" triage_derived

# 9: the replay driver: -random writes the failing input and names it; bad numbers and empty
# folders are errors
replay_random() {
	local d=$tmp/rnd f
	mkdir -p "$d/empty"
	(cd "$d" && "$OLDPWD/build/replay-seed/slub_boot" -random=300:7) >"$d/log" 2>&1
	local rc=$?
	f=$(sed -n 's/.*reproduce: make repro CRASH=\(replay-random-[0-9]*-[0-9]*\).*/\1/p' "$d/log" | head -1)
	echo "exit $rc, input $f"
	[ $rc -eq 1 ] && [ -n "$f" ] && [ -f "$d/$f" ] && [ "$(ls "$d" | grep -c '^replay-random-')" -eq 1 ] || return 1
	# the file is the input: it reproduces alone
	build/replay-seed/slub_boot "$d/$f" >/dev/null 2>&1
	[ $? -eq 1 ] || return 1
	build/replay/slub_boot -timeout=abc "$d/$f" >/dev/null 2>&1
	[ $? -eq 2 ] || { echo "-timeout=abc accepted"; return 1; }
	build/replay/slub_boot -runs=0 "$d/$f" >/dev/null 2>&1
	[ $? -eq 2 ] || { echo "-runs=0 accepted"; return 1; }
	build/replay/slub_boot "$d/empty" >"$d/empty.log" 2>&1
	[ $? -eq 2 ] && grep -q 'holds no input' "$d/empty.log"
}
check "9: replay -random keeps and names the failing input; -timeout=abc and an empty folder are errors" replay_random

# 10: a ClusterFuzz testcase name gives its target; SAN=ubsan reproduces in the UBSan build
clusterfuzz_name() {
	local c=$tmp/cf/clusterfuzz-testcase-minimized-slub_boot-5736000000000000
	mkdir -p "$tmp/cf" && cp corpus/regressions/slub_boot/seed/null_create_kmalloc_cache "$c"
	make -s repro CRASH="$c" BOOTSTRAP=seed >"$tmp/cf.log" 2>&1
	grep -q 'came from: slub_boot' "$tmp/cf.log" && grep -q 'reproduces on slub_boot' "$tmp/cf.log" ||
		{ tail -5 "$tmp/cf.log"; return 1; }
	make -s repro CRASH="$c" BOOTSTRAP=seed SAN=ubsan >"$tmp/cf.log" 2>&1
	grep -q 'build/replay-seed-ubsan/slub_boot' "$tmp/cf.log" && grep -q 'UBSan' "$tmp/cf.log" &&
		grep -q 'runtime error: null pointer passed' "$tmp/cf.log" && ! grep -q AddressSanitizer "$tmp/cf.log"
}
check "10: a clusterfuzz-testcase-...-slub_boot-... runs on slub_boot; make repro SAN=ubsan uses the UBSan build" clusterfuzz_name

# 12: coverage of one target, from the corpus a campaign grew
coverage_campaign() {
	local n_seeds n
	(cd "$tree" && make -s coverage TARGET=slub_boot) >"$tmp/cov12.log" 2>&1 || { tail -10 "$tmp/cov12.log"; return 1; }
	n_seeds=$(ls build/corpus/slub_boot | wc -l)
	n=$(sed -n 's/^coverage: slub_boot: \([0-9]*\) input(s).*/\1/p' "$tmp/cov12.log")
	head -1 "$tmp/cov12.log"
	[ "${n:-0}" -gt "$n_seeds" ] && grep -q 'findings/slub_boot-libfuzzer/corpus' "$tmp/cov12.log" &&
		[ -s build/coverage/slub_boot/html/index.html ] && ! grep -q 'coverage: slub_ops' "$tmp/cov12.log"
}
check "12: make coverage TARGET=slub_boot: one target, from the corpus make fuzz grew" coverage_campaign

# 13: the OSS-Fuzz and ClusterFuzzLite details
oss_fuzz_details() {
	local f
	for f in ci/oss-fuzz/Dockerfile ci/oss-fuzz/build.sh; do
		grep -q 'Licensed under the Apache License, Version 2.0' "$f" || { echo "$f: no license header"; return 1; }
	done
	head -1 ci/oss-fuzz/build.sh | grep -q '^#!/bin/bash' || return 1
	grep -q "'Makefile'" .github/workflows/cflite_pr.yml && grep -q "'sanitizers/flags.mk'" .github/workflows/cflite_pr.yml || return 1
	for f in $(grep -l 'output-sarif: true' .github/workflows/*.yml); do
		grep -q 'security-events: write' "$f" && grep -q 'upload-sarif' "$f" || { echo "$f: SARIF goes nowhere"; return 1; }
	done
	grep -qx 'build/' .dockerignore && grep -qx 'findings/' .dockerignore &&
		grep -q 'AFL++ with$\|AFL++ with address only' ci/oss-fuzz/build.sh
}
check "13: OSS-Fuzz license headers, PR path filter, SARIF upload, .dockerignore, AFL++ address only" oss_fuzz_details

# 14: no noise: no ABRT report after the oracle's finding, no shell "Aborted", no deleted
# temporary paths, no "review" when nothing was added
no_noise() {
	make -s repro CRASH=corpus/regressions/slub_ops/seed/stale_cpu_slab_owner >"$tmp/n.log" 2>&1
	grep -q '==slubfuzz== FINDING\|==slubfuzz== KNOWN' "$tmp/n.log" || return 1
	! grep -qE 'ABRT on unknown address|Aborted' "$tmp/n.log" || { grep -E 'ABRT|Aborted' "$tmp/n.log"; return 1; }
	make -s repro CRASH="$plant/crash-planted" >"$tmp/n.log" 2>&1
	! grep -q 'Aborted' "$tmp/n.log" || { grep Aborted "$tmp/n.log"; return 1; }
	# (the tree's own path is left out: a clone may itself live under /tmp)
	! sed "s|$PWD||g" "$tmp/min.log" | grep -qE '/tmp/|\.XXXX|tmp\.[A-Za-z0-9]{6,}' ||
		{ sed "s|$PWD||g" "$tmp/min.log" | grep -E '/tmp/|tmp\.'; return 1; }
	(cd "$tree" && make -s corpus-merge TARGET=slub_boot FROM="$tmp/empty-from" SEEDS_OUT="$tmp/seeds-none") \
		>"$tmp/nm.log" 2>&1
	tail -2 "$tmp/nm.log"
	! grep -q 'review the new' "$tmp/nm.log" || return 1
	# a campaign that runs on past known findings restarts libFuzzer after each abort
	fz "$tmp/nk.log" TARGET=slub_ops BOOTSTRAP=seed FUZZ_SECONDS=6
	grep -q 'known' "$tmp/nk.log" && ! grep -E 'Aborted' "$tmp/nk.log"
}
mkdir -p "$tmp/empty-from/slub_boot-libfuzzer/corpus"
cp build/corpus/slub_boot/* "$tmp/empty-from/slub_boot-libfuzzer/corpus/"
check "14: no ABRT report or Aborted line after a finding (make fuzz on known findings too), no deleted paths, no review without news" no_noise

# 15: the C API says why it refuses a configuration
api_einval() {
	cat >"$tmp/cfg.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "slub.h"
int main(void)
{
	static struct slub_config cfg;
	int rc;

	slub_config_default(&cfg);
	cfg.nr_node_ids = 1024;
	rc = slub_boot(&cfg);
	printf("slub_boot: %d\n%s", rc, slub_dmesg());
	return !(rc == SLUB_BOOT_EINVAL && strstr(slub_dmesg(), "arena holds"));
}
EOF
	# shellcheck disable=SC2086
	clang $p2c_cflags "$tmp/cfg.c" "$objdir"/allocator/*.o -o "$tmp/cfg" && "$tmp/cfg"
}
check "15: slub_config_default, nr_node_ids=1024: slub_boot says in the dmesg why it refuses" api_einval

# 16: one source of truth
one_source() {
	local bad=0 f
	for f in ci/*.sh bench/*.sh; do
		[ "$f" = ci/testlib.sh ] || [ "$f" = ci/workflow-tests.sh ] && continue
		grep -qE '^\s*die\(\) *\{' "$f" && { echo "$f defines die"; bad=1; }
		grep -qE '^\s*flags?(val)?\(\) *\{|make -s (--no-print-directory )?-f "?\$?\{?flags' "$f" &&
			{ echo "$f reads flags.mk itself"; bad=1; }
		grep -q 'AFL_SKIP_CPUFREQ\|AFL_I_DONT_CARE' "$f" && { echo "$f sets the AFL++ environment itself"; bad=1; }
	done
	grep -E -- '-fsanitize=[a-eg-z]|-fprofile|\$\(or \$\(SAN_FLAGS' fuzz/fuzz.mk ci/workflows.mk bench/bench.mk &&
		{ echo "sanitizer flag literals (fallbacks) outside flags.mk"; bad=1; }
	grep -q 'WARN)' bench/bench.mk && { echo 'bench.mk uses an undefined $(WARN)'; bad=1; }
	grep -qE '"?\$?s-up"?|s=-seed' ci/flavour.sh && { echo "flavour.sh restates the suffix"; bad=1; }
	[ $bad -eq 0 ]
}
check "16: die, flags.mk reader and AFL++ environment once (ci/testlib.sh, flags.mk); no flag literals" one_source


# ==== issue 19, the program format and the user's commands (helper "format") ====
# 19-4: what a user did not mean is refused with one clear line and exit 2, never run as bytes
# or overflowed: a text program without its #slubprog line, nodes=0, a key given twice, a text
# program without a record; SLUBFUZZ_BYTES=1 runs such a file's bytes on purpose
i19_text_programs() {
	local f rc
	printf 'boot nodes=2 cpus=2\nkmalloc slot=1 size=100\n' >"$tmp/i19-nomagic.txt"
	printf '#slubprog\nboot nodes=0\n' >"$tmp/i19-nodes0.txt"
	printf '#slubprog\nboot cpus=0\n' >"$tmp/i19-cpus0.txt"
	printf '#slubprog\nboot cpus=1 cpus=2\n' >"$tmp/i19-twice.txt"
	printf '#slubprog\n# nothing else\n' >"$tmp/i19-empty.txt"
	for f in nomagic:'first line is not #slubprog' nodes0:'line 2: nodes=0 is out of range: 1..1024' \
		cpus0:'line 2: cpus=0 is out of range: 1..64' twice:"line 2: boot: 'cpus' given twice" \
		empty:'write `boot` for the default machine'; do
		build/replay/slub_ops "$tmp/i19-${f%%:*}.txt" >"$tmp/i19.log" 2>&1
		rc=$?
		echo "replay ${f%%:*}: exit $rc: $(head -1 "$tmp/i19.log")"
		[ $rc -eq 2 ] && grep -qF "${f#*:}" "$tmp/i19.log" && ! grep -q 'runtime error' "$tmp/i19.log" ||
			return 1
	done
	make -s repro CRASH="$tmp/i19-nomagic.txt" >"$tmp/i19.log" 2>&1
	[ $? -eq 2 ] && grep -q 'SLUBFUZZ_BYTES=1' "$tmp/i19.log" && tail -1 "$tmp/i19.log" | grep -q 'Error 2$' ||
		{ echo "make repro of a text program without #slubprog:"; tail -3 "$tmp/i19.log"; return 1; }
	CRASH=$tmp/i19-nodes0.txt OUTDIR=$tmp/i19-p2c bash ci/prog2c.sh >"$tmp/i19.log" 2>&1
	[ $? -eq 2 ] && grep -q '1..1024' "$tmp/i19.log" && ! grep -q 'runtime error' "$tmp/i19.log" ||
		{ echo "prog2c of nodes=0:"; tail -3 "$tmp/i19.log"; return 1; }
	SLUBFUZZ_BYTES=1 build/replay/slub_ops "$tmp/i19-nomagic.txt" >"$tmp/i19.log" 2>&1 ||
		{ echo "SLUBFUZZ_BYTES=1 does not run it as bytes:"; tail -3 "$tmp/i19.log"; return 1; }
}
check "19-4: no #slubprog line, nodes=0, cpus=0, a key twice, no record: one clear line, exit 2; SLUBFUZZ_BYTES=1 runs bytes" \
	i19_text_programs

# 19-15: prog2c on a broken text program: its line, exit 2, no LeakSanitizer report, no folder
i19_prog2c_broken() {
	CRASH=$tmp/broken.txt OUTDIR=$tmp/i19-p15 bash ci/prog2c.sh >"$tmp/i19.log" 2>&1
	local rc=$?
	cat "$tmp/i19.log"
	[ $rc -eq 2 ] && grep -q 'line 3: size=lots' "$tmp/i19.log" && ! grep -q 'LeakSanitizer' "$tmp/i19.log" &&
		[ ! -e "$tmp/i19-p15" ]
}
check "19-15: prog2c on a broken text program: its line, exit 2, no leak report, no empty folder left" i19_prog2c_broken

# 18: `make help` prints ci/workflows.txt, the one list of what a user can type; each default
# there is the script's (`${VAR:-default}`) or the Makefile's, each variable is passed by the
# make rule, each usage line's variables are listed, each workflow is documented; no document
# says `make fuzz` exits 1
i19_help() {
	local name script vars what v var def bad=0 mk="Makefile fuzz/fuzz.mk ci/workflows.mk bench/bench.mk"
	make -s help >"$tmp/help.txt" 2>&1 || { cat "$tmp/help.txt"; return 1; }
	while IFS='|' read -r name script vars what; do
		name=${name// /} script=${script// /}
		[[ -z "$name" || "$name" == \#* ]] && continue
		grep -q "^make $name\b" "$tmp/help.txt" || { echo "make help lacks $name"; bad=1; }
		grep -qE "^($name|[a-z -]* $name)( [a-z -]*)?:" $mk || { echo "no make rule $name"; bad=1; }
		IFS=',' read -ra vs <<<"$vars"
		for v in "${vs[@]}"; do
			v=${v# } v=${v% } var=${v%%=*} def=${v#*=}
			[ "$v" = - ] || [ -z "$v" ] && continue
			grep -qF "[$v]" "$tmp/help.txt" || grep -qF "[$var=\"$def\"]" "$tmp/help.txt" ||
				[[ "$def" == *! ]] || { echo "make help lacks $name's $v"; bad=1; }
			if [ "$script" != - ] && [[ "$script" == *.sh ]]; then
				# the rule passes the variable (given ones only, or as it is)
				grep -A4 -E "^($name|[a-z -]* $name)( [a-z -]*)?:" $mk >"$tmp/rule.txt"
				grep -q 'WF_VARS' "$tmp/rule.txt" && grep -A2 '^WF_VARS' ci/workflows.mk >>"$tmp/rule.txt"
				grep -qE "GIVEN,$var\)|\\\$\($var\)" "$tmp/rule.txt" ||
					{ echo "make $name does not pass $var"; bad=1; }
				[[ "$def" == \<* ]] && continue
				grep -qF -e ":-$def}" -e "=\"$def\"" "$script" || { echo "$script: $var's default is not $def"; bad=1; }
			elif [[ "$def" != \<* ]]; then
				grep -qE "^$var \?= $def\$" Makefile || { echo "Makefile: $var's default is not $def"; bad=1; }
			fi
		done
		# the script's usage line names only listed variables
		if [ "$script" != - ] && [ -f "$script" ]; then
			for var in $(grep -o "usage: make $name [^\"]*" "$script" | grep -oE '\[?[A-Z_]+=' | tr -d '[='); do
				[[ ",$vars" == *[\ ,]$var=* ]] || { echo "$script's usage names $var, ci/workflows.txt does not"; bad=1; }
			done
		fi
		# ci/WORKFLOWS.md's table row of the workflow names only listed variables
		for var in $(grep -m1 "^| \`make $name[ \`]" ci/WORKFLOWS.md | cut -d'|' -f2 | grep -oE '[A-Z_]+=' | tr -d '='); do
			[[ ",$vars" == *[\ ,]$var=* ]] || { echo "ci/WORKFLOWS.md's make $name names $var, ci/workflows.txt does not"; bad=1; }
		done
		case "$name" in help | clean | unit | replay | deps | test) continue ;; esac
		grep -qF "make $name" README.md fuzz/README.md ci/WORKFLOWS.md bench/RESULTS.md ||
			{ echo "make $name is in no document"; bad=1; }
	done <ci/workflows.txt
	grep -nE 'exits 1 when|make fuzz[^.]* exits 1' README.md fuzz/README.md ci/WORKFLOWS.md && bad=1
	[ $bad -eq 0 ]
}
check "18: make help lists ci/workflows.txt; its defaults are the scripts', usage lines and documents agree" i19_help
# bench/RESULTS.md: under 300 lines, its blocks what `make bench` writes (bench/compact.awk: a
# row per entry for both engines, the two profiles side by side, a fixed point on its own
# output), each section with its hand-written reading, which a run keeps
i19_results() {
	local n
	n=$(wc -l <bench/RESULTS.md)
	echo "bench/RESULTS.md: $n lines"
	[ "$n" -le 300 ] || return 1
	cp bench/RESULTS.md "$tmp/results.md"
	BENCH_RESULTS_FILE=$tmp/results.md bash bench/run.sh --recompact || return 1
	cmp bench/RESULTS.md "$tmp/results.md" || { echo "bench/run.sh --recompact changes RESULTS.md"; return 1; }
	[ "$(grep -c '^<!-- bench:[a-z]*:begin -->$' bench/RESULTS.md)" -eq 9 ] &&
		[ "$(grep -c '^\*\*Reading\*\* (hand-written)' bench/RESULTS.md)" -ge 8 ] || { echo "blocks or readings missing"; return 1; }
	printf '%s\n' '| entry | where | target | seeds | engine | shipped: found | median s | reduced: found | median s | fastest s | other |' \
		'| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |' \
		'| E | a.c:f | slub_ops | 1/43 | libfuzzer | 5/5 | 0.6 | 4/5 | 13.6 | 6.4 | 6 |' \
		'| E | a.c:f | slub_ops | 1/43 | afl | 5/5 | 1.3 | (the empty input triggers it) |  | 24.6 | 0 |' >"$tmp/ttb.md"
	awk -v section=ttb -f bench/compact.awk "$tmp/ttb.md" | tee "$tmp/ttb.c.md"
	grep -qxF '| E | a.c:f | slub_ops | 1/43 | 5/5, 0.6 | 4/5, 13.6 | 6.4 | 5/5, 1.3 | empty input | 24.6 | 6+0 |' "$tmp/ttb.c.md"
}
check "bench/RESULTS.md: under 300 lines, blocks as make bench writes them (compact, a fixed point), readings kept" i19_results
# ==== end of issue 19, helper "format" ====

# ==== issue 19, items 5-12 and 16 (plot): progress a user can trust ====
# the runs happen in the tree's copy (fz), a few seconds each; the numbers are checked against
# the engines' own counters (AFL++'s fuzzer_stats, libFuzzer's stat:: lines)
i19_status_ok() { # LOG: every status line has numbers (no "inf", no "?" execs)
	local all good
	all=$(grep -c '^fuzz: \[' "$1") good=$(status_lines "$1")
	[ "$all" -ge 1 ] && [ "$all" -eq "$good" ] || { echo "$1: $good of $all status lines well formed"; grep '^fuzz: \[' "$1"; return 1; }
}
i19_this_run() { sed -n 's/^fuzz: this run: \([0-9]*\) execs .*/\1/p' "$1"; }
i19_lifetime() { sed -n 's/^execs_done *: *//p' "$1" 2>/dev/null || echo 0; }

# 6, 10, 11: AFL++ JOBS=2, then resumed with JOBS=1 through fuzz-batch: numbers well formed, the
# resumed run counts (status lines, its closing line, fuzz-batch's execs column) its own share
# of main's lifetime execs_done, and it ends at its deadline (SIGINT: "aborted by user") rather
# than -V's fuzzing time after the dry run
i19_afl() {
	local out=$tree/findings/slub_boot-afl before after n last d log
	rm -rf "$out"
	fz "$tmp/i19a1.log" TARGET=slub_boot ENGINE=afl JOBS=2 FUZZ_SECONDS=2 || { tail -20 "$tmp/i19a1.log"; return 1; }
	i19_status_ok "$tmp/i19a1.log" || return 1
	before=$(i19_lifetime "$out/main/fuzzer_stats")
	(cd "$tree" && STATUS_SECONDS=2 FUZZ_SECONDS=3 TARGETS=slub_boot ENGINES=afl bash ci/fuzz-batch.sh) >"$tmp/i19a2.log" 2>&1
	d=$(batch_dir "$tmp/i19a2.log") log=$d/slub_boot-afl.log
	[ -f "$log" ] || { tail -20 "$tmp/i19a2.log"; return 1; }
	grep -E '^fuzz: (\[|this run)' "$log"
	i19_status_ok "$log" || return 1
	after=$(i19_lifetime "$out/main/fuzzer_stats")
	n=$(i19_this_run "$log")
	last=$(grep '^fuzz: \[' "$log" | tail -1 | sed -E 's/.* execs ([0-9]+) .*/\1/')
	echo "main's execs_done $before -> $after; this run $n; last status line $last"
	grep -E '^slub_boot' "$d/summary.txt"
	[ -n "$n" ] && [ "$n" -eq $((after - before)) ] && [ "$last" -eq "$n" ] &&
		grep -qE "^slub_boot +afl +[0-9]+ +$n " "$d/summary.txt" || return 1
	grep -q 'aborted by user' "$out/afl-main.log" || { echo "not ended by the deadline"; return 1; }
	[ -z "$(holders "$out")" ] || { echo "left running:"; holders "$out"; return 1; }
	rm -rf "$d"
}
check "19.6,10,11: AFL++ numbers from fuzzer_stats (resumed: this run's share, in fuzz-batch too), no inf, ended at its deadline" i19_afl

# 9, 10: a slow build: make fuzz says so every few seconds, and the fuzzing time starts after it
# (a make that takes 4 s more on the replay build, SECONDS=3: before, libFuzzer never started)
i19_slow_build() {
	mkdir -p "$tmp/slowmake"
	printf '#!/bin/sh\ncase "$*" in *-n*) ;; *build/replay*) sleep 4 ;; esac\nexec %s "$@"\n' "$(command -v make)" >"$tmp/slowmake/make"
	chmod +x "$tmp/slowmake/make"
	fz "$tmp/i19b.log" PATH="$tmp/slowmake:$PATH" PROGRESS_SECONDS=1 TARGET=slub_boot FUZZ_SECONDS=3
	grep -E '^fuzz: (build|this run|[0-9]+ libFuzzer)' "$tmp/i19b.log"
	[ "$(grep -c '^fuzz: build: [0-9]* s' "$tmp/i19b.log")" -ge 2 ] || { echo "a silent build"; return 1; }
	grep -qE '^fuzz: [1-9][0-9]* libFuzzer start' "$tmp/i19b.log" && [ "$(i19_this_run "$tmp/i19b.log")" -gt 0 ]
}
check "19.9,10: make fuzz's build prints a line a second (PROGRESS_SECONDS=1); fuzzing time starts after it" i19_slow_build

# 8: a restarting run (seed: libFuzzer starts again after each finding) through fuzz-batch: its
# execs column is make fuzz's this-run count, which sums every start (at least every start's
# stat::number_of_executed_units); libFuzzer's closing statistics and report lines come once
i19_restarts() {
	local d log units n
	# 6 s: the seed build stops at a finding within a few inputs, so libFuzzer starts again
	# and again; in 3 s a loaded machine gave it one start only (its seed corpus load)
	(cd "$tree" && FUZZ_SECONDS=6 TARGETS=slub_boot ENGINES=libfuzzer BOOTSTRAP=seed \
		bash ci/fuzz-batch.sh) >"$tmp/i19c.log" 2>&1
	d=$(batch_dir "$tmp/i19c.log") log=$d/slub_boot-libfuzzer-seed.log
	cat "$d/summary.txt" || { tail -20 "$tmp/i19c.log"; return 1; }
	units=$(awk '/^stat::number_of_executed_units:/ { s += $2 } END { print s + 0 }' "$tree/findings/slub_boot-libfuzzer-seed/fuzz.log")
	n=$(i19_this_run "$log")
	grep -E '^fuzz: (\[|this run|[0-9]+ libFuzzer)' "$log"
	echo "this run $n, units of every start $units"
	grep -qE '^fuzz: ([2-9]|[1-9][0-9]+) libFuzzer start' "$log" || { echo "no restart to sum"; return 1; }
	[ -n "$n" ] && [ "$units" -gt 0 ] && [ "$n" -ge "$units" ] &&
		grep -qE "^slub_boot +libfuzzer +[0-9]+ +$n " "$d/summary.txt" || return 1
	[ "$(grep -c 'stat::' "$log")" -eq 0 ] && [ -z "$(grep '^  .*SUMMARY: ' "$log" | sort | uniq -d)" ] ||
		{ echo "repeated closing lines"; return 1; }
	rm -rf "$d"
}
check "19.8: a restarting run: make fuzz and fuzz-batch sum every start; closing lines once" i19_restarts

# 7: libFuzzer's fork mode (JOBS=2): the status lines read the parent's "#N: cov: C ... exec/s E"
# lines (no colon after exec/s): the last one's cov and corpus, and an exec/s
i19_fork() {
	local last fk
	fz "$tmp/i19f.log" TARGET=slub_boot ENGINE=libfuzzer JOBS=2 FUZZ_SECONDS=5 || { tail -20 "$tmp/i19f.log"; return 1; }
	grep -E '^fuzz: (\[|this run)' "$tmp/i19f.log"
	i19_status_ok "$tmp/i19f.log" || return 1
	fk=$(grep -a '^#[0-9]*: cov: ' "$tree/findings/slub_boot-libfuzzer/fuzz.log" | tail -1)
	last=$(grep '^fuzz: \[' "$tmp/i19f.log" | tail -1)
	echo "the parent's last line: $fk"
	[ -n "$fk" ] || { echo "no job reported in time"; return 1; }
	[[ "$last" =~ exec/s\ [1-9][0-9]*\ +cov\ $(awk '{ print $3 }' <<<"$fk")\ +corpus\ $(awk '{ print $7 }' <<<"$fk")\  ]]
}
check "19.7: make fuzz JOBS=2 (fork mode): status lines from the parent's '#N: ... exec/s E' lines" i19_fork

# 7, 8, 16: make plot on a fork-mode log, on a restarting run's log, on a missing folder and on
# a folder with nothing to plot (an earlier PNG must not pass for a new one)
i19_plot() {
	local d=$tmp/i19plot rc
	mkdir -p "$d/fork" "$d/restart" "$d/empty/plots"
	{
		printf 'INFO: -fork=2: 447 seed inputs, starting to fuzz in /tmp/x\n'
		printf '#208: cov: 6383 ft: 6383 corp: 383 exec/s 104 oom/timeout/crash: 0/0/0 time: 4s job: 1 dft_time: 0\n'
		printf '#100\tpulse  cov: 9 ft: 9 corp: 1/1b lim: 4 exec/s: 50 rss: 31Mb\n' # a job's own, copied in
		printf '#529: cov: 7540 ft: 6479 corp: 407 exec/s 107 oom/timeout/crash: 0/0/0 time: 5s job: 2 dft_time: 0\n'
	} >"$d/fork/fuzz.log"
	{
		printf '#slubfuzz: start 1 at 0s\n#400\tNEW    cov: 150 ft: 200 corp: 5/40b lim: 4 exec/s: 200 rss: 31Mb\n'
		printf '#slubfuzz: start 2 at 7s\n#300\tpulse  cov: 160 ft: 210 corp: 6/50b lim: 4 exec/s: 100 rss: 31Mb\n'
	} >"$d/restart/fuzz.log"
	make -s plot DIR="$d/fork" >"$tmp/i19p.log" 2>&1 || { cat "$tmp/i19p.log"; return 1; }
	cat "$d/fork/plots/libfuzzer.dat"
	[ "$(cat "$d/fork/plots/libfuzzer.dat")" = "$(printf '4.00 6383 6383 383\n5.00 7540 6479 407')" ] || return 1
	make -s plot DIR="$d/restart" >"$tmp/i19p.log" 2>&1 || { cat "$tmp/i19p.log"; return 1; }
	cat "$d/restart/plots/libfuzzer.dat"
	[ "$(cat "$d/restart/plots/libfuzzer.dat")" = "$(printf '2.00 150 200 5\n10.00 160 210 6')" ] || return 1
	make -s plot DIR="$d/nonexistent" >"$tmp/i19p.log" 2>&1
	rc=$?
	cat "$tmp/i19p.log"
	[ $rc -eq 2 ] && [ "$(grep -vEc '^make(\[[0-9]+\])?: (\*\*\*|Leaving|Entering)' "$tmp/i19p.log")" -eq 1 ] && grep -q 'no such folder' "$tmp/i19p.log" || return 1
	: >"$d/empty/fuzz.log" && echo old >"$d/empty/plots/libfuzzer-coverage.png"
	DIR=$d/empty bash ci/plot.sh >"$tmp/i19p.log" 2>&1
	rc=$?
	cat "$tmp/i19p.log"
	[ $rc -eq 2 ] && [ ! -e "$d/empty/plots/libfuzzer-coverage.png" ]
}
check "19.7,8,16: make plot: fork mode and restarts in time, a missing folder and nothing to plot are errors (2)" i19_plot

# 9: every phase over 10 s prints a line: the shared heartbeat, and the scripts that use it
i19_heartbeat() {
	local f
	(. ci/progress.sh && PROGRESS_SECONDS=1 && progress_run "hb" "$tmp/hb.log" sleep 3.5) >"$tmp/hb.out"
	cat "$tmp/hb.out"
	[ "$(grep -c '^hb: [0-9]* s$' "$tmp/hb.out")" -eq 3 ] || return 1
	for f in ci/fuzz.sh ci/coverage.sh ci/corpus-merge.sh ci/oss-fuzz-check.sh ci/minimize.sh; do
		grep -q 'progress_\(make\|run\|start\)' "$f" || { echo "$f: a long phase without a heartbeat"; return 1; }
	done
}
check "19.9: the heartbeat (ci/progress.sh) prints a line a period; fuzz, coverage, corpus-merge, oss-fuzz-check, minimize use it" i19_heartbeat

# 12: make coverage CORPUS=<folder of target folders> with one target's folder: that report only
i19_coverage() {
	local c=$tmp/i19cov
	mkdir -p "$c/slub_ops" && cp build/corpus/slub_ops/* "$c/slub_ops/"
	make -s coverage CORPUS="$c" >"$tmp/i19cov.log" 2>&1 || { tail -5 "$tmp/i19cov.log"; return 1; }
	grep '^coverage: ' "$tmp/i19cov.log"
	grep -q "coverage: slub_ops: $(ls "$c/slub_ops" | wc -l) input(s)" "$tmp/i19cov.log" &&
		grep -q "coverage: slub_boot: no $c/slub_boot/ folder" "$tmp/i19cov.log" &&
		[ -s build/coverage/slub_ops/html/index.html ]
}
check "19.12: make coverage CORPUS=<folder of target folders> reports on the targets it holds" i19_coverage

# 5: corpus-merge: only the fixed build's corpora; nothing written under corpus/; at most
# OFFER_MAX offers, each with the allocator/ lines it adds as its comment
i19_merge() {
	local from=$tmp/i19from n before
	mkdir -p "$from/slub_boot-libfuzzer/corpus" "$from/slub_boot-libfuzzer-seed/corpus"
	build/libfuzzer/slub_boot -runs=600 -seed=11 -max_len=512 "$from/slub_boot-libfuzzer/corpus" \
		build/corpus/slub_boot >/dev/null 2>&1
	printf 'seed build only\n' >"$from/slub_boot-libfuzzer-seed/corpus/seed-only"
	before=$(cd "$tree" && find corpus | sort | md5sum)
	(cd "$tree" && make -s corpus-merge TARGET=slub_boot FROM="$from" SEEDS_OUT=corpus/slub_boot) >"$tmp/i19m0.log" 2>&1
	[ $? -ne 0 ] && grep -q 'never written into the shipped corpus' "$tmp/i19m0.log" || { cat "$tmp/i19m0.log"; return 1; }
	(cd "$tree" && make -s corpus-merge TARGET=slub_boot FROM="$from" OFFER_MAX=3) >"$tmp/i19m.log" 2>&1 ||
		{ tail -20 "$tmp/i19m.log"; return 1; }
	cat "$tmp/i19m.log"
	[ "$(cd "$tree" && find corpus | sort | md5sum)" = "$before" ] || { echo "corpus/ changed"; return 1; }
	grep -q "left out (another build's programs): $from/slub_boot-libfuzzer-seed/corpus" "$tmp/i19m.log" || return 1
	! grep -rqx 'seed build only' "$tree/findings/merged/slub_boot" || { echo "the seed build's input was merged"; return 1; }
	n=$(ls "$tree"/findings/merged/offer/slub_boot/merged-*.txt 2>/dev/null | wc -l)
	[ "$n" -ge 1 ] && [ "$n" -le 3 ] || { echo "$n offers"; return 1; }
	for f in "$tree"/findings/merged/offer/slub_boot/merged-*.txt; do
		grep -qE '^# merged-[0-9a-f]+: [0-9]+ allocator/ line\(s\) the shipped corpus never runs, in [a-z_]' "$f" ||
			{ echo "$f: no reason"; head -3 "$f"; return 1; }
	done
}
check "19.5: corpus-merge: fixed build's corpora only, nothing under corpus/, at most OFFER_MAX offers with a reason" i19_merge
# ==== end of issue 19, items 5-12 and 16 (plot) ====

# ==== issue 19 (findings): one finding model — the known list everywhere, the build travels,
# cause not wording. One check per item, numbered as the issue; the seed and BUG= replay builds
# are the suite's own, the cause replays use two catalog entries (CAUSE_ENTRIES, above) ====
t19_seed=corpus/regressions/slub_ops/seed

# 1: the known list applies in repro and triage too: a seed regression shows what its .why
# names, past the known stale owner, and says it passed it; X and X.txt are one input
t19_known_everywhere() {
	local n
	make -s repro CRASH=$t19_seed/create_unique_id_bug_on >"$tmp/t19k.log" 2>&1
	tail -1 "$tmp/t19k.log" | grep -q 'Error 1$' || { tail -5 "$tmp/t19k.log"; return 1; }
	grep -q "FINDING.*$(cat $t19_seed/create_unique_id_bug_on.why)" "$tmp/t19k.log" &&
		grep -q 'passed over known finding(s) first: STALE_BOOT_SLAB_OWNER' "$tmp/t19k.log" ||
		{ grep -E '^repro:|FINDING' "$tmp/t19k.log"; return 1; }
	n=$(find $t19_seed -type f ! -name '*.*' | wc -l)
	CAUSE=0 make -s triage DIR=$t19_seed >"$tmp/t19t.log" 2>&1 || { tail -5 "$tmp/t19t.log"; return 1; }
	head -1 "$tmp/t19t.log"
	grep -q "^triage: $n input(s) under $t19_seed" "$tmp/t19t.log" &&
		grep -q "BUG_ON(!name)" "$tmp/t19t.log"
}
check "19/1: repro and triage pass over the known findings and say so; X and X.txt are one input" t19_known_everywhere

# 18: triage of a folder of the shipped tree writes its reports under findings/, not into it
t19_triage_tree() {
	[ ! -e $t19_seed/triage ] && [ -z "$(git ls-files --others -- $t19_seed)" ] &&
		[ -f "findings/triage/$(tr '/' '_' <<<"$t19_seed")/summary.txt" ]
}
check "19/18: make triage DIR=corpus/regressions/... leaves the shipped corpus untouched" t19_triage_tree

# 2: cause, not wording: each finding of a seed folder is named by the catalog entry that shows
# it alone; the signatures are symbolised whatever the sanitizer options (AFL++'s are not);
# make fuzz's end list is make triage's
t19_cause() {
	local d=$tmp/t19c/slub_ops-afl-seed
	mkdir -p "$d/main/crashes"
	cp $t19_seed/create_unique_id_bug_on "$d/main/crashes/id:000000,sig:06"
	cp $t19_seed/stale_cpu_slab_owner "$d/main/crashes/id:000001,sig:06"
	cp corpus/regressions/slub_ops/seed/sysfs_add_release_double_free "$d/main/crashes/id:000002,sig:06"
	(export ASAN_OPTIONS=$(flags ASAN_OPTIONS_afl) UBSAN_OPTIONS=$(flags UBSAN_OPTIONS_afl)
		make -s triage DIR="$tmp/t19c") >"$tmp/t19c.log" 2>&1 || { tail -5 "$tmp/t19c.log"; return 1; }
	cat "$tmp/t19c/triage/summary.txt"
	grep -q '^[0-9]*\. cause: UPSTREAM_UNIQUE_ID_BUG_ON$' "$tmp/t19c/triage/summary.txt" &&
		grep -q '^[0-9]*\. cause: SEED_FIXUP_CPU_SLAB$' "$tmp/t19c/triage/summary.txt" &&
		grep -q 'NEW DEFECT CANDIDATE.*AddressSanitizer: [a-z-]* :: [a-z_]' "$tmp/t19c/triage/summary.txt" &&
		! grep -q ':: ?' "$tmp/t19c/triage/summary.txt"
}
check "19/2: triage names each seed finding by its catalog entry, symbolised for AFL++ too" t19_cause
t19_cause_bug() { # a BUG= build's findings are its entry's (one replay on fixed tells)
	local d=$tmp/t19u/slub_ops-libfuzzer-bug-UPSTREAM_UNIQUE_ID_BUG_ON
	mkdir -p "$d"
	cp $t19_seed/create_unique_id_bug_on "$d/crash-one"
	cp corpus/regressions/slub_ops/create_null_debug_o_unique_id "$d/crash-clean"
	make -s triage DIR="$tmp/t19u" >"$tmp/t19u.log" 2>&1 || { tail -5 "$tmp/t19u.log"; return 1; }
	cat "$tmp/t19u/triage/summary.txt"
	grep -q '2 input(s); 1 distinct by cause' "$tmp/t19u/triage/summary.txt" &&
		grep -A1 '^1\. cause: UPSTREAM_UNIQUE_ID_BUG_ON$' "$tmp/t19u/triage/summary.txt" | grep -q 'BUG_ON(!name)' &&
		grep -q 'reproduce: make repro CRASH=.*/crash-one TARGET=slub_ops BOOTSTRAP=fixed BUG=UPSTREAM_UNIQUE_ID_BUG_ON$' "$tmp/t19u/triage/summary.txt"
}
check "19/2: triage names a BUG= build's findings by its entry; the reproduce line has BUG=" t19_cause_bug
t19_same_list() { # the seed run of afl_dryrun: its make fuzz list and make triage of its folder
	local out=$tree/findings/slub_boot-afl-seed
	[ -f "$tmp/dry.log" ] && [ -d "$out" ] || { echo "no seed run (afl_dryrun)"; return 1; }
	sed -n '/^fuzz: the distinct findings of this run/,/^  triage: one report/p' "$tmp/dry.log" |
		sed '1d; $d; /^  triage: /d; s/^  //' >"$tmp/t19l.fuzz"
	(cd "$tree" && make -s triage DIR=findings/slub_boot-afl-seed) >"$tmp/t19l.log" 2>&1
	cat "$tmp/t19l.fuzz"
	grep -q '^[0-9]*\. ' "$tmp/t19l.fuzz" && diff "$tmp/t19l.fuzz" "$out/triage/summary.txt"
}
check "19/2: make fuzz BOOTSTRAP=seed ends with the list make triage prints for its folder" t19_same_list

# 3: the build travels: a sidecar, a note when a variable contradicts it, reproduce lines that
# name the build (the replay driver's too) and work pasted, the C file's build command
t19_build_travels() {
	local d=$tmp/t19b line
	mkdir -p "$d"
	cp $t19_seed/create_unique_id_bug_on "$d/loose"
	echo "target=slub_ops engine=afl bootstrap=seed numa=1 bug= san=asan" >"$d/loose.build"
	make -s repro CRASH="$d/loose" >"$tmp/t19b1.log" 2>&1
	grep -q 'came from: slub_ops, found by AFL++ (ASan+UBSan), bootstrap seed' "$tmp/t19b1.log" ||
		{ grep '^repro:' "$tmp/t19b1.log"; return 1; }
	make -s repro CRASH="$d/loose" BOOTSTRAP=fixed >"$tmp/t19b2.log" 2>&1
	grep -q "note: $d/loose came from BOOTSTRAP=seed (from $d/loose.build); running it with BOOTSTRAP=fixed as asked" "$tmp/t19b2.log" &&
		grep -q 'runs clean' "$tmp/t19b2.log" || { grep '^repro:' "$tmp/t19b2.log"; return 1; }
	# the replay driver of a BUG= build names BUG=, and its line, pasted, reproduces
	build/replay-bug-UPSTREAM_UNIQUE_ID_BUG_ON/slub_ops "$d/loose" >"$tmp/t19b3.log" 2>&1
	line=$(sed -n 's/.*; reproduce: //p' "$tmp/t19b3.log")
	echo "$line"
	[ "$line" = "make repro CRASH=$d/loose TARGET=slub_ops BOOTSTRAP=fixed BUG=UPSTREAM_UNIQUE_ID_BUG_ON" ] || return 1
	# pasted into a user's shell: no make above it (inside make test, MAKELEVEL would add
	# make's "Leaving directory" after the Error line)
	(unset MAKELEVEL MAKEFLAGS MFLAGS; eval "$line") >"$tmp/t19b4.log" 2>&1
	tail -1 "$tmp/t19b4.log" | grep -q 'Error 1$' && grep -q 'BUG_ON(!name)' "$tmp/t19b4.log" &&
		grep -q 'note: .* came from BUG=none' "$tmp/t19b4.log" || { tail -3 "$tmp/t19b4.log"; return 1; }
	build/replay-seed/slub_ops "$d/loose" >"$tmp/t19b5.log" 2>&1 # (a finding: exit 1)
	grep -q "reproduce: make repro CRASH=$d/loose TARGET=slub_ops BOOTSTRAP=seed KNOWN=none$" "$tmp/t19b5.log" ||
		{ echo "the seed replay driver's line"; return 1; }
	# the C file's build command has the define its #error demands
	c=$(find "$tmp/p2cm" -name '*.c' | head -1)
	grep -q -- '-fsanitize=address,undefined -DSLUB_BOOTSTRAP_SEED \\' "$c" &&
		grep -q 'SLUBFUZZ_KNOWN=corpus/known/seed.txt ./repro' "$c"
}
check "19/3: the build travels: sidecar, a note on a contradiction, pasteable reproduce lines, the C build command" t19_build_travels

# 13, 17: minimize: nothing smaller is exit 1 and writes nothing; a second result keeps the first
t19_minimize() {
	local m=$tmp/min/slub_boot-libfuzzer-seed/crash-planted.min d=$tmp/t19m
	[ -f "$m" ] || { echo "no minimised input (the minimize test failed)"; return 1; }
	mkdir -p "$d/slub_boot-libfuzzer-seed"
	cp "$m" "$d/slub_boot-libfuzzer-seed/again"
	make -s minimize CRASH="$d/slub_boot-libfuzzer-seed/again" RUNS=1 OUTDIR="$d/out" >"$tmp/t19m1.log" 2>&1
	tail -1 "$tmp/t19m1.log" | grep -q 'Error 1$' && ! compgen -G "$d/out/*/again*" >/dev/null ||
		{ tail -4 "$tmp/t19m1.log"; return 1; }
	make -s minimize CRASH="$plant/crash-planted" RUNS=30 OUTDIR="$tmp/min" >"$tmp/t19m2.log" 2>&1 ||
		{ tail -4 "$tmp/t19m2.log"; return 1; }
	cmp -s "$m" "$tmp/min/slub_boot-libfuzzer-seed/crash-planted.min" &&
		[ -f "$tmp/min/slub_boot-libfuzzer-seed/crash-planted.2.min" ] &&
		[ -f "$tmp/min/slub_boot-libfuzzer-seed/crash-planted.2.min.build" ] &&
		grep -q '^# build: target=slub_boot engine=libfuzzer bootstrap=seed ' "$tmp/min/slub_boot-libfuzzer-seed/crash-planted.2.min.txt"
}
check "19/13,17: minimize: nothing smaller exits 1 and writes nothing; a second run keeps the first .min" t19_minimize

# 17: prog2c of X.min and of X.min.txt write two C files
t19_prog2c_names() {
	local m=$tmp/min/slub_boot-libfuzzer-seed/crash-planted.min
	make -s prog2c CRASH="$m.txt" OUTDIR="$tmp/p2cm" >"$tmp/t19p.log" 2>&1
	ls "$tmp/p2cm"/*/
	[ -f "$tmp/p2cm/slub_boot-libfuzzer-seed/crash-planted.min.c" ] &&
		[ -f "$tmp/p2cm/slub_boot-libfuzzer-seed/crash-planted.min.txt.c" ]
}
check "19/17: make prog2c of X.min and X.min.txt: two C files" t19_prog2c_names

# 14: a second make fuzz keeps the first one's known findings and log (the seed runs of
# batch_finds and no_noise, on one folder: each met the known stale owner)
t19_aids_kept() {
	local out=$tree/findings/slub_ops-libfuzzer-seed
	ls -d "$out"/known-* 2>/dev/null
	[ "$(ls -d "$out"/known-*/STALE_BOOT_SLAB_OWNER 2>/dev/null | wc -l)" -ge 2 ] || { echo "not 2 runs' known inputs"; return 1; }
	compgen -G "$out/fuzz-*.log" >/dev/null && [ -f "$out/build" ] &&
		grep -q '^target=slub_ops engine=libfuzzer bootstrap=seed numa=1 bug= san=asan$' "$out/build"
}
check "19/14: make fuzz keeps the earlier runs' known-<run>/ and log, and records its build" t19_aids_kept

# 16: messages: a folder to minimize, a file to triage, SAN=tsan to repro, a missing KNOWN file
# (before any build), the sanitizer a repro replays with
t19_messages() {
	local rc
	make -s minimize CRASH=corpus/regressions >"$tmp/t19s.log" 2>&1
	grep -q 'is a folder' "$tmp/t19s.log" || { cat "$tmp/t19s.log"; return 1; }
	make -s triage DIR=$t19_seed/create_unique_id_bug_on >"$tmp/t19s.log" 2>&1
	grep -q 'is a file, not a folder' "$tmp/t19s.log" || { cat "$tmp/t19s.log"; return 1; }
	make -s repro CRASH=$t19_seed/create_unique_id_bug_on SAN=tsan >"$tmp/t19s.log" 2>&1
	grep -q "SAN must be asan, msan or ubsan, not 'tsan'" "$tmp/t19s.log" && ! grep -q plain "$tmp/t19s.log" ||
		{ cat "$tmp/t19s.log"; return 1; }
	(cd "$tree" && KNOWN=/nonexistent FUZZ_SECONDS=1 TARGET=slub_boot bash ci/fuzz.sh) >"$tmp/t19s.log" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q 'KNOWN=/nonexistent: no such file' "$tmp/t19s.log" &&
		! grep -q 'building' "$tmp/t19s.log" || { cat "$tmp/t19s.log"; return 1; }
	(. ci/flavour.sh; die() { echo "$*"; }; TARGET=slub_ops ENGINE_FROM=libfuzzer BOOTSTRAP=fixed NUMA=1 BUG= SAN=msan
		flavour_settle; echo "$FLAVOUR") | grep -qx 'slub_ops, found by libFuzzer (ASan+UBSan), bootstrap fixed; replayed with MSan'
}
check "19/16: clear messages: minimize a folder, triage a file, repro SAN=tsan, KNOWN missing, SAN=msan" t19_messages
# ==== end of issue 19 (findings) ====

finish
