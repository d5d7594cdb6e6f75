/* Identifier and text validators. */
#include "core/validate.h"

#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "util/str.h"

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool citizen_id_valid(const char *s)
{
    if (!s || strlen(s) != 12 || !all_digits(s, 12))
        return false;
    int province = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    return province >= 1 && province <= 96;
}

bool agency_code_valid(const char *s)
{
    if (!s || strlen(s) != 13)
        return false;
    return all_digits(s, 3) && s[3] == '.' && all_digits(s + 4, 2) && s[6] == '.' &&
           all_digits(s + 7, 2) && s[9] == '.' && s[10] >= 'A' && s[10] <= 'Z' &&
           all_digits(s + 11, 2);
}

bool abbr_valid(const char *s)
{
    if (!s || !*s || text_length(s) > 20 || !text_valid_utf8(s, strlen(s)))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x80 && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                           (*p >= '0' && *p <= '9') || *p == '&'))
            return false;
    return true;
}

bool email_valid(const char *s)
{
    if (!s || strlen(s) > 254)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0')
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',')
            return false;
    return true;
}

bool phone_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0, digits = 0;
    if (n == 0 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!(c == '+' && i == 0) && c != ' ' && c != '.' && c != '-')
            return false;
    }
    return digits >= 9 && digits <= 15;
}

static char *clean(const char *in, const char *field, const char *label, bool required,
                   size_t max_chars, bool lines, struct verrs *errs)
{
    if (!in)
        in = "";
    /* Checked on the input as given: text_nfc refuses C0 controls as invalid text,
     * and the message should name the real reason. */
    enum text_unsafe bad = text_unsafe_char(in);
    char *s = bad == TEXT_SAFE ? text_nfc(in) : NULL;
    if (!s && bad == TEXT_SAFE) {
        verrs_add(errs, field, "Ô “%s” chứa ký tự không hợp lệ (không phải UTF-8).", label);
        return NULL;
    }
    if (s) {
        if (lines)
            text_squeeze_lines(s);
        else
            text_squeeze(s);
        bad = text_unsafe_char(s); /* NFC never adds any, but keep the check local */
    }
    if (bad != TEXT_SAFE) {
        verrs_add(errs, field,
                  bad == TEXT_CONTROL
                      ? "Ô “%s” chứa ký tự điều khiển (không in được), không được chấp nhận."
                      : "Ô “%s” chứa ký tự đổi chiều văn bản (như U+202E), có thể làm tên "
                        "hiển thị sai lệch; không được chấp nhận.",
                  label);
        free(s);
        return NULL;
    }
    if (required && !*s) {
        verrs_add(errs, field, "Vui lòng nhập %s.", label);
        free(s);
        return NULL;
    }
    long n = text_length(s);
    if (n < 0 || (size_t)n > max_chars) {
        char g[STR_GROUP_MAX];
        verrs_add(errs, field, "Ô “%s” không được dài quá %s ký tự.", label,
                  str_group_vn((int64_t)max_chars, g, sizeof(g)));
        free(s);
        return NULL;
    }
    return s;
}

char *field_clean(const char *in, const char *field, const char *label, bool required,
                  size_t max_chars, struct verrs *errs)
{
    return clean(in, field, label, required, max_chars, false, errs);
}

char *field_clean_text(const char *in, const char *field, const char *label, bool required,
                       size_t max_chars, struct verrs *errs)
{
    return clean(in, field, label, required, max_chars, true, errs);
}
