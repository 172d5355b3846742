/*
 * actviz model core: the public header of libactviz.a.
 *
 * A small Keras-style engine, one header per part:
 *   act.h      activations with derivatives and parameters
 *   init.h     a seeded generator and weight initializers
 *   model.h    sequential Dense models, forward and backward passes
 *   train.h    SGD training on mean squared error
 *   weights.h  JSON weight files
 *   recipe.h   the classic recipe's two-layer model and its curves
 *
 * Link with libactviz.a, json-c and libm:
 *
 *	cc prog.c -Isrc libactviz.a $(pkg-config --libs json-c) -lm
 *
 * The core reads and writes numbers in the C locale, whatever locale
 * the program selects.
 *
 * Conventions: nothing in the core prints or exits.  A function that
 * can fail returns -1 (NULL for constructors) and sets errno.  The
 * weight-file and activation parsers also write a one-line message to
 * a caller's buffer.  Numbers are doubles.  Sums run in a fixed order,
 * and the core must be compiled with -ffp-contract=off, so results do
 * not change with the target CPU.
 *
 * Example: read the Hidden layer of the recipe's sigmoid model.
 *
 *	struct actviz_weights w;
 *	struct actviz_model *m;
 *	double x[3] = { -1, 0, 1 }, y[3];
 *
 *	actviz_weights_defaults(&w);
 *	m = actviz_recipe_model(actviz_act_find("sigmoid"), &w);
 *	if (m == NULL || actviz_model_layer_output(m, "Hidden", x, 3, y)) {
 *		perror("sigmoid");
 *		return 1;
 *	}
 *	actviz_model_free(m);
 */
#ifndef ACTVIZ_H
#define ACTVIZ_H

#include "act.h"
#include "init.h"
#include "model.h"
#include "recipe.h"
#include "train.h"
#include "weights.h"

#endif
