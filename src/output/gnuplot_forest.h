/* gnuplot_forest.h: the forest figure (axlsurv plot forest): a hazard ratio
   and its confidence interval per row on a log axis with a line at 1, and
   the numbers in columns beside the bars.  The rows are a Cox model's terms
   (reference levels shown at 1) or the biomarker's hazard ratio within
   subgroups (with n, events and interaction p values).  The writer lays out
   what it is given; the cli layer fits the models. */
#ifndef AXS_GNUPLOT_FOREST_H
#define AXS_GNUPLOT_FOREST_H

#include <stddef.h>
#include <stdio.h>

#include "output/gnuplot.h"

typedef enum
{
  AXS_GP_FOREST_ESTIMATE,       /* hr with its interval: a square and a bar */
  AXS_GP_FOREST_REFERENCE,      /* a factor's reference level: hr 1, no bar */
  AXS_GP_FOREST_INFINITE,       /* the coefficient may be infinite: an arrow
                                   from 1 to the axis's end on COEF's side */
  AXS_GP_FOREST_MISSING,        /* no estimate (NOTE says why) */
  AXS_GP_FOREST_HEADING         /* a subgroup column's name (P: its interaction p) */
} axs_gp_forest_kind;

extern const char *const axs_gp_forest_kind_names[];  /* "estimate", ... "heading" */

typedef struct
{
  axs_gp_forest_kind kind;
  const char *term;             /* for the datablock: the Cox term ("sex=M"), the
                                   subgroup ("sex=F"), "All patients" */
  const char *label;            /* shown at the left */
  int indent;                   /* a subgroup's level, under its heading */
  int bold;                     /* the label in bold (headings always are) */
  double coef, hr, lower, upper, p;   /* NaN when not applicable */
  long n, events;               /* subgroups: shown when >= 0 */
  const char *note;             /* MISSING: why, shown in the numbers column */
} axs_gp_forest_row;

typedef struct
{
  const axs_gp_forest_row *row; /* top to bottom */
  size_t nrow;
  int subgroups;                /* columns n (events) and interaction p */
  double conf_level;
  const char *title;            /* NULL: none */
  const char *xlabel;
  const char *const *note;      /* footnotes under the figure, wrapped */
  size_t nnote;
  int stripes;                  /* shade every other group of rows ... */
  const int *group;             /* ... nrow group numbers (NULL: each row) */
} axs_gp_forest_figure;

/* The height in inches the figure needs at PAGE's width and font. */
double axs_gp_forest_height (const axs_gp_page *page, const axs_gp_forest_figure *fig);

/* The figure.  Datablock $forest, tab-separated, one line per row from the
   top: row kind term coef hr hr_lower hr_upper p n events (numbers so that
   they read back exactly; NaN where not applicable, -1 for n and events
   not shown).  Returns 0, -1 on a write error, -2 when the page is too
   small. */
int axs_gp_write_forest (FILE *f, const axs_gp_page *page,
                         const axs_gp_forest_figure *fig);

#endif
