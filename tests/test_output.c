/*
 * Tests of the rendered figure: the PNG, SVG and PDF files the actviz
 * binary writes (signatures, sizes, metadata, text and fonts, checked
 * with poppler-utils), byte-identical repeats under SOURCE_DATE_EPOCH,
 * and pixels of a figure drawn in-process onto a cairo image surface.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include "cli.h"
#include "fonts.h"
#include "layout.h"
#include "recipe.h"
#include "render.h"
#include "util.h"

#define ACTVIZ		ACTVIZ_SOURCE_DIR "/actviz"
#define FONT_DIR	ACTVIZ_SOURCE_DIR "/fonts"
#define EPOCH		"SOURCE_DATE_EPOCH=1700000000"
#define EPOCH_DATE	"Tue Nov 14 22:13:20 2023"	/* 1700000000 UTC */
#define MAX_ARGS	32
#define DARK_MAX	0x50	/* channels of a frame pixel, at most */
#define LIGHT_MIN	0xc0	/* channels of background or grid, at least */
#define CURVE_TOL	0x10	/* per channel, curve colour match */
#define MIN_CURVE_PX	100	/* curve-coloured pixels in one panel */

static const char *const cleared_vars[] = {
	"SOURCE_DATE_EPOCH", "ACTVIZ_FONT_DIR", "FONTCONFIG_FILE",
	"FONTCONFIG_PATH", "TZ", NULL
};

static const char *const titles_pdf[] = {
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:linear",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:softmax",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:sigmoid",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:tanh",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:softsign",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:hard_sigmoid",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:softplus",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:selu",
	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:elu",
};

#define NTITLES	(sizeof(titles_pdf) / sizeof(titles_pdf[0]))

struct fixture {
	char		 root[PATH_MAX];	/* the test's mkdtemp folder */
	char		 path[PATH_MAX];	/* scratch for one path */
	struct tu_child	 p;			/* the last run */
};

static int
setup(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (tu_make_temp_dir(f->root, sizeof(f->root), "output") == -1) {
		free(f);
		return -1;
	}
	if (tu_child_init(&f->p, f->root, cleared_vars) == -1) {
		tu_remove_tree(f->root);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
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

/* Returns root/name in the fixture's scratch buffer. */
static const char *
in_root(struct fixture *f, const char *name)
{
	tu_format(f->path, sizeof(f->path), "%s/%s", f->root, name);
	return f->path;
}

/* Finds name in $PATH and returns 0 with its path in buf, or -1. */
static int
find_program(const char *name, char *buf, size_t bufsz)
{
	const char	*path = getenv("PATH"), *dir, *end;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (dir = path; *dir != '\0'; dir = end + (*end != '\0')) {
		end = dir + strcspn(dir, ":");
		if (end > dir && snprintf(buf, bufsz, "%.*s/%s",
		    (int)(end - dir), dir, name) < (int)bufsz &&
		    access(buf, X_OK) == 0)
			return 0;
	}
	return -1;
}

/*
 * Runs program (a name looked up in $PATH, or an absolute path) with the
 * NULL-terminated arguments as tu_child_run() runs a child, in the test's
 * folder with its output captured into f->p.  env adds NAME=VALUE
 * strings.
 */
static void
run(struct fixture *f, const char *const *env, const char *program, ...)
{
	char		 exe[PATH_MAX], *argv[MAX_ARGS + 2];
	const char	*arg;
	va_list		 ap;
	size_t		 n = 0;

	if (program[0] == '/')
		tu_format(exe, sizeof(exe), "%s", program);
	else if (find_program(program, exe, sizeof(exe)) == -1)
		fail_msg("%s not found in PATH", program);
	argv[n++] = exe;
	va_start(ap, program);
	while ((arg = va_arg(ap, const char *)) != NULL && n <= MAX_ARGS)
		argv[n++] = (char *)arg;
	va_end(ap);
	argv[n] = NULL;
	tu_child_run(&f->p, env, argv);
}

/* Returns 1 when fc-list, run as a child, lists a font for pattern. */
static int
fonts_listed(struct fixture *f, const char *pattern)
{
	char	 exe[PATH_MAX];

	if (find_program("fc-list", exe, sizeof(exe)) == -1)
		return 0;
	run(f, NULL, "fc-list", pattern, "family", NULL);
	return f->p.status == 0 && f->p.out[0] != '\0';
}

/*
 * Skips the test when no font covers Chinese, because actviz then
 * rightly fails on the default titles.
 */
static void
need_cjk(struct fixture *f)
{
	if (!fonts_listed(f, ":lang=zh-cn"))
		skip();
}

/* Writes the three formats as root/NAME.png, .svg, .pdf. */
static void
render_files(struct fixture *f, const char *name, const char *size)
{
	const char	*env[] = { EPOCH, NULL };
	char		 png[PATH_MAX], svg[PATH_MAX], pdf[PATH_MAX];

	tu_format(png, sizeof(png), "%s/%s.png", f->root, name);
	tu_format(svg, sizeof(svg), "%s/%s.svg", f->root, name);
	tu_format(pdf, sizeof(pdf), "%s/%s.pdf", f->root, name);
	if (size != NULL)
		run(f, env, ACTVIZ, "-o", png, "-o", svg, "-o", pdf,
		    "--size", size, NULL);
	else
		run(f, env, ACTVIZ, "-o", png, "-o", svg, "-o", pdf, NULL);
	tu_expect_status(&f->p, 0);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Checks the PNG signature and that IHDR comes first with w x h. */
static void
expect_png(const char *path, uint32_t w, uint32_t h)
{
	static const unsigned char sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	unsigned char	*data;
	size_t		 len;

	data = (unsigned char *)tu_read_file(path, &len);
	assert_true(len >= 33);
	assert_memory_equal(data, sig, sizeof(sig));
	assert_int_equal(be32(data + 8), 13);
	assert_memory_equal(data + 12, "IHDR", 4);
	assert_int_equal(be32(data + 16), w);
	assert_int_equal(be32(data + 20), h);
	free(data);
}

static void
expect_svg(const char *path, const char *width, const char *height)
{
	char	*data;

	data = tu_read_file(path, NULL);
	assert_true(strncmp(data, "<?xml", 5) == 0);
	assert_non_null(strstr(data, width));
	assert_non_null(strstr(data, height));
	free(data);
}

static void
png_svg_default_size(void **state)
{
	struct fixture	*f = *state;
	char		 path[PATH_MAX];

	need_cjk(f);
	render_files(f, "a", NULL);
	tu_format(path, sizeof(path), "%s/a.png", f->root);
	expect_png(path, 960, 900);
	tu_format(path, sizeof(path), "%s/a.svg", f->root);
	expect_svg(path, "width=\"960pt\"", "height=\"900pt\"");
}

/* --scale 2 doubles the PNG's pixels and leaves the SVG's size alone. */
static void
png_scale_two(void **state)
{
	struct fixture	*f = *state;
	const char	*env[] = { EPOCH, NULL };
	char		 png[PATH_MAX], svg[PATH_MAX];

	need_cjk(f);
	tu_format(png, sizeof(png), "%s/x.png", f->root);
	tu_format(svg, sizeof(svg), "%s/x.svg", f->root);
	run(f, env, ACTVIZ, "-o", png, "-o", svg, "--scale", "2", NULL);
	tu_expect_status(&f->p, 0);
	expect_png(png, 1920, 1800);
	expect_svg(svg, "width=\"960pt\"", "height=\"900pt\"");
}

static void
png_svg_custom_size(void **state)
{
	struct fixture	*f = *state;
	char		 path[PATH_MAX];

	need_cjk(f);
	render_files(f, "s", "600x500");
	tu_format(path, sizeof(path), "%s/s.png", f->root);
	expect_png(path, 600, 500);
	tu_format(path, sizeof(path), "%s/s.svg", f->root);
	expect_svg(path, "width=\"600pt\"", "height=\"500pt\"");
	run(f, NULL, "pdfinfo", in_root(f, "s.pdf"), NULL);
	tu_expect_status(&f->p, 0);
	assert_non_null(strstr(f->p.out, "Page size:       600 x 500 pts"));
}

static void
repeat_identical_bytes(void **state)
{
	struct fixture	*f = *state;
	static const char *const exts[] = { "png", "svg", "pdf" };
	char		 one[PATH_MAX], two[PATH_MAX], *a, *b;
	size_t		 alen, blen, i;

	need_cjk(f);
	render_files(f, "one", NULL);
	render_files(f, "two", NULL);
	for (i = 0; i < 3; i++) {
		tu_format(one, sizeof(one), "%s/one.%s", f->root, exts[i]);
		tu_format(two, sizeof(two), "%s/two.%s", f->root, exts[i]);
		a = tu_read_file(one, &alen);
		b = tu_read_file(two, &blen);
		if (alen != blen || memcmp(a, b, alen) != 0)
			fail_msg("%s and %s differ (%zu and %zu bytes)", one,
			    two, alen, blen);
		free(a);
		free(b);
	}
}

static void
pdf_info_date_size(void **state)
{
	struct fixture	*f = *state;
	const char	*env[] = { "TZ=UTC", NULL };
	const char	*line;

	need_cjk(f);
	render_files(f, "a", NULL);
	run(f, env, "pdfinfo", in_root(f, "a.pdf"), NULL);
	tu_expect_status(&f->p, 0);
	line = strstr(f->p.out, "CreationDate:");
	assert_non_null(line);
	line += strlen("CreationDate:");
	line += strspn(line, " ");
	assert_true(strncmp(line, EPOCH_DATE, strlen(EPOCH_DATE)) == 0);
	assert_non_null(strstr(f->p.out, "Page size:       960 x 900 pts"));
	assert_non_null(strstr(f->p.out, "Pages:           1\n"));
}

static void
pdf_text_titles(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	need_cjk(f);
	render_files(f, "a", NULL);
	run(f, NULL, "pdftotext", in_root(f, "a.pdf"), "-", NULL);
	tu_expect_status(&f->p, 0);
	for (i = 0; i < NTITLES; i++)
		if (strstr(f->p.out, titles_pdf[i]) == NULL)
			fail_msg("pdftotext lacks \"%s\": %s", titles_pdf[i],
			    f->p.out);
}

/*
 * Returns 1 when a pdffonts row names a font containing family and
 * its "emb" column is "yes".  Rows end with emb, sub, uni, object
 * number and generation, so emb is the fifth field from the end.
 */
static int
font_embedded(const char *listing, const char *family)
{
	const char	*line, *end;
	char		 row[512], *field[32], *save;
	size_t		 n;

	for (line = listing; *line != '\0'; line = end + (*end != '\0')) {
		end = line + strcspn(line, "\n");
		if ((size_t)(end - line) >= sizeof(row))
			continue;
		memcpy(row, line, (size_t)(end - line));
		row[end - line] = '\0';
		if (strstr(row, family) == NULL)
			continue;
		n = 0;
		for (field[n] = strtok_r(row, " ", &save);
		    field[n] != NULL && n + 1 < 32;
		    field[n] = strtok_r(NULL, " ", &save))
			n++;
		if (n >= 6 && strcmp(field[n - 5], "yes") == 0)
			return 1;
	}
	return 0;
}

static void
pdf_fonts_embedded(void **state)
{
	struct fixture	*f = *state;

	if (!fonts_listed(f, ":family=Noto Sans CJK SC"))
		skip();
	render_files(f, "a", NULL);
	run(f, NULL, "pdffonts", in_root(f, "a.pdf"), NULL);
	tu_expect_status(&f->p, 0);
	if (!font_embedded(f->p.out, "NotoSansCJK"))
		fail_msg("no embedded NotoSansCJK font: %s", f->p.out);
}

/* A figure drawn in-process with the default options. */
struct figure {
	struct actviz_opts	 opts;
	struct actviz_style	 style;
	struct actviz_fonts	*fonts;
	struct actviz_curves	*curves;
	struct actviz_layout	*layout;
	char			*titles[ACTVIZ_MAX_CURVES];
	cairo_surface_t		*surface;
	cairo_status_t		 status;	/* of actviz_render_draw() */
};

static void
figure_free(struct figure *g)
{
	size_t	 i;

	if (g->surface != NULL)
		cairo_surface_destroy(g->surface);
	actviz_layout_free(g->layout);
	for (i = 0; i < ACTVIZ_MAX_CURVES; i++)
		free(g->titles[i]);
	actviz_curves_free(g->curves);
	actviz_fonts_free(g->fonts);
	free(g);
}

/* Builds what main() builds, then draws it as raster output. */
static int
figure_setup(void **state)
{
	struct figure	*g;
	char		 err[512], buf[1024];
	cairo_t		*cr;
	size_t		 i;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return -1;
	*state = g;
	actviz_opts_defaults(&g->opts);
	actviz_style_defaults(&g->style);
	g->fonts = actviz_fonts_new(FONT_DIR, NULL, err, sizeof(err));
	if (g->fonts == NULL) {
		print_error("fonts: %s\n", err);
		return -1;
	}
	g->curves = actviz_curves_compute(g->opts.acts, g->opts.nacts,
	    g->opts.xmin, g->opts.xmax, g->opts.samples, &g->opts.weights);
	if (g->curves == NULL)
		return -1;
	for (i = 0; i < g->curves->ncurves; i++) {
		if (actviz_cli_title(buf, sizeof(buf), g->opts.title,
		    g->curves->acts[i]->name) == -1 ||
		    (g->titles[i] = strdup(buf)) == NULL)
			return -1;
	}
	g->layout = actviz_layout_new(&g->style, g->curves,
	    (const char *const *)g->titles, NULL, actviz_render_measure,
	    g->fonts, NULL);
	if (g->layout == NULL)
		return -1;
	g->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    (int)g->style.width, (int)g->style.height);
	cr = cairo_create(g->surface);
	g->status = actviz_render_draw(cr, g->layout, g->curves, &g->style,
	    g->fonts, 1);
	cairo_destroy(cr);
	cairo_surface_flush(g->surface);
	return 0;
}

static int
figure_teardown(void **state)
{
	if (*state != NULL)
		figure_free(*state);
	return 0;
}

/* Returns the pixel at (x, y) as 0xRRGGBB. */
static uint32_t
pixel(const struct figure *g, int x, int y)
{
	unsigned char	*data = cairo_image_surface_get_data(g->surface);
	int		 stride = cairo_image_surface_get_stride(g->surface);
	uint32_t	 v;

	if (x < 0 || y < 0 || x >= cairo_image_surface_get_width(g->surface)
	    || y >= cairo_image_surface_get_height(g->surface))
		fail_msg("pixel (%d, %d) is outside the image", x, y);
	memcpy(&v, data + (size_t)y * (size_t)stride + (size_t)x * 4,
	    sizeof(v));
	return v & 0xffffff;
}

static int
channel(uint32_t rgb, int shift)
{
	return (int)((rgb >> shift) & 0xff);
}

static void
expect_dark(const struct figure *g, int x, int y)
{
	uint32_t	 v = pixel(g, x, y);

	if (channel(v, 16) > DARK_MAX || channel(v, 8) > DARK_MAX ||
	    channel(v, 0) > DARK_MAX)
		fail_msg("pixel (%d, %d) is %06x, expected a dark frame",
		    x, y, (unsigned)v);
}

static void
expect_light(const struct figure *g, int x, int y)
{
	uint32_t	 v = pixel(g, x, y);

	if (channel(v, 16) < LIGHT_MIN || channel(v, 8) < LIGHT_MIN ||
	    channel(v, 0) < LIGHT_MIN)
		fail_msg("pixel (%d, %d) is %06x, expected background or "
		    "grid", x, y, (unsigned)v);
}

/* Mirrors render.c's mapping of data values to points. */
static double
plot_y(const struct actviz_panel *p, double v)
{
	return p->plot.y + p->plot.h -
	    (v - p->y.min) / (p->y.max - p->y.min) * p->plot.h;
}

static double
plot_x(const struct actviz_panel *p, double v)
{
	return p->plot.x + (v - p->x.min) / (p->x.max - p->x.min) * p->plot.w;
}

static void
draw_status(void **state)
{
	struct figure	*g = *state;

	assert_int_equal(g->status, CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_surface_status(g->surface),
	    CAIRO_STATUS_SUCCESS);
}

/*
 * The left frame edge of the first panel (linear) must be one dark
 * pixel column with light pixels on both sides.  The row lies halfway
 * between the two highest y ticks, away from grid lines, tick marks
 * and the curve, which runs from bottom left to top right.
 */
/*
 * At 1.5 pixels per pt the 1 pt frame is rounded to 2 whole pixels on a
 * pixel edge: two dark columns with light ones on either side.
 */
static void
frame_crisp_scaled(void **state)
{
	struct figure			 scaled = *(struct figure *)*state;
	const struct actviz_panel	*p = &scaled.layout->panels[0];
	cairo_t				*cr;
	double				 px = 1.5;
	int				 x, y;

	scaled.surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    (int)(scaled.style.width * px), (int)(scaled.style.height * px));
	cr = cairo_create(scaled.surface);
	cairo_scale(cr, px, px);
	assert_int_equal(actviz_render_draw(cr, scaled.layout, scaled.curves,
	    &scaled.style, scaled.fonts, px), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_flush(scaled.surface);

	x = (int)lround(p->plot.x * px);
	y = (int)lround((p->plot.y + p->plot.h / 2) * px);
	expect_light(&scaled, x - 2, y);
	expect_dark(&scaled, x - 1, y);
	expect_dark(&scaled, x, y);
	expect_light(&scaled, x + 1, y);
	cairo_surface_destroy(scaled.surface);
}

static void
frame_left_crisp(void **state)
{
	struct figure			*g = *state;
	const struct actviz_panel	*p = &g->layout->panels[0];
	size_t				 n = p->y.nticks;
	int				 x, y;

	assert_true(n >= 2);
	x = (int)floor(p->plot.x);
	y = (int)floor((plot_y(p, p->y.ticks[n - 1]) +
	    plot_y(p, p->y.ticks[n - 2])) / 2);
	expect_dark(g, x, y);
	expect_light(g, x - 1, y);
	expect_light(g, x + 1, y);
}

/* The same for the top edge, halfway between the first two x ticks. */
static void
frame_top_crisp(void **state)
{
	struct figure			*g = *state;
	const struct actviz_panel	*p = &g->layout->panels[0];
	int				 x, y;

	assert_true(p->x.nticks >= 2);
	x = (int)floor((plot_x(p, p->x.ticks[0]) +
	    plot_x(p, p->x.ticks[1])) / 2);
	y = (int)floor(p->plot.y);
	expect_dark(g, x, y);
	expect_light(g, x, y - 1);
	expect_light(g, x, y + 1);
}

static void
background_corners_white(void **state)
{
	struct figure	*g = *state;
	int		 w = (int)g->style.width, h = (int)g->style.height;

	assert_int_equal(pixel(g, 0, 0), 0xffffff);
	assert_int_equal(pixel(g, w - 1, 0), 0xffffff);
	assert_int_equal(pixel(g, 0, h - 1), 0xffffff);
	assert_int_equal(pixel(g, w - 1, h - 1), 0xffffff);
}

static int
near_colour(uint32_t v, uint32_t want)
{
	int	 shift;

	for (shift = 0; shift <= 16; shift += 8)
		if (abs(channel(v, shift) - channel(want, shift)) > CURVE_TOL)
			return 0;
	return 1;
}

/* Counts pixels near the curve colour inside rect. */
static int
count_curve(const struct figure *g, const struct actviz_rect *r)
{
	int	 x, y, n = 0;

	for (y = (int)ceil(r->y); y < (int)floor(r->y + r->h); y++)
		for (x = (int)ceil(r->x); x < (int)floor(r->x + r->w); x++)
			n += near_colour(pixel(g, x, y), g->style.curve);
	return n;
}

static void
curve_colour_present(void **state)
{
	struct figure	*g = *state;
	size_t		 i;

	assert_int_equal(g->style.curve, 0x1f77b4);
	for (i = 0; i < g->layout->npanels; i++)
		if (count_curve(g, &g->layout->panels[i].plot) <
		    MIN_CURVE_PX)
			fail_msg("panel %zu has fewer than %d pixels of the "
			    "curve colour", i, MIN_CURVE_PX);
}

int
main(void)
{
	const struct CMUnitTest files[] = {
		cmocka_unit_test_setup_teardown(png_svg_default_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(png_scale_two, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(png_svg_custom_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(repeat_identical_bytes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(pdf_info_date_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(pdf_text_titles, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(pdf_fonts_embedded, setup,
		    teardown),
	};
	const struct CMUnitTest pixels[] = {
		cmocka_unit_test(draw_status),
		cmocka_unit_test(frame_left_crisp),
		cmocka_unit_test(frame_crisp_scaled),
		cmocka_unit_test(frame_top_crisp),
		cmocka_unit_test(background_corners_white),
		cmocka_unit_test(curve_colour_present),
	};
	int	 failed;

	failed = cmocka_run_group_tests_name("files", files, NULL, NULL);
	failed += cmocka_run_group_tests_name("pixels", pixels, figure_setup,
	    figure_teardown);
	return failed;
}
