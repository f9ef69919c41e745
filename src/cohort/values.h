/* values.h: what a cell means: missing, a number, a level. */
#ifndef AXS_VALUES_H
#define AXS_VALUES_H

#include <stddef.h>

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
int axs_na_is_missing (const axs_na *na, const char *cell);

/* Parse CELL as a finite number: AXS_OK, or AXS_EDOM when it is not a
   number or not finite (*X then says which: NaN for not a number). */
int axs_parse_number (const char *cell, double *x);

/* Sort level names: ascending as numbers when every name is a number,
   else in byte order (so the first, the reference, is predictable). */
void axs_levels_sort (char **name, size_t n);

#endif
