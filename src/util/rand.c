/* Random tokens and SHA-256 helpers over OpenSSL. */
#include "util/rand.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util/str.h"

result_t rand_bytes(void *out, size_t n)
{
    return RAND_bytes(out, (int)n) == 1 ? RES_OK : RES_CRYPTO;
}

result_t rand_hex(char *out, size_t nbytes)
{
    unsigned char tmp[128];
    if (nbytes > sizeof(tmp))
        return RES_INVALID;
    result_t r = rand_bytes(tmp, nbytes);
    if (r == RES_OK)
        hex_encode(tmp, nbytes, out);
    return r;
}

void sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL);
    hex_encode(md, 32, out);
}
