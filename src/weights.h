/*
 * Weight files: every layer's kernel and bias as JSON, read and written
 * with json-c.  A file for one model is an object keyed by layer name:
 *
 *	{ "Hidden": { "kernel": [[0.5]], "bias": [0.0] },
 *	  "Output": { "kernel": [[1.0]], "bias": [0.0] } }
 *
 * with the kernel as rows of inputs (inputs x units) as Keras stores
 * it.  A file for several models keys one such object by each model's
 * name: { "sigmoid": { "Hidden": ... }, "tanh": { ... } }.
 */
#ifndef ACTVIZ_WEIGHTS_H
#define ACTVIZ_WEIGHTS_H

#include <stddef.h>

#include "model.h"

/*
 * Returns the weights of the n models as a JSON text (one model: keyed
 * by layer name; several: keyed by names[i]), which the caller frees.
 * Returns NULL with errno ENOMEM.
 */
char	*actviz_weights_to_json(struct actviz_model *const *models,
	    const char *const *names, size_t n);

/*
 * Reads the JSON file path and sets the weights it lists.  A file keyed
 * by layer name applies to every model; one keyed by model name applies
 * to the models it names.  Layers and models the file omits keep their
 * weights.  The whole file is checked before any weight changes, so a
 * failure changes no model.  It returns -1 with a message in err that
 * names the file and the field.  Failures are unreadable or malformed
 * JSON, an unknown layer or model name, a wrong shape, and a value that
 * is not a finite number.
 */
int	 actviz_weights_load(const char *path,
	    struct actviz_model *const *models, const char *const *names,
	    size_t n, char *err, size_t errsz);

#endif
