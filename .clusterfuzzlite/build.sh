#!/bin/bash -eu
# ClusterFuzzLite's build script: the project's own OSS-Fuzz build contract, build.sh at the
# root, does the work (targets, seed corpora, dictionaries, options files into $OUT).
"$SRC/slubfuzz/build.sh"
