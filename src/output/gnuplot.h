/* gnuplot.h: figures as self-contained gnuplot scripts.

   A script carries its data in datablocks, so the .gp file alone redraws the
   figure and its styling can be edited by hand.  The pieces every figure
   shares are here: the page (terminal, size, font), the palette, strings,
   numbers and datablocks, axis steps and text measures for the layout.  Each
   figure kind (the Kaplan-Meier figure here; a forest plot, a cutpoint
   profile, a volcano plot) is one writer built from them.  Nothing here
   computes a statistic: the writers lay out results they are given. */
#ifndef AXS_GNUPLOT_H
#define AXS_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>

#include "output/km_out.h"
#include "stats/km.h"

/* The cairo terminals. */
typedef enum { AXS_GP_PNG, AXS_GP_SVG, AXS_GP_PDF } axs_gp_terminal;
extern const char *const axs_gp_terminal_names[];   /* "png", "svg", "pdf", NULL */

enum { AXS_GP_PNG_DPI = 300 };  /* a PNG's pixels per inch of --size */

/* The page a figure is drawn on. */
typedef struct
{
  axs_gp_terminal terminal;
  double width, height;         /* printed size, inches */
  const char *font;             /* family, e.g. "Helvetica" */
  double font_size;             /* points */
  const char *output;           /* the image file `set output` names, or NULL
                                   for gnuplot's standard output */
} axs_gp_page;

/* PNG, 6 x 5 inches, Helvetica 12 pt, no output file. */
void axs_gp_page_init (axs_gp_page *page);

/* Layout measures in inches: the height of a line of text, and the width of
   S (an estimate from the font's average advance, on the generous side). */
double axs_gp_line_height (const axs_gp_page *page);
double axs_gp_text_width (const axs_gp_page *page, const char *s);

/* The palette: Okabe & Ito's colour-blind-safe colours, ordered so that
   neighbours also differ in grey level, each with its own dash pattern so
   the curves stay apart in greyscale.  Style K (from 1) cycles through them. */
enum { AXS_GP_NSTYLES = 7 };

/* The opening of every script: a comment naming WHAT and how to redraw,
   the terminal, size, font and output, and line styles 1..NSTYLES. */
void axs_gp_write_preamble (FILE *f, const axs_gp_page *page, const char *what,
                            int nstyles);

/* S as a gnuplot string literal (single quotes, '' for '). */
void axs_gp_write_string (FILE *f, const char *s);
/* X so that it reads back exactly; NaN for a missing number. */
void axs_gp_write_number (FILE *f, double x);
/* `$NAME << EOD` ... `EOD`. */
/* Place the plot panel: L and R, T and B are its edges as fractions of the
   page (left, right, top, bottom); TITLE, when not NULL, is centred above
   it at the page's top. */
void axs_gp_write_panel (FILE *f, const axs_gp_page *page, double l, double r,
                         double t, double b, const char *title);

/* The axis titles: XLABEL under the x axis, YLABEL rotated, centred on the
   panel's height, at X (a fraction of the page's width from its left). */
void axs_gp_write_axis_labels (FILE *f, const char *xlabel, const char *ylabel,
                               double x);

void axs_gp_datablock_begin (FILE *f, const char *name);
void axs_gp_datablock_end (FILE *f);

/* A round axis step (1, 2, 2.5 or 5 times a power of ten) that splits
   [0, MAX] into about TARGET intervals; 1 when MAX <= 0. */
double axs_gp_axis_step (double max, int target);

/* A p value for a figure: "p = 0.14", "p = 0.0032", "p < 0.001" (two
   significant digits).  BUF gets at most N bytes. */
char *axs_gp_format_p (char *buf, size_t n, double p);

/* ---- the Kaplan-Meier figure ------------------------------------------- */

/* A hazard ratio to print in the panel. */
typedef struct
{
  const char *label;            /* "high vs low" */
  double hr, lower, upper;
} axs_gp_hr;

typedef struct
{
  const axs_km_context *context;  /* group names and the grouping column */
  const axs_km_result *km;        /* landmarks at the risk times (data units) */
  double logrank_p;               /* NaN: no test to show */
  const axs_gp_hr *hr;            /* NHR hazard ratios, or NULL */
  size_t nhr;
  double hr_conf_level;
  const double *risk_times;       /* NRISK times of the number-at-risk table and
                                     the x tics, in display units, ascending */
  size_t nrisk;
  double time_scale;              /* data time units per display unit */
  double xmax;                    /* the x axis ends here (display units) */
  double ymin, ymax;              /* the y axis */
  const char *title;              /* NULL: none */
  const char *xlabel, *ylabel;
  const char *key_title;          /* over the group names, or NULL */
  int ci;                         /* draw the confidence bands */
  int median;                     /* draw the median lines */
} axs_gp_km_figure;

/* The Kaplan-Meier figure: step curves with censor marks, optional CI bands
   and median lines, the legend with n and events, the log-rank p (and hazard
   ratios) in the panel, and the number at risk under the plot at the x tics.

   Datablocks: $km (per group, separated by two blank lines: time n_risk
   n_event n_censor surv std_err lower upper, as `km --table curve`, after a
   first row for the curve's start at time 0), $ci (the bands as steps: time
   lower upper) and $risk (per group: time n_risk).
   Returns 0, or -1 on a write error. */
int axs_gp_write_km (FILE *f, const axs_gp_page *page, const axs_gp_km_figure *fig);

#endif
