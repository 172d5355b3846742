/*
 * Drawing of a laid-out figure: background, then per panel the grid,
 * the frame and ticks, tick labels, the curve clipped to its plot, and
 * the title.  Coordinates are points; raster output scales them to its
 * pixels.
 */
#include <math.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "fonts.h"
#include "layout.h"
#include "render.h"

enum align {
	ALIGN_LEFT,
	ALIGN_CENTER,
	ALIGN_RIGHT
};

/* Pen state shared by the helpers for one panel. */
struct pen {
	cairo_t				*cr;
	const struct actviz_style	*style;
	struct actviz_fonts		*fonts;
	double				 px;	/* device pixels per pt, 0
						   for vector output */
};

static void
set_color(cairo_t *cr, uint32_t rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0,
	    ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/*
 * Moves a coordinate of a line width pt wide onto the pixel grid of
 * raster output, so the line covers whole pixels.  A line an odd number
 * of pixels wide is centred on a pixel centre, an even one on a pixel
 * edge.  A 1-pixel line centred on an edge would cover two pixels at
 * half intensity and look grey.  Vector output keeps exact values.
 */
static double
snap(const struct pen *pen, double v, double width)
{
	long	 wpx;

	if (pen->px == 0)
		return v;
	wpx = lround(width * pen->px);
	if (wpx < 1)
		wpx = 1;
	if (wpx % 2 == 1)
		return (floor(v * pen->px) + 0.5) / pen->px;
	return round(v * pen->px) / pen->px;
}

/*
 * Returns width pt rounded to whole device pixels (at least one) on
 * raster output, because a fractional width would blur the line.
 * Vector output keeps width.
 */
static double
pixel_width(const struct pen *pen, double width)
{
	double	 wpx;

	if (pen->px == 0)
		return width;
	wpx = round(width * pen->px);
	return (wpx < 1 ? 1 : wpx) / pen->px;
}

static void
line(const struct pen *pen, double x0, double y0, double x1, double y1)
{
	cairo_move_to(pen->cr, x0, y0);
	cairo_line_to(pen->cr, x1, y1);
}

void
actviz_render_measure(void *arg, const char *text, double size,
    double *width, double *height)
{
	actviz_fonts_measure(arg, text, size, width, height);
}

/*
 * Draws text at size pt with its logical box's top at y and its left
 * edge, centre or right edge at x.
 */
static void
text(const struct pen *pen, const char *s, double size, uint32_t color,
    double x, double y, enum align align)
{
	PangoLayout	*layout;
	PangoRectangle	 logical;
	double		 w;

	if ((layout = actviz_fonts_layout(pen->fonts, s, size)) == NULL)
		return;
	pango_layout_get_extents(layout, NULL, &logical);
	w = (double)logical.width / PANGO_SCALE;
	/* Lines of a multi-line title centre on each other too. */
	if (align == ALIGN_CENTER)
		pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
	pango_layout_get_extents(layout, NULL, &logical);
	if (align == ALIGN_CENTER)
		x -= w / 2;
	else if (align == ALIGN_RIGHT)
		x -= w;
	set_color(pen->cr, color);
	cairo_move_to(pen->cr, x - (double)logical.x / PANGO_SCALE,
	    y - (double)logical.y / PANGO_SCALE);
	pango_cairo_show_layout(pen->cr, layout);
	g_object_unref(layout);
}

static double
map_x(const struct actviz_panel *p, double x)
{
	return p->plot.x + (x - p->x.min) / (p->x.max - p->x.min) * p->plot.w;
}

static double
map_y(const struct actviz_panel *p, double y)
{
	return p->plot.y + p->plot.h -
	    (y - p->y.min) / (p->y.max - p->y.min) * p->plot.h;
}

static void
draw_grid(const struct pen *pen, const struct actviz_panel *p)
{
	cairo_t		*cr = pen->cr;
	double		 v;
	size_t		 i;

	set_color(cr, pen->style->grid);
	cairo_set_line_width(cr, pixel_width(pen, pen->style->grid_width));
	for (i = 0; i < p->x.nticks; i++) {
		v = snap(pen, map_x(p, p->x.ticks[i]), pen->style->grid_width);
		line(pen, v, p->plot.y, v, p->plot.y + p->plot.h);
	}
	for (i = 0; i < p->y.nticks; i++) {
		v = snap(pen, map_y(p, p->y.ticks[i]), pen->style->grid_width);
		line(pen, p->plot.x, v, p->plot.x + p->plot.w, v);
	}
	cairo_stroke(cr);
}

static void
draw_frame(const struct pen *pen, const struct actviz_panel *p)
{
	const struct actviz_style	*s = pen->style;
	cairo_t				*cr = pen->cr;
	double				 x0, y0, x1, y1, v;
	size_t				 i;

	x0 = snap(pen, p->plot.x, s->frame_width);
	y0 = snap(pen, p->plot.y, s->frame_width);
	x1 = snap(pen, p->plot.x + p->plot.w, s->frame_width);
	y1 = snap(pen, p->plot.y + p->plot.h, s->frame_width);
	set_color(cr, s->frame);
	cairo_set_line_width(cr, pixel_width(pen, s->frame_width));
	cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
	for (i = 0; i < p->x.nticks; i++) {
		v = snap(pen, map_x(p, p->x.ticks[i]), s->frame_width);
		line(pen, v, y1, v, y1 + s->tick_len);
	}
	for (i = 0; i < p->y.nticks; i++) {
		v = snap(pen, map_y(p, p->y.ticks[i]), s->frame_width);
		line(pen, x0, v, x0 - s->tick_len, v);
	}
	cairo_stroke(cr);
}

static void
draw_labels(const struct pen *pen, const struct actviz_panel *p)
{
	const struct actviz_style	*s = pen->style;
	double				 w, h, top;
	size_t				 i;

	top = p->plot.y + p->plot.h + s->tick_len + s->pad;
	for (i = 0; i < p->x.nticks; i++)
		text(pen, p->x.labels[i], s->tick_size, s->text,
		    map_x(p, p->x.ticks[i]), top, ALIGN_CENTER);
	for (i = 0; i < p->y.nticks; i++) {
		actviz_fonts_measure(pen->fonts, p->y.labels[i],
		    s->tick_size, &w, &h);
		text(pen, p->y.labels[i], s->tick_size, s->text,
		    p->plot.x - s->tick_len - s->pad,
		    map_y(p, p->y.ticks[i]) - h / 2, ALIGN_RIGHT);
	}
}

/* Draws one curve, clipped to the plot, solid or (dashed) dashed. */
static void
draw_curve(const struct pen *pen, const struct actviz_panel *p,
    const double *x, const double *y, size_t n, uint32_t color, int dashed)
{
	cairo_t		*cr = pen->cr;
	double		 dash[2];
	size_t		 i;

	cairo_save(cr);
	cairo_rectangle(cr, p->plot.x, p->plot.y, p->plot.w, p->plot.h);
	cairo_clip(cr);
	set_color(cr, color);
	/* Never thinner than a pixel, or a small --scale fades the curve
	 * below the frame and grid. */
	cairo_set_line_width(cr, pen->px > 0 ?
	    fmax(pen->style->curve_width, 1 / pen->px) :
	    pen->style->curve_width);
	if (dashed) {
		dash[0] = pen->style->dash;
		dash[1] = pen->style->dash * 0.6;
		cairo_set_dash(cr, dash, 2, 0);
	}
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_move_to(cr, map_x(p, x[0]), map_y(p, y[0]));
	for (i = 1; i < n; i++)
		cairo_line_to(cr, map_x(p, x[i]), map_y(p, y[i]));
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Draws the legend box: a line sample and a label for each curve. */
static void
draw_legend(const struct pen *pen, const struct actviz_panel *p)
{
	const struct actviz_style	*s = pen->style;
	cairo_t				*cr = pen->cr;
	const struct actviz_rect	*r = &p->legend;
	double				 dash[2] = { s->dash, s->dash * 0.6 };
	double				 y;
	int				 k;

	cairo_save(cr);
	cairo_rectangle(cr, r->x, r->y, r->w, r->h);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_fill_preserve(cr);
	set_color(cr, s->grid);
	cairo_set_line_width(cr, s->grid_width);
	cairo_stroke(cr);
	cairo_set_line_width(cr, s->curve_width);
	for (k = 0; k < 2; k++) {
		y = r->y + s->pad + (k + 0.5) * p->legend_row;
		set_color(cr, k == 0 ? s->curve : s->dcurve);
		cairo_set_dash(cr, dash, k == 0 ? 0 : 2, 0);
		line(pen, r->x + s->pad, y, r->x + s->pad + s->legend_line, y);
		cairo_stroke(cr);
		text(pen, k == 0 ? s->label_y : s->label_dy, s->tick_size,
		    s->text, r->x + 2 * s->pad + s->legend_line,
		    y - p->legend_row / 2, ALIGN_LEFT);
	}
	cairo_restore(cr);
}

/*
 * Returns where to centre text of the given size over p's plot: the
 * plot's centre, moved just enough to keep the text inside the cell
 * (the layout made every cell at least as wide as the widest text).
 */
static double
centre_in_cell(const struct pen *pen, const struct actviz_panel *p,
    const char *s, double size)
{
	double	 w, h, centre;

	actviz_fonts_measure(pen->fonts, s, size, &w, &h);
	centre = p->plot.x + p->plot.w / 2;
	if (centre - w / 2 < p->cell.x)
		centre = p->cell.x + w / 2;
	if (centre + w / 2 > p->cell.x + p->cell.w)
		centre = p->cell.x + p->cell.w - w / 2;
	return centre;
}

static void
draw_titles(const struct pen *pen, const struct actviz_panel *p)
{
	const struct actviz_style	*s = pen->style;

	text(pen, p->title, s->title_size, s->text,
	    centre_in_cell(pen, p, p->title, s->title_size), p->title_y,
	    ALIGN_CENTER);
	if (p->note != NULL)
		text(pen, p->note, s->note_size, s->note,
		    centre_in_cell(pen, p, p->note, s->note_size), p->note_y,
		    ALIGN_CENTER);
}

cairo_status_t
actviz_render_draw(cairo_t *cr, const struct actviz_layout *l,
    const struct actviz_curves *c, const struct actviz_style *s,
    struct actviz_fonts *fonts, double px)
{
	struct pen	 pen = { cr, s, fonts, px };
	size_t		 i;

	actviz_fonts_set_raster(fonts, px > 0);
	pango_cairo_update_context(cr, actviz_fonts_context(fonts));
	set_color(cr, s->background);
	cairo_paint(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	for (i = 0; i < l->npanels; i++) {
		const struct actviz_panel *p = &l->panels[i];

		draw_grid(&pen, p);
		draw_frame(&pen, p);
		draw_labels(&pen, p);
		/* The legend goes under the curves so it never hides data,
		 * and the dashed derivative over the curve so both show
		 * where they coincide. */
		if (s->derivative && p->legend.w > 0)
			draw_legend(&pen, p);
		draw_curve(&pen, p, c->x, c->y + i * c->nx, c->nx, s->curve,
		    0);
		if (s->derivative)
			draw_curve(&pen, p, c->x, c->dy + i * c->nx, c->nx,
			    s->dcurve, 1);
		draw_titles(&pen, p);
	}
	return cairo_status(cr);
}
