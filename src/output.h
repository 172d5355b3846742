/*
 * Output files that appear whole or not at all: each is written to a
 * temporary file in the target's folder and renamed over the target
 * only when everything succeeded.
 */
#ifndef ACTVIZ_OUTPUT_H
#define ACTVIZ_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

struct actviz_output {
	char	*path;		/* target, as the user gave it */
	char	*tmp;		/* temporary file beside it, or NULL */
	FILE	*fp;		/* open on tmp while writing */
	int	 error;		/* errno of the first failed write, or 0 */
};

/*
 * Creates a temporary file in path's folder, mode 0666 less the umask,
 * and opens it for writing.  Returns 0, or -1 with errno from mkstemp
 * (ENOENT for a missing folder, EACCES for an unwritable one).
 */
int	 actviz_output_open(struct actviz_output *out, const char *path);

/*
 * Appends len bytes.  Returns 0, or -1 after a failed write, whose errno
 * is kept in out->error so that actviz_output_close() reports it too.
 */
int	 actviz_output_write(struct actviz_output *out, const void *data,
	    size_t len);

/*
 * Flushes, syncs and closes the temporary file.  Returns 0, or -1 with
 * errno set by the first write, flush, sync or close that failed.
 */
int	 actviz_output_close(struct actviz_output *out);

/* Renames the closed temporary file over the target; 0 or -1 (errno). */
int	 actviz_output_commit(struct actviz_output *out);

/* Closes and removes the temporary file, if any, and frees out's paths. */
void	 actviz_output_discard(struct actviz_output *out);

/*
 * Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE that remove
 * every open temporary file and then end the process by that signal.
 */
void	 actviz_output_trap_signals(void);

#endif
