/*
 * Figure geometry: the style, the grid of panels, each panel's plot
 * rectangle, axis ranges, ticks and tick labels, all in points.  Text
 * sizes come from a caller's measuring function; nothing here draws.
 */
#ifndef ACTVIZ_LAYOUT_H
#define ACTVIZ_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "recipe.h"

#define ACTVIZ_MAX_TICKS	16
#define ACTVIZ_LABEL_MAX	48

struct actviz_style {
	double		 width;		/* figure width, pt */
	double		 height;	/* figure height, pt */
	double		 margin;	/* around the grid, pt */
	double		 gap_x;		/* between panel columns, pt */
	double		 gap_y;		/* between panel rows, pt */
	double		 title_size;	/* panel title font size, pt */
	double		 note_size;	/* weights note under a title, pt */
	double		 tick_size;	/* tick label font size, pt */
	double		 tick_len;	/* outward tick mark length, pt */
	double		 pad;		/* between text and what it labels, pt */
	double		 frame_width;	/* plot frame and ticks, pt */
	double		 grid_width;	/* grid lines, pt */
	double		 curve_width;	/* the curve, pt */
	double		 min_plot;	/* smallest plot side allowed, pt */
	double		 y_margin;	/* space above and below the data,
					   ratio of its range */
	uint32_t	 background;	/* 0xRRGGBB */
	uint32_t	 frame;		/* 0xRRGGBB */
	uint32_t	 grid;		/* 0xRRGGBB */
	uint32_t	 curve;		/* 0xRRGGBB */
	uint32_t	 text;		/* 0xRRGGBB */
	uint32_t	 note;		/* 0xRRGGBB */
	uint32_t	 dcurve;	/* derivative curve, 0xRRGGBB */
	double		 dash;		/* derivative dash length, pt */
	double		 legend_line;	/* legend's line sample, pt */
	int		 derivative;	/* draw dy/dx too, with a legend */
	const char	*minus;		/* sign of negative tick labels */
	const char	*label_y;	/* legend text for the curve */
	const char	*label_dy;	/* legend text for the derivative */
};

/* Fills style with the default look: a 960 x 900 pt figure. */
void	 actviz_style_defaults(struct actviz_style *style);

struct actviz_rect {
	double		 x, y;		/* top-left corner, pt */
	double		 w, h;		/* size, pt */
};

struct actviz_axis {
	double		 min, max;	/* data values at the plot edges */
	double		 step;		/* between ticks, data units */
	size_t		 nticks;
	double		 ticks[ACTVIZ_MAX_TICKS];
	char		 labels[ACTVIZ_MAX_TICKS][ACTVIZ_LABEL_MAX];
};

struct actviz_panel {
	struct actviz_rect	 cell;	/* share of the figure, pt */
	struct actviz_rect	 plot;	/* framed plot area, pt */
	struct actviz_axis	 x;
	struct actviz_axis	 y;
	const char		*title;	/* caller's string */
	const char		*note;	/* caller's string, or NULL */
	double			 title_y;	/* top of the title, pt */
	double			 note_y;	/* top of the note, pt */
	struct actviz_rect	 legend;	/* box, pt; w is 0 when none */
	double			 legend_row;	/* height of one entry, pt */
};

struct actviz_layout {
	size_t			 rows, cols;
	size_t			 npanels;
	struct actviz_panel	*panels;
	double			 min_width;	/* smallest figure that */
	double			 min_height;	/* fits this text, pt */
};

/* Measures text at size pt, returning its width and height in pt. */
typedef void (*actviz_measure_fn)(void *arg, const char *text,
    double size, double *width, double *height);

/*
 * Lays out one panel per curve in a grid of ceil(sqrt(n)) columns.
 * titles[i] and notes[i] (notes may be NULL or contain NULLs) label curve
 * i and must outlive the layout.  Every panel gets the same plot size
 * so panels align.  Returns NULL with errno ERANGE when the text and
 * the smallest plot do not fit style's figure size, and then sets
 * min_width and min_height of *need.  Otherwise failure is ENOMEM.
 */
struct actviz_layout	*actviz_layout_new(const struct actviz_style *style,
			    const struct actviz_curves *curves,
			    const char *const *titles,
			    const char *const *notes,
			    actviz_measure_fn measure, void *arg,
			    struct actviz_layout *need);

/* Frees a layout; NULL is allowed. */
void	 actviz_layout_free(struct actviz_layout *layout);

/*
 * Chooses ticks at 1, 2 or 5 times a power of ten, about target of
 * them between min and max, and formats their labels with just enough
 * decimals, writing minus before negative values.
 */
void	 actviz_axis_ticks(struct actviz_axis *axis, double min, double max,
	    int target, const char *minus);

/*
 * Copies num, a number printed by printf, to buf (bufsz bytes) with
 * every '-' written as minus and an exponent written "1e6" rather than
 * "1e+06".  Tick labels and panel notes share this form.
 */
void	 actviz_number_text(char *buf, size_t bufsz, const char *num,
	    const char *minus);

/*
 * Sets *lo and *hi to the y range shown for data spanning dmin to dmax:
 * the data plus margin times its range on each side, or a range around
 * the value when the data are flat.
 */
void	 actviz_axis_range(double dmin, double dmax, double margin,
	    double *lo, double *hi);

#endif
