# The OSS-Fuzz contract and the user's workflows (build.sh, ci/oss-fuzz-check.sh,
# ci/workflow-tests.sh): builds what those tests need that the fuzz suite has not, then runs
# the OSS-Fuzz-style build check (address, undefined and memory with libFuzzer, address with
# AFL++, coverage) and the workflow tests. A build failure is a failed suite.
run_suite oss-fuzz-check bash ci/oss-fuzz-check.sh
if build workflows-prog2c prog2c-tools &&
	build workflows-replay replay CC=clang SAN=asan BOOTSTRAP=fixed &&
	build workflows-replay-seed replay CC=clang SAN=asan BOOTSTRAP=seed &&
	build workflows-libfuzzer-seed fuzzers ENGINE=libfuzzer BOOTSTRAP=seed &&
	build workflows-libfuzzer fuzzers ENGINE=libfuzzer &&
	build workflows-afl fuzzers ENGINE=afl &&
	build workflows-afl-seed fuzzers ENGINE=afl BOOTSTRAP=seed &&
	build workflows-replay-seed-ubsan replay CC=clang SAN=ubsan BOOTSTRAP=seed &&
	build workflows-coverage coverage-bins corpus; then
	run_suite workflows bash ci/workflow-tests.sh
fi
