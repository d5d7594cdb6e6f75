/* Demo data for `qlvb init --demo`: a sample province (Nghệ An, two tiers as in force
 * since 1 July 2025) with its People's Committee, office, three sở, two wards and a
 * commune, their departments and positions, and a user of every role. */
#ifndef QLVB_DEMO_H
#define QLVB_DEMO_H

#include <stdio.h>

#include "core/app.h"
#include "util/result.h"

#define DEMO_PASSWORD "Demo@2026qlvb"

/* Creates the data; prints the logins table to out. */
result_t demo_seed(struct app *app, FILE *out);

#endif
