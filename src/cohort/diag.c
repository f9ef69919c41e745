/* diag.c: filling an axs_diag. */
#include "cohort/diag.h"

#include <stdarg.h>
#include <stdio.h>

int
axs_diag_set (axs_diag *d, int status, int usage, const char *fmt, ...)
{
  if (d)
    {
      va_list ap;
      va_start (ap, fmt);
      vsnprintf (d->text, sizeof d->text, fmt, ap);
      va_end (ap);
      d->usage = usage;
    }
  return status;
}
