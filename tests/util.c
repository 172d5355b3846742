/*
 * Helpers shared by the test programs.  util.h documents each contract.
 * This file includes no cairo or pango header, so the model core's tests
 * link it without the graphics libraries.
 */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "act.h"
#include "model.h"

#define READ_CHUNK	4096	/* bytes read per fread() call */

extern char **environ;

void
tu_format(char *buf, size_t bufsz, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;

	va_start(ap, fmt);
	len = vsnprintf(buf, bufsz, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= bufsz)
		fail_msg("text longer than %zu bytes: %s...", bufsz, buf);
}

int
tu_make_temp_dir(char *buf, size_t bufsz, const char *name)
{
	const char	*tmp = getenv("TMPDIR");
	int		 len;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	len = snprintf(buf, bufsz, "%s/actviz-%s.XXXXXX", tmp, name);
	if (len < 0 || (size_t)len >= bufsz) {
		print_error("temporary folder name longer than %zu bytes: "
		    "%s/actviz-%s.XXXXXX\n", bufsz, tmp, name);
		return -1;
	}
	if (mkdtemp(buf) == NULL) {
		print_error("mkdtemp %s/actviz-%s.XXXXXX: %s\n", tmp, name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Prints why path could not be removed (errno) and returns -1. */
static int
removal_failed(const char *path)
{
	print_error("cannot remove %s: %s\n", path, strerror(errno));
	return -1;
}

int
tu_remove_tree(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*dir;
	char		 child[PATH_MAX];
	int		 rc = 0;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : removal_failed(path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == -1 ? removal_failed(path) : 0;

	/* A failed chmod() shows up below as a failed opendir() or rmdir(). */
	chmod(path, 0700);
	if ((dir = opendir(path)) == NULL)
		return removal_failed(path);
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", path,
		    de->d_name) >= (int)sizeof(child)) {
			errno = ENAMETOOLONG;
			rc = removal_failed(path);
			continue;
		}
		if (tu_remove_tree(child) == -1)
			rc = -1;
	}
	closedir(dir);
	if (rmdir(path) == -1)
		rc = removal_failed(path);
	return rc;
}

/*
 * Reads the whole file at path as tu_read_file() does.  Returns NULL with
 * errno set when it cannot.
 */
static char *
read_all(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*buf = NULL, *grown;
	size_t	 len = 0, cap = 0, n;
	int	 saved;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	do {
		if (len + READ_CHUNK + 1 > cap) {
			cap = (len + READ_CHUNK + 1) * 2;
			if ((grown = realloc(buf, cap)) == NULL)
				goto fail;
			buf = grown;
		}
		n = fread(buf + len, 1, READ_CHUNK, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp))
		goto fail;
	fclose(fp);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;

fail:
	saved = errno;
	free(buf);
	fclose(fp);
	errno = saved;
	return NULL;
}

char *
tu_read_file(const char *path, size_t *lenp)
{
	char	*data;

	if ((data = read_all(path, lenp)) == NULL)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	return data;
}

void
tu_write_file(const char *path, const void *data, size_t len)
{
	FILE	*fp;
	int	 saved;

	if ((fp = fopen(path, "wb")) == NULL) {
		fail_msg("cannot create %s: %s", path, strerror(errno));
		return;
	}
	if (fwrite(data, 1, len, fp) != len) {
		saved = errno;
		fclose(fp);
		fail_msg("cannot write %s: %s", path, strerror(saved));
		return;
	}
	if (fclose(fp) == EOF)
		fail_msg("cannot write %s: %s", path, strerror(errno));
}

/* Returns 1 when entry is "NAME=..." for one of the NULL-ended names. */
static int
names_var(const char *entry, const char *const *names)
{
	size_t	 len;

	for (; names != NULL && *names != NULL; names++) {
		len = strcspn(*names, "=");
		if (strncmp(entry, *names, len) == 0 && entry[len] == '=')
			return 1;
	}
	return 0;
}

/*
 * Builds a child's environment as tu_child_start() describes it.  The
 * array is new but its strings are environ's and env's.  Returns NULL
 * when out of memory.
 */
static char **
make_env(const char *const *cleared, const char *const *env)
{
	char	**envp;
	size_t	  n = 0, nenv = 0, i, k = 0;

	while (environ[n] != NULL)
		n++;
	while (env != NULL && env[nenv] != NULL)
		nenv++;
	if ((envp = calloc(n + nenv + 1, sizeof(*envp))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!names_var(environ[i], cleared) &&
		    !names_var(environ[i], env))
			envp[k++] = environ[i];
	for (i = 0; i < nenv; i++)
		envp[k++] = (char *)env[i];
	return envp;
}

int
tu_child_init(struct tu_child *c, const char *dir, const char *const *cleared)
{
	int	 nout, nerr;

	memset(c, 0, sizeof(*c));
	c->dir = dir;
	c->cleared = cleared;
	c->status = -1;
	nout = snprintf(c->out_path, sizeof(c->out_path), "%s/stdout.txt",
	    dir);
	nerr = snprintf(c->err_path, sizeof(c->err_path), "%s/stderr.txt",
	    dir);
	if (nout < 0 || (size_t)nout >= sizeof(c->out_path) || nerr < 0 ||
	    (size_t)nerr >= sizeof(c->err_path)) {
		print_error("capture file names in %s are too long\n", dir);
		return -1;
	}
	return 0;
}

/*
 * Only async-signal-safe calls happen between fork() and execve(), so the
 * child cannot deadlock on a lock that another thread held at fork().
 */
pid_t
tu_child_start(struct tu_child *c, const char *const *env,
    char *const *argv, int ignore_hup)
{
	struct sigaction	 ignore;
	char			**envp;
	int			 in, ofd, efd;
	pid_t			 pid;

	tu_child_free(c);
	c->status = -1;
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	if ((envp = make_env(c->cleared, env)) == NULL)
		fail_msg("out of memory");

	in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ofd = open(c->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	efd = open(c->err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (in == -1 || ofd == -1 || efd == -1)
		fail_msg("cannot open capture files: %s", strerror(errno));
	if ((pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		if (chdir(c->dir) == -1 || dup2(in, 0) == -1 ||
		    dup2(ofd, 1) == -1 || dup2(efd, 2) == -1 ||
		    (ignore_hup && sigaction(SIGHUP, &ignore, NULL) == -1))
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}

	close(in);
	close(ofd);
	close(efd);
	free(envp);
	return pid;
}

void
tu_child_collect(struct tu_child *c, int code)
{
	tu_child_free(c);
	c->status = code;
	c->out = tu_read_file(c->out_path, NULL);
	c->err = tu_read_file(c->err_path, NULL);
}

void
tu_child_run(struct tu_child *c, const char *const *env, char *const *argv)
{
	pid_t	 pid;

	pid = tu_child_start(c, env, argv, 0);
	tu_child_collect(c, tu_wait(pid));
}

void
tu_child_free(struct tu_child *c)
{
	free(c->out);
	free(c->err);
	c->out = NULL;
	c->err = NULL;
}

void
tu_expect_status(const struct tu_child *c, int want)
{
	if (c->status != want)
		fail_msg("exit status %d, expected %d; stderr: %s", c->status,
		    want, c->err != NULL ? c->err : "(not read)");
}

int
tu_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

int
tu_wait(pid_t pid)
{
	int	 status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			fail_msg("waitpid %ld: %s", (long)pid, strerror(errno));
			return -1;
		}
	}
	return tu_exit_code(status);
}

/* Returns the milliseconds from start to now on the monotonic clock. */
static long
elapsed_ms(const struct timespec *start)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

int
tu_wait_limit(pid_t pid, int limit_ms, int *status)
{
	const struct timespec	 tick = { 0, 1000 * 1000 };	/* 1 ms */
	struct timespec		 start;
	pid_t			 got;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		got = waitpid(pid, status, WNOHANG);
		if (got == pid)
			return 0;
		if (got == -1 && errno != EINTR) {
			fail_msg("waitpid %ld: %s", (long)pid, strerror(errno));
			return -1;
		}
		if (elapsed_ms(&start) >= limit_ms)
			break;
		nanosleep(&tick, NULL);
	}

	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		continue;
	return -1;
}

const struct actviz_act *
tu_act_find(const char *name)
{
	const struct actviz_act	*act = actviz_act_find(name);

	if (act == NULL)
		fail_msg("activation %s not found", name);
	return act;
}

struct actviz_model *
tu_recipe_shape(const char *hidden_act, double hk, double hb, double ok,
    double ob)
{
	struct actviz_model	*model = actviz_model_new(1);

	assert_non_null(model);
	assert_int_equal(actviz_model_add_dense(model, "Hidden", 1,
	    tu_act_find(hidden_act)), 0);
	assert_int_equal(actviz_model_add_dense(model, "Output", 1,
	    tu_act_find("linear")), 0);
	model->layers[0].kernel[0] = hk;
	model->layers[0].bias[0] = hb;
	model->layers[1].kernel[0] = ok;
	model->layers[1].bias[0] = ob;
	return model;
}
