/* The administration screens and the menu that lists them. Each screen names the
 * policy action its page needs; the menu shows a screen exactly when the policy allows
 * that action, and the page asks the same question, so the two never disagree. */
#ifndef QLVB_WEB_MENU_H
#define QLVB_WEB_MENU_H

#include <jansson.h>

#include "http/http.h"
#include "util/result.h"

enum web_screen {
    SCREEN_AGENCIES,
    SCREEN_DEPARTMENTS,
    SCREEN_POSITIONS,
    SCREEN_USERS,
    SCREEN_KEYS,
    SCREEN_IMAGES,
    SCREEN_TRUST,
    SCREEN_JOBS,
    SCREEN_CALENDAR,
    SCREEN_AUDIT,
    /* document work (pages_doc.c): listed in the "Văn bản" group, not under Quản trị */
    SCREEN_DOCUMENTS,
    SCREEN_DOC_REGISTER,
    SCREEN_DOC_TRACKING,
    SCREEN_REGISTERS, /* pages_registers.c */
    /* outgoing (pages_doc_out.c): the lists, and the draft form */
    SCREEN_OUTGOING,
    SCREEN_DOC_DRAFT,
    /* the review-circuit templates of outgoing documents (pages_circuits.c) */
    SCREEN_CIRCUITS,
    SCREEN_COUNT,
};

/* The policy's answer for opening the screen in the actor's current agency: RES_OK or
 * RES_FORBIDDEN (RES_UNAUTHENTICATED when nobody is signed in). */
result_t web_screen_check(const struct req *r, enum web_screen s);
/* {"<screen>": true, ..., "admin": true if any administration screen}: the screens the
 * menu shows. */
json_t *web_menu(const struct req *r);

#endif
