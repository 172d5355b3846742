/*
 * Figure geometry.  The layout is sized in steps: the grid of cells,
 * then inside every cell the title band, the tick labels and tick marks
 * around the plot, and last the plot rectangle itself.  All panels share
 * the widest label and tallest title so their plots line up.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/* Ticks aimed for on each axis before labels are checked for room. */
#define TICK_TARGET	5

void
actviz_style_defaults(struct actviz_style *s)
{
	memset(s, 0, sizeof(*s));
	s->width = 960;
	s->height = 900;
	s->margin = 16;
	s->gap_x = 28;
	s->gap_y = 22;
	s->title_size = 14;
	s->note_size = 9;
	s->tick_size = 10;
	s->tick_len = 4;
	s->pad = 4;
	s->frame_width = 1;
	s->grid_width = 1;
	s->curve_width = 2;
	s->min_plot = 48;
	s->y_margin = 0.06;
	s->background = 0xffffff;
	s->frame = 0x333333;
	s->grid = 0xe6e6e6;
	s->curve = 0x1f77b4;
	s->text = 0x222222;
	s->note = 0x666666;
	s->dcurve = 0xd62728;
	s->dash = 5;
	s->legend_line = 18;
	s->minus = "\xe2\x88\x92";	/* U+2212 MINUS SIGN */
	s->label_y = "y";
	s->label_dy = "dy/dx";
}

/* Returns 1, 2 or 5 times a power of ten near range / target. */
static double
nice_step(double range, int target)
{
	double	 raw, mag, frac;

	raw = range / target;
	mag = pow(10, floor(log10(raw)));
	frac = raw / mag;
	if (frac < 1.5)
		return mag;
	if (frac < 3.5)
		return 2 * mag;
	if (frac < 7.5)
		return 5 * mag;
	return 10 * mag;
}

/*
 * Writes v with decimals places, or in %g form with digits significant
 * digits for very large or fine-grained ticks, using minus for every
 * negative sign (the exponent's too).
 */
static void
format_tick(char *buf, size_t bufsz, double v, int decimals, int digits,
    const char *minus)
{
	char	 num[ACTVIZ_LABEL_MAX];

	if (digits > 0)
		snprintf(num, sizeof(num), "%.*g", digits, v);
	else
		snprintf(num, sizeof(num), "%.*f", decimals, v);
	actviz_number_text(buf, bufsz, num, minus);
}

void
actviz_number_text(char *buf, size_t bufsz, const char *num,
    const char *minus)
{
	size_t	 len = 0, mlen = strlen(minus);

	for (; *num != '\0' && len + mlen + 2 < bufsz; num++) {
		if ((*num == 'e' || *num == 'E') &&
		    (num[1] == '+' || num[1] == '-')) {
			buf[len++] = 'e';
			if (num[1] == '-') {
				memcpy(buf + len, minus, mlen);
				len += mlen;
			}
			/* Skip the sign and leading zeros; keep one digit. */
			for (num += 2; num[0] == '0' && num[1] != '\0'; num++)
				continue;
			num--;
		} else if (*num == '-') {
			memcpy(buf + len, minus, mlen);
			len += mlen;
		} else
			buf[len++] = *num;
	}
	buf[len] = '\0';
}

/*
 * Returns the significant digits that tell ticks step apart at values
 * up to size, for %g labels: 0 when fixed decimals serve (values below
 * 1e6 and steps of at least 1e-6).
 */
static int
tick_digits(double size, double step, int decimals)
{
	int	 digits;

	if (size < 1e6 && decimals <= 6)
		return 0;
	digits = (int)ceil(log10(size / step) + 1e-9) + 1;
	if (digits < 2)
		return 2;
	return digits > 17 ? 17 : digits;
}

void
actviz_axis_ticks(struct actviz_axis *a, double min, double max,
    int target, const char *minus)
{
	double	 step, t, first;
	int	 decimals, digits;

	memset(a, 0, sizeof(*a));
	a->min = min;
	a->max = max;
	step = nice_step(max - min, target > 0 ? target : 1);
	/* Never more ticks than fit the table. */
	while ((max - min) / step >= ACTVIZ_MAX_TICKS)
		step *= 2;
	a->step = step;
	decimals = (int)-floor(log10(step) + 1e-9);
	if (decimals < 0)
		decimals = 0;
	digits = tick_digits(fmax(fabs(min), fabs(max)), step, decimals);

	first = ceil(min / step - 1e-9) * step;
	for (t = first; t <= max + step * 1e-9 &&
	    a->nticks < ACTVIZ_MAX_TICKS; t = first + a->nticks * step) {
		/* A tick that is zero up to rounding is drawn as 0. */
		double v = fabs(t) < step * 1e-9 ? 0 : t;

		a->ticks[a->nticks] = v;
		format_tick(a->labels[a->nticks], ACTVIZ_LABEL_MAX, v,
		    decimals, digits, minus);
		a->nticks++;
	}
}

void
actviz_axis_range(double dmin, double dmax, double margin, double *lo,
    double *hi)
{
	double	 range, half;

	range = dmax - dmin;
	if (range <= 1e-9 * fmax(1, fmax(fabs(dmin), fabs(dmax)))) {
		/* A flat curve still gets a readable band around it. */
		half = dmin != 0 ? fabs(dmin) * 0.5 : 1;
		*lo = dmin - half;
		*hi = dmax + half;
		return;
	}
	*lo = dmin - margin * range;
	*hi = dmax + margin * range;
}

/* Sizes of the text around every plot: maxima over all panels. */
struct bands {
	double	 title_h;	/* title line, pt */
	double	 title_w;	/* widest title, pt */
	double	 note_h;	/* note line (0 when no note), pt */
	double	 note_w;	/* widest note, pt */
	double	 ylabel_w;	/* widest y tick label, pt */
	double	 ylabel_h;	/* tallest y tick label, pt */
	double	 xlabel_w;	/* widest x tick label, pt */
	double	 xlabel_h;	/* tallest x tick label, pt */
};

static void
measure_axis(const struct actviz_axis *a, const struct actviz_style *s,
    actviz_measure_fn measure, void *arg, double *w, double *h)
{
	double	 tw, th;
	size_t	 i;

	for (i = 0; i < a->nticks; i++) {
		measure(arg, a->labels[i], s->tick_size, &tw, &th);
		*w = fmax(*w, tw);
		*h = fmax(*h, th);
	}
}

static void
measure_bands(const struct actviz_layout *l, const struct actviz_style *s,
    actviz_measure_fn measure, void *arg, struct bands *b)
{
	const struct actviz_panel	*p;
	double				 w, h;
	size_t				 i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < l->npanels; i++) {
		p = &l->panels[i];
		measure(arg, p->title, s->title_size, &w, &h);
		b->title_w = fmax(b->title_w, w);
		b->title_h = fmax(b->title_h, h);
		if (p->note != NULL) {
			measure(arg, p->note, s->note_size, &w, &h);
			b->note_w = fmax(b->note_w, w);
			b->note_h = fmax(b->note_h, h);
		}
		measure_axis(&p->y, s, measure, arg, &b->ylabel_w,
		    &b->ylabel_h);
		measure_axis(&p->x, s, measure, arg, &b->xlabel_w,
		    &b->xlabel_h);
	}
}

/* Space a cell needs beside its plot: left, right, top, bottom (pt). */
static void
cell_insets(const struct bands *b, const struct actviz_style *s,
    double inset[4])
{
	/* The first and last x labels are centred on the plot edges. */
	inset[0] = fmax(b->ylabel_w + s->pad + s->tick_len,
	    b->xlabel_w / 2);
	inset[1] = b->xlabel_w / 2;
	inset[2] = b->title_h + b->note_h + s->pad + b->ylabel_h / 2;
	inset[3] = s->tick_len + s->pad + b->xlabel_h;
}

/*
 * Thins an axis's ticks until labels are at least room pt apart, but
 * keeps at least two ticks so the axis still shows a scale.
 */
static void
thin_ticks(struct actviz_axis *a, double length, double room,
    const char *minus)
{
	struct actviz_axis	 fewer;
	int			 target;

	for (target = TICK_TARGET; target > 2; target--) {
		if (a->step / (a->max - a->min) * length >= room)
			return;
		actviz_axis_ticks(&fewer, a->min, a->max, target - 1, minus);
		if (fewer.nticks < 2)
			return;
		*a = fewer;
	}
}

static void
place_panels(struct actviz_layout *l, const struct actviz_style *s,
    const struct bands *b, double cell_w, double cell_h,
    const double inset[4])
{
	struct actviz_panel	*p;
	size_t			 i;

	for (i = 0; i < l->npanels; i++) {
		p = &l->panels[i];
		p->cell.x = s->margin + (i % l->cols) * (cell_w + s->gap_x);
		p->cell.y = s->margin + (i / l->cols) * (cell_h + s->gap_y);
		p->cell.w = cell_w;
		p->cell.h = cell_h;
		p->plot.x = p->cell.x + inset[0];
		p->plot.y = p->cell.y + inset[2];
		p->plot.w = cell_w - inset[0] - inset[1];
		p->plot.h = cell_h - inset[2] - inset[3];
		p->title_y = p->cell.y;
		p->note_y = p->cell.y + b->title_h;
		thin_ticks(&p->x, p->plot.w, b->xlabel_w + 2 * s->pad,
		    s->minus);
		thin_ticks(&p->y, p->plot.h, b->ylabel_h * 1.2, s->minus);
	}
}

static void
set_axes(struct actviz_layout *l, const struct actviz_style *s,
    const struct actviz_curves *c)
{
	const double	*y;
	double		 lo, hi, dmin, dmax;
	size_t		 i, j;

	for (i = 0; i < l->npanels; i++) {
		y = c->y + i * c->nx;
		dmin = dmax = y[0];
		for (j = 1; j < c->nx; j++) {
			dmin = fmin(dmin, y[j]);
			dmax = fmax(dmax, y[j]);
		}
		for (j = 0; s->derivative && j < c->nx; j++) {
			dmin = fmin(dmin, c->dy[i * c->nx + j]);
			dmax = fmax(dmax, c->dy[i * c->nx + j]);
		}
		actviz_axis_range(dmin, dmax, s->y_margin, &lo, &hi);
		actviz_axis_ticks(&l->panels[i].y, lo, hi, TICK_TARGET,
		    s->minus);
		actviz_axis_ticks(&l->panels[i].x, c->x[0], c->x[c->nx - 1],
		    TICK_TARGET, s->minus);
	}
}

/* Counts the samples of panel i's curves that fall inside box r. */
static size_t
points_inside(const struct actviz_panel *p, const struct actviz_curves *c,
    size_t i, const struct actviz_rect *r)
{
	const double	*ys[2] = { c->y + i * c->nx, c->dy + i * c->nx };
	double		 px, py;
	size_t		 k, j, n = 0;

	for (k = 0; k < 2; k++) {
		for (j = 0; j < c->nx; j++) {
			px = p->plot.x + (c->x[j] - p->x.min) /
			    (p->x.max - p->x.min) * p->plot.w;
			py = p->plot.y + p->plot.h - (ys[k][j] - p->y.min) /
			    (p->y.max - p->y.min) * p->plot.h;
			n += px >= r->x && px <= r->x + r->w &&
			    py >= r->y && py <= r->y + r->h;
		}
	}
	return n;
}

/*
 * Moves box (its size set) to candidate spot 0 to 7 inside p's plot:
 * the four corners, then the middles of the left, right, top and
 * bottom sides.
 */
static void
legend_spot(const struct actviz_panel *p, const struct actviz_style *s,
    size_t spot, struct actviz_rect *box)
{
	double	 left, right, top, bottom;

	left = p->plot.x + s->pad;
	right = p->plot.x + p->plot.w - s->pad - box->w;
	top = p->plot.y + s->pad;
	bottom = p->plot.y + p->plot.h - s->pad - box->h;
	switch (spot) {
	case 0: case 1: case 2: case 3:
		box->x = spot % 2 == 0 ? left : right;
		box->y = spot / 2 == 0 ? top : bottom;
		break;
	case 4: case 5:
		box->x = spot == 4 ? left : right;
		box->y = (top + bottom) / 2;
		break;
	default:
		box->x = (left + right) / 2;
		box->y = spot == 6 ? top : bottom;
		break;
	}
}

/*
 * Sizes each panel's legend (a line sample and a label per curve) and
 * puts it in the plot corner that the fewest curve samples cross.  A
 * legend that does not fit the plot is left out.
 */
static void
place_legends(struct actviz_layout *l, const struct actviz_style *s,
    const struct actviz_curves *c, actviz_measure_fn measure, void *arg)
{
	struct actviz_panel	*p;
	struct actviz_rect	 box, best;
	double			 w1, w2, h1, h2;
	size_t			 i, spot, n, fewest;

	measure(arg, s->label_y, s->tick_size, &w1, &h1);
	measure(arg, s->label_dy, s->tick_size, &w2, &h2);
	box.w = s->legend_line + 3 * s->pad + fmax(w1, w2);
	box.h = 2 * fmax(h1, h2) + 2 * s->pad;
	for (i = 0; i < l->npanels; i++) {
		p = &l->panels[i];
		p->legend_row = fmax(h1, h2);
		if (box.w + 2 * s->pad > p->plot.w ||
		    box.h + 2 * s->pad > p->plot.h)
			continue;
		fewest = (size_t)-1;
		/* Corners first, then the middle of each side, so a corner
		 * wins a tie. */
		for (spot = 0; spot < 8; spot++) {
			legend_spot(p, s, spot, &box);
			if ((n = points_inside(p, c, i, &box)) < fewest) {
				fewest = n;
				best = box;
			}
		}
		p->legend = best;
	}
}

struct actviz_layout *
actviz_layout_new(const struct actviz_style *s,
    const struct actviz_curves *c, const char *const *titles,
    const char *const *notes, actviz_measure_fn measure, void *arg,
    struct actviz_layout *need)
{
	struct actviz_layout	*l;
	struct bands		 b;
	double			 inset[4], cell_w, cell_h, min_cell_w;
	size_t			 i;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->npanels = c->ncurves;
	l->cols = (size_t)ceil(sqrt((double)c->ncurves));
	l->rows = (c->ncurves + l->cols - 1) / l->cols;
	if ((l->panels = calloc(l->npanels, sizeof(*l->panels))) == NULL) {
		free(l);
		return NULL;
	}
	for (i = 0; i < l->npanels; i++) {
		l->panels[i].title = titles[i];
		l->panels[i].note = notes != NULL ? notes[i] : NULL;
	}
	set_axes(l, s, c);
	measure_bands(l, s, measure, arg, &b);
	cell_insets(&b, s, inset);

	cell_w = (s->width - 2 * s->margin - (l->cols - 1) * s->gap_x) /
	    l->cols;
	cell_h = (s->height - 2 * s->margin - (l->rows - 1) * s->gap_y) /
	    l->rows;
	min_cell_w = fmax(fmax(b.title_w, b.note_w),
	    inset[0] + inset[1] + s->min_plot);
	l->min_width = ceil(2 * s->margin + (l->cols - 1) * s->gap_x +
	    l->cols * min_cell_w);
	l->min_height = ceil(2 * s->margin + (l->rows - 1) * s->gap_y +
	    l->rows * (inset[2] + inset[3] + s->min_plot));
	if (s->width < l->min_width || s->height < l->min_height) {
		if (need != NULL) {
			*need = *l;
			need->panels = NULL;
		}
		actviz_layout_free(l);
		errno = ERANGE;
		return NULL;
	}
	place_panels(l, s, &b, cell_w, cell_h, inset);
	if (s->derivative)
		place_legends(l, s, c, measure, arg);
	return l;
}

void
actviz_layout_free(struct actviz_layout *l)
{
	if (l == NULL)
		return;
	free(l->panels);
	free(l);
}
