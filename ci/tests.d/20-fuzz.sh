# The fuzz harness (fuzz/, corpus/, tools/slubprog): builds every flavour ci/fuzz-tests.sh
# uses, then runs it. A build failure is a failed suite.
if build fuzz-replay replay CC=clang SAN=asan BOOTSTRAP=fixed &&
	build fuzz-replay-seed replay CC=clang SAN=asan BOOTSTRAP=seed &&
	build fuzz-replay-up replay CC=clang SAN=asan NUMA=0 &&
	build fuzz-replay-gcc replay CC=gcc SAN=plain &&
	build fuzz-libfuzzer fuzzers ENGINE=libfuzzer &&
	build fuzz-afl fuzzers ENGINE=afl; then
	run_suite fuzz bash ci/fuzz-tests.sh
fi
