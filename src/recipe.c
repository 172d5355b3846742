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
#include "train.h"

void
actviz_weights_defaults(struct actviz_weights *w)
{
	w->mode = ACTVIZ_WEIGHTS_UNIT;
	w->kernel = 1.0;
	w->bias = 0.0;
	w->seed = 0;
	w->keras = 2;
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
    const struct actviz_weights *w, struct actviz_rng *rngp)
{
	const struct actviz_init	*zeros, *kinit;
	const struct actviz_act		*row;
	struct actviz_dense		*hidden, *output;
	struct actviz_rng		 rng;

	zeros = actviz_init_find("zeros");
	hidden = actviz_model_layer(model, "Hidden");
	output = actviz_model_layer(model, "Output");
	/* Seed by the table's name, so an alias draws the same weights. */
	row = actviz_act_lookup(act->name, w->keras);
	actviz_rng_seed(&rng, actviz_recipe_seed(w->seed,
	    row != NULL ? row->name : act->name));

	if (w->mode == ACTVIZ_WEIGHTS_INIT) {
		kinit = actviz_init_lookup(act->init, w->keras);
		if (kinit == NULL) {
			errno = EINVAL;
			return -1;
		}
		if (actviz_dense_init(hidden, kinit, zeros, &rng) == -1)
			return -1;
	}
	kinit = actviz_init_lookup("glorot_uniform", w->keras);
	if (actviz_dense_init(output, kinit, zeros, &rng) == -1)
		return -1;

	if (w->mode == ACTVIZ_WEIGHTS_UNIT) {
		hidden->kernel[0] = 1.0;
		hidden->bias[0] = 0.0;
	} else if (w->mode == ACTVIZ_WEIGHTS_FIXED) {
		hidden->kernel[0] = w->kernel;
		hidden->bias[0] = w->bias;
	}
	/* Training shuffles with the draws that follow the weights'. */
	if (rngp != NULL)
		*rngp = rng;
	return 0;
}

/*
 * Fails with EINVAL for a NULL argument, an unknown mode, FIXED weights
 * that are not finite, or (INIT only) an act->init that names no
 * initializer.
 */
static struct actviz_model *
build_model(const struct actviz_act *act, const struct actviz_weights *w,
    struct actviz_rng *rng)
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
	    draw_weights(model, act, w, rng) == -1) {
		saved = errno;
		actviz_model_free(model);
		errno = saved;
		return NULL;
	}
	return model;
}

struct actviz_model *
actviz_recipe_model(const struct actviz_act *act,
    const struct actviz_weights *w)
{
	return build_model(act, w, NULL);
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
	struct actviz_curves	*c;

	if (nx > SIZE_MAX / sizeof(double) / ncurves) {
		errno = ENOMEM;
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	c->nx = nx;
	c->ncurves = ncurves;
	c->x = calloc(nx, sizeof(*c->x));
	c->acts = calloc(ncurves, sizeof(*c->acts));
	c->y = calloc(ncurves * nx, sizeof(*c->y));
	c->dy = calloc(ncurves * nx, sizeof(*c->dy));
	c->kernel = calloc(ncurves, sizeof(*c->kernel));
	c->bias = calloc(ncurves, sizeof(*c->bias));
	c->models = calloc(ncurves, sizeof(*c->models));
	c->rngs = calloc(ncurves, sizeof(*c->rngs));
	if (c->x == NULL || c->acts == NULL || c->y == NULL ||
	    c->dy == NULL || c->kernel == NULL || c->bias == NULL ||
	    c->models == NULL || c->rngs == NULL) {
		actviz_curves_free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

struct actviz_curves *
actviz_curves_new(const struct actviz_act *const *acts, size_t ncurves,
    double xmin, double xmax, size_t nx, const struct actviz_weights *w)
{
	struct actviz_curves	*curves;
	size_t			 c;
	int			 saved;

	if (check_curve_args(acts, ncurves, xmin, xmax, nx, w) == -1)
		return NULL;
	if ((curves = curves_alloc(ncurves, nx)) == NULL)
		return NULL;
	actviz_recipe_grid(xmin, xmax, nx, curves->x);
	for (c = 0; c < ncurves; c++) {
		curves->acts[c] = acts[c];
		curves->models[c] = build_model(acts[c], w, &curves->rngs[c]);
		if (curves->models[c] == NULL) {
			saved = errno;
			actviz_curves_free(curves);
			errno = saved;
			return NULL;
		}
	}
	return curves;
}

int
actviz_curves_fit(struct actviz_curves *curves,
    const struct actviz_fit *fit, size_t *failed_curve,
    size_t *failed_epoch)
{
	double	*target, xmax;
	size_t	 c, i;
	int	 saved;

	xmax = curves->x[curves->nx - 1];
	if (!(curves->x[0] + xmax + 1 > 0) || fit->epochs == 0) {
		errno = EDOM;
		return -1;
	}
	free(curves->history);
	curves->history = calloc(curves->ncurves * fit->epochs,
	    sizeof(double));
	target = calloc(curves->nx, sizeof(double));
	if (curves->history == NULL || target == NULL) {
		free(target);
		errno = ENOMEM;
		return -1;
	}
	curves->epochs = fit->epochs;
	for (i = 0; i < curves->nx; i++)
		target[i] = log(curves->x[i] + xmax + 1);
	for (c = 0; c < curves->ncurves; c++) {
		if (actviz_model_fit(curves->models[c], curves->x, target,
		    curves->nx, fit, &curves->rngs[c],
		    curves->history + c * fit->epochs, failed_epoch) == -1) {
			saved = errno;
			if (failed_curve != NULL)
				*failed_curve = c;
			free(target);
			errno = saved;
			return -1;
		}
	}
	free(target);
	return 0;
}

/* Reads curve c from its model.  ERANGE when a value is not finite. */
static int
eval_curve(struct actviz_curves *curves, size_t c)
{
	struct actviz_dense	*hidden;
	double			*y = curves->y + c * curves->nx;
	double			*dy = curves->dy + c * curves->nx;
	size_t			 i;

	if (actviz_model_layer_output(curves->models[c], "Hidden",
	    curves->x, curves->nx, y) == -1 ||
	    actviz_model_input_gradient(curves->models[c], "Hidden",
	    curves->x, curves->nx, dy) == -1)
		return -1;
	hidden = actviz_model_layer(curves->models[c], "Hidden");
	curves->kernel[c] = hidden->kernel[0];
	curves->bias[c] = hidden->bias[0];
	for (i = 0; i < curves->nx; i++) {
		if (!isfinite(y[i]) || !isfinite(dy[i])) {
			errno = ERANGE;
			return -1;
		}
	}
	return 0;
}

int
actviz_curves_eval(struct actviz_curves *curves, size_t *failed_curve)
{
	size_t	 c;

	for (c = 0; c < curves->ncurves; c++) {
		if (eval_curve(curves, c) == -1) {
			if (failed_curve != NULL)
				*failed_curve = c;
			return -1;
		}
	}
	return 0;
}

struct actviz_curves *
actviz_curves_compute(const struct actviz_act *const *acts,
    size_t ncurves, double xmin, double xmax, size_t nx,
    const struct actviz_weights *w)
{
	struct actviz_curves	*curves;
	int			 saved;

	curves = actviz_curves_new(acts, ncurves, xmin, xmax, nx, w);
	if (curves == NULL)
		return NULL;
	if (actviz_curves_eval(curves, NULL) == -1) {
		saved = errno;
		actviz_curves_free(curves);
		errno = saved;
		return NULL;
	}
	return curves;
}

void
actviz_curves_free(struct actviz_curves *curves)
{
	size_t	 c;

	if (curves == NULL)
		return;
	for (c = 0; curves->models != NULL && c < curves->ncurves; c++)
		actviz_model_free(curves->models[c]);
	free(curves->models);
	free(curves->rngs);
	free(curves->x);
	free(curves->acts);
	free(curves->y);
	free(curves->dy);
	free(curves->kernel);
	free(curves->bias);
	free(curves->history);
	free(curves);
}
