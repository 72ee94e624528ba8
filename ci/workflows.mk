# ci/workflows.mk - the user's workflows beyond `make fuzz` and `make repro` (fuzz/fuzz.mk), each
# a script in ci/ that prints what it does and where its results go. Included by the top
# Makefile, whose variables (BOOTSTRAP, NUMA, BUG, FUZZ_TARGETS, FZ_GIVEN, ...) it reuses.
# ci/WORKFLOWS.md describes each one.
#
#   make fuzz-batch [SECONDS=60] [TARGETS=...] [ENGINES="libfuzzer afl"]   ci/fuzz-batch.sh
#   make minimize CRASH=file [TARGET=] [ENGINE=libfuzzer|afl] [RUNS=]      ci/minimize.sh
#   make corpus-merge [TARGET=] [ENGINE=libfuzzer|afl] [FROM=findings] [OFFER_MAX=20]  ci/corpus-merge.sh
#   make coverage [TARGET=] [CORPUS=dir]                                   ci/coverage.sh
#   make triage DIR=findings/...                                           ci/triage.sh
#   make prog2c CRASH=file [TARGET=] (alias: make reproducer)              ci/prog2c.sh
#   make oss-fuzz-check [FLAVOURS="address:libfuzzer ..."]                 ci/oss-fuzz-check.sh
#   make plot DIR=findings/<target>-<engine>                               ci/plot.sh

.PHONY: fuzz-batch minimize corpus-merge coverage triage prog2c reproducer oss-fuzz-check \
	prog2c-tools coverage-bins help

# ---- make help: every workflow with its variables and defaults, from ci/workflows.txt ----
help:
	@awk -F' [|] ' '/^#/ || NF < 4 { next } \
	{ line = "make " $$1; n = $$3 == "-" ? 0 : split($$3, v, ", "); \
	  for (i = 1; i <= n; i++) { r = sub(/!$$/, "", v[i]); eq = index(v[i], "="); \
	    val = substr(v[i], eq + 1); \
	    if (val ~ / / && val !~ /^</) v[i] = substr(v[i], 1, eq) "\"" val "\""; \
	    line = line " " (r ? v[i] : "[" v[i] "]") } \
	  print line; print "    " $$4 ($$2 != "-" ? " (" $$2 ")" : "") } \
	END { print ""; print "[NAME=value]: optional, value is the default; <...>: what it is. Exit status:" \
	  " ci/WORKFLOWS.md (through make: 0, or 2 with Error 1 / Error 2 on the last line)." }' ci/workflows.txt

# ---- prog2c: one generator per target; its reproducers build from FUZZ_LIB_SRCS ----
PROG2C_BINS := $(addprefix build/tools/prog2c-,$(FUZZ_TARGETS))
PROG2C_CFLAGS := $(BASE_CFLAGS) -Ifuzz -DFUZZ_LIB_SRCS='"$(FUZZ_LIB_SRCS)"'

build/tools/prog2c-%: tools/prog2c.c fuzz/%.c $(FUZZ_LIB_SRCS) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	clang $(PROG2C_CFLAGS) $(FZ_SAN_CLANG) -o $@ tools/prog2c.c fuzz/$*.c fuzz/prog.c fuzz/prog_text.c $(ALLOC_SRCS)

prog2c-tools: $(PROG2C_BINS)

# ---- coverage: the replay driver built with source-based coverage (sanitizers/flags.mk) ----
COV_FLAGS := $(SAN_FLAGS_coverage)
COV_OBJDIR := build/obj/coverage-$(BOOTSTRAP)-$(FZ_NUMATAG)
COV_DIR := build/coverage/bin$(FZ_VSUFFIX)
COV_BINS := $(addprefix $(COV_DIR)/,$(FUZZ_TARGETS))

$(COV_OBJDIR)/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(COV_FLAGS) -c -o $@ $<

$(COV_DIR)/%: $(COV_OBJDIR)/fuzz/%.o $(COV_OBJDIR)/fuzz/replay_main.o $(patsubst %.c,$(COV_OBJDIR)/%.o,$(FZ_ALL_SRCS))
	@mkdir -p $(dir $@)
	clang $(COV_FLAGS) -o $@ $^

coverage-bins: $(COV_BINS)

# ---- the workflows (only variables given on the command line or in the environment pass) ----
WF_VARS = TARGET="$(call FZ_GIVEN,TARGET)" ENGINE="$(call FZ_GIVEN,ENGINE)" \
	BOOTSTRAP="$(call FZ_GIVEN,BOOTSTRAP)" NUMA="$(call FZ_GIVEN,NUMA)" BUG="$(BUG)" \
	KNOWN="$(call FZ_GIVEN,KNOWN)"

fuzz-batch:
	@$(WF_VARS) FUZZ_SECONDS="$(call FZ_GIVEN,SECONDS)" TARGETS="$(TARGETS)" \
	ENGINES="$(ENGINES)" bash ci/fuzz-batch.sh

minimize:
	@$(WF_VARS) CRASH="$(CRASH)" RUNS="$(RUNS)" OUTDIR="$(OUTDIR)" bash ci/minimize.sh

corpus-merge:
	@$(WF_VARS) FROM="$(FROM)" SEEDS_OUT="$(SEEDS_OUT)" MAX_EVENTS="$(MAX_EVENTS)" OFFER_MAX="$(OFFER_MAX)" bash ci/corpus-merge.sh

coverage:
	@TARGET="$(call FZ_GIVEN,TARGET)" BOOTSTRAP="$(call FZ_GIVEN,BOOTSTRAP)" \
	NUMA="$(call FZ_GIVEN,NUMA)" CORPUS="$(CORPUS)" bash ci/coverage.sh

triage:
	@DIR="$(DIR)" CAUSE="$(call FZ_GIVEN,CAUSE)" $(WF_VARS) bash ci/triage.sh

prog2c reproducer:
	@$(WF_VARS) CRASH="$(CRASH)" OUTDIR="$(OUTDIR)" bash ci/prog2c.sh

oss-fuzz-check:
	@FLAVOURS="$(FLAVOURS)" bash ci/oss-fuzz-check.sh

# afl-plot for AFL++ runs, coverage over time for libFuzzer runs (ci/plot.sh)
.PHONY: plot
plot:
	@DIR="$(DIR)" bash ci/plot.sh
