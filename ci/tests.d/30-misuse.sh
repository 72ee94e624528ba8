# Deliberate misuse must be caught by ASan, MSan, Valgrind or the allocator (tests/misuse/).
run_suite misuse bash ci/misuse.sh
