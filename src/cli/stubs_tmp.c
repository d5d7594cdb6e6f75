/* Temporary stubs while the foundation is being built. */
#include "cli/cli.h"
int cmd_serve(int argc, char **argv) { (void)argc; (void)argv; return EXIT_FAIL; }
int cmd_init(int argc, char **argv) { (void)argc; (void)argv; return EXIT_FAIL; }
int cmd_user(int argc, char **argv) { (void)argc; (void)argv; return EXIT_FAIL; }
int cmd_agency(int argc, char **argv) { (void)argc; (void)argv; return EXIT_FAIL; }
int cmd_audit(int argc, char **argv) { (void)argc; (void)argv; return EXIT_FAIL; }
