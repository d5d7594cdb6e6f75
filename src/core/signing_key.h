/* Signing keys held for people and agencies (issue #3, "Keys and who signs"): an
 * administrator uploads a PKCS#12 with its PIN; the signer process checks the PIN and
 * seals the file under its master key; the database keeps the sealed blob and the
 * certificate. At signing time the owner's PIN opens it inside the signer process only.
 * Five wrong PINs in a row lock the key for 15 minutes. */
#ifndef QLVB_CORE_SIGNING_KEY_H
#define QLVB_CORE_SIGNING_KEY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/buf.h"
#include "util/result.h"

#define SIGNING_KEY_MAX_P12   (256u << 10)
#define SIGNING_KEY_PIN_TRIES 5
#define SIGNING_KEY_LOCK_SECS (15 * 60)

struct signing_key_input {
    int64_t agency_id;
    int64_t user_id; /* 0: the agency's own key */
    const char *label;
    const unsigned char *p12;
    size_t p12_len;
    const char *pin;
    /* A person key whose certificate names someone else (names compared NFC, case and
     * diacritics folded) is refused with field "name_confirm" unless name_confirmed,
     * with name_reason (required then, audited). */
    bool name_confirmed;
    const char *name_reason;
};

/* Administrator uploads a key (AZ_SIGNING_MANAGE). The certificate must be valid now
 * and chain to a trusted root; errors go to fields "file", "pin", "user_id". */
result_t signing_key_import(struct app *app, const struct actor *a,
                            const struct signing_key_input *in, struct verrs *e, int64_t *id);
/* True if the certificate's common name is the person's full name (folded). */
bool signing_key_name_matches(const char *cert_cn, const char *full_name);
/* Every key of an agency, for its administrators. */
result_t signing_key_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out);
/* The keys the actor may sign with in the current agency: their own person keys and,
 * for clerks (văn thư, who keep the seal), the agency's keys. Revoked and expired
 * keys are left out. */
result_t signing_key_usable(struct app *app, const struct actor *a, json_t **out);
result_t signing_key_revoke(struct app *app, const struct actor *a, int64_t id, const char *reason,
                            struct verrs *e);

/* A key loaded for signing, after the authorization and state checks. */
struct signing_key {
    int64_t id;
    int64_t agency_id;
    int64_t user_id; /* 0: agency key */
    struct buf sealed;
    X509 *cert;
    STACK_OF(X509) * chain;
    char subject_cn[256];
};
void signing_key_init(struct signing_key *k);
void signing_key_release(struct signing_key *k);
/* Loads key `id` for the actor: RES_NOT_FOUND (not theirs / other agency), RES_INVALID
 * with a field error "key_id" (revoked, expired), RES_LOCKED (too many wrong PINs; the
 * error says until when). */
result_t signing_key_open(struct app *app, const struct actor *a, int64_t id, struct verrs *e,
                          struct signing_key *k);
/* Records the outcome of a PIN attempt as one transaction: a wrong PIN counts towards
 * the lock with an audit row (signing_key_pin_failed, or signing_key_pin_locked when it
 * locks); a right one resets the count and appends `also` (the signature's audit row,
 * may be NULL). Anything but RES_OK means nothing was recorded: the caller must not
 * hand out the signed document, and must report the error. tries_left (may be NULL)
 * gets the wrong PINs still allowed before the lock (0 when this one locked it). */
struct audit_entry;
__attribute__((warn_unused_result)) result_t
signing_key_pin_result(struct app *app, const struct actor *a, int64_t id, bool ok,
                       const struct audit_entry *also, int *tries_left);

#endif
