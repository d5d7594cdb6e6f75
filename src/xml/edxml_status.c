/* Business status codes of status packages (standards.md §10, QCVN102): wire form and
 * the Vietnamese wording shown to clerks. */
#include <string.h>

#include "xml/edxml.h"

struct status_row {
    enum edxml_status_code code;
    const char *wire;
    const char *label;
};

static const struct status_row rows[] = {
    {EDXML_STATUS_ARRIVED, "01", "Đã đến"},
    {EDXML_STATUS_REFUSED, "02", "Từ chối tiếp nhận"},
    {EDXML_STATUS_ACCEPTED, "03", "Đã tiếp nhận, vào sổ văn bản đến"},
    {EDXML_STATUS_ASSIGNED, "04", "Đã phân công xử lý"},
    {EDXML_STATUS_IN_PROGRESS, "05", "Đang xử lý"},
    {EDXML_STATUS_COMPLETED, "06", "Hoàn thành xử lý"},
    {EDXML_STATUS_TAKE_BACK, "13", "Bên gửi yêu cầu lấy lại văn bản"},
    {EDXML_STATUS_CHANGE_AGREED, "15", "Bên nhận đồng ý cập nhật, lấy lại"},
    {EDXML_STATUS_CHANGE_REFUSED, "16", "Bên nhận từ chối cập nhật, lấy lại"},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

const enum edxml_status_code edxml_status_all[] = {
    EDXML_STATUS_ARRIVED,   EDXML_STATUS_REFUSED,       EDXML_STATUS_ACCEPTED,
    EDXML_STATUS_ASSIGNED,  EDXML_STATUS_IN_PROGRESS,   EDXML_STATUS_COMPLETED,
    EDXML_STATUS_TAKE_BACK, EDXML_STATUS_CHANGE_AGREED, EDXML_STATUS_CHANGE_REFUSED,
};
const size_t edxml_status_count = NROWS;

enum edxml_status_code edxml_status_from_wire(const char *s)
{
    if (!s)
        return EDXML_STATUS_NONE;
    for (size_t i = 0; i < NROWS; i++)
        if (!strcmp(s, rows[i].wire))
            return rows[i].code;
    return EDXML_STATUS_NONE;
}

const char *edxml_status_wire(enum edxml_status_code c)
{
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].code == c)
            return rows[i].wire;
    return NULL;
}

const char *edxml_status_label(enum edxml_status_code c)
{
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].code == c)
            return rows[i].label;
    return NULL;
}
