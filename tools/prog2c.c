/* prog2c.c - turns any fuzz input into a standalone C reproducer: a C file holding the program
 * (the machine and its events, one allocator call a line in the text form of fuzz/README.md)
 * and a main() that runs it through the target's own entry point. It is built from the same
 * sources the fuzzers run — the allocator, the executor, the oracle (fuzz/exec.c, objects.c,
 * oracle.c, hooks.c, ...) and fuzz/<target>.c — so it checks exactly what the harness checks,
 * with no second copy of the oracle to keep in step, and needs no fuzzing runtime, replay
 * driver or input file.
 *
 * One binary per target (build/tools/prog2c-<target>): it is linked with the target's own
 * file, whose LLVMFuzzerTestOneInput hands this file's fuzz_run the target's description, so
 * the program is decoded with the target's event limit, as the target itself decodes it.
 * FUZZ_LIB_SRCS (the Makefile's list of the harness's sources) names them in the build line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "prog.h"

#ifndef FUZZ_LIB_SRCS
#define FUZZ_LIB_SRCS "fuzz/[a-oq-z]*.c fuzz/prog*.c" /* every fuzz/ source but the drivers */
#endif

static const struct fuzz_target *target;
static struct prog program;

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
	fprintf(stderr, "usage: prog2c [-nonuma] [-D MACRO]... [-known FILE] [-o OUT.c] INPUT\n"
			"  writes a standalone C reproducer of INPUT (binary or text program) for this target\n"
			"  -nonuma   for a !CONFIG_NUMA build (NUMA=0): one node\n"
			"  -D MACRO  the build needs -DMACRO (SLUB_BOOTSTRAP_SEED, SLUB_BUG_<NAME>): the\n"
			"            file names it and refuses to build without it\n"
			"  -known FILE  the input's finding comes after known ones (fuzz/known.c): the run\n"
			"            line says SLUBFUZZ_KNOWN=FILE\n");
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

/* C string literal contents for s. */
static void put_cstr(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* The program's text, one string literal a line; each event line names its index. */
static void emit_program(FILE *f, const struct prog *p)
{
	char *buf = NULL, *line, *save;
	size_t len = 0;
	int ev = 0, boot_lines;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		fprintf(stderr, "prog2c: open_memstream failed\n");
		exit(1);
	}
	prog_print(m, p, -1);
	fclose(m);
	/* the boot records come first; the last p->nr_events lines are the events */
	boot_lines = -p->nr_events;
	for (char *c = buf; *c; c++)
		boot_lines += *c == '\n';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (boot_lines-- > 0)
			fprintf(f, "\t\"");
		else
			fprintf(f, "\t/* %4d */ \"", ev++);
		put_cstr(f, line);
		fprintf(f, "\\n\"\n");
	}
	free(buf);
}

/* -D NAME: the defines of the build the input came from (BOOTSTRAP=seed, BUG=) */
static const char *defines[8];
static int nr_defines;
static const char *known_file; /* -known: the known list its run passes over */

static void emit(FILE *f, const char *input, int numa)
{
	char defs[512] = "";
	size_t o = 0;

	/* the build command names every define the checks below demand: pasted, it builds */
	for (int i = 0; i < nr_defines && o < sizeof(defs); i++)
		o += (size_t)snprintf(defs + o, sizeof(defs) - o, " -D%s", defines[i]);
	if (!numa && o < sizeof(defs))
		snprintf(defs + o, sizeof(defs) - o, " -DSLUB_CONFIG_NONUMA");
	fprintf(f,
		"/*\n"
		" * Reproducer of %s\n"
		" * for slubfuzz target %s, written by tools/prog2c.\n"
		" *\n"
		" * The program below (%d events) runs through the target's own entry point: the\n"
		" * harness's executor makes each allocator call it names and its oracle checks what\n"
		" * SLUB promised after every event, then tears the machine down and wants every page\n"
		" * back. It is the code the fuzzers run, built without a fuzzing runtime. Build it from\n"
		" * the slubfuzz tree with the flags of the build that found it, e.g. ASan + UBSan%s:\n"
		" *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=address,undefined%s \\\n"
		" *     -Iallocator/include -Iallocator -Ifuzz THIS.c fuzz/%s.c allocator/[a-z]*.c \\\n"
		" *     %s \\\n"
		" *     -o repro && %s%s%s./repro\n"
		" * (the defines it was generated for are required below.) Exit 0: it ran clean; a finding prints\n"
		" * \"==slubfuzz== FINDING\" with the event and aborts, a sanitizer report stops it first.\n"
		" * -v prints the program, -vv traces every event, page request and report, -check-all\n"
		" * runs the strict checker after every event, -cold boots as the replay driver's -cold\n"
		" * does, -digest prints the trace digest (the replay driver's for the same input). To\n"
		" * try a variant, edit the program's lines: one record a line, as fuzz/README.md\n"
		" * describes the text form.%s\n"
		" */\n",
		input, target->name, program.nr_events, numa ? "" : ", !CONFIG_NUMA", defs,
		target->name, FUZZ_LIB_SRCS, known_file ? "SLUBFUZZ_KNOWN=" : "",
		known_file ? known_file : "", known_file ? " " : "",
		known_file ? "\n * SLUBFUZZ_KNOWN names the known findings (fuzz/known.c) it passes over, as\n"
			     " * make repro does for this build; without it the first known one stops it." : "");
	/* the flavour travels with the file: a build without its defines stops here, before any
	 * include can fail for another reason */
	for (int i = 0; i < nr_defines; i++)
		fprintf(f, "#ifndef %s\n#error \"generated for a build with -D%s\"\n#endif\n", defines[i],
			defines[i]);
	if (numa)
		fprintf(f, "#ifdef SLUB_CONFIG_NONUMA\n#error \"generated for a CONFIG_NUMA build: run "
			   "prog2c -nonuma\"\n#endif\n\n");
	else
		fprintf(f, "#ifndef SLUB_CONFIG_NONUMA\n#error \"generated for a !CONFIG_NUMA build: add "
			   "-DSLUB_CONFIG_NONUMA\"\n#endif\n\n");
	fprintf(f, "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
		   "#include \"fuzz.h\"\n#include \"prog.h\"\n\n");
	fprintf(f, "/* The machine (boot records), then the events in order; numbers are event indexes. */\n"
		   "static const char program[] =\n");
	emit_program(f, &program);
	fprintf(f, "\t\"\";\n\n");
	fprintf(f,
		"int main(int argc, char **argv)\n"
		"{\n"
		"\tstatic struct prog p;\n"
		"\tint digest = 0;\n"
		"\tuint8_t *input;\n"
		"\tsize_t len;\n"
		"\tchar err[256];\n"
		"\n"
		"\tfor (int i = 1; i < argc; i++) {\n"
		"\t\tif (!strcmp(argv[i], \"-v\") || !strcmp(argv[i], \"-vv\")) {\n"
		"\t\t\tfuzz_set_verbose(argv[i][2] ? 2 : 1);\n"
		"\t\t} else if (!strcmp(argv[i], \"-cold\")) {\n"
		"\t\t\tfuzz_set_cold(1);\n"
		"\t\t} else if (!strcmp(argv[i], \"-check-all\")) {\n"
		"\t\t\tfuzz_set_check_all(1);\n"
		"\t\t} else if (!strcmp(argv[i], \"-digest\")) {\n"
		"\t\t\tdigest = 1;\n"
		"\t\t} else {\n"
		"\t\t\tfprintf(stderr, \"usage: %%s [-v|-vv] [-cold] [-check-all] [-digest]\\n\",\n"
		"\t\t\t\targv[0]);\n"
		"\t\t\treturn 2;\n"
		"\t\t}\n"
		"\t}\n"
		"\tif (prog_parse(&p, program, err, sizeof(err))) {\n"
		"\t\tfprintf(stderr, \"repro: the program does not parse: %%s\\n\", err);\n"
		"\t\treturn 2;\n"
		"\t}\n"
		"\t/* the input's normal form: what the fuzzer ran, byte for byte */\n"
		"\tlen = prog_encode(&p, NULL, 0);\n"
		"\tinput = malloc(len ? len : 1);\n"
		"\tif (!input || prog_encode(&p, input, len) != len) {\n"
		"\t\tfprintf(stderr, \"repro: cannot encode the program\\n\");\n"
		"\t\treturn 2;\n"
		"\t}\n"
		"\tLLVMFuzzerTestOneInput(input, len); /* a finding aborts */\n"
		"\tfree(input);\n"
		"\tif (digest)\n"
		"\t\tprintf(\"%%016llx\\n\", (unsigned long long)fuzz_last_digest());\n"
		"\tfprintf(stderr, \"repro: the program (%%d events) ran without a finding (target %%s, \"\n"
		"\t\t\"bootstrap %%s)\\n\",\n"
		"\t\tp.nr_events, fuzz_last_target(), fuzz_bootstrap_name());\n"
		"\treturn 0;\n"
		"}\n");
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	char err[256];
	int numa = 1;
	uint8_t *data;
	size_t len;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-nonuma"))
			numa = 0;
		else if (!strcmp(argv[i], "-D") && i + 1 < argc && nr_defines < 8)
			defines[nr_defines++] = argv[++i];
		else if (!strcmp(argv[i], "-known") && i + 1 < argc)
			known_file = argv[++i];
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

		/* either form: prog_load tells them apart; raw is freed on both paths (LeakSanitizer) */
		data = prog_load(raw, raw_len, &len, err, sizeof(err));
		free(raw);
		if (!data) {
			fprintf(stderr, "prog2c: %s: %s\n", in, err);
			return 2;
		}
	}
	LLVMFuzzerTestOneInput(data, len);
	if (!target) {
		fprintf(stderr, "prog2c: the target did not describe itself\n");
		free(data);
		return 1;
	}
	prog_decode(&program, data, len, target->max_events);
	free(data);
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
	return 0;
}
