/* simulate.h: synthetic NSCLC-like patients with AXL, soluble AXL, overall and
   progression-free survival, drawn one at a time from a proportional-hazards
   model with a Weibull baseline.

   The model (times in months):
     entry      ~ Uniform(0, accrual)                  staggered accrual
     age        = round(N(64, 9)) clipped to 35..90
     sex        = F with probability 0.45
     stage      = I, II, III, IV with probabilities 0.10, 0.10, 0.25, 0.55
     arm        = osimertinib or chemotherapy, 1:1
     AXL        : H-score 0..300 in steps of 5; 0 (IHC negative) with
                  probability 0.2, else 300 X rounded to 5, X Kumaraswamy(1.6, 2.6)
                  (inverse CDF x = (1 - (1 - u)^(1/2.6))^(1/1.6))
     sAXL       : ng/mL, log-normal, log sAXL = log 30 + 0.2 (AXL - 100) / 70 + 0.6 Z,
                  rounded to 0.1 and reported as the limit of detection (10.0)
                  below it (tied values, as an ELISA reports them)
     high       = marker > cut (after rounding: the marker as printed), for the
                  marker chosen by `effect`
     lp         = log(hr) high + log(1.2) (age - 65) / 10 + log(1.15) male
                  + log(HR_stage) + log(HR_arm),
                  HR_stage = 0.30, 0.50, 0.75, 1 for I..IV;
                  HR_arm (osimertinib vs chemotherapy) = 0.80 for death,
                  0.45 for progression
     death      T_os   = scale (E1 exp(-lp_os))^(1/shape),   E ~ Exp(1)
     progression T_prog = pscale (E2 exp(-lp_prog))^(1/shape)
                  (scale = median / log(2)^(1/shape): MEDIAN is the median of
                  the reference patient: 65, female, stage IV, chemotherapy,
                  low marker; the same for pscale with the progression median)
     censoring  C = min(accrual + follow_up - entry, dropout time),
                  dropout ~ Exp(rate) with rate = -log(1 - dropout) / 12
     OS         = min(T_os, C),            os_event = T_os <= C
     PFS        = min(T_prog, T_os, C),    pfs_event = min(T_prog, T_os) <= C
   so PFS <= OS, and a death before progression ends PFS with an event.  The
   marker multiplies both the death and the progression hazard by HR, so the
   true hazard ratio of high vs low marker (given the other covariates) is HR
   for OS and for PFS alike.  Times are rounded to 0.1 month, and are at
   least 0.1 (rounding keeps PFS <= OS).

   Draw order per patient, fixed so that a seed gives the same cohort on
   every run: entry, age, sex, stage, arm, AXL (2 uniforms), sAXL, E1, E2,
   dropout. */
#ifndef AXS_SIMULATE_H
#define AXS_SIMULATE_H

#include <gsl/gsl_rng.h>

typedef enum { AXS_SIM_AXL = 0, AXS_SIM_SAXL } axs_sim_marker;

typedef struct
{
  double hr;                 /* > 0: hazard ratio, marker high vs low */
  axs_sim_marker effect;     /* which marker carries the effect */
  double cut;                /* high means marker > cut */
  double shape;              /* > 0: Weibull shape of both hazards */
  double scale;              /* > 0: Weibull scale of death (reference patient) */
  double progression_scale;  /* > 0: Weibull scale of progression */
  double accrual;            /* >= 0: accrual period, months */
  double follow_up;          /* > 0: follow-up after the last accrual, months */
  double dropout;            /* in [0, 1): probability of loss within a year */
} axs_sim_params;

enum { AXS_SIM_SAXL_LOD_TENTHS = 100 };   /* 10.0 ng/mL */

/* One patient; times and sAXL in tenths (of a month, of a ng/mL), so that
   the caller prints them exactly. */
typedef struct
{
  int age;
  int male;                  /* 0 F, 1 M */
  int stage;                 /* 1..4 */
  int osimertinib;           /* 1 osimertinib, 0 chemotherapy */
  int axl;                   /* H-score 0..300, multiple of 5 */
  long saxl_tenths;          /* >= AXS_SIM_SAXL_LOD_TENTHS */
  int high;                  /* the effect marker is above the cut */
  long os_tenths;
  int os_event;
  long pfs_tenths;           /* <= os_tenths */
  int pfs_event;
} axs_sim_patient;

/* Set P to the defaults: hr 1.8, effect AXL, cut 100, shape 1.2, median OS 18
   and median time to progression 8 months for the reference patient, accrual
   24, follow-up 36, dropout 0.05. */
void axs_sim_params_init (axs_sim_params *p);

/* The Weibull scale whose reference median is MEDIAN, for SHAPE. */
double axs_sim_scale_from_median (double median, double shape);

/* Check P: AXS_OK or AXS_EINVAL. */
int axs_sim_params_check (const axs_sim_params *p);

/* Draw the next patient from RNG into *OUT (P checked by the caller), with
   the draws in the order given above, so that a seed fixes the cohort. */
void axs_sim_draw (gsl_rng *rng, const axs_sim_params *p, axs_sim_patient *out);

#endif
