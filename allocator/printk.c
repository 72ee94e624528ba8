/* printk.c - the kernel log: printk into a ring buffer that is part of the machine, and dmesg. */
#include <stdio.h>

#include "platform.h"
#include "machine.h"

/* ---- printk ring buffer ---- */

#define LOG_BUF_LEN (64 * 1024)
#define PRINTK_LINE_MAX 1024

static char log_buf[LOG_BUF_LEN];
static __slub_state size_t log_start, log_len; /* oldest byte, and bytes held */
static char dmesg_text[LOG_BUF_LEN + 1];
static int printk_echo;

/* Appends text, dropping the oldest bytes once the buffer is full. */
void slub_log_store(const char *text, size_t n)
{
	while (n) {
		size_t pos = (log_start + log_len) % LOG_BUF_LEN;
		size_t chunk = min(n, (size_t)LOG_BUF_LEN - pos);

		memcpy(log_buf + pos, text, chunk);
		log_len += chunk;
		if (log_len > LOG_BUF_LEN) {
			log_start = (log_start + log_len - LOG_BUF_LEN) % LOG_BUF_LEN;
			log_len = LOG_BUF_LEN;
		}
		text += chunk;
		n -= chunk;
	}
}

void vprintk(const char *fmt, va_list ap)
{
	char line[PRINTK_LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	/* a cut line says so, and still ends the line it started */
	if ((size_t)n >= sizeof(line))
		memcpy(line + sizeof(line) - 5, "...\n", 5);
	slub_log_store(line, strlen(line));
	if (printk_echo)
		fputs(line, stderr);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void slub_set_printk_echo(int on)
{
	printk_echo = on;
}

void slub_dmesg_clear(void)
{
	log_start = 0;
	log_len = 0;
}

const char *slub_dmesg(void)
{
	size_t first = min(log_len, (size_t)LOG_BUF_LEN - log_start);

	memcpy(dmesg_text, log_buf + log_start, first);
	memcpy(dmesg_text + first, log_buf, log_len - first);
	dmesg_text[log_len] = '\0';
	return dmesg_text;
}

/* The bytes held, in at most two pieces (log_start and log_len are in the state section). */
void printk_state_regions(slub_region_fn add, void *ctx)
{
	size_t first = min(log_len, (size_t)LOG_BUF_LEN - log_start);

	if (first)
		add(log_buf + log_start, first, ctx);
	if (log_len > first)
		add(log_buf, log_len - first, ctx);
}
