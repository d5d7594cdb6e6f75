/* Subcommands of the qlvb binary. Each takes argv after the command name
 * (argv[0] is the command) and returns a process exit code:
 * 0 ok, 1 failure, 2 usage error, 3 data/verification failure. */
#ifndef QLVB_CLI_H
#define QLVB_CLI_H

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_DATA = 3 };

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_agency(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_migrate_to_postgres(int argc, char **argv); /* src/cli/cmd_migrate.c */
int cmd_edxml(int argc, char **argv);               /* src/xml/edxml_cli.c */
int cmd_pdf(int argc, char **argv);                 /* src/pdf/pdf_cli.c */

#endif
