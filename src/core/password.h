/* Password policy and argon2id hashing (standards.md §12: personal accounts, change
 * at first login). Hashes are PHC-encoded strings carrying their own parameters, so
 * costs can be raised later without invalidating stored hashes. */
#ifndef QLVB_PASSWORD_H
#define QLVB_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/verr.h"
#include "util/result.h"

#define PASSWORD_MIN      10
#define PASSWORD_MAX      128
#define PASSWORD_HASH_MAX 160

/* Adds Vietnamese messages under `field` when the password breaks the policy:
 * 10–128 characters, at least three of lower, upper, digit, symbol; not equal to
 * (nor containing) the login. */
bool password_policy_ok(const char *password, const char *login, const char *field,
                        struct verrs *errs);
/* The policy as sentences for the password-change page. */
extern const char *const password_policy_text[];

/* Cost parameters; tests lower them through QLVB_ARGON2_MEMORY_KIB / _ITERATIONS. */
void password_set_cost(unsigned memory_kib, unsigned iterations);
result_t password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* RES_OK on match, RES_INVALID on mismatch, other codes on malformed hashes. */
result_t password_verify(const char *password, const char *encoded);
/* Spends the same time as a verify, for unknown logins (no user enumeration). */
void password_dummy_verify(const char *password);
/* A random initial password that satisfies the policy, e.g. "Qlvb-7fK2-x9Pd-3mWq". */
void password_generate(char out[32]);

#endif
