/* km.h: Kaplan–Meier survival curves, their summaries (median, landmarks,
   restricted mean), as R survival 3.5's survfit / summary.survfit / print.survfit. */
#ifndef AXS_KM_H
#define AXS_KM_H

#include <stddef.h>

/* How the pointwise confidence interval of S(t) is built (R's conf.type). */
typedef enum axs_km_conf_type {
  AXS_KM_CONF_LOG = 0,     /* S exp(±z se_H), upper clipped at 1 (R's default) */
  AXS_KM_CONF_LOGLOG,      /* exp(-exp(log(-log S) ± z se_H / log S)) */
  AXS_KM_CONF_PLAIN        /* S ± z S se_H, clipped to [0, 1] */
} axs_km_conf_type;

/* What to fit.  Fill with axs_km_input_init, then set the data. */
typedef struct axs_km_input {
  size_t n;                     /* number of patients, >= 1 */
  const double *time;           /* [n] follow-up times, finite and >= 0 */
  const int *event;             /* [n] 1 = event, 0 = censored */
  const int *group;             /* [n] 0..ngroups-1, or NULL for a single curve */
  int ngroups;                  /* >= 1; ignored (taken as 1) when group is NULL */
  axs_km_conf_type conf_type;   /* default AXS_KM_CONF_LOG */
  double conf_level;            /* in (0, 1); default 0.95 */
  size_t nlandmarks;            /* number of landmark times, may be 0 */
  const double *landmarks;      /* [nlandmarks] times >= 0, any order */
  double tau;                   /* restricted-mean horizon >= 0; NaN (the default)
                                   means the largest time in the data over all groups */
  const size_t *time_order;     /* [n] optional: the patients by ascending time,
                                   stable (axs_order of time), when the caller
                                   has it; NULL (the default): sorted here */
} axs_km_input;

/* One distinct time of one curve: a row of R's summary(fit, censored=TRUE). */
typedef struct axs_km_row {
  double time;
  size_t n_risk;                /* patients with time >= this time */
  size_t n_event;
  size_t n_censor;
  double surv;                  /* S(t), right-continuous */
  double std_err;               /* Greenwood standard error of S(t); NaN once S = 0 */
  double lower, upper;          /* pointwise CI; NaN where undefined (see conf type) */
} axs_km_row;

/* The curve read at a requested time T (R's summary(fit, times=T, extend=TRUE)).
   surv, std_err, lower, upper are those of the last row with time <= T, or
   1, 0, 1, 1 before the first row (as R, even for log-log, whose CI is NaN on
   rows where S = 1);
   n_risk counts patients with time >= T.
   When T lies beyond the group's last follow-up time, R's default (extend=FALSE)
   drops the row; we keep it, with the curve held at its last value, n_risk 0, and
   beyond_end = 1, so that the caller may drop it, mark it, or print it. */
typedef struct axs_km_landmark {
  double time;
  size_t n_risk;
  double surv, std_err, lower, upper;
  int beyond_end;
} axs_km_landmark;

/* One group's curve and its summaries. */
typedef struct axs_km_curve {
  size_t n;                     /* patients in the group (0 for an unused group) */
  size_t events;
  double last_time;             /* largest follow-up time in the group; NaN if n = 0 */
  size_t nrows;
  axs_km_row *rows;             /* [nrows] one per distinct time, ascending */
  /* Median and its CI by print.survfit's rules: the first time the curve is at
     or below 0.5 (within sqrt(DBL_EPSILON)); if it sits at exactly 0.5 and drops
     later, the midpoint of that flat stretch.  The CI limits apply the same rule
     to the lower and upper CI curves.  NaN when not reached. */
  double median, median_lower, median_upper;
  /* Restricted mean survival time up to tau, each curve held at its last value
     after its last time (R's survmean, rmean = tau); its standard error is
     sqrt(sum_j d_j / (n_j (n_j - d_j)) A_j^2), A_j the area under S from t_j to tau.
     NaN if n = 0. */
  double rmst, rmst_se;
  axs_km_landmark *landmarks;   /* [nlandmarks] in the order requested */
} axs_km_curve;

typedef struct axs_km_result {
  int ngroups;
  axs_km_curve *curves;         /* [ngroups] */
  axs_km_conf_type conf_type;
  double conf_level;
  double tau;                   /* the horizon actually used */
  size_t nlandmarks;
  /* storage behind the pointers above; not for the caller */
  axs_km_row *row_store_;
  axs_km_landmark *landmark_store_;
} axs_km_result;

/* Set IN to the defaults: no data, one group, log CI at 0.95, no landmarks,
   tau = NaN (largest time). */
void axs_km_input_init (axs_km_input *in);

/* Fit one Kaplan–Meier curve per group.

   Inputs: IN as documented on axs_km_input.  Output: *RESULT, newly allocated on
   success (free with axs_km_result_free), NULL otherwise.
   Returns AXS_OK; AXS_EINVAL for a NULL pointer, n = 0, a time that is negative
   or not finite, an event not 0/1, a group outside 0..ngroups-1, a conf level
   outside (0, 1), an unknown conf type, a negative or non-finite landmark, or a
   negative or infinite tau; AXS_ENOMEM.  A group with no patients is kept with
   n = 0 (R would drop it); a curve without events is flat at 1.

   Maths (per group, at each distinct time t_j with n_j at risk, d_j events):
     S(t) = prod_{t_j <= t} (1 - d_j / n_j)
     se_H(t)^2 = sum_{t_j <= t} d_j / (n_j (n_j - d_j))     (Greenwood, on log S)
     std_err(t) = S(t) se_H(t)
   and the CI as axs_km_conf_type says, z = Phi^-1(1 - (1 - conf_level) / 2).
   This is also the reverse Kaplan–Meier for median follow-up: pass 1 - event.

   Cost: one O(n) radix sort by time and one by group, then one pass. */
int axs_km_fit (const axs_km_input *in, axs_km_result **result);

void axs_km_result_free (axs_km_result *result);

#endif
