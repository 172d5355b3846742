/*
 * Tests of the actviz program as a user runs it: exit status, the
 * message on stderr and the files left behind, for bad command lines,
 * failed work and successful runs.  Each test runs the built binary in
 * its own temporary folder and writes nowhere else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util.h"

#define ACTVIZ		ACTVIZ_SOURCE_DIR "/actviz"
#define DEJAVU_DIR	"/usr/share/fonts/truetype/dejavu"
#define MAX_ARGS	32
#define POOL_SIZE	16	/* paths a test can hold at once */
#define CSV_MAX_COLS	12
#define CSV_MAX_ROWS	256
#define KEEP_BYTES	"\x89PNG\r\n\x1a\n not a figure, kept as it is\n"
#define RUNS_FOR_RACE	10	/* repeats of a run that once failed
				   intermittently */
#define OLD_BYTES	"an old file, not a figure\n"
#define PNG_SIGNATURE	"\x89PNG\r\n\x1a\n"
#define RUN_LIMIT_MS	60000	/* longest wait for a polled run */
#define TEMP_PREFIX	".actviz-"	/* actviz's temporary files */

/*
 * Variables that change what actviz does.  They are removed from every
 * child's environment unless the test sets them, so the caller's
 * environment cannot change a result.
 */
static const char *const cleared_vars[] = {
	"SOURCE_DATE_EPOCH", "ACTVIZ_FONT_DIR", "FONTCONFIG_FILE",
	"FONTCONFIG_PATH", "LC_ALL", "LC_NUMERIC", "LANG", "LOCPATH", NULL
};

struct fixture {
	const void	*param;			/* table row, or NULL */
	char		 root[PATH_MAX];	/* the test's mkdtemp folder */
	char		 out[PATH_MAX];		/* root/out: outputs only */
	char		 pool[POOL_SIZE][PATH_MAX];
	size_t		 npool;
	struct tu_child	 p;			/* the last run */
};

static int
setup(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->param = *state;
	if (tu_make_temp_dir(f->root, sizeof(f->root), "cli") == -1) {
		free(f);
		return -1;
	}
	tu_format(f->out, sizeof(f->out), "%s/out", f->root);
	if (tu_child_init(&f->p, f->root, cleared_vars) == -1)
		goto fail;
	if (mkdir(f->out, 0755) == -1) {
		print_error("mkdir %s: %s\n", f->out, strerror(errno));
		goto fail;
	}
	*state = f;
	return 0;

fail:
	tu_remove_tree(f->root);
	free(f);
	return -1;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 rc;

	tu_child_free(&f->p);
	rc = tu_remove_tree(f->root);
	free(f);
	return rc;
}

/* Returns "folder/name" from the fixture's pool of paths. */
static const char *
join(struct fixture *f, const char *folder, const char *name)
{
	char	*buf;

	if (f->npool == POOL_SIZE)
		fail_msg("more than %d paths in one test", POOL_SIZE);
	buf = f->pool[f->npool++];
	tu_format(buf, PATH_MAX, "%s/%s", folder, name);
	return buf;
}

/*
 * Expands the first marker that table rows use for paths: "@out" is
 * the output folder, "@root" the test's folder.  Text without a marker
 * is returned as it is.
 */
static const char *
expand(struct fixture *f, const char *arg)
{
	const char	*at, *folder;
	char		*buf;
	size_t		 skip;

	if ((at = strstr(arg, "@out/")) != NULL) {
		folder = f->out;
		skip = 4;
	} else if ((at = strstr(arg, "@root/")) != NULL) {
		folder = f->root;
		skip = 5;
	} else
		return arg;
	if (f->npool == POOL_SIZE)
		fail_msg("more than %d paths in one test", POOL_SIZE);
	buf = f->pool[f->npool++];
	tu_format(buf, PATH_MAX, "%.*s%s%s", (int)(at - arg), arg, folder,
	    at + skip);
	return buf;
}

/*
 * Runs actviz with the NULL-terminated arguments after env, as
 * tu_child_run() runs a child, with its exit code and output in f->p.
 */
static void
run(struct fixture *f, const char *const *env, ...)
{
	char		*argv[MAX_ARGS + 2];
	const char	*arg;
	va_list		 ap;
	size_t		 n = 0;

	argv[n++] = (char *)ACTVIZ;
	va_start(ap, env);
	while ((arg = va_arg(ap, const char *)) != NULL && n <= MAX_ARGS)
		argv[n++] = (char *)arg;
	va_end(ap);
	argv[n] = NULL;
	tu_child_run(&f->p, env, argv);
}

/*
 * Fails unless stderr is exactly one "actviz: " line.  Copies that line
 * into buf.
 */
static void
one_message(const struct fixture *f, char *buf, size_t bufsz)
{
	const char	*line, *end;
	size_t		 len, nmsg = 0;

	buf[0] = '\0';
	for (line = f->p.err; *line != '\0'; line = end + (*end != '\0')) {
		end = line + strcspn(line, "\n");
		len = (size_t)(end - line);
		if (len >= 8 && strncmp(line, "actviz: ", 8) == 0) {
			nmsg++;
			snprintf(buf, bufsz, "%.*s", (int)len, line);
		} else
			fail_msg("unexpected line on stderr: %.*s", (int)len,
			    line);
	}
	if (nmsg != 1)
		fail_msg("%zu message lines on stderr, expected 1: %s", nmsg,
		    f->p.err);
}

static void
expect_message_has(const struct fixture *f, const char *word)
{
	char	 line[4096];

	one_message(f, line, sizeof(line));
	if (strstr(line, word) == NULL)
		fail_msg("message lacks \"%s\": %s", word, line);
}

/* Lists dir's entries (without . and ..) into names, returning how many. */
static size_t
list_dir(const char *path, char *names, size_t namesz)
{
	DIR		*dir;
	struct dirent	*de;
	size_t		 n = 0, len = 0;

	names[0] = '\0';
	if ((dir = opendir(path)) == NULL)
		fail_msg("opendir %s: %s", path, strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (len < namesz)
			len += (size_t)snprintf(names + len, namesz - len,
			    "%s%s", n > 0 ? " " : "", de->d_name);
		n++;
	}
	closedir(dir);
	return n;
}

static void
expect_empty_dir(const char *path)
{
	char	 names[1024];

	if (list_dir(path, names, sizeof(names)) != 0)
		fail_msg("%s should be empty but contains: %s", path, names);
}

static int
is_file(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Fails unless the folder at path contains exactly n entries. */
static void
expect_entries(const char *path, size_t n)
{
	char	 names[2048];
	size_t	 got;

	got = list_dir(path, names, sizeof(names));
	if (got != n)
		fail_msg("%s contains %zu entries, expected %zu: %s", path, got,
		    n, names);
}

/* Returns 1 when the folder at path contains a temporary actviz file. */
static int
has_temp(const char *path)
{
	DIR		*dir;
	struct dirent	*de;
	int		 found = 0;

	if ((dir = opendir(path)) == NULL)
		fail_msg("opendir %s: %s", path, strerror(errno));
	while (!found && (de = readdir(dir)) != NULL)
		found = strncmp(de->d_name, TEMP_PREFIX,
		    strlen(TEMP_PREFIX)) == 0;
	closedir(dir);
	return found;
}

/* Fails unless the file at path contains exactly the len bytes of want. */
static void
expect_bytes(const char *path, const char *want, size_t len)
{
	char	*data;
	size_t	 got;
	int	 same;

	data = tu_read_file(path, &got);
	same = got == len && memcmp(data, want, len) == 0;
	free(data);
	if (got != len)
		fail_msg("%s has %zu bytes, expected %zu", path, got, len);
	if (!same)
		fail_msg("%s changed", path);
}

/* Fails unless the file at path starts with the PNG signature. */
static void
expect_png(const char *path)
{
	char	*data;
	size_t	 len;
	int	 png;

	data = tu_read_file(path, &len);
	png = len > 8 && memcmp(data, PNG_SIGNATURE, 8) == 0;
	free(data);
	if (!png)
		fail_msg("%s (%zu bytes) is not a PNG file", path, len);
}

/* Bad command lines and environment values: status 2, no file. */
struct usage_case {
	const char	*args[3];	/* after -o x.png -o x.svg */
	const char	*env;		/* NAME=VALUE, or NULL */
	const char	*words[3];	/* the message contains each */
};

static const struct usage_case usage_cases[] = {
	{ { "-a", "linear,nosuch" }, NULL,
	    { "--activations linear,nosuch", "'nosuch'", "sigmoid" } },
	/* A newline in a value is escaped, so the message stays one line. */
	{ { "-a", "foo\nbar" }, NULL, { "foo\\x0abar" } },
	{ { "--x-range", "0x1:0x2" }, NULL, { "--x-range 0x1:0x2" } },
	{ { "-a", "x\xe0\x80\x8a" }, NULL, { "x\\xe0\\x80\\x8a" } },
	{ { "-a", "x\xc2\x9b" "2J" }, NULL, { "x\\xc2\\x9b" "2J" } },
	{ { "--title", "a\xc2\x85%s" }, NULL, { "control character" } },
	{ { "--data", "-" }, NULL, { "--data -", "standard output" } },
	{ { "--size", "13107x200", "--scale=2.5" }, NULL,
	    { "--scale 2.5", "32768x500" } },
	/* The size is checked on the untrained curves, before training. */
	{ { "--fit=1000000", "--size", "300x300" }, NULL,
	    { "--size 300x300", "too small" } },
	{ { "--scale", "40" }, NULL, { "--scale 40", "0.25 to 8" } },
	{ { "--size", "5000x100", "--scale=8" }, NULL,
	    { "--scale 8", "40000x800" } },
	{ { "--samples", "0" }, NULL, { "--samples 0" } },
	{ { "--samples", "abc" }, NULL, { "--samples abc" } },
	{ { "--x-range", "5:1" }, NULL, { "--x-range 5:1" } },
	{ { "--x-range", "nan:1" }, NULL, { "--x-range nan:1" } },
	{ { "--x-range", "1:inf" }, NULL, { "--x-range 1:inf" } },
	{ { "--size", "0x10" }, NULL, { "--size 0x10" } },
	{ { "--size", "40000x10" }, NULL, { "--size 40000x10" } },
	{ { "--size", "10x10" }, NULL, { "--size 10x10", "at least" } },
	{ { "--weights", "nan,0" }, NULL, { "--weights nan,0" } },
	{ { "--title", "%d %s" }, NULL, { "--title %d %s" } },
	{ { "-o", "@out/x.jpg" }, NULL, { "-o @out/x.jpg", ".png" } },
	{ { "--no-such-option" }, NULL, { "'--no-such-option'" } },
	{ { "--samples" }, NULL, { "'--samples'", "value" } },
	/* fontconfig 2.14 rejects a size that is not a number. */
	{ { "--font", ":size=abc" }, NULL, { "--font :size=abc" } },
	{ { NULL }, "SOURCE_DATE_EPOCH=abc", { "SOURCE_DATE_EPOCH=abc" } },
	{ { "--fit", "0" }, NULL, { "--fit 0" } },
	{ { "--fit", "abc" }, NULL, { "--fit abc" } },
	{ { "--lr", "0", "--fit=5" }, NULL, { "--lr 0" } },
	{ { "--lr", "nan", "--fit=5" }, NULL, { "--lr nan" } },
	{ { "--batch-size", "0", "--fit=5" }, NULL, { "--batch-size 0" } },
	{ { "--keras", "4" }, NULL, { "--keras 4" } },
	{ { "--lr", "0.1" }, NULL, { "--lr 0.1", "--fit EPOCHS" } },
	{ { "--history", "@out/h.csv" }, NULL,
	    { "--history @out/h.csv", "--fit EPOCHS" } },
	{ { "-a", "elu:beta=1" }, NULL, { "elu:beta=1", "'beta'", "alpha" } },
	{ { "-a", "elu:alpha=abc" }, NULL, { "elu:alpha=abc" } },
	/* With max(x) = -3, x + max(x) + 1 = x - 2 < 0 on all of -5:-3. */
	{ { "--fit", "5", "--x-range=-5:-3" }, NULL,
	    { "--fit 5", "undefined", "--x-range" } },
	{ { "--title", "\xff%s" }, NULL, { "--title", "UTF-8" } },
	{ { "--title", "\x01%s" }, NULL, { "--title", "U+0001" } },
	{ { "--font", ":size=0.01" }, NULL,
	    { "--font :size=0.01", "out of range" } },
	{ { "--font", ":size=1e7" }, NULL,
	    { "--font :size=1e7", "out of range" } },
	/* The range is one step between doubles near 1e6 (2^-33, about
	 * 1.2e-10), too little for 100 distinct samples. */
	{ { "--x-range", "999999.9999999999:1000000" }, NULL,
	    { "--x-range 999999.9999999999:1000000", "too narrow" } },
	{ { "--verbose=1" }, NULL, { "'--verbose'" } },
	{ { NULL }, "SOURCE_DATE_EPOCH=+5", { "SOURCE_DATE_EPOCH=+5" } },
	/* Two spellings of one file, against -o @out/x.png -o @out/x.svg. */
	{ { "--data", "@out/./x.svg" }, NULL,
	    { "@out/x.svg", "@out/./x.svg", "same file" } },
	{ { "-o", "@out/./x.png" }, NULL,
	    { "@out/x.png", "@out/./x.png", "same file" } },
	{ { "-o", "@out/../out/x.png" }, NULL,
	    { "@out/x.png", "@out/../out/x.png", "same file" } },
};

#define NUSAGE	(sizeof(usage_cases) / sizeof(usage_cases[0]))

static void
usage_error(void **state)
{
	struct fixture		*f = *state;
	const struct usage_case	*c = f->param;
	const char		*env[2] = { c->env, NULL };
	size_t			 i;

	run(f, env, "-o", join(f, f->out, "x.png"), "-o",
	    join(f, f->out, "x.svg"),
	    c->args[0] != NULL ? expand(f, c->args[0]) : NULL,
	    c->args[1] != NULL ? expand(f, c->args[1]) : NULL,
	    c->args[2] != NULL ? expand(f, c->args[2]) : NULL, NULL);
	tu_expect_status(&f->p, 2);
	for (i = 0; i < 3 && c->words[i] != NULL; i++)
		expect_message_has(f, expand(f, c->words[i]));
	expect_empty_dir(f->out);
}

static void
output_missing_folder(void **state)
{
	struct fixture	*f = *state;
	const char	*bad = join(f, f->root, "none/x.svg");

	run(f, NULL, "-o", join(f, f->out, "x.png"), "-o", bad, NULL);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, bad);
	expect_message_has(f, "No such file or directory");
	expect_empty_dir(f->out);
}

static void
output_readonly_folder(void **state)
{
	struct fixture	*f = *state;
	const char	*ro = join(f, f->root, "ro");
	const char	*bad = join(f, ro, "x.png");

	if (geteuid() == 0)
		skip();		/* root writes into a 0555 folder */
	assert_int_equal(mkdir(ro, 0555), 0);
	run(f, NULL, "-o", join(f, f->out, "x.svg"), "-o", bad, NULL);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, bad);
	expect_message_has(f, "Permission denied");
	expect_empty_dir(ro);
	expect_empty_dir(f->out);
}

static void
font_unknown_family(void **state)
{
	struct fixture	*f = *state;

	run(f, NULL, "-o", join(f, f->out, "x.png"), "-o",
	    join(f, f->out, "x.svg"), "--font", "No Such Family Xyz", NULL);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, "'No Such Family Xyz'");
	expect_empty_dir(f->out);
}

/* U+0378 is unassigned in Unicode, so no font has a glyph for it. */
static void
title_uncovered_char(void **state)
{
	struct fixture	*f = *state;

	run(f, NULL, "-o", join(f, f->out, "x.png"), "-o",
	    join(f, f->out, "x.svg"), "--title", "%s \xcd\xb8", NULL);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, "U+0378");
	expect_empty_dir(f->out);
}

/*
 * A failing run can abort at exit instead of returning 1: main() resets
 * cairo's caches while a pango worker thread may still hold the font
 * map.  That happens in some runs only, so the run is repeated.
 */
static void
title_uncovered_every_run(void **state)
{
	struct fixture	*f = *state;
	const char	*png = join(f, f->out, "x.png");
	int		 i;

	for (i = 0; i < RUNS_FOR_RACE; i++) {
		run(f, NULL, "-o", png, "-a", "linear", "--title",
		    "%s \xcd\xb8", NULL);
		if (f->p.status != 1)
			fail_msg("run %d of %d: exit status %d, expected 1; "
			    "stderr: %s", i + 1, RUNS_FOR_RACE, f->p.status,
			    f->p.err);
	}
	expect_empty_dir(f->out);
}

/*
 * With a fontconfig configuration that lists only DejaVu, which has no
 * Chinese, the default title cannot be drawn.  actviz must name the
 * first character of "激活函数" rather than draw boxes.
 */
static void
title_without_cjk_fonts(void **state)
{
	struct fixture	*f = *state;
	const char	*conf = join(f, f->root, "fonts.conf");
	char		 text[2 * PATH_MAX], env_conf[PATH_MAX + 32];
	const char	*env[2] = { env_conf, NULL };
	int		 len;

	if (!is_file(DEJAVU_DIR "/DejaVuSans.ttf"))
		skip();
	len = snprintf(text, sizeof(text), "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
	    "<fontconfig>\n  <dir>%s</dir>\n"
	    "  <cachedir>%s/fc-cache</cachedir>\n</fontconfig>\n",
	    DEJAVU_DIR, f->root);
	tu_write_file(conf, text, (size_t)len);
	snprintf(env_conf, sizeof(env_conf), "FONTCONFIG_FILE=%s", conf);

	run(f, env, "-o", join(f, f->out, "x.png"), "-o",
	    join(f, f->out, "x.pdf"), NULL);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, "U+6FC0");
	expect_empty_dir(f->out);
}

/*
 * A failing run that names an existing file beside a file it cannot
 * write must leave the existing file and its folder as they were.
 */
struct keep_case {
	const char	*args[4];	/* paths use the expand() prefixes */
	int		 needs_user;	/* skipped as root */
};

static const struct keep_case keep_cases[] = {
	{ { "-o", "@out/keep.png", "-o", "@root/none/x.svg" }, 0 },
	{ { "-o", "@root/none/x.svg", "-o", "@out/keep.png" }, 0 },
	{ { "-o", "@out/keep.png", "--data", "@root/none/x.csv" }, 0 },
	{ { "-o", "@out/keep.png", "-o", "@root/ro/x.svg" }, 1 },
	{ { "-o", "@out/keep.png", "--load-weights", "@root/none.json" }, 0 },
	{ { "-o", "@out/keep.png", "--save-weights", "@root/none/w.json" },
	    0 },
};

#define NKEEP	(sizeof(keep_cases) / sizeof(keep_cases[0]))

static void
failure_keeps_file(void **state)
{
	struct fixture		*f = *state;
	const struct keep_case	*c = f->param;
	const char		*keep = join(f, f->out, "keep.png");
	char			 names[1024], *data;
	size_t			 len, n;

	if (c->needs_user && geteuid() == 0)
		skip();		/* root writes into a 0555 folder */
	assert_int_equal(mkdir(join(f, f->root, "ro"), 0555), 0);
	tu_write_file(keep, KEEP_BYTES, sizeof(KEEP_BYTES) - 1);

	run(f, NULL, c->args[0], expand(f, c->args[1]), c->args[2],
	    expand(f, c->args[3]), "--title", "%s", NULL);
	tu_expect_status(&f->p, 1);
	data = tu_read_file(keep, &len);
	assert_int_equal(len, sizeof(KEEP_BYTES) - 1);
	assert_memory_equal(data, KEEP_BYTES, len);
	free(data);
	n = list_dir(f->out, names, sizeof(names));
	assert_string_equal(names, "keep.png");
	assert_int_equal(n, 1);
}

/*
 * An output path that names a folder or a FIFO.  The run fails before
 * writing anything: keep.png keeps its bytes, the folder or FIFO stays
 * what it was (a rename would have replaced it), and no other file
 * appears, temporary ones included.
 */
struct special_case {
	const char	*what;
	mode_t		 type;		/* S_IFDIR or S_IFIFO */
	const char	*name;		/* created in @out */
	const char	*args[4];	/* paths use the expand() prefixes */
	const char	*word;		/* the message contains it */
};

static const struct special_case special_cases[] = {
	{ "folder as -o", S_IFDIR, "d.svg",
	    { "-o", "@out/keep.png", "-o", "@out/d.svg" }, "is a folder" },
	{ "folder as --data", S_IFDIR, "d.png",
	    { "--data", "@out/d.png", "-o", "@out/y.svg" }, "is a folder" },
	{ "FIFO as -o", S_IFIFO, "p.png",
	    { "-o", "@out/keep.png", "-o", "@out/p.png" },
	    "not a regular file" },
	{ "FIFO as --data", S_IFIFO, "p.csv",
	    { "--data", "@out/p.csv", "-o", "@out/y.svg" },
	    "not a regular file" },
	{ "FIFO as --save-weights", S_IFIFO, "p.json",
	    { "--save-weights", "@out/p.json", "-o", "@out/y.svg" },
	    "not a regular file" },
};

#define NSPECIAL	(sizeof(special_cases) / sizeof(special_cases[0]))

static void
special_target(void **state)
{
	struct fixture			*f = *state;
	const struct special_case	*c = f->param;
	const char			*keep = join(f, f->out, "keep.png");
	const char			*special = join(f, f->out, c->name);
	struct stat			 st;

	tu_write_file(keep, KEEP_BYTES, sizeof(KEEP_BYTES) - 1);
	if (c->type == S_IFDIR)
		assert_int_equal(mkdir(special, 0755), 0);
	else
		assert_int_equal(mkfifo(special, 0644), 0);

	run(f, NULL, c->args[0], expand(f, c->args[1]), c->args[2],
	    expand(f, c->args[3]), "--title", "%s", NULL);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, special);
	expect_message_has(f, c->word);
	expect_bytes(keep, KEEP_BYTES, sizeof(KEEP_BYTES) - 1);
	assert_int_equal(lstat(special, &st), 0);
	assert_int_equal(st.st_mode & S_IFMT, c->type);
	expect_entries(f->out, 2);
}

/* -o through a symbolic link replaces the file it names, not the link. */
static void
output_through_link(void **state)
{
	struct fixture	*f = *state;
	const char	*real = join(f, f->out, "real.png");
	const char	*link = join(f, f->out, "link.png");
	char		 target[PATH_MAX];
	struct stat	 st;
	ssize_t		 len;

	tu_write_file(real, OLD_BYTES, sizeof(OLD_BYTES) - 1);
	assert_int_equal(symlink("real.png", link), 0);

	run(f, NULL, "-o", link, "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	len = readlink(link, target, sizeof(target) - 1);
	assert_int_equal(len, strlen("real.png"));
	target[len] = '\0';
	assert_string_equal(target, "real.png");
	expect_png(real);
	expect_entries(f->out, 2);
}

/* A replaced file keeps its permissions. */
static void
output_keeps_mode(void **state)
{
	struct fixture	*f = *state;
	const char	*png = join(f, f->out, "m.png");
	struct stat	 st;

	tu_write_file(png, OLD_BYTES, sizeof(OLD_BYTES) - 1);
	assert_int_equal(chmod(png, 0600), 0);

	run(f, NULL, "-o", png, "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	expect_png(png);
	assert_int_equal(stat(png, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

/* A new file gets 0666 less the umask, as open(2) would give it. */
static void
output_new_mode(void **state)
{
	struct fixture	*f = *state;
	const char	*png = join(f, f->out, "n.png");
	struct stat	 st;
	mode_t		 old;

	old = umask(027);
	run(f, NULL, "-o", png, "--title", "%s", NULL);
	umask(old);
	tu_expect_status(&f->p, 0);
	assert_int_equal(stat(png, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

/*
 * A 251-byte file name: the temporary file beside it must have a name
 * of its own that fits, not the target's name plus a suffix.
 */
static void
output_long_name(void **state)
{
	struct fixture	*f = *state;
	char		 name[252];
	const char	*png;

	memset(name, 'a', 247);
	memcpy(name + 247, ".png", 5);
	png = join(f, f->out, name);

	run(f, NULL, "-o", png, "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	assert_true(is_file(png));
	expect_entries(f->out, 1);
}

/* A title too wide for the largest figure is a command-line error. */
static void
title_too_wide(void **state)
{
	struct fixture	*f = *state;
	char		 title[1024];

	memset(title, 'W', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	run(f, NULL, "-o", join(f, f->out, "x.png"), "-o",
	    join(f, f->out, "x.svg"), "--title", title, NULL);
	tu_expect_status(&f->p, 2);
	expect_message_has(f, "more than the largest size");
	expect_empty_dir(f->out);
}

/*
 * A fontconfig configuration with no font folder at all: no character
 * of the title is covered, and actviz names the first one rather than
 * drawing boxes.
 */
static void
fontconfig_without_fonts(void **state)
{
	struct fixture	*f = *state;
	const char	*conf = join(f, f->root, "empty.conf");
	char		 text[2 * PATH_MAX], env_conf[PATH_MAX + 32];
	const char	*env[2] = { env_conf, NULL };
	int		 len;

	len = snprintf(text, sizeof(text), "<?xml version=\"1.0\"?>\n"
	    "<fontconfig>\n  <cachedir>%s/cache</cachedir>\n"
	    "</fontconfig>\n", f->root);
	tu_write_file(conf, text, (size_t)len);
	tu_format(env_conf, sizeof(env_conf), "FONTCONFIG_FILE=%s", conf);

	run(f, env, "-o", join(f, f->out, "x.png"), "-o",
	    join(f, f->out, "x.pdf"), NULL);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, "no available font covers");
	expect_message_has(f, "U+6FC0");
	expect_empty_dir(f->out);
}

/*
 * Under a file-size limit a write fails with EFBIG.  actviz must report
 * it and exit 1, not be killed by SIGXFSZ, and remove its temporary
 * file.  /bin/sh is dash on Debian, whose ulimit -f counts 512-byte
 * blocks (bash counts 1024-byte blocks), so the limit is 2 or 4 KB.  The
 * PDF written here measured 15.7 KB, so writing it fails.
 */
static void
file_size_limit(void **state)
{
	struct fixture	*f = *state;
	const char	*pdf = join(f, f->out, "big.pdf");
	const char	*png = join(f, f->out, "big.png");
	char		*argv[] = { (char *)"/bin/sh", (char *)"-c",
			    (char *)"ulimit -f 4; exec \"$0\" \"$@\"",
			    (char *)ACTVIZ, (char *)"-o", (char *)pdf,
			    (char *)"-o", (char *)png, (char *)"--title",
			    (char *)"%s", NULL };

	tu_child_run(&f->p, NULL, argv);
	tu_expect_status(&f->p, 1);
	expect_message_has(f, pdf);
	expect_message_has(f, "File too large");
	expect_empty_dir(f->out);
}

/*
 * A signal that is ignored when actviz starts (nohup ignores SIGHUP)
 * must stay ignored, so the run finishes and writes both files.  SIGHUP
 * is sent as soon as a temporary file shows that writing has begun,
 * which is after actviz sets its handlers.  A fixed delay would not do:
 * this run took 0.18 s on a 2-core x86-64 machine, so the signal might
 * come after the end.
 */
static void
ignored_hup_kept(void **state)
{
	struct fixture	*f = *state;
	const char	*png = join(f, f->out, "s.png");
	const char	*pdf = join(f, f->out, "s.pdf");
	char		*argv[] = { (char *)ACTVIZ, (char *)"--size",
			    (char *)"4000x4000", (char *)"-o", (char *)png,
			    (char *)"-o", (char *)pdf, (char *)"--title",
			    (char *)"%s", NULL };
	struct timespec	 tick = { 0, 1000 * 1000 };
	int		 status, waited;
	pid_t		 pid;

	pid = tu_child_start(&f->p, NULL, argv, 1);
	for (waited = 0; !has_temp(f->out); waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			tu_child_collect(&f->p, tu_exit_code(status));
			fail_msg("actviz ended with status %d before a "
			    "temporary file appeared, so no SIGHUP was sent; "
			    "stderr: %s", f->p.status, f->p.err);
		}
		if (waited == RUN_LIMIT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("no temporary file in %s after %d ms", f->out,
			    RUN_LIMIT_MS);
		}
		nanosleep(&tick, NULL);
	}
	assert_int_equal(kill(pid, SIGHUP), 0);
	if (tu_wait_limit(pid, RUN_LIMIT_MS, &status) == -1)
		fail_msg("actviz still running %d ms after SIGHUP; killed",
		    RUN_LIMIT_MS);
	tu_child_collect(&f->p, tu_exit_code(status));
	tu_expect_status(&f->p, 0);
	assert_string_equal(f->p.err, "");
	assert_true(is_file(png));
	assert_true(is_file(pdf));
	expect_entries(f->out, 2);
}

static void
figure_all_formats(void **state)
{
	struct fixture	*f = *state;
	const char	*files[] = { "a.png", "a.svg", "a.pdf" };
	char		 names[1024];
	struct stat	 st;
	size_t		 i;

	run(f, NULL, "-o", join(f, f->out, files[0]), "-o",
	    join(f, f->out, files[1]), "-o", join(f, f->out, files[2]),
	    NULL);
	tu_expect_status(&f->p, 0);
	assert_string_equal(f->p.out, "");
	assert_string_equal(f->p.err, "");
	for (i = 0; i < 3; i++) {
		assert_int_equal(stat(join(f, f->out, files[i]), &st), 0);
		assert_true(st.st_size > 0);
	}
	/* Only the three figures: no temporary file stays behind. */
	assert_int_equal(list_dir(f->out, names, sizeof(names)), 3);
}

static void
verbose_names_files(void **state)
{
	struct fixture	*f = *state;
	const char	*png = join(f, f->out, "v.png");
	char		 want[PATH_MAX + 32];

	run(f, NULL, "-v", "-o", png, "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	snprintf(want, sizeof(want), "actviz: wrote %s\n", png);
	assert_string_equal(f->p.err, want);
	assert_string_equal(f->p.out, "");
}

static void
help_exit_status(void **state)
{
	struct fixture	*f = *state;

	run(f, NULL, "--help", NULL);
	tu_expect_status(&f->p, 0);
	assert_non_null(strstr(f->p.out, "Exit status"));
	assert_non_null(strstr(f->p.out, "--x-range"));
	assert_string_equal(f->p.err, "");
	expect_empty_dir(f->out);
}

static void
version_one_line(void **state)
{
	struct fixture	*f = *state;
	size_t		 len;

	run(f, NULL, "--version", NULL);
	tu_expect_status(&f->p, 0);
	len = strlen(f->p.out);
	assert_true(strncmp(f->p.out, "actviz ", 7) == 0);
	assert_true(len > 8);
	assert_int_equal(f->p.out[len - 1], '\n');
	assert_ptr_equal(strchr(f->p.out, '\n'), f->p.out + len - 1);
	assert_string_equal(f->p.err, "");
}

/* Parsed CSV: the header line and every row's numbers. */
struct csv {
	char	 header[256];
	size_t	 ncols;
	size_t	 nrows;
	double	 v[CSV_MAX_ROWS][CSV_MAX_COLS];
	char	 first[CSV_MAX_COLS][64];	/* row 0's fields as text */
};

/* Parses one row of numbers and fails the test on any bad field. */
static void
parse_row(struct csv *csv, const char *line, size_t len)
{
	char	 buf[1024], *field, *next, *end;
	size_t	 col = 0;

	if (len >= sizeof(buf))
		fail_msg("CSV row %zu too long", csv->nrows + 1);
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (field = buf; field != NULL; field = next) {
		if ((next = strchr(field, ',')) != NULL)
			*next++ = '\0';
		if (col == csv->ncols)
			fail_msg("CSV row %zu has more than %zu fields: %s",
			    csv->nrows + 1, csv->ncols, line);
		errno = 0;
		csv->v[csv->nrows][col] = strtod(field, &end);
		if (*field == '\0' || *end != '\0' || errno != 0)
			fail_msg("CSV row %zu field %zu is not a number: '%s'",
			    csv->nrows + 1, col + 1, field);
		if (csv->nrows == 0)
			tu_format(csv->first[col], sizeof(csv->first[col]),
			    "%s", field);
		col++;
	}
	if (col != csv->ncols)
		fail_msg("CSV row %zu has %zu fields, expected %zu",
		    csv->nrows + 1, col, csv->ncols);
	csv->nrows++;
}

/* Reads path as CSV.  This process keeps the C locale, so strtod()
 * accepts only '.' as the decimal point. */
static void
read_csv(const char *path, struct csv *csv)
{
	char		*text;
	const char	*line, *end;
	size_t		 len;

	memset(csv, 0, sizeof(*csv));
	text = tu_read_file(path, NULL);
	end = text + strcspn(text, "\n");
	len = (size_t)(end - text);
	snprintf(csv->header, sizeof(csv->header), "%.*s", (int)len, text);
	csv->ncols = 1;
	for (line = text; line < end; line++)
		csv->ncols += *line == ',';
	if (csv->ncols > CSV_MAX_COLS)
		fail_msg("CSV header has %zu columns", csv->ncols);
	for (line = end + (*end != '\0'); *line != '\0';
	    line = end + (*end != '\0')) {
		end = line + strcspn(line, "\n");
		if (csv->nrows == CSV_MAX_ROWS)
			fail_msg("CSV has more than %d rows", CSV_MAX_ROWS);
		parse_row(csv, line, (size_t)(end - line));
	}
	free(text);
}

/* Counts the significant digits of a decimal number's text. */
static int
sig_digits(const char *s)
{
	int	 n = 0, leading = 1;

	for (; *s != '\0' && *s != 'e' && *s != 'E'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s == '0' && leading)
			continue;
		leading = 0;
		n++;
	}
	return n;
}

static double
sigmoid(double z)
{
	return 1.0 / (1.0 + exp(-z));
}

/* Fails unless got is within tol of want (cmocka 1.1.5 has only
 * float comparisons). */
static void
expect_near(double got, double want, double tol, const char *what,
    size_t row)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s, row %zu: %.17g, expected %.17g within %g", what,
		    row + 1, got, want, tol);
}

/* Names carry changed parameters in their shortest exact form, and a
 * repeat gets #2, in CSV columns and -v lines alike. */
static void
data_names_unique(void **state)
{
	struct fixture	*f = *state;
	const char	*csv_path = join(f, f->out, "n.csv");
	struct csv	 csv;

	run(f, NULL, "-a", "leaky_relu:negative_slope=0.1,elu:alpha=0.3,elu",
	    "--data", csv_path, "--fit", "1", "-v", "-o",
	    join(f, f->out, "n.png"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	read_csv(csv_path, &csv);
	assert_string_equal(csv.header,
	    "x,leaky_relu:negative_slope=0.1,elu:alpha=0.3,elu");
	assert_non_null(strstr(f->p.err,
	    "actviz: leaky_relu:negative_slope=0.1: epoch 1/1"));
	assert_non_null(strstr(f->p.err, "actviz: elu:alpha=0.3: epoch"));
	assert_non_null(strstr(f->p.err, "actviz: elu: epoch"));
}

/* A failed run that would have written out/ leaves no empty out/. */
static void
failed_run_no_out_folder(void **state)
{
	struct fixture	*f = *state;
	struct stat	 st;

	/* The fixture's out/ is the default one too: start without it. */
	assert_int_equal(rmdir(f->out), 0);
	run(f, NULL, "--size", "10x10", NULL);
	tu_expect_status(&f->p, 2);
	assert_int_equal(stat(f->out, &st), -1);
	assert_int_equal(mkdir(f->out, 0755), 0);
}

/* --scale limits only PNG pixels, so an SVG-only run may exceed them. */
static void
scale_ignored_without_png(void **state)
{
	struct fixture	*f = *state;

	run(f, NULL, "-a", "linear", "--samples", "2", "--size", "20000x300",
	    "--scale", "2", "-o", join(f, f->out, "w.svg"), "--title", "%s",
	    NULL);
	tu_expect_status(&f->p, 0);
	assert_true(is_file(join(f, f->out, "w.svg")));
}

/* Repeated activations get distinct weight-file keys. */
static void
repeat_names_saved(void **state)
{
	struct fixture	*f = *state;
	const char	*json_path = join(f, f->out, "r.json");
	char		*json;

	run(f, NULL, "-a", "elu,elu", "--save-weights", json_path, "-o",
	    join(f, f->out, "r.png"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	json = tu_read_file(json_path, NULL);
	assert_non_null(strstr(json, "\"elu\""));
	assert_non_null(strstr(json, "\"elu#2\""));
	free(json);
}

static void
four_activations(void **state)
{
	struct fixture	*f = *state;
	const char	*csv_path = join(f, f->out, "c.csv");
	struct csv	 csv;

	run(f, NULL, "-a", "linear,sigmoid,tanh,elu", "--data", csv_path,
	    "-o", join(f, f->out, "f.png"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	assert_true(is_file(join(f, f->out, "f.png")));
	read_csv(csv_path, &csv);
	assert_string_equal(csv.header, "x,linear,sigmoid,tanh,elu");
	assert_int_equal(csv.nrows, 100);
}

static void
data_csv_values(void **state)
{
	struct fixture	*f = *state;
	const char	*csv_path = join(f, f->out, "c.csv");
	struct csv	*csv;
	size_t		 i;

	/* Latin titles keep the CSV tests independent of CJK fonts. */
	run(f, NULL, "-a", "linear,sigmoid", "--data", csv_path, "-o",
	    join(f, f->out, "c.svg"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	csv = malloc(sizeof(*csv));
	assert_non_null(csv);
	read_csv(csv_path, csv);
	assert_string_equal(csv->header, "x,linear,sigmoid");
	assert_int_equal(csv->nrows, 100);
	expect_near(csv->v[0][0], -5.0, 1e-12, "first x", 0);
	expect_near(csv->v[99][0], 4.9, 1e-12, "last x", 99);
	for (i = 0; i < csv->nrows; i++) {
		expect_near(csv->v[i][1], csv->v[i][0], 0, "linear", i);
		expect_near(csv->v[i][2], sigmoid(csv->v[i][0]),
		    1e-9 * sigmoid(csv->v[i][0]), "sigmoid", i);
	}
	/* sigmoid(-5) = 0.0066928509242848554 has no short form. */
	assert_in_range(sig_digits(csv->first[2]), 9, 17);
	free(csv);
}

/*
 * Compiles de_DE.UTF-8, whose decimal separator is ',', into the test
 * folder with localedef.  Returns 0, or -1 when localedef is missing
 * or fails; the run then relies on an installed de_DE.UTF-8, if any.
 */
static int
make_locale(struct fixture *f, const char *dir)
{
	static const char *const bins[] = {
		"/usr/bin/localedef", "/usr/sbin/localedef", NULL
	};
	char	*argv[7];
	size_t	 i;

	for (i = 0; bins[i] != NULL && !is_file(bins[i]); i++)
		continue;
	if (bins[i] == NULL || mkdir(dir, 0755) == -1)
		return -1;
	argv[0] = (char *)bins[i];
	argv[1] = (char *)"-i";
	argv[2] = (char *)"de_DE";
	argv[3] = (char *)"-f";
	argv[4] = (char *)"UTF-8";
	argv[5] = (char *)join(f, dir, "de_DE.UTF-8");
	argv[6] = NULL;
	tu_child_run(&f->p, NULL, argv);
	return f->p.status == 0 ? 0 : -1;
}

static void
data_csv_locale(void **state)
{
	struct fixture	*f = *state;
	const char	*c_csv = join(f, f->out, "c.csv");
	const char	*de_csv = join(f, f->out, "de.csv");
	const char	*locdir = join(f, f->root, "locale");
	char		 locpath[PATH_MAX + 16], *a, *b;
	const char	*env[4] = { "LC_ALL=de_DE.UTF-8",
			    "LC_NUMERIC=de_DE.UTF-8", NULL, NULL };
	struct csv	*csv;

	if (make_locale(f, locdir) == 0) {
		snprintf(locpath, sizeof(locpath), "LOCPATH=%s", locdir);
		env[2] = locpath;
	}
	run(f, NULL, "-a", "linear,sigmoid", "--data", c_csv, "-o",
	    join(f, f->out, "c.png"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	run(f, env, "-a", "linear,sigmoid", "--data", de_csv, "-o",
	    join(f, f->out, "de.png"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);

	csv = malloc(sizeof(*csv));
	assert_non_null(csv);
	read_csv(de_csv, csv);
	assert_int_equal(csv->ncols, 3);
	assert_int_equal(csv->nrows, 100);
	assert_non_null(strchr(csv->first[2], '.'));
	free(csv);
	a = tu_read_file(c_csv, NULL);
	b = tu_read_file(de_csv, NULL);
	assert_string_equal(b, a);
	free(a);
	free(b);
}

static void
weights_fixed_values(void **state)
{
	struct fixture	*f = *state;
	const char	*csv_path = join(f, f->out, "w.csv");
	struct csv	*csv;
	size_t		 i;
	double		 x;

	run(f, NULL, "-a", "sigmoid", "--weights", "0.37,-0.25", "--data",
	    csv_path, "-o", join(f, f->out, "w.png"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	csv = malloc(sizeof(*csv));
	assert_non_null(csv);
	read_csv(csv_path, csv);
	assert_string_equal(csv->header, "x,sigmoid");
	assert_int_equal(csv->nrows, 100);
	for (i = 0; i < csv->nrows; i++) {
		x = csv->v[i][0];
		expect_near(csv->v[i][1], sigmoid(0.37 * x - 0.25), 1e-9,
		    "sigmoid(0.37x - 0.25)", i);
	}
	free(csv);
}

/* Runs --weights init with seed into the CSV file name; returns it. */
static char *
init_csv(struct fixture *f, const char *seed, const char *name)
{
	const char	*csv_path = join(f, f->out, name);

	run(f, NULL, "--weights", "init", "--seed", seed, "--data",
	    csv_path, "-o", join(f, f->out, "i.svg"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	return tu_read_file(csv_path, NULL);
}

static void
weights_init_seeded(void **state)
{
	struct fixture	*f = *state;
	char		*first, *again, *other;

	first = init_csv(f, "7", "seed7.csv");
	again = init_csv(f, "7", "seed7-again.csv");
	other = init_csv(f, "8", "seed8.csv");
	assert_true(strlen(first) > 0);
	assert_string_equal(again, first);
	assert_string_not_equal(other, first);
	free(first);
	free(again);
	free(other);
}

/*
 * Failed work: status 1, one message, and no file written.  json, when
 * not NULL, is written to @root/w.json first.
 */
struct work_case {
	const char	*what;
	const char	*json;
	const char	*args[4];	/* paths use the expand() prefixes */
	const char	*words[3];	/* the message contains each */
};

static const struct work_case work_cases[] = {
	{ "load missing file", NULL, { "--load-weights", "@root/w.json" },
	    { "--load-weights @root/w.json", "No such file or directory" } },
	{ "load malformed JSON", "{\"Hidden\": ",
	    { "--load-weights", "@root/w.json" },
	    { "--load-weights @root/w.json", "invalid JSON" } },
	{ "load wrong shape",
	    "{\"Hidden\": {\"kernel\": [[0.5, 1]], \"bias\": [0]}}",
	    { "--load-weights", "@root/w.json" },
	    { "--load-weights @root/w.json", "Hidden.kernel[0]" } },
	{ "fit diverges", NULL, { "-a", "linear", "--fit=5", "--lr=1000" },
	    { "--fit 5", "linear", "diverged" } },
	{ "save missing folder", NULL,
	    { "--save-weights", "@root/none/w.json" },
	    { "@root/none/w.json", "No such file or directory" } },
	/* With -v, training would print a line per epoch: the single
	 * message shows the path was checked before any training. */
	{ "save checked first", NULL,
	    { "--fit=100000", "-v", "--save-weights", "@root/none/w.json" },
	    { "@root/none/w.json", "No such file or directory" } },
	{ "stdout as output", NULL, { "--save-weights", "/dev/stdout" },
	    { "/dev/stdout", "open stream" } },
	{ "font checked first", NULL,
	    { "--fit=1000000", "-v", "--font", "No Such Family Xyz" },
	    { "No Such Family Xyz" } },
	{ "values too large", NULL,
	    { "-a", "exponential", "--x-range", "0:709.7" },
	    { "exponential", "too large to plot" } },
};

#define NWORK	(sizeof(work_cases) / sizeof(work_cases[0]))

static void
work_error(void **state)
{
	struct fixture		*f = *state;
	const struct work_case	*c = f->param;
	const char		*args[4];
	size_t			 i;

	if (c->json != NULL)
		tu_write_file(join(f, f->root, "w.json"), c->json,
		    strlen(c->json));
	for (i = 0; i < 4; i++)
		args[i] = c->args[i] != NULL ? expand(f, c->args[i]) : NULL;
	run(f, NULL, "-o", join(f, f->out, "x.png"), "--title", "%s",
	    args[0], args[1], args[2], args[3], NULL);
	tu_expect_status(&f->p, 1);
	for (i = 0; i < 3 && c->words[i] != NULL; i++)
		expect_message_has(f, expand(f, c->words[i]));
	expect_empty_dir(f->out);
}

/* --derivative adds d_sigmoid, which is sigmoid (1 - sigmoid). */
static void
derivative_data(void **state)
{
	struct fixture	*f = *state;
	const char	*csv_path = join(f, f->out, "d.csv");
	struct csv	*csv;
	double		 s;
	size_t		 i;

	run(f, NULL, "-a", "sigmoid", "--derivative", "--data", csv_path,
	    "-o", join(f, f->out, "d.svg"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	csv = malloc(sizeof(*csv));
	assert_non_null(csv);
	read_csv(csv_path, csv);
	assert_string_equal(csv->header, "x,sigmoid,d_sigmoid");
	assert_int_equal(csv->nrows, 100);
	for (i = 0; i < csv->nrows; i++) {
		s = csv->v[i][1];
		expect_near(csv->v[i][2], s * (1.0 - s), 1e-9,
		    "d_sigmoid", i);
	}
	free(csv);
}

/*
 * Returns root's layer.key[row][0] (a kernel entry), or layer.key[0]
 * (a bias entry) when row is negative.  Fails when it is missing.
 */
static double
json_weight(json_object *root, const char *layer, const char *key,
    int row)
{
	json_object	*obj, *arr;

	if (!json_object_object_get_ex(root, layer, &obj) ||
	    !json_object_object_get_ex(obj, key, &arr))
		fail_msg("no %s.%s in the saved weights", layer, key);
	if (row >= 0)
		arr = json_object_array_get_idx(arr, (size_t)row);
	arr = json_object_array_get_idx(arr, 0);
	if (!json_object_is_type(arr, json_type_double) &&
	    !json_object_is_type(arr, json_type_int))
		fail_msg("%s.%s holds no number", layer, key);
	return json_object_get_double(arr);
}

/*
 * Reference values for the recipe's sigmoid model from kernel 0.5 and
 * bias 0, trained for 5 epochs with lr 0.01, batch 32 and no shuffling:
 * first epoch loss 1.30077, and the final weights below.
 */
static void
fit_known_answer(void **state)
{
	struct fixture	*f = *state;
	const char	*start = join(f, f->root, "start.json");
	const char	*end = join(f, f->out, "end.json");
	const char	*hist = join(f, f->out, "h.csv");
	const char	*json = "{\"Hidden\": {\"kernel\": [[0.5]], "
			    "\"bias\": [0]}, \"Output\": {\"kernel\": [[1]], "
			    "\"bias\": [0]}}\n";
	json_object	*root;
	struct csv	*csv;
	char		*text;

	tu_write_file(start, json, strlen(json));
	run(f, NULL, "-a", "sigmoid", "--load-weights", start, "--fit", "5",
	    "--no-shuffle", "--history", hist, "--save-weights", end, "-o",
	    join(f, f->out, "x.png"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	assert_string_equal(f->p.err, "");

	csv = malloc(sizeof(*csv));
	assert_non_null(csv);
	read_csv(hist, csv);
	assert_string_equal(csv->header, "epoch,loss");
	assert_int_equal(csv->nrows, 5);
	assert_string_equal(csv->first[0], "1");
	expect_near(csv->v[0][1], 1.30077, 1e-5, "loss", 0);
	free(csv);

	text = tu_read_file(end, NULL);
	root = json_tokener_parse(text);
	free(text);
	assert_non_null(root);
	expect_near(json_weight(root, "Hidden", "kernel", 0), 0.558424, 1e-6,
	    "Hidden kernel", 0);
	expect_near(json_weight(root, "Hidden", "bias", -1), 0.0600315, 1e-6,
	    "Hidden bias", 0);
	expect_near(json_weight(root, "Output", "kernel", 0), 1.246662, 1e-6,
	    "Output kernel", 0);
	expect_near(json_weight(root, "Output", "bias", -1), 0.365689, 1e-6,
	    "Output bias", 0);
	json_object_put(root);
}

static void
history_two_curves(void **state)
{
	struct fixture	*f = *state;
	const char	*hist = join(f, f->out, "h.csv");
	struct csv	*csv;
	size_t		 i;

	run(f, NULL, "-a", "sigmoid,tanh", "--fit", "2", "--history", hist,
	    "-o", join(f, f->out, "x.svg"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	csv = malloc(sizeof(*csv));
	assert_non_null(csv);
	read_csv(hist, csv);
	assert_string_equal(csv->header, "epoch,loss_sigmoid,loss_tanh");
	assert_int_equal(csv->nrows, 2);
	for (i = 0; i < 2; i++) {
		expect_near(csv->v[i][0], (double)(i + 1), 0, "epoch", i);
		assert_true(csv->v[i][1] > 0.0);
		assert_true(csv->v[i][2] > 0.0);
	}
	free(csv);
}

/* Counts the lines of text that start with prefix. */
static size_t
count_lines(const char *text, const char *prefix)
{
	const char	*line;
	size_t		 n = 0, len = strlen(prefix);

	for (line = text; *line != '\0'; line += strcspn(line, "\n"),
	    line += *line == '\n') {
		if (strncmp(line, prefix, len) == 0)
			n++;
	}
	return n;
}

/* -v reports each epoch of each curve once, then the file. */
static void
verbose_epochs(void **state)
{
	struct fixture	*f = *state;
	static const char *const acts[] = { "sigmoid", "tanh" };
	char		 prefix[64];
	size_t		 a, e;

	run(f, NULL, "-v", "-a", "sigmoid,tanh", "--fit", "3", "-o",
	    join(f, f->out, "x.svg"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	assert_string_equal(f->p.out, "");
	for (a = 0; a < 2; a++) {
		for (e = 1; e <= 3; e++) {
			snprintf(prefix, sizeof(prefix),
			    "actviz: %s: epoch %zu/3: loss ", acts[a], e);
			if (count_lines(f->p.err, prefix) != 1)
				fail_msg("expected one line \"%s...\" on "
				    "stderr: %s", prefix, f->p.err);
		}
	}
	assert_int_equal(count_lines(f->p.err, "actviz: "), 7);
	assert_int_equal(count_lines(f->p.err, "actviz: wrote "), 1);
}

/* One value read from --data at a grid point of -2, -1, 0, 1, 2. */
struct curve_case {
	const char	*what;
	const char	*keras;
	const char	*act;		/* as -a takes it */
	double		 x;
	int		 column;	/* 1: the curve, 2: its derivative */
	double		 want;
};

static const struct curve_case curve_cases[] = {
	/* Keras 3: relu6(x + 3) / 6; Keras 2: clip(0.2x + 0.5, 0, 1). */
	{ "hard_sigmoid keras 3", "3", "hard_sigmoid", 1.0, 1,
	    1.0 / 6.0 + 0.5 },
	{ "hard_sigmoid keras 2", "2", "hard_sigmoid", 1.0, 1, 0.7 },
	{ "leaky_relu keras 3", "3", "leaky_relu", -1.0, 1, -0.2 },
	{ "leaky_relu keras 3 slope", "3", "leaky_relu", -1.0, 2, 0.2 },
	{ "leaky_relu keras 2", "2", "leaky_relu", -1.0, 1, -0.3 },
	{ "leaky_relu keras 2 slope", "2", "leaky_relu", -1.0, 2, 0.3 },
	{ "elu alpha 0.5", "2", "elu:alpha=0.5", -1.0, 1,
	    0.5 * -0.63212055882855767 },
	{ "elu alpha 0.5 slope", "2", "elu:alpha=0.5", -1.0, 2,
	    0.5 * 0.36787944117144233 },
};

#define NCURVE	(sizeof(curve_cases) / sizeof(curve_cases[0]))

static void
curve_value(void **state)
{
	struct fixture		*f = *state;
	const struct curve_case	*c = f->param;
	const char		*csv_path = join(f, f->out, "k.csv");
	char			 name[64], header[160];
	struct csv		*csv;
	size_t			 i;

	run(f, NULL, "--keras", c->keras, "-a", c->act, "--derivative",
	    "--x-range", "-2:2", "--samples", "5", "--data", csv_path, "-o",
	    join(f, f->out, "k.svg"), "--title", "%s", NULL);
	tu_expect_status(&f->p, 0);
	csv = malloc(sizeof(*csv));
	assert_non_null(csv);
	read_csv(csv_path, csv);
	/* A column is named as the activation was given, parameters
	 * that differ from the defaults included. */
	snprintf(name, sizeof(name), "%s", c->act);
	snprintf(header, sizeof(header), "x,%s,d_%s", name, name);
	assert_string_equal(csv->header, header);
	assert_int_equal(csv->nrows, 5);
	for (i = 0; i < csv->nrows && csv->v[i][0] != c->x; i++)
		continue;
	if (i == csv->nrows)
		fail_msg("no row for x = %g", c->x);
	expect_near(csv->v[i][c->column], c->want, 1e-9, c->what, i);
	free(csv);
}

/* Fails unless text has a line that starts with prefix and contains
 * word. */
static void
expect_line(const char *text, const char *prefix, const char *word)
{
	const char	*line;
	char		 buf[512];
	size_t		 len;

	for (line = text; *line != '\0'; line += len + (line[len] == '\n')) {
		len = strcspn(line, "\n");
		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (strncmp(buf, prefix, strlen(prefix)) == 0 &&
		    strstr(buf, word) != NULL)
			return;
	}
	fail_msg("no line starting \"%s\" with \"%s\" in:\n%s", prefix, word,
	    text);
}

static void
list_table(void **state)
{
	struct fixture	*f = *state;

	run(f, NULL, "--list", NULL);
	tu_expect_status(&f->p, 0);
	assert_string_equal(f->p.err, "");
	expect_line(f->p.out, "gelu ", "0.5x(1 + erf(x / sqrt(2)))");
	expect_line(f->p.out, "silu, swish ", "x * sigmoid(x)");
	expect_line(f->p.out, "hard_sigmoid ", "clip(0.2x + 0.5, 0, 1)");
	expect_line(f->p.out, "leaky_relu ", "negative_slope=0.3");
	expect_line(f->p.out, "elu ", "alpha=1");
	expect_empty_dir(f->out);

	run(f, NULL, "--keras", "3", "--list", NULL);
	tu_expect_status(&f->p, 0);
	expect_line(f->p.out, "hard_sigmoid ", "relu6(x + 3) / 6");
	expect_line(f->p.out, "leaky_relu ", "negative_slope=0.2");
}

/*
 * Copies a test name, writing each byte outside printable ASCII as
 * \xNN so that bad UTF-8 or control characters in a table row's
 * arguments do not reach the test log.
 */
static void
escape_name(char *buf, size_t bufsz, const char *name)
{
	const unsigned char	*p;
	size_t			 len = 0;

	for (p = (const unsigned char *)name; *p != '\0' && len + 5 < bufsz;
	    p++) {
		if (*p >= 0x20 && *p < 0x7f)
			buf[len++] = (char)*p;
		else
			len += (size_t)snprintf(buf + len, bufsz - len,
			    "\\x%02x", *p);
	}
	buf[len] = '\0';
}

/* Builds the named test list: one entry per table row, then the rest. */
int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test_setup_teardown(output_missing_folder,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(output_readonly_folder,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(font_unknown_family,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(title_uncovered_char,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(title_uncovered_every_run,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(title_without_cjk_fonts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(figure_all_formats,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(verbose_names_files,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(help_exit_status,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(version_one_line,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(data_names_unique,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(repeat_names_saved,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(failed_run_no_out_folder,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(scale_ignored_without_png,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(four_activations,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(data_csv_values,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(data_csv_locale,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(weights_fixed_values,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(weights_init_seeded,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(derivative_data,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(fit_known_answer,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(history_two_curves,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(verbose_epochs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(list_table,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(output_through_link,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(output_keeps_mode,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(output_new_mode,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(output_long_name,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(title_too_wide,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(fontconfig_without_fonts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(file_size_limit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(ignored_hup_kept,
		    setup, teardown),
	};
#define NFIXED	(sizeof(fixed) / sizeof(fixed[0]))
#define NTABLE	(NUSAGE + NKEEP + NWORK + NCURVE + NSPECIAL)
	struct CMUnitTest	 tests[NTABLE + NFIXED];
	char			 names[NTABLE][128], raw[128];
	const struct usage_case	*u;
	const struct keep_case	*k;
	size_t			 i, n = 0;

	for (i = 0; i < NUSAGE; i++, n++) {
		u = &usage_cases[i];
		snprintf(raw, sizeof(raw), "usage %s%s%s%s%s",
		    u->env != NULL ? u->env : u->args[0],
		    u->args[1] != NULL ? " " : "",
		    u->args[1] != NULL ? u->args[1] : "",
		    u->args[2] != NULL ? " " : "",
		    u->args[2] != NULL ? u->args[2] : "");
		escape_name(names[n], sizeof(names[n]), raw);
		tests[n] = (struct CMUnitTest){ names[n], usage_error, setup,
		    teardown, (void *)u };
	}
	for (i = 0; i < NKEEP; i++, n++) {
		k = &keep_cases[i];
		snprintf(names[n], sizeof(names[n]), "keep %s %s %s %s",
		    k->args[0], k->args[1], k->args[2], k->args[3]);
		tests[n] = (struct CMUnitTest){ names[n], failure_keeps_file,
		    setup, teardown, (void *)k };
	}
	for (i = 0; i < NWORK; i++, n++) {
		snprintf(names[n], sizeof(names[n]), "work %s",
		    work_cases[i].what);
		tests[n] = (struct CMUnitTest){ names[n], work_error, setup,
		    teardown, (void *)&work_cases[i] };
	}
	for (i = 0; i < NSPECIAL; i++, n++) {
		snprintf(names[n], sizeof(names[n]), "target %s",
		    special_cases[i].what);
		tests[n] = (struct CMUnitTest){ names[n], special_target,
		    setup, teardown, (void *)&special_cases[i] };
	}
	for (i = 0; i < NCURVE; i++, n++) {
		snprintf(names[n], sizeof(names[n]), "curve %s",
		    curve_cases[i].what);
		tests[n] = (struct CMUnitTest){ names[n], curve_value, setup,
		    teardown, (void *)&curve_cases[i] };
	}
	for (i = 0; i < NFIXED; i++)
		tests[n++] = fixed[i];
	/* cmocka_run_group_tests() needs an array of fixed size. */
	return _cmocka_run_group_tests("cli", tests, n, NULL, NULL);
}
