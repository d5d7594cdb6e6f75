/* edXML throughput and memory: packages/s and MB/s for parse and build of a status
 * package and of a document with a 2 MB attachment; peak RSS for parsing a document
 * with one 50 MB attachment (with and without a sink). Run via bench/edxml_bench.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "util/alloc.h"
#include "util/clock.h"
#include "xml/edxml.h"

static void fill(struct edxml_package *p, enum edxml_kind kind, size_t att)
{
    edxml_package_init(p, kind);
    p->from.organ_id = edxml_strdup(p, "000.00.00.H45");
    p->from.organ_name = edxml_strdup(p, "UBND tỉnh Quảng Bình");
    if (kind == EDXML_STATUS) {
        struct edxml_response_for *r = edxml_add_response_for(p);
        r->document_id = edxml_strdup(p, "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
        p->status_code = EDXML_STATUS_ACCEPTED;
        p->description = edxml_strdup(p, "Đã tiếp nhận, vào sổ văn bản đến");
        p->timestamp = edxml_strdup(p, "2026/11/21 10:15:00");
        return;
    }
    edxml_add_to(p)->organ_id = edxml_strdup(p, "000.00.00.G22");
    p->document_id = edxml_strdup(p, "000.00.00.H45,2026/11/20,12/QĐ-UBND");
    p->code.number = edxml_strdup(p, "12");
    p->code.notation = edxml_strdup(p, "QĐ-UBND");
    p->promulgation_date = edxml_strdup(p, "2026/11/20");
    p->type_name = edxml_strdup(p, "Quyết định");
    p->subject = edxml_strdup(p, "Về việc phê duyệt kế hoạch chuyển đổi số");
    struct edxml_attachment *a = edxml_add_attachment(p);
    a->content_id = edxml_strdup(p, "cid:1");
    a->name = edxml_strdup(p, "vanban.pdf");
    unsigned char *d = xmalloc(att);
    unsigned s = 1;
    for (size_t i = 0; i < att; i++) { /* half random, half text-like: compresses ~2:1 */
        s = s * 1103515245u + 12345u;
        d[i] = (i / 4096) % 2 ? (unsigned char)(s >> 16) : (unsigned char)('a' + (s >> 16) % 26);
    }
    a->data = d;
    a->len = att;
    a->owns_data = true;
}

static void bench(const char *label, enum edxml_kind kind, size_t att, int iters)
{
    struct edxml_package p;
    fill(&p, kind, att);
    struct buf out = BUF_INIT((size_t)1 << 31);
    char why[256];
    double t0 = clock_mono_ms();
    for (int i = 0; i < iters; i++) {
        buf_reset(&out);
        if (edxml_build(&p, &out, why, sizeof(why)) != RES_OK)
            abort();
    }
    double tb = (clock_mono_ms() - t0) / 1000;
    t0 = clock_mono_ms();
    for (int i = 0; i < iters; i++) {
        struct edxml_package q;
        struct edxml_issues is;
        edxml_package_init(&q, EDXML_DOCUMENT);
        edxml_issues_init(&is);
        if (edxml_parse(out.data, out.len, NULL, &q, &is) != RES_OK)
            abort();
        edxml_issues_release(&is);
        edxml_package_release(&q);
    }
    double tp = (clock_mono_ms() - t0) / 1000;
    double mb = (double)out.len * iters / 1e6;
    printf("%-22s %9zu B  build %8.0f pkg/s %7.1f MB/s   parse %8.0f pkg/s %7.1f MB/s\n", label,
           out.len, iters / tb, mb / tb, iters / tp, mb / tp);
    buf_release(&out);
    edxml_package_release(&p);
}

static result_t drop(void *ctx, const struct edxml_attachment *a, const unsigned char *c, size_t n)
{
    (void)a, (void)c;
    *(size_t *)ctx += n;
    return RES_OK;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "write50")) {
        struct edxml_package p;
        fill(&p, EDXML_DOCUMENT, 50u << 20);
        struct buf out = BUF_INIT((size_t)1 << 31);
        char why[256];
        edxml_build(&p, &out, why, sizeof(why));
        FILE *f = fopen(argv[2], "wb");
        fwrite(out.data, 1, out.len, f);
        fclose(f);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("build 50 MB attachment: package %zu B, peak RSS %ld MB\n", out.len,
               ru.ru_maxrss / 1024);
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "parse50")) {
        struct edxml_parse_opts o;
        edxml_parse_opts_default(&o);
        size_t sunk = 0;
        if (!strcmp(argv[3], "sink")) {
            o.sink = drop;
            o.sink_ctx = &sunk;
        }
        struct edxml_package p;
        struct edxml_issues is;
        edxml_package_init(&p, EDXML_DOCUMENT);
        edxml_issues_init(&is);
        double t0 = clock_mono_ms();
        result_t r = edxml_parse_file(argv[2], &o, &p, &is);
        double t = clock_mono_ms() - t0;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("parse 50 MB attachment (%s): %s in %.0f ms, attachment %zu B, peak RSS %ld MB\n",
               argv[3], r == RES_OK ? "ok" : is.error, t, o.sink ? sunk : p.attachments[0].len,
               ru.ru_maxrss / 1024);
        edxml_issues_release(&is);
        edxml_package_release(&p);
        return 0;
    }
    bench("status package", EDXML_STATUS, 0, 20000);
    bench("document, 2 MB attach.", EDXML_DOCUMENT, 2u << 20, 30);
    return 0;
}
