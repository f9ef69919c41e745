/* test_values.c: the one number parser (axs_parse_number and _n) against
   strtod, bit for bit; missing-value spellings; axs_sort and axs_order;
   the keyset and textset hash tables.

   The reference is the C library's strtod itself: the fast path must give
   the very double strtod gives, and every text it declines must end where
   strtod's verdict does. */
#include "cohort/textset.h"
#include "cohort/values.h"
#include "stats/keyset.h"
#include "stats/order.h"
#include "stats/status.h"
#include "testutil.h"

#include <CUnit/Basic.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What axs_parse_number promised before the fast path: strtod, then only
   spaces, and finite. */
static int
reference (const char *cell, double *x)
{
  char *end;
  errno = 0;
  double v = strtod (cell, &end);
  while (*end == ' ')
    end++;
  if (end == cell || *end != '\0')
    return AXS_EDOM;
  *x = v;
  return isfinite (v) && !(errno == ERANGE && fabs (v) > 1) ? AXS_OK : AXS_EDOM;
}

/* Both parsers agree with the reference on TEXT: status, and bits. */
static int
agrees (const char *text)
{
  double want = 0, got = 0, got_n = 0;
  int sw = reference (text, &want);
  int sg = axs_parse_number (text, &got);
  int sn = axs_parse_number_n (text, strlen (text), &got_n);
  if (sg != sw || sn != sw)
    return 0;
  return sw != AXS_OK || (memcmp (&got, &want, sizeof got) == 0
                          && memcmp (&got_n, &want, sizeof got) == 0);
}

static void
test_fixed_cases (void)
{
  static const char *const cases[] = {
    "0", "-0", "+0", "0.0", "-0.0", "1", "9.4", "45.5", "0.1", "0.3", ".5", "1.",
    "-.5", "1e5", "1E-5", "1e22", "1e23", "1e-22", "1.5e-23", "1e00005",
    "1e000005", "9007199254740992", "9007199254740993", "1234567890123456789",
    "12345678901234567890", "123456789012345678901234",
    "00000000000000000000000001.5", "0.000000000000000000000000001", "4.9e-324",
    "1e-400", "1e400", "1.7976931348623157e308", "1.8e308", "inf", "-Infinity",
    "nan", "NaN", "0x1p3", "1 ", "1  ", " 1", " ", "  ", "\t", "", "-", "+", ".",
    "-.", "1e", "1e+", "--1", "1..2", "1,5", "e5", "F", "stage II", "II", "NA",
    "i", "n", "x1", "1x",
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    tu_check (agrees (cases[i]), 0, 0, "'%s'", cases[i]);
}

/* Random texts from a small alphabet (digits most often), and random
   decimals with exponents. */
static void
test_random_texts (void)
{
  static const char alpha[] = "0123456789.-+eE \tinfINFaxp";
  uint64_t state = 42;
  char buf[64];
  for (int it = 0; it < 300000; it++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      uint64_t r = state >> 11;
      if (r % 4 == 0)
        snprintf (buf, sizeof buf, "%s%u.%ue%d", r & 16 ? "-" : "",
                  (unsigned) (r >> 8) % 1000000u, (unsigned) (r >> 28) % 100000u,
                  (int) ((r >> 45) % 64) - 32);
      else
        {
          size_t len = 1 + r % 20;
          for (size_t k = 0; k < len; k++)
            {
              state = state * 6364136223846793005ULL + 1442695040888963407ULL;
              uint64_t c = state >> 33;
              buf[k] = alpha[c % 3 ? c % 10 : c % (sizeof alpha - 1)];
            }
          buf[len] = '\0';
        }
      tu_check (agrees (buf), 0, 0, "'%s'", buf);
    }
}

static void
test_parse_n_needs_no_nul (void)
{
  double x;
  CU_ASSERT_EQUAL (axs_parse_number_n ("12.5,7", 4, &x), AXS_OK);
  CU_ASSERT_DOUBLE_EQUAL (x, 12.5, 0);
  CU_ASSERT_EQUAL (axs_parse_number_n ("3e2x", 3, &x), AXS_OK);
  CU_ASSERT_DOUBLE_EQUAL (x, 300, 0);
  CU_ASSERT_EQUAL (axs_parse_number_n ("3e2x", 4, &x), AXS_EDOM);
  CU_ASSERT (isnan (x));
}

static void
test_missing (void)
{
  axs_na na;
  CU_ASSERT_EQUAL_FATAL (axs_na_init (&na, NULL), AXS_OK);
  CU_ASSERT (axs_na_is_missing (&na, ""));
  CU_ASSERT (axs_na_is_missing (&na, "NA"));
  CU_ASSERT (axs_na_is_missing (&na, "NaN"));
  CU_ASSERT (axs_na_is_missing (&na, "."));
  CU_ASSERT (!axs_na_is_missing (&na, "N"));
  CU_ASSERT (!axs_na_is_missing (&na, "NAN"));
  CU_ASSERT (!axs_na_is_missing (&na, ".."));
  CU_ASSERT (!axs_na_is_missing (&na, "0"));
  axs_na_free (&na);
  CU_ASSERT_EQUAL_FATAL (axs_na_init (&na, "-99,unknown"), AXS_OK);
  CU_ASSERT (axs_na_is_missing (&na, "-99"));
  CU_ASSERT (axs_na_is_missing (&na, "unknown"));
  CU_ASSERT (!axs_na_is_missing (&na, ""));
  CU_ASSERT (!axs_na_is_missing (&na, "-9"));
  axs_na_free (&na);
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* axs_sort against qsort, and axs_order stable, over values with ties,
   negatives, zeros of both signs and magnitudes that fill every digit. */
static void
test_sort_and_order (void)
{
  enum { N = 5000 };
  static double x[N], y[N];
  static size_t order[N];
  uint64_t state = 7;
  for (size_t i = 0; i < N; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      uint64_t r = state >> 11;
      x[i] = r % 5 == 0 ? (double) (r % 7) - 3
             : r % 5 == 1 ? (r & 1 ? -0.0 : 0.0)
             : ldexp ((double) (r % 1000003) - 500000, (int) (r >> 40) % 80 - 40);
    }
  memcpy (y, x, sizeof x);
  qsort (y, N, sizeof *y, compare_double);
  CU_ASSERT_EQUAL_FATAL (axs_order (N, x, order), AXS_OK);
  for (size_t i = 0; i < N; i++)
    {
      tu_check (x[order[i]] == y[i], x[order[i]], y[i], "order[%zu]", i);
      if (i > 0 && x[order[i]] == x[order[i - 1]])
        tu_check (order[i] > order[i - 1], (double) order[i], (double) order[i - 1],
                  "stable at %zu", i);
    }
  double z[N];
  memcpy (z, x, sizeof x);
  CU_ASSERT_EQUAL_FATAL (axs_sort (N, z), AXS_OK);
  size_t negzero = 0, negzero_in = 0;
  for (size_t i = 0; i < N; i++)
    {
      tu_check (z[i] == y[i], z[i], y[i], "sort[%zu]", i);
      negzero += z[i] == 0 && signbit (z[i]);
      negzero_in += x[i] == 0 && signbit (x[i]);
    }
  CU_ASSERT_EQUAL (negzero, negzero_in);   /* every value keeps its sign */
  CU_ASSERT_EQUAL (axs_sort (0, NULL), AXS_OK);
  CU_ASSERT_EQUAL (axs_sort (3, NULL), AXS_EINVAL);
}

/* axs_order on many values of few distinct ones (the counting sort: times
   in days, markers on a scale), with both zeros and negatives: the stable
   order qsort gives, ties by index. */
typedef struct
{
  double x;
  size_t i;
} indexed;

static int
compare_indexed (const void *a, const void *b)
{
  const indexed *p = a, *q = b;
  if (p->x != q->x)
    return (p->x > q->x) - (p->x < q->x);
  return (p->i > q->i) - (p->i < q->i);
}

static void
test_order_few_distinct (void)
{
  enum { N = 50000 };
  static double x[N];
  static size_t order[N];
  static indexed y[N];
  uint64_t state = 11;
  for (size_t i = 0; i < N; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      uint64_t r = state >> 33;
      x[i] = r % 9 == 0 ? (r & 1 ? -0.0 : 0.0) : ((double) (r % 601) - 100) / 10;
      y[i] = (indexed) { x[i], i };
    }
  qsort (y, N, sizeof *y, compare_indexed);
  CU_ASSERT_EQUAL_FATAL (axs_order (N, x, order), AXS_OK);
  size_t wrong = 0;
  for (size_t i = 0; i < N; i++)
    wrong += order[i] != y[i].i;
  CU_ASSERT_EQUAL (wrong, 0);
  /* more distinct values than the counting sort takes: the radix sort */
  for (size_t i = 0; i < N; i++)
    {
      x[i] = (double) ((i * 7919) % N) / 3;
      y[i] = (indexed) { x[i], i };
    }
  qsort (y, N, sizeof *y, compare_indexed);
  CU_ASSERT_EQUAL_FATAL (axs_order (N, x, order), AXS_OK);
  wrong = 0;
  for (size_t i = 0; i < N; i++)
    wrong += order[i] != y[i].i;
  CU_ASSERT_EQUAL (wrong, 0);
}

/* Keys numbered in order of first appearance, across the table's growth,
   with 0 kept for the empty slot; a full set still finds its keys. */
static void
test_keyset (void)
{
  enum { N = 3000 };
  axs_keyset s;
  axs_keyset_init (&s, 1000);
  size_t wrong = 0;
  for (size_t round = 0; round < 2; round++)
    for (uint64_t k = 1; k <= 1000; k++)
      wrong += axs_keyset_add (&s, k * 0x100000001ULL) != (long) (k - 1);
  CU_ASSERT_EQUAL (wrong, 0);
  CU_ASSERT_EQUAL (s.n, 1000);
  CU_ASSERT_EQUAL (axs_keyset_add (&s, 7), -1);                /* full */
  CU_ASSERT_EQUAL (axs_keyset_add (&s, 5 * 0x100000001ULL), 4);
  CU_ASSERT_EQUAL (axs_keyset_find (&s, 7), -1);
  CU_ASSERT_EQUAL (s.key[999], 1000 * 0x100000001ULL);
  axs_keyset_free (&s);
  CU_ASSERT_EQUAL (axs_keyset_find (&s, 1), -1);
  CU_ASSERT_EQUAL (axs_keyset_add (&s, 1), 0);                 /* usable again */
  axs_keyset_free (&s);
}

/* Texts numbered in order of first appearance; equal texts in other
   memory get the same id, and a reserved set does not move its slots. */
static void
test_textset (void)
{
  enum { N = 5000 };
  static char text[N][16], copy[N][16];
  for (size_t i = 0; i < N; i++)
    {
      snprintf (text[i], sizeof text[i], "P%zu", i);
      strcpy (copy[i], text[i]);
    }
  axs_textset s;
  axs_textset_init (&s);
  size_t wrong = 0;
  for (size_t i = 0; i < N; i++)
    wrong += axs_textset_id (&s, text[i], axs_text_hash (text[i])) != (long) i;
  for (size_t i = 0; i < N; i++)
    wrong += axs_textset_id (&s, copy[N - 1 - i], axs_text_hash (copy[N - 1 - i]))
      != (long) (N - 1 - i);
  CU_ASSERT_EQUAL (wrong, 0);
  CU_ASSERT_EQUAL (s.n, N);
  CU_ASSERT_PTR_EQUAL (s.text[17], text[17]);
  CU_ASSERT_EQUAL (axs_textset_find (&s, "P5000", axs_text_hash ("P5000")), -1);
  CU_ASSERT_EQUAL (axs_textset_find (&s, "", axs_text_hash ("")), -1);
  axs_textset_free (&s);
  CU_ASSERT_EQUAL_FATAL (axs_textset_reserve (&s, 100), AXS_OK);
  const uint64_t *slot = s.slot;
  for (size_t i = 0; i < 100; i++)
    axs_textset_id (&s, text[i], 7);        /* one hash for all: texts compared */
  CU_ASSERT_PTR_EQUAL (s.slot, slot);
  CU_ASSERT_EQUAL (s.n, 100);
  CU_ASSERT_EQUAL (axs_textset_find (&s, copy[42], 7), 42);
  axs_textset_free (&s);
}

int
main (void)
{
  const tu_test tests[] = {
    { "parser vs strtod, fixed cases", test_fixed_cases },
    { "parser vs strtod, random texts", test_random_texts },
    { "parse_n needs no NUL", test_parse_n_needs_no_nul },
    { "missing-value spellings", test_missing },
    { "axs_sort and axs_order vs qsort", test_sort_and_order },
    { "axs_order of few distinct values", test_order_few_distinct },
    { "keyset: first-seen ids, limit", test_keyset },
    { "textset: first-seen ids, reserve", test_textset },
    { NULL, NULL }
  };
  return tu_run ("values", tests);
}
