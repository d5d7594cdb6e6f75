/* Sealed PKCS#12 files: the bytes of a PKCS#12 encrypted at rest under a 32-byte master
 * key, so the database can keep people's keys without being able to open them. Only
 * the signer child reads the master key (crypto/signer.c); nothing else calls this.
 *
 * Sealed blob = "QLVBK1" (6 bytes) | nonce (12 random bytes) | GCM tag (16 bytes) |
 *               AES-256-GCM ciphertext of the PKCS#12 bytes, AAD = the magic. */
#ifndef QLVB_CRYPTO_KEYSEAL_H
#define QLVB_CRYPTO_KEYSEAL_H

#include <stddef.h>

#include "util/result.h"

#define KEYSEAL_MAGIC     "QLVBK1"
#define KEYSEAL_MAGIC_LEN 6
#define KEYSEAL_NONCE_LEN 12
#define KEYSEAL_TAG_LEN   16
#define KEYSEAL_OVERHEAD  (KEYSEAL_MAGIC_LEN + KEYSEAL_NONCE_LEN + KEYSEAL_TAG_LEN)
#define KEYSEAL_KEY_LEN   32
#define KEYSEAL_MAX_PLAIN (16u << 20) /* far above any PKCS#12; keeps lengths in an int */

/* Reads the master key file, or creates it (O_EXCL, mode 0600, random bytes) when it
 * does not exist; the directory must exist (RES_NOT_FOUND otherwise). An existing file
 * must be a regular file of exactly KEYSEAL_KEY_LEN bytes (RES_INVALID) without any
 * group or other permission (RES_FORBIDDEN); RES_IO for other file errors. key is wiped
 * on failure. */
result_t keyseal_load_master(const char *path, unsigned char key[KEYSEAL_KEY_LEN]);

/* Encrypts len bytes; *sealed (xmalloc'ed) is len + KEYSEAL_OVERHEAD bytes. */
result_t keyseal_seal(const unsigned char key[KEYSEAL_KEY_LEN], const unsigned char *plain,
                      size_t len, unsigned char **sealed, size_t *sealed_len);

/* Decrypts a sealed blob into *plain (xmalloc'ed, the caller wipes it before free):
 * RES_INVALID when it is not a sealed blob (too short, wrong magic), RES_CRYPTO when
 * authentication fails (tampered, or sealed under another master key). */
result_t keyseal_open(const unsigned char key[KEYSEAL_KEY_LEN], const unsigned char *sealed,
                      size_t sealed_len, unsigned char **plain, size_t *plain_len);

#endif
