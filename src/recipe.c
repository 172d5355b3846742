/*
 * The classic recipe: Dense(1, act) "Hidden" then Dense(1, linear)
 * "Output", one model per activation, and the Hidden layer's output read
 * over a grid of x values.  Weights follow the recipe's initializers or
 * are set directly (UNIT, FIXED).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "init.h"
#include "model.h"
#include "recipe.h"

void
actviz_weights_defaults(struct actviz_weights *w)
{
	w->mode = ACTVIZ_WEIGHTS_UNIT;
	w->kernel = 1.0;
	w->bias = 0.0;
	w->seed = 0;
}

static int
check_weights(const struct actviz_weights *w)
{
	switch (w->mode) {
	case ACTVIZ_WEIGHTS_UNIT:
	case ACTVIZ_WEIGHTS_INIT:
		return 0;
	case ACTVIZ_WEIGHTS_FIXED:
		if (isfinite(w->kernel) && isfinite(w->bias))
			return 0;
		break;
	}
	errno = EINVAL;
	return -1;
}

uint64_t
actviz_recipe_seed(uint64_t seed, const char *name)
{
	uint64_t	 hash = 0xcbf29ce484222325ULL;	/* FNV-1a offset basis */

	for (; *name != '\0'; name++) {
		hash ^= (unsigned char)*name;
		hash *= 0x100000001b3ULL;		/* FNV-1a prime */
	}
	return seed ^ hash;
}

/*
 * Draws in the recipe's order from one generator: the Hidden kernel
 * (INIT only), then the Output kernel.  The zeros initializer draws
 * nothing, so the biases do not shift the sequence.
 */
static int
draw_weights(struct actviz_model *model, const struct actviz_act *act,
    const struct actviz_weights *w)
{
	const struct actviz_init	*zeros, *kinit;
	struct actviz_dense		*hidden, *output;
	struct actviz_rng		 rng;

	zeros = actviz_init_find("zeros");
	hidden = actviz_model_layer(model, "Hidden");
	output = actviz_model_layer(model, "Output");
	actviz_rng_seed(&rng, actviz_recipe_seed(w->seed, act->name));

	if (w->mode == ACTVIZ_WEIGHTS_INIT) {
		kinit = actviz_init_find(act->init);
		if (kinit == NULL) {
			errno = EINVAL;
			return -1;
		}
		if (actviz_dense_init(hidden, kinit, zeros, &rng) == -1)
			return -1;
	}
	kinit = actviz_init_find("glorot_uniform");
	if (actviz_dense_init(output, kinit, zeros, &rng) == -1)
		return -1;

	if (w->mode == ACTVIZ_WEIGHTS_UNIT) {
		hidden->kernel[0] = 1.0;
		hidden->bias[0] = 0.0;
	} else if (w->mode == ACTVIZ_WEIGHTS_FIXED) {
		hidden->kernel[0] = w->kernel;
		hidden->bias[0] = w->bias;
	}
	return 0;
}

/*
 * Fails with EINVAL for a NULL argument, an unknown mode, FIXED weights
 * that are not finite, or (INIT only) an act->init that names no
 * initializer.
 */
struct actviz_model *
actviz_recipe_model(const struct actviz_act *act,
    const struct actviz_weights *w)
{
	struct actviz_model	*model;
	int			 saved;

	if (act == NULL || w == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (check_weights(w) == -1)
		return NULL;

	model = actviz_model_new(1);
	if (model == NULL)
		return NULL;
	if (actviz_model_add_dense(model, "Hidden", 1, act) == -1 ||
	    actviz_model_add_dense(model, "Output", 1,
	    actviz_act_find("linear")) == -1 ||
	    draw_weights(model, act, w) == -1) {
		saved = errno;
		actviz_model_free(model);
		errno = saved;
		return NULL;
	}
	return model;
}

/*
 * Multiplying i by a precomputed step keeps every product within
 * xmax - xmin, so no value overflows for a finite range.
 */
void
actviz_recipe_grid(double xmin, double xmax, size_t n, double *x)
{
	double	step;
	size_t	i;

	if (n == 0)
		return;
	if (n == 1) {
		x[0] = xmin;
		return;
	}

	step = (xmax - xmin) / (double)(n - 1);
	for (i = 0; i + 1 < n; i++)
		x[i] = xmin + (double)i * step;
	x[n - 1] = xmax;
}

static int
check_curve_args(const struct actviz_act *const *acts, size_t ncurves,
    double xmin, double xmax, size_t nx, const struct actviz_weights *w)
{
	double	step;
	size_t	c;

	if (acts == NULL || ncurves == 0 || nx < 2 || w == NULL)
		goto invalid;
	for (c = 0; c < ncurves; c++)
		if (acts[c] == NULL)
			goto invalid;
	if (!isfinite(xmin) || !isfinite(xmax) || !(xmin < xmax))
		goto invalid;

	/*
	 * A range wider than DBL_MAX makes the step inf, and one too narrow
	 * for nx makes it 0.
	 */
	step = (xmax - xmin) / (double)(nx - 1);
	if (!isfinite(step) || step == 0.0)
		goto invalid;
	return 0;

invalid:
	errno = EINVAL;
	return -1;
}

static struct actviz_curves *
curves_alloc(size_t ncurves, size_t nx)
{
	struct actviz_curves	*curves;

	if (nx > SIZE_MAX / ncurves) {
		errno = ENOMEM;
		return NULL;
	}
	curves = calloc(1, sizeof(*curves));
	if (curves == NULL) {
		errno = ENOMEM;
		return NULL;
	}

	curves->nx = nx;
	curves->ncurves = ncurves;
	curves->x = calloc(nx, sizeof(*curves->x));
	curves->acts = calloc(ncurves, sizeof(*curves->acts));
	curves->y = calloc(ncurves * nx, sizeof(*curves->y));
	curves->kernel = calloc(ncurves, sizeof(*curves->kernel));
	curves->bias = calloc(ncurves, sizeof(*curves->bias));
	if (curves->x == NULL || curves->acts == NULL || curves->y == NULL ||
	    curves->kernel == NULL || curves->bias == NULL) {
		actviz_curves_free(curves);
		errno = ENOMEM;
		return NULL;
	}
	return curves;
}

/* Fills curve c from a fresh model.  ERANGE when a value is not finite. */
static int
compute_curve(struct actviz_curves *curves, size_t c,
    const struct actviz_act *act, const struct actviz_weights *w)
{
	struct actviz_model	*model;
	struct actviz_dense	*hidden;
	double			*y = curves->y + c * curves->nx;
	size_t			 i;
	int			 rc = -1, saved;

	model = actviz_recipe_model(act, w);
	if (model == NULL)
		return -1;
	if (actviz_model_layer_output(model, "Hidden", curves->x, curves->nx,
	    y) == -1)
		goto out;

	hidden = actviz_model_layer(model, "Hidden");
	curves->acts[c] = act;
	curves->kernel[c] = hidden->kernel[0];
	curves->bias[c] = hidden->bias[0];
	for (i = 0; i < curves->nx; i++) {
		if (!isfinite(y[i])) {
			errno = ERANGE;
			goto out;
		}
	}
	rc = 0;

out:
	saved = errno;
	actviz_model_free(model);
	errno = saved;
	return rc;
}

struct actviz_curves *
actviz_curves_compute(const struct actviz_act *const *acts,
    size_t ncurves, double xmin, double xmax, size_t nx,
    const struct actviz_weights *w)
{
	struct actviz_curves	*curves;
	size_t			 c;
	int			 saved;

	if (check_curve_args(acts, ncurves, xmin, xmax, nx, w) == -1)
		return NULL;
	curves = curves_alloc(ncurves, nx);
	if (curves == NULL)
		return NULL;

	actviz_recipe_grid(xmin, xmax, nx, curves->x);
	for (c = 0; c < ncurves; c++) {
		if (compute_curve(curves, c, acts[c], w) == -1) {
			saved = errno;
			actviz_curves_free(curves);
			errno = saved;
			return NULL;
		}
	}
	return curves;
}

void
actviz_curves_free(struct actviz_curves *curves)
{
	if (curves == NULL)
		return;
	free(curves->x);
	free(curves->acts);
	free(curves->y);
	free(curves->kernel);
	free(curves->bias);
	free(curves);
}
