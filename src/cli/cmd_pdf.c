/* `qlvb pdf sign|verify|stamp`: signing with a PKCS#12 (through the signer process, as
 * `qlvb serve` does) or PEM key, verification with a readable Vietnamese report or
 * JSON, and number/date stamping. Exit codes as in cli.h; verify exits 3 unless every
 * signature is valid. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "crypto/certstore.h"
#include "crypto/keys.h"
#include "crypto/signer.h"
#include "crypto/tsa_http.h"
#include "pdf/pdf_sign.h"
#include "pdf/pdf_stamp.h"
#include "pdf/pdf_util.h"
#include "pdf/pdf_verify.h"
#include "util/alloc.h"
#include "util/str.h"

#define MAX_LIST 16

struct args {
    const char *pos[3];
    int npos;
    const char *p12, *pin, *pin_file, *key, *key_pass, *cert, *chain, *image, *page, *rect;
    const char *seal_over, *seal_size, *reason, *location, *name, *number, *date, *tsa;
    const char *attachment;
    const char *trust[MAX_LIST], *ca[MAX_LIST], *crl[MAX_LIST];
    int ntrust, nca, ncrl;
    int json, adbe;
};

static void usage(FILE *out)
{
    fputs("Cách dùng:\n"
          "  qlvb pdf sign VÀO RA (--p12 TỆP --pin PIN | --pin-file TỆP)\n"
          "                 | (--key KHÓA --cert CHỨNG_THƯ [--chain TỆP] [--key-pass MK])\n"
          "                 [--image PNG] [--page N] [--rect x0,y0,x1,y1]\n"
          "                 [--seal-over x0,y0,x1,y1 [--seal-size PT]] [--reason LÝ_DO]\n"
          "                 [--location NƠI_KÝ] [--name TÊN_TRƯỜNG] [--adbe]\n"
          "                 [--attachment SỐ/KÝ_HIỆU]  (chữ ký cơ quan trên phụ lục, bản sao)\n"
          "                 [--tsa http://MÁY_CHỦ_DẤU_THỜI_GIAN/ĐƯỜNG_DẪN]\n"
          "  qlvb pdf verify TỆP [--trust THƯ_MỤC]... [--ca TỆP]... [--crl TỆP]... [--json]\n"
          "  qlvb pdf stamp VÀO RA --number 12/QĐ-UBND --date 2026-11-22\n"
          "Tọa độ tính bằng point (1/72 inch), gốc ở góc dưới bên trái trang.\n",
          out);
}

static int take_list(const char **list, int *n, const char *v)
{
    if (*n >= MAX_LIST)
        return -1;
    list[(*n)++] = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = NULL;
        if (strcmp(o, "--json") == 0) {
            a->json = 1;
            continue;
        }
        if (strcmp(o, "--adbe") == 0) {
            a->adbe = 1;
            continue;
        }
        if (o[0] != '-' || o[1] != '-') {
            if (a->npos >= 3)
                return -1;
            a->pos[a->npos++] = o;
            continue;
        }
        if (i + 1 >= argc)
            return -1;
        const char *v = argv[++i];
        if (strcmp(o, "--trust") == 0) {
            if (take_list(a->trust, &a->ntrust, v))
                return -1;
            continue;
        }
        if (strcmp(o, "--ca") == 0) {
            if (take_list(a->ca, &a->nca, v))
                return -1;
            continue;
        }
        if (strcmp(o, "--crl") == 0) {
            if (take_list(a->crl, &a->ncrl, v))
                return -1;
            continue;
        }
        static const struct {
            const char *name;
            size_t off;
        } opts[] = {
            {"--p12", offsetof(struct args, p12)},
            {"--pin", offsetof(struct args, pin)},
            {"--pin-file", offsetof(struct args, pin_file)},
            {"--key", offsetof(struct args, key)},
            {"--key-pass", offsetof(struct args, key_pass)},
            {"--cert", offsetof(struct args, cert)},
            {"--chain", offsetof(struct args, chain)},
            {"--image", offsetof(struct args, image)},
            {"--page", offsetof(struct args, page)},
            {"--rect", offsetof(struct args, rect)},
            {"--seal-over", offsetof(struct args, seal_over)},
            {"--seal-size", offsetof(struct args, seal_size)},
            {"--reason", offsetof(struct args, reason)},
            {"--location", offsetof(struct args, location)},
            {"--name", offsetof(struct args, name)},
            {"--number", offsetof(struct args, number)},
            {"--date", offsetof(struct args, date)},
            {"--tsa", offsetof(struct args, tsa)},
            {"--attachment", offsetof(struct args, attachment)},
        };
        for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
            if (strcmp(o, opts[k].name) == 0)
                slot = (const char **)((char *)a + opts[k].off);
        if (!slot) {
            fprintf(stderr, "qlvb pdf: tùy chọn không hợp lệ: %s\n", o);
            return -1;
        }
        *slot = v;
    }
    return 0;
}

static int parse_rect(const char *s, float r[4])
{
    char *end;
    for (int i = 0; i < 4; i++) {
        r[i] = strtof(s, &end);
        if (end == s || (i < 3 && *end != ',') || (i == 3 && *end != '\0'))
            return -1;
        s = end + 1;
    }
    return r[2] > r[0] && r[3] > r[1] ? 0 : -1;
}

static int read_input(const char *path, struct buf *b)
{
    result_t r = keys_read_file(path, PDF_MAX_BYTES, b);
    if (r == RES_OK)
        return 0;
    fprintf(stderr, "qlvb pdf: không đọc được tệp %s (%s)\n", path,
            r == RES_TOO_LARGE   ? "quá lớn"
            : r == RES_NOT_FOUND ? "không tồn tại"
                                 : "lỗi đọc");
    return -1;
}

static int write_output(const char *path, const struct buf *b)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(b->data, 1, b->len, f) == b->len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "qlvb pdf: không ghi được tệp %s\n", path);
    return ok ? 0 : -1;
}

static int sign_error(result_t r)
{
    switch (r) {
    case RES_IO:
        fputs("qlvb pdf: không kết nối được máy chủ cấp dấu thời gian hoặc tiến trình ký\n",
              stderr);
        return EXIT_FAIL;
    case RES_FORBIDDEN:
        fputs("qlvb pdf: mã PIN hoặc mật khẩu khóa không đúng\n", stderr);
        return EXIT_FAIL;
    case RES_NOT_FOUND:
        fputs("qlvb pdf: không tìm thấy tệp khóa hoặc chứng thư số\n", stderr);
        return EXIT_FAIL;
    case RES_INVALID:
        fputs("qlvb pdf: tài liệu PDF, trang hoặc vị trí chữ ký không hợp lệ\n", stderr);
        return EXIT_DATA;
    case RES_TOO_LARGE:
        fputs("qlvb pdf: tài liệu quá lớn\n", stderr);
        return EXIT_DATA;
    case RES_CRYPTO:
        fputs("qlvb pdf: ký số hoặc dấu thời gian không thành công\n", stderr);
        return EXIT_FAIL;
    default:
        fprintf(stderr, "qlvb pdf: ký số không thành công (%s)\n", result_name(r));
        return EXIT_FAIL;
    }
}

static result_t sign_local(void *arg, const unsigned char digest[32], unsigned char **sig,
                           size_t *sig_len)
{
    return keys_sign_digest(arg, digest, 32, sig, sig_len);
}

static int read_pin(const struct args *a, char *pin, size_t size)
{
    if (a->pin) {
        str_copy(pin, a->pin, size);
        return 0;
    }
    if (!a->pin_file)
        return -1;
    FILE *f = fopen(a->pin_file, "r");
    if (!f || !fgets(pin, (int)size, f)) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    pin[strcspn(pin, "\r\n")] = '\0';
    return 0;
}

static int cmd_sign(const struct args *a)
{
    struct pdf_sign_opts o = {0};
    struct buf in = BUF_INIT(0), img = BUF_INIT(0), out = BUF_INIT(0);
    struct key_bundle kb;
    struct signer s;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    char pin[256] = "";
    int rc = EXIT_USAGE, started = 0;
    result_t r;

    key_bundle_init(&kb);
    signer_init(&s);
    if (a->npos != 2 || (!a->p12 == !a->key) || (a->key && !a->cert)) {
        usage(stderr);
        goto out;
    }
    if (a->p12 && read_pin(a, pin, sizeof(pin)) != 0) {
        fputs("qlvb pdf: cần --pin hoặc --pin-file\n", stderr);
        goto out;
    }
    if (a->page) {
        int64_t n;
        if (str_to_i64(a->page, 1, 100000, &n) != RES_OK) {
            fputs("qlvb pdf: số trang không hợp lệ\n", stderr);
            goto out;
        }
        o.page = (int)n;
    }
    if (a->rect && parse_rect(a->rect, o.rect) != 0) {
        fputs("qlvb pdf: --rect phải có dạng x0,y0,x1,y1\n", stderr);
        goto out;
    }
    if (a->seal_over) {
        float person[4], size = 0;
        char *end;
        if (parse_rect(a->seal_over, person) != 0) {
            fputs("qlvb pdf: --seal-over phải có dạng x0,y0,x1,y1\n", stderr);
            goto out;
        }
        if (a->seal_size && ((size = strtof(a->seal_size, &end)) <= 0 || *end)) {
            fputs("qlvb pdf: --seal-size không hợp lệ\n", stderr);
            goto out;
        }
        pdf_sign_seal_rect(person, size, o.rect);
    }
    rc = EXIT_FAIL;
    if (read_input(a->pos[0], &in) != 0 || (a->image && read_input(a->image, &img) != 0))
        goto out;
    o.image = (const unsigned char *)img.data;
    o.image_len = img.len;
    o.reason = a->reason;
    o.number_symbol = a->attachment;
    o.location = a->location;
    o.field_name = a->name;
    o.adbe_subfilter = a->adbe;
    struct tsa_http th = {a->tsa, 0};

    if (a->p12) {
        /* As in `qlvb serve`: the key stays in the signer process. */
        if ((r = signer_start(&s, NULL)) != RES_OK) {
            rc = sign_error(r);
            goto out;
        }
        started = 1;
        if ((r = signer_certs(&s, a->p12, pin, &cert, &chain)) != RES_OK) {
            rc = sign_error(r);
            goto out;
        }
        struct signer_key sk = {.signer = &s, .key = a->p12, .pin = pin};
        struct pdf_sign_key key = {cert, chain, signer_cms_sign, &sk, a->tsa ? tsa_http_post : NULL,
                                   &th};
        r = pdf_sign_document((const unsigned char *)in.data, in.len, &o, &key, &out);
    } else {
        if ((r = keys_load_pem(a->key, a->key_pass, a->cert, a->chain, &kb)) != RES_OK) {
            rc = sign_error(r);
            goto out;
        }
        struct pdf_sign_key key = {
            kb.cert, kb.chain, sign_local, kb.key, a->tsa ? tsa_http_post : NULL, &th};
        r = pdf_sign_document((const unsigned char *)in.data, in.len, &o, &key, &out);
    }
    if (r != RES_OK) {
        rc = sign_error(r);
        goto out;
    }
    if (write_output(a->pos[1], &out) != 0)
        goto out;
    printf("Đã ký số: %s\n", a->pos[1]);
    rc = EXIT_OK;
out:
    secure_wipe(pin, sizeof(pin));
    if (started)
        signer_release(&s);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    key_bundle_release(&kb);
    buf_release(&in);
    buf_release(&img);
    buf_release(&out);
    return rc;
}

static int cmd_verify(const struct args *a)
{
    struct certstore cs;
    struct buf in = BUF_INIT(0), text = BUF_INIT(1 << 20);
    struct pdf_verify_result res;
    int rc = EXIT_USAGE;
    result_t r = RES_OK;

    certstore_init(&cs);
    pdf_verify_result_init(&res);
    if (a->npos != 1) {
        usage(stderr);
        goto out;
    }
    rc = EXIT_FAIL;
    for (int i = 0; i < a->ntrust && r == RES_OK; i++)
        if ((r = certstore_add_dir(&cs, a->trust[i])) != RES_OK)
            fprintf(stderr, "qlvb pdf: không đọc được thư mục tin cậy %s\n", a->trust[i]);
    for (int i = 0; i < a->nca && r == RES_OK; i++)
        if ((r = certstore_add_trusted_file(&cs, a->ca[i])) != RES_OK)
            fprintf(stderr, "qlvb pdf: không đọc được chứng thư %s\n", a->ca[i]);
    for (int i = 0; i < a->ncrl && r == RES_OK; i++)
        if ((r = certstore_add_crl_file(&cs, a->crl[i])) != RES_OK)
            fprintf(stderr, "qlvb pdf: không đọc được danh sách thu hồi %s\n", a->crl[i]);
    if (r != RES_OK || read_input(a->pos[0], &in) != 0)
        goto out;
    if (pdf_verify_document((const unsigned char *)in.data, in.len, &cs, 0, &res) != RES_OK)
        goto out;
    if (a->json) {
        json_t *j = pdf_verify_to_json(&res);
        char *s = json_dumps(j, JSON_INDENT(2));
        if (s)
            puts(s);
        free(s);
        json_decref(j);
    } else {
        pdf_verify_format(&res, &text);
        fputs(text.data ? text.data : "", stdout);
    }
    rc = res.all_valid ? EXIT_OK : EXIT_DATA;
out:
    pdf_verify_result_release(&res);
    certstore_release(&cs);
    buf_release(&in);
    buf_release(&text);
    return rc;
}

static int cmd_stamp(const struct args *a)
{
    struct buf in = BUF_INIT(0), out = BUF_INIT(0);
    int64_t y, m, d;
    char tail;
    int rc = EXIT_USAGE;

    if (a->npos != 2 || !a->number || !a->date) {
        usage(stderr);
        goto out;
    }
    if (strlen(a->date) != 10 || a->date[4] != '-' || a->date[7] != '-' ||
        sscanf(a->date, "%4" SCNd64 "-%2" SCNd64 "-%2" SCNd64 "%c", &y, &m, &d, &tail) != 3) {
        fputs("qlvb pdf: --date phải có dạng YYYY-MM-DD\n", stderr);
        goto out;
    }
    rc = EXIT_FAIL;
    if (read_input(a->pos[0], &in) != 0)
        goto out;
    result_t r = pdf_stamp_document((const unsigned char *)in.data, in.len, a->number, (int)y,
                                    (int)m, (int)d, &out);
    if (r != RES_OK) {
        fputs(r == RES_NOT_FOUND ? "qlvb pdf: không tìm thấy \"Số:\" ở trang 1\n"
                                 : "qlvb pdf: không ghi được số, ngày vào tài liệu\n",
              stderr);
        rc = EXIT_DATA;
        goto out;
    }
    if (write_output(a->pos[1], &out) != 0)
        goto out;
    printf("Đã ghi số %s, ngày %s: %s\n", a->number, a->date, a->pos[1]);
    rc = EXIT_OK;
out:
    buf_release(&in);
    buf_release(&out);
    return rc;
}

int cmd_pdf(int argc, char **argv)
{
    struct args a;
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EXIT_OK;
    }
    if (argc < 2 || parse_args(argc, argv, &a) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "sign") == 0)
        return cmd_sign(&a);
    if (strcmp(argv[1], "verify") == 0)
        return cmd_verify(&a);
    if (strcmp(argv[1], "stamp") == 0)
        return cmd_stamp(&a);
    usage(stderr);
    return EXIT_USAGE;
}
