/* plot.c: axlsurv plot KIND: figures as gnuplot scripts, or images drawn by gnuplot.

   Each figure kind is a row of the table `kinds` and a function in its own
   file (plot_KIND.c) that parses its options (the common ones with
   axs_plot_common_option), makes its results and hands a writer from
   output/gnuplot*.h to axs_plot_emit, which writes the script (-o or
   standard output) and/or runs gnuplot (--render).  This file holds what the
   kinds share (plot.h) and the table. */
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/plot.h"
#include "output/outfile.h"
#include "output/gnuplot.h"
#include "stats/status.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- what every figure shares ------------------------------------------ */

static const char *const extensions[] = { ".png", ".svg", ".pdf" };

void
axs_plot_common_init (axs_plot_common *pc, const char *command, const char *usage)
{
  *pc = (axs_plot_common) { .cli = { .command = command, .usage = usage } };
  axs_gp_page_init (&pc->page);
}

/* --size W,H or W,Hcm: inches (or centimetres) from 1 to 50 inches. */
static void
parse_size (axs_plot_common *pc, const char *arg)
{
  char buf[64];
  snprintf (buf, sizeof buf, "%s", arg);
  double unit = 1;
  size_t len = strlen (buf);
  if (len > 2 && strcmp (buf + len - 2, "cm") == 0)
    unit = 1 / 2.54, buf[len - 2] = 0;
  else if (len > 2 && strcmp (buf + len - 2, "in") == 0)
    buf[len - 2] = 0;
  char *comma = strchr (buf, ',');
  double w, h;
  if (!comma || (*comma = 0, axs_parse_number (buf, &w) != AXS_OK)
      || axs_parse_number (comma + 1, &h) != AXS_OK
      || !(w * unit >= 1 && w * unit <= 50 && h * unit >= 1 && h * unit <= 50))
    axs_cli_usage_error (&pc->cli, "--size '%s': give width and height in inches, "
                         "e.g. 6,5, or in centimetres, e.g. 15,12cm (1 to 50 inches)",
                         arg);
  pc->page.width = w * unit;
  pc->page.height = h * unit;
}

/* Take a common option; returns 1 if CODE was one. */
int
axs_plot_common_option (axs_plot_common *pc, int code, const char *arg)
{
  switch (code)
    {
    case AXS_PLOT_OPT_TERMINAL:
      for (int k = 0; axs_gp_terminal_names[k]; k++)
        if (strcmp (arg, axs_gp_terminal_names[k]) == 0)
          {
            pc->page.terminal = (axs_gp_terminal) k;
            pc->terminal_given = 1;
            return 1;
          }
      axs_cli_usage_error (&pc->cli, "--terminal '%s': use png, svg or pdf", arg);
    case AXS_PLOT_OPT_SIZE:
      parse_size (pc, arg);
      pc->size_given = 1;
      return 1;
    case AXS_PLOT_OPT_RENDER: pc->render = arg; return 1;
    case AXS_PLOT_OPT_TITLE: pc->title = arg; return 1;
    case AXS_PLOT_OPT_XLABEL: pc->xlabel = arg; return 1;
    case AXS_PLOT_OPT_YLABEL: pc->ylabel = arg; return 1;
    }
  return 0;
}

static int
ends_with (const char *s, const char *tail)
{
  size_t n = strlen (s), m = strlen (tail);
  return n >= m && strcasecmp (s + n - m, tail) == 0;
}

/* Checks that need every option seen: the terminal from --render's name. */
void
axs_plot_common_check (axs_plot_common *pc)
{
  if (!pc->render)
    return;
  if (!*pc->render || strcmp (pc->render, "-") == 0)
    axs_cli_usage_error (&pc->cli, "--render needs a file name, e.g. figure.png");
  for (int k = 0; k < 3; k++)
    if (ends_with (pc->render, extensions[k]))
      {
        if (pc->terminal_given && (int) pc->page.terminal != k)
          axs_cli_usage_error (&pc->cli, "--render '%s' is a %s name but --terminal is %s",
                               pc->render, axs_gp_terminal_names[k],
                               axs_gp_terminal_names[pc->page.terminal]);
        pc->page.terminal = (axs_gp_terminal) k;
        return;
      }
  if (!pc->terminal_given)
    axs_cli_usage_error (&pc->cli, "--render '%s': name the image .png, .svg or .pdf, "
                         "or give --terminal", pc->render);
}

/* The gnuplot program, found on PATH as execvp would; NULL if missing. */
static const char *
find_gnuplot (void)
{
  const char *prog = getenv ("GNUPLOT");
  if (!prog || !*prog)
    prog = "gnuplot";
  if (strchr (prog, '/'))
    return access (prog, X_OK) == 0 ? prog : NULL;
  const char *path = getenv ("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  while (*path)
    {
      size_t len = strcspn (path, ":");
      char full[4096];
      snprintf (full, sizeof full, "%.*s/%s", (int) len, len ? path : ".", prog);
      if (access (full, X_OK) == 0)
        return prog;
      path += len + (path[len] == ':');
    }
  return NULL;
}

/* Write SCRIPT to PROG's standard input; returns its exit status, or -1 if
   it could not be run (errno). */
static int
run_gnuplot (const char *prog, const char *script, size_t len)
{
  int fd[2];
  if (pipe (fd) != 0)
    return -1;
  fflush (NULL);
  pid_t pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      dup2 (fd[0], 0);
      close (fd[0]);
      close (fd[1]);
      /* gnuplot's own messages belong on stderr, not in our stdout */
      dup2 (2, 1);
      execlp (prog, prog, (char *) NULL);
      _exit (127);
    }
  close (fd[0]);
  /* a gnuplot that stops reading must not kill us: its status tells why */
  void (*old_pipe) (int) = signal (SIGPIPE, SIG_IGN);
  int write_failed = 0;
  for (size_t done = 0; done < len;)
    {
      ssize_t k = write (fd[1], script + done, len - done);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        {
          write_failed = 1;   /* gnuplot stopped reading: its status tells why */
          break;
        }
      done += (size_t) k;
    }
  close (fd[1]);
  signal (SIGPIPE, old_pipe);
  int status;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (WIFEXITED (status))
    return WEXITSTATUS (status) ? WEXITSTATUS (status) : write_failed;
  return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}

/* The script of FIGURE drawn by WRITE into a new string. */
static char *
script_text (axs_plot_common *pc, axs_plot_writer write, const void *figure,
             const axs_gp_page *page, size_t *len)
{
  char *buf = NULL;
  FILE *f = open_memstream (&buf, len);
  if (!f)
    axs_cli_fail ("out of memory");
  int status = write (f, page, figure);
  if (fclose (f) != 0 || status == -1)
    axs_cli_fail ("out of memory");
  if (status == -2)
    axs_cli_fail ("--size %g,%g: too small for this figure (in inches); try a larger "
                  "--size", pc->page.width, pc->page.height);
  return buf;
}

/* Without --size, make the page taller until FIGURE fits (many groups,
   legends and statistics need room). */
static void
fit_page (axs_plot_common *pc, axs_plot_writer write, const void *figure)
{
  if (pc->size_given)
    return;
  for (; pc->page.height < 10; pc->page.height += 0.5)
    {
      FILE *f = fopen ("/dev/null", "w");
      if (!f)
        return;
      int status = write (f, &pc->page, figure);
      fclose (f);
      if (status != -2)
        return;
    }
}

/* Draw the image with gnuplot under a temporary name, then rename it. */
static void
render (axs_plot_common *pc, axs_plot_writer write, const void *figure)
{
  const char *prog = find_gnuplot ();
  if (!prog)
    axs_cli_fail ("--render: gnuplot not found (install the Debian package gnuplot-nox, "
                  "or set GNUPLOT); without --render, axlsurv writes the script");
  char *tmp;
  int fd = axs_outfile_temp (pc->render, &tmp);
  if (fd < 0)
    axs_cli_fail ("%s: cannot write: %s", pc->render, strerror (errno));
  close (fd);

  axs_gp_page page = pc->page;
  page.output = tmp;
  size_t len;
  char *script = script_text (pc, write, figure, &page, &len);
  int status = run_gnuplot (prog, script, len);
  free (script);
  struct stat st;
  if (status != 0 || stat (tmp, &st) != 0 || st.st_size == 0)
    {
      int e = errno;
      unlink (tmp);
      free (tmp);
      if (status < 0)
        axs_cli_fail ("--render: cannot run %s: %s", prog, strerror (e));
      axs_cli_fail ("%s: gnuplot failed (exit status %d); the image was not written",
                    pc->render, status);
    }
  if (rename (tmp, pc->render) != 0)
    {
      int e = errno;
      unlink (tmp);
      axs_cli_fail ("%s: cannot write: %s", pc->render, strerror (e));
    }
  free (tmp);
}

/* Write FIGURE's script (-o or stdout, unless only --render was asked for)
   and render it (--render). */
void
axs_plot_emit (axs_plot_common *pc, axs_plot_writer write, const void *figure)
{
  fit_page (pc, write, figure);
  if (!pc->render || pc->cli.output)
    {
      /* the script names the image it draws: --render's, or -o's with the
         terminal's extension, or none (gnuplot's standard output) */
      axs_gp_page page = pc->page;
      char *image = NULL;
      if (pc->render)
        page.output = pc->render;
      else if (pc->cli.output && strcmp (pc->cli.output, "-") != 0)
        {
          const char *o = pc->cli.output;
          size_t n = strlen (o);
          if (ends_with (o, ".gp"))
            n -= 3;
          image = malloc (n + 5);
          if (!image)
            axs_cli_fail ("out of memory");
          snprintf (image, n + 5, "%.*s%s", (int) n, o, extensions[page.terminal]);
          page.output = image;
        }
      size_t len;
      char *script = script_text (pc, write, figure, &page, &len);
      axs_outfile out;
      axs_cli_output_open (&pc->cli, &out);
      fwrite (script, 1, len, out.f);
      axs_cli_output_commit (&pc->cli, &out);
      free (script);
      free (image);
    }
  if (pc->render)
    render (pc, write, figure);
}

/* ---- the figure kinds ------------------------------------------------- */

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} kinds[] = {
  { "km", axs_plot_km, "Kaplan-Meier curves per group with the number at risk" },
  { "cutpoint", axs_plot_cutpoint, "the cutpoint profile of a marker, the chosen cut marked" },
  { "forest", axs_plot_forest, "hazard ratios of a Cox model, or of the biomarker in subgroups" },
  { "scan", axs_plot_scan, "the volcano figure of a marker scan (hazard ratio against p)" },
};

static int
plot_usage (FILE *f)
{
  fputs ("Usage: axlsurv plot FIGURE [OPTIONS] COHORT\n"
         "Write a gnuplot script that draws a figure (its data inside), or with\n"
         "--render the image itself (PNG, SVG or PDF).\n"
         "\nFigures:\n", f);
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
    fprintf (f, "  %-8s %s\n", kinds[k].name, kinds[k].summary);
  fputs ("\n'axlsurv plot FIGURE --help' lists a figure's options.\n", f);
  return fflush (f) == 0 && !ferror (f) ? AXS_EXIT_OK : AXS_EXIT_DATA;
}

int
axs_cmd_plot (int argc, char **argv)
{
  if (argc < 2)
    {
      fputs ("axlsurv: plot: which figure? ", stderr);
      for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        fprintf (stderr, "%s%s", k ? ", " : "", kinds[k].name);
      fputs ("\nTry 'axlsurv plot --help' for more information.\n", stderr);
      return AXS_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    return plot_usage (stdout);
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
    if (strcmp (argv[1], kinds[k].name) == 0)
      return kinds[k].run (argc - 1, argv + 1);
  fprintf (stderr, "axlsurv: plot: unknown figure '%s'; use ", argv[1]);
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
    fprintf (stderr, "%s%s", k ? ", " : "", kinds[k].name);
  fputs ("\nTry 'axlsurv plot --help' for more information.\n", stderr);
  return AXS_EXIT_USAGE;
}
