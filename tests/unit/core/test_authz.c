/* The authorization rules: one place, agency-scoped, deny by default. */
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

int main(void)
{
    RUN(agency_admin_scoped_to_own_agency);
    RUN(non_admin_roles);
    RUN(signing_rules);
    RUN(no_agency_chosen_and_anonymous);
    RUN(sysadmin_and_system);
    return CHECK_DONE("test_authz");
}
