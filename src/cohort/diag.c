/* diag.c: filling an axs_diag. */
#include "cohort/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

const char *
axs_diag_shorten (const char *s, char *buf)
{
  if (strlen (s) < AXS_DIAG_SHOWN)
    return s;
  int keep = AXS_DIAG_SHOWN - 4;
  while (keep > 0 && ((unsigned char) s[keep] & 0xC0) == 0x80)
    keep--;       /* do not cut a UTF-8 character in two */
  snprintf (buf, AXS_DIAG_SHOWN, "%.*s...", keep, s);
  return buf;
}
