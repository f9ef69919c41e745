/* outfile.c: atomic output files. */
#include "output/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
axs_outfile_temp (const char *path, char **tmp)
{
  size_t len = strlen (path);
  if (!(*tmp = malloc (len + sizeof ".XXXXXX")))
    {
      errno = ENOMEM;
      return -1;
    }
  memcpy (*tmp, path, len);
  memcpy (*tmp + len, ".XXXXXX", sizeof ".XXXXXX");
  int fd = mkstemp (*tmp);
  if (fd < 0)
    {
      int e = errno;
      free (*tmp);
      errno = e;
      return -1;
    }
  /* mkstemp makes the file 0600; give it the usual mode */
  mode_t mask = umask (0);
  umask (mask);
  fchmod (fd, 0666 & ~mask);
  return fd;
}

int
axs_outfile_open (axs_outfile *o, const char *path)
{
  memset (o, 0, sizeof *o);
  if (!path || strcmp (path, "-") == 0)
    {
      o->f = stdout;
      return 0;
    }
  /* a device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place:
     renaming over it would replace it */
  struct stat st;
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      if (S_ISDIR (st.st_mode))
        {
          errno = EISDIR;
          return -1;
        }
      o->f = fopen (path, "w");
      return o->f ? 0 : -1;
    }
  o->path = strdup (path);
  int fd = o->path ? axs_outfile_temp (path, &o->tmp) : (errno = ENOMEM, -1);
  if (fd < 0 || !(o->f = fdopen (fd, "w")))
    {
      int e = errno;
      if (fd >= 0)
        {
          close (fd);
          unlink (o->tmp);
          free (o->tmp);
        }
      free (o->path);
      errno = e;
      return -1;
    }
  return 0;
}

int
axs_outfile_commit (axs_outfile *o)
{
  errno = 0;
  int failed = fflush (o->f) != 0 || ferror (o->f);
  int e = errno;
  if (!o->path)
    {
      /* a device opened in place is closed here; stdout stays open */
      if (o->f != stdout)
        {
          failed |= fclose (o->f) != 0;
          e = e ? e : errno;
          o->f = NULL;
        }
      return failed ? (errno = e ? e : EIO, -1) : 0;
    }
  failed |= fclose (o->f) != 0;
  if (!e)
    e = errno;      /* the first error is the one to report */
  if (!failed && rename (o->tmp, o->path) != 0)
    failed = 1, e = errno;
  if (failed)
    unlink (o->tmp);
  free (o->path);
  free (o->tmp);
  o->f = NULL;
  errno = e ? e : EIO;
  return failed ? -1 : 0;
}

void
axs_outfile_discard (axs_outfile *o)
{
  if (!o->path)
    {
      if (o->f && o->f != stdout)
        fclose (o->f);
      o->f = NULL;
      return;
    }
  fclose (o->f);
  unlink (o->tmp);
  free (o->path);
  free (o->tmp);
  o->f = NULL;
}
