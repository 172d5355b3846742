/*
 * Activation table: one row per Keras activation and Keras version where
 * the definition differs, with its function, its derivative, its
 * parameters and the kernel initializer the classic recipe pairs with it.
 */
#ifndef ACTVIZ_ACT_H
#define ACTVIZ_ACT_H

#include <stddef.h>

#define ACTVIZ_ACT_MAX_PARAMS	2
#define ACTVIZ_ACT_MAX_ALIASES	2

struct actviz_act {
	const char	*name;		/* Keras name, e.g. "hard_sigmoid" */
	/* Other Keras spellings of the same function ("swish" for silu),
	 * NULL-padded. */
	const char	*aliases[ACTVIZ_ACT_MAX_ALIASES];
	int		 keras;		/* 2 or 3: the version this row
					   follows, or 0 for both */
	const char	*formula;	/* plain-text definition */
	const char	*init;		/* recipe's kernel initializer name */
	/*
	 * Element-wise function and its derivative, given the parameter
	 * values in param[].  Both are NULL for softmax, which needs all
	 * units of a layer at once and goes through actviz_act_apply()
	 * and actviz_act_backward() only.
	 */
	double		(*f)(double x, const double *param);
	double		(*df)(double x, const double *param);
	size_t		 nparams;
	const char	*param_names[ACTVIZ_ACT_MAX_PARAMS];	/* Keras */
	double		 param[ACTVIZ_ACT_MAX_PARAMS];	/* values in use */
};

/*
 * Finds the Keras 2 row named name (or an alias; exact, case-sensitive
 * Keras spelling), with default parameters.  Returns NULL when no
 * activation has that name.
 */
const struct actviz_act	*actviz_act_find(const char *name);

/*
 * Like actviz_act_find(), for Keras major version keras (2 or 3).
 * Returns NULL for an unknown name or version.
 */
const struct actviz_act	*actviz_act_lookup(const char *name, int keras);

/*
 * Returns the i-th row in table order, or NULL when i is past the end.
 * The first nine rows are the recipe's, as Keras 2 defines them: linear,
 * softmax, sigmoid, tanh, softsign, hard_sigmoid, softplus, selu, elu.
 */
const struct actviz_act	*actviz_act_at(size_t i);

/*
 * Parses an activation as the command line gives it: a name, optionally
 * followed by ":param=value" for each parameter to change, such as
 * "elu:alpha=0.5" or "leaky_relu:negative_slope=0.1".  Fills *out with a
 * copy of the row for Keras version keras, its parameters set, and
 * out->name set to the spelling used.  Returns 0, or -1 with a message
 * in err naming the bad part (unknown name, unknown parameter, value
 * that is not a finite number or is out of the parameter's range).
 */
int	 actviz_act_parse(const char *spec, int keras, struct actviz_act *out,
	    char *err, size_t errsz);

/*
 * Applies act to the n pre-activations z of one sample, writing n outputs
 * to a (a may equal z).  Softmax normalises over the n units, so it is
 * exactly 1 when n is 1.  Finite input gives finite output, except where
 * the function itself overflows (selu above DBL_MAX / 1.0507,
 * exponential above about 709.78).
 */
void	 actviz_act_apply(const struct actviz_act *act, const double *z,
	    double *a, size_t n);

/*
 * Back-propagates through act for one sample: given the pre-activations
 * z, the outputs a = act(z) and the gradient of the loss with respect to
 * a, writes the gradient with respect to z to grad_z (n values; grad_z
 * may equal grad_a).  Element-wise rows multiply by df(z); softmax
 * applies its Jacobian, so for one unit the result is 0.
 */
void	 actviz_act_backward(const struct actviz_act *act, const double *z,
	    const double *a, const double *grad_a, double *grad_z, size_t n);

#endif
