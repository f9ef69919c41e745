/* order.c: stable O(n) least-significant-digit radix sort of doubles.

   A double's bits, with the sign bit flipped for positives and all bits flipped
   for negatives, compare as unsigned integers in the same order as the doubles.
   Eight passes of 8 bits each; a pass is skipped when every key shares its byte. */
#include "stats/order.h"
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

  for (int shift = 0; shift < 64; shift += 8)
    {
      size_t count[257] = { 0 };
      for (size_t i = 0; i < n; i++)
        count[((key[i] >> shift) & 0xff) + 1]++;
      if (count[((key[0] >> shift) & 0xff) + 1] == n)
        continue;
      for (int b = 0; b < 256; b++)
        count[b + 1] += count[b];
      for (size_t i = 0; i < n; i++)
        {
          size_t dest = count[(key[i] >> shift) & 0xff]++;
          key2[dest] = key[i];
          order2[dest] = order[i];
        }
      uint64_t *tk = key; key = key2; key2 = tk;
      memcpy (order, order2, n * sizeof *order);
    }
  free (key);
  free (key2);
  free (order2);
  return AXS_OK;
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
