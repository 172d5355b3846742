/*
 * Tests for the activation table: order and lookup, reference values,
 * behaviour at extreme inputs, softmax, and every derivative against
 * central differences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <string.h>

#include "act.h"
#include "init.h"

/* cmocka 1.1.5 compares floats only as float; this compares doubles. */
#define assert_near(got, want, eps) do {				\
	double	near_got = (got), near_want = (want), near_eps = (eps);	\
	if (!(fabs(near_got - near_want) <= near_eps))			\
		fail_msg("%s = %.17g, expected %.17g within %g",	\
		    #got, near_got, near_want, near_eps);		\
} while (0)

static const char *const recipe_names[] = {
	"linear", "softmax", "sigmoid", "tanh", "softsign",
	"hard_sigmoid", "softplus", "selu", "elu",
};

#define NRECIPE	(sizeof(recipe_names) / sizeof(recipe_names[0]))

static const struct actviz_act *
find(const char *name)
{
	const struct actviz_act	*act = actviz_act_find(name);

	if (act == NULL)
		fail_msg("activation %s not found", name);
	return act;
}

static size_t
table_size(void)
{
	size_t	n = 0;

	while (actviz_act_at(n) != NULL)
		n++;
	return n;
}

static void
table_order(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NRECIPE; i++) {
		assert_non_null(actviz_act_at(i));
		assert_string_equal(actviz_act_at(i)->name, recipe_names[i]);
	}
	assert_null(actviz_act_at(table_size()));
	assert_null(actviz_act_at(SIZE_MAX));
}

static void
find_every_row(void **state)
{
	const struct actviz_act	*act;
	size_t			 i;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++)
		assert_ptr_equal(actviz_act_find(act->name), act);
	assert_non_null(actviz_act_find("relu"));
}

static void
find_unknown_name(void **state)
{
	(void)state;
	assert_null(actviz_act_find("Sigmoid"));
	assert_null(actviz_act_find("sigmoid "));
	assert_null(actviz_act_find("relu6"));
	assert_null(actviz_act_find(""));
	assert_null(actviz_act_find(NULL));
}

static void
rows_complete(void **state)
{
	const struct actviz_act	*act;
	const char		*p;
	size_t			 i;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		assert_non_null(act->formula);
		assert_true(strlen(act->formula) > 0);
		for (p = act->formula; *p != '\0'; p++)
			assert_in_range((unsigned char)*p, 0x20, 0x7e);
		assert_non_null(actviz_init_find(act->init));
		if (strcmp(act->name, "softmax") == 0) {
			assert_null(act->f);
			assert_null(act->df);
		} else {
			assert_non_null(act->f);
			assert_non_null(act->df);
		}
	}
}

static void
recipe_initializers(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NRECIPE; i++) {
		const char	*name = recipe_names[i], *want;

		if (strcmp(name, "sigmoid") == 0 ||
		    strcmp(name, "softplus") == 0)
			want = "lecun_uniform";
		else if (strcmp(name, "hard_sigmoid") == 0)
			want = "lecun_normal";
		else
			want = "he_uniform";
		assert_string_equal(find(name)->init, want);
	}
}

static void
hard_sigmoid_values(void **state)
{
	const struct actviz_act	*act = find("hard_sigmoid");

	(void)state;
	assert_near(act->f(-3.0), 0.0, 0.0);
	assert_near(act->f(-2.5), 0.0, 0.0);
	assert_near(act->f(-1.0), 0.3, 1e-15);
	assert_near(act->f(0.0), 0.5, 0.0);
	assert_near(act->f(1.0), 0.7, 1e-15);
	assert_near(act->f(2.5), 1.0, 0.0);
	assert_near(act->f(3.0), 1.0, 0.0);
}

/* TensorFlow passes the clip gradient at the bounds themselves. */
static void
hard_sigmoid_kinks(void **state)
{
	const struct actviz_act	*act = find("hard_sigmoid");

	(void)state;
	assert_near(act->df(-3.0), 0.0, 0.0);
	assert_near(act->df(-2.5001), 0.0, 0.0);
	assert_near(act->df(-2.5), 0.2, 0.0);
	assert_near(act->df(0.0), 0.2, 0.0);
	assert_near(act->df(2.5), 0.2, 0.0);
	assert_near(act->df(2.5001), 0.0, 0.0);
	assert_near(act->df(3.0), 0.0, 0.0);
}

static void
selu_values(void **state)
{
	const struct actviz_act	*act = find("selu");

	(void)state;
	assert_near(act->f(-1.0), -1.1113307, 1e-7);
	assert_near(act->f(0.0), 0.0, 0.0);
	assert_near(act->f(1.0), 1.0507010, 1e-7);
	assert_near(act->df(0.0), 1.0507009873554805 * 1.6732632423543772,
	    1e-15);
	assert_near(act->df(1.0), 1.0507009873554805, 0.0);
}

static void
elu_values(void **state)
{
	const struct actviz_act	*act = find("elu");

	(void)state;
	assert_near(act->f(-1.0), -0.6321206, 1e-7);
	assert_near(act->f(0.0), 0.0, 0.0);
	assert_near(act->f(2.0), 2.0, 0.0);
	assert_near(act->f(-1000.0), -1.0, 0.0);
}

static void
softplus_extremes(void **state)
{
	const struct actviz_act	*act = find("softplus");

	(void)state;
	assert_true(isfinite(act->f(1000.0)));
	assert_near(act->f(1000.0), 1000.0, 0.0);
	assert_true(isfinite(act->f(-1000.0)));
	assert_true(act->f(-1000.0) >= 0.0);
	assert_true(act->f(-1000.0) < 1e-300);
	assert_near(act->f(0.0), log(2.0), 1e-16);
	assert_near(act->df(1000.0), 1.0, 0.0);
	assert_near(act->df(-1000.0), 0.0, 0.0);
}

static void
sigmoid_extremes(void **state)
{
	const struct actviz_act	*act = find("sigmoid");

	(void)state;
	assert_near(act->f(-1000.0), 0.0, 0.0);
	assert_near(act->f(1000.0), 1.0, 0.0);
	assert_near(act->f(0.0), 0.5, 0.0);
	assert_near(act->df(0.0), 0.25, 0.0);
	assert_near(act->df(-1000.0), 0.0, 0.0);
	/* s * (1 - s) would give 0 here; the true value is about 2e-17. */
	assert_true(act->df(38.0) > 0.0);
}

static void
rows_finite_at_extremes(void **state)
{
	static const double	 xs[] = {
		0.0, -0.0, 1000.0, -1000.0, 1e300, -1e300, 710.0, -746.0,
		DBL_MIN, -DBL_MIN, -DBL_MAX,
	};
	const struct actviz_act	*act;
	double			 a;
	size_t			 i, k;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		for (k = 0; k < sizeof(xs) / sizeof(xs[0]); k++) {
			actviz_act_apply(act, &xs[k], &a, 1);
			if (!isfinite(a))
				fail_msg("%s(%g) = %g", act->name, xs[k], a);
			if (act->df == NULL)
				continue;
			a = act->df(xs[k]);
			if (!isfinite(a))
				fail_msg("%s'(%g) = %g", act->name, xs[k], a);
		}
	}
}

/* The one exception the header names: selu scales x by 1.0507. */
static void
selu_overflow_at_max(void **state)
{
	const struct actviz_act	*act = find("selu");

	(void)state;
	assert_true(isinf(act->f(DBL_MAX)));
	assert_true(isfinite(act->f(DBL_MAX / 1.06)));
}

static void
softmax_one_unit(void **state)
{
	const struct actviz_act	*act = find("softmax");
	double			 z, a;
	int			 i;

	(void)state;
	for (i = -1000; i <= 1000; i++) {
		z = i * 0.37;
		actviz_act_apply(act, &z, &a, 1);
		assert_true(a == 1.0);
	}
	z = 1e300;
	actviz_act_apply(act, &z, &a, 1);
	assert_true(a == 1.0);
	z = -DBL_MAX;
	actviz_act_apply(act, &z, &z, 1);
	assert_true(z == 1.0);
}

static void
softmax_three_units(void **state)
{
	const struct actviz_act	*act = find("softmax");
	const double		 z[3] = { 1.0, 2.0, 3.0 };
	double			 a[3], sum;

	(void)state;
	actviz_act_apply(act, z, a, 3);
	sum = exp(1.0) + exp(2.0) + exp(3.0);
	assert_near(a[0], exp(1.0) / sum, 1e-15);
	assert_near(a[1], exp(2.0) / sum, 1e-15);
	assert_near(a[2], exp(3.0) / sum, 1e-15);
	assert_near(a[0] + a[1] + a[2], 1.0, 1e-15);
}

static void
softmax_large_inputs(void **state)
{
	const struct actviz_act	*act = find("softmax");
	double			 z[3] = { 1000.0, 999.0, -DBL_MAX };

	(void)state;
	actviz_act_apply(act, z, z, 3);
	assert_near(z[0], 1.0 / (1.0 + exp(-1.0)), 1e-15);
	assert_near(z[1], exp(-1.0) / (1.0 + exp(-1.0)), 1e-15);
	assert_near(z[2], 0.0, 0.0);
}

static void
apply_elementwise(void **state)
{
	const struct actviz_act	*act;
	double			 z[5] = { -2.0, -0.5, 0.0, 0.5, 2.0 };
	double			 a[5];
	size_t			 i, k;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		if (act->f == NULL)
			continue;
		actviz_act_apply(act, z, a, 5);
		for (k = 0; k < 5; k++)
			assert_true(a[k] == act->f(z[k]));
	}
}

/* Points where a row's derivative jumps or its second derivative does. */
static int
near_kink(const char *name, double x)
{
	if (strcmp(name, "hard_sigmoid") == 0)
		return fabs(x - 2.5) < 1e-3 || fabs(x + 2.5) < 1e-3;
	if (strcmp(name, "selu") == 0 || strcmp(name, "elu") == 0 ||
	    strcmp(name, "relu") == 0 || strcmp(name, "softsign") == 0)
		return fabs(x) < 1e-3;
	return 0;
}

/*
 * h = 1e-5 keeps the truncation error (h^2 f''' / 6) and the rounding
 * error (eps |f| / h) both near 1e-10, well inside the 1e-7 tolerance.
 */
static void
derivatives_match_differences(void **state)
{
	const struct actviz_act	*act;
	const double		 h = 1e-5;
	double			 x, numeric, tol;
	size_t			 i;
	int			 k, checked;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		if (act->df == NULL)
			continue;
		checked = 0;
		for (k = 0; k <= 1000; k++) {
			x = -5.0 + k * 0.01;
			if (near_kink(act->name, x))
				continue;
			numeric = (act->f(x + h) - act->f(x - h)) / (2.0 * h);
			tol = 1e-7 * fmax(1.0, fabs(numeric));
			if (!(fabs(act->df(x) - numeric) <= tol))
				fail_msg("%s'(%g) = %.17g, central difference "
				    "%.17g", act->name, x, act->df(x), numeric);
			checked++;
		}
		assert_true(checked > 990);
	}
}

/* A derivative that is zero everywhere would pass the check above. */
static void
derivatives_not_zero(void **state)
{
	const struct actviz_act	*act;
	double			 max;
	size_t			 i;
	int			 k;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		if (act->df == NULL)
			continue;
		max = 0.0;
		for (k = 0; k <= 1000; k++)
			max = fmax(max, fabs(act->df(-5.0 + k * 0.01)));
		if (!(max > 0.1))
			fail_msg("%s' is at most %g on [-5, 5]", act->name,
			    max);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_order),
		cmocka_unit_test(find_every_row),
		cmocka_unit_test(find_unknown_name),
		cmocka_unit_test(rows_complete),
		cmocka_unit_test(recipe_initializers),
		cmocka_unit_test(hard_sigmoid_values),
		cmocka_unit_test(hard_sigmoid_kinks),
		cmocka_unit_test(selu_values),
		cmocka_unit_test(elu_values),
		cmocka_unit_test(softplus_extremes),
		cmocka_unit_test(sigmoid_extremes),
		cmocka_unit_test(rows_finite_at_extremes),
		cmocka_unit_test(selu_overflow_at_max),
		cmocka_unit_test(softmax_one_unit),
		cmocka_unit_test(softmax_three_units),
		cmocka_unit_test(softmax_large_inputs),
		cmocka_unit_test(apply_elementwise),
		cmocka_unit_test(derivatives_match_differences),
		cmocka_unit_test(derivatives_not_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
