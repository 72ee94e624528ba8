# The benchmarks' cheap, deterministic part (no timing here: that is `make bench`): the bug
# catalog matches the code and every entry compiles alone (bench/catalog-check.sh), and the
# benchmark programs build (plain -O2). A build failure is a failed suite.
run_suite bench-catalog bash bench/catalog-check.sh
build bench-progs bench-progs
