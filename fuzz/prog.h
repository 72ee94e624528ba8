/* prog.h - the fuzz program: a boot configuration plus a list of events, its binary form
 * (what the fuzzers mutate) and its text form (what people read and write).
 *
 * The op table below is the one source of truth for events: the decoder, the encoder, the
 * text printer and parser, the dictionary and the executor's dispatch all expand it.
 *
 * Binary form, all fields little-endian and fixed width:
 *   header   PROG_HEADER_SIZE bytes: the boot scalars (PROG_BOOT_FIELDS, in order), the
 *            memory byte of each of the first PROG_NEAR_NODES nodes, one byte for every node
 *            past them, then PROG_BOOT_FAILS (seq u16, count u8) boot-failure entries.
 *            A shorter input is read as if padded with zero bytes; all-zero is the default
 *            machine (1 node, 1 cpu, kernel defaults).
 *   events   opcode byte, taken modulo PROG_OP_SPACE (not the number of ops), then the op's
 *            arguments; an event cut short by the end of the input is dropped. A code no op
 *            holds yet (PROG_NR_OPS .. PROG_OP_SPACE-1) reads as code - PROG_OP_ALIAS.
 * Every byte string decodes to a valid program; values are reduced into their legal ranges
 * while decoding, so that encode(decode(x)) is the normal form of x (its codes are all below
 * PROG_NR_OPS).
 *
 * Inputs keep their meaning: the opcode space is fixed, so appending an op to PROG_OPS takes
 * one unassigned code and changes the decoding of no other. An input written before the op
 * existed decodes to the same program up to its first byte holding the new code (an alias
 * then, the new event now); its normal form and its text form, which hold assigned codes and
 * op names only, keep their meaning whole. (A format version in the input would not do
 * better: the fuzzers mutate it like any byte, and every byte string is already a program.)
 */
#ifndef SLUBFUZZ_PROG_H
#define SLUBFUZZ_PROG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Object slots: events name objects by slot, never by pointer. The slot byte is taken modulo
 * PROG_NSLOTS: at 256 every byte is a slot, and an input written when there were 64 (its slot
 * bytes below 64, as every normal form's are) keeps its meaning.
 */
#define PROG_NSLOTS 256
/*
 * The pool: objects a `fill` event allocates in bulk and a `pool_free` frees in bulk, beyond
 * the slots, so that a program holds more than a slab of a small-object cache (an order-0
 * slab of 8-byte objects holds 512; order 2, 2048).
 */
#define PROG_POOL 4096
#define PROG_NCACHES 8 /* cache slots */
#define PROG_NEAR_NODES 8 /* nodes whose memory is described one by one */
/*
 * Past this many nodes at most every fourth far node has memory (far_nodes every=1 becomes
 * every=4). The bound on an input's cost: a 1024-node machine with memory on every node takes
 * 1.2 s to boot in the libFuzzer build at min_order=3 (1.9 s with slub_debug=FZPU), most of
 * it 2.6.36's deactivate_slab putting back the rest of an order-3 kmem_cache_node slab for
 * every node of every boot cache; every fourth node: 0.3 s.
 * With min_order 0..3 (15 header values in 16) the bound is PROG_DENSE_NODES_LOW_ORDER: the
 * replay build boots 512 dense nodes with slub_debug=FZPU in 0.58 s at min_order 3 (256:
 * 0.25 s), but 2.06 s at min_order 7 (256: 1.03 s), so higher orders keep 256. 512 nodes
 * with memory are what a cache's per-node counts need to overflow show_slab_objects' page
 * (UPSTREAM_SHOW_NODES_OVERFLOW: about 455 nodes with a slab of 512 objects).
 */
#define PROG_DENSE_NODES 256
#define PROG_DENSE_NODES_LOW_ORDER 512
#define PROG_DENSE_LOW_ORDER 3 /* the highest min_order with PROG_DENSE_NODES_LOW_ORDER */
#define PROG_BOOT_FAILS 4 /* boot-time page allocation failure entries */
#define PROG_MAX_EVENTS 4096
#define PROG_MAX_ARGS 5
/*
 * The opcode space: an opcode byte names code byte % PROG_OP_SPACE, whatever PROG_NR_OPS is.
 * Fixed for good (changing it changes every input's meaning); room for 64 ops. A code no op
 * holds yet (PROG_NR_OPS .. 63) reads as code - PROG_OP_ALIAS (2 .. 31, ops every release
 * has), so every opcode byte is an event, as it was under the modulo: no mutation is wasted
 * on a no-op. When an op is appended it takes its code from the alias.
 */
#define PROG_OP_SPACE 64
#define PROG_OP_ALIAS 32

/*
 * Argument kinds: X(kind, text key, width in bytes). The key names the argument in the text
 * form; an op uses each key at most once.
 */
#define PROG_KINDS(X)                                                                   \
	X(SLOT, "slot", 1) /* object slot, mod PROG_NSLOTS */                           \
	X(CACHE, "cache", 1) /* cache slot, mod PROG_NCACHES */                         \
	X(SIZE, "size", 2) /* kmalloc size 0..65535 */                                  \
	X(OSIZE, "size", 2) /* object size of a new cache, 1..32768 (below a word: 1 in 8) */ \
	X(ALIGN, "align", 1) /* 0 or a power of two 8..2048 */                          \
	X(CFLAGS, "flags", 2) /* subset of prog_cflag_table */                          \
	X(CTOR, "ctor", 1) /* none | mark */                                            \
	X(GFP, "gfp", 1) /* index into prog_gfp_table */                                \
	X(NODE, "node", 2) /* node id mod nr_node_ids; 0xffff is -1 (NUMA_NO_NODE / any) */ \
	X(CPU, "cpu", 1) /* cpu id mod nr_cpu_ids */                                    \
	X(NTH, "nth", 1) /* which request from now, 0 = the next one */                 \
	X(COUNT, "count", 1) /* 1..16 */                                                \
	X(ORDER, "order", 1) /* page order 0..10, 0xff = any */                         \
	X(GFPCLASS, "class", 1) /* any | wait | nowait | dma | thisnode */              \
	X(BYTE, "byte", 1) /* fill byte */                                              \
	X(IRQOP, "irq", 1) /* what an interrupt does: kmalloc | kfree | alloc | free */ \
	X(CORRUPTION, "what", 1) /* a buggy caller's write: redzone | freed | freeptr | padding | cycle */ \
	X(ATTR, "attr", 1) /* a cache attribute file, index into prog_attr_names */      \
	X(VALUE, "value", 1) /* what a store writes, in decimal: 0..255 */              \
	/* boot-only kinds */                                                           \
	X(NODES, "nodes", 2) /* 1..MAX_NUMNODES, skewed small */                        \
	X(CPUS, "cpus", 1) /* 1..NR_CPUS, skewed small */                               \
	X(LINE, "cache_line", 1) /* 8..256, default 64 */                               \
	X(KMIN, "kmalloc_min", 1) /* 8..256, default 8 */                               \
	X(MINORD, "min_order", 1) /* 0..10, mostly 0..3 */                              \
	X(MAXORD, "max_order", 1) /* 0..10, default 3 */                                \
	X(MINOBJ, "min_objects", 1) /* 0..255 */                                        \
	X(BOOL, "nomerge", 1) /* 0 | 1 */                                               \
	X(DEBUG, "debug", 1) /* index into prog_debug_table */                          \
	X(DMAPG, "dma_pages", 1) /* ZONE_DMA pages 0..255 */                            \
	X(STEP, "events_from", 1) /* boot step after which events start */              \
	X(SEQ, "seq", 2) /* page allocation number since boot started, 0..32767 */         \
	/* event kinds appended later (kinds are never encoded: their order is free) */   \
	X(OFFSET, "offset", 2) /* a byte offset, reduced into its region when run */        \
	X(NOBJ, "objects", 2) /* how many pool objects, 1..PROG_POOL */                    \
	X(UNTIL, "until", 1) /* fill: count | slab (stop once the cache took a new slab) */ \
	X(POOLWAY, "way", 1) /* pool_free: lifo | fifo | stride */                         \
	X(STRIDE, "stride", 1) /* pool_free stride: 2..17 */                             \
	X(NAME, "name", 1) /* a cache name, index into prog_cache_names */             \
	X(TEXT, "text", 1) /* what an attr_write writes, index into prog_attr_texts */ \
	X(SEED, "seed", 1) /* par: the PCT scheduler's seed, 0..255 */                 \
	X(DEPTH, "depth", 1) /* par: PCT depth 0..3 (change points + 1; 0 and 1: none) */ \
	X(SITE, "site", 1) /* switch: a yield site, index into allocator/sched_sites.h */

enum prog_kind {
#define PROG_KIND_ENUM(k, key, width) PK_##k,
	PROG_KINDS(PROG_KIND_ENUM)
#undef PROG_KIND_ENUM
	PK_NR,
	PK_NONE = PK_NR,
	PK__ = PK_NONE /* `_` in the op table */
};

/*
 * The ops: X(id, text name, PROG_MAX_ARGS argument kinds without their PK_ prefix, `_` for
 * none). The opcode is the position in this list: append new ops at the end (never insert,
 * reorder or remove) so existing corpora keep their meaning; see the format comment above.
 */
#define PROG_OPS(X)                                                                     \
	X(CREATE, "create", CACHE, OSIZE, ALIGN, CFLAGS, CTOR)                          \
	X(DESTROY, "destroy", CACHE, _, _, _, _)                                        \
	X(ALLOC, "alloc", SLOT, CACHE, GFP, _, _)                                       \
	X(ALLOC_NODE, "alloc_node", SLOT, CACHE, GFP, NODE, _)                          \
	X(FREE, "free", SLOT, _, _, _, _)                                               \
	X(KMALLOC, "kmalloc", SLOT, SIZE, GFP, _, _)                                    \
	X(KMALLOC_NODE, "kmalloc_node", SLOT, SIZE, GFP, NODE, _)                       \
	X(KZALLOC, "kzalloc", SLOT, SIZE, GFP, _, _)                                    \
	X(KFREE, "kfree", SLOT, _, _, _, _)                                             \
	X(KSIZE, "ksize", SLOT, _, _, _, _)                                             \
	X(KREALLOC, "krealloc", SLOT, SIZE, GFP, _, _)                                  \
	X(SHRINK, "shrink", CACHE, _, _, _, _)                                          \
	X(CPU, "cpu", CPU, _, _, _, _)                                                  \
	X(CPU_DOWN, "cpu_down", CPU, _, _, _, _)                                        \
	X(CPU_UP, "cpu_up", CPU, _, _, _, _)                                            \
	X(NODE_ONLINE, "node_online", NODE, _, _, _, _)                                 \
	X(NODE_OFFLINE, "node_offline", NODE, _, _, _, _)                               \
	X(VALIDATE, "validate", _, _, _, _, _)                                          \
	X(WRITE, "write", SLOT, BYTE, _, _, _)                                          \
	X(CHECK, "check", SLOT, _, _, _, _)                                             \
	X(RCU, "rcu", _, _, _, _, _)                                                    \
	X(FAIL_NTH, "fail_nth", NTH, COUNT, _, _, _)                                    \
	X(FAIL_MATCH, "fail_match", ORDER, NODE, GFPCLASS, COUNT, _)                    \
	X(IRQ, "irq", NTH, IRQOP, SLOT, SIZE, CACHE)                                    \
	X(MIGRATE, "migrate", NTH, CPU, _, _, _)                                        \
	X(FAIL_CLEAR, "fail_clear", _, _, _, _, _)                                      \
	X(BOOT_STEP, "boot_step", _, _, _, _, _)                                        \
	X(PTR_VALIDATE, "ptr_validate", SLOT, _, _, _, _)                               \
	X(SYSFS_FAIL, "sysfs_fail", NTH, COUNT, _, _, _)                                \
	X(CORRUPT, "corrupt", SLOT, CORRUPTION, BYTE, _, _) \
	X(ATTR_STORE, "attr_store", CACHE, ATTR, VALUE, _, _)                           \
	X(ATTR_SHOW, "attr_show", CACHE, ATTR, _, _, _)                                 \
	X(FAILSLAB, "failslab", NTH, COUNT, _, _, _)                                    \
	X(PERCPU_FAIL, "percpu_fail", NTH, COUNT, _, _, _)                              \
	X(CORRUPT_AT, "corrupt_at", SLOT, CORRUPTION, OFFSET, VALUE, _)                 \
	X(SLABINFO, "slabinfo", _, _, _, _, _)                                          \
	X(FILL, "fill", CACHE, NOBJ, GFP, UNTIL, _)                                     \
	X(POOL_FREE, "pool_free", NOBJ, POOLWAY, STRIDE, _, _)                          \
	X(CREATE_NAMED, "create_named", CACHE, OSIZE, CFLAGS, CTOR, NAME)              \
	X(ATTR_WRITE, "attr_write", CACHE, ATTR, TEXT, _, _)                            \
	X(PAR, "par", COUNT, SEED, DEPTH, _, _)                                         \
	X(SWITCH, "switch", SITE, NTH, _, _, _)                                         \
	X(IRQ_AT, "irq_at", SITE, NTH, _, _, _)                                         \
	X(MIGRATE_AT, "migrate_at", SITE, NTH, CPU, _, _)

/*
 * Concurrent groups (fuzz/smp.c; fuzz/README.md, "Concurrent groups"):
 *   par count=N seed=S depth=D   the next N events (1..16) form a group that runs at once on
 *            simulated cpus, each cpu's events in order on a fiber of its own; the PCT
 *            scheduler (slub_sched_run) picks who runs at each yield point from S and D.
 *   cpu      inside a group: the cpu the group's following events run on (before any, the
 *            current one); the last one stays the current cpu after the group, as it would
 *            sequentially.
 *   switch site=K nth=M   inside a group: at the M-th time (from 0) any fiber of the group
 *            reaches a yield point of site key K, the running fiber is demoted below every
 *            other (a switch the input names, so that a mutation elsewhere does not move
 *            it). Outside a group it does nothing.
 * The ops that may run in a group are those of smp.c's fz_smp_concurrent (the allocation and
 * free calls, ksize, krealloc, shrink, validate, fill, pool_free, and the harness's own
 * slot checks); any other op ends the group early and then runs as usual. A group whose
 * events all run on one cpu runs exactly as the same events without `par`. An armed `migrate`
 * does not fire inside a group of several cpus (a fiber may not move onto another fiber's
 * cpu: a cpu runs one task); it stays armed for the events after it.
 */
#define PROG_GROUP_MAX 16 /* events of a group: COUNT's range */

/*
 * Interrupts and migrations (fuzz/hooks.c). `irq nth=N` and `migrate nth=N` fire at the N-th
 * page request from now made with interrupts on (__slab_alloc's window); `irq_at site=K nth=N`
 * fires the last `irq` event's interrupt (none before one) at the N-th meeting from now of a
 * yield point of site K where the cpu's interrupts are on, `migrate_at site=K nth=N cpu=C` at
 * the N-th meeting of K where the task may be preempted (interrupts on, no spinlock held). A
 * meeting where the event could not fire does not count. Each arms one trigger per kind: a
 * later event of the kind replaces it; fail_clear disarms both.
 */

/*
 * A switch's site byte names a site of allocator/sched_sites.h, in a fixed space of 256 as an
 * opcode does (prog_table_index): appending a site changes no other's index, and every byte
 * is a site the allocator has. PROG_SITE_BASE: the table's length when the space was fixed.
 */
#define PROG_SITE_SPACE 256
#define PROG_SITE_BASE 67

enum prog_op {
#define PROG_OP_ENUM(id, name, a0, a1, a2, a3, a4) OP_##id,
	PROG_OPS(PROG_OP_ENUM)
#undef PROG_OP_ENUM
	PROG_NR_OPS
};

/*
 * The boot scalars, in header order: X(member of struct prog_boot, kind). The text key is the
 * kind's key.
 */
#define PROG_BOOT_FIELDS(X)                                                             \
	X(nodes, PK_NODES)                                                              \
	X(cpus, PK_CPUS)                                                                \
	X(cache_line, PK_LINE)                                                          \
	X(kmalloc_min, PK_KMIN)                                                         \
	X(min_order, PK_MINORD)                                                         \
	X(max_order, PK_MAXORD)                                                         \
	X(min_objects, PK_MINOBJ)                                                       \
	X(nomerge, PK_BOOL)                                                             \
	X(debug, PK_DEBUG)                                                              \
	X(dma_pages, PK_DMAPG)                                                          \
	X(events_from, PK_STEP)

enum prog_node_state { PROG_NODE_ONLINE, PROG_NODE_OFFLINE, PROG_NODE_MEMORYLESS };

struct prog_boot {
#define PROG_BOOT_MEMBER(member, kind) int member;
	PROG_BOOT_FIELDS(PROG_BOOT_MEMBER)
#undef PROG_BOOT_MEMBER
	/*
	 * Nodes 0 .. PROG_NEAR_NODES-1 (entries past nr of nodes are unused). A small node (below
	 * 64 pages), or a slub_min_order above 3, may leave a node unable to hold its own first
	 * kmem_cache_node slab: 2.6.36 then takes one from another node.
	 */
	struct {
		int pages; /* 64 + 32k, k = 0..63, or a small node's 1 + 4j, j = 0..15 */
		int state; /* enum prog_node_state */
	} near[PROG_NEAR_NODES];
	/* nodes from PROG_NEAR_NODES on: every far_every-th has far_pages, the rest none */
	int far_every; /* 0 (all memoryless), 1, 4 or 16 */
	int far_pages; /* 64 + 2k, k = 0..63; with far_every 1 also 1 + 4j, j = 0..15 */
	struct {
		int seq; /* fail page allocations seq .. seq+count-1 made during boot steps */
		int count;
	} fail[PROG_BOOT_FAILS];
	int nr_fail; /* used entries, packed at the front */
};

struct prog_event {
	int op; /* enum prog_op */
	int32_t arg[PROG_MAX_ARGS]; /* decoded values, in the op's argument order */
};

struct prog {
	struct prog_boot boot;
	int nr_events;
	struct prog_event ev[PROG_MAX_EVENTS];
};

/* The most nodes with which far_nodes every=1 stays every=1 (PROG_DENSE_NODES*). */
int prog_dense_nodes(const struct prog_boot *b);
/* Pages of a node per the configuration (0 for memoryless), and whether it starts offline. */
unsigned int prog_node_pages(const struct prog_boot *b, int node);
int prog_node_offline_at_boot(const struct prog_boot *b, int node);

/* ---- tables ---- */

struct prog_named {
	const char *name;
	unsigned long value;
};
extern const struct prog_named prog_gfp_table[]; /* GFP kind */
extern const int prog_gfp_count;
extern const struct prog_named prog_cflag_table[]; /* CFLAGS kind, bit i = entry i */
extern const int prog_cflag_count;
extern const char *const prog_debug_table[]; /* DEBUG kind; NULL = no slub_debug= */
extern const int prog_debug_count;
extern const char *const prog_step_names[]; /* STEP kind: init .. sysfs */
extern const char *const prog_gfpclass_names[];
extern const char *const prog_irqop_names[];
extern const char *const prog_ctor_names[];
extern const char *const prog_corruption_names[];
extern const char *const prog_until_names[];
extern const char *const prog_poolway_names[];
/*
 * NAME kind: the names a create_named event gives its cache, a small set so that programs
 * repeat them: two caches of one name (sysfs has one directory per name), the name `create`
 * gives its first cache, a boot cache's, one past 63 characters.
 */
extern const char *const prog_cache_names[];
extern const int prog_cache_name_count;
/*
 * TEXT kind: what an attr_write event writes into a cache's file, beyond attr_store's decimal
 * 0..255: numbers past 255 and past 2^32, two that wrap strict_strtoul's unsigned long to 1
 * and to 0, a sign, trailing junk, hex, an empty line, no newline. The text form prints each
 * as its index's name (prog_attr_text_names).
 */
extern const char *const prog_attr_texts[];
extern const char *const prog_attr_text_names[];
extern const int prog_attr_text_count;
/* ATTR kind: the /sys/kernel/slab/<cache>/ files an attr_store or attr_show event names */
extern const char *const prog_attr_names[];
extern const int prog_attr_count;

enum prog_gfpclass { GC_ANY, GC_WAIT, GC_NOWAIT, GC_DMA, GC_THISNODE, GC_NR };
enum prog_irqop { IRQ_KMALLOC, IRQ_KFREE, IRQ_ALLOC, IRQ_FREE, IRQ_NR };
/*
 * What a corrupt event writes, as a buggy caller would: past the object into its red zone,
 * into an object after freeing it, over a freed object's free pointer, into the slab's
 * padding. slub_debug must report it where the cache's debug flags promise a check.
 * `corrupt` writes its byte at one fixed place of the region; `corrupt_at` writes any value
 * at any offset of it (the offset taken modulo the region's length when it runs).
 * `cycle` (appended) points the last free object's free pointer back at a free object of the
 * same slab, the first (`corrupt`: byte picks it, `corrupt_at`: offset, modulo the free
 * objects): the cyclic free list a double free or a stray pointer write leaves.
 */
enum prog_corruption { CO_REDZONE, CO_FREED, CO_FREEPTR, CO_PADDING, CO_CYCLE, CO_NR };
/* fill: allocate `objects` objects, or stop after the allocation that took a new slab */
enum prog_until { UNTIL_COUNT, UNTIL_SLAB, UNTIL_NR };
/* pool_free: newest first, oldest first, or every stride-th (then the next offset) */
enum prog_poolway { POOL_LIFO, POOL_FIFO, POOL_STRIDE, POOL_NR };
#define PROG_ORDER_ANY (-1)
#define PROG_NODE_ANY (-1)

/* ---- op and kind metadata ---- */

const char *prog_op_name(int op);
int prog_op_nargs(int op);
enum prog_kind prog_op_arg(int op, int i);
const char *prog_kind_key(enum prog_kind k);
int prog_kind_width(enum prog_kind k);
/* Bytes one event of this op takes in the binary form, opcode included. */
size_t prog_op_size(int op);

/* ---- binary form ---- */

#define PROG_HEADER_SIZE prog_header_size()
size_t prog_header_size(void);
/* Decodes any bytes into p, keeping at most max_events events. Total: never fails. */
void prog_decode(struct prog *p, const uint8_t *data, size_t size, int max_events);
/*
 * prog_decode as a release holding only the first nr_ops ops would decode (the test that
 * appending an op keeps old inputs' meaning uses it).
 */
void prog_decode_upto(struct prog *p, const uint8_t *data, size_t size, int max_events, int nr_ops);
/* Encodes p; returns the size written, or the size needed if it exceeds cap. */
size_t prog_encode(const struct prog *p, uint8_t *out, size_t cap);
/* The raw value that decodes to v (the encoder's half of a kind); ctx gives nodes/cpus. */
uint32_t prog_kind_encode(enum prog_kind k, int32_t v, const struct prog_boot *ctx);
int32_t prog_kind_decode(enum prog_kind k, uint32_t raw, const struct prog_boot *ctx);
/*
 * A table's index, as the opcode is one (PROG_OP_SPACE): raw % space, a fixed space, so that
 * appending an entry changes no index but its own; an index no entry holds yet reads as
 * index % base, base the table's size when its space was fixed (prog.c asserts the bounds).
 */
int32_t prog_table_index(uint32_t raw, uint32_t space, uint32_t count, uint32_t base);
/* Default (all-zero) boot configuration. */
void prog_boot_default(struct prog_boot *b);
/* Boot fixes that make every configuration bootable (at least one node with memory). */
void prog_boot_normalise(struct prog_boot *b);

/* ---- text form (prog_text.c) ---- */

/* Prints the program, one line per boot record and per event; mark >= 0 flags that event. */
void prog_print(FILE *f, const struct prog *p, int mark);
/* Prints one event (no newline). */
void prog_print_event(FILE *f, const struct prog_boot *b, const struct prog_event *e);
/*
 * Parses the text form. Returns 0, or -1 with a message naming the line in err. Missing
 * arguments take the value a zero byte decodes to.
 */
int prog_parse(struct prog *p, const char *text, char *err, size_t err_len);

/*
 * The two forms of an input, told apart in one place: a text program is a file whose first
 * line begins with PROG_TEXT_MAGIC (slubprog text writes it, every shipped .txt has it);
 * anything else is a binary program, since every byte string is one.
 */
#define PROG_TEXT_MAGIC "#slubprog"
int prog_is_text(const uint8_t *data, size_t len);
/*
 * An input as the fuzzers take it: a binary input is copied as it is, a text program is
 * parsed and encoded (its normal form). Returns malloc'd bytes and their length, or NULL with
 * the reason in err ("line 3: ...", or what was wrong with the whole file). For the tools a
 * user runs (never the fuzzers' entry point): a text program without a record is refused, and
 * so is a file that looks like a text program without its PROG_TEXT_MAGIC line (printable
 * text whose first record line begins with a record's word), unless PROG_AS_BYTES_ENV=1 is in
 * the environment, which runs such a file's bytes as a binary input.
 */
#define PROG_AS_BYTES_ENV "SLUBFUZZ_BYTES"
uint8_t *prog_load(const uint8_t *data, size_t len, size_t *out_len, char *err, size_t err_len);

/* ---- dictionary ---- */

/* Writes a libFuzzer/AFL dictionary: every opcode, alone and as a whole default event. */
void prog_write_dict(FILE *f);

#endif
