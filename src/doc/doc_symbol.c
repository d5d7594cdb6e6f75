/* How an issued document is referred to (standards.md §2, ND30 Điều 15 and Phụ lục I):
 * the number with its leading zero, the symbol built from the type and the issuing
 * agency (or, for a công văn, the agency and the drafting unit), and the reference
 * "number/symbol" — with the year between them for legal normative documents. The
 * outgoing issue numbers and stamps with these; search and edXML read references back
 * with doc_reference_parse. */
#include <stdio.h>
#include <string.h>

#include "doc/doc.h"
#include "util/str.h"

result_t doc_number_format(int64_t n, char *out, size_t size)
{
    /* §2: numbers below 10 are written with a leading zero ("07"). */
    if (n < 1 || n > DOC_NUMBER_MAX)
        return RES_INVALID;
    int w = snprintf(out, size, "%02lld", (long long)n);
    return w > 0 && (size_t)w < size ? RES_OK : RES_TOO_LARGE;
}

/* An abbreviation of an agency or a unit: one symbol group, no '-' inside. */
static bool abbr_ok(const char *s)
{
    return s && *s && !strchr(s, '-') && doc_symbol_valid(s);
}

result_t doc_symbol_compose(const char *type_key, const char *issuer_abbr, const char *unit_abbr,
                            char *out, size_t size)
{
    const struct doc_type *t = doc_type_find(type_key);
    if (!t || !abbr_ok(issuer_abbr))
        return RES_INVALID;
    int w;
    if (*t->abbr) {
        /* "<type>-<agency>": 12/QĐ-UBND. The unit is not part of it. */
        w = snprintf(out, size, "%s-%s", t->abbr, issuer_abbr);
    } else {
        /* Công văn and thư công have no type abbreviation: "<agency>-<unit or field>",
         * 123/UBND-VP. The unit is required: it tells who answers. */
        if (!abbr_ok(unit_abbr))
            return RES_INVALID;
        w = snprintf(out, size, "%s-%s", issuer_abbr, unit_abbr);
    }
    if (w < 0 || (size_t)w >= size)
        return RES_TOO_LARGE;
    return doc_symbol_valid(out) ? RES_OK : RES_INVALID;
}

result_t doc_reference_format(int64_t number, int year, const char *symbol, bool normative,
                              char *out, size_t size)
{
    char num[24];
    result_t r = doc_number_format(number, num, sizeof(num));
    if (r != RES_OK)
        return r;
    if (!doc_symbol_valid(symbol) || (normative && (year < 1900 || year > 2100)))
        return RES_INVALID;
    /* A legal normative document carries its year: 12/2025/QĐ-UBND (Luật Ban hành văn
     * bản quy phạm pháp luật: "số thứ tự, năm ban hành và ký hiệu"). */
    int w = normative ? snprintf(out, size, "%s/%d/%s", num, year, symbol)
                      : snprintf(out, size, "%s/%s", num, symbol);
    return w > 0 && (size_t)w < size ? RES_OK : RES_TOO_LARGE;
}

result_t doc_reference_parse(const char *s, struct doc_reference *ref)
{
    memset(ref, 0, sizeof(*ref));
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!slash || (size_t)(slash - s) >= sizeof(ref->number))
        return RES_INVALID;
    memcpy(ref->number, s, (size_t)(slash - s));
    ref->number[slash - s] = '\0';
    if (!doc_number_valid(ref->number))
        return RES_INVALID;
    const char *rest = slash + 1;
    const char *second = strchr(rest, '/');
    if (second) {
        /* number/year/symbol: exactly four digits of a plausible year */
        char y[8];
        if (second - rest != 4)
            return RES_INVALID;
        memcpy(y, rest, 4);
        y[4] = '\0';
        int64_t year;
        if (str_to_i64(y, 1900, 2100, &year) != RES_OK)
            return RES_INVALID;
        ref->year = (int)year;
        rest = second + 1;
    }
    if (strlen(rest) >= sizeof(ref->symbol) || !doc_symbol_valid(rest))
        return RES_INVALID;
    str_copy(ref->symbol, rest, sizeof(ref->symbol));
    return RES_OK;
}
