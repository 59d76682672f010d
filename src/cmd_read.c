// SPDX-License-Identifier: MIT
/*
 * cmd_read.c - shmtool read: raw bytes (default), a string, or a hex dump.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "commands.h"
#include "parse.h"
#include "segment.h"
#include "target.h"
#include "io.h"
#include "msg.h"
#include "text.h"
#include "util.h"

enum { OPT_OFFSET = OPT_CMD_FIRST };

#define CHUNK (1u << 20)

enum read_fmt { FMT_RAW, FMT_HEX, FMT_STRING };

struct rctx {
	const struct backend_ops *be;
	struct seghandle h;
	const char *tname;
};

/*
 * Report a failed transfer.  A closed pipe (the reader had enough, as in
 * `| head -c1`, with SIGPIPE ignored) ends quietly and successfully.
 */
static int out_fail(const struct rctx *r, int rc)
{
	if (rc == -EPIPE)
		return EXIT_OK;
	if (rc == -ENODATA)
		msg("%s: the segment shrank while being read", r->tname);
	else if (rc == -EFAULT)
		msg("%s: reading: %s", r->tname,
		    segment_strerror(r->h.kind, rc));
	else
		stdout_error(-rc);	/* once, whoever sees it first */
	return EXIT_FAIL;
}

static int get(struct rctx *r, char *buf, size_t len, uint64_t off)
{
	size_t done;
	int rc = r->be->pread(&r->h, buf, len, off, &done);

	if (rc < 0) {
		msg("%s: reading: %s", r->tname,
		    segment_strerror(r->h.kind, rc));
		return EXIT_FAIL;
	}
	if (done < len) {
		msg("%s: the segment shrank while being read", r->tname);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int read_string(struct rctx *r, uint64_t off, uint64_t len)
{
	char *buf = malloc(CHUNK);
	int rc = EXIT_OK;

	if (!buf) {
		msg_errno(ENOMEM, "buffer");
		return EXIT_FAIL;
	}
	while (len > 0) {
		size_t want = len > CHUNK ? CHUNK : (size_t)len;
		char *nul;
		int wrc;

		rc = get(r, buf, want, off);
		if (rc != EXIT_OK)
			goto out;
		nul = memchr(buf, '\0', want);
		wrc = write_all(STDOUT_FILENO, buf,
				nul ? (size_t)(nul - buf) : want);
		if (wrc < 0) {
			rc = out_fail(r, wrc);
			goto out;
		}
		if (nul)
			break;
		off += want;
		len -= want;
	}
	{
		int wrc = write_all(STDOUT_FILENO, "\n", 1);

		if (wrc < 0)
			rc = out_fail(r, wrc);
	}
out:
	free(buf);
	return rc;
}

/* One line of `hexdump -C`: offset, 16 bytes in two groups, |text|. */
static void hex_line(char *out, uint64_t off, const unsigned char *p,
		     size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	size_t i;

	o += sprintf(o, "%08llx ", (unsigned long long)off);
	for (i = 0; i < 16; i++) {
		if (i == 8)
			*o++ = ' ';
		*o++ = ' ';
		if (i < n) {
			*o++ = hex[p[i] >> 4];
			*o++ = hex[p[i] & 15];
		} else {
			*o++ = ' ';
			*o++ = ' ';
		}
	}
	o += sprintf(o, "  |");
	for (i = 0; i < n; i++)
		*o++ = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
	*o++ = '|';
	*o++ = '\n';
	*o = '\0';
}

static int read_hex(struct rctx *r, uint64_t off, uint64_t len)
{
	unsigned char *buf = malloc(CHUNK), prev[16];
	char line[128];
	uint64_t pos = off, end = off + len;
	bool have_prev = false, starred = false;
	int rc = EXIT_OK;

	if (!buf) {
		msg_errno(ENOMEM, "buffer");
		return EXIT_FAIL;
	}
	while (pos < end) {
		size_t want = end - pos > CHUNK ? CHUNK : (size_t)(end - pos);
		size_t i;

		rc = get(r, (char *)buf, want, pos);
		if (rc != EXIT_OK)
			goto out;
		for (i = 0; i < want; i += 16) {
			size_t n = want - i < 16 ? want - i : 16;

			/* Repeated full lines collapse into one '*'. */
			if (n == 16 && have_prev &&
			    memcmp(prev, buf + i, 16) == 0) {
				if (!starred && fputs("*\n", stdout) == EOF)
					goto out_err;
				starred = true;
				continue;
			}
			hex_line(line, pos + i, buf + i, n);
			if (fputs(line, stdout) == EOF)
				goto out_err;
			starred = false;
			have_prev = n == 16;
			if (have_prev)
				memcpy(prev, buf + i, 16);
		}
		pos += want;
	}
	if (len > 0 && printf("%08llx\n", (unsigned long long)end) < 0)
		goto out_err;
	goto out;
out_err:
	rc = out_fail(r, -(errno ? errno : EIO));
out:
	free(buf);
	return rc;
}

static const struct cmd_option opts[] = {
	{ "offset", 0, "OFF", OPT_OFFSET, "start at byte OFF (default 0)" },
	{ "length", 'l', "LEN", 'l', "read LEN bytes (default: to the end)" },
	{ "hex", 'x', NULL, 'x', "canonical hex dump (like hexdump -C)" },
	{ "string", 's', NULL, 's', "up to the first NUL byte, then a newline" },
	CMD_TARGET_KIND_OPTIONS,
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_read_command = {
	"read", cmd_read, "read bytes from a segment",
	"read TARGET [--offset OFF] [--length LEN] [--hex | --string]",
	opts,
	"Writes raw bytes to standard output by default.\n",
};
/* clang-format on */

/* What read was asked: its options, checked. */
struct read_args {
	enum target_force force;
	enum read_fmt fmt;
	uint64_t off, len;
	bool len_given;
	const char *target;
};

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int read_parse(int argc, char **argv, struct read_args *a)
{
	const char *off_s = NULL, *len_s = NULL;
	int c, rc;

	*a = (struct read_args){ .force = TARGET_ANY, .fmt = FMT_RAW };
	while ((c = command_getopt(&cmd_read_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_OFFSET:
			off_s = optarg;
			break;
		case 'l':
			len_s = optarg;
			break;
		case 'x':
		case 's':
			rc = options_exclusive(
				"--hex", a->fmt == FMT_HEX || c == 'x',
				"--string", a->fmt == FMT_STRING || c == 's');
			if (rc != EXIT_OK)
				return rc;
			a->fmt = c == 'x' ? FMT_HEX : FMT_STRING;
			break;
		default:
			rc = command_option(&cmd_read_command, c, argv,
					    &a->force);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	rc = command_one_target(argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (off_s && parse_size(off_s, UINT64_MAX, &a->off) < 0)
		return usage_error("invalid offset '%s'", off_s);
	if (len_s && parse_size(len_s, UINT64_MAX, &a->len) < 0)
		return usage_error("invalid length '%s'", len_s);
	a->len_given = len_s != NULL;
	a->target = argv[optind];
	return target_parse_arg(a->target, a->force, &(struct target){ 0 });
}

/* The bytes asked for, in the format asked, from an open segment. */
static int read_out(struct rctx *r, const struct read_args *a, uint64_t len)
{
	uint64_t done;
	int rc;

	switch (a->fmt) {
	case FMT_RAW:
		if (fflush(stdout) != 0)
			return out_fail(r, -errno);
		if (len >= (1u << 20))
			pipe_grow(STDOUT_FILENO);
		rc = r->be->copy_to_fd(&r->h, STDOUT_FILENO, a->off, len,
				       &done);
		return rc < 0 ? out_fail(r, rc) : EXIT_OK;
	case FMT_STRING:
		return read_string(r, a->off, len);
	case FMT_HEX:
		return read_hex(r, a->off, len);
	}
	return EXIT_FAIL;
}

static int read_run(const struct read_args *a)
{
	char tname[NAME_ESC_MAX + 2];
	struct segment seg;
	struct rctx r = { 0 };
	uint64_t len = a->len;
	int rc, crc;

	rc = target_resolve(a->target, a->force, &seg);
	if (rc != EXIT_OK)
		return rc;
	segment_target(&seg, tname, sizeof(tname));

	r.be = backend_for(seg.kind);
	r.tname = tname;
	rc = target_open(&seg, false, &r.h);
	if (rc < 0) {
		msg("%s: %s", tname, segment_strerror(seg.kind, rc));
		return EXIT_FAIL;
	}
	/* Check the range against the size of what we opened. */
	if (a->off > r.h.size)
		rc = usage_error("offset %llu is past the end of %s (%llu "
				 "byte%s)", (unsigned long long)a->off, tname,
				 (unsigned long long)r.h.size,
				 PLURAL_S(r.h.size));
	else if (a->len_given && len > r.h.size - a->off)
		rc = usage_error("%llu byte%s at offset %llu run%s past the "
				 "end of %s (%llu byte%s)",
				 (unsigned long long)len, PLURAL_S(len),
				 (unsigned long long)a->off,
				 len == 1 ? "s" : "", tname,
				 (unsigned long long)r.h.size,
				 PLURAL_S(r.h.size));
	else
		rc = read_out(&r, a, a->len_given ? len : r.h.size - a->off);
	crc = r.be->close(&r.h);
	if (crc < 0 && rc == EXIT_OK) {
		msg_errno(-crc, "%s: closing", tname);
		rc = EXIT_FAIL;
	}
	return rc;
}

int cmd_read(int argc, char **argv)
{
	struct read_args a;
	int rc = read_parse(argc, argv, &a);

	return COMMAND_PARSE_RUN(rc, read_run(&a));
}
