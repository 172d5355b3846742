/*
 * Tests of the fonts module: loading the project's fontconfig file,
 * --font patterns (family, size, invalid text), coverage checks for
 * characters no font has, and text measurement.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "fonts.h"
#include "util.h"

#define FONT_DIR	ACTVIZ_SOURCE_DIR "/fonts"
#define TITLE_SIGMOID	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0" \
			":sigmoid"
#define MINUS_HALF	"\xe2\x88\x92" "0.5"	/* U+2212, then 0.5 */
#define U0378		"\xcd\xb8"	/* unassigned, so never covered */
#define U0379		"\xcd\xb9"	/* unassigned as well */
#define UNKNOWN_FAMILY	"No Such Family Xyz"
#define FIFO_LIMIT_MS	10000	/* rejecting the FIFO takes milliseconds */
#define LOADED		255	/* child's exit status: fonts loaded */

/* Fonts loaded once with the default family, shared by most tests. */
static int
fonts_setup(void **state)
{
	char	 err[512];

	*state = actviz_fonts_new(FONT_DIR, NULL, err, sizeof(err));
	if (*state == NULL) {
		print_error("%s\n", err);
		return -1;
	}
	return 0;
}

static int
fonts_teardown(void **state)
{
	actviz_fonts_free(*state);
	return 0;
}

/* Returns 1 when the system configuration lists a Noto Sans CJK SC. */
static int
have_noto_cjk(void)
{
	FcConfig	*config;
	FcPattern	*pat;
	FcObjectSet	*os;
	FcFontSet	*set;
	int		 found = 0;

	if ((config = FcInitLoadConfigAndFonts()) == NULL)
		return 0;
	pat = FcNameParse((const FcChar8 *)"Noto Sans CJK SC");
	os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
	if (pat != NULL && os != NULL &&
	    (set = FcFontList(config, pat, os)) != NULL) {
		found = set->nfont > 0;
		FcFontSetDestroy(set);
	}
	if (os != NULL)
		FcObjectSetDestroy(os);
	if (pat != NULL)
		FcPatternDestroy(pat);
	FcConfigDestroy(config);
	return found;
}

static void
new_default_pattern(void **state)
{
	struct actviz_fonts	*fonts = *state;

	assert_non_null(fonts);
	assert_non_null(actviz_fonts_context(fonts));
	tu_assert_near(actviz_fonts_size(fonts), 0, 0);
}

/* Text that must be fully covered when Noto Sans CJK is installed. */
static void
covered_text(void **state)
{
	static const char *const texts[] = {
		TITLE_SIGMOID, MINUS_HALF, "hard_sigmoid", "0.0123"
	};
	struct actviz_fonts	*fonts = *state;
	uint32_t		 missing[8];
	size_t			 i, n, found;

	if (!have_noto_cjk())
		skip();
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		n = 0;
		found = actviz_fonts_missing(fonts, texts[i], missing, 8, &n);
		if (found != 0 || n != 0)
			fail_msg("\"%s\": %zu characters missing, first "
			    "U+%04X", texts[i], n, (unsigned)missing[0]);
	}
}

static void
missing_found_once(void **state)
{
	struct actviz_fonts	*fonts = *state;
	uint32_t		 missing[8] = { 0 };
	size_t			 n = 0;

	assert_int_equal(actviz_fonts_missing(fonts, "a" U0378 "b", missing,
	    8, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(missing[0], 0x378);
}

static void
missing_repeats_once(void **state)
{
	struct actviz_fonts	*fonts = *state;
	uint32_t		 missing[8] = { 0 };
	size_t			 n = 0;

	assert_int_equal(actviz_fonts_missing(fonts,
	    U0378 "x" U0378 U0378 " " U0378, missing, 8, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(missing[0], 0x378);
	/* A second text adds nothing already listed. */
	assert_int_equal(actviz_fonts_missing(fonts, "a" U0378 "b", missing,
	    8, &n), 0);
	assert_int_equal(n, 1);
}

static void
missing_two_chars(void **state)
{
	struct actviz_fonts	*fonts = *state;
	uint32_t		 missing[8] = { 0 };
	size_t			 n = 0;

	assert_int_equal(actviz_fonts_missing(fonts, U0379 "a" U0378,
	    missing, 8, &n), 2);
	assert_int_equal(n, 2);
	assert_int_equal(missing[0], 0x379);
	assert_int_equal(missing[1], 0x378);
}

/* The list never grows past its capacity. */
static void
missing_capacity(void **state)
{
	struct actviz_fonts	*fonts = *state;
	uint32_t		 missing[2] = { 0, 0xdeadbeef };
	size_t			 n = 0;

	assert_int_equal(actviz_fonts_missing(fonts, U0378 U0379, missing,
	    1, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(missing[0], 0x378);
	assert_int_equal(missing[1], 0xdeadbeef);
}

static void
missing_none_in_ascii(void **state)
{
	struct actviz_fonts	*fonts = *state;
	uint32_t		 missing[8];
	size_t			 n = 0;

	assert_int_equal(actviz_fonts_missing(fonts, "x,y 0.5", missing, 8,
	    &n), 0);
	assert_int_equal(n, 0);
}

static void
measure_text(void **state)
{
	struct actviz_fonts	*fonts = *state;
	double			 w1, h1, w2, h2, w3, h3;

	actviz_fonts_measure(fonts, "sigmoid", 10, &w1, &h1);
	actviz_fonts_measure(fonts, "sigmoid", 20, &w2, &h2);
	actviz_fonts_measure(fonts, "sigmoid sigmoid", 10, &w3, &h3);
	assert_true(w1 > 0);
	assert_true(h1 > 0);
	tu_assert_near(w2, 2 * w1, 0.05 * w1);
	tu_assert_near(h3, h1, 1e-9);
	assert_true(w3 > 2 * w1);
}

/*
 * Glyph advances must keep their fractional part.  Pango 1.44 and later
 * round glyph positions to whole units by default (see
 * pango_context_set_round_glyph_positions()), and at 72 dpi a unit is
 * a point.  Eight 'i' at 9 pt are then set 16 pt wide instead of about
 * 19.8 pt, and letter spacing is uneven in every format.
 * At 900 pt the rounding error is a hundred times smaller relative to
 * the width, so a hundredth of that width is the reference.
 */
static void
measure_fractional(void **state)
{
	static const char *const texts[] = {
		"iiiiiiii", "sigmoid", MINUS_HALF, "hard_sigmoid"
	};
	struct actviz_fonts	*fonts = *state;
	double			 small, big, h;
	size_t			 i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		actviz_fonts_measure(fonts, texts[i], 9, &small, &h);
		actviz_fonts_measure(fonts, texts[i], 900, &big, &h);
		if (fabs(small - big / 100) > 0.02 * big / 100)
			fail_msg("\"%s\" at 9 pt is %g pt wide, expected %g "
			    "(a hundredth of its width at 900 pt) within 2%%",
			    texts[i], small, big / 100);
	}
}

static void
pattern_size(void **state)
{
	struct actviz_fonts	*fonts;
	char			 err[512];

	(void)state;
	fonts = actviz_fonts_new(FONT_DIR, ":size=12", err, sizeof(err));
	assert_non_null(fonts);
	tu_assert_near(actviz_fonts_size(fonts), 12, 1e-12);
	actviz_fonts_free(fonts);
	fonts = actviz_fonts_new(FONT_DIR, "sans-serif:size=7.5", err,
	    sizeof(err));
	assert_non_null(fonts);
	tu_assert_near(actviz_fonts_size(fonts), 7.5, 1e-12);
	actviz_fonts_free(fonts);
}

static void
pattern_unknown_family(void **state)
{
	struct actviz_fonts	*fonts;
	char			 err[512] = "";

	(void)state;
	errno = 0;
	fonts = actviz_fonts_new(FONT_DIR, UNKNOWN_FAMILY ":size=10", err,
	    sizeof(err));
	assert_null(fonts);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(err, "'" UNKNOWN_FAMILY "'"));
	assert_null(strchr(err, '\n'));
}

/* fontconfig 2.14 rejects a size that is not a number. */
static void
pattern_invalid(void **state)
{
	struct actviz_fonts	*fonts;
	char			 err[512] = "";

	(void)state;
	errno = 0;
	fonts = actviz_fonts_new(FONT_DIR, ":size=abc", err, sizeof(err));
	assert_null(fonts);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, ":size=abc"));
}

/* A folder without fonts.conf: the message names the file it lacks. */
static void
dir_without_conf(void **state)
{
	struct actviz_fonts	*fonts;
	char			 dir[PATH_MAX], conf[PATH_MAX + 16];
	char			 err[PATH_MAX + 512] = "";
	int			 saved;

	(void)state;
	assert_int_equal(tu_make_temp_dir(dir, sizeof(dir), "fonts"), 0);
	snprintf(conf, sizeof(conf), "%s/fonts.conf", dir);

	errno = 0;
	fonts = actviz_fonts_new(dir, NULL, err, sizeof(err));
	saved = errno;
	assert_int_equal(rmdir(dir), 0);
	assert_null(fonts);
	assert_int_equal(saved, EIO);
	if (strstr(err, conf) == NULL)
		fail_msg("message does not name %s: %s", conf, err);
}

/*
 * A fonts.conf that is a FIFO must be rejected unopened: fontconfig's
 * parser would block forever in open() waiting for a writer.  The call
 * runs in a child so that a regression fails this test instead of
 * hanging it.  The child's exit status is errno, or LOADED when the
 * fonts loaded.
 */
static void
dir_conf_fifo(void **state)
{
	struct actviz_fonts	*fonts;
	char			 dir[PATH_MAX], conf[PATH_MAX + 16];
	char			 err[PATH_MAX + 512] = "";
	int			 fds[2], status, code, killed;
	ssize_t			 len;
	pid_t			 pid;

	(void)state;
	assert_int_equal(tu_make_temp_dir(dir, sizeof(dir), "fonts"), 0);
	snprintf(conf, sizeof(conf), "%s/fonts.conf", dir);
	assert_int_equal(mkfifo(conf, 0644), 0);
	assert_int_equal(pipe(fds), 0);

	if ((pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		errno = 0;
		fonts = actviz_fonts_new(dir, NULL, err, sizeof(err));
		code = fonts != NULL ? LOADED : errno;
		/* A lost message fails the checks on err below. */
		if (write(fds[1], err, strlen(err)) == -1)
			code = LOADED;
		_exit(code);
	}
	close(fds[1]);
	killed = tu_wait_limit(pid, FIFO_LIMIT_MS, &status) == -1;
	len = read(fds[0], err, sizeof(err) - 1);
	close(fds[0]);
	err[len > 0 ? len : 0] = '\0';
	unlink(conf);
	rmdir(dir);

	if (killed)
		fail_msg("actviz_fonts_new() still running after %d ms: it "
		    "opened the FIFO %s", FIFO_LIMIT_MS, conf);
	assert_true(WIFEXITED(status));
	assert_int_not_equal(WEXITSTATUS(status), LOADED);
	assert_int_equal(WEXITSTATUS(status), EIO);
	if (strstr(err, conf) == NULL)
		fail_msg("message does not name %s: %s", conf, err);
	if (strstr(err, "not a regular file") == NULL)
		fail_msg("message lacks \"not a regular file\": %s", err);
}

static void
dir_missing(void **state)
{
	struct actviz_fonts	*fonts;
	const char		*dir = "/nonexistent/actviz-fonts";
	char			 err[512] = "";

	(void)state;
	errno = 0;
	fonts = actviz_fonts_new(dir, NULL, err, sizeof(err));
	assert_null(fonts);
	assert_int_equal(errno, EIO);
	assert_non_null(strstr(err, "/nonexistent/actviz-fonts/fonts.conf"));
	assert_non_null(strstr(err, "No such file or directory"));
}

/* $ACTVIZ_FONT_DIR, when set and not empty, names the font folder. */
static void
default_dir_env(void **state)
{
	char	 buf[PATH_MAX];
	char	*old = getenv("ACTVIZ_FONT_DIR");

	(void)state;
	if (old != NULL && (old = strdup(old)) == NULL)
		fail_msg("out of memory");
	assert_int_equal(setenv("ACTVIZ_FONT_DIR", "/some/fonts", 1), 0);
	assert_string_equal(actviz_fonts_default_dir(buf, sizeof(buf)),
	    "/some/fonts");
	assert_int_equal(setenv("ACTVIZ_FONT_DIR", "", 1), 0);
	assert_string_not_equal(actviz_fonts_default_dir(buf, sizeof(buf)),
	    "");
	if (old != NULL)
		setenv("ACTVIZ_FONT_DIR", old, 1);
	else
		unsetenv("ACTVIZ_FONT_DIR");
	free(old);
}

int
main(void)
{
	const struct CMUnitTest shared[] = {
		cmocka_unit_test(new_default_pattern),
		cmocka_unit_test(covered_text),
		cmocka_unit_test(missing_found_once),
		cmocka_unit_test(missing_repeats_once),
		cmocka_unit_test(missing_two_chars),
		cmocka_unit_test(missing_capacity),
		cmocka_unit_test(missing_none_in_ascii),
		cmocka_unit_test(measure_text),
		cmocka_unit_test(measure_fractional),
	};
	/* Runs first, before pango starts any worker thread, because a
	 * child forked while another thread holds a fontconfig or glib
	 * lock could block on that lock. */
	const struct CMUnitTest config[] = {
		cmocka_unit_test(dir_conf_fifo),
	};
	const struct CMUnitTest own[] = {
		cmocka_unit_test(pattern_size),
		cmocka_unit_test(pattern_unknown_family),
		cmocka_unit_test(pattern_invalid),
		cmocka_unit_test(dir_without_conf),
		cmocka_unit_test(dir_missing),
		cmocka_unit_test(default_dir_env),
	};
	int	 failed;

	failed = cmocka_run_group_tests_name("config", config, NULL, NULL);
	failed += cmocka_run_group_tests_name("shared fonts", shared,
	    fonts_setup, fonts_teardown);
	failed += cmocka_run_group_tests_name("patterns", own, NULL, NULL);
	return failed;
}
