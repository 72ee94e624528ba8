/* prog2c.c - turns any fuzz input into a standalone C reproducer: a main() that boots the
 * machine the program describes and calls the allocator API (kmem_cache_create, kmalloc,
 * kmem_cache_free, slub_cpu_down, ...) in the program's order, with the boot configuration,
 * the injected page-allocation failures and the oracle's checks spelled out. It needs only
 * allocator/ to build: no harness, no decoder, no fuzzing runtime.
 *
 * One binary per target (build/tools/prog2c-<target>): it is linked with the target's own
 * file, whose LLVMFuzzerTestOneInput hands this file's fuzz_run the target's description
 * (name, event limit, fixed workload) — so that description has one source, fuzz/<target>.c.
 * The reproducer's checks come from tools/prog2c_prelude.c, embedded at build time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "prog.h"
#include "slub.h"

static const char *const prelude[] = {
#include "prog2c_prelude.inc"
	NULL
};

static const struct fuzz_target *target;
static struct prog program, workload;

/* The target's entry point calls this with its description: keep it, run nothing. */
int fuzz_run(const struct fuzz_target *t, const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	target = t;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: prog2c [-nonuma] [-D MACRO]... [-o OUT.c] INPUT\n"
			"  writes a standalone C reproducer of INPUT (binary or text program) for this target\n"
			"  -nonuma   for a !CONFIG_NUMA build (NUMA=0): one node\n"
			"  -D MACRO  the build needs -DMACRO (SLUB_BOOTSTRAP_SEED, SLUB_BUG_<NAME>): the\n"
			"            file names it and refuses to build without it\n");
	exit(2);
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		fprintf(stderr, "prog2c: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "prog2c: out of memory\n");
				exit(1);
			}
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return buf;
}

/* ---- names ---- */

/* A gfp mask in the kernel's words: the largest composite that fits, then single bits. */
static const char *gfp_name(gfp_t g)
{
	static const struct { const char *name; gfp_t v; } composite[] = {
		{ "GFP_THISNODE", GFP_THISNODE }, { "GFP_KERNEL", GFP_KERNEL },
		{ "GFP_NOFS", GFP_NOFS },         { "GFP_NOIO", GFP_NOIO },
		{ "GFP_ATOMIC", GFP_ATOMIC },
	};
	static const struct { const char *name; gfp_t v; } bits[] = {
		{ "__GFP_DMA", __GFP_DMA },           { "__GFP_WAIT", __GFP_WAIT },
		{ "__GFP_HIGH", __GFP_HIGH },         { "__GFP_IO", __GFP_IO },
		{ "__GFP_FS", __GFP_FS },             { "__GFP_NOWARN", __GFP_NOWARN },
		{ "__GFP_NORETRY", __GFP_NORETRY },   { "__GFP_ZERO", __GFP_ZERO },
		{ "__GFP_THISNODE", __GFP_THISNODE },
	};
	static char buf[8][160];
	static int which;
	char *s = buf[which++ % 8];

	s[0] = '\0';
	for (size_t i = 0; i < sizeof(composite) / sizeof(composite[0]); i++)
		if ((g & composite[i].v) == composite[i].v) {
			strcat(s, composite[i].name);
			g &= ~composite[i].v;
			break;
		}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (g & bits[i].v) {
			if (s[0])
				strcat(s, "|");
			strcat(s, bits[i].name);
			g &= ~bits[i].v;
		}
	if (g)
		snprintf(s + strlen(s), 32, "%s%#x", s[0] ? "|" : "", g);
	if (!s[0])
		strcpy(s, "GFP_NOWAIT");
	return s;
}

static const char *cflag_names(int32_t cflags)
{
	static char buf[512];

	buf[0] = '\0';
	for (int i = 0; i < prog_cflag_count; i++)
		if (cflags & (1 << i))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%sSLAB_%s",
				 buf[0] ? " | " : "", prog_cflag_table[i].name);
	return buf[0] ? buf : "0";
}

/* ---- the generator's view of the run: what it can know before running ---- */

struct gen {
	FILE *f;
	int numa, nodes, cpus;
	int steps; /* boot steps done before the event, as exec.c counts them */
	int ctor[PROG_NCACHES]; /* the constructor of the cache last created in each slot */
};

/* fz_gfp as the event sees it: the steps done are known here, interrupts are not an event's. */
static gfp_t gfp_at(const struct gen *g, int32_t idx, int for_cache, int ctor)
{
	gfp_t v = (gfp_t)prog_gfp_table[idx % prog_gfp_count].value;

	if (for_cache)
		v &= ~__GFP_DMA;
	if (ctor)
		v &= ~__GFP_ZERO;
	if (g->steps < 2)
		v &= ~(__GFP_WAIT | __GFP_IO | __GFP_FS);
	if (g->steps < 3)
		v &= ~__GFP_DMA;
	return v;
}

static int node_at(const struct gen *g, int32_t v)
{
	return v < 0 ? -1 : (int)(v % g->nodes);
}

static int busy_slot(const struct prog_event *e)
{
	for (int i = 0; i < prog_op_nargs(e->op); i++)
		if (prog_op_arg(e->op, i) == PK_SLOT)
			return (int)e->arg[i];
	return -1;
}

static int reshapes(int op)
{
	switch (op) {
	case OP_CREATE: case OP_DESTROY: case OP_SHRINK: case OP_CPU_DOWN: case OP_CPU_UP:
	case OP_NODE_ONLINE: case OP_NODE_OFFLINE: case OP_BOOT_STEP: case OP_VALIDATE: case OP_RCU:
		return 1;
	default:
		return 0;
	}
}

static char *event_text(const struct prog_boot *b, const struct prog_event *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		fprintf(stderr, "prog2c: open_memstream failed\n");
		exit(1);
	}
	prog_print_event(m, b, e);
	fclose(m);
	return buf;
}

/* An enum constant of the prelude: PREFIX_NAME in capitals. */
static const char *upper(const char *prefix, const char *name)
{
	static char buf[4][64];
	static int which;
	char *s = buf[which++ % 4];
	size_t n = strlen(prefix);

	snprintf(s, sizeof(buf[0]), "%s%s", prefix, name);
	for (char *c = s + n; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	return s;
}

/* C string literal contents for s. */
static void put_cstr(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* One case of do_event: the allocator calls of event e, as exec.c makes them. */
static void emit_event(struct gen *g, const struct prog_event *e)
{
	FILE *f = g->f;
	const int32_t *a = e->arg;
	gfp_t gfp;
	int n;

	switch ((enum prog_op)e->op) {
	case OP_CREATE:
		fprintf(f, "\t\tcache_destroy(%d);\n", a[0]);
		fprintf(f, "\t\ts = kmem_cache_create(cache_name(), %d, %d, %s, %s);\n", a[1], a[2],
			cflag_names(a[3]), a[4] ? "ctor_mark" : "NULL");
		fprintf(f, "\t\tcache_created(%d, s, %d, %d, %s, %d);\n", a[0], a[1], a[2],
			cflag_names(a[3]), a[4]);
		g->ctor[a[0]] = a[4];
		break;
	case OP_DESTROY:
		fprintf(f, "\t\tcache_destroy(%d);\n", a[0]);
		break;
	case OP_ALLOC:
	case OP_ALLOC_NODE:
		gfp = gfp_at(g, a[2], 1, g->ctor[a[1]]);
		fprintf(f, "\t\tif (!cache[%d].s)\n\t\t\tbreak;\n", a[1]);
		fprintf(f, "\t\tobj_release(%d, \"freed before a new alloc into its slot\");\n", a[0]);
		if (e->op == OP_ALLOC) {
			fprintf(f, "\t\tp = kmem_cache_alloc(cache[%d].s, %s);\n", a[1], gfp_name(gfp));
			fprintf(f, "\t\tobj_install(%d, p, %d, cache[%d].size, %s, -1, "
				"\"kmem_cache_alloc\");\n", a[0], a[1], a[1], gfp_name(gfp));
		} else {
			n = node_at(g, a[3]);
			fprintf(f, "\t\tp = kmem_cache_alloc_node(cache[%d].s, %s, %d);\n", a[1],
				gfp_name(gfp), n);
			fprintf(f, "\t\tobj_install(%d, p, %d, cache[%d].size, %s, %d, "
				"\"kmem_cache_alloc_node\");\n", a[0], a[1], a[1], gfp_name(gfp), n);
		}
		break;
	case OP_FREE:
		fprintf(f, "\t\tobj_release(%d, \"before free\");\n", a[0]);
		break;
	case OP_KMALLOC:
	case OP_KMALLOC_NODE:
	case OP_KZALLOC:
		gfp = gfp_at(g, a[2], 0, 0);
		n = e->op == OP_KMALLOC_NODE ? node_at(g, a[3]) : -1;
		fprintf(f, "\t\tobj_release(%d, \"freed before a new kmalloc into its slot\");\n", a[0]);
		if (e->op == OP_KMALLOC_NODE)
			fprintf(f, "\t\tp = kmalloc_node(%d, %s, %d);\n", a[1], gfp_name(gfp), n);
		else
			fprintf(f, "\t\tp = %s(%d, %s);\n", prog_op_name(e->op), a[1], gfp_name(gfp));
		fprintf(f, "\t\tobj_install(%d, p, -1, %d, %s, %d, \"%s\");\n", a[0], a[1],
			gfp_name(e->op == OP_KZALLOC ? gfp | __GFP_ZERO : gfp), n, prog_op_name(e->op));
		break;
	case OP_KFREE:
		fprintf(f, "\t\tif (obj[%d].addr)\n\t\t\tobj_release(%d, \"before kfree\");\n"
			"\t\telse\n\t\t\tkfree(NULL);\n", a[0], a[0]);
		break;
	case OP_KSIZE:
		fprintf(f, "\t\tksize_check(%d);\n", a[0]);
		break;
	case OP_KREALLOC:
		fprintf(f, "\t\tdo_krealloc(%d, %d, %s);\n", a[0], a[1], gfp_name(gfp_at(g, a[2], 0, 0)));
		break;
	case OP_SHRINK:
		fprintf(f, "\t\tshrink(%d);\n", a[0]);
		break;
	case OP_CPU:
	case OP_CPU_DOWN:
	case OP_CPU_UP:
		if (g->steps < 3) {
			fprintf(f, "\t\t/* nothing: secondary cpus come up after kmem_cache_init_late */\n");
			break;
		}
		fprintf(f, "\t\t%s(%d);\n", e->op == OP_CPU ? "set_cpu" : prog_op_name(e->op),
			(int)(a[0] % g->cpus));
		break;
	case OP_NODE_ONLINE:
	case OP_NODE_OFFLINE:
		n = node_at(g, a[0]);
		if (!g->numa || g->steps < 3 || n < 0) {
			fprintf(f, "\t\t/* nothing: no memory hotplug %s */\n",
				!g->numa ? "without CONFIG_NUMA" : n < 0 ? "of node -1" :
				"before kmem_cache_init_late");
			break;
		}
		fprintf(f, "\t\t%s_event(%d);\n", prog_op_name(e->op), n);
		break;
	case OP_VALIDATE:
		fprintf(f, "\t\tvalidate();\n");
		break;
	case OP_WRITE:
		fprintf(f, "\t\tif (!obj[%d].addr || !obj[%d].size)\n\t\t\tbreak;\n", a[0], a[0]);
		fprintf(f, "\t\tcheck_pattern(%d, 1, \"before write\");\n", a[0]);
		fprintf(f, "\t\tobj[%d].fill = %#x;\n\t\tmemset(obj[%d].addr, %#x, obj[%d].size);\n",
			a[0], a[1], a[0], a[1], a[0]);
		break;
	case OP_CHECK:
		fprintf(f, "\t\tif (obj[%d].addr)\n\t\t\tcheck_pattern(%d, 1, \"on check\");\n", a[0],
			a[0]);
		break;
	case OP_RCU:
		fprintf(f, "\t\tdigest_u32((uint32_t)slub_rcu_grace_period());\n");
		break;
	case OP_FAIL_NTH:
		fprintf(f, "\t\tfail_nth(%d, %d); /* fail %d page allocation(s) after %d more */\n",
			a[0], a[1], a[1], a[0]);
		break;
	case OP_FAIL_MATCH:
		fprintf(f, "\t\tfail_match(%d, %d, %s, %d);\n", a[0], node_at(g, a[1]),
			upper("GC_", prog_gfpclass_names[a[2]]), a[3]);
		break;
	case OP_IRQ:
		fprintf(f, "\t\tarm_irq(%d, %s, %d, %d, %d);\n", a[0], upper("IRQ_", prog_irqop_names[a[1]]),
			a[2], a[3], a[4]);
		break;
	case OP_MIGRATE:
		fprintf(f, "\t\tarm_migrate(%d, %d);\n", a[0], a[1]);
		break;
	case OP_FAIL_CLEAR:
		fprintf(f, "\t\tfail_clear();\n");
		break;
	case OP_BOOT_STEP:
		fprintf(f, "\t\treturn run_step(); /* %s */\n",
			g->steps < 4 ? prog_step_names[g->steps] : "all done: nothing");
		if (g->steps < 4)
			g->steps++;
		break;
	case OP_PTR_VALIDATE:
		fprintf(f, "\t\tptr_validate(%d);\n", a[0]);
		break;
	case OP_SYSFS_FAIL:
		fprintf(f, "\t\tsysfs_fail(%d, %d);\n", a[0], a[1]);
		break;
	case OP_CORRUPT:
		/* a caller's misuse judged by slub_debug's reports: the harness's oracle only */
		fprintf(f, "\t\t/* corrupt slot %d (%s): not reproduced here */\n", a[0],
			prog_corruption_names[a[1]]);
		break;
	case PROG_NR_OPS:
		break;
	}
}

/* The program as a comment, one line per record. */
static void emit_program_comment(FILE *f, const struct prog *p)
{
	char *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		exit(1);
	prog_print(m, p, -1);
	fclose(m);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(f, " *   %s\n", line);
	free(buf);
}

/* -D NAME: the defines of the build the input came from (BOOTSTRAP=seed, BUG=) */
static const char *defines[8];
static int nr_defines;

static void emit(FILE *f, const char *input, int numa)
{
	const struct prog_boot *b = &program.boot;
	const struct prog *wl = target->workload_text ? &workload : NULL;
	int nr = program.nr_events + (wl ? wl->nr_events : 0);
	struct gen g = { f, numa, numa ? b->nodes : 1, b->cpus, b->events_from + 1, { 0 } };
	int nodes = g.nodes;

	fprintf(f, "/*\n * Reproducer of %s for slubfuzz target %s, written by tools/prog2c.\n"
		" * Build and run it against the allocator alone (from the slubfuzz tree), with the\n"
		" * flags of the build that found it (the defines below are required: the file\n"
		" * refuses to build without them), e.g. with ASan + UBSan:\n"
		" *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=address,undefined%s", input,
		target->name, numa ? "" : " -DSLUB_CONFIG_NONUMA");
	for (int i = 0; i < nr_defines; i++)
		fprintf(f, " -D%s", defines[i]);
	fprintf(f, " \\\n"
		" *     -Iallocator/include -Iallocator THIS.c allocator/[a-z]*.c -o repro && ./repro\n"
		" * Exit 0: it ran clean; a finding\n"
		" * prints \"==slubfuzz== FINDING\" and aborts, a sanitizer report stops it first.\n"
		" * -v traces every event and page request, -digest prints the trace digest.\n *\n"
		" * The program (%d events%s):\n", program.nr_events,
		wl ? ", then the target's fixed workload" : "");
	emit_program_comment(f, &program);
	fprintf(f, " */\n");
	for (int i = 0; prelude[i]; i++)
		fputs(prelude[i], f);
	if (numa)
		fprintf(f, "\n#ifdef SLUB_CONFIG_NONUMA\n#error \"generated for a CONFIG_NUMA build: "
			"run prog2c -nonuma\"\n#endif\n");
	else
		fprintf(f, "\n#ifndef SLUB_CONFIG_NONUMA\n#error \"generated for a !CONFIG_NUMA build:"
			" add -DSLUB_CONFIG_NONUMA\"\n#endif\n");

	/* the flavour travels with the file: a build without its defines stops here */
	{
		int seed = 0;

		for (int i = 0; i < nr_defines; i++) {
			fprintf(f, "#ifndef %s\n#error \"generated for a build with -D%s\"\n#endif\n",
				defines[i], defines[i]);
			seed |= !strcmp(defines[i], "SLUB_BOOTSTRAP_SEED");
		}
		if (!seed)
			fprintf(f, "#ifdef SLUB_BOOTSTRAP_SEED\n#error \"generated for BOOTSTRAP=fixed: "
				"build without -DSLUB_BOOTSTRAP_SEED\"\n#endif\n");
	}

	/* the event table: what run_event needs to know about each */
	fprintf(f, "\nstatic const struct repro_event events[] = {\n");
	for (int i = 0; i < nr; i++) {
		int in_wl = i >= program.nr_events;
		const struct prog_event *e = in_wl ? &wl->ev[i - program.nr_events] : &program.ev[i];
		char *text = event_text(in_wl ? &wl->boot : b, e);

		fprintf(f, "\t{ %d, %d, %d, %d, %d, \"", e->op, in_wl ? i - program.nr_events : i,
			busy_slot(e), reshapes(e->op), in_wl);
		put_cstr(f, text);
		fprintf(f, "\" },\n");
		free(text);
	}
	fprintf(f, "\t{ 0, 0, 0, 0, 0, NULL }\n};\n");

	/* the events */
	fprintf(f, "\nstatic int do_event(int i)\n{\n\tstruct kmem_cache *s;\n\tvoid *p;\n\n"
		"\t(void)s;\n\t(void)p;\n\tswitch (i) {\n");
	for (int i = 0; i < nr; i++) {
		int in_wl = i >= program.nr_events;
		const struct prog_event *e = in_wl ? &wl->ev[i - program.nr_events] : &program.ev[i];
		char *text = event_text(in_wl ? &wl->boot : b, e);

		if (i == program.nr_events)
			fprintf(f, "\t/* the %s target's fixed workload follows every program */\n",
				target->name);
		fprintf(f, "\tcase %d: /* %s */\n", i, text);
		emit_event(&g, e);
		fprintf(f, "\t\tbreak;\n");
		free(text);
	}
	fprintf(f, "\t}\n\treturn 0;\n}\n");

	/* main: the machine, its boot, the events, the teardown */
	fprintf(f, "\nint main(int argc, char **argv)\n{\n\tstatic struct slub_config cfg;\n\n"
		"\tparse_args(argc, argv);\n\ttarget = \"%s\";\n\tslub_config_default(&cfg);\n",
		target->name);
	fprintf(f, "\tcfg.nr_node_ids = %d;\n\tcfg.nr_cpu_ids = %d;\n", nodes, b->cpus);
	for (int n = 0; n < nodes && n < PROG_NEAR_NODES; n++) {
		fprintf(f, "\tcfg.node_pages[%d] = %u;%s\n", n, prog_node_pages(b, n),
			prog_node_pages(b, n) ? "" : " /* memoryless */");
		if (prog_node_offline_at_boot(b, n))
			fprintf(f, "\tcfg.node_offline[%d] = 1; /* memory offline at boot */\n", n);
	}
	if (nodes > PROG_NEAR_NODES && !b->far_every)
		fprintf(f, "\tfor (int n = %d; n < %d; n++)\n\t\tcfg.node_pages[n] = 0; /* memoryless */\n",
			PROG_NEAR_NODES, nodes);
	else if (nodes > PROG_NEAR_NODES)
		fprintf(f, "\tfor (int n = %d; n < %d; n++) /* every %dth node has memory */\n"
			"\t\tcfg.node_pages[n] = n %% %d == 0 ? %d : 0;\n", PROG_NEAR_NODES, nodes,
			b->far_every, b->far_every, b->far_pages);
	fprintf(f, "\tcfg.dma_pages = %d;\n\tcfg.cache_line_size = %d;\n\tcfg.kmalloc_min_size = %d;\n"
		"\tcfg.slub_min_order = %d;\n\tcfg.slub_max_order = %d;\n\tcfg.slub_min_objects = %d;\n"
		"\tcfg.slub_nomerge = %d;\n", b->dma_pages, b->cache_line, b->kmalloc_min, b->min_order,
		b->max_order, b->min_objects, b->nomerge);
	if (prog_debug_table[b->debug]) {
		fprintf(f, "\tcfg.slub_debug = \"");
		put_cstr(f, prog_debug_table[b->debug]);
		fprintf(f, "\";\n");
	}
	if (b->nr_fail) {
		fprintf(f, "\t/* page allocations failed during boot steps, counted from boot on */\n");
		for (int i = 0; i < b->nr_fail; i++)
			fprintf(f, "\tboot_fails[%d].seq = %d, boot_fails[%d].count = %d;\n", i,
				b->fail[i].seq, i, b->fail[i].count);
		fprintf(f, "\tnr_boot_fails = %d;\n", b->nr_fail);
	}
	fprintf(f, "\tif (boot(&cfg, %d)) /* boot steps up to %s; the events come after it */\n"
		"\t\treturn finish(1);\n", b->events_from, prog_step_names[b->events_from]);
	fprintf(f, "\tfor (int i = 0; i < %d; i++)\n\t\tif (run_event(&events[i], i))\n"
		"\t\t\treturn finish(1);\n\treturn teardown();\n}\n", nr);
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	int numa = 1;
	uint8_t *data;
	size_t len;
	FILE *f;
	char err[256];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-nonuma"))
			numa = 0;
		else if (!strcmp(argv[i], "-D") && i + 1 < argc && nr_defines < 8)
			defines[nr_defines++] = argv[++i];
		else if (argv[i][0] == '-' || in)
			usage();
		else
			in = argv[i];
	}
	if (!in)
		usage();
	{
		size_t raw_len;
		uint8_t *raw = read_all(in, &raw_len);

		/* either form: prog_load tells them apart */
		data = prog_load(raw, raw_len, &len, err, sizeof(err));
		if (!data) {
			fprintf(stderr, "prog2c: %s: %s\n", in, err);
			return 2;
		}
		free(raw);
	}
	LLVMFuzzerTestOneInput(data, len);
	if (!target) {
		fprintf(stderr, "prog2c: the target did not describe itself\n");
		return 1;
	}
	prog_decode(&program, data, len, target->max_events);
	if (target->workload_text && prog_parse(&workload, target->workload_text, err, sizeof(err))) {
		fprintf(stderr, "prog2c: %s's workload does not parse: %s\n", target->name, err);
		return 1;
	}
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		fprintf(stderr, "prog2c: cannot write %s: %s\n", out, strerror(errno));
		return 1;
	}
	emit(f, in, numa);
	if (fflush(f) || (out && fclose(f))) {
		fprintf(stderr, "prog2c: writing %s failed\n", out ? out : "stdout");
		return 1;
	}
	free(data);
	return 0;
}
