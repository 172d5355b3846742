/*
 * Tests for the recipe model and its curves: the three weight modes, the
 * order of random draws, the x grid, and the argument and range errors.
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

#define NRECIPE	9
#define NX	100
#define XMIN	-5.0
#define XMAX	4.9

static void
recipe_acts(const struct actviz_act *acts[NRECIPE])
{
	size_t	i;

	for (i = 0; i < NRECIPE; i++) {
		acts[i] = actviz_act_at(i);
		assert_non_null(acts[i]);
	}
}

static struct actviz_curves *
compute(const struct actviz_weights *w)
{
	const struct actviz_act	*acts[NRECIPE];
	struct actviz_curves	*curves;

	recipe_acts(acts);
	curves = actviz_curves_compute(acts, NRECIPE, XMIN, XMAX, NX, w);
	assert_non_null(curves);
	assert_int_equal(curves->nx, NX);
	assert_int_equal(curves->ncurves, NRECIPE);
	return curves;
}

/*
 * Asserts curve c is act->f(k * x + b), computed as the Dense layer does,
 * or exactly 1 everywhere for softmax.
 */
static void
check_curve(const struct actviz_curves *curves, size_t c, double k,
    double b)
{
	const struct actviz_act	*act = curves->acts[c];
	const double		*y = curves->y + c * curves->nx;
	double			 want;
	size_t			 i;

	for (i = 0; i < curves->nx; i++) {
		want = act->f == NULL ? 1.0 :
		    act->f(curves->x[i] * k + b, act->param);
		if (!(y[i] == want))
			fail_msg("%s at x = %g: %.17g, expected %.17g",
			    act->name, curves->x[i], y[i], want);
	}
}

static void
weights_defaults(void **state)
{
	struct actviz_weights	w;

	(void)state;
	memset(&w, 0xff, sizeof(w));
	actviz_weights_defaults(&w);
	assert_int_equal(w.mode, ACTVIZ_WEIGHTS_UNIT);
	assert_int_equal(w.seed, 0);
	assert_true(w.kernel == 1.0);
	assert_true(w.bias == 0.0);
}

static void
model_shape(void **state)
{
	struct actviz_weights	 w;
	struct actviz_model	*model;
	struct actviz_dense	*hidden, *output;

	(void)state;
	actviz_weights_defaults(&w);
	model = actviz_recipe_model(tu_act_find("tanh"), &w);
	assert_non_null(model);
	assert_int_equal(model->inputs, 1);
	assert_int_equal(model->nlayers, 2);

	hidden = actviz_model_layer(model, "Hidden");
	assert_non_null(hidden);
	assert_ptr_equal(hidden, &model->layers[0]);
	assert_int_equal(hidden->units, 1);
	assert_ptr_equal(hidden->act, tu_act_find("tanh"));
	assert_true(hidden->kernel[0] == 1.0);
	assert_true(hidden->bias[0] == 0.0);

	output = actviz_model_layer(model, "Output");
	assert_non_null(output);
	assert_ptr_equal(output, &model->layers[1]);
	assert_int_equal(output->units, 1);
	assert_ptr_equal(output->act, tu_act_find("linear"));
	assert_true(fabs(output->kernel[0]) <= sqrt(3.0));
	assert_true(output->bias[0] == 0.0);
	actviz_model_free(model);
}

/*
 * Each model has one generator.  In INIT mode the Hidden kernel takes the
 * first draw and the Output kernel (glorot_uniform) the next.  In the
 * other modes the Output kernel takes the first.
 */
static void
draw_order(void **state)
{
	const struct actviz_act	*act = tu_act_find("selu");
	struct actviz_weights	 w;
	struct actviz_model	*model;
	struct actviz_rng	 rng;
	double			 k_hidden, k_output;

	(void)state;
	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_INIT;
	w.seed = 1234;
	model = actviz_recipe_model(act, &w);
	assert_non_null(model);
	actviz_rng_seed(&rng, actviz_recipe_seed(1234, act->name));
	assert_int_equal(actviz_init_find(act->init)->fill(&k_hidden, 1, 1,
	    1, &rng), 0);
	assert_int_equal(actviz_init_find("glorot_uniform")->fill(&k_output,
	    1, 1, 1, &rng), 0);
	assert_true(model->layers[0].kernel[0] == k_hidden);
	assert_true(model->layers[1].kernel[0] == k_output);
	actviz_model_free(model);

	w.mode = ACTVIZ_WEIGHTS_UNIT;
	model = actviz_recipe_model(act, &w);
	assert_non_null(model);
	actviz_rng_seed(&rng, actviz_recipe_seed(1234, act->name));
	assert_int_equal(actviz_init_find("glorot_uniform")->fill(&k_output,
	    1, 1, 1, &rng), 0);
	assert_true(model->layers[1].kernel[0] == k_output);
	actviz_model_free(model);
}

static void
unit_gives_f(void **state)
{
	struct actviz_weights	 w;
	struct actviz_curves	*curves;
	size_t			 c;

	(void)state;
	actviz_weights_defaults(&w);
	curves = compute(&w);
	for (c = 0; c < NRECIPE; c++) {
		assert_ptr_equal(curves->acts[c], actviz_act_at(c));
		assert_true(curves->kernel[c] == 1.0);
		assert_true(curves->bias[c] == 0.0);
		check_curve(curves, c, 1.0, 0.0);
	}
	actviz_curves_free(curves);
}

/* Bound of each recipe initializer for fan-in 1. */
static double
kernel_bound(const char *init)
{
	if (strcmp(init, "lecun_uniform") == 0)
		return sqrt(3.0);
	if (strcmp(init, "he_uniform") == 0)
		return sqrt(6.0);
	if (strcmp(init, "lecun_normal") == 0)
		return 2.0;
	fail_msg("no bound for initializer %s", init);
	return 0.0;
}

static void
init_kernel_in_range(void **state)
{
	struct actviz_weights	 w;
	struct actviz_curves	*curves;
	double			 bound;
	size_t			 c;

	(void)state;
	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_INIT;
	for (w.seed = 0; w.seed < 50; w.seed++) {
		curves = compute(&w);
		for (c = 0; c < NRECIPE; c++) {
			bound = kernel_bound(curves->acts[c]->init);
			assert_true(fabs(curves->kernel[c]) <= bound);
			assert_true(curves->kernel[c] != 0.0);
			assert_true(curves->bias[c] == 0.0);
			check_curve(curves, c, curves->kernel[c], 0.0);
		}
		actviz_curves_free(curves);
	}
}

static void
init_deterministic(void **state)
{
	struct actviz_weights	 w;
	struct actviz_curves	*a, *b, *c;

	(void)state;
	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_INIT;
	w.seed = 77;
	a = compute(&w);
	b = compute(&w);
	w.seed = 78;
	c = compute(&w);
	assert_memory_equal(a->kernel, b->kernel, NRECIPE * sizeof(double));
	assert_memory_equal(a->y, b->y, NRECIPE * NX * sizeof(double));
	assert_memory_not_equal(a->kernel, c->kernel,
	    NRECIPE * sizeof(double));
	actviz_curves_free(a);
	actviz_curves_free(b);
	actviz_curves_free(c);
}

static void
fixed_weights(void **state)
{
	struct actviz_weights	 w;
	struct actviz_curves	*curves;
	size_t			 c;

	(void)state;
	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_FIXED;
	w.kernel = 0.37;
	w.bias = -0.25;
	curves = compute(&w);
	for (c = 0; c < NRECIPE; c++) {
		assert_true(curves->kernel[c] == 0.37);
		assert_true(curves->bias[c] == -0.25);
		check_curve(curves, c, 0.37, -0.25);
	}
	actviz_curves_free(curves);
}

static void
grid_values(void **state)
{
	double	x[NX];
	size_t	i;

	(void)state;
	actviz_recipe_grid(XMIN, XMAX, NX, x);
	assert_true(x[0] == XMIN);
	assert_true(x[NX - 1] == XMAX);
	tu_assert_near(x[1], -4.9, 1e-12);
	tu_assert_near(x[50], 0.0, 1e-12);
	for (i = 1; i < NX; i++)
		assert_true(x[i] > x[i - 1]);

	actviz_recipe_grid(-1.0, 1.0, 2, x);
	assert_true(x[0] == -1.0);
	assert_true(x[1] == 1.0);
}

/* A range as wide as doubles allow still gives finite, ordered x. */
static void
grid_wide_range(void **state)
{
	double	x[7];
	size_t	i;

	(void)state;
	actviz_recipe_grid(-DBL_MAX / 2.0, DBL_MAX / 2.0, 7, x);
	for (i = 0; i < 7; i++)
		assert_true(isfinite(x[i]));
	for (i = 1; i < 7; i++)
		assert_true(x[i] > x[i - 1]);
	assert_true(x[6] == DBL_MAX / 2.0);
}

static void
curves_share_grid(void **state)
{
	struct actviz_weights	 w;
	struct actviz_curves	*curves;
	double			 x[NX];

	(void)state;
	actviz_weights_defaults(&w);
	curves = compute(&w);
	actviz_recipe_grid(XMIN, XMAX, NX, x);
	assert_memory_equal(curves->x, x, sizeof(x));
	actviz_curves_free(curves);
}

static void
softmax_curve_is_one(void **state)
{
	static const enum actviz_weights_mode	modes[] = {
		ACTVIZ_WEIGHTS_UNIT, ACTVIZ_WEIGHTS_INIT, ACTVIZ_WEIGHTS_FIXED,
	};
	const struct actviz_act	*acts[1] = { tu_act_find("softmax") };
	struct actviz_weights	 w;
	struct actviz_curves	*curves;
	size_t			 m, i;

	(void)state;
	actviz_weights_defaults(&w);
	w.kernel = 3.5;
	w.bias = 1e300;
	for (m = 0; m < 3; m++) {
		w.mode = modes[m];
		curves = actviz_curves_compute(acts, 1, XMIN, XMAX, NX, &w);
		assert_non_null(curves);
		for (i = 0; i < NX; i++)
			assert_true(curves->y[i] == 1.0);
		actviz_curves_free(curves);
	}
}

/* 1e308 * 4.9 overflows, so the linear curve reaches +inf. */
static void
overflow_is_erange(void **state)
{
	const struct actviz_act	*acts[2] = {
		tu_act_find("sigmoid"), tu_act_find("linear"),
	};
	struct actviz_weights	 w;
	struct actviz_curves	*curves;

	(void)state;
	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_FIXED;
	w.kernel = 1e308;
	w.bias = 0.0;
	errno = 0;
	assert_null(actviz_curves_compute(acts, 2, XMIN, XMAX, NX, &w));
	assert_int_equal(errno, ERANGE);

	/* sigmoid maps +-inf to 1 and 0, so alone it stays finite. */
	curves = actviz_curves_compute(acts, 1, XMIN, XMAX, NX, &w);
	assert_non_null(curves);
	assert_true(curves->y[NX - 1] == 1.0);
	actviz_curves_free(curves);
}

static void
expect_einval(const struct actviz_act *const *acts, size_t ncurves,
    double xmin, double xmax, size_t nx, const struct actviz_weights *w)
{
	errno = 0;
	assert_null(actviz_curves_compute(acts, ncurves, xmin, xmax, nx, w));
	assert_int_equal(errno, EINVAL);
}

static void
curves_invalid_args(void **state)
{
	const struct actviz_act	*acts[2] = { tu_act_find("tanh"), NULL };
	struct actviz_weights	 w;

	(void)state;
	actviz_weights_defaults(&w);
	expect_einval(NULL, 1, XMIN, XMAX, NX, &w);
	expect_einval(acts, 0, XMIN, XMAX, NX, &w);
	expect_einval(acts, 2, XMIN, XMAX, NX, &w);
	expect_einval(acts, 1, XMIN, XMAX, NX, NULL);
	expect_einval(acts, 1, XMIN, XMAX, 1, &w);
	expect_einval(acts, 1, XMIN, XMAX, 0, &w);
	expect_einval(acts, 1, 1.0, 1.0, NX, &w);
	expect_einval(acts, 1, 2.0, 1.0, NX, &w);
	expect_einval(acts, 1, NAN, XMAX, NX, &w);
	expect_einval(acts, 1, XMIN, NAN, NX, &w);
	expect_einval(acts, 1, -INFINITY, XMAX, NX, &w);
	expect_einval(acts, 1, XMIN, INFINITY, NX, &w);
	/* xmax - xmin overflows to inf. */
	expect_einval(acts, 1, -DBL_MAX, DBL_MAX, NX, &w);
	/* The step 2^-1074 / 2 rounds to 0. */
	expect_einval(acts, 1, 0.0, 0x1p-1074, 3, &w);
}

static void
weights_invalid(void **state)
{
	static const struct actviz_act	bogus = {
		.name = "bogus", .formula = "x",
		.init = "no_such_initializer",
	};
	const struct actviz_act	*acts[1] = { tu_act_find("elu") };
	struct actviz_weights	 w;

	(void)state;
	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_FIXED;
	w.kernel = NAN;
	expect_einval(acts, 1, XMIN, XMAX, NX, &w);
	w.kernel = 1.0;
	w.bias = INFINITY;
	expect_einval(acts, 1, XMIN, XMAX, NX, &w);

	actviz_weights_defaults(&w);
	w.mode = (enum actviz_weights_mode)7;
	errno = 0;
	assert_null(actviz_recipe_model(acts[0], &w));
	assert_int_equal(errno, EINVAL);

	w.mode = ACTVIZ_WEIGHTS_INIT;
	errno = 0;
	assert_null(actviz_recipe_model(&bogus, &w));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(actviz_recipe_model(NULL, &w));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(actviz_recipe_model(acts[0], NULL));
	assert_int_equal(errno, EINVAL);
}

static void
curves_free_null(void **state)
{
	(void)state;
	actviz_curves_free(NULL);
}

/* tanh and elu share he_uniform, but each model draws its own kernel. */
static void
recipe_init_per_activation(void **state)
{
	struct actviz_weights	 w;
	struct actviz_model	*a, *b;

	(void)state;
	actviz_weights_defaults(&w);
	w.mode = ACTVIZ_WEIGHTS_INIT;
	a = actviz_recipe_model(actviz_act_find("tanh"), &w);
	b = actviz_recipe_model(actviz_act_find("elu"), &w);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a->layers[0].kernel[0] != b->layers[0].kernel[0]);
	assert_true(actviz_recipe_seed(0, "tanh") !=
	    actviz_recipe_seed(0, "elu"));
	assert_true(actviz_recipe_seed(1, "tanh") !=
	    actviz_recipe_seed(0, "tanh"));
	actviz_model_free(a);
	actviz_model_free(b);
}

/*
 * The recipe's nine activations as a float32 Keras model computes them:
 * the input cast to float, Dense with kernel 1 and bias 0, then the
 * activation in single precision.
 */
static float
float32_hidden(const char *name, double x)
{
	float	 z = (float)x * 1.0f + 0.0f;

	if (strcmp(name, "linear") == 0)
		return z;
	if (strcmp(name, "softmax") == 0)
		return expf(z - z) / expf(z - z);
	if (strcmp(name, "sigmoid") == 0)
		return 1.0f / (1.0f + expf(-z));
	if (strcmp(name, "tanh") == 0)
		return tanhf(z);
	if (strcmp(name, "softsign") == 0)
		return z / (1.0f + fabsf(z));
	if (strcmp(name, "hard_sigmoid") == 0)
		return fminf(fmaxf(0.2f * z + 0.5f, 0.0f), 1.0f);
	if (strcmp(name, "softplus") == 0)
		return log1pf(expf(z));
	if (strcmp(name, "selu") == 0)
		return 1.0507009873554805f * (z > 0.0f ? z :
		    1.6732632423543772f * expm1f(z));
	return z > 0.0f ? z : expm1f(z);	/* elu */
}

/* Double-precision curves stay within 1e-6 (absolute, or relative
 * above 1) of a float32 model over the default grid. */
static void
curves_match_float32(void **state)
{
	const struct actviz_act	*acts[9];
	struct actviz_curves	*c;
	struct actviz_weights	 w;
	double			 got, want;
	size_t			 k, i;

	(void)state;
	for (k = 0; k < 9; k++)
		acts[k] = actviz_act_at(k);
	actviz_weights_defaults(&w);
	c = actviz_curves_compute(acts, 9, -5.0, 4.9, 100, &w);
	assert_non_null(c);
	for (k = 0; k < 9; k++) {
		for (i = 0; i < c->nx; i++) {
			got = c->y[k * c->nx + i];
			want = float32_hidden(acts[k]->name, c->x[i]);
			if (fabs(got - want) > 1e-6 * fmax(1.0, fabs(want)))
				fail_msg("%s(%g): double %.9g, float32 %.9g",
				    acts[k]->name, c->x[i], got, want);
		}
	}
	actviz_curves_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recipe_init_per_activation),
		cmocka_unit_test(weights_defaults),
		cmocka_unit_test(model_shape),
		cmocka_unit_test(draw_order),
		cmocka_unit_test(unit_gives_f),
		cmocka_unit_test(init_kernel_in_range),
		cmocka_unit_test(init_deterministic),
		cmocka_unit_test(fixed_weights),
		cmocka_unit_test(grid_values),
		cmocka_unit_test(grid_wide_range),
		cmocka_unit_test(curves_share_grid),
		cmocka_unit_test(softmax_curve_is_one),
		cmocka_unit_test(overflow_is_erange),
		cmocka_unit_test(curves_invalid_args),
		cmocka_unit_test(weights_invalid),
		cmocka_unit_test(curves_free_null),
		cmocka_unit_test(curves_match_float32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
