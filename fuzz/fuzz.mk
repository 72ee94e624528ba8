# fuzz/fuzz.mk - the fuzz targets in every flavour, the slubprog tool, the binary seed corpora
# and dictionaries, and the fuzz/repro entry points. Included by the top Makefile, whose
# BOOTSTRAP, NUMA, SAN, CC, BASE_CFLAGS and VARIANT_DEFS it reuses.
#
#   make fuzzers [ENGINE=libfuzzer|afl] [BOOTSTRAP=seed] [NUMA=0] [BUG=<NAME>]
#       libfuzzer: build/libfuzzer[-seed][-up][-bug-<NAME>]/<target>
#       afl:       build/afl[-seed][-up]/<target> and build/afl-cmplog[-seed][-up]/<target>,
#                  and the schedule mutator build/afl-mutator/slub_mutator.so
#   make replay [CC=gcc] [SAN=plain|msan|ubsan|valgrind] [BOOTSTRAP=seed]
#       build/replay[-seed][-up][-<SAN>][-gcc]/<target>: plain driver, no fuzzing runtime
#   make corpus       build/corpus/<target>/* (binary seeds) and build/corpus/<target>.dict
#   make fuzz [TARGET=] [ENGINE=] [SECONDS=] [JOBS=]    (ci/fuzz.sh)
#   make repro CRASH=file [TARGET=] [BOOTSTRAP=] [SAN=asan|msan|ubsan]   (ci/repro.sh)
#
# Targets are found by name: every fuzz/slub_*.c is one target, one binary, one corpus
# directory (corpus/<target>/), one dictionary and one options file (fuzz/<target>.options).

ENGINE ?= libfuzzer
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/slub_*.c))
FUZZ_LIB_SRCS := $(filter-out $(wildcard fuzz/slub_*.c) fuzz/replay_main.c,$(wildcard fuzz/*.c))
FUZZ_HDRS := $(wildcard fuzz/*.h allocator/*.h allocator/include/*.h)
FUZZ_CFLAGS := $(BASE_CFLAGS) -Ifuzz $(VARIANT_DEFS)

# Sanitizer flags come from sanitizers/flags.mk (the top Makefile includes it): no fallbacks.
FZ_SAN_CLANG := $(SAN_FLAGS_asan_clang)
FZ_SAN_GCC := $(SAN_FLAGS_asan_gcc)

# BUG=<NAME> compiles one defect of allocator/bugs.h in (for time-to-find benchmarks); it gets
# its own objects and binaries, like the other variants. Only the catalog's names exist.
FZ_BUG_NAMES := $(shell grep -oE '^[[:space:]]*X.[A-Z0-9_]+,' allocator/bugs.h | sed -E 's/^[[:space:]]*X.//; s/,$$//')
ifneq ($(BUG),)
ifeq ($(filter $(BUG),$(FZ_BUG_NAMES)),)
$(error BUG=$(BUG) is not in allocator/bugs.h (one of: $(FZ_BUG_NAMES)))
endif
endif
FZ_BUGDEF := $(if $(BUG),$(if $(findstring -DSLUB_BUG_,$(VARIANT_DEFS)),,-DSLUB_BUG_$(BUG)))
FUZZ_CFLAGS += $(FZ_BUGDEF)
FZ_NUMATAG := $(if $(filter 0,$(NUMA)),up,numa)$(if $(BUG),-bug-$(BUG))
FZ_VSUFFIX := $(if $(filter seed,$(BOOTSTRAP)),-seed)$(if $(filter 0,$(NUMA)),-up)$(if $(BUG),-bug-$(BUG))
FZ_ALL_SRCS := $(ALLOC_SRCS) $(FUZZ_LIB_SRCS)

# ---- libFuzzer: clang, coverage + ASan + UBSan ----
LF_CC := clang
LF_OBJDIR := build/obj/libfuzzer-$(BOOTSTRAP)-$(FZ_NUMATAG)
LF_DIR := build/libfuzzer$(FZ_VSUFFIX)
# FZ_LIBFUZZER: the schedule mutator's LLVMFuzzerCustomMutator (fuzz/mutate.c)
LF_FLAGS := -fsanitize=fuzzer-no-link $(SAN_FLAGS_fuzzer_ignore) $(FZ_SAN_CLANG) -DFZ_LIBFUZZER
LF_BINS := $(addprefix $(LF_DIR)/,$(FUZZ_TARGETS))

$(LF_OBJDIR)/%.o: %.c $(FUZZ_HDRS) $(COVERAGE_IGNORE)
	@mkdir -p $(dir $@)
	$(LF_CC) $(FUZZ_CFLAGS) $(LF_FLAGS) -c -o $@ $<

$(LF_DIR)/%: $(LF_OBJDIR)/fuzz/%.o $(patsubst %.c,$(LF_OBJDIR)/%.o,$(FZ_ALL_SRCS))
	@mkdir -p $(dir $@)
	$(LF_CC) -fsanitize=fuzzer $(FZ_SAN_CLANG) -o $@ $^

# ---- AFL++: afl-clang-fast, ASan + UBSan, persistent mode through libAFLDriver ----
AFL_CC := afl-clang-fast
AFL_DRIVER := /usr/lib/afl/libAFLDriver.a
# The sanitizers are libFuzzer's (FZ_SAN_CLANG), not AFL_USE_UBSAN's: that one leaves out
# the `integer` group and makes UBSan's checks traps without a report, so the AFL++ builds
# missed what only the integer checks see (BUDDY_MERGE_ANY_ORDER's wrapping nr_free).
AFL_ENV := AFL_USE_ASAN=1 AFL_QUIET=1 $(AFL_ENV_ignore)
AFL_OBJDIR := build/obj/afl-$(BOOTSTRAP)-$(FZ_NUMATAG)
AFL_DIR := build/afl$(FZ_VSUFFIX)
AFLC_OBJDIR := build/obj/afl-cmplog-$(BOOTSTRAP)-$(FZ_NUMATAG)
AFLC_DIR := build/afl-cmplog$(FZ_VSUFFIX)
AFL_BINS := $(addprefix $(AFL_DIR)/,$(FUZZ_TARGETS)) $(addprefix $(AFLC_DIR)/,$(FUZZ_TARGETS))

$(AFL_OBJDIR)/%.o: %.c $(FUZZ_HDRS) $(COVERAGE_IGNORE)
	@mkdir -p $(dir $@)
	$(AFL_ENV) $(AFL_CC) $(FUZZ_CFLAGS) $(FZ_SAN_CLANG) -DFZ_AFL_DRIVER -c -o $@ $<

$(AFL_DIR)/%: $(AFL_OBJDIR)/fuzz/%.o $(patsubst %.c,$(AFL_OBJDIR)/%.o,$(FZ_ALL_SRCS))
	@mkdir -p $(dir $@)
	$(AFL_ENV) $(AFL_CC) $(FZ_SAN_CLANG) -o $@ $^ $(AFL_DRIVER)

$(AFLC_OBJDIR)/%.o: %.c $(FUZZ_HDRS) $(COVERAGE_IGNORE)
	@mkdir -p $(dir $@)
	$(AFL_ENV) AFL_LLVM_CMPLOG=1 $(AFL_CC) $(FUZZ_CFLAGS) $(FZ_SAN_CLANG) -DFZ_AFL_DRIVER -c -o $@ $<

$(AFLC_DIR)/%: $(AFLC_OBJDIR)/fuzz/%.o $(patsubst %.c,$(AFLC_OBJDIR)/%.o,$(FZ_ALL_SRCS))
	@mkdir -p $(dir $@)
	$(AFL_ENV) AFL_LLVM_CMPLOG=1 $(AFL_CC) $(FZ_SAN_CLANG) -o $@ $^ $(AFL_DRIVER)

# ---- AFL++'s custom mutator: the schedule mutator (fuzz/mutate.c) as a library afl-fuzz
# loads (ci/testlib.sh's afl_env names it). No sanitizer: it runs inside afl-fuzz. It reads
# and writes programs only, so one build serves every variant.
AFLMUT := build/afl-mutator/slub_mutator.so
AFLMUT_OBJDIR := build/obj/afl-mutator
$(AFLMUT_OBJDIR)/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) -Ifuzz -fPIC -DFZ_AFL_MUTATOR -c -o $@ $<
$(AFLMUT): $(patsubst %.c,$(AFLMUT_OBJDIR)/%.o,$(FZ_ALL_SRCS))
	@mkdir -p $(dir $@)
	clang -shared -o $@ $^
# ---- replay: any compiler, ASan + UBSan unless SAN=plain; clang unless CC is given ----
REPLAY_CC := $(if $(filter default,$(origin CC)),clang,$(CC))
REPLAY_CCNAME := $(notdir $(REPLAY_CC))
REPLAY_SAN := $(if $(filter asan,$(SAN)),$(if $(findstring gcc,$(REPLAY_CCNAME)),$(FZ_SAN_GCC),$(FZ_SAN_CLANG)),$(SAN_FLAGS_$(SAN)))
REPLAY_SUFFIX := $(if $(filter-out asan,$(SAN)),-$(SAN))$(if $(filter-out clang,$(REPLAY_CCNAME)),-$(REPLAY_CCNAME))
REPLAY_OBJDIR := build/obj/replay-$(SAN)-$(BOOTSTRAP)-$(FZ_NUMATAG)-$(REPLAY_CCNAME)
REPLAY_DIR := build/replay$(FZ_VSUFFIX)$(REPLAY_SUFFIX)
REPLAY_BINS := $(addprefix $(REPLAY_DIR)/,$(FUZZ_TARGETS))
SLUBPROG := build/tools$(REPLAY_SUFFIX)/slubprog

$(REPLAY_OBJDIR)/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(FUZZ_CFLAGS) $(REPLAY_SAN) -c -o $@ $<

$(REPLAY_DIR)/%: $(REPLAY_OBJDIR)/fuzz/%.o $(REPLAY_OBJDIR)/fuzz/replay_main.o $(patsubst %.c,$(REPLAY_OBJDIR)/%.o,$(FZ_ALL_SRCS))
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(REPLAY_SAN) -o $@ $^

# slubprog needs the program codec, and the scheduler's site keys and names (allocator/sched.c)
# for a switch's site (the allocator is linked whole: it needs nothing from outside)
$(SLUBPROG): $(REPLAY_OBJDIR)/tools/slubprog.o $(REPLAY_OBJDIR)/fuzz/prog.o $(REPLAY_OBJDIR)/fuzz/prog_text.o $(patsubst %.c,$(REPLAY_OBJDIR)/%.o,$(ALLOC_SRCS))
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(REPLAY_SAN) -o $@ $^

# ---- seed corpora (text -> binary) and dictionaries, shared by both engines ----
CORPUS_TOOL := build/tools/slubprog
CORPUS_BINS := $(patsubst corpus/%.txt,build/corpus/%,$(wildcard $(foreach t,$(FUZZ_TARGETS),corpus/$(t)/*.txt)))
CORPUS_DICTS := $(addprefix build/corpus/,$(addsuffix .dict,$(FUZZ_TARGETS)))

build/corpus/%: corpus/%.txt $(CORPUS_TOOL)
	@mkdir -p $(dir $@)
	$(CORPUS_TOOL) bin $< -o $@

build/corpus/%.dict: $(CORPUS_TOOL)
	@mkdir -p $(dir $@)
	$(CORPUS_TOOL) dict -o $@

ifneq ($(REPLAY_SUFFIX),)
$(CORPUS_TOOL):
	$(MAKE) --no-print-directory build/tools/slubprog CC=clang SAN=asan
endif

.PHONY: fuzzers replay corpus tools fuzz repro
ifeq ($(ENGINE),afl)
fuzzers: $(AFL_BINS) $(AFLMUT) corpus
else ifeq ($(ENGINE),libfuzzer)
fuzzers: $(LF_BINS) corpus
else
fuzzers:
	@echo "make fuzzers: unknown ENGINE=$(ENGINE) (libfuzzer or afl)" >&2; exit 2
endif
replay: $(REPLAY_BINS) $(SLUBPROG)
tools: $(SLUBPROG)
corpus: $(CORPUS_BINS) $(CORPUS_DICTS)

# Bounded fuzzing (default: slub_ops, libFuzzer, 300 s) and one-input reproduction. Only
# variables given on the command line or in the environment are passed on, so that the
# scripts can tell a default from a choice (repro guesses TARGET and BOOTSTRAP from the path).
FZ_GIVEN = $(if $(filter command line environment,$(origin $(1))),$($(1)))
fuzz:
	@TARGET="$(call FZ_GIVEN,TARGET)" ENGINE="$(call FZ_GIVEN,ENGINE)" \
	FUZZ_SECONDS="$(call FZ_GIVEN,SECONDS)" JOBS="$(call FZ_GIVEN,JOBS)" \
	BOOTSTRAP="$(call FZ_GIVEN,BOOTSTRAP)" NUMA="$(call FZ_GIVEN,NUMA)" BUG="$(BUG)" \
	KNOWN="$(call FZ_GIVEN,KNOWN)" bash ci/fuzz.sh

repro:
	@TARGET="$(call FZ_GIVEN,TARGET)" CRASH="$(CRASH)" BOOTSTRAP="$(call FZ_GIVEN,BOOTSTRAP)" \
	NUMA="$(call FZ_GIVEN,NUMA)" BUG="$(BUG)" SAN="$(call FZ_GIVEN,SAN)" \
	KNOWN="$(call FZ_GIVEN,KNOWN)" bash ci/repro.sh
