/* plot_forest.c: axlsurv plot forest: hazard ratios of a Cox model on a log
   axis, or of the biomarker within subgroups with the interaction p. */
#include "cli/coxfit.h"
#include "cli/options.h"
#include "cli/plot.h"
#include "output/gnuplot_forest.h"
#include "stats/cox.h"
#include "stats/status.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char forest_usage[] =
  "Usage: axlsurv plot forest [OPTIONS] COHORT\n"
  "Draw the hazard ratios of a Cox model (the options of 'axlsurv cox') with their\n"
  "confidence intervals on a log axis, the numbers beside the bars and each\n"
  "factor's reference level shown at 1; or, with --subgroups, the biomarker's\n"
  "hazard ratio within each level of some columns, with interaction p values.\n"
  "\n"
  "Endpoint:\n"
  "  --endpoint NAME       use columns NAME_time and NAME_event (default: os)\n"
  "  --time COL --event COL  name the time and event columns instead\n"
  "  --event-value V       the value of the event column that means an event\n"
  "Biomarker (the first term; optional without --subgroups):\n"
  "  --group COL           groups are the levels of a categorical column\n"
  "  --marker COL          groups from a numeric marker, split by --cut\n"
  "  --cut SPEC            median (default), tertiles, quartiles, pNN, V or V1,V2,...\n"
  "  --cut-from FILE       the cut saved by 'axlsurv cutpoint -o'\n"
  "  --continuous          the marker as a number instead of groups\n"
  "  --transform T         with --continuous: none, log, log2, log2p1 or z\n"
  "Model:\n"
  "  --covariates LIST     more terms, comma-separated (NAME:factor forces a factor)\n"
  "  --ref COL=LEVEL       the reference level of a factor; repeatable\n"
  "  --strata COL          a separate baseline hazard for each level of COL\n"
  "  --interaction COL     add biomarker x COL (its columns are rows of the figure)\n"
  "Fit:\n"
  "  --ties METHOD         efron (default) or breslow\n"
  "  --max-iter N          Newton-Raphson iterations (default 20; 50 with --firth)\n"
  "  --conf-level L        confidence level of the intervals (default 0.95)\n"
  "  --firth               Firth-penalised fits with profile-likelihood intervals\n"
  "  --zph                 test proportional hazards; the global p goes in a note\n"
  "Subgroups:\n"
  "  --subgroups COL1,COL2,...  the biomarker's hazard ratio within each level of\n"
  "                        each column (at most 12 levels), adjusted for the\n"
  "                        covariates but that column, with n, events and the\n"
  "                        likelihood-ratio p of biomarker x column; needs one\n"
  "                        biomarker column (two groups, or --continuous)\n"
  "Cohort:\n"
  "  --subset COL=V1[,V2]  analyse only rows whose COL is one of the values\n"
  "  --na LIST             spellings of a missing value (default: ,NA,NaN,.)\n"
  "  --delimiter C         ',', ';' or tab (default: detected from the header)\n"
  "Figure:\n"
  "  --title TEXT          a title over the figure (default: none)\n"
  "  --xlabel TEXT         the axis label\n"
  "Output:\n"
  "  --terminal T          png (default), svg or pdf (gnuplot's cairo terminals)\n"
  "  --size W,H            printed size in inches, or W,Hcm in centimetres\n"
  "                        (default 7.5 wide, as tall as the rows need); a PNG\n"
  "                        has 300 pixels per inch\n"
  "  --render FILE         run gnuplot to write the image FILE (the terminal\n"
  "                        follows its extension .png, .svg or .pdf); the script\n"
  "                        is then written only with -o\n"
  "  -o, --output FILE     write the script to FILE (atomically) instead of\n"
  "                        standard output; it draws FILE with .png (.svg, .pdf)\n"
  "                        in place of .gp\n"
  "  --help                show this help\n"
  "Environment: GNUPLOT names the gnuplot program --render runs (default gnuplot).\n";

enum { OPT_FOREST_SUBGROUPS = AXS_PLOT_OPT_END + 64 };

/* The most levels a subgroup column may have. */
enum { MAX_SUBGROUP_LEVELS = 12 };

typedef struct
{
  axs_plot_common pc;
  axs_coxfit_options fit;
  char **sub;                   /* --subgroups columns */
  size_t nsub;
} plot_forest_options;

static int
forest_option (void *ctx, int code, const char *arg)
{
  plot_forest_options *o = ctx;
  const axs_cli *cli = &o->pc.cli;
  if (code == AXS_PLOT_OPT_YLABEL)
    axs_cli_usage_error (cli, "--ylabel: a forest figure has no y axis label");
  if (axs_plot_common_option (&o->pc, code, arg) || axs_coxfit_option (cli, &o->fit, code, arg))
    return 0;
  if (code == OPT_FOREST_SUBGROUPS)
    for (const char *p = arg;; p += strcspn (p, ",") + 1)
      {
        size_t len = strcspn (p, ",");
        if (len == 0)
          axs_cli_usage_error (cli, "--subgroups '%s': an empty name; list the columns "
                               "separated by commas, e.g. sex,stage", arg);
        char **grown = realloc (o->sub, (o->nsub + 1) * sizeof *grown);
        if (!grown || !(grown[o->nsub] = strndup (p, len)))
          axs_cli_fail ("out of memory");
        o->sub = grown;
        for (size_t k = 0; k < o->nsub; k++)
          if (strcmp (o->sub[k], grown[o->nsub]) == 0)
            axs_cli_usage_error (cli, "--subgroups '%s': column '%s' is named twice",
                                 arg, o->sub[k]);
        o->nsub++;
        if (!p[len])
          break;
      }
  return 0;
}

/* Whether covariate item S ("NAME" or "NAME:factor") names column COL. */
static int
names_column (const char *s, const char *col)
{
  size_t len = strlen (col);
  return strncmp (s, col, len) == 0 && (!s[len] || strcmp (s + len, ":factor") == 0);
}

/* The biomarker's hazard ratio within one subgroup. */
typedef struct
{
  axs_gp_forest_kind kind;
  double coef, hr, lower, upper;
  long n, events;
  char why[128];                /* MISSING: why (short, for the figure) */
} subgroup_fit;

/* Fit the model O describes, less the column COL, to the patients of T whose
   COL is LEVEL (and who pass CLI's --subset), with the marker cut at CUT
   (NULL: CLI's groups or continuous marker), into *S.  Nothing here exits:
   a subgroup that cannot be fitted is MISSING, with a warning. */
static void
fit_subgroup (const axs_cli *cli, const axs_coxfit_options *o, const axs_table *t,
              const axs_cut *cut, const char *col, const char *level, subgroup_fit *s)
{
  *s = (subgroup_fit) { .kind = AXS_GP_FOREST_MISSING, .coef = NAN, .hr = NAN,
                        .lower = NAN, .upper = NAN, .n = 0, .events = 0 };
  axs_na na;
  if (axs_na_init (&na, cli->na_list) != AXS_OK)
    axs_cli_fail ("out of memory");
  axs_subset subset[AXS_MAX_SUBSETS + 1];
  memcpy (subset, cli->subset, cli->nsubset * sizeof *subset);
  char *value = (char *) level;
  subset[cli->nsubset] = (axs_subset) { .column = (char *) col, .value = &value, .n = 1 };
  const char *cov[o->ncovariate + 1], *ref[o->nref + 1];
  size_t ncov = 0, nref = 0, len = strlen (col);
  for (size_t k = 0; k < o->ncovariate; k++)
    if (!names_column (o->covariate[k], col))
      cov[ncov++] = o->covariate[k];
  for (size_t k = 0; k < o->nref; k++)
    if (!(strncmp (o->ref[k], col, len) == 0 && o->ref[k][len] == '='))
      ref[nref++] = o->ref[k];
  axs_model_spec ms = {
    .marker = cli->group ? cli->group : cli->marker,
    .continuous = o->continuous, .transform = o->transform,
    .covariate = cov, .ncovariate = ncov, .ref = ref, .nref = nref,
  };
  char **also;
  size_t nalso;
  if (axs_model_columns (&ms, &also, &nalso) != AXS_OK)
    axs_cli_fail ("out of memory");
  axs_design_spec spec = {
    .time = cli->time, .event = cli->event, .event_value = cli->event_value,
    .na = &na, .subset = subset, .nsubset = cli->nsubset + 1,
    .group = cli->group, .marker = cli->marker,
    .cut = cli->marker && !o->continuous ? cut : NULL,
    .strata = cli->strata,
    .also = (const char *const *) also, .nalso = nalso,
  };
  spec.id = axs_design_id_column (t);
  axs_design d = { 0 };
  axs_model m = { 0 };
  axs_diag diag;
  int built = 0;
  if (axs_design_build (t, &spec, &d, &diag) != AXS_OK)
    snprintf (s->why, sizeof s->why, "no patients analysed");
  else
    {
      s->n = (long) d.n;
      for (size_t i = 0; i < d.n; i++)
        s->events += d.event[i];
      if (s->events == 0)
        snprintf (s->why, sizeof s->why, "no events");
      else if (axs_model_build (t, &d, &ms, &m, &diag) != AXS_OK)
        {
          snprintf (s->why, sizeof s->why, "not estimable");
          axs_cli_warn ("subgroup %s=%s: no hazard ratio: %s", col, level, diag.text);
        }
      else
        built = 1;
    }
  axs_model_columns_free (also, nalso);
  axs_na_free (&na);
  if (!built)
    {
      axs_design_free (&d);
      return;
    }

  size_t j = m.term[m.marker_term].first;
  int status;
  if (o->firth)
    {
      axs_firth_control ctl;
      axs_firth_control_default (&ctl);
      if (o->max_iter > 0)
        ctl.maxit = o->max_iter;
      axs_firth_workspace *w = m.p <= AXS_FIRTH_MAXP
        ? axs_firth_workspace_alloc (d.n, m.p) : NULL;
      axs_firth_result *res = m.p <= AXS_FIRTH_MAXP ? axs_firth_result_alloc (m.p) : NULL;
      if (m.p <= AXS_FIRTH_MAXP && (!w || !res))
        axs_cli_fail ("out of memory");
      status = res ? axs_firth_fit (d.n, m.p, m.x, d.time, d.event, d.strata,
                                    o->conf_level, &ctl, w, res) : AXS_EINVAL;
      if (status == AXS_OK)
        {
          s->kind = AXS_GP_FOREST_ESTIMATE;
          s->coef = res->coef[j];
          s->hr = exp (res->coef[j]);
          s->lower = exp (res->lower[j]);
          s->upper = exp (res->upper[j]);
        }
      axs_firth_workspace_free (w);
      axs_firth_result_free (res);
    }
  else
    {
      axs_cox_options opt;
      axs_cox_options_default (&opt);
      opt.ties = o->ties;
      opt.conf_level = o->conf_level;
      if (o->max_iter > 0)
        opt.max_iter = o->max_iter;
      axs_cox_result *res = axs_cox_result_alloc (d.n, m.p);
      if (!res)
        axs_cli_fail ("out of memory");
      status = axs_cox_fit (d.n, m.p, m.x, d.time, d.event, d.strata, &opt, res);
      if (status == AXS_OK || status == AXS_ENOCONV)
        {
          s->kind = res->may_be_infinite[j] ? AXS_GP_FOREST_INFINITE
                                            : AXS_GP_FOREST_ESTIMATE;
          s->coef = res->coef[j];
          s->hr = res->hr[j];
          s->lower = res->hr_lower[j];
          s->upper = res->hr_upper[j];
          if (status == AXS_ENOCONV)
            axs_cli_warn ("subgroup %s=%s: the fit did not converge in %d iterations "
                          "(--max-iter): the estimates are those of the last step",
                          col, level, res->iterations - 1);
          status = AXS_OK;
          if (s->kind == AXS_GP_FOREST_INFINITE)
            axs_cli_warn ("subgroup %s=%s: the hazard ratio of '%s' may be infinite "
                          "(monotone likelihood); the figure shows an arrow, --firth "
                          "gives finite estimates", col, level, m.colname[j]);
        }
      axs_cox_result_free (res);
    }
  if (status != AXS_OK)
    {
      snprintf (s->why, sizeof s->why, "not estimable");
      axs_cli_warn ("subgroup %s=%s: no hazard ratio: the %s fit failed: %s", col,
                    level, o->firth ? "Firth" : "Cox", axs_strerror (status));
    }
  axs_model_free (&m);
  axs_design_free (&d);
}

/* The levels of column COL among the patients of the fit F (rows of T),
   sorted as factor levels are, into a new array of *N strings. */
static char **
subgroup_levels (const axs_cli *cli, const axs_table *t, const axs_coxfit *fit,
                 const char *col, size_t *n)
{
  axs_diag diag;
  long c;
  if (axs_table_require (t, col, &c, &diag) != AXS_OK)
    axs_cli_fail_diag (&diag);
  axs_na na;
  if (axs_na_init (&na, cli->na_list) != AXS_OK)
    axs_cli_fail ("out of memory");
  char **level = NULL;
  *n = 0;
  for (size_t i = 0; i < fit->design.n; i++)
    {
      const char *cell = axs_table_cell (t, fit->design.row[i], c);
      if (axs_na_is_missing (&na, cell))
        continue;
      size_t k = 0;
      while (k < *n && strcmp (level[k], cell) != 0)
        k++;
      if (k < *n)
        continue;
      if (*n == MAX_SUBGROUP_LEVELS)
        axs_cli_fail ("%s: --subgroups: column '%s' has more than %d values among the "
                      "patients analysed; subgroups need a categorical column",
                      t->file, col, MAX_SUBGROUP_LEVELS);
      char **grown = realloc (level, (*n + 1) * sizeof *grown);
      if (!grown || !(grown[*n] = strdup (cell)))
        axs_cli_fail ("out of memory");
      level = grown;
      ++*n;
    }
  axs_na_free (&na);
  if (*n < 2)
    axs_cli_fail ("%s: --subgroups: column '%s' has %s among the patients analysed; "
                  "subgroups need at least two", t->file, col,
                  *n ? "one value" : "no values");
  axs_levels_sort (level, *n);
  return level;
}

static int
write_forest (FILE *f, const axs_gp_page *page, const void *figure)
{
  return axs_gp_write_forest (f, page, figure);
}

/* A string that lives until the command ends. */
static char *
keep_string (char ***pool, size_t *npool, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static char *
keep_string (char ***pool, size_t *npool, const char *fmt, ...)
{
  char *s;
  va_list ap;
  va_start (ap, fmt);
  int len = vasprintf (&s, fmt, ap);
  va_end (ap);
  char **grown = len >= 0 ? realloc (*pool, (*npool + 1) * sizeof *grown) : NULL;
  if (!grown)
    axs_cli_fail ("out of memory");
  *pool = grown;
  grown[(*npool)++] = s;
  return s;
}

static axs_gp_forest_row
report_row (const axs_coxfit *fit, size_t j, int firth)
{
  const axs_cox_row *c = &fit->report.row[j];
  axs_gp_forest_row r = {
    .kind = AXS_GP_FOREST_ESTIMATE, .term = c->term, .label = c->term,
    .coef = c->coef, .hr = c->hr, .lower = c->hr_lower, .upper = c->hr_upper, .p = c->p,
    .n = -1, .events = -1,
  };
  if (c->may_be_infinite && !firth)
    r.kind = AXS_GP_FOREST_INFINITE;
  else if (isnan (c->hr))
    r.kind = AXS_GP_FOREST_MISSING;
  return r;
}

int
axs_plot_forest (int argc, char **argv)
{
  plot_forest_options o = { 0 };
  axs_plot_common_init (&o.pc, "plot forest", forest_usage);
  axs_coxfit_options_init (&o.fit);
  size_t nfit = 0;
  while (axs_coxfit_long_options[nfit].name)
    nfit++;
  static const struct option own[] = {
    AXS_PLOT_COMMON_OPTIONS,
    { "subgroups", required_argument, NULL, OPT_FOREST_SUBGROUPS },
  };
  size_t nown = sizeof own / sizeof *own;
  struct option *options = calloc (nfit + nown + 1, sizeof *options);
  if (!options)
    axs_cli_fail ("out of memory");
  memcpy (options, axs_coxfit_long_options, nfit * sizeof *options);
  memcpy (options + nfit, own, nown * sizeof *options);
  axs_cli *cli = &o.pc.cli;
  axs_cli_parse (cli, AXS_OPT_COHORT | AXS_OPT_ENDPOINT | AXS_OPT_GROUP | AXS_OPT_STRATA
                 | AXS_OPT_OUTFILE, options, forest_option, &o, 1, argc, argv);
  free (options);
  axs_plot_common_check (&o.pc);
  const char *marker = cli->group ? cli->group : cli->marker;
  if (o.nsub)
    {
      if (!marker)
        axs_cli_usage_error (cli, "--subgroups needs the biomarker: give --group COL or "
                             "--marker COL");
      if (o.fit.interaction)
        axs_cli_usage_error (cli, "give either --interaction or --subgroups, not both "
                             "(--subgroups tests biomarker x each column)");
      if (cli->marker && !o.fit.continuous && cli->cut.kind != AXS_CUT_OPTIMAL
          && cli->cut.n > 1)
        axs_cli_usage_error (cli, "--subgroups needs one hazard ratio for the biomarker: "
                             "two groups (one cut) or --continuous");
      if (strcmp (cli->cohort, "-") == 0)
        axs_cli_usage_error (cli, "--subgroups reads the cohort more than once: give a "
                             "file, not -");
      for (size_t k = 0; k < o.nsub; k++)
        if (strcmp (o.sub[k], marker) == 0
            || (cli->strata && strcmp (o.sub[k], cli->strata) == 0))
          axs_cli_usage_error (cli, "--subgroups: column '%s' is the %s", o.sub[k],
                               strcmp (o.sub[k], marker) == 0 ? "biomarker" : "--strata");
    }
  axs_coxfit_options_check (cli, &o.fit);
  if (!o.pc.size_given)
    o.pc.page.width = 7.5;

  axs_coxfit fit;
  axs_cli_coxfit (cli, &o.fit, &fit);
  const axs_model *m = &fit.model;
  const axs_cox_report *rep = &fit.report;
  int firth = o.fit.firth;

  char **pool = NULL;
  size_t npool = 0;
  axs_gp_forest_row *rows = NULL;
  int *group = NULL;
  size_t nrow = 0, cap = 0;
#define ADD_ROW(r, g) do { \
    if (nrow == cap) { \
      cap = cap ? 2 * cap : 16; \
      rows = realloc (rows, cap * sizeof *rows); \
      group = realloc (group, cap * sizeof *group); \
      if (!rows || !group) axs_cli_fail ("out of memory"); } \
    rows[nrow] = (r); group[nrow++] = (g); } while (0)

  const char *notes[8];
  size_t nnote = 0;
  char cut_note[512] = "";
  if (cli->marker && !o.fit.continuous && fit.design.ncuts)
    {
      size_t used = (size_t) snprintf (cut_note, sizeof cut_note, "%s cut at ", cli->marker);
      for (size_t k = 0; k < fit.design.ncuts && used < sizeof cut_note; k++)
        used += (size_t) snprintf (cut_note + used, sizeof cut_note - used, "%s%.6g",
                                   k ? ", " : "", fit.design.cuts[k]);
      if (used < sizeof cut_note)
        snprintf (cut_note + used, sizeof cut_note - used, " (%s: lower group)",
                  fit.design.ncuts == 1 ? "values at or below the cut" : "each cut's "
                  "value in the group below");
    }
  char method[256];
  snprintf (method, sizeof method, "%s%s%s%s",
            firth ? "Firth-penalised Cox model (Breslow ties), profile-likelihood "
                    "intervals" : "Cox model (",
            firth ? "" : o.fit.ties == AXS_COX_EFRON ? "Efron" : "Breslow",
            firth ? "" : " ties)",
            cli->strata ? ", stratified by " : "");
  int any_infinite = 0;
  char xlabel[512];

  if (!o.nsub)
    {
      /* the model's terms, each factor's reference level first */
      for (size_t k = 0; k < m->nterm; k++)
        {
          const axs_model_term *term = &m->term[k];
          if (term->factor && term->role != AXS_TERM_INTERACTION && term->levels.n)
            {
              char *name = keep_string (&pool, &npool, "%s=%s", term->name,
                                        term->levels.name[0]);
              axs_gp_forest_row r = {
                .kind = AXS_GP_FOREST_REFERENCE, .term = name,
                .label = keep_string (&pool, &npool, "%s (reference)", name),
                .coef = 0, .hr = 1, .lower = NAN, .upper = NAN, .p = NAN,
                .n = -1, .events = -1,
              };
              ADD_ROW (r, (int) k);
            }
          for (size_t j = term->first; j < term->first + term->ncol; j++)
            {
              axs_gp_forest_row r = report_row (&fit, j, firth);
              any_infinite |= r.kind == AXS_GP_FOREST_INFINITE;
              ADD_ROW (r, (int) k);
            }
        }
      notes[nnote++] = keep_string (&pool, &npool, "n = %zu patients, %zu events%s. "
                                    "%s%s; %s.", rep->n, rep->nevent,
                                    rep->n_excluded ? keep_string (&pool, &npool,
                                    " (%zu left out for a missing value)",
                                    rep->n_excluded) : "",
                                    method, cli->strata ? cli->strata : "",
                                    firth ? "p: profile penalised likelihood-ratio test"
                                    : "p: Wald test");
      char numeric[512] = "";
      size_t used = 0;
      for (size_t k = 0; k < m->nterm && used < sizeof numeric; k++)
        if (!m->term[k].factor && m->term[k].role != AXS_TERM_INTERACTION)
          used += (size_t) snprintf (numeric + used, sizeof numeric - used, "%s%s",
                                     used ? ", " : "", m->term[k].name);
      if (*numeric)
        notes[nnote++] = keep_string (&pool, &npool, "Numeric terms (%s): hazard ratio "
                                      "per unit increase.", numeric);
      snprintf (xlabel, sizeof xlabel, "Hazard ratio (log scale)");
    }
  else
    {
      /* the biomarker's hazard ratio in all patients, then within subgroups */
      if (m->marker_term < 0 || m->term[m->marker_term].ncol != 1)
        axs_cli_fail ("%s: --subgroups needs one hazard ratio for the biomarker, but "
                      "'%s' has %zu groups; give two groups or --continuous",
                      fit.table->file, marker,
                      m->marker_term < 0 ? 0 : m->term[m->marker_term].ncol + 1);
      const axs_model_term *mt = &m->term[m->marker_term];
      size_t mj = mt->first;
      const char *contrast = mt->factor
        ? keep_string (&pool, &npool, "of %s vs %s=%s", m->colname[mj], mt->name,
                       mt->levels.name[0])
        : keep_string (&pool, &npool, "per unit of %s", mt->name);
      snprintf (xlabel, sizeof xlabel, "Hazard ratio %s (log scale)", contrast);
      axs_gp_forest_row all = report_row (&fit, mj, firth);
      all.term = all.label = "All patients";
      all.bold = 1;
      all.p = NAN;
      all.n = (long) rep->n;
      all.events = (long) rep->nevent;
      any_infinite |= all.kind == AXS_GP_FOREST_INFINITE;
      ADD_ROW (all, 0);

      /* every subgroup's marker cut where all patients' was */
      if (cli->marker && !o.fit.continuous)
        {
          axs_cut_free (&cli->cut);
          cli->cut.kind = AXS_CUT_VALUES;
          cli->cut.n = fit.design.ncuts;
          cli->cut.at = malloc (fit.design.ncuts * sizeof *cli->cut.at);
          if (!cli->cut.at)
            axs_cli_fail ("out of memory");
          memcpy (cli->cut.at, fit.design.cuts, fit.design.ncuts * sizeof *cli->cut.at);
        }
      axs_table *t;
      axs_diag diag;
      axs_read_options ro = { .delimiter = cli->delimiter };
      if (axs_table_read (cli->cohort, &ro, &t, &diag) != AXS_OK)
        axs_cli_fail_diag (&diag);
      for (size_t k = 0; k < o.nsub; k++)
        {
          const char *col = o.sub[k];
          size_t nlev;
          /* the levels among the patients of the fit: map its rows to T's */
          char **level = subgroup_levels (cli, t, &fit, col, &nlev);
          size_t heading = nrow;
          axs_gp_forest_row h = {
            .kind = AXS_GP_FOREST_HEADING, .term = col, .label = col,
            .coef = NAN, .hr = NAN, .lower = NAN, .upper = NAN, .p = NAN,
            .n = -1, .events = -1,
          };
          ADD_ROW (h, (int) k + 1);
          int all_fitted = 1;
          for (size_t v = 0; v < nlev; v++)
            {
              subgroup_fit s;
              fit_subgroup (cli, &o.fit, t, &cli->cut, col, level[v], &s);
              all_fitted &= s.kind != AXS_GP_FOREST_MISSING;
              any_infinite |= s.kind == AXS_GP_FOREST_INFINITE;
              axs_gp_forest_row r = {
                .kind = s.kind,
                .term = keep_string (&pool, &npool, "%s=%s", col, level[v]),
                .label = keep_string (&pool, &npool, "%s", level[v]), .indent = 1,
                .coef = s.coef, .hr = s.hr, .lower = s.lower, .upper = s.upper,
                .p = NAN, .n = s.n, .events = s.events,
                .note = *s.why ? keep_string (&pool, &npool, "%s", s.why) : NULL,
              };
              ADD_ROW (r, (int) k + 1);
              free (level[v]);
            }
          free (level);
          /* the interaction test, as 'axlsurv cox --interaction COL' */
          if (all_fitted)
            {
              axs_coxfit_options io = o.fit;
              io.interaction = col;
              io.zph = 0;
              io.quiet = 1;
              axs_coxfit ifit;
              axs_cli_coxfit (cli, &io, &ifit);
              rows[heading].p = ifit.report.interaction_test.p;
              if (ifit.cox->any_infinite && !o.fit.firth)
                axs_cli_warn ("--subgroups: the model with %s x %s has coefficients "
                              "that may be infinite; its likelihood-ratio test of the "
                              "interaction still holds", marker, col);
              if (!ifit.report.converged)
                axs_cli_warn ("--subgroups: the model with %s x %s did not converge; "
                              "its interaction p is that of the last step", marker, col);
              axs_coxfit_free (&ifit);
            }
          else
            axs_cli_warn ("--subgroups: no interaction test for '%s': a subgroup has "
                          "no hazard ratio", col);
        }
      axs_table_free (t);
      char covs[512] = "";
      size_t used = 0;
      for (size_t k = 0; k < o.fit.ncovariate && used < sizeof covs; k++)
        used += (size_t) snprintf (covs + used, sizeof covs - used, "%s%s",
                                   k ? ", " : "", o.fit.covariate[k]);
      notes[nnote++] = keep_string (&pool, &npool, "Hazard ratio %s from a %s%s "
                                    "within each subgroup%s%s%s. Interaction p: "
                                    "likelihood-ratio test of %s x the subgroup's "
                                    "column in all patients.", contrast, method,
                                    cli->strata ? cli->strata : "",
                                    *covs ? ", adjusted for " : "", covs,
                                    *covs ? " (less the subgroup's column)" : "",
                                    mt->name);
    }
  if (*cut_note)
    notes[nnote++] = keep_string (&pool, &npool, "%s%s.", cut_note,
                                  o.nsub ? ", in all patients and every subgroup" : "");
  if (any_infinite)
    notes[nnote++] = "\u2020 The coefficient may be infinite (monotone likelihood: "
                     "e.g. no events in a group); the dashed arrow shows its direction. "
                     "--firth gives finite estimates.";
  if (rep->nzph)
    notes[nnote++] = keep_string (&pool, &npool, "Proportional hazards, global test "
                                  "(Grambsch & Therneau): %s.",
                                  axs_gp_format_p ((char[32]) { 0 }, 32,
                                                   rep->zph[rep->nzph - 1].p));
#undef ADD_ROW

  axs_gp_forest_figure fig = {
    .row = rows, .nrow = nrow, .subgroups = o.nsub > 0, .conf_level = o.fit.conf_level,
    .title = o.pc.title, .xlabel = o.pc.xlabel ? o.pc.xlabel : xlabel,
    .note = notes, .nnote = nnote, .stripes = 1, .group = group,
  };
  if (!o.pc.size_given)
    o.pc.page.height = ceil (axs_gp_forest_height (&o.pc.page, &fig) * 4) / 4;
  if (o.pc.page.height > 50)
    o.pc.page.height = 50;
  axs_plot_emit (&o.pc, write_forest, &fig);

  for (size_t k = 0; k < npool; k++)
    free (pool[k]);
  free (pool);
  free (rows);
  free (group);
  axs_coxfit_free (&fit);
  for (size_t k = 0; k < o.nsub; k++)
    free (o.sub[k]);
  free (o.sub);
  axs_coxfit_options_free (&o.fit);
  axs_cli_free (cli);
  return AXS_EXIT_OK;
}
