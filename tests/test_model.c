/*
 * Tests for the Dense model: construction and its errors, the forward
 * pass against values worked out by hand, and layer output by name.
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

/* cmocka 1.1.5 compares floats only as float; this compares doubles. */
#define assert_near(got, want, eps) do {				\
	double	near_got = (got), near_want = (want), near_eps = (eps);	\
	if (!(fabs(near_got - near_want) <= near_eps))			\
		fail_msg("%s = %.17g, expected %.17g within %g",	\
		    #got, near_got, near_want, near_eps);		\
} while (0)

static const struct actviz_act *
find(const char *name)
{
	const struct actviz_act	*act = actviz_act_find(name);

	if (act == NULL)
		fail_msg("activation %s not found", name);
	return act;
}

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
	    find("relu")), 0);
	assert_int_equal(actviz_model_add_dense(model, "Output", 1,
	    find("linear")), 0);

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
	    find("sigmoid")), 0);
	assert_int_equal(actviz_model_add_dense(model, "b", 2,
	    find("tanh")), 0);

	assert_int_equal(model->nlayers, 2);
	assert_string_equal(model->layers[0].name, "a");
	assert_int_equal(model->layers[0].inputs, 3);
	assert_int_equal(model->layers[0].units, 4);
	assert_ptr_equal(model->layers[0].act, find("sigmoid"));
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
	    find("elu")), 0);
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
	    find("tanh")), 0);
	errno = 0;
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 2,
	    find("elu")), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(model->nlayers, 1);
	actviz_model_free(model);
}

static void
add_dense_invalid(void **state)
{
	struct actviz_model	*model;
	const struct actviz_act	*tanh_act = find("tanh");

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
	assert_near(y[0], 12.0, 0.0);
	assert_near(y[1], 5.75, 0.0);
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
	assert_near(out[0], 5.5, 0.0);
	assert_near(out[1], 0.0, 0.0);
	assert_near(out[2], 0.0, 0.0);
	assert_near(out[3], 0.5, 0.0);
	assert_near(out[4], 1.25, 0.0);
	assert_near(out[5], 0.0, 0.0);

	assert_int_equal(actviz_model_layer_output(model, "Output", x, 2, y),
	    0);
	assert_near(y[0], 12.0, 0.0);
	assert_near(y[1], 5.75, 0.0);
	actviz_model_free(model);
}

/* One input and one unit: Hidden gives exactly f(x * k + b). */
static void
hidden_is_f_of_affine(void **state)
{
	struct actviz_model	*model;
	struct actviz_dense	*hidden;
	const struct actviz_act	*sigmoid = find("sigmoid");
	double			 x[41], out[41];
	size_t			 i;

	(void)state;
	model = actviz_model_new(1);
	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 1, sigmoid),
	    0);
	assert_int_equal(actviz_model_add_dense(model, "Output", 1,
	    find("linear")), 0);
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
	    find("softmax")), 0);
	layer = actviz_model_layer(model, "Probs");
	assert_non_null(layer);
	layer->kernel[0] = 1.0;
	layer->kernel[1] = -1.0;
	layer->kernel[2] = 0.5;
	assert_int_equal(actviz_model_forward(model, x, 3, y), 0);
	for (b = 0; b < 3; b++)
		assert_near(y[3 * b] + y[3 * b + 1] + y[3 * b + 2], 1.0,
		    1e-15);
	assert_near(y[3], 1.0 / 3.0, 1e-15);
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
	    find("tanh")), 0);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
