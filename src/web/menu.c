/* The administration menu asks the one policy (core/authz.c): a screen is listed when
 * the actor may do the action its page needs, in the agency they work in now. */
#include "web/menu.h"

#include "core/authz.h"

/* The action is the one the screen's page needs: pages whose core call asks for less
 * (a list any member may read) call web_screen_check() first; the others (users, keys,
 * images, audit) are gated by their core call with exactly this action. */
static const struct screen {
    const char *key; /* template key menu.<key> */
    enum authz_action action;
    bool work;   /* document work, not administration */
    bool agency; /* works on the actor's current agency only (the core reads a->agency_id) */
} screens[SCREEN_COUNT] = {
    [SCREEN_AGENCIES] = {"agencies", AZ_AGENCY_MANAGE},    /* agency_list reads only */
    [SCREEN_DEPARTMENTS] = {"departments", AZ_ORG_MANAGE}, /* department_list reads only */
    [SCREEN_POSITIONS] = {"positions", AZ_ORG_MANAGE},     /* position_list reads only */
    [SCREEN_USERS] = {"users", AZ_USER_READ},              /* user_list */
    [SCREEN_KEYS] = {"keys", AZ_SIGNING_MANAGE},           /* signing_key_list */
    [SCREEN_IMAGES] = {"images", AZ_SIGNING_MANAGE},       /* sigimage_list */
    [SCREEN_TRUST] = {"trust", AZ_TRUST_MANAGE},           /* trust_list reads only */
    [SCREEN_JOBS] = {"jobs", AZ_JOBS_MANAGE},              /* job_admin_overview */
    [SCREEN_CALENDAR] = {"calendar", AZ_CALENDAR_MANAGE},  /* calendar_year_json reads only */
    [SCREEN_AUDIT] = {"audit", AZ_AUDIT_READ},             /* audit_search */
    /* documents: doc_list asks AZ_ORG_READ (members), doc_register_incoming AZ_DOC_REGISTER,
     * doc_tracking AZ_DOC_TRACK */
    [SCREEN_DOCUMENTS] = {"documents", AZ_ORG_READ, true},
    [SCREEN_DOC_REGISTER] = {"doc_register", AZ_DOC_REGISTER, true},
    [SCREEN_DOC_TRACKING] = {"doc_tracking", AZ_DOC_TRACK, true}, /* doc_tracking */
    [SCREEN_REGISTERS] = {"registers", AZ_REGISTER_READ, true},   /* doc_registers_list reads */
    /* outgoing: doc_list (direction outgoing) asks AZ_ORG_READ, doc_outgoing_create and
     * doc_draft_candidates AZ_DOC_DRAFT */
    [SCREEN_OUTGOING] = {"outgoing", AZ_ORG_READ, true},
    [SCREEN_DOC_DRAFT] = {"doc_draft", AZ_DOC_DRAFT, true},
    /* doc_circuit_set asks AZ_ORG_MANAGE on the actor's agency (doc_circuit_list reads) */
    [SCREEN_CIRCUITS] = {"circuits", AZ_ORG_MANAGE, false, true},
};

result_t web_screen_check(const struct req *r, enum web_screen s)
{
    if ((unsigned)s >= SCREEN_COUNT)
        return RES_FORBIDDEN;
    if (screens[s].agency && !r->actor.agency_id)
        return RES_FORBIDDEN;
    return authz_check(&r->actor, screens[s].action, r->actor.agency_id);
}

json_t *web_menu(const struct req *r)
{
    json_t *menu = json_object();
    bool any = false;
    for (int s = 0; s < SCREEN_COUNT; s++) {
        if (web_screen_check(r, (enum web_screen)s) != RES_OK)
            continue;
        json_object_set_new(menu, screens[s].key, json_true());
        any |= !screens[s].work;
    }
    json_object_set_new(menu, "admin", json_boolean(any));
    return menu;
}
