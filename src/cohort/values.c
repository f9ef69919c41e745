/* values.c: missing values, numbers and level order. */
#include "cohort/values.h"
#include "stats/status.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
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

/* strtod on the NUL-terminated CELL, which must be all number (spaces may
   follow); the reference the fast path below must agree with. */
static int
parse_strtod (const char *cell, double *x)
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

static const double pow10_exact[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
  1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* Clinger's fast path: a plain decimal ([+-]digits[.digits][e[+-]digits])
   of at most 19 significant digits whose integer mantissa m < 2^53 and
   exponent |e| <= 22 is m * 10^e or m / 10^e in one correctly rounded
   operation: the double strtod gives.  Returns 1 with *X set, or 0 when the
   text is anything else (spaces, long mantissas, large exponents, hex, inf,
   junk), which strtod then decides.  The text is S[0..END), or with NUL
   (END unused) S up to its NUL: a NUL stops every loop below on its own, so
   the inlined copy for that case tests no bounds. */
static inline int
parse_fast (const char *s, const char *end, int nul, double *x)
{
#define MORE(p) (nul || (p) < end)
  const char *p = s;
  int neg = 0;
  if (MORE (p) && (*p == '-' || *p == '+'))
    neg = *p++ == '-';
  uint64_t m = 0;
  int sig = 0, exp10 = 0, digits = 0;
  for (; MORE (p) && *p >= '0' && *p <= '9'; p++, digits++)
    if (m || *p != '0')
      {
        if (sig++ >= 19)
          return 0;
        m = m * 10 + (uint64_t) (*p - '0');
      }
  if (MORE (p) && *p == '.')
    for (p++; MORE (p) && *p >= '0' && *p <= '9'; p++, digits++)
      {
        if (!m && *p == '0')
          exp10--;              /* a leading zero of the fraction */
        else if (sig++ >= 19)
          return 0;
        else
          m = m * 10 + (uint64_t) (*p - '0'), exp10--;
      }
  if (digits && MORE (p) && (*p == 'e' || *p == 'E'))
    {
      const char *q = p + 1;
      int eneg = 0, e = 0, edigits = 0;
      if (MORE (q) && (*q == '-' || *q == '+'))
        eneg = *q++ == '-';
      for (; MORE (q) && *q >= '0' && *q <= '9' && edigits < 5; q++, edigits++)
        e = e * 10 + (*q - '0');
      if (edigits)
        {
          exp10 += eneg ? -e : e;
          p = q;
        }
    }
#undef MORE
  if (!digits || (nul ? *p != '\0' : p != end) || m >= ((uint64_t) 1 << 53))
    return 0;
  if (m == 0)
    {
      *x = neg ? -0.0 : 0.0;
      return 1;
    }
  if (exp10 < -22 || exp10 > 22)
    return 0;
  double v = (double) m;
  v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
  *x = neg ? -v : v;
  return 1;
}

/* Whether strtod could read a number at C at all: after a sign, a number
   starts with a digit, a point, inf or nan.  Text cells
   (levels such as "F" or "stage II") are told apart without strtod. */
static int
may_start_number (const char *c)
{
  if (*c == ' ' || (*c >= '\t' && *c <= '\r'))
    return 1;                   /* white space: strtod decides */
  if (*c == '+' || *c == '-')
    c++;
  return (*c >= '0' && *c <= '9') || *c == '.' || *c == 'i' || *c == 'I'
         || *c == 'n' || *c == 'N';
}

int
axs_parse_number (const char *cell, double *x)
{
  if (parse_fast (cell, NULL, 1, x))
    return AXS_OK;
  if (!may_start_number (cell))
    {
      *x = NAN;
      return AXS_EDOM;
    }
  return parse_strtod (cell, x);
}

int
axs_parse_number_n (const char *s, size_t len, double *x)
{
  if (parse_fast (s, s + len, 0, x))
    return AXS_OK;
  char small[128];
  char *buf = len < sizeof small ? small : malloc (len + 1);
  if (!buf)
    {
      *x = NAN;
      return AXS_ENOMEM;
    }
  memcpy (buf, s, len);
  buf[len] = '\0';
  int status = parse_strtod (buf, x);
  if (buf != small)
    free (buf);
  return status;
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
