#!/bin/bash -eu
# build.sh - the OSS-Fuzz / ClusterFuzzLite build contract. Builds every fuzz target with the
# builder's $CC $CFLAGS (which carry the sanitizer and coverage flags) and links it with
# $CXX $CXXFLAGS $LIB_FUZZING_ENGINE (libFuzzer, or the AFL++ driver), then writes beside each
# binary in $OUT its <target>_seed_corpus.zip, <target>.dict and <target>.options.
#
# Inputs: CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE OUT (required); WORK (scratch, else a
# temporary directory); SANITIZER, FUZZING_ENGINE (only printed: the flags already say it);
# HOST_CC (the compiler for slubprog, which runs here at build time: default clang, else cc).
# The targets, and the sources they need, are the Makefile's (fuzz/fuzz.mk): every
# fuzz/slub_*.c is a target. Local check: ci/oss-fuzz-check.sh (part of `make test`).
: "${CC:?} ${CXX:?} ${LIB_FUZZING_ENGINE:?} ${OUT:?}"
CFLAGS=${CFLAGS:-} CXXFLAGS=${CXXFLAGS:-}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
WORK=${WORK:-$(mktemp -d)} && mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd)
cd "$(dirname "$0")"
obj="$WORK/slubfuzz-obj" seeds="$WORK/slubfuzz-seeds"
rm -rf "$obj" "$seeds" && mkdir -p "$obj" "$seeds"

mk() { make -s --no-print-directory "print-$1"; }
targets=$(mk FUZZ_TARGETS)
srcs="$(mk ALLOC_SRCS) $(mk FUZZ_LIB_SRCS)"
# the language and include flags only: optimisation, debug info and sanitizers are $CFLAGS'
proj="-std=c11 -D_GNU_SOURCE -Iallocator/include -Iallocator -Ifuzz"
# libFuzzer gets the schedule mutator (fuzz/mutate.c: LLVMFuzzerCustomMutator); the engine is
# told by $FUZZING_ENGINE, or by $LIB_FUZZING_ENGINE naming libFuzzer's flag
case "${FUZZING_ENGINE:-}:$LIB_FUZZING_ENGINE" in
libfuzzer:* | :*fsanitize=fuzzer*) proj="$proj -DFZ_LIBFUZZER" ;;
esac
echo "build.sh: ${SANITIZER:-?} / ${FUZZING_ENGINE:-?}: $targets -> $OUT"

# objects in parallel; CFLAGS is split on spaces as every OSS-Fuzz build does
# shellcheck disable=SC2086,SC2046
printf '%s\n' $srcs $(for t in $targets; do echo "fuzz/$t.c"; done) |
	xargs -P "$(nproc)" -I{} sh -c 'o="$1/$(echo "$2" | tr / _).o"; $3 $4 $5 -c "$2" -o "$o"' \
		sh "$obj" {} "$CC" "$CFLAGS" "$proj"
lib=$(for s in $srcs; do printf '%s/%s.o ' "$obj" "$(echo "$s" | tr / _)"; done)

# slubprog converts the text seeds and writes the dictionary: a host tool, built without the
# builder's flags (MSan or coverage instrumentation has no business in it); the allocator
# comes with it for the scheduler's site keys, which a switch's text form names
host_cc=${HOST_CC:-$(command -v clang || command -v cc)}
# shellcheck disable=SC2046
"$host_cc" -O1 $proj tools/slubprog.c fuzz/prog.c fuzz/prog_text.c $(mk ALLOC_SRCS) \
	-o "$WORK/slubprog"

for t in $targets; do
	# shellcheck disable=SC2086
	$CXX $CXXFLAGS "$obj/fuzz_$t.c.o" $lib $LIB_FUZZING_ENGINE -o "$OUT/$t"
	mkdir -p "$seeds/$t"
	for f in corpus/"$t"/*.txt; do
		"$WORK/slubprog" bin "$f" -o "$seeds/$t/$(basename "$f" .txt)"
	done
	# fixed findings are seeds too (seed/ and open/ ones crash on purpose: not those)
	[ ! -d "corpus/regressions/$t" ] || find "corpus/regressions/$t" -maxdepth 1 -type f \
		! -name '*.txt' ! -name '*.why' ! -name 'README*' -exec cp {} "$seeds/$t/" \;
	rm -f "$OUT/${t}_seed_corpus.zip"
	(cd "$seeds/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
	"$WORK/slubprog" dict -o "$OUT/$t.dict"
	cp "fuzz/$t.options" "$OUT/$t.options"
	echo "build.sh: $OUT/$t ($(ls "$seeds/$t" | wc -l) seeds)"
done
