/* gnuplot.c: gnuplot scripts: the shared pieces and the Kaplan-Meier figure. */
#include "output/gnuplot.h"
#include "output/number.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const axs_gp_terminal_names[] = { "png", "svg", "pdf", NULL };

/* Okabe & Ito (2008), in an order whose neighbours differ in grey level. */
static const char *const palette[AXS_GP_NSTYLES] = {
  "#0072B2", "#E69F00", "#000000", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"
};
/* gnuplot dash types: solid, dashed, dash-dot, dotted, dash-dot-dot, ... */
static const int dashes[AXS_GP_NSTYLES] = { 1, 2, 4, 3, 5, 1, 2 };

void
axs_gp_page_init (axs_gp_page *page)
{
  *page = (axs_gp_page) {
    .terminal = AXS_GP_PNG, .width = 6, .height = 5,
    .font = "Helvetica", .font_size = 12, .output = NULL,
  };
}

double
axs_gp_line_height (const axs_gp_page *page)
{
  return page->font_size * 1.25 / 72;
}

/* Helvetica's advance widths, in thousandths of an em, for the printable
   ASCII characters; others count as a wide letter. */
static const short helvetica[95] = {
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584
};

double
axs_gp_text_width (const axs_gp_page *page, const char *s)
{
  double em = 0;
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    if (*p >= 32 && *p < 127)
      em += helvetica[*p - 32];
    else if ((*p & 0xC0) != 0x80)    /* one per UTF-8 character */
      em += 722;
  /* 8% to spare: the font actually found may be a little wider */
  return 1.08 * em / 1000 * page->font_size / 72;
}

void
axs_gp_write_string (FILE *f, const char *s)
{
  putc ('\'', f);
  for (; *s; s++)
    {
      if (*s == '\'')
        putc ('\'', f);
      if (*s != '\n')
        putc (*s, f);
    }
  putc ('\'', f);
}

void
axs_gp_write_number (FILE *f, double x)
{
  char buf[32];
  fputs (isnan (x) ? "NaN" : axs_format_double (buf, x), f);
}

void
axs_gp_write_panel (FILE *f, const axs_gp_page *page, double l, double r,
                    double t, double b, const char *title)
{
  fprintf (f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
           "set tmargin at screen %.4f\nset bmargin at screen %.4f\n", l, r, t, b);
  if (!title)
    return;
  char font[32];
  fputs ("set label 1 ", f);
  axs_gp_write_string (f, title);
  snprintf (font, sizeof font, ",%g", page->font_size * 1.15);
  fprintf (f, " at screen %.4f, screen %.4f center font '%s'\n", (l + r) / 2,
           1 - (0.12 + 0.6 * axs_gp_line_height (page)) / page->height, font);
}

void
axs_gp_write_axis_labels (FILE *f, const char *xlabel, const char *ylabel, double x)
{
  fputs ("set xlabel ", f);
  axs_gp_write_string (f, xlabel);
  fputs (" offset 0,0.3\nset label ", f);
  axs_gp_write_string (f, ylabel);
  fprintf (f, " at screen %.4f, graph 0.5 center rotate by 90\n", x);
}

void
axs_gp_datablock_begin (FILE *f, const char *name)
{
  fprintf (f, "$%s << EOD\n", name);
}

void
axs_gp_datablock_end (FILE *f)
{
  fputs ("EOD\n", f);
}

double
axs_gp_axis_step (double max, int target)
{
  if (!(max > 0) || !isfinite (max) || target < 1)
    return 1;
  /* of the round steps near max / target, the one whose number of intervals
     up to max is nearest TARGET, then with the least axis past MAX, then the
     larger */
  double p10 = pow (10, floor (log10 (max / target)));
  static const double nice[] = { 1, 2, 2.5, 5 };
  double best = 0, best_miss = HUGE_VAL;
  for (int e = -1; e <= 1; e++)
    for (size_t k = 0; k < sizeof nice / sizeof *nice; k++)
      {
        double step = nice[k] * p10 * pow (10, e);
        double n = ceil (max / step - 1e-9);
        double miss = fabs (n - target) + (n * step - max) / max;   /* and the waste */
        if (miss < best_miss - 1e-9 || (fabs (miss - best_miss) <= 1e-9 && step > best))
          best = step, best_miss = miss;
      }
  return best;
}

char *
axs_gp_format_p (char *buf, size_t n, double p)
{
  if (isnan (p))
    snprintf (buf, n, "p = NA");
  else if (p < 0.001)
    snprintf (buf, n, "p < 0.001");
  else
    snprintf (buf, n, "p = %#.2g", p);
  return buf;
}

void
axs_gp_write_preamble (FILE *f, const axs_gp_page *page, const char *what,
                       int nstyles)
{
  fprintf (f, "# %s, written by axlsurv.\n"
           "# The data are in the datablocks below: this file alone redraws the figure\n"
           "# with `gnuplot FILE.gp`%s, and its styling may be edited.\n",
           what, page->output ? "" : " > IMAGE");
  fputs ("set encoding utf8\n", f);
  double lw = 1;                /* so that `lw 1` is 1 pt on every terminal */
  switch (page->terminal)
    {
    case AXS_GP_PNG:
      lw = AXS_GP_PNG_DPI / 72.0;
      fprintf (f, "set terminal pngcairo size %.0f,%.0f", page->width * AXS_GP_PNG_DPI,
               page->height * AXS_GP_PNG_DPI);
      break;
    case AXS_GP_SVG:
      fprintf (f, "set terminal svg size %.0f,%.0f", page->width * 72,
               page->height * 72);
      break;
    case AXS_GP_PDF:
      lw = 2;                   /* pdfcairo draws lw 1 as half a point */
      fprintf (f, "set terminal pdfcairo size %gin,%gin", page->width, page->height);
      break;
    }
  char font[128];
  snprintf (font, sizeof font, "%s,%g", page->font, page->font_size);
  fputs (" noenhanced font ", f);
  axs_gp_write_string (f, font);
  if (page->terminal == AXS_GP_PNG)     /* pngcairo sets text at 96 per inch */
    fprintf (f, " fontscale %.6g", AXS_GP_PNG_DPI / 96.0);
  if (lw != 1)
    fprintf (f, " linewidth %.6g", lw);
  fputs (page->terminal == AXS_GP_SVG ? " background rgb 'white'\n"
         : " background rgb 'white'\n", f);
  if (page->output)
    {
      fputs ("set output ", f);
      axs_gp_write_string (f, page->output);
      putc ('\n', f);
    }
  fputs ("\n# One style per group: Okabe-Ito colours, told apart in grey by their dashes.\n",
         f);
  for (int k = 0; k < nstyles; k++)
    fprintf (f, "set style line %d lc rgb '%s' lw 1.5 dt %d pt 1 ps 4\n", k + 1,
             palette[k % AXS_GP_NSTYLES], dashes[k % AXS_GP_NSTYLES]);
  fputs ("set border 3 lw 0.8\n"
         "set tics nomirror out scale 0.6\n", f);
}

/* ---- the Kaplan-Meier figure ------------------------------------------- */

/* A rectangle in data units. */
typedef struct { double x0, x1, y0, y1; } box;

static int
overlap (double a0, double a1, double b0, double b1)
{
  return a0 <= b1 && b0 <= a1;
}

/* Does anything drawn in the panel cross B? */
static int
box_is_busy (const axs_gp_km_figure *fig, box b)
{
  const axs_km_result *km = fig->km;
  for (int g = 0; g < km->ngroups; g++)
    {
      const axs_km_curve *k = &km->curves[g];
      if (!k->n)
        continue;
      double lo = 1, hi = 1, x = 0;   /* the curve from its start (0, 1) */
      int seen = x >= b.x0 && x <= b.x1;
      for (size_t i = 0; i < k->nrows; i++)
        {
          const axs_km_row *r = &k->rows[i];
          double t = r->time / fig->time_scale;
          if (t > b.x1)
            break;
          double s_lo = r->surv, s_hi = r->surv;
          if (fig->ci)
            {
              if (r->lower < s_lo) s_lo = r->lower;
              if (r->upper > s_hi) s_hi = r->upper;
            }
          if (t < b.x0)
            {
              /* the value held when the box begins */
              lo = s_lo, hi = s_hi;
              continue;
            }
          if (!seen)
            seen = 1;           /* the held value runs into the box */
          if (s_lo < lo) lo = s_lo;
          if (s_hi > hi) hi = s_hi;
        }
      double last = k->nrows ? k->rows[k->nrows - 1].time / fig->time_scale : 0;
      if (last >= b.x0 && overlap (lo, hi, b.y0, b.y1))
        return 1;
      if (fig->median && !isnan (k->median))
        {
          double m = k->median / fig->time_scale;
          if (overlap (0, m, b.x0, b.x1) && overlap (0.5, 0.5, b.y0, b.y1))
            return 1;
          if (m >= b.x0 && m <= b.x1 && overlap (fig->ymin, 0.5, b.y0, b.y1))
            return 1;
        }
    }
  return 0;
}

/* The corners of the panel a block may take: top right, bottom left,
   bottom right, with the key's justification there. */
static const struct { double gx, gy; const char *just; } corner[] = {
  { 1, 1, "right top" }, { 0, 0, "left bottom" }, { 1, 0, "right bottom" },
};

/* A block of text in the panel: its size in inches, and where it went
   (CORNER -1: over the panel), its lower left corner in graph fractions. */
typedef struct { double w, h; int corner; double gx0, gy0; } block;

/* Put B in the first corner of ORDER (3 entries) where neither the curves
   nor OTHER are; returns 0 if none is free. */
static int
place_block (const axs_gp_km_figure *fig, block *b, const int *order,
             const block *other, double plot_w, double plot_h, double lh)
{
  double gw = b->w / plot_w, gh = b->h / plot_h;
  double mx = 0.5 * lh / plot_w, my = 0.5 * lh / plot_h;   /* half a line around */
  double yspan = fig->ymax - fig->ymin;
  b->corner = -1;
  if (gw > 0.95 || gh > 0.95)
    return 0;
  for (int k = 0; k < 3; k++)
    {
      int c = order[k];
      double gx0 = corner[c].gx ? 0.98 - gw : 0.03;
      double gy0 = corner[c].gy ? 0.98 - gh : 0.03;
      box bx = { (gx0 - mx) * fig->xmax, (gx0 + gw + mx) * fig->xmax,
                 fig->ymin + (gy0 - my) * yspan, fig->ymin + (gy0 + gh + my) * yspan };
      if (box_is_busy (fig, bx))
        continue;
      if (other && other->corner >= 0
          && overlap (gx0 - mx, gx0 + gw + mx, other->gx0, other->gx0 + other->w / plot_w)
          && overlap (gy0 - my, gy0 + gh + my, other->gy0, other->gy0 + other->h / plot_h))
        continue;
      b->corner = c;
      b->gx0 = gx0;
      b->gy0 = gy0;
      return 1;
    }
  return 0;
}

static const char *
group_name (const axs_gp_km_figure *fig, int g)
{
  return fig->context->group_names ? fig->context->group_names[g] : "All patients";
}

/* The legend text of group G: "low (n = 36, 9 events)". */
static void
group_label (char *buf, size_t n, const axs_gp_km_figure *fig, int g)
{
  const axs_km_curve *k = &fig->km->curves[g];
  snprintf (buf, n, "%s (n = %zu, %zu event%s)", group_name (fig, g), k->n, k->events,
            k->events == 1 ? "" : "s");
}

/* Decimals enough to tell axis labels STEP apart. */
static int
decimals (double step)
{
  int d = 0;
  while (d < 6 && fabs (step * pow (10, d) - round (step * pow (10, d))) > 1e-9)
    d++;
  return d;
}

/* The lines of the statistics under the legend, into LINES (each 128 bytes). */
static size_t
stats_lines (const axs_gp_km_figure *fig, char (*lines)[128], size_t max)
{
  size_t n = 0;
  char p[32];
  if (!isnan (fig->logrank_p) && n < max)
    snprintf (lines[n++], 128, "Log-rank %s",
              axs_gp_format_p (p, sizeof p, fig->logrank_p));
  if (fig->nhr > 1 && n < max)
    snprintf (lines[n++], 128, "Hazard ratios (%g%% CI):", 100 * fig->hr_conf_level);
  for (size_t k = 0; k < fig->nhr && n < max; k++)
    {
      const axs_gp_hr *h = &fig->hr[k];
      if (fig->nhr > 1)
        snprintf (lines[n++], 128, "HR %s: %.2f (%.2f\u2013%.2f)", h->label, h->hr,
                  h->lower, h->upper);
      else if (n + 1 < max)
        {
          snprintf (lines[n++], 128, "HR %s: %.2f", h->label, h->hr);
          snprintf (lines[n++], 128, "   (%g%% CI %.2f\u2013%.2f)",
                    100 * fig->hr_conf_level, h->lower, h->upper);
        }
    }
  return n;
}

int
axs_gp_write_km (FILE *f, const axs_gp_page *page, const axs_gp_km_figure *fig)
{
  const axs_km_result *km = fig->km;
  int ng = km->ngroups;
  const double W = page->width, H = page->height;
  const double lh = axs_gp_line_height (page);
  const double scale = fig->time_scale;

  axs_gp_write_preamble (f, page, "Kaplan-Meier figure", ng);

  /* ---- the data -------------------------------------------------------- */
  fprintf (f, "\nN = %d                  # groups\n"
           "scale = ", ng);
  axs_gp_write_number (f, scale);
  fputs ("              # data time units per unit of the x axis\n", f);
  char text[512];
  fprintf (f, "array name[%d] = [", ng);
  for (int g = 0; g < ng; g++)
    {
      fputs (g ? ", " : "", f);
      axs_gp_write_string (f, group_name (fig, g));
    }
  fprintf (f, "]\narray legend[%d] = [", ng);
  for (int g = 0; g < ng; g++)
    {
      group_label (text, sizeof text, fig, g);
      fputs (g ? ", " : "", f);
      axs_gp_write_string (f, text);
    }
  fputs ("]\n", f);

  fputs ("\n# Per group (index 0, 1, ...): the curve as `axlsurv km --table curve`,\n"
         "# after a first row for its start at time 0.\n"
         "# time n_risk n_event n_censor surv std_err lower upper\n", f);
  axs_gp_datablock_begin (f, "km");
  for (int g = 0; g < ng; g++)
    {
      const axs_km_curve *k = &km->curves[g];
      fprintf (f, "%s# %s\n0 %zu 0 0 1 0 1 1\n", g ? "\n\n" : "", group_name (fig, g), k->n);
      for (size_t i = 0; i < k->nrows; i++)
        {
          const axs_km_row *r = &k->rows[i];
          axs_gp_write_number (f, r->time);
          fprintf (f, " %zu %zu %zu ", r->n_risk, r->n_event, r->n_censor);
          const double v[] = { r->surv, r->std_err, r->lower, r->upper };
          for (int j = 0; j < 4; j++)
            {
              axs_gp_write_number (f, v[j]);
              putc (j < 3 ? ' ' : '\n', f);
            }
        }
    }
  axs_gp_datablock_end (f);

  if (fig->ci)
    {
      fprintf (f, "\n# The %g%% confidence bands as steps (time lower upper); where the\n"
               "# interval is undefined the band closes on the curve.\n",
               100 * km->conf_level);
      axs_gp_datablock_begin (f, "ci");
      for (int g = 0; g < ng; g++)
        {
          const axs_km_curve *k = &km->curves[g];
          fprintf (f, "%s# %s\n0 1 1\n", g ? "\n\n" : "", group_name (fig, g));
          double lo = 1, hi = 1;
          for (size_t i = 0; i < k->nrows; i++)
            {
              const axs_km_row *r = &k->rows[i];
              axs_gp_write_number (f, r->time);
              putc (' ', f);
              axs_gp_write_number (f, lo);
              putc (' ', f);
              axs_gp_write_number (f, hi);
              putc ('\n', f);
              lo = isnan (r->lower) ? r->surv : r->lower;
              hi = isnan (r->upper) ? r->surv : r->upper;
              axs_gp_write_number (f, r->time);
              putc (' ', f);
              axs_gp_write_number (f, lo);
              putc (' ', f);
              axs_gp_write_number (f, hi);
              putc ('\n', f);
            }
        }
      axs_gp_datablock_end (f);
    }

  fputs ("\n# The number at risk per group (index 0, 1, ...): time (axis units) n_risk\n", f);
  axs_gp_datablock_begin (f, "risk");
  for (int g = 0; g < ng; g++)
    {
      fprintf (f, "%s# %s\n", g ? "\n\n" : "", group_name (fig, g));
      for (size_t i = 0; i < fig->nrisk; i++)
        {
          axs_gp_write_number (f, fig->risk_times[i]);
          fprintf (f, " %zu\n", km->curves[g].landmarks[i].n_risk);
        }
    }
  axs_gp_datablock_end (f);

  /* ---- the layout, in inches -------------------------------------------- */
  double ystep = axs_gp_axis_step (fig->ymax - fig->ymin, 5);
  int ydec = decimals (ystep);
  if (ydec < 1)
    ydec = 1;
  char tic[64];
  snprintf (tic, sizeof tic, "%.*f", ydec, fig->ymax);
  double ytic_w = axs_gp_text_width (page, tic);
  double name_w = 0;
  for (int g = 0; g < ng; g++)
    {
      double w = axs_gp_text_width (page, group_name (fig, g));
      name_w = w > name_w ? w : name_w;
    }
  size_t nmax = 0;
  for (int g = 0; g < ng; g++)
    nmax = km->curves[g].n > nmax ? km->curves[g].n : nmax;
  snprintf (tic, sizeof tic, "%zu", nmax);
  double num_w = axs_gp_text_width (page, tic);     /* the widest count at risk */
  double ylabel_x = 0.1 + 0.5 * lh;                  /* the y label's centre */
  double left = 0.1 + lh + 0.12 + ytic_w + 0.15;     /* y label, tic labels */
  double names_x = 0.12 + name_w;                    /* the risk table's names end */
  if (left < names_x + 0.12 + num_w / 2)
    left = names_x + 0.12 + num_w / 2;
  names_x = left - 0.12 - num_w / 2;                 /* close to their numbers */
  int xdec = 0;
  for (size_t i = 0; i < fig->nrisk; i++)
    {
      int d = decimals (fig->risk_times[i]);
      xdec = d > xdec ? d : xdec;
    }
  snprintf (tic, sizeof tic, "%.*f", xdec, fig->xmax);
  double right = 0.1 + axs_gp_text_width (page, tic) / 2;
  if (right < 0.25)
    right = 0.25;
  double top = 0.15 + (fig->title ? 1.5 * lh : 0);
  double row_h = 1.1 * lh;
  double risk_rows = 0.1 + ng * row_h;               /* the table's rows */
  double risk_h = risk_rows + 1.4 * lh;              /* and its heading */
  double xaxis_h = 2.7 * lh;                         /* tic labels, axis label */
  double plot_w = W - left - right;
  double plot_h = H - top - risk_h - xaxis_h;
  if (plot_w < 1 || plot_h < 1)
    return -2;

  /* The statistics, then the legend: each in the first corner of the panel
     that nothing crosses, or else over the panel. */
  char stats[16][128];
  size_t nstats = stats_lines (fig, stats, 16);
  block sb = { .w = 0.1, .h = nstats * 1.05 * lh + 0.05, .corner = -1 };
  for (size_t k = 0; k < nstats; k++)
    {
      double w = axs_gp_text_width (page, stats[k]) + 0.1;
      sb.w = w > sb.w ? w : sb.w;
    }
  block kb = { .w = 0, .h = (ng + (fig->key_title ? 1 : 0)) * 1.0 * lh + 0.12,
               .corner = -1 };
  for (int g = 0; g < ng; g++)
    {
      group_label (text, sizeof text, fig, g);
      double w = axs_gp_text_width (page, text);
      kb.w = w > kb.w ? w : kb.w;
    }
  if (fig->key_title)
    {
      double w = axs_gp_text_width (page, fig->key_title) - 3 * lh;
      kb.w = w > kb.w ? w : kb.w;
    }
  kb.w += 3.5 * lh + 0.1;                              /* the sample and gaps */
  static const int stats_order[] = { 1, 2, 0 }, key_order[] = { 0, 1, 2 };
  double above = 0;                                  /* what went over the panel */
  plot_h = H - top - risk_h - xaxis_h;
  if (nstats && !place_block (fig, &sb, stats_order, NULL, plot_w, plot_h, lh))
    above += sb.h;
  plot_h = H - top - above - risk_h - xaxis_h;
  if (plot_h >= 1 && !place_block (fig, &kb, key_order, nstats ? &sb : NULL, plot_w,
                                   plot_h, lh))
    {
      above += kb.h;
      plot_h = H - top - above - risk_h - xaxis_h;
      /* the panel shrank: the statistics may no longer fit where they were */
      if (nstats && sb.corner >= 0 && plot_h >= 1
          && !place_block (fig, &sb, stats_order, NULL, plot_w, plot_h, lh))
        above += sb.h;
    }
  double key_top = top;                              /* over the panel: the legend */
  double stats_top = top + (kb.corner < 0 ? kb.h : 0);   /* then the statistics, */
  double stats_x = left + 0.05;
  if (kb.corner < 0 && nstats && sb.corner < 0 && kb.w + 0.3 + sb.w <= W - left - 0.1)
    {
      /* or beside it when there is room */
      above = kb.h > sb.h ? kb.h : sb.h;
      stats_top = top;
      stats_x = left + kb.w + 0.3;
    }
  top += above;
  plot_h = H - top - risk_h - xaxis_h;
  if (plot_h < 1)
    return -2;

  /* ---- the curves ------------------------------------------------------- */
  double l = left / W, r = 1 - right / W;
  fputs ("\nset multiplot\n", f);
  axs_gp_write_panel (f, page, l, r, 1 - top / H, (risk_h + xaxis_h) / H, fig->title);
  fputs ("set xrange [0:", f);
  axs_gp_write_number (f, fig->xmax);
  fputs ("]\nset xtics (", f);
  for (size_t i = 0; i < fig->nrisk; i++)
    {
      fprintf (f, "%s\"%.*f\" ", i ? ", " : "", xdec, fig->risk_times[i]);
      axs_gp_write_number (f, fig->risk_times[i]);
    }
  fputs (")\nset yrange [", f);
  axs_gp_write_number (f, fig->ymin);
  putc (':', f);
  axs_gp_write_number (f, fig->ymax);
  fputs ("]\nset ytics ", f);
  axs_gp_write_number (f, ceil (fig->ymin / ystep - 1e-9) * ystep);
  putc (',', f);
  axs_gp_write_number (f, ystep);
  fprintf (f, " format '%%.%df'\n", ydec);
  axs_gp_write_axis_labels (f, fig->xlabel, fig->ylabel, ylabel_x / W);

  if (fig->median)
    {
      fputs ("# the medians\n"
             "set style arrow 1 nohead lc rgb '#666666' lw 0.8 dt (4,3)\n", f);
      double mmax = NAN;
      for (int g = 0; g < ng; g++)
        {
          double m = km->curves[g].median / scale;
          if (isnan (m))
            continue;
          mmax = isnan (mmax) || m > mmax ? m : mmax;
          fprintf (f, "set arrow from %.17g, graph 0 to %.17g, 0.5 as 1 back\n", m, m);
        }
      if (!isnan (mmax) && fig->ymin < 0.5 && fig->ymax > 0.5)
        fprintf (f, "set arrow from 0, 0.5 to %.17g, 0.5 as 1 back\n", mmax);
    }

  fputs ("set key ", f);
  if (kb.corner >= 0)
    fprintf (f, "at graph %.4f, graph %.4f %s", corner[kb.corner].gx ? 0.98 : 0.03,
             corner[kb.corner].gy ? 0.98 : 0.03, corner[kb.corner].just);
  else
    fprintf (f, "at screen %.4f, screen %.4f left top", l, 1 - key_top / H);
  fputs (" Left reverse samplen 3 spacing 1.1 noautotitle", f);
  if (fig->key_title)
    {
      fputs (" title ", f);
      axs_gp_write_string (f, fig->key_title);
      fputs (" left", f);
    }
  putc ('\n', f);
  for (size_t k = 0; k < nstats; k++)
    {
      fputs ("set label ", f);
      axs_gp_write_string (f, stats[k]);
      if (sb.corner >= 0)
        {
          double gy = sb.gy0 + (sb.h - 0.025 - (k + 0.5) * 1.05 * lh) / plot_h;
          fprintf (f, " at graph %.4f, graph %.4f left front\n", sb.gx0 + 0.05 / plot_w, gy);
        }
      else
        fprintf (f, " at screen %.4f, screen %.4f left front\n", stats_x / W,
                 1 - (stats_top + (k + 0.5) * 1.05 * lh) / H);
    }
  fputs ("\nset style fill transparent solid 0.18 noborder\n"
         "plot \\\n", f);
  if (fig->ci)
    fputs ("  for [g=1:N] $ci index (g-1) using ($1/scale):2:3 with filledcurves ls g"
           " notitle, \\\n", f);
  fputs ("  for [g=1:N] $km index (g-1) using ($1/scale):5 with steps ls g"
         " title legend[g], \\\n"
         "  for [g=1:N] $km index (g-1) using ($1/scale):($4 > 0 ? $5 : NaN)"
         " with points ls g notitle", f);
  fputs ("\n", f);

  /* ---- the number at risk ---------------------------------------------- */
  fprintf (f, "\n# the number at risk, under the x tics\n"
           "unset arrow\nunset label\nunset key\nunset border\nunset xlabel\n"
           "unset ylabel\nunset ytics\nset xtics format '' scale 0\n"
           "set tmargin at screen %.4f\nset bmargin at screen %.4f\n"
           "set yrange [0:N]\n",
           risk_rows / H, 0.1 / H);
  fputs ("set label 'Number at risk' at screen ", f);
  fprintf (f, "%.4f, screen %.4f left\n", 0.12 / W, (risk_rows + 0.6 * lh) / H);
  fprintf (f, "do for [g=1:N] {\n"
           "  set label name[g] at screen %.4f, first (N - g + 0.5) right tc ls g\n"
           "}\n", names_x / W);
  fputs ("plot for [g=1:N] $risk index (g-1) using 1:(N - g + 0.5):(sprintf('%d', $2))"
         " with labels tc ls g notitle\n"
         "unset multiplot\n", f);
  return ferror (f) ? -1 : 0;
}
