/* prog.c - the binary form of fuzz programs: value tables, each kind's decode/encode pair,
 * the header and event codecs, and the dictionary generated from the op table. */
#include <string.h>

#include "prog.h"
#include "slub.h"

/* ---- tables ---- */

const struct prog_named prog_gfp_table[] = {
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOWAIT", GFP_NOWAIT },
	{ "GFP_KERNEL|__GFP_ZERO", GFP_KERNEL | __GFP_ZERO },
	{ "GFP_NOFS", GFP_NOFS },
	{ "GFP_KERNEL|GFP_DMA", GFP_KERNEL | GFP_DMA },
	{ "GFP_ATOMIC|GFP_DMA", GFP_ATOMIC | GFP_DMA },
	{ "GFP_KERNEL|__GFP_THISNODE", GFP_KERNEL | __GFP_THISNODE },
	{ "GFP_THISNODE", GFP_THISNODE },
	{ "GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY", GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY },
	{ "GFP_ATOMIC|__GFP_ZERO", GFP_ATOMIC | __GFP_ZERO },
};
const int prog_gfp_count = (int)(sizeof(prog_gfp_table) / sizeof(prog_gfp_table[0]));

/* Flags a caller may legitimately pass to kmem_cache_create (no SLAB_PANIC, no tracing). */
const struct prog_named prog_cflag_table[] = {
	{ "HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },   { "RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "DESTROY_BY_RCU", SLAB_DESTROY_BY_RCU }, { "CACHE_DMA", SLAB_CACHE_DMA },
	{ "DEBUG_FREE", SLAB_DEBUG_FREE },         { "RED_ZONE", SLAB_RED_ZONE },
	{ "POISON", SLAB_POISON },                 { "STORE_USER", SLAB_STORE_USER },
	{ "MEM_SPREAD", SLAB_MEM_SPREAD },         { "NOTRACK", SLAB_NOTRACK },
};
const int prog_cflag_count = (int)(sizeof(prog_cflag_table) / sizeof(prog_cflag_table[0]));

/* slub_debug= settings worth booting with; NULL means the option is absent. */
const char *const prog_debug_table[] = {
	NULL, "", "F", "Z", "P", "U", "FZPU", "FZ,kmalloc-", "O", "-", "FZPUO",
	"P,kmalloc-64", "U,kmem_cache_node", "Z,kmem_cache",
};
const int prog_debug_count = (int)(sizeof(prog_debug_table) / sizeof(prog_debug_table[0]));

const char *const prog_step_names[] = { "init", "irqs_on", "init_late", "sysfs" };
const char *const prog_gfpclass_names[] = { "any", "wait", "nowait", "dma", "thisnode" };
const char *const prog_irqop_names[] = { "kmalloc", "kfree", "alloc", "free" };
const char *const prog_ctor_names[] = { "none", "mark" };
const char *const prog_cache_names[] = {
	"fz-named", "fz-other", "fz-0", "kmalloc-64",
	"fz-a-cache-name-that-runs-well-past-sixty-three-characters-as-a-module-may-give-it",
};
const int prog_cache_name_count = (int)(sizeof(prog_cache_names) / sizeof(prog_cache_names[0]));
const char *const prog_attr_texts[] = {
	"256\n", "4294967297\n", "18446744073709551617\n", "18446744073709551616\n", "-1\n",
	"1x\n", "0x1\n", "\n", "1", "0", "01\n", "100\n", "101\n", "3 \n",
};
const char *const prog_attr_text_names[] = {
	"256", "2^32+1", "2^64+1", "2^64", "minus_1", "1x", "0x1", "empty", "1_no_newline",
	"0_no_newline", "01", "100", "101", "3_space",
};
const int prog_attr_text_count = (int)(sizeof(prog_attr_texts) / sizeof(prog_attr_texts[0]));
_Static_assert(sizeof(prog_attr_texts) == sizeof(prog_attr_text_names),
	       "prog_attr_texts and prog_attr_text_names: one name per text");
const char *const prog_corruption_names[] = { "redzone", "freed", "freeptr", "padding",
							"cycle" };
const char *const prog_until_names[] = { "count", "slab" };
const char *const prog_poolway_names[] = { "lifo", "fifo", "stride" };
/* New names go at the end: the index is what the binary form holds. */
const char *const prog_attr_names[] = {
	"order", "min_partial", "remote_node_defrag_ratio", "red_zone", "poison", "store_user",
	"sanity_checks", "trace", "failslab", "reclaim_account", "validate", "shrink",
	"alloc_calls", "free_calls", "slabs", "partial", "cpu_slabs", "objects",
	"objects_partial", "total_objects", "slab_size", "object_size", "objs_per_slab", "align",
	"aliases", "ctor", "hwcache_align", "cache_dma", "destroy_by_rcu",
	/* CONFIG_SLUB_STATS */
	"alloc_fastpath", "alloc_slowpath", "free_fastpath", "free_slowpath", "free_frozen",
	"free_add_partial", "free_remove_partial", "alloc_from_partial", "alloc_slab",
	"alloc_refill", "free_slab", "cpuslab_flush", "deactivate_full", "deactivate_empty",
	"deactivate_to_head", "deactivate_to_tail", "deactivate_remote_frees", "order_fallback",
};
const int prog_attr_count = (int)(sizeof(prog_attr_names) / sizeof(prog_attr_names[0]));

/* ---- op and kind metadata, expanded from the tables in prog.h ---- */

_Static_assert(PROG_SITE_BASE < SLUB_SITE_KEYS, "a switch's site is a key the scheduler holds");
_Static_assert(PROG_GROUP_MAX <= SLUB_MAX_SWITCHES, "a group's switch events fit its cfg.sw[]");
_Static_assert(PROG_NR_OPS <= PROG_OP_SPACE,
	       "PROG_OPS holds more ops than the opcode space: see PROG_OP_SPACE in fuzz/prog.h");
_Static_assert(PROG_OP_SPACE - PROG_OP_ALIAS <= 33,
	       "an unassigned code must read as one of the first 33 ops, which every release has");

struct prog_op_info {
	const char *name;
	enum prog_kind arg[PROG_MAX_ARGS];
};

static const struct prog_op_info prog_ops[PROG_NR_OPS] = {
#define PROG_OP_INFO(id, name, a0, a1, a2, a3, a4)                                      \
	[OP_##id] = { name, { PK_##a0, PK_##a1, PK_##a2, PK_##a3, PK_##a4 } },
	PROG_OPS(PROG_OP_INFO)
#undef PROG_OP_INFO
};

static const struct {
	const char *key;
	int width;
} prog_kinds[PK_NR] = {
#define PROG_KIND_INFO(k, key, width) [PK_##k] = { key, width },
	PROG_KINDS(PROG_KIND_INFO)
#undef PROG_KIND_INFO
};

const char *prog_op_name(int op)
{
	return op >= 0 && op < PROG_NR_OPS ? prog_ops[op].name : "?";
}

int prog_op_nargs(int op)
{
	int n = 0;

	while (n < PROG_MAX_ARGS && prog_ops[op].arg[n] != PK_NONE)
		n++;
	return n;
}

enum prog_kind prog_op_arg(int op, int i)
{
	return prog_ops[op].arg[i];
}

const char *prog_kind_key(enum prog_kind k)
{
	return k < PK_NR ? prog_kinds[k].key : "?";
}

int prog_kind_width(enum prog_kind k)
{
	return k < PK_NR ? prog_kinds[k].width : 0;
}

size_t prog_op_size(int op)
{
	size_t n = 1;

	for (int i = 0; i < prog_op_nargs(op); i++)
		n += (size_t)prog_kind_width(prog_op_arg(op, i));
	return n;
}

/* ---- kinds: raw field value <-> program value ---- */

static int ilog2_int(uint32_t v)
{
	int l = -1;

	while (v) {
		v >>= 1;
		l++;
	}
	return l;
}

static uint32_t umod(uint32_t a, uint32_t b)
{
	return b ? a % b : 0;
}

/*
 * The tables' sizes when their index spaces were fixed (the bases above): a table may grow up
 * to its space, never shrink below its base.
 */
_Static_assert(sizeof(prog_gfp_table) / sizeof(prog_gfp_table[0]) >= 11 &&
	       sizeof(prog_gfp_table) / sizeof(prog_gfp_table[0]) <= 32, "prog_gfp_table: 11..32 entries");
_Static_assert(sizeof(prog_attr_names) / sizeof(prog_attr_names[0]) >= 29 &&
	       sizeof(prog_attr_names) / sizeof(prog_attr_names[0]) <= 64, "prog_attr_names: 29..64 entries");
_Static_assert(sizeof(prog_debug_table) / sizeof(prog_debug_table[0]) >= 14 &&
	       sizeof(prog_debug_table) / sizeof(prog_debug_table[0]) <= 32, "prog_debug_table: 14..32 entries");
_Static_assert(sizeof(prog_cache_names) / sizeof(prog_cache_names[0]) >= 5 &&
	       sizeof(prog_cache_names) / sizeof(prog_cache_names[0]) <= 16, "prog_cache_names: 5..16 entries");
_Static_assert(sizeof(prog_attr_texts) / sizeof(prog_attr_texts[0]) >= 14 &&
	       sizeof(prog_attr_texts) / sizeof(prog_attr_texts[0]) <= 32, "prog_attr_texts: 14..32 entries");
_Static_assert(GC_NR >= 5 && GC_NR <= 8 && IRQ_NR >= 4 && IRQ_NR <= 8 && CO_NR >= 4 && CO_NR <= 8,
	       "gfp classes, irq ops, corruptions: within their index spaces");

int32_t prog_table_index(uint32_t raw, uint32_t space, uint32_t count, uint32_t base)
{
	uint32_t i = raw % space;

	return (int32_t)(i < count ? i : i % base);
}

int32_t prog_kind_decode(enum prog_kind k, uint32_t raw, const struct prog_boot *ctx)
{
	switch (k) {
	case PK_SLOT: return (int32_t)(raw % PROG_NSLOTS);
	case PK_CACHE: return (int32_t)(raw % PROG_NCACHES);
	case PK_SIZE: return (int32_t)raw;
	/*
	 * 8..32768 below 32761 (what the encoder writes for those sizes); above, one value in
	 * four is an object smaller than a word, 1..7: SLAB refuses those, 2.6.36 SLUB takes
	 * them (and with a red zone its free pointer overwrites the zone).
	 */
	case PK_OSIZE:
		if (raw >= 32761 && !(raw & 3))
			return (int32_t)(1 + (raw >> 2) % 7);
		return (int32_t)(8 + raw % 32761);
	case PK_ALIGN: return raw % 10 ? (int32_t)(4u << (raw % 10)) : 0;
	case PK_CFLAGS: return (int32_t)(raw & ((1u << prog_cflag_count) - 1));
	/* tables that may grow: an index in a fixed space (prog_table_index) */
	case PK_CTOR: return prog_table_index(raw, 4, 2, 2);
	case PK_GFP: return prog_table_index(raw, 32, (uint32_t)prog_gfp_count, 11);
	case PK_NODE: return raw == 0xffff ? -1 : (int32_t)umod(raw, (uint32_t)ctx->nodes);
	case PK_CPU: return (int32_t)umod(raw, (uint32_t)ctx->cpus);
	case PK_NTH: return (int32_t)raw;
	case PK_COUNT: return (int32_t)(1 + raw % 16);
	case PK_ORDER: return raw == 0xff ? PROG_ORDER_ANY : (int32_t)(raw % 11);
	case PK_GFPCLASS: return prog_table_index(raw, 8, GC_NR, 5);
	case PK_BYTE: return (int32_t)raw;
	case PK_IRQOP: return prog_table_index(raw, 8, IRQ_NR, 4);
	case PK_CORRUPTION: return prog_table_index(raw, 8, CO_NR, 4);
	case PK_ATTR: return prog_table_index(raw, 64, (uint32_t)prog_attr_count, 29);
	case PK_NAME: return prog_table_index(raw, 16, (uint32_t)prog_cache_name_count, 5);
	case PK_TEXT: return prog_table_index(raw, 32, (uint32_t)prog_attr_text_count, 14);
	case PK_VALUE: return (int32_t)raw;
	/*
	 * The top bits pick the range, so that big machines are rare (a 1024-node boot costs a
	 * hundred small ones, and more than 64 nodes come in about one header in 70): half of all
	 * values give 1..4 nodes, a quarter 1..8, an eighth 1..64, then 1..16, 1..32 and 1..64
	 * again, and one value in 64 gives 1..1024.
	 */
	case PK_NODES:
		if (raw & 0x8000)
			return (int32_t)(1 + (raw & 3));
		if (raw & 0x4000)
			return (int32_t)(1 + (raw & 7));
		if (raw & 0x2000)
			return (int32_t)(1 + (raw & 63));
		if (raw & 0x1000)
			return (int32_t)(1 + (raw & 15));
		if (raw & 0x0800)
			return (int32_t)(1 + (raw & 31));
		if (raw & 0x0400)
			return (int32_t)(1 + (raw & 63));
		return (int32_t)(1 + (raw & 1023));
	case PK_CPUS: return (int32_t)(raw < 0xc0 ? 1 + raw % 8 : 1 + raw % 64);
	case PK_LINE: return (int32_t)(8u << ((raw + 3) % 6));
	case PK_KMIN: return (int32_t)(8u << (raw % 6));
	/* mostly 0..3; one value in 16 any order to MAX_ORDER - 1 (slub_min_order has no cap) */
	case PK_MINORD: return (int32_t)(raw < 0xf0 ? raw % 4 : (raw - 0xf0) % 11);
	case PK_MAXORD: return (int32_t)((raw + 3) % 11);
	case PK_MINOBJ: return (int32_t)raw;
	case PK_BOOL: return (int32_t)(raw & 1);
	case PK_DEBUG: return prog_table_index(raw, 32, (uint32_t)prog_debug_count, 14);
	case PK_DMAPG: return (int32_t)(raw ^ 16);
	case PK_STEP: return raw < 0xf0 ? 3 : (int32_t)((raw - 0xf0) % 4);
	/* mostly the first 64 requests (a small boot makes a few dozen), else up to 32767 */
	case PK_SEQ: return (int32_t)(raw & 0x8000 ? raw & 0x7fff : raw & 63);
	case PK_OFFSET: return (int32_t)raw;
	case PK_NOBJ: return (int32_t)(1 + raw % PROG_POOL);
	case PK_UNTIL: return (int32_t)(raw % UNTIL_NR);
	case PK_POOLWAY: return (int32_t)(raw % POOL_NR);
	case PK_STRIDE: return (int32_t)(2 + raw % 16);
	case PK_SEED: return (int32_t)raw;
	case PK_DEPTH: return (int32_t)(raw % 4);
	case PK_SITE:
		return prog_table_index(raw, PROG_SITE_SPACE, (uint32_t)slub_site_keys_named(),
					PROG_SITE_BASE);
	case PK_NR: break;
	}
	return 0;
}

/*
 * Total over every int32_t: a value the kind cannot carry gets some raw value whose decoding
 * differs from it (that is how the text parser finds it), never an overflow.
 */
uint32_t prog_kind_encode(enum prog_kind k, int32_t v, const struct prog_boot *ctx)
{
	uint32_t u = v < 0 ? 0 : (uint32_t)v;

	(void)ctx;
	switch (k) {
	case PK_OSIZE: /* 1..7: 4k with k >= 8191 (4k >= 32761) and k % 7 == u - 1 */
		return u >= 8 ? u - 8 : u ? 4 * (8191 + (u + 5) % 7) : 0;
	case PK_COUNT: return u ? u - 1 : 0;
	case PK_NOBJ: return u ? u - 1 : 0;
	case PK_STRIDE: return u >= 2 ? u - 2 : 0;
	/* below 8 only 0 is legal: 0 decodes to 0, and so the others are refused */
	case PK_ALIGN: return u >= 8 ? (uint32_t)(ilog2_int(u) - 2) : 0;
	case PK_NODE: return v < 0 ? 0xffff : u;
	case PK_ORDER: return v < 0 ? 0xff : u;
	/* 0 nodes or cpus has no encoding: 0 encodes as 1's raw value, and a parser refuses it */
	case PK_NODES:
		if (!u)
			return 0x8000;
		return u <= 4 ? 0x8000 | (u - 1) : u <= 8 ? 0x4000 | (u - 1) : u <= 64 ? 0x2000 | (u - 1) :
		       u - 1;
	case PK_CPUS: return !u ? 0 : u <= 8 ? u - 1 : 0xc0 + u - 1;
	case PK_LINE: return (uint32_t)((ilog2_int(u >> 3) + 3) % 6);
	case PK_KMIN: return u >= 8 ? (uint32_t)ilog2_int(u >> 3) : 0;
	case PK_MINORD: return u < 4 ? u : 0xf0 + u;
	case PK_MAXORD: return (u + 8) % 11;
	case PK_DMAPG: return u ^ 16;
	case PK_STEP: return u == 3 ? 0 : 0xf0 + u;
	case PK_SEQ: return u < 64 ? u : 0x8000 | (u & 0x7fff);
	default: return u;
	}
}

/* ---- little-endian fields ---- */

struct prog_reader {
	const uint8_t *p;
	size_t len, pos;
};

/* Reads width bytes; past the end of the input, bytes read as zero. */
static uint32_t rd(struct prog_reader *r, int width)
{
	uint32_t v = 0;

	for (int i = 0; i < width; i++, r->pos++)
		if (r->pos < r->len)
			v |= (uint32_t)r->p[r->pos] << (8 * i);
	return v;
}

struct prog_writer {
	uint8_t *p;
	size_t cap, pos;
};

static void wr(struct prog_writer *w, uint32_t v, int width)
{
	for (int i = 0; i < width; i++, w->pos++)
		if (w->pos < w->cap)
			w->p[w->pos] = (uint8_t)((v >> (8 * i)) & 0xff);
}

/* ---- boot header ---- */

static const int far_every_table[4] = { 0, 1, 4, 16 };

size_t prog_header_size(void)
{
	size_t n = 0;

#define PROG_BOOT_SIZE(member, kind) n += (size_t)prog_kinds[kind].width;
	PROG_BOOT_FIELDS(PROG_BOOT_SIZE)
#undef PROG_BOOT_SIZE
	return n + PROG_NEAR_NODES + 1 + PROG_BOOT_FAILS * 3;
}

unsigned int prog_node_pages(const struct prog_boot *b, int node)
{
	if (node < 0 || node >= b->nodes)
		return 0;
	if (node < PROG_NEAR_NODES)
		return b->near[node].state == PROG_NODE_MEMORYLESS ? 0 : (unsigned int)b->near[node].pages;
	if (b->far_every && node % b->far_every == 0)
		return (unsigned int)b->far_pages;
	return 0;
}

int prog_node_offline_at_boot(const struct prog_boot *b, int node)
{
	return node >= 0 && node < PROG_NEAR_NODES && node < b->nodes &&
	       b->near[node].state == PROG_NODE_OFFLINE;
}

/*
 * A near node's byte: 0x40 offline, 0x80 memoryless, else 64 + 32k pages (k from the low six
 * bits). A memoryless byte with 0x30 set is instead a small node of 1 + 4j pages (j from the
 * low four bits; 0x40 still offline): smaller than the order of its first slabs, where 2.6.36
 * falls back to another node's memory.
 */
#define PROG_SMALL_NODE 0xb0u

static void near_decode(struct prog_boot *b, int i, uint32_t raw)
{
	b->near[i].pages = (int)(64 + ((raw & 63) ^ 6) * 32);
	b->near[i].state = (raw & 0x80) ? PROG_NODE_MEMORYLESS :
			   (raw & 0x40) ? PROG_NODE_OFFLINE : PROG_NODE_ONLINE;
	if ((raw & PROG_SMALL_NODE) == PROG_SMALL_NODE) {
		b->near[i].pages = (int)(1 + (raw & 15) * 4);
		b->near[i].state = (raw & 0x40) ? PROG_NODE_OFFLINE : PROG_NODE_ONLINE;
	} else if (b->near[i].state == PROG_NODE_MEMORYLESS) {
		b->near[i].pages = 64 + 6 * 32;
	}
}

static uint32_t near_encode(const struct prog_boot *b, int i)
{
	uint32_t k = ((uint32_t)(b->near[i].pages - 64) / 32) ^ 6;
	uint32_t off = b->near[i].state == PROG_NODE_OFFLINE ? 0x40 : 0;

	if (i >= b->nodes)
		return 0;
	if (b->near[i].state == PROG_NODE_MEMORYLESS)
		return 0x80;
	if (b->near[i].pages < 64)
		return PROG_SMALL_NODE | off | ((uint32_t)(b->near[i].pages - 1) / 4 & 15);
	return off | (k & 63);
}

/*
 * The far nodes' byte: the top two bits pick every (far_every_table), the low six give 64 + 2k
 * pages. With every 0 (all memoryless) a low six bits of 48 and above give instead small far
 * nodes, every one with 1 + 4j pages.
 */
static void far_decode(struct prog_boot *b, uint32_t raw)
{
	b->far_every = far_every_table[raw >> 6 & 3];
	b->far_pages = (int)(64 + (raw & 63) * 2);
	if (!b->far_every && (raw & 63) >= 48) {
		b->far_every = 1;
		b->far_pages = (int)(1 + ((raw & 63) - 48) * 4);
	}
	if (!b->far_every || b->nodes <= PROG_NEAR_NODES) {
		b->far_every = 0;
		b->far_pages = 64;
	}
	if (b->far_every == 1 && b->nodes > prog_dense_nodes(b))
		b->far_every = 4;
}

int prog_dense_nodes(const struct prog_boot *b)
{
	return b->min_order <= PROG_DENSE_LOW_ORDER ? PROG_DENSE_NODES_LOW_ORDER : PROG_DENSE_NODES;
}

static uint32_t far_encode(const struct prog_boot *b)
{
	uint32_t sel = 0;

	if (b->nodes <= PROG_NEAR_NODES || !b->far_every)
		return 0;
	if (b->far_pages < 64)
		return 48 + ((uint32_t)(b->far_pages - 1) / 4 & 15);
	for (uint32_t i = 0; i < 4; i++)
		if (far_every_table[i] == b->far_every)
			sel = i;
	return sel << 6 | ((uint32_t)(b->far_pages - 64) / 2 & 63);
}

void prog_boot_normalise(struct prog_boot *b)
{
	int near = b->nodes < PROG_NEAR_NODES ? b->nodes : PROG_NEAR_NODES;

	for (int i = near; i < PROG_NEAR_NODES; i++) {
		b->near[i].pages = 64 + 6 * 32;
		b->near[i].state = PROG_NODE_ONLINE;
	}
	if (b->nodes <= PROG_NEAR_NODES || !b->far_every) {
		b->far_every = 0;
		b->far_pages = 64;
	}
	/* The machine boots with memory somewhere: without any, node 0 gets its pages online. */
	for (int n = 0; n < b->nodes; n++)
		if (prog_node_pages(b, n) && !prog_node_offline_at_boot(b, n))
			return;
	b->near[0].state = PROG_NODE_ONLINE;
}

static void boot_decode(struct prog_boot *b, struct prog_reader *r)
{
	memset(b, 0, sizeof(*b));
#define PROG_BOOT_DEC(member, kind) b->member = prog_kind_decode(kind, rd(r, prog_kinds[kind].width), b);
	PROG_BOOT_FIELDS(PROG_BOOT_DEC)
#undef PROG_BOOT_DEC
	for (int i = 0; i < PROG_NEAR_NODES; i++)
		near_decode(b, i, rd(r, 1));
	far_decode(b, rd(r, 1));
	b->nr_fail = 0;
	for (int i = 0; i < PROG_BOOT_FAILS; i++) {
		int seq = prog_kind_decode(PK_SEQ, rd(r, 2), b);
		int count = (int)(rd(r, 1) & 15);

		if (!count)
			continue;
		b->fail[b->nr_fail].seq = seq;
		b->fail[b->nr_fail].count = count;
		b->nr_fail++;
	}
	prog_boot_normalise(b);
}

void prog_boot_default(struct prog_boot *b)
{
	struct prog_reader r = { NULL, 0, 0 };

	boot_decode(b, &r);
}

static void boot_encode(const struct prog_boot *b, struct prog_writer *w)
{
#define PROG_BOOT_ENC(member, kind) wr(w, prog_kind_encode(kind, b->member, b), prog_kinds[kind].width);
	PROG_BOOT_FIELDS(PROG_BOOT_ENC)
#undef PROG_BOOT_ENC
	for (int i = 0; i < PROG_NEAR_NODES; i++)
		wr(w, near_encode(b, i), 1);
	wr(w, far_encode(b), 1);
	for (int i = 0; i < PROG_BOOT_FAILS; i++) {
		int used = i < b->nr_fail && b->fail[i].count > 0;

		wr(w, used ? prog_kind_encode(PK_SEQ, b->fail[i].seq, b) : 0, 2);
		wr(w, used ? (uint32_t)b->fail[i].count & 15 : 0, 1);
	}
}

/* ---- whole programs ---- */

void prog_decode_upto(struct prog *p, const uint8_t *data, size_t size, int max_events, int nr_ops)
{
	struct prog_reader r = { data, size, 0 };

	if (max_events > PROG_MAX_EVENTS)
		max_events = PROG_MAX_EVENTS;
	if (nr_ops > PROG_NR_OPS)
		nr_ops = PROG_NR_OPS;
	if (nr_ops < PROG_OP_SPACE - PROG_OP_ALIAS)
		nr_ops = PROG_OP_SPACE - PROG_OP_ALIAS;
	boot_decode(&p->boot, &r);
	p->nr_events = 0;
	while (p->nr_events < max_events && r.pos < size) {
		/*
		 * A fixed opcode space: the code is the byte modulo PROG_OP_SPACE, whatever the
		 * number of ops, so appending an op changes no code's meaning but its own. A code
		 * no op holds yet reads as code - PROG_OP_ALIAS, an op every release has: no byte is
		 * wasted on a no-op, and when the code is taken, only its own bytes change meaning.
		 */
		int op = (int)(data[r.pos] % PROG_OP_SPACE);
		struct prog_event *e = &p->ev[p->nr_events];

		if (op >= nr_ops)
			op -= PROG_OP_ALIAS;
		if (size - r.pos < prog_op_size(op))
			break; /* cut short: dropped */
		r.pos++;
		e->op = op;
		memset(e->arg, 0, sizeof(e->arg));
		for (int i = 0; i < prog_op_nargs(op); i++) {
			enum prog_kind k = prog_op_arg(op, i);

			e->arg[i] = prog_kind_decode(k, rd(&r, prog_kinds[k].width), &p->boot);
		}
		p->nr_events++;
	}
}

void prog_decode(struct prog *p, const uint8_t *data, size_t size, int max_events)
{
	prog_decode_upto(p, data, size, max_events, PROG_NR_OPS);
}

size_t prog_encode(const struct prog *p, uint8_t *out, size_t cap)
{
	struct prog_writer w = { out, cap, 0 };

	boot_encode(&p->boot, &w);
	for (int n = 0; n < p->nr_events; n++) {
		const struct prog_event *e = &p->ev[n];

		wr(&w, (uint32_t)e->op, 1);
		for (int i = 0; i < prog_op_nargs(e->op); i++) {
			enum prog_kind k = prog_op_arg(e->op, i);

			wr(&w, prog_kind_encode(k, e->arg[i], &p->boot), prog_kinds[k].width);
		}
	}
	return w.pos;
}

/* ---- dictionary ---- */

void prog_write_dict(FILE *f)
{
	fprintf(f, "# slubfuzz event opcodes, generated from the op table in fuzz/prog.h\n");
	for (int op = 0; op < PROG_NR_OPS; op++) {
		size_t n = prog_op_size(op);

		fprintf(f, "op_%s=\"\\x%02x\"\n", prog_op_name(op), (unsigned int)op);
		/* the whole event with every argument at its zero-byte value */
		fprintf(f, "ev_%s=\"\\x%02x", prog_op_name(op), (unsigned int)op);
		for (size_t i = 1; i < n; i++)
			fprintf(f, "\\x00");
		fprintf(f, "\"\n");
	}
	/*
	 * Concurrency, which a mutation seldom assembles from single opcodes: a group of the
	 * most events at PCT depth 2 whose next event moves to cpu 1, and a switch at each site
	 * of allocator/sched_sites.h (its first meeting), so that the engines can put a switch
	 * where a race's window opens.
	 */
	fprintf(f, "par_cpu1=\"\\x%02x\\x%02x\\x00\\x02\\x%02x\\x01\"\n", (unsigned int)OP_PAR,
		PROG_GROUP_MAX - 1, (unsigned int)OP_CPU);
	for (int k = 0; k < slub_site_keys_named(); k++)
		fprintf(f, "# switch site=%s nth=0\nsw_%d=\"\\x%02x\\x%02x\\x00\"\n",
			slub_site_name((uint32_t)k), k, (unsigned int)OP_SWITCH, (unsigned int)k);
}
