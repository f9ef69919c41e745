/* gnuplot_cutpoint.c: the cutpoint-profile figure as a gnuplot script. */
#include "output/gnuplot_cutpoint.h"

#include <math.h>
#include <string.h>

/* The statistic a two-sided normal test needs for p = 0.05 at one fixed cut. */
static const double UNCORRECTED_5 = 1.959963984540054;

int
axs_gp_write_cutpoint (FILE *f, const axs_gp_page *page,
                       const axs_gp_cutpoint_figure *fig)
{
  const axs_maxstat_result *ms = fig->ms;
  const double W = page->width, H = page->height;
  const double lh = axs_gp_line_height (page);
  char text[2][256], p[32], key[2][256];

  axs_gp_write_preamble (f, page, "Cutpoint profile (maximally selected log-rank statistic)", 3);

  /* ---- the data ---------------------------------------------------------- */
  fputs ("\n# The standardized log-rank statistic at each candidate cut, as\n"
         "# `axlsurv cutpoint --table profile`: cutpoint statistic n_low\n", f);
  axs_gp_datablock_begin (f, "profile");
  for (size_t k = 0; k < ms->n_cuts; k++)
    {
      axs_gp_write_number (f, ms->profile_cut[k]);
      putc (' ', f);
      axs_gp_write_number (f, ms->profile_stat[k]);
      fprintf (f, " %zu\n", ms->profile_n_low[k]);
    }
  axs_gp_datablock_end (f);
  fputs ("# The chosen cut: cutpoint statistic\n", f);
  axs_gp_datablock_begin (f, "best");
  axs_gp_write_number (f, ms->cut);
  putc (' ', f);
  axs_gp_write_number (f, ms->statistic);
  putc ('\n', f);
  axs_gp_datablock_end (f);

  /* ---- the layout, in inches ----------------------------------------------- */
  double ymax = ms->statistic;
  if (ymax < UNCORRECTED_5)
    ymax = UNCORRECTED_5;
  if (!isnan (fig->critical) && fig->critical > ymax)
    ymax = fig->critical;
  double ystep = axs_gp_axis_step (ymax * 1.15, 5);
  ymax = ceil (ymax * 1.15 / ystep - 1e-9) * ystep;
  char tic[64];
  snprintf (tic, sizeof tic, "%g", ymax);
  double left = 0.1 + lh + 0.12 + axs_gp_text_width (page, tic) + 0.15;
  double right = 0.35;
  snprintf (text[0], sizeof text[0], "Cut %.6g: low n = %zu (%zu events), high n = %zu "
            "(%zu events)", ms->cut, ms->n_low, ms->events_low, ms->n_high,
            ms->events_high);
  if (ms->p_lau94 > 1)           /* the bound says nothing: read p = 1 */
    snprintf (text[1], sizeof text[1], "Max. statistic %.3g; corrected p = 1 (Lau94 "
              "bound %.3g)", ms->statistic, ms->p_lau94);
  else
    snprintf (text[1], sizeof text[1], "Max. statistic %.3g; corrected %s (Lau94)",
              ms->statistic, axs_gp_format_p (p, sizeof p, ms->p_lau94));
  /* the key of the threshold lines, under the statistics: outside the panel,
     where no label can cross the curve */
  int nkey = 0;
  if (!isnan (fig->critical))
    snprintf (key[nkey++], sizeof key[0], "%s: %.3g", fig->critical_label
              ? fig->critical_label : "5% level corrected for the search",
              fig->critical);
  snprintf (key[nkey++], sizeof key[0], "5%% level at one fixed cut: %.3g", UNCORRECTED_5);
  double top = 0.15 + (fig->title ? 1.5 * lh : 0) + (2 + nkey) * 1.1 * lh + 0.1;
  double bottom = 0.1 + 2.7 * lh;
  if (W - left - right < 1 || H - top - bottom < 1)
    return -2;

  double l = left / W, r = 1 - right / W;
  fputc ('\n', f);
  axs_gp_write_panel (f, page, l, r, 1 - top / H, bottom / H, fig->title);
  double text_top = 0.15 + (fig->title ? 1.5 * lh : 0);
  for (int k = 0; k < 2; k++)
    {
      fputs ("set label ", f);
      axs_gp_write_string (f, text[k]);
      fprintf (f, " at screen %.4f, screen %.4f left\n", l,
               1 - (text_top + (k + 0.5) * 1.1 * lh) / H);
    }

  double sample = 0.4;           /* the length of a key's line sample */
  for (int k = 0; k < nkey; k++)
    {
      double y = 1 - (text_top + (k + 2.5) * 1.1 * lh) / H;
      int corrected = k == 0 && nkey == 2;
      fprintf (f, "set arrow from screen %.4f, screen %.4f to screen %.4f, screen %.4f "
               "nohead %s\nset label ", l, y, l + sample / W, y,
               corrected ? "ls 3 lw 0.8 dt (6,3)" : "lc rgb '#888888' lw 0.8 dt (2,3)");
      axs_gp_write_string (f, key[k]);
      fprintf (f, " at screen %.4f, screen %.4f left%s\n", l + (sample + 0.1) / W, y,
               corrected ? "" : " tc rgb '#666666'");
    }

  /* the x axis spans the candidate cuts with a little room, but not below
     the marker's smallest value (an H-score's axis starts at 0, not -50) */
  double x0 = ms->profile_cut[0], x1 = ms->profile_cut[ms->n_cuts - 1];
  double pad = x1 > x0 ? 0.03 * (x1 - x0) : (x0 != 0 ? 0.1 * fabs (x0) : 1);
  double xlo = x0 - pad, xhi = x1 + pad;
  if (!isnan (fig->marker_min) && xlo < fig->marker_min)
    xlo = fig->marker_min;
  fputs ("set xrange [", f);
  axs_gp_write_number (f, xlo);
  putc (':', f);
  axs_gp_write_number (f, xhi);
  fputs ("]\nset yrange [0:", f);
  axs_gp_write_number (f, ymax);
  fputs ("]\nset ytics 0,", f);
  axs_gp_write_number (f, ystep);
  putc ('\n', f);
  axs_gp_write_axis_labels (f, fig->xlabel, fig->ylabel, (0.1 + 0.5 * lh) / W);

  /* the chosen cut, and the thresholds across the panel (their key is above) */
  fputs ("\n# the chosen cut\nset arrow from ", f);
  axs_gp_write_number (f, ms->cut);
  fputs (", graph 0 to ", f);
  axs_gp_write_number (f, ms->cut);
  fputs (", graph 1 nohead ls 2 lw 1 dt (4,3) back\n", f);
  fputs ("# 5% thresholds: at one fixed cut, and corrected for the search\n"
         "set arrow from graph 0, first ", f);
  axs_gp_write_number (f, UNCORRECTED_5);
  fputs (" to graph 1, first ", f);
  axs_gp_write_number (f, UNCORRECTED_5);
  fputs (" nohead lc rgb '#888888' lw 0.8 dt (2,3) back\n", f);
  if (!isnan (fig->critical))
    {
      fputs ("set arrow from graph 0, first ", f);
      axs_gp_write_number (f, fig->critical);
      fputs (" to graph 1, first ", f);
      axs_gp_write_number (f, fig->critical);
      fputs (" nohead ls 3 lw 0.8 dt (6,3) back\n", f);
    }

  fputs ("\nplot $profile using 1:2 with linespoints ls 1 dt 1 pt 7 ps 0.5 notitle, \\\n"
         "     $best using 1:2 with points ls 2 pt 7 ps 1.6 notitle\n", f);
  return ferror (f) ? -1 : 0;
}
