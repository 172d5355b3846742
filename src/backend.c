/*
 * PNG, SVG and PDF surfaces.  Each format sets its own options: PNG is
 * an opaque RGB image, SVG is version 1.1 sized in points, and PDF
 * carries the title, creator and a creation date that the caller can
 * pin for byte-identical files.
 */
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo.h>
#include <png.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "backend.h"
#include "output.h"

static cairo_surface_t *
png_create(cairo_write_func_t write, void *closure, double width,
    double height, const struct actviz_meta *meta)
{
	(void)write;
	(void)closure;
	(void)meta;
	/* RGB24: the background is opaque, so PNG needs no alpha channel. */
	return cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)width,
	    (int)height);
}

/* Sends libpng's output to the cairo write function in io_ptr. */
struct png_sink {
	cairo_write_func_t	 write;
	void			*closure;
	cairo_status_t		 status;
};

static void
png_sink_write(png_structp png, png_bytep data, size_t len)
{
	struct png_sink	*sink = png_get_io_ptr(png);

	if (sink->status == CAIRO_STATUS_SUCCESS)
		sink->status = sink->write(sink->closure, data,
		    (unsigned int)len);
}

static void
png_sink_flush(png_structp png)
{
	(void)png;
}

/* Converts one row of cairo RGB24 pixels (native-endian xRGB words)
 * into the RGB bytes PNG stores. */
static void
rgb_row(const unsigned char *src, unsigned char *dst, int width)
{
	uint32_t	 px;
	int		 i;

	for (i = 0; i < width; i++) {
		memcpy(&px, src + 4 * i, sizeof(px));
		dst[3 * i] = (unsigned char)(px >> 16);
		dst[3 * i + 1] = (unsigned char)(px >> 8);
		dst[3 * i + 2] = (unsigned char)px;
	}
}

/*
 * Encodes an RGB24 image surface as an 8-bit RGB PNG.  cairo's own
 * writer lets libpng try every row filter at zlib level 6, which took
 * about 40% of a PNG run.  A figure is mostly flat colour, and the "up"
 * filter at level 3 cut the default PNG run from 48 to 35 ms (median of
 * 9, x86-64) for a file 23% larger: 76 KB rather than 62 KB.
 */
static cairo_status_t
png_finish(cairo_surface_t *surface, cairo_write_func_t write,
    void *closure)
{
	struct png_sink		 sink = { write, closure, CAIRO_STATUS_SUCCESS };
	png_structp		 png;
	png_infop		 info = NULL;
	unsigned char		*row = NULL;
	const unsigned char	*data;
	int			 width, height, stride, y;

	cairo_surface_flush(surface);
	data = cairo_image_surface_get_data(surface);
	width = cairo_image_surface_get_width(surface);
	height = cairo_image_surface_get_height(surface);
	stride = cairo_image_surface_get_stride(surface);

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL ||
	    (row = malloc(3 * (size_t)width)) == NULL) {
		png_destroy_write_struct(&png, &info);
		return CAIRO_STATUS_NO_MEMORY;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return sink.status != CAIRO_STATUS_SUCCESS ? sink.status :
		    CAIRO_STATUS_WRITE_ERROR;
	}
	png_set_write_fn(png, &sink, png_sink_write, png_sink_flush);
	png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
	    PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
	png_set_compression_level(png, 3);
	png_write_info(png, info);
	for (y = 0; y < height; y++) {
		rgb_row(data + (size_t)y * (size_t)stride, row, width);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return sink.status;
}

static cairo_surface_t *
svg_create(cairo_write_func_t write, void *closure, double width,
    double height, const struct actviz_meta *meta)
{
	cairo_surface_t	*surface;

	(void)meta;
	surface = cairo_svg_surface_create_for_stream(write, closure, width,
	    height);
	cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
	cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
	return surface;
}

static cairo_surface_t *
pdf_create(cairo_write_func_t write, void *closure, double width,
    double height, const struct actviz_meta *meta)
{
	cairo_surface_t	*surface;

	surface = cairo_pdf_surface_create_for_stream(write, closure, width,
	    height);
	if (meta->title != NULL)
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_TITLE, meta->title);
	if (meta->subject != NULL)
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_SUBJECT, meta->subject);
	if (meta->creator != NULL)
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_CREATOR, meta->creator);
	/* cairo 1.16 stamps the current time and ignores
	 * SOURCE_DATE_EPOCH, so a pinned date is set here. */
	if (meta->date != NULL)
		cairo_pdf_surface_set_metadata(surface,
		    CAIRO_PDF_METADATA_CREATE_DATE, meta->date);
	return surface;
}

static cairo_status_t
vector_finish(cairo_surface_t *surface, cairo_write_func_t write,
    void *closure)
{
	(void)write;
	(void)closure;
	cairo_surface_finish(surface);
	return cairo_surface_status(surface);
}

static const struct actviz_backend backends[] = {
	{ ACTVIZ_FORMAT_PNG, "png", ".png", 1, png_create, png_finish },
	{ ACTVIZ_FORMAT_SVG, "svg", ".svg", 0, svg_create, vector_finish },
	{ ACTVIZ_FORMAT_PDF, "pdf", ".pdf", 0, pdf_create, vector_finish },
};

#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

const struct actviz_backend *
actviz_backend_find(const char *path)
{
	size_t	 i, len, extlen;

	len = strlen(path);
	for (i = 0; i < NBACKENDS; i++) {
		extlen = strlen(backends[i].ext);
		if (len > extlen &&
		    strcasecmp(path + len - extlen, backends[i].ext) == 0)
			return &backends[i];
	}
	return NULL;
}

const char *
actviz_backend_names(void)
{
	return ".png, .svg or .pdf";
}

static cairo_status_t
write_output(void *closure, const unsigned char *data, unsigned int len)
{
	if (actviz_output_write(closure, data, len) == -1)
		return CAIRO_STATUS_WRITE_ERROR;
	return CAIRO_STATUS_SUCCESS;
}

cairo_status_t
actviz_backend_write(const struct actviz_backend *b,
    struct actviz_output *out, double width, double height, double scale,
    const struct actviz_meta *meta,
    cairo_status_t (*draw)(cairo_t *, double, void *), void *arg)
{
	cairo_surface_t	*surface;
	cairo_t		*cr;
	cairo_status_t	 status;

	if (!b->raster)
		scale = 1;
	surface = b->create(write_output, out, round(width * scale),
	    round(height * scale), meta);
	if ((status = cairo_surface_status(surface)) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surface);
		return status;
	}
	cr = cairo_create(surface);
	cairo_scale(cr, scale, scale);
	status = draw(cr, b->raster ? scale : 0, arg);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_status(cr);
	cairo_destroy(cr);
	if (status == CAIRO_STATUS_SUCCESS)
		status = b->finish(surface, write_output, out);
	cairo_surface_destroy(surface);
	return status;
}
