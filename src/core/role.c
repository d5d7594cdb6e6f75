/* Role names and labels. */
#include "core/role.h"

#include <string.h>

#include "util/str.h"

const struct role_info role_table[] = {
    {ROLE_ADMIN, "admin", "Quản trị"},
    {ROLE_CLERK, "clerk", "Văn thư"},
    {ROLE_AGENCY_LEADER, "agency_leader", "Lãnh đạo cơ quan"},
    {ROLE_DEPARTMENT_LEADER, "department_leader", "Lãnh đạo phòng"},
    {ROLE_SPECIALIST, "specialist", "Chuyên viên"},
};
const size_t role_count = sizeof(role_table) / sizeof(role_table[0]);

unsigned role_from_key(const char *key)
{
    for (size_t i = 0; i < role_count; i++)
        if (strcmp(role_table[i].key, key) == 0)
            return role_table[i].bit;
    return 0;
}

void role_label(unsigned roles, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < role_count; i++) {
        if (!(roles & role_table[i].bit))
            continue;
        if (len)
            len += str_copy(out + len, ", ", len < n ? n - len : 0);
        if (len < n)
            len += str_copy(out + len, role_table[i].label, n - len);
    }
}
