/* `qlvb edxml`: parse a package to JSON, build one from a JSON description, sign and
 * verify XML-DSig. Exit codes from cli.h: 2 usage, 3 package refused or not verified. */
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"
#include "xml/edxml.h"
#include "xml/xmldsig.h"

static int usage(FILE *out)
{
    fprintf(out, "Cách dùng:\n"
                 "  qlvb edxml parse TỆP                  in gói tin dạng JSON kèm cảnh báo\n"
                 "  qlvb edxml build --json MÔ_TẢ.json [--out TỆP]\n"
                 "  qlvb edxml sign TỆP --key K.pem --cert C.pem [--out TỆP]\n"
                 "  qlvb edxml sign TỆP --p12 K.p12 [--password MK] [--out TỆP]\n"
                 "  qlvb edxml verify TỆP [--ca CA.pem] [--json]\n");
    return out == stdout ? EXIT_OK : EXIT_USAGE;
}

static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static bool flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], name))
            return true;
    return false;
}

static int write_out(const char *path, const char *data, size_t len)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "qlvb edxml: không ghi được %s\n", path);
        return EXIT_FAIL;
    }
    size_t n = fwrite(data, 1, len, f);
    int bad = path ? fclose(f) : fflush(f);
    if (n != len || bad) {
        fprintf(stderr, "qlvb edxml: lỗi ghi %s\n", path ? path : "stdout");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static int cmd_parse(const char *file)
{
    struct edxml_package p;
    struct edxml_issues is;
    edxml_package_init(&p, EDXML_DOCUMENT);
    edxml_issues_init(&is);
    result_t r = edxml_parse_file(file, NULL, &p, &is);
    int rc = EXIT_OK;
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_boolean(r == RES_OK));
    if (r == RES_OK)
        json_object_set_new(o, "package", edxml_to_json(&p));
    else
        json_object_set_new(o, "error", json_string(is.error ? is.error : result_name(r)));
    json_t *wa = json_array();
    for (size_t i = 0; i < is.n_warnings; i++)
        json_array_append_new(wa, json_string(is.warnings[i]));
    json_object_set_new(o, "warnings", wa);
    json_dumpf(o, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    if (r == RES_IO) {
        fprintf(stderr, "qlvb edxml: %s\n", is.error ? is.error : "lỗi đọc tệp");
        rc = EXIT_FAIL;
    } else if (r != RES_OK) {
        fprintf(stderr, "qlvb edxml: gói tin bị từ chối: %s\n", is.error ? is.error : "");
        rc = EXIT_DATA;
    }
    json_decref(o);
    edxml_issues_release(&is);
    edxml_package_release(&p);
    return rc;
}

static int cmd_build(int argc, char **argv)
{
    const char *desc = opt(argc, argv, "--json");
    if (!desc)
        return usage(stderr);
    json_error_t jerr;
    json_t *j = json_load_file(desc, 0, &jerr);
    if (!j) {
        fprintf(stderr, "qlvb edxml: %s dòng %d: JSON không hợp lệ (%s)\n", desc, jerr.line,
                jerr.text);
        return EXIT_DATA;
    }
    char *dircopy = xstrdup(desc);
    struct edxml_package p;
    edxml_package_init(&p, EDXML_DOCUMENT);
    struct buf out = BUF_INIT((size_t)1 << 31);
    char why[256] = "";
    int rc = EXIT_OK;
    result_t r = edxml_from_json(j, dirname(dircopy), &p, why, sizeof(why));
    if (r == RES_OK)
        r = edxml_build(&p, &out, why, sizeof(why));
    if (r != RES_OK) {
        fprintf(stderr, "qlvb edxml: không tạo được gói tin: %s\n", why);
        rc = EXIT_DATA;
    } else {
        rc = write_out(opt(argc, argv, "--out"), buf_str(&out), out.len);
    }
    buf_release(&out);
    edxml_package_release(&p);
    free(dircopy);
    json_decref(j);
    return rc;
}

static int cmd_sign(int argc, char **argv)
{
    const char *file = argv[1];
    const char *key = opt(argc, argv, "--key"), *cert = opt(argc, argv, "--cert");
    const char *p12 = opt(argc, argv, "--p12"), *pw = opt(argc, argv, "--password");
    if (!file || file[0] == '-' || (!p12 && (!key || !cert)))
        return usage(stderr);
    char why[256] = "";
    struct xmldsig_key *k = NULL;
    result_t r = p12 ? xmldsig_key_load_pkcs12(&k, p12, pw, why, sizeof(why))
                     : xmldsig_key_load_pem(&k, key, cert, pw, why, sizeof(why));
    if (r != RES_OK) {
        fprintf(stderr, "qlvb edxml: không nạp được khoá: %s\n", why);
        return EXIT_FAIL;
    }
    struct buf out = BUF_INIT((size_t)1 << 31);
    int rc = EXIT_OK;
    r = edxml_sign_file(file, k, &out, why, sizeof(why));
    if (r != RES_OK) {
        fprintf(stderr, "qlvb edxml: không ký được: %s\n", why);
        rc = r == RES_IO ? EXIT_FAIL : EXIT_DATA;
    } else {
        rc = write_out(opt(argc, argv, "--out"), buf_str(&out), out.len);
    }
    buf_release(&out);
    xmldsig_key_free(k);
    return rc;
}

static int cmd_verify(int argc, char **argv)
{
    const char *file = argv[1];
    if (!file || file[0] == '-')
        return usage(stderr);
    struct xmldsig_verify_opts o = {.trusted_pem = opt(argc, argv, "--ca")};
    struct xmldsig_result res;
    xmldsig_result_init(&res);
    xmldsig_verify_file(file, &o, &res);
    bool ok = res.res == RES_OK;
    if (flag(argc, argv, "--json")) {
        json_t *j = json_object();
        json_object_set_new(j, "valid", json_boolean(ok));
        json_object_set_new(j, "reason", json_string(res.reason));
        if (res.subject[0])
            json_object_set_new(j, "signer", json_string(res.subject));
        json_object_set_new(j, "algorithm", json_string(res.algorithm));
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
    } else if (ok) {
        printf("Chữ ký hợp lệ. Người ký: %s\n", res.subject);
    } else {
        printf("Chữ ký KHÔNG hợp lệ: %s\n", res.reason);
    }
    int rc = ok ? EXIT_OK : res.res == RES_IO ? EXIT_FAIL : EXIT_DATA;
    xmldsig_result_release(&res);
    return rc;
}

int cmd_edxml(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *sub = argv[1];
    if (cli_wants_help(argc, argv))
        return usage(stdout);
    if (!strcmp(sub, "parse"))
        return argc == 3 ? cmd_parse(argv[2]) : usage(stderr);
    if (!strcmp(sub, "build"))
        return cmd_build(argc - 1, argv + 1);
    if (!strcmp(sub, "sign"))
        return argc >= 3 ? cmd_sign(argc - 1, argv + 1) : usage(stderr);
    if (!strcmp(sub, "verify"))
        return argc >= 3 ? cmd_verify(argc - 1, argv + 1) : usage(stderr);
    fprintf(stderr, "qlvb edxml: không có lệnh con '%s'\n", sub);
    return usage(stderr);
}
