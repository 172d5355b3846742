/*
 * Tests for SGD training: reference values for the classic recipe, the
 * batching and the epoch loss checked against batches stepped by hand,
 * seeded shuffling, the per-epoch callback, divergence and bad arguments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "act.h"
#include "init.h"
#include "model.h"
#include "recipe.h"
#include "train.h"
#include "util.h"

#define NX		100	/* samples on the recipe's grid */
#define NPARAMS		4	/* Hidden kernel, bias, Output kernel, bias */
#define MAX_EPOCHS	8

/*
 * The same arithmetic in the same order as actviz_model_fit() gives the
 * same bits; the tolerance only allows for a reordered but equivalent
 * sum.  Batchings that differ from 32, 32, 32, 4 move the weights by
 * more than 1e-4 (see batches_end_short).
 */
#define SAME_TOL	1e-12

/*
 * Dense(1, hidden_act) "Hidden" then Dense(1, linear) "Output" with
 * hidden kernel 0.5, output kernel 1 and both biases 0.
 */
static struct actviz_model *
start_model(const char *hidden_act)
{
	return tu_recipe_shape(hidden_act, 0.5, 0.0, 1.0, 0.0);
}

/* The recipe's data: x from -5 to 4.9, y = log(x + max(x) + 1). */
static void
recipe_data(double x[NX], double y[NX])
{
	size_t	 i;

	actviz_recipe_grid(-5.0, 4.9, NX, x);
	for (i = 0; i < NX; i++)
		y[i] = log(x[i] + x[NX - 1] + 1.0);
}

/* Copies the four weights in the flat parameter order. */
static void
get_params(const struct actviz_model *model, double p[NPARAMS])
{
	assert_int_equal(actviz_model_nparams(model), NPARAMS);
	p[0] = model->layers[0].kernel[0];
	p[1] = model->layers[0].bias[0];
	p[2] = model->layers[1].kernel[0];
	p[3] = model->layers[1].bias[0];
}

static void
no_shuffle_fit(struct actviz_fit *fit, size_t epochs, size_t batch_size)
{
	actviz_fit_defaults(fit);
	fit->epochs = epochs;
	fit->batch_size = batch_size;
	fit->shuffle = 0;
}

/*
 * Takes one SGD step by hand on samples [first, first + size) of a
 * model with one output.  The batch's mean squared error, measured
 * before the update, goes to *loss.  Its gradient 2 (pred - y) / size
 * is back-propagated and applied with rate lr.
 */
static void
step_batch(struct actviz_model *model, const double *x, const double *y,
    size_t first, size_t size, double lr, double *loss)
{
	double	 pred[NX], grad[NX], gparams[NPARAMS], d, sum = 0.0;
	size_t	 i;

	assert_int_equal(actviz_model_forward(model, x + first, size, pred),
	    0);
	for (i = 0; i < size; i++) {
		d = pred[i] - y[first + i];
		sum += d * d;
		grad[i] = 2.0 * d / (double)size;
	}
	*loss = sum / (double)size;
	assert_int_equal(actviz_model_backward(model, NULL, x + first, size,
	    grad, gparams, NULL), 0);
	actviz_model_step(model, gparams, lr);
}

/*
 * Steps a fresh start model through one epoch of batches of the given
 * sizes, in order from sample 0, and returns its weights and each
 * batch's loss.
 */
static void
step_epoch(const size_t *sizes, size_t nbatches, double p[NPARAMS],
    double *losses)
{
	struct actviz_model	*model = start_model("sigmoid");
	double			 x[NX], y[NX];
	size_t			 b, first = 0;

	recipe_data(x, y);
	for (b = 0; b < nbatches; b++) {
		step_batch(model, x, y, first, sizes[b], 0.01, &losses[b]);
		first += sizes[b];
	}
	get_params(model, p);
	actviz_model_free(model);
}

/* Trains a fresh start model with fit, writing weights and history. */
static void
fit_start(const char *hidden_act, const struct actviz_fit *fit,
    struct actviz_rng *rng, double p[NPARAMS], double *history)
{
	struct actviz_model	*model = start_model(hidden_act);
	double			 x[NX], y[NX];

	recipe_data(x, y);
	assert_int_equal(actviz_model_fit(model, x, y, NX, fit, rng, history,
	    NULL), 0);
	get_params(model, p);
	actviz_model_free(model);
}

/* Returns the largest absolute difference between two weight sets. */
static double
max_diff(const double a[NPARAMS], const double b[NPARAMS])
{
	double	 m = 0.0;
	size_t	 i;

	for (i = 0; i < NPARAMS; i++)
		if (fabs(a[i] - b[i]) > m)
			m = fabs(a[i] - b[i]);
	return m;
}

static void
fit_defaults_keras(void **state)
{
	struct actviz_fit	 fit;

	(void)state;
	memset(&fit, 0xff, sizeof(fit));
	actviz_fit_defaults(&fit);
	assert_int_equal(fit.epochs, 1);
	assert_true(fit.lr == 0.01);
	assert_int_equal(fit.batch_size, 32);
	assert_int_equal(fit.shuffle, 1);
	assert_null(fit.on_epoch);
	assert_null(fit.arg);
}

/*
 * Reference values for the recipe's sigmoid model trained for 5 epochs
 * with lr 0.01, batch 32 and no shuffling: first epoch loss 1.30077,
 * and the final weights below.
 */
static void
known_answer(void **state)
{
	struct actviz_fit	 fit;
	double			 p[NPARAMS], history[5];

	(void)state;
	no_shuffle_fit(&fit, 5, 32);
	fit_start("sigmoid", &fit, NULL, p, history);
	tu_assert_near(history[0], 1.30077, 1e-5);
	tu_assert_near(p[0], 0.558424, 1e-6);
	tu_assert_near(p[1], 0.0600315, 1e-6);
	tu_assert_near(p[2], 1.246662, 1e-6);
	tu_assert_near(p[3], 0.365689, 1e-6);
}

/*
 * 100 samples in batches of 32 make batches of 32, 32, 32 and 4: one
 * epoch of actviz_model_fit() equals four steps by hand, and neither
 * dropping the short batch nor four equal batches of 25 does.
 */
static void
batches_end_short(void **state)
{
	static const size_t	 keras[] = { 32, 32, 32, 4 };
	static const size_t	 dropped[] = { 32, 32, 32 };
	static const size_t	 even[] = { 25, 25, 25, 25 };
	struct actviz_fit	 fit;
	double			 fitted[NPARAMS], p[NPARAMS], losses[4];
	size_t			 i;

	(void)state;
	no_shuffle_fit(&fit, 1, 32);
	fit_start("sigmoid", &fit, NULL, fitted, NULL);

	step_epoch(keras, 4, p, losses);
	for (i = 0; i < NPARAMS; i++)
		tu_assert_near(fitted[i], p[i], SAME_TOL);
	step_epoch(dropped, 3, p, losses);
	assert_true(max_diff(fitted, p) > 1e-4);
	step_epoch(even, 4, p, losses);
	assert_true(max_diff(fitted, p) > 1e-4);
}

/*
 * The epoch loss weighs each batch loss (measured before its update) by
 * the batch's size: (32 L1 + 32 L2 + 32 L3 + 4 L4) / 100 = 1.30077,
 * where the plain mean of the four batch losses is 1.4157.
 */
static void
epoch_loss_weighted(void **state)
{
	static const size_t	 sizes[] = { 32, 32, 32, 4 };
	struct actviz_fit	 fit;
	double			 p[NPARAMS], losses[4], history[1];
	double			 weighted, plain;

	(void)state;
	step_epoch(sizes, 4, p, losses);
	weighted = (32.0 * losses[0] + 32.0 * losses[1] + 32.0 * losses[2] +
	    4.0 * losses[3]) / 100.0;
	plain = (losses[0] + losses[1] + losses[2] + losses[3]) / 4.0;

	no_shuffle_fit(&fit, 1, 32);
	fit_start("sigmoid", &fit, NULL, p, history);
	tu_assert_near(history[0], weighted, SAME_TOL);
	tu_assert_near(history[0], 1.30077, 1e-5);
	tu_assert_near(plain, 1.4157, 1e-4);
	assert_true(fabs(history[0] - plain) > 0.1);
}

/* A batch size above n gives one batch of all n samples. */
static void
batch_above_n(void **state)
{
	static const size_t	 all[] = { NX };
	struct actviz_fit	 fit;
	double			 fitted[NPARAMS], p[NPARAMS], loss[1];
	double			 history[1];
	size_t			 i;

	(void)state;
	no_shuffle_fit(&fit, 1, 1000);
	fit_start("sigmoid", &fit, NULL, fitted, history);
	step_epoch(all, 1, p, loss);
	for (i = 0; i < NPARAMS; i++)
		tu_assert_near(fitted[i], p[i], SAME_TOL);
	tu_assert_near(history[0], loss[0], SAME_TOL);
}

/*
 * With two outputs the batch loss averages the squared error over the
 * outputs too: one batch of 2 samples x 2 outputs, all 4 errors known.
 */
static void
loss_over_outputs(void **state)
{
	const double		 x[2] = { 1.0, -2.0 };
	const double		 y[4] = { 0.0, 0.0, 1.0, 1.0 };
	struct actviz_model	*model;
	struct actviz_fit	 fit;
	double			 history[1];

	(void)state;
	model = actviz_model_new(1);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Out", 2,
	    tu_act_find("linear")), 0);
	model->layers[0].kernel[0] = 1.0;
	model->layers[0].kernel[1] = 2.0;
	/* Outputs (1, 2) and (-2, -4): errors 1, 2, -3, -5. */
	no_shuffle_fit(&fit, 1, 2);
	assert_int_equal(actviz_model_fit(model, x, y, 2, &fit, NULL,
	    history, NULL), 0);
	tu_assert_near(history[0], (1.0 + 4.0 + 9.0 + 25.0) / 4.0, 1e-15);
	actviz_model_free(model);
}

/* Runs 3 shuffled epochs from a generator seeded with seed. */
static void
fit_seeded(uint64_t seed, double p[NPARAMS])
{
	struct actviz_fit	 fit;
	struct actviz_rng	 rng;

	actviz_fit_defaults(&fit);
	fit.epochs = 3;
	actviz_rng_seed(&rng, seed);
	fit_start("tanh", &fit, &rng, p, NULL);
}

static void
shuffle_seeded(void **state)
{
	struct actviz_fit	 fit;
	double			 a[NPARAMS], again[NPARAMS], other[NPARAMS];
	double			 ordered[NPARAMS];

	(void)state;
	fit_seeded(7, a);
	fit_seeded(7, again);
	fit_seeded(8, other);
	no_shuffle_fit(&fit, 3, 32);
	fit_start("tanh", &fit, NULL, ordered, NULL);

	assert_memory_equal(a, again, sizeof(a));
	assert_true(max_diff(a, other) > 1e-9);
	assert_true(max_diff(a, ordered) > 1e-9);
}

/* What the on_epoch callback received. */
struct epochs_seen {
	size_t	 n;
	size_t	 epoch[MAX_EPOCHS];
	double	 loss[MAX_EPOCHS];
};

static void
record_epoch(void *arg, size_t epoch, double loss)
{
	struct epochs_seen	*seen = arg;

	if (seen->n == MAX_EPOCHS)
		fail_msg("on_epoch called more than %d times", MAX_EPOCHS);
	seen->epoch[seen->n] = epoch;
	seen->loss[seen->n] = loss;
	seen->n++;
}

static void
on_epoch_calls(void **state)
{
	struct epochs_seen	 seen;
	struct actviz_fit	 fit;
	double			 p[NPARAMS], history[4];
	size_t			 i;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	no_shuffle_fit(&fit, 4, 32);
	fit.on_epoch = record_epoch;
	fit.arg = &seen;
	fit_start("sigmoid", &fit, NULL, p, history);

	assert_int_equal(seen.n, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(seen.epoch[i], i + 1);
		assert_true(seen.loss[i] == history[i]);
	}
	tu_assert_near(seen.loss[0], 1.30077, 1e-5);
}

/* A linear model with lr 1000 overflows within a few epochs. */
static void
diverge_erange(void **state)
{
	struct actviz_model	*model = start_model("linear");
	struct actviz_fit	 fit;
	double			 x[NX], y[NX], history[MAX_EPOCHS];
	size_t			 failed = 0, e;

	(void)state;
	recipe_data(x, y);
	no_shuffle_fit(&fit, MAX_EPOCHS, 32);
	fit.lr = 1000.0;
	errno = 0;
	assert_int_equal(actviz_model_fit(model, x, y, NX, &fit, NULL,
	    history, &failed), -1);
	assert_int_equal(errno, ERANGE);
	assert_in_range(failed, 1, MAX_EPOCHS);
	for (e = 1; e < failed; e++)
		assert_true(isfinite(history[e - 1]));
	actviz_model_free(model);

	/* failed_epoch may be NULL. */
	model = start_model("linear");
	errno = 0;
	assert_int_equal(actviz_model_fit(model, x, y, NX, &fit, NULL, NULL,
	    NULL), -1);
	assert_int_equal(errno, ERANGE);
	actviz_model_free(model);
}

/* A fit setting that actviz_model_fit() rejects with EINVAL. */
struct bad_fit {
	const char	*what;
	double		 lr;
	size_t		 batch_size;
	int		 shuffle;	/* with a NULL generator */
};

static const struct bad_fit bad_fits[] = {
	{ "lr 0", 0.0, 32, 0 },
	{ "lr -0.01", -0.01, 32, 0 },
	{ "lr NaN", NAN, 32, 0 },
	{ "lr inf", INFINITY, 32, 0 },
	{ "batch size 0", 0.01, 0, 0 },
	{ "shuffle without a generator", 0.01, 32, 1 },
};

static void
invalid_fit(void **state)
{
	struct actviz_model	*model = start_model("sigmoid");
	struct actviz_fit	 fit;
	double			 x[NX], y[NX], before[NPARAMS], after[NPARAMS];
	size_t			 i;
	int			 rc;

	(void)state;
	recipe_data(x, y);
	get_params(model, before);
	for (i = 0; i < sizeof(bad_fits) / sizeof(bad_fits[0]); i++) {
		no_shuffle_fit(&fit, 1, bad_fits[i].batch_size);
		fit.lr = bad_fits[i].lr;
		fit.shuffle = bad_fits[i].shuffle;
		errno = 0;
		rc = actviz_model_fit(model, x, y, NX, &fit, NULL, NULL, NULL);
		if (rc != -1 || errno != EINVAL)
			fail_msg("%s: returned %d, errno %d; expected -1, "
			    "EINVAL", bad_fits[i].what, rc, errno);
	}
	get_params(model, after);
	assert_memory_equal(before, after, sizeof(before));
	actviz_model_free(model);
}

static void
invalid_args(void **state)
{
	struct actviz_model	*model = start_model("sigmoid");
	struct actviz_model	*empty = actviz_model_new(1);
	struct actviz_fit	 fit;
	double			 x[NX], y[NX];

	(void)state;
	assert_non_null(empty);
	recipe_data(x, y);
	no_shuffle_fit(&fit, 1, 32);
	errno = 0;
	assert_int_equal(actviz_model_fit(NULL, x, y, NX, &fit, NULL, NULL,
	    NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_fit(empty, x, y, NX, &fit, NULL, NULL,
	    NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_fit(model, NULL, y, NX, &fit, NULL,
	    NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_fit(model, x, NULL, NX, &fit, NULL,
	    NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_fit(model, x, y, 0, &fit, NULL, NULL,
	    NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_fit(model, x, y, NX, NULL, NULL, NULL,
	    NULL), -1);
	assert_int_equal(errno, EINVAL);
	actviz_model_free(empty);
	actviz_model_free(model);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fit_defaults_keras),
		cmocka_unit_test(known_answer),
		cmocka_unit_test(batches_end_short),
		cmocka_unit_test(epoch_loss_weighted),
		cmocka_unit_test(batch_above_n),
		cmocka_unit_test(loss_over_outputs),
		cmocka_unit_test(shuffle_seeded),
		cmocka_unit_test(on_epoch_calls),
		cmocka_unit_test(diverge_erange),
		cmocka_unit_test(invalid_fit),
		cmocka_unit_test(invalid_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
