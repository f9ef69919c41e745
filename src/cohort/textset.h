/* textset.h: texts numbered in order of first appearance.

   An open-addressing hash table (linear probing, load at most 1/2): each
   slot keeps a text's 32-bit hash beside its id, so texts are compared only
   when their hashes agree.  The caller gives the hash (axs_text_hash, or a
   share of its bits when the texts were split among tables by their hash).
   Ids are dense, 0..n-1: arrays of the caller's indexed by them grow when
   an id reaches their length.

   Two ways in: axs_textset_id and _find keep the texts (pointers to the
   caller's, not copies) and compare them; axs_textset_probe and _put leave
   the texts to the caller, who may then fetch one only when its hash
   agrees (texts spread over a large table cost a cache miss each). */
#ifndef AXS_TEXTSET_H
#define AXS_TEXTSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct
{
  uint64_t *slot;               /* hash << 32 | id + 1; 0: empty */
  size_t cap;                   /* a power of 2, or 0 before the first text */
  size_t n;                     /* texts held */
  const char **text;            /* by id, with axs_textset_id */
  size_t text_cap;
} axs_textset;

/* A text's hash (seldom the same for texts that differ). */
static inline uint32_t
axs_text_hash (const char *s)
{
  uint64_t h = 5381;
  for (; *s; s++)
    h = h * 33 + (unsigned char) *s;
  h *= UINT64_C (0x9E3779B97F4A7C15);   /* spread into every bit */
  return (uint32_t) (h >> 32);
}

/* An empty set (it allocates nothing yet): memset to 0 does the same. */
void axs_textset_init (axs_textset *s);
void axs_textset_free (axs_textset *s);

/* Room for N texts in all, so that adding them does not move the table:
   AXS_OK or AXS_ENOMEM. */
int axs_textset_reserve (axs_textset *s, size_t n);

/* The slot where a lookup of a text of hash H begins: for a prefetch. */
static inline const uint64_t *
axs_textset_home (const axs_textset *s, uint32_t h)
{
  return &s->slot[h & (s->cap - 1)];
}

/* The slot where a lookup of a text of hash H stops (S not empty): one
   whose id SAME (CTX, ID) says is the text, or else an empty one.  SAME
   is asked only about ids of hash H. */
static inline size_t
axs_textset_probe (const axs_textset *s, uint32_t h,
                   int (*same) (const void *ctx, size_t id), const void *ctx)
{
  size_t k = h & (s->cap - 1);
  for (; s->slot[k]; k = (k + 1) & (s->cap - 1))
    if ((uint32_t) (s->slot[k] >> 32) == h && same (ctx, (uint32_t) s->slot[k] - 1))
      break;
  return k;
}

/* The id in slot K, or -1 when it is empty. */
static inline long
axs_textset_slot_id (const axs_textset *s, size_t k)
{
  return (long) (uint32_t) s->slot[k] - 1;
}

/* A new text of hash H into the empty slot K that axs_textset_probe gave,
   with room reserved: its id (the next). */
static inline size_t
axs_textset_put (axs_textset *s, size_t k, uint32_t h)
{
  s->slot[k] = (uint64_t) h << 32 | (uint64_t) (s->n + 1);
  return s->n++;
}

/* Make room for one more text beside those held, as axs_textset_id
   needs.  AXS_OK or AXS_ENOMEM. */
int axs_textset_grow (axs_textset *s);

/* Whether text ID of set CTX[0] is CTX[1]: compared here, not by a call
   to strcmp (texts of levels and ids are short, and a call cost a quarter
   of the time of reading a factor's cells). */
static inline int
axs_textset_same_text (const void *ctx, size_t id)
{
  const void *const *c = ctx;
  const char *a = ((const axs_textset *) c[0])->text[id], *b = c[1];
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

/* The id of TEXT (hash H), or -1 when S does not hold it. */
static inline long
axs_textset_find (const axs_textset *s, const char *text, uint32_t h)
{
  if (!s->cap)
    return -1;
  const void *ctx[2] = { s, text };
  return axs_textset_slot_id (s, axs_textset_probe (s, h, axs_textset_same_text, ctx));
}

/* The id of TEXT (hash H), the next one (S->n before the call) when S did
   not hold it, which then keeps TEXT; -1 when out of memory. */
static inline long
axs_textset_id (axs_textset *s, const char *text, uint32_t h)
{
  if ((2 * (s->n + 1) > s->cap || s->n == s->text_cap) && axs_textset_grow (s) != 0)
    return -1;
  const void *ctx[2] = { s, text };
  size_t k = axs_textset_probe (s, h, axs_textset_same_text, ctx);
  if (s->slot[k])
    return axs_textset_slot_id (s, k);
  s->text[s->n] = text;
  return (long) axs_textset_put (s, k, h);
}

#endif
