/*
 * Tests for the activation table: order and lookup, parsing, values against
 * long double references, behaviour at extreme inputs, softmax, the
 * backward pass, and every derivative against central differences and at
 * its kinks.
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
#include "util.h"

/* Keras's SELU constants to 32 digits, not rounded to double. */
#define REF_SELU_SCALE	1.0507009873554804934193349852946L
#define REF_SELU_ALPHA	1.6732632423543772848170429916717L
#define REF_PI		3.14159265358979323846264338327950L

/*
 * Relative tolerance of a value against its long double reference.  The
 * C library's functions are within a few units in the last place (about
 * 1e-16).  The largest error among the test points is gelu(-30), about
 * 3.3e-14: erfc(z) near z = 21.2 changes by 2z^2 = 900 times the relative
 * change in z, so rounding x / sqrt(2) to double costs that much.
 */
#define VALUE_TOL	1e-13L

static const char *const recipe_names[] = {
	"linear", "softmax", "sigmoid", "tanh", "softsign",
	"hard_sigmoid", "softplus", "selu", "elu",
};

#define NRECIPE	(sizeof(recipe_names) / sizeof(recipe_names[0]))

/*
 * Reference definitions in long double, written from the Keras
 * documentation and not from act.c.  Several use another form of the
 * same function, such as (x + 2.5) / 5 for clip(0.2x + 0.5, 0, 1), so
 * that a slip in one form shows up as a mismatch.
 */
static long double
ref_linear(long double x, const double *p)
{
	(void)p;
	return x;
}

static long double
ref_sigmoid(long double x, const double *p)
{
	(void)p;
	return 1.0L / (1.0L + expl(-x));
}

static long double
ref_tanh(long double x, const double *p)
{
	(void)p;
	return tanhl(x);
}

static long double
ref_softsign(long double x, const double *p)
{
	(void)p;
	return x / (1.0L + fabsl(x));
}

static long double
ref_hard_sigmoid2(long double x, const double *p)
{
	(void)p;
	return fminl(fmaxl((x + 2.5L) / 5.0L, 0.0L), 1.0L);
}

static long double
ref_softplus(long double x, const double *p)
{
	(void)p;
	return log1pl(expl(x));
}

static long double
ref_selu(long double x, const double *p)
{
	(void)p;
	if (x > 0.0L)
		return REF_SELU_SCALE * x;
	return REF_SELU_SCALE * REF_SELU_ALPHA * (expl(x) - 1.0L);
}

static long double
ref_elu(long double x, const double *p)
{
	return x > 0.0L ? x : p[0] * (expl(x) - 1.0L);
}

static long double
ref_relu(long double x, const double *p)
{
	(void)p;
	return fmaxl(x, 0.0L);
}

static long double
ref_leaky_relu(long double x, const double *p)
{
	return x > 0.0L ? x : p[0] * x;
}

static long double
ref_relu6(long double x, const double *p)
{
	(void)p;
	return fminl(fmaxl(x, 0.0L), 6.0L);
}

static long double
ref_hard_sigmoid3(long double x, const double *p)
{
	(void)p;
	return fminl(fmaxl((x + 3.0L) / 6.0L, 0.0L), 1.0L);
}

/* erfc, because 1 + erf(x / sqrt 2) cancels to 0 below about x = -9. */
static long double
ref_gelu(long double x, const double *p)
{
	(void)p;
	return 0.5L * x * erfcl(-x / sqrtl(2.0L));
}

/* 1 + tanh(u) = e^u / cosh(u), which does not cancel for negative u. */
static long double
ref_gelu_approximate(long double x, const double *p)
{
	long double	u = sqrtl(2.0L / REF_PI) * (x + 0.044715L * x * x * x);

	(void)p;
	return 0.5L * x * expl(u) / coshl(u);
}

static long double
ref_silu(long double x, const double *p)
{
	(void)p;
	return x / (1.0L + expl(-x));
}

static long double
ref_mish(long double x, const double *p)
{
	(void)p;
	return x * tanhl(log1pl(expl(x)));
}

static long double
ref_exponential(long double x, const double *p)
{
	(void)p;
	return expl(x);
}

/* The Keras 3 documentation's three pieces. */
static long double
ref_hard_silu(long double x, const double *p)
{
	(void)p;
	if (x < -3.0L)
		return 0.0L;
	if (x > 3.0L)
		return x;
	return x * (x + 3.0L) / 6.0L;
}

static long double
ref_log_sigmoid(long double x, const double *p)
{
	(void)p;
	return -log1pl(expl(-x));
}

static long double
ref_celu(long double x, const double *p)
{
	return x >= 0.0L ? x : p[0] * (expl(x / p[0]) - 1.0L);
}

static long double
ref_hard_shrink(long double x, const double *p)
{
	return fabsl(x) > p[0] ? x : 0.0L;
}

static long double
ref_hard_tanh(long double x, const double *p)
{
	(void)p;
	return fminl(fmaxl(x, -1.0L), 1.0L);
}

/* sign(x) max(|x| - threshold, 0). */
static long double
ref_soft_shrink(long double x, const double *p)
{
	return copysignl(fmaxl(fabsl(x) - p[0], 0.0L), x);
}

static long double
ref_sparse_plus(long double x, const double *p)
{
	(void)p;
	if (x <= -1.0L)
		return 0.0L;
	if (x >= 1.0L)
		return x;
	return (x + 1.0L) * (x + 1.0L) / 4.0L;
}

static long double
ref_squareplus(long double x, const double *p)
{
	return (x + sqrtl(x * x + p[0])) / 2.0L;
}

static long double
ref_tanh_shrink(long double x, const double *p)
{
	(void)p;
	return x - tanhl(x);
}

static long double
ref_threshold(long double x, const double *p)
{
	return x > p[0] ? x : p[1];
}

static long double
ref_sparse_sigmoid(long double x, const double *p)
{
	(void)p;
	return fminl(fmaxl((x + 1.0L) / 2.0L, 0.0L), 1.0L);
}

/*
 * One element-wise row's reference: its function, and the points where
 * its first or second derivative jumps, which central differences cannot
 * check.  With scaled set, the kinks are multiples of param[0].
 */
struct ref {
	const char	*name;
	int		 keras;
	long double	(*f)(long double, const double *);
	size_t		 nkinks;
	double		 kinks[2];
	int		 scaled;
};

static const struct ref refs[] = {
	{ "linear", 0, ref_linear, 0, { 0 }, 0 },
	{ "sigmoid", 0, ref_sigmoid, 0, { 0 }, 0 },
	{ "tanh", 0, ref_tanh, 0, { 0 }, 0 },
	{ "softsign", 0, ref_softsign, 1, { 0.0 }, 0 },
	{ "hard_sigmoid", 2, ref_hard_sigmoid2, 2, { -2.5, 2.5 }, 0 },
	{ "softplus", 0, ref_softplus, 0, { 0 }, 0 },
	{ "selu", 0, ref_selu, 1, { 0.0 }, 0 },
	{ "elu", 0, ref_elu, 1, { 0.0 }, 0 },
	{ "relu", 0, ref_relu, 1, { 0.0 }, 0 },
	{ "leaky_relu", 2, ref_leaky_relu, 1, { 0.0 }, 0 },
	{ "leaky_relu", 3, ref_leaky_relu, 1, { 0.0 }, 0 },
	{ "relu6", 0, ref_relu6, 2, { 0.0, 6.0 }, 0 },
	{ "hard_sigmoid", 3, ref_hard_sigmoid3, 2, { -3.0, 3.0 }, 0 },
	{ "gelu", 0, ref_gelu, 0, { 0 }, 0 },
	{ "gelu_approximate", 0, ref_gelu_approximate, 0, { 0 }, 0 },
	{ "silu", 0, ref_silu, 0, { 0 }, 0 },
	{ "mish", 0, ref_mish, 0, { 0 }, 0 },
	{ "exponential", 0, ref_exponential, 0, { 0 }, 0 },
	{ "hard_silu", 0, ref_hard_silu, 2, { -3.0, 3.0 }, 0 },
	{ "log_sigmoid", 0, ref_log_sigmoid, 0, { 0 }, 0 },
	{ "celu", 0, ref_celu, 1, { 0.0 }, 0 },
	{ "hard_shrink", 0, ref_hard_shrink, 2, { -1.0, 1.0 }, 1 },
	{ "hard_tanh", 0, ref_hard_tanh, 2, { -1.0, 1.0 }, 0 },
	{ "soft_shrink", 0, ref_soft_shrink, 2, { -1.0, 1.0 }, 1 },
	{ "sparse_plus", 0, ref_sparse_plus, 2, { -1.0, 1.0 }, 0 },
	{ "squareplus", 0, ref_squareplus, 0, { 0 }, 0 },
	{ "tanh_shrink", 0, ref_tanh_shrink, 0, { 0 }, 0 },
	{ "threshold", 0, ref_threshold, 1, { 1.0 }, 1 },
	{ "sparse_sigmoid", 0, ref_sparse_sigmoid, 2, { -1.0, 1.0 }, 0 },
};

#define NREFS	(sizeof(refs) / sizeof(refs[0]))

/* Rows with parameters other than their defaults, parsed for Keras 3. */
static const char *const variants[] = {
	"elu:alpha=0.5",
	"elu:alpha=2",
	"leaky_relu:negative_slope=0.1",
	"leaky_relu:negative_slope=-0.5",
	"celu:alpha=0.5",
	"celu:alpha=3",
	"hard_shrink:threshold=1.5",
	"soft_shrink:threshold=0",
	"soft_shrink:threshold=2",
	"squareplus:b=1",
	"squareplus:b=0",
	"threshold:threshold=-2:default_value=3",
};

#define NVARIANTS	(sizeof(variants) / sizeof(variants[0]))

/* Includes the kinks of the rows above and both tails. */
static const double value_points[] = {
	-30.0, -6.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, -0.2, 0.0, 0.2,
	0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 6.0, 30.0,
};

#define NPOINTS	(sizeof(value_points) / sizeof(value_points[0]))

static const struct actviz_act *
lookup(const char *name, int keras)
{
	const struct actviz_act	*act = actviz_act_lookup(name, keras);

	if (act == NULL)
		fail_msg("activation %s not found for Keras %d", name, keras);
	return act;
}

static void
parse(const char *spec, struct actviz_act *out)
{
	char	err[256];

	if (actviz_act_parse(spec, 3, out, err, sizeof(err)) == -1)
		fail_msg("%s: %s", spec, err);
}

static const struct ref *
ref_for(const struct actviz_act *act)
{
	size_t	i;

	for (i = 0; i < NREFS; i++)
		if (strcmp(refs[i].name, act->name) == 0 &&
		    refs[i].keras == act->keras)
			return &refs[i];
	fail_msg("no reference for %s (keras %d)", act->name, act->keras);
	return NULL;
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
		assert_true(actviz_act_at(i)->keras == 0 ||
		    actviz_act_at(i)->keras == 2);
	}
	assert_null(actviz_act_at(table_size()));
	assert_null(actviz_act_at(SIZE_MAX));
}

/*
 * Each row is the one lookup() returns for its name in every version it
 * covers, so no two rows share a name within a version.
 */
static void
lookup_every_row(void **state)
{
	const struct actviz_act	*act;
	size_t			 i, k;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		assert_true(act->keras == 0 || act->keras == 2 ||
		    act->keras == 3);
		if (act->keras != 3)
			assert_ptr_equal(actviz_act_lookup(act->name, 2), act);
		if (act->keras != 2)
			assert_ptr_equal(actviz_act_lookup(act->name, 3), act);
		if (act->keras != 3)
			assert_ptr_equal(actviz_act_find(act->name), act);
		for (k = 0; k < ACTVIZ_ACT_MAX_ALIASES; k++)
			if (act->aliases[k] != NULL && act->keras != 2)
				assert_ptr_equal(actviz_act_lookup(
				    act->aliases[k], 3), act);
	}
}

static void
lookup_unknown(void **state)
{
	(void)state;
	assert_null(actviz_act_find("Sigmoid"));
	assert_null(actviz_act_find("sigmoid "));
	assert_null(actviz_act_find("relu7"));
	assert_null(actviz_act_find("log_softmax"));
	assert_null(actviz_act_find(""));
	assert_null(actviz_act_find(NULL));
	assert_null(actviz_act_lookup("elu", 1));
	assert_null(actviz_act_lookup("elu", 4));
	assert_null(actviz_act_lookup("elu", 0));
	assert_null(actviz_act_lookup(NULL, 3));
}

static void
versions_differ(void **state)
{
	const struct actviz_act	*hs2 = lookup("hard_sigmoid", 2);
	const struct actviz_act	*hs3 = lookup("hard_sigmoid", 3);
	const struct actviz_act	*lr2 = lookup("leaky_relu", 2);
	const struct actviz_act	*lr3 = lookup("leaky_relu", 3);

	(void)state;
	assert_int_equal(hs2->keras, 2);
	assert_int_equal(hs3->keras, 3);
	tu_assert_near(hs2->f(1.0, hs2->param), 0.7, 1e-15);
	tu_assert_near(hs3->f(1.0, hs3->param), 4.0 / 6.0, 1e-15);
	tu_assert_near(hs3->f(1.0, hs3->param), 0.666667, 1e-6);
	assert_int_equal(lr2->keras, 2);
	assert_int_equal(lr3->keras, 3);
	tu_assert_near(lr2->param[0], 0.3, 0.0);
	tu_assert_near(lr3->param[0], 0.2, 0.0);
	tu_assert_near(lr2->f(-1.0, lr2->param), -0.3, 0.0);
	tu_assert_near(lr3->f(-1.0, lr3->param), -0.2, 0.0);
	assert_ptr_equal(actviz_act_find("hard_sigmoid"), hs2);
	assert_ptr_equal(actviz_act_find("leaky_relu"), lr2);
	assert_ptr_equal(lookup("sigmoid", 3), lookup("sigmoid", 2));
}

static void
aliases_resolve(void **state)
{
	(void)state;
	assert_ptr_equal(lookup("swish", 2), lookup("silu", 2));
	assert_ptr_equal(lookup("swish", 3), lookup("silu", 3));
	assert_ptr_equal(lookup("hard_swish", 2), lookup("hard_silu", 2));
	assert_ptr_equal(lookup("hard_swish", 3), lookup("hard_silu", 3));
	assert_string_equal(tu_act_find("swish")->name, "silu");
	assert_string_equal(tu_act_find("hard_swish")->name, "hard_silu");
}

static void
rows_complete(void **state)
{
	const struct actviz_act	*act;
	const char		*p;
	size_t			 i, k;

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
		assert_in_range(act->nparams, 0, ACTVIZ_ACT_MAX_PARAMS);
		for (k = 0; k < act->nparams; k++) {
			assert_non_null(act->param_names[k]);
			assert_true(isfinite(act->param[k]));
		}
		for (k = 0; k < ACTVIZ_ACT_MAX_ALIASES; k++)
			if (act->aliases[k] != NULL)
				assert_true(strlen(act->aliases[k]) > 0);
	}
}

/* The recipe pairs sigmoid-like rows with LeCun initializers. */
static void
row_initializers(void **state)
{
	const struct actviz_act	*act;
	const char		*want;
	size_t			 i;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		if (strcmp(act->name, "sigmoid") == 0 ||
		    strcmp(act->name, "softplus") == 0)
			want = "lecun_uniform";
		else if (strcmp(act->name, "hard_sigmoid") == 0)
			want = "lecun_normal";
		else
			want = "he_uniform";
		assert_string_equal(act->init, want);
	}
}

/* Compares act at every test point with its long double reference. */
static void
check_values(const struct actviz_act *act)
{
	const struct ref	*ref = ref_for(act);
	long double		 want;
	double			 x, got;
	size_t			 k;

	for (k = 0; k < NPOINTS; k++) {
		x = value_points[k];
		got = act->f(x, act->param);
		want = ref->f(x, act->param);
		if (!(fabsl(got - want) <= VALUE_TOL * fabsl(want) +
		    DBL_TRUE_MIN))
			fail_msg("%s(%g) = %.17g, expected %.20Lg", act->name,
			    x, got, want);
	}
}

static void
values_match_references(void **state)
{
	const struct actviz_act	*act;
	size_t			 i;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++)
		if (act->f != NULL)
			check_values(act);
}

static void
variant_values_match_references(void **state)
{
	struct actviz_act	act;
	size_t			i;

	(void)state;
	for (i = 0; i < NVARIANTS; i++) {
		parse(variants[i], &act);
		check_values(&act);
	}
}

/* Every reference belongs to a row, so none is left over from a rename. */
static void
references_have_rows(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NREFS; i++) {
		int	keras = refs[i].keras == 0 ? 2 : refs[i].keras;

		assert_non_null(actviz_act_lookup(refs[i].name, keras));
		assert_int_equal(lookup(refs[i].name, keras)->keras,
		    refs[i].keras);
	}
}

static void
hard_sigmoid_values(void **state)
{
	const struct actviz_act	*act = tu_act_find("hard_sigmoid");

	(void)state;
	tu_assert_near(act->f(-3.0, act->param), 0.0, 0.0);
	tu_assert_near(act->f(-2.5, act->param), 0.0, 0.0);
	tu_assert_near(act->f(-1.0, act->param), 0.3, 1e-15);
	tu_assert_near(act->f(0.0, act->param), 0.5, 0.0);
	tu_assert_near(act->f(1.0, act->param), 0.7, 1e-15);
	tu_assert_near(act->f(2.5, act->param), 1.0, 0.0);
	tu_assert_near(act->f(3.0, act->param), 1.0, 0.0);
}

/* TensorFlow passes the clip gradient at the bounds themselves. */
static void
hard_sigmoid_kinks(void **state)
{
	const struct actviz_act	*act = tu_act_find("hard_sigmoid");

	(void)state;
	tu_assert_near(act->df(-3.0, act->param), 0.0, 0.0);
	tu_assert_near(act->df(-2.5001, act->param), 0.0, 0.0);
	tu_assert_near(act->df(-2.5, act->param), 0.2, 0.0);
	tu_assert_near(act->df(0.0, act->param), 0.2, 0.0);
	tu_assert_near(act->df(2.5, act->param), 0.2, 0.0);
	tu_assert_near(act->df(2.5001, act->param), 0.0, 0.0);
	tu_assert_near(act->df(3.0, act->param), 0.0, 0.0);
}

/* Keras 3's relu6 form: relu6's gradient is 0 at its bounds. */
static void
hard_sigmoid3_values(void **state)
{
	const struct actviz_act	*act = lookup("hard_sigmoid", 3);

	(void)state;
	tu_assert_near(act->f(-3.5, act->param), 0.0, 0.0);
	tu_assert_near(act->f(-3.0, act->param), 0.0, 0.0);
	tu_assert_near(act->f(0.0, act->param), 0.5, 0.0);
	tu_assert_near(act->f(3.0, act->param), 1.0, 0.0);
	tu_assert_near(act->df(-3.0, act->param), 0.0, 0.0);
	tu_assert_near(act->df(-2.9999, act->param), 1.0 / 6.0, 1e-17);
	tu_assert_near(act->df(2.9999, act->param), 1.0 / 6.0, 1e-17);
	tu_assert_near(act->df(3.0, act->param), 0.0, 0.0);
}

static void
selu_values(void **state)
{
	const struct actviz_act	*act = tu_act_find("selu");

	(void)state;
	tu_assert_near(act->f(-1.0, act->param), -1.1113307, 1e-7);
	tu_assert_near(act->f(0.0, act->param), 0.0, 0.0);
	tu_assert_near(act->f(1.0, act->param), 1.0507010, 1e-7);
	tu_assert_near(act->df(-1e-300, act->param),
	    1.0507009873554805 * 1.6732632423543772, 1e-15);
	tu_assert_near(act->df(1.0, act->param), 1.0507009873554805, 0.0);
}

static void
elu_values(void **state)
{
	const struct actviz_act	*act = tu_act_find("elu");

	(void)state;
	tu_assert_near(act->f(-1.0, act->param), -0.6321206, 1e-7);
	tu_assert_near(act->f(0.0, act->param), 0.0, 0.0);
	tu_assert_near(act->f(2.0, act->param), 2.0, 0.0);
	tu_assert_near(act->f(-1000.0, act->param), -1.0, 0.0);
}

/*
 * Derivatives where the function has a kink, following TensorFlow's
 * gradients (see act.c for the op behind each).
 */
static const struct kink_case {
	const char	*spec;
	double		 x;
	double		 want;
} kink_cases[] = {
	{ "relu", 0.0, 0.0 },
	{ "leaky_relu", 0.0, 0.2 },
	{ "leaky_relu:negative_slope=0.1", 0.0, 0.1 },
	{ "relu6", 0.0, 0.0 },
	{ "relu6", 6.0, 0.0 },
	{ "relu6", 5.9999, 1.0 },
	{ "elu", 0.0, 1.0 },
	{ "elu:alpha=0.5", 0.0, 0.5 },
	{ "selu", 0.0, 1.0507009873554805 },
	{ "celu", 0.0, 1.0 },
	{ "celu:alpha=3", 0.0, 1.0 },
	{ "softsign", 0.0, 1.0 },
	{ "hard_silu", -3.0, 0.0 },
	{ "hard_silu", 3.0, 1.0 },
	{ "hard_silu", 0.0, 0.5 },
	{ "hard_tanh", -1.0, 1.0 },
	{ "hard_tanh", 1.0, 1.0 },
	{ "hard_tanh", 1.0001, 0.0 },
	{ "hard_shrink", 0.5, 0.0 },
	{ "hard_shrink", -0.5, 0.0 },
	{ "hard_shrink", 0.5001, 1.0 },
	{ "soft_shrink", 0.5, 0.0 },
	{ "soft_shrink", -0.5, 0.0 },
	{ "soft_shrink", -0.5001, 1.0 },
	{ "sparse_plus", -1.0, 0.0 },
	{ "sparse_plus", 1.0, 1.0 },
	{ "sparse_sigmoid", -1.0, 0.0 },
	{ "sparse_sigmoid", 1.0, 0.0 },
	{ "sparse_sigmoid", 0.0, 0.5 },
	{ "threshold", 1.0, 0.0 },
	{ "threshold:threshold=-2:default_value=3", -2.0, 0.0 },
	{ "squareplus:b=0", 0.0, 0.5 },
	{ "squareplus:b=0", -1e-300, 0.0 },
};

static void
derivatives_at_kinks(void **state)
{
	struct actviz_act	act;
	size_t			i;
	double			got;

	(void)state;
	for (i = 0; i < sizeof(kink_cases) / sizeof(kink_cases[0]); i++) {
		parse(kink_cases[i].spec, &act);
		got = act.df(kink_cases[i].x, act.param);
		if (!(got == kink_cases[i].want))
			fail_msg("%s' at %g = %.17g, expected %.17g",
			    kink_cases[i].spec, kink_cases[i].x, got,
			    kink_cases[i].want);
	}
}

static void
softplus_extremes(void **state)
{
	const struct actviz_act	*act = tu_act_find("softplus");

	(void)state;
	assert_true(isfinite(act->f(1000.0, act->param)));
	tu_assert_near(act->f(1000.0, act->param), 1000.0, 0.0);
	assert_true(isfinite(act->f(-1000.0, act->param)));
	assert_true(act->f(-1000.0, act->param) >= 0.0);
	assert_true(act->f(-1000.0, act->param) < 1e-300);
	tu_assert_near(act->f(0.0, act->param), log(2.0), 1e-16);
	tu_assert_near(act->df(1000.0, act->param), 1.0, 0.0);
	tu_assert_near(act->df(-1000.0, act->param), 0.0, 0.0);
}

static void
sigmoid_extremes(void **state)
{
	const struct actviz_act	*act = tu_act_find("sigmoid");

	(void)state;
	tu_assert_near(act->f(-1000.0, act->param), 0.0, 0.0);
	tu_assert_near(act->f(1000.0, act->param), 1.0, 0.0);
	tu_assert_near(act->f(0.0, act->param), 0.5, 0.0);
	tu_assert_near(act->df(0.0, act->param), 0.25, 0.0);
	tu_assert_near(act->df(-1000.0, act->param), 0.0, 0.0);
	/* s * (1 - s) would give 0 here; the true value is about 2e-17. */
	assert_true(act->df(38.0, act->param) > 0.0);
}

/* log(sigmoid(x)) would round sigmoid(40) to 1 and return 0. */
static void
log_sigmoid_extremes(void **state)
{
	const struct actviz_act	*act = tu_act_find("log_sigmoid");

	(void)state;
	tu_assert_near(act->f(40.0, act->param), -exp(-40.0), 1e-30);
	assert_true(act->f(40.0, act->param) < 0.0);
	tu_assert_near(act->f(-1000.0, act->param), -1000.0, 0.0);
	tu_assert_near(act->f(1e300, act->param), 0.0, 0.0);
	tu_assert_near(act->f(-1e300, act->param), -1e300, 0.0);
	tu_assert_near(act->df(-1e300, act->param), 1.0, 0.0);
}

/* x^2 + b overflows for |x| above about 1.3e154 unless avoided. */
static void
squareplus_extremes(void **state)
{
	const struct actviz_act	*act = tu_act_find("squareplus");

	(void)state;
	tu_assert_near(act->f(1e300, act->param), 1e300, 0.0);
	tu_assert_near(act->f(DBL_MAX, act->param), DBL_MAX, 0.0);
	tu_assert_near(act->f(-1e300, act->param), 1e-300, 1e-315);
	assert_true(act->f(-1e300, act->param) > 0.0);
	tu_assert_near(act->df(1e300, act->param), 1.0, 0.0);
	tu_assert_near(act->df(-1e300, act->param), 0.0, 0.0);
	tu_assert_near(act->f(0.0, act->param), 1.0, 0.0);
}

/* x^3 overflows above about 5.6e102, which must not give 0 * inf. */
static void
gelu_approximate_extremes(void **state)
{
	const struct actviz_act	*act = tu_act_find("gelu_approximate");

	(void)state;
	tu_assert_near(act->f(1e200, act->param), 1e200, 0.0);
	tu_assert_near(act->f(-1e200, act->param), 0.0, 0.0);
	tu_assert_near(act->df(1e200, act->param), 1.0, 0.0);
	tu_assert_near(act->df(-1e200, act->param), 0.0, 0.0);
	tu_assert_near(act->df(30.0, act->param), 1.0, 0.0);
}

/* True where a value at x may be infinite: only exp() overflows. */
static int
may_overflow(const struct actviz_act *act, double x)
{
	return strcmp(act->name, "exponential") == 0 && x > 709.78;
}

static void
check_finite(const struct actviz_act *act)
{
	static const double	 xs[] = {
		0.0, -0.0, 1000.0, -1000.0, 1e300, -1e300, 710.0, -746.0,
		DBL_MIN, -DBL_MIN, -DBL_MAX,
	};
	double			 a;
	size_t			 k;

	for (k = 0; k < sizeof(xs) / sizeof(xs[0]); k++) {
		actviz_act_apply(act, &xs[k], &a, 1);
		if (isnan(a) || (isinf(a) && !may_overflow(act, xs[k])))
			fail_msg("%s(%g) = %g", act->name, xs[k], a);
		if (act->df == NULL)
			continue;
		a = act->df(xs[k], act->param);
		if (isnan(a) || (isinf(a) && !may_overflow(act, xs[k])))
			fail_msg("%s'(%g) = %g", act->name, xs[k], a);
	}
}

static void
rows_finite_at_extremes(void **state)
{
	const struct actviz_act	*act;
	struct actviz_act	 variant;
	size_t			 i;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++)
		check_finite(act);
	for (i = 0; i < NVARIANTS; i++) {
		parse(variants[i], &variant);
		check_finite(&variant);
	}
}

/* The exceptions the header names: selu scales x by 1.0507, and exp(). */
static void
overflow_where_documented(void **state)
{
	const struct actviz_act	*selu = tu_act_find("selu");
	const struct actviz_act	*exponential = tu_act_find("exponential");

	(void)state;
	assert_true(isinf(selu->f(DBL_MAX, selu->param)));
	assert_true(isfinite(selu->f(DBL_MAX / 1.06, selu->param)));
	assert_true(isinf(exponential->f(709.79, exponential->param)));
	assert_true(isfinite(exponential->f(709.78, exponential->param)));
	tu_assert_near(exponential->f(-1e300, exponential->param), 0.0, 0.0);
}

static void
parse_elu_alpha(void **state)
{
	const struct actviz_act	*elu = tu_act_find("elu");
	struct actviz_act	 act;
	char			 err[256];

	(void)state;
	assert_int_equal(actviz_act_parse("elu:alpha=0.5", 2, &act, err,
	    sizeof(err)), 0);
	tu_assert_near(act.param[0], 0.5, 0.0);
	tu_assert_near(act.f(-1.0, act.param), 0.5 * (exp(-1.0) - 1.0), 1e-16);
	tu_assert_near(act.df(-1.0, act.param), 0.5 * exp(-1.0), 1e-16);
	assert_ptr_equal(act.name, elu->name);
	assert_ptr_equal(act.f, elu->f);
	tu_assert_near(elu->param[0], 1.0, 0.0);
}

static void
parse_defaults(void **state)
{
	struct actviz_act	act;
	char			err[256];

	(void)state;
	assert_int_equal(actviz_act_parse("leaky_relu", 2, &act, err,
	    sizeof(err)), 0);
	tu_assert_near(act.param[0], 0.3, 0.0);
	assert_int_equal(actviz_act_parse("leaky_relu", 3, &act, err,
	    sizeof(err)), 0);
	tu_assert_near(act.param[0], 0.2, 0.0);
	assert_int_equal(actviz_act_parse("hard_sigmoid", 3, &act, err,
	    sizeof(err)), 0);
	assert_int_equal(act.keras, 3);
	assert_int_equal(actviz_act_parse("softmax", 2, &act, err,
	    sizeof(err)), 0);
	assert_null(act.f);
}

static void
parse_two_params(void **state)
{
	struct actviz_act	act;

	(void)state;
	parse("threshold:default_value=-1:threshold=0.5", &act);
	tu_assert_near(act.param[0], 0.5, 0.0);
	tu_assert_near(act.param[1], -1.0, 0.0);
	tu_assert_near(act.f(0.2, act.param), -1.0, 0.0);
	tu_assert_near(act.f(0.5, act.param), -1.0, 0.0);
	tu_assert_near(act.f(0.7, act.param), 0.7, 0.0);
	parse("squareplus:b=1e-3", &act);
	tu_assert_near(act.param[0], 1e-3, 0.0);
}

/* out->name points at the table's spelling, never into spec. */
static void
parse_alias_name(void **state)
{
	const struct actviz_act	*silu = tu_act_find("silu");
	struct actviz_act	 act;
	char			 spec[] = "swish";

	(void)state;
	parse(spec, &act);
	assert_ptr_equal(act.name, silu->aliases[0]);
	assert_string_equal(act.name, "swish");
	assert_true(act.name != spec);
	assert_ptr_equal(act.f, silu->f);
	parse("hard_swish", &act);
	assert_string_equal(act.name, "hard_swish");
	assert_ptr_equal(act.df, tu_act_find("hard_silu")->df);
	parse("silu", &act);
	assert_ptr_equal(act.name, silu->name);
}

static const struct parse_error {
	const char	*spec;
	int		 keras;
	const char	*text;		/* the message must contain this */
} parse_errors[] = {
	{ "foo", 2, "'foo'" },
	{ "foo:alpha=1", 3, "'foo'" },
	{ "Sigmoid", 2, "'Sigmoid'" },
	{ "log_softmax", 3, "'log_softmax'" },
	{ "elu:beta=1", 2, "'beta'" },
	{ "elu:beta=1", 2, "parameters: alpha" },
	{ "sigmoid:alpha=1", 2, "'alpha'" },
	{ "sigmoid:alpha=1", 2, "no parameters" },
	{ "threshold:theta=1", 3, "threshold, default_value" },
	{ "elu:alpha=abc", 2, "alpha=abc" },
	{ "elu:alpha=nan", 2, "alpha=nan" },
	{ "elu:alpha=NaN", 3, "alpha=NaN" },
	{ "elu:alpha=inf", 2, "alpha=inf" },
	{ "elu:alpha=1e999", 2, "alpha=1e999" },
	{ "elu:alpha=", 2, "alpha=" },
	{ "elu:alpha=1x", 2, "alpha=1x" },
	{ "elu:alpha= 1", 2, "alpha= 1" },
	{ "elu:alpha", 2, "'alpha'" },
	{ "elu:=1", 2, "'=1'" },
	{ "elu:", 2, "empty parameter" },
	{ "elu::alpha=1", 2, "empty parameter" },
	{ "elu:alpha=1:alpha=2", 2, "alpha=2" },
	{ "celu:alpha=0", 3, "alpha=0" },
	{ "celu:alpha=-1", 3, "alpha=-1" },
	{ "squareplus:b=-1", 3, "b=-1" },
	{ "hard_shrink:threshold=-0.5", 3, "threshold=-0.5" },
	{ "", 2, "missing activation name" },
	{ ":alpha=1", 2, "missing activation name" },
	{ "elu", 4, "4" },
	{ "elu", 1, "1" },
};

static void
parse_rejects(void **state)
{
	struct actviz_act	act, before;
	char			err[512];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(parse_errors) / sizeof(parse_errors[0]); i++) {
		const struct parse_error	*e = &parse_errors[i];

		memset(&act, 0xa5, sizeof(act));
		memcpy(&before, &act, sizeof(act));
		err[0] = '\0';
		if (actviz_act_parse(e->spec, e->keras, &act, err,
		    sizeof(err)) != -1)
			fail_msg("'%s' was accepted", e->spec);
		if (strstr(err, e->text) == NULL)
			fail_msg("'%s': message '%s' lacks '%s'", e->spec, err,
			    e->text);
		if (strchr(err, '\n') != NULL)
			fail_msg("'%s': message has a newline", e->spec);
		if (memcmp(&act, &before, sizeof(act)) != 0)
			fail_msg("'%s': *out changed on failure", e->spec);
	}
}

static void
parse_unknown_lists_names(void **state)
{
	struct actviz_act	act;
	char			err[1024];

	(void)state;
	assert_int_equal(actviz_act_parse("foo", 3, &act, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "Keras 3"));
	assert_non_null(strstr(err, "linear, softmax, sigmoid"));
	assert_non_null(strstr(err, "silu, swish"));
	assert_non_null(strstr(err, "sparse_sigmoid"));
}

static void
parse_small_buffer(void **state)
{
	struct actviz_act	act;
	char			err[8];

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_int_equal(actviz_act_parse("foo", 2, &act, err, sizeof(err)),
	    -1);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_int_equal(actviz_act_parse("foo", 2, &act, NULL, 0), -1);
	assert_int_equal(actviz_act_parse("elu:alpha=x", 2, &act, NULL, 0),
	    -1);
}

static void
softmax_one_unit(void **state)
{
	const struct actviz_act	*act = tu_act_find("softmax");
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
	const struct actviz_act	*act = tu_act_find("softmax");
	const double		 z[3] = { 1.0, 2.0, 3.0 };
	double			 a[3], sum;

	(void)state;
	actviz_act_apply(act, z, a, 3);
	sum = exp(1.0) + exp(2.0) + exp(3.0);
	tu_assert_near(a[0], exp(1.0) / sum, 1e-15);
	tu_assert_near(a[1], exp(2.0) / sum, 1e-15);
	tu_assert_near(a[2], exp(3.0) / sum, 1e-15);
	tu_assert_near(a[0] + a[1] + a[2], 1.0, 1e-15);
}

static void
softmax_large_inputs(void **state)
{
	const struct actviz_act	*act = tu_act_find("softmax");
	double			 z[3] = { 1000.0, 999.0, -DBL_MAX };

	(void)state;
	actviz_act_apply(act, z, z, 3);
	tu_assert_near(z[0], 1.0 / (1.0 + exp(-1.0)), 1e-15);
	tu_assert_near(z[1], exp(-1.0) / (1.0 + exp(-1.0)), 1e-15);
	tu_assert_near(z[2], 0.0, 0.0);
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
			assert_true(a[k] == act->f(z[k], act->param));
	}
}

static void
backward_elementwise(void **state)
{
	const struct actviz_act	*act;
	const double		 z[4] = { -2.0, -0.25, 0.5, 4.0 };
	const double		 grad_a[4] = { 0.5, -1.5, 2.0, -0.75 };
	double			 a[4], grad_z[4], inplace[4];
	size_t			 i, k;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++) {
		if (act->df == NULL)
			continue;
		actviz_act_apply(act, z, a, 4);
		actviz_act_backward(act, z, a, grad_a, grad_z, 4);
		memcpy(inplace, grad_a, sizeof(inplace));
		actviz_act_backward(act, z, a, inplace, inplace, 4);
		for (k = 0; k < 4; k++) {
			assert_true(grad_z[k] ==
			    grad_a[k] * act->df(z[k], act->param));
			assert_true(inplace[k] == grad_z[k]);
		}
	}
}

/* With one unit softmax is constant, so no gradient flows back. */
static void
softmax_backward_one_unit(void **state)
{
	const struct actviz_act	*act = tu_act_find("softmax");
	const double		 zs[3] = { -1000.0, 0.3, 1e300 };
	const double		 grads[3] = { -2.0, 0.7, 1e10 };
	double			 a, grad_z;
	size_t			 i, k;

	(void)state;
	for (i = 0; i < 3; i++) {
		actviz_act_apply(act, &zs[i], &a, 1);
		for (k = 0; k < 3; k++) {
			actviz_act_backward(act, &zs[i], &a, &grads[k],
			    &grad_z, 1);
			assert_true(grad_z == 0.0);
		}
	}
}

/* sum_i grad_a_i a_i(z), the loss whose gradient backward returns. */
static double
softmax_loss(const struct actviz_act *act, const double *z,
    const double *grad_a)
{
	double	a[3];

	actviz_act_apply(act, z, a, 3);
	return grad_a[0] * a[0] + grad_a[1] * a[1] + grad_a[2] * a[2];
}

/*
 * h = 1e-5: the loss is smooth and of order 1, so truncation (h^2) and
 * rounding (1e-16 / h) errors both stay near 1e-11.
 */
static void
softmax_backward_three_units(void **state)
{
	const struct actviz_act	*act = tu_act_find("softmax");
	const double		 z[3] = { 0.5, -1.0, 2.0 };
	const double		 grad_a[3] = { 0.3, -1.2, 0.7 };
	const double		 h = 1e-5;
	double			 a[3], grad_z[3], inplace[3], zp[3], zm[3];
	double			 numeric;
	size_t			 j;

	(void)state;
	actviz_act_apply(act, z, a, 3);
	actviz_act_backward(act, z, a, grad_a, grad_z, 3);
	memcpy(inplace, grad_a, sizeof(inplace));
	actviz_act_backward(act, z, a, inplace, inplace, 3);
	for (j = 0; j < 3; j++) {
		memcpy(zp, z, sizeof(zp));
		memcpy(zm, z, sizeof(zm));
		zp[j] += h;
		zm[j] -= h;
		numeric = (softmax_loss(act, zp, grad_a) -
		    softmax_loss(act, zm, grad_a)) / (2.0 * h);
		tu_assert_near(grad_z[j], numeric, 1e-9);
		assert_true(inplace[j] == grad_z[j]);
	}
	tu_assert_near(grad_z[0] + grad_z[1] + grad_z[2], 0.0, 1e-15);
}

/* True within 1e-3 of a point where act's derivative may jump. */
static int
near_kink(const struct actviz_act *act, double x)
{
	const struct ref	*ref = ref_for(act);
	double			 at;
	size_t			 k;

	for (k = 0; k < ref->nkinks; k++) {
		at = ref->kinks[k];
		if (ref->scaled)
			at *= act->param[0];
		if (fabs(x - at) < 1e-3)
			return 1;
	}
	return 0;
}

/*
 * h = 1e-5 keeps the truncation error (h^2 f''' / 6) and the rounding
 * error (eps |f| / h) both near 1e-10, well inside the 1e-7 tolerance.
 */
static void
check_differences(const struct actviz_act *act)
{
	const double	h = 1e-5;
	double		x, numeric, tol;
	int		k, checked = 0;

	for (k = 0; k <= 1000; k++) {
		x = -5.0 + k * 0.01;
		if (near_kink(act, x))
			continue;
		numeric = (act->f(x + h, act->param) -
		    act->f(x - h, act->param)) / (2.0 * h);
		tol = 1e-7 * fmax(1.0, fabs(numeric));
		if (!(fabs(act->df(x, act->param) - numeric) <= tol))
			fail_msg("%s'(%g) = %.17g, central difference %.17g",
			    act->name, x, act->df(x, act->param), numeric);
		checked++;
	}
	assert_true(checked > 990);
}

static void
derivatives_match_differences(void **state)
{
	const struct actviz_act	*act;
	struct actviz_act	 variant;
	size_t			 i;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++)
		if (act->df != NULL)
			check_differences(act);
	for (i = 0; i < NVARIANTS; i++) {
		parse(variants[i], &variant);
		check_differences(&variant);
	}
}

/*
 * A derivative that is zero everywhere would pass the check above where
 * differences are skipped.  So df(x) must not be 0 wherever the central
 * difference exceeds 1e-6, far above its error, and somewhere on [-5, 5]
 * it must exceed 0.1.  At a stationary point such as x = 0 for
 * tanh_shrink, the difference stays below 1e-6.
 */
static void
check_not_zero(const struct actviz_act *act)
{
	const double	h = 1e-5;
	double		x, numeric, max = 0.0;
	int		k;

	for (k = 0; k <= 1000; k++) {
		x = -5.0 + k * 0.01;
		max = fmax(max, fabs(act->df(x, act->param)));
		if (near_kink(act, x))
			continue;
		numeric = (act->f(x + h, act->param) -
		    act->f(x - h, act->param)) / (2.0 * h);
		if (fabs(numeric) > 1e-6 && act->df(x, act->param) == 0.0)
			fail_msg("%s'(%g) = 0, central difference %g",
			    act->name, x, numeric);
	}
	if (!(max > 0.1))
		fail_msg("%s' is at most %g on [-5, 5]", act->name, max);
}

static void
derivatives_not_zero(void **state)
{
	const struct actviz_act	*act;
	struct actviz_act	 variant;
	size_t			 i;

	(void)state;
	for (i = 0; (act = actviz_act_at(i)) != NULL; i++)
		if (act->df != NULL)
			check_not_zero(act);
	for (i = 0; i < NVARIANTS; i++) {
		parse(variants[i], &variant);
		check_not_zero(&variant);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_order),
		cmocka_unit_test(lookup_every_row),
		cmocka_unit_test(lookup_unknown),
		cmocka_unit_test(versions_differ),
		cmocka_unit_test(aliases_resolve),
		cmocka_unit_test(rows_complete),
		cmocka_unit_test(row_initializers),
		cmocka_unit_test(values_match_references),
		cmocka_unit_test(variant_values_match_references),
		cmocka_unit_test(references_have_rows),
		cmocka_unit_test(hard_sigmoid_values),
		cmocka_unit_test(hard_sigmoid_kinks),
		cmocka_unit_test(hard_sigmoid3_values),
		cmocka_unit_test(selu_values),
		cmocka_unit_test(elu_values),
		cmocka_unit_test(derivatives_at_kinks),
		cmocka_unit_test(softplus_extremes),
		cmocka_unit_test(sigmoid_extremes),
		cmocka_unit_test(log_sigmoid_extremes),
		cmocka_unit_test(squareplus_extremes),
		cmocka_unit_test(gelu_approximate_extremes),
		cmocka_unit_test(rows_finite_at_extremes),
		cmocka_unit_test(overflow_where_documented),
		cmocka_unit_test(parse_elu_alpha),
		cmocka_unit_test(parse_defaults),
		cmocka_unit_test(parse_two_params),
		cmocka_unit_test(parse_alias_name),
		cmocka_unit_test(parse_rejects),
		cmocka_unit_test(parse_unknown_lists_names),
		cmocka_unit_test(parse_small_buffer),
		cmocka_unit_test(softmax_one_unit),
		cmocka_unit_test(softmax_three_units),
		cmocka_unit_test(softmax_large_inputs),
		cmocka_unit_test(apply_elementwise),
		cmocka_unit_test(backward_elementwise),
		cmocka_unit_test(softmax_backward_one_unit),
		cmocka_unit_test(softmax_backward_three_units),
		cmocka_unit_test(derivatives_match_differences),
		cmocka_unit_test(derivatives_not_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
