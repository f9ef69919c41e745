/* textset.c: texts numbered in order of first appearance. */
#include "cohort/textset.h"
#include "stats/status.h"

#include <stdlib.h>
#include <string.h>

void
axs_textset_init (axs_textset *s)
{
  memset (s, 0, sizeof *s);
}

void
axs_textset_free (axs_textset *s)
{
  free (s->slot);
  free (s->text);
  axs_textset_init (s);
}

/* The table at twice N slots or more (doubling, 64 at first), its ids
   placed again. */
int
axs_textset_reserve (axs_textset *s, size_t n)
{
  if (n >= UINT32_MAX)
    return AXS_ENOMEM;
  size_t cap = s->cap ? s->cap : 64;
  while (cap < 2 * n)
    cap *= 2;
  if (cap == s->cap)
    return AXS_OK;
  uint64_t *slot = calloc (cap, sizeof *slot);
  if (!slot)
    return AXS_ENOMEM;
  for (size_t k = 0; k < s->cap; k++)
    if (s->slot[k])
      {
        size_t j = (s->slot[k] >> 32) & (cap - 1);
        while (slot[j])
          j = (j + 1) & (cap - 1);
        slot[j] = s->slot[k];
      }
  free (s->slot);
  s->slot = slot;
  s->cap = cap;
  return AXS_OK;
}

int
axs_textset_grow (axs_textset *s)
{
  if (axs_textset_reserve (s, s->n + 1) != AXS_OK)
    return AXS_ENOMEM;
  if (s->n == s->text_cap)
    {
      size_t cap = s->text_cap ? 2 * s->text_cap : 16;
      const char **text = realloc (s->text, cap * sizeof *text);
      if (!text)
        return AXS_ENOMEM;
      s->text = text;
      s->text_cap = cap;
    }
  return AXS_OK;
}
