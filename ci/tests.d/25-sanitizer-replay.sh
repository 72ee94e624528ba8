# The corpus and the regressions under MSan, and a sample under valgrind (plain build).
if build replay-msan replay CC=clang SAN=msan BOOTSTRAP=fixed &&
	build replay-valgrind replay CC=gcc SAN=valgrind BOOTSTRAP=fixed &&
	build corpus corpus; then
	run_suite sanitizer-replay bash ci/sanitizer-replay.sh
fi
