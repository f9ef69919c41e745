/* simulate.c: synthetic NSCLC-like patients from a proportional-hazards model. */
#include "stats/simulate.h"
#include "stats/status.h"

#include <gsl/gsl_randist.h>
#include <math.h>

/* Effects of the other covariates, as hazard ratios (see simulate.h). */
static const double hr_stage[4] = { 0.30, 0.50, 0.75, 1.0 };
static const double hr_age_10y = 1.2, hr_male = 1.15;
static const double hr_osimertinib_death = 0.80, hr_osimertinib_progression = 0.45;
static const double stage_p[4] = { 0.10, 0.10, 0.25, 0.55 };

void
axs_sim_params_init (axs_sim_params *p)
{
  p->hr = 1.8;
  p->effect = AXS_SIM_AXL;
  p->cut = 100;
  p->shape = 1.2;
  p->scale = axs_sim_scale_from_median (18, p->shape);
  p->progression_scale = axs_sim_scale_from_median (8, p->shape);
  p->accrual = 24;
  p->follow_up = 36;
  p->dropout = 0.05;
}

double
axs_sim_scale_from_median (double median, double shape)
{
  /* S(m) = exp(-(m / scale)^shape) = 1/2 */
  return median / pow (log (2.0), 1.0 / shape);
}

int
axs_sim_params_check (const axs_sim_params *p)
{
  if (!p)
    return AXS_EINVAL;
  else if (!(p->hr > 0 && isfinite (p->hr)) || !(p->shape > 0 && isfinite (p->shape))
           || !(p->scale > 0 && isfinite (p->scale))
           || !(p->progression_scale > 0 && isfinite (p->progression_scale)))
    return AXS_EINVAL;
  else if (!(p->accrual >= 0 && isfinite (p->accrual))
           || !(p->follow_up > 0 && isfinite (p->follow_up))
           || !(p->dropout >= 0 && p->dropout < 1)
           || (p->effect != AXS_SIM_AXL && p->effect != AXS_SIM_SAXL) || isnan (p->cut))
    return AXS_EINVAL;
  return AXS_OK;
}

/* X rounded half up to a whole number of units; X >= 0. */
static long
round_to (double x, double units)
{
  return (long) floor (x * units + 0.5);
}

/* A Weibull time with scale SCALE, shape SHAPE under hazard multiplier
   exp(LP): the inverse of S(t) = exp(-(t / scale)^shape exp(lp)) at exp(-E). */
static double
weibull_ph (double e, double lp, double scale, double shape)
{
  return scale * pow (e * exp (-lp), 1.0 / shape);
}

void
axs_sim_draw (gsl_rng *rng, const axs_sim_params *p, axs_sim_patient *out)
{
  double entry = p->accrual * gsl_rng_uniform (rng);

  long age = lround (64 + gsl_ran_gaussian_ziggurat (rng, 9.0));
  out->age = (int) (age < 35 ? 35 : age > 90 ? 90 : age);
  out->male = gsl_rng_uniform (rng) >= 0.45;
  double u = gsl_rng_uniform (rng);
  int stage = 0;
  while (stage < 3 && u >= stage_p[stage])
    u -= stage_p[stage++];
  out->stage = stage + 1;
  out->osimertinib = gsl_rng_uniform (rng) < 0.5;

  /* AXL: negative, or a right-skewed positive score on 5-point steps */
  double negative = gsl_rng_uniform (rng), v = gsl_rng_uniform (rng);
  if (negative < 0.2)
    out->axl = 0;
  else
    {
      double x = pow (1 - pow (1 - v, 1 / 2.6), 1 / 1.6);
      out->axl = 5 * (int) round_to (60 * x, 1);
    }

  /* sAXL: shed from AXL-expressing tumours, so it follows tissue AXL loosely */
  double log_saxl = log (30.0) + 0.2 * (out->axl - 100) / 70.0
                    + gsl_ran_gaussian_ziggurat (rng, 0.6);
  long saxl = log_saxl > log (1e6) ? 10000000L : round_to (exp (log_saxl), 10);
  out->saxl_tenths = saxl < AXS_SIM_SAXL_LOD_TENTHS ? AXS_SIM_SAXL_LOD_TENTHS : saxl;

  double marker = p->effect == AXS_SIM_AXL ? out->axl : out->saxl_tenths / 10.0;
  out->high = marker > p->cut;
  double lp = (out->high ? log (p->hr) : 0) + log (hr_age_10y) * (out->age - 65) / 10.0
              + (out->male ? log (hr_male) : 0) + log (hr_stage[out->stage - 1]);
  double lp_os = lp + (out->osimertinib ? log (hr_osimertinib_death) : 0);
  double lp_prog = lp + (out->osimertinib ? log (hr_osimertinib_progression) : 0);
  double t_os = weibull_ph (gsl_ran_exponential (rng, 1.0), lp_os, p->scale, p->shape);
  double t_prog = weibull_ph (gsl_ran_exponential (rng, 1.0), lp_prog,
                              p->progression_scale, p->shape);
  double rate = -log1p (-p->dropout) / 12;
  double lost = gsl_rng_uniform (rng);
  double c = p->accrual + p->follow_up - entry;
  if (rate > 0)
    {
      double t_lost = -log1p (-lost) / rate;
      if (t_lost < c)
        c = t_lost;
    }

  double os = t_os < c ? t_os : c;
  double first = t_prog < t_os ? t_prog : t_os;
  double pfs = first < c ? first : c;
  out->os_event = t_os <= c;
  out->pfs_event = first <= c;
  /* rounding is monotone, and so is the floor of 0.1: PFS <= OS stays true */
  long os10 = round_to (os, 10), pfs10 = round_to (pfs, 10);
  out->os_tenths = os10 < 1 ? 1 : os10;
  out->pfs_tenths = pfs10 < 1 ? 1 : pfs10;
}
