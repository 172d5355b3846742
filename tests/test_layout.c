/*
 * Tests of the figure geometry: tick choice and labels, y ranges, the
 * grid of panels, aligned plots, room for titles, and the smallest
 * figure size, with text measured by pango through the project fonts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "fonts.h"
#include "layout.h"
#include "recipe.h"
#include "render.h"
#include "util.h"

#define FONT_DIR	ACTVIZ_SOURCE_DIR "/fonts"
#define MINUS		"\xe2\x88\x92"	/* U+2212 MINUS SIGN */
#define TITLE_CN	"\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:"
#define EPS		1e-9	/* pt, for sums of layout sizes */

/* Fails unless a <= b, allowing EPS for rounding. */
#define assert_le(a, b) do {						\
	double	le_a = (a), le_b = (b);					\
	if (!(le_a <= le_b + EPS))					\
		fail_msg("%s = %.17g exceeds %s = %.17g", #a, le_a,	\
		    #b, le_b);						\
} while (0)

/* Fonts and panel titles shared by the layout tests. */
struct world {
	struct actviz_fonts	*fonts;
	char			 titles[9][128];
	const char		*title_ptrs[9];
};

static int
world_setup(void **state)
{
	struct world	*w;
	char		 err[512];

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	*state = w;
	w->fonts = actviz_fonts_new(FONT_DIR, NULL, err, sizeof(err));
	if (w->fonts == NULL) {
		print_error("fonts: %s\n", err);
		return -1;
	}
	return 0;
}

static int
world_teardown(void **state)
{
	struct world	*w = *state;

	if (w != NULL) {
		actviz_fonts_free(w->fonts);
		free(w);
	}
	return 0;
}

/* The first n recipe curves over the default range. */
static struct actviz_curves *
make_curves(size_t n)
{
	const struct actviz_act	*acts[9];
	struct actviz_weights	 wt;
	struct actviz_curves	*c;
	size_t			 i;

	assert_in_range(n, 1, 9);
	for (i = 0; i < n; i++) {
		acts[i] = actviz_act_at(i);
		assert_non_null(acts[i]);
	}
	actviz_weights_defaults(&wt);
	c = actviz_curves_compute(acts, n, -5.0, 4.9, 100, &wt);
	assert_non_null(c);
	return c;
}

/* Sets each curve's title to prefix followed by the curve's name. */
static void
make_titles(struct world *w, const struct actviz_curves *c,
    const char *prefix)
{
	size_t	 i;

	for (i = 0; i < c->ncurves; i++) {
		snprintf(w->titles[i], sizeof(w->titles[i]), "%s%s", prefix,
		    c->acts[i]->name);
		w->title_ptrs[i] = w->titles[i];
	}
}

static struct actviz_layout *
lay_out(struct world *w, const struct actviz_style *s,
    const struct actviz_curves *c, struct actviz_layout *need)
{
	return actviz_layout_new(s, c, w->title_ptrs, NULL,
	    actviz_render_measure, w->fonts, need);
}

/* Ticks: range, target, then the expected ticks and labels. */
struct tick_case {
	double		 min, max;
	int		 target;
	size_t		 nticks;
	double		 ticks[8];
	const char	*labels[8];
};

static const struct tick_case tick_cases[] = {
	{ -5, 4.9, 5, 5, { -4, -2, 0, 2, 4 },
	    { MINUS "4", MINUS "2", "0", "2", "4" } },
	{ 0, 1, 5, 6, { 0, 0.2, 0.4, 0.6, 0.8, 1 },
	    { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" } },
	{ -0.7, 0.7, 5, 7, { -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6 },
	    { MINUS "0.6", MINUS "0.4", MINUS "0.2", "0.0", "0.2", "0.4",
	    "0.6" } },
	{ -1, 1, 4, 5, { -1, -0.5, 0, 0.5, 1 },
	    { MINUS "1.0", MINUS "0.5", "0.0", "0.5", "1.0" } },
	{ 0, 250, 5, 6, { 0, 50, 100, 150, 200, 250 },
	    { "0", "50", "100", "150", "200", "250" } },
	{ -0.03, 0.012, 4, 5, { -0.03, -0.02, -0.01, 0, 0.01 },
	    { MINUS "0.03", MINUS "0.02", MINUS "0.01", "0.00", "0.01" } },
};

#define NTICK_CASES	(sizeof(tick_cases) / sizeof(tick_cases[0]))

static void
ticks_table(void **state)
{
	const struct tick_case	*c;
	struct actviz_axis	 a;
	size_t			 i, j;

	(void)state;
	for (i = 0; i < NTICK_CASES; i++) {
		c = &tick_cases[i];
		actviz_axis_ticks(&a, c->min, c->max, c->target, MINUS);
		if (a.nticks != c->nticks)
			fail_msg("%g..%g: %zu ticks, expected %zu", c->min,
			    c->max, a.nticks, c->nticks);
		for (j = 0; j < c->nticks; j++) {
			tu_assert_near(a.ticks[j], c->ticks[j], 1e-12);
			assert_string_equal(a.labels[j], c->labels[j]);
		}
	}
}

static void
ticks_step_and_bounds(void **state)
{
	struct actviz_axis	 a;

	(void)state;
	actviz_axis_ticks(&a, 0, 1, 5, MINUS);
	tu_assert_near(a.step, 0.2, 1e-12);
	tu_assert_near(a.min, 0, 0);
	tu_assert_near(a.max, 1, 0);
}

/* A tick that is zero up to rounding must read as zero, unsigned. */
static void
ticks_no_negative_zero(void **state)
{
	static const double ranges[][2] = {
		{ -0.7, 0.7 }, { -0.3, 0.3 }, { -0.35, 0.5 }, { -1.1, 0.9 },
		{ -2.3, 1.7 }, { -0.09, 0.11 }, { -33, 17 }, { -5, 4.9 },
	};
	struct actviz_axis	 a;
	size_t			 i, j, zeros;
	int			 target;

	(void)state;
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		for (target = 2; target <= 8; target++) {
			actviz_axis_ticks(&a, ranges[i][0], ranges[i][1],
			    target, "-");
			zeros = 0;
			for (j = 0; j < a.nticks; j++) {
				if (a.labels[j][0] == '-' &&
				    strspn(a.labels[j] + 1, "0.") ==
				    strlen(a.labels[j] + 1))
					fail_msg("%g..%g target %d: label %s",
					    ranges[i][0], ranges[i][1],
					    target, a.labels[j]);
				if (a.ticks[j] == 0) {
					assert_false(signbit(a.ticks[j]));
					zeros++;
				}
			}
			assert_int_equal(zeros, 1);
		}
	}
}

/* The sign comes from the caller: ASCII when U+2212 is not wanted. */
static void
ticks_ascii_minus(void **state)
{
	struct actviz_axis	 a;

	(void)state;
	actviz_axis_ticks(&a, -5, 4.9, 5, "-");
	assert_int_equal(a.nticks, 5);
	assert_string_equal(a.labels[0], "-4");
	assert_string_equal(a.labels[1], "-2");
}

static void
ticks_within_range(void **state)
{
	struct actviz_axis	 a;
	size_t			 i;

	(void)state;
	actviz_axis_ticks(&a, -0.123, 7.77, 5, MINUS);
	assert_true(a.nticks >= 2);
	assert_true(a.nticks <= ACTVIZ_MAX_TICKS);
	for (i = 0; i < a.nticks; i++) {
		assert_true(a.ticks[i] >= -0.123);
		assert_true(a.ticks[i] <= 7.77);
	}
}

/*
 * Ticks on a range narrow for its magnitude: every label must differ
 * from the others, or the axis would show one number twice.
 */
struct distinct_case {
	double	 min, max;
	double	 step;		/* expected step between ticks */
};

static const struct distinct_case distinct_cases[] = {
	{ 0.49999998, 0.50000002, 1e-8 },
	{ 999999, 1000001, 0.5 },
};

#define NDISTINCT_CASES	(sizeof(distinct_cases) / sizeof(distinct_cases[0]))

static void
ticks_distinct_labels(void **state)
{
	const struct distinct_case	*c;
	struct actviz_axis		 a;
	size_t				 i, j, k;

	(void)state;
	for (i = 0; i < NDISTINCT_CASES; i++) {
		c = &distinct_cases[i];
		actviz_axis_ticks(&a, c->min, c->max, 5, MINUS);
		tu_assert_near(a.step, c->step, c->step * 1e-9);
		if (a.nticks < 2)
			fail_msg("%.17g..%.17g: %zu ticks, expected at least 2",
			    c->min, c->max, a.nticks);
		for (j = 0; j < a.nticks; j++)
			for (k = j + 1; k < a.nticks; k++)
				if (strcmp(a.labels[j], a.labels[k]) == 0)
					fail_msg("%.17g..%.17g: ticks %zu and "
					    "%zu both read \"%s\"", c->min,
					    c->max, j + 1, k + 1,
					    a.labels[j]);
	}
}

/* The exponent of a %g label takes the caller's minus sign too. */
static void
ticks_exponent_minus(void **state)
{
	struct actviz_axis	 a;
	size_t			 i;

	(void)state;
	actviz_axis_ticks(&a, -5e-8, 5e-8, 5, MINUS);
	assert_int_equal(a.nticks, 5);
	assert_string_equal(a.labels[0], MINUS "4e" MINUS "8");
	assert_string_equal(a.labels[2], "0");
	assert_string_equal(a.labels[4], "4e" MINUS "8");
	for (i = 0; i < a.nticks; i++)
		if (strchr(a.labels[i], '-') != NULL)
			fail_msg("label %zu has a hyphen-minus: %s", i + 1,
			    a.labels[i]);
}

static void
range_flat_at_one(void **state)
{
	double	 lo, hi;

	(void)state;
	actviz_axis_range(1, 1, 0.06, &lo, &hi);
	assert_true(lo < 1);
	assert_true(hi > 1);
	assert_true(hi - lo > 0.1);
	tu_assert_near((lo + hi) / 2, 1, 1e-12);
}

static void
range_flat_at_zero(void **state)
{
	double	 lo, hi;

	(void)state;
	actviz_axis_range(0, 0, 0.06, &lo, &hi);
	assert_true(lo < 0);
	assert_true(hi > 0);
	tu_assert_near((lo + hi) / 2, 0, 1e-12);
}

static void
range_with_margin(void **state)
{
	double	 lo, hi;

	(void)state;
	actviz_axis_range(0, 10, 0.1, &lo, &hi);
	tu_assert_near(lo, -1, 1e-12);
	tu_assert_near(hi, 11, 1e-12);
}

/* Curves, columns and rows of the grid. */
struct grid_case {
	size_t	 n, cols, rows;
};

static const struct grid_case grid_cases[] = {
	{ 9, 3, 3 }, { 4, 2, 2 }, { 5, 3, 2 }, { 1, 1, 1 }, { 2, 2, 1 },
	{ 3, 2, 2 }, { 7, 3, 3 },
};

#define NGRID_CASES	(sizeof(grid_cases) / sizeof(grid_cases[0]))

static void
grid_shapes(void **state)
{
	struct world		*w = *state;
	struct actviz_style	 s;
	struct actviz_curves	*c;
	struct actviz_layout	*l;
	size_t			 i;

	actviz_style_defaults(&s);
	for (i = 0; i < NGRID_CASES; i++) {
		c = make_curves(grid_cases[i].n);
		make_titles(w, c, TITLE_CN);
		l = lay_out(w, &s, c, NULL);
		assert_non_null(l);
		assert_int_equal(l->npanels, grid_cases[i].n);
		assert_int_equal(l->cols, grid_cases[i].cols);
		assert_int_equal(l->rows, grid_cases[i].rows);
		actviz_layout_free(l);
		actviz_curves_free(c);
	}
}

/* Checks that plots align: same size, columns share x, rows share y. */
static void
expect_aligned(const struct actviz_layout *l)
{
	const struct actviz_panel	*p, *q;
	size_t				 i;

	for (i = 1; i < l->npanels; i++) {
		p = &l->panels[i];
		q = &l->panels[0];
		tu_assert_near(p->plot.w, q->plot.w, EPS);
		tu_assert_near(p->plot.h, q->plot.h, EPS);
		q = &l->panels[i % l->cols];
		tu_assert_near(p->plot.x, q->plot.x, EPS);
		q = &l->panels[i - i % l->cols];
		tu_assert_near(p->plot.y, q->plot.y, EPS);
	}
}

/* Returns 1 when panel i has a panel to its right in the same row. */
static int
has_right(const struct actviz_layout *l, size_t i)
{
	return i % l->cols + 1 < l->cols && i + 1 < l->npanels;
}

/* Checks that every cell and plot lies inside the figure, plots
 * inside their cells, and neighbouring cells do not overlap. */
static void
expect_inside(const struct actviz_layout *l, const struct actviz_style *s)
{
	const struct actviz_panel	*p;
	size_t				 i;

	for (i = 0; i < l->npanels; i++) {
		p = &l->panels[i];
		assert_true(p->plot.w >= s->min_plot - EPS);
		assert_true(p->plot.h >= s->min_plot - EPS);
		assert_le(0, p->cell.x);
		assert_le(0, p->cell.y);
		assert_le(p->cell.x + p->cell.w, s->width);
		assert_le(p->cell.y + p->cell.h, s->height);
		assert_le(p->cell.x, p->plot.x);
		assert_le(p->cell.y, p->plot.y);
		assert_le(p->plot.x + p->plot.w, p->cell.x + p->cell.w);
		assert_le(p->plot.y + p->plot.h, p->cell.y + p->cell.h);
		if (has_right(l, i))
			assert_le(p->cell.x + p->cell.w,
			    l->panels[i + 1].cell.x);
		if (i + l->cols < l->npanels)
			assert_le(p->cell.y + p->cell.h,
			    l->panels[i + l->cols].cell.y);
	}
}

/*
 * Checks that each title fits its cell's width and, drawn as render.c
 * draws it (centred over the plot), stays inside the figure and clear
 * of the neighbouring cells.
 */
static void
expect_titles_fit(struct world *w, const struct actviz_layout *l,
    const struct actviz_style *s)
{
	const struct actviz_panel	*p;
	double				 tw, th, left, right;
	size_t				 i;

	for (i = 0; i < l->npanels; i++) {
		p = &l->panels[i];
		actviz_fonts_measure(w->fonts, p->title, s->title_size, &tw,
		    &th);
		assert_true(tw > 0);
		assert_le(tw, p->cell.w);
		left = p->plot.x + p->plot.w / 2 - tw / 2;
		right = left + tw;
		assert_le(0, left);
		assert_le(right, s->width);
		if (has_right(l, i))
			assert_le(right, l->panels[i + 1].cell.x);
		if (i % l->cols > 0)
			assert_le(l->panels[i - 1].cell.x +
			    l->panels[i - 1].cell.w, left);
		assert_le(p->title_y + th, p->plot.y);
	}
}

static void
panels_aligned(void **state)
{
	struct world		*w = *state;
	struct actviz_style	 s;
	struct actviz_curves	*c;
	struct actviz_layout	*l;
	size_t			 i;

	actviz_style_defaults(&s);
	for (i = 0; i < NGRID_CASES; i++) {
		c = make_curves(grid_cases[i].n);
		make_titles(w, c, TITLE_CN);
		l = lay_out(w, &s, c, NULL);
		assert_non_null(l);
		expect_aligned(l);
		expect_inside(l, &s);
		expect_titles_fit(w, l, &s);
		actviz_layout_free(l);
		actviz_curves_free(c);
	}
}

/* Ticks are thinned for the plot size but stay in the axis range. */
static void
panel_ticks_inside(void **state)
{
	struct world			*w = *state;
	struct actviz_style		 s;
	struct actviz_curves		*c;
	struct actviz_layout		*l;
	const struct actviz_panel	*p;
	size_t				 i, j;

	actviz_style_defaults(&s);
	c = make_curves(9);
	make_titles(w, c, TITLE_CN);
	l = lay_out(w, &s, c, NULL);
	assert_non_null(l);
	for (i = 0; i < l->npanels; i++) {
		p = &l->panels[i];
		assert_true(p->x.nticks >= 2);
		assert_true(p->y.nticks >= 2);
		for (j = 0; j < p->y.nticks; j++) {
			assert_le(p->y.min, p->y.ticks[j]);
			assert_le(p->y.ticks[j], p->y.max);
		}
		tu_assert_near(p->x.min, -5, 0);
		tu_assert_near(p->x.max, 4.9, 0);
	}
	actviz_layout_free(l);
	actviz_curves_free(c);
}

/*
 * In a small figure, thinning drops ticks whose labels would touch but
 * must leave at least two on every axis, so each still shows a scale.
 */
static void
thinning_keeps_two_ticks(void **state)
{
	struct world			*w = *state;
	struct actviz_style		 s;
	struct actviz_curves		*c;
	struct actviz_layout		*l, need;
	const struct actviz_panel	*p;
	size_t				 i;

	actviz_style_defaults(&s);
	s.width = 539;
	s.height = 382;
	c = make_curves(9);
	make_titles(w, c, TITLE_CN);
	l = lay_out(w, &s, c, &need);
	if (l == NULL)
		fail_msg("%gx%g does not fit; the layout needs %gx%g",
		    s.width, s.height, need.min_width, need.min_height);
	for (i = 0; i < l->npanels; i++) {
		p = &l->panels[i];
		if (p->x.nticks < 2)
			fail_msg("panel %zu: %zu x ticks", i + 1,
			    p->x.nticks);
		if (p->y.nticks < 2)
			fail_msg("panel %zu: %zu y ticks", i + 1,
			    p->y.nticks);
	}
	actviz_layout_free(l);
	actviz_curves_free(c);
}

/*
 * Too small a figure yields ERANGE and the smallest size that fits.
 * That size itself succeeds, and one point less in either side fails.
 */
struct min_case {
	size_t		 n;
	const char	*prefix;	/* title before the curve's name */
};

static const struct min_case min_cases[] = {
	{ 9, TITLE_CN },
	{ 4, TITLE_CN },
	{ 1, TITLE_CN },
	{ 9, "A long panel title that sets the width for " },
};

#define NMIN_CASES	(sizeof(min_cases) / sizeof(min_cases[0]))

static void
expect_too_small(struct world *w, const struct actviz_style *s,
    const struct actviz_curves *c)
{
	struct actviz_layout	*l;

	errno = 0;
	l = lay_out(w, s, c, NULL);
	if (l != NULL)
		fail_msg("%gx%g should be too small", s->width, s->height);
	assert_int_equal(errno, ERANGE);
}

static void
minimum_size(void **state)
{
	struct world		*w = *state;
	struct actviz_style	 s;
	struct actviz_curves	*c;
	struct actviz_layout	*l, need;
	size_t			 i;

	for (i = 0; i < NMIN_CASES; i++) {
		actviz_style_defaults(&s);
		s.width = 10;
		s.height = 10;
		c = make_curves(min_cases[i].n);
		make_titles(w, c, min_cases[i].prefix);
		memset(&need, 0, sizeof(need));
		errno = 0;
		l = lay_out(w, &s, c, &need);
		assert_null(l);
		assert_int_equal(errno, ERANGE);
		assert_true(need.min_width > 10);
		assert_true(need.min_height > 10);
		tu_assert_near(need.min_width, floor(need.min_width), 0);
		tu_assert_near(need.min_height, floor(need.min_height), 0);

		s.width = need.min_width;
		s.height = need.min_height;
		l = lay_out(w, &s, c, NULL);
		if (l == NULL)
			fail_msg("%zu curves: minimum %gx%g fails", c->ncurves,
			    s.width, s.height);
		expect_aligned(l);
		expect_inside(l, &s);
		expect_titles_fit(w, l, &s);
		actviz_layout_free(l);

		s.width = need.min_width - 1;
		expect_too_small(w, &s, c);
		s.width = need.min_width;
		s.height = need.min_height - 1;
		expect_too_small(w, &s, c);
		actviz_curves_free(c);
	}
}

/* Longer titles need a wider figure, never a narrower one. */
static void
minimum_grows_with_title(void **state)
{
	struct world		*w = *state;
	struct actviz_style	 s;
	struct actviz_curves	*c;
	struct actviz_layout	 short_need, long_need;

	actviz_style_defaults(&s);
	s.width = 10;
	s.height = 10;
	c = make_curves(9);
	make_titles(w, c, "");
	assert_null(lay_out(w, &s, c, &short_need));
	make_titles(w, c, "A long panel title that sets the width for ");
	assert_null(lay_out(w, &s, c, &long_need));
	assert_true(long_need.min_width > short_need.min_width);
	actviz_curves_free(c);
}

int
main(void)
{
	const struct CMUnitTest axis[] = {
		cmocka_unit_test(ticks_table),
		cmocka_unit_test(ticks_step_and_bounds),
		cmocka_unit_test(ticks_no_negative_zero),
		cmocka_unit_test(ticks_ascii_minus),
		cmocka_unit_test(ticks_within_range),
		cmocka_unit_test(ticks_distinct_labels),
		cmocka_unit_test(ticks_exponent_minus),
		cmocka_unit_test(range_flat_at_one),
		cmocka_unit_test(range_flat_at_zero),
		cmocka_unit_test(range_with_margin),
	};
	const struct CMUnitTest grid[] = {
		cmocka_unit_test(grid_shapes),
		cmocka_unit_test(panels_aligned),
		cmocka_unit_test(panel_ticks_inside),
		cmocka_unit_test(thinning_keeps_two_ticks),
		cmocka_unit_test(minimum_size),
		cmocka_unit_test(minimum_grows_with_title),
	};
	int	 failed;

	failed = cmocka_run_group_tests_name("axis", axis, NULL, NULL);
	failed += cmocka_run_group_tests_name("layout", grid, world_setup,
	    world_teardown);
	return failed;
}
