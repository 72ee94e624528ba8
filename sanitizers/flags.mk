# sanitizers/flags.mk - the one place for every build flavour's compile/link flags and runtime
# options. The Makefile includes it; shell scripts read a value with
#   make -s -f sanitizers/flags.mk print-SAN_FLAGS_asan
# Suppressions: none. Any finding is fixed, never silenced (see sanitizers/README.md).

# Every flavour compiles with these: C11, warnings as errors.
COMMON_CFLAGS := -std=c11 -D_GNU_SOURCE -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wshadow -Wstrict-prototypes

# ASan + UBSan. The whole `integer` group (unsigned overflow, implicit truncation and sign
# change) is on for clang: the allocator is clean under it, so it stays a tripwire. gcc has no
# `integer` group and gets `undefined` alone.
SAN_FLAGS_asan_clang := -fsanitize=address,undefined,integer -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
SAN_FLAGS_asan_gcc := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
SAN_FLAGS_asan := $(SAN_FLAGS_asan_clang)

# MSan with origins: every object of the program must be built with it (clang only).
SAN_FLAGS_msan := -fsanitize=memory -fsanitize-memory-track-origins=2 -fno-omit-frame-pointer

# Plain, and plain with Valgrind client requests (memcheck sees objects, not just pages).
# valgrind 3.19 cannot read clang 14's default DWARF 5, hence -gdwarf-4.
SAN_FLAGS_plain :=
SAN_FLAGS_valgrind := -DSLUB_VALGRIND -gdwarf-4

# UBSan alone (OSS-Fuzz's and ClusterFuzzLite's `undefined` build; make repro SAN=ubsan).
SAN_FLAGS_ubsan := -fsanitize=undefined,integer -fno-sanitize-recover=all -fno-omit-frame-pointer

# Source-based coverage (llvm-profdata / llvm-cov), clang only.
SAN_FLAGS_coverage := -fprofile-instr-generate -fcoverage-mapping

# What the fuzzers' coverage and comparison tracing leave out (the checker's and the oracle's
# walks, formatting, metadata copies): coverage-ignore.txt says what and why. libFuzzer builds
# pass it to clang, AFL++ builds to afl-clang-fast through the environment.
COVERAGE_IGNORE := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))coverage-ignore.txt)
SAN_FLAGS_fuzzer_ignore := -fsanitize-coverage-ignorelist=$(COVERAGE_IGNORE)
AFL_ENV_ignore := AFL_LLVM_DENYLIST=$(COVERAGE_IGNORE)

# Runtime options. abort_on_error makes every report end in SIGABRT, which libFuzzer, AFL++
# and the replay driver all treat as a crash; detect_leaks catches host-heap leaks (per-cpu
# areas, harness tables); the arena itself is checked by the allocator's own leak report.
ASAN_OPTIONS_default := abort_on_error=1:detect_leaks=1:symbolize=1:allocator_may_return_null=1:handle_abort=1
UBSAN_OPTIONS_default := print_stacktrace=1:halt_on_error=1:abort_on_error=1
MSAN_OPTIONS_default := abort_on_error=1:symbolize=1
VALGRIND_FLAGS := --tool=memcheck --error-exitcode=99 --track-origins=yes --quiet

# AFL++ unattended (make fuzz, make bench, the checks): no UI, no cpu-frequency or core-pattern
# demands, no core binding (other fuzzers may hold every core), quiet builds; its targets' own
# sanitizer options (afl-fuzz wants symbolize=0, and leaks are the replay's to find).
AFL_RUN_ENV := AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	AFL_NO_AFFINITY=1 AFL_QUIET=1
ASAN_OPTIONS_afl := abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
UBSAN_OPTIONS_afl := halt_on_error=1:abort_on_error=1:print_stacktrace=0

print-%:
	@echo '$($*)'
