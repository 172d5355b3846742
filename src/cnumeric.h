/*
 * Numbers in the C locale: the core reads and writes numbers with
 * strtod() and printf(), which follow LC_NUMERIC.  A program that calls
 * setlocale() with a locale whose decimal point is a comma must still
 * get "0.5" in weight files and parse "alpha=0.5".
 */
#ifndef ACTVIZ_CNUMERIC_H
#define ACTVIZ_CNUMERIC_H

#include <locale.h>

struct actviz_cnumeric {
	locale_t	 c;	/* the C locale made for this switch, or 0 */
	locale_t	 old;	/* the thread's locale before it */
};

/* Switches the calling thread to C-locale numbers until
 * actviz_cnumeric_end().  If no C locale can be made, nothing changes. */
void	 actviz_cnumeric_begin(struct actviz_cnumeric *saved);

/* Restores the thread's locale saved by actviz_cnumeric_begin(). */
void	 actviz_cnumeric_end(struct actviz_cnumeric *saved);

#endif
