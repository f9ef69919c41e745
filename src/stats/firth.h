/* firth.h: Cox regression with Firth's penalised partial likelihood
   (Heinze & Schemper, Biometrics 2001), as R's coxphf does it. */
#ifndef AXS_FIRTH_H
#define AXS_FIRTH_H

#include <stddef.h>

/* Iteration controls, on the scale of covariates divided by their standard
   deviation (as coxphf).  axs_firth_control_default gives coxphf's defaults. */
typedef struct
{
  int maxit;        /* Newton-Raphson iterations per fit (50) */
  int maxhs;        /* step-halvings per iteration (5) */
  double epsilon;   /* converged when every |change in standardised beta| <= epsilon (1e-6) */
  double gconv;     /* ... and every |standardised modified score| <= gconv (1e-4) */
  double maxstep;   /* largest change of one standardised beta in one step (0.5) */
} axs_firth_control;

void axs_firth_control_default (axs_firth_control *ctl);

typedef struct
{
  size_t p;
  double *coef;     /* [p] penalised estimates */
  double *se;       /* [p] sqrt of diag (var) */
  double *var;      /* [p*p] row-major I(beta)^-1, the unpenalised information inverted */
  double *lower;    /* [p] profile penalised-likelihood confidence limits; NaN if the */
  double *upper;    /* [p]   root search failed */
  double *chisq;    /* [p] profile penalised LR statistic for beta_r = 0 (1 df); NaN if failed */
  double *pvalue;   /* [p] its p-value */
  double conf;      /* confidence level of lower/upper */
  double loglik0;   /* penalised log partial likelihood at beta = 0 */
  double loglik;    /* ... at the estimate */
  double lrt;       /* 2 (loglik - loglik0): penalised likelihood-ratio test, p df */
  double lrt_pvalue;
  size_t n, nevent;
  int iter;         /* Newton-Raphson iterations of the main fit */
  int converged;    /* nonzero if the main fit met the convergence rule */
} axs_firth_result;

typedef struct axs_firth_workspace axs_firth_workspace;

/* Largest P: the third-derivative array holds P^3 doubles. */
#define AXS_FIRTH_MAXP 256

/* Workspace for N observations and P covariates (1 <= P <= AXS_FIRTH_MAXP);
   NULL when out of memory or a size is out of range. */
axs_firth_workspace *axs_firth_workspace_alloc (size_t n, size_t p);
void axs_firth_workspace_free (axs_firth_workspace *w);

/* Result for P covariates (1 <= P <= AXS_FIRTH_MAXP); NULL when out of memory. */
axs_firth_result *axs_firth_result_alloc (size_t p);
void axs_firth_result_free (axs_firth_result *r);

/* Fit a Cox model by Firth's penalised partial likelihood, Breslow ties.

   Inputs
     n, p      observations (n >= 1) and covariates (p >= 1)
     x         [n*p] row-major design matrix, already coded, finite
     time      [n] follow-up times, finite (any order)
     event     [n] 1 = event, 0 = censored
     strata    [n] stratum of each observation, or NULL for one stratum
     conf      confidence level of the profile intervals, 0 < conf < 1
     ctl       iteration controls, or NULL for coxphf's defaults
     w         workspace from axs_firth_workspace_alloc (n, p)
   Output
     res       from axs_firth_result_alloc (p); filled as described in the struct
   Returns
     AXS_OK; AXS_EINVAL (bad argument or size); AXS_EDOM (no events);
     AXS_ESINGULAR (information matrix not positive definite: constant or
     collinear columns); AXS_ENOMEM; AXS_ENOCONV when the main fit did not
     converge in ctl->maxit iterations: coef, se, var and logliks then hold
     the last iterate and lower, upper, chisq and pvalue are NaN.

   Maths.  l(b) is the Breslow log partial likelihood (summed over strata),
   U its score and I = -d2 l/db2 its information.  Firth's penalised
   log-likelihood is l*(b) = l(b) + 1/2 log|I(b)|, whose gradient is the
   modified score U*_r = U_r + 1/2 tr (I^-1 dI/db_r).  The fit is coxphf's
   Newton-Raphson on U* with I as the Hessian: from b = 0, step
   I^-1 U*, each standardised component capped at maxstep, the step halved
   (at most maxhs times, not at the first iteration) while l* does not rise.
   var = I(b^)^-1.  For each coefficient r the profile penalised likelihood
   l*_r(c) = max over the other coefficients of l*(b) with b_r = c gives the
   confidence limits, the two roots of 2 (l*(b^) - l*_r(c)) = chi2_1(conf),
   and the test of b_r = 0, chisq = 2 (l*(b^) - l*_r(0)).

   Log-likelihoods are on the scale of X as given; coxphf reports them for
   X divided by its column standard deviations, which adds sum_j log sd_j
   to both (tests and estimates are the same).  Times are tied only when
   exactly equal (survival's coxph also merges times that differ by rounding
   error).  With the default controls the estimate is within about 1e-6
   relative of the exact maximum (the step uses I, not the Hessian of l*,
   so convergence is linear); tighten epsilon and gconv for more. */
int axs_firth_fit (size_t n, size_t p, const double *x, const double *time,
                   const int *event, const int *strata, double conf,
                   const axs_firth_control *ctl, axs_firth_workspace *w,
                   axs_firth_result *res);

#endif
