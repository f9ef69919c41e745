/* order.c: stable O(n) least-significant-digit radix sort of doubles.

   A double's bits, with the sign bit flipped for positives and all bits flipped
   for negatives, compare as unsigned integers in the same order as the doubles.
   Six passes of 11 bits each; a pass is skipped when every key shares its digit. */
#include "stats/order.h"
#include "stats/keyset.h"
#include "stats/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t
sortable_bits (double x)
{
  uint64_t u;
  memcpy (&u, &x, sizeof u);
  if (x == 0)
    return UINT64_C (1) << 63;   /* -0.0 and +0.0 are equal */
  return (u >> 63) ? ~u : u | (UINT64_C (1) << 63);
}

/* Sort KEY[0..n) (and IDX alongside, when not NULL) by LSD radix, 11 bits
   a pass (6 passes; the counts fit in the L2 cache); one read of the keys
   counts every pass's digits, and a pass whose digit all keys share is
   skipped.  KEY2 and IDX2 are scratch of n entries; the result may end in
   either array of each pair: returns 1 when it is in KEY2/IDX2. */
enum { RADIX_BITS = 11, RADIX = 1 << RADIX_BITS, PASSES = (64 + RADIX_BITS - 1) / RADIX_BITS };

static int
radix_sort (size_t n, uint64_t *key, uint64_t *key2, size_t *idx, size_t *idx2)
{
  size_t (*count)[RADIX] = calloc (PASSES, sizeof *count);
  if (!count)
    return -1;
  for (size_t i = 0; i < n; i++)
    for (int b = 0; b < PASSES; b++)
      count[b][(key[i] >> (RADIX_BITS * b)) & (RADIX - 1)]++;
  int swapped = 0;
  for (int b = 0; b < PASSES; b++)
    {
      size_t *c = count[b];
      int shift = RADIX_BITS * b;
      if (c[(key[0] >> shift) & (RADIX - 1)] == n)
        continue;
      size_t sum = 0;
      for (int v = 0; v < RADIX; v++)
        {
          size_t k = c[v];
          c[v] = sum;
          sum += k;
        }
      if (idx)
        for (size_t i = 0; i < n; i++)
          {
            size_t dest = c[(key[i] >> shift) & (RADIX - 1)]++;
            key2[dest] = key[i];
            idx2[dest] = idx[i];
          }
      else
        for (size_t i = 0; i < n; i++)
          key2[c[(key[i] >> shift) & (RADIX - 1)]++] = key[i];
      uint64_t *tk = key; key = key2; key2 = tk;
      size_t *ti = idx; idx = idx2; idx2 = ti;
      swapped = !swapped;
    }
  free (count);
  return swapped;
}

/* ---- few distinct values: a counting sort ------------------------------ */

/* Survival times, markers and ages usually take far fewer distinct values
   than there are patients (times in days or tenths of a month, markers on a
   scale): then one pass numbers the distinct keys (a keyset), the keys
   (few) are sorted, and a counting sort by their rank gives the stable
   order in two more passes, instead of six radix passes. */
enum { FEW_MIN_N = 4096, FEW_MAX_KEYS = 1 << 14 };

static int
compare_keys (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return (x > y) - (x < y);
}

/* The stable order of X by counting, into ORDER: 1 done, 0 when X has more
   than FEW_MAX_KEYS distinct values (ORDER then untouched), -1 out of
   memory.  A key is never 0 (sortable_bits of a number), as a keyset
   wants. */
static int
order_few (size_t n, const double *x, size_t *order)
{
  axs_keyset set;
  axs_keyset_init (&set, FEW_MAX_KEYS);
  uint32_t *id = malloc (n * sizeof *id);
  uint64_t *sorted = NULL;
  uint32_t *rank = NULL;
  size_t *start = NULL;
  int done = -1;
  if (!id)
    goto out;
  uint64_t last = 0;
  uint32_t last_id = 0;
  for (size_t i = 0; i < n; i++)
    {
      uint64_t key = sortable_bits (x[i]);
      if (key != last)          /* runs of equal values are common */
        {
          long k = axs_keyset_add (&set, key);
          if (k < 0)
            {
              done = set.n < FEW_MAX_KEYS ? -1 : 0;
              goto out;
            }
          last = key;
          last_id = (uint32_t) k;
        }
      id[i] = last_id;
    }
  /* the rank of each key: where its block of the order starts */
  size_t nkeys = set.n;
  sorted = malloc (nkeys * sizeof *sorted);
  rank = malloc (nkeys * sizeof *rank);
  start = calloc (nkeys + 1, sizeof *start);
  if (!sorted || !rank || !start)
    goto out;
  memcpy (sorted, set.key, nkeys * sizeof *sorted);
  qsort (sorted, nkeys, sizeof *sorted, compare_keys);
  for (size_t r = 0; r < nkeys; r++)
    rank[axs_keyset_find (&set, sorted[r])] = (uint32_t) r;
  for (size_t i = 0; i < n; i++)
    start[rank[id[i]] + 1]++;
  for (size_t r = 0; r < nkeys; r++)
    start[r + 1] += start[r];
  for (size_t i = 0; i < n; i++)
    order[start[rank[id[i]]]++] = i;
  done = 1;

out:
  axs_keyset_free (&set);
  free (id);
  free (sorted);
  free (rank);
  free (start);
  return done;
}

int
axs_order (size_t n, const double *x, size_t *order)
{
  if ((n > 0 && (x == NULL || order == NULL)))
    return AXS_EINVAL;
  if (n == 0)
    return AXS_OK;

  /* input already in order (data the caller sorted once): the stable order
     is the identity, and one comparison per element finds it */
  size_t sorted = 1;
  while (sorted < n && !(x[sorted] < x[sorted - 1]))
    sorted++;
  if (sorted == n)
    {
      for (size_t i = 0; i < n; i++)
        order[i] = i;
      return AXS_OK;
    }
  if (n >= FEW_MIN_N)
    {
      int few = order_few (n, x, order);
      if (few != 0)
        return few > 0 ? AXS_OK : AXS_ENOMEM;
    }

  uint64_t *key = malloc (n * sizeof *key);
  uint64_t *key2 = malloc (n * sizeof *key2);
  size_t *order2 = malloc (n * sizeof *order2);
  if (!key || !key2 || !order2)
    {
      free (key);
      free (key2);
      free (order2);
      return AXS_ENOMEM;
    }
  for (size_t i = 0; i < n; i++)
    {
      key[i] = sortable_bits (x[i]);
      order[i] = i;
    }
  int in2 = radix_sort (n, key, key2, order, order2);
  if (in2 > 0)
    memcpy (order, order2, n * sizeof *order);
  free (key);
  free (key2);
  free (order2);
  return in2 < 0 ? AXS_ENOMEM : AXS_OK;
}

int
axs_sort (size_t n, double *x)
{
  if (n > 0 && x == NULL)
    return AXS_EINVAL;
  size_t sorted = 1;
  while (sorted < n && !(x[sorted] < x[sorted - 1]))
    sorted++;
  if (sorted >= n)
    return AXS_OK;
  uint64_t *key = malloc (n * sizeof *key);
  uint64_t *key2 = malloc (n * sizeof *key2);
  if (!key || !key2)
    {
      free (key);
      free (key2);
      return AXS_ENOMEM;
    }
  /* the bits themselves, -0.0 before +0.0: equal values, so still in order,
     and each value keeps its sign */
  for (size_t i = 0; i < n; i++)
    {
      uint64_t u;
      memcpy (&u, &x[i], sizeof u);
      key[i] = (u >> 63) ? ~u : u | (UINT64_C (1) << 63);
    }
  int in2 = radix_sort (n, key, key2, NULL, NULL);
  const uint64_t *k = in2 > 0 ? key2 : key;
  for (size_t i = 0; in2 >= 0 && i < n; i++)
    {
      uint64_t u = (k[i] >> 63) ? k[i] & ~(UINT64_C (1) << 63) : ~k[i];
      memcpy (&x[i], &u, sizeof u);
    }
  free (key);
  free (key2);
  return in2 < 0 ? AXS_ENOMEM : AXS_OK;
}

/* Time order first, then a stable sort by stratum: within a stratum the
   time order survives. */
int
axs_order_strata (size_t n, const double *time, const int *strata,
                  size_t *order)
{
  int st = axs_order (n, time, order);
  if (st != AXS_OK || strata == NULL || n == 0)
    return st;
  double *key = malloc (n * sizeof *key);
  size_t *by_stratum = malloc (n * sizeof *by_stratum);
  size_t *merged = malloc (n * sizeof *merged);
  if (!key || !by_stratum || !merged)
    st = AXS_ENOMEM;
  if (st == AXS_OK)
    {
      for (size_t i = 0; i < n; i++)
        key[i] = strata[order[i]];
      st = axs_order (n, key, by_stratum);
    }
  if (st == AXS_OK)
    {
      for (size_t i = 0; i < n; i++)
        merged[i] = order[by_stratum[i]];
      memcpy (order, merged, n * sizeof *order);
    }
  free (key);
  free (by_stratum);
  free (merged);
  return st;
}

const size_t *
axs_order_by_class (size_t n, const double *time, const size_t *time_order,
                    const int *class, int nclass, size_t *first, size_t **owned)
{
  *owned = NULL;
  size_t *by_time = NULL;
  if (!time_order)
    {
      if (!(by_time = malloc ((n ? n : 1) * sizeof *by_time))
          || axs_order (n, time, by_time) != AXS_OK)
        {
          free (by_time);
          return NULL;
        }
      time_order = by_time;
    }
  if (!class)
    {
      /* one class: the time order itself (the caller's when it gave one) */
      first[0] = 0;
      first[1] = n;
      *owned = by_time;
      return time_order;
    }
  size_t *out = malloc ((n ? n : 1) * sizeof *out);
  size_t *next = malloc ((size_t) nclass * sizeof *next);
  if (!out || !next)
    {
      free (by_time);
      free (out);
      free (next);
      return NULL;
    }
  /* a stable counting sort of the time order by class */
  for (int c = 0; c <= nclass; c++)
    first[c] = 0;
  for (size_t i = 0; i < n; i++)
    first[class[i] + 1]++;
  for (int c = 0; c < nclass; c++)
    first[c + 1] += first[c];
  memcpy (next, first, (size_t) nclass * sizeof *next);
  for (size_t k = 0; k < n; k++)
    {
      size_t i = time_order[k];
      out[next[class[i]]++] = i;
    }
  free (next);
  free (by_time);
  *owned = out;
  return out;
}
