/* keyset.c: 64-bit keys numbered in order of first appearance. */
#include "stats/keyset.h"

#include <stdlib.h>
#include <string.h>

void
axs_keyset_init (axs_keyset *s, size_t limit)
{
  memset (s, 0, sizeof *s);
  s->limit = limit && limit < (size_t) UINT32_MAX ? limit : (size_t) UINT32_MAX;
}

void
axs_keyset_free (axs_keyset *s)
{
  size_t limit = s->limit;
  free (s->slot);
  free (s->key);
  axs_keyset_init (s, limit);
}

/* Twice the slots (64 at first), the keys placed again; the list of keys
   grows with them (half the slots: the most the load allows). */
int
axs_keyset_grow (axs_keyset *s)
{
  if (s->n + 1 > s->limit)
    return 0;
  size_t cap = s->cap ? 2 * s->cap : 64;
  int shift = s->cap ? s->shift - 1 : 64 - 6;
  axs_keyset_slot *slot = calloc (cap, sizeof *slot);
  uint64_t *key = realloc (s->key, cap / 2 * sizeof *key);
  if (!slot || !key)
    {
      free (slot);
      if (key)
        s->key = key;
      return 0;
    }
  for (size_t k = 0; k < s->n; k++)
    {
      size_t j = axs_keyset_hash (key[k], shift);
      while (slot[j].key)
        j = (j + 1) & (cap - 1);
      slot[j] = (axs_keyset_slot) { key[k], (uint32_t) k };
    }
  free (s->slot);
  s->slot = slot;
  s->key = key;
  s->cap = cap;
  s->shift = shift;
  return 1;
}
