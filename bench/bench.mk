# bench/bench.mk - the benchmarks: the table programs, the empty target, and the
# `make bench` entry point. Included by the top Makefile after fuzz/fuzz.mk, whose variables
# (FUZZ_CFLAGS, the object directories, FZ_ALL_SRCS, FUZZ_TARGETS) it reuses. Benchmarks print
# tables; nothing here asserts a time.
#
#   make bench [QUICK=1] [SECTIONS="ttb races speed profile boot memclaim fastpath coverage"]
#              [BASE=<commit>]
#       bench/run.sh: every table on stdout, build/bench/results-<date>.md, and the
#       generated blocks of bench/RESULTS.md (hand-written notes there are kept); BASE: the
#       speed table measures slub_ops at that commit too, in the same run (bench/speed.sh)
#   make bench-ttb [QUICK=1] [TRIALS=N] [SECONDS=S] [ENTRIES="seed GET_SLAB_OFF_BY_ONE ..."]
#       time-to-bug alone (bench/ttb.sh), also written to bench/RESULTS.md
#   make bench-races [QUICK=1] [TRIALS=N] [SECONDS=S]
#       time-to-bug of the race catalog (RACE_ entries), its own block of bench/RESULTS.md
#   make bench-progs    build/bench/bin/{boot_cost,fastpath,memclaim}: plain -O2, no sanitizer
#   make bench-empty    build/bench/{libfuzzer,afl,replay[-plain]}/empty_target

BENCH_DIR := build/bench
BENCH_CC ?= clang
BENCH_VTAG := $(BOOTSTRAP)-$(if $(filter 0,$(NUMA)),up,numa)

# ---- table-printing programs: plain -O2, the allocator as a library, no sanitizer ----
BENCH_PROG_SRCS := $(filter-out bench/empty_target.c,$(wildcard bench/*.c))
BENCH_PROGS := $(patsubst bench/%.c,$(BENCH_DIR)/bin/%,$(BENCH_PROG_SRCS))
BENCH_OBJDIR := build/obj/bench-O2-$(BENCH_VTAG)
BENCH_CFLAGS := $(COMMON_CFLAGS) -O2 -Iallocator/include -Iallocator \
	$(VARIANT_DEFS)
BENCH_ALLOC_OBJS := $(patsubst %.c,$(BENCH_OBJDIR)/%.o,$(ALLOC_SRCS))

$(BENCH_OBJDIR)/%.o: %.c $(wildcard allocator/*.h allocator/include/*.h bench/*.h)
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -c -o $@ $<

$(BENCH_DIR)/bin/%: $(BENCH_OBJDIR)/bench/%.o $(BENCH_ALLOC_OBJS)
	@mkdir -p $(dir $@)
	$(BENCH_CC) -o $@ $^

# ---- the empty target, built as each flavour builds a real one (same objects linked) ----
BENCH_LIB_OBJS = $(patsubst %.c,$(1)/%.o,$(FZ_ALL_SRCS))
BENCH_EMPTY_LF := $(BENCH_DIR)/libfuzzer$(FZ_VSUFFIX)/empty_target
BENCH_EMPTY_AFL := $(BENCH_DIR)/afl$(FZ_VSUFFIX)/empty_target
BENCH_EMPTY_REPLAY := $(BENCH_DIR)/replay$(FZ_VSUFFIX)$(REPLAY_SUFFIX)/empty_target

$(BENCH_EMPTY_LF): $(LF_OBJDIR)/bench/empty_target.o $(call BENCH_LIB_OBJS,$(LF_OBJDIR))
	@mkdir -p $(dir $@)
	$(LF_CC) -fsanitize=fuzzer $(FZ_SAN_CLANG) -o $@ $^

$(BENCH_EMPTY_AFL): $(AFL_OBJDIR)/bench/empty_target.o $(call BENCH_LIB_OBJS,$(AFL_OBJDIR))
	@mkdir -p $(dir $@)
	$(AFL_ENV) $(AFL_CC) -o $@ $^ $(AFL_DRIVER)

$(BENCH_EMPTY_REPLAY): $(REPLAY_OBJDIR)/bench/empty_target.o $(REPLAY_OBJDIR)/fuzz/replay_main.o \
		$(call BENCH_LIB_OBJS,$(REPLAY_OBJDIR))
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(REPLAY_SAN) -o $@ $^

.PHONY: bench bench-ttb bench-races bench-progs bench-empty
bench-progs: $(BENCH_PROGS)
bench-empty: $(BENCH_EMPTY_LF) $(BENCH_EMPTY_AFL) $(BENCH_EMPTY_REPLAY)

# Only what was given on the command line or in the environment is passed to the scripts
# (SECONDS is also a bash variable, hence the explicit names).
BENCH_GIVEN = $(if $(filter command line environment,$(origin $(1))),$($(1)))
bench:
	@QUICK="$(call BENCH_GIVEN,QUICK)" SECTIONS="$(call BENCH_GIVEN,SECTIONS)" TTB_QUICK_SUBSET=1 \
	TTB_TRIALS="$(call BENCH_GIVEN,TRIALS)" TTB_SECONDS="$(call BENCH_GIVEN,SECONDS)" \
	TTB_ENTRIES="$(call BENCH_GIVEN,ENTRIES)" SPEED_BASE="$(call BENCH_GIVEN,BASE)" \
	bash bench/run.sh

bench-ttb:
	@QUICK="$(call BENCH_GIVEN,QUICK)" SECTIONS=ttb \
	TTB_TRIALS="$(call BENCH_GIVEN,TRIALS)" TTB_SECONDS="$(call BENCH_GIVEN,SECONDS)" \
	TTB_ENTRIES="$(call BENCH_GIVEN,ENTRIES)" bash bench/run.sh

bench-races:
	@QUICK="$(call BENCH_GIVEN,QUICK)" SECTIONS=races \
	TTB_TRIALS="$(call BENCH_GIVEN,TRIALS)" TTB_SECONDS="$(call BENCH_GIVEN,SECONDS)" \
	bash bench/run.sh

# The objects above are made by chained pattern rules; keep them between runs.
.SECONDARY: $(BENCH_ALLOC_OBJS) $(patsubst bench/%.c,$(BENCH_OBJDIR)/bench/%.o,$(BENCH_PROG_SRCS))
