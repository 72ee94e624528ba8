/* test_prog.c - the program format's promises to the inputs users keep: appending an op keeps
 * every old input's meaning (the fixed opcode space of fuzz/prog.h), and the tools' loader
 * refuses what a user did not mean (a text program without its #slubprog line, out-of-range or
 * repeated values, a text program without a record). */
#include <stdlib.h>
#include <string.h>

#include "prog.h"
#include "slub.h" /* slub_site_key */
#include "test.h"

/* xorshift64: the inputs depend on the seed only */
static uint64_t rnd(uint64_t *s)
{
	*s ^= (*s & (UINT64_MAX >> 13)) << 13;
	*s ^= *s >> 7;
	*s ^= (*s & (UINT64_MAX >> 17)) << 17;
	return *s;
}

static int same_event(const struct prog_event *a, const struct prog_event *b)
{
	return a->op == b->op && !memcmp(a->arg, b->arg, sizeof(a->arg));
}

/*
 * A corpus grown before the last op of PROG_OPS was appended (decoded as that release would,
 * with one op fewer) replays to the same programs now: every event the old release decoded is
 * decoded again, the same, up to the first byte holding the new op's code (an alias before).
 * Under the old `byte % PROG_NR_OPS` decoding nearly every random input changed meaning at its
 * first opcode byte past the old count: this fails there.
 */
TEST(prog_append_op_keeps_meaning)
{
	static struct prog before, after;
	static uint8_t buf[600];
	uint64_t s = 0x5107f022;
	int inputs = 2000, whole = 0, events = 0;

	for (int i = 0; i < inputs; i++) {
		size_t len = (size_t)(rnd(&s) % sizeof(buf));
		int n, cut;

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)rnd(&s);
		prog_decode_upto(&before, buf, len, PROG_MAX_EVENTS, PROG_NR_OPS - 1);
		prog_decode_upto(&after, buf, len, PROG_MAX_EVENTS, PROG_NR_OPS);
		REQUIRE(!memcmp(&before.boot, &after.boot, sizeof(before.boot)), "input %d: boot differs", i);
		/* the first event of the appended op: before it, both decodings must agree */
		for (cut = 0; cut < after.nr_events && after.ev[cut].op != PROG_NR_OPS - 1; cut++)
			;
		REQUIRE(before.nr_events >= cut, "input %d: %d events before the op was appended, %d "
			"now ahead of its first use", i, before.nr_events, cut);
		for (n = 0; n < cut; n++)
			REQUIRE(same_event(&before.ev[n], &after.ev[n]), "input %d: event %d was %s, now %s",
				i, n, prog_op_name(before.ev[n].op), prog_op_name(after.ev[n].op));
		/* without the new op (or with it cut short at the end: dropped), a prefix or all */
		if (cut == after.nr_events && before.nr_events == after.nr_events)
			whole++;
		events += cut;
	}
	/* the comparison is not vacuous: many inputs compared whole, many events in all */
	CHECK(whole > inputs / 5, "%d of %d inputs compared whole", whole, inputs);
	CHECK(events > inputs * 10, "%d events compared", events);
}

/* The code is the byte modulo PROG_OP_SPACE; an unassigned code reads as code - PROG_OP_ALIAS. */
TEST(prog_opcode_space)
{
	static struct prog p;
	uint8_t buf[512];
	size_t h = prog_header_size(), alias_end;

	REQUIRE(PROG_NR_OPS < PROG_OP_SPACE, "the opcode space is full: this case needs a free code");
	memset(buf, 0, sizeof(buf));
	buf[h] = (uint8_t)(PROG_OP_SPACE + OP_FREE); /* free slot=5 */
	buf[h + 1] = 5;
	buf[h + 2] = PROG_OP_SPACE - 1; /* unassigned while there are fewer than 64 ops */
	alias_end = h + 2 + prog_op_size(PROG_OP_SPACE - 1 - PROG_OP_ALIAS); /* its arguments: 0 */
	buf[alias_end] = OP_VALIDATE;
	prog_decode(&p, buf, alias_end + 1, PROG_MAX_EVENTS);
	CHECK_EQ(p.nr_events, 3);
	CHECK_EQ(p.ev[0].op, OP_FREE);
	CHECK_EQ(p.ev[0].arg[0], 5);
	CHECK_EQ(p.ev[1].op, PROG_OP_SPACE - 1 - PROG_OP_ALIAS);
	CHECK_EQ(p.ev[2].op, OP_VALIDATE);
	/* the normal form holds assigned codes only */
	CHECK_EQ(prog_encode(&p, buf, sizeof(buf)), alias_end + 1);
	CHECK_EQ(buf[h], OP_FREE);
	CHECK_EQ(buf[h + 2], PROG_OP_SPACE - 1 - PROG_OP_ALIAS);
}

/*
 * The tables an argument indexes (gfp, attr, debug, ...) grow too: appending an entry changes
 * no raw value's meaning but those that name the new index (under `raw % count` nearly all).
 */
TEST(prog_append_table_entry_keeps_meaning)
{
	static const struct { uint32_t space, count, base; } t[] = {
		{ 32, 11, 11 }, { 64, 29, 29 }, { 32, 14, 14 }, { 8, 5, 5 }, { 32, 20, 11 },
	};
	int changed = 0;

	for (unsigned int k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		for (uint32_t raw = 0; raw < 256; raw++) {
			int32_t before = prog_table_index(raw, t[k].space, t[k].count, t[k].base);
			int32_t after = prog_table_index(raw, t[k].space, t[k].count + 1, t[k].base);

			CHECK(before >= 0 && (uint32_t)before < t[k].count, "raw %u: index %d", raw, before);
			if (raw % t[k].space == t[k].count) {
				CHECK_EQ(after, t[k].count); /* the new entry */
				changed++;
				continue;
			}
			CHECK(before == after, "table %u raw %u: %d, then %d", k, raw, before, after);
		}
	CHECK(changed > 0, "no raw value named a new entry");
	/* and the decoder uses it: a gfp index past the table reads as an entry of the first 11 */
	CHECK_EQ(prog_kind_decode(PK_GFP, 3, NULL), 3);
	CHECK_EQ(prog_kind_decode(PK_GFP, 32 + 3, NULL), 3);
}

static const char *load_err(const char *text)
{
	static char err[256];
	size_t len;
	uint8_t *out = prog_load((const uint8_t *)text, strlen(text), &len, err, sizeof(err));

	if (out) {
		free(out);
		return NULL;
	}
	return err;
}

/* Values the binary form cannot carry are refused with their line and the legal range. */
TEST(prog_text_refuses_out_of_range)
{
	const char *e;

	e = load_err("#slubprog\nboot nodes=0\n");
	CHECK(e && strstr(e, "line 2") && strstr(e, "1..1024"), "nodes=0: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot cpus=0\n");
	CHECK(e && strstr(e, "line 2") && strstr(e, "1..64"), "cpus=0: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot kmalloc_min=4\n");
	CHECK(e && strstr(e, "8..256"), "kmalloc_min=4: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot\ncreate cache=1 size=64 align=24\n");
	CHECK(e && strstr(e, "line 3") && strstr(e, "cannot be represented"), "align=24: %s",
	      e ? e : "accepted");
	CHECK(load_err("#slubprog\nboot nodes=1024 cpus=64\n") == NULL, "the bounds themselves");
}

TEST(prog_text_refuses_repeated_key)
{
	const char *e = load_err("#slubprog\nboot cpus=1 cpus=2\n");

	CHECK(e && strstr(e, "line 2") && strstr(e, "cpus"), "cpus twice: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot\nkmalloc slot=1 size=8 slot=2\n");
	CHECK(e && strstr(e, "line 3") && strstr(e, "slot"), "slot twice: %s", e ? e : "accepted");
}

/*
 * A concurrent group in text: `par`, `cpu` and `switch` read as written (a switch's site by
 * name or by key), survive the binary form, and print back readably, the site by the name
 * the program gave it.
 */
TEST(prog_text_par_switch_roundtrip)
{
	static struct prog p, q, r;
	static uint8_t buf[1024];
	uint32_t key = slub_site_key("get_partial_node", "&n->list_lock"), other = key + 1;
	char src[512], err[256], *text = NULL;
	size_t n, len = 0;
	FILE *f;

	snprintf(src, sizeof(src), "boot cpus=4\npar count=4 seed=17 depth=2\ncpu cpu=1\n"
		 "switch site=get_partial_node:&n->list_lock nth=2\nswitch site=%u nth=0\n"
		 "alloc slot=1 cache=0\n", other);
	REQUIRE(!prog_parse(&p, src, err, sizeof(err)), "%s", err);
	REQUIRE(p.nr_events == 5, "%d events", p.nr_events);
	CHECK_EQ(p.ev[0].op, OP_PAR);
	CHECK(p.ev[0].arg[0] == 4 && p.ev[0].arg[1] == 17 && p.ev[0].arg[2] == 2,
	      "par count=%d seed=%d depth=%d", p.ev[0].arg[0], p.ev[0].arg[1], p.ev[0].arg[2]);
	CHECK_EQ(p.ev[2].op, OP_SWITCH);
	CHECK_EQ(p.ev[2].arg[0], key);
	CHECK_EQ(p.ev[2].arg[1], 2);
	CHECK_EQ(p.ev[3].arg[0], other);
	n = prog_encode(&p, buf, sizeof(buf));
	prog_decode(&q, buf, n, PROG_MAX_EVENTS);
	REQUIRE(q.nr_events == p.nr_events, "%d events after the binary form", q.nr_events);
	for (int i = 0; i < p.nr_events; i++)
		CHECK(same_event(&p.ev[i], &q.ev[i]), "event %d changed in the binary form", i);
	f = open_memstream(&text, &len);
	REQUIRE(f, "open_memstream");
	prog_print(f, &q, -1);
	fclose(f);
	CHECK(strstr(text, "\npar count=4 seed=17 depth=2\ncpu cpu=1\n"), "%s", text);
	CHECK(strstr(text, "\nswitch site=get_partial_node:&n->list_lock nth=2\n"), "%s", text);
	snprintf(src, sizeof(src), "\nswitch site=%s nth=0\n", slub_site_name(other));
	CHECK(strstr(text, src), "a site given by key prints by its name: %s", text);
	REQUIRE(!prog_parse(&r, text, err, sizeof(err)), "the printed form: %s", err);
	for (int i = 0; i < p.nr_events; i++)
		CHECK(same_event(&p.ev[i], &r.ev[i]), "event %d changed through the text form", i);
	free(text);
}

/*
 * A switch's site byte: every byte names a site of the table, the table's first
 * PROG_SITE_BASE sites keep their bytes however it grows, and it stays inside the space.
 */
TEST(prog_site_byte_names_a_known_site)
{
	int named = slub_site_keys_named();

	CHECK(named >= PROG_SITE_BASE && named <= PROG_SITE_SPACE, "%d sites named", named);
	for (uint32_t b = 0; b < 256; b++) {
		int32_t k = prog_kind_decode(PK_SITE, b, NULL);

		CHECK(k >= 0 && k < named && slub_site_name((uint32_t)k), "byte %u: key %d", b, k);
		if (b < PROG_SITE_BASE)
			CHECK_EQ(k, (int32_t)b);
	}
}

/* What the group's ops cannot carry is refused with the line and the range. */
TEST(prog_text_refuses_bad_group)
{
	int named = slub_site_keys_named();
	char src[128], range[32];
	const char *e;

	snprintf(src, sizeof(src), "#slubprog\nboot\nswitch site=%d nth=0\n", named);
	snprintf(range, sizeof(range), "0..%d", named - 1);
	e = load_err(src);
	CHECK(e && strstr(e, "line 3") && strstr(e, range), "site=%d: %s", named, e ? e : "accepted");
	e = load_err("#slubprog\nboot\nswitch site=get_partial_node:no_such_lock nth=0\n");
	CHECK(e && strstr(e, "sched_sites.h"), "an unknown name: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot\nswitch site=slab_lock nth=0\n");
	CHECK(e && strstr(e, "func:what"), "site without func: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot\nswitch site=:slab_lock\n");
	CHECK(e && strstr(e, "func:what"), "site=:slab_lock: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot\npar count=17\n");
	CHECK(e && strstr(e, "1..16"), "count=17: %s", e ? e : "accepted");
	e = load_err("#slubprog\nboot\npar count=2 depth=4\n");
	CHECK(e && strstr(e, "0..3"), "depth=4: %s", e ? e : "accepted");
	CHECK(load_err("#slubprog\nboot\npar count=16 seed=255 depth=3\n") == NULL, "the bounds");
}

/* A text program without a record runs nothing the user wrote: refused, with what to write. */
TEST(prog_text_refuses_empty)
{
	const char *e = load_err("#slubprog\n# only a comment\n\n");

	CHECK(e && strstr(e, "`boot`"), "empty program: %s", e ? e : "accepted");
	CHECK(load_err("#slubprog\nboot\n") == NULL, "`boot` alone is the default machine");
}

/*
 * A text program that lost its #slubprog line is refused (it would run as bytes: another
 * machine), unless SLUBFUZZ_BYTES=1 asks for its bytes; random binary inputs never are.
 */
TEST(prog_load_text_without_magic)
{
	static uint8_t buf[400];
	uint64_t s = 0xb17e5;
	const char *e;
	char err[256];
	size_t len;
	uint8_t *out;

	unsetenv(PROG_AS_BYTES_ENV);
	e = load_err("boot nodes=2 cpus=2\nkmalloc slot=1 size=100\n");
	CHECK(e && strstr(e, PROG_TEXT_MAGIC) && strstr(e, PROG_AS_BYTES_ENV), "no magic: %s",
	      e ? e : "accepted");
	e = load_err("# a comment first\n\nkfree slot=3\n");
	CHECK(e && strstr(e, "line 3") && strstr(e, "kfree"), "comment, then an event: %s",
	      e ? e : "accepted");
	CHECK(load_err("hello world\n") == NULL, "text without a record's word runs as bytes");
	setenv(PROG_AS_BYTES_ENV, "1", 1);
	CHECK(load_err("boot nodes=2 cpus=2\n") == NULL, "%s=1 runs it as bytes", PROG_AS_BYTES_ENV);
	unsetenv(PROG_AS_BYTES_ENV);
	for (int i = 0; i < 2000; i++) {
		len = (size_t)(rnd(&s) % sizeof(buf));
		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)rnd(&s);
		if (len >= 9 && !memcmp(buf, PROG_TEXT_MAGIC, 9))
			continue;
		out = prog_load(buf, len, &len, err, sizeof(err));
		CHECK(out != NULL, "random input %d refused: %s", i, err);
		free(out);
	}
}

/*
 * The dense bound depends on min_order (prog_dense_nodes): up to PROG_DENSE_NODES_LOW_ORDER
 * nodes keep far_nodes every=1 at min_order 0..3, PROG_DENSE_NODES above; the text form
 * refuses what the binary form would turn into every=4, whatever order its records come in.
 */
TEST(prog_dense_nodes_by_min_order)
{
	static struct prog p, q;
	uint8_t buf[256];
	char err[256];
	size_t n;

	memset(&p, 0, sizeof(p));
	prog_boot_default(&p.boot);
	p.boot.far_every = 1;
	p.boot.far_pages = 64;
	for (int order = 0; order <= 10; order++) {
		int dense = order <= PROG_DENSE_LOW_ORDER ? PROG_DENSE_NODES_LOW_ORDER : PROG_DENSE_NODES;

		p.boot.min_order = order;
		CHECK_EQ(prog_dense_nodes(&p.boot), dense);
		p.boot.nodes = dense;
		n = prog_encode(&p, buf, sizeof(buf));
		prog_decode(&q, buf, n, PROG_MAX_EVENTS);
		CHECK(q.boot.min_order == order && q.boot.far_every == 1, "order %d, %d nodes: every=%d",
		      order, dense, q.boot.far_every);
		p.boot.nodes = dense + 1;
		n = prog_encode(&p, buf, sizeof(buf));
		prog_decode(&q, buf, n, PROG_MAX_EVENTS);
		CHECK(q.boot.far_every == 4, "order %d, %d nodes: every=%d", order, dense + 1,
		      q.boot.far_every);
	}
	CHECK_EQ(prog_parse(&q, "#slubprog\nboot nodes=512 min_order=3\nfar_nodes every=1 pages=64\n",
			    err, sizeof(err)), 0);
	CHECK(prog_parse(&q, "#slubprog\nboot nodes=300 min_order=4\nfar_nodes every=1 pages=64\n",
			 err, sizeof(err)) != 0 && strstr(err, "PROG_DENSE_NODES"),
	      "every=1 on 300 nodes at min_order 4 was accepted");
	CHECK(prog_parse(&q, "#slubprog\nfar_nodes every=1 pages=64\nboot nodes=300 min_order=4\n",
			 err, sizeof(err)) != 0 && strstr(err, "PROG_DENSE_NODES"),
	      "every=1 before the boot record that makes it too many was accepted");
}
