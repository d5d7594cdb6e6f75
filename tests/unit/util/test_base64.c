/* util/base64: RFC 4648 test vectors both ways, strict decoding (bad characters,
 * padding errors, white space only when asked), bounded output, and round trips of
 * random bytes through the encoder and the streaming decoder fed in small pieces. */
#include <stdlib.h>

#include "check.h"
#include "util/base64.h"
#include "util/rand.h"

/* RFC 4648 §10 */
static const char *const vectors[][2] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static result_t decode_str(const char *s, bool skip_space, struct buf *out)
{
    struct base64_dec d;
    base64_dec_init(&d, skip_space);
    result_t r = base64_dec_feed(&d, s, strlen(s), out);
    return r != RES_OK ? r : base64_dec_finish(&d);
}

TEST(rfc4648_vectors_encode)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        struct buf b = BUF_INIT(64);
        CHECK_INT(base64_encode(&b, vectors[i][0], strlen(vectors[i][0]), 0), RES_OK);
        CHECK_STR(buf_str(&b), vectors[i][1]);
        CHECK_INT(b.len, BASE64_LEN(strlen(vectors[i][0])));
        buf_release(&b);
    }
}

TEST(rfc4648_vectors_decode)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        struct buf b = BUF_INIT(64);
        CHECK_INT(decode_str(vectors[i][1], false, &b), RES_OK);
        CHECK_STR(buf_str(&b), vectors[i][0]);
        buf_release(&b);
    }
    unsigned char out[8];
    size_t got = 99;
    CHECK_INT(base64_decode("Zm9vYmE=", 8, out, sizeof(out), &got), RES_OK);
    CHECK_INT(got, 5);
    CHECK(memcmp(out, "fooba", 5) == 0);
    /* the one-shot form refuses empty text: callers want a value */
    CHECK_INT(base64_decode("", 0, out, sizeof(out), &got), RES_INVALID);
}

TEST(encode_wraps_lines)
{
    unsigned char data[100];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)i;
    struct buf b = BUF_INIT(1000);
    CHECK_INT(base64_encode(&b, data, sizeof(data), 76), RES_OK);
    /* 100 bytes = 136 characters: one line of 76, a break, then 60; no final break */
    CHECK_INT(b.len, 137);
    CHECK(b.data[76] == '\n');
    CHECK(b.data[b.len - 1] != '\n');
    CHECK(strchr(b.data + 77, '\n') == NULL);
    buf_release(&b);
    /* exactly one line: no break at all */
    struct buf c = BUF_INIT(1000);
    CHECK_INT(base64_encode(&c, data, 57, 76), RES_OK);
    CHECK_INT(c.len, 76);
    CHECK(strchr(c.data, '\n') == NULL);
    buf_release(&c);
}

TEST(invalid_characters_refused)
{
    const char *bad[] = {"Zm9v!mFy", "Zm9-", "Zm9_", "Zm9v\x80", "Zm 9v", "Zm9v\n", "\tZm9v"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct buf b = BUF_INIT(64);
        CHECK_INT(decode_str(bad[i], false, &b), RES_INVALID);
        buf_release(&b);
    }
    unsigned char out[8];
    size_t got;
    CHECK_INT(base64_decode("Zm9v YmFy", 9, out, sizeof(out), &got), RES_INVALID);
    /* a NUL inside the text is a bad character, not its end */
    CHECK_INT(base64_decode("Zm9v\0mFy", 8, out, sizeof(out), &got), RES_INVALID);
}

TEST(padding_errors_refused)
{
    const char *bad[] = {
        "Zg",       /* incomplete quad, no padding */
        "Zg=",      /* one '=' short */
        "Z===",     /* padding after one character */
        "====",     /* padding only */
        "=Zg=",     /* padding first */
        "Zg==Zg==", /* data after the padded quad */
        "Zm8=Zm9v", /* data after the padded quad */
        "Zg===",    /* three '=' */
        "Zm9vY",    /* a lone character in the last quad */
        "Zm=v",     /* data after padding inside a quad */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct buf b = BUF_INIT(64);
        result_t r = decode_str(bad[i], false, &b);
        if (r != RES_INVALID)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK_INT(r, RES_INVALID);
        buf_release(&b);
    }
}

TEST(white_space_skipped_when_asked)
{
    struct buf b = BUF_INIT(64);
    CHECK_INT(decode_str(" Zm9v\r\nYm\tFy \n", true, &b), RES_OK);
    CHECK_STR(buf_str(&b), "foobar");
    buf_release(&b);
    struct buf c = BUF_INIT(64);
    CHECK_INT(decode_str("Zm9v\nYg=\n=\n", true, &c), RES_OK);
    CHECK_STR(buf_str(&c), "foob");
    buf_release(&c);
    /* other white space (vertical tab, form feed) is not XML white space */
    struct buf e = BUF_INIT(64);
    CHECK_INT(decode_str("Zm9v\vYmFy", true, &e), RES_INVALID);
    buf_release(&e);
}

TEST(output_is_bounded)
{
    struct buf b = BUF_INIT(5);
    CHECK_INT(decode_str("Zm9vYmFy", false, &b), RES_TOO_LARGE);
    CHECK(b.len <= 5);
    buf_release(&b);
    unsigned char out[5];
    size_t got = 7;
    CHECK_INT(base64_decode("Zm9vYmFy", 8, out, sizeof(out), &got), RES_TOO_LARGE);
    CHECK_INT(got, 0);
    CHECK_INT(base64_decode("Zm9vYmE=", 8, out, sizeof(out), &got), RES_OK);
    CHECK_INT(got, 5);
    struct buf e = BUF_INIT(7);
    CHECK_INT(base64_encode(&e, "foobar", 6, 0), RES_TOO_LARGE);
    CHECK(e.len <= 7);
    buf_release(&e);
}

TEST(random_round_trip)
{
    for (int round = 0; round < 200; round++) {
        unsigned char data[700], n2[2];
        CHECK_INT(rand_bytes(n2, 2), RES_OK);
        size_t n = ((size_t)n2[0] << 8 | n2[1]) % sizeof(data);
        CHECK_INT(rand_bytes(data, n ? n : 1), RES_OK);
        size_t wrap = round % 2 ? 76 : 0;
        struct buf enc = BUF_INIT(2000);
        CHECK_INT(base64_encode(&enc, data, n, wrap), RES_OK);
        CHECK_INT(enc.len, BASE64_LEN(n) + (wrap && n ? (BASE64_LEN(n) - 1) / wrap : 0));
        /* decode in pieces of 1..7 characters, as a parser would deliver them */
        struct base64_dec d;
        struct buf dec = BUF_INIT(sizeof(data));
        base64_dec_init(&d, wrap != 0);
        size_t step = (size_t)(round % 7) + 1;
        result_t r = RES_OK;
        for (size_t i = 0; i < enc.len && r == RES_OK; i += step)
            r = base64_dec_feed(&d, enc.data + i, enc.len - i < step ? enc.len - i : step, &dec);
        CHECK_INT(r, RES_OK);
        CHECK_INT(base64_dec_finish(&d), RES_OK);
        CHECK_INT(dec.len, n);
        CHECK(n == 0 || memcmp(dec.data, data, n) == 0);
        buf_release(&enc);
        buf_release(&dec);
    }
}

int main(void)
{
    RUN(rfc4648_vectors_encode);
    RUN(rfc4648_vectors_decode);
    RUN(encode_wraps_lines);
    RUN(invalid_characters_refused);
    RUN(padding_errors_refused);
    RUN(white_space_skipped_when_asked);
    RUN(output_is_bounded);
    RUN(random_round_trip);
    return CHECK_DONE("test_base64");
}
