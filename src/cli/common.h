/* Shared command-line plumbing: the --data/--db options every command takes, and
 * opening the application (database + migrations) from them. */
#ifndef QLVB_CLI_COMMON_H
#define QLVB_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/actor.h"
#include "core/app.h"
#include "util/result.h"

/* Fills cfg from defaults and environment; returns the db URL to use. */
void cli_config(struct config *cfg);
/* Opens the database named by cfg (creating the file if create is set) and applies
 * migrations. Prints a Vietnamese error and returns false on failure. */
bool cli_open(struct app *app, bool create);
void cli_close(struct app *app);
/* Forks the signer process in sealed mode with the installation's master key
 * (<data_dir>/keys/master.key, created with the directory when missing) and sets
 * app->signer = s; before any thread starts. Prints a Vietnamese error (prefixed with
 * cmd) and returns false on failure (s is released). */
struct signer;
bool cli_start_signer(struct app *app, struct signer *s, const char *cmd);
/* What a failed command tells its user about r: on RES_BUSY that another process (the
 * running server or another command) kept the database's write lock past the wait and
 * nothing was saved; otherwise "lỗi <result name>". */
const char *cli_result_text(result_t r);
/* The installation acting through the command line. */
struct actor cli_actor(void);
/* Reads a password from the terminal without echo (or a line from stdin). */
bool cli_read_password(const char *prompt, char *out, size_t n);

#endif
