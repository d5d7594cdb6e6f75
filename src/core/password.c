/* argon2id hashing and the password policy. */
#include "core/password.h"

#include <argon2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "util/alloc.h"
#include "util/rand.h"
#include "util/str.h"

/* OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
static unsigned cost_memory = 19456, cost_iterations = 2;

const char *const password_policy_text[] = {
    "Dài từ 10 đến 128 ký tự.",
    "Có ít nhất 3 trong 4 loại: chữ thường, chữ hoa, chữ số, ký tự đặc biệt.",
    "Không trùng và không chứa tên đăng nhập (số định danh cá nhân).",
    "Khác mật khẩu hiện tại.",
    NULL,
};

bool password_policy_ok(const char *pw, const char *login, const char *field, struct verrs *errs)
{
    int before = errs->count;
    long n = text_length(pw);
    if (n < 0) {
        verrs_add(errs, field, "Mật khẩu chứa ký tự không hợp lệ.");
        return false;
    }
    if (n < PASSWORD_MIN)
        verrs_add(errs, field, "Mật khẩu phải dài ít nhất %d ký tự.", PASSWORD_MIN);
    else if (n > PASSWORD_MAX)
        verrs_add(errs, field, "Mật khẩu không được dài quá %d ký tự.", PASSWORD_MAX);
    int lower = 0, upper = 0, digit = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            lower = 1;
        else if (*p >= 'A' && *p <= 'Z')
            upper = 1;
        else if (*p >= '0' && *p <= '9')
            digit = 1;
        else if (*p < 0x80 || (*p & 0xC0) == 0xC0)
            other = 1; /* ASCII symbol, or the lead byte of a non-ASCII character */
    }
    if (lower + upper + digit + other < 3)
        verrs_add(errs, field,
                  "Mật khẩu phải có ít nhất 3 trong 4 loại: chữ thường, chữ hoa, chữ số, ký tự "
                  "đặc biệt.");
    if (login && *login && strstr(pw, login))
        verrs_add(errs, field, "Mật khẩu không được chứa tên đăng nhập.");
    return errs->count == before;
}

void password_set_cost(unsigned memory_kib, unsigned iterations)
{
    if (memory_kib >= 8)
        cost_memory = memory_kib;
    if (iterations >= 1)
        cost_iterations = iterations;
}

static pthread_once_t env_once = PTHREAD_ONCE_INIT;

static void cost_from_env(void)
{
    int64_t v;
    const char *m = getenv("QLVB_ARGON2_MEMORY_KIB"), *t = getenv("QLVB_ARGON2_ITERATIONS");
    if (m && str_to_i64(m, 8, 4 * 1024 * 1024, &v) == RES_OK)
        cost_memory = (unsigned)v;
    if (t && str_to_i64(t, 1, 100, &v) == RES_OK)
        cost_iterations = (unsigned)v;
}

result_t password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    pthread_once(&env_once, cost_from_env);
    unsigned char salt[16];
    if (rand_bytes(salt, sizeof(salt)) != RES_OK)
        return RES_CRYPTO;
    int rc = argon2id_hash_encoded(cost_iterations, cost_memory, 1, password, strlen(password),
                                   salt, sizeof(salt), 32, out, PASSWORD_HASH_MAX);
    return rc == ARGON2_OK ? RES_OK : RES_CRYPTO;
}

result_t password_verify(const char *password, const char *encoded)
{
    if (!str_starts_with(encoded, "$argon2id$"))
        return RES_INVALID;
    int rc = argon2id_verify(encoded, password, strlen(password));
    if (rc == ARGON2_OK)
        return RES_OK;
    if (rc == ARGON2_VERIFY_MISMATCH)
        return RES_INVALID;
    return RES_CRYPTO;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
    if (password_hash("qlvb-dummy-password", dummy_hash) != RES_OK)
        dummy_hash[0] = '\0';
}

void password_dummy_verify(const char *password)
{
    pthread_once(&dummy_once, dummy_init);
    if (dummy_hash[0])
        (void)password_verify(password, dummy_hash);
}

void password_generate(char out[32])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    unsigned char r[12];
    rand_bytes(r, sizeof(r));
    size_t k = 0;
    memcpy(out, "Qlvb", 4);
    k = 4;
    for (int i = 0; i < 12; i++) {
        if (i % 4 == 0)
            out[k++] = '-';
        out[k++] = alphabet[r[i] % (sizeof(alphabet) - 1)];
    }
    out[k++] = '9'; /* guarantees a digit */
    out[k] = '\0';
}
