/* The route table: every URL of the web UI and the API in one place, with the
 * access rules the server enforces before a handler runs. */
#include "api/api.h"
#include "http/router.h"
#include "web/pages.h"

#define PUB RT_PUBLIC
#define ANY RT_NO_AGENCY                        /* signed in, any agency state */
#define PWD (RT_NO_AGENCY | RT_PASSWORD_CHANGE) /* also while a change is forced */

const struct route routes[] = {
    /* web */
    {"GET", "/static/:file", page_static, PUB},
    {"GET", "/login", page_login, PUB},
    {"POST", "/login", page_login_post, PUB | RT_NO_CSRF},
    {"POST", "/logout", page_logout, PWD},
    {"GET", "/password", page_password, PWD},
    {"POST", "/password", page_password_post, PWD},
    {"GET", "/choose-agency", page_choose_agency, ANY},
    {"POST", "/choose-agency", page_choose_agency_post, ANY},
    {"GET", "/", page_home, ANY},
    {"GET", "/sessions", page_sessions, ANY},
    {"POST", "/sessions/revoke-others", page_sessions_revoke_others, ANY},
    {"POST", "/sessions/:id/revoke", page_session_revoke, ANY},
    {"GET", "/admin/agencies", page_admin_agencies, ANY},
    {"POST", "/admin/agencies", page_admin_agencies_post, ANY},
    {"GET", "/admin/agencies/:id", page_admin_agency, ANY},
    {"POST", "/admin/agencies/:id", page_admin_agency_post, ANY},
    {"POST", "/admin/agencies/:id/toggle", page_admin_agency_toggle, ANY},
    {"GET", "/admin/departments", page_admin_departments, 0},
    {"POST", "/admin/departments", page_admin_departments_post, 0},
    {"POST", "/admin/departments/:id", page_admin_department_post, 0},
    {"POST", "/admin/departments/:id/toggle", page_admin_department_toggle, 0},
    {"GET", "/admin/positions", page_admin_positions, 0},
    {"POST", "/admin/positions", page_admin_positions_post, 0},
    {"POST", "/admin/positions/:id", page_admin_position_post, 0},
    {"POST", "/admin/positions/:id/toggle", page_admin_position_toggle, 0},
    {"GET", "/admin/users", page_admin_users, 0},
    {"GET", "/admin/users/new", page_admin_user_new, 0},
    {"POST", "/admin/users", page_admin_users_post, 0},
    {"GET", "/admin/users/:id", page_admin_user, 0},
    {"POST", "/admin/users/:id", page_admin_user_post, 0},
    {"POST", "/admin/users/:id/reset-password", page_admin_user_reset, 0},
    {"POST", "/admin/users/:id/lock", page_admin_user_lock, 0},
    {"POST", "/admin/users/:id/unlock", page_admin_user_unlock, 0},
    {"GET", "/admin/audit", page_admin_audit, ANY},

    /* API */
    {"GET", "/api/v1/openapi.json", api_openapi, PUB},
    {"POST", "/api/v1/login", api_login, PUB | RT_NO_CSRF},
    {"POST", "/api/v1/logout", api_logout, PWD},
    {"GET", "/api/v1/me", api_me, PWD},
    {"POST", "/api/v1/me/password", api_me_password, PWD},
    {"POST", "/api/v1/me/agency", api_me_agency, ANY},
    {"GET", "/api/v1/me/sessions", api_me_sessions, ANY},
    {"DELETE", "/api/v1/me/sessions/:id", api_me_session_revoke, ANY},
    {"GET", "/api/v1/agencies", api_agencies_list, ANY},
    {"POST", "/api/v1/agencies", api_agencies_create, ANY},
    {"GET", "/api/v1/agencies/:id", api_agency_get, ANY},
    {"PATCH", "/api/v1/agencies/:id", api_agency_update, ANY},
    {"GET", "/api/v1/departments", api_departments_list, 0},
    {"POST", "/api/v1/departments", api_departments_create, 0},
    {"PATCH", "/api/v1/departments/:id", api_department_update, 0},
    {"GET", "/api/v1/positions", api_positions_list, 0},
    {"POST", "/api/v1/positions", api_positions_create, 0},
    {"PATCH", "/api/v1/positions/:id", api_position_update, 0},
    {"GET", "/api/v1/users", api_users_list, 0},
    {"POST", "/api/v1/users", api_users_create, 0},
    {"GET", "/api/v1/users/:id", api_user_get, 0},
    {"PATCH", "/api/v1/users/:id", api_user_update, 0},
    {"POST", "/api/v1/users/:id/reset-password", api_user_reset_password, 0},
    {"POST", "/api/v1/users/:id/lock", api_user_lock, 0},
    {"POST", "/api/v1/users/:id/unlock", api_user_unlock, 0},
    {"GET", "/api/v1/audit", api_audit_list, 0},
};
const size_t route_count = sizeof(routes) / sizeof(routes[0]);
