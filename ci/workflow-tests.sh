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

flags() { make -s --no-print-directory -f sanitizers/flags.mk "print-$1"; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-$(flags ASAN_OPTIONS_default)}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-$(flags UBSAN_OPTIONS_default)}
# afl-fuzz refuses an MSAN_OPTIONS without exit_code=86, and nothing here runs MSan; the
# short AFL++ runs need no core of their own (other fuzzers may hold them all)
unset MSAN_OPTIONS
export AFL_NO_AFFINITY=1
targets=$(ls fuzz/slub_*.c | sed 's|fuzz/||; s|\.c$||')
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
	before=$(stat -c %s "$plant/crash-planted") after=$(stat -c %s "$tmp/min/crash-planted.min")
	s=$(sig_of build/replay-seed/slub_boot "$tmp/min/crash-planted.min")
	echo "$before -> $after bytes; $s"
	grep 'events remain' "$tmp/min.log"
	[ "$after" -lt "$before" ] && [ "$s" = "$planted_sig" ] && [ -s "$tmp/min/crash-planted.min.txt" ] &&
		build/tools/slubprog bin "$tmp/min/crash-planted.min.txt" -o "$tmp/min/again" &&
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
	grep -q '3 input(s), 2 unique bug(s)' "$tmp/tri/triage/summary.txt" &&
		grep -qE '^1 +2 .*runtime error: null pointer passed' "$tmp/tri/triage/summary.txt" &&
		grep -q "smallest: $d/crash-bbb" "$tmp/tri/triage/bug-1.txt"
}
check "make triage groups two inputs of one bug as one, around the smaller" triage_ok

# ---- make prog2c: the planted crash, the regressions, every shipped seed ----
prog2c_reproduces() { # FILE [BOOTSTRAP]: the C reproducer shows the replay build's bug
	local f=$1 bs=${2:-seed} t want got
	t=$(echo "$f" | grep -oE 'slub_[a-z]+' | head -1)
	CRASH="$f" TARGET="$t" BOOTSTRAP="$bs" OUTDIR="$tmp/p2c" bash ci/prog2c.sh >"$tmp/p2c.log" 2>&1
	[ $? -eq 1 ] || { tail -20 "$tmp/p2c.log"; return 1; }
	want=$(sig_of "build/replay$([ "$bs" = seed ] && echo -seed)/$t" "$f")
	got=$(bash ci/signature.sh "$tmp/p2c/$(basename "$f").log")
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
		grep -qE 'stale owner|kmem_cache structure' "$d/triage/summary.txt" || return 1
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
		grep -q 'stale owner' "$d/triage/summary.txt" || { tail -20 "$tmp/batch2.log"; return 1; }
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
	[ -s build/coverage/html/index.html ] &&
		grep -qE '^TOTAL +[0-9]+/[0-9]+ +[0-9.]+% +[0-9]+/[0-9]+ +[0-9.]+%' "$tmp/cov.log"
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
		grep -E 'uses:' "$f" | grep -vqE 'google/clusterfuzzlite/actions/(build|run)_fuzzers@v1' &&
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

finish
