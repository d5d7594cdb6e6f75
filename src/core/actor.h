/* Who is acting: the signed-in user, the membership (agency post) chosen for the
 * session, and where the request came from. Built by the session layer; every core
 * function that reads or writes takes one and asks authz_check() first. */
#ifndef QLVB_ACTOR_H
#define QLVB_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

struct actor {
    int64_t user_id;
    char login[16];
    char full_name[256];
    bool sysadmin;
    bool system; /* the command line acting as the installation itself */
    bool must_change_password;
    int64_t session_id;
    int64_t membership_id; /* 0 until an agency is chosen */
    int64_t agency_id;
    int64_t department_id;
    unsigned roles; /* enum role bits of the chosen membership */
    char client_addr[64];
};

#endif
