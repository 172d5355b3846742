/*
 * CSV export of computed curves: a header "x,<name>,..." in plotted
 * order, then one row per sample.
 */
#ifndef ACTVIZ_DATA_H
#define ACTVIZ_DATA_H

#include "output.h"
#include "recipe.h"

/*
 * Writes curves to out as CSV with 12 significant digits and "." as
 * the decimal separator in every locale.  Returns 0, or -1 with errno
 * from the failed write.
 */
int	 actviz_data_write(struct actviz_output *out,
	    const struct actviz_curves *curves);

#endif
