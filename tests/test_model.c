/*
 * Tests for the Dense model: construction and its errors, the forward
 * pass against values worked out by hand, layer output by name, and the
 * backward pass against central differences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "act.h"
#include "init.h"
#include "model.h"
#include "recipe.h"
#include "util.h"

/*
 * 2 inputs -> "Hidden" Dense(3, relu) -> "Output" Dense(1, linear), with
 * small binary fractions as weights so every sum below is exact.
 */
static struct actviz_model *
two_layer_model(void)
{
	static const double	 hk[6] = {
		1.0, -1.0, 0.5,
		2.0, 0.5, -1.0,
	};
	static const double	 hb[3] = { 0.5, 0.0, -0.25 };
	static const double	 ok[3] = { 2.0, 3.0, 4.0 };
	struct actviz_model	*model;
	struct actviz_dense	*layer;

	model = actviz_model_new(2);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 3,
	    tu_act_find("relu")), 0);
	assert_int_equal(actviz_model_add_dense(model, "Output", 1,
	    tu_act_find("linear")), 0);

	layer = actviz_model_layer(model, "Hidden");
	assert_non_null(layer);
	memcpy(layer->kernel, hk, sizeof(hk));
	memcpy(layer->bias, hb, sizeof(hb));
	layer = actviz_model_layer(model, "Output");
	assert_non_null(layer);
	memcpy(layer->kernel, ok, sizeof(ok));
	layer->bias[0] = 1.0;
	return model;
}

static void
new_rejects_zero_inputs(void **state)
{
	(void)state;
	errno = 0;
	assert_null(actviz_model_new(0));
	assert_int_equal(errno, EINVAL);
}

static void
free_null(void **state)
{
	(void)state;
	actviz_model_free(NULL);
}

static void
add_dense_shapes(void **state)
{
	struct actviz_model	*model;
	size_t			 i;

	(void)state;
	model = actviz_model_new(3);
	assert_non_null(model);
	assert_int_equal(model->nlayers, 0);
	assert_int_equal(actviz_model_add_dense(model, "a", 4,
	    tu_act_find("sigmoid")), 0);
	assert_int_equal(actviz_model_add_dense(model, "b", 2,
	    tu_act_find("tanh")), 0);

	assert_int_equal(model->nlayers, 2);
	assert_string_equal(model->layers[0].name, "a");
	assert_int_equal(model->layers[0].inputs, 3);
	assert_int_equal(model->layers[0].units, 4);
	assert_ptr_equal(model->layers[0].act, tu_act_find("sigmoid"));
	assert_int_equal(model->layers[1].inputs, 4);
	assert_int_equal(model->layers[1].units, 2);
	for (i = 0; i < 12; i++)
		assert_true(model->layers[0].kernel[i] == 0.0);
	for (i = 0; i < 4; i++)
		assert_true(model->layers[0].bias[i] == 0.0);
	actviz_model_free(model);
}

/* The layer keeps its own copy of the name. */
static void
add_dense_copies_name(void **state)
{
	struct actviz_model	*model;
	char			 name[] = "Hidden";

	(void)state;
	model = actviz_model_new(1);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, name, 1,
	    tu_act_find("elu")), 0);
	name[0] = 'X';
	assert_non_null(actviz_model_layer(model, "Hidden"));
	assert_ptr_not_equal(model->layers[0].name, name);
	actviz_model_free(model);
}

static void
add_dense_duplicate(void **state)
{
	struct actviz_model	*model;

	(void)state;
	model = actviz_model_new(1);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 1,
	    tu_act_find("tanh")), 0);
	errno = 0;
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 2,
	    tu_act_find("elu")), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(model->nlayers, 1);
	actviz_model_free(model);
}

static void
add_dense_invalid(void **state)
{
	struct actviz_model	*model;
	const struct actviz_act	*tanh_act = tu_act_find("tanh");

	(void)state;
	model = actviz_model_new(1);
	assert_non_null(model);
	errno = 0;
	assert_int_equal(actviz_model_add_dense(model, "a", 0, tanh_act),
	    -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_add_dense(model, "a", 1, NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_add_dense(model, "", 1, tanh_act), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_add_dense(model, NULL, 1, tanh_act),
	    -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_add_dense(NULL, "a", 1, tanh_act), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(model->nlayers, 0);
	actviz_model_free(model);
}

/*
 * Sample (1, 2): Hidden z = (5.5, 0, -1.75), relu (5.5, 0, 0), Output
 * 2 * 5.5 + 1 = 12.  Sample (-1, 0.5): z = (0.5, 1.25, -1.25), relu
 * (0.5, 1.25, 0), Output 1 + 3.75 + 1 = 5.75.
 */
static void
forward_two_layers(void **state)
{
	struct actviz_model	*model = two_layer_model();
	const double		 x[4] = { 1.0, 2.0, -1.0, 0.5 };
	double			 y[2];

	(void)state;
	assert_int_equal(actviz_model_forward(model, x, 2, y), 0);
	tu_assert_near(y[0], 12.0, 0.0);
	tu_assert_near(y[1], 5.75, 0.0);
	actviz_model_free(model);
}

static void
layer_output_by_name(void **state)
{
	struct actviz_model	*model = two_layer_model();
	const double		 x[4] = { 1.0, 2.0, -1.0, 0.5 };
	double			 out[6], y[2];

	(void)state;
	assert_int_equal(actviz_model_layer_output(model, "Hidden", x, 2,
	    out), 0);
	tu_assert_near(out[0], 5.5, 0.0);
	tu_assert_near(out[1], 0.0, 0.0);
	tu_assert_near(out[2], 0.0, 0.0);
	tu_assert_near(out[3], 0.5, 0.0);
	tu_assert_near(out[4], 1.25, 0.0);
	tu_assert_near(out[5], 0.0, 0.0);

	assert_int_equal(actviz_model_layer_output(model, "Output", x, 2, y),
	    0);
	tu_assert_near(y[0], 12.0, 0.0);
	tu_assert_near(y[1], 5.75, 0.0);
	actviz_model_free(model);
}

/* One input and one unit: Hidden gives exactly f(x * k + b). */
static void
hidden_is_f_of_affine(void **state)
{
	struct actviz_model	*model;
	struct actviz_dense	*hidden;
	const struct actviz_act	*sigmoid = tu_act_find("sigmoid");
	double			 x[41], out[41];
	size_t			 i;

	(void)state;
	model = actviz_model_new(1);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 1, sigmoid),
	    0);
	assert_int_equal(actviz_model_add_dense(model, "Output", 1,
	    tu_act_find("linear")), 0);
	hidden = actviz_model_layer(model, "Hidden");
	assert_non_null(hidden);
	hidden->kernel[0] = 0.7;
	hidden->bias[0] = -0.2;

	for (i = 0; i < 41; i++)
		x[i] = -4.0 + 0.2 * (double)i;
	assert_int_equal(actviz_model_layer_output(model, "Hidden", x, 41,
	    out), 0);
	for (i = 0; i < 41; i++)
		assert_true(out[i] == sigmoid->f(x[i] * 0.7 + -0.2,
		    sigmoid->param));
	actviz_model_free(model);
}

static void
unknown_layer(void **state)
{
	struct actviz_model	*model = two_layer_model();
	const double		 x[2] = { 1.0, 2.0 };
	double			 out[3];

	(void)state;
	errno = 0;
	assert_null(actviz_model_layer(model, "hidden"));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(actviz_model_layer_output(model, "Missing", x, 1,
	    out), -1);
	assert_int_equal(errno, ENOENT);
	actviz_model_free(model);
}

static void
forward_invalid(void **state)
{
	struct actviz_model	*empty, *model = two_layer_model();
	const double		 x[2] = { 1.0, 2.0 };
	double			 y[1];

	(void)state;
	errno = 0;
	assert_int_equal(actviz_model_forward(model, x, 0, y), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_forward(model, NULL, 1, y), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_forward(NULL, x, 1, y), -1);
	assert_int_equal(errno, EINVAL);

	empty = actviz_model_new(2);
	assert_non_null(empty);
	errno = 0;
	assert_int_equal(actviz_model_forward(empty, x, 1, y), -1);
	assert_int_equal(errno, EINVAL);
	actviz_model_free(empty);
	actviz_model_free(model);
}

/* A softmax layer's units sum to 1 for every sample. */
static void
softmax_layer(void **state)
{
	struct actviz_model	*model;
	struct actviz_dense	*layer;
	const double		 x[3] = { -2.0, 0.0, 3.0 };
	double			 y[9];
	size_t			 b;

	(void)state;
	model = actviz_model_new(1);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Probs", 3,
	    tu_act_find("softmax")), 0);
	layer = actviz_model_layer(model, "Probs");
	assert_non_null(layer);
	layer->kernel[0] = 1.0;
	layer->kernel[1] = -1.0;
	layer->kernel[2] = 0.5;
	assert_int_equal(actviz_model_forward(model, x, 3, y), 0);
	for (b = 0; b < 3; b++)
		tu_assert_near(y[3 * b] + y[3 * b + 1] + y[3 * b + 2], 1.0,
		    1e-15);
	tu_assert_near(y[3], 1.0 / 3.0, 1e-15);
	actviz_model_free(model);
}

/* The kernel is drawn before the bias, from the caller's generator. */
static void
dense_init_draws_kernel(void **state)
{
	struct actviz_model	*model;
	struct actviz_dense	*layer;
	struct actviz_rng	 rng;
	const struct actviz_init *he = actviz_init_find("he_uniform");
	double			 want[12];
	size_t			 i;

	(void)state;
	model = actviz_model_new(3);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 4,
	    tu_act_find("tanh")), 0);
	layer = actviz_model_layer(model, "Hidden");
	assert_non_null(layer);
	actviz_rng_seed(&rng, 9);
	assert_int_equal(actviz_dense_init(layer, he,
	    actviz_init_find("ones"), &rng), 0);

	actviz_rng_seed(&rng, 9);
	assert_int_equal(he->fill(want, 12, 3, 4, &rng), 0);
	assert_memory_equal(layer->kernel, want, sizeof(want));
	for (i = 0; i < 12; i++)
		assert_true(fabs(layer->kernel[i]) <= sqrt(6.0 / 3.0));
	for (i = 0; i < 4; i++)
		assert_true(layer->bias[i] == 1.0);

	errno = 0;
	assert_int_equal(actviz_dense_init(layer, NULL, he, &rng), -1);
	assert_int_equal(errno, EINVAL);
	actviz_model_free(model);
}

/*
 * Central-difference step and tolerance for the gradient checks.  With
 * losses of order 1, the truncation error of a step of 1e-6 is about
 * 1e-12 and the rounding error about 1e-16 / 1e-6 = 1e-10.  1e-7 leaves
 * room for both, while a wrong sign, or a factor off by 1%, fails for
 * any gradient above about 1e-4.
 */
#define GRAD_STEP	1e-6
#define GRAD_TOL	1e-7
#define GRAD_BATCH	3
#define GRAD_MAX	64	/* values per sample or per model, at most */

/* One Dense layer of a gradient-check model. */
struct layer_spec {
	const char	*name;
	size_t		 units;
	const char	*act;
};

struct grad_case {
	const char		*what;
	size_t			 inputs;
	size_t			 nlayers;
	struct layer_spec	 layers[3];
};

static const struct grad_case grad_cases[] = {
	{ "tanh, softmax(3), softplus", 2, 3,
	    { { "A", 3, "tanh" }, { "B", 3, "softmax" },
	    { "C", 2, "softplus" } } },
	{ "elu, linear", 2, 2,
	    { { "A", 3, "elu" }, { "B", 1, "linear" } } },
	{ "softplus, elu, tanh", 3, 3,
	    { { "A", 4, "softplus" }, { "B", 3, "elu" },
	    { "C", 2, "tanh" } } },
	{ "sigmoid, softmax(3)", 1, 2,
	    { { "A", 2, "sigmoid" }, { "B", 3, "softmax" } } },
};

#define NGRAD	(sizeof(grad_cases) / sizeof(grad_cases[0]))

/* Returns a uniform value in [lo, hi) from rng. */
static double
uniform(struct actviz_rng *rng, double lo, double hi)
{
	return lo + (hi - lo) * actviz_rng_uniform(rng);
}

/*
 * Builds c's model with every weight uniform in [-1, 1) drawn from a
 * generator seeded with seed, so no weight is 0 and each case has its
 * own values.
 */
static struct actviz_model *
grad_model(const struct grad_case *c, uint64_t seed)
{
	struct actviz_model	*model;
	struct actviz_dense	*layer;
	struct actviz_rng	 rng;
	size_t			 l, i;

	model = actviz_model_new(c->inputs);
	assert_non_null(model);
	for (l = 0; l < c->nlayers; l++)
		assert_int_equal(actviz_model_add_dense(model,
		    c->layers[l].name, c->layers[l].units,
		    tu_act_find(c->layers[l].act)), 0);
	assert_true(actviz_model_nparams(model) <= GRAD_MAX);
	actviz_rng_seed(&rng, seed);
	for (l = 0; l < model->nlayers; l++) {
		layer = &model->layers[l];
		for (i = 0; i < layer->inputs * layer->units; i++)
			layer->kernel[i] = uniform(&rng, -1.0, 1.0);
		for (i = 0; i < layer->units; i++)
			layer->bias[i] = uniform(&rng, -1.0, 1.0);
	}
	return model;
}

/* Returns the weight at flat index k (kernel then bias, by layer). */
static double *
param_at(struct actviz_model *model, size_t k)
{
	struct actviz_dense	*layer;
	size_t			 l, nk;

	for (l = 0; l < model->nlayers; l++) {
		layer = &model->layers[l];
		nk = layer->inputs * layer->units;
		if (k < nk)
			return &layer->kernel[k];
		k -= nk;
		if (k < layer->units)
			return &layer->bias[k];
		k -= layer->units;
	}
	fail_msg("no weight at that index");
	return NULL;
}

/*
 * Returns the loss that the gradient checks differentiate.  With name
 * NULL it is the mean squared error of the model's output against t.
 * With a layer name it is the sum of that layer's outputs weighted by
 * t, so its gradient with respect to those outputs is t itself.
 */
static double
check_loss(const struct actviz_model *model, const char *name,
    const double *x, const double *t, size_t nout)
{
	double	 out[GRAD_BATCH * GRAD_MAX], d, sum = 0.0;
	size_t	 k, m = GRAD_BATCH * nout;

	if (name == NULL)
		assert_int_equal(actviz_model_forward(model, x, GRAD_BATCH,
		    out), 0);
	else
		assert_int_equal(actviz_model_layer_output(model, name, x,
		    GRAD_BATCH, out), 0);
	for (k = 0; k < m; k++) {
		if (name != NULL) {
			sum += t[k] * out[k];
			continue;
		}
		d = out[k] - t[k];
		sum += d * d;
	}
	return name == NULL ? sum / (double)m : sum;
}

/* Central difference of check_loss() with respect to *v. */
static double
central_diff(const struct actviz_model *model, const char *name,
    const double *x, const double *t, size_t nout, double *v)
{
	double	 saved = *v, up, down;

	*v = saved + GRAD_STEP;
	up = check_loss(model, name, x, t, nout);
	*v = saved - GRAD_STEP;
	down = check_loss(model, name, x, t, nout);
	*v = saved;
	return (up - down) / (2.0 * GRAD_STEP);
}

static void
expect_grad(const char *what, const char *kind, size_t k, double got,
    double want)
{
	if (!(fabs(got - want) <= GRAD_TOL + GRAD_TOL * fabs(want)))
		fail_msg("%s: d/d%s[%zu] = %.17g, central difference %.17g",
		    what, kind, k, got, want);
}

/*
 * Compares grad (flat order) and grad_x from actviz_model_backward()
 * with central differences, for the first nrun layers.  Layers past
 * nrun must have gradient exactly 0.  Every layer run and the input
 * must have some gradient: an identically zero one fails.
 */
static void
check_grads(const char *what, struct actviz_model *model, size_t nrun,
    const char *name, double *x, const double *t, size_t nout,
    const double *grad, const double *grad_x)
{
	struct actviz_dense	*layer;
	size_t			 l, i, k = 0, nl;
	double			 largest;

	for (l = 0; l < model->nlayers; l++) {
		layer = &model->layers[l];
		nl = layer->inputs * layer->units + layer->units;
		largest = 0.0;
		for (i = 0; i < nl; i++, k++) {
			if (l >= nrun) {
				if (grad[k] != 0.0)
					fail_msg("%s: layer %s past %s has "
					    "gradient %g", what, layer->name,
					    name, grad[k]);
				continue;
			}
			expect_grad(what, "w", k, grad[k], central_diff(model,
			    name, x, t, nout, param_at(model, k)));
			largest = fmax(largest, fabs(grad[k]));
		}
		if (l < nrun && !(largest > 1e-4))
			fail_msg("%s: layer %s has no gradient", what,
			    layer->name);
	}

	largest = 0.0;
	for (i = 0; i < GRAD_BATCH * model->inputs; i++) {
		expect_grad(what, "x", i, grad_x[i], central_diff(model, name,
		    x, t, nout, &x[i]));
		largest = fmax(largest, fabs(grad_x[i]));
	}
	if (!(largest > 1e-4))
		fail_msg("%s: the input has no gradient", what);
}

/* Fills n values of v uniform in [lo, hi) from rng. */
static void
fill_uniform(struct actviz_rng *rng, double *v, size_t n, double lo,
    double hi)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		v[i] = uniform(rng, lo, hi);
}

/* The whole model's MSE gradient for each case of grad_cases. */
static void
backward_mse(void **state)
{
	const struct grad_case	*c;
	struct actviz_model	*model;
	struct actviz_rng	 rng;
	double			 x[GRAD_BATCH * GRAD_MAX];
	double			 t[GRAD_BATCH * GRAD_MAX];
	double			 pred[GRAD_BATCH * GRAD_MAX];
	double			 grad_out[GRAD_BATCH * GRAD_MAX];
	double			 grad[GRAD_MAX], grad_x[GRAD_BATCH * GRAD_MAX];
	size_t			 ci, k, nout, m;

	(void)state;
	for (ci = 0; ci < NGRAD; ci++) {
		c = &grad_cases[ci];
		model = grad_model(c, 100 + ci);
		nout = c->layers[c->nlayers - 1].units;
		m = GRAD_BATCH * nout;
		actviz_rng_seed(&rng, 200 + ci);
		fill_uniform(&rng, x, GRAD_BATCH * c->inputs, -2.0, 2.0);
		fill_uniform(&rng, t, m, -1.0, 1.0);

		assert_int_equal(actviz_model_forward(model, x, GRAD_BATCH,
		    pred), 0);
		for (k = 0; k < m; k++)
			grad_out[k] = 2.0 * (pred[k] - t[k]) / (double)m;
		assert_int_equal(actviz_model_backward(model, NULL, x,
		    GRAD_BATCH, grad_out, grad, grad_x), 0);
		check_grads(c->what, model, model->nlayers, NULL, x, t, nout,
		    grad, grad_x);
		actviz_model_free(model);
	}
}

/*
 * Back-propagating to the middle layer B of a three-layer model gives
 * the gradient of sum(t * B's output) for A and B and the input, and
 * exactly 0 for C, even where the buffer held other values.
 */
static void
backward_to_layer(void **state)
{
	const struct grad_case	*c = &grad_cases[0];
	struct actviz_model	*model = grad_model(c, 300);
	struct actviz_rng	 rng;
	double			 x[GRAD_BATCH * 2], t[GRAD_BATCH * 3];
	double			 grad[GRAD_MAX], grad_x[GRAD_BATCH * 2];
	size_t			 k;

	(void)state;
	actviz_rng_seed(&rng, 301);
	fill_uniform(&rng, x, GRAD_BATCH * 2, -2.0, 2.0);
	fill_uniform(&rng, t, GRAD_BATCH * 3, -1.0, 1.0);
	for (k = 0; k < GRAD_MAX; k++)
		grad[k] = 7.0;

	assert_int_equal(actviz_model_backward(model, "B", x, GRAD_BATCH, t,
	    grad, grad_x), 0);
	check_grads("backward to B", model, 2, "B", x, t, 3, grad, grad_x);
	actviz_model_free(model);
}

static void
backward_unknown_layer(void **state)
{
	struct actviz_model	*model = two_layer_model();
	const double		 x[2] = { 1.0, 2.0 }, g[1] = { 1.0 };
	double			 grad[13], grad_x[2];

	(void)state;
	errno = 0;
	assert_int_equal(actviz_model_backward(model, "Missing", x, 1, g,
	    grad, grad_x), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(actviz_model_input_gradient(model, "Missing", x, 1,
	    grad_x), -1);
	assert_int_equal(errno, ENOENT);
	actviz_model_free(model);
}

static void
backward_invalid(void **state)
{
	struct actviz_model	*empty, *model = two_layer_model();
	const double		 x[2] = { 1.0, 2.0 }, g[1] = { 1.0 };
	double			 grad[13], grad_x[2];

	(void)state;
	errno = 0;
	assert_int_equal(actviz_model_backward(NULL, NULL, x, 1, g, grad,
	    grad_x), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_backward(model, NULL, NULL, 1, g, grad,
	    grad_x), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_backward(model, NULL, x, 0, g, grad,
	    grad_x), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(actviz_model_backward(model, NULL, x, 1, NULL, grad,
	    grad_x), -1);
	assert_int_equal(errno, EINVAL);
	empty = actviz_model_new(2);
	assert_non_null(empty);
	errno = 0;
	assert_int_equal(actviz_model_backward(empty, NULL, x, 1, g, NULL,
	    NULL), -1);
	assert_int_equal(errno, EINVAL);
	actviz_model_free(empty);
	actviz_model_free(model);
}

/* The recipe's model with Hidden kernel k and bias b. */
static struct actviz_model *
recipe_fixed(const struct actviz_act *act, double k, double b)
{
	struct actviz_weights	 w;
	struct actviz_model	*model;

	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_FIXED;
	w.kernel = k;
	w.bias = b;
	model = actviz_recipe_model(act, &w);
	assert_non_null(model);
	return model;
}

/*
 * For the recipe's Hidden layer, one unit fed by one input, the input
 * gradient is k f'(k x + b).  With k = 0.7 and b = -0.2 no grid point
 * sits on a kink: k x + b runs from -2.3 to 1.9 and is 0 at x = 2/7.
 */
static void
input_gradient_recipe(void **state)
{
	static const char *const names[] = {
		"sigmoid", "tanh", "softsign", "softplus", "selu", "elu",
		"gelu", "silu", "leaky_relu", "hard_sigmoid",
	};
	const struct actviz_act	*act;
	struct actviz_model	*model;
	double			 x[25], dy[25], want, z;
	size_t			 a, i;

	(void)state;
	for (i = 0; i < 25; i++)
		x[i] = -3.0 + 0.25 * (double)i;
	for (a = 0; a < sizeof(names) / sizeof(names[0]); a++) {
		act = tu_act_find(names[a]);
		model = recipe_fixed(act, 0.7, -0.2);
		assert_int_equal(actviz_model_input_gradient(model, "Hidden",
		    x, 25, dy), 0);
		for (i = 0; i < 25; i++) {
			z = x[i] * 0.7 + -0.2;
			want = 0.7 * act->df(z, act->param);
			if (!(fabs(dy[i] - want) <= 4 * DBL_EPSILON *
			    fabs(want)))
				fail_msg("%s at x = %g: dy/dx = %.17g, "
				    "expected %.17g", names[a], x[i], dy[i],
				    want);
		}
		actviz_model_free(model);
	}
}

/* Softmax over one unit is the constant 1, so its slope is exactly 0. */
static void
input_gradient_softmax(void **state)
{
	struct actviz_model	*model = recipe_fixed(tu_act_find("softmax"),
				    1.3, 0.4);
	double			 x[5] = { -4.0, -1.0, 0.0, 0.5, 3.0 }, dy[5];
	size_t			 i;

	(void)state;
	assert_int_equal(actviz_model_input_gradient(model, "Hidden", x, 5,
	    dy), 0);
	for (i = 0; i < 5; i++)
		assert_true(dy[i] == 0.0);
	actviz_model_free(model);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_rejects_zero_inputs),
		cmocka_unit_test(free_null),
		cmocka_unit_test(add_dense_shapes),
		cmocka_unit_test(add_dense_copies_name),
		cmocka_unit_test(add_dense_duplicate),
		cmocka_unit_test(add_dense_invalid),
		cmocka_unit_test(forward_two_layers),
		cmocka_unit_test(layer_output_by_name),
		cmocka_unit_test(hidden_is_f_of_affine),
		cmocka_unit_test(unknown_layer),
		cmocka_unit_test(forward_invalid),
		cmocka_unit_test(softmax_layer),
		cmocka_unit_test(dense_init_draws_kernel),
		cmocka_unit_test(backward_mse),
		cmocka_unit_test(backward_to_layer),
		cmocka_unit_test(backward_unknown_layer),
		cmocka_unit_test(backward_invalid),
		cmocka_unit_test(input_gradient_recipe),
		cmocka_unit_test(input_gradient_softmax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
