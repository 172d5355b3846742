/*
 * Helpers shared by the test programs: a tolerance check for doubles,
 * temporary folders, whole-file reads and writes, child processes with
 * captured output, and lookups in the model core.  Helpers that check
 * something fail the running cmocka test with a message that names the
 * value or path.
 */
#ifndef ACTVIZ_TESTS_UTIL_H
#define ACTVIZ_TESTS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <sys/types.h>

struct actviz_act;
struct actviz_model;

/*
 * Fails the test unless got is within eps of want, printing the
 * expression and both values to 17 digits.  A NaN on either side fails.
 * cmocka 1.1.5 compares floating-point values only as float.  This is a
 * macro so that the failure names the caller's file and line.
 */
#define tu_assert_near(got, want, eps) do {				\
	double	tu_got = (got), tu_want = (want), tu_eps = (eps);	\
	if (!(fabs(tu_got - tu_want) <= tu_eps))			\
		fail_msg("%s = %.17g, expected %.17g within %g",	\
		    #got, tu_got, tu_want, tu_eps);			\
} while (0)

/*
 * Formats into buf like snprintf(), and fails the test when the text
 * needs more than bufsz bytes.  Going through vsnprintf() also keeps
 * GCC's guesses about truncated paths out of the build log.
 */
void	 tu_format(char *buf, size_t bufsz, const char *fmt, ...)
	    CMOCKA_PRINTF_ATTRIBUTE(3, 4);

/*
 * Creates a new folder "$TMPDIR/actviz-NAME.XXXXXX", or under /tmp when
 * TMPDIR is unset or empty, and stores its path in buf.  Returns 0, or -1
 * after printing the reason with print_error() when the path needs more
 * than bufsz bytes or mkdtemp() fails.  It returns rather than failing
 * the test, so that a setup function can free its fixture first.
 */
int	 tu_make_temp_dir(char *buf, size_t bufsz, const char *name);

/*
 * Removes path and everything below it.  Folders are made writable first
 * so that a test's read-only folder can be emptied, and symbolic links
 * are removed, not followed.  A missing path counts as removed.  Returns
 * 0, or -1 after printing each entry that it could not remove with
 * print_error().  It carries on past such an entry and removes all it can.
 */
int	 tu_remove_tree(const char *path);

/*
 * Reads the whole file at path into a new buffer with a NUL byte after
 * the data, and stores the data's length in *lenp unless lenp is NULL.
 * Fails the test, naming path and the reason, when the file cannot be
 * read.  The caller frees the buffer.
 */
char	*tu_read_file(const char *path, size_t *lenp);

/*
 * Creates or truncates the file at path and writes the len bytes of data.
 * Fails the test, naming path and the reason, on any error.
 */
void	 tu_write_file(const char *path, const void *data, size_t len);

/*
 * A child process with stdin from /dev/null and its stdout and stderr
 * written to two files.  tu_child_init() sets the first four fields and
 * tu_child_collect() the rest.
 */
struct tu_child {
	const char		*dir;		/* the child's working folder */
	const char *const	*cleared;	/* see tu_child_init() */
	char			 out_path[PATH_MAX];	/* dir/stdout.txt */
	char			 err_path[PATH_MAX];	/* dir/stderr.txt */
	int			 status;	/* exit code, or -1 */
	char			*out;		/* captured stdout, NUL-ended */
	char			*err;		/* captured stderr, NUL-ended */
};

/*
 * Prepares c to run children in the folder dir, which must outlive c,
 * with their output captured in dir/stdout.txt and dir/stderr.txt.
 * cleared is a NULL-terminated list of environment variables that the
 * children must not inherit, or NULL.  Returns 0, or -1 after printing
 * the reason with print_error() when a capture path needs PATH_MAX bytes
 * or more.  It returns rather than failing the test, so that a setup
 * function can free its fixture first.
 */
int	 tu_child_init(struct tu_child *c, const char *dir,
	    const char *const *cleared);

/*
 * Starts argv[0], an absolute path, with the NULL-terminated argv in
 * c->dir, truncating c->out_path and c->err_path for its output.  Its
 * environment is ours without the names in c->cleared and the names that
 * env sets, followed by env's NAME=VALUE strings (env is NULL-terminated,
 * or NULL).  With ignore_hup set the child ignores SIGHUP, as under nohup,
 * and keeps ignoring it across execve().  Frees the output of c's last run
 * and sets c->status to -1.  Returns the child's pid.  Fails the test when
 * memory runs out, a capture file cannot be opened or fork() fails.  The
 * child exits with status 126 when it cannot set up its folder or
 * descriptors, and 127 when execve() fails.
 */
pid_t	 tu_child_start(struct tu_child *c, const char *const *env,
	    char *const *argv, int ignore_hup);

/*
 * Stores the exit code of an ended child in c->status and reads both
 * capture files into c->out and c->err.  Fails the test when a capture
 * file cannot be read.
 */
void	 tu_child_collect(struct tu_child *c, int code);

/*
 * Runs argv as tu_child_start() starts it, waits for it with tu_wait()
 * and collects its exit code and output into c.
 */
void	 tu_child_run(struct tu_child *c, const char *const *env,
	    char *const *argv);

/* Frees c->out and c->err and sets them to NULL. */
void	 tu_child_free(struct tu_child *c);

/* Fails the test unless c->status is want, printing the child's stderr. */
void	 tu_expect_status(const struct tu_child *c, int want);

/*
 * Returns the exit status that a waitpid() status encodes, 128 + the
 * number of the signal that ended the child, or -1 for any other status.
 */
int	 tu_exit_code(int status);

/*
 * Waits for the child pid to end and returns tu_exit_code() of its
 * status.  Fails the test when waitpid() fails.
 */
int	 tu_wait(pid_t pid);

/*
 * Waits at most limit_ms milliseconds for the child pid to end, and
 * returns 0 with its waitpid() status in *status.  When the child is still
 * running after limit_ms, kills it with SIGKILL, reaps it and returns -1.
 * Fails the test when waitpid() fails.
 */
int	 tu_wait_limit(pid_t pid, int limit_ms, int *status);

/*
 * Returns the activation that actviz_act_find() finds for name.  Fails
 * the test when there is none.
 */
const struct actviz_act	*tu_act_find(const char *name);

/*
 * Builds the recipe's shape: one input, Dense(1, hidden_act) "Hidden",
 * then Dense(1, linear) "Output".  The Hidden layer gets kernel hk and
 * bias hb, the Output layer kernel ok and bias ob.  Fails the test when
 * an activation is unknown or the model cannot be built.  The caller
 * frees the model with actviz_model_free().
 */
struct actviz_model	*tu_recipe_shape(const char *hidden_act, double hk,
			    double hb, double ok, double ob);

#endif
