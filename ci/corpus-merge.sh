#!/usr/bin/env bash
# corpus-merge.sh - what `make corpus-merge` runs, the local equivalent of ClusterFuzzLite's
# prune mode: the working corpora the fuzzers grew on the fixed build (findings/<target>-libfuzzer/
# corpus/, findings/<target>-afl/*/queue/; seed, BUG= and !NUMA campaigns run other programs
# and are left out) are merged with the shipped seeds, keeping only inputs that add coverage
# (libFuzzer -merge=1, or afl-cmin), into findings/merged/<target>/, a build product. Out of
# those it offers for the shipped corpus only the few (at most OFFER_MAX, 20) that reach most
# of what the shipped corpus does not: libFuzzer -merge with the shipped seeds as the first
# folder names the coverage edges each input adds to the seeds and the inputs before it; the
# coverage build (make coverage's) names the lines and functions of allocator/ it adds. Each
# offer that runs clean on `fixed` and reads well (at most MAX_EVENTS events) is written as
# text, with that reason as its comment, to findings/merged/offer/<target>/merged-<hash>.txt:
# nothing under corpus/ is written; copying an offer there is the reviewer's choice.
#
# Environment: TARGET (default every target), ENGINE=libfuzzer|afl (default libfuzzer),
# FROM (default findings), MAX_EVENTS (default 64), OFFER_MAX (default 20), SEEDS_OUT (default
# findings/merged/offer: the offers go to <SEEDS_OUT>/<target>/merged-<hash>.txt, made afresh
# each run; never under corpus/).
# Exit status: 0 (whether or not anything was new), 2 on usage or build errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh
. ci/progress.sh

TARGETS=${TARGET:-}
TARGETS=${TARGETS:-$(flavour_targets | tr '\n' ' ')}
ENGINE=${ENGINE:-}
ENGINE=${ENGINE:-libfuzzer}
FROM=${FROM:-}
FROM=${FROM:-findings}
MAX_EVENTS=${MAX_EVENTS:-}
MAX_EVENTS=${MAX_EVENTS:-64}
OFFER_MAX=${OFFER_MAX:-}
OFFER_MAX=${OFFER_MAX:-20}
SEEDS_OUT=${SEEDS_OUT:-}
SEEDS_OUT=${SEEDS_OUT:-findings/merged/offer}
case "$ENGINE" in libfuzzer | afl) ;; *) die "ENGINE must be libfuzzer or afl, not '$ENGINE'" ;; esac
[[ "$MAX_EVENTS" =~ ^[0-9]+$ ]] || die "MAX_EVENTS must be a number, not '$MAX_EVENTS'"
[[ "$OFFER_MAX" =~ ^[0-9]+$ ]] && [ "$OFFER_MAX" -le 20 ] || die "OFFER_MAX must be 0..20, not '$OFFER_MAX'"
for t in $TARGETS; do [ -f "fuzz/$t.c" ] || die "unknown TARGET=$t ($(flavour_targets | paste -sd' '))"; done
[ -d "$FROM" ] || die "FROM=$FROM: no such folder (run make fuzz or make fuzz-batch first)"
case "$(realpath -m "$SEEDS_OUT")/" in "$PWD/corpus/"*)
	die "SEEDS_OUT=$SEEDS_OUT: offers are never written into the shipped corpus; copy the ones you keep" ;;
esac
buildlog=build/logs/corpus-merge.log
mkdir -p build/logs && : >"$buildlog"
# the fixed build's fuzzers (the libFuzzer one names each input's new edges), replay driver,
# slubprog and coverage build
for e in libfuzzer $ENGINE; do
	progress_make "corpus-merge: build" "$buildlog" -j"$(nproc)" fuzzers ENGINE="$e" ||
		{ tail -5 "$buildlog" >&2; die "build failed (log: $buildlog): make fuzzers ENGINE=$e"; }
done
progress_make "corpus-merge: build" "$buildlog" -j"$(nproc)" replay tools coverage-bins ||
	{ tail -5 "$buildlog" >&2; die "build failed (log: $buildlog): make replay tools coverage-bins"; }
covbin=$(make -s --no-print-directory print-COV_DIR)
mkdir -p build && tmp=$(mktemp -d "$PWD/build/corpus-merge.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
san_env
total_offered=0

norm_hash() { build/tools/slubprog norm "$1" | sha1sum | cut -c1-12; }
max_len() { sed -n 's/^max_len *= *//p' "fuzz/$1.options"; }

# lcov_lines TARGET PROFRAW...: "file:line function" of every allocator/ line they run (llvm-cov
# names a static function "file.c:name")
lcov_lines() {
	local t=$1
	shift
	llvm-profdata merge -sparse "$@" -o "$tmp/p.profdata" 2>/dev/null || return 0
	llvm-cov export -format=lcov "$covbin/$t" -instr-profile="$tmp/p.profdata" allocator/ 2>/dev/null |
		awk -F'[:,]' '/^SF:/ { f = $2; sub(".*/allocator/", "", f); n = 0; next }
			/^FN:/ { n++; start[n] = $2 + 0; nm = substr($0, index($0, ",") + 1); sub(/.*:/, "", nm); name[n] = nm; next }
			/^DA:/ && $3 > 0 { fn = f; b = 0; for (i = 1; i <= n; i++) if (start[i] <= $2 + 0 && start[i] >= b) { b = start[i]; fn = name[i] }
				print f ":" $2, fn }' | sort -u
}

for t in $TARGETS; do
	# the fixed build's working corpora only; the other flavours' are named and left out
	mapfile -t srcs < <(find "$FROM" -type d \( -path "*/$t-libfuzzer/corpus" -o -path "*/$t-afl/*/queue" \) \
		-not -path "$FROM/merged/*" 2>/dev/null | sort)
	mapfile -t others < <(find "$FROM" -type d \( -path "*/$t-libfuzzer-*/corpus" -o -path "*/$t-afl-*/*/queue" \) \
		-not -path "$FROM/merged/*" 2>/dev/null | sort)
	merged="findings/merged/$t"
	echo "== corpus-merge: $t: ${#srcs[@]} working corpus folder(s) of the fixed build under $FROM -> $merged/"
	for s in "${others[@]}"; do echo "   left out (another build's programs): $s"; done
	[ ${#srcs[@]} -gt 0 ] || continue
	for s in "${srcs[@]}"; do echo "   $s ($(find "$s" -maxdepth 1 -type f | wc -l) inputs)"; done
	rm -rf "$merged" && mkdir -p "$merged"
	if [ "$ENGINE" = libfuzzer ]; then
		# the shipped seeds go in first: only inputs adding coverage beyond them are merged in
		cp build/corpus/"$t"/* "$merged/"
		progress_run "corpus-merge: $t: libFuzzer -merge" "$tmp/merge-$t.log" \
			build/libfuzzer/"$t" -merge=1 -timeout=25 -rss_limit_mb=4096 -max_len="$(max_len "$t")" \
			"$merged" "${srcs[@]}" ||
			{ tail -5 "$tmp/merge-$t.log"; die "libFuzzer -merge failed on $t"; }
		grep -E 'MERGE-OUTER: [0-9]+ new files' "$tmp/merge-$t.log" | sed 's/^/   /'
	else
		mkdir -p "$tmp/all-$t"
		cp build/corpus/"$t"/* "$tmp/all-$t/"
		for s in "${srcs[@]}"; do
			find "$s" -maxdepth 1 -type f -exec sh -c 'cp "$1" "$2/$(sha1sum "$1" | cut -c1-16)"' \
				sh {} "$tmp/all-$t" \;
		done
		rmdir "$merged"
		# crashing inputs (an open finding, say) must not stop the minimisation; the AFL++
		# driver reads stdin here (with @@ its fork server dies at start); AFL_ALLOW_TMP: the
		# directories are this script's own, so a checkout under /tmp is no risk
		progress_run "corpus-merge: $t: afl-cmin" "$tmp/cmin-$t.log" \
			env -u MSAN_OPTIONS $(flags AFL_RUN_ENV) ASAN_OPTIONS="$(flags ASAN_OPTIONS_afl)" \
			UBSAN_OPTIONS="$(flags UBSAN_OPTIONS_afl)" AFL_CMIN_ALLOW_ANY=1 AFL_ALLOW_TMP=1 \
			afl-cmin -i "$tmp/all-$t" -o "$merged" -m none -t 5000 -- build/afl/"$t" ||
			{ tail -5 "$tmp/cmin-$t.log"; die "afl-cmin failed on $t"; }
		grep -E 'Narrowed down' "$tmp/cmin-$t.log" | sed 's/^/   /'
	fi

	# what each merged input adds: libFuzzer -merge with (a copy of) the shipped seeds as the
	# first folder, which it runs first; its control file lists, for each input in the order it
	# ran them, the edges no input before it reached ("COV <index> <edge>..."; line 1 the number
	# of files, line 2 how many are the first folder's, then the files)
	mkdir -p "$tmp/first-$t" && cp build/corpus/"$t"/* "$tmp/first-$t/"
	progress_run "corpus-merge: $t: edges per input" "$tmp/edges-$t.log" \
		build/libfuzzer/"$t" -merge=1 -timeout=25 -rss_limit_mb=4096 -max_len="$(max_len "$t")" \
		-merge_control_file="$tmp/control-$t" "$tmp/first-$t" "$merged" ||
		{ tail -5 "$tmp/edges-$t.log"; die "libFuzzer -merge (edges per input) failed on $t"; }
	nshipped=$(sed -n 2p "$tmp/control-$t")
	# candidates: merged inputs (not the shipped seeds) with new edges, most first
	awk -v ns="$nshipped" 'NR == 1 { nf = $1; next } NR <= nf + 2 { file[NR - 3] = $0; next }
		/^COV / && $2 + 0 >= ns && NF > 2 { print NF - 2, file[$2] }' "$tmp/control-$t" |
		sort -k1,1nr -k2 >"$tmp/cand-$t"
	declare -A shipped=()
	for f in build/corpus/"$t"/*; do shipped[$(norm_hash "$f")]=1; done
	# the shipped seeds' lines, for each offer's reason
	mkdir -p "$tmp/prof-$t"
	for f in build/corpus/"$t"/*; do
		LLVM_PROFILE_FILE="$tmp/prof-$t/s-%p.profraw" "$covbin/$t" "$f" >/dev/null 2>&1
	done
	lcov_lines "$t" "$tmp/prof-$t"/s-*.profraw >"$tmp/lines-$t"
	# each offer must run allocator/ lines neither the seeds nor an earlier offer run; the
	# candidates are looked at in the order of their new edges, at most 3 * OFFER_MAX of them
	offered=0 skipped=0 looked=0 last=$SECONDS
	mkdir -p "$SEEDS_OUT/$t"
	rm -f "$SEEDS_OUT/$t"/merged-*.txt
	while read -r nedges f; do
		[ "$offered" -lt "$OFFER_MAX" ] && [ "$looked" -lt $((3 * OFFER_MAX)) ] || break
		if [ $((SECONDS - last)) -ge "$PROGRESS_SECONDS" ]; then
			last=$SECONDS
			echo "corpus-merge: $t: $offered offer(s) so far"
		fi
		h=$(norm_hash "$f")
		[ -z "${shipped[$h]:-}" ] || continue
		txt="$SEEDS_OUT/$t/merged-$h.txt"
		[ ! -e "$txt" ] || continue
		ev=$(build/tools/slubprog print "$f" | sed -n '1s/.* \([0-9]*\) events$/\1/p')
		if [ "${ev:-0}" -gt "$MAX_EVENTS" ]; then
			skipped=$((skipped + 1)) # too long to read: it stays in $merged only
			continue
		fi
		if ! build/replay/"$t" "$f" >/dev/null 2>&1; then
			echo "   $f: not clean on fixed (make repro CRASH=$f): left out"
			skipped=$((skipped + 1))
			continue
		fi
		looked=$((looked + 1))
		# the reason: its allocator/ lines the shipped seeds (and earlier offers) never run
		rm -f "$tmp/prof-$t"/c-*.profraw
		LLVM_PROFILE_FILE="$tmp/prof-$t/c-%p.profraw" "$covbin/$t" "$f" >/dev/null 2>&1
		lcov_lines "$t" "$tmp/prof-$t"/c-*.profraw | sort - "$tmp/lines-$t" "$tmp/lines-$t" | uniq -u >"$tmp/new-$t"
		if [ ! -s "$tmp/new-$t" ]; then
			skipped=$((skipped + 1)) # new edges only in lines already run, or in the harness
			continue
		fi
		reason=$(awk -v e="$nedges" '{ n++; c[$2]++; if (!($2 in o)) { o[$2] = ++k; nm[k] = $2 } }
			END { printf "%d allocator/ line(s) the shipped corpus never runs, in", n
			      for (i = 1; i <= k && i <= 4; i++) printf "%s %s (%d)", (i > 1 ? "," : ""), nm[i], c[nm[i]]
			      if (k > 4) printf " and %d more function(s)", k - 4
			      printf "; %d new edge(s)", e }' "$tmp/new-$t")
		sort -u "$tmp/new-$t" "$tmp/lines-$t" -o "$tmp/lines-$t"
		build/tools/slubprog text "$f" -o "$txt" -c "merged-$h: $reason (make corpus-merge ENGINE=$ENGINE)" &&
			build/tools/slubprog roundtrip "$txt" >/dev/null || { rm -f "$txt"; skipped=$((skipped + 1)); continue; }
		echo "   offer: $txt ($ev events): $reason"
		offered=$((offered + 1))
	done <"$tmp/cand-$t"
	total_offered=$((total_offered + offered))
	unset shipped
	echo "   $t: $(ls "$merged" | wc -l) inputs in $merged/ ($(wc -l <"$tmp/cand-$t") add edges to the shipped seeds); $offered offered in $SEEDS_OUT/$t/ ($looked looked at, $skipped left out: no allocator/ line of their own, too long or not clean)"
done
if [ "$total_offered" -gt 0 ]; then
	echo "corpus-merge: $total_offered offer(s) for the shipped corpus, each with what it adds: read them, copy the ones worth keeping to corpus/<target>/ (say what each reaches in its comment) and commit those"
else
	echo "corpus-merge: nothing to offer: the shipped corpus already covers what the merged inputs reach"
fi
