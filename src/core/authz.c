/* The authorization rules. Kept as small tables of cases so a reader can audit the
 * whole policy at a glance: first who may know an object exists (visible), then who
 * may do what with it (allowed). Sections refer to shared/design/standards.md. */
#include "core/authz.h"

#include "core/role.h"

/* Working in `agency_id` now: the session's chosen post is there. */
static bool in_agency(const struct actor *a, int64_t agency_id)
{
    return a->membership_id && agency_id && a->agency_id == agency_id;
}

static bool has_role(const struct actor *a, int64_t agency_id, unsigned roles)
{
    return in_agency(a, agency_id) && (a->roles & roles);
}

/* Does the participant stand for the actor? A person by their id; a unit through its
 * leaders, and for information through every member (the unit is informed). */
static bool stands_for(const struct actor *a, const struct authz_participant *p)
{
    if (p->user_id)
        return p->user_id == a->user_id;
    if (!p->department_id || a->department_id != p->department_id)
        return false;
    return p->role == PART_FOR_INFO || (a->roles & ROLE_DEPARTMENT_LEADER);
}

#define P(role) (1u << (role))
#define P_ANY   ((1u << PART_ROLE_COUNT) - 1)

/* The roles the actor holds on a document as P() bits; only those of the current step
 * when `current`, only those held through a unit when `via_unit`. */
static unsigned doc_roles(const struct actor *a, const struct authz_object *o, bool current,
                          bool via_unit)
{
    unsigned bits = 0;
    if (!in_agency(a, o->agency_id))
        return 0; /* a post in another agency gives nothing here */
    for (size_t i = 0; i < o->nparts && o->parts; i++) {
        const struct authz_participant *p = &o->parts[i];
        if ((unsigned)p->role >= PART_ROLE_COUNT || (current && !p->current_step) ||
            (via_unit && p->user_id) || !stands_for(a, p))
            continue;
        bits |= P(p->role);
    }
    return bits;
}

/* Document actions. An actor may when they hold one of `parts` on the document (at the
 * step in progress when `current_step`), or lead/co-handle it through a unit listed
 * in `unit_parts`, or hold one of `member_roles` in the document's agency. */
static const struct doc_rule {
    enum authz_action action;
    unsigned parts;
    bool current_step;
    unsigned unit_parts;
    unsigned member_roles;
} doc_rules[] = {
    /* §5 "the system stores recipients ... for every step", §6, §14 "no documents to
     * people without an account": whoever it went to, at any step, the clerks who
     * keep the registers, and the agency's leaders, who direct all of it (§5; issue 11
     * "an agency leader sees all of the agency's incoming documents"). */
    {AZ_DOC_READ, P_ANY, false, 0, ROLE_CLERK | ROLE_AGENCY_LEADER},
    /* §5 the lead unit or person (chủ trì) processes, reports and completes; §7 the
     * handler answers a task with a reply document. */
    {AZ_DOC_PROCESS, P(PART_LEAD), true, 0, 0},
    /* §5 co-operating ones (phối hợp) give their opinion to the lead. */
    {AZ_DOC_COMMENT, P(PART_LEAD) | P(PART_CO_HANDLER), true, 0, 0},
    /* §5 the leader's direction names the lead, the co-operating ones and the
     * deadline; the leader of a unit so named assigns it on inside the unit. */
    {AZ_DOC_DIRECT, P(PART_LEADER), true, P(PART_LEAD) | P(PART_CO_HANDLER), 0},
    /* §6 review by the drafting unit's head and the office, the signer approves;
     * §7 the tracker approves a task's reply ("not approved means redo"). */
    {AZ_DOC_APPROVE, P(PART_REVIEWER) | P(PART_SIGNER), true, 0, 0},
    /* §6 the draft is changed by its drafter while it is with them. */
    {AZ_DOC_EDIT, P(PART_DRAFTER), true, 0, 0},
    /* §5 receive and register, §6 number, register and issue: văn thư. */
    {AZ_DOC_REGISTER, 0, false, 0, ROLE_CLERK},
    /* §5 "register → present to the leader and transfer, at the latest the next working
     * day": văn thư presents what it registered (ND30 Điều 24.1). Its own action, not
     * AZ_DOC_REGISTER: an agency may let its office present without registering. */
    {AZ_DOC_PRESENT, 0, false, 0, ROLE_CLERK},
    /* §5 the direction is the leader's: the leader it was presented to (at any step:
     * the assignment in force is theirs) takes it back or changes it. */
    {AZ_DOC_WITHDRAW, P(PART_LEADER), false, 0, 0},
    /* §6 the competent person signs what they approved: the document's signer, while
     * the signing is their step. */
    {AZ_DOC_SIGN, P(PART_SIGNER), true, 0, 0},
    /* Khánh Hòa Điều 9 (issue 12 "Drafts for public comment"): the drafter puts the draft
     * out for comment and closes it; the agency's leaders, who answer for it, too. */
    {AZ_DOC_CONSULT, P(PART_DRAFTER), false, 0, ROLE_AGENCY_LEADER},
    /* The comments are for whoever shapes the draft: drafter, reviewers, signer (§6), and
     * the agency's leaders. Clerks see the document, not the public's comments. */
    {AZ_DOC_CONSULT_READ, P(PART_DRAFTER) | P(PART_REVIEWER) | P(PART_SIGNER), false, 0,
     ROLE_AGENCY_LEADER},
};

static const struct doc_rule *doc_rule_of(enum authz_action action)
{
    for (size_t i = 0; i < sizeof(doc_rules) / sizeof(doc_rules[0]); i++)
        if (doc_rules[i].action == action)
            return &doc_rules[i];
    return NULL;
}

/* Who may know that the object exists. Hidden objects answer 404, never 403. */
static bool visible(const struct actor *a, const struct authz_object *o)
{
    switch (o->kind) {
    case AZ_OBJ_AGENCY:
        return true; /* the directory of agencies is public to signed-in users */
    case AZ_OBJ_RECORD:
        return a->sysadmin || in_agency(a, o->agency_id);
    case AZ_OBJ_ACCOUNT:
        /* §12: colleagues know each other; an account is known where it holds a post */
        if (a->sysadmin || a->user_id == o->owner_user_id || in_agency(a, o->agency_id))
            return true;
        for (size_t i = 0; i < o->nagencies && o->agencies; i++)
            if (in_agency(a, o->agencies[i]))
                return true;
        return false;
    case AZ_OBJ_SIGNING:
        /* §6: a person's key and signature are theirs; the agency's key and seal are
         * kept by the clerks; the administrators keep them all. */
        return a->sysadmin || has_role(a, o->agency_id, ROLE_ADMIN) ||
               (in_agency(a, o->agency_id) &&
                (o->owner_user_id ? o->owner_user_id == a->user_id : (a->roles & ROLE_CLERK) != 0));
    case AZ_OBJ_DOCUMENT:
        /* No reach for system administrators: they run the installation, not its
         * correspondence. */
        return doc_roles(a, o, false, false) ||
               has_role(a, o->agency_id, ROLE_CLERK | ROLE_AGENCY_LEADER);
    case AZ_OBJ_NOTIFY:
        /* A notification is its recipient's alone (not even an administrator's), seen
         * while they work in its agency. */
        return o->owner_user_id == a->user_id && in_agency(a, o->agency_id);
    case AZ_OBJ_PUBLIC:
        return true; /* published: that is what it is for */
    }
    return false;
}

static bool allowed(const struct actor *a, enum authz_action action, const struct authz_object *o)
{
    int64_t agency_id = o->agency_id;
    switch (action) {
    case AZ_AGENCY_READ:
    case AZ_SIGN_VERIFY:
    case AZ_TRUST_READ:
    case AZ_CALENDAR_READ:
        return true;
    case AZ_AGENCY_MANAGE:
    case AZ_ANY_AGENCY:
    case AZ_TRUST_MANAGE:
    case AZ_JOBS_MANAGE:
    case AZ_CALENDAR_MANAGE:
        return a->sysadmin;
    case AZ_ORG_READ:
        return a->sysadmin || in_agency(a, agency_id);
    case AZ_ORG_MANAGE:
    case AZ_USER_READ:
    case AZ_USER_MANAGE:
    case AZ_ACCOUNT_MANAGE: /* §12 a lost password is reset by the agency administrator */
    case AZ_SIGNING_MANAGE:
        return a->sysadmin || has_role(a, agency_id, ROLE_ADMIN);
    case AZ_REGISTER_MANAGE: /* §9 the registers are kept by văn thư; set up by admins */
        return has_role(a, agency_id, ROLE_CLERK | ROLE_ADMIN);
    case AZ_REGISTER_READ: /* §9 … and followed by the agency's leaders */
        return has_role(a, agency_id, ROLE_CLERK | ROLE_ADMIN | ROLE_AGENCY_LEADER);
    case AZ_SIGNING_READ:
        return o->kind == AZ_OBJ_SIGNING; /* visible() has decided */
    case AZ_AUDIT_READ:
        return a->sysadmin || (agency_id != 0 && has_role(a, agency_id, ROLE_ADMIN));
    case AZ_SIGN_USE:
        /* Only while working in the key's agency: a key of agency A is not used from a
         * session in agency B, not even by its owner. Person keys by their owner only;
         * agency keys by the clerks, who keep the seal (§6, ND30 Điều 33). */
        if (!in_agency(a, agency_id))
            return false;
        if (o->kind != AZ_OBJ_SIGNING)
            return true;
        return o->owner_user_id ? o->owner_user_id == a->user_id : (a->roles & ROLE_CLERK) != 0;
    case AZ_DOC_DRAFT: /* §6 a specialist (any member) drafts for the agency */
        return in_agency(a, agency_id);
    case AZ_NOTIFY_READ: /* one's own notifications, in the agency one works in */
        return in_agency(a, agency_id) &&
               (o->kind != AZ_OBJ_NOTIFY || o->owner_user_id == a->user_id);
    case AZ_DOC_TRACK: /* §5 the leaders follow up the processing (issue 11 "Views") */
        return has_role(a, agency_id, ROLE_AGENCY_LEADER);
    case AZ_DOC_READ:
    case AZ_DOC_PROCESS:
    case AZ_DOC_COMMENT:
    case AZ_DOC_DIRECT:
    case AZ_DOC_APPROVE:
    case AZ_DOC_EDIT:
    case AZ_DOC_REGISTER:
    case AZ_DOC_PRESENT:
    case AZ_DOC_WITHDRAW:
    case AZ_DOC_SIGN:
    case AZ_DOC_CONSULT:
    case AZ_DOC_CONSULT_READ: {
        const struct doc_rule *rule = doc_rule_of(action);
        if (!rule)
            return false;
        if (has_role(a, agency_id, rule->member_roles))
            return true;
        if (o->kind != AZ_OBJ_DOCUMENT)
            return false;
        return (doc_roles(a, o, rule->current_step, false) & rule->parts) ||
               (doc_roles(a, o, true, true) & rule->unit_parts);
    }
    case AZ_PUBLIC_READ: /* Khánh Hòa Điều 9: the draft is put before the public */
        return o->kind == AZ_OBJ_PUBLIC;
    case AZ_PUBLIC_COMMENT: /* ... who comment until the deadline (issue 12) */
        return o->kind == AZ_OBJ_PUBLIC && o->public_open;
    }
    return false; /* deny by default */
}

result_t authz_check_object(const struct actor *a, enum authz_action action,
                            const struct authz_object *o)
{
    if (a && a->system)
        return RES_OK;
    /* A published consultation is the one object a visitor reaches without signing in
     * (Khánh Hòa Điều 9): the public actions only, the same answer for everyone. */
    if (o && o->kind == AZ_OBJ_PUBLIC) {
        bool pub = action == AZ_PUBLIC_READ || action == AZ_PUBLIC_COMMENT;
        return pub && allowed(a, action, o) ? RES_OK : RES_FORBIDDEN;
    }
    if (!a || !a->user_id)
        return RES_UNAUTHENTICATED;
    if (!o || !visible(a, o))
        return RES_NOT_FOUND;
    return allowed(a, action, o) ? RES_OK : RES_FORBIDDEN;
}

result_t authz_check(const struct actor *a, enum authz_action action, int64_t agency_id)
{
    struct authz_object o = {.kind = AZ_OBJ_AGENCY, .agency_id = agency_id};
    return authz_check_object(a, action, &o);
}
