/*
 * Activation table: one row per Keras activation, with its function, its
 * derivative and the kernel initializer the classic recipe pairs with it.
 * Definitions follow Keras 2.
 */
#ifndef ACTVIZ_ACT_H
#define ACTVIZ_ACT_H

#include <stddef.h>

struct actviz_act {
	const char	*name;		/* Keras name, e.g. "hard_sigmoid" */
	const char	*formula;	/* plain-text definition */
	const char	*init;		/* recipe's kernel initializer name */
	/*
	 * Element-wise function and its derivative.  Both are NULL for
	 * softmax, which needs all units of a layer at once and goes
	 * through actviz_act_apply() only.
	 */
	double		(*f)(double);
	double		(*df)(double);
};

/*
 * Finds the row named name (exact, case-sensitive Keras spelling).
 * Returns NULL when no activation has that name.
 */
const struct actviz_act	*actviz_act_find(const char *name);

/*
 * Returns the i-th row in table order, or NULL when i is past the end.
 * The first nine rows are the recipe's: linear, softmax, sigmoid, tanh,
 * softsign, hard_sigmoid, softplus, selu, elu.
 */
const struct actviz_act	*actviz_act_at(size_t i);

/*
 * Applies act to the n pre-activations z of one sample, writing n outputs
 * to a (a may equal z).  Softmax normalises over the n units, so it is
 * exactly 1 when n is 1.  Finite input gives finite output, except selu
 * above DBL_MAX / 1.0507, which overflows to inf.
 */
void			 actviz_act_apply(const struct actviz_act *act,
			    const double *z, double *a, size_t n);

#endif
