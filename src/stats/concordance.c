/* concordance.c: Harrell's C and its standard error in O(n log n). */
#include "stats/concordance.h"
#include "stats/order.h"
#include "stats/status.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Counts by rank of X: a Fenwick tree for prefix sums plus the plain count
   per rank.  Every weight is 1 (or -1 to empty it), so the counts are
   integers: 32 bits (exact while n < 2^32) halve the memory each walk
   touches; unsigned, so wrapping arithmetic stays exact for any order of
   adds and removes. */
typedef struct
{
  size_t m;
  uint32_t *fen;  /* m + 1, 1-based */
  uint32_t *node; /* m */
  uint32_t total;
} rank_tree;

/* Weight with rank above, below and equal to R. */
typedef struct
{
  double greater, less, equal;
} rank_sums;

static void
tree_add (rank_tree *t, size_t r, uint32_t w)
{
  t->node[r] += w;
  t->total += w;
  for (size_t k = r + 1; k <= t->m; k += k & (-k))
    t->fen[k] += w;
}

static rank_sums
tree_walk (const rank_tree *t, size_t r)
{
  uint32_t below = 0;
  for (size_t k = r; k > 0; k -= k & (-k))
    below += t->fen[k];
  rank_sums s = { (double) (t->total - below - t->node[r]), (double) below,
                  (double) t->node[r] };
  return s;
}

/* PERM = PERM reordered by a stable sort on KEY[PERM[i]] (KEY indexed by patient). */
static int
refine (size_t n, size_t *perm, const double *key, double *tmp, size_t *ord, size_t *tmp2)
{
  for (size_t i = 0; i < n; i++)
    tmp[i] = key[perm[i]];
  int st = axs_order (n, tmp, ord);
  if (st != AXS_OK)
    return st;
  for (size_t i = 0; i < n; i++)
    tmp2[i] = perm[ord[i]];
  memcpy (perm, tmp2, n * sizeof *perm);
  return AXS_OK;
}

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
  size_t *tmp2 = malloc (n * sizeof *tmp2);
  size_t *rank = malloc (n * sizeof *rank);
  double *key = malloc (n * sizeof *key);
  double *tmp = malloc (n * sizeof *tmp);
  double *infl = calloc (3 * n, sizeof *infl);   /* per patient: greater, less, equal */
  rank_tree all = { 0 }, dead = { 0 };
  int st = AXS_OK;
  if (!perm || !ord || !tmp2 || !rank || !key || !tmp || !infl)
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
          rank[ord[i]] = m;
        }
      m++;
      all.m = dead.m = m;
      all.fen = calloc (m + 1, sizeof *all.fen);
      all.node = calloc (m, sizeof *all.node);
      dead.fen = calloc (m + 1, sizeof *dead.fen);
      dead.node = calloc (m, sizeof *dead.node);
      if (!all.fen || !all.node || !dead.fen || !dead.node)
        st = AXS_ENOMEM;
    }

  /* walk order: stratum, decreasing time, censored before events at the same
     time (they outlive the event), then by rank so ties in X sit together */
  if (st == AXS_OK)
    {
      /* event, then rank, in one key: exact integers below 2m < 2^53 */
      for (size_t i = 0; i < n; i++)
        {
          perm[i] = i;
          key[i] = (double) event[i] * (double) m + (double) rank[i];
        }
      st = refine (n, perm, key, tmp, ord, tmp2);
    }
  if (st == AXS_OK)
    {
      for (size_t i = 0; i < n; i++)
        key[i] = -time[i];
      st = refine (n, perm, key, tmp, ord, tmp2);
    }
  if (st == AXS_OK && strata != NULL)
    {
      for (size_t i = 0; i < n; i++)
        key[i] = strata[i];
      st = refine (n, perm, key, tmp, ord, tmp2);
    }

  double count[5] = { 0, 0, 0, 0, 0 };  /* greater, less, equal, tied y, tied xy */
  for (size_t start = 0; st == AXS_OK && start < n;)
    {
      size_t end = start + 1;
      while (end < n && strata != NULL && strata[perm[end]] == strata[perm[start]])
        end++;
      if (strata == NULL)
        end = n;

      for (size_t i = start; i < end;)
        {
          size_t ii = perm[i];
          if (!event[ii])
            {
              /* the events walked later (earlier in time) pair with ii: counted
                 as everything in the event tree at the end less what is there now */
              rank_sums s = tree_walk (&dead, rank[ii]);
              infl[3 * ii] -= s.less;
              infl[3 * ii + 1] -= s.greater;
              infl[3 * ii + 2] -= s.equal;
              tree_add (&all, rank[ii], 1);
              i++;
              continue;
            }
          size_t j = i;
          double ndead = 0, ntied = 0;
          size_t xsave = rank[ii];
          for (; j < end && time[perm[j]] == time[ii]; j++)
            {
              size_t jj = perm[j];
              count[3] += ndead;
              ndead++;
              if (rank[jj] != xsave)
                {
                  ntied = 0;
                  xsave = rank[jj];
                }
              count[4] += ntied;
              ntied++;
              rank_sums s = tree_walk (&all, rank[jj]);
              count[0] += s.greater;
              count[1] += s.less;
              count[2] += s.equal;
              infl[3 * jj] += s.greater;
              infl[3 * jj + 1] += s.less;
              infl[3 * jj + 2] += s.equal;
              tree_add (&dead, rank[jj], 1);
            }
          /* only now do the tied events enter the risk set: they don't pair */
          for (size_t k = i; k < j; k++)
            {
              size_t kk = perm[k];
              rank_sums s = tree_walk (&dead, rank[kk]);
              infl[3 * kk] -= s.less;
              infl[3 * kk + 1] -= s.greater;
              infl[3 * kk + 2] -= s.equal;
              tree_add (&all, rank[kk], 1);
            }
          i = j;
        }
      for (size_t i = start; i < end; i++)
        {
          size_t ii = perm[i];
          rank_sums s = tree_walk (&dead, rank[ii]);
          infl[3 * ii] += s.less;
          infl[3 * ii + 1] += s.greater;
          infl[3 * ii + 2] += s.equal;
        }
      /* empty both trees for the next stratum, if any */
      for (size_t i = start; end < n && i < end; i++)
        {
          size_t ii = perm[i];
          tree_add (&all, rank[ii], UINT32_MAX);    /* -1, wrapping */
          if (event[ii])
            tree_add (&dead, rank[ii], UINT32_MAX);
        }
      start = end;
    }

  if (st == AXS_OK)
    {
      count[3] -= count[4];   /* tied on both was counted as tied on y too */
      double npair = count[0] + count[1] + count[2];
      if (npair == 0)
        st = AXS_EDOM;
      else
        {
          double somer = (count[0] - count[1]) / npair;
          double v = 0;
          for (size_t i = 0; i < n; i++)
            {
              double c = infl[3 * i], d = infl[3 * i + 1], t = infl[3 * i + 2];
              double dfbeta = (c - d) / npair - somer / npair * (c + d + t);
              v += dfbeta * dfbeta;
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

  free (perm);
  free (ord);
  free (tmp2);
  free (rank);
  free (key);
  free (tmp);
  free (infl);
  free (all.fen);
  free (all.node);
  free (dead.fen);
  free (dead.node);
  return st;
}
