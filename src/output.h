/*
 * Output files that appear whole or not at all: each is written to a
 * temporary file in the target's folder and renamed over the target
 * only when everything succeeded.
 */
#ifndef ACTVIZ_OUTPUT_H
#define ACTVIZ_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct actviz_output {
	char	*path;		/* as the user gave it */
	char	*target;	/* file replaced: path, or a link's target */
	char	*canonical;	/* absolute folder plus name, to compare */
	int	 exists;	/* target exists (mode, dev, ino valid) */
	mode_t	 mode;		/* permissions to give the new file */
	uid_t	 uid;		/* owner of the file replaced */
	gid_t	 gid;		/* group of the file replaced */
	dev_t	 dev;		/* device of the file replaced */
	ino_t	 ino;		/* inode of the file replaced */
	char	*tmp;		/* temporary file beside it, or NULL */
	FILE	*fp;		/* open on tmp while writing */
	int	 error;		/* errno of the first failed write, or 0 */
};

/*
 * Checks, before anything is written, that path can be replaced whole
 * by a rename.  A symbolic link is followed to the file it names.
 * Returns 0, or -1 with errno set.  EISDIR means a folder.  EINVAL means
 * a device, pipe, socket or standard stream, which a rename would
 * replace.  ENOENT means a missing folder or a link to nothing, EACCES a
 * folder actviz cannot write in, EPERM another user's file in a sticky
 * folder.
 */
int	 actviz_output_check(struct actviz_output *out, const char *path);

/* Returns 1 when a and b (both checked) name the same file. */
int	 actviz_output_same(const struct actviz_output *a,
	    const struct actviz_output *b);

/*
 * Creates a temporary file beside the checked target, with the mode of
 * the file it replaces (or 0666 less the umask), and opens it for
 * writing.  Returns 0, or -1 with errno from mkstemp.
 */
int	 actviz_output_open(struct actviz_output *out);

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
 * Installs handlers for the signals that end a process by default
 * (SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGALRM, SIGUSR1 and
 * SIGUSR2) that remove every open temporary file and then end the
 * process by that signal.  A signal the caller ignores stays ignored.
 * SIGXFSZ is ignored, so a file-size limit makes the write fail and be
 * reported instead of killing the process.
 */
void	 actviz_output_trap_signals(void);

#endif
