/* plot.h: what the figure kinds of `axlsurv plot` share: the page, label and
   output options, and plot_emit, which writes a figure's script and/or draws
   its image with gnuplot.  Each kind (plot_km.c, plot_cutpoint.c,
   plot_forest.c, plot_scan.c) is one axs_plot_KIND function, listed in the
   table of plot.c. */
#ifndef AXS_CLI_PLOT_H
#define AXS_CLI_PLOT_H

#include <getopt.h>
#include <stdio.h>

#include "cli/options.h"
#include "output/gnuplot.h"

/* The codes of the options every figure takes. */
enum
{
  AXS_PLOT_OPT_TERMINAL = 600, AXS_PLOT_OPT_SIZE, AXS_PLOT_OPT_RENDER, AXS_PLOT_OPT_TITLE,
  AXS_PLOT_OPT_XLABEL, AXS_PLOT_OPT_YLABEL,
  AXS_PLOT_OPT_END              /* a figure's own codes start here */
};

/* The rows of struct option for them, to put in a figure's table. */
#define AXS_PLOT_COMMON_OPTIONS \
  { "terminal", required_argument, NULL, AXS_PLOT_OPT_TERMINAL }, \
  { "size", required_argument, NULL, AXS_PLOT_OPT_SIZE }, \
  { "render", required_argument, NULL, AXS_PLOT_OPT_RENDER }, \
  { "title", required_argument, NULL, AXS_PLOT_OPT_TITLE }, \
  { "xlabel", required_argument, NULL, AXS_PLOT_OPT_XLABEL }, \
  { "ylabel", required_argument, NULL, AXS_PLOT_OPT_YLABEL }

/* --help text of the labels and of the output options, for every figure. */
#define AXS_PLOT_USAGE_LABELS \
  "  --title TEXT          a title over the figure (default: none)\n" \
  "  --xlabel TEXT, --ylabel TEXT  the axis labels\n"
#define AXS_PLOT_USAGE_OUTPUT \
  "Output:\n" \
  "  --terminal T          png (default), svg or pdf (gnuplot's cairo terminals)\n" \
  "  --size W,H            printed size in inches, or W,Hcm in centimetres\n" \
  "                        (default 6,5, taller when the figure needs it); a PNG\n" \
  "                        has 300 pixels per inch\n" \
  "  --render FILE         run gnuplot to write the image FILE (the terminal\n" \
  "                        follows its extension .png, .svg or .pdf); the script\n" \
  "                        is then written only with -o\n" \
  "  -o, --output FILE     write the script to FILE (atomically) instead of\n" \
  "                        standard output; it draws FILE with .png (.svg, .pdf)\n" \
  "                        in place of .gp\n" \
  "  --help                show this help\n" \
  "Environment: GNUPLOT names the gnuplot program --render runs (default gnuplot).\n"

/* What a figure's options hold besides its own: the command line, the page
   (terminal, size) and the labels. */
typedef struct
{
  axs_cli cli;
  axs_gp_page page;
  int terminal_given, size_given;
  const char *render;
  const char *title, *xlabel, *ylabel;
} axs_plot_common;

/* Draws FIGURE on PAGE into F: one of the axs_gp_write_* of output/.  Returns
   0, -1 on a write error, or -2 when the page is too small for the figure. */
typedef int (*axs_plot_writer) (FILE *f, const axs_gp_page *page, const void *figure);

/* Start PC for COMMAND ("plot km") with its --help text USAGE: the default
   page, no labels. */
void axs_plot_common_init (axs_plot_common *pc, const char *command, const char *usage);

/* Take a common option (code CODE, value ARG) into PC; returns 1 if CODE was
   one, 0 if not.  A bad value is a usage error (exits). */
int axs_plot_common_option (axs_plot_common *pc, int code, const char *arg);

/* Checks that need every option seen: the terminal from --render's name.
   Call after parsing; a conflict is a usage error (exits). */
void axs_plot_common_check (axs_plot_common *pc);

/* Write FIGURE's script drawn by WRITE (to -o or standard output, unless only
   --render was asked for), and draw the image with gnuplot (--render).
   Without --size the page grows until FIGURE fits.  Any failure exits. */
void axs_plot_emit (axs_plot_common *pc, axs_plot_writer write, const void *figure);

/* The figure kinds: `axlsurv plot KIND ...` with argv[0] the KIND; each
   returns the exit status. */
int axs_plot_km (int argc, char **argv);
int axs_plot_cutpoint (int argc, char **argv);
int axs_plot_forest (int argc, char **argv);
int axs_plot_scan (int argc, char **argv);

#endif
