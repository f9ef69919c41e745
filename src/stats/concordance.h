/* concordance.h: Harrell's C with its infinitesimal-jackknife standard error, as R survival. */
#ifndef AXS_CONCORDANCE_H
#define AXS_CONCORDANCE_H

#include <stddef.h>

typedef struct
{
  /* pair counts, summed over strata (R's concordance(fit)$count) */
  double concordant, discordant;
  double tied_x;        /* comparable pairs tied on the predictor: count 1/2 */
  double tied_y;        /* events at the same time: not comparable */
  double tied_xy;       /* ... and tied on the predictor too */
  double concordance;   /* (concordant + tied_x / 2) / (concordant + discordant + tied_x) */
  double var, std_err;  /* infinitesimal jackknife variance of the concordance, sqrt */
} axs_concordance_result;

/* Harrell's concordance of predictor X with a right-censored outcome.

   Inputs:  N patients; TIME[n] finite, EVENT[n] 0/1, STRATA[n] in 0..s-1 or
            NULL (pairs are only formed within a stratum), X[n] finite.
            X_IS_RISK nonzero: a larger X predicts an earlier event (a Cox
            linear predictor: R's coxph concordance, reverse = TRUE); zero: a
            larger X predicts longer survival (R's concordance (y ~ x) default).
   Outputs: RES.
   Returns: AXS_OK; AXS_EINVAL; AXS_ENOMEM; AXS_EDOM (no comparable pair).

   Maths (survival 3.5 concordancefit with timewt "n", timefix FALSE): a pair
   (i, j) is comparable when i has an event and j is still at risk after it
   (time_j > time_i, or time_j = time_i and j censored); tied event times are
   not comparable.  With npair = concordant + discordant + tied_x and Somers'
   d = (concordant - discordant) / npair, C = (d + 1) / 2.  Each patient's
   influence counts the comparable pairs it belongs to by kind (c_i, d_i, t_i);
   dfbeta_i = (c_i - d_i) / npair - d (c_i + d_i + t_i) / npair and
   var = sum dfbeta_i^2 / 4.  Patients are walked once in decreasing time with
   two sets of patients (everyone entered so far, and the events so far)
   kept by the place of their X in sorted order: a bit per patient and a
   Fenwick tree over lines of 512 bits, so the cost is O(n log n).  The two
   sets are walked side by side on two threads (AXLSURV_THREADS), in exact
   integer counts, and X is bucket-sorted in a fixed number of ranges side
   by side, so the result does not depend on the thread count.  Data
   already sorted by stratum and time (as the CLI passes them) are taken in
   their order, without a sort.  N must be below 2^31. */
int axs_concordance (size_t n, const double *time, const int *event,
                     const int *strata, const double *x, int x_is_risk,
                     axs_concordance_result *res);

#endif
