/*
 * Command-line parsing.  Every option has a row in the long-option
 * table and a case in set_option().  Every value is checked here, so the
 * rest of the program gets only values it can use.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cli.h"

#define TITLE_MAX	1024	/* bytes in a --title format */

enum {
	OPT_XRANGE = 256,
	OPT_SAMPLES,
	OPT_TITLE,
	OPT_FONT,
	OPT_SIZE,
	OPT_DATA,
	OPT_WEIGHTS,
	OPT_SEED,
	OPT_VERSION,
	OPT_DERIVATIVE,
	OPT_FIT,
	OPT_LR,
	OPT_BATCH_SIZE,
	OPT_NO_SHUFFLE,
	OPT_HISTORY,
	OPT_LOAD_WEIGHTS,
	OPT_SAVE_WEIGHTS,
	OPT_KERAS,
	OPT_LIST,
	OPT_SCALE
};

/* The recipe's nine activations, in the order of its 3x3 figure. */
static const char default_acts[] =
    "linear,softmax,sigmoid,tanh,softsign,hard_sigmoid,softplus,selu,elu";

static const struct option long_options[] = {
	{ "output",	 required_argument, NULL, 'o' },
	{ "activations", required_argument, NULL, 'a' },
	{ "x-range",	 required_argument, NULL, OPT_XRANGE },
	{ "samples",	 required_argument, NULL, OPT_SAMPLES },
	{ "title",	 required_argument, NULL, OPT_TITLE },
	{ "font",	 required_argument, NULL, OPT_FONT },
	{ "size",	 required_argument, NULL, OPT_SIZE },
	{ "data",	 required_argument, NULL, OPT_DATA },
	{ "weights",	 required_argument, NULL, OPT_WEIGHTS },
	{ "seed",	 required_argument, NULL, OPT_SEED },
	{ "derivative",	 no_argument,	    NULL, OPT_DERIVATIVE },
	{ "fit",	 required_argument, NULL, OPT_FIT },
	{ "lr",		 required_argument, NULL, OPT_LR },
	{ "batch-size",	 required_argument, NULL, OPT_BATCH_SIZE },
	{ "no-shuffle",	 no_argument,	    NULL, OPT_NO_SHUFFLE },
	{ "history",	 required_argument, NULL, OPT_HISTORY },
	{ "load-weights", required_argument, NULL, OPT_LOAD_WEIGHTS },
	{ "save-weights", required_argument, NULL, OPT_SAVE_WEIGHTS },
	{ "keras",	 required_argument, NULL, OPT_KERAS },
	{ "list",	 no_argument,	    NULL, OPT_LIST },
	{ "scale",	 required_argument, NULL, OPT_SCALE },
	{ "verbose",	 no_argument,	    NULL, 'v' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "version",	 no_argument,	    NULL, OPT_VERSION },
	{ NULL,		 0,		    NULL, 0 }
};

static const char usage[] =
"usage: actviz [options]\n"
"\n"
"Draws activation functions read from the hidden layer of a small\n"
"Keras-style model, one panel each, into PNG, SVG and PDF figures.\n"
"Without -o it writes out/activations.png, .svg and .pdf.\n"
"\n"
"  -o, --output FILE       write FILE; .png, .svg or .pdf picks the\n"
"                          format (repeatable)\n"
"  -a, --activations LIST  comma-separated Keras names, each optionally\n"
"                          with :PARAM=VALUE, e.g. elu:alpha=0.5 (default:\n"
"                          linear,softmax,sigmoid,tanh,softsign,\n"
"                          hard_sigmoid,softplus,selu,elu); see --list\n"
"      --keras VERSION     2 (default) or 3: whose definitions to use\n"
"      --list              print the activations and their formulas\n"
"      --x-range MIN:MAX   inclusive x range (default -5:4.9)\n"
"      --samples N         points per curve, 2 to 100000 (default 100)\n"
"      --title FORMAT      panel title, %s is the activation name\n"
"                          (default '\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd"
"\xe6\x95\xb0:%s')\n"
"      --font PATTERN      fontconfig pattern for all text, e.g.\n"
"                          'Noto Sans CJK SC:size=10'\n"
"      --size WxH          figure size in points, 1 to 32767 each\n"
"                          (default 960x900)\n"
"      --scale F           PNG pixels per point, 0.25 to 8 (default 1)\n"
"      --data FILE         also write the curves as CSV\n"
"      --weights MODE      hidden-layer weights: unit (kernel 1, bias 0),\n"
"                          init (the recipe's initializers) or K,B\n"
"      --seed N            generator seed for weights and shuffling\n"
"                          (default 0)\n"
"      --load-weights FILE set weights from a JSON file first\n"
"      --save-weights FILE write the final weights as JSON\n"
"      --derivative        also draw dy/dx, dashed; --data adds d_NAME\n"
"      --fit EPOCHS        train on y = log(x + max(x) + 1) with SGD and\n"
"                          mean squared error, then draw the result\n"
"      --lr RATE           SGD learning rate (default 0.01)\n"
"      --batch-size N      samples per update (default 32)\n"
"      --no-shuffle        keep the sample order in every epoch\n"
"      --history FILE      write each epoch's loss as CSV\n"
"  -v, --verbose           report each epoch and file written on stderr\n"
"  -h, --help              print this help\n"
"      --version           print the version\n"
"\n"
"Exit status: 0 on success, 1 when the work failed (files, fonts,\n"
"rendering), 2 for a bad command line or environment value.\n";

const char *
actviz_cli_usage(void)
{
	return usage;
}

static int	resolve_acts(struct actviz_opts *, char *, size_t);

void
actviz_opts_defaults(struct actviz_opts *o)
{
	char	 err[256];

	memset(o, 0, sizeof(*o));
	o->keras = 2;
	o->xmin = -5.0;
	o->xmax = 4.9;
	o->samples = 100;
	o->title = "\xe6\xbf\x80\xe6\xb4\xbb\xe5\x87\xbd\xe6\x95\xb0:%s";
	o->width = 960;
	o->height = 900;
	o->scale = 1;
	actviz_weights_defaults(&o->weights);
	actviz_fit_defaults(&o->fit);
	o->fit.epochs = 0;
	/* The nine default names are table rows, so they parse; the
	 * rendering tests build figures from these defaults. */
	resolve_acts(o, err, sizeof(err));
}

static int
fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

/* Parses all of s as a finite double: 0, or -1. */
static int
parse_double(const char *s, double *v)
{
	char	*end;

	/* Decimal only: strtod() would also read hexadecimal floats, which
	 * the integer options reject too. */
	if (*s == '\0' || isspace((unsigned char)*s) ||
	    strpbrk(s, "xX") != NULL)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	/* ERANGE also flags a tiny value that rounds to a subnormal or 0,
	 * which is still a number; only an overflow is rejected. */
	if (*end != '\0' || !isfinite(*v) ||
	    (errno == ERANGE && fabs(*v) >= 1.0))
		return -1;
	return 0;
}

/* Parses all of s as a decimal integer in [min, max]: 0, or -1. */
static int
parse_long(const char *s, long min, long max, long *v)
{
	char	*end;

	if (!isdigit((unsigned char)*s) && *s != '-')
		return -1;
	errno = 0;
	*v = strtol(s, &end, 10);
	if (*end != '\0' || errno == ERANGE || *v < min || *v > max)
		return -1;
	return 0;
}

static int
parse_range(struct actviz_opts *o, const char *arg, char *err,
    size_t errsz)
{
	char	 buf[128], *colon;

	if (strlen(arg) >= sizeof(buf))
		return fail(err, errsz, "--x-range: value longer than %zu "
		    "bytes", sizeof(buf) - 1);
	snprintf(buf, sizeof(buf), "%s", arg);
	if ((colon = strchr(buf, ':')) == NULL)
		return fail(err, errsz, "--x-range %s: expected MIN:MAX, "
		    "e.g. -5:4.9", arg);
	*colon = '\0';
	if (parse_double(buf, &o->xmin) == -1 ||
	    parse_double(colon + 1, &o->xmax) == -1)
		return fail(err, errsz, "--x-range %s: MIN and MAX must be "
		    "finite numbers, e.g. -5:4.9", arg);
	if (fabs(o->xmin) > ACTVIZ_MAX_ABS || fabs(o->xmax) > ACTVIZ_MAX_ABS)
		return fail(err, errsz, "--x-range %s: values must lie "
		    "within -1e6 to 1e6", arg);
	if (!(o->xmin < o->xmax))
		return fail(err, errsz, "--x-range %s: MIN must be less than "
		    "MAX", arg);
	return 0;
}

static int
parse_size(struct actviz_opts *o, const char *arg, char *err,
    size_t errsz)
{
	char	 buf[64], *x;
	long	 w, h;

	if (strlen(arg) >= sizeof(buf))
		return fail(err, errsz, "--size: value longer than %zu bytes",
		    sizeof(buf) - 1);
	snprintf(buf, sizeof(buf), "%s", arg);
	if ((x = strpbrk(buf, "xX")) == NULL)
		return fail(err, errsz, "--size %s: expected WxH in points, "
		    "e.g. 960x900", arg);
	*x = '\0';
	if (parse_long(buf, 1, ACTVIZ_MAX_SIDE, &w) == -1 ||
	    parse_long(x + 1, 1, ACTVIZ_MAX_SIDE, &h) == -1)
		return fail(err, errsz, "--size %s: width and height must be "
		    "whole numbers from 1 to %d", arg, ACTVIZ_MAX_SIDE);
	o->width = (int)w;
	o->height = (int)h;
	o->size_given = 1;
	return 0;
}

static int
parse_weights(struct actviz_opts *o, const char *arg, char *err,
    size_t errsz)
{
	char	 buf[128], *comma;

	if (strcmp(arg, "unit") == 0) {
		o->weights.mode = ACTVIZ_WEIGHTS_UNIT;
		return 0;
	}
	if (strcmp(arg, "init") == 0) {
		o->weights.mode = ACTVIZ_WEIGHTS_INIT;
		return 0;
	}
	if (strlen(arg) >= sizeof(buf))
		return fail(err, errsz, "--weights: value longer than %zu "
		    "bytes", sizeof(buf) - 1);
	snprintf(buf, sizeof(buf), "%s", arg);
	if ((comma = strchr(buf, ',')) == NULL)
		return fail(err, errsz, "--weights %s: expected unit, init or "
		    "KERNEL,BIAS, e.g. 0.37,-0.25", arg);
	*comma = '\0';
	if (parse_double(buf, &o->weights.kernel) == -1 ||
	    parse_double(comma + 1, &o->weights.bias) == -1 ||
	    fabs(o->weights.kernel) > ACTVIZ_MAX_ABS ||
	    fabs(o->weights.bias) > ACTVIZ_MAX_ABS)
		return fail(err, errsz, "--weights %s: KERNEL and BIAS must be "
		    "finite numbers within -1e6 to 1e6", arg);
	o->weights.mode = ACTVIZ_WEIGHTS_FIXED;
	return 0;
}

static int
parse_seed(struct actviz_opts *o, const char *arg, char *err,
    size_t errsz)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	if (!isdigit((unsigned char)*arg) ||
	    (v = strtoull(arg, &end, 10), *end != '\0') || errno == ERANGE)
		return fail(err, errsz, "--seed %s: expected a whole number "
		    "from 0 to 18446744073709551615", arg);
	o->weights.seed = (uint64_t)v;
	return 0;
}

/*
 * Parses the -a list (or the default nine) under the chosen Keras
 * version.  Runs after every option is read, because --keras may come
 * after -a.
 */
static int
resolve_acts(struct actviz_opts *o, char *err, size_t errsz)
{
	const char	*list = o->act_list != NULL ? o->act_list : default_acts;
	char		 buf[4096], msg[1024], *item, *next, *end;

	if (strlen(list) >= sizeof(buf))
		return fail(err, errsz, "--activations: list too long");
	snprintf(buf, sizeof(buf), "%s", list);
	o->nacts = 0;
	for (item = buf; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		while (isspace((unsigned char)*item))
			item++;
		end = item + strlen(item);
		while (end > item && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (o->nacts == ACTVIZ_MAX_CURVES)
			return fail(err, errsz, "--activations %s: at most %d "
			    "activations fit one figure", list,
			    ACTVIZ_MAX_CURVES);
		if (actviz_act_parse(item, o->keras, &o->specs[o->nacts], msg,
		    sizeof(msg)) == -1)
			return fail(err, errsz, "--activations %s: %s", list,
			    msg);
		o->acts[o->nacts] = &o->specs[o->nacts];
		o->nacts++;
	}
	return 0;
}

size_t
actviz_cli_utf8(const char *s, unsigned long *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;

	if (*p < 0x80) {
		*cp = *p;
		return 1;
	}
	if (*p >= 0xc2 && *p < 0xe0)
		n = 2;
	else if (*p >= 0xe0 && *p < 0xf0)
		n = 3;
	else if (*p >= 0xf0 && *p < 0xf5)
		n = 4;
	else
		return 0;
	*cp = *p & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && *cp < 0x800) || (n == 4 && *cp < 0x10000) ||
	    *cp > 0x10ffff || (*cp >= 0xd800 && *cp < 0xe000))
		return 0;
	return n;
}

int
actviz_cli_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    cp == 0x2028 || cp == 0x2029;
}

static int
check_title(const char *arg, char *err, size_t errsz)
{
	const char	*p;
	unsigned long	 cp;
	size_t		 n;

	for (p = arg; *p != '\0'; p += n) {
		if ((n = actviz_cli_utf8(p, &cp)) == 0)
			return fail(err, errsz, "--title: byte %ld is not valid "
			    "UTF-8; write the title in UTF-8",
			    (long)(p - arg) + 1);
		if (actviz_cli_control(cp) && cp != '\n')
			return fail(err, errsz, "--title: control character "
			    "U+%04lX at byte %ld; only newlines may break a "
			    "title", cp, (long)(p - arg) + 1);
	}
	if (strlen(arg) >= TITLE_MAX)
		return fail(err, errsz, "--title: longer than %d bytes",
		    TITLE_MAX - 1);
	for (p = arg; (p = strchr(p, '%')) != NULL; p += 2)
		if (p[1] != 's' && p[1] != '%')
			return fail(err, errsz, "--title %s: only %%s (the "
			    "activation name) and %%%% may follow '%%'", arg);
	return 0;
}

static int
add_output(struct actviz_opts *o, const char *arg, char *err,
    size_t errsz)
{
	size_t	 i;

	if (actviz_backend_find(arg) == NULL)
		return fail(err, errsz, "-o %s: unknown output format; name "
		    "the file with %s", arg, actviz_backend_names());
	for (i = 0; i < o->noutputs; i++)
		if (strcmp(o->outputs[i], arg) == 0)
			return fail(err, errsz, "-o %s: file given twice", arg);
	if (o->noutputs == ACTVIZ_MAX_OUTPUTS)
		return fail(err, errsz, "-o %s: at most %d output files", arg,
		    ACTVIZ_MAX_OUTPUTS);
	o->outputs[o->noutputs++] = arg;
	return 0;
}

static int
set_training(struct actviz_opts *o, int c, const char *arg, char *err,
    size_t errsz)
{
	long	 n;

	switch (c) {
	case OPT_FIT:
		if (parse_long(arg, 1, ACTVIZ_MAX_EPOCHS, &n) == -1)
			return fail(err, errsz, "--fit %s: EPOCHS must be a whole "
			    "number from 1 to %d", arg, ACTVIZ_MAX_EPOCHS);
		o->fit.epochs = (size_t)n;
		return 0;
	case OPT_LR:
		if (parse_double(arg, &o->fit.lr) == -1 || o->fit.lr <= 0 ||
		    o->fit.lr > 1e3)
			return fail(err, errsz, "--lr %s: must be a number "
			    "above 0 and at most 1000", arg);
		break;
	case OPT_BATCH_SIZE:
		if (parse_long(arg, 1, ACTVIZ_MAX_SAMPLES, &n) == -1)
			return fail(err, errsz, "--batch-size %s: must be a "
			    "whole number from 1 to %d", arg,
			    ACTVIZ_MAX_SAMPLES);
		o->fit.batch_size = (size_t)n;
		break;
	case OPT_NO_SHUFFLE:
		o->fit.shuffle = 0;
		break;
	case OPT_KERAS:
		if (strcmp(arg, "2") != 0 && strcmp(arg, "3") != 0)
			return fail(err, errsz, "--keras %s: must be 2 or 3",
			    arg);
		o->keras = arg[0] - '0';
		o->weights.keras = o->keras;
		return 0;
	}
	snprintf(o->fit_option, sizeof(o->fit_option), "%s%s%.64s",
	    c == OPT_LR ? "--lr" : c == OPT_BATCH_SIZE ? "--batch-size" :
	    "--no-shuffle", arg != NULL ? " " : "", arg != NULL ? arg : "");
	return 0;
}

static int
set_option(struct actviz_opts *o, int c, const char *arg, char *err,
    size_t errsz)
{
	long	 n;

	switch (c) {
	case 'o':
		return add_output(o, arg, err, errsz);
	case 'a':
		o->act_list = arg;
		return 0;
	case OPT_XRANGE:
		o->xrange = arg;
		return parse_range(o, arg, err, errsz);
	case OPT_SAMPLES:
		if (parse_long(arg, 2, ACTVIZ_MAX_SAMPLES, &n) == -1)
			return fail(err, errsz, "--samples %s: must be a whole "
			    "number from 2 to %d", arg, ACTVIZ_MAX_SAMPLES);
		o->samples = (size_t)n;
		return 0;
	case OPT_TITLE:
		o->title = arg;
		return check_title(arg, err, errsz);
	case OPT_FONT:
		o->font = arg;
		return 0;
	case OPT_SIZE:
		return parse_size(o, arg, err, errsz);
	case OPT_SCALE:
		if (parse_double(arg, &o->scale) == -1 || o->scale < 0.25 ||
		    o->scale > 8)
			return fail(err, errsz, "--scale %s: must be a number "
			    "from 0.25 to 8", arg);
		o->scale_given = arg;
		return 0;
	case OPT_DATA:
		o->data = arg;
		return 0;
	case OPT_WEIGHTS:
		return parse_weights(o, arg, err, errsz);
	case OPT_SEED:
		return parse_seed(o, arg, err, errsz);
	case OPT_FIT:
	case OPT_LR:
	case OPT_BATCH_SIZE:
	case OPT_NO_SHUFFLE:
	case OPT_KERAS:
		return set_training(o, c, arg, err, errsz);
	case OPT_DERIVATIVE:
		o->derivative = 1;
		return 0;
	case OPT_HISTORY:
		o->history = arg;
		return 0;
	case OPT_LOAD_WEIGHTS:
		o->load_weights = arg;
		return 0;
	case OPT_SAVE_WEIGHTS:
		o->save_weights = arg;
		return 0;
	case OPT_LIST:
		o->list = 1;
		return 0;
	case 'v':
		o->verbose = 1;
		return 0;
	case 'h':
		o->help = 1;
		return 0;
	case OPT_VERSION:
		o->version = 1;
		return 0;
	}
	return fail(err, errsz, "unhandled option");
}

/* Returns 1 when the run writes a PNG (the default outputs include one). */
static int
writes_png(const struct actviz_opts *o)
{
	const struct actviz_backend	*b;
	size_t				 i;

	if (o->noutputs == 0)
		return 1;
	for (i = 0; i < o->noutputs; i++)
		if ((b = actviz_backend_find(o->outputs[i])) != NULL &&
		    b->raster)
			return 1;
	return 0;
}

/* Fails when path is empty or names a file that another option
 * already writes. */
static int
check_path(const struct actviz_opts *o, const char *option,
    const char *path, char *err, size_t errsz)
{
	const char	*files[] = { o->data, o->history, o->save_weights };
	size_t		 i, same = 0;

	if (path == NULL)
		return 0;
	if (*path == '\0')
		return fail(err, errsz, "%s: empty file name", option);
	if (strcmp(path, "-") == 0)
		return fail(err, errsz, "%s -: standard output is not "
		    "supported, because outputs are replaced whole; name a "
		    "file", option);
	for (i = 0; i < o->noutputs; i++)
		if (strcmp(o->outputs[i], path) == 0)
			return fail(err, errsz, "%s %s: also given as -o",
			    option, path);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		same += files[i] != NULL && strcmp(files[i], path) == 0;
	if (same > 1)
		return fail(err, errsz, "%s %s: file given twice", option,
		    path);
	return 0;
}

/* Checks what no single option can: paths and option dependencies. */
static int
check_combination(const struct actviz_opts *o, char *err, size_t errsz)
{
	if (check_path(o, "--data", o->data, err, errsz) == -1 ||
	    check_path(o, "--history", o->history, err, errsz) == -1 ||
	    check_path(o, "--save-weights", o->save_weights, err,
	    errsz) == -1)
		return -1;
	if (writes_png(o) && (round(o->scale * o->width) > ACTVIZ_MAX_SIDE ||
	    round(o->scale * o->height) > ACTVIZ_MAX_SIDE))
		return fail(err, errsz, "--scale %s: a PNG of %.0fx%.0f pixels "
		    "exceeds cairo's limit of %d; use a smaller --scale or "
		    "--size", o->scale_given, round(o->scale * o->width),
		    round(o->scale * o->height), ACTVIZ_MAX_SIDE);
	if ((o->xmax - o->xmin) / (double)(o->samples - 1) <
	    1e-9 * fmax(fabs(o->xmin), fabs(o->xmax)))
		return fail(err, errsz, "--x-range %s: too narrow for %zu "
		    "distinct samples at this magnitude; widen the range or "
		    "use fewer --samples", o->xrange, o->samples);
	if (o->fit.epochs == 0 && o->fit_option[0] != '\0')
		return fail(err, errsz, "%s: only applies to training; add "
		    "--fit EPOCHS", o->fit_option);
	if (o->fit.epochs == 0 && o->history != NULL)
		return fail(err, errsz, "--history %s: there is no training "
		    "history without --fit EPOCHS", o->history);
	return 0;
}

/*
 * Reports an option getopt_long() rejected: c is '?' for an unknown
 * option or a value given to one that takes none, ':' for a missing
 * value.  arg is the command-line word, quoted as the user typed it.
 */
static int
bad_option(int c, const char *arg, char *err, size_t errsz)
{
	if (c == ':')
		return fail(err, errsz, "option '%s' needs a value "
		    "(actviz --help lists the options)", arg);
	if (strncmp(arg, "--", 2) == 0 && strchr(arg, '=') != NULL)
		return fail(err, errsz, "option '%.*s' takes no value, or is "
		    "unknown (actviz --help lists the options)",
		    (int)(strchr(arg, '=') - arg), arg);
	return fail(err, errsz, "unknown option '%s' (actviz --help lists "
	    "the options)", arg);
}

int
actviz_cli_parse(struct actviz_opts *o, int argc, char *argv[], char *err,
    size_t errsz)
{
	int	 c, index;

	opterr = 0;	/* getopt must not print; main() reports */
	optind = 0;	/* glibc: restart scanning from argv[1] */
	while ((c = getopt_long(argc, argv, ":o:a:vh", long_options,
	    &index)) != -1) {
		if (c == '?' || c == ':')
			return bad_option(c, argv[optind - 1], err, errsz);
		if (set_option(o, c, optarg, err, errsz) == -1)
			return -1;
	}
	if (optind < argc)
		return fail(err, errsz, "unexpected argument '%s' (outputs "
		    "take -o)", argv[optind]);
	if (resolve_acts(o, err, errsz) == -1)
		return -1;
	return check_combination(o, err, errsz);
}

int
actviz_cli_title(char *buf, size_t bufsz, const char *title,
    const char *name)
{
	size_t	 len = 0, add;
	const char *p, *piece;

	for (p = title; *p != '\0'; p++) {
		piece = p;
		add = 1;
		if (p[0] == '%' && p[1] == 's') {
			piece = name;
			add = strlen(name);
			p++;
		} else if (p[0] == '%' && p[1] == '%')
			p++;
		if (len + add >= bufsz)
			return -1;
		memcpy(buf + len, piece, add);
		len += add;
	}
	buf[len] = '\0';
	return 0;
}

int
actviz_cli_list(char *buf, size_t bufsz, int keras)
{
	const struct actviz_act	*row;
	char			 names[128], params[128];
	size_t			 i, j, len = 0;
	int			 n;

	for (i = 0; (row = actviz_act_at(i)) != NULL; i++) {
		if (row->keras != 0 && row->keras != keras)
			continue;
		n = snprintf(names, sizeof(names), "%s", row->name);
		for (j = 0; j < ACTVIZ_ACT_MAX_ALIASES &&
		    row->aliases[j] != NULL; j++)
			n += snprintf(names + n, sizeof(names) - (size_t)n,
			    ", %s", row->aliases[j]);
		params[0] = '\0';
		for (j = 0, n = 0; j < row->nparams; j++)
			n += snprintf(params + n, sizeof(params) - (size_t)n,
			    "%s%s=%g", j > 0 ? " " : "", row->param_names[j],
			    row->param[j]);
		n = snprintf(buf + len, bufsz - len, "%-22s %-29s %-14s %s\n",
		    names, params, row->init, row->formula);
		if (n < 0 || (size_t)n >= bufsz - len)
			return -1;
		len += (size_t)n;
	}
	return 0;
}
