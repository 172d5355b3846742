/*
 * Tests for JSON weight files: writing and reading back the same bits
 * in both file forms, the JSON layout, partial files, and every kind of
 * bad file.  A bad file must leave all weights as they were, and its
 * message must name the file and the field.  Each test writes only into
 * its own mkdtemp() folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <locale.h>
#include <sys/wait.h>

#include "act.h"
#include "model.h"
#include "util.h"
#include "weights.h"

#define ERR_SIZE	1024

struct fixture {
	const void	*param;			/* table row, or NULL */
	char		 root[PATH_MAX];	/* the test's mkdtemp folder */
	char		 path[PATH_MAX + 16];	/* root/w.json */
	char		 err[ERR_SIZE];		/* message from a load */
};

/*
 * Values that a short decimal form could get wrong: a signed zero, the
 * smallest subnormal, the largest double, values needing all 17
 * digits, and ones that are short in decimal but not in binary.
 */
static const double tricky[] = {
	0.1, -0.0, 5e-324, -DBL_MAX, 1.0 / 3.0, -2.5, 123456789.123,
	1e-20, 2.2250738585072014e-308, 0.30000000000000004, 1e300,
	-7.0, 0.7, 6.02214076e23, -1e-5, 4.0 / 3.0, 0.0,
};

#define NTRICKY	(sizeof(tricky) / sizeof(tricky[0]))

static int
setup(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->param = *state;
	if (tu_make_temp_dir(f->root, sizeof(f->root), "weights") == -1) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/w.json", f->root);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 rc;

	rc = tu_remove_tree(f->root);
	free(f);
	return rc;
}

static void
write_text(const char *path, const char *text)
{
	tu_write_file(path, text, strlen(text));
}

/*
 * 2 inputs -> Dense(3, tanh) "Hidden" -> Dense(2) "Output": 17
 * weights, filled from tricky[] starting at offset (0 leaves them 0).
 */
static struct actviz_model *
wide_model(size_t offset)
{
	struct actviz_model	*model = actviz_model_new(2);
	struct actviz_dense	*layer;
	size_t			 l, i, k = offset;

	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 3,
	    tu_act_find("tanh")), 0);
	assert_int_equal(actviz_model_add_dense(model, "Output", 2,
	    tu_act_find("linear")), 0);
	if (offset == 0)
		return model;
	for (l = 0; l < 2; l++) {
		layer = &model->layers[l];
		for (i = 0; i < layer->inputs * layer->units; i++)
			layer->kernel[i] = tricky[k++ % NTRICKY];
		for (i = 0; i < layer->units; i++)
			layer->bias[i] = tricky[k++ % NTRICKY];
	}
	return model;
}

/* Fails unless a and b (same shape) have the same bits in every weight. */
static void
expect_same_bits(const struct actviz_model *a, const struct actviz_model *b,
    const char *what)
{
	const struct actviz_dense	*la, *lb;
	size_t				 l;

	assert_int_equal(a->nlayers, b->nlayers);
	for (l = 0; l < a->nlayers; l++) {
		la = &a->layers[l];
		lb = &b->layers[l];
		if (memcmp(la->kernel, lb->kernel, la->inputs * la->units *
		    sizeof(double)) != 0)
			fail_msg("%s: %s.kernel differs", what, la->name);
		if (memcmp(la->bias, lb->bias, la->units * sizeof(double)) != 0)
			fail_msg("%s: %s.bias differs", what, la->name);
	}
}

/* Writes the JSON of the n models to f->path. */
static void
save(struct fixture *f, struct actviz_model *const *models,
    const char *const *names, size_t n)
{
	char	*json = actviz_weights_to_json(models, names, n);

	assert_non_null(json);
	write_text(f->path, json);
	free(json);
}

/* One model: keyed by layer name, read back into a zeroed model. */
static void
round_trip_layers(void **state)
{
	struct fixture		*f = *state;
	struct actviz_model	*saved = wide_model(1), *fresh = wide_model(0);
	const char		*names[1] = { "tanh" };

	save(f, &saved, names, 1);
	assert_int_equal(actviz_weights_load(f->path, &fresh, names, 1, f->err,
	    sizeof(f->err)), 0);
	expect_same_bits(fresh, saved, "layer-keyed");
	actviz_model_free(saved);
	actviz_model_free(fresh);
}

/*
 * Several models: keyed by model name.  Loading into the models in the
 * other order still gives each its own weights.
 */
static void
round_trip_models(void **state)
{
	struct fixture		*f = *state;
	struct actviz_model	*saved[2] = { wide_model(1), wide_model(5) };
	struct actviz_model	*fresh[2] = { wide_model(0), wide_model(0) };
	const char		*names[2] = { "first", "second" };
	const char		*swapped[2] = { "second", "first" };

	save(f, saved, names, 2);
	assert_int_equal(actviz_weights_load(f->path, fresh, swapped, 2,
	    f->err, sizeof(f->err)), 0);
	expect_same_bits(fresh[0], saved[1], "second");
	expect_same_bits(fresh[1], saved[0], "first");
	actviz_model_free(saved[0]);
	actviz_model_free(saved[1]);
	actviz_model_free(fresh[0]);
	actviz_model_free(fresh[1]);
}

/* Returns the member key of obj, failing when it is missing. */
static json_object *
member(json_object *obj, const char *key)
{
	json_object	*value;

	if (!json_object_object_get_ex(obj, key, &value))
		fail_msg("no \"%s\" in %s", key,
		    json_object_to_json_string(obj));
	return value;
}

/*
 * The text is JSON with "Hidden" and "Output", each with "kernel" as
 * rows of inputs ([[...], [...]]) and "bias" as a flat array.
 */
static void
json_layout(void **state)
{
	struct actviz_model	*model = wide_model(1);
	const char		*names[1] = { "tanh" };
	const struct actviz_dense *layer;
	json_object		*root, *obj, *kernel, *row, *bias;
	char			*text;
	size_t			 l, i, j;

	(void)state;
	text = actviz_weights_to_json(&model, names, 1);
	assert_non_null(text);
	root = json_tokener_parse(text);
	assert_non_null(root);
	assert_true(json_object_is_type(root, json_type_object));
	assert_int_equal(json_object_object_length(root), 2);
	for (l = 0; l < 2; l++) {
		layer = &model->layers[l];
		obj = member(root, layer->name);
		kernel = member(obj, "kernel");
		bias = member(obj, "bias");
		assert_int_equal(json_object_object_length(obj), 2);
		assert_true(json_object_is_type(kernel, json_type_array));
		assert_int_equal(json_object_array_length(kernel),
		    layer->inputs);
		for (i = 0; i < layer->inputs; i++) {
			row = json_object_array_get_idx(kernel, i);
			assert_true(json_object_is_type(row, json_type_array));
			assert_int_equal(json_object_array_length(row),
			    layer->units);
			for (j = 0; j < layer->units; j++)
				assert_true(json_object_get_double(
				    json_object_array_get_idx(row, j)) ==
				    layer->kernel[i * layer->units + j]);
		}
		assert_true(json_object_is_type(bias, json_type_array));
		assert_int_equal(json_object_array_length(bias), layer->units);
		for (j = 0; j < layer->units; j++)
			assert_true(json_object_get_double(
			    json_object_array_get_idx(bias, j)) ==
			    layer->bias[j]);
	}
	/* 0.1, the last value, is written in its shortest form. */
	assert_non_null(strstr(text, " 0.1\n"));
	json_object_put(root);
	free(text);
	actviz_model_free(model);
}

/* Layers the file omits keep their weights; integers are numbers. */
static void
load_partial(void **state)
{
	struct fixture		*f = *state;
	struct actviz_model	*model = tu_recipe_shape("sigmoid", 0.25,
				    -0.125, 2.0, 0.5);
	const char		*names[1] = { "sigmoid" };

	write_text(f->path, "{\"Hidden\": {\"kernel\": [[3]], "
	    "\"bias\": [-1]}}\n");
	assert_int_equal(actviz_weights_load(f->path, &model, names, 1,
	    f->err, sizeof(f->err)), 0);
	assert_true(model->layers[0].kernel[0] == 3.0);
	assert_true(model->layers[0].bias[0] == -1.0);
	assert_true(model->layers[1].kernel[0] == 2.0);
	assert_true(model->layers[1].bias[0] == 0.5);
	actviz_model_free(model);
}

/* A file keyed by layer name sets those layers in every model. */
static void
load_layers_all_models(void **state)
{
	struct fixture		*f = *state;
	struct actviz_model	*models[2] = {
		tu_recipe_shape("sigmoid", 0.25, -0.125, 2.0, 0.5),
		tu_recipe_shape("sigmoid", 0.75, 0.125, -2.0, -0.5),
	};
	const char		*names[2] = { "sigmoid", "tanh" };
	size_t			 i;

	write_text(f->path, "{\"Output\": {\"kernel\": [[1.5]], "
	    "\"bias\": [0.25]}}");
	assert_int_equal(actviz_weights_load(f->path, models, names, 2,
	    f->err, sizeof(f->err)), 0);
	for (i = 0; i < 2; i++) {
		assert_true(models[i]->layers[1].kernel[0] == 1.5);
		assert_true(models[i]->layers[1].bias[0] == 0.25);
		actviz_model_free(models[i]);
	}
}

/* A file keyed by model name leaves the models it omits alone. */
static void
load_named_model(void **state)
{
	struct fixture		*f = *state;
	struct actviz_model	*models[2] = {
		tu_recipe_shape("sigmoid", 0.25, -0.125, 2.0, 0.5),
		tu_recipe_shape("sigmoid", 0.75, 0.125, -2.0, -0.5),
	};
	const char		*names[2] = { "sigmoid", "tanh" };

	write_text(f->path, "{\"tanh\": {\"Hidden\": {\"kernel\": [[4]], "
	    "\"bias\": [1]}}}");
	assert_int_equal(actviz_weights_load(f->path, models, names, 2,
	    f->err, sizeof(f->err)), 0);
	assert_true(models[0]->layers[0].kernel[0] == 0.25);
	assert_true(models[0]->layers[0].bias[0] == -0.125);
	assert_true(models[1]->layers[0].kernel[0] == 4.0);
	assert_true(models[1]->layers[0].bias[0] == 1.0);
	assert_true(models[1]->layers[1].kernel[0] == -2.0);
	actviz_model_free(models[0]);
	actviz_model_free(models[1]);
}

/*
 * A bad file.  text NULL means no file at all.  Two-model cases load
 * into models named "sigmoid" and "tanh", others into one model.
 */
struct bad_case {
	const char	*what;
	const char	*text;
	int		 two_models;
	const char	*words[3];	/* the message contains each */
};

#define GOOD_LAYER	"{\"kernel\": [[9]], \"bias\": [9]}"

static const struct bad_case bad_cases[] = {
	{ "missing file", NULL, 0, { "No such file or directory" } },
	{ "empty file", "", 0, { "invalid JSON", "near byte 1" } },
	{ "double comma", "{\"Hidden\": [1,, 2]}", 0,
	    { "invalid JSON", "near byte 15" } },
	{ "cut short", "{\"Hidden\": ", 0,
	    { "invalid JSON", "near byte 12" } },
	{ "top level array", "[1, 2]", 0, { "top level", "object" } },
	{ "unknown layer", "{\"Hidden\": " GOOD_LAYER ", \"Extra\": "
	    GOOD_LAYER "}", 0, { "Extra", "unknown layer", "Hidden, Output" } },
	{ "misspelt layer", "{\"Hiden\": " GOOD_LAYER "}", 0,
	    { "Hiden", "Hidden, Output" } },
	{ "unknown model", "{\"sigmoid\": {\"Hidden\": " GOOD_LAYER "}, "
	    "\"relu\": {\"Hidden\": " GOOD_LAYER "}}", 1,
	    { "relu", "model" } },
	{ "model not object", "{\"tanh\": 3}", 1, { "tanh", "object" } },
	{ "layer not object", "{\"Hidden\": [9, 9]}", 0,
	    { "Hidden", "object" } },
	{ "kernel rows", "{\"Hidden\": {\"kernel\": [[9], [9]], "
	    "\"bias\": [9]}}", 0, { "Hidden.kernel", "1 row" } },
	{ "kernel flat", "{\"Hidden\": {\"kernel\": [9], \"bias\": [9]}}", 0,
	    { "Hidden.kernel[0]", "array" } },
	{ "row length", "{\"Hidden\": {\"kernel\": [[9, 9]], "
	    "\"bias\": [9]}}", 0, { "Hidden.kernel[0]", "found 2" } },
	{ "bias length", "{\"Hidden\": {\"kernel\": [[9]], "
	    "\"bias\": [9, 9]}}", 0, { "Hidden.bias", "found 2" } },
	{ "string number", "{\"Hidden\": {\"kernel\": [[9]], "
	    "\"bias\": [\"9\"]}}", 0, { "Hidden.bias[0]", "number" } },
	{ "boolean", "{\"Hidden\": {\"kernel\": [[true]], \"bias\": [9]}}",
	    0, { "Hidden.kernel[0][0]", "number" } },
	{ "NaN", "{\"Hidden\": {\"kernel\": [[NaN]], \"bias\": [9]}}", 0,
	    { "Hidden.kernel[0][0]", "NaN", "finite" } },
	{ "Infinity", "{\"Hidden\": {\"kernel\": [[9]], "
	    "\"bias\": [Infinity]}}", 0,
	    { "Hidden.bias[0]", "Infinity", "finite" } },
	{ "-Infinity", "{\"Output\": {\"kernel\": [[-Infinity]], "
	    "\"bias\": [9]}}", 0, { "Output.kernel[0][0]", "finite" } },
	{ "overflow", "{\"Hidden\": {\"kernel\": [[1e999]], "
	    "\"bias\": [9]}}", 0, { "Hidden.kernel[0][0]", "finite" } },
	{ "unknown field", "{\"Hidden\": {\"kernel\": [[9]], \"bias\": [9], "
	    "\"scale\": 2}}", 0, { "Hidden.scale", "unknown field" } },
	{ "missing bias", "{\"Hidden\": {\"kernel\": [[9]]}}", 0,
	    { "Hidden", "missing", "bias" } },
	{ "trailing text", "{\"Hidden\": " GOOD_LAYER "} x", 0,
	    { "invalid JSON", "near byte 44" } },
	{ "second value", "{\"Hidden\": " GOOD_LAYER "}{}", 0,
	    { "invalid JSON", "near byte 43" } },
	{ "single quotes", "{'Hidden': " GOOD_LAYER "}", 0,
	    { "invalid JSON" } },
	{ "trailing comma", "{\"Hidden\": {\"kernel\": [[9]], "
	    "\"bias\": [9],}}", 0, { "invalid JSON" } },
	{ "comment", "/* weights */ {\"Hidden\": " GOOD_LAYER "}", 0,
	    { "invalid JSON" } },
	{ "leading zero", "{\"Hidden\": {\"kernel\": [[09]], "
	    "\"bias\": [9]}}", 0, { "invalid JSON" } },
	{ "top level null", "null", 0, { "top level", "object" } },
	{ "huge integer", "{\"Hidden\": {\"kernel\": "
	    "[[123456789012345678901234567890]], \"bias\": [9]}}", 0,
	    { "Hidden.kernel[0][0]", "integer too large" } },
	{ "invalid UTF-8", "{\"Hid\xff\": " GOOD_LAYER "}", 0,
	    { "invalid JSON" } },
	{ "bad after good", "{\"Hidden\": " GOOD_LAYER ", \"Output\": "
	    "{\"kernel\": [[9]], \"bias\": [null]}}", 0,
	    { "Output.bias[0]", "number" } },
	{ "bad model after good", "{\"sigmoid\": {\"Hidden\": " GOOD_LAYER
	    "}, \"tanh\": {\"Output\": {\"kernel\": [[9]], "
	    "\"bias\": \"9\"}}}", 1, { "tanh.Output.bias", "array" } },
};

#define NBAD	(sizeof(bad_cases) / sizeof(bad_cases[0]))

/*
 * Loading a bad file returns -1, changes no weight of any model, and
 * leaves one line that names the file and the failing field.
 */
static void
load_bad(void **state)
{
	struct fixture		*f = *state;
	const struct bad_case	*c = f->param;
	struct actviz_model	*models[2], *before[2];
	const char		*names[2] = { "sigmoid", "tanh" };
	size_t			 n = c->two_models ? 2 : 1, i;

	for (i = 0; i < n; i++) {
		models[i] = tu_recipe_shape("sigmoid", 0.25 + i, -0.125, 2.0,
		    0.5);
		before[i] = tu_recipe_shape("sigmoid", 0.25 + i, -0.125, 2.0,
		    0.5);
	}
	if (c->text != NULL)
		write_text(f->path, c->text);

	assert_int_equal(actviz_weights_load(f->path, models, names, n,
	    f->err, sizeof(f->err)), -1);
	if (strncmp(f->err, f->path, strlen(f->path)) != 0)
		fail_msg("message does not start with the file: %s", f->err);
	assert_null(strchr(f->err, '\n'));
	for (i = 0; i < 3 && c->words[i] != NULL; i++)
		if (strstr(f->err, c->words[i]) == NULL)
			fail_msg("message lacks \"%s\": %s", c->words[i],
			    f->err);
	for (i = 0; i < n; i++) {
		expect_same_bits(models[i], before[i], names[i]);
		actviz_model_free(models[i]);
		actviz_model_free(before[i]);
	}
}

/*
 * Builds a de_DE.UTF-8 locale, whose decimal point is a comma, into dir
 * with localedef and selects it.  Returns 0, or -1 when the locale
 * sources or localedef are missing.
 */
static int
comma_locale(const char *dir)
{
	char	 cmd[PATH_MAX + 128], path[PATH_MAX];

	tu_format(path, sizeof(path), "%s/de_DE.UTF-8", dir);
	tu_format(cmd, sizeof(cmd), "localedef -i de_DE -f UTF-8 '%s' "
	    ">/dev/null 2>&1", path);
	if (system(cmd) != 0 || setenv("LOCPATH", dir, 1) != 0)
		return -1;
	return setlocale(LC_ALL, "de_DE.UTF-8") != NULL ? 0 : -1;
}

/*
 * A program that selects a comma-decimal locale still gets "0.5" in
 * weight files and can parse "elu:alpha=0.5" and its own files.
 */
static void
numbers_ignore_locale(void **state)
{
	struct actviz_model	*m;
	struct actviz_act	 elu;
	const char		*names[1] = { "sigmoid" };
	char			 dir[PATH_MAX], path[PATH_MAX], err[512];
	char			*json;

	(void)state;
	if (tu_make_temp_dir(dir, sizeof(dir), "locale") == -1)
		fail_msg("no temporary folder");
	if (comma_locale(dir) == -1) {
		tu_remove_tree(dir);
		skip();
	}
	m = tu_recipe_shape("sigmoid", 0.5, -0.25, 1, 0);
	json = actviz_weights_to_json(&m, names, 1);
	assert_non_null(json);
	assert_non_null(strstr(json, "0.5"));
	assert_null(strstr(json, "0,5"));
	tu_format(path, sizeof(path), "%s/w.json", dir);
	tu_write_file(path, json, strlen(json));
	m->layers[0].kernel[0] = 9;
	assert_int_equal(actviz_weights_load(path, &m, names, 1, err,
	    sizeof(err)), 0);
	tu_assert_near(m->layers[0].kernel[0], 0.5, 0);
	assert_int_equal(actviz_act_parse("elu:alpha=0.5", 2, &elu, err,
	    sizeof(err)), 0);
	tu_assert_near(elu.param[0], 0.5, 0);
	setlocale(LC_ALL, "C");
	free(json);
	actviz_model_free(m);
	tu_remove_tree(dir);
}

/* Builds the named test list: one entry per bad case, then the rest. */
int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test_setup_teardown(round_trip_layers,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip_models,
		    setup, teardown),
		cmocka_unit_test(json_layout),
		cmocka_unit_test(numbers_ignore_locale),
		cmocka_unit_test_setup_teardown(load_partial,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(load_layers_all_models,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(load_named_model,
		    setup, teardown),
	};
#define NFIXED	(sizeof(fixed) / sizeof(fixed[0]))
	struct CMUnitTest	 tests[NBAD + NFIXED];
	char			 names[NBAD][64];
	size_t			 i, n = 0;

	for (i = 0; i < NBAD; i++, n++) {
		snprintf(names[n], sizeof(names[n]), "load %s",
		    bad_cases[i].what);
		tests[n] = (struct CMUnitTest){ names[n], load_bad, setup,
		    teardown, (void *)&bad_cases[i] };
	}
	for (i = 0; i < NFIXED; i++)
		tests[n++] = fixed[i];
	/* cmocka_run_group_tests() needs an array of fixed size. */
	return _cmocka_run_group_tests("weights", tests, n, NULL, NULL);
}
