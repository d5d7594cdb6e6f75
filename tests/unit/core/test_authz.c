/* The authorization rules: one place, agency-scoped, deny by default; the object form
 * for documents (participants with their roles at the current step) and the line
 * between "not visible" (RES_NOT_FOUND) and "visible but not allowed" (RES_FORBIDDEN). */
#include "check.h"
#include "core/authz.h"
#include "core/role.h"

static struct actor member(int64_t agency, unsigned roles)
{
    struct actor a = {0};
    a.user_id = 7;
    a.membership_id = 70;
    a.agency_id = agency;
    a.roles = roles;
    return a;
}

TEST(agency_admin_scoped_to_own_agency)
{
    struct actor a = member(5, ROLE_ADMIN);
    CHECK_INT(authz_check(&a, AZ_USER_MANAGE, 5), RES_OK);
    CHECK_INT(authz_check(&a, AZ_USER_MANAGE, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&a, AZ_ORG_MANAGE, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&a, AZ_ACCOUNT_MANAGE, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&a, AZ_AUDIT_READ, 5), RES_OK);
    CHECK_INT(authz_check(&a, AZ_AUDIT_READ, 0), RES_FORBIDDEN); /* whole installation */
    CHECK_INT(authz_check(&a, AZ_AGENCY_MANAGE, 5), RES_FORBIDDEN);
}

TEST(signing_rules)
{
    struct actor admin = member(5, ROLE_ADMIN), clerk = member(5, ROLE_CLERK);
    struct actor sys = {0};
    sys.user_id = 1;
    sys.sysadmin = true;
    CHECK_INT(authz_check(&admin, AZ_SIGNING_MANAGE, 5), RES_OK);
    CHECK_INT(authz_check(&admin, AZ_SIGNING_MANAGE, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&clerk, AZ_SIGNING_MANAGE, 5), RES_FORBIDDEN);
    CHECK_INT(authz_check(&clerk, AZ_SIGN_USE, 5), RES_OK);
    CHECK_INT(authz_check(&clerk, AZ_SIGN_USE, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&sys, AZ_SIGN_USE, 5), RES_FORBIDDEN); /* no post in agency 5 */
    CHECK_INT(authz_check(&clerk, AZ_SIGN_VERIFY, 0), RES_OK);
    CHECK_INT(authz_check(&admin, AZ_TRUST_MANAGE, 0), RES_FORBIDDEN);
    CHECK_INT(authz_check(&sys, AZ_TRUST_MANAGE, 0), RES_OK);
    CHECK_INT(authz_check(&clerk, AZ_TRUST_READ, 0), RES_OK);
}

TEST(non_admin_roles)
{
    struct actor a = member(5, ROLE_CLERK | ROLE_AGENCY_LEADER | ROLE_SPECIALIST);
    CHECK_INT(authz_check(&a, AZ_USER_MANAGE, 5), RES_FORBIDDEN);
    CHECK_INT(authz_check(&a, AZ_USER_READ, 5), RES_FORBIDDEN);
    CHECK_INT(authz_check(&a, AZ_ORG_READ, 5), RES_OK);
    CHECK_INT(authz_check(&a, AZ_ORG_READ, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&a, AZ_AGENCY_READ, 0), RES_OK);
}

TEST(no_agency_chosen_and_anonymous)
{
    struct actor a = member(0, ROLE_ADMIN);
    a.membership_id = 0;
    CHECK_INT(authz_check(&a, AZ_USER_MANAGE, 0), RES_FORBIDDEN);
    struct actor none = {0};
    CHECK_INT(authz_check(&none, AZ_AGENCY_READ, 0), RES_UNAUTHENTICATED);
    CHECK_INT(authz_check(NULL, AZ_AGENCY_READ, 0), RES_UNAUTHENTICATED);
}

TEST(sysadmin_and_system)
{
    struct actor s = {0};
    s.user_id = 1;
    s.sysadmin = true;
    CHECK_INT(authz_check(&s, AZ_AGENCY_MANAGE, 0), RES_OK);
    CHECK_INT(authz_check(&s, AZ_USER_MANAGE, 9), RES_OK);
    CHECK_INT(authz_check(&s, AZ_AUDIT_READ, 0), RES_OK);
    struct actor sys = {0};
    sys.system = true;
    CHECK_INT(authz_check(&sys, AZ_ACCOUNT_MANAGE, 3), RES_OK);
}

static struct actor person(int64_t user, int64_t agency, int64_t dept, unsigned roles)
{
    struct actor a = member(agency, roles);
    a.user_id = user;
    a.membership_id = user * 10;
    a.department_id = dept;
    return a;
}

/* An incoming document of agency 5 at its second step: leader 20 directed it (step one,
 * done); now user 21 leads, 22 co-operates, 23 reads for information, unit 40 is
 * informed, unit 41 co-operates, and 24 reviewed it at the first step. */
static const struct authz_participant incoming_parts[] = {
    {.user_id = 20, .department_id = 30, .role = PART_LEADER, .current_step = false},
    {.user_id = 24, .department_id = 30, .role = PART_REVIEWER, .current_step = false},
    {.user_id = 21, .department_id = 31, .role = PART_LEAD, .current_step = true},
    {.user_id = 22, .department_id = 32, .role = PART_CO_HANDLER, .current_step = true},
    {.user_id = 23, .department_id = 33, .role = PART_FOR_INFO, .current_step = true},
    {.user_id = 0, .department_id = 40, .role = PART_FOR_INFO, .current_step = true},
    {.user_id = 0, .department_id = 41, .role = PART_CO_HANDLER, .current_step = true},
};
static const struct authz_object incoming = {
    .kind = AZ_OBJ_DOCUMENT, .agency_id = 5, .parts = incoming_parts, .nparts = 7};

TEST(document_lead_handler_processes)
{
    struct actor lead = person(21, 5, 31, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_PROCESS, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_COMMENT, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_DIRECT, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_APPROVE, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_REGISTER, &incoming), RES_FORBIDDEN);
}

TEST(document_co_handler_comments_but_does_not_complete)
{
    struct actor co = person(22, 5, 32, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&co, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&co, AZ_DOC_COMMENT, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&co, AZ_DOC_PROCESS, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&co, AZ_DOC_DIRECT, &incoming), RES_FORBIDDEN);
}

TEST(document_for_information_reads_only)
{
    struct actor info = person(23, 5, 33, ROLE_SPECIALIST | ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check_object(&info, AZ_DOC_READ, &incoming), RES_OK);
    for (enum authz_action act = AZ_DOC_PROCESS; act <= AZ_DOC_WITHDRAW; act++)
        CHECK_INT(authz_check_object(&info, act, &incoming), RES_FORBIDDEN);
    /* every member of an informed unit reads it, and only reads */
    struct actor unit_member = person(50, 5, 40, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&unit_member, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&unit_member, AZ_DOC_COMMENT, &incoming), RES_FORBIDDEN);
}

TEST(document_unit_acts_through_its_leaders)
{
    /* unit 41 co-operates: its leader comments and assigns inside the unit; a plain
     * member of the unit is not on the document until assigned */
    struct actor head = person(60, 5, 41, ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check_object(&head, AZ_DOC_COMMENT, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&head, AZ_DOC_DIRECT, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&head, AZ_DOC_PROCESS, &incoming), RES_FORBIDDEN);
    struct actor staff = person(61, 5, 41, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&staff, AZ_DOC_READ, &incoming), RES_NOT_FOUND);
}

TEST(document_reviewer_only_at_the_current_step)
{
    /* user 24 reviewed at the first step: still reads, no longer approves */
    struct actor past = person(24, 5, 30, ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check_object(&past, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&past, AZ_DOC_APPROVE, &incoming), RES_FORBIDDEN);
    /* the leader who directed at step one cannot direct again now */
    struct actor leader = person(20, 5, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_DIRECT, &incoming), RES_FORBIDDEN);

    /* an outgoing draft now with its reviewer; the signer comes at the next step */
    const struct authz_participant draft_parts[] = {
        {.user_id = 70, .department_id = 31, .role = PART_DRAFTER, .current_step = false},
        {.user_id = 24, .department_id = 30, .role = PART_REVIEWER, .current_step = true},
        {.user_id = 20, .department_id = 30, .role = PART_SIGNER, .current_step = false},
    };
    struct authz_object draft = {
        .kind = AZ_OBJ_DOCUMENT, .agency_id = 5, .parts = draft_parts, .nparts = 3};
    CHECK_INT(authz_check_object(&past, AZ_DOC_APPROVE, &draft), RES_OK);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_APPROVE, &draft), RES_FORBIDDEN);
    struct actor drafter = person(70, 5, 31, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&drafter, AZ_DOC_EDIT, &draft), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&drafter, AZ_DOC_READ, &draft), RES_OK);
}

TEST(document_clerks_register_and_outsiders_do_not_see)
{
    struct actor clerk = person(80, 5, 30, ROLE_CLERK);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_REGISTER, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_PROCESS, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check(&clerk, AZ_DOC_REGISTER, 5), RES_OK); /* by the post alone */
    CHECK_INT(authz_check(&clerk, AZ_DOC_REGISTER, 6), RES_FORBIDDEN);
    /* a colleague who is not on it may not know it exists */
    struct actor colleague = person(81, 5, 31, ROLE_SPECIALIST | ROLE_ADMIN);
    CHECK_INT(authz_check_object(&colleague, AZ_DOC_READ, &incoming), RES_NOT_FOUND);
    /* the lead handler, working from a post in another agency, sees nothing here */
    struct actor elsewhere = person(21, 6, 31, ROLE_CLERK | ROLE_ADMIN);
    CHECK_INT(authz_check_object(&elsewhere, AZ_DOC_READ, &incoming), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&elsewhere, AZ_DOC_PROCESS, &incoming), RES_NOT_FOUND);
}

TEST(agency_leaders_read_documents_registers_kept_by_clerks)
{
    /* the agency's leader sees every document of the agency, but only reads */
    struct actor chief = person(82, 5, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check_object(&chief, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&chief, AZ_DOC_PROCESS, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&chief, AZ_DOC_REGISTER, &incoming), RES_FORBIDDEN);
    struct actor chief6 = person(83, 6, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check_object(&chief6, AZ_DOC_READ, &incoming), RES_NOT_FOUND);
    /* a department leader whose unit is not on it is not an agency leader: not visible */
    struct actor head = person(84, 5, 42, ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check_object(&head, AZ_DOC_READ, &incoming), RES_NOT_FOUND);
    /* registers: clerks and administrators of the agency */
    CHECK_INT(
        authz_check(
            &(struct actor){.user_id = 85, .membership_id = 1, .agency_id = 5, .roles = ROLE_CLERK},
            AZ_REGISTER_MANAGE, 5),
        RES_OK);
    CHECK_INT(
        authz_check(
            &(struct actor){.user_id = 86, .membership_id = 1, .agency_id = 5, .roles = ROLE_ADMIN},
            AZ_REGISTER_MANAGE, 5),
        RES_OK);
    CHECK_INT(authz_check(&chief, AZ_REGISTER_MANAGE, 5), RES_FORBIDDEN);
    CHECK_INT(
        authz_check(
            &(struct actor){.user_id = 85, .membership_id = 1, .agency_id = 5, .roles = ROLE_CLERK},
            AZ_REGISTER_MANAGE, 6),
        RES_FORBIDDEN);
}

/* Issue 11 "Views": the processing tracking (per unit and person: in progress, overdue,
 * on time) is the agency leaders' (standards.md §5, the leader follows up the handling);
 * clerks see every document but do not get it, nor does a unit head or another agency's
 * leader, nor a system administrator. */
TEST(tracking_is_for_the_agency_leaders)
{
    struct actor chief = person(82, 5, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check(&chief, AZ_DOC_TRACK, 5), RES_OK);
    CHECK_INT(authz_check(&chief, AZ_DOC_TRACK, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&(struct actor){.user_id = 85,
                                          .membership_id = 1,
                                          .agency_id = 5,
                                          .roles = ROLE_CLERK | ROLE_ADMIN},
                          AZ_DOC_TRACK, 5),
              RES_FORBIDDEN);
    struct actor head = person(84, 5, 42, ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check(&head, AZ_DOC_TRACK, 5), RES_FORBIDDEN);
    struct actor sys = {.user_id = 1, .sysadmin = true};
    CHECK_INT(authz_check(&sys, AZ_DOC_TRACK, 5), RES_FORBIDDEN);
}

/* The registers page (sổ văn bản, standards.md §9): the clerks who keep the registers,
 * the administrators who set them up and the agency leaders who follow them; not a
 * specialist, not another agency's clerk. */
TEST(registers_page_for_clerks_admins_leaders)
{
    CHECK_INT(
        authz_check(
            &(struct actor){.user_id = 85, .membership_id = 1, .agency_id = 5, .roles = ROLE_CLERK},
            AZ_REGISTER_READ, 5),
        RES_OK);
    CHECK_INT(
        authz_check(
            &(struct actor){.user_id = 86, .membership_id = 1, .agency_id = 5, .roles = ROLE_ADMIN},
            AZ_REGISTER_READ, 5),
        RES_OK);
    struct actor chief = person(82, 5, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check(&chief, AZ_REGISTER_READ, 5), RES_OK);
    CHECK_INT(authz_check(&chief, AZ_REGISTER_READ, 6), RES_FORBIDDEN);
    struct actor specialist = person(87, 5, 42, ROLE_SPECIALIST);
    CHECK_INT(authz_check(&specialist, AZ_REGISTER_READ, 5), RES_FORBIDDEN);
}

TEST(other_agency_objects_are_not_found)
{
    struct actor admin6 = person(90, 6, 1, ROLE_ADMIN | ROLE_CLERK);
    struct authz_object dept5 = {.kind = AZ_OBJ_RECORD, .agency_id = 5};
    CHECK_INT(authz_check_object(&admin6, AZ_ORG_MANAGE, &dept5), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&admin6, AZ_USER_READ, &dept5), RES_NOT_FOUND);
    /* a specialist of agency 5 sees its catalogue but may not change it */
    struct actor spec5 = person(91, 5, 1, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&spec5, AZ_ORG_MANAGE, &dept5), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&spec5, AZ_ORG_READ, &dept5), RES_OK);

    /* an account of home agency 5 with a post also in agency 7 */
    const int64_t posts[] = {5, 7};
    struct authz_object acct = {.kind = AZ_OBJ_ACCOUNT,
                                .agency_id = 5,
                                .owner_user_id = 99,
                                .agencies = posts,
                                .nagencies = 2};
    CHECK_INT(authz_check_object(&admin6, AZ_ACCOUNT_MANAGE, &acct), RES_NOT_FOUND);
    struct actor admin7 = person(92, 7, 1, ROLE_ADMIN);
    CHECK_INT(authz_check_object(&admin7, AZ_ACCOUNT_MANAGE, &acct), RES_FORBIDDEN);
    struct actor admin5 = person(93, 5, 1, ROLE_ADMIN);
    CHECK_INT(authz_check_object(&admin5, AZ_ACCOUNT_MANAGE, &acct), RES_OK);

    /* signing material: keys and images */
    struct authz_object seal5 = {.kind = AZ_OBJ_SIGNING, .agency_id = 5};
    CHECK_INT(authz_check_object(&admin6, AZ_SIGNING_MANAGE, &seal5), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&admin6, AZ_SIGN_USE, &seal5), RES_NOT_FOUND);
}

TEST(key_ownership)
{
    struct authz_object mine = {.kind = AZ_OBJ_SIGNING, .agency_id = 5, .owner_user_id = 21};
    struct authz_object agency_key = {.kind = AZ_OBJ_SIGNING, .agency_id = 5};
    struct actor owner = person(21, 5, 31, ROLE_SPECIALIST);
    struct actor clerk = person(80, 5, 30, ROLE_CLERK);
    struct actor admin = person(93, 5, 1, ROLE_ADMIN);
    CHECK_INT(authz_check_object(&owner, AZ_SIGN_USE, &mine), RES_OK);
    CHECK_INT(authz_check_object(&owner, AZ_SIGN_USE, &agency_key), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&owner, AZ_SIGNING_MANAGE, &mine), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&clerk, AZ_SIGN_USE, &agency_key), RES_OK);
    CHECK_INT(authz_check_object(&clerk, AZ_SIGN_USE, &mine), RES_NOT_FOUND);
    /* the administrator keeps the keys but signs with none of them */
    CHECK_INT(authz_check_object(&admin, AZ_SIGNING_MANAGE, &mine), RES_OK);
    CHECK_INT(authz_check_object(&admin, AZ_SIGN_USE, &mine), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&admin, AZ_SIGN_USE, &agency_key), RES_FORBIDDEN);
    /* previews: the owner sees their signature, the clerks the seal, nobody else */
    struct actor colleague = person(22, 5, 32, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&owner, AZ_SIGNING_READ, &mine), RES_OK);
    CHECK_INT(authz_check_object(&clerk, AZ_SIGNING_READ, &agency_key), RES_OK);
    CHECK_INT(authz_check_object(&colleague, AZ_SIGNING_READ, &mine), RES_NOT_FOUND);
    CHECK_INT(authz_check(&owner, AZ_SIGNING_READ, 5), RES_FORBIDDEN); /* objects only */
    /* the owner's own key, from a session in another agency */
    struct actor away = person(21, 6, 31, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&away, AZ_SIGN_USE, &mine), RES_NOT_FOUND);
}

TEST(sysadmin_reach_and_cli_system)
{
    struct actor s = {0};
    s.user_id = 1;
    s.sysadmin = true;
    struct authz_object acct = {.kind = AZ_OBJ_ACCOUNT, .agency_id = 5, .owner_user_id = 99};
    struct authz_object key = {.kind = AZ_OBJ_SIGNING, .agency_id = 5, .owner_user_id = 21};
    CHECK_INT(authz_check_object(&s, AZ_ACCOUNT_MANAGE, &acct), RES_OK);
    CHECK_INT(authz_check_object(&s, AZ_SIGNING_MANAGE, &key), RES_OK);
    CHECK_INT(authz_check_object(&s, AZ_SIGN_USE, &key), RES_FORBIDDEN);
    CHECK_INT(authz_check(&s, AZ_ANY_AGENCY, 0), RES_OK);
    /* the installation's administrator does not read the agencies' correspondence */
    CHECK_INT(authz_check_object(&s, AZ_DOC_READ, &incoming), RES_NOT_FOUND);
    CHECK_INT(authz_check(&s, AZ_DOC_REGISTER, 5), RES_FORBIDDEN);
    struct actor admin = person(93, 5, 1, ROLE_ADMIN);
    CHECK_INT(authz_check(&admin, AZ_ANY_AGENCY, 0), RES_FORBIDDEN);

    /* the command line acts as the installation itself */
    struct actor cli = {0};
    cli.system = true;
    CHECK_INT(authz_check_object(&cli, AZ_DOC_PROCESS, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&cli, AZ_ACCOUNT_MANAGE, &acct), RES_OK);
    CHECK_INT(authz_check_object(&cli, AZ_SIGN_USE, &key), RES_OK);
    /* nobody signed in: asked to sign in, whatever the object */
    struct actor none = {0};
    CHECK_INT(authz_check_object(&none, AZ_DOC_READ, &incoming), RES_UNAUTHENTICATED);
}

/* The incoming workflow's steps (standards.md §5; doc/doc_workflow.c asks these). */
TEST(workflow_specialist_cannot_assign)
{
    /* a specialist, even the lead, gives no direction; §5 the leader's direction names
     * the lead */
    struct actor lead = person(21, 5, 31, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_DIRECT, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_WITHDRAW, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&lead, AZ_DOC_PRESENT, &incoming), RES_FORBIDDEN);
    /* the leader presented to, while it is with them, directs */
    const struct authz_participant presented_parts[] = {
        {.user_id = 20, .department_id = 30, .role = PART_LEADER, .current_step = true},
    };
    struct authz_object presented = {
        .kind = AZ_OBJ_DOCUMENT, .agency_id = 5, .parts = presented_parts, .nparts = 1};
    struct actor leader = person(20, 5, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_DIRECT, &presented), RES_OK);
    /* another agency leader reads it (§5, issue 11) but it is not theirs to direct */
    struct actor deputy = person(25, 5, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check_object(&deputy, AZ_DOC_READ, &presented), RES_OK);
    CHECK_INT(authz_check_object(&deputy, AZ_DOC_DIRECT, &presented), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&deputy, AZ_DOC_WITHDRAW, &presented), RES_FORBIDDEN);
}

TEST(workflow_leader_withdraws_own_direction_after_the_step)
{
    /* leader 20 directed at step one (no longer the current step): may take it back */
    struct actor leader = person(20, 5, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_WITHDRAW, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_DIRECT, &incoming), RES_FORBIDDEN);
    /* the same person from a post in another agency: nothing */
    struct actor elsewhere = person(20, 6, 30, ROLE_AGENCY_LEADER);
    CHECK_INT(authz_check_object(&elsewhere, AZ_DOC_WITHDRAW, &incoming), RES_NOT_FOUND);
}

TEST(workflow_clerk_presents_but_cannot_complete_others_work)
{
    struct actor clerk = person(80, 5, 30, ROLE_CLERK);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_PRESENT, &incoming), RES_OK); /* §5 văn thư */
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_PROCESS, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_COMMENT, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_DIRECT, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check(&clerk, AZ_DOC_PRESENT, 6), RES_FORBIDDEN);
    /* a clerk forwarded the document as co-handler comments, still does not complete */
    const struct authz_participant parts[] = {
        {.user_id = 21, .department_id = 31, .role = PART_LEAD, .current_step = true},
        {.user_id = 80, .department_id = 30, .role = PART_CO_HANDLER, .current_step = true},
    };
    struct authz_object o = {.kind = AZ_OBJ_DOCUMENT, .agency_id = 5, .parts = parts, .nparts = 2};
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_COMMENT, &o), RES_OK);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_PROCESS, &o), RES_FORBIDDEN);
}

TEST(workflow_for_info_reader_cannot_comment)
{
    struct actor info = person(23, 5, 33, ROLE_SPECIALIST);
    CHECK_INT(authz_check_object(&info, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&info, AZ_DOC_COMMENT, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&info, AZ_DOC_PROCESS, &incoming), RES_FORBIDDEN);
    /* the leader of an informed unit reads, and only reads */
    struct actor head40 = person(62, 5, 40, ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check_object(&head40, AZ_DOC_READ, &incoming), RES_OK);
    CHECK_INT(authz_check_object(&head40, AZ_DOC_COMMENT, &incoming), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&head40, AZ_DOC_DIRECT, &incoming), RES_FORBIDDEN);
}

TEST(workflow_department_leader_directs_only_through_their_unit)
{
    /* unit 41 co-operates: its head directs inside it */
    struct actor head41 = person(60, 5, 41, ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check_object(&head41, AZ_DOC_DIRECT, &incoming), RES_OK);
    /* once the unit's row is no longer the current step (passed on), no more */
    const struct authz_participant passed[] = {
        {.user_id = 0, .department_id = 41, .role = PART_LEAD, .current_step = false},
        {.user_id = 61, .department_id = 41, .role = PART_LEAD, .current_step = true},
    };
    struct authz_object o = {.kind = AZ_OBJ_DOCUMENT, .agency_id = 5, .parts = passed, .nparts = 2};
    CHECK_INT(authz_check_object(&head41, AZ_DOC_READ, &o), RES_OK);
    CHECK_INT(authz_check_object(&head41, AZ_DOC_DIRECT, &o), RES_FORBIDDEN);
    /* a department leader whose unit is not named: neither directs nor sees */
    struct actor head42 = person(63, 5, 42, ROLE_DEPARTMENT_LEADER);
    CHECK_INT(authz_check_object(&head42, AZ_DOC_DIRECT, &incoming), RES_NOT_FOUND);
    /* a department leader named in person as lead is no unit: processes, does not direct */
    const struct authz_participant personal[] = {
        {.user_id = 63, .department_id = 42, .role = PART_LEAD, .current_step = true},
    };
    struct authz_object p = {
        .kind = AZ_OBJ_DOCUMENT, .agency_id = 5, .parts = personal, .nparts = 1};
    CHECK_INT(authz_check_object(&head42, AZ_DOC_PROCESS, &p), RES_OK);
    CHECK_INT(authz_check_object(&head42, AZ_DOC_DIRECT, &p), RES_FORBIDDEN);
}

/* A notification is its recipient's alone: another person, even the agency's
 * administrator or a system administrator, does not learn it exists (404); its owner
 * working in another agency post does not see it either. */
TEST(notifications_are_their_recipients_alone)
{
    struct actor owner = member(5, ROLE_SPECIALIST), admin = member(5, ROLE_ADMIN | ROLE_CLERK);
    admin.user_id = 8;
    struct actor elsewhere = member(6, ROLE_SPECIALIST); /* the owner, in another post */
    struct actor sys = {0};
    sys.user_id = 1;
    sys.sysadmin = true;
    struct authz_object n = {.kind = AZ_OBJ_NOTIFY, .agency_id = 5, .owner_user_id = 7};
    CHECK_INT(authz_check_object(&owner, AZ_NOTIFY_READ, &n), RES_OK);
    CHECK_INT(authz_check_object(&admin, AZ_NOTIFY_READ, &n), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&elsewhere, AZ_NOTIFY_READ, &n), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&sys, AZ_NOTIFY_READ, &n), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(NULL, AZ_NOTIFY_READ, &n), RES_UNAUTHENTICATED);
    /* the list of one's own: any member working in the agency, nobody without a post */
    CHECK_INT(authz_check(&owner, AZ_NOTIFY_READ, 5), RES_OK);
    CHECK_INT(authz_check(&owner, AZ_NOTIFY_READ, 6), RES_FORBIDDEN);
    CHECK_INT(authz_check(&sys, AZ_NOTIFY_READ, 0), RES_FORBIDDEN);
}

/* Khánh Hòa Điều 9 (issue 12 "Drafts for public comment"): the drafter or the agency's
 * leader publishes and closes; drafter, reviewers, signer and leaders read the comments;
 * clerks see the draft but not the comments; another agency does not know it. A
 * published consultation is read by anyone, signed in or not, and commented on only
 * while open; it gives nothing else. */
TEST(public_comment_rules)
{
    static const struct authz_participant parts[] = {
        {.user_id = 50, .department_id = 30, .role = PART_DRAFTER, .current_step = false},
        {.user_id = 51, .department_id = 30, .role = PART_REVIEWER, .current_step = true},
        {.user_id = 52, .department_id = 30, .role = PART_SIGNER, .current_step = false},
    };
    const struct authz_object draft = {
        .kind = AZ_OBJ_DOCUMENT, .agency_id = 5, .parts = parts, .nparts = 3};
    struct actor drafter = person(50, 5, 30, ROLE_SPECIALIST);
    struct actor reviewer = person(51, 5, 30, ROLE_DEPARTMENT_LEADER);
    struct actor signer = person(52, 5, 30, ROLE_SPECIALIST);
    struct actor leader = person(53, 5, 0, ROLE_AGENCY_LEADER);
    struct actor clerk = person(54, 5, 0, ROLE_CLERK);
    struct actor colleague = person(55, 5, 30, ROLE_SPECIALIST);
    struct actor other = person(56, 6, 0, ROLE_AGENCY_LEADER | ROLE_ADMIN);
    CHECK_INT(authz_check_object(&drafter, AZ_DOC_CONSULT, &draft), RES_OK);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_CONSULT, &draft), RES_OK);
    CHECK_INT(authz_check_object(&reviewer, AZ_DOC_CONSULT, &draft), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_CONSULT, &draft), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&colleague, AZ_DOC_CONSULT, &draft), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&other, AZ_DOC_CONSULT, &draft), RES_NOT_FOUND);
    CHECK_INT(authz_check_object(&drafter, AZ_DOC_CONSULT_READ, &draft), RES_OK);
    CHECK_INT(authz_check_object(&reviewer, AZ_DOC_CONSULT_READ, &draft), RES_OK);
    CHECK_INT(authz_check_object(&signer, AZ_DOC_CONSULT_READ, &draft), RES_OK);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_CONSULT_READ, &draft), RES_OK);
    CHECK_INT(authz_check_object(&clerk, AZ_DOC_CONSULT_READ, &draft), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&other, AZ_DOC_CONSULT_READ, &draft), RES_NOT_FOUND);
    /* The public actions never reach a document itself. */
    struct actor visitor = {0};
    CHECK_INT(authz_check_object(&visitor, AZ_PUBLIC_READ, &draft), RES_UNAUTHENTICATED);
    CHECK_INT(authz_check_object(&drafter, AZ_PUBLIC_READ, &draft), RES_FORBIDDEN);
    struct authz_object open = {.kind = AZ_OBJ_PUBLIC, .agency_id = 5, .public_open = true};
    struct authz_object closed = {.kind = AZ_OBJ_PUBLIC, .agency_id = 5, .public_open = false};
    CHECK_INT(authz_check_object(&visitor, AZ_PUBLIC_READ, &open), RES_OK);
    CHECK_INT(authz_check_object(NULL, AZ_PUBLIC_READ, &open), RES_OK);
    CHECK_INT(authz_check_object(&visitor, AZ_PUBLIC_COMMENT, &open), RES_OK);
    CHECK_INT(authz_check_object(&other, AZ_PUBLIC_COMMENT, &open), RES_OK);
    CHECK_INT(authz_check_object(&visitor, AZ_PUBLIC_READ, &closed), RES_OK);
    CHECK_INT(authz_check_object(&visitor, AZ_PUBLIC_COMMENT, &closed), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&drafter, AZ_PUBLIC_COMMENT, &closed), RES_FORBIDDEN);
    /* Nothing but the public actions on a public object, for anyone. */
    CHECK_INT(authz_check_object(&visitor, AZ_DOC_READ, &open), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_CONSULT_READ, &open), RES_FORBIDDEN);
    CHECK_INT(authz_check_object(&leader, AZ_DOC_READ, &open), RES_FORBIDDEN);
}

int main(void)
{
    RUN(public_comment_rules);
    RUN(agency_admin_scoped_to_own_agency);
    RUN(non_admin_roles);
    RUN(signing_rules);
    RUN(no_agency_chosen_and_anonymous);
    RUN(sysadmin_and_system);
    RUN(document_lead_handler_processes);
    RUN(document_co_handler_comments_but_does_not_complete);
    RUN(document_for_information_reads_only);
    RUN(document_unit_acts_through_its_leaders);
    RUN(document_reviewer_only_at_the_current_step);
    RUN(document_clerks_register_and_outsiders_do_not_see);
    RUN(agency_leaders_read_documents_registers_kept_by_clerks);
    RUN(tracking_is_for_the_agency_leaders);
    RUN(registers_page_for_clerks_admins_leaders);
    RUN(other_agency_objects_are_not_found);
    RUN(key_ownership);
    RUN(sysadmin_reach_and_cli_system);
    RUN(workflow_specialist_cannot_assign);
    RUN(workflow_leader_withdraws_own_direction_after_the_step);
    RUN(workflow_clerk_presents_but_cannot_complete_others_work);
    RUN(workflow_for_info_reader_cannot_comment);
    RUN(workflow_department_leader_directs_only_through_their_unit);
    RUN(notifications_are_their_recipients_alone);
    return CHECK_DONE("test_authz");
}
