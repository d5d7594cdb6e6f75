/* Authorization in one place (architecture principle 3). Every read and write of the
 * domain asks the policy with the actor, the action and the object: its agency, its
 * owner and, for documents, its participants with their roles at the current step.
 * No handler decides access on its own. An administrator of agency A can do nothing to
 * agency B, and does not even learn that B's objects exist. */
#ifndef QLVB_AUTHZ_H
#define QLVB_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "util/result.h"

enum authz_action {
    AZ_AGENCY_READ,    /* the directory of agencies: any signed-in user */
    AZ_AGENCY_MANAGE,  /* create, edit, lock agencies: system administrators */
    AZ_ANY_AGENCY,     /* act installation-wide: pick any agency (?agency_id), work with
                        * no post chosen: system administrators */
    AZ_ORG_READ,       /* departments and positions of an agency: its members */
    AZ_ORG_MANAGE,     /* keep the department and position catalogues */
    AZ_USER_READ,      /* list and view the users of an agency */
    AZ_USER_MANAGE,    /* create users, edit memberships in the agency */
    AZ_ACCOUNT_MANAGE, /* password reset, lock: agency = the account's home agency */
    AZ_AUDIT_READ,     /* agency 0 = the whole installation */
    AZ_SIGN_VERIFY,    /* check signatures of an uploaded file: any signed-in user */
    AZ_SIGN_USE,       /* sign with a key: agency = the key's agency; with an AZ_OBJ_SIGNING
                        * object also who holds it (person keys: their owner; agency keys:
                        * clerks) */
    AZ_SIGNING_MANAGE, /* keys, signature and seal images of an agency: its administrators */
    AZ_SIGNING_READ,   /* see one key or image (a preview): whoever may know it exists; only
                        * with an AZ_OBJ_SIGNING object */
    AZ_TRUST_READ,     /* see the trusted roots and CRLs: any signed-in user */
    AZ_TRUST_MANAGE,   /* add/remove trusted roots, intermediates, CRLs: system administrators */

    /* Documents (incoming, outgoing, internal) and tasks; the object is AZ_OBJ_DOCUMENT. */
    AZ_DOC_READ,     /* open it, its files and history: anyone on it, its agency's clerks
                      * and agency leaders */
    AZ_DOC_PROCESS,  /* process, report the result, complete, return: the lead handler */
    AZ_DOC_COMMENT,  /* give a co-operation opinion: co-handlers (and the lead) */
    AZ_DOC_DIRECT,   /* give the direction, assign lead/co-handlers and the deadline */
    AZ_DOC_APPROVE,  /* approve or send back a draft or a task's result */
    AZ_DOC_EDIT,     /* change the draft (content, files): its drafter */
    AZ_DOC_REGISTER, /* receive, register, number, issue, dispatch: the agency's clerks */
    AZ_DOC_PRESENT,  /* present (trình) a registered document to a leader: the clerks */
    AZ_DOC_WITHDRAW, /* take back or change one's own direction: a leader of the document
                      * (doc/ checks that it is the one who gave the direction in force) */
    AZ_DOC_DRAFT,    /* start an outgoing draft in an agency: its members (agency form) */
    AZ_DOC_SIGN,     /* sign the approved draft with one's personal key: its signer */

    AZ_REGISTER_MANAGE, /* open registers (sổ văn bản) of an agency: clerks, administrators */

    AZ_JOBS_MANAGE,      /* see the background job queue, retry dead jobs: system administrators */
    AZ_CALENDAR_READ,    /* the working calendar and its holidays: any signed-in user */
    AZ_CALENDAR_MANAGE,  /* the year's substituted days off and working Saturdays: system
                          * administrators */
    AZ_DOC_TRACK,        /* the processing tracking of an agency's documents (per unit and
                          * person: in progress, overdue, on time): its agency leaders */
    AZ_NOTIFY_READ,      /* read and mark one's own notifications: the recipient, while
                          * working in the notification's agency */
    AZ_REGISTER_READ,    /* the registers page of an agency (sổ văn bản: the registers, their
                          * entries, the books): clerks, administrators, agency leaders */
    AZ_DOC_CONSULT,      /* publish a draft for public comment, close it early (Khánh Hòa
                          * Điều 9): its drafter, the agency's leaders */
    AZ_DOC_CONSULT_READ, /* read the public's comments on a draft: its drafter, reviewers,
                          * signer and the agency's leaders */
    AZ_PUBLIC_READ,      /* read a published consultation's page and its PDF: anyone, signed
                          * in or not (only with an AZ_OBJ_PUBLIC object) */
    AZ_PUBLIC_COMMENT,   /* comment on it: anyone, while it is open (AZ_OBJ_PUBLIC) */
};

/* What the object is decides who may know that it exists (visibility). */
enum authz_kind {
    AZ_OBJ_AGENCY,   /* an agency, or a list inside one: agencies are public */
    AZ_OBJ_RECORD,   /* a department, position or membership: known to the agency's members */
    AZ_OBJ_ACCOUNT,  /* a user account: agency_id = its home agency, `agencies` = every
                      * agency where it holds a post (known to those agencies' members) */
    AZ_OBJ_SIGNING,  /* a signing key or a signature/seal image: owner_user_id = the person,
                      * 0 = the agency's own (known to its administrators, to the owner,
                      * and for the agency's own to its clerks) */
    AZ_OBJ_DOCUMENT, /* a document or task: known to its participants, the agency's
                      * clerks and its agency leaders */
    AZ_OBJ_NOTIFY,   /* a notification: owner_user_id = its recipient, known to them alone,
                      * in its agency only */
    AZ_OBJ_PUBLIC,   /* a draft published for public comment (its public page): known to
                      * everyone, including visitors who are not signed in; nothing else
                      * of the document is reached through it */
};

/* How a person or a unit takes part in a document (glossary; standards.md §5–§7). */
enum participant_role {
    PART_LEAD,       /* chủ trì / xử lý chính: processes and reports (one per assignment) */
    PART_CO_HANDLER, /* phối hợp: gives opinions to the lead */
    PART_FOR_INFO,   /* nhận để biết: reads only */
    PART_LEADER,     /* lãnh đạo the document is presented to: directs and assigns */
    PART_REVIEWER,   /* reviews a draft (unit head, office) or a task's result (tracker) */
    PART_SIGNER,     /* người ký: approves the final draft, then signs it */
    PART_DRAFTER,    /* soạn thảo: writes the draft and its changes */
    PART_ROLE_COUNT,
};

struct authz_participant {
    int64_t user_id;       /* 0: the unit `department_id` takes part, acting through its
                            * leaders (for information: every member of the unit) */
    int64_t department_id; /* the person's unit, or the unit taking part */
    enum participant_role role;
    bool current_step; /* the step now in progress; earlier steps may still read */
};

struct authz_object {
    enum authz_kind kind;
    int64_t agency_id;     /* the agency holding the object (0: the installation) */
    int64_t owner_user_id; /* AZ_OBJ_SIGNING: the person it belongs to; 0 = the agency;
                            * AZ_OBJ_NOTIFY: its recipient */
    const struct authz_participant *parts; /* AZ_OBJ_DOCUMENT */
    size_t nparts;
    const int64_t *agencies; /* AZ_OBJ_ACCOUNT: agencies where the user holds a post */
    size_t nagencies;
    bool public_open; /* AZ_OBJ_PUBLIC: it takes comments now (not closed, before its
                       * deadline) */
};

/* RES_OK; RES_NOT_FOUND when the actor may not know the object exists (another
 * agency's, or a document they are not on and may not see); RES_FORBIDDEN when they
 * see it but may not do this; RES_UNAUTHENTICATED without a signed-in user (except on
 * an AZ_OBJ_PUBLIC object, which a visitor may read and, while open, comment on). */
result_t authz_check_object(const struct actor *a, enum authz_action action,
                            const struct authz_object *o);

/* The agency-only form: the object is agency `agency_id` itself or a list inside it
 * (AZ_OBJ_AGENCY, never hidden). RES_OK, RES_FORBIDDEN or RES_UNAUTHENTICATED. */
result_t authz_check(const struct actor *a, enum authz_action action, int64_t agency_id);

#endif
