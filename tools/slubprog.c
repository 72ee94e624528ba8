/* slubprog.c - converts fuzz programs between their binary form (what the fuzzers mutate and
 * crash files hold) and their text form (what people read and write), prints any input as a
 * program, checks round trips, and writes the dictionary generated from the op table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"

static struct prog prog_a, prog_b;
static uint8_t enc_a[1 << 20], enc_b[1 << 20];

static void usage(void)
{
	fprintf(stderr,
		"usage: slubprog COMMAND ...\n"
		"  print FILE...            print inputs (either form) as programs\n"
		"  text FILE [-o OUT] [-c COMMENT]...\n"
		"                           any input -> text (first line " PROG_TEXT_MAGIC ", then\n"
		"                           each COMMENT as a # line)\n"
		"  bin FILE.txt [-o OUT]    text -> binary (normal form); refuses a binary input\n"
		"  bytes FILE [-o OUT]      any input -> what the fuzzers run: a text program\n"
		"                           encoded, a binary input copied as it is\n"
		"  norm FILE [-o OUT]       any input -> its binary normal form (decode, encode)\n"
		"  roundtrip FILE.txt...    text -> bin -> text -> bin must be identical\n"
		"  dict [-o OUT]            dictionary of event opcodes for libFuzzer and AFL++\n"
		"  selftest [N [SEED]]      N pseudo-random inputs: normal form is a fixed point and\n"
		"                           binary -> text -> binary gives it\n"
		"An input is a text program when its first line begins with " PROG_TEXT_MAGIC ";\n"
		"anything else is a binary program (every byte string is one), except a file that\n"
		"looks like a text program without that line: refused, unless " PROG_AS_BYTES_ENV "=1\n"
		"in the environment runs its bytes.\n");
	exit(2);
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		fprintf(stderr, "slubprog: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	do {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "slubprog: out of memory\n");
				exit(1);
			}
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		fprintf(stderr, "slubprog: cannot read %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (f != stdin)
		fclose(f);
	buf[n] = 0; /* text callers get a string */
	*len = n;
	return buf;
}

static FILE *open_out(const char *out)
{
	FILE *f = out ? fopen(out, "wb") : stdout;

	if (!f) {
		fprintf(stderr, "slubprog: cannot write %s: %s\n", out, strerror(errno));
		exit(1);
	}
	return f;
}

static void close_out(FILE *f, const char *out)
{
	if (fflush(f) || (f != stdout && fclose(f))) {
		fprintf(stderr, "slubprog: writing %s failed\n", out ? out : "stdout");
		exit(1);
	}
}

static void parse_or_die(struct prog *p, const char *path, const char *text)
{
	char err[256];

	if (prog_parse(p, text, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", path, err);
		exit(1);
	}
}

static size_t encode_or_die(const struct prog *p, uint8_t *out)
{
	size_t n = prog_encode(p, out, sizeof(enc_a));

	if (n > sizeof(enc_a)) {
		fprintf(stderr, "slubprog: program too large\n");
		exit(1);
	}
	return n;
}

/*
 * Reads an input in either form (prog_load tells them apart) and decodes it into p;
 * text_only refuses a binary one. Returns the binary bytes (*len of them).
 */
static uint8_t *load_or_die(struct prog *p, const char *path, int text_only, size_t *len)
{
	size_t raw_len;
	uint8_t *raw = read_all(path, &raw_len), *bin;
	char err[256];

	if (text_only && !prog_is_text(raw, raw_len)) {
		fprintf(stderr, "%s: not a text program: its first line must begin with %s\n", path,
			PROG_TEXT_MAGIC);
		exit(1);
	}
	bin = prog_load(raw, raw_len, len, err, sizeof(err));
	if (!bin) {
		fprintf(stderr, "%s: %s\n", path, err);
		exit(1);
	}
	free(raw);
	if (p)
		prog_decode(p, bin, *len, PROG_MAX_EVENTS);
	return bin;
}

/* Prints the text of p into a string (for the round trip). */
static char *to_text(const struct prog *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		fprintf(stderr, "slubprog: open_memstream failed\n");
		exit(1);
	}
	prog_print(f, p, -1);
	fclose(f);
	return buf;
}

/* text -> bin -> text -> bin: both binaries identical, both texts identical. */
static int roundtrip(const char *path)
{
	size_t len, na, nb;
	uint8_t *text = load_or_die(&prog_a, path, 1, &len);
	char *t1, *t2;
	int ok;

	na = encode_or_die(&prog_a, enc_a);
	prog_decode(&prog_b, enc_a, na, PROG_MAX_EVENTS);
	t1 = to_text(&prog_b);
	parse_or_die(&prog_b, path, t1);
	nb = encode_or_die(&prog_b, enc_b);
	prog_decode(&prog_b, enc_b, nb, PROG_MAX_EVENTS);
	t2 = to_text(&prog_b);
	ok = na == nb && !memcmp(enc_a, enc_b, na) && !strcmp(t1, t2) &&
	     prog_a.nr_events == prog_b.nr_events;
	printf("%s %s\n", ok ? "ok" : "FAIL", path);
	if (!ok)
		fprintf(stderr, "%s: round trip differs (%zu vs %zu bytes)\n--- first\n%s--- second\n%s",
			path, na, nb, t1, t2);
	free(t1);
	free(t2);
	free(text);
	return ok;
}

static uint64_t next_rand(uint64_t *s)
{
	/* the bits shifted out are masked first: UBSan's integer checks see no overflow */
	*s ^= (*s & (UINT64_MAX >> 13)) << 13;
	*s ^= *s >> 7;
	*s ^= (*s & (UINT64_MAX >> 17)) << 17;
	return *s;
}

/* Decoding is total, encode(decode(x)) is a fixed point, and the text form carries it. */
static int selftest(unsigned long n, uint64_t seed)
{
	static uint8_t raw[4096], norm[1 << 16];
	unsigned long bad = 0;
	uint64_t s = seed ? seed : 0x5eed;

	for (unsigned long i = 0; i < n; i++) {
		size_t len = (size_t)(next_rand(&s) % sizeof(raw)), nn, na, nb;
		char err[256], *text;

		for (size_t k = 0; k < len; k++)
			raw[k] = (uint8_t)(next_rand(&s) & 0xff);
		prog_decode(&prog_a, raw, len, PROG_MAX_EVENTS);
		nn = encode_or_die(&prog_a, norm);
		prog_decode(&prog_b, norm, nn, PROG_MAX_EVENTS);
		na = encode_or_die(&prog_b, enc_a);
		text = to_text(&prog_b);
		if (prog_parse(&prog_b, text, err, sizeof(err))) {
			fprintf(stderr, "selftest %lu: the printed text does not parse: %s\n", i, err);
			bad++;
		} else {
			nb = encode_or_die(&prog_b, enc_b);
			if (na != nn || memcmp(enc_a, norm, nn) || nb != nn || memcmp(enc_b, norm, nn)) {
				fprintf(stderr, "selftest %lu: normal form not stable (%zu, %zu, %zu "
					"bytes)\n", i, nn, na, nb);
				bad++;
			}
		}
		free(text);
	}
	printf("selftest: %lu inputs, %lu bad\n", n, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd, *in = NULL, *out = NULL, *comments[16];
	int nr_comments = 0;
	uint8_t *data;
	size_t len, n;
	FILE *f;

	if (argc < 2)
		usage();
	cmd = argv[1];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-c") && i + 1 < argc && nr_comments < 16)
			comments[nr_comments++] = argv[++i];
		else if (!in)
			in = argv[i];
	}

	if (!strcmp(cmd, "dict")) {
		f = open_out(out);
		prog_write_dict(f);
		close_out(f, out);
		return 0;
	}
	if (!strcmp(cmd, "selftest"))
		return selftest(argc > 2 ? strtoul(argv[2], NULL, 0) : 1000,
				argc > 3 ? strtoull(argv[3], NULL, 0) : 0);
	if (!strcmp(cmd, "print")) {
		if (argc < 3)
			usage();
		for (int i = 2; i < argc; i++) {
			data = load_or_die(&prog_a, argv[i], 0, &len);
			printf("# %s: %zu bytes, %d events\n", argv[i], len, prog_a.nr_events);
			prog_print(stdout, &prog_a, -1);
			free(data);
		}
		return 0;
	}
	if (!strcmp(cmd, "roundtrip")) {
		int bad = 0;

		if (argc < 3)
			usage();
		for (int i = 2; i < argc; i++)
			bad += !roundtrip(argv[i]);
		return bad ? 1 : 0;
	}
	if (!in)
		usage();
	if (strcmp(cmd, "text") && strcmp(cmd, "norm") && strcmp(cmd, "bin") && strcmp(cmd, "bytes"))
		usage();
	data = load_or_die(&prog_a, in, !strcmp(cmd, "bin"), &len);
	f = open_out(out);
	if (!strcmp(cmd, "text")) {
		fprintf(f, "%s\n", PROG_TEXT_MAGIC);
		for (int i = 0; i < nr_comments; i++)
			fprintf(f, "# %s\n", comments[i]);
		prog_print(f, &prog_a, -1);
	} else if (!strcmp(cmd, "bytes")) {
		if (fwrite(data, 1, len, f) != len) {
			fprintf(stderr, "slubprog: short write\n");
			return 1;
		}
	} else {
		n = encode_or_die(&prog_a, enc_a);
		if (fwrite(enc_a, 1, n, f) != n) {
			fprintf(stderr, "slubprog: short write\n");
			return 1;
		}
	}
	close_out(f, out);
	free(data);
	return 0;
}
