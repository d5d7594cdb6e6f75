/* `qlvb edxml` as a user runs it (standards.md §10): parse prints JSON with warnings or
 * a refusal with exit 3, build writes a package that parses back, sign + verify round
 * trip, usage errors exit 2. Uses the binary named by QLVB_BIN (set by tests/run.sh). */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define SAMPLES "../../../shared/samples/edxml/"

static const char *bin;
static char dir[64];

/* Runs a shell command; returns its exit status and stdout (malloc'd) in *out. */
static int run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(char **out, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (len + 1 >= cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int st = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(parse_sample_prints_json_with_warnings)
{
    char *out;
    CHECK_INT(run(&out, "%s edxml parse " SAMPLES "edoc_new.edxml 2>/dev/null", bin), 0);
    json_t *j = json_loads(out, 0, NULL);
    CHECK(j != NULL);
    CHECK(json_is_true(json_object_get(j, "ok")));
    json_t *pkg = json_object_get(j, "package");
    CHECK_STR(json_string_value(json_object_get(pkg, "subject")),
              "V/v kết nối, liên thông phần mềm quản lý văn bản");
    CHECK(json_array_size(json_object_get(j, "warnings")) >= 4);
    json_decref(j);
    free(out);
}

TEST(parse_refusal_exit_3)
{
    char *out;
    CHECK_INT(run(&out, "%s edxml parse " SAMPLES "edoc.edxml 2>&1 >/dev/null", bin), 3);
    CHECK(strstr(out, "MessageHeader/DocumentId") != NULL);
    free(out);
    CHECK_INT(run(NULL, "%s edxml parse 2>/dev/null", bin), 2);
    CHECK_INT(run(NULL, "%s edxml frobnicate 2>/dev/null", bin), 2);
    CHECK_INT(run(NULL, "%s edxml build 2>/dev/null", bin), 2);
}

TEST(build_sign_verify)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/doc.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"kind\":\"document\",\"from\":{\"organ_id\":\"000.00.00.H45\"},"
          "\"to\":[{\"organ_id\":\"000.00.00.G22\"}],"
          "\"document_id\":\"000.00.00.H45,2026/11/20,12/QĐ-UBND\","
          "\"code_number\":\"12\",\"code_notation\":\"QĐ-UBND\","
          "\"promulgation_date\":\"2026/11/20\",\"type_name\":\"Quyết định\","
          "\"subject\":\"Về việc thử nghiệm\","
          "\"attachments\":[{\"file\":\"a.txt\",\"content_type\":\"text/plain\"}]}",
          f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/a.txt", dir);
    f = fopen(path, "w");
    fputs("Nội dung tệp đính kèm\n", f);
    fclose(f);
    CHECK_INT(run(NULL, "%s edxml build --json %s/doc.json --out %s/doc.edxml", bin, dir, dir), 0);
    char *out;
    CHECK_INT(run(&out, "%s edxml parse %s/doc.edxml", bin, dir), 0);
    CHECK(strstr(out, "\"name\": \"a.txt\"") != NULL);
    CHECK(strstr(out, "\"size\": 29") != NULL);
    free(out);
    CHECK_INT(run(NULL,
                  "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem "
                  "-days 2 -subj '/CN=Thu nghiem' >/dev/null 2>&1",
                  dir),
              0);
    CHECK_INT(run(NULL,
                  "%s edxml sign %s/doc.edxml --key %s/k.pem --cert %s/c.pem --out %s/s.edxml", bin,
                  dir, dir, dir, dir),
              0);
    CHECK_INT(run(&out, "%s edxml verify %s/s.edxml --ca %s/c.pem --json", bin, dir, dir), 0);
    CHECK(strstr(out, "\"valid\": true") != NULL);
    free(out);
    CHECK_INT(run(NULL,
                  "sed -i 's/thử nghiệm/THỬ/' %s/s.edxml && %s edxml verify %s/s.edxml "
                  ">/dev/null",
                  dir, bin, dir),
              3);
    /* A bad description is refused with the reason. */
    CHECK_INT(run(&out,
                  "echo '{\"kind\":\"status\",\"from\":{\"organ_id\":\"x\"}}' > %s/bad.json"
                  " && %s edxml build --json %s/bad.json 2>&1",
                  dir, bin, dir),
              3);
    CHECK(strstr(out, "From/OrganId") != NULL);
    free(out);
}

int main(void)
{
    bin = getenv("QLVB_BIN");
    if (!bin || access(bin, X_OK) != 0)
        bin = "../../build/qlvb";
    snprintf(dir, sizeof(dir), "/tmp/qlvb-edxml-cli-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(parse_sample_prints_json_with_warnings);
    RUN(parse_refusal_exit_3);
    RUN(build_sign_verify);
    run(NULL, "rm -rf %s", dir);
    return CHECK_DONE("test_edxml_cli");
}
