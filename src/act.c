/*
 * Activation table.  Each row contains a Keras 2 activation, its
 * derivative and the recipe's kernel initializer.  The functions use the
 * C library's exp, expm1, log1p and tanh, so unlike the weights from
 * init.c, the last bit of a value may differ between C libraries.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "act.h"

/* SELU constants, rounded to double, as Keras 2 defines them. */
#define SELU_SCALE	1.0507009873554805
#define SELU_ALPHA	1.6732632423543772

static double
linear_f(double x)
{
	return x;
}

static double
linear_df(double x)
{
	(void)x;
	return 1.0;
}

/*
 * exp() receives only -|x|, so it cannot overflow.  For x below about
 * -745 it underflows to 0 and the result is exactly 0.
 */
static double
sigmoid_f(double x)
{
	double	e = exp(-fabs(x));

	if (x >= 0.0)
		return 1.0 / (1.0 + e);
	return e / (1.0 + e);
}

/*
 * sigmoid(x) * sigmoid(-x), written with e = exp(-|x|) so that it stays
 * accurate where s * (1 - s) would round 1 - s to 0.
 */
static double
sigmoid_df(double x)
{
	double	e = exp(-fabs(x));

	return e / ((1.0 + e) * (1.0 + e));
}

static double
tanh_f(double x)
{
	return tanh(x);
}

/* sech(x)^2 = 4e / (1 + e)^2 with e = exp(-2|x|), exact in the tails. */
static double
tanh_df(double x)
{
	double	e = exp(-2.0 * fabs(x));

	return 4.0 * e / ((1.0 + e) * (1.0 + e));
}

static double
softsign_f(double x)
{
	return x / (1.0 + fabs(x));
}

static double
softsign_df(double x)
{
	double	d = 1.0 + fabs(x);

	return 1.0 / (d * d);
}

static double
hard_sigmoid_f(double x)
{
	double	y = 0.2 * x + 0.5;

	if (y < 0.0)
		return 0.0;
	if (y > 1.0)
		return 1.0;
	return y;
}

/*
 * 0.2 where 0 <= 0.2x + 0.5 <= 1, so at x = -2.5 and x = 2.5 too.  This
 * matches TensorFlow, whose clip_by_value applies minimum and then
 * maximum.  Their gradients, like that of the ClipByValue op, pass the
 * gradient where the input equals a bound.
 */
static double
hard_sigmoid_df(double x)
{
	double	y = 0.2 * x + 0.5;

	if (y < 0.0 || y > 1.0)
		return 0.0;
	return 0.2;
}

/*
 * log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), so exp() never overflows
 * and log1p keeps the small tail term accurate.
 */
static double
softplus_f(double x)
{
	return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

static double
softplus_df(double x)
{
	return sigmoid_f(x);
}

static double
selu_f(double x)
{
	if (x > 0.0)
		return SELU_SCALE * x;
	return SELU_SCALE * SELU_ALPHA * expm1(x);
}

/*
 * The derivative at 0 is the left one, SELU_SCALE * SELU_ALPHA, as
 * TensorFlow's elu gradient gives where the output is not positive.
 */
static double
selu_df(double x)
{
	if (x > 0.0)
		return SELU_SCALE;
	return SELU_SCALE * SELU_ALPHA * exp(x);
}

static double
elu_f(double x)
{
	if (x > 0.0)
		return x;
	return expm1(x);
}

static double
elu_df(double x)
{
	if (x > 0.0)
		return 1.0;
	return exp(x);
}

/* The derivative at 0 is 0, as TensorFlow's ReluGrad gives. */
static double
relu_f(double x)
{
	return x > 0.0 ? x : 0.0;
}

static double
relu_df(double x)
{
	return x > 0.0 ? 1.0 : 0.0;
}

/*
 * The first nine rows are the recipe's, in its order, each with the
 * kernel initializer the recipe pairs with it.
 */
static const struct actviz_act acts[] = {
	{ "linear", "x", "he_uniform", linear_f, linear_df },
	{ "softmax", "exp(x_i) / sum_j exp(x_j)", "he_uniform",
	    NULL, NULL },
	{ "sigmoid", "1 / (1 + exp(-x))", "lecun_uniform",
	    sigmoid_f, sigmoid_df },
	{ "tanh", "(exp(x) - exp(-x)) / (exp(x) + exp(-x))", "he_uniform",
	    tanh_f, tanh_df },
	{ "softsign", "x / (1 + |x|)", "he_uniform",
	    softsign_f, softsign_df },
	{ "hard_sigmoid", "clip(0.2x + 0.5, 0, 1)", "lecun_normal",
	    hard_sigmoid_f, hard_sigmoid_df },
	{ "softplus", "log(1 + exp(x))", "lecun_uniform",
	    softplus_f, softplus_df },
	{ "selu", "1.0507x if x > 0, else 1.7581(exp(x) - 1)", "he_uniform",
	    selu_f, selu_df },
	{ "elu", "x if x > 0, else exp(x) - 1", "he_uniform",
	    elu_f, elu_df },
	{ "relu", "max(x, 0)", "he_uniform", relu_f, relu_df },
};

#define NACTS	(sizeof(acts) / sizeof(acts[0]))

const struct actviz_act *
actviz_act_find(const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NACTS; i++)
		if (strcmp(acts[i].name, name) == 0)
			return &acts[i];
	return NULL;
}

const struct actviz_act *
actviz_act_at(size_t i)
{
	if (i >= NACTS)
		return NULL;
	return &acts[i];
}

/*
 * Softmax subtracts the maximum before exp(), so every exponent is at most
 * 0.  Nothing overflows, the largest term is exactly 1 and the sum is at
 * least 1.  A difference that overflows to -inf gives exp() = 0.
 */
static void
softmax(const double *z, double *a, size_t n)
{
	double	max, sum;
	size_t	i;

	max = z[0];
	for (i = 1; i < n; i++)
		if (z[i] > max)
			max = z[i];

	sum = 0.0;
	for (i = 0; i < n; i++) {
		a[i] = exp(z[i] - max);
		sum += a[i];
	}

	for (i = 0; i < n; i++)
		a[i] /= sum;
}

/* A row without f normalises over the units; only softmax has none. */
void
actviz_act_apply(const struct actviz_act *act, const double *z, double *a,
    size_t n)
{
	size_t	i;

	if (n == 0)
		return;
	if (act->f == NULL) {
		softmax(z, a, n);
		return;
	}
	for (i = 0; i < n; i++)
		a[i] = act->f(z[i]);
}
