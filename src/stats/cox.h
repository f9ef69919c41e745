/* cox.h: Cox proportional-hazards regression by Newton-Raphson, as R survival's coxph. */
#ifndef AXS_COX_H
#define AXS_COX_H

#include <stddef.h>

/* How tied event times enter the partial likelihood. */
enum axs_cox_ties
{
  AXS_COX_EFRON = 0,           /* R's default */
  AXS_COX_BRESLOW = 1
};

typedef struct
{
  enum axs_cox_ties ties;      /* AXS_COX_EFRON */
  int max_iter;                /* 20 (R's iter.max); 0 evaluates at INIT only */
  double eps;                  /* 1e-9: stop when |1 - loglik_old / loglik_new| <= eps */
  double toler_chol;           /* DBL_EPSILON^0.75: pivots below this times the largest
                                  diagonal of the information mark a singular column */
  double toler_inf;            /* sqrt (eps): R's rule for "coefficient may be infinite" */
  double conf_level;           /* 0.95: level of the hazard-ratio intervals */
  const double *init;          /* p starting coefficients, or NULL for zeros */
  const double *count;         /* n: row i stands for COUNT[i] identical patients
                                  (a whole number, 1 to 2^53), or NULL for one each */
} axs_cox_options;

/* Fill OPT with R's coxph.control () defaults. */
void axs_cox_options_default (axs_cox_options *opt);

typedef struct
{
  size_t n, p;                 /* rows (patients, unless counted) and columns */
  size_t nevent;               /* number of events (patients, counts included) */

  /* per column, length p */
  double *coef;                /* NaN for a singular column */
  double *se, *z, *p_value;    /* Wald: z = coef / se, two-sided normal p */
  double *hr, *hr_lower, *hr_upper;  /* exp (coef), exp (coef -+ q se) */
  double *means;               /* column means the covariates were centred on */
  double *score;               /* score vector at the final coefficients */
  int *may_be_infinite;        /* 1: monotone likelihood, the coefficient diverges */
  int *singular;               /* 1: column is constant or collinear with earlier ones */
  size_t nsingular;

  double *var;                 /* p x p row-major inverse information at the fit */
  double *lp;                  /* n linear predictors x'b - means'b, a row each,
                                  in input order */

  double loglik_init;          /* log partial likelihood at INIT (0: the null model) */
  double loglik;               /* ... at the fit */
  int df;                      /* p less the singular columns */
  double lr_chisq, lr_p;       /* 2 (loglik - loglik_init) */
  double wald_chisq, wald_p;   /* b' var^-1 b */
  double score_chisq, score_p; /* U' I^-1 U at INIT */
  int iterations;              /* as R's fit$iter: max_iter + 1 when it ran out */
  int converged;               /* 0 if max_iter ran out */
  int any_infinite;            /* some may_be_infinite[j] is set */
} axs_cox_result;

/* Space for a fit of N rows and P columns; NULL if out of memory. */
axs_cox_result *axs_cox_result_alloc (size_t n, size_t p);
void axs_cox_result_free (axs_cox_result *res);

/* Fit the Cox model h(t | x) = h0_s(t) exp (x'b) by maximum partial likelihood.

   Inputs:  N rows (patients), P >= 1 columns; X[n*p] row-major, already coded
            (factor dummies made by the caller), finite; TIME[n] finite;
            EVENT[n] 0 or 1; STRATA[n] in 0..s-1 (baseline hazard per stratum)
            or NULL; OPT or NULL for the defaults.  RES from
            axs_cox_result_alloc (N, P).
            With OPT->count, row i stands for COUNT[i] patients with its
            time, event, stratum and covariates (R's frequency weights,
            whole numbers only): the fit is that of the rows repeated, with
            every sum (means, scaling, risk sets, deaths, nevent) counting
            patients; LP stays one per row.  A count below 1, fractional or
            above 2^53 is AXS_EINVAL.
   Outputs: every field of RES.
   Returns: AXS_OK; AXS_EINVAL (bad argument); AXS_ENOMEM; AXS_EDOM (no events);
            AXS_ESINGULAR (RES->singular marks the offending columns, the rest of
            RES is filled with those columns held at 0, as R does with NA);
            AXS_ENOCONV (max_iter ran out and no coefficient is flagged
            infinite: RES holds the last accepted step, converged = 0).  A
            coefficient that diverges (monotone likelihood, e.g. a group with
            no events) gives AXS_OK with finite numbers and may_be_infinite set,
            whether or not the loglik converged (check converged): its Wald se,
            z, p and the Wald test are then unusable, the likelihood-ratio test
            stays valid.

   Maths (R coxfit6): covariates centred and scaled by n / sum |x - mean|;
   loglik = sum_events [eta_i - log sum_{risk set} exp eta_j] with the risk set
   sums built in one backward pass over times sorted within strata; d tied
   events share a block, Breslow adds them at once, Efron in steps of 1/d.
   Newton-Raphson from INIT with an LDL' factorisation (pivot tolerance
   toler_chol); a step that lowers the loglik is pulled back towards the last
   good point (halving), convergence when the relative change of the loglik is
   <= eps.  Each iteration costs O(n p^2); the data are sorted once, or not
   at all when the rows come sorted by stratum and time (then read in
   sequence: much faster at 10^6 patients than through an order).  The
   column sums (means) and the checks run in fixed blocks of rows.  The
   backward pass runs in a fixed number of chunks of sorted rows on threads
   (AXLSURV_THREADS): each chunk sums its own risk sets and the later chunks'
   sums are carried in afterwards, in chunk order, so the numbers do not
   depend on the thread count.  Efron's d steps of a tied block are summed in
   closed form (O(d) scalars and O(p^2) per block, not O(d p^2)); Breslow and
   single deaths follow coxfit6's arithmetic.  With counts, d (the patients
   dying) can be large for a few rows: beyond 64 deaths the d steps' scalar
   sums are Euler-Maclaurin's, O(1) per block (to a few ulps of the sums
   step by step).
   Infinite coefficients: R's rule, for a converged fit: |U' V|_j (the next
   Newton step) > eps and > toler_inf |b_j|; plus a guard of our own, also for
   a fit that ran out of iterations: the conditional information 1 / V_jj at
   the fit has fallen below 1e-6 times its value at INIT (it decays like
   exp (-|b_j|) along a diverging coefficient).  R misses e.g. a covariate
   that orders the event times perfectly: the loglik goes to 0, never
   converges in relative terms, and R only says "ran out of iterations". */
int axs_cox_fit (size_t n, size_t p, const double *x, const double *time,
                 const int *event, const int *strata,
                 const axs_cox_options *opt, axs_cox_result *res);

/* Small dense helpers shared by the Cox modules (cox, zph).

   LDL' factorisation of the symmetric P x P row-major A in place (lower
   triangle: unit factor L below the diagonal, D on it; the upper triangle is
   read first and left alone), the same as R survival's cholesky2: a pivot below
   TOLER times the largest diagonal, or not finite, is set to 0 and its column
   dropped.  Returns the rank, or minus the rank if A is not non-negative
   definite. */
int axs_cox_ldl_decomp (size_t p, double *a, double toler);
/* Solve A y = B in place for a factor from axs_cox_ldl_decomp; dropped columns get 0. */
void axs_cox_ldl_solve (size_t p, const double *a, double *b);
/* Replace the factor in A by the full symmetric inverse of A (generalised:
   rows and columns of dropped pivots are 0). */
void axs_cox_ldl_invert (size_t p, double *a);

#endif
