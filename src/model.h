/*
 * Sequential model of named Dense layers: weights, forward pass and the
 * output of any layer by name, as a Keras backend function returns it.
 * Nothing here prints or exits; failures return -1 (NULL for
 * constructors) and set errno.
 */
#ifndef ACTVIZ_MODEL_H
#define ACTVIZ_MODEL_H

#include <stddef.h>

#include "act.h"
#include "init.h"

struct actviz_dense {
	char			*name;		/* unique within the model */
	size_t			 inputs;	/* fan-in */
	size_t			 units;		/* fan-out */
	double			*kernel;	/* inputs x units, row-major */
	double			*bias;		/* units */
	const struct actviz_act	*act;
};

struct actviz_model {
	size_t			 inputs;	/* features per sample */
	size_t			 nlayers;
	struct actviz_dense	*layers;
};

/* Creates an empty model taking inputs features; NULL on failure. */
struct actviz_model	*actviz_model_new(size_t inputs);

/* Frees model and its layers; NULL is allowed. */
void			 actviz_model_free(struct actviz_model *model);

/*
 * Appends Dense(units, act) named name, fed by the previous layer (or the
 * model input), with kernel and bias zero.  Fails with EINVAL for zero
 * units, a NULL act or an empty name, EEXIST for a name already in use,
 * ENOMEM when out of memory.
 */
int	 actviz_model_add_dense(struct actviz_model *model, const char *name,
	    size_t units, const struct actviz_act *act);

/* Returns the layer named name, or NULL with errno ENOENT. */
struct actviz_dense	*actviz_model_layer(const struct actviz_model *model,
			    const char *name);

/*
 * Draws layer's kernel with kinit and its bias with binit (fan-in and
 * fan-out from the layer's shape), kernel first.  Fails with EINVAL.
 */
int	 actviz_dense_init(struct actviz_dense *layer,
	    const struct actviz_init *kinit, const struct actviz_init *binit,
	    struct actviz_rng *rng);

/*
 * Runs batch samples x (batch x inputs, row-major) through the whole
 * model and writes the last layer's output (batch x units) to y.
 * Fails with EINVAL on an empty model or batch, ENOMEM.
 */
int	 actviz_model_forward(const struct actviz_model *model,
	    const double *x, size_t batch, double *y);

/*
 * Like actviz_model_forward(), but stops at the layer named name and
 * writes its activations (batch x that layer's units) to out.
 * Fails with ENOENT when no layer has that name.
 */
int	 actviz_model_layer_output(const struct actviz_model *model,
	    const char *name, const double *x, size_t batch, double *out);

/*
 * Returns the number of trainable values: each layer's kernel then its
 * bias, layer by layer.  Gradients and actviz_model_step() use this
 * flat order.
 */
size_t	 actviz_model_nparams(const struct actviz_model *model);

/* Subtracts lr times grad (flat order, nparams values) from the weights:
 * one plain SGD update. */
void	 actviz_model_step(struct actviz_model *model, const double *grad,
	    double lr);

/*
 * Back-propagates through the layers up to and including the one named
 * name (the whole model when name is NULL).  grad_out is the gradient
 * of the loss with respect to that layer's output (batch x units).
 * Writes dL/d(weights) to grad_params (nparams values, flat order, 0
 * for layers past name) and dL/d(input) to grad_x (batch x inputs);
 * either may be NULL.  Fails with EINVAL, ENOENT or ENOMEM.
 */
int	 actviz_model_backward(const struct actviz_model *model,
	    const char *name, const double *x, size_t batch,
	    const double *grad_out, double *grad_params, double *grad_x);

/*
 * Writes to out (batch x inputs) the gradient of the sum of the named
 * layer's outputs with respect to the model input: for a one-unit layer
 * fed by one input, its derivative dy/dx at each sample.
 */
int	 actviz_model_input_gradient(const struct actviz_model *model,
	    const char *name, const double *x, size_t batch, double *out);

#endif
