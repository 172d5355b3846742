/*
 * Per-thread switch to C-locale numbers with POSIX uselocale(), which
 * leaves other threads and the program's global locale alone.
 */
#include <locale.h>

#include "cnumeric.h"

void
actviz_cnumeric_begin(struct actviz_cnumeric *saved)
{
	saved->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	saved->old = saved->c != (locale_t)0 ? uselocale(saved->c) :
	    (locale_t)0;
}

void
actviz_cnumeric_end(struct actviz_cnumeric *saved)
{
	if (saved->c == (locale_t)0)
		return;
	uselocale(saved->old);
	freelocale(saved->c);
}
