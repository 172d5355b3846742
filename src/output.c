/*
 * Whole-or-nothing output files.  A temporary file lives beside its
 * target, so the final rename stays within one file system and replaces
 * the target in one step: readers see the old file or the new one,
 * never a half-written one.
 */
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
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

/* Returns "DIR/.NAME.XXXXXX" for path "DIR/NAME", or NULL. */
static char *
temp_template(const char *path)
{
	const char	*slash, *base;
	char		*tmp;
	size_t		 dirlen, len;

	slash = strrchr(path, '/');
	base = slash != NULL ? slash + 1 : path;
	dirlen = (size_t)(base - path);
	len = strlen(path) + sizeof(".") + sizeof(".XXXXXX");
	if ((tmp = malloc(len)) == NULL)
		return NULL;
	memcpy(tmp, path, dirlen);
	strcpy(tmp + dirlen, ".");
	strcat(tmp, base);
	strcat(tmp, ".XXXXXX");
	return tmp;
}

int
actviz_output_open(struct actviz_output *out, const char *path)
{
	mode_t	 mask;
	int	 fd, saved;

	memset(out, 0, sizeof(*out));
	if ((out->path = strdup(path)) == NULL ||
	    (out->tmp = temp_template(path)) == NULL)
		goto fail;
	if ((fd = mkstemp(out->tmp)) == -1) {
		/* Nothing was created, so discard must not unlink. */
		saved = errno;
		free(out->tmp);
		out->tmp = NULL;
		errno = saved;
		goto fail;
	}
	track(out->tmp, 1);

	/* mkstemp() makes the file 0600; give it the usual mode. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1 ||
	    (out->fp = fdopen(fd, "wb")) == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	actviz_output_discard(out);
	errno = saved;
	return -1;
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
	if (rename(out->tmp, out->path) == -1)
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
	out->path = NULL;
}
