/* Router: exact segments, ":name" captures, 404 vs 405 with Allow, HEAD as GET. */
#include "check.h"
#include "http/router.h"

static void h(struct req *r)
{
    (void)r;
}

static const struct route table[] = {
    {"GET", "/", h, 0},
    {"GET", "/api/v1/users", h, 0},
    {"POST", "/api/v1/users", h, 0},
    {"GET", "/api/v1/users/:id", h, 0},
    {"POST", "/api/v1/users/:id/lock", h, 0},
    {"GET", "/static/:file", h, 0},
};
#define N (sizeof(table) / sizeof(table[0]))

TEST(matches_and_captures)
{
    struct req r = {0};
    arena_init(&r.arena);
    bool matched;
    char allow[64];
    const struct route *rt =
        router_match(table, N, "GET", "/api/v1/users/42", &r, &matched, allow, sizeof(allow));
    CHECK(rt == &table[3]);
    CHECK_INT(r.nparams, 1);
    CHECK_STR(r.params[0].key, "id");
    CHECK_STR(r.params[0].value, "42");
    rt =
        router_match(table, N, "POST", "/api/v1/users/42/lock", &r, &matched, allow, sizeof(allow));
    CHECK(rt == &table[4]);
    rt = router_match(table, N, "GET", "/", &r, &matched, allow, sizeof(allow));
    CHECK(rt == &table[0]);
    rt = router_match(table, N, "HEAD", "/static/app.css", &r, &matched, allow, sizeof(allow));
    CHECK(rt == &table[5]);
    arena_release(&r.arena);
}

TEST(not_found_and_method_not_allowed)
{
    struct req r = {0};
    arena_init(&r.arena);
    bool matched;
    char allow[64];
    CHECK(router_match(table, N, "GET", "/api/v1/userz", &r, &matched, allow, sizeof(allow)) ==
          NULL);
    CHECK(!matched);
    CHECK(router_match(table, N, "GET", "/api/v1/users/", &r, &matched, allow, sizeof(allow)) ==
          NULL); /* empty capture */
    CHECK(router_match(table, N, "GET", "/api/v1/users/1/lock/x", &r, &matched, allow,
                       sizeof(allow)) == NULL);
    CHECK(router_match(table, N, "DELETE", "/api/v1/users", &r, &matched, allow, sizeof(allow)) ==
          NULL);
    CHECK(matched);
    CHECK_STR(allow, "GET, POST");
    CHECK(router_match(table, N, "GET", "//", &r, &matched, allow, sizeof(allow)) == NULL);
    CHECK(router_match(table, N, "GET", "", &r, &matched, allow, sizeof(allow)) == NULL);
    arena_release(&r.arena);
}

int main(void)
{
    RUN(matches_and_captures);
    RUN(not_found_and_method_not_allowed);
    return CHECK_DONE("test_router");
}
