/*
 * Tests for the seeded generator and the initializers: published
 * reference outputs, golden values, the portable logarithm, and the range
 * and spread of every initializer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "util.h"

#define NDRAWS	200000

static const struct actviz_init *
find(const char *name)
{
	const struct actviz_init	*init = actviz_init_find(name);

	if (init == NULL)
		fail_msg("initializer %s not found", name);
	return init;
}

/* The first splitmix64 outputs from state 0, the reference values. */
static void
seed_is_splitmix64(void **state)
{
	struct actviz_rng	rng;

	(void)state;
	actviz_rng_seed(&rng, 0);
	assert_int_equal(rng.s[0], 0xe220a8397b1dcdafULL);
	assert_int_equal(rng.s[1], 0x6e789e6aa1b965f4ULL);
	assert_int_equal(rng.s[2], 0x06c45d188009454fULL);
	assert_int_equal(rng.s[3], 0xf88bb8a8724c81ecULL);
}

/*
 * Outputs of the reference xoshiro256** from state {1, 2, 3, 4}, the
 * vector that ports such as the rand_xoshiro crate test against.
 */
static void
next_is_xoshiro256ss(void **state)
{
	static const uint64_t	 want[] = {
		11520ULL, 0ULL, 1509978240ULL, 1215971899390074240ULL,
		1216172134540287360ULL, 607988272756665600ULL,
		16172922978634559625ULL, 8476171486693032832ULL,
		10595114339597558777ULL, 2904607092377533576ULL,
	};
	struct actviz_rng	 rng = { { 1, 2, 3, 4 } };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(actviz_rng_next(&rng), want[i]);
}

/*
 * Golden values for seed 0 from this implementation.  A Python
 * transcription of the same algorithms, using the platform's log,
 * produced the same bits for the normal deviates.
 */
static void
seed_zero_golden(void **state)
{
	struct actviz_rng	rng;

	(void)state;
	actviz_rng_seed(&rng, 0);
	assert_int_equal(actviz_rng_next(&rng), 0x99ec5f36cb75f2b4ULL);
	assert_int_equal(actviz_rng_next(&rng), 0xbf6e1f784956452aULL);
	assert_int_equal(actviz_rng_next(&rng), 0x1a5f849d4933e6e0ULL);
	assert_int_equal(actviz_rng_next(&rng), 0x6aa594f1262d2d2cULL);

	actviz_rng_seed(&rng, 0);
	assert_true(actviz_rng_uniform(&rng) == 0x1.33d8be6d96ebep-1);
	assert_true(actviz_rng_uniform(&rng) == 0x1.7edc3ef092ac8p-1);
	assert_true(actviz_rng_uniform(&rng) == 0x1.a5f849d4933ep-4);

	actviz_rng_seed(&rng, 0);
	assert_true(actviz_rng_normal(&rng) == 0x1.323a82a4bc9e5p-1);
	assert_true(actviz_rng_normal(&rng) == -0x1.ca445408b789ap-1);
	assert_true(actviz_rng_normal(&rng) == -0x1.3532999190f0ap+1);
}

static void
uniform_range(void **state)
{
	struct actviz_rng	rng;
	double			u, min = 1.0, max = 0.0, sum = 0.0;
	int			i;

	(void)state;
	actviz_rng_seed(&rng, 7);
	for (i = 0; i < NDRAWS; i++) {
		u = actviz_rng_uniform(&rng);
		assert_true(u >= 0.0);
		assert_true(u < 1.0);
		/* 53 random bits: u * 2^53 is an integer. */
		assert_true(ldexp(u, 53) == floor(ldexp(u, 53)));
		min = fmin(min, u);
		max = fmax(max, u);
		sum += u;
	}
	assert_true(min < 1e-4);
	assert_true(max > 1.0 - 1e-4);
	tu_assert_near(sum / NDRAWS, 0.5, 0.005);
}

/*
 * Mean 0 and variance 1 within about five standard errors, and the share
 * beyond two standard deviations near the expected 4.55 %.
 */
static void
normal_moments(void **state)
{
	struct actviz_rng	rng;
	double			z, sum = 0.0, sum2 = 0.0, mean;
	int			i, tails = 0;

	(void)state;
	actviz_rng_seed(&rng, 11);
	for (i = 0; i < NDRAWS; i++) {
		z = actviz_rng_normal(&rng);
		assert_true(isfinite(z));
		sum += z;
		sum2 += z * z;
		if (fabs(z) > 2.0)
			tails++;
	}
	mean = sum / NDRAWS;
	tu_assert_near(mean, 0.0, 0.012);
	tu_assert_near(sum2 / NDRAWS - mean * mean, 1.0, 0.016);
	tu_assert_near((double)tails / NDRAWS, 0.0455, 0.0025);
}

static void
log_accuracy(void **state)
{
	struct actviz_rng	rng;
	double			x, got, want;
	int			i;

	(void)state;
	actviz_rng_seed(&rng, 3);
	for (i = 0; i < 3 * NDRAWS; i++) {
		if (i % 3 == 0)
			x = ldexp(0.5 + actviz_rng_uniform(&rng),
			    (int)(actviz_rng_next(&rng) % 2098) - 1074);
		else if (i % 3 == 1)
			x = 1.0 + (actviz_rng_uniform(&rng) - 0.5) * 1e-3;
		else
			x = actviz_rng_uniform(&rng);
		if (x == 0.0)
			continue;
		got = actviz_rng_log(x);
		want = log(x);
		if (!(fabs(got - want) <= 1e-15 * fabs(want)))
			fail_msg("log(%a) = %.17g, libm %.17g", x, got, want);
	}
}

static void
log_special_values(void **state)
{
	(void)state;
	assert_true(actviz_rng_log(1.0) == 0.0);
	tu_assert_near(actviz_rng_log(2.0), log(2.0), 0.0);
	tu_assert_near(actviz_rng_log(DBL_MAX), log(DBL_MAX), 1e-15 * 710);
	tu_assert_near(actviz_rng_log(0x1p-1074), log(0x1p-1074), 1e-15 * 745);
	assert_true(isinf(actviz_rng_log(0.0)));
	assert_true(actviz_rng_log(0.0) < 0.0);
	assert_true(isnan(actviz_rng_log(-1.0)));
	assert_true(isnan(actviz_rng_log(NAN)));
	assert_true(isinf(actviz_rng_log(INFINITY)));
}

static void
find_initializers(void **state)
{
	static const char *const names[] = {
		"zeros", "ones", "lecun_uniform", "glorot_uniform",
		"he_uniform", "lecun_normal", "glorot_normal", "he_normal",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_non_null(actviz_init_find(names[i]));
		assert_string_equal(find(names[i])->name, names[i]);
		assert_non_null(find(names[i])->dist);
	}
	assert_null(actviz_init_find("uniform"));
	assert_null(actviz_init_find("He_uniform"));
	assert_null(actviz_init_find(""));
	assert_null(actviz_init_find(NULL));
}

/* Constants fill every weight and leave the generator untouched. */
static void
constants(void **state)
{
	struct actviz_rng	rng, before;
	double			w[5];
	size_t			i;

	(void)state;
	actviz_rng_seed(&rng, 5);
	before = rng;
	assert_int_equal(find("zeros")->fill(w, 5, 2, 3, &rng), 0);
	for (i = 0; i < 5; i++)
		assert_true(w[i] == 0.0);
	assert_int_equal(find("ones")->fill(w, 5, 2, 3, &rng), 0);
	for (i = 0; i < 5; i++)
		assert_true(w[i] == 1.0);
	assert_memory_equal(&rng, &before, sizeof(rng));
}

/* Checks n uniform weights lie in [-limit, limit] and reach both ends. */
static void
check_uniform(const char *name, size_t fan_in, size_t fan_out,
    double limit)
{
	struct actviz_rng	 rng;
	double			*w, min = 0.0, max = 0.0;
	size_t			 i;

	w = malloc(NDRAWS * sizeof(*w));
	assert_non_null(w);
	actviz_rng_seed(&rng, 13);
	assert_int_equal(find(name)->fill(w, NDRAWS, fan_in, fan_out, &rng),
	    0);
	for (i = 0; i < NDRAWS; i++) {
		if (!(w[i] >= -limit && w[i] <= limit))
			fail_msg("%s: w[%zu] = %g outside +-%g", name, i, w[i],
			    limit);
		min = fmin(min, w[i]);
		max = fmax(max, w[i]);
	}
	assert_true(min < -0.999 * limit);
	assert_true(max > 0.999 * limit);
	free(w);
}

static void
uniform_ranges(void **state)
{
	(void)state;
	check_uniform("lecun_uniform", 3, 5, sqrt(3.0 / 3.0));
	check_uniform("he_uniform", 3, 5, sqrt(6.0 / 3.0));
	check_uniform("glorot_uniform", 3, 5, sqrt(6.0 / 8.0));
	check_uniform("glorot_uniform", 1, 1, sqrt(3.0));
}

/*
 * Checks that weights stay within two stddev and come near that bound,
 * and that their spread is 0.8796 stddev, the standard deviation of a
 * normal truncated at two standard deviations without correction.
 */
static void
check_truncated(const char *name, size_t fan_in, size_t fan_out,
    double stddev)
{
	struct actviz_rng	 rng;
	double			*w, max = 0.0, sum = 0.0, sum2 = 0.0, sd;
	size_t			 i;

	w = malloc(NDRAWS * sizeof(*w));
	assert_non_null(w);
	actviz_rng_seed(&rng, 17);
	assert_int_equal(find(name)->fill(w, NDRAWS, fan_in, fan_out, &rng),
	    0);
	for (i = 0; i < NDRAWS; i++) {
		if (!(fabs(w[i]) <= 2.0 * stddev))
			fail_msg("%s: w[%zu] = %g beyond 2 * %g", name, i,
			    w[i], stddev);
		max = fmax(max, fabs(w[i]));
		sum += w[i];
		sum2 += w[i] * w[i];
	}
	sd = sqrt(sum2 / NDRAWS - (sum / NDRAWS) * (sum / NDRAWS));
	assert_true(max > 0.999 * 2.0 * stddev);
	tu_assert_near(sum / NDRAWS, 0.0, 0.01 * stddev);
	tu_assert_near(sd / stddev, 0.8796, 0.01);
	free(w);
}

static void
truncated_ranges(void **state)
{
	(void)state;
	check_truncated("lecun_normal", 4, 7, sqrt(1.0 / 4.0));
	check_truncated("lecun_normal", 1, 1, 1.0);
	check_truncated("he_normal", 4, 7, sqrt(2.0 / 4.0));
	check_truncated("glorot_normal", 4, 7, sqrt(2.0 / 11.0));
}

static void
zero_fan_rejected(void **state)
{
	static const char *const names[] = {
		"zeros", "ones", "lecun_uniform", "glorot_uniform",
		"he_uniform", "lecun_normal", "glorot_normal", "he_normal",
	};
	struct actviz_rng	 rng;
	double			 w[4];
	size_t			 i;

	(void)state;
	actviz_rng_seed(&rng, 1);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		errno = 0;
		assert_int_equal(find(names[i])->fill(w, 4, 0, 2, &rng), -1);
		assert_int_equal(errno, EINVAL);
		errno = 0;
		assert_int_equal(find(names[i])->fill(w, 4, 2, 0, &rng), -1);
		assert_int_equal(errno, EINVAL);
	}
}

static void
fill_into(const char *name, uint64_t seed, double *w, size_t n)
{
	struct actviz_rng	rng;

	actviz_rng_seed(&rng, seed);
	assert_int_equal(find(name)->fill(w, n, 8, 4, &rng), 0);
}

static void
same_seed_same_weights(void **state)
{
	static const char *const names[] = {
		"he_uniform", "glorot_uniform", "lecun_normal", "he_normal",
	};
	double	a[64], b[64];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fill_into(names[i], 42, a, 64);
		fill_into(names[i], 42, b, 64);
		assert_memory_equal(a, b, sizeof(a));
	}
}

static void
different_seeds_differ(void **state)
{
	double	a[64], b[64], c[64];

	(void)state;
	fill_into("he_uniform", 0, a, 64);
	fill_into("he_uniform", 1, b, 64);
	fill_into("he_uniform", 2, c, 64);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(b, c, sizeof(b));
	fill_into("lecun_normal", 1, a, 64);
	fill_into("lecun_normal", 2, b, 64);
	assert_memory_not_equal(a, b, sizeof(a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_is_splitmix64),
		cmocka_unit_test(next_is_xoshiro256ss),
		cmocka_unit_test(seed_zero_golden),
		cmocka_unit_test(uniform_range),
		cmocka_unit_test(normal_moments),
		cmocka_unit_test(log_accuracy),
		cmocka_unit_test(log_special_values),
		cmocka_unit_test(find_initializers),
		cmocka_unit_test(constants),
		cmocka_unit_test(uniform_ranges),
		cmocka_unit_test(truncated_ranges),
		cmocka_unit_test(zero_fan_rejected),
		cmocka_unit_test(same_seed_same_weights),
		cmocka_unit_test(different_seeds_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
