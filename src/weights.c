/*
 * JSON weight files through json-c.  Loading runs twice over the
 * document: a first pass checks every name, shape and number, and only
 * then a second pass copies the values, so a bad file changes nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cnumeric.h"
#include "weights.h"

#define WEIGHTS_MAX_BYTES	(64 << 20)

/* State of one load: the file, the message buffer and the pass. */
struct load {
	const char	*path;
	char		*err;
	size_t		 errsz;
	int		 apply;		/* 0: check only, 1: copy values */
};

static int
fail(struct load *ld, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;

	len = snprintf(ld->err, ld->errsz, "%s: ", ld->path);
	if (len < 0 || (size_t)len >= ld->errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ld->err + len, ld->errsz - (size_t)len, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Returns a JSON number holding v in the fewest significant digits
 * (15 to 17) that read back as exactly v, so 0.1 is written "0.1".
 */
static json_object *
number_to_json(double v)
{
	char	 buf[32];
	int	 digits;

	for (digits = 15; digits < 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	snprintf(buf, sizeof(buf), "%.*g", digits, v);
	/* Keep a decimal point so readers see a real number. */
	if (strpbrk(buf, ".eE") == NULL)
		strcat(buf, ".0");
	return json_object_new_double_s(v, buf);
}

static json_object *
dense_to_json(const struct actviz_dense *layer)
{
	json_object	*obj, *kernel, *row, *bias;
	size_t		 i, j;

	obj = json_object_new_object();
	kernel = json_object_new_array();
	bias = json_object_new_array();
	for (i = 0; i < layer->inputs; i++) {
		row = json_object_new_array();
		for (j = 0; j < layer->units; j++)
			json_object_array_add(row, number_to_json(
			    layer->kernel[i * layer->units + j]));
		json_object_array_add(kernel, row);
	}
	for (j = 0; j < layer->units; j++)
		json_object_array_add(bias, number_to_json(layer->bias[j]));
	json_object_object_add(obj, "kernel", kernel);
	json_object_object_add(obj, "bias", bias);
	return obj;
}

static json_object *
model_to_json(const struct actviz_model *model)
{
	json_object	*obj;
	size_t		 l;

	obj = json_object_new_object();
	for (l = 0; l < model->nlayers; l++)
		json_object_object_add(obj, model->layers[l].name,
		    dense_to_json(&model->layers[l]));
	return obj;
}

static char *
to_json(struct actviz_model *const *models, const char *const *names,
    size_t n)
{
	json_object	*root;
	const char	*text;
	char		*copy;
	size_t		 i;

	if (n == 1)
		root = model_to_json(models[0]);
	else {
		root = json_object_new_object();
		for (i = 0; i < n; i++)
			json_object_object_add(root, names[i],
			    model_to_json(models[i]));
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	copy = text != NULL ? malloc(strlen(text) + 2) : NULL;
	if (copy != NULL)
		sprintf(copy, "%s\n", text);
	json_object_put(root);
	if (copy == NULL)
		errno = ENOMEM;
	return copy;
}

/* Formats a field name such as "Hidden.kernel[0][1]" into buf; a name
 * too long for buf is cut short, which only shortens messages. */
static void
field_name(char *buf, size_t bufsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, bufsz, fmt, ap);
	va_end(ap);
}

/* Reads a finite number from obj into *v (when applying); field names
 * the value in messages. */
static int
load_number(struct load *ld, json_object *obj, const char *field,
    double *v)
{
	double	 d;

	if (!json_object_is_type(obj, json_type_double) &&
	    !json_object_is_type(obj, json_type_int))
		return fail(ld, "%s: expected a number", field);
	/*
	 * json-c keeps integers in 64 bits and clamps larger ones without
	 * a word, so integers past 2^53 (where doubles stop being exact)
	 * are refused rather than silently changed.
	 */
	if (json_object_is_type(obj, json_type_int) &&
	    (json_object_get_int64(obj) > (1LL << 53) ||
	    json_object_get_int64(obj) < -(1LL << 53)))
		return fail(ld, "%s: integer too large to read exactly; write "
		    "it with an exponent, such as 1.5e20", field);
	d = json_object_get_double(obj);
	if (!isfinite(d))
		return fail(ld, "%s: %s is not a finite number", field,
		    json_object_to_json_string(obj));
	if (ld->apply)
		*v = d;
	return 0;
}

/* Reads an array of exactly n numbers into dst. */
static int
load_row(struct load *ld, json_object *arr, size_t n, double *dst,
    const char *field)
{
	char	 name[256];
	size_t	 i;

	if (!json_object_is_type(arr, json_type_array))
		return fail(ld, "%s: expected an array of %zu number%s",
		    field, n, n == 1 ? "" : "s");
	if (json_object_array_length(arr) != n)
		return fail(ld, "%s: expected %zu number%s, found %zu", field,
		    n, n == 1 ? "" : "s", json_object_array_length(arr));
	for (i = 0; i < n; i++) {
		field_name(name, sizeof(name), "%s[%zu]", field, i);
		if (load_number(ld, json_object_array_get_idx(arr, i), name,
		    dst + i) == -1)
			return -1;
	}
	return 0;
}

static int
load_kernel(struct load *ld, json_object *arr, struct actviz_dense *layer,
    const char *field)
{
	char	 name[256];
	size_t	 i;

	if (!json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) != layer->inputs)
		return fail(ld, "%s: expected %zu row%s (one per input) of %zu "
		    "number%s (one per unit)", field, layer->inputs,
		    layer->inputs == 1 ? "" : "s", layer->units,
		    layer->units == 1 ? "" : "s");
	for (i = 0; i < layer->inputs; i++) {
		field_name(name, sizeof(name), "%s[%zu]", field, i);
		if (load_row(ld, json_object_array_get_idx(arr, i),
		    layer->units, layer->kernel + i * layer->units,
		    name) == -1)
			return -1;
	}
	return 0;
}

static int
load_layer(struct load *ld, json_object *obj, struct actviz_dense *layer,
    const char *prefix)
{
	char		 field[256];
	json_object	*kernel, *bias;

	if (!json_object_is_type(obj, json_type_object))
		return fail(ld, "%s: expected an object with \"kernel\" and "
		    "\"bias\"", prefix);
	json_object_object_foreach(obj, key, value) {
		(void)value;
		if (strcmp(key, "kernel") != 0 && strcmp(key, "bias") != 0)
			return fail(ld, "%s.%.100s: unknown field (a layer has "
			    "\"kernel\" and \"bias\")", prefix, key);
	}
	if (!json_object_object_get_ex(obj, "kernel", &kernel))
		return fail(ld, "%s: missing \"kernel\"", prefix);
	if (!json_object_object_get_ex(obj, "bias", &bias))
		return fail(ld, "%s: missing \"bias\"", prefix);
	field_name(field, sizeof(field), "%s.kernel", prefix);
	if (load_kernel(ld, kernel, layer, field) == -1)
		return -1;
	field_name(field, sizeof(field), "%s.bias", prefix);
	return load_row(ld, bias, layer->units, layer->bias, field);
}

/* Writes model's layer names, comma-separated, into buf. */
static void
layer_names(const struct actviz_model *model, char *buf, size_t bufsz)
{
	size_t	 l, len = 0;

	buf[0] = '\0';
	for (l = 0; l < model->nlayers && len < bufsz; l++)
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%s",
		    l > 0 ? ", " : "", model->layers[l].name);
}

static int
load_model(struct load *ld, json_object *obj, struct actviz_model *model,
    const char *prefix)
{
	struct actviz_dense	*layer;
	char			 field[256], names[256];

	if (!json_object_is_type(obj, json_type_object))
		return fail(ld, "%s: expected an object keyed by layer name",
		    *prefix != '\0' ? prefix : "top level");
	json_object_object_foreach(obj, key, value) {
		field_name(field, sizeof(field), "%s%s%s", prefix,
		    *prefix != '\0' ? "." : "", key);
		if ((layer = actviz_model_layer(model, key)) == NULL) {
			layer_names(model, names, sizeof(names));
			return fail(ld, "%.100s: unknown layer (layers: %s)",
			    field, names);
		}
		if (load_layer(ld, value, layer, field) == -1)
			return -1;
	}
	return 0;
}

/* Finds the model named key, or returns -1. */
static int
model_index(const char *const *names, size_t n, const char *key,
    size_t *index)
{
	for (*index = 0; *index < n; (*index)++)
		if (names[*index] != NULL && strcmp(names[*index], key) == 0)
			return 0;
	return -1;
}

/* Checks or applies (per ld->apply) the whole document. */
static int
load_document(struct load *ld, json_object *root,
    struct actviz_model *const *models, const char *const *names, size_t n)
{
	char	 lnames[256];
	size_t	 i;
	int	 by_layer = 1;

	if (!json_object_is_type(root, json_type_object))
		return fail(ld, "top level: expected an object keyed by layer "
		    "or model name");
	json_object_object_foreach(root, first, unused) {
		(void)unused;
		by_layer = actviz_model_layer(models[0], first) != NULL;
		break;
	}
	if (by_layer) {
		for (i = 0; i < n; i++)
			if (load_model(ld, root, models[i], "") == -1)
				return -1;
		return 0;
	}
	json_object_object_foreach(root, key, value) {
		if (model_index(names, n, key, &i) == -1) {
			layer_names(models[0], lnames, sizeof(lnames));
			return fail(ld, "%.100s: neither a layer (%s) nor a "
			    "model in this figure", key, lnames);
		}
		if (load_model(ld, value, models[i], key) == -1)
			return -1;
	}
	return 0;
}

/* Reads path into a NUL-terminated buffer; NULL with the reason in ld. */
static char *
read_file(struct load *ld)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, got;

	if ((fp = fopen(ld->path, "rb")) == NULL) {
		fail(ld, "%s", strerror(errno));
		return NULL;
	}
	do {
		/* A weight file for a figure is a few kilobytes. */
		if (len > WEIGHTS_MAX_BYTES) {
			fail(ld, "larger than %d MiB; not a weight file",
			    WEIGHTS_MAX_BYTES >> 20);
			goto out;
		}
		if (len + 4096 + 1 > cap) {
			char *grown = realloc(buf, cap = 2 * cap + 8192);

			if (grown == NULL) {
				fail(ld, "%s", strerror(ENOMEM));
				goto out;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len - 1, fp);
		len += got;
	} while (got > 0);
	if (ferror(fp)) {
		fail(ld, "%s", strerror(errno));
		goto out;
	}
	buf[len] = '\0';
	fclose(fp);
	if (strlen(buf) != len) {
		fail(ld, "contains a NUL byte at byte %zu; not a JSON text",
		    strlen(buf) + 1);
		free(buf);
		return NULL;
	}
	return buf;
out:
	free(buf);
	fclose(fp);
	return NULL;
}

/*
 * Returns the offset of the first single quote outside a JSON string,
 * or -1.  json-c 0.16 accepts 'single-quoted' strings even in strict
 * mode, and they are not JSON.
 */
static long
single_quote(const char *text)
{
	const char	*p;
	int		 in_string = 0;

	for (p = text; *p != '\0'; p++) {
		if (in_string && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			in_string = !in_string;
		else if (!in_string && *p == '\'')
			return (long)(p - text);
	}
	return -1;
}

static json_object *
parse_json(struct load *ld, const char *text)
{
	json_tokener		*tok;
	json_object		*root;
	enum json_tokener_error	 jerr;
	size_t			 end, len = strlen(text);
	long			 quote;

	if ((quote = single_quote(text)) >= 0) {
		fail(ld, "invalid JSON near byte %ld: single quotes; JSON "
		    "strings take double quotes", quote + 1);
		return NULL;
	}
	if ((tok = json_tokener_new()) == NULL) {
		fail(ld, "%s", strerror(ENOMEM));
		return NULL;
	}
	/* Plain JSON only: no comments, single quotes, trailing commas,
	 * leading zeros or NaN literals, and valid UTF-8. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		fail(ld, "invalid JSON near byte %zu: %s", end + 1,
		    json_tokener_error_desc(jerr));
		json_object_put(root);
		return NULL;
	}
	if (root == NULL) {
		/* A bare null parses to no object at all. */
		fail(ld, "top level: expected an object keyed by layer or "
		    "model name");
		return NULL;
	}
	/* The parse ends after the first value; only spaces may follow. */
	if (end < len)
		end += strspn(text + end, " \t\r\n");
	if (end < len) {
		fail(ld, "invalid JSON near byte %zu: text after the top-level "
		    "value", end + 1);
		json_object_put(root);
		return NULL;
	}
	return root;
}

static int
load(const char *path, struct actviz_model *const *models,
    const char *const *names, size_t n, char *err, size_t errsz)
{
	struct load	 ld = { path, err, errsz, 0 };
	json_object	*root;
	char		*text;
	int		 rc = -1;

	if (n == 0 || models == NULL) {
		snprintf(err, errsz, "%s: no model to load into", path);
		return -1;
	}
	if ((text = read_file(&ld)) == NULL)
		return -1;
	if ((root = parse_json(&ld, text)) != NULL &&
	    load_document(&ld, root, models, names, n) == 0) {
		ld.apply = 1;
		rc = load_document(&ld, root, models, names, n);
	}
	json_object_put(root);
	free(text);
	return rc;
}

char *
actviz_weights_to_json(struct actviz_model *const *models,
    const char *const *names, size_t n)
{
	struct actviz_cnumeric	 saved;
	char			*text;

	actviz_cnumeric_begin(&saved);
	text = to_json(models, names, n);
	actviz_cnumeric_end(&saved);
	return text;
}

int
actviz_weights_load(const char *path, struct actviz_model *const *models,
    const char *const *names, size_t n, char *err, size_t errsz)
{
	struct actviz_cnumeric	 saved;
	int			 rc;

	actviz_cnumeric_begin(&saved);
	rc = load(path, models, names, n, err, errsz);
	actviz_cnumeric_end(&saved);
	return rc;
}
