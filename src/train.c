/*
 * SGD on mean squared error.  The batch loss is Keras's: the squared
 * error averaged over a sample's outputs, then over the batch's samples.
 * The epoch loss weights each batch by its size, as Keras's progress bar
 * reports it.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"

void
actviz_fit_defaults(struct actviz_fit *fit)
{
	memset(fit, 0, sizeof(*fit));
	fit->epochs = 1;
	fit->lr = 0.01;
	fit->batch_size = 32;
	fit->shuffle = 1;
}

/* Buffers for one batch, sized for the largest. */
struct batch {
	size_t	*order;		/* sample indices for this epoch */
	double	*x;		/* batch x inputs */
	double	*y;		/* targets, batch x outputs */
	double	*pred;		/* model output, batch x outputs */
	double	*grad;		/* dL/dpred, then reused */
	double	*gparams;	/* dL/dweights, nparams */
};

static void
batch_free(struct batch *b)
{
	free(b->order);
	free(b->x);
	free(b->y);
	free(b->pred);
	free(b->grad);
	free(b->gparams);
}

static int
batch_alloc(struct batch *b, const struct actviz_model *model, size_t n,
    size_t size, size_t outputs)
{
	memset(b, 0, sizeof(*b));
	b->order = calloc(n, sizeof(size_t));
	b->x = calloc(size * model->inputs, sizeof(double));
	b->y = calloc(size * outputs, sizeof(double));
	b->pred = calloc(size * outputs, sizeof(double));
	b->grad = calloc(size * outputs, sizeof(double));
	b->gparams = calloc(actviz_model_nparams(model), sizeof(double));
	if (b->order == NULL || b->x == NULL || b->y == NULL ||
	    b->pred == NULL || b->grad == NULL || b->gparams == NULL) {
		batch_free(b);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Fisher-Yates shuffle of order[0..n) with draws from rng. */
static void
shuffle(size_t *order, size_t n, struct actviz_rng *rng)
{
	size_t	 i, j, tmp;

	for (i = n; i > 1; i--) {
		j = (size_t)(actviz_rng_uniform(rng) * (double)i);
		tmp = order[i - 1];
		order[i - 1] = order[j];
		order[j] = tmp;
	}
}

/* Returns 1 when every weight of model is finite. */
static int
weights_finite(const struct actviz_model *model)
{
	const struct actviz_dense	*layer;
	size_t				 l, i;

	for (l = 0; l < model->nlayers; l++) {
		layer = &model->layers[l];
		for (i = 0; i < layer->inputs * layer->units; i++)
			if (!isfinite(layer->kernel[i]))
				return 0;
		for (i = 0; i < layer->units; i++)
			if (!isfinite(layer->bias[i]))
				return 0;
	}
	return 1;
}

/*
 * Runs one batch of size samples starting at order[first]: gathers it,
 * measures its loss into *loss, and applies one update.  Returns 0, or
 * -1 (errno set) when the forward or backward pass fails.
 */
static int
train_batch(struct actviz_model *model, const double *x, const double *y,
    size_t outputs, struct batch *b, size_t first, size_t size, double lr,
    double *loss)
{
	size_t	 inputs = model->inputs, s, k, m = size * outputs;
	double	 sum = 0.0, d;

	for (s = 0; s < size; s++) {
		memcpy(b->x + s * inputs, x + b->order[first + s] * inputs,
		    inputs * sizeof(double));
		memcpy(b->y + s * outputs, y + b->order[first + s] * outputs,
		    outputs * sizeof(double));
	}
	if (actviz_model_forward(model, b->x, size, b->pred) == -1)
		return -1;
	for (k = 0; k < m; k++) {
		d = b->pred[k] - b->y[k];
		sum += d * d;
		b->grad[k] = 2.0 * d / (double)m;
	}
	*loss = sum / (double)m;
	if (actviz_model_backward(model, NULL, b->x, size, b->grad,
	    b->gparams, NULL) == -1)
		return -1;
	actviz_model_step(model, b->gparams, lr);
	return 0;
}

static int
check_fit(const struct actviz_model *model, const double *x,
    const double *y, size_t n, const struct actviz_fit *fit,
    const struct actviz_rng *rng)
{
	if (model == NULL || model->nlayers == 0 || x == NULL || y == NULL ||
	    n == 0 || fit == NULL || fit->batch_size == 0 ||
	    !isfinite(fit->lr) || fit->lr <= 0.0 ||
	    (fit->shuffle && rng == NULL)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
actviz_model_fit(struct actviz_model *model, const double *x,
    const double *y, size_t n, const struct actviz_fit *fit,
    struct actviz_rng *rng, double *history, size_t *failed_epoch)
{
	struct batch	 b;
	size_t		 outputs, size, epoch, first, i;
	double		 loss, total;

	if (check_fit(model, x, y, n, fit, rng) == -1)
		return -1;
	outputs = model->layers[model->nlayers - 1].units;
	size = fit->batch_size < n ? fit->batch_size : n;
	if (batch_alloc(&b, model, n, size, outputs) == -1)
		return -1;
	for (i = 0; i < n; i++)
		b.order[i] = i;

	for (epoch = 1; epoch <= fit->epochs; epoch++) {
		if (fit->shuffle)
			shuffle(b.order, n, rng);
		total = 0.0;
		for (first = 0; first < n; first += size) {
			i = n - first < size ? n - first : size;
			if (train_batch(model, x, y, outputs, &b, first, i,
			    fit->lr, &loss) == -1) {
				batch_free(&b);
				return -1;
			}
			total += loss * (double)i;
		}
		total /= (double)n;
		if (history != NULL)
			history[epoch - 1] = total;
		if (!isfinite(total) || !weights_finite(model)) {
			if (failed_epoch != NULL)
				*failed_epoch = epoch;
			batch_free(&b);
			errno = ERANGE;
			return -1;
		}
		if (fit->on_epoch != NULL)
			fit->on_epoch(fit->arg, epoch, total);
	}
	batch_free(&b);
	return 0;
}
