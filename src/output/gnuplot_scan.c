/* gnuplot_scan.c: the volcano figure of a marker scan as a gnuplot script. */
#include "output/gnuplot_scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Colours: not significant in light grey under the rest; Okabe-Ito
   vermillion for a higher hazard with more of the feature, blue for a lower
   one (told apart in grey by their grey level). */
static const char GREY[] = "#BBBBBB", UP[] = "#D55E00", DOWN[] = "#0072B2";

/* A feature's class in the datablock: 1 up, 2 down, 0 otherwise. */
static int
feature_class (const axs_scan_feature *r, double fdr)
{
  if (!(r->q < fdr))
    return 0;
  return r->hr > 1 ? 1 : r->hr < 1 ? 2 : 0;
}

/* Drawn at all: a Cox p and a finite hazard ratio. */
static int
drawn (const axs_scan_feature *r)
{
  return !isnan (r->p) && r->hr > 0 && isfinite (r->hr);
}

/* A rectangle in inches from the panel's lower left corner. */
typedef struct { double x0, x1, y0, y1; } rect;

static int
rects_meet (rect a, rect b)
{
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

int
axs_gp_write_scan (FILE *f, const axs_gp_page *page, const axs_gp_scan_figure *fig)
{
  const axs_scan_report *rep = fig->rep;
  const double W = page->width, H = page->height;
  const double lh = axs_gp_line_height (page);
  char text[2][512], font[64];

  axs_gp_write_preamble (f, page, "Volcano plot of a marker scan (Cox per feature)", 0);

  /* ---- the data ---------------------------------------------------------- */
  size_t count[3] = { 0, 0, 0 }, ndrawn = 0, nhidden = 0;
  double xmax = 0, ymax = 0;
  fputs ("\n# Every feature in input order, as `axlsurv scan --format tsv` (tab-separated):\n"
         "# feature hr p q log2_hr neglog10_p class\n"
         "# class: 1 q < FDR and HR > 1, 2 q < FDR and HR < 1, 0 otherwise\n"
         "set datafile separator tab\n", f);
  axs_gp_datablock_begin (f, "features");
  for (size_t i = 0; i < rep->nfeat; i++)
    {
      const axs_scan_feature *r = &rep->f[i];
      int c = feature_class (r, fig->fdr);
      double lx = drawn (r) ? log2 (r->hr) : NAN, ly = drawn (r) ? -log10 (r->p) : NAN;
      fprintf (f, "%s\t", r->feature);
      axs_gp_write_number (f, r->hr);
      putc ('\t', f);
      axs_gp_write_number (f, r->p);
      putc ('\t', f);
      axs_gp_write_number (f, r->q);
      putc ('\t', f);
      axs_gp_write_number (f, lx);
      putc ('\t', f);
      axs_gp_write_number (f, ly);
      fprintf (f, "\t%d\n", c);
      if (isnan (r->p))
        continue;
      if (!drawn (r) || r->status == AXS_SCAN_INFINITE)
        {
          nhidden++;
          continue;
        }
      count[c]++;
      ndrawn++;
      if (fabs (lx) > xmax)
        xmax = fabs (lx);
      if (ly > ymax)
        ymax = ly;
    }
  axs_gp_datablock_end (f);

  /* ---- the axes ---------------------------------------------------------- */
  double threshold = isnan (fig->threshold_p) ? NAN : -log10 (fig->threshold_p);
  if (threshold > ymax)
    ymax = threshold;
  if (xmax <= 0)
    xmax = 1;
  if (ymax <= 0)
    ymax = 1;
  double xstep = axs_gp_axis_step (xmax * 1.04, 3);
  xmax = ceil (xmax * 1.04 / xstep - 1e-9) * xstep;
  double ystep = axs_gp_axis_step (ymax * 1.06, 5);
  double ytop = ceil (ymax * 1.06 / ystep - 1e-9) * ystep;

  /* ---- the layout, in inches ----------------------------------------------- */
  char tic[64];
  snprintf (tic, sizeof tic, "%g", ytop);
  double left = 0.1 + lh + 0.12 + axs_gp_text_width (page, tic) + 0.15;
  double right = 0.3;
  snprintf (text[0], sizeof text[0], "%zu features, %zu patients (%zu events); "
            "Cox model per feature", rep->nfeat, rep->n_patients, rep->n_events);
  if (rep->ncov || rep->strata)
    snprintf (text[0] + strlen (text[0]), sizeof text[0] - strlen (text[0]), ", %s%s",
              rep->ncov ? "adjusted" : "", rep->strata ? (rep->ncov ? ", stratified"
                                                          : "stratified") : "");
  text[1][0] = 0;
  if (count[1] + count[2] == 0)
    snprintf (text[1], sizeof text[1], "none with BH q < %g", fig->fdr);
  if (rep->n_tested < rep->nfeat)
    snprintf (text[1] + strlen (text[1]), sizeof text[1] - strlen (text[1]),
              "%s%zu not testable", *text[1] ? "; " : "", rep->nfeat - rep->n_tested);
  if (nhidden)
    snprintf (text[1] + strlen (text[1]), sizeof text[1] - strlen (text[1]),
              "%s%zu not shown (hazard ratio may be infinite)", *text[1] ? "; " : "",
              nhidden);
  /* the key's entries (the classes with no feature left out), in rows that
     fit the width */
  static const char *const colour[3] = { UP, DOWN, GREY };
  static const int cls[3] = { 1, 2, 0 };
  char key[3][128];
  double key_x[3];
  int key_row[3], nkeyrow = 1;
  {
    double kx = 0;
    for (int k = 0; k < 3; k++)
      {
        key[k][0] = 0;
        if (cls[k] && !count[cls[k]])
          continue;
        if (cls[k])
          snprintf (key[k], sizeof key[k], "q < %g, HR %s 1 (%zu)", fig->fdr,
                    cls[k] == 1 ? ">" : "<", count[cls[k]]);
        else
          snprintf (key[k], sizeof key[k], "q \u2265 %g (%zu)", fig->fdr, count[0]);
        double w = 0.16 + axs_gp_text_width (page, key[k]);
        if (kx > 0 && left + kx + w > W - 0.1)
          nkeyrow++, kx = 0;
        key_x[k] = kx;
        key_row[k] = nkeyrow - 1;
        kx += w + 0.25;
      }
  }
  int nlines = 1 + (*text[1] != 0) + nkeyrow;
  double top = 0.15 + (fig->title ? 1.5 * lh : 0) + nlines * 1.1 * lh + 0.1;
  double bottom = 0.1 + 2.7 * lh;
  double pw = W - left - right, ph = H - top - bottom;
  if (pw < 1.5 || ph < 1.5)
    return -2;

  double l = left / W, r = 1 - right / W;
  fputc ('\n', f);
  axs_gp_write_panel (f, page, l, r, 1 - top / H, bottom / H, fig->title);
  double text_top = 0.15 + (fig->title ? 1.5 * lh : 0);
  for (int k = 0; k < (*text[1] ? 2 : 1); k++)
    {
      fputs ("set label ", f);
      axs_gp_write_string (f, text[k]);
      fprintf (f, " at screen %.4f, screen %.4f left\n", l,
               1 - (text_top + (k + 0.5) * 1.1 * lh) / H);
    }
  /* the key: marks and counts under the subtitle */
  fputs ("unset key\n", f);
  for (int k = 0; k < 3; k++)
    {
      if (!key[k][0])
        continue;
      double kx = left + key_x[k];
      double ky = text_top + (nlines - nkeyrow + key_row[k] + 0.5) * 1.1 * lh;
      fprintf (f, "set label '' at screen %.4f, screen %.4f point pt 7 ps 0.9 "
               "lc rgb '%s'\nset label ", (kx + 0.06) / W, 1 - ky / H, colour[k]);
      axs_gp_write_string (f, key[k]);
      fprintf (f, " at screen %.4f, screen %.4f left\n", (kx + 0.16) / W, 1 - ky / H);
    }

  fputs ("set xrange [", f);
  axs_gp_write_number (f, -xmax);
  fputs (":", f);
  axs_gp_write_number (f, xmax);
  fputs ("]\nset xtics ", f);
  axs_gp_write_number (f, xstep);
  fputs ("\nset yrange [0:", f);
  axs_gp_write_number (f, ytop);
  fputs ("]\nset ytics 0,", f);
  axs_gp_write_number (f, ystep);
  putc ('\n', f);
  axs_gp_write_axis_labels (f, fig->xlabel, fig->ylabel, (0.1 + 0.5 * lh) / W);
  fputs ("\n# no effect\nset arrow from 0, graph 0 to 0, graph 1 nohead "
         "lc rgb '#999999' lw 0.6 dt (2,3) back\n", f);
  if (!isnan (threshold))
    {
      fprintf (f, "# the Benjamini-Hochberg threshold: the largest p with q < %g\n"
               "set arrow from graph 0, first ", fig->fdr);
      axs_gp_write_number (f, threshold);
      fputs (" to graph 1, first ", f);
      axs_gp_write_number (f, threshold);
      fprintf (f, " nohead lc rgb '#444444' lw 0.8 dt (8,5) back\n"
               "set label 'FDR %g%%' at graph 0.99, first ", 100 * fig->fdr);
      axs_gp_write_number (f, threshold);
      fputs (" right offset 0,0.55 tc rgb '#444444'\n", f);
    }

  /* ---- the labels: beside their point where they cover the fewest others --- */
  double sx = pw / (2 * xmax), sy = ph / ytop;     /* inches per data unit */
  double *px = malloc ((ndrawn ? ndrawn : 1) * sizeof *px);
  double *py = malloc ((ndrawn ? ndrawn : 1) * sizeof *py);
  rect *placed = malloc ((fig->nlabel ? fig->nlabel : 1) * sizeof *placed);
  if (!px || !py || !placed)
    {
      free (px);
      free (py);
      free (placed);
      return -1;
    }
  size_t np = 0;
  for (size_t i = 0; i < rep->nfeat; i++)
    {
      const axs_scan_feature *q = &rep->f[i];
      if (isnan (q->p) || !drawn (q) || q->status == AXS_SCAN_INFINITE)
        continue;
      px[np] = (log2 (q->hr) + xmax) * sx;
      py[np++] = -log10 (q->p) * sy;
    }
  axs_gp_page small = *page;
  small.font_size = page->font_size * 0.85;
  const double th = axs_gp_line_height (&small) * 0.8;   /* the text's own height */
  snprintf (font, sizeof font, ",%g", small.font_size);
  size_t nplaced = 0;
  if (fig->nlabel)
    fputs ("\n# the labelled features, each beside its point (moved away along a\n"
           "# leader line where the points are dense)\n", f);
  for (size_t k = 0; k < fig->nlabel; k++)
    {
      const axs_scan_feature *q = &rep->f[fig->label[k]];
      if (isnan (q->p) || !drawn (q) || q->status == AXS_SCAN_INFINITE)
        continue;
      double x = (log2 (q->hr) + xmax) * sx, y = -log10 (q->p) * sy;
      double w = axs_gp_text_width (&small, q->feature);
      static const double dir[8][2] = {
        { 1, 0 }, { -1, 0 }, { 0.7, 0.7 }, { -0.7, 0.7 }, { 0, 1 },
        { 0.7, -0.7 }, { -0.7, -0.7 }, { 0, -1 }
      };
      static const double dist[] = { 0.07, 0.2, 0.35, 0.5, 0.7 };
      double best = HUGE_VAL;
      rect best_r = { 0 };
      double bx = 0, by = 0;
      for (size_t a = 0; a < sizeof dist / sizeof *dist; a++)
        for (int b = 0; b < 8; b++)
          {
            double ax = x + dist[a] * dir[b][0], ay = y + dist[a] * dir[b][1];
            rect rr;
            rr.x0 = dir[b][0] > 0.1 ? ax : dir[b][0] < -0.1 ? ax - w : ax - w / 2;
            rr.x1 = rr.x0 + w;
            rr.y0 = dir[b][1] > 0.1 ? ay : dir[b][1] < -0.1 ? ay - th : ay - th / 2;
            rr.y1 = rr.y0 + th;
            double score = 2 * dist[a] + 0.05 * b;
            if (rr.x0 < 0 || rr.x1 > pw || rr.y0 < 0 || rr.y1 > ph)
              score += 1000;
            for (size_t j = 0; j < nplaced; j++)
              score += 100 * rects_meet (rr, placed[j]);
            /* the other labelled points stay clear */
            for (size_t j = 0; j < fig->nlabel; j++)
              {
                const axs_scan_feature *o = &rep->f[fig->label[j]];
                if (j == k || !drawn (o) || o->status == AXS_SCAN_INFINITE)
                  continue;
                double ox = (log2 (o->hr) + xmax) * sx, oy = -log10 (o->p) * sy;
                if (ox > rr.x0 - 0.05 && ox < rr.x1 + 0.05 && oy > rr.y0 - 0.05
                    && oy < rr.y1 + 0.05)
                  score += 20;
              }
            /* the point itself and the others under the text */
            for (size_t j = 0; j < np; j++)
              if (px[j] > rr.x0 - 0.02 && px[j] < rr.x1 + 0.02
                  && py[j] > rr.y0 - 0.02 && py[j] < rr.y1 + 0.02)
                score += 0.04;
            if (score < best)
              best = score, best_r = rr, bx = ax, by = ay;
          }
      placed[nplaced++] = best_r;
      /* the text's anchor: its left end, middle height, in data units */
      double tx = best_r.x0 / sx - xmax, ty = (best_r.y0 + best_r.y1) / 2 / sy;
      fputs ("set label ", f);
      axs_gp_write_string (f, q->feature);
      fprintf (f, " at %.6g, %.6g left font '%s' front\n", tx, ty, font);
      double d = hypot (bx - x, by - y);
      if (d > 0.1)
        {
          /* the leader runs from near the point to the text's nearest edge */
          double ex = bx < best_r.x0 ? best_r.x0 : bx > best_r.x1 ? best_r.x1 : bx;
          double ey = by < best_r.y0 ? best_r.y0 : by > best_r.y1 ? best_r.y1 : by;
          double ux = (ex - x) / d, uy = (ey - y) / d;
          fprintf (f, "set arrow from %.6g, %.6g to %.6g, %.6g nohead lc rgb '#333333' "
                   "lw 0.5 front\n", (x + 0.03 * ux) / sx - xmax, (y + 0.03 * uy) / sy,
                   (ex - 0.015 * ux) / sx - xmax, (ey - 0.015 * uy) / sy);
        }
    }
  free (px);
  free (py);
  free (placed);
  if (nplaced)
    {
      fputs ("# the labelled features' points, ringed: log2_hr neglog10_p\n", f);
      axs_gp_datablock_begin (f, "labelled");
      for (size_t k = 0; k < fig->nlabel; k++)
        {
          const axs_scan_feature *q = &rep->f[fig->label[k]];
          if (isnan (q->p) || !drawn (q) || q->status == AXS_SCAN_INFINITE)
            continue;
          axs_gp_write_number (f, log2 (q->hr));
          putc ('\t', f);
          axs_gp_write_number (f, -log10 (q->p));
          putc ('\n', f);
        }
      axs_gp_datablock_end (f);
    }

  /* ---- the plot ------------------------------------------------------------ */
  /* small points when there are many */
  double ps = ndrawn > 2000 ? 0.35 : ndrawn > 200 ? 0.6 : 0.9;
  fprintf (f, "\nplot $features using ($7 == 0 ? $5 : NaN):6 with points pt 7 ps %g "
           "lc rgb '%s' notitle, \\\n"
           "     $features using ($7 == 2 ? $5 : NaN):6 with points pt 7 ps %g "
           "lc rgb '%s' notitle, \\\n"
           "     $features using ($7 == 1 ? $5 : NaN):6 with points pt 7 ps %g "
           "lc rgb '%s' notitle", ps, GREY, ps * 1.4, DOWN, ps * 1.4, UP);
  if (nplaced)
    fprintf (f, ", \\\n     $labelled using 1:2 with points pt 6 ps %g lw 0.8 "
             "lc rgb 'black' notitle", ps * 1.4 + 0.6);
  fputc ('\n', f);
  return ferror (f) ? -1 : 0;
}
