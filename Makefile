# Makefile - builds the allocator, its unit tests and the fuzz targets in every flavour.
# Variables: CC, BOOTSTRAP=fixed|seed, NUMA=1|0, SAN=asan|msan|ubsan|valgrind|coverage|plain
CC ?= cc
BOOTSTRAP ?= fixed
NUMA ?= 1
SAN ?= asan

# Every flavour's flags and runtime options live in sanitizers/flags.mk.
include sanitizers/flags.mk

# Given empty (the scripts pass what they were given), a variable takes its default. A flavour
# that does not exist is refused before anything is built (BUG= in fuzz/fuzz.mk).
BOOTSTRAP := $(or $(strip $(BOOTSTRAP)),fixed)
NUMA := $(or $(strip $(NUMA)),1)
SAN := $(or $(strip $(SAN)),asan)
ifeq ($(filter fixed seed,$(BOOTSTRAP)),)
$(error BOOTSTRAP=$(BOOTSTRAP): must be fixed or seed)
endif
ifeq ($(filter 0 1,$(NUMA)),)
$(error NUMA=$(NUMA): must be 1 or 0)
endif
# (make repro takes only asan, msan or ubsan: ci/repro.sh says so itself)
ifeq ($(filter asan msan ubsan valgrind coverage plain,$(SAN))$(filter repro,$(MAKECMDGOALS)),)
$(error SAN=$(SAN): must be asan, msan, ubsan, valgrind, coverage or plain)
endif

ALLOC_SRCS := $(wildcard allocator/*.c)
# The unit tests also link the fuzz harness's library: the oracle's model is tested there.
UNIT_SRCS := $(wildcard tests/unit/*.c) \
	$(filter-out fuzz/slub_%.c fuzz/replay_main.c,$(wildcard fuzz/*.c))

BASE_CFLAGS := $(COMMON_CFLAGS) -O1 -Iallocator/include -Iallocator

VARIANT_DEFS :=
ifeq ($(BOOTSTRAP),seed)
VARIANT_DEFS += -DSLUB_BOOTSTRAP_SEED
endif
ifeq ($(NUMA),0)
VARIANT_DEFS += -DSLUB_CONFIG_NONUMA
endif

# gcc has no `integer` sanitizer group: it gets the asan flavour without it.
SAN_FLAGS := $(if $(filter asan,$(SAN)),$(if $(findstring gcc,$(notdir $(CC))),$(SAN_FLAGS_asan_gcc),$(SAN_FLAGS_asan_clang)),$(SAN_FLAGS_$(SAN)))

# BUG=<NAME> (allocator/bugs.h; fuzz/fuzz.mk refuses other names) compiles one catalog entry
# into the unit tests too, in objects of their own: a test states what that entry breaks under
# #ifdef SLUB_BUG_<NAME>. The other builds (bench, coverage) take it through fuzz/fuzz.mk.
UNIT_BUGDEF := $(if $(BUG),-DSLUB_BUG_$(BUG))
TAG := $(SAN)-$(BOOTSTRAP)-$(if $(filter 0,$(NUMA)),up,numa)$(if $(BUG),-bug-$(BUG))-$(notdir $(CC))
OBJDIR := build/obj/$(TAG)

ALLOC_OBJS := $(patsubst %.c,$(OBJDIR)/%.o,$(ALLOC_SRCS))
UNIT_OBJS := $(patsubst %.c,$(OBJDIR)/%.o,$(UNIT_SRCS))

.PHONY: all unit test deps clean
all: unit

# The README's test command: installs what is missing, builds every flavour, runs every suite.
test: deps
	bash ci/run-tests.sh

deps:
	bash ci/install-deps.sh

# The README's main job (the rule is in fuzz/fuzz.mk): on a fresh machine it installs first.
fuzz: deps

unit: build/unit/$(TAG)/unit_tests

build/unit/$(TAG)/unit_tests: $(ALLOC_OBJS) $(UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $^

$(OBJDIR)/%.o: %.c $(wildcard allocator/*.h allocator/include/*.h tests/unit/*.h fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Ifuzz $(SAN_FLAGS) $(VARIANT_DEFS) $(UNIT_BUGDEF) -c -o $@ $<

# The fuzz targets, slubprog, seed corpora, `make fuzz` and `make repro`.
include fuzz/fuzz.mk
# The user's workflows (fuzz-batch, minimize, corpus-merge, coverage, triage, prog2c, the
# OSS-Fuzz build check) and the benchmarks, each in its own fragment.
-include ci/workflows.mk
-include bench/bench.mk

clean:
	rm -rf build
