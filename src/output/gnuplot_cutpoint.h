/* gnuplot_cutpoint.h: the cutpoint-profile figure (axlsurv plot cutpoint):
   the standardized log-rank statistic at every candidate cut, the chosen cut
   marked, and the 5% thresholds with and without the correction for the
   search drawn across, so the figure itself shows why a peak over 1.96 is
   not evidence. */
#ifndef AXS_GNUPLOT_CUTPOINT_H
#define AXS_GNUPLOT_CUTPOINT_H

#include <stdio.h>

#include "output/gnuplot.h"
#include "stats/maxstat.h"

typedef struct
{
  const axs_maxstat_result *ms;   /* the search and its profile */
  const char *marker;
  double critical;                /* the statistic's 5% critical value corrected
                                     for the search (Lau94), or NaN: not drawn */
  const char *critical_label;     /* its legend, e.g. "5% corrected (Lau94)" */
  double marker_min;              /* the marker's smallest value: the x axis
                                     starts no lower; NaN: not known */
  const char *title;              /* NULL: none */
  const char *xlabel, *ylabel;
} axs_gp_cutpoint_figure;

/* The figure: the x axis spans the candidate cuts (padded, but not below
   the marker's minimum), the thresholds' key sits above the panel.  Datablocks: $profile (cutpoint statistic n_low, as
   `cutpoint --table profile`) and $best (the chosen cut and its statistic).
   Returns 0, -1 on a write error, -2 when the page is too small. */
int axs_gp_write_cutpoint (FILE *f, const axs_gp_page *page,
                           const axs_gp_cutpoint_figure *fig);

#endif
