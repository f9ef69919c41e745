/* values.h: what a cell means: missing, a number, a level. */
#ifndef AXS_VALUES_H
#define AXS_VALUES_H

#include <stddef.h>
#include <string.h>

/* The spellings of a missing value. */
typedef struct
{
  char **token;
  size_t n;
} axs_na;

/* Parse LIST, comma-separated (an empty item means the empty cell), into NA;
   NULL gives the default set: empty, NA, NaN and ".".  Returns AXS_OK or
   AXS_ENOMEM. */
int axs_na_init (axs_na *na, const char *list);
void axs_na_free (axs_na *na);

/* Whether CELL is one of NA's spellings.  Inline: it runs on every cell an
   analysis uses, and a first-byte test settles most cells without strcmp. */
static inline int
axs_na_is_missing (const axs_na *na, const char *cell)
{
  for (size_t i = 0; i < na->n; i++)
    if (cell[0] == na->token[i][0] && strcmp (cell, na->token[i]) == 0)
      return 1;
  return 0;
}

/* Parse CELL as a finite number: AXS_OK, or AXS_EDOM when it is not a
   number or not finite (*X then says which: NaN for not a number). */
int axs_parse_number (const char *cell, double *x);

/* The same for the LEN bytes at S, which need no NUL.  Both give exactly
   the double strtod gives: plain decimals that convert in one correctly
   rounded operation take a fast path, anything else goes to strtod.
   AXS_ENOMEM only for a cell too long for the stack. */
int axs_parse_number_n (const char *s, size_t len, double *x);

/* Sort level names: ascending as numbers when every name is a number,
   else in byte order (so the first, the reference, is predictable). */
void axs_levels_sort (char **name, size_t n);

#endif
