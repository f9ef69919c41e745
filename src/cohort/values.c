/* values.c: missing values, numbers and level order. */
#include "cohort/values.h"
#include "stats/status.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int
axs_na_init (axs_na *na, const char *list)
{
  if (!list)
    list = ",NA,NaN,.";
  na->n = 1;
  for (const char *p = list; *p; p++)
    na->n += *p == ',';
  na->token = calloc (na->n, sizeof *na->token);
  if (!na->token)
    return AXS_ENOMEM;
  const char *start = list;
  for (size_t i = 0; i < na->n; i++)
    {
      size_t len = strcspn (start, ",");
      if (!(na->token[i] = strndup (start, len)))
        {
          axs_na_free (na);
          return AXS_ENOMEM;
        }
      start += len + 1;
    }
  return AXS_OK;
}

void
axs_na_free (axs_na *na)
{
  for (size_t i = 0; na->token && i < na->n; i++)
    free (na->token[i]);
  free (na->token);
  na->token = NULL;
  na->n = 0;
}

int
axs_na_is_missing (const axs_na *na, const char *cell)
{
  for (size_t i = 0; i < na->n; i++)
    if (strcmp (cell, na->token[i]) == 0)
      return 1;
  return 0;
}

int
axs_parse_number (const char *cell, double *x)
{
  char *end;
  errno = 0;
  double v = strtod (cell, &end);
  while (*end == ' ')
    end++;
  if (end == cell || *end != '\0')
    {
      *x = NAN;
      return AXS_EDOM;
    }
  *x = v;
  /* strtod accepts "inf" and "nan", and overflows to HUGE_VAL */
  return isfinite (v) && !(errno == ERANGE && fabs (v) > 1) ? AXS_OK : AXS_EDOM;
}

static int
compare_numbers (const void *a, const void *b)
{
  double x, y;
  axs_parse_number (*(char *const *) a, &x);
  axs_parse_number (*(char *const *) b, &y);
  return (x > y) - (x < y);
}

static int
compare_bytes (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

void
axs_levels_sort (char **name, size_t n)
{
  double x;
  size_t i = 0;
  while (i < n && axs_parse_number (name[i], &x) == AXS_OK)
    i++;
  qsort (name, n, sizeof *name, i == n ? compare_numbers : compare_bytes);
}
