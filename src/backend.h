/*
 * Output formats: one table row per format with its extension, whether
 * it is raster, and how to create and finish its cairo surface.
 */
#ifndef ACTVIZ_BACKEND_H
#define ACTVIZ_BACKEND_H

#include <cairo.h>

#include "output.h"

enum actviz_format {
	ACTVIZ_FORMAT_PNG,
	ACTVIZ_FORMAT_SVG,
	ACTVIZ_FORMAT_PDF
};

/* Document metadata; vector formats that can hold it store it. */
struct actviz_meta {
	const char	*title;		/* document title, UTF-8 */
	const char	*subject;	/* what the document shows */
	const char	*creator;	/* program and version */
	const char	*date;		/* ISO 8601 creation date, or NULL
					   for the current time */
};

struct actviz_backend {
	enum actviz_format	 format;
	const char		*name;		/* "png" */
	const char		*ext;		/* ".png" */
	int			 raster;	/* pixels rather than paths */
	/* Creates the surface; vector surfaces write through write(). */
	cairo_surface_t		*(*create)(cairo_write_func_t write,
				    void *closure, double width,
				    double height,
				    const struct actviz_meta *meta);
	/* Completes the file: encodes PNG, or finishes a vector surface. */
	cairo_status_t		 (*finish)(cairo_surface_t *surface,
				    cairo_write_func_t write, void *closure);
};

/*
 * Returns the format whose extension ends path (case-insensitive), or
 * NULL when none does.
 */
const struct actviz_backend	*actviz_backend_find(const char *path);

/* Returns the extensions accepted, as "png, svg, pdf". */
const char	*actviz_backend_names(void);

/*
 * Draws a figure of width x height pt into out through draw(), which
 * draws in pt and returns cairo's status.  A PNG gets scale pixels per
 * pt, and draw() gets that scale.  SVG and PDF get that size in points,
 * and draw() gets 0.  Returns CAIRO_STATUS_SUCCESS, cairo's error, or
 * CAIRO_STATUS_WRITE_ERROR when writing out failed (out->error then
 * contains errno).
 */
cairo_status_t	 actviz_backend_write(const struct actviz_backend *backend,
		    struct actviz_output *out, double width, double height,
		    double scale, const struct actviz_meta *meta,
		    cairo_status_t (*draw)(cairo_t *, double px, void *),
		    void *arg);

#endif
