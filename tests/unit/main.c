/* main.c - runs every registered unit test (or those whose name starts with argv[1]) in its
 * own child process and ends with "N passed, N failed". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

static struct test_case *tests;
static int failed_checks;

void test_register(struct test_case *tc)
{
	/* constructors run in link order; keep the list in registration order */
	struct test_case **p = &tests;

	while (*p)
		p = &(*p)->next;
	*p = tc;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failed_checks++;
}

void test_fail_cond(const char *file, int line, const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s:%d: %s failed: ", file, line, what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failed_checks++;
}

static int run_one(struct test_case *tc)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		tc->fn();
		fflush(NULL);
		_exit(failed_checks ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		exit(2);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	if (WIFSIGNALED(status))
		fprintf(stderr, "  %s: killed by signal %d\n", tc->name, WTERMSIG(status));
	return 0;
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "";
	int passed = 0, failed = 0;

	for (struct test_case *tc = tests; tc; tc = tc->next) {
		if (strncmp(tc->name, prefix, strlen(prefix)) != 0)
			continue;
		if (run_one(tc)) {
			passed++;
			printf("PASS %s\n", tc->name);
		} else {
			failed++;
			printf("FAIL %s\n", tc->name);
		}
	}
	if (passed + failed == 0) {
		fprintf(stderr, "no test matches '%s'\n", prefix);
		return 2;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
