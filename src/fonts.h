/*
 * Fonts: loads the project's fontconfig configuration (fonts/fonts.conf)
 * on top of the system one, turns a --font pattern into a pango font
 * description, measures text and finds characters no font covers.
 */
#ifndef ACTVIZ_FONTS_H
#define ACTVIZ_FONTS_H

#include <stddef.h>
#include <stdint.h>

#include <pango/pangocairo.h>

/* Family that fonts/fonts.conf maps to CJK-capable sans fonts first. */
#define ACTVIZ_FONTS_FAMILY	"actviz sans"

struct actviz_fonts;

/*
 * Loads the system configuration, then dir/fonts.conf, which also adds
 * dir as a font folder.  pattern is a fontconfig pattern such as
 * "Noto Sans CJK SC:weight=bold:lang=zh-cn", or NULL for the default
 * family.  On failure returns NULL and writes a one-line reason to err:
 * errno is EINVAL for a pattern fontconfig cannot parse, ENOENT when a
 * family the pattern names is not installed, EIO when the configuration
 * cannot be loaded.
 */
struct actviz_fonts	*actviz_fonts_new(const char *dir,
			    const char *pattern, char *err, size_t errsz);

/* Frees fonts and the fontconfig configuration; NULL is allowed. */
void			 actviz_fonts_free(struct actviz_fonts *fonts);

/*
 * Returns the size in points that the pattern sets (":size=12"), or 0
 * when it sets none.
 */
double		 actviz_fonts_size(const struct actviz_fonts *fonts);

/*
 * Returns a new pango layout holding text in the pattern's font at size
 * pt (points); the caller unrefs it.  NULL when out of memory.
 */
PangoLayout	*actviz_fonts_layout(struct actviz_fonts *fonts,
		    const char *text, double size);

/* Measures text set at size pt: logical width and height in points. */
void		 actviz_fonts_measure(struct actviz_fonts *fonts,
		    const char *text, double size, double *width,
		    double *height);

/*
 * Appends to missing[] (capacity max, count *nmissing, no duplicates)
 * each character of text that pango would draw as an unknown-glyph box
 * because no available font covers it.  Returns how many new characters
 * were found.
 */
size_t		 actviz_fonts_missing(struct actviz_fonts *fonts,
		    const char *text, uint32_t *missing, size_t max,
		    size_t *nmissing);

/*
 * Sets the pango context's rendering options for one output: hinting
 * and antialiasing suit raster output when raster is nonzero, and
 * vector output otherwise.  Glyph advances never depend on it, so one
 * layout fits every format.
 */
void		 actviz_fonts_set_raster(struct actviz_fonts *fonts,
		    int raster);

/* Returns the pango context that every layout of fonts is made in. */
PangoContext	*actviz_fonts_context(struct actviz_fonts *fonts);

/* Returns the font folder actviz uses: $ACTVIZ_FONT_DIR when set, else
 * fonts/ beside the executable, else the installed share folder. */
const char	*actviz_fonts_default_dir(char *buf, size_t bufsz);

#endif
