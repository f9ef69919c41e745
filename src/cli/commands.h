/* commands.h: the subcommands, each `int axs_cmd_NAME (int argc, char **argv)`
   with argv[0] the command's name; each returns the exit status. */
#ifndef AXS_COMMANDS_H
#define AXS_COMMANDS_H

int axs_cmd_km (int argc, char **argv);
int axs_cmd_plot (int argc, char **argv);
int axs_cmd_logrank (int argc, char **argv);
int axs_cmd_cox (int argc, char **argv);
int axs_cmd_cutpoint (int argc, char **argv);
int axs_cmd_describe (int argc, char **argv);
int axs_cmd_simulate (int argc, char **argv);
int axs_cmd_scan (int argc, char **argv);

#endif
