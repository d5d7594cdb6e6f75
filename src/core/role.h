/* Roles a membership carries (standards.md §12, glossary): a bit set stored in
 * membership.roles. The system administrator is a flag on the user, not a role. */
#ifndef QLVB_ROLE_H
#define QLVB_ROLE_H

#include <stddef.h>

enum role {
    ROLE_ADMIN = 1 << 0,             /* quản trị (of an agency) */
    ROLE_CLERK = 1 << 1,             /* văn thư */
    ROLE_AGENCY_LEADER = 1 << 2,     /* lãnh đạo cơ quan */
    ROLE_DEPARTMENT_LEADER = 1 << 3, /* lãnh đạo phòng */
    ROLE_SPECIALIST = 1 << 4,        /* chuyên viên */
};
#define ROLE_ALL 0x1f

struct role_info {
    enum role bit;
    const char *key;   /* API and form value */
    const char *label; /* Vietnamese */
};

extern const struct role_info role_table[];
extern const size_t role_count;

/* Parses a key ("clerk"); 0 if unknown. */
unsigned role_from_key(const char *key);
/* "Văn thư, Chuyên viên" into out. */
void role_label(unsigned roles, char *out, size_t n);

#endif
