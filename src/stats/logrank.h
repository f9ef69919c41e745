/* logrank.h: the G-rho family of k-sample tests (log-rank, Peto–Peto), optionally
   stratified, and the test for trend, as R survival 3.5's survdiff. */
#ifndef AXS_LOGRANK_H
#define AXS_LOGRANK_H

#include <stddef.h>

typedef struct axs_logrank_input {
  size_t n;                 /* number of patients */
  const double *time;       /* [n] follow-up times, finite and >= 0 */
  const int *event;         /* [n] 1 = event, 0 = censored */
  const int *group;         /* [n] 0..ngroups-1 */
  int ngroups;              /* >= 2 */
  const int *strata;        /* [n] 0..nstrata-1, or NULL for no strata */
  int nstrata;              /* >= 1; ignored when strata is NULL */
  double rho;               /* >= 0: 0 log-rank, 1 Peto–Peto */
  const size_t *time_order; /* [n] optional: the patients by ascending time,
                               stable (axs_order of time); NULL: sorted here */
} axs_logrank_input;

typedef struct axs_logrank_result {
  int ngroups;
  size_t *n;                /* [ngroups] patients per group */
  double *observed;         /* [ngroups] weighted events, summed over strata */
  double *expected;         /* [ngroups] weighted expected events, summed over strata */
  double *var;              /* [ngroups * ngroups] row-major variance of O - E,
                               summed over strata (survdiff's $var) */
  double chisq;
  int df;                   /* groups with expected > 0, minus 1 */
  double p;                 /* upper tail of chi-square on df */
} axs_logrank_result;

/* The G-rho test that the groups share one survival curve (survdiff).

   Inputs: IN as documented above.  Output: *RESULT, newly allocated on success
   (free with axs_logrank_result_free), NULL otherwise.
   Returns AXS_OK; AXS_EINVAL for a NULL pointer, n = 0, ngroups < 2, nstrata < 1,
   a time negative or not finite, an event not 0/1, a group or stratum out of
   range, a negative or non-finite rho; AXS_EDOM when fewer than two groups have
   expected > 0 (no events, or events in a single group's risk sets only: there is
   nothing to test); AXS_ENOMEM.

   Maths, within each stratum, at each distinct event time t with n at risk
   (n_k in group k), d events (d_k in group k), and weight w = S(t-)^rho, S the
   Kaplan–Meier of the stratum's pooled sample, left-continuous:
     O_k += w d_k,   E_k += w d n_k / n,
     V_jk += w^2 d (n - d) / (n (n - 1)) n_j (delta_jk - n_k / n)   (n > 1)
   then O, E, V are summed over strata.  With G the groups with E_k > 0 and one of
   them (the first) left out, chisq = (O - E)_G' V_G^-1 (O - E)_G on df = |G| - 1
   (a generalised inverse if V_G is singular), p = Q_chisq(chisq; df).
   Ties are handled as survdiff does; survdiff's timefix (aeqSurv) merging of
   times that differ by rounding error only is not done: times are compared exactly.

   Cost: one O(n) radix sort by time and one by stratum, then one pass with
   O(ngroups^2) work per event time. */
int axs_logrank_test (const axs_logrank_input *in, axs_logrank_result **result);

void axs_logrank_result_free (axs_logrank_result *result);

/* The test for trend across ordered groups, from a fitted RESULT:
     U = sum_k s_k (O_k - E_k),  Var(U) = s' V s,  chisq = U^2 / Var(U) on 1 df,
   with SCORES [ngroups] (NULL: 1, 2, ..., k).  Outputs *U, *VAR_U, *CHISQ, *P
   (any may be NULL).  Meant for 3 or more groups; with 2 it is the log-rank test.
   Returns AXS_OK; AXS_EINVAL for a NULL result or a non-finite score;
   AXS_EDOM when Var(U) is not positive (e.g. equal scores, no events). */
int axs_logrank_trend (const axs_logrank_result *result, const double *scores,
                       double *u, double *var_u, double *chisq, double *p);

#endif
