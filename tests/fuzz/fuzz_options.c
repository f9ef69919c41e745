/* fuzz_options.c: libFuzzer target for the parsers that take option values.

   Hostile strings reach axlsurv through option values: --cut, --subset,
   --na, the numbers of --times/--tau/--conf-level, and marker levels.  The
   shared getopt walk (axs_cli_parse) prints and exits on the first error,
   so it is exercised by the CLI tests instead; these are the functions it
   hands each value to, which must answer every string with a status and a
   message, never a crash, a leak or undefined behaviour.

   The input is split at NUL bytes into up to 8 strings; the first byte
   chooses nothing, every string is tried with every parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cohort/design.h"
#include "cohort/diag.h"
#include "cohort/values.h"
#include "stats/status.h"

static void
try_string (const char *s)
{
  axs_diag d;
  axs_cut cut;
  if (axs_cut_parse (s, &cut, &d) == AXS_OK)
    {
      /* a parsed cut is ascending, and percentiles are in (0, 1) */
      for (size_t i = 1; i < cut.n; i++)
        if (!(cut.at[i] > cut.at[i - 1]))
          abort ();
      if (cut.kind == AXS_CUT_QUANTILES)
        for (size_t i = 0; i < cut.n; i++)
          if (!(cut.at[i] > 0 && cut.at[i] < 1))
            abort ();
      axs_cut_free (&cut);
    }
  axs_subset sub;
  if (axs_subset_parse (s, &sub, &d) == AXS_OK)
    {
      if (!sub.column || sub.n < 1)
        abort ();
      axs_subset_free (&sub);
    }
  double x;
  if (axs_parse_number (s, &x) == AXS_OK && !(x - x == 0))
    abort ();   /* accepted numbers are finite */
  axs_na na;
  if (axs_na_init (&na, s) == AXS_OK)
    {
      axs_na_is_missing (&na, s);
      axs_na_free (&na);
    }
  char shown[AXS_DIAG_SHOWN];
  if (strlen (axs_diag_shorten (s, shown)) >= AXS_DIAG_SHOWN)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *buf = malloc (size + 1);
  if (!buf)
    return 0;
  memcpy (buf, data, size);
  buf[size] = '\0';
  char *names[8];
  size_t n = 0;
  for (char *p = buf; n < 8 && p <= buf + size; p += strlen (p) + 1)
    {
      try_string (p);
      names[n++] = p;
    }
  /* the strings as levels: numeric or byte order, never a crash */
  axs_levels_sort (names, n);
  free (buf);
  return 0;
}
