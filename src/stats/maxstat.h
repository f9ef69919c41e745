/* maxstat.h: the maximally selected log-rank statistic for a cutpoint of a
   continuous marker, as R's maxstat 0.7-25
   maxstat.test(Surv(time, event) ~ marker, smethod = "LogRank",
                pmethod = "Lau92" | "Lau94", minprop, maxprop),
   with a permutation p-value and a bootstrap of the cutpoint.

   The maths (Lausen & Schumacher 1992; Hothorn & Lausen 2003):

   Scores.  Log-rank scores of exactRankTests::cscores.Surv, which maxstat
   uses: with patients ordered by time and r(i) the largest rank among the
   patients tied with i in time,
       a(i) = event(i) - sum over patients j with time(j) <= time(i) of
              event(j) / (N - r(j) + 1).
   Without tied times this is event - Nelson-Aalen cumulative hazard; with
   ties the denominator is the risk set less the tied patients plus one,
   which is what maxstat does and so what we do.

   Candidates.  Sort the patients by marker; for each distinct marker value
   c except the largest, m(c) = #{marker <= c}.  c is a candidate when
       max(1, floor(N minprop)) <= m(c) <= floor(N maxprop).
   A cut never splits tied marker values: the low group is marker <= c.
   (maxstat's special case minprop = 0 and maxprop = 1 keeps every distinct
   value but the largest two, reproduced here.)

   Statistic.  With S = sum a, Q = sum a^2 and T(c) = sum of a over the low
   group, the exact permutation (conditional) moments of T(c) are
       E = m S / N,   V = m (N - m) / (N^2 (N - 1)) (N Q - S^2),
   and the standardized statistic is |T(c) - E| / sqrt(V).  The maximum over
   candidates is M; the cut is the smallest candidate reaching it exactly
   (R: x[m[min(which(Test == STATISTIC))]]).  Sums accumulate in long double
   as R's sum() and cumsum() do, and every expression follows R's order of
   operations, so statistics agree with R to a few ulps.

   P-values corrected for the search over cuts (both as in maxstat; note that
   neither is clipped to [0, 1], exactly like R):
     Lau92 (Miller & Siegmund 1982 approximation), eps1 = minprop,
     eps2 = maxprop:  p = 1 if M < 1, else
       max(0, 4 phi(M)/M + phi(M) (M - 1/M) log(eps2 (1 - eps1) / ((1 - eps2) eps1)))
     (undefined, NaN here, when minprop == 0 or maxprop == 1);
     Lau94 (improved Bonferroni over the candidate proportions m_1 < ... < m_k):
       p = 1 - (Phi(M) - Phi(-M)) + sum_{i<k} exp(-M^2/2)/pi (t_i - (M^2/4 - 1) t_i^3/6),
       t_i = sqrt(1 - m_i (N - m_{i+1}) / ((N - m_i) m_{i+1})).

   Cost: two O(n) radix sorts (time, marker), then running sums: O(n) for the
   whole search, never a test per cut.  */
#ifndef AXS_MAXSTAT_H
#define AXS_MAXSTAT_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

/* Scratch space for n patients: sort orders, scores, candidates.  Opaque. */
typedef struct axs_maxstat_workspace axs_maxstat_workspace;

/* A workspace for up to N patients (N >= 1), or NULL if out of memory. */
axs_maxstat_workspace *axs_maxstat_workspace_alloc (size_t n);
void axs_maxstat_workspace_free (axs_maxstat_workspace *w);

/* The patients by ascending time (stable, as axs_order), as the last
   successful call with W sorted them: n entries, valid until W's next use. */
const size_t *axs_maxstat_time_order (const axs_maxstat_workspace *w);

typedef struct axs_maxstat_result
{
  size_t n;             /* patients analysed */
  size_t events;        /* events among them */
  double cut;           /* chosen cutpoint: low group = marker <= cut */
  double statistic;     /* M, the maximal standardized log-rank statistic */
  double p_lau92;       /* Lausen & Schumacher 1992, from minprop/maxprop */
  double p_lau94;       /* Lausen, Sauerbrei & Schumacher 1994, from the candidates */
  size_t n_low;         /* patients with marker <= cut */
  size_t n_high;        /* patients with marker > cut */
  size_t events_low;
  size_t events_high;
  size_t n_at_cut;      /* patients whose marker equals the cut */
  size_t best;          /* index of the cut in the profile */
  /* The profile: one entry per candidate cut, ascending. */
  size_t n_cuts;
  double *profile_cut;      /* [n_cuts] candidate cutpoints */
  double *profile_stat;     /* [n_cuts] standardized statistic at each */
  size_t *profile_n_low;    /* [n_cuts] patients with marker <= cut (maxstat's m) */
  size_t capacity;          /* room in the profile arrays */
} axs_maxstat_result;

/* A result whose profile holds up to N candidates (N >= 1; N patients never
   give more than N - 1), or NULL if out of memory. */
axs_maxstat_result *axs_maxstat_result_alloc (size_t n);
void axs_maxstat_result_free (axs_maxstat_result *res);

/* The maximally selected log-rank statistic.
   In:  TIME[n] finite follow-up times; EVENT[n] 1 = event, 0 = censored;
        MARKER[n] finite marker values (no missing: the caller drops them);
        0 <= MINPROP < MAXPROP <= 1 (maxstat's default 0.1, 0.9);
        W a workspace for at least n patients.
   Out: RES (capacity >= n - 1) filled as described above.
   Returns AXS_OK; AXS_EINVAL for a NULL pointer, n == 0, a workspace or
   result too small, a non-finite time or marker, an event not 0/1 or bad
   proportions; AXS_EDOM when nothing can be tested: no candidate cut between
   the proportions (e.g. all markers tied) or all scores equal (no events);
   AXS_ENOMEM.  */
int axs_maxstat_test (size_t n, const double *time, const int *event,
                      const double *marker, double minprop, double maxprop,
                      axs_maxstat_workspace *w, axs_maxstat_result *res);

/* Permutation p-value of the maximal statistic: B random permutations of the
   marker over the patients (done as permutations of the log-rank scores over
   the marker-sorted positions, which is equivalent and keeps the marker's ties
   and so the candidate cuts), each O(n), drawn from RNG (gsl_ran_shuffle).
       p = (1 + #{b: M_b >= M_obs}) / (B + 1).
   The +1 counts the observed arrangement, itself one permutation: the p-value
   is then never 0 and the test keeps its level exactly (Phipson & Smyth 2010).
   M_b >= M_obs is judged with a relative tolerance of 1e-10, because the same
   partition summed in another order may differ from M_obs in the last bits.
   Inputs as axs_maxstat_test, B >= 1, RNG non-NULL.  Out: *P_VALUE and, if
   N_EXCEED is not NULL, the count.  Same returns as axs_maxstat_test.  */
int axs_maxstat_permtest (size_t n, const double *time, const int *event,
                          const double *marker, double minprop, double maxprop,
                          size_t b, gsl_rng *rng, axs_maxstat_workspace *w,
                          double *p_value, size_t *n_exceed);

/* Bootstrap of the cutpoint: B resamples of the n patients with replacement
   (gsl_rng_uniform_int from RNG), in each the log-rank scores recomputed and
   the cut chosen as axs_maxstat_test would; CUTS[b] receives it, or NaN when
   the resample has nothing to test (no events, no candidate).  O(n) each,
   with the two sorts of the original data reused.
   Inputs as axs_maxstat_test, B >= 1, RNG non-NULL, CUTS[B].  Out: CUTS and,
   if N_UNDEFINED is not NULL, the number of NaN entries.
   Returns AXS_OK (even if some resamples are undefined), AXS_EINVAL, AXS_ENOMEM,
   or AXS_EDOM when the original data themselves have nothing to test.  */
int axs_maxstat_bootstrap (size_t n, const double *time, const int *event,
                           const double *marker, double minprop, double maxprop,
                           size_t b, gsl_rng *rng, axs_maxstat_workspace *w,
                           double *cuts, size_t *n_undefined);

/* The two search-corrected approximations alone, for a statistic M_STAT:
   Lau92 from the proportions; Lau94 from the N_CUTS ascending candidate sizes
   M_LOW[] (maxstat's m) among N patients.  NaN for invalid input. */
double axs_maxstat_p_lau92 (double m_stat, double minprop, double maxprop);
double axs_maxstat_p_lau94 (double m_stat, size_t n, size_t n_cuts,
                            const size_t *m_low);

#endif
