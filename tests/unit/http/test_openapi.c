/* The API contract: every /api/v1 route of the route table (src/http/routes.c) is in the
 * embedded web/openapi.json and every documented operation is a route, with its path
 * parameters declared, public routes (and only they) documented without security, and
 * every $ref resolving. A new route without documentation, or documentation of a route
 * that is gone, fails here rather than at a client. */
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <strings.h>

#include "check.h"
#include "http/router.h"
#include "util/embedded.h"

#define API_PREFIX "/api/v1"

static const char *const http_methods[] = {"get",  "put",     "post",  "delete",
                                           "head", "options", "patch", "trace"};
#define NMETHODS (sizeof(http_methods) / sizeof(http_methods[0]))

static json_t *load_spec(void)
{
    const struct embedded_file *f = embedded_find("web/openapi.json");
    if (!f)
        return NULL;
    json_error_t jerr;
    json_t *spec = json_loadb((const char *)f->data, f->len, 0, &jerr);
    if (!spec)
        fprintf(stderr, "web/openapi.json:%d: %s\n", jerr.line, jerr.text);
    return spec;
}

/* "/api/v1/users/:id/lock" → "/users/{id}/lock" (relative to servers[0].url). */
static bool route_to_doc(const char *pattern, char *out, size_t size)
{
    size_t plen = strlen(API_PREFIX), w = 0;
    if (strncmp(pattern, API_PREFIX, plen) != 0 || (pattern[plen] != '/' && pattern[plen]))
        return false;
    for (const char *p = pattern + plen; *p && w + 3 < size;) {
        if (*p == ':' && p[-1] == '/') {
            size_t n = strcspn(p + 1, "/");
            if (w + n + 3 >= size)
                return false;
            out[w++] = '{';
            memcpy(out + w, p + 1, n);
            w += n;
            out[w++] = '}';
            p += n + 1;
        } else {
            out[w++] = *p++;
        }
    }
    out[w] = '\0';
    return true;
}

/* "/users/{id}/lock" → "/api/v1/users/:id/lock". */
static void doc_to_route(const char *path, char *out, size_t size)
{
    size_t w = (size_t)snprintf(out, size, "%s", API_PREFIX);
    for (const char *p = path; *p && w + 1 < size; p++)
        if (*p != '}')
            out[w++] = *p == '{' ? ':' : *p;
    out[w < size ? w : size - 1] = '\0';
}

static void lower(const char *in, char *out, size_t size)
{
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++)
        out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
    out[i] = '\0';
}

TEST(spec_is_openapi_3_1_under_api_v1)
{
    json_t *spec = load_spec();
    CHECK(spec != NULL);
    CHECK_STR(json_string_value(json_object_get(spec, "openapi")), "3.1.0");
    json_t *server = json_array_get(json_object_get(spec, "servers"), 0);
    CHECK_STR(json_string_value(json_object_get(server, "url")), API_PREFIX);
    CHECK(json_object_size(json_object_get(spec, "paths")) > 20);
    json_decref(spec);
}

TEST(every_api_route_is_documented)
{
    json_t *spec = load_spec();
    json_t *paths = json_object_get(spec, "paths");
    int api_routes = 0;
    for (size_t i = 0; i < route_count; i++) {
        char doc[256], method[16];
        if (!route_to_doc(routes[i].pattern, doc, sizeof(doc)))
            continue;
        api_routes++;
        lower(routes[i].method, method, sizeof(method));
        json_t *op = json_object_get(json_object_get(paths, doc), method);
        if (!json_is_object(op)) {
            check_failures_++;
            fprintf(stderr, "route %s %s: no \"%s\".%s in web/openapi.json\n", routes[i].method,
                    routes[i].pattern, doc, method);
        } else if (((routes[i].flags & RT_PUBLIC) != 0) !=
                   (json_array_size(json_object_get(op, "security")) == 0 &&
                    json_is_array(json_object_get(op, "security")))) {
            /* A public route says so ("security": []); every other one needs a session. */
            check_failures_++;
            fprintf(stderr, "%s %s: route is %s, document %s \"security\": []\n", routes[i].method,
                    doc, routes[i].flags & RT_PUBLIC ? "public" : "not public",
                    routes[i].flags & RT_PUBLIC ? "lacks" : "has");
        } else if (!json_is_object(json_object_get(op, "responses")) ||
                   !json_string_length(json_object_get(op, "summary"))) {
            check_failures_++;
            fprintf(stderr, "%s %s: operation without summary or responses\n", routes[i].method,
                    doc);
        }
    }
    CHECK(api_routes >= 30);
    json_decref(spec);
}

static bool route_exists(const char *method, const char *pattern)
{
    for (size_t i = 0; i < route_count; i++)
        if (!strcasecmp(routes[i].method, method) && !strcmp(routes[i].pattern, pattern))
            return true;
    return false;
}

TEST(every_documented_operation_is_a_route)
{
    json_t *spec = load_spec();
    const char *path;
    json_t *item;
    int ops = 0;
    json_object_foreach(json_object_get(spec, "paths"), path, item)
    {
        char pattern[256];
        doc_to_route(path, pattern, sizeof(pattern));
        const char *key;
        json_t *op;
        json_object_foreach(item, key, op)
        {
            bool is_method = false;
            for (size_t m = 0; m < NMETHODS; m++)
                is_method |= !strcmp(key, http_methods[m]);
            if (!is_method)
                continue; /* parameters, summary, … at path level */
            ops++;
            if (!route_exists(key, pattern)) {
                check_failures_++;
                fprintf(stderr, "web/openapi.json documents %s %s: no such route in routes.c\n",
                        key, pattern);
            }
        }
    }
    CHECK(ops >= 30);
    json_decref(spec);
}

/* A parameter object named `name` with "in": "path" in one of the lists. */
static bool declares_path_param(json_t *a, json_t *b, const char *name, size_t n)
{
    json_t *lists[2] = {a, b};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *p;
        json_array_foreach(lists[l], i, p)
        {
            const char *pn = json_string_value(json_object_get(p, "name"));
            const char *in = json_string_value(json_object_get(p, "in"));
            if (pn && in && !strcmp(in, "path") && strlen(pn) == n && !strncmp(pn, name, n) &&
                json_is_true(json_object_get(p, "required")))
                return true;
        }
    }
    return false;
}

TEST(path_parameters_are_declared)
{
    json_t *spec = load_spec();
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(spec, "paths"), path, item)
    {
        const char *key;
        json_t *op;
        json_object_foreach(item, key, op)
        {
            if (!json_is_object(op) || !json_is_object(json_object_get(op, "responses")))
                continue;
            for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
                size_t n = strcspn(p + 1, "}");
                if (!declares_path_param(json_object_get(op, "parameters"),
                                         json_object_get(item, "parameters"), p + 1, n)) {
                    check_failures_++;
                    fprintf(stderr, "%s %s: path parameter {%.*s} not declared\n", key, path,
                            (int)n, p + 1);
                }
            }
        }
    }
    json_decref(spec);
}

/* Walks every "$ref" and resolves it as a JSON pointer into the document. */
static int dangling_refs(json_t *root, json_t *v)
{
    int bad = 0;
    if (json_is_object(v)) {
        const char *key;
        json_t *child;
        json_object_foreach(v, key, child)
        {
            if (!strcmp(key, "$ref") && json_is_string(child)) {
                const char *ref = json_string_value(child);
                json_t *at = strncmp(ref, "#/", 2) == 0 ? root : NULL;
                char seg[128];
                for (const char *p = ref + 2; at && *p;) {
                    size_t n = strcspn(p, "/");
                    snprintf(seg, sizeof(seg), "%.*s", (int)n, p);
                    at = json_object_get(at, seg);
                    p += n + (p[n] == '/');
                }
                if (!at) {
                    fprintf(stderr, "web/openapi.json: $ref %s resolves to nothing\n", ref);
                    bad++;
                }
            } else {
                bad += dangling_refs(root, child);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach(v, i, child) bad += dangling_refs(root, child);
    }
    return bad;
}

TEST(every_ref_resolves)
{
    json_t *spec = load_spec();
    CHECK_INT(dangling_refs(spec, spec), 0);
    json_decref(spec);
}

/* The checker itself: a route the document lacks is reported, so the tests above
 * cannot pass by comparing nothing. */
TEST(conversion_between_route_and_document_paths)
{
    char doc[128], pattern[128];
    CHECK(route_to_doc("/api/v1/signatures/prepared/:id/finish", doc, sizeof(doc)));
    CHECK_STR(doc, "/signatures/prepared/{id}/finish");
    CHECK(!route_to_doc("/admin/users/:id", doc, sizeof(doc)));
    CHECK(!route_to_doc("/api/v10/x", doc, sizeof(doc)));
    doc_to_route("/signature-images/{id}/png", pattern, sizeof(pattern));
    CHECK_STR(pattern, "/api/v1/signature-images/:id/png");
    CHECK(route_exists("DELETE", "/api/v1/signature-images/:id"));
    CHECK(!route_exists("GET", "/api/v1/signature-images/:id"));
}

int main(void)
{
    RUN(spec_is_openapi_3_1_under_api_v1);
    RUN(every_api_route_is_documented);
    RUN(every_documented_operation_is_a_route);
    RUN(path_parameters_are_declared);
    RUN(every_ref_resolves);
    RUN(conversion_between_route_and_document_paths);
    return CHECK_DONE("test_openapi");
}
