/* The catalogues documents are described with: the §2 types and abbreviations, the §3
 * urgency and secrecy levels, and the §2 rules for how a number and a symbol are
 * written. Keys are stable ASCII (API and database); labels are Vietnamese. */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "text/text.h"

const struct doc_type doc_types[] = {
    {"nghi_quyet", "NQ", "Nghị quyết"},
    {"quyet_dinh", "QĐ", "Quyết định"},
    {"chi_thi", "CT", "Chỉ thị"},
    {"quy_che", "QC", "Quy chế"},
    {"quy_dinh", "QyĐ", "Quy định"},
    {"thong_cao", "TC", "Thông cáo"},
    {"thong_bao", "TB", "Thông báo"},
    {"huong_dan", "HD", "Hướng dẫn"},
    {"chuong_trinh", "CTr", "Chương trình"},
    {"ke_hoach", "KH", "Kế hoạch"},
    {"phuong_an", "PA", "Phương án"},
    {"de_an", "ĐA", "Đề án"},
    {"du_an", "DA", "Dự án"},
    {"bao_cao", "BC", "Báo cáo"},
    {"bien_ban", "BB", "Biên bản"},
    {"to_trinh", "TTr", "Tờ trình"},
    {"hop_dong", "HĐ", "Hợp đồng"},
    {"cong_dien", "CĐ", "Công điện"},
    {"ban_ghi_nho", "BGN", "Bản ghi nhớ"},
    {"ban_thoa_thuan", "BTT", "Bản thỏa thuận"},
    {"giay_uy_quyen", "GUQ", "Giấy ủy quyền"},
    {"giay_moi", "GM", "Giấy mời"},
    {"giay_gioi_thieu", "GGT", "Giấy giới thiệu"},
    {"giay_nghi_phep", "GNP", "Giấy nghỉ phép"},
    {"phieu_gui", "PG", "Phiếu gửi"},
    {"phieu_chuyen", "PC", "Phiếu chuyển"},
    {"phieu_bao", "PB", "Phiếu báo"},
    {"cong_van", "", "Công văn"},
    {"thu_cong", "", "Thư công"},
    {"ban_sao_y", "SY", "Bản sao y"},
    {"ban_trich_sao", "TrS", "Bản trích sao"},
    {"ban_sao_luc", "SL", "Bản sao lục"},
};
const size_t doc_type_count = sizeof(doc_types) / sizeof(doc_types[0]);

const struct doc_type *doc_type_find(const char *key)
{
    for (size_t i = 0; key && i < doc_type_count; i++)
        if (strcmp(doc_types[i].key, key) == 0)
            return &doc_types[i];
    return NULL;
}

const char *const doc_urgency_keys[5] = {"thuong", "khan", "thuong_khan", "hoa_toc",
                                         "hoa_toc_hen_gio"};
const char *const doc_urgency_labels[5] = {"Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc",
                                           "Hỏa tốc hẹn giờ"};
const char *const doc_secrecy_labels[4] = {"Thường", "Mật", "Tối mật", "Tuyệt mật"};

/* "Thượng khẩn" → "thuong_khan": folded, spaces and hyphens as underscores. */
static char *key_of(const char *s)
{
    char *f = text_fold(s);
    if (!f)
        return NULL;
    text_squeeze(f);
    for (char *p = f; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '_';
    return f;
}

static int index_of(const char *s, const char *const *keys, int n)
{
    char *k = key_of(s);
    int found = -1;
    for (int i = 0; k && i < n; i++)
        if (strcmp(k, keys[i]) == 0)
            found = i;
    free(k);
    return found;
}

int doc_urgency_parse(const char *s)
{
    if (!s || !*s)
        return 0;
    return index_of(s, doc_urgency_keys, 5);
}

int doc_secrecy_parse(const char *s)
{
    static const char *const keys[4] = {"thuong", "mat", "toi_mat", "tuyet_mat"};
    if (!s || !*s)
        return 0;
    return index_of(s, keys, 4);
}

bool doc_number_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 7)
        return false;
    bool nonzero = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        nonzero |= s[i] != '0';
    }
    return nonzero;
}

/* One byte of a symbol group: ASCII letters and digits, '&', '.', or any byte of a
 * multi-byte UTF-8 character (the caller has checked the text; Vietnamese letters such
 * as Đ are multi-byte, punctuation of other scripts is not expected here). */
static bool group_byte(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '&' ||
           c == '.' || c >= 0x80;
}

bool doc_symbol_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    long chars = n ? text_length(s) : -1;
    if (chars < 1 || chars > 50)
        return false;
    /* No-break space and the General Punctuation block (en dash, em dash, thin
     * spaces): look-alikes of '-' and ' ' pasted from word processors. */
    if (strstr(s, "\xC2\xA0") || strstr(s, "\xE2\x80") || strstr(s, "\xE2\x81"))
        return false;
    size_t group = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '-') {
            if (!group || s[i - 1] == '.')
                return false; /* empty group, "--", leading '-' or a group ending in '.' */
            group = 0;
            continue;
        }
        if (!group_byte(c) || (c == '.' && !group))
            return false;
        group++;
    }
    return group > 0 && s[n - 1] != '.';
}

const char *doc_cut(char *out, size_t outsize, const char *s, size_t max)
{
    static const char ellipsis[] = "…";
    size_t n = s ? strlen(s) : 0;
    if (max + sizeof(ellipsis) > outsize + 1)
        max = outsize > sizeof(ellipsis) ? outsize - sizeof(ellipsis) : 0;
    size_t cut = s ? text_cut(s, n, max) : 0;
    memcpy(out, s ? s : "", cut);
    if (cut < n && cut + sizeof(ellipsis) <= outsize) {
        memcpy(out + cut, ellipsis, sizeof(ellipsis));
    } else {
        out[cut] = '\0';
    }
    return out;
}
