/*
 * Activation table.  Each row contains a Keras activation as Keras 2, Keras
 * 3 or both define it, its derivative, its parameters and the recipe's
 * kernel initializer, plus the name and parameter parsing for the command
 * line.  The functions use the C library's exp, expm1, log1p, erfc, tanh
 * and hypot, so unlike the weights from init.c, the last bit of a value may
 * differ between C libraries.
 *
 * Where a function has a kink, its derivative there is the value that
 * TensorFlow's gradient gives (through the Keras 3 TensorFlow backend for
 * Keras 3 rows), so that back-propagation here matches training there.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "cnumeric.h"

/* SELU constants, rounded to double, as Keras defines them. */
#define SELU_SCALE	1.0507009873554805
#define SELU_ALPHA	1.6732632423543772

#define SQRT1_2		0.70710678118654752440	/* 1 / sqrt(2) */
#define INV_SQRT_2PI	0.39894228040143267794	/* 1 / sqrt(2 pi) */
#define SQRT_2_PI	0.79788456080286535588	/* sqrt(2 / pi) */
#define GELU_CUBIC	0.044715	/* x^3 coefficient, tanh form */

/*
 * exp() receives only -|x|, so it cannot overflow.  For x below about
 * -745 it underflows to 0 and the result is exactly 0.
 */
static double
sigmoid(double x)
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
sigmoid_slope(double x)
{
	double	e = exp(-fabs(x));

	return e / ((1.0 + e) * (1.0 + e));
}

/*
 * log(1 + e^x) = max(x, 0) + log(1 + e^-|x|).  exp() then only gets
 * -|x| <= 0, so it cannot overflow, and log1p keeps the small tail term
 * accurate.
 */
static double
softplus(double x)
{
	return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

/* sech(x)^2 = 4e / (1 + e)^2 with e = exp(-2|x|), exact in the tails. */
static double
tanh_slope(double x)
{
	double	e = exp(-2.0 * fabs(x));

	return 4.0 * e / ((1.0 + e) * (1.0 + e));
}

static double
relu6(double x)
{
	if (x <= 0.0)
		return 0.0;
	if (x >= 6.0)
		return 6.0;
	return x;
}

/* TensorFlow's Relu6Grad passes the gradient only where 0 < x < 6. */
static double
relu6_slope(double x)
{
	return x > 0.0 && x < 6.0 ? 1.0 : 0.0;
}

static double
linear_f(double x, const double *p)
{
	(void)p;
	return x;
}

static double
linear_df(double x, const double *p)
{
	(void)x;
	(void)p;
	return 1.0;
}

static double
sigmoid_f(double x, const double *p)
{
	(void)p;
	return sigmoid(x);
}

static double
sigmoid_df(double x, const double *p)
{
	(void)p;
	return sigmoid_slope(x);
}

static double
tanh_f(double x, const double *p)
{
	(void)p;
	return tanh(x);
}

static double
tanh_df(double x, const double *p)
{
	(void)p;
	return tanh_slope(x);
}

static double
softsign_f(double x, const double *p)
{
	(void)p;
	return x / (1.0 + fabs(x));
}

static double
softsign_df(double x, const double *p)
{
	double	d = 1.0 + fabs(x);

	(void)p;
	return 1.0 / (d * d);
}

/* Keras 2: clip(0.2x + 0.5, 0, 1). */
static double
hard_sigmoid2_f(double x, const double *p)
{
	double	y = 0.2 * x + 0.5;

	(void)p;
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
hard_sigmoid2_df(double x, const double *p)
{
	double	y = 0.2 * x + 0.5;

	(void)p;
	if (y < 0.0 || y > 1.0)
		return 0.0;
	return 0.2;
}

/* Keras 3 computes relu6(x + 3) / 6, so the slope is 1/6, not 0.2. */
static double
hard_sigmoid3_f(double x, const double *p)
{
	(void)p;
	return relu6(x + 3.0) / 6.0;
}

/* 1/6 strictly inside (-3, 3) and 0 at -3 and 3, as relu6's gradient. */
static double
hard_sigmoid3_df(double x, const double *p)
{
	(void)p;
	return relu6_slope(x + 3.0) / 6.0;
}

static double
softplus_f(double x, const double *p)
{
	(void)p;
	return softplus(x);
}

static double
softplus_df(double x, const double *p)
{
	(void)p;
	return sigmoid(x);
}

static double
selu_f(double x, const double *p)
{
	(void)p;
	if (x > 0.0)
		return SELU_SCALE * x;
	return SELU_SCALE * SELU_ALPHA * expm1(x);
}

/*
 * The derivative at 0 is SELU_SCALE: TensorFlow's SeluGrad takes the
 * exponential branch only where the output is negative.
 */
static double
selu_df(double x, const double *p)
{
	(void)p;
	if (x < 0.0)
		return SELU_SCALE * SELU_ALPHA * exp(x);
	return SELU_SCALE;
}

/* p[0] is alpha. */
static double
elu_f(double x, const double *p)
{
	if (x > 0.0)
		return x;
	return p[0] * expm1(x);
}

/*
 * The derivative at 0 is alpha.  TensorFlow's EluGrad gives 1 there, and
 * Keras scales the non-positive side by alpha when alpha is not 1.
 */
static double
elu_df(double x, const double *p)
{
	if (x > 0.0)
		return 1.0;
	return p[0] * exp(x);
}

static double
relu_f(double x, const double *p)
{
	(void)p;
	return x > 0.0 ? x : 0.0;
}

/* The derivative at 0 is 0, as TensorFlow's ReluGrad gives. */
static double
relu_df(double x, const double *p)
{
	(void)p;
	return x > 0.0 ? 1.0 : 0.0;
}

/* p[0] is negative_slope. */
static double
leaky_relu_f(double x, const double *p)
{
	return x > 0.0 ? x : p[0] * x;
}

/* The derivative at 0 is negative_slope, as TensorFlow's LeakyReluGrad. */
static double
leaky_relu_df(double x, const double *p)
{
	return x > 0.0 ? 1.0 : p[0];
}

static double
relu6_f(double x, const double *p)
{
	(void)p;
	return relu6(x);
}

static double
relu6_df(double x, const double *p)
{
	(void)p;
	return relu6_slope(x);
}

/*
 * erfc(-x / sqrt 2) avoids the cancellation in 1 + erf(x / sqrt 2).  In
 * the far negative tail the rounding of x / sqrt 2 still limits relative
 * accuracy: erfc(z) changes by 2z^2 times the relative change in z, which
 * is about 3e-14 at x = -30.
 */
static double
gelu_f(double x, const double *p)
{
	(void)p;
	return 0.5 * x * erfc(-x * SQRT1_2);
}

/* Phi(x) + x phi(x); x * x may overflow to inf, and then exp() gives 0. */
static double
gelu_df(double x, const double *p)
{
	(void)p;
	return 0.5 * erfc(-x * SQRT1_2) + x * exp(-0.5 * x * x) * INV_SQRT_2PI;
}

static double
gelu_tanh_arg(double x)
{
	return SQRT_2_PI * (x + GELU_CUBIC * x * x * x);
}

/*
 * 0.5x(1 + tanh(u)) = x * sigmoid(2u).  The sigmoid form has no
 * cancellation for negative x, and an infinite u (x^3 overflows above
 * about 5.6e102) gives sigmoid 0 or 1 rather than NaN.
 */
static double
gelu_approximate_f(double x, const double *p)
{
	(void)p;
	return x * sigmoid(2.0 * gelu_tanh_arg(x));
}

/*
 * d/dx x sigmoid(2u) = sigmoid(2u) + 2x sigmoid'(2u) u'.  Once sigmoid'
 * underflows to 0 the second term is dropped, because u' may be inf there
 * and 0 * inf would be NaN.
 */
static double
gelu_approximate_df(double x, const double *p)
{
	double	u = gelu_tanh_arg(x), slope = sigmoid_slope(2.0 * u);
	double	du;

	(void)p;
	if (slope == 0.0)
		return sigmoid(2.0 * u);
	du = SQRT_2_PI * (1.0 + 3.0 * GELU_CUBIC * x * x);
	return sigmoid(2.0 * u) + 2.0 * x * slope * du;
}

static double
silu_f(double x, const double *p)
{
	(void)p;
	return x * sigmoid(x);
}

static double
silu_df(double x, const double *p)
{
	(void)p;
	return sigmoid(x) + x * sigmoid_slope(x);
}

static double
mish_f(double x, const double *p)
{
	(void)p;
	return x * tanh(softplus(x));
}

/* tanh(sp) + x sech^2(sp) sigmoid(x), with sp = softplus(x) >= 0. */
static double
mish_df(double x, const double *p)
{
	double	sp = softplus(x);

	(void)p;
	return tanh(sp) + x * (tanh_slope(sp) * sigmoid(x));
}

/* Overflows to inf above about 709.78, as exp() does. */
static double
exponential_f(double x, const double *p)
{
	(void)p;
	return exp(x);
}

static double
exponential_df(double x, const double *p)
{
	(void)p;
	return exp(x);
}

/* x * hard_sigmoid(x) with the Keras 3 hard_sigmoid, as Keras computes. */
static double
hard_silu_f(double x, const double *p)
{
	(void)p;
	return x * (relu6(x + 3.0) / 6.0);
}

/*
 * Product rule with relu6's gradient, which is 0 at x = -3 and x = 3, so
 * the derivative is 0 at -3 and 1 at 3.
 */
static double
hard_silu_df(double x, const double *p)
{
	(void)p;
	return relu6(x + 3.0) / 6.0 + x * (relu6_slope(x + 3.0) / 6.0);
}

/* -softplus(-x) = min(x, 0) - log(1 + e^-|x|): no overflow. */
static double
log_sigmoid_f(double x, const double *p)
{
	(void)p;
	return fmin(x, 0.0) - log1p(exp(-fabs(x)));
}

static double
log_sigmoid_df(double x, const double *p)
{
	(void)p;
	return sigmoid(-x);
}

/* p[0] is alpha, greater than 0. */
static double
celu_f(double x, const double *p)
{
	if (x > 0.0)
		return x;
	return p[0] * expm1(x / p[0]);
}

/*
 * Both sides have slope 1 at 0, so the derivative there is 1.  Keras 3's
 * TensorFlow backend writes celu as max(x, 0) + alpha expm1(min(x, 0) /
 * alpha), and TensorFlow's Maximum and Minimum gradients both pass at a
 * tie, so TensorFlow's gradient at exactly 0 is 2.  This table does not
 * copy that sum.
 */
static double
celu_df(double x, const double *p)
{
	if (x > 0.0)
		return 1.0;
	return exp(x / p[0]);
}

/* p[0] is threshold, at least 0. */
static double
hard_shrink_f(double x, const double *p)
{
	return fabs(x) > p[0] ? x : 0.0;
}

/* 0 at |x| = threshold, as Keras's where(|x| > threshold, x, 0) gives. */
static double
hard_shrink_df(double x, const double *p)
{
	return fabs(x) > p[0] ? 1.0 : 0.0;
}

static double
hard_tanh_f(double x, const double *p)
{
	(void)p;
	if (x < -1.0)
		return -1.0;
	if (x > 1.0)
		return 1.0;
	return x;
}

/* 1 at x = -1 and x = 1: TensorFlow's clip_by_value passes at a bound. */
static double
hard_tanh_df(double x, const double *p)
{
	(void)p;
	return x >= -1.0 && x <= 1.0 ? 1.0 : 0.0;
}

/* p[0] is threshold, at least 0. */
static double
soft_shrink_f(double x, const double *p)
{
	if (x > p[0])
		return x - p[0];
	if (x < -p[0])
		return x + p[0];
	return 0.0;
}

/* 0 at |x| = threshold, because Keras selects the 0 branch there. */
static double
soft_shrink_df(double x, const double *p)
{
	return x > p[0] || x < -p[0] ? 1.0 : 0.0;
}

static double
sparse_plus_f(double x, const double *p)
{
	(void)p;
	if (x <= -1.0)
		return 0.0;
	if (x < 1.0)
		return 0.25 * (x + 1.0) * (x + 1.0);
	return x;
}

/* Continuous: 0 at -1 and 1 at 1 from either side. */
static double
sparse_plus_df(double x, const double *p)
{
	(void)p;
	if (x <= -1.0)
		return 0.0;
	if (x < 1.0)
		return 0.5 * (x + 1.0);
	return 1.0;
}

/*
 * p[0] is b, at least 0.  hypot() cannot overflow where x * x would, and
 * for x < 0 the sum x + sqrt(x^2 + b) is rewritten as b / (sqrt(x^2 + b)
 * - x) to avoid cancellation.
 */
static double
squareplus_f(double x, const double *p)
{
	double	h = hypot(x, sqrt(p[0]));

	if (x >= 0.0)
		return 0.5 * x + 0.5 * h;
	return 0.5 * p[0] / (h - x);
}

/*
 * (1 + x / h) / 2, and b / (2h (h - x)) for x < 0 for the same reason as
 * above.  With b = 0 the function is relu: the derivative at 0 is then
 * 0.5, the mean of the two sides, where TensorFlow would give NaN.
 */
static double
squareplus_df(double x, const double *p)
{
	double	h = hypot(x, sqrt(p[0]));

	if (p[0] == 0.0 && x <= 0.0)
		return x == 0.0 ? 0.5 : 0.0;
	if (x >= 0.0)
		return 0.5 + 0.5 * (x / h);
	return 0.5 * p[0] / (h * (h - x));
}

/* Cancels near 0 like Keras's x - tanh(x): absolute error about 1e-17. */
static double
tanh_shrink_f(double x, const double *p)
{
	(void)p;
	return x - tanh(x);
}

static double
tanh_shrink_df(double x, const double *p)
{
	double	t = tanh(x);

	(void)p;
	return t * t;
}

/* p[0] is threshold, p[1] default_value. */
static double
threshold_f(double x, const double *p)
{
	return x > p[0] ? x : p[1];
}

/* 0 at x = threshold, where Keras's where() selects default_value. */
static double
threshold_df(double x, const double *p)
{
	return x > p[0] ? 1.0 : 0.0;
}

static double
sparse_sigmoid_f(double x, const double *p)
{
	(void)p;
	if (x <= -1.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	return 0.5 * (x + 1.0);
}

/* 0 at -1 and 1, where Keras's where() selects the constant branches. */
static double
sparse_sigmoid_df(double x, const double *p)
{
	(void)p;
	return x > -1.0 && x < 1.0 ? 0.5 : 0.0;
}

/* Values a parameter accepts besides being finite. */
enum domain {
	DOMAIN_ANY = 0,
	DOMAIN_POSITIVE,	/* > 0: celu divides by alpha */
	DOMAIN_NONNEGATIVE,	/* >= 0: a threshold, or squareplus's b */
};

/*
 * A public row plus what only parsing needs.  actviz_act_at() returns
 * &rows[i].act, so callers never see this wrapper.
 */
struct row {
	struct actviz_act	 act;
	enum domain		 domain[ACTVIZ_ACT_MAX_PARAMS];
};

#define HE_UNIFORM	"he_uniform"

/*
 * The first nine rows are the recipe's, in its order, each with the
 * kernel initializer the recipe pairs with it.  keras is 0 where Keras 2
 * and Keras 3 agree.
 */
static const struct row rows[] = {
	{ .act = { .name = "linear", .formula = "x", .init = HE_UNIFORM,
	    .f = linear_f, .df = linear_df } },
	{ .act = { .name = "softmax", .init = HE_UNIFORM,
	    .formula = "exp(x_i) / sum_j exp(x_j)" } },
	{ .act = { .name = "sigmoid", .formula = "1 / (1 + exp(-x))",
	    .init = "lecun_uniform", .f = sigmoid_f, .df = sigmoid_df } },
	{ .act = { .name = "tanh", .init = HE_UNIFORM,
	    .formula = "(exp(x) - exp(-x)) / (exp(x) + exp(-x))",
	    .f = tanh_f, .df = tanh_df } },
	{ .act = { .name = "softsign", .formula = "x / (1 + |x|)",
	    .init = HE_UNIFORM, .f = softsign_f, .df = softsign_df } },
	{ .act = { .name = "hard_sigmoid", .keras = 2,
	    .formula = "clip(0.2x + 0.5, 0, 1)", .init = "lecun_normal",
	    .f = hard_sigmoid2_f, .df = hard_sigmoid2_df } },
	{ .act = { .name = "softplus", .formula = "log(1 + exp(x))",
	    .init = "lecun_uniform", .f = softplus_f, .df = softplus_df } },
	{ .act = { .name = "selu", .init = HE_UNIFORM,
	    .formula = "1.0507x if x > 0, else 1.7581(exp(x) - 1)",
	    .f = selu_f, .df = selu_df } },
	{ .act = { .name = "elu", .init = HE_UNIFORM,
	    .formula = "x if x > 0, else alpha(exp(x) - 1)",
	    .f = elu_f, .df = elu_df,
	    .nparams = 1, .param_names = { "alpha" }, .param = { 1.0 } } },
	{ .act = { .name = "relu", .formula = "max(x, 0)", .init = HE_UNIFORM,
	    .f = relu_f, .df = relu_df } },
	/*
	 * The Keras 2 default is that of its LeakyReLU layer (alpha=0.3),
	 * and Keras 3's leaky_relu defaults to 0.2.  Both rows take the
	 * Keras 3 parameter name.
	 */
	{ .act = { .name = "leaky_relu", .keras = 2, .init = HE_UNIFORM,
	    .formula = "x if x > 0, else negative_slope * x",
	    .f = leaky_relu_f, .df = leaky_relu_df, .nparams = 1,
	    .param_names = { "negative_slope" }, .param = { 0.3 } } },
	{ .act = { .name = "leaky_relu", .keras = 3, .init = HE_UNIFORM,
	    .formula = "x if x > 0, else negative_slope * x",
	    .f = leaky_relu_f, .df = leaky_relu_df, .nparams = 1,
	    .param_names = { "negative_slope" }, .param = { 0.2 } } },
	{ .act = { .name = "relu6", .formula = "min(max(x, 0), 6)",
	    .init = HE_UNIFORM, .f = relu6_f, .df = relu6_df } },
	{ .act = { .name = "hard_sigmoid", .keras = 3,
	    .formula = "relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1)",
	    .init = "lecun_normal",
	    .f = hard_sigmoid3_f, .df = hard_sigmoid3_df } },
	{ .act = { .name = "gelu", .init = HE_UNIFORM,
	    .formula = "0.5x(1 + erf(x / sqrt(2)))",
	    .f = gelu_f, .df = gelu_df } },
	/* Keras spells this gelu(x, approximate=True). */
	{ .act = { .name = "gelu_approximate", .init = HE_UNIFORM,
	    .formula = "gelu(x, approximate=True): "
	    "0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3)))",
	    .f = gelu_approximate_f, .df = gelu_approximate_df } },
	{ .act = { .name = "silu", .aliases = { "swish" },
	    .formula = "x * sigmoid(x)", .init = HE_UNIFORM,
	    .f = silu_f, .df = silu_df } },
	{ .act = { .name = "mish", .formula = "x * tanh(softplus(x))",
	    .init = HE_UNIFORM, .f = mish_f, .df = mish_df } },
	{ .act = { .name = "exponential", .formula = "exp(x)",
	    .init = HE_UNIFORM, .f = exponential_f, .df = exponential_df } },
	{ .act = { .name = "hard_silu", .aliases = { "hard_swish" },
	    .formula = "x * relu6(x + 3) / 6", .init = HE_UNIFORM,
	    .f = hard_silu_f, .df = hard_silu_df } },
	{ .act = { .name = "log_sigmoid", .init = HE_UNIFORM,
	    .formula = "-softplus(-x) = log(1 / (1 + exp(-x)))",
	    .f = log_sigmoid_f, .df = log_sigmoid_df } },
	{ .act = { .name = "celu", .init = HE_UNIFORM,
	    .formula = "x if x >= 0, else alpha(exp(x / alpha) - 1)",
	    .f = celu_f, .df = celu_df,
	    .nparams = 1, .param_names = { "alpha" }, .param = { 1.0 } },
	    .domain = { DOMAIN_POSITIVE } },
	{ .act = { .name = "hard_shrink", .init = HE_UNIFORM,
	    .formula = "x if |x| > threshold, else 0",
	    .f = hard_shrink_f, .df = hard_shrink_df, .nparams = 1,
	    .param_names = { "threshold" }, .param = { 0.5 } },
	    .domain = { DOMAIN_NONNEGATIVE } },
	{ .act = { .name = "hard_tanh", .formula = "clip(x, -1, 1)",
	    .init = HE_UNIFORM, .f = hard_tanh_f, .df = hard_tanh_df } },
	{ .act = { .name = "soft_shrink", .init = HE_UNIFORM,
	    .formula = "x - threshold if x > threshold, "
	    "x + threshold if x < -threshold, else 0",
	    .f = soft_shrink_f, .df = soft_shrink_df, .nparams = 1,
	    .param_names = { "threshold" }, .param = { 0.5 } },
	    .domain = { DOMAIN_NONNEGATIVE } },
	{ .act = { .name = "sparse_plus", .init = HE_UNIFORM,
	    .formula = "0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, "
	    "x if x >= 1",
	    .f = sparse_plus_f, .df = sparse_plus_df } },
	{ .act = { .name = "squareplus", .init = HE_UNIFORM,
	    .formula = "(x + sqrt(x^2 + b)) / 2",
	    .f = squareplus_f, .df = squareplus_df, .nparams = 1,
	    .param_names = { "b" }, .param = { 4.0 } },
	    .domain = { DOMAIN_NONNEGATIVE } },
	{ .act = { .name = "tanh_shrink", .formula = "x - tanh(x)",
	    .init = HE_UNIFORM, .f = tanh_shrink_f, .df = tanh_shrink_df } },
	/*
	 * Keras gives threshold no defaults.  These are those of the Keras 2
	 * ThresholdedReLU layer (theta = 1), which is the same function.
	 */
	{ .act = { .name = "threshold", .init = HE_UNIFORM,
	    .formula = "x if x > threshold, else default_value",
	    .f = threshold_f, .df = threshold_df, .nparams = 2,
	    .param_names = { "threshold", "default_value" },
	    .param = { 1.0, 0.0 } } },
	{ .act = { .name = "sparse_sigmoid", .init = HE_UNIFORM,
	    .formula = "0 if x <= -1, (x + 1) / 2 if -1 < x < 1, "
	    "1 if x >= 1",
	    .f = sparse_sigmoid_f, .df = sparse_sigmoid_df } },
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

/*
 * Returns the spelling in act (name or alias) that equals the len bytes
 * at name, or NULL.
 */
static const char *
match_name(const struct actviz_act *act, const char *name, size_t len)
{
	size_t	i;

	if (strlen(act->name) == len && strncmp(act->name, name, len) == 0)
		return act->name;
	for (i = 0; i < ACTVIZ_ACT_MAX_ALIASES; i++) {
		const char	*alias = act->aliases[i];

		if (alias != NULL && strlen(alias) == len &&
		    strncmp(alias, name, len) == 0)
			return alias;
	}
	return NULL;
}

/* Finds the row for Keras version keras spelled by len bytes at name. */
static const struct row *
find_row(const char *name, size_t len, int keras, const char **spelling)
{
	size_t	i;

	if (keras != 2 && keras != 3)
		return NULL;
	for (i = 0; i < NROWS; i++) {
		const struct actviz_act	*act = &rows[i].act;

		if (act->keras != 0 && act->keras != keras)
			continue;
		if ((*spelling = match_name(act, name, len)) != NULL)
			return &rows[i];
	}
	return NULL;
}

const struct actviz_act *
actviz_act_lookup(const char *name, int keras)
{
	const struct row	*row;
	const char		*spelling;

	if (name == NULL)
		return NULL;
	row = find_row(name, strlen(name), keras, &spelling);
	return row == NULL ? NULL : &row->act;
}

const struct actviz_act *
actviz_act_find(const char *name)
{
	return actviz_act_lookup(name, 2);
}

const struct actviz_act *
actviz_act_at(size_t i)
{
	if (i >= NROWS)
		return NULL;
	return &rows[i].act;
}

/* Writes a one-line message to err, if there is room for one; returns -1. */
static int
fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Writes the names and aliases valid for Keras version keras into buf,
 * comma-separated, leaving out whole names that do not fit.
 */
static void
list_names(int keras, char *buf, size_t size)
{
	size_t	i, k, len = 0;

	buf[0] = '\0';
	for (i = 0; i < NROWS; i++) {
		const struct actviz_act	*act = &rows[i].act;
		const char		*names[1 + ACTVIZ_ACT_MAX_ALIASES];

		if (act->keras != 0 && act->keras != keras)
			continue;
		names[0] = act->name;
		memcpy(&names[1], act->aliases, sizeof(act->aliases));
		for (k = 0; k < 1 + ACTVIZ_ACT_MAX_ALIASES; k++) {
			if (names[k] == NULL)
				continue;
			if (len + strlen(names[k]) + 3 > size)
				return;
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    len > 0 ? ", " : "", names[k]);
		}
	}
}

/* Writes act's parameter names into buf, comma-separated. */
static void
list_params(const struct actviz_act *act, char *buf, size_t size)
{
	size_t	k, len = 0;

	buf[0] = '\0';
	for (k = 0; k < act->nparams && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    k > 0 ? ", " : "", act->param_names[k]);
}

/*
 * Parses the len bytes at text as a finite number into *value.  strtod()
 * needs a terminated string, so the text is copied, and text longer than
 * any sensible number is rejected.  strtod() reads the decimal point of
 * LC_NUMERIC, which stays "C" because actviz never calls setlocale().
 */
static int
parse_number(const char *text, size_t len, double *value)
{
	char	 buf[64], *end;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (isspace((unsigned char)buf[0]))
		return -1;
	*value = strtod(buf, &end);
	if (*end != '\0' || !isfinite(*value))
		return -1;
	return 0;
}

/*
 * Checks value against the domain of row's parameter k.  item and len
 * are the "param=value" text, which the message quotes.
 */
static int
check_domain(const struct row *row, size_t k, double value,
    const char *item, size_t len, char *err, size_t errsz)
{
	if (row->domain[k] == DOMAIN_POSITIVE && !(value > 0.0))
		return fail(err, errsz, "%.*s: must be greater than 0 for %s",
		    (int)len, item, row->act.name);
	if (row->domain[k] == DOMAIN_NONNEGATIVE && !(value >= 0.0))
		return fail(err, errsz, "%.*s: must be 0 or greater for %s",
		    (int)len, item, row->act.name);
	return 0;
}

/*
 * Parses one "param=value" item, the len bytes at item, into out->param.
 * *set has bit k set once parameter k has a value, to reject repeats.
 */
static int
parse_param(const struct row *row, const char *item, size_t len,
    struct actviz_act *out, unsigned *set, char *err, size_t errsz)
{
	const char	*eq = memchr(item, '=', len);
	char		 names[64];
	size_t		 k, keylen;
	double		 value;

	if (len == 0)
		return fail(err, errsz, "empty parameter after ':' (expected "
		    "parameter=value)");
	if (eq == NULL || eq == item)
		return fail(err, errsz, "'%.*s': expected parameter=value",
		    (int)len, item);
	keylen = (size_t)(eq - item);
	for (k = 0; k < row->act.nparams; k++)
		if (strlen(row->act.param_names[k]) == keylen &&
		    strncmp(row->act.param_names[k], item, keylen) == 0)
			break;
	if (row->act.nparams == 0)
		return fail(err, errsz, "unknown parameter '%.*s': %s has no "
		    "parameters", (int)keylen, item, row->act.name);
	list_params(&row->act, names, sizeof(names));
	if (k == row->act.nparams)
		return fail(err, errsz, "unknown parameter '%.*s' for %s "
		    "(parameters: %s)", (int)keylen, item, row->act.name,
		    names);
	if (*set & (1u << k))
		return fail(err, errsz, "%.*s: %s is given twice", (int)len,
		    item, row->act.param_names[k]);
	if (parse_number(eq + 1, len - keylen - 1, &value) == -1)
		return fail(err, errsz, "%.*s: not a finite number", (int)len,
		    item);
	if (check_domain(row, k, value, item, len, err, errsz) == -1)
		return -1;
	out->param[k] = value;
	*set |= 1u << k;
	return 0;
}

static int
parse_spec(const char *spec, int keras, struct actviz_act *out, char *err,
    size_t errsz)
{
	const struct row	*row;
	struct actviz_act	 act;
	const char		*p, *spelling;
	char			 names[1024];
	size_t			 len;
	unsigned		 set = 0;

	if (keras != 2 && keras != 3)
		return fail(err, errsz, "Keras version %d is not supported "
		    "(expected 2 or 3)", keras);
	if (spec == NULL || spec[0] == '\0' || spec[0] == ':')
		return fail(err, errsz, "missing activation name");

	len = strcspn(spec, ":");
	if ((row = find_row(spec, len, keras, &spelling)) == NULL) {
		list_names(keras, names, sizeof(names));
		return fail(err, errsz, "unknown activation '%.*s' (valid for "
		    "Keras %d: %s)", (int)len, spec, keras, names);
	}
	act = row->act;
	act.name = spelling;

	for (p = spec + len; *p == ':'; p += len) {
		p++;
		len = strcspn(p, ":");
		if (parse_param(row, p, len, &act, &set, err, errsz) == -1)
			return -1;
	}
	*out = act;
	return 0;
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
		a[i] = act->f(z[i], act->param);
}

/*
 * Softmax's Jacobian is da_i/dz_j = a_i (delta_ij - a_j), so grad_z_i =
 * a_i (grad_a_i - sum_j grad_a_j a_j).  The sum is complete before any
 * grad_z is written, which lets grad_z equal grad_a.
 */
void
actviz_act_backward(const struct actviz_act *act, const double *z,
    const double *a, const double *grad_a, double *grad_z, size_t n)
{
	double	dot = 0.0;
	size_t	i;

	if (act->df != NULL) {
		for (i = 0; i < n; i++)
			grad_z[i] = grad_a[i] * act->df(z[i], act->param);
		return;
	}
	for (i = 0; i < n; i++)
		dot += grad_a[i] * a[i];
	for (i = 0; i < n; i++)
		grad_z[i] = a[i] * (grad_a[i] - dot);
}

int
actviz_act_parse(const char *spec, int keras, struct actviz_act *out,
    char *err, size_t errsz)
{
	struct actviz_cnumeric	 saved;
	int			 rc;

	actviz_cnumeric_begin(&saved);
	rc = parse_spec(spec, keras, out, err, errsz);
	actviz_cnumeric_end(&saved);
	return rc;
}
