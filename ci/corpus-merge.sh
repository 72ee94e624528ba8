#!/usr/bin/env bash
# corpus-merge.sh - what `make corpus-merge` runs, the local equivalent of ClusterFuzzLite's
# prune mode: the working corpora the fuzzers grew under findings/ (libFuzzer's corpus/,
# AFL++'s queue/) are merged with the shipped seeds, keeping only inputs that add coverage
# (libFuzzer -merge=1, or afl-cmin), into findings/merged/<target>/; each new input that runs
# clean on `fixed` and reads well (at most MAX_EVENTS events) comes back into the shipped
# corpus as text, corpus/<target>/merged-<hash>.txt, for review like any seed.
#
# Environment: TARGET (default every target), ENGINE=libfuzzer|afl (default libfuzzer),
# FROM (default findings), MAX_EVENTS (default 64), SEEDS_OUT (default corpus: where the
# text forms go, as <SEEDS_OUT>/<target>/merged-<hash>.txt).
# Exit status: 0 (whether or not anything was new), 2 on usage or build errors.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. ci/testlib.sh
. ci/flavour.sh

TARGETS=${TARGET:-}
TARGETS=${TARGETS:-$(flavour_targets | tr '\n' ' ')}
ENGINE=${ENGINE:-}
ENGINE=${ENGINE:-libfuzzer}
FROM=${FROM:-}
FROM=${FROM:-findings}
MAX_EVENTS=${MAX_EVENTS:-64}
SEEDS_OUT=${SEEDS_OUT:-corpus}
case "$ENGINE" in libfuzzer | afl) ;; *) die "ENGINE must be libfuzzer or afl" ;; esac
[ -d "$FROM" ] || die "$FROM: no such folder (run make fuzz or make fuzz-batch first)"
make -s -j"$(nproc)" fuzzers ENGINE="$ENGINE" >/dev/null && make -s -j"$(nproc)" replay tools >/dev/null ||
	die "build failed: make fuzzers ENGINE=$ENGINE; make replay"
mkdir -p build && tmp=$(mktemp -d "$PWD/build/corpus-merge.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
san_env
total_added=0

norm_hash() { build/tools/slubprog norm "$1" | sha1sum | cut -c1-12; }

for t in $TARGETS; do
	[ -f "fuzz/$t.c" ] || die "unknown TARGET=$t"
	mapfile -t srcs < <(find "$FROM" -type d \( -name corpus -o -name queue \) \
		\( -path "*/$t-libfuzzer*" -o -path "*/$t-afl*" \) 2>/dev/null | sort)
	merged="findings/merged/$t"
	echo "== corpus-merge: $t: ${#srcs[@]} working corpus folder(s) under $FROM -> $merged/"
	[ ${#srcs[@]} -gt 0 ] || continue
	for s in "${srcs[@]}"; do echo "   $s ($(find "$s" -maxdepth 1 -type f | wc -l) inputs)"; done
	rm -rf "$merged" && mkdir -p "$merged"
	declare -A shipped=()
	for f in build/corpus/"$t"/*; do shipped[$(norm_hash "$f")]=1; done
	if [ "$ENGINE" = libfuzzer ]; then
		# the shipped seeds go in first: only inputs adding coverage beyond them are merged in
		cp build/corpus/"$t"/* "$merged/"
		build/libfuzzer/"$t" -merge=1 -timeout=25 -rss_limit_mb=4096 \
			-max_len="$(sed -n 's/^max_len *= *//p' "fuzz/$t.options")" \
			"$merged" "${srcs[@]}" >"$tmp/merge-$t.log" 2>&1 ||
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
		(afl_env && AFL_CMIN_ALLOW_ANY=1 AFL_ALLOW_TMP=1 \
			afl-cmin -i "$tmp/all-$t" -o "$merged" -m none -t 5000 -- build/afl/"$t") \
			>"$tmp/cmin-$t.log" 2>&1 || { tail -5 "$tmp/cmin-$t.log"; die "afl-cmin failed on $t"; }
		grep -E 'Narrowed down' "$tmp/cmin-$t.log" | sed 's/^/   /'
	fi
	added=0 skipped=0
	for f in "$merged"/*; do
		h=$(norm_hash "$f")
		[ -n "${shipped[$h]:-}" ] && continue
		mkdir -p "$SEEDS_OUT/$t"
		txt="$SEEDS_OUT/$t/merged-$h.txt"
		[ -e "$txt" ] && continue
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
		build/tools/slubprog text "$f" -o "$txt" \
			-c "merged-$h: $ev events that add coverage the shipped corpus lacks (make corpus-merge ENGINE=$ENGINE)"
		build/tools/slubprog roundtrip "$txt" >/dev/null || { rm -f "$txt"; skipped=$((skipped + 1)); continue; }
		echo "   new seed: $txt ($ev events)"
		added=$((added + 1))
	done
	total_added=$((total_added + added))
	unset shipped
	echo "   $t: $(ls "$merged" | wc -l) inputs in $merged/, $added new seed(s) in $SEEDS_OUT/$t/, $skipped left out"
done
if [ "$total_added" -gt 0 ]; then
	echo "corpus-merge: $total_added new seed(s): review the new $SEEDS_OUT/<target>/merged-*.txt (edit their comment to say what they cover) and commit them"
else
	echo "corpus-merge: no new seed: the shipped corpus already covers what the merged inputs reach"
fi
