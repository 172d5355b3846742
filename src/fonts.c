/*
 * Fonts: a fontconfig configuration made of the system one plus
 * fonts/fonts.conf, a pango font map and context bound to it, and the
 * coverage check that keeps unknown-glyph boxes out of every figure.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "fonts.h"

#ifndef ACTVIZ_DATADIR
#define ACTVIZ_DATADIR "/usr/local/share/actviz"
#endif

/* Language used when the pattern sets none: the default titles are
 * Simplified Chinese, and Noto Sans CJK must pick its SC glyph forms. */
#define DEFAULT_LANG "zh-cn"

struct actviz_fonts {
	FcConfig		*config;
	PangoFontMap		*fontmap;
	PangoContext		*context;
	PangoFontDescription	*desc;	/* family, weight, style */
	double			 size;	/* pt from the pattern, or 0 */
};

/* Generic names, which fontconfig resolves itself, need no check. */
static const char *const generic_families[] = {
	ACTVIZ_FONTS_FAMILY, "sans-serif", "sans", "serif", "monospace",
	"mono", "cursive", "fantasy", "system-ui", "emoji", "math", NULL
};

static int
is_generic(const char *family)
{
	size_t	 i;

	for (i = 0; generic_families[i] != NULL; i++)
		if (strcasecmp(family, generic_families[i]) == 0)
			return 1;
	return 0;
}

static int
family_installed(FcConfig *config, const char *family)
{
	FcPattern	*pat;
	FcObjectSet	*os;
	FcFontSet	*set;
	int		 found;

	pat = FcPatternCreate();
	os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
	if (pat == NULL || os == NULL ||
	    !FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family)) {
		found = 1;	/* out of memory: let pango decide */
		goto out;
	}
	set = FcFontList(config, pat, os);
	found = set != NULL && set->nfont > 0;
	if (set != NULL)
		FcFontSetDestroy(set);
out:
	if (os != NULL)
		FcObjectSetDestroy(os);
	if (pat != NULL)
		FcPatternDestroy(pat);
	return found;
}

static FcConfig *
load_config(const char *dir, char *err, size_t errsz)
{
	FcConfig	*config;
	struct stat	 st;
	char		 path[PATH_MAX];

	if ((config = FcInitLoadConfig()) == NULL) {
		snprintf(err, errsz, "cannot load the system fontconfig "
		    "configuration");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/fonts.conf", dir);
	if (stat(path, &st) == -1 || access(path, R_OK) == -1) {
		snprintf(err, errsz, "%s: %s (set ACTVIZ_FONT_DIR to the "
		    "folder holding actviz's fonts.conf)", path,
		    strerror(errno));
		FcConfigDestroy(config);
		return NULL;
	}
	/* A pipe or device named fonts.conf would block the parser. */
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file (set "
		    "ACTVIZ_FONT_DIR to the folder holding actviz's "
		    "fonts.conf)", path);
		FcConfigDestroy(config);
		return NULL;
	}
	if (!FcConfigParseAndLoad(config, (const FcChar8 *)path, FcTrue) ||
	    !FcConfigBuildFonts(config)) {
		snprintf(err, errsz, "%s: invalid fontconfig file", path);
		FcConfigDestroy(config);
		return NULL;
	}
	return config;
}

/* Copies the pattern's first language into buf, or DEFAULT_LANG. */
static void
pattern_lang(FcPattern *pat, char *buf, size_t bufsz)
{
	FcLangSet	*ls;
	FcStrSet	*langs;
	FcStrList	*list;
	FcChar8		*lang;

	snprintf(buf, bufsz, "%s", DEFAULT_LANG);
	if (FcPatternGetLangSet(pat, FC_LANG, 0, &ls) != FcResultMatch)
		return;
	if ((langs = FcLangSetGetLangs(ls)) == NULL)
		return;
	if ((list = FcStrListCreate(langs)) != NULL) {
		if ((lang = FcStrListNext(list)) != NULL)
			snprintf(buf, bufsz, "%s", (const char *)lang);
		FcStrListDone(list);
	}
	FcStrSetDestroy(langs);
}

/* Sets the description's style and weight from the pattern. */
static void
pattern_style(FcPattern *pat, PangoFontDescription *desc)
{
	double	 weight;
	int	 slant;

	if (FcPatternGetDouble(pat, FC_WEIGHT, 0, &weight) == FcResultMatch)
		pango_font_description_set_weight(desc,
		    (PangoWeight)FcWeightToOpenTypeDouble(weight));
	if (FcPatternGetInteger(pat, FC_SLANT, 0, &slant) == FcResultMatch) {
		if (slant == FC_SLANT_ITALIC)
			pango_font_description_set_style(desc,
			    PANGO_STYLE_ITALIC);
		else if (slant == FC_SLANT_OBLIQUE)
			pango_font_description_set_style(desc,
			    PANGO_STYLE_OBLIQUE);
	}
}

/*
 * Builds the description from pattern: its families joined by commas
 * (pango's fallback list), weight, slant and size.  Fails with ENOENT
 * when a named family is not installed.
 */
static int
parse_pattern(struct actviz_fonts *f, const char *pattern, char *lang,
    size_t langsz, char *err, size_t errsz)
{
	FcPattern	*pat;
	FcChar8		*family;
	GString		*families;
	int		 i;

	if ((pat = FcNameParse((const FcChar8 *)pattern)) == NULL) {
		snprintf(err, errsz, "--font %s: not a valid fontconfig "
		    "pattern (example: 'Noto Sans CJK SC:size=10')", pattern);
		errno = EINVAL;
		return -1;
	}
	families = g_string_new(NULL);
	for (i = 0; FcPatternGetString(pat, FC_FAMILY, i, &family) ==
	    FcResultMatch; i++) {
		if (!is_generic((const char *)family) &&
		    !family_installed(f->config, (const char *)family)) {
			snprintf(err, errsz, "--font %s: no installed font "
			    "has the family '%s' (fc-list : family lists the "
			    "installed ones)", pattern, (const char *)family);
			g_string_free(families, TRUE);
			FcPatternDestroy(pat);
			errno = ENOENT;
			return -1;
		}
		if (i > 0)
			g_string_append_c(families, ',');
		g_string_append(families, (const char *)family);
	}
	pango_font_description_set_family(f->desc, i > 0 ?
	    families->str : ACTVIZ_FONTS_FAMILY);
	g_string_free(families, TRUE);

	pattern_style(pat, f->desc);
	/* At actviz's 72 dpi a pixel size is the same number of points. */
	if (FcPatternGetDouble(pat, FC_SIZE, 0, &f->size) != FcResultMatch &&
	    FcPatternGetDouble(pat, FC_PIXEL_SIZE, 0, &f->size) !=
	    FcResultMatch)
		f->size = 0;
	else if (!(f->size >= 1 && f->size <= 500)) {
		snprintf(err, errsz, "--font %s: size %g is out of range; use "
		    "1 to 500 points", pattern, f->size);
		FcPatternDestroy(pat);
		errno = EINVAL;
		return -1;
	}
	pattern_lang(pat, lang, langsz);
	FcPatternDestroy(pat);
	return 0;
}

struct actviz_fonts *
actviz_fonts_new(const char *dir, const char *pattern, char *err,
    size_t errsz)
{
	struct actviz_fonts	*f;
	char			 lang[64];

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(err, errsz, "%s", strerror(errno));
		return NULL;
	}
	if ((f->config = load_config(dir, err, errsz)) == NULL) {
		free(f);
		errno = EIO;
		return NULL;
	}
	f->desc = pango_font_description_new();
	pango_font_description_set_family(f->desc, ACTVIZ_FONTS_FAMILY);
	snprintf(lang, sizeof(lang), "%s", DEFAULT_LANG);
	if (pattern != NULL &&
	    parse_pattern(f, pattern, lang, sizeof(lang), err, errsz) == -1) {
		int saved = errno;

		actviz_fonts_free(f);
		errno = saved;
		return NULL;
	}

	f->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->fontmap), f->config);
	f->context = pango_font_map_create_context(f->fontmap);
	/* At 72 dpi one pango point is one cairo user unit (pt). */
	pango_cairo_context_set_resolution(f->context, 72.0);
	/* Pango 1.44 and later round glyph positions to whole units, which
	 * at 72 dpi are whole points: letters would sit unevenly. */
	pango_context_set_round_glyph_positions(f->context, FALSE);
	pango_context_set_language(f->context,
	    pango_language_from_string(lang));
	actviz_fonts_set_raster(f, 0);
	return f;
}

void
actviz_fonts_free(struct actviz_fonts *f)
{
	if (f == NULL)
		return;
	if (f->context != NULL)
		g_object_unref(f->context);
	if (f->fontmap != NULL)
		g_object_unref(f->fontmap);
	if (f->desc != NULL)
		pango_font_description_free(f->desc);
	if (f->config != NULL)
		FcConfigDestroy(f->config);
	free(f);
}

PangoContext *
actviz_fonts_context(struct actviz_fonts *f)
{
	return f->context;
}

double
actviz_fonts_size(const struct actviz_fonts *f)
{
	return f->size;
}

void
actviz_fonts_set_raster(struct actviz_fonts *f, int raster)
{
	cairo_font_options_t	*opts;

	opts = cairo_font_options_create();
	/*
	 * Hinted metrics would round glyph advances to whole pixels, so
	 * text measured for the layout would change width between PNG and
	 * SVG/PDF.  They stay off everywhere; only outlines are hinted.
	 */
	cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
	if (raster) {
		cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_SLIGHT);
		cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
	} else
		cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(f->context, opts);
	cairo_font_options_destroy(opts);
}

PangoLayout *
actviz_fonts_layout(struct actviz_fonts *f, const char *text, double size)
{
	PangoLayout	*layout;

	if ((layout = pango_layout_new(f->context)) == NULL)
		return NULL;
	pango_font_description_set_size(f->desc,
	    (gint)(size * PANGO_SCALE + 0.5));
	pango_layout_set_font_description(layout, f->desc);
	pango_layout_set_text(layout, text, -1);
	return layout;
}

void
actviz_fonts_measure(struct actviz_fonts *f, const char *text, double size,
    double *width, double *height)
{
	PangoLayout	*layout;
	PangoRectangle	 logical;

	*width = *height = 0;
	if ((layout = actviz_fonts_layout(f, text, size)) == NULL)
		return;
	pango_layout_get_extents(layout, NULL, &logical);
	*width = (double)logical.width / PANGO_SCALE;
	*height = (double)logical.height / PANGO_SCALE;
	g_object_unref(layout);
}

static size_t
add_missing(uint32_t cp, uint32_t *missing, size_t max, size_t *nmissing)
{
	size_t	 i;

	for (i = 0; i < *nmissing; i++)
		if (missing[i] == cp)
			return 0;
	if (*nmissing == max)
		return 0;
	missing[(*nmissing)++] = cp;
	return 1;
}

size_t
actviz_fonts_missing(struct actviz_fonts *f, const char *text,
    uint32_t *missing, size_t max, size_t *nmissing)
{
	PangoLayout	*layout;
	PangoLayoutIter	*iter;
	PangoLayoutRun	*run;
	PangoGlyph	 glyph;
	size_t		 found = 0;
	int		 i;

	/* Coverage does not depend on the size, so any size will do. */
	if ((layout = actviz_fonts_layout(f, text, 10.0)) == NULL)
		return 0;
	iter = pango_layout_get_iter(layout);
	do {
		run = pango_layout_iter_get_run_readonly(iter);
		if (run == NULL)
			continue;
		for (i = 0; i < run->glyphs->num_glyphs; i++) {
			glyph = run->glyphs->glyphs[i].glyph;
			/* Pango marks a character no font covers with this
			 * flag over the character's own code point. */
			if (glyph & PANGO_GLYPH_UNKNOWN_FLAG)
				found += add_missing(glyph &
				    ~PANGO_GLYPH_UNKNOWN_FLAG, missing, max,
				    nmissing);
		}
	} while (pango_layout_iter_next_run(iter));
	pango_layout_iter_free(iter);
	g_object_unref(layout);
	return found;
}

const char *
actviz_fonts_default_dir(char *buf, size_t bufsz)
{
	const char	*env;
	char		 exe[PATH_MAX], *slash;
	ssize_t		 len;

	if ((env = getenv("ACTVIZ_FONT_DIR")) != NULL && *env != '\0') {
		snprintf(buf, bufsz, "%s", env);
		return buf;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		/* A binary built in the source tree sits beside fonts/. */
		snprintf(buf, bufsz, "%s/fonts/fonts.conf", exe);
		if (access(buf, R_OK) == 0) {
			snprintf(buf, bufsz, "%s/fonts", exe);
			return buf;
		}
		snprintf(buf, bufsz, "%s/../share/actviz/fonts/fonts.conf",
		    exe);
		if (access(buf, R_OK) == 0) {
			snprintf(buf, bufsz, "%s/../share/actviz/fonts", exe);
			return buf;
		}
	}
	snprintf(buf, bufsz, "%s/fonts", ACTVIZ_DATADIR);
	return buf;
}
