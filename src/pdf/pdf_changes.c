/* Change classification between a signed revision and the current document. MuPDF
 * 1.19's pdf_validate_signature() rejects a new signature widget because the page's
 * /Annots changed, so it cannot answer "were only signatures added"; this file does,
 * object by object. Both revisions are opened as separate documents from the bytes. */
#include "pdf/pdf_changes.h"

#include <string.h>

#include "pdf/pdf_util.h"
#include "util/log.h"

#define MAX_OBJECTS 2000000

static enum pdf_change max_change(enum pdf_change a, enum pdf_change b)
{
    return a > b ? a : b;
}

static pdf_obj *load(fz_context *ctx, pdf_document *doc, int num)
{
    pdf_obj *o = NULL;
    fz_var(o);
    fz_try(ctx) o = pdf_load_object(ctx, doc, num);
    fz_catch(ctx) o = NULL;
    return o;
}

/* Structural equality that ignores dictionary key order (MuPDF may keep one copy
 * sorted and not the other, and pdf_objcmp compares by position). References are
 * equal when they name the same object. */
static int obj_equal(fz_context *ctx, pdf_obj *a, pdf_obj *b, int depth)
{
    if (depth > 64)
        return 0;
    if (pdf_is_indirect(ctx, a) || pdf_is_indirect(ctx, b))
        return pdf_is_indirect(ctx, a) && pdf_is_indirect(ctx, b) &&
               pdf_to_num(ctx, a) == pdf_to_num(ctx, b) && pdf_to_gen(ctx, a) == pdf_to_gen(ctx, b);
    if (pdf_is_dict(ctx, a) && pdf_is_dict(ctx, b)) {
        int n = pdf_dict_len(ctx, a);
        if (n != pdf_dict_len(ctx, b))
            return 0;
        for (int i = 0; i < n; i++) {
            pdf_obj *k = pdf_dict_get_key(ctx, a, i);
            if (!obj_equal(ctx, pdf_dict_get_val(ctx, a, i), pdf_dict_get(ctx, b, k), depth + 1))
                return 0;
        }
        return 1;
    }
    if (pdf_is_array(ctx, a) && pdf_is_array(ctx, b)) {
        int n = pdf_array_len(ctx, a);
        if (n != pdf_array_len(ctx, b))
            return 0;
        for (int i = 0; i < n; i++)
            if (!obj_equal(ctx, pdf_array_get(ctx, a, i), pdf_array_get(ctx, b, i), depth + 1))
                return 0;
        return 1;
    }
    return !pdf_objcmp(ctx, a, b);
}

static int is_sig_widget(fz_context *ctx, pdf_obj *o)
{
    return pdf_name_eq(ctx, pdf_dict_get(ctx, o, PDF_NAME(Subtype)), PDF_NAME(Widget)) &&
           pdf_name_eq(ctx, pdf_dict_get_inheritable(ctx, o, PDF_NAME(FT)), PDF_NAME(Sig));
}

static int is_annot(fz_context *ctx, pdf_obj *o)
{
    return pdf_name_eq(ctx, pdf_dict_get(ctx, o, PDF_NAME(Type)), PDF_NAME(Annot)) ||
           (pdf_dict_get(ctx, o, PDF_NAME(Subtype)) && pdf_dict_get(ctx, o, PDF_NAME(Rect)));
}

/* An entry added to /Annots or /Fields. */
static enum pdf_change classify_added(fz_context *ctx, pdf_obj *o)
{
    if (is_sig_widget(ctx, o) ||
        pdf_name_eq(ctx, pdf_dict_get(ctx, o, PDF_NAME(FT)), PDF_NAME(Sig)))
        return PDF_CHANGE_SIGNATURES;
    if (is_annot(ctx, o))
        return PDF_CHANGE_ANNOTATIONS;
    return PDF_CHANGE_CONTENT;
}

static int array_has(fz_context *ctx, pdf_obj *arr, pdf_obj *item)
{
    int n = pdf_array_len(ctx, arr);
    for (int i = 0; i < n; i++) {
        pdf_obj *x = pdf_array_get(ctx, arr, i);
        if (obj_equal(ctx, x, item, 0))
            return 1;
    }
    return 0;
}

/* New array must keep every old entry; added entries are classified. */
static enum pdf_change compare_list(fz_context *ctx, pdf_obj *old, pdf_obj *cur)
{
    enum pdf_change c = PDF_CHANGE_NONE;
    int n = pdf_array_len(ctx, old), m = pdf_array_len(ctx, cur);
    if (obj_equal(ctx, old, cur, 0))
        return PDF_CHANGE_NONE;
    for (int i = 0; i < n; i++)
        if (!array_has(ctx, cur, pdf_array_get(ctx, old, i)))
            return PDF_CHANGE_CONTENT;
    for (int i = 0; i < m; i++) {
        pdf_obj *x = pdf_array_get(ctx, cur, i);
        if (!array_has(ctx, old, x))
            c = max_change(c, classify_added(ctx, x));
    }
    return c;
}

/* Keys outside `free_keys` must be equal; `list_keys` may grow as lists. */
static enum pdf_change compare_dict(fz_context *ctx, pdf_obj *old, pdf_obj *cur,
                                    pdf_obj **list_keys, pdf_obj **free_keys)
{
    enum pdf_change c = PDF_CHANGE_NONE;
    for (int pass = 0; pass < 2; pass++) {
        pdf_obj *d = pass ? old : cur;
        int n = pdf_dict_len(ctx, d);
        for (int i = 0; i < n; i++) {
            pdf_obj *key = pdf_dict_get_key(ctx, d, i);
            pdf_obj *a = pdf_dict_get(ctx, old, key), *b = pdf_dict_get(ctx, cur, key);
            int listed = 0, freed = 0;
            for (int k = 0; list_keys && list_keys[k]; k++)
                listed |= pdf_name_eq(ctx, key, list_keys[k]);
            for (int k = 0; free_keys && free_keys[k]; k++)
                freed |= pdf_name_eq(ctx, key, free_keys[k]);
            if (freed || (pass && b))
                continue;
            if (listed)
                c = max_change(c, compare_list(ctx, pdf_resolve_indirect(ctx, a),
                                               pdf_resolve_indirect(ctx, b)));
            else if (!obj_equal(ctx, a, b, 0))
                return PDF_CHANGE_CONTENT;
        }
    }
    return c;
}

static int same_stream(fz_context *ctx, pdf_document *a, pdf_document *b, int num)
{
    fz_buffer *x = NULL, *y = NULL;
    int same = 0;
    fz_var(x);
    fz_var(y);
    fz_var(same);
    fz_try(ctx)
    {
        x = pdf_load_raw_stream_number(ctx, a, num);
        y = pdf_load_raw_stream_number(ctx, b, num);
        same = x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
    }
    fz_always(ctx)
    {
        fz_drop_buffer(ctx, x);
        fz_drop_buffer(ctx, y);
    }
    fz_catch(ctx) same = 0;
    return same;
}

static enum pdf_change classify_changed(fz_context *ctx, pdf_document *olddoc, int num, pdf_obj *a,
                                        pdf_obj *b)
{
    pdf_obj *root_free[] = {PDF_NAME(AcroForm), PDF_NAME(Metadata), NULL};
    pdf_obj *form_list[] = {PDF_NAME(Fields), NULL};
    pdf_obj *form_free[] = {PDF_NAME(SigFlags), PDF_NAME(DR), PDF_NAME(DA), NULL};
    pdf_obj *page_list[] = {PDF_NAME(Annots), NULL};
    pdf_obj *type = pdf_dict_get(ctx, b, PDF_NAME(Type));
    int root = pdf_to_num(ctx, pdf_dict_get(ctx, pdf_trailer(ctx, olddoc), PDF_NAME(Root)));
    int form = pdf_to_num(ctx, pdf_dict_getp(ctx, pdf_trailer(ctx, olddoc), "Root/AcroForm"));
    int info = pdf_to_num(ctx, pdf_dict_get(ctx, pdf_trailer(ctx, olddoc), PDF_NAME(Info)));

    if (pdf_is_array(ctx, a) && pdf_is_array(ctx, b))
        return compare_list(ctx, a, b); /* an indirect /Annots or /Fields array */
    if (!pdf_is_dict(ctx, a) || !pdf_is_dict(ctx, b))
        return PDF_CHANGE_CONTENT;
    if (num == info || pdf_name_eq(ctx, type, PDF_NAME(XRef)) ||
        pdf_name_eq(ctx, type, PDF_NAME(ObjStm)) || pdf_name_eq(ctx, type, PDF_NAME(Metadata)))
        return PDF_CHANGE_NONE;
    if (num == root) {
        enum pdf_change c = compare_dict(ctx, a, b, NULL, root_free);
        pdf_obj *fa = pdf_dict_get(ctx, a, PDF_NAME(AcroForm));
        pdf_obj *fb = pdf_dict_get(ctx, b, PDF_NAME(AcroForm));
        if (!pdf_is_indirect(ctx, fa) || pdf_to_num(ctx, fa) != pdf_to_num(ctx, fb))
            c = max_change(c, compare_dict(ctx, pdf_resolve_indirect(ctx, fa),
                                           pdf_resolve_indirect(ctx, fb), form_list, form_free));
        return c;
    }
    if (num == form)
        return compare_dict(ctx, a, b, form_list, form_free);
    if (pdf_name_eq(ctx, type, PDF_NAME(Page)))
        return compare_dict(ctx, a, b, page_list, NULL);
    if (is_sig_widget(ctx, b) ||
        pdf_name_eq(ctx, pdf_dict_get(ctx, b, PDF_NAME(FT)), PDF_NAME(Sig)))
        return pdf_dict_get(ctx, a, PDF_NAME(V)) ? PDF_CHANGE_CONTENT : PDF_CHANGE_SIGNATURES;
    if (is_annot(ctx, a))
        return PDF_CHANGE_ANNOTATIONS;
    return PDF_CHANGE_CONTENT;
}

static enum pdf_change compare_object(fz_context *ctx, pdf_document *old, pdf_document *doc,
                                      int num)
{
    enum pdf_change c = PDF_CHANGE_NONE;
    pdf_obj *a = NULL, *b = NULL;
    fz_var(a);
    fz_var(b);
    fz_var(c);
    fz_try(ctx)
    {
        a = load(ctx, old, num);
        b = load(ctx, doc, num);
        if (pdf_is_null(ctx, a))
            c = PDF_CHANGE_NONE; /* free, or a reused number: judged where referenced */
        else if (pdf_is_null(ctx, b))
            c = PDF_CHANGE_CONTENT; /* deleted */
        else if (!obj_equal(ctx, a, b, 0) ||
                 (pdf_obj_num_is_stream(ctx, old, num) && !same_stream(ctx, old, doc, num)))
            c = classify_changed(ctx, old, num, a, b);
    }
    fz_always(ctx)
    {
        pdf_drop_obj(ctx, a);
        pdf_drop_obj(ctx, b);
    }
    fz_catch(ctx) c = PDF_CHANGE_CONTENT;
    if (c != PDF_CHANGE_NONE)
        log_debug("pdf changes: object %d: %s", num, pdf_change_name(c));
    return c;
}

enum pdf_change pdf_changes_since(fz_context *ctx, pdf_document *doc, const unsigned char *data,
                                  size_t end)
{
    pdf_document *old = NULL;
    enum pdf_change c = PDF_CHANGE_NONE;

    fz_var(old);
    fz_var(c);
    fz_try(ctx)
    {
        old = pdf_util_open(ctx, data, end);
        int n = pdf_xref_len(ctx, old);
        pdf_obj *ra = pdf_dict_get(ctx, pdf_trailer(ctx, old), PDF_NAME(Root));
        pdf_obj *rb = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root));
        if (pdf_was_repaired(ctx, old) || pdf_was_repaired(ctx, doc) || n > MAX_OBJECTS ||
            pdf_to_num(ctx, ra) != pdf_to_num(ctx, rb) || pdf_xref_len(ctx, doc) < n)
            c = PDF_CHANGE_CONTENT;
        for (int num = 1; num < n && c != PDF_CHANGE_CONTENT; num++)
            c = max_change(c, compare_object(ctx, old, doc, num));
    }
    fz_always(ctx) pdf_drop_document(ctx, old);
    fz_catch(ctx) c = PDF_CHANGE_CONTENT;
    return c;
}

const char *pdf_change_name(enum pdf_change c)
{
    switch (c) {
    case PDF_CHANGE_NONE:
        return "none";
    case PDF_CHANGE_SIGNATURES:
        return "signatures";
    case PDF_CHANGE_ANNOTATIONS:
        return "annotations";
    case PDF_CHANGE_CONTENT:
        break;
    }
    return "content";
}
