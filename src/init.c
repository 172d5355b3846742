/*
 * Seeded generator and weight initializers.  xoshiro256** (Blackman and
 * Vigna) gives the bits, seeded through splitmix64.  Normal deviates use
 * only frexp, sqrt and + - * /, which IEEE 754 makes exact or correctly
 * rounded, so one seed gives the same weights with any C library.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "init.h"

/*
 * ln 2 split so that e * LN2_HI is exact for every binary exponent e of a
 * double (LN2_HI has 33 significant bits, e at most 11), and LN2_LO is
 * the rest rounded to double.
 */
#define LN2_HI		0x1.62e42fefp-1
#define LN2_LO		0x1.473de6af278edp-34
#define SQRT_HALF	0.70710678118654752440

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	z;

	*state += 0x9e3779b97f4a7c15;
	z = *state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/*
 * splitmix64 is a bijection of its counter, so at most one of the four
 * words can be zero and the state is never all zero.
 */
void
actviz_rng_seed(struct actviz_rng *rng, uint64_t seed)
{
	uint64_t	state = seed;
	size_t		i;

	for (i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&state);
}

uint64_t
actviz_rng_next(struct actviz_rng *rng)
{
	uint64_t	*s = rng->s;
	uint64_t	 result, t;

	result = rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
actviz_rng_uniform(struct actviz_rng *rng)
{
	return (double)(actviz_rng_next(rng) >> 11) * 0x1.0p-53;
}

/*
 * With x = m * 2^e and m in [sqrt(1/2), sqrt(2)), let f = m - 1 (exact)
 * and s = f / (2 + f), so |s| < 0.172 and
 *     ln m = 2s + 2s^3/3 + 2s^5/5 + ... = f - s * (f - T),
 *     T = 2s^2 * (1/3 + s^2/5 + s^4/7 + ...).
 * Writing ln m around the exact f keeps the rounding of s in a term
 * at most 0.172 times as large.  The series stops at the 2s^23/23 term,
 * because the first omitted one is below 1e-19 of ln m.
 */
double
actviz_rng_log(double x)
{
	double	m, f, s, s2, p, t;
	int	e, k;

	if (isnan(x) || x < 0.0)
		return NAN;
	if (x == 0.0)
		return -HUGE_VAL;
	if (isinf(x))
		return x;

	m = frexp(x, &e);
	if (m < SQRT_HALF) {
		m *= 2.0;
		e--;
	}
	f = m - 1.0;
	s = f / (2.0 + f);
	s2 = s * s;

	p = 0.0;
	for (k = 23; k >= 3; k -= 2)
		p = 1.0 / k + s2 * p;
	t = 2.0 * s2 * p;

	return e * LN2_HI + (f - (s * (f - t) - e * LN2_LO));
}

/*
 * Draws a point uniformly in the unit disc (rejecting the centre) and
 * scales one coordinate.  The polar method also yields a second deviate,
 * which is discarded because struct actviz_rng has no room to keep it.
 * So every value depends only on the generator state.
 */
double
actviz_rng_normal(struct actviz_rng *rng)
{
	double	v1, v2, s;

	do {
		v1 = 2.0 * actviz_rng_uniform(rng) - 1.0;
		v2 = 2.0 * actviz_rng_uniform(rng) - 1.0;
		s = v1 * v1 + v2 * v2;
	} while (s >= 1.0 || s == 0.0);

	return v1 * sqrt(-2.0 * actviz_rng_log(s) / s);
}

/* Rejects what every initializer rejects.  Constants accept a NULL rng. */
static int
check_args(const double *w, size_t n, size_t fan_in, size_t fan_out)
{
	if (fan_in == 0 || fan_out == 0 || (w == NULL && n > 0)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
fill_constant(double *w, size_t n, size_t fan_in, size_t fan_out,
    double value)
{
	size_t	i;

	if (check_args(w, n, fan_in, fan_out) == -1)
		return -1;
	for (i = 0; i < n; i++)
		w[i] = value;
	return 0;
}

/*
 * U(-limit, limit), drawn as minval + (maxval - minval) * u as Keras does.
 * Rounding can make a value equal to limit itself.
 */
static int
fill_uniform(double *w, size_t n, size_t fan_in, size_t fan_out,
    double limit, struct actviz_rng *rng)
{
	size_t	i;

	if (check_args(w, n, fan_in, fan_out) == -1)
		return -1;
	if (rng == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++)
		w[i] = -limit + (limit - -limit) * actviz_rng_uniform(rng);
	return 0;
}

/*
 * N(0, stddev^2) truncated as TensorFlow's truncated_normal does it, by
 * drawing again any deviate beyond two standard deviations.  Keras 2.0
 * and 2.1 used stddev as given, as this code does.  Later versions
 * divide it by 0.8796 to make up for the variance lost to truncation.
 */
static int
fill_truncated(double *w, size_t n, size_t fan_in, size_t fan_out,
    double stddev, struct actviz_rng *rng)
{
	double	z;
	size_t	i;

	if (check_args(w, n, fan_in, fan_out) == -1)
		return -1;
	if (rng == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		do {
			z = actviz_rng_normal(rng);
		} while (z < -2.0 || z > 2.0);
		w[i] = stddev * z;
	}
	return 0;
}

/* Constant 0, the Keras default for biases. */
static int
zeros(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	(void)rng;
	return fill_constant(w, n, fan_in, fan_out, 0.0);
}

/* Constant 1. */
static int
ones(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	(void)rng;
	return fill_constant(w, n, fan_in, fan_out, 1.0);
}

/* Uniform between -sqrt(3 / fan_in) and sqrt(3 / fan_in). */
static int
lecun_uniform(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	limit = sqrt(3.0 / (double)fan_in);

	return fill_uniform(w, n, fan_in, fan_out, limit, rng);
}

/* Uniform between -sqrt(6 / fan_in) and sqrt(6 / fan_in). */
static int
he_uniform(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	limit = sqrt(6.0 / (double)fan_in);

	return fill_uniform(w, n, fan_in, fan_out, limit, rng);
}

/* Uniform between -L and L, L = sqrt(6 / (fan_in + fan_out)). */
static int
glorot_uniform(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	limit = sqrt(6.0 / ((double)fan_in + (double)fan_out));

	return fill_uniform(w, n, fan_in, fan_out, limit, rng);
}

/* Normal, stddev sqrt(1 / fan_in), truncated at two stddev. */
static int
lecun_normal(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	stddev = sqrt(1.0 / (double)fan_in);

	return fill_truncated(w, n, fan_in, fan_out, stddev, rng);
}

/* Normal, stddev sqrt(2 / fan_in), truncated at two stddev. */
static int
he_normal(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	stddev = sqrt(2.0 / (double)fan_in);

	return fill_truncated(w, n, fan_in, fan_out, stddev, rng);
}

/* Normal, stddev sqrt(2 / (fan_in + fan_out)), truncated at two stddev. */
static int
glorot_normal(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	stddev = sqrt(2.0 / ((double)fan_in + (double)fan_out));

	return fill_truncated(w, n, fan_in, fan_out, stddev, rng);
}

/*
 * Keras 3's VarianceScaling gives the stddev "after truncation": it
 * divides by 0.87962566103423978, the standard deviation of a unit
 * normal truncated to [-2, 2], so the weights' variance is the intended
 * one.  Keras 2.0 and 2.1 did not.
 */
#define TRUNCATION_STDDEV	0.87962566103423978

/* Normal, stddev sqrt(1 / fan_in) / 0.8796, truncated at two stddev. */
static int
lecun_normal3(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	stddev = sqrt(1.0 / (double)fan_in) / TRUNCATION_STDDEV;

	return fill_truncated(w, n, fan_in, fan_out, stddev, rng);
}

/* Normal, stddev sqrt(2 / fan_in) / 0.8796, truncated at two stddev. */
static int
he_normal3(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	stddev = sqrt(2.0 / (double)fan_in) / TRUNCATION_STDDEV;

	return fill_truncated(w, n, fan_in, fan_out, stddev, rng);
}

/* Normal, stddev sqrt(2 / (fan_in + fan_out)) / 0.8796, truncated at two
 * stddev. */
static int
glorot_normal3(double *w, size_t n, size_t fan_in, size_t fan_out,
    struct actviz_rng *rng)
{
	double	stddev = sqrt(2.0 / ((double)fan_in + (double)fan_out)) /
	    TRUNCATION_STDDEV;

	return fill_truncated(w, n, fan_in, fan_out, stddev, rng);
}

static const struct actviz_init inits[] = {
	{ "zeros", "constant 0", zeros, 0 },
	{ "ones", "constant 1", ones, 0 },
	{ "lecun_uniform", "U(-sqrt(3 / fan_in), sqrt(3 / fan_in))",
	    lecun_uniform, 0 },
	{ "glorot_uniform",
	    "U(-sqrt(6 / (fan_in + fan_out)), sqrt(6 / (fan_in + fan_out)))",
	    glorot_uniform, 0 },
	{ "he_uniform", "U(-sqrt(6 / fan_in), sqrt(6 / fan_in))",
	    he_uniform, 0 },
	{ "lecun_normal", "N(0, 1 / fan_in) truncated at 2 stddev",
	    lecun_normal, 2 },
	{ "glorot_normal",
	    "N(0, 2 / (fan_in + fan_out)) truncated at 2 stddev",
	    glorot_normal, 2 },
	{ "he_normal", "N(0, 2 / fan_in) truncated at 2 stddev", he_normal,
	    2 },
	{ "lecun_normal",
	    "N(0, (1 / fan_in) / 0.8796^2) truncated at 2 stddev",
	    lecun_normal3, 3 },
	{ "glorot_normal",
	    "N(0, (2 / (fan_in + fan_out)) / 0.8796^2) truncated at 2 stddev",
	    glorot_normal3, 3 },
	{ "he_normal", "N(0, (2 / fan_in) / 0.8796^2) truncated at 2 stddev",
	    he_normal3, 3 },
};

#define NINITS	(sizeof(inits) / sizeof(inits[0]))

const struct actviz_init *
actviz_init_lookup(const char *name, int keras)
{
	size_t	i;

	if (name == NULL || (keras != 2 && keras != 3))
		return NULL;
	for (i = 0; i < NINITS; i++)
		if (strcmp(inits[i].name, name) == 0 &&
		    (inits[i].keras == 0 || inits[i].keras == keras))
			return &inits[i];
	return NULL;
}

const struct actviz_init *
actviz_init_find(const char *name)
{
	return actviz_init_lookup(name, 2);
}
