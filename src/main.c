/*
 * actviz: computes activation curves through the model core and writes
 * them as one figure in each requested format.  Only this file prints
 * messages or chooses the exit status.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>

#include "backend.h"
#include "cli.h"
#include "data.h"
#include "fonts.h"
#include "layout.h"
#include "output.h"
#include "train.h"
#include "weights.h"
#include "recipe.h"
#include "render.h"

#define VERSION		"0.1.0"
#define EXIT_WORK	1	/* I/O, fonts or rendering failed */
#define EXIT_USAGE	2	/* bad command line or environment value */
#define DEFAULT_DIR	"out"
#define DEFAULT_BASE	"out/activations"
#define TEXT_MAX	32768	/* bytes of one formatted title or note */
#define MISSING_MAX	32	/* uncovered characters named at most */

struct run {
	struct actviz_opts	 opts;
	size_t			 training;	/* curves begun, for -v */
	int			 made_dir;	/* this run created out/ */
	struct actviz_style	 style;
	struct actviz_curves	*curves;
	struct actviz_fonts	*fonts;
	struct actviz_layout	*layout;
	char			*titles[ACTVIZ_MAX_CURVES];
	/* Unique per curve: weight-file keys and CSV column names. */
	char			*names[ACTVIZ_MAX_CURVES];
	char			*notes[ACTVIZ_MAX_CURVES];
	char			 doc_title[2048];	/* PDF metadata */
	char			 subject[128];		/* PDF metadata */
	char			 date[32];	/* ISO 8601, or empty */
	const char		*paths[ACTVIZ_MAX_OUTPUTS];
	size_t			 npaths;
	struct actviz_output	 outs[ACTVIZ_MAX_OUTPUTS + 3];
	size_t			 nouts;	/* opened so far */
};

/*
 * Writes s to fp with every control character and every byte that is
 * not well-formed UTF-8 as \xNN.  Values come from the user and from
 * files, so no message may span lines or send terminal escapes.
 */
static void
put_escaped(FILE *fp, const char *s)
{
	unsigned long	 cp;
	size_t		 n;

	for (; *s != '\0'; s += n) {
		n = actviz_cli_utf8(s, &cp);
		if (n == 0 || actviz_cli_control(cp)) {
			fprintf(fp, "\\x%02x", (unsigned char)*s);
			n = 1;
		} else
			fwrite(s, 1, n, fp);
	}
}

/* Prints "actviz: " and the message, escaped, as one line of stderr. */
static int
error(int status, const char *fmt, ...)
{
	char		 msg[4096];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("actviz: ", stderr);
	put_escaped(stderr, msg);
	fputc('\n', stderr);
	return status;
}

/* Reads SOURCE_DATE_EPOCH, when set, into r->date as ISO 8601 UTC. */
static int
read_epoch(struct run *r)
{
	const char	*env;
	char		*end;
	long long	 secs;
	time_t		 t;
	struct tm	 tm;

	r->date[0] = '\0';
	if ((env = getenv("SOURCE_DATE_EPOCH")) == NULL || *env == '\0')
		return 0;
	errno = 0;
	secs = strtoll(env, &end, 10);
	t = (time_t)secs;
	if (strspn(env, "0123456789") != strlen(env) ||
	    *end != '\0' || errno == ERANGE || secs < 0 ||
	    secs > 253402300799LL || gmtime_r(&t, &tm) == NULL)
		return error(EXIT_USAGE, "SOURCE_DATE_EPOCH=%s: expected "
		    "seconds since 1970-01-01 UTC, from 0 to 253402300799",
		    env);
	strftime(r->date, sizeof(r->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

/* Prints one line per epoch for -v.  Curves are trained in order, each
 * from epoch 1, so an epoch 1 starts the next curve. */
static void
report_epoch(void *arg, size_t epoch, double loss)
{
	struct run	*r = arg;

	if (epoch == 1)
		r->training++;
	fputs("actviz: ", stderr);
	put_escaped(stderr, r->names[r->training - 1]);
	fprintf(stderr, ": epoch %zu/%zu: loss %.9g\n", epoch,
	    r->opts.fit.epochs, loss);
}

/* Writes v in the fewest significant digits that read back as v. */
static const char *
shortest(char *buf, size_t bufsz, double v)
{
	int	 digits;

	for (digits = 1; digits < 17; digits++) {
		snprintf(buf, bufsz, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, bufsz, "%.17g", v);
	return buf;
}

/*
 * Names each curve for files: the activation, its parameters that
 * differ from the defaults ("elu:alpha=0.5"), and "#2", "#3" ... for
 * a repeat, so no two curves share a weight-file key or CSV column.
 */
static int
make_names(struct run *r)
{
	const struct actviz_act	*act, *row;
	char			 buf[256], num[32];
	size_t			 i, j, len, repeat;

	for (i = 0; i < r->opts.nacts; i++) {
		act = r->opts.acts[i];
		row = actviz_act_lookup(act->name, r->opts.keras);
		len = (size_t)snprintf(buf, sizeof(buf), "%s", act->name);
		for (j = 0; row != NULL && j < act->nparams; j++)
			if (act->param[j] != row->param[j] && len < sizeof(buf))
				len += (size_t)snprintf(buf + len,
				    sizeof(buf) - len, ":%s=%s",
				    act->param_names[j],
				    shortest(num, sizeof(num), act->param[j]));
		for (j = 0, repeat = 1; j < i; j++)
			repeat += strncmp(r->names[j], buf, strlen(buf)) == 0 &&
			    (r->names[j][strlen(buf)] == '\0' ||
			    r->names[j][strlen(buf)] == '#');
		len = strlen(buf);
		if (repeat > 1 && len < sizeof(buf))
			snprintf(buf + len, sizeof(buf) - len, "#%zu", repeat);
		if ((r->names[i] = strdup(buf)) == NULL)
			return error(EXIT_WORK, "%s", strerror(ENOMEM));
	}
	return 0;
}

static int
load_weights(struct run *r)
{
	char		 err[1024];

	if (r->opts.load_weights == NULL)
		return 0;
	if (actviz_weights_load(r->opts.load_weights, r->curves->models,
	    (const char *const *)r->names, r->curves->ncurves, err,
	    sizeof(err)) == -1)
		return error(EXIT_WORK, "--load-weights %s", err);
	return 0;
}

static int
train(struct run *r)
{
	const struct actviz_opts	*o = &r->opts;
	size_t				 curve = 0, epoch = 0;

	if (o->fit.epochs == 0)
		return 0;
	if (o->verbose) {
		r->opts.fit.on_epoch = report_epoch;
		r->opts.fit.arg = r;
	}
	if (actviz_curves_fit(r->curves, &o->fit, &curve, &epoch) == 0)
		return 0;
	if (errno == EDOM)
		return error(EXIT_USAGE, "--fit %zu: the target log(x + max(x) "
		    "+ 1) is undefined where x <= -(max(x) + 1); use an "
		    "--x-range with MIN + MAX > -1", o->fit.epochs);
	if (errno == ERANGE)
		return error(EXIT_WORK, "--fit %zu: training %s diverged at "
		    "epoch %zu (loss or weights not finite); use a smaller "
		    "--lr than %g", o->fit.epochs,
		    r->curves->acts[curve]->name, epoch, o->fit.lr);
	return error(EXIT_WORK, "--fit: %s", strerror(errno));
}

/*
 * Checks that every curve can be drawn: an axis spanning values near
 * the largest double would overflow when its margin is added, so values
 * beyond 1e300 are refused.
 */
static int
check_plottable(const struct run *r)
{
	const struct actviz_curves	*c = r->curves;
	size_t				 i;

	for (i = 0; i < c->ncurves * c->nx; i++)
		if (fabs(c->y[i]) > 1e300 ||
		    (r->opts.derivative && fabs(c->dy[i]) > 1e300))
			return error(EXIT_WORK, "%s: values reach %g, too large "
			    "to plot; choose a smaller --x-range or smaller "
			    "weights", r->names[i / c->nx],
			    fabs(c->y[i]) > 1e300 ? c->y[i] : c->dy[i]);
	return 0;
}

/* Reads the curves from the models, as they are now. */
static int
evaluate(struct run *r)
{
	const struct actviz_opts	*o = &r->opts;
	size_t				 curve = 0;

	if (actviz_curves_eval(r->curves, &curve) == 0)
		return check_plottable(r);
	if (errno == ERANGE)
		return error(EXIT_WORK, "%s: the curve or its derivative is "
		    "not finite on --x-range %g:%g; choose a smaller range or "
		    "smaller weights", r->names[curve], o->xmin, o->xmax);
	return error(EXIT_WORK, "computing the curves: %s", strerror(errno));
}

/* Builds the models and names, and loads the weight file if any. */
static int
build(struct run *r)
{
	const struct actviz_opts	*o = &r->opts;
	int				 rc;

	r->curves = actviz_curves_new(o->acts, o->nacts, o->xmin, o->xmax,
	    o->samples, &o->weights);
	if (r->curves == NULL)
		return error(EXIT_WORK, "building the models: %s",
		    strerror(errno));
	if ((rc = make_names(r)) != 0 || (rc = load_weights(r)) != 0)
		return rc;
	return 0;
}

/*
 * Appends "name=value" for each parameter of act that differs from the
 * table's default, after ", " when comma is set and with minus as the
 * negative sign.  Returns the length written.
 */
static size_t
param_note(const struct actviz_act *act, int keras, const char *minus,
    char *buf, size_t bufsz, int comma)
{
	const struct actviz_act	*row = actviz_act_lookup(act->name, keras);
	char			 num[64], value[64];
	size_t			 j, len = 0;

	for (j = 0; row != NULL && j < act->nparams && len < bufsz; j++) {
		if (act->param[j] == row->param[j])
			continue;
		snprintf(num, sizeof(num), "%g", act->param[j]);
		actviz_number_text(value, sizeof(value), num, minus);
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%s=%s",
		    comma || len > 0 ? ", " : "", act->param_names[j], value);
	}
	return len < bufsz ? len : bufsz;
}

/*
 * Formats the note under curve i's title into buf: the Hidden weights
 * unless they are the unit ones, the training, and the Keras version
 * when it is not 2.  Leaves buf empty when there is nothing to note.
 */
static void
make_note(const struct run *r, size_t i, char *buf, size_t bufsz)
{
	const struct actviz_opts	*o = &r->opts;
	char				 num[64], k[64], b[64];
	size_t				 len = 0;

	buf[0] = '\0';
	if (o->weights.mode != ACTVIZ_WEIGHTS_UNIT || o->fit.epochs > 0 ||
	    o->load_weights != NULL) {
		/* Adding 0.0 turns -0 into 0, which needs no sign. */
		snprintf(num, sizeof(num), "%.4g", r->curves->kernel[i] + 0.0);
		actviz_number_text(k, sizeof(k), num, r->style.minus);
		snprintf(num, sizeof(num), "%.4g", r->curves->bias[i] + 0.0);
		actviz_number_text(b, sizeof(b), num, r->style.minus);
		len += (size_t)snprintf(buf + len, bufsz - len,
		    "kernel %s, bias %s", k, b);
	}
	/* Before training the loss is not known yet; a stand-in of the
	 * longest %.4g form sizes the trial layout. */
	if (o->fit.epochs > 0 && len < bufsz)
		len += (size_t)snprintf(buf + len, bufsz - len,
		    ", after %zu epoch%s, loss %.4g", o->fit.epochs,
		    o->fit.epochs == 1 ? "" : "s",
		    r->curves->history != NULL ?
		    r->curves->history[(i + 1) * o->fit.epochs - 1] :
		    -1.234e-05);
	len += param_note(r->curves->acts[i], o->keras, r->style.minus,
	    buf + len, len < bufsz ? bufsz - len : 0, len > 0);
	if (o->keras != 2 && len < bufsz)
		snprintf(buf + len, bufsz - len, "%sKeras %d", len > 0 ?
		    ", " : "", o->keras);
}

/* Formats each panel's title and note, and the PDF's title. */
static int
make_titles(struct run *r)
{
	char	 buf[TEXT_MAX];
	size_t	 i, len = 0;

	for (i = 0; i < r->curves->ncurves; i++) {
		const char *name = r->curves->acts[i]->name;

		if (actviz_cli_title(buf, sizeof(buf), r->opts.title, name)
		    == -1 || (r->titles[i] = strdup(buf)) == NULL)
			return error(EXIT_WORK, "--title: %s", strerror(ENOMEM));
		make_note(r, i, buf, sizeof(buf));
		if (buf[0] != '\0' && (r->notes[i] = strdup(buf)) == NULL)
			return error(EXIT_WORK, "%s", strerror(ENOMEM));
		if (len < sizeof(r->doc_title))
			len += (size_t)snprintf(r->doc_title + len,
			    sizeof(r->doc_title) - len, "%s%s",
			    i == 0 ? "Activation functions: " : ", ", name);
	}
	snprintf(r->subject, sizeof(r->subject), "Activations as Keras %d "
	    "defines them%s", r->opts.keras, r->opts.fit.epochs > 0 ?
	    ", read from trained models" : "");
	return 0;
}

static int
load_fonts(struct run *r)
{
	char		 dir[PATH_MAX], err[512];
	uint32_t	 missing[1];
	size_t		 n = 0;
	double		 size;

	actviz_fonts_default_dir(dir, sizeof(dir));
	r->fonts = actviz_fonts_new(dir, r->opts.font, err, sizeof(err));
	if (r->fonts == NULL)
		return error(errno == EINVAL ? EXIT_USAGE : EXIT_WORK, "%s",
		    err);
	/* Fall back to a hyphen-minus when no font has U+2212. */
	if (actviz_fonts_missing(r->fonts, r->style.minus, missing, 1, &n))
		r->style.minus = "-";
	if ((size = actviz_fonts_size(r->fonts)) > 0) {
		r->style.tick_size = size;
		r->style.title_size = size * 1.4;
		r->style.note_size = size * 0.9;
		r->style.legend_line = size * 1.8;
		r->style.dash = size * 0.5;
	}
	return 0;
}

static int
make_layout(struct run *r)
{
	struct actviz_layout	 need;

	r->layout = actviz_layout_new(&r->style, r->curves,
	    (const char *const *)r->titles, (const char *const *)r->notes,
	    actviz_render_measure, r->fonts, &need);
	if (r->layout != NULL)
		return 0;
	if (errno == ERANGE && (need.min_width > ACTVIZ_MAX_SIDE ||
	    need.min_height > ACTVIZ_MAX_SIDE))
		return error(EXIT_USAGE, "--title %s: the titles need a figure "
		    "of %.0fx%.0f, more than the largest size %d; shorten "
		    "the title or show fewer activations", r->opts.title,
		    need.min_width, need.min_height, ACTVIZ_MAX_SIDE);
	if (errno == ERANGE)
		return error(EXIT_USAGE, "--size %dx%d%s: too small for %zu "
		    "panels (%zu x %zu) with this text; use at least %.0fx%.0f",
		    r->opts.width, r->opts.height, r->opts.size_given ? "" :
		    " (the default)", r->curves->ncurves, need.cols, need.rows,
		    need.min_width, need.min_height);
	return error(EXIT_WORK, "layout: %s", strerror(errno));
}

/* Appends code point cp to buf as UTF-8 when it is printable. */
static void
put_char(char *buf, size_t bufsz, uint32_t cp)
{
	char	 u[5] = { 0 };

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp < 0xe000))
		u[0] = '\0';
	else if (cp < 0x80)
		u[0] = (char)cp;
	else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
	}
	snprintf(buf + strlen(buf), bufsz - strlen(buf), "%s'%s' (U+%04X)",
	    buf[0] == '\0' ? "" : ", ", u, (unsigned)cp);
}

/*
 * Checks that the fonts cover every character of the text drawn: the
 * titles, notes and legend labels first (before the layout, which
 * measures them), then with ticks set the tick labels.  No figure ever
 * shows an unknown-glyph box.
 */
static int
check_coverage(struct run *r, int ticks)
{
	const struct actviz_panel	*p;
	uint32_t			 missing[MISSING_MAX];
	size_t				 n = 0, i, j;
	char				 list[MISSING_MAX * 20] = "";
	char				 dir[PATH_MAX];

	for (i = 0; !ticks && i < r->curves->ncurves; i++) {
		actviz_fonts_missing(r->fonts, r->titles[i], missing,
		    MISSING_MAX, &n);
		if (r->notes[i] != NULL)
			actviz_fonts_missing(r->fonts, r->notes[i], missing,
			    MISSING_MAX, &n);
	}
	if (!ticks && r->style.derivative) {
		actviz_fonts_missing(r->fonts, r->style.label_y, missing,
		    MISSING_MAX, &n);
		actviz_fonts_missing(r->fonts, r->style.label_dy, missing,
		    MISSING_MAX, &n);
	}
	for (i = 0; ticks && i < r->layout->npanels; i++) {
		p = &r->layout->panels[i];
		for (j = 0; j < p->x.nticks; j++)
			actviz_fonts_missing(r->fonts, p->x.labels[j],
			    missing, MISSING_MAX, &n);
		for (j = 0; j < p->y.nticks; j++)
			actviz_fonts_missing(r->fonts, p->y.labels[j],
			    missing, MISSING_MAX, &n);
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		put_char(list, sizeof(list), missing[i]);
	actviz_fonts_default_dir(dir, sizeof(dir));
	return error(EXIT_WORK, "no available font covers %s; install a "
	    "font that has %s (for Chinese on Debian: apt-get install "
	    "fonts-noto-cjk), copy one into %s, or pass --font with a "
	    "family that has %s", list, n > 1 ? "them" : "it", dir,
	    n > 1 ? "them" : "it");
}

/* Fills r->paths with the -o files, or the three default ones. */
static int
choose_paths(struct run *r)
{
	static const char *const defaults[] = {
		DEFAULT_BASE ".png", DEFAULT_BASE ".svg", DEFAULT_BASE ".pdf"
	};
	size_t	 i;

	if (r->opts.noutputs > 0) {
		for (i = 0; i < r->opts.noutputs; i++)
			r->paths[i] = r->opts.outputs[i];
		r->npaths = r->opts.noutputs;
		return 0;
	}
	for (i = 0; i < 3; i++)
		r->paths[i] = defaults[i];
	r->npaths = 3;
	if (mkdir(DEFAULT_DIR, 0777) == 0)
		r->made_dir = 1;
	else if (errno != EEXIST)
		return error(EXIT_WORK, "%s: cannot create folder: %s",
		    DEFAULT_DIR, strerror(errno));
	return 0;
}

static cairo_status_t
draw(cairo_t *cr, double px, void *arg)
{
	struct run	*r = arg;

	return actviz_render_draw(cr, r->layout, r->curves, &r->style,
	    r->fonts, px);
}

static int
open_failed(const char *path)
{
	return error(EXIT_WORK, "%s: cannot create a file in its folder: %s",
	    path, strerror(errno));
}

/* Returns the checked output for path (checked by check_outputs()). */
static struct actviz_output *
find_output(struct run *r, const char *path)
{
	size_t	 i;

	for (i = 0; i < r->nouts; i++)
		if (strcmp(r->outs[i].path, path) == 0)
			return &r->outs[i];
	abort();	/* every path written was checked first */
}

static int
write_figure(struct run *r, const char *path)
{
	const struct actviz_backend	*b = actviz_backend_find(path);
	struct actviz_output		*out;
	struct actviz_meta		 meta;
	cairo_status_t			 status;

	out = find_output(r, path);
	if (actviz_output_open(out) == -1)
		return open_failed(path);
	meta.title = r->doc_title;
	meta.subject = r->subject;
	meta.creator = "actviz " VERSION;
	meta.date = r->date[0] != '\0' ? r->date : NULL;
	status = actviz_backend_write(b, out, r->opts.width, r->opts.height,
	    r->opts.scale, &meta, draw, r);
	if (status == CAIRO_STATUS_WRITE_ERROR && out->error != 0)
		return error(EXIT_WORK, "%s: %s", path, strerror(out->error));
	if (status != CAIRO_STATUS_SUCCESS)
		return error(EXIT_WORK, "%s: cairo failed: %s", path,
		    cairo_status_to_string(status));
	if (actviz_output_close(out) == -1)
		return error(EXIT_WORK, "%s: %s", path, strerror(errno));
	return 0;
}

/* Kinds of text file that write_text() produces. */
enum text_kind {
	TEXT_DATA,
	TEXT_HISTORY,
	TEXT_WEIGHTS
};

static int
write_text(struct run *r, const char *path, enum text_kind kind)
{
	const char *const	*names = (const char *const *)r->names;
	struct actviz_output	*out;
	char			*json;
	int			 rc;

	if (path == NULL)
		return 0;
	out = find_output(r, path);
	if (actviz_output_open(out) == -1)
		return open_failed(path);
	if (kind == TEXT_DATA)
		rc = actviz_data_write(out, r->curves, names,
		    r->opts.derivative);
	else if (kind == TEXT_HISTORY)
		rc = actviz_data_history(out, r->curves, names);
	else {
		json = actviz_weights_to_json(r->curves->models, names,
		    r->curves->ncurves);
		rc = json == NULL ? -1 :
		    actviz_output_write(out, json, strlen(json));
		free(json);
	}
	if (rc == -1 || actviz_output_close(out) == -1)
		return error(EXIT_WORK, "%s: %s", path,
		    strerror(out->error != 0 ? out->error : errno));
	return 0;
}

/* Explains why actviz_output_check() rejected path. */
static int
check_failed(const char *path)
{
	if (errno == EISDIR)
		return error(EXIT_WORK, "%s: is a folder; name a file",
		    path);
	if (errno == EINVAL)
		return error(EXIT_WORK, "%s: not a regular file, or an open "
		    "stream such as standard output; actviz replaces outputs "
		    "whole with a rename, so name a regular file", path);
	if (errno == EPERM)
		return error(EXIT_WORK, "%s: another user's file in a sticky "
		    "folder, which actviz may not replace", path);
	return error(EXIT_WORK, "%s: %s", path, strerror(errno));
}

/*
 * Checks every file this run writes before writing any.  The known
 * reasons for a rename to fail (a folder, a device, another user's file
 * in a sticky folder) then stop the run before any file is replaced.
 */
static int
check_outputs(struct run *r)
{
	const char	*paths[ACTVIZ_MAX_OUTPUTS + 3];
	size_t		 n = 0, i, j;

	for (i = 0; i < r->npaths; i++)
		paths[n++] = r->paths[i];
	if (r->opts.data != NULL)
		paths[n++] = r->opts.data;
	if (r->opts.history != NULL)
		paths[n++] = r->opts.history;
	if (r->opts.save_weights != NULL)
		paths[n++] = r->opts.save_weights;
	for (i = 0; i < n; i++) {
		if (actviz_output_check(&r->outs[i], paths[i]) == -1)
			return check_failed(paths[i]);
		r->nouts++;
		for (j = 0; j < i; j++)
			if (actviz_output_same(&r->outs[j], &r->outs[i]))
				return error(EXIT_USAGE, "%s and %s name the "
				    "same file; give each output its own",
				    paths[j], paths[i]);
	}
	return 0;
}

/*
 * Writes every file to its temporary file first and renames them into
 * place only when all succeeded, so a failure replaces no file.
 */
static int
write_all(struct run *r)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < r->npaths; i++)
		if ((rc = write_figure(r, r->paths[i])) != 0)
			return rc;
	if ((rc = write_text(r, r->opts.data, TEXT_DATA)) != 0 ||
	    (rc = write_text(r, r->opts.history, TEXT_HISTORY)) != 0 ||
	    (rc = write_text(r, r->opts.save_weights, TEXT_WEIGHTS)) != 0)
		return rc;
	for (i = 0; i < r->nouts; i++) {
		if (actviz_output_commit(&r->outs[i]) == -1)
			return error(EXIT_WORK, "%s: cannot replace: %s",
			    r->outs[i].path, strerror(errno));
		if (r->opts.verbose) {
			fputs("actviz: wrote ", stderr);
			put_escaped(stderr, r->outs[i].path);
			fputc('\n', stderr);
		}
	}
	return 0;
}

/* Makes the titles, notes and layout, checking font coverage. */
static int
prepare_figure(struct run *r)
{
	int	 rc;

	if ((rc = make_titles(r)) != 0 || (rc = check_coverage(r, 0)) != 0 ||
	    (rc = make_layout(r)) != 0 || (rc = check_coverage(r, 1)) != 0)
		return rc;
	return 0;
}

/* Drops the titles, notes and layout of a trial figure. */
static void
clear_figure(struct run *r)
{
	size_t	 i;

	for (i = 0; i < ACTVIZ_MAX_CURVES; i++) {
		free(r->titles[i]);
		free(r->notes[i]);
		r->titles[i] = r->notes[i] = NULL;
	}
	actviz_layout_free(r->layout);
	r->layout = NULL;
}

/*
 * Computes and lays out the figure.  Training may take long, so the
 * untrained curves are laid out first: a figure too small for the text
 * or a character no font covers then fails before any training.
 */
static int
compute_figure(struct run *r)
{
	int	 rc;

	if ((rc = build(r)) != 0)
		return rc;
	if (r->opts.fit.epochs > 0) {
		if ((rc = evaluate(r)) != 0 || (rc = prepare_figure(r)) != 0)
			return rc;
		clear_figure(r);
		if ((rc = train(r)) != 0)
			return rc;
	}
	if ((rc = evaluate(r)) != 0)
		return rc;
	return prepare_figure(r);
}

static void
run_free(struct run *r)
{
	size_t	 i;

	for (i = 0; i < r->nouts; i++)
		actviz_output_discard(&r->outs[i]);
	for (i = 0; i < ACTVIZ_MAX_CURVES; i++) {
		free(r->titles[i]);
		free(r->notes[i]);
		free(r->names[i]);
	}
	actviz_layout_free(r->layout);
	actviz_fonts_free(r->fonts);
	actviz_curves_free(r->curves);
}

/* Prints the activation table for --list. */
static int
print_list(int keras)
{
	static char	 buf[16384];

	if (actviz_cli_list(buf, sizeof(buf), keras) == -1)
		return error(EXIT_WORK, "--list: table longer than %zu bytes",
		    sizeof(buf));
	printf("%-22s %-29s %-14s %s\n", "NAME", "PARAMETERS",
	    "INITIALIZER", "FORMULA");
	fputs(buf, stdout);
	return fflush(stdout) == 0 ? 0 : error(EXIT_WORK, "--list: %s",
	    strerror(errno));
}

int
main(int argc, char *argv[])
{
	static struct run	 r;
	char			 err[2048];
	int			 rc;

	actviz_opts_defaults(&r.opts);
	if (actviz_cli_parse(&r.opts, argc, argv, err, sizeof(err)) == -1) {
		return error(EXIT_USAGE, "%s", err);
	}
	if (r.opts.help || r.opts.version) {
		fputs(r.opts.help ? actviz_cli_usage() : "actviz " VERSION "\n",
		    stdout);
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 :
		    error(EXIT_WORK, "standard output: %s", strerror(errno));
	}
	if (r.opts.list)
		return print_list(r.opts.keras);
	actviz_style_defaults(&r.style);
	r.style.width = r.opts.width;
	r.style.height = r.opts.height;
	r.style.derivative = r.opts.derivative;
	actviz_output_trap_signals();

	/* Outputs are checked first, so a bad path fails before training
	 * that may take long. */
	if ((rc = read_epoch(&r)) == 0 && (rc = choose_paths(&r)) == 0 &&
	    (rc = check_outputs(&r)) == 0 && (rc = load_fonts(&r)) == 0 &&
	    (rc = compute_figure(&r)) == 0)
		rc = write_all(&r);
	/*
	 * No cairo_debug_reset_static_data() here: pango's font-sorting
	 * thread may still hold the font map, and cairo then aborts on
	 * fonts that are still alive.
	 */
	run_free(&r);
	/* A failed run leaves nothing behind, not even an empty out/. */
	if (rc != 0 && r.made_dir)
		rmdir(DEFAULT_DIR);
	return rc;
}
