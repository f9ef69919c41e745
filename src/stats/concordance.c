/* concordance.c: Harrell's C and its standard error in O(n log n). */
#include "stats/concordance.h"
#include "stats/order.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One set of patients (everyone entered so far, or the events so far), by
   the place of their X in sorted order: each patient has a slot of its own
   (equal values take consecutive slots, a rank's group of slots).  A bit
   per slot, and a Fenwick tree over the counts of lines of 512 slots (the
   bits of one cache line), and in each line the count before each word:
   the count below a slot is the tree's prefix (11 steps for 10^6
   patients, in 8 KB), that, and the bits before it in its word, where a
   tree over the ranks was 20 steps over 8 MB.  The counts are
   integers: 32 bits (exact while n < 2^31); unsigned, so wrapping
   arithmetic stays exact for any order of adds and removes. */
enum { LINE_BITS = 9, LINE_WORDS = 1 << (LINE_BITS - 6) };

typedef struct
{
  size_t nline;
  uint64_t *bits;               /* nline lines of LINE_WORDS words */
  uint16_t *before;             /* per word: the line's bits in the words
                                   before it (exact mod 2^16; at most 448) */
  uint32_t *fen;                /* nline + 1: 1-based Fenwick tree */
  const uint32_t *group;        /* m + 1: the first slot of each rank */
  uint32_t total;
} rank_tree;

/* Weight with rank above, below and equal to R. */
typedef struct
{
  int64_t greater, less, equal;
} rank_sums;

static void
tree_free (rank_tree *t)
{
  free (t->bits);
  free (t->before);
  free (t->fen);
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

/* The bits of X below bit B. */
static inline uint32_t
bits_below (uint64_t x, uint32_t b)
{
  return bit_count (x & ((UINT64_C (1) << b) - 1));
}

/* An empty set for slots 0..N-1; returns AXS_OK or AXS_ENOMEM. */
static int
tree_init (rank_tree *t, size_t n, const uint32_t *group)
{
  t->nline = (n >> LINE_BITS) + 1;      /* slot N has a line too */
  t->bits = calloc (t->nline * LINE_WORDS, sizeof *t->bits);
  t->before = calloc (t->nline * LINE_WORDS, sizeof *t->before);
  t->fen = calloc (t->nline + 1, sizeof *t->fen);
  t->group = group;
  t->total = 0;
  if (!t->bits || !t->before || !t->fen)
    {
      tree_free (t);
      return AXS_ENOMEM;
    }
  return AXS_OK;
}


/* Put SLOT in the set (W = 1) or take it out (W = -1, wrapping). */
static inline void
tree_add (rank_tree *t, uint32_t slot, uint32_t w)
{
  uint64_t bit = UINT64_C (1) << (slot & 63);
  size_t word = slot >> 6;
  if (w == 1)
    t->bits[word] |= bit;
  else
    t->bits[word] &= ~bit;
  for (size_t q = word + 1; q & (LINE_WORDS - 1); q++)
    t->before[q] = (uint16_t) (t->before[q] + w);
  t->total += w;
  for (size_t k = (slot >> LINE_BITS) + 1; k <= t->nline; k += k & (-k))
    t->fen[k] += w;
}

/* How many slots below SLOT are in the set. */
static inline uint32_t
tree_below (const rank_tree *t, uint32_t slot)
{
  uint32_t s = t->before[slot >> 6] + bits_below (t->bits[slot >> 6], slot & 63);
  for (size_t k = slot >> LINE_BITS; k > 0; k -= k & (-k))
    s += t->fen[k];
  return s;
}

/* How many of the slots LO..HI-1 are in the set. */
static inline uint32_t
tree_range (const rank_tree *t, uint32_t lo, uint32_t hi)
{
  if (hi - lo > (1u << LINE_BITS))
    return tree_below (t, hi) - tree_below (t, lo);
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

/* The count of rank R: its slots in the set. */
static inline uint32_t
tree_count (const rank_tree *t, uint32_t r)
{
  uint32_t lo = t->group[r], hi = t->group[r + 1];
  return hi == lo + 1 ? (uint32_t) ((t->bits[lo >> 6] >> (lo & 63)) & 1)
    : tree_range (t, lo, hi);
}

static inline rank_sums
tree_walk (const rank_tree *t, uint32_t r)
{
  uint32_t below = tree_below (t, t->group[r]), here = tree_count (t, r);
  rank_sums s = { (int64_t) (t->total - below - here), below, here };
  return s;
}

/* The set no longer changes: the counts below each line in LINE (nline
   entries), so that the count below a slot is that and the bits before it
   in its line, without the tree. */
static void
tree_freeze (const rank_tree *t, uint32_t *line)
{
  uint32_t sum = 0;
  for (size_t k = 0; k < t->nline; k++)
    {
      size_t lastword = k * LINE_WORDS + LINE_WORDS - 1;
      line[k] = sum;
      sum += t->before[lastword] + bit_count (t->bits[lastword]);
    }
}

static inline rank_sums
tree_walk_frozen (const rank_tree *t, const uint32_t *line, uint32_t r)
{
  uint32_t lo = t->group[r];
  uint32_t below = line[lo >> LINE_BITS] + t->before[lo >> 6]
    + bits_below (t->bits[lo >> 6], lo & 63);
  uint32_t here = tree_count (t, r);
  rank_sums s = { (int64_t) (t->total - below - here), below, here };
  return s;
}

/* Bits of a walk position's flags. */
enum { F_EVENT = 1, F_SAME_TIME = 2, F_NEW_STRATUM = 4 };

/* The walk: patients by stratum, decreasing time, the censored before the
   events at the same time (they outlive the event).  Two independent
   halves, one per tree, run side by side:

   ALL (everyone entered so far): each event pairs with those walked before
   it (later times, or censored at its time): its comparable pairs by kind,
   into COUNT[0..2] and INFL_ALL.  Tied events enter only after the whole
   block: they don't pair.

   DEAD (the events so far): a patient also pairs with the events walked
   after it, counted as the tree at the stratum's end less the tree when it
   entered, into INFL_DEAD; and the ties of the events among themselves (in
   time: COUNT[3]; in time and x: COUNT[4]). */
typedef struct
{
  size_t n;
  const uint32_t *group;        /* m + 1: the first slot of each rank of X */
  const uint32_t *wrank;        /* n, in walk order: the rank of X */
  const uint32_t *wslot;        /* n, in walk order: the slot of X */
  const unsigned char *flag;    /* n, in walk order: F_* */
  int32_t *infl_all, *infl_dead;  /* 3n: greater, less, equal (signed as the
                                     influence wants them) */
  double count[5];              /* greater, less, equal, tied y, tied xy */
  int status;
} walk_job;

static size_t
stratum_end (const walk_job *j, size_t start)
{
  size_t end = start + 1;
  while (end < j->n && !(j->flag[end] & F_NEW_STRATUM))
    end++;
  return end;
}

static void
walk_all (walk_job *j)
{
  rank_tree t;
  if ((j->status = tree_init (&t, j->n, j->group)) != AXS_OK)
    return;
  const uint32_t *wrank = j->wrank, *wslot = j->wslot;
  int32_t *infl = j->infl_all;
  double g = 0, l = 0, e = 0;
  for (size_t start = 0; start < j->n;)
    {
      size_t end = stratum_end (j, start);
      for (size_t i = start; i < end;)
        {
          if (!(j->flag[i] & F_EVENT))
            {
              tree_add (&t, wslot[i], 1);
              i++;
              continue;
            }
          size_t k = i;
          for (; k < end && (k == i || (j->flag[k] & F_SAME_TIME)); k++)
            {
              rank_sums s = tree_walk (&t, wrank[k]);
              g += (double) s.greater;
              l += (double) s.less;
              e += (double) s.equal;
              infl[3 * k] = (int32_t) s.greater;
              infl[3 * k + 1] = (int32_t) s.less;
              infl[3 * k + 2] = (int32_t) s.equal;
            }
          for (; i < k; i++)
            tree_add (&t, wslot[i], 1);
        }
      /* empty the tree for the next stratum, if any */
      for (size_t i = start; end < j->n && i < end; i++)
        tree_add (&t, wslot[i], UINT32_MAX);    /* -1, wrapping */
      start = end;
    }
  j->count[0] = g;
  j->count[1] = l;
  j->count[2] = e;
  tree_free (&t);
}

static void
walk_dead (walk_job *j)
{
  rank_tree t;
  if ((j->status = tree_init (&t, j->n, j->group)) != AXS_OK)
    return;
  uint32_t *line = malloc (t.nline * sizeof *line);
  if (!line)
    {
      tree_free (&t);
      j->status = AXS_ENOMEM;
      return;
    }
  const uint32_t *wrank = j->wrank, *wslot = j->wslot;
  int32_t *infl = j->infl_dead;
  double tied_y = 0, tied_xy = 0;
  for (size_t start = 0; start < j->n;)
    {
      size_t end = stratum_end (j, start);
      for (size_t i = start; i < end;)
        {
          size_t k = i + 1;
          if (j->flag[i] & F_EVENT)
            {
              /* a block of tied events: the pairs among them tied in x
                 are the counts at their ranks as they enter, less the
                 counts there before the block */
              for (; k < end && (j->flag[k] & F_SAME_TIME); k++)
                ;
              double nd = (double) (k - i);
              tied_y += nd * (nd - 1) / 2;
              for (size_t a = i; a < k; a++)
                tied_xy -= tree_count (&t, wrank[a]);
              for (size_t a = i; a < k; a++)
                {
                  tied_xy += tree_count (&t, wrank[a]);
                  tree_add (&t, wslot[a], 1);
                }
            }
          for (; i < k; i++)
            {
              rank_sums s = tree_walk (&t, wrank[i]);
              infl[3 * i] = (int32_t) -s.less;
              infl[3 * i + 1] = (int32_t) -s.greater;
              infl[3 * i + 2] = (int32_t) -s.equal;
            }
        }
      /* the set at the stratum's end, which no longer changes */
      tree_freeze (&t, line);
      for (size_t i = start; i < end; i++)
        {
          rank_sums s = tree_walk_frozen (&t, line, wrank[i]);
          infl[3 * i] += (int32_t) s.less;
          infl[3 * i + 1] += (int32_t) s.greater;
          infl[3 * i + 2] += (int32_t) s.equal;
        }
      for (size_t i = start; end < j->n && i < end; i++)
        if (j->flag[i] & F_EVENT)
          tree_add (&t, wslot[i], UINT32_MAX);
      start = end;
    }
  j->count[3] = tied_y;
  j->count[4] = tied_xy;
  tree_free (&t);
  free (line);
}

static void
walk_task (void *arg, size_t k)
{
  walk_job *j = arg;
  if (k == 0)
    walk_all (&j[0]);
  else
    walk_dead (&j[1]);
}

/* ---- ranks and slots of X: parts of the values sorted side by side ---- */

/* The values are split at fixed quantiles of a sample into RANK_PARTS
   parts (equal values always in the same part), each part sorted on its
   own task: the ranks and slots are those of one stable sort, whatever the
   threads. */
enum { RANK_PARTS = 4, RANK_SAMPLE = 4096, RANK_MIN_N = 1 << 16 };

/* Blocks of patients for the passes around the sorts (a fixed split). */
enum { RANK_BLOCK = 1 << 15 };

typedef struct
{
  uint32_t *rank;               /* n: out, the rank within the part */
  uint32_t *slot;               /* n: out, the place in the sorted order */
  uint32_t *group;              /* n + 1: out, the first slot of each rank,
                                   part K's from START[K] */
  double *value;                /* n: X by part */
  uint32_t *index;              /* n: the i of each */
  size_t *ord;                  /* n: scratch */
  size_t n;
  const double *x;
  double cut[RANK_PARTS - 1];   /* part k holds cut[k-1] <= x < cut[k] */
  size_t (*at)[RANK_PARTS];     /* per block: its count in each part, then
                                   where its values go */
  uint32_t base[RANK_PARTS];    /* each part's first rank */
  size_t start[RANK_PARTS + 1]; /* where each part is in VALUE */
  size_t distinct[RANK_PARTS];
  int status[RANK_PARTS];
} rank_job;

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Rank, slot and groups of the LEN values V (the INDEX-th of X when INDEX
   is not NULL), their slots from LO, into J; ORD is scratch.  Returns the
   number of distinct values, or 0 (out of memory). */
static size_t
rank_run (rank_job *j, size_t lo, size_t len, const double *v,
          const uint32_t *index, size_t *ord)
{
  if (axs_order (len, v, ord) != AXS_OK)
    return 0;
  uint32_t r = 0;
  for (size_t q = 0; q < len; q++)
    {
      size_t i = index ? index[ord[q]] : ord[q];
      if (q == 0 || v[ord[q]] != v[ord[q - 1]])
        j->group[lo + r++] = (uint32_t) (lo + q);
      j->rank[i] = r - 1;
      j->slot[i] = (uint32_t) (lo + q);
    }
  return r;
}

static size_t
block_end (size_t n, size_t b)
{
  return (b + 1) * RANK_BLOCK < n ? (b + 1) * RANK_BLOCK : n;
}

/* Block B: each value's part (into RANK, for now) and the counts. */
static void
rank_split_task (void *arg, size_t b)
{
  rank_job *j = arg;
  size_t *count = j->at[b];
  memset (count, 0, RANK_PARTS * sizeof *count);
  for (size_t i = b * RANK_BLOCK, end = block_end (j->n, b); i < end; i++)
    {
      uint32_t k = 0;
      for (int c = 0; c < RANK_PARTS - 1; c++)
        k += !(j->x[i] < j->cut[c]);
      j->rank[i] = k;
      count[k]++;
    }
}

/* Block B: its values to their parts. */
static void
rank_gather_task (void *arg, size_t b)
{
  rank_job *j = arg;
  size_t *at = j->at[b];
  for (size_t i = b * RANK_BLOCK, end = block_end (j->n, b); i < end; i++)
    {
      size_t w = at[j->rank[i]]++;
      j->value[w] = j->x[i];
      j->index[w] = (uint32_t) i;
    }
}

/* Block B: the ranks within a part made ranks overall. */
static void
rank_base_task (void *arg, size_t b)
{
  rank_job *j = arg;
  for (size_t i = b * RANK_BLOCK, end = block_end (j->n, b); i < end; i++)
    {
      int k = 0;
      while (k < RANK_PARTS - 1 && j->slot[i] >= j->start[k + 1])
        k++;
      j->rank[i] += j->base[k];
    }
}

static void
rank_part_task (void *arg, size_t k)
{
  rank_job *j = arg;
  size_t lo = j->start[k], len = j->start[k + 1] - lo;
  j->distinct[k] = len ? rank_run (j, lo, len, j->value + lo, j->index + lo,
                                   j->ord + lo) : 0;
  j->status[k] = len && !j->distinct[k] ? AXS_ENOMEM : AXS_OK;
}

/* RANK[i]: the number of distinct values of X below X[i]; SLOT[i]: the
   place of X[i] in X sorted (stable); *GROUP (new, *M + 1 entries): the
   first slot of each rank, and N; *M: the number of distinct values.
   Returns a status. */
static int
rank_values (size_t n, const double *x, uint32_t *rank, uint32_t *slot,
             uint32_t **group, size_t *m)
{
  rank_job j = { .rank = rank, .slot = slot, .n = n, .x = x };
  j.group = *group = malloc ((n + 1) * sizeof *j.group);
  j.ord = malloc (n * sizeof *j.ord);
  int st = j.group && j.ord ? AXS_OK : AXS_ENOMEM;
  if (st == AXS_OK && n < RANK_MIN_N)
    {
      *m = rank_run (&j, 0, n, x, NULL, j.ord);
      st = *m ? AXS_OK : AXS_ENOMEM;
    }
  else if (st == AXS_OK)
    {
      int threads = axs_parallel_threads ();
      size_t nblock = (n + RANK_BLOCK - 1) / RANK_BLOCK;
      double sample[RANK_SAMPLE];
      for (size_t s = 0; s < RANK_SAMPLE; s++)
        sample[s] = x[s * (n / RANK_SAMPLE)];
      qsort (sample, RANK_SAMPLE, sizeof *sample, compare_doubles);
      for (int k = 1; k < RANK_PARTS; k++)
        j.cut[k - 1] = sample[k * RANK_SAMPLE / RANK_PARTS];
      j.at = malloc (nblock * sizeof *j.at);
      j.value = malloc (n * sizeof *j.value);
      j.index = malloc (n * sizeof *j.index);
      st = j.at && j.value && j.index ? AXS_OK : AXS_ENOMEM;
      if (st == AXS_OK)
        {
          axs_parallel_for (nblock, threads, rank_split_task, &j);
          /* the parts one after the other, the blocks in order within each */
          size_t w = 0;
          for (int k = 0; k < RANK_PARTS; k++)
            {
              j.start[k] = w;
              for (size_t b = 0; b < nblock; b++)
                {
                  size_t c = j.at[b][k];
                  j.at[b][k] = w;
                  w += c;
                }
            }
          j.start[RANK_PARTS] = n;
          axs_parallel_for (nblock, threads, rank_gather_task, &j);
          axs_parallel_for (RANK_PARTS, threads, rank_part_task, &j);
        }
      free (j.at);
      free (j.value);
      free (j.index);
      /* the parts' ranks follow each other: their groups close up (each
         part's move is down, onto space the earlier ones left) */
      *m = 0;
      for (int k = 0; st == AXS_OK && k < RANK_PARTS; k++)
        {
          st = j.status[k];
          memmove (j.group + *m, j.group + j.start[k], j.distinct[k] * sizeof *j.group);
          j.base[k] = (uint32_t) *m;
          *m += j.distinct[k];
        }
      if (st == AXS_OK)
        axs_parallel_for (nblock, threads, rank_base_task, &j);
    }
  free (j.ord);
  if (st == AXS_OK)
    j.group[*m] = (uint32_t) n;
  return st;
}

int
axs_concordance (size_t n, const double *time, const int *event,
                 const int *strata, const double *x, int x_is_risk,
                 axs_concordance_result *res)
{
  if (n == 0 || time == NULL || event == NULL || x == NULL || res == NULL)
    return AXS_EINVAL;
  if (n >= INT32_MAX)
    return AXS_ENOMEM;            /* the trees and influences count in 32 bits */
  for (size_t i = 0; i < n; i++)
    if (!isfinite (time[i]) || !isfinite (x[i]) || (event[i] != 0 && event[i] != 1)
        || (strata != NULL && strata[i] < 0))
      return AXS_EINVAL;

  size_t *ord = malloc (n * sizeof *ord);
  uint32_t *rank = malloc (n * sizeof *rank), *slot = malloc (n * sizeof *slot);
  uint32_t *group = NULL, *wrank = NULL, *wslot = NULL;
  unsigned char *flag = NULL;
  int32_t *infl = NULL;
  int st = AXS_OK;
  if (!ord || !rank || !slot)
    st = AXS_ENOMEM;

  /* ranks of X (equal values share a rank) and slots */
  size_t m = 0;
  if (st == AXS_OK)
    st = rank_values (n, x, rank, slot, &group, &m);
  if (st == AXS_OK)
    st = axs_order_strata (n, time, strata, ord);
  if (st == AXS_OK)
    {
      wrank = malloc (n * sizeof *wrank);
      wslot = malloc (n * sizeof *wslot);
      flag = malloc (n);
      if (!wrank || !wslot || !flag)
        st = AXS_ENOMEM;
    }
  if (st == AXS_OK)
    {
      /* the walk's data laid out in walk order, read in sequence: ORD
         backwards, each block of equal times with its censored first */
      size_t w = 0;
      for (size_t hi = n; hi > 0;)
        {
          size_t r = ord[hi - 1], lo = hi - 1;
          while (lo > 0 && time[ord[lo - 1]] == time[r]
                 && (strata == NULL || strata[ord[lo - 1]] == strata[r]))
            lo--;
          int newstratum = w == 0
            || (strata != NULL && strata[r] != strata[ord[hi]]);
          size_t first = w;
          for (int ev = 0; ev <= 1; ev++)
            for (size_t i = hi; i-- > lo;)
              if ((event[ord[i]] != 0) == ev)
                {
                  wrank[w] = rank[ord[i]];
                  wslot[w] = slot[ord[i]];
                  flag[w] = (unsigned char) ((ev ? F_EVENT : 0)
                                             | (w == first
                                                ? (newstratum ? F_NEW_STRATUM : 0)
                                                : F_SAME_TIME));
                  w++;
                }
          hi = lo;
        }
      free (rank);
      rank = NULL;
      free (slot);
      slot = NULL;
      free (ord);
      ord = NULL;
      infl = malloc (6 * n * sizeof *infl);
      if (!infl)
        st = AXS_ENOMEM;
    }

  double count[5] = { 0, 0, 0, 0, 0 };  /* greater, less, equal, tied y, tied xy */
  if (st == AXS_OK)
    {
      walk_job job[2] = {
        { n, group, wrank, wslot, flag, infl, infl + 3 * n, { 0 }, AXS_OK },
        { n, group, wrank, wslot, flag, infl, infl + 3 * n, { 0 }, AXS_OK } };
      axs_parallel_for (2, axs_parallel_threads (), walk_task, job);
      st = job[0].status != AXS_OK ? job[0].status : job[1].status;
      for (int k = 0; k < 3; k++)
        count[k] = job[0].count[k];
      count[3] = job[1].count[3];
      count[4] = job[1].count[4];
    }
  free (wrank);
  free (wslot);
  free (group);
  wrank = wslot = group = NULL;

  if (st == AXS_OK)
    {
      count[3] -= count[4];   /* tied on both was counted as tied on y too */
      double npair = count[0] + count[1] + count[2];
      if (npair == 0)
        st = AXS_EDOM;
      else
        {
          /* each patient's dfbeta: the counts of the comparable pairs it is
             in, by kind */
          double somer = (count[0] - count[1]) / npair, v = 0;
          const int32_t *ia = infl, *id = infl + 3 * n;
          for (size_t i = 0; i < n; i++)
            {
              int64_t c = id[3 * i], d = id[3 * i + 1], t = id[3 * i + 2];
              if (flag[i] & F_EVENT)
                {
                  c += ia[3 * i];
                  d += ia[3 * i + 1];
                  t += ia[3 * i + 2];
                }
              double dfb = (double) (c - d) / npair
                - somer / npair * (double) (c + d + t);
              v += dfb * dfb;
            }
          double conc = (somer + 1) / 2;
          res->concordant = x_is_risk ? count[1] : count[0];
          res->discordant = x_is_risk ? count[0] : count[1];
          res->tied_x = count[2];
          res->tied_y = count[3];
          res->tied_xy = count[4];
          res->concordance = x_is_risk ? 1 - conc : conc;
          res->var = v / 4;
          res->std_err = sqrt (res->var);
        }
    }

  free (ord);
  free (rank);
  free (slot);
  free (group);
  free (infl);
  free (wrank);
  free (wslot);
  free (flag);
  return st;
}
