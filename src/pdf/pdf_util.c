/* MuPDF helpers shared by signing, verification and stamping. Every MuPDF call of the
 * module runs inside fz_try in its caller; nothing here catches on its own. */
#include "pdf/pdf_util.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/log.h"

static void quiet(void *user, const char *message)
{
    (void)user;
    log_debug("mupdf: %s", message);
}

fz_context *pdf_util_ctx_new(void)
{
    fz_context *ctx = fz_new_context(NULL, NULL, 32 << 20);
    if (!ctx)
        return NULL;
    fz_set_warning_callback(ctx, quiet, NULL);
    fz_set_error_callback(ctx, quiet, NULL);
    return ctx;
}

pdf_document *pdf_util_open(fz_context *ctx, const unsigned char *data, size_t len)
{
    pdf_document *doc = NULL;
    fz_stream *stm = fz_open_memory(ctx, data, len);
    fz_var(doc);
    fz_try(ctx) doc = pdf_open_document_with_stream(ctx, stm);
    fz_always(ctx) fz_drop_stream(ctx, stm);
    fz_catch(ctx) fz_rethrow(ctx);
    return doc;
}

struct memout {
    fz_buffer *buf;
    size_t pos;
};

static void memout_write(fz_context *ctx, void *opaque, const void *data, size_t n)
{
    struct memout *m = opaque;
    size_t overlap = m->pos < m->buf->len ? m->buf->len - m->pos : 0;
    if (overlap > n)
        overlap = n;
    if (m->pos + n > PDF_MAX_BYTES)
        fz_throw(ctx, FZ_ERROR_GENERIC, "output too large");
    memcpy(m->buf->data + m->pos, data, overlap);
    if (n > overlap)
        fz_append_data(ctx, m->buf, (const char *)data + overlap, n - overlap);
    m->pos += n;
}

static void memout_seek(fz_context *ctx, void *opaque, int64_t off, int whence)
{
    struct memout *m = opaque;
    int64_t base = whence == SEEK_CUR   ? (int64_t)m->pos
                   : whence == SEEK_END ? (int64_t)m->buf->len
                                        : 0;
    if (base + off < 0 || base + off > (int64_t)m->buf->len)
        fz_throw(ctx, FZ_ERROR_GENERIC, "seek outside output");
    m->pos = (size_t)(base + off);
}

static int64_t memout_tell(fz_context *ctx, void *opaque)
{
    (void)ctx;
    return (int64_t)((struct memout *)opaque)->pos;
}

static void memout_truncate(fz_context *ctx, void *opaque)
{
    (void)ctx;
    struct memout *m = opaque;
    m->buf->len = m->pos;
}

static fz_stream *memout_stream(fz_context *ctx, void *opaque)
{
    return fz_open_buffer(ctx, ((struct memout *)opaque)->buf);
}

static void memout_drop(fz_context *ctx, void *opaque)
{
    struct memout *m = opaque;
    fz_drop_buffer(ctx, m->buf);
    fz_free(ctx, m);
}

fz_output *pdf_util_output(fz_context *ctx, fz_buffer *buf)
{
    struct memout *m = fz_malloc_struct(ctx, struct memout);
    fz_output *out = NULL;
    m->buf = fz_keep_buffer(ctx, buf);
    m->pos = buf->len;
    fz_try(ctx) out = fz_new_output(ctx, 0, m, memout_write, NULL, memout_drop);
    fz_catch(ctx)
    {
        memout_drop(ctx, m);
        fz_rethrow(ctx);
    }
    out->seek = memout_seek;
    out->tell = memout_tell;
    out->as_stream = memout_stream;
    out->truncate = memout_truncate;
    return out;
}

result_t pdf_util_to_buf(const fz_buffer *fb, struct buf *out)
{
    buf_init(out, PDF_MAX_BYTES);
    return buf_append(out, fb->data, fb->len);
}

float pdf_util_text_width(fz_context *ctx, fz_font *font, float size, const char *s)
{
    fz_text *t = fz_new_text(ctx);
    fz_rect r = fz_empty_rect;
    fz_try(ctx)
    {
        fz_show_string(ctx, t, font, fz_scale(size, -size), s, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
        r = fz_bound_text(ctx, t, NULL, fz_identity);
    }
    fz_always(ctx) fz_drop_text(ctx, t);
    fz_catch(ctx) fz_rethrow(ctx);
    return fz_is_empty_rect(r) ? 0 : r.x1 - r.x0;
}

float pdf_util_text_advance(fz_context *ctx, fz_font *font, float size, const char *s)
{
    fz_text *t = fz_new_text(ctx);
    fz_matrix end = fz_identity;
    fz_try(ctx) end =
        fz_show_string(ctx, t, font, fz_scale(size, -size), s, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
    fz_always(ctx) fz_drop_text(ctx, t);
    fz_catch(ctx) fz_rethrow(ctx);
    return end.e; /* the pen started at 0 */
}

/* ---- wrapping (pdf_util_wrap) ---- */

static void lines_push(struct pdf_lines *c, int max, const char *s, size_t n)
{
    if (c->n == max)
        return;
    c->line = xrealloc(c->line, (size_t)(c->n + 1) * sizeof(*c->line));
    char *l = xmalloc(n + 1);
    memcpy(l, s, n);
    l[n] = '\0';
    c->line[c->n++] = l;
}

void pdf_lines_free(struct pdf_lines *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->line[i]);
    free(c->line);
    c->line = NULL;
    c->n = 0;
}

static size_t utf8_next(const char *s, size_t i)
{
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

void pdf_util_wrap(fz_context *ctx, fz_font *font, float size, float width, const char *text,
                   int max_lines, struct pdf_lines *out)
{
    char line[PDF_LINE_BYTES];
    size_t len = 0;
    const char *p = text ? text : "";
    while (*p) {
        if (*p == '\n') {
            lines_push(out, max_lines, line, len);
            len = 0;
            p++;
            continue;
        }
        if (*p == ' ' && len == 0) {
            p++;
            continue;
        }
        size_t wl = 0;
        while (p[wl] && p[wl] != ' ' && p[wl] != '\n')
            wl++;
        size_t sep = len ? 1 : 0;
        if (len + sep + wl < sizeof(line)) {
            char trial[PDF_LINE_BYTES];
            memcpy(trial, line, len);
            if (sep)
                trial[len] = ' ';
            memcpy(trial + len + sep, p, wl);
            trial[len + sep + wl] = '\0';
            if (pdf_util_text_advance(ctx, font, size, trial) <= width) {
                memcpy(line, trial, len + sep + wl + 1);
                len += sep + wl;
                p += wl;
                if (*p == ' ')
                    p++;
                continue;
            }
        }
        if (len) { /* the word starts the next line */
            lines_push(out, max_lines, line, len);
            len = 0;
            continue;
        }
        /* A word wider than the cell: as many characters as fit. */
        size_t i = 0, fit = 0;
        while (i < wl) {
            size_t j = utf8_next(p, i);
            if (j > wl || j >= sizeof(line))
                break;
            memcpy(line, p, j);
            line[j] = '\0';
            if (fit && pdf_util_text_advance(ctx, font, size, line) > width)
                break;
            fit = i = j;
        }
        lines_push(out, max_lines, p, fit);
        p += fit;
    }
    if (len || out->n == 0)
        lines_push(out, max_lines, line, len);
    if (out->n == max_lines) { /* mark the cut */
        char *last = out->line[max_lines - 1];
        size_t n = strlen(last);
        last = xrealloc(last, n + 4);
        memcpy(last + n, "…", 4);
        out->line[max_lines - 1] = last;
    }
}
