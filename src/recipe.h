/*
 * The classic recipe's model: Dense(1) named "Hidden" with the activation
 * under study, then Dense(1, linear) named "Output", and the curves read
 * from the Hidden layer over a grid of x values.
 */
#ifndef ACTVIZ_RECIPE_H
#define ACTVIZ_RECIPE_H

#include <stddef.h>
#include <stdint.h>

#include "act.h"
#include "model.h"

enum actviz_weights_mode {
	ACTVIZ_WEIGHTS_UNIT,	/* hidden kernel 1, bias 0: output is f(x) */
	ACTVIZ_WEIGHTS_INIT,	/* recipe's initializers, seeded */
	ACTVIZ_WEIGHTS_FIXED	/* kernel and bias given by the user */
};

struct actviz_weights {
	enum actviz_weights_mode mode;
	double		 kernel;	/* hidden kernel, FIXED only */
	double		 bias;		/* hidden bias, FIXED only */
	uint64_t	 seed;		/* generator seed */
	int		 keras;		/* 2 or 3: initializer version */
};

/* Fills w with the default: UNIT weights, seed 0. */
void		 actviz_weights_defaults(struct actviz_weights *w);

/*
 * Returns the generator seed of act's model: seed mixed with the FNV-1a
 * hash of the activation's name.  Each activation thus draws its own
 * weights, as separately built Keras models do, and keeps them whatever
 * other activations a figure shows.
 */
uint64_t	 actviz_recipe_seed(uint64_t seed, const char *name);

/*
 * Builds the two-layer model for act.  A generator seeded with
 * actviz_recipe_seed(w->seed, act->name)
 * draws the Hidden kernel with act's recipe initializer (INIT mode only)
 * and then the Output kernel with glorot_uniform; biases start at zero.
 * UNIT and FIXED then overwrite the Hidden kernel and bias.
 * Returns NULL with errno set on failure.
 */
struct actviz_model	*actviz_recipe_model(const struct actviz_act *act,
			    const struct actviz_weights *w);

/* Hidden-layer curves for several activations over one x grid. */
struct actviz_curves {
	size_t			  nx;		/* samples per curve */
	size_t			  ncurves;
	double			 *x;		/* nx values */
	const struct actviz_act	**acts;		/* ncurves rows */
	struct actviz_model	**models;	/* one per curve */
	struct actviz_rng	 *rngs;		/* each model's generator */
	double			 *y;		/* ncurves x nx, row-major */
	double			 *dy;		/* dy/dx, ncurves x nx */
	double			 *kernel;	/* Hidden kernel per curve */
	double			 *bias;		/* Hidden bias per curve */
	size_t			  epochs;	/* trained, or 0 */
	double			 *history;	/* loss, ncurves x epochs */
};

/*
 * Fills x[0..n) with xmin + i * step, step = (xmax - xmin) / (n - 1),
 * the last value being exactly xmax.  Requires n >= 2.
 */
void	 actviz_recipe_grid(double xmin, double xmax, size_t n, double *x);

/*
 * Builds each activation's recipe model (see actviz_recipe_model()) and
 * the grid of nx samples from xmin to xmax inclusive, without reading
 * any curve yet, so weights can be loaded or trained first.  Each
 * model's generator continues in curves->rngs for shuffling.  Fails
 * like actviz_curves_compute().
 */
struct actviz_curves	*actviz_curves_new(
			    const struct actviz_act *const *acts,
			    size_t ncurves, double xmin, double xmax,
			    size_t nx, const struct actviz_weights *w);

struct actviz_fit;

/*
 * Trains every model on the recipe's target y = log(x + max(x) + 1)
 * over the grid (see actviz_model_fit()), keeping each epoch's loss in
 * curves->history.  Fails with EDOM when the target is undefined
 * somewhere on the grid (min(x) + max(x) + 1 <= 0) or fit has no
 * epochs, ERANGE when training diverges (*failed_curve and
 * *failed_epoch, when not NULL, then give the place), ENOMEM.
 */
int	 actviz_curves_fit(struct actviz_curves *curves,
	    const struct actviz_fit *fit, size_t *failed_curve,
	    size_t *failed_epoch);

/*
 * Reads every model's Hidden output and its derivative with respect to
 * x into curves->y and curves->dy, and the Hidden weights into kernel
 * and bias.  Fails with ERANGE (*failed_curve set when not NULL) when
 * a value is not finite.
 */
int	 actviz_curves_eval(struct actviz_curves *curves,
	    size_t *failed_curve);

/*
 * Builds each activation's recipe model and reads its Hidden layer over
 * nx samples from xmin to xmax inclusive: actviz_curves_new() then
 * actviz_curves_eval().  Returns NULL with errno set:
 * EINVAL for a NULL argument or row, nx < 2, ncurves 0, a non-finite
 * xmin or xmax, xmin >= xmax, or a step that overflows or rounds to 0;
 * ERANGE when a value is not finite; ENOMEM.
 */
struct actviz_curves	*actviz_curves_compute(
			    const struct actviz_act *const *acts,
			    size_t ncurves, double xmin, double xmax,
			    size_t nx, const struct actviz_weights *w);

/* Frees curves; NULL is allowed. */
void	 actviz_curves_free(struct actviz_curves *curves);

#endif
