/* Demo data for `qlvb init --demo`: a sample province (Nghệ An, two tiers as in force
 * since 1 July 2025) with its People's Committee, office, three sở, two wards and a
 * commune, their departments and positions, and a user of every role. */
#ifndef QLVB_DEMO_H
#define QLVB_DEMO_H

#include <stdio.h>

#include "core/app.h"
#include "util/result.h"

#define DEMO_PASSWORD "Demo@2026qlvb"
/* The PIN of every demo signing key (the test PKI's, scripts/test-pki.sh). */
#define DEMO_PIN "123456"

/* Creates the data; prints the logins table (and the demo keys' PIN) to out. */
result_t demo_seed(struct app *app, FILE *out);

/* The demo's signing keys of one agency (issue 12), made fresh by the demo PKI
 * (crypto/demo_pki.h): its root CA "QLVB DEMO CA — không dùng thật" and the root's empty
 * CRL added to the trust store (trust_add_certs, trust_add_crl), the leader's personal key (CN =
 * their full name, so signing_key_name_matches passes) and the agency's key (CN = the agency's
 * name) imported through signing_key_import with PIN DEMO_PIN, as the system. RES_UNSUPPORTED
 * (nothing done) when the signer process is not running. For demonstration only. */
struct demo_keys {
    int64_t person, agency; /* signing_key ids */
};
result_t demo_signing_seed(struct app *app, int64_t agency_id, const char *agency_name,
                           int64_t leader_id, const char *leader_name, struct demo_keys *out);

#endif
