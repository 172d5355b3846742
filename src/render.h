/*
 * Drawing: paints a laid-out figure onto a cairo context, text through
 * pango.  The caller owns the surface and checks its status.
 */
#ifndef ACTVIZ_RENDER_H
#define ACTVIZ_RENDER_H

#include <cairo.h>

#include "fonts.h"
#include "layout.h"
#include "recipe.h"

/*
 * Draws every panel of layout with the curves it was made from, in pt
 * (cr's transformation maps them to device units).  px is the number of
 * device pixels per pt on raster output, which moves frame and grid
 * lines onto whole pixels so they look sharp, or 0 for vector output.
 * Returns cairo's status.
 */
cairo_status_t	 actviz_render_draw(cairo_t *cr,
		    const struct actviz_layout *layout,
		    const struct actviz_curves *curves,
		    const struct actviz_style *style,
		    struct actviz_fonts *fonts, double px);

/* Measuring function for actviz_layout_new(); arg is the fonts. */
void		 actviz_render_measure(void *arg, const char *text,
		    double size, double *width, double *height);

#endif
