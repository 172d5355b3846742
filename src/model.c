/*
 * Sequential model of Dense layers.  Each layer computes z = x W + b with
 * W in the Keras layout (inputs x units, row-major), then its activation.
 * Sums run in a fixed order, so a model gives the same bits every run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct actviz_model *
actviz_model_new(size_t inputs)
{
	struct actviz_model	*model;

	if (inputs == 0) {
		errno = EINVAL;
		return NULL;
	}
	model = calloc(1, sizeof(*model));
	if (model == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	model->inputs = inputs;
	return model;
}

static void
dense_release(struct actviz_dense *layer)
{
	free(layer->name);
	free(layer->kernel);
	free(layer->bias);
}

void
actviz_model_free(struct actviz_model *model)
{
	size_t	i;

	if (model == NULL)
		return;
	for (i = 0; i < model->nlayers; i++)
		dense_release(&model->layers[i]);
	free(model->layers);
	free(model);
}

/* Returns 0 and sets *index, or -1 when no layer is named name. */
static int
find_index(const struct actviz_model *model, const char *name,
    size_t *index)
{
	size_t	i;

	for (i = 0; i < model->nlayers; i++) {
		if (strcmp(model->layers[i].name, name) == 0) {
			*index = i;
			return 0;
		}
	}
	return -1;
}

/* Allocates a zeroed layer.  On failure it frees what it allocated. */
static int
dense_alloc(struct actviz_dense *layer, const char *name, size_t inputs,
    size_t units, const struct actviz_act *act)
{
	memset(layer, 0, sizeof(*layer));
	if (units > SIZE_MAX / inputs) {
		errno = ENOMEM;
		return -1;
	}

	layer->name = strdup(name);
	layer->kernel = calloc(inputs * units, sizeof(double));
	layer->bias = calloc(units, sizeof(double));
	if (layer->name == NULL || layer->kernel == NULL ||
	    layer->bias == NULL) {
		dense_release(layer);
		errno = ENOMEM;
		return -1;
	}

	layer->inputs = inputs;
	layer->units = units;
	layer->act = act;
	return 0;
}

int
actviz_model_add_dense(struct actviz_model *model, const char *name,
    size_t units, const struct actviz_act *act)
{
	struct actviz_dense	 layer, *layers;
	size_t			 inputs, index;

	if (model == NULL || name == NULL || name[0] == '\0' || units == 0 ||
	    act == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (find_index(model, name, &index) == 0) {
		errno = EEXIST;
		return -1;
	}

	inputs = model->nlayers == 0 ? model->inputs :
	    model->layers[model->nlayers - 1].units;
	if (dense_alloc(&layer, name, inputs, units, act) == -1)
		return -1;

	layers = realloc(model->layers,
	    (model->nlayers + 1) * sizeof(*layers));
	if (layers == NULL) {
		dense_release(&layer);
		errno = ENOMEM;
		return -1;
	}
	model->layers = layers;
	model->layers[model->nlayers++] = layer;
	return 0;
}

struct actviz_dense *
actviz_model_layer(const struct actviz_model *model, const char *name)
{
	size_t	index;

	if (model == NULL || name == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (find_index(model, name, &index) == -1) {
		errno = ENOENT;
		return NULL;
	}
	return &model->layers[index];
}

int
actviz_dense_init(struct actviz_dense *layer,
    const struct actviz_init *kinit, const struct actviz_init *binit,
    struct actviz_rng *rng)
{
	if (layer == NULL || kinit == NULL || binit == NULL || rng == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (kinit->fill(layer->kernel, layer->inputs * layer->units,
	    layer->inputs, layer->units, rng) == -1)
		return -1;
	return binit->fill(layer->bias, layer->units, layer->inputs,
	    layer->units, rng);
}

/*
 * Writes one layer's activations for batch samples.  Each z_j adds the
 * products x_i W[i][j] for i = 0, 1, ... and then b_j, as a Keras dot
 * followed by bias_add does, so one input gives exactly f(x * w + b).
 */
static void
dense_forward(const struct actviz_dense *layer, const double *in,
    size_t batch, double *out, int activate)
{
	const double	*w = layer->kernel, *x;
	double		*z, sum;
	size_t		 units = layer->units, b, i, j;

	for (b = 0; b < batch; b++) {
		x = in + b * layer->inputs;
		z = out + b * units;
		for (j = 0; j < units; j++) {
			sum = 0.0;
			for (i = 0; i < layer->inputs; i++)
				sum += x[i] * w[i * units + j];
			z[j] = sum + layer->bias[j];
		}
		if (activate)
			actviz_act_apply(layer->act, z, z, units);
	}
}

/*
 * Runs the first nrun layers.  The last of them writes straight to out;
 * the ones before it alternate between two scratch halves of one block.
 * out must not overlap x.
 */
static int
run_layers(const struct actviz_model *model, size_t nrun, const double *x,
    size_t batch, double *out)
{
	const double	*in = x;
	double		*scratch = NULL, *dst;
	size_t		 width = 0, l;

	for (l = 0; l + 1 < nrun; l++)
		if (model->layers[l].units > width)
			width = model->layers[l].units;
	if (width > 0) {
		if (width > SIZE_MAX / 2 / batch) {
			errno = ENOMEM;
			return -1;
		}
		scratch = calloc(2 * width * batch, sizeof(double));
		if (scratch == NULL) {
			errno = ENOMEM;
			return -1;
		}
	}

	for (l = 0; l < nrun; l++) {
		dst = l + 1 == nrun ? out : scratch + (l % 2) * width * batch;
		dense_forward(&model->layers[l], in, batch, dst, 1);
		in = dst;
	}
	free(scratch);
	return 0;
}

int
actviz_model_forward(const struct actviz_model *model, const double *x,
    size_t batch, double *y)
{
	if (model == NULL || model->nlayers == 0 || x == NULL || batch == 0 ||
	    y == NULL) {
		errno = EINVAL;
		return -1;
	}
	return run_layers(model, model->nlayers, x, batch, y);
}

/*
 * Checks the arguments of a call that reads the layer named name and
 * finds its index: EINVAL for a NULL pointer or an empty batch, ENOENT
 * for an unknown name.
 */
static int
find_layer_args(const struct actviz_model *model, const char *name,
    const double *x, size_t batch, const double *out, size_t *index)
{
	if (model == NULL || name == NULL || x == NULL || batch == 0 ||
	    out == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (find_index(model, name, index) == -1) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int
actviz_model_layer_output(const struct actviz_model *model,
    const char *name, const double *x, size_t batch, double *out)
{
	size_t	index;

	if (find_layer_args(model, name, x, batch, out, &index) == -1)
		return -1;
	return run_layers(model, index + 1, x, batch, out);
}

size_t
actviz_model_nparams(const struct actviz_model *model)
{
	const struct actviz_dense	*layer;
	size_t				 l, n = 0;

	for (l = 0; l < model->nlayers; l++) {
		layer = &model->layers[l];
		n += layer->inputs * layer->units + layer->units;
	}
	return n;
}

void
actviz_model_step(struct actviz_model *model, const double *grad,
    double lr)
{
	struct actviz_dense	*layer;
	size_t			 l, i, nk;

	for (l = 0; l < model->nlayers; l++) {
		layer = &model->layers[l];
		nk = layer->inputs * layer->units;
		for (i = 0; i < nk; i++)
			layer->kernel[i] -= lr * *grad++;
		for (i = 0; i < layer->units; i++)
			layer->bias[i] -= lr * *grad++;
	}
}

/* Pre-activations z and outputs a of every layer run, batch rows each. */
struct trace {
	size_t	  nrun;
	double	**z;
	double	**a;
};

static void
trace_free(struct trace *t)
{
	size_t	 l;

	for (l = 0; l < t->nrun; l++) {
		if (t->z != NULL)
			free(t->z[l]);
		if (t->a != NULL)
			free(t->a[l]);
	}
	free(t->z);
	free(t->a);
}

/* Runs the first nrun layers, keeping z and a of each in *t. */
static int
trace_forward(const struct actviz_model *model, size_t nrun,
    const double *x, size_t batch, struct trace *t)
{
	const struct actviz_dense	*layer;
	const double			*in = x;
	size_t				 l, b, units;

	t->nrun = nrun;
	t->z = calloc(nrun, sizeof(*t->z));
	t->a = calloc(nrun, sizeof(*t->a));
	if (t->z == NULL || t->a == NULL)
		goto fail;
	for (l = 0; l < nrun; l++) {
		layer = &model->layers[l];
		units = layer->units;
		if (batch > SIZE_MAX / sizeof(double) / units ||
		    (t->z[l] = malloc(batch * units * sizeof(double))) == NULL ||
		    (t->a[l] = malloc(batch * units * sizeof(double))) == NULL)
			goto fail;
		dense_forward(layer, in, batch, t->z[l], 0);
		for (b = 0; b < batch; b++)
			actviz_act_apply(layer->act, t->z[l] + b * units,
			    t->a[l] + b * units, units);
		in = t->a[l];
	}
	return 0;
fail:
	trace_free(t);
	errno = ENOMEM;
	return -1;
}

/*
 * Back-propagates through one layer.  grad contains dL/da on entry and is
 * overwritten with dL/dz.  Adds dL/dW and dL/db to gk and gb when they
 * are not NULL, and writes dL/d(input) to grad_in when it is not NULL.
 */
static void
dense_backward(const struct actviz_dense *layer, const double *in,
    const double *z, const double *a, double *grad, size_t batch,
    double *gk, double *gb, double *grad_in)
{
	size_t	 units = layer->units, b, i, j;
	double	 sum;

	for (b = 0; b < batch; b++)
		actviz_act_backward(layer->act, z + b * units, a + b * units,
		    grad + b * units, grad + b * units, units);
	for (b = 0; b < batch; b++) {
		for (j = 0; gb != NULL && j < units; j++)
			gb[j] += grad[b * units + j];
		for (i = 0; i < layer->inputs; i++) {
			sum = 0.0;
			for (j = 0; j < units; j++) {
				if (gk != NULL)
					gk[i * units + j] +=
					    in[b * layer->inputs + i] *
					    grad[b * units + j];
				sum += layer->kernel[i * units + j] *
				    grad[b * units + j];
			}
			if (grad_in != NULL)
				grad_in[b * layer->inputs + i] = sum;
		}
	}
}

/* Returns where layer l's kernel starts in the flat parameter order. */
static size_t
param_offset(const struct actviz_model *model, size_t l)
{
	size_t	 i, off = 0;

	for (i = 0; i < l; i++)
		off += model->layers[i].inputs * model->layers[i].units +
		    model->layers[i].units;
	return off;
}

int
actviz_model_backward(const struct actviz_model *model, const char *name,
    const double *x, size_t batch, const double *grad_out,
    double *grad_params, double *grad_x)
{
	const struct actviz_dense	*layer;
	struct trace			 t;
	double				*grad, *grad_in = NULL, *gk, *gb;
	size_t				 nrun, l, off;

	if (model == NULL || model->nlayers == 0 || x == NULL ||
	    batch == 0 || grad_out == NULL) {
		errno = EINVAL;
		return -1;
	}
	nrun = model->nlayers;
	if (name != NULL && find_index(model, name, &nrun) == -1) {
		errno = ENOENT;
		return -1;
	}
	if (name != NULL)
		nrun++;
	if (trace_forward(model, nrun, x, batch, &t) == -1)
		return -1;
	layer = &model->layers[nrun - 1];
	if ((grad = malloc(batch * layer->units * sizeof(double))) == NULL)
		goto nomem;
	memcpy(grad, grad_out, batch * layer->units * sizeof(double));
	if (grad_params != NULL)
		memset(grad_params, 0,
		    actviz_model_nparams(model) * sizeof(double));

	for (l = nrun; l-- > 0;) {
		layer = &model->layers[l];
		off = param_offset(model, l);
		gk = grad_params != NULL ? grad_params + off : NULL;
		gb = gk != NULL ? gk + layer->inputs * layer->units : NULL;
		grad_in = grad_x;
		if (l > 0 && (grad_in = malloc(batch * layer->inputs *
		    sizeof(double))) == NULL)
			goto nomem;
		dense_backward(layer, l > 0 ? t.a[l - 1] : x, t.z[l], t.a[l],
		    grad, batch, gk, gb, grad_in);
		free(grad);
		grad = l > 0 ? grad_in : NULL;
	}
	trace_free(&t);
	return 0;
nomem:
	free(grad);
	trace_free(&t);
	errno = ENOMEM;
	return -1;
}

int
actviz_model_input_gradient(const struct actviz_model *model,
    const char *name, const double *x, size_t batch, double *out)
{
	const struct actviz_dense	*layer;
	double				*ones;
	size_t				 index, i, n;
	int				 rc;

	if (find_layer_args(model, name, x, batch, out, &index) == -1)
		return -1;
	layer = &model->layers[index];
	n = batch * layer->units;
	if ((ones = malloc(n * sizeof(double))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++)
		ones[i] = 1.0;
	rc = actviz_model_backward(model, name, x, batch, ones, NULL, out);
	free(ones);
	return rc;
}
