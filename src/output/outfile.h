/* outfile.h: where a command's result goes: stdout, or a file written whole.

   A file is written under a temporary name in its directory and renamed over
   the target only once every byte is out, so a failed run never leaves a
   half-written file behind. */
#ifndef AXS_OUTFILE_H
#define AXS_OUTFILE_H

#include <stdio.h>

typedef struct
{
  FILE *f;
  char *path;       /* the target, or NULL for stdout */
  char *tmp;        /* the temporary name while writing */
} axs_outfile;

/* Create a new empty file beside PATH under a temporary name, with the
   mode a new file gets; *TMP (to free) names it.  Returns its descriptor,
   or -1 with errno.  For a writer other than this process (gnuplot). */
int axs_outfile_temp (const char *path, char **tmp);

/* Open PATH for writing (NULL or "-": stdout).  Returns 0, or -1 with errno. */
int axs_outfile_open (axs_outfile *o, const char *path);

/* Finish: flush, check for write errors, close and rename.  Returns 0, or -1
   with errno (the temporary file is then removed). */
int axs_outfile_commit (axs_outfile *o);

/* Give up: close and remove the temporary file. */
void axs_outfile_discard (axs_outfile *o);

#endif
