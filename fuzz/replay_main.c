/* replay_main.c - a plain driver for any target, needing no fuzzing runtime: runs every file
 * named, or every file in every directory named, through LLVMFuzzerTestOneInput. The tests
 * and `make repro` use it; it builds with clang and gcc, with or without sanitizers. Inputs
 * come in either form (prog_load: a text program is encoded first, a broken one refused with
 * its line). Exit status: 0 when every input ran clean, 1 on a finding (its report, then
 * "replay: FINDING in <input>"), 2 on a bad argument or an unreadable input. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bugs.h"
#include "fuzz.h"
#include "prog.h"
#include "slub.h" /* slub_sched_sites_met */

struct replay_opts {
	int digest; /* print "digest file" per input */
	int runs; /* run each input this many times; digests must agree */
	unsigned long random; /* also run this many pseudo-random inputs */
	unsigned long seed;
	int events_only; /* random events after the default machine's (all-zero) boot header */
	unsigned int timeout; /* seconds one input may take; 0: no limit */
	int sites; /* list the scheduler's yield sites met, and fail on one its table lacks */
};

/* A hang (a corrupted list walked forever) must end as a finding too, naming its input. */
static char current_input[4096];

static int say(const char *s)
{
	return write(2, s, strlen(s)) < 0;
}

/*
 * Every finding ends in abort() (the oracle's, or a sanitizer's with abort_on_error): the
 * driver names the input and the command that reproduces it on this build, then exits 1, so
 * no sanitizer "ABRT" report and no shell "Aborted" line follow the real report.
 */
static void on_abort(int sig)
{
	(void)sig;
	if (say("replay: FINDING in ") || say(current_input) || say("; reproduce: make repro CRASH=") ||
	    say(current_input) || say(" TARGET=") || say(fuzz_last_target()) || say(fuzz_repro_args()) ||
	    say("\n"))
		_exit(1);
	_exit(1);
}

/*
 * A sanitizer that exits rather than aborts (ASan without abort_on_error, as when the driver
 * is run by hand without make's options) calls this first: the input is named all the same.
 */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));
static void on_sanitizer_death(void)
{
	on_abort(SIGABRT);
}

static void on_timeout(int sig)
{
	static const char msg[] = "\n==slubfuzz== TIMEOUT: this input ran past -timeout: ";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0 ||
	    write(2, current_input, strlen(current_input)) < 0 || write(2, "\n", 1) < 0)
		_exit(3);
	abort();
}

static void usage_error(const char *arg)
{
	fprintf(stderr, "replay: %s: not a number in range (run without arguments for usage)\n", arg);
	exit(2);
}

/* A decimal (or 0x) number in [min, max] ending at *end (or at the string's end). */
static unsigned long number(const char *arg, const char *s, char **end, unsigned long min,
			    unsigned long max)
{
	char *e;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &e, 0);
	if (e == s || *s == '-' || errno || v < min || v > max || (!end && *e))
		usage_error(arg);
	if (end)
		*end = e;
	return v;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [options] FILE|DIR...\n"
		"  runs every input through the target; a finding aborts with its report\n"
		"  -v, -vv          print each program (-vv: also printk, reports, allocator state)\n"
		"  -digest          print the trace digest of each input\n"
		"  -check-all       run the allocator's strict checker after every event\n"
		"  -cold            boot and shut down for every input (default: restore a machine\n"
		"                   kept from an earlier input with the same boot header)\n"
		"  -timeout=S       abort an input that runs longer than S seconds (default 300, 0: none)\n"
		"  -runs=N          run each input N times and check the digests agree\n"
		"  -random=N[:S]    run N pseudo-random inputs from seed S (decoder totality); each\n"
		"                   is written to ./replay-random-S-I while it runs and kept on a\n"
		"                   finding, so that make repro can run it\n"
		"  -random-events=N[:S]  the same, random events on the default machine\n"
		"  -sites           at the end, list the yield sites concurrent groups met; exit 1\n"
		"                   if allocator/sched_sites.h lacks one (the text form's names)\n"
		"an input is a binary program, or a text program (first line " PROG_TEXT_MAGIC ")\n"
		"exit status: 0 clean, 1 a finding, 2 a bad argument or input\n",
		argv0);
	exit(2);
}

/* Reads the whole file: inputs are never truncated. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "replay: out of memory reading %s\n", path);
				exit(2);
			}
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
		exit(2);
	}
	fclose(f);
	*len = n;
	return buf;
}

static unsigned long replayed;

static void run_one(const struct replay_opts *o, const char *name, const uint8_t *data, size_t len)
{
	uint64_t first = 0;

	snprintf(current_input, sizeof(current_input), "%s", name);
	for (int r = 0; r < o->runs; r++) {
		alarm(o->timeout);
		LLVMFuzzerTestOneInput(data, len);
		alarm(0);
		if (r == 0) {
			first = fuzz_last_digest();
		} else if (fuzz_last_digest() != first) {
			fprintf(stderr, "replay: %s: run %d gave digest %016" PRIx64 ", run 1 gave %016"
				PRIx64 ": not deterministic\n", name, r + 1, fuzz_last_digest(), first);
			exit(1);
		}
	}
	if (o->digest)
		printf("%016" PRIx64 " %s\n", first, name);
	replayed++;
}

static void run_path(const struct replay_opts *o, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **ents;
		int n = scandir(path, &ents, NULL, alphasort);

		if (n < 0) {
			fprintf(stderr, "replay: cannot list %s: %s\n", path, strerror(errno));
			exit(2);
		}
		int files = 0;

		for (int i = 0; i < n; i++) {
			char child[4096];

			if (ents[i]->d_name[0] != '.') {
				snprintf(child, sizeof(child), "%s/%s", path, ents[i]->d_name);
				if (!stat(child, &st) && S_ISREG(st.st_mode)) {
					run_path(o, child);
					files++;
				}
			}
			free(ents[i]);
		}
		free(ents);
		if (!files) {
			fprintf(stderr, "replay: %s holds no input\n", path);
			exit(2);
		}
		return;
	}
	size_t raw_len, len;
	uint8_t *raw = read_file(path, &raw_len), *data;
	char err[256];

	/* either form, told apart in one place (prog_load) */
	data = prog_load(raw, raw_len, &len, err, sizeof(err));
	if (!data) {
		fprintf(stderr, "replay: %s: %s\n", path, err);
		exit(2);
	}
	free(raw);
	run_one(o, path, data, len);
	free(data);
}

/* xorshift64: the random inputs depend on the seed only */
static uint64_t next_rand(uint64_t *s)
{
	/* the bits shifted out are masked first: UBSan's integer checks see no overflow */
	*s ^= (*s & (UINT64_MAX >> 13)) << 13;
	*s ^= *s >> 7;
	*s ^= (*s & (UINT64_MAX >> 17)) << 17;
	return *s;
}

static void run_random(const struct replay_opts *o)
{
	uint64_t s = o->seed ? o->seed : 0x5eed;
	uint8_t buf[1024];

	for (unsigned long i = 0; i < o->random; i++) {
		size_t len = (size_t)(next_rand(&s) % sizeof(buf));
		char name[96];
		FILE *f;

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)(next_rand(&s) & 0xff);
		if (o->events_only)
			memset(buf, 0, len < fuzz_header_size() ? len : fuzz_header_size());
		/* on a file while it runs: a finding leaves it behind, named in the hint */
		snprintf(name, sizeof(name), "replay-random-%lu-%lu", o->seed ? o->seed : 0x5eedUL, i);
		f = fopen(name, "wb");
		if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
			fprintf(stderr, "replay: cannot write %s: %s\n", name, strerror(errno));
			exit(2);
		}
		run_one(o, name, buf, len);
		unlink(name);
	}
}

static void print_site(const char *name, int known, void *arg)
{
	(void)arg;
	printf("%s%s\n", known ? "site " : "site not in allocator/sched_sites.h: ", name);
}

int main(int argc, char **argv)
{
	struct replay_opts o = { 0, 1, 0, 0, 0, 300, 0 };
	int paths = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-v"))
			fuzz_set_verbose(1);
		else if (!strcmp(a, "-vv"))
			fuzz_set_verbose(2);
		else if (!strcmp(a, "-check-all"))
			fuzz_set_check_all(1);
		else if (!strcmp(a, "-cold"))
			fuzz_set_cold(1);
		else if (!strcmp(a, "-digest"))
			o.digest = 1;
		else if (!strcmp(a, "-sites"))
			o.sites = 1;
		else if (!strncmp(a, "-timeout=", 9))
			o.timeout = (unsigned int)number(a, a + 9, NULL, 0, 1000000);
		else if (!strncmp(a, "-runs=", 6))
			o.runs = (int)number(a, a + 6, NULL, 1, 1000000);
		else if (!strncmp(a, "-random=", 8) || !strncmp(a, "-random-events=", 15)) {
			char *end;

			o.events_only = a[7] == '-';
			o.random = number(a, strchr(a, '=') + 1, &end, 1, ULONG_MAX);
			if (*end == ':')
				o.seed = number(a, end + 1, NULL, 0, ULONG_MAX);
			else if (*end)
				usage_error(a);
		} else if (a[0] == '-')
			usage(argv[0]);
		else
			paths++;
	}
	if (!paths && !o.random)
		usage(argv[0]);
	signal(SIGALRM, on_timeout);
	fuzz_repro_args(); /* made now: the abort handler only reads it */
	signal(SIGABRT, on_abort);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_sanitizer_death);
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			run_path(&o, argv[i]);
	run_random(&o);
	fprintf(stderr, "replay: %lu input(s) ran without a finding (target %s, bootstrap %s)\n",
		replayed, fuzz_last_target(), fuzz_bootstrap_name());
	if (o.sites && slub_sched_sites_met(print_site, NULL)) {
		fprintf(stderr, "replay: yield sites met that allocator/sched_sites.h lacks (above)\n");
		return 1;
	}
	return 0;
}
