/* prog_text.c - the text form of fuzz programs: one boot record or event per line, arguments
 * as key=value, `#` starts a comment. The printer writes the normal form; the parser accepts
 * any order of keys, fills missing ones with their zero-byte value and rejects values the
 * binary form cannot carry. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"
#include "slub.h" /* slub_site_key, slub_site_name: a switch's site */

/* ---- printing ---- */

static void print_value(FILE *f, enum prog_kind k, int32_t v)
{
	switch (k) {
	case PK_GFP:
		fputs(prog_gfp_table[v].name, f);
		break;
	case PK_CFLAGS:
		if (!v) {
			fputs("0", f);
			break;
		}
		for (int i = 0, first = 1; i < prog_cflag_count; i++) {
			if (!(v & (1 << i)))
				continue;
			fprintf(f, "%s%s", first ? "" : "|", prog_cflag_table[i].name);
			first = 0;
		}
		break;
	case PK_CTOR: fputs(prog_ctor_names[v], f); break;
	case PK_ORDER:
		if (v < 0)
			fputs("any", f);
		else
			fprintf(f, "%d", (int)v);
		break;
	case PK_GFPCLASS: fputs(prog_gfpclass_names[v], f); break;
	case PK_IRQOP: fputs(prog_irqop_names[v], f); break;
	case PK_CORRUPTION: fputs(prog_corruption_names[v], f); break;
	case PK_UNTIL: fputs(prog_until_names[v], f); break;
	case PK_POOLWAY: fputs(prog_poolway_names[v], f); break;
	case PK_ATTR: fputs(prog_attr_names[v], f); break;
	case PK_NAME: fputs(prog_cache_names[v], f); break;
	case PK_TEXT: fputs(prog_attr_text_names[v], f); break;
	case PK_STEP: fputs(prog_step_names[v], f); break;
	case PK_DEBUG:
		if (prog_debug_table[v])
			fprintf(f, "\"%s\"", prog_debug_table[v]);
		else
			fputs("none", f);
		break;
	case PK_BYTE: fprintf(f, "0x%02x", (unsigned int)v); break;
	case PK_SITE: {
		/* by name (allocator/sched_sites.h); a key no site has cannot be decoded */
		const char *name = slub_site_name((uint32_t)v);

		if (name)
			fputs(name, f);
		else
			fprintf(f, "%d", (int)v);
		break;
	}
	default: fprintf(f, "%d", (int)v); break;
	}
}

void prog_print_event(FILE *f, const struct prog_boot *b, const struct prog_event *e)
{
	(void)b;
	fputs(prog_op_name(e->op), f);
	for (int i = 0; i < prog_op_nargs(e->op); i++) {
		enum prog_kind k = prog_op_arg(e->op, i);

		fprintf(f, " %s=", prog_kind_key(k));
		print_value(f, k, e->arg[i]);
	}
}

static void print_boot(FILE *f, const struct prog_boot *b)
{
	int near = b->nodes < PROG_NEAR_NODES ? b->nodes : PROG_NEAR_NODES;

	fputs("boot", f);
#define PROG_BOOT_PRINT(member, kind)                                                   \
	fprintf(f, " %s=", prog_kind_key(kind));                                        \
	print_value(f, kind, b->member);
	PROG_BOOT_FIELDS(PROG_BOOT_PRINT)
#undef PROG_BOOT_PRINT
	fputc('\n', f);
	for (int i = 0; i < near; i++) {
		if (b->near[i].state == PROG_NODE_MEMORYLESS)
			fprintf(f, "node id=%d memoryless\n", i);
		else
			fprintf(f, "node id=%d pages=%d%s\n", i, b->near[i].pages,
				b->near[i].state == PROG_NODE_OFFLINE ? " offline" : "");
	}
	if (b->nodes > PROG_NEAR_NODES) {
		if (b->far_every)
			fprintf(f, "far_nodes every=%d pages=%d\n", b->far_every, b->far_pages);
		else
			fprintf(f, "far_nodes memoryless\n");
	}
	for (int i = 0; i < b->nr_fail; i++)
		fprintf(f, "boot_fail seq=%d count=%d\n", b->fail[i].seq, b->fail[i].count);
}

void prog_print(FILE *f, const struct prog *p, int mark)
{
	print_boot(f, &p->boot);
	for (int n = 0; n < p->nr_events; n++) {
		prog_print_event(f, &p->boot, &p->ev[n]);
		if (n == mark)
			fprintf(f, "    # <== event %d", n);
		fputc('\n', f);
	}
}

/* ---- parsing ---- */

struct parser {
	int line;
	char *err;
	size_t err_len;
};

static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!ps->err_len)
		return -1;
	n = snprintf(ps->err, ps->err_len, "line %d: ", ps->line);
	if (n >= 0 && (size_t)n < ps->err_len) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->err_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int parse_int(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -1;
}

/* Parses a value of kind k into *v; the caller checks that the binary form can carry it. */
static int parse_value(struct parser *ps, enum prog_kind k, const char *s, int32_t *v)
{
	long n;
	int i;

	switch (k) {
	case PK_GFP:
		for (i = 0; i < prog_gfp_count; i++)
			if (!strcmp(s, prog_gfp_table[i].name)) {
				*v = i;
				return 0;
			}
		return perr(ps, "unknown gfp '%s' (see prog_gfp_table in fuzz/prog.c)", s);
	case PK_CFLAGS: {
		char buf[256], *tok, *save = NULL;

		*v = 0;
		if (!strcmp(s, "0"))
			return 0;
		snprintf(buf, sizeof(buf), "%s", s);
		for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
			for (i = 0; i < prog_cflag_count; i++)
				if (!strcmp(tok, prog_cflag_table[i].name))
					break;
			if (i == prog_cflag_count)
				return perr(ps, "unknown cache flag '%s'", tok);
			*v |= (int32_t)(1 << i);
		}
		return 0;
	}
	case PK_CTOR: i = lookup(s, prog_ctor_names, 2); break;
	case PK_GFPCLASS: i = lookup(s, prog_gfpclass_names, GC_NR); break;
	case PK_IRQOP: i = lookup(s, prog_irqop_names, IRQ_NR); break;
	case PK_CORRUPTION: i = lookup(s, prog_corruption_names, CO_NR); break;
	case PK_UNTIL: i = lookup(s, prog_until_names, UNTIL_NR); break;
	case PK_POOLWAY: i = lookup(s, prog_poolway_names, POOL_NR); break;
	case PK_ATTR: i = lookup(s, prog_attr_names, prog_attr_count); break;
	case PK_NAME: i = lookup(s, prog_cache_names, prog_cache_name_count); break;
	case PK_TEXT: i = lookup(s, prog_attr_text_names, prog_attr_text_count); break;
	case PK_STEP: i = lookup(s, prog_step_names, 4); break;
	case PK_SITE: {
		/* a site's name "func:what" (split at the first ':'), or its key */
		char func[128];
		const char *colon = strchr(s, ':');
		int named = slub_site_keys_named();

		if (!colon) {
			if (parse_int(s, &n) || n < 0 || n >= named)
				return perr(ps, "site=%s: neither a site key 0..%d nor a func:what name",
					    s, named - 1);
			*v = (int32_t)n;
			return 0;
		}
		if (colon == s || !colon[1] || (size_t)(colon - s) >= sizeof(func))
			return perr(ps, "site=%s: a name is func:what (get_partial_node:&n->list_lock)",
				    s);
		memcpy(func, s, (size_t)(colon - s));
		func[colon - s] = '\0';
		*v = (int32_t)slub_site_key(func, colon + 1);
		if (*v >= named)
			return perr(ps, "site=%s: no yield site of the allocator has that name "
				    "(allocator/sched_sites.h lists them)", s);
		return 0;
	}
	case PK_DEBUG: {
		size_t len = strlen(s);

		if (!strcmp(s, "none")) {
			*v = 0;
			return 0;
		}
		for (i = 0; i < prog_debug_count; i++)
			if (prog_debug_table[i] && len >= 2 && s[0] == '"' && s[len - 1] == '"' &&
			    strlen(prog_debug_table[i]) == len - 2 &&
			    !strncmp(prog_debug_table[i], s + 1, len - 2)) {
				*v = i;
				return 0;
			}
		return perr(ps, "debug=%s is not in prog_debug_table (fuzz/prog.c); write it quoted", s);
	}
	case PK_ORDER:
	case PK_NODE:
		if (!strcmp(s, "any")) {
			*v = -1;
			return 0;
		}
		/* fall through */
	default:
		if (parse_int(s, &n) || n < -1 || n > 0xffff)
			return perr(ps, "%s=%s: not a number in range", prog_kind_key(k), s);
		*v = (int32_t)n;
		return 0;
	}
	if (i < 0)
		return perr(ps, "%s=%s: unknown name", prog_kind_key(k), s);
	*v = i;
	return 0;
}

/*
 * A value the binary form carries exactly: decoding its encoding gives it back. Else the
 * message names the legal range, found by decoding every raw value of the kind (the decoder
 * is the one source of the ranges; this runs only on a refused value).
 */
static int check_value(struct parser *ps, enum prog_kind k, int32_t v, const struct prog_boot *b)
{
	static uint8_t seen[(0x10000 + 2 + 7) / 8];
	uint32_t nraw = 1u << (8 * prog_kind_width(k));
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	long distinct = 0;

	if (prog_kind_decode(k, prog_kind_encode(k, v, b), b) == v)
		return 0;
	memset(seen, 0, sizeof(seen));
	for (uint32_t raw = 0; raw < nraw; raw++) {
		int32_t d = prog_kind_decode(k, raw, b);
		uint32_t bit = (uint32_t)(d + 1); /* decoded values are -1 .. 0xffff */

		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		if (bit < sizeof(seen) * 8 && !(seen[bit / 8] & (1u << (bit % 8)))) {
			seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
			distinct++;
		}
	}
	if (v < lo || v > hi)
		return perr(ps, "%s=%d is out of range: %d..%d (see PROG_KINDS in fuzz/prog.h)",
			    prog_kind_key(k), (int)v, (int)lo, (int)hi);
	return perr(ps, "%s=%d cannot be represented: %ld of the values %d..%d can (see PROG_KINDS "
		    "in fuzz/prog.h)", prog_kind_key(k), (int)v, distinct, (int)lo, (int)hi);
}

#define MAX_TOKENS 16

static int split(char *line, char **tok)
{
	int n = 0;
	char *p = line;

	while (*p && n < MAX_TOKENS) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return *p ? -1 : n;
}

/* Splits "key=value" in place; returns the value or NULL if there is no '='. */
static char *kv(char *tok)
{
	char *eq = strchr(tok, '=');

	if (!eq)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

static int parse_boot_line(struct parser *ps, struct prog_boot *b, char **tok, int n)
{
	for (int t = 1; t < n; t++) {
		char *val = kv(tok[t]);
		int32_t v;
		int known = 0;

		if (!val)
			return perr(ps, "boot: expected key=value, got '%s'", tok[t]);
#define PROG_BOOT_PARSE(member, kind)                                                   \
	if (!known && !strcmp(tok[t], prog_kind_key(kind))) {                           \
		known = 1;                                                              \
		if (parse_value(ps, kind, val, &v) || check_value(ps, kind, v, b))      \
			return -1;                                                      \
		b->member = v;                                                          \
	}
		PROG_BOOT_FIELDS(PROG_BOOT_PARSE)
#undef PROG_BOOT_PARSE
		if (!known)
			return perr(ps, "boot: unknown key '%s'", tok[t]);
	}
	return 0;
}

static int parse_node_line(struct parser *ps, struct prog_boot *b, char **tok, int n)
{
	long id = -1, pages = 64 + 6 * 32;
	int state = PROG_NODE_ONLINE;

	for (int t = 1; t < n; t++) {
		char *val = kv(tok[t]);

		if (!val && !strcmp(tok[t], "offline"))
			state = PROG_NODE_OFFLINE;
		else if (!val && !strcmp(tok[t], "memoryless"))
			state = PROG_NODE_MEMORYLESS;
		else if (!val && !strcmp(tok[t], "online"))
			state = PROG_NODE_ONLINE;
		else if (val && !strcmp(tok[t], "id") && !parse_int(val, &id))
			;
		else if (val && !strcmp(tok[t], "pages") && !parse_int(val, &pages))
			;
		else
			return perr(ps, "node: bad token '%s'", tok[t]);
	}
	if (id < 0 || id >= PROG_NEAR_NODES || id >= b->nodes)
		return perr(ps, "node: id must be below min(nodes, %d)", PROG_NEAR_NODES);
	if (!(pages >= 64 && pages <= 64 + 63 * 32 && (pages - 64) % 32 == 0) &&
	    !(pages >= 1 && pages <= 61 && (pages - 1) % 4 == 0))
		return perr(ps, "node: pages=%ld is neither 64 + 32k (k <= 63) nor 1 + 4k (k <= 15)",
			    pages);
	b->near[id].pages = (int)pages;
	b->near[id].state = state;
	return 0;
}

static int parse_far_line(struct parser *ps, struct prog_boot *b, char **tok, int n)
{
	long every = 0, pages = 64;

	for (int t = 1; t < n; t++) {
		char *val = kv(tok[t]);

		if (!val && !strcmp(tok[t], "memoryless"))
			every = 0;
		else if (val && !strcmp(tok[t], "every") && !parse_int(val, &every))
			;
		else if (val && !strcmp(tok[t], "pages") && !parse_int(val, &pages))
			;
		else
			return perr(ps, "far_nodes: bad token '%s'", tok[t]);
	}
	if (every != 0 && every != 1 && every != 4 && every != 16)
		return perr(ps, "far_nodes: every must be 1, 4 or 16");
	if (every == 1 && b->nodes > prog_dense_nodes(b))
		return perr(ps, "far_nodes: every=1 needs nodes <= %d at min_order=%d (PROG_DENSE_NODES "
			    "in fuzz/prog.h: the bound on an input's cost)", prog_dense_nodes(b),
			    b->min_order);
	/* small far nodes are every=1's; past prog_dense_nodes that decodes as every=4 */
	if (!(pages >= 64 && pages <= 64 + 63 * 2 && (pages - 64) % 2 == 0) &&
	    !((every == 1 || (every == 4 && b->nodes > prog_dense_nodes(b))) && pages >= 1 &&
	      pages <= 61 && (pages - 1) % 4 == 0))
		return perr(ps, "far_nodes: pages=%ld is neither 64 + 2k (k <= 63) nor, with every=1 "
			    "(every=4 past %d nodes), 1 + 4k (k <= 15)", pages, prog_dense_nodes(b));
	b->far_every = (int)every;
	b->far_pages = (int)pages;
	return 0;
}

static int parse_fail_line(struct parser *ps, struct prog_boot *b, char **tok, int n)
{
	long seq = 0, count = 1;

	for (int t = 1; t < n; t++) {
		char *val = kv(tok[t]);

		if (val && !strcmp(tok[t], "seq") && !parse_int(val, &seq))
			;
		else if (val && !strcmp(tok[t], "count") && !parse_int(val, &count))
			;
		else
			return perr(ps, "boot_fail: bad token '%s'", tok[t]);
	}
	if (b->nr_fail == PROG_BOOT_FAILS)
		return perr(ps, "boot_fail: at most %d entries", PROG_BOOT_FAILS);
	if (seq < 0 || seq > 0x7fff || count < 1 || count > 15)
		return perr(ps, "boot_fail: seq 0..32767, count 1..15");
	b->fail[b->nr_fail].seq = (int)seq;
	b->fail[b->nr_fail].count = (int)count;
	b->nr_fail++;
	return 0;
}

static int parse_event_line(struct parser *ps, struct prog *p, char **tok, int n)
{
	struct prog_event *e;
	int op;

	for (op = 0; op < PROG_NR_OPS; op++)
		if (!strcmp(tok[0], prog_op_name(op)))
			break;
	if (op == PROG_NR_OPS)
		return perr(ps, "unknown op '%s'", tok[0]);
	if (p->nr_events == PROG_MAX_EVENTS)
		return perr(ps, "more than %d events", PROG_MAX_EVENTS);
	e = &p->ev[p->nr_events];
	e->op = op;
	for (int i = 0; i < PROG_MAX_ARGS; i++)
		e->arg[i] = i < prog_op_nargs(op) ? prog_kind_decode(prog_op_arg(op, i), 0, &p->boot) : 0;
	for (int t = 1; t < n; t++) {
		char *val = kv(tok[t]);
		int i;

		if (!val)
			return perr(ps, "%s: expected key=value, got '%s'", tok[0], tok[t]);
		for (i = 0; i < prog_op_nargs(op); i++)
			if (!strcmp(tok[t], prog_kind_key(prog_op_arg(op, i))))
				break;
		if (i == prog_op_nargs(op))
			return perr(ps, "%s has no argument '%s'", tok[0], tok[t]);
		if (parse_value(ps, prog_op_arg(op, i), val, &e->arg[i]) ||
		    check_value(ps, prog_op_arg(op, i), e->arg[i], &p->boot))
			return -1;
	}
	p->nr_events++;
	return 0;
}

int prog_parse(struct prog *p, const char *text, char *err, size_t err_len)
{
	struct parser ps = { 0, err, err_len };
	const char *line = text;

	if (err_len)
		err[0] = '\0';
	prog_boot_default(&p->boot);
	p->nr_events = 0;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[1024], *tok[MAX_TOKENS], *hash;
		int n, rc;

		ps.line++;
		if (len >= sizeof(buf))
			return perr(&ps, "line too long");
		memcpy(buf, line, len);
		buf[len] = '\0';
		line += nl ? len + 1 : len;
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		n = split(buf, tok);
		if (n < 0)
			return perr(&ps, "too many tokens");
		if (!n)
			continue;
		/* a key given twice is a typo or a merge gone wrong: neither value is the one meant */
		for (int t = 2; t < n; t++)
			for (int u = 1; u < t; u++) {
				size_t kl = strcspn(tok[t], "=");

				if (kl == strcspn(tok[u], "=") && !strncmp(tok[t], tok[u], kl))
					return perr(&ps, "%s: '%.*s' given twice", tok[0], (int)kl, tok[t]);
			}
		if (!strcmp(tok[0], "boot") || !strcmp(tok[0], "node") ||
		    !strcmp(tok[0], "far_nodes") || !strcmp(tok[0], "boot_fail")) {
			if (p->nr_events)
				return perr(&ps, "boot records come before the first event");
			if (tok[0][0] == 'b' && tok[0][4] == '\0')
				rc = parse_boot_line(&ps, &p->boot, tok, n);
			else if (tok[0][0] == 'n')
				rc = parse_node_line(&ps, &p->boot, tok, n);
			else if (tok[0][0] == 'f')
				rc = parse_far_line(&ps, &p->boot, tok, n);
			else
				rc = parse_fail_line(&ps, &p->boot, tok, n);
		} else {
			rc = parse_event_line(&ps, p, tok, n);
		}
		if (rc)
			return -1;
	}
	/* the bound depends on min_order too: checked again once every boot record is read */
	if (p->boot.far_every == 1 && p->boot.nodes > prog_dense_nodes(&p->boot))
		return perr(&ps, "far_nodes: every=1 needs nodes <= %d at min_order=%d (PROG_DENSE_NODES "
			    "in fuzz/prog.h: the bound on an input's cost)", prog_dense_nodes(&p->boot),
			    p->boot.min_order);
	prog_boot_normalise(&p->boot);
	return 0;
}

int prog_is_text(const uint8_t *data, size_t len)
{
	size_t m = strlen(PROG_TEXT_MAGIC);

	return len >= m && !memcmp(data, PROG_TEXT_MAGIC, m) &&
	       (len == m || data[m] == '\n' || data[m] == ' ' || data[m] == '\t' || data[m] == '\r');
}

/*
 * The first line of data holding a record (not blank, not a comment): its number, and in word
 * its first word if that is a record's (boot, node, far_nodes, boot_fail or an op), else "".
 * Returns 0 when there is no such line.
 */
static int first_record(const uint8_t *data, size_t len, char *word, size_t word_len)
{
	int line = 1;
	size_t i = 0;

	word[0] = '\0';
	while (i < len) {
		size_t start, w;

		while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r'))
			i++;
		if (i < len && data[i] != '\n' && data[i] != '#') {
			static const char *const records[] = { "boot", "node", "far_nodes", "boot_fail" };

			for (start = i; i < len && !isspace(data[i]) && data[i] != '#'; i++)
				;
			w = i - start;
			for (int r = 0; r < 4 + PROG_NR_OPS; r++) {
				const char *name = r < 4 ? records[r] : prog_op_name(r - 4);

				if (strlen(name) == w && !memcmp(data + start, name, w) && w < word_len) {
					memcpy(word, name, w + 1);
					break;
				}
			}
			return line;
		}
		while (i < len && data[i] != '\n')
			i++;
		i++;
		line++;
	}
	return 0;
}

/* Text only: printable ASCII, tabs and line ends. */
static int printable(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((data[i] < 0x20 || data[i] > 0x7e) && data[i] != '\n' && data[i] != '\t' &&
		    data[i] != '\r')
			return 0;
	return len > 0;
}

uint8_t *prog_load(const uint8_t *data, size_t len, size_t *out_len, char *err, size_t err_len)
{
	struct prog *p;
	char *text, word[32];
	uint8_t *out;
	size_t cap, n;
	const uint8_t *nul;
	const char *as_bytes = getenv(PROG_AS_BYTES_ENV);
	int rec;

	if (err_len)
		err[0] = '\0';
	/*
	 * A text program without its #slubprog line would run as bytes: another machine, and
	 * most likely clean. A file of printable text whose first record line begins with a
	 * record's word is refused instead, unless the user asks for its bytes. (The fuzzers
	 * never come here: to them every byte string is a program.)
	 */
	if (!prog_is_text(data, len) && !(as_bytes && *as_bytes && strcmp(as_bytes, "0")) &&
	    printable(data, len) && (rec = first_record(data, len, word, sizeof(word))) && word[0]) {
		snprintf(err, err_len, "looks like a text program (line %d is a '%s' record) but its "
			 "first line is not %s: add that line, or run the file's bytes as a binary "
			 "input with %s=1", rec, word, PROG_TEXT_MAGIC, PROG_AS_BYTES_ENV);
		return NULL;
	}
	if (!prog_is_text(data, len)) {
		out = malloc(len ? len : 1);
		if (!out) {
			snprintf(err, err_len, "out of memory");
			return NULL;
		}
		memcpy(out, data, len);
		*out_len = len;
		return out;
	}
	nul = memchr(data, 0, len);
	if (nul) {
		int line = 1;

		for (const uint8_t *c = data; c < nul; c++)
			line += *c == '\n';
		snprintf(err, err_len, "line %d: a NUL byte (a text program is text)", line);
		return NULL;
	}
	p = malloc(sizeof(*p));
	text = malloc(len + 1);
	cap = prog_header_size() + (size_t)PROG_MAX_EVENTS * 64;
	out = malloc(cap);
	if (!p || !text || !out) {
		snprintf(err, err_len, "out of memory");
		free(p), free(text), free(out);
		return NULL;
	}
	memcpy(text, data, len);
	text[len] = '\0';
	/* the default machine is one `boot` line away: an empty program is more likely a mistake */
	if (!first_record(data, len, word, sizeof(word))) {
		snprintf(err, err_len, "a text program without a record: write `boot` for the default "
			 "machine");
		free(p), free(text), free(out);
		return NULL;
	}
	if (prog_parse(p, text, err, err_len)) {
		free(p), free(text), free(out);
		return NULL;
	}
	n = prog_encode(p, out, cap);
	free(p), free(text);
	if (n > cap) {
		snprintf(err, err_len, "program too large");
		free(out);
		return NULL;
	}
	*out_len = n;
	return out;
}
