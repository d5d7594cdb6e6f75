/* `qlvb pdf` as an operator uses it: sign as the person, stamp number and date, seal as
 * the agency, verify (Vietnamese report, JSON, exit codes 0/1/2/3). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "check.h"
#include "crypto/pki_fixture.h"
#include "crypto/tsa_fixture.h"
#include "pdf/pdf_fixture.h"

static const char *bin(void)
{
    static char path[4096];
    const char *b = getenv("QLVB_BIN"); /* set by tests/run.sh */
    if (!path[0] && !realpath(b && b[0] ? b : "../../build/qlvb", path))
        snprintf(path, sizeof(path), "qlvb-not-built");
    return path;
}

/* Runs `qlvb pdf ARGS` in the PKI directory; returns the exit code, output in *out. */
static int run(const char *args, struct buf *out)
{
    char cmd[8192], line[1024];
    snprintf(cmd, sizeof(cmd), "cd %s && %s pdf %s 2>&1", pki_dir(), bin(), args);
    buf_reset(out);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    while (fgets(line, sizeof(line), p))
        buf_puts(out, line);
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(sign_stamp_seal_verify)
{
    struct buf out = BUF_INIT(1 << 20);
    CHECK_INT(run("sign doc.pdf p.pdf --p12 person.p12 --pin 123456 --image signature.png "
                  "--rect 340,130,480,230 --reason 'Ký ban hành'",
                  &out),
              0);
    CHECK(strstr(out.data, "Đã ký số") != NULL);
    CHECK_INT(run("stamp p.pdf ps.pdf --number 12/QĐ-UBND --date 2026-11-22", &out), 0);
    CHECK_INT(run("sign ps.pdf final.pdf --p12 agency.p12 --pin-file pin.txt --image seal.png "
                  "--seal-over 340,130,480,230",
                  &out),
              0);
    CHECK_INT(run("verify final.pdf --trust trust --crl inter.crl.pem", &out), 0);
    CHECK(strstr(out.data, "Chữ ký số 1 (Signature1): HỢP LỆ") != NULL);
    CHECK(strstr(out.data, "Chữ ký số 2 (Signature2): HỢP LỆ") != NULL);
    CHECK(strstr(out.data, "Người ký: Nguyễn Văn An") != NULL);
    CHECK(strstr(out.data, "đã kiểm tra CRL, chưa bị thu hồi") != NULL);

    CHECK_INT(run("verify final.pdf --ca root.pem --json", &out), 0);
    json_error_t err;
    json_t *j = json_loads(out.data, 0, &err);
    CHECK(j != NULL);
    CHECK(json_is_true(json_object_get(j, "all_valid")));
    CHECK_INT(json_array_size(json_object_get(j, "signatures")), 2);
    json_t *first = json_array_get(json_object_get(j, "signatures"), 0);
    CHECK_STR(json_string_value(json_object_get(first, "later_changes")), "annotations");
    json_decref(j);

    /* No trust anchors: still intact, but not valid. */
    CHECK_INT(run("verify final.pdf", &out), 3);
    CHECK(strstr(out.data, "không thuộc tổ chức cung cấp dịch vụ tin cậy") != NULL);
    buf_release(&out);
}

/* A one-process HTTP time-stamping authority on 127.0.0.1 for `--tsa`. */
static void serve_tsa(int ls)
{
    struct test_tsa tsa = {0};
    if (keys_load_p12(pki_path("tsa.p12"), "123456", &tsa.kb) != RES_OK)
        _exit(1);
    for (;;) {
        int c = accept(ls, NULL, NULL);
        char req[65536];
        size_t got = 0;
        if (c < 0)
            _exit(0);
        for (;;) {
            ssize_t n = read(c, req + got, sizeof(req) - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
            req[got] = '\0';
            char *end = strstr(req, "\r\n\r\n"), *cl = strstr(req, "Content-Length: ");
            if (end && cl && got >= (size_t)(end + 4 - req) + strtoul(cl + 16, NULL, 10))
                break;
        }
        char *body = strstr(req, "\r\n\r\n");
        struct buf resp = BUF_INIT(1 << 20);
        if (body && test_tsa_answer(&tsa, (unsigned char *)body + 4, got - (size_t)(body + 4 - req),
                                    &resp) == RES_OK) {
            char head[200];
            int n = snprintf(head, sizeof(head),
                             "HTTP/1.0 200 OK\r\nContent-Type: application/timestamp-reply\r\n"
                             "Content-Length: %zu\r\n\r\n",
                             resp.len);
            if (write(c, head, (size_t)n) != n || write(c, resp.data, resp.len) < 0)
                _exit(1);
        }
        buf_release(&resp);
        close(c);
    }
}

TEST(timestamp_from_http_tsa)
{
    struct buf out = BUF_INIT(1 << 20);
    struct sockaddr_in sa = {0};
    socklen_t sl = sizeof(sa);
    char args[512];
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(ls, 4) == 0 &&
          getsockname(ls, (struct sockaddr *)&sa, &sl) == 0);
    pid_t pid = fork();
    if (pid == 0)
        serve_tsa(ls);
    close(ls);
    snprintf(args, sizeof(args),
             "sign doc.pdf t.pdf --p12 person.p12 --pin 123456 --tsa http://127.0.0.1:%d/tsa",
             ntohs(sa.sin_port));
    CHECK_INT(run(args, &out), 0);
    CHECK_INT(run("verify t.pdf --trust trust", &out), 0);
    CHECK(strstr(out.data, "Dấu thời gian:") && strstr(out.data, "QLVB Test Time-Stamping"));
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    /* Nobody listens there any more. */
    CHECK_INT(run(args, &out), 1);
    CHECK(strstr(out.data, "dấu thời gian") != NULL);
    buf_release(&out);
}

TEST(operator_errors)
{
    struct buf out = BUF_INIT(1 << 20);
    CHECK_INT(run("sign doc.pdf x.pdf --p12 person.p12 --pin 000000", &out), 1);
    CHECK(strstr(out.data, "mã PIN") != NULL);
    CHECK_INT(run("sign doc.pdf", &out), 2);
    CHECK_INT(run("sign doc.pdf x.pdf --p12 person.p12 --pin 123456 --rect 1,2,3", &out), 2);
    CHECK_INT(run("verify doc.pdf --trust trust", &out), 3);
    CHECK(strstr(out.data, "không có chữ ký số") != NULL);
    CHECK_INT(run("verify missing.pdf", &out), 1);
    CHECK_INT(run("stamp doc.pdf y.pdf --number 1/QĐ --date 22-11-2026", &out), 2);
    CHECK_INT(run("sign doc.pdf e.pdf --p12 expired.p12 --pin 123456", &out), 0);
    CHECK_INT(run("verify e.pdf --trust trust", &out), 3);
    CHECK(strstr(out.data, "đã hết hạn tại thời điểm ký") != NULL);
    CHECK_INT(run("sign doc.pdf k.pdf --key person.key --cert person.pem --chain chain.pem", &out),
              0);
    CHECK_INT(run("verify k.pdf --trust trust", &out), 0);
    CHECK_INT(run("frobnicate", &out), 2);
    buf_release(&out);
}

int main(void)
{
    struct buf doc;
    if (!make_test_pdf(1, &doc) || !write_file(pki_path("doc.pdf"), doc.data, doc.len))
        return 2;
    buf_release(&doc);
    RUN(sign_stamp_seal_verify);
    RUN(operator_errors);
    RUN(timestamp_from_http_tsa);
    pki_cleanup();
    return CHECK_DONE("test_pdf_cli");
}
