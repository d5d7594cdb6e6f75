/* Field formats of edXML (standards.md §1 and §10): agency codes, dates, timestamps
 * and the DocumentId of the wire. Pure functions, no allocation. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "xml/edxml.h"

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool edxml_agency_code_valid(const char *s)
{
    /* AAA.BB.CC.XNN: 3 digits, 2 digits, 2 digits, a letter and 2 digits. */
    if (!s || strlen(s) != 13)
        return false;
    return digits(s, 3) && s[3] == '.' && digits(s + 4, 2) && s[6] == '.' && digits(s + 7, 2) &&
           s[9] == '.' && isupper((unsigned char)s[10]) && digits(s + 11, 2);
}

static bool date_at(const char *s)
{
    if (!digits(s, 4) || s[4] != '/' || !digits(s + 5, 2) || s[7] != '/' || !digits(s + 8, 2))
        return false;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

bool edxml_date_valid(const char *s)
{
    return s && strlen(s) == 10 && date_at(s);
}

bool edxml_timestamp_valid(const char *s)
{
    if (!s || strlen(s) != 19 || !date_at(s) || s[10] != ' ')
        return false;
    const char *t = s + 11;
    if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2))
        return false;
    return num(t, 2) < 24 && num(t + 3, 2) < 60 && num(t + 6, 2) < 60;
}

bool edxml_document_id_valid(const char *s, char *why, size_t whysize)
{
    const char *c1 = s ? strchr(s, ',') : NULL;
    const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c1 || !c2) {
        snprintf(why, whysize, "không đúng dạng <mã cơ quan>,<yyyy/MM/dd>,<số>/<ký hiệu>");
        return false;
    }
    char code[32];
    size_t n = (size_t)(c1 - s);
    if (n >= sizeof(code) || (memcpy(code, s, n), code[n] = '\0', !edxml_agency_code_valid(code))) {
        snprintf(why, whysize, "mã cơ quan ban hành không đúng dạng AAA.BB.CC.XNN");
        return false;
    }
    if (c2 - c1 - 1 != 10 || !date_at(c1 + 1)) {
        snprintf(why, whysize, "ngày ban hành không phải ngày hợp lệ dạng yyyy/MM/dd");
        return false;
    }
    const char *rest = c2 + 1, *slash = strchr(rest, '/');
    if (!slash || slash == rest || !slash[1]) {
        snprintf(why, whysize, "thiếu <số>/<ký hiệu> sau ngày ban hành");
        return false;
    }
    for (const char *p = rest; *p; p++)
        if (*p == ' ' || *p == ',') {
            snprintf(why, whysize, "số và ký hiệu không được chứa dấu cách hoặc dấu phẩy");
            return false;
        }
    return true;
}
