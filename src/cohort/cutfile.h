/* cutfile.h: reading back a cutpoint saved by `axlsurv cutpoint -o FILE`.

   The file is the cutpoint command's json document; only two of its
   top-level members matter here: "marker" (a string) and "cutpoint" (a
   number).  The reader understands json well enough to skip every other
   member, nested or not, so the nested "cutpoint" members of the profile are
   never mistaken for the chosen one. */
#ifndef AXS_CUTFILE_H
#define AXS_CUTFILE_H

#include "cohort/diag.h"

/* Read PATH.  On success *MARKER is a new string (free it) and *CUT the
   cutpoint.  Errors (AXS_EDOM: unreadable or not a cutpoint file; AXS_ENOMEM)
   leave their message in D, naming the file and what is wrong. */
int axs_cutfile_read (const char *path, char **marker, double *cut, axs_diag *d);

#endif
