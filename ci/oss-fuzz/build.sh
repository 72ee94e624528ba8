#!/bin/bash -eu
# OSS-Fuzz's build script for slubfuzz (projects/slubfuzz/build.sh): the project keeps the
# build itself, build.sh at the root of its tree, run here with the builder's $CC $CFLAGS
# $LIB_FUZZING_ENGINE $OUT (address, undefined, memory, coverage; libFuzzer and AFL++).
"$SRC/slubfuzz/build.sh"
