/* keyset.h: 64-bit keys numbered in order of first appearance.

   An open-addressing hash table (linear probing, load at most 1/2) that
   grows up to a limit.  Callers keep what they know of a key (a count, a
   value) in arrays of their own indexed by its id: ids are dense, 0..n-1,
   so such an array grows when an id reaches its length.  The key 0 is
   reserved (it marks an empty slot). */
#ifndef AXS_KEYSET_H
#define AXS_KEYSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct
{
  uint64_t key;                 /* 0: empty */
  uint32_t id;
} axs_keyset_slot;

typedef struct
{
  axs_keyset_slot *slot;
  size_t cap;                   /* a power of 2, or 0 before the first key */
  int shift;                    /* 64 - log2 (cap) */
  uint64_t *key;                /* by id: the keys, first seen first */
  size_t n;                     /* keys held */
  size_t limit;                 /* most keys it will hold (at most 2^32) */
} axs_keyset;

/* An empty set of at most LIMIT keys (0: 2^32); it allocates nothing yet. */
void axs_keyset_init (axs_keyset *s, size_t limit);
void axs_keyset_free (axs_keyset *s);

/* KEY's first slot in a table of 2^(64 - SHIFT) slots: the top bits of a
   multiplicative hash, which depend on every bit of the key (the low bits
   of a number's key are often all 0). */
static inline size_t
axs_keyset_hash (uint64_t key, int shift)
{
  return (size_t) ((key * UINT64_C (0x9E3779B97F4A7C15)) >> shift);
}

/* The slot where KEY is, or the empty one where it would go (S->cap > 0). */
static inline size_t
axs_keyset_probe (const axs_keyset *s, uint64_t key)
{
  size_t j = axs_keyset_hash (key, s->shift);
  while (s->slot[j].key && s->slot[j].key != key)
    j = (j + 1) & (s->cap - 1);
  return j;
}

/* The id of KEY (not 0), or -1 when S does not hold it. */
static inline long
axs_keyset_find (const axs_keyset *s, uint64_t key)
{
  if (!s->cap)
    return -1;
  size_t j = axs_keyset_probe (s, key);
  return s->slot[j].key ? (long) s->slot[j].id : -1;
}

/* Make room for a new key: 0 when S would pass its limit or memory ran
   out.  (axs_keyset_add calls it.) */
int axs_keyset_grow (axs_keyset *s);

/* The id of KEY (not 0), the next one (S->n before the call) when S did
   not hold it; -1 when it is new and S is full or out of memory. */
static inline long
axs_keyset_add (axs_keyset *s, uint64_t key)
{
  if (2 * (s->n + 1) > s->cap && !axs_keyset_grow (s))
    return axs_keyset_find (s, key);
  size_t j = axs_keyset_probe (s, key);
  if (s->slot[j].key)
    return (long) s->slot[j].id;
  if (s->n == s->limit)
    return -1;
  s->slot[j].key = key;
  s->slot[j].id = (uint32_t) s->n;
  s->key[s->n] = key;
  return (long) s->n++;
}

#endif
