/*
 * Training: mean squared error and plain SGD, batched and shuffled as
 * Keras's Model.fit does.
 */
#ifndef ACTVIZ_TRAIN_H
#define ACTVIZ_TRAIN_H

#include <stddef.h>

#include "init.h"
#include "model.h"

struct actviz_fit {
	size_t		 epochs;
	double		 lr;		/* SGD learning rate */
	size_t		 batch_size;	/* samples per update */
	int		 shuffle;	/* reorder samples every epoch */
	/* Called after each epoch with its 1-based number and loss, when
	 * not NULL. */
	void		(*on_epoch)(void *arg, size_t epoch, double loss);
	void		*arg;
};

/* Fills fit with Keras's defaults: lr 0.01, batch size 32, shuffling,
 * and 1 epoch. */
void	 actviz_fit_defaults(struct actviz_fit *fit);

/*
 * Trains model on n samples x (n x inputs) with targets y (n x output
 * units) by minimising the mean squared error with SGD.  Each epoch
 * takes the samples in order, or in an order drawn from rng when
 * fit->shuffle is set, in batches of fit->batch_size (the last one
 * smaller), with one update per batch.  The epoch's loss, written to
 * history[epoch - 1] when history is not NULL, is the sample-weighted
 * mean of the batch losses, each measured before its update.
 * Fails with EINVAL for bad arguments, ENOMEM, or ERANGE when a loss
 * or weight stops being finite; *failed_epoch (when not NULL) then
 * names the epoch.
 */
int	 actviz_model_fit(struct actviz_model *model, const double *x,
	    const double *y, size_t n, const struct actviz_fit *fit,
	    struct actviz_rng *rng, double *history, size_t *failed_epoch);

#endif
