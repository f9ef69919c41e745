/* concordance.c: Harrell's C and its standard error in O(n log n). */
#include "stats/concordance.h"
#include "stats/order.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The place of each patient's X in X sorted: equal values take a group of
   consecutive slots, LO..HI-1 (HI = LO + 1 for a value no one shares).
   The walks read it in walk order, in sequence, not through a table of
   ranks (which, 4 MB read at random, was most of their time). */
typedef struct
{
  uint32_t lo, hi;
} span;

/* One set of patients (everyone entered so far, or the events so far), by
   slot.  A group's members fill its slots from the bottom (a set holds only
   counts, so which patient has which slot of the group does not matter):
   a bit per slot, and a Fenwick tree over the counts of lines of 512 slots
   (the bits of one cache line), and in each line the count before each of
   its 8 words, in 16-bit lanes of two words: the count below a slot is the
   tree's prefix (11 steps for 10^6 patients, in 8 KB), that, and the bits
   before it in its word, where a tree over the ranks was 20 steps over
   8 MB.  The counts are exact integers (n < 2^31). */
enum { LINE_BITS = 9, LINE_WORDS = 1 << (LINE_BITS - 6) };

typedef struct
{
  size_t nline;
  uint64_t *bits;               /* nline lines of LINE_WORDS words */
  uint64_t *before;             /* 2 per line: lane q (16 bits) of word
                                   q / 4, the line's bits in its words
                                   before word q (at most 448) */
  uint32_t *fen;                /* nline + 1: 1-based Fenwick tree */
  uint32_t total;
} slot_set;

/* What a slot's entry adds to the lanes of its line's counts: 1 in each
   lane after its word (no lane carries: a lane is at most 448, and an
   entry that leaves takes 1 from lanes that count it). */
static const uint64_t lanes_after[LINE_WORDS][2] = {
  { UINT64_C (0x0001000100010000), UINT64_C (0x0001000100010001) },
  { UINT64_C (0x0001000100000000), UINT64_C (0x0001000100010001) },
  { UINT64_C (0x0001000000000000), UINT64_C (0x0001000100010001) },
  { 0, UINT64_C (0x0001000100010001) },
  { 0, UINT64_C (0x0001000100010000) },
  { 0, UINT64_C (0x0001000100000000) },
  { 0, UINT64_C (0x0001000000000000) },
  { 0, 0 } };

static void
set_free (slot_set *t)
{
  free (t->bits);
  free (t->before);
  free (t->fen);
}

/* An empty set for slots 0..N-1; returns AXS_OK or AXS_ENOMEM. */
static int
set_init (slot_set *t, size_t n)
{
  t->nline = (n >> LINE_BITS) + 1;      /* slot N has a line too */
  t->bits = calloc (t->nline * LINE_WORDS, sizeof *t->bits);
  t->before = calloc (t->nline * 2, sizeof *t->before);
  t->fen = calloc (t->nline + 1, sizeof *t->fen);
  t->total = 0;
  if (!t->bits || !t->before || !t->fen)
    {
      set_free (t);
      return AXS_ENOMEM;
    }
  return AXS_OK;
}

/* The bits set in X (inline: without a popcnt instruction in the target,
   __builtin_popcountll is a call). */
static inline uint32_t
bit_count (uint64_t x)
{
#ifdef __POPCNT__
  return (uint32_t) __builtin_popcountll (x);
#else
  x -= (x >> 1) & UINT64_C (0x5555555555555555);
  x = (x & UINT64_C (0x3333333333333333)) + ((x >> 2) & UINT64_C (0x3333333333333333));
  x = (x + (x >> 4)) & UINT64_C (0x0F0F0F0F0F0F0F0F);
  return (uint32_t) ((x * UINT64_C (0x0101010101010101)) >> 56);
#endif
}

/* The line's bits in the words before word WORD. */
static inline uint32_t
lane (const slot_set *t, size_t word)
{
  size_t line = word / LINE_WORDS, q = word % LINE_WORDS;
  return (uint32_t) (t->before[2 * line + q / 4] >> (16 * (q % 4))) & 0xFFFF;
}

/* Put SLOT in the set (ENTER) or take it out. */
static inline void
set_change (slot_set *t, uint32_t slot, int enter)
{
  uint64_t bit = UINT64_C (1) << (slot & 63);
  size_t line = slot >> LINE_BITS;
  const uint64_t *after = lanes_after[(slot >> 6) % LINE_WORDS];
  uint32_t w = enter ? 1 : UINT32_MAX;  /* -1, wrapping */
  if (enter)
    {
      t->bits[slot >> 6] |= bit;
      t->before[2 * line] += after[0];
      t->before[2 * line + 1] += after[1];
    }
  else
    {
      t->bits[slot >> 6] &= ~bit;
      t->before[2 * line] -= after[0];
      t->before[2 * line + 1] -= after[1];
    }
  t->total += w;
  for (size_t k = line + 1; k <= t->nline; k += k & (-k))
    t->fen[k] += w;
}

/* How many slots below SLOT are in the set. */
static inline uint32_t
set_below (const slot_set *t, uint32_t slot)
{
  uint64_t word = t->bits[slot >> 6] & ((UINT64_C (1) << (slot & 63)) - 1);
  uint32_t s = lane (t, slot >> 6) + bit_count (word);
  for (size_t k = slot >> LINE_BITS; k > 0; k -= k & (-k))
    s += t->fen[k];
  return s;
}

/* How many of the slots LO..HI-1 are in the set. */
static inline uint32_t
set_range (const slot_set *t, uint32_t lo, uint32_t hi)
{
  if (hi - lo > (1u << LINE_BITS))
    return set_below (t, hi) - set_below (t, lo);
  /* a few words: their bits */
  size_t a = lo >> 6, b = (hi - 1) >> 6;
  uint64_t first = ~UINT64_C (0) << (lo & 63);
  uint64_t last = ~UINT64_C (0) >> (63 - ((hi - 1) & 63));
  if (a == b)
    return bit_count (t->bits[a] & first & last);
  uint32_t s = bit_count (t->bits[a] & first) + bit_count (t->bits[b] & last);
  for (size_t q = a + 1; q < b; q++)
    s += bit_count (t->bits[q]);
  return s;
}

/* The members of group G in the set. */
static inline uint32_t
set_count (const slot_set *t, span g)
{
  return g.hi == g.lo + 1 ? (uint32_t) ((t->bits[g.lo >> 6] >> (g.lo & 63)) & 1)
    : set_range (t, g.lo, g.hi);
}

/* A member of group G enters the set; returns how many were there. */
static inline uint32_t
set_enter (slot_set *t, span g)
{
  uint32_t here = g.hi == g.lo + 1 ? 0 : set_range (t, g.lo, g.hi);
  set_change (t, g.lo + here, 1);
  return here;
}

/* A member of group G leaves the set. */
static inline void
set_leave (slot_set *t, span g)
{
  set_change (t, g.lo + set_count (t, g) - 1, 0);
}

/* Against group G: the members of the set below it less those above it
   (2 below + here - total). */
static inline int64_t
set_less_greater (const slot_set *t, span g)
{
  return 2 * (int64_t) set_below (t, g.lo) + set_count (t, g) - t->total;
}

/* The set no longer changes: the counts below each line in LINE (nline
   entries), so that the count below a slot is that and the bits before it
   in its line, without the tree. */
static void
set_freeze (const slot_set *t, uint32_t *line)
{
  uint32_t sum = 0;
  for (size_t k = 0; k < t->nline; k++)
    {
      size_t lastword = k * LINE_WORDS + LINE_WORDS - 1;
      line[k] = sum;
      sum += lane (t, lastword) + bit_count (t->bits[lastword]);
    }
}

static inline int64_t
set_less_greater_frozen (const slot_set *t, const uint32_t *line, span g)
{
  uint32_t lo = g.lo;
  uint64_t word = t->bits[lo >> 6] & ((UINT64_C (1) << (lo & 63)) - 1);
  uint32_t below = line[lo >> LINE_BITS] + lane (t, lo >> 6) + bit_count (word);
  return 2 * (int64_t) below + set_count (t, g) - t->total;
}

/* Bits of a walk position's flags. */
enum { F_EVENT = 1, F_SAME_TIME = 2, F_NEW_STRATUM = 4 };

/* The walk: patients by stratum, decreasing time, the censored before the
   events at the same time (they outlive the event).  Two independent
   halves, one per set, run side by side.  A patient's influence wants the
   comparable pairs it is in by kind: their number (the walk's positions
   give it, see axs_concordance) and the concordant less the discordant,
   here as those with x below less those above (AS_LOW, AS_HIGH).

   ALL (everyone entered so far): each event pairs with those walked before
   it (later times, or censored at its time): its pairs by kind, into
   COUNT[0..2] and, for an event, AS_LOW.  Tied events enter only after the
   whole block: they don't pair.

   DEAD (the events so far): a patient also pairs with the events walked
   after it, counted as the set at the stratum's end less the set when it
   entered, into AS_HIGH (from the event's side: the patient above it); and
   the ties of the events among themselves (in time: COUNT[3]; in time and
   x: COUNT[4]). */
typedef struct
{
  size_t n;
  const span *group;            /* n, in walk order: the slots of X */
  const unsigned char *flag;    /* n, in walk order: F_* */
  int32_t *as_low, *as_high;    /* n each */
  int64_t count[5];             /* greater, less, equal, tied y, tied xy */
  int status;
} walk_job;

static size_t
stratum_end (const unsigned char *flag, size_t n, size_t start)
{
  size_t end = start + 1;
  while (end < n && !(flag[end] & F_NEW_STRATUM))
    end++;
  return end;
}

static void
walk_all (walk_job *j)
{
  slot_set t;
  if ((j->status = set_init (&t, j->n)) != AXS_OK)
    return;
  const span *group = j->group;
  const unsigned char *flag = j->flag;
  int64_t greater = 0, less = 0, equal = 0;
  for (size_t start = 0; start < j->n;)
    {
      size_t end = stratum_end (flag, j->n, start);
      for (size_t i = start; i < end;)
        {
          if (!(flag[i] & F_EVENT))
            {
              set_enter (&t, group[i]);
              i++;
              continue;
            }
          size_t k = i;
          for (; k < end && (k == i || (flag[k] & F_SAME_TIME)); k++)
            {
              uint32_t below = set_below (&t, group[k].lo);
              uint32_t here = set_count (&t, group[k]);
              uint32_t above = t.total - below - here;
              greater += above;
              less += below;
              equal += here;
              j->as_low[k] = (int32_t) above - (int32_t) below;
            }
          for (; i < k; i++)
            set_enter (&t, group[i]);
        }
      /* empty the set for the next stratum, if any */
      for (size_t i = start; end < j->n && i < end; i++)
        set_leave (&t, group[i]);
      start = end;
    }
  j->count[0] = greater;
  j->count[1] = less;
  j->count[2] = equal;
  set_free (&t);
}

static void
walk_dead (walk_job *j)
{
  slot_set t;
  if ((j->status = set_init (&t, j->n)) != AXS_OK)
    return;
  uint32_t *line = malloc (t.nline * sizeof *line);
  if (!line)
    {
      set_free (&t);
      j->status = AXS_ENOMEM;
      return;
    }
  const span *group = j->group;
  const unsigned char *flag = j->flag;
  int32_t *as_high = j->as_high;
  int64_t tied_y = 0, tied_xy = 0;
  for (size_t start = 0; start < j->n;)
    {
      size_t end = stratum_end (flag, j->n, start);
      for (size_t i = start; i < end;)
        {
          size_t k = i + 1;
          if (flag[i] & F_EVENT)
            {
              /* a block of tied events: the pairs among them tied in x
                 are the counts in their groups as they enter, less the
                 counts there before the block (none in a group of one) */
              for (; k < end && (flag[k] & F_SAME_TIME); k++)
                ;
              int64_t nd = (int64_t) (k - i);
              tied_y += nd * (nd - 1) / 2;
              for (size_t a = i; a < k; a++)
                if (group[a].hi != group[a].lo + 1)
                  tied_xy -= set_count (&t, group[a]);
              for (size_t a = i; a < k; a++)
                tied_xy += set_enter (&t, group[a]);
            }
          for (; i < k; i++)
            as_high[i] = (int32_t) -set_less_greater (&t, group[i]);
        }
      /* the set at the stratum's end, which no longer changes */
      set_freeze (&t, line);
      for (size_t i = start; i < end; i++)
        as_high[i] += (int32_t) set_less_greater_frozen (&t, line, group[i]);
      for (size_t i = start; end < j->n && i < end; i++)
        if (flag[i] & F_EVENT)
          set_leave (&t, group[i]);
      start = end;
    }
  j->count[3] = tied_y;
  j->count[4] = tied_xy;
  set_free (&t);
  free (line);
}

static void
walk_task (void *arg, size_t k)
{
  walk_job *j = (walk_job *) arg + k;
  if (k == 0)
    walk_all (j);
  else
    walk_dead (j);
}

/* ---- the slots of X: a bucket sort -------------------------------------

   The values go to about n / 4 buckets by a linear map of their range
   (monotone, and equal values, -0 and +0 too, share a bucket), and the
   buckets are sorted by comparison, most in a few steps: two passes over
   the data and small sorts, where a radix sort of doubles is six.  The
   buckets are grouped in SORT_RANGES ranges: blocks of patients put their
   values in ranges side by side, then each range, a task, sorts its
   buckets and gives its patients their slots.  The split is fixed, so the
   slots are the same whatever the threads; and the walks' counts do not
   depend on which of a group's slots is whose anyway. */
enum { SORT_RANGES = 256, SORT_PER_BUCKET = 4, SORT_BLOCK = 1 << 15,
  SORT_SMALL = 16, SORT_MIN_PARALLEL = 1 << 16 };

typedef struct
{
  double x;
  uint32_t w;
} entry;

typedef struct
{
  size_t n;
  const double *x;
  const uint32_t *src;          /* n: the patient at each walk position */
  double half_min, scale;       /* bucket: (v / 2 - half_min) * scale */
  size_t per_range, nbucket;    /* nbucket = per_range * SORT_RANGES */
  size_t (*at)[SORT_RANGES];    /* per block: its count in each range, then
                                   where its values go */
  size_t start[SORT_RANGES + 1];        /* where each range is in VALUE */
  double *value;                /* n: the values by range */
  uint32_t *pos;                /* n: their walk positions */
  span *group;                  /* n, out: by walk position */
  int status[SORT_RANGES];
} sort_job;

/* The bucket of V: halves, so that the span of any two doubles is finite. */
static inline size_t
bucket_of (const sort_job *j, double v)
{
  double b = (v / 2 - j->half_min) * j->scale;
  return b < (double) j->nbucket ? (size_t) b : j->nbucket - 1;
}

static size_t
block_end (size_t n, size_t b)
{
  return (b + 1) * SORT_BLOCK < n ? (b + 1) * SORT_BLOCK : n;
}

/* Block B of walk positions: the counts of its values in each range. */
static void
sort_count_task (void *arg, size_t b)
{
  sort_job *j = arg;
  size_t *count = j->at[b];
  memset (count, 0, SORT_RANGES * sizeof *count);
  for (size_t w = b * SORT_BLOCK, end = block_end (j->n, b); w < end; w++)
    count[bucket_of (j, j->x[j->src[w]]) / j->per_range]++;
}

/* Block B: its values to their ranges. */
static void
sort_gather_task (void *arg, size_t b)
{
  sort_job *j = arg;
  size_t *at = j->at[b];
  for (size_t w = b * SORT_BLOCK, end = block_end (j->n, b); w < end; w++)
    {
      double v = j->x[j->src[w]];
      size_t q = at[bucket_of (j, v) / j->per_range]++;
      j->value[q] = v;
      j->pos[q] = (uint32_t) w;
    }
}

/* Sort the LEN entries E by value: a quicksort splitting three ways (the
   values equal to the pivot are done: ties are common), insertion for
   small parts. */
static void
sort_bucket (entry *e, size_t len)
{
  while (len > SORT_SMALL)
    {
      double a = e[0].x, b = e[len / 2].x, c = e[len - 1].x;
      double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
      /* E[0..lt) < pivot, E[lt..q) = pivot, E[gt..len) > pivot */
      size_t lt = 0, q = 0, gt = len;
      while (q < gt)
        {
          entry v = e[q];
          if (v.x < pivot)
            {
              e[q++] = e[lt];
              e[lt++] = v;
            }
          else if (v.x > pivot)
            {
              e[q] = e[--gt];
              e[gt] = v;
            }
          else
            q++;
        }
      /* the smaller side by recursion, the larger by the loop */
      if (lt < len - gt)
        {
          sort_bucket (e, lt);
          e += gt;
          len -= gt;
        }
      else
        {
          sort_bucket (e + gt, len - gt);
          len = lt;
        }
    }
  for (size_t q = 1; q < len; q++)
    {
      entry v = e[q];
      size_t p = q;
      for (; p > 0 && e[p - 1].x > v.x; p--)
        e[p] = e[p - 1];
      e[p] = v;
    }
}

/* Range R: its values into their buckets, each bucket sorted, and each
   group of equal values its slots. */
static void
sort_range_task (void *arg, size_t r)
{
  sort_job *j = arg;
  size_t lo = j->start[r], len = j->start[r + 1] - lo;
  size_t first = r * j->per_range;
  if (len == 0)
    return;
  entry *e = malloc (len * sizeof *e);
  size_t *at = calloc (j->per_range + 1, sizeof *at);
  if (!e || !at)
    {
      free (e);
      free (at);
      j->status[r] = AXS_ENOMEM;
      return;
    }
  for (size_t q = lo; q < lo + len; q++)
    at[bucket_of (j, j->value[q]) - first + 1]++;
  for (size_t b = 0; b < j->per_range; b++)
    at[b + 1] += at[b];
  for (size_t q = lo; q < lo + len; q++)
    {
      entry *to = &e[at[bucket_of (j, j->value[q]) - first]++];
      to->x = j->value[q];
      to->w = j->pos[q];
    }
  /* AT[b] is now where bucket b + 1 starts */
  for (size_t b = 0, from = 0; b < j->per_range; from = at[b++])
    sort_bucket (e + from, at[b] - from);
  for (size_t q = 0; q < len;)
    {
      size_t end = q + 1;
      while (end < len && e[end].x == e[q].x)
        end++;
      span g = { (uint32_t) (lo + q), (uint32_t) (lo + end) };
      for (; q < end; q++)
        j->group[e[q].w] = g;
    }
  free (e);
  free (at);
}

/* GROUP[w]: the slots of the value of walk position w, X[SRC[w]], in X
   sorted; XMIN, XMAX: the least and the largest.  VALUE (doubles) and POS
   (uint32) are scratch of N.  Returns a status. */
static int
sort_values (size_t n, const double *x, const uint32_t *src, double xmin,
             double xmax, double *value, uint32_t *pos, span *group)
{
  sort_job j = { .n = n, .x = x, .src = src, .value = value, .pos = pos,
                 .group = group };
  int threads = n < SORT_MIN_PARALLEL ? 1 : axs_parallel_threads ();
  size_t nblock = (n + SORT_BLOCK - 1) / SORT_BLOCK;
  j.per_range = (n + SORT_PER_BUCKET * SORT_RANGES - 1) / (SORT_PER_BUCKET * SORT_RANGES);
  j.nbucket = j.per_range * SORT_RANGES;
  j.half_min = xmin / 2;
  j.scale = (double) j.nbucket / (xmax / 2 - xmin / 2);
  if (!(j.scale <= DBL_MAX))
    j.scale = DBL_MAX;          /* all values equal, or nearly: 0 stays 0 */
  if (!(j.at = malloc (nblock * sizeof *j.at)))
    return AXS_ENOMEM;
  axs_parallel_for (nblock, threads, sort_count_task, &j);
  /* the ranges one after the other, the blocks in order within each */
  size_t q = 0;
  for (int r = 0; r < SORT_RANGES; r++)
    {
      j.start[r] = q;
      for (size_t b = 0; b < nblock; b++)
        {
          size_t c = j.at[b][r];
          j.at[b][r] = q;
          q += c;
        }
    }
  j.start[SORT_RANGES] = n;
  axs_parallel_for (nblock, threads, sort_gather_task, &j);
  free (j.at);
  axs_parallel_for (SORT_RANGES, threads, sort_range_task, &j);
  for (int r = 0; r < SORT_RANGES; r++)
    if (j.status[r] != AXS_OK)
      return j.status[r];
  return AXS_OK;
}

int
axs_concordance (size_t n, const double *time, const int *event,
                 const int *strata, const double *x, int x_is_risk,
                 axs_concordance_result *res)
{
  if (n == 0 || time == NULL || event == NULL || x == NULL || res == NULL)
    return AXS_EINVAL;
  if (n >= INT32_MAX)
    return AXS_ENOMEM;            /* slots and influences count in 32 bits */
  int sorted = 1;                 /* by stratum and time already */
  double xmin = x[0], xmax = x[0];
  for (size_t i = 0; i < n; i++)
    {
      if (!isfinite (time[i]) || !isfinite (x[i]) || (event[i] != 0 && event[i] != 1)
          || (strata != NULL && strata[i] < 0))
        return AXS_EINVAL;
      if (i > 0 && (strata != NULL && strata[i] != strata[i - 1]
                    ? strata[i] < strata[i - 1] : time[i] < time[i - 1]))
        sorted = 0;
      xmin = x[i] < xmin ? x[i] : xmin;
      xmax = x[i] > xmax ? x[i] : xmax;
    }

  /* ORD: the stratum and time order, NULL when it is the data's */
  size_t *ord = NULL;
  uint32_t *src = malloc (n * sizeof *src), *pos = malloc (n * sizeof *pos);
  unsigned char *flag = malloc (n);
  span *group = malloc (n * sizeof *group);
  /* the values by range, then the two influences (as many bytes) */
  void *scratch = malloc (n * sizeof (double));
  int st = src && pos && flag && group && scratch ? AXS_OK : AXS_ENOMEM;
  if (st == AXS_OK && !sorted)
    {
      if (!(ord = malloc (n * sizeof *ord)))
        st = AXS_ENOMEM;
      else
        st = axs_order_strata (n, time, strata, ord);
    }
#define ORD(i) (ord ? ord[i] : (i))
  if (st == AXS_OK)
    {
      /* the walk order: ORD backwards, each block of equal times with its
         censored first */
      size_t w = 0;
      for (size_t hi = n; hi > 0;)
        {
          size_t r = ORD (hi - 1), lo = hi - 1;
          while (lo > 0 && time[ORD (lo - 1)] == time[r]
                 && (strata == NULL || strata[ORD (lo - 1)] == strata[r]))
            lo--;
          int newstratum = w == 0
            || (strata != NULL && strata[r] != strata[ORD (hi)]);
          size_t first = w;
          for (int ev = 0; ev <= 1; ev++)
            for (size_t i = hi; i-- > lo;)
              if ((event[ORD (i)] != 0) == ev)
                {
                  src[w] = (uint32_t) ORD (i);
                  flag[w] = (unsigned char) ((ev ? F_EVENT : 0)
                                             | (w == first
                                                ? (newstratum ? F_NEW_STRATUM : 0)
                                                : F_SAME_TIME));
                  w++;
                }
          hi = lo;
        }
#undef ORD
      free (ord);
      ord = NULL;
      st = sort_values (n, x, src, xmin, xmax, scratch, pos, group);
    }
  free (src);
  free (pos);
  src = pos = NULL;

  int64_t count[5] = { 0, 0, 0, 0, 0 }; /* greater, less, equal, tied y, tied xy */
  int32_t *as_low = scratch, *as_high = as_low + n;
  if (st == AXS_OK)
    {
      walk_job job[2] = {
        { n, group, flag, as_low, as_high, { 0 }, AXS_OK },
        { n, group, flag, as_low, as_high, { 0 }, AXS_OK } };
      axs_parallel_for (2, axs_parallel_threads (), walk_task, job);
      st = job[0].status != AXS_OK ? job[0].status : job[1].status;
      for (int k = 0; k < 3; k++)
        count[k] = job[0].count[k];
      count[3] = job[1].count[3];
      count[4] = job[1].count[4];
    }
  free (group);
  group = NULL;

  if (st == AXS_OK)
    {
      count[3] -= count[4];   /* tied on both was counted as tied on y too */
      double npair = (double) (count[0] + count[1] + count[2]);
      if (npair == 0)
        st = AXS_EDOM;
      else
        {
          /* each patient's dfbeta: with the comparable pairs it is in,
             their number from the walk's positions: for an event, the
             patients walked before its block in its stratum (ALL); for
             anyone, the events walked after it (DEAD: after its block for
             an event, from its block on for the censored) */
          double somer = (double) (count[0] - count[1]) / npair, v = 0;
          for (size_t start = 0; start < n;)
            {
              size_t end = stratum_end (flag, n, start), events = 0;
              for (size_t i = start; i < end; i++)
                events += flag[i] & F_EVENT;
              for (size_t i = start; i < end;)
                {
                  /* a block of equal times: the censored, then the events
                     from FE */
                  size_t k = i + 1, fe;
                  while (k < end && (flag[k] & F_SAME_TIME))
                    k++;
                  for (fe = i; fe < k && !(flag[fe] & F_EVENT); fe++)
                    ;
                  for (; i < k; i++)
                    {
                      int64_t diff = as_high[i], num = (int64_t) events;
                      if (flag[i] & F_EVENT)
                        {
                          diff += as_low[i];
                          num += (int64_t) (fe - start) - (int64_t) (k - fe);
                        }
                      double dfb = (double) diff / npair - somer / npair * (double) num;
                      v += dfb * dfb;
                    }
                  events -= k - fe;
                }
              start = end;
            }
          double conc = (somer + 1) / 2;
          res->concordant = (double) (x_is_risk ? count[1] : count[0]);
          res->discordant = (double) (x_is_risk ? count[0] : count[1]);
          res->tied_x = (double) count[2];
          res->tied_y = (double) count[3];
          res->tied_xy = (double) count[4];
          res->concordance = x_is_risk ? 1 - conc : conc;
          res->var = v / 4;
          res->std_err = sqrt (res->var);
        }
    }

  free (src);
  free (pos);
  free (flag);
  free (group);
  free (scratch);
  return st;
}
