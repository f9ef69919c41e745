/* gnuplot_forest.c: the forest figure as a gnuplot script. */
#include "output/gnuplot_forest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const axs_gp_forest_kind_names[] = {
  "estimate", "reference", "infinite", "missing", "heading", NULL
};

/* The axis is never wider than this: an interval past it ends in an arrow. */
static const double AXIS_LIMIT = 100;

enum { MAX_NOTE_LINES = 24 };

/* Layout measures, in inches. */
typedef struct
{
  double lh;                    /* a line of text */
  double note_fs, note_lh;      /* the footnotes' font size and line */
  double indent;                /* a subgroup level under its heading */
  double label_w, count_w, hr_w, p_w;   /* the columns' widths */
  double top, head_h, axis_h, notes_h;
  char lines[MAX_NOTE_LINES][256];      /* the footnotes, wrapped */
  size_t nlines;
} layout;

static const char *
count_heading (void)
{
  return "n (events)";
}

static const char *
p_heading (const axs_gp_forest_figure *fig)
{
  return fig->subgroups ? "Interaction p" : "p";
}

static const char *
hr_heading (const axs_gp_forest_figure *fig, char *buf, size_t n)
{
  snprintf (buf, n, "HR (%g%% CI)", 100 * fig->conf_level);
  return buf;
}

/* A hazard ratio for reading: two decimals, fewer digits when large, two
   significant ones when small. */
static char *
format_hr (char *buf, size_t n, double x)
{
  if (isnan (x))
    snprintf (buf, n, "NA");
  else if (isinf (x) || x >= 1e6)
    snprintf (buf, n, x > 0 ? "> 999999" : "0");
  else if (x >= 100)
    snprintf (buf, n, "%.0f", x);
  else if (x >= 0.01 || x == 0)
    snprintf (buf, n, "%.2f", x);
  else
    snprintf (buf, n, "%.2g", x);
  return buf;
}

/* A p value for a column: "0.67", "0.048", "< 0.001"; "" for NaN. */
static char *
format_p (char *buf, size_t n, double p)
{
  if (isnan (p))
    snprintf (buf, n, "%s", "");
  else if (p < 0.001)
    snprintf (buf, n, "< 0.001");
  else
    snprintf (buf, n, "%#.2g", p);
  return buf;
}

static void
hr_text (char *buf, size_t n, const axs_gp_forest_row *r)
{
  char a[32], b[32], c[32];
  switch (r->kind)
    {
    case AXS_GP_FOREST_ESTIMATE:
      snprintf (buf, n, "%s (%s\u2013%s)", format_hr (a, sizeof a, r->hr),
                format_hr (b, sizeof b, r->lower), format_hr (c, sizeof c, r->upper));
      break;
    case AXS_GP_FOREST_REFERENCE:
      snprintf (buf, n, "1");
      break;
    case AXS_GP_FOREST_INFINITE:
      snprintf (buf, n, "may be infinite \u2020");
      break;
    case AXS_GP_FOREST_MISSING:
      snprintf (buf, n, "%s", r->note ? r->note : "not estimable");
      break;
    case AXS_GP_FOREST_HEADING:
      buf[0] = 0;
      break;
    }
}

static void
p_text (char *buf, size_t n, const axs_gp_forest_figure *fig, const axs_gp_forest_row *r)
{
  buf[0] = 0;
  if (fig->subgroups ? r->kind == AXS_GP_FOREST_HEADING
      : r->kind == AXS_GP_FOREST_ESTIMATE)
    format_p (buf, n, r->p);
}

static void
count_text (char *buf, size_t n, const axs_gp_forest_row *r)
{
  buf[0] = 0;
  if (r->n >= 0 && r->events >= 0)
    snprintf (buf, n, "%ld (%ld)", r->n, r->events);
  else if (r->n >= 0)
    snprintf (buf, n, "%ld", r->n);
}

/* Bold text is about a tenth wider than the measures of regular text. */
static double
bold_width (const axs_gp_page *page, const char *s)
{
  return 1.1 * axs_gp_text_width (page, s);
}

static double
text_width_at (const axs_gp_page *page, double font_size, const char *s)
{
  axs_gp_page p = *page;
  p.font_size = font_size;
  return axs_gp_text_width (&p, s);
}

/* Wrap the footnotes into L->lines at WIDTH inches. */
static void
wrap_notes (const axs_gp_page *page, const axs_gp_forest_figure *fig, layout *L,
            double width)
{
  L->nlines = 0;
  for (size_t k = 0; k < fig->nnote && L->nlines < MAX_NOTE_LINES; k++)
    {
      const char *s = fig->note[k];
      while (*s && L->nlines < MAX_NOTE_LINES)
        {
          /* the longest run of whole words that fits */
          size_t best = 0, len = 0;
          char buf[256];
          for (;;)
            {
              size_t next = len + strcspn (s + len, " ");
              if (next >= sizeof buf)
                break;
              memcpy (buf, s, next);
              buf[next] = 0;
              if (best && text_width_at (page, L->note_fs, buf) > width)
                break;
              best = next;
              if (!s[next])
                break;
              len = next + 1;
            }
          if (!best)            /* one word longer than the line */
            best = strcspn (s, " ") < sizeof buf - 1 ? strcspn (s, " ") : sizeof buf - 1;
          snprintf (L->lines[L->nlines++], sizeof L->lines[0], "%.*s", (int) best, s);
          s += best;
          while (*s == ' ')
            s++;
        }
    }
}

static void
measure (const axs_gp_page *page, const axs_gp_forest_figure *fig, layout *L)
{
  char text[512];
  memset (L, 0, sizeof *L);
  L->lh = axs_gp_line_height (page);
  L->note_fs = page->font_size * 0.85;
  L->note_lh = L->note_fs * 1.25 / 72;
  L->indent = 0.18 * page->font_size / 12;
  L->label_w = bold_width (page, fig->subgroups ? "Subgroup" : "Term");
  L->count_w = fig->subgroups ? bold_width (page, count_heading ()) : 0;
  L->hr_w = bold_width (page, hr_heading (fig, text, sizeof text));
  L->p_w = bold_width (page, p_heading (fig));
  for (size_t i = 0; i < fig->nrow; i++)
    {
      const axs_gp_forest_row *r = &fig->row[i];
      int bold = r->bold || r->kind == AXS_GP_FOREST_HEADING;
      double w = (bold ? bold_width (page, r->label) : axs_gp_text_width (page, r->label))
                 + (r->indent ? L->indent : 0);
      L->label_w = w > L->label_w ? w : L->label_w;
      if (fig->subgroups)
        {
          count_text (text, sizeof text, r);
          w = axs_gp_text_width (page, text);
          L->count_w = w > L->count_w ? w : L->count_w;
        }
      hr_text (text, sizeof text, r);
      w = axs_gp_text_width (page, text);
      L->hr_w = w > L->hr_w ? w : L->hr_w;
      p_text (text, sizeof text, fig, r);
      w = bold_width (page, text);
      L->p_w = w > L->p_w ? w : L->p_w;
    }
  L->top = 0.12 + (fig->title ? 1.6 * L->lh : 0);
  L->head_h = 1.5 * L->lh;
  L->axis_h = 2.8 * L->lh;
  wrap_notes (page, fig, L, page->width - 0.24);
  L->notes_h = L->nlines ? L->nlines * L->note_lh + 0.12 : 0;
}

/* The smallest height of a row of the table. */
static double
row_height (const layout *L)
{
  return 1.4 * L->lh;
}

double
axs_gp_forest_height (const axs_gp_page *page, const axs_gp_forest_figure *fig)
{
  layout L;
  measure (page, fig, &L);
  return L.top + L.head_h + (double) fig->nrow * row_height (&L) + L.axis_h
         + L.notes_h + 0.1;
}

/* The x axis: from XMIN to XMAX (powers of two, or 1-2-5 steps or decades
   over a wide range), ticks in TICK[*NTICK]. */
static void
axis_range (const axs_gp_forest_figure *fig, double *xmin, double *xmax, double *tick,
            size_t *ntick)
{
  double lo = 1, hi = 1;
  for (size_t i = 0; i < fig->nrow; i++)
    {
      const axs_gp_forest_row *r = &fig->row[i];
      if (r->kind != AXS_GP_FOREST_ESTIMATE)
        continue;
      const double v[] = { r->hr, r->lower, r->upper };
      for (int k = 0; k < 3; k++)
        if (v[k] > 0 && isfinite (v[k]))
          {
            lo = v[k] < lo ? v[k] : lo;
            hi = v[k] > hi ? v[k] : hi;
          }
    }
  lo = lo < 1 / AXIS_LIMIT ? 1 / AXIS_LIMIT : lo;
  hi = hi > AXIS_LIMIT ? AXIS_LIMIT : hi;
  int emin = (int) floor (log2 (lo) + 1e-9), emax = (int) ceil (log2 (hi) - 1e-9);
  if (emin > -1)
    emin = -1;
  if (emax < 1)
    emax = 1;
  *ntick = 0;
  if (emax - emin <= 6)
    {
      /* 0.25 0.5 1 2 4 */
      *xmin = ldexp (1, emin);
      *xmax = ldexp (1, emax);
      for (int e = emin; e <= emax; e++)
        tick[(*ntick)++] = ldexp (1, e);
      return;
    }
  /* 0.1 0.2 0.5 1 2 5 10, or decades when those are too many */
  static const double nice[] = { 1, 2, 5 };
  int dmin = (int) floor (log10 (lo) + 1e-9), dmax = (int) ceil (log10 (hi) - 1e-9);
  double first = pow (10, dmin), last = pow (10, dmax);
  for (int k = 2; k >= 0; k--)
    if (nice[k] * pow (10, dmin) <= lo * (1 + 1e-9))
      {
        first = nice[k] * pow (10, dmin);
        break;
      }
  for (int k = 0; k < 3; k++)
    if (nice[k] * pow (10, dmax - 1) >= hi * (1 - 1e-9))
      {
        last = nice[k] * pow (10, dmax - 1);
        break;
      }
  size_t n = 0;
  for (int d = dmin; d <= dmax; d++)
    for (int k = 0; k < 3; k++)
      {
        double x = nice[k] * pow (10, d);
        if (x >= first * (1 - 1e-9) && x <= last * (1 + 1e-9))
          n++;
      }
  if (n <= 7)
    {
      *xmin = first;
      *xmax = last;
      for (int d = dmin; d <= dmax; d++)
        for (int k = 0; k < 3; k++)
          {
            double x = nice[k] * pow (10, d);
            if (x >= first * (1 - 1e-9) && x <= last * (1 + 1e-9))
              tick[(*ntick)++] = x;
          }
      return;
    }
  *xmin = pow (10, dmin);
  *xmax = pow (10, dmax);
  for (int d = dmin; d <= dmax; d++)
    tick[(*ntick)++] = pow (10, d);
}

static void
write_label (FILE *f, const char *text, double x_screen, const char *y, const char *just,
             const char *font)
{
  if (!*text)
    return;
  fputs ("set label ", f);
  axs_gp_write_string (f, text);
  fprintf (f, " at screen %.4f, %s %s", x_screen, y, just);
  if (font)
    fprintf (f, " font '%s'", font);
  fputs (" front\n", f);
}

/* An arrow along row Y from A to B, with heads where it was clipped. */
static void
write_bar (FILE *f, double a, double b, double y, int head_a, int head_b,
           const char *style)
{
  fputs ("set arrow from ", f);
  axs_gp_write_number (f, a);
  fprintf (f, ", first %.6g to ", y);
  axs_gp_write_number (f, b);
  fprintf (f, ", first %.6g %s %s front\n", y,
           head_a && head_b ? "heads" : head_a ? "backhead" : head_b ? "head" : "nohead",
           style);
}

int
axs_gp_write_forest (FILE *f, const axs_gp_page *page, const axs_gp_forest_figure *fig)
{
  const double W = page->width, H = page->height;
  layout L;
  measure (page, fig, &L);
  const size_t N = fig->nrow;
  char text[512], bold[128], y[64];

  /* ---- the layout, in inches ------------------------------------------- */
  const double margin = 0.12, gap = 0.25;
  double label_x = margin;
  double count_r = label_x + L.label_w + gap + L.count_w;   /* right-aligned */
  double left = (fig->subgroups ? count_r : label_x + L.label_w) + gap + 0.1;
  double p_x = W - margin - L.p_w;
  double hr_x = p_x - gap - L.hr_w;
  double right = hr_x - gap - 0.1;
  double fixed = L.top + L.head_h + L.axis_h + L.notes_h + 0.1;
  double row_h = N ? (H - fixed) / (double) N : 0;
  if (right - left < 1.2 || row_h < 0.95 * row_height (&L) || N == 0)
    return -2;
  if (row_h > 2.2 * L.lh)
    row_h = 2.2 * L.lh;         /* the rest stays white at the bottom */
  double panel_top = L.top + L.head_h;
  double panel_bottom = panel_top + (double) N * row_h;
  double l = left / W, r = right / W;

  double xmin, xmax, tick[64];
  size_t ntick;
  axis_range (fig, &xmin, &xmax, tick, &ntick);

  snprintf (bold, sizeof bold, "%s:Bold,%g", page->font, page->font_size);

  axs_gp_write_preamble (f, page, "Forest figure (hazard ratios)", 1);

  /* ---- the data ---------------------------------------------------------- */
  fputs ("\n# One line per row of the figure, from the top (tab-separated):\n"
         "# row kind term coef hr hr_lower hr_upper p n events\n"
         "# kind: estimate, reference (hr 1, no bar), infinite (the coefficient may\n"
         "# be infinite), missing (no estimate), heading (p: the interaction's)\n", f);
  axs_gp_datablock_begin (f, "forest");
  for (size_t i = 0; i < N; i++)
    {
      const axs_gp_forest_row *rw = &fig->row[i];
      fprintf (f, "%zu\t%s\t", i + 1, axs_gp_forest_kind_names[rw->kind]);
      for (const char *s = rw->term; *s; s++)
        putc (*s == '\t' || *s == '\n' ? ' ' : *s, f);
      const double v[] = { rw->coef, rw->hr, rw->lower, rw->upper, rw->p };
      for (int k = 0; k < 5; k++)
        {
          putc ('\t', f);
          axs_gp_write_number (f, v[k]);
        }
      fprintf (f, "\t%ld\t%ld\n", rw->n, rw->events);
    }
  axs_gp_datablock_end (f);

  fprintf (f, "\nset datafile separator tab\nN = %zu                  # rows\n"
           "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
           "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
           N, l, r, 1 - panel_top / H, 1 - panel_bottom / H);
  if (fig->title)
    {
      fputs ("set label ", f);
      axs_gp_write_string (f, fig->title);
      snprintf (text, sizeof text, "%s,%g", page->font, page->font_size * 1.15);
      fprintf (f, " at screen %.4f, screen %.4f center font '%s'\n", 0.5,
               1 - (0.12 + 0.6 * L.lh) / H, text);
    }

  /* ---- the axis -------------------------------------------------------- */
  fputs ("set logscale x\nset xrange [", f);
  axs_gp_write_number (f, xmin);
  putc (':', f);
  axs_gp_write_number (f, xmax);
  fputs ("]\nset xtics (", f);
  for (size_t k = 0; k < ntick; k++)
    {
      fprintf (f, "%s\"%g\" ", k ? ", " : "", tick[k]);
      axs_gp_write_number (f, tick[k]);
    }
  fputs (")\nunset mxtics\nset yrange [0:N]\nunset ytics\nset border 1 lw 0.8\n"
         "set xlabel ", f);
  axs_gp_write_string (f, fig->xlabel);
  fputs (" offset 0,0.3\n", f);

  /* ---- the column headings and rules ------------------------------------ */
  fputs ("\n# the column headings\n", f);
  snprintf (y, sizeof y, "screen %.4f", 1 - (panel_top - 0.55 * L.lh) / H);
  write_label (f, fig->subgroups ? "Subgroup" : "Term", label_x / W, y, "left", bold);
  if (fig->subgroups)
    write_label (f, count_heading (), count_r / W, y, "right", bold);
  write_label (f, hr_heading (fig, text, sizeof text), hr_x / W, y, "left", bold);
  write_label (f, p_heading (fig), p_x / W, y, "left", bold);
  fprintf (f, "set arrow from screen %.4f, screen %.4f to screen %.4f, screen %.4f "
           "nohead lw 0.8 lc rgb '#000000' front\n",
           margin / W, 1 - panel_top / H, 1 - margin / W, 1 - panel_top / H);
  fprintf (f, "set arrow from screen %.4f, screen %.4f to screen %.4f, screen %.4f "
           "nohead lw 0.8 lc rgb '#000000' front\n",
           margin / W, 1 - panel_bottom / H, 1 - margin / W, 1 - panel_bottom / H);

  /* shade every other group of rows so a row reads across */
  if (fig->stripes)
    {
      fputs ("# every other group of rows shaded\n", f);
      int shade = 0;
      for (size_t i = 0; i < N; i++)
        {
          if (i && (fig->group ? fig->group[i] != fig->group[i - 1] : 1))
            shade = !shade;
          if (shade)
            fprintf (f, "set object rect from screen %.4f, first %zu to screen %.4f, "
                     "first %zu fc rgb '#EEEEEE' fs solid 1 noborder behind\n",
                     margin / W, N - i - 1, 1 - margin / W, N - i);
        }
    }

  /* ---- the rows ---------------------------------------------------------- */
  fputs ("\n# the line of no effect\nset arrow from 1, graph 0 to 1, graph 1 nohead "
         "lc rgb '#666666' lw 0.8 back\n", f);
  fputs ("# the rows: labels, intervals (an arrow head where the axis cuts them),\n"
         "# numbers\n", f);
  const char *bar = "lc rgb '#000000' lw 1.2 size screen 0.01,25 filled";
  for (size_t i = 0; i < N; i++)
    {
      const axs_gp_forest_row *rw = &fig->row[i];
      double yc = (double) (N - i) - 0.5;
      snprintf (y, sizeof y, "first %.6g", yc);
      write_label (f, rw->label, (label_x + (rw->indent ? L.indent : 0)) / W, y, "left",
                   rw->kind == AXS_GP_FOREST_HEADING || rw->bold ? bold : NULL);
      if (fig->subgroups)
        {
          count_text (text, sizeof text, rw);
          write_label (f, text, count_r / W, y, "right", NULL);
        }
      hr_text (text, sizeof text, rw);
      write_label (f, text, hr_x / W, y, "left", NULL);
      p_text (text, sizeof text, fig, rw);
      write_label (f, text, p_x / W, y, "left",
                   rw->kind == AXS_GP_FOREST_HEADING ? bold : NULL);
      if (rw->kind == AXS_GP_FOREST_ESTIMATE && rw->lower > 0 && rw->upper > 0)
        {
          double a = rw->lower, b = rw->upper;
          int ca = a < xmin, cb = b > xmax;
          a = ca ? xmin : a > xmax ? xmax : a;
          b = cb ? xmax : b < xmin ? xmin : b;
          write_bar (f, a, b, yc, ca, cb, bar);
        }
      else if (rw->kind == AXS_GP_FOREST_INFINITE)
        {
          /* dashed toward the axis's end, a solid head there */
          double end = rw->coef < 0 ? xmin : xmax;
          write_bar (f, 1, end, yc, 0, 0, "lc rgb '#000000' lw 1.2 dt (4,3)");
          write_bar (f, rw->coef < 0 ? end * 1.15 : end / 1.15, end, yc, 0, 1, bar);
        }
    }

  /* ---- the footnotes ----------------------------------------------------- */
  if (L.nlines)
    {
      fputs ("\n# the footnotes\n", f);
      snprintf (text, sizeof text, "%s,%g", page->font, L.note_fs);
      double notes_top = panel_bottom + L.axis_h + 0.05;
      for (size_t k = 0; k < L.nlines; k++)
        {
          snprintf (y, sizeof y, "screen %.4f", 1 - (notes_top + (k + 0.5) * L.note_lh) / H);
          write_label (f, L.lines[k], margin / W, y, "left", text);
        }
    }

  fputs ("\nplot $forest using (strcol(2) eq 'estimate' ? $5 : NaN):(N - $1 + 0.5)"
         " with points pt 5 ps 2.4 lc rgb '#000000' notitle, \\\n"
         "     $forest using (strcol(2) eq 'reference' ? 1 : NaN):(N - $1 + 0.5)"
         " with points pt 4 ps 2.4 lw 0.8 lc rgb '#000000' notitle\n", f);

  return ferror (f) ? -1 : 0;
}
