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
    size_t batch, double *out)
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
		dense_forward(&model->layers[l], in, batch, dst);
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

int
actviz_model_layer_output(const struct actviz_model *model,
    const char *name, const double *x, size_t batch, double *out)
{
	size_t	index;

	if (model == NULL || name == NULL || x == NULL || batch == 0 ||
	    out == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (find_index(model, name, &index) == -1) {
		errno = ENOENT;
		return -1;
	}
	return run_layers(model, index + 1, x, batch, out);
}
