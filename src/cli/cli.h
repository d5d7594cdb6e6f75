/* Subcommands of the qlvb binary. Each takes argv after the command name
 * (argv[0] is the command) and returns a process exit code:
 * 0 ok, 1 failure, 2 usage error, 3 data/verification failure. */
#ifndef QLVB_CLI_H
#define QLVB_CLI_H

#include <stdbool.h>
#include <string.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_DATA = 3 };

/* Help is not a usage error: `--help`, `-h` (anywhere among a command's arguments) and
 * `help` (as the word after the command, or `qlvb help CMD`) print the command's usage
 * on stdout and exit 0, for every command and subcommand. */
static inline bool cli_is_help(const char *arg)
{
    return arg && (!strcmp(arg, "--help") || !strcmp(arg, "-h") || !strcmp(arg, "help"));
}
/* True if argv[1] is a help word or any argument is --help or -h. */
static inline bool cli_wants_help(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1]))
        return true;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    return false;
}

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_agency(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_migrate_to_postgres(int argc, char **argv); /* cli/cmd_migrate.c */
int cmd_edxml(int argc, char **argv);               /* cli/cmd_edxml.c */
int cmd_pdf(int argc, char **argv);                 /* cli/cmd_pdf.c */
int cmd_calendar(int argc, char **argv);            /* cli/cmd_calendar.c */

#endif
