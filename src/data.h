/*
 * CSV export of computed curves (a header "x,<name>,..." in plotted
 * order, then one row per sample) and of training histories.
 */
#ifndef ACTVIZ_DATA_H
#define ACTVIZ_DATA_H

#include "output.h"
#include "recipe.h"

/*
 * Writes curves to out as CSV with 12 significant digits and "." as
 * the decimal separator in every locale, curve j's column headed
 * names[j].  With derivative set, a column
 * d_<name> (dy/dx) follows each <name>.  Returns 0, or -1 with errno
 * from the failed write.
 */
int	 actviz_data_write(struct actviz_output *out,
	    const struct actviz_curves *curves, const char *const *names,
	    int derivative);

/*
 * Writes the training history as CSV: "epoch,loss" for one curve, or
 * "epoch,loss_<name>,..." for several, one row per epoch.
 */
int	 actviz_data_history(struct actviz_output *out,
	    const struct actviz_curves *curves, const char *const *names);

#endif
