/*
 * Whole-or-nothing output files.  A temporary file lives beside its
 * target, so the final rename stays within one file system and replaces
 * the target in one step: readers see the old file or the new one,
 * never a half-written one.
 */
/* realpath() and S_ISVTX are XSI extensions of POSIX. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/*
 * Temporary files still to remove if a signal ends the process.  The
 * handler may only read this table and call unlink(), which is
 * async-signal-safe.
 */
#define MAX_PENDING 64
static char *volatile pending[MAX_PENDING];

static void
track(char *tmp, int add)
{
	size_t	 i;

	for (i = 0; i < MAX_PENDING; i++) {
		if (add && pending[i] == NULL) {
			pending[i] = tmp;
			return;
		}
		if (!add && pending[i] == tmp) {
			pending[i] = NULL;
			return;
		}
	}
}

static void
on_signal(int sig)
{
	size_t	 i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] != NULL)
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
actviz_output_trap_signals(void)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE,
				    SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2 };
	struct sigaction	 sa, old;
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* nohup and shells ignore some signals on purpose. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	signal(SIGXFSZ, SIG_IGN);
}

/* Returns a new string: the folder part of path ("." when none). */
static char *
folder_of(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	if ((dir = strdup(path)) != NULL)
		dir[slash - path] = '\0';
	return dir;
}

/* Sets out->canonical to the real path of target's folder plus its
 * name, so two spellings of one file compare equal. */
static int
canonicalize(struct actviz_output *out, const char *dir)
{
	const char	*slash = strrchr(out->target, '/');
	const char	*base = slash != NULL ? slash + 1 : out->target;
	char		*real;

	if ((real = realpath(dir, NULL)) == NULL)
		return -1;
	out->canonical = malloc(strlen(real) + strlen(base) + 2);
	if (out->canonical != NULL)
		sprintf(out->canonical, "%s/%s", real, base);
	free(real);
	return out->canonical != NULL ? 0 : -1;
}

/* Fails with EPERM when a sticky folder forbids replacing the file. */
static int
check_sticky(const struct actviz_output *out, const char *dir)
{
	struct stat	 st;
	uid_t		 me = geteuid();

	if (stat(dir, &st) == -1)
		return -1;
	if ((st.st_mode & S_ISVTX) && out->exists && me != 0 &&
	    out->uid != me && st.st_uid != me) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* Returns 1 when st is the file behind standard input, output or
 * error, which /dev/stdout and the like resolve to. */
static int
is_std_stream(const struct stat *st)
{
	struct stat	 fd;
	int		 i;

	for (i = 0; i <= 2; i++)
		if (fstat(i, &fd) == 0 && fd.st_dev == st->st_dev &&
		    fd.st_ino == st->st_ino)
			return 1;
	return 0;
}

/* Checks the file to replace, if any, and records what it is. */
static int
check_target(struct actviz_output *out)
{
	struct stat	 st;

	/* Device and process files are streams, never outputs to replace
	 * whole: /dev/stdout names whatever file a shell redirected to. */
	if (strncmp(out->path, "/dev/", 5) == 0 ||
	    strncmp(out->path, "/proc/", 6) == 0) {
		errno = EINVAL;
		return -1;
	}

	if (lstat(out->path, &st) == 0 && S_ISLNK(st.st_mode)) {
		/* Replace the file the link names and keep the link. */
		if ((out->target = realpath(out->path, NULL)) == NULL)
			return -1;
	} else if ((out->target = strdup(out->path)) == NULL)
		return -1;
	if (stat(out->target, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (!S_ISREG(st.st_mode) || is_std_stream(&st)) {
		errno = EINVAL;
		return -1;
	}
	out->exists = 1;
	out->mode = st.st_mode & 07777;
	out->uid = st.st_uid;
	out->gid = st.st_gid;
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	return 0;
}

int
actviz_output_check(struct actviz_output *out, const char *path)
{
	char	*dir = NULL;
	mode_t	 mask;
	int	 saved;

	memset(out, 0, sizeof(*out));
	mask = umask(0);
	umask(mask);
	out->mode = 0666 & ~mask;
	if ((out->path = strdup(path)) == NULL || check_target(out) == -1 ||
	    (dir = folder_of(out->target)) == NULL)
		goto fail;
	if (access(dir, W_OK | X_OK) == -1 || check_sticky(out, dir) == -1 ||
	    canonicalize(out, dir) == -1)
		goto fail;
	free(dir);
	return 0;
fail:
	saved = errno;
	free(dir);
	actviz_output_discard(out);
	errno = saved;
	return -1;
}

int
actviz_output_same(const struct actviz_output *a,
    const struct actviz_output *b)
{
	if (a->exists && b->exists)
		return a->dev == b->dev && a->ino == b->ino;
	return strcmp(a->canonical, b->canonical) == 0;
}

int
actviz_output_open(struct actviz_output *out)
{
	char	*dir;
	int	 fd, saved;

	if ((dir = folder_of(out->target)) == NULL)
		return -1;
	/* A short fixed name fits wherever the target's name does. */
	out->tmp = malloc(strlen(dir) + sizeof("/.actviz-XXXXXX"));
	if (out->tmp == NULL) {
		free(dir);
		return -1;
	}
	sprintf(out->tmp, "%s/.actviz-XXXXXX", dir);
	free(dir);
	if ((fd = mkstemp(out->tmp)) == -1) {
		/* Nothing was created, so discard must not unlink. */
		saved = errno;
		free(out->tmp);
		out->tmp = NULL;
		errno = saved;
		return -1;
	}
	track(out->tmp, 1);

	/* mkstemp() makes the file 0600; give it the replaced file's
	 * mode and owner, or the usual mode for a new file. */
	if (out->exists && geteuid() == 0 &&
	    fchown(fd, out->uid, out->gid) == -1) {
		/* Not fatal: the new file then belongs to root. */
	}
	if (fchmod(fd, out->mode) == -1 ||
	    (out->fp = fdopen(fd, "wb")) == NULL) {
		saved = errno;
		close(fd);
		unlink(out->tmp);
		track(out->tmp, 0);
		free(out->tmp);
		out->tmp = NULL;
		errno = saved;
		return -1;
	}
	return 0;
}

int
actviz_output_write(struct actviz_output *out, const void *data, size_t len)
{
	if (out->error != 0)
		return -1;
	if (fwrite(data, 1, len, out->fp) != len) {
		out->error = errno != 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

int
actviz_output_close(struct actviz_output *out)
{
	int	 error;

	error = out->error;
	if (error == 0 && fflush(out->fp) == EOF)
		error = errno;
	if (error == 0 && fsync(fileno(out->fp)) == -1 && errno != EINVAL)
		error = errno;
	if (fclose(out->fp) == EOF && error == 0)
		error = errno;
	out->fp = NULL;
	if (error != 0) {
		errno = out->error = error;
		return -1;
	}
	return 0;
}

int
actviz_output_commit(struct actviz_output *out)
{
	if (rename(out->tmp, out->target) == -1)
		return -1;
	track(out->tmp, 0);
	free(out->tmp);
	out->tmp = NULL;
	return 0;
}

void
actviz_output_discard(struct actviz_output *out)
{
	if (out->fp != NULL) {
		fclose(out->fp);
		out->fp = NULL;
	}
	if (out->tmp != NULL) {
		track(out->tmp, 0);
		unlink(out->tmp);
		free(out->tmp);
		out->tmp = NULL;
	}
	free(out->path);
	free(out->target);
	free(out->canonical);
	out->path = out->target = out->canonical = NULL;
}
