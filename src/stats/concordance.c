/* concordance.c: Harrell's C and its standard error in O(n log n). */
#include "stats/concordance.h"
#include "stats/order.h"
#include "stats/parallel.h"
#include "stats/status.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Counts by rank of X of one set of patients (everyone entered so far, or
   the events so far): a Fenwick tree for prefix sums plus the plain count
   per rank side by side, so that a walk touches one cache line per step.
   Every weight is 1 (or -1 to empty it), so the counts are integers: 32
   bits (exact while n < 2^31); unsigned, so wrapping arithmetic stays exact
   for any order of adds and removes. */
typedef struct
{
  uint32_t fen;      /* 1-based Fenwick node (entry 0 unused) */
  uint32_t node;     /* count at rank k (entry m unused) */
} rank_cell;

typedef struct
{
  size_t m;
  rank_cell *c;      /* m + 1 */
  uint32_t total;
} rank_tree;

/* Weight with rank above, below and equal to R. */
typedef struct
{
  int64_t greater, less, equal;
} rank_sums;

static void
tree_add (rank_tree *t, size_t r, uint32_t w)
{
  t->c[r].node += w;
  t->total += w;
  for (size_t k = r + 1; k <= t->m; k += k & (-k))
    t->c[k].fen += w;
}

static rank_sums
tree_walk (const rank_tree *t, size_t r)
{
  uint32_t below = 0;
  for (size_t k = r; k > 0; k -= k & (-k))
    below += t->c[k].fen;
  uint32_t here = t->c[r].node;
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
  size_t n, m;
  const uint32_t *wrank;        /* n, in walk order: the rank of X */
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
  rank_tree t = { j->m, calloc (j->m + 1, sizeof *t.c), 0 };
  if (!t.c)
    {
      j->status = AXS_ENOMEM;
      return;
    }
  const uint32_t *wrank = j->wrank;
  int32_t *infl = j->infl_all;
  double g = 0, l = 0, e = 0;
  for (size_t start = 0; start < j->n;)
    {
      size_t end = stratum_end (j, start);
      for (size_t i = start; i < end;)
        {
          if (!(j->flag[i] & F_EVENT))
            {
              tree_add (&t, wrank[i], 1);
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
            tree_add (&t, wrank[i], 1);
        }
      /* empty the tree for the next stratum, if any */
      for (size_t i = start; end < j->n && i < end; i++)
        tree_add (&t, wrank[i], UINT32_MAX);    /* -1, wrapping */
      start = end;
    }
  j->count[0] = g;
  j->count[1] = l;
  j->count[2] = e;
  free (t.c);
}

static void
walk_dead (walk_job *j)
{
  rank_tree t = { j->m, calloc (j->m + 1, sizeof *t.c), 0 };
  if (!t.c)
    {
      j->status = AXS_ENOMEM;
      return;
    }
  const uint32_t *wrank = j->wrank;
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
                tied_xy -= t.c[wrank[a]].node;
              for (size_t a = i; a < k; a++)
                {
                  tied_xy += t.c[wrank[a]].node;
                  tree_add (&t, wrank[a], 1);
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
      for (size_t i = start; i < end; i++)
        {
          rank_sums s = tree_walk (&t, wrank[i]);
          infl[3 * i] += (int32_t) s.less;
          infl[3 * i + 1] += (int32_t) s.greater;
          infl[3 * i + 2] += (int32_t) s.equal;
        }
      for (size_t i = start; end < j->n && i < end; i++)
        if (j->flag[i] & F_EVENT)
          tree_add (&t, wrank[i], UINT32_MAX);
      start = end;
    }
  j->count[3] = tied_y;
  j->count[4] = tied_xy;
  free (t.c);
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
  uint32_t *rank = malloc (n * sizeof *rank);
  uint32_t *wrank = NULL;
  unsigned char *flag = NULL;
  int32_t *infl = NULL;
  int st = AXS_OK;
  if (!ord || !rank)
    st = AXS_ENOMEM;

  /* ranks of X: equal values share a rank */
  size_t m = 0;
  if (st == AXS_OK)
    st = axs_order (n, x, ord);
  if (st == AXS_OK)
    {
      for (size_t i = 0; i < n; i++)
        {
          if (i > 0 && x[ord[i]] != x[ord[i - 1]])
            m++;
          rank[ord[i]] = (uint32_t) m;
        }
      m++;
      st = axs_order_strata (n, time, strata, ord);
    }
  if (st == AXS_OK)
    {
      wrank = malloc (n * sizeof *wrank);
      flag = malloc (n);
      if (!wrank || !flag)
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
      free (ord);
      ord = NULL;
      infl = malloc (6 * n * sizeof *infl);
      if (!infl)
        st = AXS_ENOMEM;
    }

  double count[5] = { 0, 0, 0, 0, 0 };  /* greater, less, equal, tied y, tied xy */
  if (st == AXS_OK)
    {
      walk_job job[2] = { { n, m, wrank, flag, infl, infl + 3 * n, { 0 }, AXS_OK },
                          { n, m, wrank, flag, infl, infl + 3 * n, { 0 }, AXS_OK } };
      axs_parallel_for (2, axs_parallel_threads (), walk_task, job);
      st = job[0].status != AXS_OK ? job[0].status : job[1].status;
      for (int k = 0; k < 3; k++)
        count[k] = job[0].count[k];
      count[3] = job[1].count[3];
      count[4] = job[1].count[4];
    }
  free (wrank);
  wrank = NULL;

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
  free (infl);
  free (wrank);
  free (flag);
  return st;
}
