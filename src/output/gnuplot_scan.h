/* gnuplot_scan.h: the volcano figure of a marker scan (axlsurv plot scan):
   every feature at its Cox log2 hazard ratio per unit (x) and -log10 p (y),
   the features with a Benjamini-Hochberg q below 0.05 coloured by the
   direction of their effect, the 5% FDR threshold drawn across, and chosen
   features labelled. */
#ifndef AXS_GNUPLOT_SCAN_H
#define AXS_GNUPLOT_SCAN_H

#include <stddef.h>
#include <stdio.h>

#include "output/gnuplot.h"
#include "output/scan_out.h"

typedef struct
{
  const axs_scan_report *rep;     /* the scan: its features in input order */
  double fdr;                     /* the q below which a feature is coloured: 0.05 */
  double threshold_p;             /* the largest p with q < fdr (the BH line),
                                     or NaN: no feature passes, no line */
  const size_t *label;            /* NLABEL indices into rep->f to label */
  size_t nlabel;
  const char *title;              /* NULL: none */
  const char *xlabel, *ylabel;
} axs_gp_scan_figure;

/* The figure.  Datablock $features (tab-separated, a row per feature in input
   order, as `scan --format tsv`): feature hr p q log2_hr neglog10_p class,
   class 1 for q < fdr and hr > 1, 2 for q < fdr and hr < 1, 0 otherwise;
   NaN where scan has none.  Labels are placed beside their point where they
   cover the fewest others, with a leader line when moved away.
   Returns 0, -1 on a write error, -2 when the page is too small. */
int axs_gp_write_scan (FILE *f, const axs_gp_page *page, const axs_gp_scan_figure *fig);

#endif
