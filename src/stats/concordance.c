/* concordance.c: Harrell's C and its standard error in O(n log n). */
#include "stats/concordance.h"
#include "stats/order.h"
#include "stats/status.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Counts by rank of X for two sets at once (everyone entered so far, and
   the events so far): a Fenwick tree for prefix sums plus the plain count per
   rank, the four counts of a rank side by side so that a walk of both trees
   at one rank touches one cache line per step.  Every weight is 1 (or -1 to
   empty it), so the counts are integers: 32 bits (exact while n < 2^32);
   unsigned, so wrapping arithmetic stays exact for any order of adds and
   removes. */
enum { ALL = 0, DEAD = 1 };
typedef struct
{
  uint32_t fen[2];   /* 1-based Fenwick nodes (entry 0 unused) */
  uint32_t node[2];  /* count at rank k (entry m unused) */
} rank_cell;

typedef struct
{
  size_t m;
  rank_cell *c;      /* m + 1 */
  uint32_t total[2];
} rank_tree;

/* Weight with rank above, below and equal to R. */
typedef struct
{
  double greater, less, equal;
} rank_sums;

static void
tree_add (rank_tree *t, int set, size_t r, uint32_t w)
{
  t->c[r].node[set] += w;
  t->total[set] += w;
  for (size_t k = r + 1; k <= t->m; k += k & (-k))
    t->c[k].fen[set] += w;
}

static rank_sums
tree_walk (const rank_tree *t, int set, size_t r)
{
  uint32_t below = 0;
  for (size_t k = r; k > 0; k -= k & (-k))
    below += t->c[k].fen[set];
  uint32_t here = t->c[r].node[set];
  rank_sums s = { (double) (t->total[set] - below - here), (double) below,
                  (double) here };
  return s;
}

/* PERM = PERM reordered by a stable sort on KEY[PERM[i]] (KEY indexed by
   patient); ORD is scratch of n and comes back holding the old PERM. */
static int
refine (size_t n, size_t **perm, size_t **ord, const double *key, double *tmp)
{
  size_t *p = *perm, *o = *ord;
  for (size_t i = 0; i < n; i++)
    tmp[i] = key[p[i]];
  int st = axs_order (n, tmp, o);
  if (st != AXS_OK)
    return st;
  for (size_t i = 0; i < n; i++)
    o[i] = p[o[i]];
  *perm = o;
  *ord = p;
  return AXS_OK;
}

/* Bits of a walk position's flags. */
enum { F_EVENT = 1, F_SAME_TIME = 2, F_NEW_STRATUM = 4 };

int
axs_concordance (size_t n, const double *time, const int *event,
                 const int *strata, const double *x, int x_is_risk,
                 axs_concordance_result *res)
{
  if (n == 0 || time == NULL || event == NULL || x == NULL || res == NULL)
    return AXS_EINVAL;
  if (n >= UINT32_MAX)
    return AXS_ENOMEM;            /* the trees count in 32 bits */
  for (size_t i = 0; i < n; i++)
    if (!isfinite (time[i]) || !isfinite (x[i]) || (event[i] != 0 && event[i] != 1)
        || (strata != NULL && strata[i] < 0))
      return AXS_EINVAL;

  size_t *perm = malloc (n * sizeof *perm);
  size_t *ord = malloc (n * sizeof *ord);
  uint32_t *rank = malloc (n * sizeof *rank);
  double *tmp = NULL, *infl = NULL, *dfb = NULL;
  uint32_t *wrank = NULL;          /* in walk order: the rank of X */
  unsigned char *flag = NULL;      /* in walk order: F_* */
  rank_tree tree = { 0 };
  int st = AXS_OK;
  if (!perm || !ord || !rank)
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
      /* walk order: stratum, decreasing time, censored before events at the
         same time (they outlive the event), then by rank so ties in X sit
         together.  The last two keys at once: ORD is the stable order of
         the ranks, so the censored in ORD's order, then the events, is the
         stable order of (event, rank) */
      size_t k = 0;
      for (size_t i = 0; i < n; i++)
        if (!event[ord[i]])
          perm[k++] = ord[i];
      for (size_t i = 0; i < n; i++)
        if (event[ord[i]])
          perm[k++] = ord[i];
      if (!(tmp = malloc (n * sizeof *tmp)))
        st = AXS_ENOMEM;
    }
  if (st == AXS_OK)
    {
      double *key = malloc (n * sizeof *key);
      if (!key)
        st = AXS_ENOMEM;
      for (size_t i = 0; st == AXS_OK && i < n; i++)
        key[i] = -time[i];
      if (st == AXS_OK)
        st = refine (n, &perm, &ord, key, tmp);
      for (size_t i = 0; st == AXS_OK && strata != NULL && i < n; i++)
        key[i] = strata[i];
      if (st == AXS_OK && strata != NULL)
        st = refine (n, &perm, &ord, key, tmp);
      free (key);
    }
  free (tmp);
  free (ord);
  ord = NULL;

  /* the walk's data laid out in walk order, read in sequence */
  if (st == AXS_OK)
    {
      wrank = malloc (n * sizeof *wrank);
      flag = malloc (n);
      if (!wrank || !flag)
        st = AXS_ENOMEM;
    }
  if (st == AXS_OK)
    {
      for (size_t i = 0; i < n; i++)
        {
          size_t ii = perm[i];
          int newstratum = i == 0 || (strata != NULL && strata[ii] != strata[perm[i - 1]]);
          wrank[i] = rank[ii];
          flag[i] = (unsigned char) ((event[ii] ? F_EVENT : 0)
                                     | (newstratum ? F_NEW_STRATUM : 0)
                                     | (!newstratum && time[ii] == time[perm[i - 1]]
                                        ? F_SAME_TIME : 0));
        }
      free (rank);
      rank = NULL;
      tree.m = m;
      tree.c = calloc (m + 1, sizeof *tree.c);
      infl = calloc (3 * n, sizeof *infl);   /* per walk position: greater, less, equal */
      if (!tree.c || !infl)
        st = AXS_ENOMEM;
    }

  double v = 0;                         /* sum of the dfbeta squared */
  double count[5] = { 0, 0, 0, 0, 0 };  /* greater, less, equal, tied y, tied xy */
  for (size_t start = 0; st == AXS_OK && start < n;)
    {
      size_t end = start + 1;
      while (end < n && !(flag[end] & F_NEW_STRATUM))
        end++;

      for (size_t i = start; i < end;)
        {
          if (!(flag[i] & F_EVENT))
            {
              /* the events walked later (earlier in time) pair with i: counted
                 as everything in the event tree at the end less what is there now */
              rank_sums s = tree_walk (&tree, DEAD, wrank[i]);
              infl[3 * i] -= s.less;
              infl[3 * i + 1] -= s.greater;
              infl[3 * i + 2] -= s.equal;
              tree_add (&tree, ALL, wrank[i], 1);
              i++;
              continue;
            }
          size_t j = i;
          double ndead = 0, ntied = 0;
          uint32_t xsave = wrank[i];
          for (; j < end && (j == i || (flag[j] & F_SAME_TIME)); j++)
            {
              count[3] += ndead;
              ndead++;
              if (wrank[j] != xsave)
                {
                  ntied = 0;
                  xsave = wrank[j];
                }
              count[4] += ntied;
              ntied++;
              rank_sums s = tree_walk (&tree, ALL, wrank[j]);
              count[0] += s.greater;
              count[1] += s.less;
              count[2] += s.equal;
              infl[3 * j] += s.greater;
              infl[3 * j + 1] += s.less;
              infl[3 * j + 2] += s.equal;
              tree_add (&tree, DEAD, wrank[j], 1);
            }
          /* only now do the tied events enter the risk set: they don't pair */
          for (size_t k = i; k < j; k++)
            {
              rank_sums s = tree_walk (&tree, DEAD, wrank[k]);
              infl[3 * k] -= s.less;
              infl[3 * k + 1] -= s.greater;
              infl[3 * k + 2] -= s.equal;
              tree_add (&tree, ALL, wrank[k], 1);
            }
          i = j;
        }
      for (size_t i = start; i < end; i++)
        {
          rank_sums s = tree_walk (&tree, DEAD, wrank[i]);
          infl[3 * i] += s.less;
          infl[3 * i + 1] += s.greater;
          infl[3 * i + 2] += s.equal;
        }
      /* empty both trees for the next stratum, if any */
      for (size_t i = start; end < n && i < end; i++)
        {
          tree_add (&tree, ALL, wrank[i], UINT32_MAX);    /* -1, wrapping */
          if (flag[i] & F_EVENT)
            tree_add (&tree, DEAD, wrank[i], UINT32_MAX);
        }
      start = end;
    }
  free (tree.c);
  tree.c = NULL;
  free (wrank);
  wrank = NULL;
  free (flag);
  flag = NULL;

  if (st == AXS_OK)
    {
      count[3] -= count[4];   /* tied on both was counted as tied on y too */
      double npair = count[0] + count[1] + count[2];
      if (npair == 0)
        st = AXS_EDOM;
      else
        {
          double somer = (count[0] - count[1]) / npair;
          /* each patient's dfbeta, summed in the patients' order */
          if (!(dfb = malloc (n * sizeof *dfb)))
            st = AXS_ENOMEM;
          for (size_t i = 0; st == AXS_OK && i < n; i++)
            {
              double c = infl[3 * i], d = infl[3 * i + 1], t = infl[3 * i + 2];
              dfb[perm[i]] = (c - d) / npair - somer / npair * (c + d + t);
            }
          for (size_t i = 0; st == AXS_OK && i < n; i++)
            v += dfb[i] * dfb[i];
        }
      if (st == AXS_OK)
        {
          double somer = (count[0] - count[1]) / npair;
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

  free (perm);
  free (ord);
  free (rank);
  free (infl);
  free (dfb);
  free (wrank);
  free (flag);
  free (tree.c);
  return st;
}
