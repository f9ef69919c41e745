/* zph.h: the proportional-hazards test of a Cox fit, as R survival's cox.zph. */
#ifndef AXS_ZPH_H
#define AXS_ZPH_H

#include <stddef.h>

#include "stats/cox.h"

typedef struct
{
  size_t nterm;
  double *chisq;        /* per term, length nterm */
  int *df;              /* columns of the term */
  double *p;
  double global_chisq;  /* all columns together */
  int global_df;
  double global_p;
} axs_zph_result;

/* Space for NTERM terms; NULL if out of memory or NTERM is 0. */
axs_zph_result *axs_zph_result_alloc (size_t nterm);
void axs_zph_result_free (axs_zph_result *res);

/* Score test of H0: b_j(t) = b_j against b_j(t) = b_j + theta_j g(t), per term
   and globally (R survival >= 3.0 cox.zph, transform = "km", terms = TRUE).

   Inputs:  the data of a Cox fit: N, P, X[n*p] row-major, TIME[n], EVENT[n],
            STRATA[n] or NULL, exactly as given to axs_cox_fit; LP[n] its linear
            predictor (axs_cox_result.lp); TIES the fit's method.  NTERM terms
            and TERM_OF_COLUMN[p] in 0..nterm-1 saying which term each column
            belongs to (a factor's dummies share one term), or NULL when every
            column is its own term (NTERM = P).  RES from axs_zph_result_alloc
            (NTERM).  The fit must not be singular.
   Outputs: RES.
   Returns: AXS_OK; AXS_EINVAL; AXS_ENOMEM; AXS_EDOM (no events);
            AXS_ESINGULAR (the information matrix cannot be inverted).

   Maths: g(t) = 1 - S(t-), S the Kaplan-Meier of all patients ignoring strata,
   centred on its mean over the events.  One backward pass at the fitted b
   (Efron or Breslow as in the fit, covariates centred) gives the score
   U = (U_b, U_theta) = sum_events (1, g(t)) (x_i - xbar(t)), where U_b is 0 at
   the fit, and the 2p x 2p information.  For a term with columns J the test
   is U' I^-1 U over the rows (1..p, p + J) with U_b set to 0, on |J| df;
   GLOBAL uses all 2p rows, on p df. */
int axs_zph_test (size_t n, size_t p, const double *x, const double *time,
                  const int *event, const int *strata, const double *lp,
                  enum axs_cox_ties ties, size_t nterm,
                  const size_t *term_of_column, axs_zph_result *res);

#endif
