// SPDX-License-Identifier: MIT
/*
 * cmd_create.c - shmtool create: option parsing and orchestration.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "parse.h"
#include "segment.h"
#include "io.h"
#include "msg.h"
#include "text.h"
#include "util.h"

enum { OPT_EXIST_OK = OPT_CMD_FIRST, OPT_FROM, OPT_FTOK,
       OPT_HUGETLB };

struct create_opts {
	enum seg_kind kind;
	bool kind_set;
	unsigned int mode;
	bool exist_ok, hugetlb;
	const char *from, *ftok;
};

/* Largest segment we would try to create: the kernel refuses more. */
#define SIZE_LIMIT ((uint64_t)INT64_MAX)

static int size_arg(const char *s, uint64_t *out)
{
	int rc = parse_size(s, SIZE_LIMIT, out);

	if (rc == -ERANGE)
		return usage_error("invalid size '%s': too large", s);
	if (rc < 0)
		return usage_error("invalid size '%s': expected a number of "
				   "bytes and an optional unit: K, M, G, T, P, "
				   "E or KiB...EiB (powers of 1024), KB...EB "
				   "(powers of 1000), B", s);
	if (*out == 0)
		return usage_error("invalid size '%s': a segment cannot be "
				   "empty", s);
	return EXIT_OK;
}

/* Without SIZE, what --from may read of a FILE that is not a regular one
 * (a device, a pipe): /dev/zero never ends. */
#define FROM_MAX_UNSIZED (256ull << 20)

/*
 * Read --from FILE whole, so its size is known before anything is
 * created; never more than fits (SIZE, or the file's own size, or
 * FROM_MAX_UNSIZED for what has none): *too_big then.
 */
static int load_from(const char *path, uint64_t size, bool sized, char **buf,
		     size_t *len, bool *too_big, uint64_t *limit)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int rc;

	*too_big = false;
	if (fd < 0) {
		msg_errno(errno, "%s", path);
		return EXIT_FAIL;
	}
	if (sized)
		*limit = size;
	else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		*limit = (uint64_t)st.st_size > FROM_MAX_UNSIZED
				 ? (uint64_t)st.st_size : FROM_MAX_UNSIZED;
	else
		*limit = FROM_MAX_UNSIZED;
	if (*limit > SIZE_MAX / 4)
		*limit = SIZE_MAX / 4;
	rc = slurp_fd(fd, (size_t)*limit, buf, len);
	if (!is_stdin)
		close(fd);
	if (rc == -EFBIG || (rc == 0 && *len > *limit)) {
		if (rc == 0)
			free(*buf);
		*buf = NULL;
		*too_big = true;
		return EXIT_OK;
	}
	if (rc < 0) {
		msg_errno(-rc, "reading %s", is_stdin ? "standard input" : path);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void print_target(const struct segment *s)
{
	char esc[NAME_ESC_MAX];

	if (s->kind == SEG_SYSV) {
		printf("%d\n", s->shmid);
		return;
	}
	/* Escaped as ls and every message show it: a name may hold ESC
	 * or a newline. */
	name_escape(seg_name(s), esc, sizeof(esc));
	printf("/%s\n", esc);
}

static int report(const char *what, const struct create_req *req, int rc,
		  const struct segment *seg)
{
	switch (-rc) {
	case EFBIG:
		msg("%s: exists with size %llu, smaller than %llu", what,
		    (unsigned long long)seg->size,
		    (unsigned long long)req->size);
		break;
	case EEXIST:
		msg("%s: %s (use --exist-ok to accept it)", what,
		    strerror(EEXIST));
		break;
	case EINVAL:
		msg("%s: %s (size outside the kernel's limits, "
		    "see /proc/sys/kernel/shmmax)", what, strerror(EINVAL));
		break;
	case ENOMEM:
		/* Huge pages are reserved at shmget: no segment was made. */
		msg("%s: %s%s", what, strerror(ENOMEM),
		    req->hugetlb ? " (not enough free huge pages: see "
				   "HugePages_Free in /proc/meminfo "
				   "and /proc/sys/vm/nr_hugepages)"
				 : "");
		break;
	case EMEDIUMTYPE:
		msg("%s: exists and is not a shared memory segment", what);
		break;
	default:
		msg_errno(-rc, "%s", what);
		break;
	}
	return EXIT_FAIL;
}

static const struct cmd_option opts[] = {
	{ "posix", 0, NULL, OPT_POSIX,
	  "create a POSIX segment (a leading '/' implies it)" },
	{ "sysv", 0, NULL, OPT_SYSV,
	  "create a System V segment (no KEY: IPC_PRIVATE)" },
	{ "mode", 'm', "MODE", 'm',
	  "octal permissions (default 0600; the umask is ignored)" },
	{ "exist-ok", 0, NULL, OPT_EXIST_OK,
	  "succeed, untouched, if it exists and is large enough" },
	{ "from", 0, "FILE", OPT_FROM,
	  "copy FILE in; SIZE defaults to its size;\n"
	  "- is standard input (SIZE needed, no more read)" },
	{ "ftok", 0, "PATH[:PROJ]", OPT_FTOK,
	  "System V key from ftok(3) (PROJ 1-255, default 1)" },
	{ "hugetlb", 0, NULL, OPT_HUGETLB,
	  "System V: back it with huge pages (SHM_HUGETLB)" },
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_create_command = {
	"create", cmd_create, "create a segment",
	"create --posix /NAME SIZE [--mode MODE] [--exist-ok] [--from FILE]\n"
	"create --sysv [KEY] SIZE [--mode MODE] [--exist-ok] [--ftok PATH[:PROJ]]\n"
	"       [--hugetlb] [--from FILE]",
	opts,
	"Prints the new segment's TARGET. An existing segment is never changed.\n",
};
/* clang-format on */

/* What create was asked, once its words are parsed (usage errors only). */
struct create_args {
	struct create_opts o;
	struct create_req req;
	char name[NAME_MAX + 1];
	const char *size_s, *key_s;
	char ftok_path[4096];
	int proj;
};

/*
 * KEY: 0xHEX, key:K or ftok:PATH[:PROJ], as a TARGET writes a key.  A
 * bare decimal is refused: everywhere else it is a shmid, and `rm 1`
 * after `create --sysv 1 4K` would remove another segment.
 */
static int key_arg(struct create_args *a)
{
	const char *k = a->key_s;
	const char *d = k[0] == '-' ? k + 1 : k;
	int32_t v;
	int rc;

	if (strncmp(k, "ftok:", 5) == 0) {
		a->o.ftok = k + 5;	/* computed as --ftok is */
		return EXIT_OK;
	}
	if (*d && strspn(d, "0123456789") == strlen(d) &&
	    parse_key(k, &v) == 0 && v == IPC_PRIVATE)
		return usage_error("key 0 is IPC_PRIVATE: omit KEY for a "
				   "private segment");
	if (*d && strspn(d, "0123456789") == strlen(d) &&
	    parse_key(k, &v) == 0)
		return usage_error("invalid key '%s': a bare number is a "
				   "shmid to the other commands; write "
				   "key:%s or 0x%x", k, k, (uint32_t)v);
	rc = parse_key(strncmp(k, "key:", 4) == 0 ? k + 4 : k, &a->req.key);
	if (rc < 0 || (strncmp(k, "key:", 4) != 0 &&
		       !(k[0] == '0' && (k[1] == 'x' || k[1] == 'X'))))
		return usage_error("invalid key '%s': expected 0xHEX, key:K "
				   "(K 0xHEX or a 32-bit decimal) or "
				   "ftok:PATH[:PROJ]", k);
	if (a->req.key == IPC_PRIVATE)
		return usage_error("key 0 is IPC_PRIVATE: omit KEY for a "
				   "private segment");
	return EXIT_OK;
}

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int create_parse(int argc, char **argv, struct create_args *a)
{
	bool explicit_posix;
	int c, rc, nargs;

	memset(a, 0, sizeof(*a));
	a->o.mode = 0600;
	a->proj = 1;
	while ((c = command_getopt(&cmd_create_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_POSIX:
		case OPT_SYSV:
			rc = options_exclusive(
				"--posix", c == OPT_POSIX || (a->o.kind_set && a->o.kind == SEG_POSIX),
				"--sysv", c == OPT_SYSV || (a->o.kind_set && a->o.kind == SEG_SYSV));
			if (rc != EXIT_OK)
				return rc;
			a->o.kind = c == OPT_SYSV ? SEG_SYSV : SEG_POSIX;
			a->o.kind_set = true;
			break;
		case 'm':
			rc = parse_mode(optarg, &a->o.mode);
			if (rc < 0)
				return usage_error("invalid mode '%s': expected "
						   "octal permissions 0-0777",
						   optarg);
			break;
		case OPT_EXIST_OK:
			a->o.exist_ok = true;
			break;
		case OPT_FROM:
			a->o.from = optarg;
			break;
		case OPT_FTOK:
			a->o.ftok = optarg;
			break;
		case OPT_HUGETLB:
			a->o.hugetlb = true;
			break;
		default:
			rc = command_option(&cmd_create_command, c, argv, NULL);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	nargs = argc - optind;

	/* A leading slash says POSIX; anything else must say its kind. */
	explicit_posix = a->o.kind_set && a->o.kind == SEG_POSIX;
	if (!a->o.kind_set && nargs >= 1 && argv[optind][0] == '/') {
		a->o.kind = SEG_POSIX;
		a->o.kind_set = true;
	}
	if (!a->o.kind_set)
		return usage_error("say --posix /NAME or --sysv "
				   "(see 'shmtool create --help')");

	if (a->o.kind == SEG_POSIX) {
		if (a->o.ftok || a->o.hugetlb)
			return usage_error("%s is for System V segments",
					   a->o.hugetlb ? "--hugetlb" : "--ftok");
		if (nargs < 1)
			return usage_error("missing NAME");
		if (nargs > 2)
			return usage_error("too many arguments");
		rc = parse_posix_name(argv[optind], !explicit_posix, a->name);
		if (rc < 0) {
			char esc[NAME_ESC_MAX];

			name_escape(argv[optind], esc, sizeof(esc));
			return usage_error(
				"invalid name '%s': %s", esc,
				rc == -ERANGE ? "longer than 255 bytes"
				: is_semaphore_name(argv[optind] +
						    (argv[optind][0] == '/'))
					? "names beginning with 'sem.' are "
					  "POSIX semaphores"
					: "expected '/' and 1-255 bytes "
					  "without '/'");
		}
		a->req.name = a->name;
		a->size_s = nargs == 2 ? argv[optind + 1] : NULL;
	} else {
		if (nargs > 2)
			return usage_error("too many arguments");
		if (nargs == 2) {
			a->key_s = argv[optind];
			a->size_s = argv[optind + 1];
		} else if (nargs == 1) {
			a->size_s = argv[optind];
			/* "create --sysv 0x2695": a KEY, and the SIZE forgot */
			if (strncmp(a->size_s, "0x", 2) == 0 ||
			    strncmp(a->size_s, "key:", 4) == 0 ||
			    strncmp(a->size_s, "ftok:", 5) == 0)
				return usage_error("missing SIZE after the KEY "
						   "'%s'", a->size_s);
		}
		if (a->key_s && a->o.ftok)
			return usage_error("give a KEY or --ftok, not both");
		if (a->key_s) {
			rc = key_arg(a);
			if (rc != EXIT_OK)
				return rc;
		}
		if (a->o.ftok) {
			rc = parse_ftok_spec(a->o.ftok, a->ftok_path,
					     sizeof(a->ftok_path), &a->proj);
			if (rc < 0)
				return usage_error(
					"invalid %s '%s': expected "
					"%sPATH[:PROJ], PROJ 1-255",
					a->key_s ? "key" : "--ftok",
					a->key_s ? a->key_s : a->o.ftok,
					a->key_s ? "ftok:" : "");
		}
	}

	if (!a->size_s && !a->o.from)
		return usage_error("missing SIZE");
	if (!a->size_s && strcmp(a->o.from, "-") == 0)
		return usage_error("--from - needs a SIZE (standard input has "
				   "none to take)");
	if (a->size_s) {
		rc = size_arg(a->size_s, &a->req.size);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

static int create_run(struct create_args *a)
{
	struct segment seg = { 0 };
	char what[NAME_ESC_MAX + 8];
	char *data = NULL;
	size_t data_len = 0;
	bool created;
	int rc;

	if (a->o.ftok) {
		key_t k = ftok(a->ftok_path, a->proj);

		if (k == -1) {
			msg_errno(errno, "ftok %s", a->ftok_path);
			return EXIT_FAIL;
		}
		a->req.key = (int32_t)k;
	}
	if (a->o.from) {
		bool too_big;
		uint64_t limit;
		char lim[32];

		rc = load_from(a->o.from, a->req.size, a->size_s != NULL, &data,
			       &data_len, &too_big, &limit);
		if (rc != EXIT_OK)
			return rc;
		/* Input, not a word of the command line: a failure. */
		if (too_big && strcmp(a->o.from, "-") == 0) {
			msg("standard input has more than SIZE %llu bytes; "
			    "nothing was created",
			    (unsigned long long)a->req.size);
			return EXIT_FAIL;
		}
		if (too_big && a->size_s)
			return usage_error("%s does not fit in SIZE %llu", a->o.from,
					   (unsigned long long)a->req.size);
		if (too_big) {
			size_human(limit, lim, sizeof(lim));
			return usage_error("%s has more than %s and no end in "
					   "sight: give a SIZE", a->o.from, lim);
		}
		if (!a->size_s)
			a->req.size = data_len;
		if (data_len == 0 && !a->size_s) {
			free(data);
			return usage_error("%s is empty: give a SIZE", a->o.from);
		}
		if (data_len > a->req.size) {
			free(data);
			return usage_error("%s (%zu bytes) does not fit in "
					   "SIZE %llu", a->o.from, data_len,
					   (unsigned long long)a->req.size);
		}
		a->req.init = data;
		a->req.init_len = data_len;
	}
	a->req.mode = a->o.mode;
	a->req.exist_ok = a->o.exist_ok;
	a->req.hugetlb = a->o.hugetlb;

	if (a->o.kind == SEG_POSIX) {
		char esc[NAME_ESC_MAX];

		name_escape(a->name, esc, sizeof(esc));
		snprintf(what, sizeof(what), "/%s", esc);
	} else if (a->req.key) {
		snprintf(what, sizeof(what), "key 0x%08x", (uint32_t)a->req.key);
	} else {
		snprintf(what, sizeof(what), "IPC_PRIVATE");
	}

	rc = backend_for(a->o.kind)->create(&a->req, &seg, &created);
	free(data);
	if (rc < 0)
		return report(what, &a->req, rc, &seg);
	print_target(&seg);
	return EXIT_OK;
}

int cmd_create(int argc, char **argv)
{
	struct create_args a;
	int rc = create_parse(argc, argv, &a);

	return COMMAND_PARSE_RUN(rc, create_run(&a));
}
