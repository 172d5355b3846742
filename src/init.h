/*
 * Seeded random generator and Keras 2.0/2.1 weight initializers.  The
 * generator uses only integer arithmetic and correctly rounded double
 * operations, so one seed gives the same weights on every machine and
 * C library with IEEE double arithmetic.
 */
#ifndef ACTVIZ_INIT_H
#define ACTVIZ_INIT_H

#include <stddef.h>
#include <stdint.h>

/* xoshiro256** state, seeded through splitmix64. */
struct actviz_rng {
	uint64_t	s[4];
};

/* Seeds rng from seed; every seed, 0 included, gives a usable state. */
void		 actviz_rng_seed(struct actviz_rng *rng, uint64_t seed);

/* Returns the next 64 random bits. */
uint64_t	 actviz_rng_next(struct actviz_rng *rng);

/* Returns a uniform double in [0, 1) with 53 random bits. */
double		 actviz_rng_uniform(struct actviz_rng *rng);

/* Returns a standard normal deviate (Marsaglia's polar method). */
double		 actviz_rng_normal(struct actviz_rng *rng);

/*
 * Returns the natural logarithm of x.  It uses only frexp and + - * /, so
 * the normal deviates built on it are the same bits with every C library.
 * Returns -HUGE_VAL for 0, NAN for a negative x or NaN, and x for +inf.
 */
double		 actviz_rng_log(double x);

/*
 * One initializer.  fill() writes n weights for a layer with the given
 * fan-in and fan-out, drawing from rng.  It returns 0, or -1 with errno
 * set to EINVAL when a fan is zero.
 */
struct actviz_init {
	const char	*name;		/* Keras name, e.g. "he_uniform" */
	const char	*dist;		/* distribution, for --list and docs */
	int		(*fill)(double *w, size_t n, size_t fan_in,
			    size_t fan_out, struct actviz_rng *rng);
	int		 keras;		/* 2 or 3: the version this row
					   follows, or 0 for both */
};

/* Finds a Keras 2 initializer by name; NULL when there is none. */
const struct actviz_init	*actviz_init_find(const char *name);

/* Finds an initializer by name as Keras major version keras (2 or 3)
 * draws it; NULL for an unknown name or version. */
const struct actviz_init	*actviz_init_lookup(const char *name,
				    int keras);

#endif
