/*
 * Command line: the option table, parsed and checked into struct
 * actviz_opts.  Parsing never prints; a bad value yields one message.
 */
#ifndef ACTVIZ_CLI_H
#define ACTVIZ_CLI_H

#include <stddef.h>

#include "act.h"
#include "recipe.h"
#include "train.h"

#define ACTVIZ_MAX_OUTPUTS	32
#define ACTVIZ_MAX_CURVES	64
#define ACTVIZ_MAX_SAMPLES	100000
#define ACTVIZ_MAX_SIDE		32767	/* cairo's largest image side, px */
#define ACTVIZ_MAX_ABS		1e6	/* largest |x|, kernel or bias */
#define ACTVIZ_MAX_EPOCHS	1000000

struct actviz_opts {
	const char		*outputs[ACTVIZ_MAX_OUTPUTS];
	size_t			 noutputs;	/* 0: the default files */
	const struct actviz_act	*acts[ACTVIZ_MAX_CURVES];	/* specs */
	struct actviz_act	 specs[ACTVIZ_MAX_CURVES];	/* parsed */
	size_t			 nacts;
	const char		*act_list;	/* -a as given, or NULL */
	int			 keras;		/* 2 or 3 */
	double			 xmin, xmax;	/* inclusive */
	const char		*xrange;	/* --x-range as given, or NULL */
	size_t			 samples;
	const char		*title;		/* format, %s is the name */
	const char		*font;		/* fontconfig pattern or NULL */
	int			 width, height;	/* figure size, pt (PNG px) */
	int			 size_given;	/* --size was on the line */
	double			 scale;		/* PNG pixels per pt */
	const char		*scale_given;	/* --scale as given, or NULL */
	const char		*data;		/* CSV path or NULL */
	struct actviz_weights	 weights;
	int			 derivative;	/* also draw dy/dx */
	struct actviz_fit	 fit;		/* epochs 0: no training */
	char			 fit_option[96];	/* last --lr, --batch-size
						   or --no-shuffle given */
	const char		*history;	/* loss CSV or NULL */
	const char		*load_weights;	/* JSON or NULL */
	const char		*save_weights;	/* JSON or NULL */
	int			 list;		/* print the table, exit */
	int			 verbose;
	int			 help;
	int			 version;
};

/* Fills opts with the defaults: the nine activations on -5 to 4.9. */
void	 actviz_opts_defaults(struct actviz_opts *opts);

/*
 * Parses argv into opts.  Returns 0, or -1 with a message naming the
 * option and its value in err (no program name, no newline).
 */
int	 actviz_cli_parse(struct actviz_opts *opts, int argc, char *argv[],
	    char *err, size_t errsz);

/*
 * Writes title into buf with each %s replaced by name and %% by %.
 * Returns 0, or -1 when buf is too small.  The format was checked by
 * actviz_cli_parse().
 */
int	 actviz_cli_title(char *buf, size_t bufsz, const char *title,
	    const char *name);

/*
 * Decodes the UTF-8 character at s into *cp and returns its length in
 * bytes, or 0 when s does not start a well-formed character (overlong
 * forms, surrogates and values past U+10FFFF included).
 */
size_t	 actviz_cli_utf8(const char *s, unsigned long *cp);

/* Returns 1 for a control character: C0, DEL, C1, U+2028 or U+2029. */
int	 actviz_cli_control(unsigned long cp);

/* Returns the usage text. */
const char	*actviz_cli_usage(void);

/*
 * Writes the activation table for Keras version keras to buf: one line
 * per row with its names, parameters, recipe initializer and formula.
 * Returns 0, or -1 when buf is too small.
 */
int	 actviz_cli_list(char *buf, size_t bufsz, int keras);

#endif
