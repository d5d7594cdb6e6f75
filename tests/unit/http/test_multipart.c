/* multipart/form-data as browsers send it (RFC 7578, WHATWG encoding): fields, files
 * with binary content, Vietnamese names, and the malformed bodies that must be
 * refused as a whole. */
#include <string.h>

#include "check.h"
#include "http/multipart.h"

static result_t parse(struct arena *a, const char *body, size_t len, struct mp_part *parts, int *n)
{
    return multipart_parse(a, "----qlvbB0undary", (const unsigned char *)body, len, parts, 8, n);
}

TEST(boundary_from_content_type)
{
    char b[80];
    CHECK_INT(multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7Yz", b,
                                 sizeof(b)),
              RES_OK);
    CHECK_STR(b, "----WebKitFormBoundaryx7Yz");
    CHECK_INT(
        multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"", b, sizeof(b)),
        RES_OK);
    CHECK_STR(b, "a b:c");
    CHECK_INT(multipart_boundary("application/pdf", b, sizeof(b)), RES_UNSUPPORTED);
    CHECK_INT(multipart_boundary(NULL, b, sizeof(b)), RES_UNSUPPORTED);
    CHECK_INT(multipart_boundary("multipart/form-data", b, sizeof(b)), RES_INVALID);
    CHECK_INT(multipart_boundary("multipart/form-data; boundary=", b, sizeof(b)), RES_INVALID);
    CHECK_INT(multipart_boundary("multipart/form-data; boundary=\"x<y\"", b, sizeof(b)),
              RES_INVALID);
    char long_ct[200];
    int n = snprintf(long_ct, sizeof(long_ct), "multipart/form-data; boundary=");
    memset(long_ct + n, 'a', 71);
    long_ct[n + 71] = '\0';
    CHECK_INT(multipart_boundary(long_ct, b, sizeof(b)), RES_INVALID);
}

TEST(fields_and_binary_file)
{
    struct arena a;
    arena_init(&a);
    static const char body[] =
        "preamble is ignored\r\n"
        "------qlvbB0undary\r\n"
        "Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
        "abc123\r\n"
        "------qlvbB0undary\r\n"
        "content-disposition: form-data; name=\"file\"; filename=\"Quyết định %22số 1%22.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
        "%PDF-1.7\r\n\0\xff--notaboundary\r\n\r\n"
        "------qlvbB0undary\r\n"
        "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
        "\r\n"
        "------qlvbB0undary--\r\nepilogue";
    struct mp_part p[8];
    int n = 0;
    CHECK_INT(parse(&a, body, sizeof(body) - 1, p, &n), RES_OK);
    CHECK_INT(n, 3);
    CHECK_STR(p[0].name, "_csrf");
    CHECK(p[0].filename == NULL);
    CHECK_INT(p[0].len, 6);
    CHECK(memcmp(p[0].data, "abc123", 6) == 0);
    CHECK_STR(p[1].name, "file");
    CHECK_STR(p[1].filename, "Quyết định %22số 1%22.pdf");
    CHECK_STR(p[1].content_type, "application/pdf");
    CHECK_INT(p[1].len, 28);
    CHECK(memcmp(p[1].data, "%PDF-1.7\r\n\0\xff--notaboundary\r\n", 28) == 0);
    CHECK_STR(p[2].name, "empty");
    CHECK_INT(p[2].len, 0);
    arena_release(&a);
}

TEST(malformed_bodies_refused)
{
    struct arena a;
    arena_init(&a);
    struct mp_part p[8];
    int n;
    const char *bad[] = {
        /* no closing delimiter */
        "------qlvbB0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
        /* no name */
        "------qlvbB0undary\r\nContent-Disposition: form-data\r\n\r\nx\r\n------qlvbB0undary--",
        /* not form-data */
        "------qlvbB0undary\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n"
        "------qlvbB0undary--",
        /* unterminated quoted name */
        "------qlvbB0undary\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n"
        "------qlvbB0undary--",
        /* header without colon */
        "------qlvbB0undary\r\nBogus\r\n\r\nx\r\n------qlvbB0undary--",
        /* no parts at all */
        "------qlvbB0undary--",
        /* no boundary anywhere */
        "hello",
        /* garbage after a delimiter */
        "------qlvbB0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n"
        "------qlvbB0undaryX\r\n",
        /* two names */
        "------qlvbB0undary\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n"
        "------qlvbB0undary--",
        /* invalid UTF-8 in a name */
        "------qlvbB0undary\r\nContent-Disposition: form-data; name=\"\xc3\x28\"\r\n\r\nx\r\n"
        "------qlvbB0undary--",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_INT(parse(&a, bad[i], strlen(bad[i]), p, &n), RES_INVALID);
    /* more parts than allowed */
    char many[2048];
    size_t len = 0;
    for (int i = 0; i < 9; i++)
        len += (size_t)snprintf(many + len, sizeof(many) - len, "%s",
                                "------qlvbB0undary\r\nContent-Disposition: form-data; "
                                "name=\"f\"\r\n\r\nv\r\n");
    snprintf(many + len, sizeof(many) - len, "%s", "------qlvbB0undary--");
    CHECK_INT(parse(&a, many, strlen(many), p, &n), RES_TOO_LARGE);
    arena_release(&a);
}

int main(void)
{
    RUN(boundary_from_content_type);
    RUN(fields_and_binary_file);
    RUN(malformed_bodies_refused);
    return CHECK_DONE("test_multipart");
}
