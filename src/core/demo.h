/* Demo data for `qlvb init --demo`: a sample province (Nghệ An) with its People's
 * Committee, office, three departments, two districts with two communes each,
 * departments and positions, and a user of every role in several agencies. */
#ifndef QLVB_DEMO_H
#define QLVB_DEMO_H

#include <stdio.h>

#include "core/app.h"
#include "util/result.h"

#define DEMO_PASSWORD "Demo@2026qlvb"

/* Creates the data; prints the logins table to out. */
result_t demo_seed(struct app *app, FILE *out);

#endif
