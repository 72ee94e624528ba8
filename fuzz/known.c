/* known.c - findings a campaign already knows. $SLUBFUZZ_KNOWN names a file of signature
 * patterns; an oracle finding whose signature (ci/signature.sh's "FINDING :: <why, masked>")
 * matches one is not fatal: it is reported on the spot ("==slubfuzz== KNOWN <name> (not fatal;
 * counted): <signature>", once a process), its first input is kept in $SLUBFUZZ_KNOWN_DIR when
 * set, each process adds its hits to a count there (before an abort, at exit, every 4096), and
 * the run goes on to the first finding the list does not name. Every workflow sets it the same
 * way (ci/flavour.sh known_setup: corpus/known/<bootstrap>.txt, KNOWN=<file>, KNOWN=none), so
 * make fuzz, repro, minimize, triage, prog2c and the C reproducer agree; unset (the tests, a
 * replay by hand), every finding aborts. Sanitizer reports cannot be survived in-process; they
 * stay fatal. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

#define KNOWN_MAX 128
#define KNOWN_LINE 1024

/* One line of the file: "<name> <pattern>", the pattern an fnmatch glob over a signature. */
static struct {
	char name[64];
	char pattern[KNOWN_LINE];
	unsigned long hits;
	int kept;
} known[KNOWN_MAX];
static int nr_known = -1; /* -1: the file is not read yet */
static const char *known_dir;
static const uint8_t *cur_data;
static size_t cur_size;

/* Appends this process's hits since the last call to <dir>/<name>.count (summed by fuzz.sh). */
void fz_known_flush(void)
{
	char path[4096];
	FILE *f;

	for (int i = 0; i < nr_known; i++) {
		if (!known[i].hits || !known_dir)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s.count", known_dir, known[i].name) >=
		    (int)sizeof(path))
			continue;
		f = fopen(path, "a");
		if (!f)
			continue;
		fprintf(f, "%lu\n", known[i].hits);
		fclose(f);
		known[i].hits = 0;
	}
}

static void known_write_counts(void)
{
	fz_known_flush();
}

static void known_load(void)
{
	const char *file = getenv("SLUBFUZZ_KNOWN");
	char line[KNOWN_LINE + 80];
	FILE *f;

	nr_known = 0;
	if (!file || !*file)
		return;
	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "slubfuzz: SLUBFUZZ_KNOWN=%s: cannot open it\n", file);
		exit(2); /* a usage error, not a finding */
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *name, *end;

		line[strcspn(line, "\n")] = '\0';
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			continue;
		name = p;
		p += strcspn(p, " \t");
		if (!*p || nr_known == KNOWN_MAX) {
			fprintf(stderr, "slubfuzz: %s: '%s': not '<name> <pattern>', or over %d lines\n",
				file, line, KNOWN_MAX);
			exit(2); /* a usage error, not a finding */
		}
		*p++ = '\0';
		p += strspn(p, " \t");
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		snprintf(known[nr_known].name, sizeof(known[nr_known].name), "%s", name);
		snprintf(known[nr_known].pattern, sizeof(known[nr_known].pattern), "%s", p);
		nr_known++;
	}
	fclose(f);
	known_dir = getenv("SLUBFUZZ_KNOWN_DIR");
	if (known_dir && *known_dir)
		mkdir(known_dir, 0777);
	else
		known_dir = NULL;
	atexit(known_write_counts);
}

void fz_known_input(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
}

/* ci/signature.sh's mask: hex numbers become ADDR, then every run of digits N. */
static void signature_of(const char *why, char *sig, size_t len)
{
	size_t o = (size_t)snprintf(sig, len, "FINDING :: ");

	for (const char *p = why; *p && *p != '\n' && o + 5 < len;) {
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && p[2] &&
		    strchr("0123456789abcdefABCDEF", p[2])) {
			p += 2;
			while (*p && strchr("0123456789abcdefABCDEF", *p))
				p++;
			memcpy(sig + o, "ADDR", 4);
			o += 4;
		} else if (*p >= '0' && *p <= '9') {
			while (*p >= '0' && *p <= '9')
				p++;
			sig[o++] = 'N';
		} else {
			sig[o++] = *p++;
		}
	}
	sig[o] = '\0';
}

static void known_keep(int i, const char *sig)
{
	char path[4096];
	struct stat st;
	FILE *f;

	known[i].kept = 1;
	fprintf(stderr, "==slubfuzz== KNOWN %s (not fatal; counted): %s\n", known[i].name, sig);
	if (!known_dir)
		return;
	if (snprintf(path, sizeof(path), "%s/%s", known_dir, known[i].name) >= (int)sizeof(path))
		return;
	if (stat(path, &st) == 0)
		return; /* an earlier process kept one */
	f = fopen(path, "wb");
	if (f) {
		fwrite(cur_data, 1, cur_size, f);
		fclose(f);
	}
	if (snprintf(path, sizeof(path), "%s/%s.sig", known_dir, known[i].name) >= (int)sizeof(path))
		return;
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", sig);
		fclose(f);
	}
}

int fz_known_finding(const char *why)
{
	char sig[KNOWN_LINE];

	if (nr_known < 0)
		known_load();
	if (!nr_known)
		return 0;
	signature_of(why, sig, sizeof(sig));
	for (int i = 0; i < nr_known; i++)
		if (!fnmatch(known[i].pattern, sig, 0)) {
			if (!known[i].kept)
				known_keep(i, sig);
			if (++known[i].hits >= 4096)
				fz_known_flush();
			return 1;
		}
	return 0;
}
