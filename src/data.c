/*
 * CSV export.  Numbers are printed with "%.12g" in the C locale, so
 * files read the same under every LC_NUMERIC.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cnumeric.h"
#include "data.h"

static int
put(struct actviz_output *out, const char *s)
{
	return actviz_output_write(out, s, strlen(s));
}

static int
put_number(struct actviz_output *out, double v, int first)
{
	char	 buf[40];

	/* Adding 0.0 turns -0 into 0, so no column reads "-0". */
	snprintf(buf, sizeof(buf), "%s%.12g", first ? "" : ",", v + 0.0);
	return put(out, buf);
}

static int
write_curves(struct actviz_output *out, const struct actviz_curves *c,
    const char *const *names, int derivative)
{
	size_t	 i, j;

	if (put(out, "x") == -1)
		return -1;
	for (j = 0; j < c->ncurves; j++) {
		if (put(out, ",") == -1 || put(out, names[j]) == -1)
			return -1;
		if (derivative && (put(out, ",d_") == -1 ||
		    put(out, names[j]) == -1))
			return -1;
	}
	if (put(out, "\n") == -1)
		return -1;
	for (i = 0; i < c->nx; i++) {
		if (put_number(out, c->x[i], 1) == -1)
			return -1;
		for (j = 0; j < c->ncurves; j++) {
			if (put_number(out, c->y[j * c->nx + i], 0) == -1)
				return -1;
			if (derivative &&
			    put_number(out, c->dy[j * c->nx + i], 0) == -1)
				return -1;
		}
		if (put(out, "\n") == -1)
			return -1;
	}
	return 0;
}

static int
write_history(struct actviz_output *out, const struct actviz_curves *c,
    const char *const *names)
{
	char	 buf[32];
	size_t	 e, j;

	if (put(out, "epoch") == -1)
		return -1;
	for (j = 0; j < c->ncurves; j++)
		if (put(out, c->ncurves == 1 ? ",loss" : ",loss_") == -1 ||
		    (c->ncurves > 1 && put(out, names[j]) == -1))
			return -1;
	if (put(out, "\n") == -1)
		return -1;
	for (e = 0; e < c->epochs; e++) {
		snprintf(buf, sizeof(buf), "%zu", e + 1);
		if (put(out, buf) == -1)
			return -1;
		for (j = 0; j < c->ncurves; j++)
			if (put_number(out, c->history[j * c->epochs + e],
			    0) == -1)
				return -1;
		if (put(out, "\n") == -1)
			return -1;
	}
	return 0;
}

int
actviz_data_write(struct actviz_output *out, const struct actviz_curves *c,
    const char *const *names, int derivative)
{
	struct actviz_cnumeric	 saved;
	int			 rc;

	actviz_cnumeric_begin(&saved);
	rc = write_curves(out, c, names, derivative);
	actviz_cnumeric_end(&saved);
	return rc;
}

int
actviz_data_history(struct actviz_output *out,
    const struct actviz_curves *c, const char *const *names)
{
	struct actviz_cnumeric	 saved;
	int			 rc;

	actviz_cnumeric_begin(&saved);
	rc = write_history(out, c, names);
	actviz_cnumeric_end(&saved);
	return rc;
}
