# Makefile - builds the allocator, its unit tests and (later) the fuzz targets in every flavour.
# Variables: CC, BOOTSTRAP=fixed|seed, NUMA=1|0, SAN=asan|plain
CC ?= cc
BOOTSTRAP ?= fixed
NUMA ?= 1
SAN ?= asan

ALLOC_SRCS := $(wildcard allocator/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) -Iallocator/include -Iallocator

VARIANT_DEFS :=
ifeq ($(BOOTSTRAP),seed)
VARIANT_DEFS += -DSLUB_BOOTSTRAP_SEED
endif
ifeq ($(NUMA),0)
VARIANT_DEFS += -DSLUB_CONFIG_NONUMA
endif

ifeq ($(SAN),asan)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
SAN_FLAGS :=
endif

TAG := $(SAN)-$(BOOTSTRAP)-$(if $(filter 0,$(NUMA)),up,numa)-$(notdir $(CC))
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

unit: build/unit/$(TAG)/unit_tests

build/unit/$(TAG)/unit_tests: $(ALLOC_OBJS) $(UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $^

$(OBJDIR)/%.o: %.c $(wildcard allocator/*.h allocator/include/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(VARIANT_DEFS) -c -o $@ $<

# The fuzz targets, slubprog, seed corpora, `make fuzz` and `make repro`.
include fuzz/fuzz.mk
# The user's workflows (fuzz-batch, minimize, corpus-merge, coverage, triage, prog2c, the
# OSS-Fuzz build check) and the benchmarks, each in its own fragment.
-include ci/workflows.mk
-include bench/bench.mk

clean:
	rm -rf build
