/* Template engine: escaping, sections, inverted sections, context stack, partials,
 * dotted names, output limits and compile errors (file and line), on in-memory
 * templates, plus the embedded set loaded by tmpl_init(). */
#include <pthread.h>
#include <stdlib.h>

#include "check.h"
#include "web/template.h"

static struct tmpl_set *set;
static char err[512];

/* Compiles name=src pairs (NULL-terminated) into a fresh linked set. */
static result_t load(const char *const *pairs)
{
    tmpl_set_free(set);
    set = tmpl_set_new();
    err[0] = '\0';
    for (size_t i = 0; pairs[i]; i += 2) {
        result_t r = tmpl_set_compile(set, pairs[i], pairs[i + 1], strlen(pairs[i + 1]), NULL, err,
                                      sizeof(err));
        if (r != RES_OK)
            return r;
    }
    return tmpl_set_link(set, err, sizeof(err));
}

/* Renders `src` as template "t" with ctx given as JSON text; returns a static copy. */
static const char *render(const char *src, const char *json)
{
    static char result[4096];
    const char *pairs[] = {"t", src, NULL};
    if (load(pairs) != RES_OK)
        return "(compile error)";
    json_t *ctx = json ? json_loads(json, 0, NULL) : NULL;
    struct buf out = BUF_INIT(1 << 16);
    result_t r = tmpl_set_render(set, "t", ctx, &out);
    snprintf(result, sizeof(result), "%s", r == RES_OK ? buf_str(&out) : result_name(r));
    buf_release(&out);
    json_decref(ctx);
    return result;
}

TEST(escapes_xss_payloads)
{
    CHECK_STR(render("<p>{{name}}</p>", "{\"name\":\"<script>alert(1)</script>\"}"),
              "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    CHECK_STR(render("<a title=\"{{t}}\">", "{\"t\":\"x\\\" onmouseover=\\\"alert(1)\"}"),
              "<a title=\"x&quot; onmouseover=&quot;alert(1)\">");
    CHECK_STR(render("<a title='{{t}}'>", "{\"t\":\"' onfocus='x\"}"),
              "<a title='&#39; onfocus=&#39;x'>");
    CHECK_STR(render("{{a}}", "{\"a\":\"Tom & Jerry\"}"), "Tom &amp; Jerry");
    CHECK_STR(render("{{{a}}}|{{& a}}", "{\"a\":\"<b>\"}"), "<b>|<b>");
    /* Vietnamese passes through byte for byte. */
    CHECK_STR(render("{{a}}", "{\"a\":\"Nguyễn Thị Hoa\"}"), "Nguyễn Thị Hoa");

    struct buf b = BUF_INIT(100);
    html_escape(&b, "a<b>\"c\"'d'&");
    CHECK_STR(buf_str(&b), "a&lt;b&gt;&quot;c&quot;&#39;d&#39;&amp;");
    buf_release(&b);
}

TEST(scalar_values)
{
    CHECK_STR(render("[{{s}}|{{i}}|{{r}}|{{t}}|{{f}}|{{n}}|{{missing}}|{{o}}]",
                     "{\"s\":\"x\",\"i\":-42,\"r\":1.5,\"t\":true,\"f\":false,\"n\":null,"
                     "\"o\":{\"a\":1}}"),
              "[x|-42|1.5|true||||]");
    CHECK_STR(render("{{ spaced }}", "{\"spaced\":\"ok\"}"), "ok");
    CHECK_STR(render("no tags at all", NULL), "no tags at all");
    CHECK_STR(render("{{a}}", NULL), "");
}

TEST(sections_iterate_push_and_skip)
{
    CHECK_STR(render("{{#xs}}<{{.}}>{{/xs}}", "{\"xs\":[1,\"b\",3]}"), "<1><b><3>");
    CHECK_STR(render("{{#xs}}{{name}},{{/xs}}", "{\"xs\":[{\"name\":\"A\"},{\"name\":\"B\"}]}"),
              "A,B,");
    CHECK_STR(render("{{#u}}{{name}}{{/u}}", "{\"u\":{\"name\":\"Hoa\"}}"), "Hoa");
    CHECK_STR(render("{{#t}}yes{{/t}}", "{\"t\":true}"), "yes");
    CHECK_STR(render("{{#s}}[{{.}}]{{/s}}", "{\"s\":\"lỗi\"}"), "[lỗi]");
    const char *falsy = "{\"a\":false,\"b\":null,\"c\":[],\"d\":\"\",\"e\":0}";
    CHECK_STR(render("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}{{#e}}E{{/e}}"
                     "{{#zz}}Z{{/zz}}",
                     falsy),
              "");
    CHECK_STR(render("{{^a}}A{{/a}}{{^b}}B{{/b}}{{^c}}C{{/c}}{{^d}}D{{/d}}{{^e}}E{{/e}}"
                     "{{^zz}}Z{{/zz}}",
                     falsy),
              "ABCDEZ");
    CHECK_STR(render("{{^xs}}empty{{/xs}}", "{\"xs\":[1]}"), "");
    CHECK_STR(render("{{#o}}in{{/o}}", "{\"o\":{}}"), "in");
}

TEST(context_stack_walks_outward)
{
    const char *ctx = "{\"csrf\":\"T\",\"agency\":\"Sở\",\"rows\":[{\"id\":1,\"tags\":[\"x\"]},"
                      "{\"id\":2,\"agency\":\"Phường\",\"tags\":[\"y\",\"z\"]}]}";
    CHECK_STR(render("{{#rows}}{{id}}:{{csrf}}:{{agency}}:{{#tags}}{{.}}{{id}}{{/tags}};"
                     "{{/rows}}",
                     ctx),
              "1:T:Sở:x1;2:T:Phường:y2z2;");
    /* The same name nested inside itself. */
    CHECK_STR(render("{{#a}}{{#a}}{{b}}{{/a}}{{/a}}", "{\"a\":{\"a\":{\"b\":\"deep\"}}}"), "deep");
}

TEST(dotted_names)
{
    const char *ctx = "{\"user\":{\"full_name\":\"Nguyễn Thị Hoa\",\"dept\":{\"name\":\"VP\"}},"
                      "\"errors\":{\"login\":\"Sai\"},\"x\":{\"y\":1},\"z\":{}}";
    CHECK_STR(render("{{user.full_name}}/{{user.dept.name}}/{{user.nope}}/{{nope.a}}", ctx),
              "Nguyễn Thị Hoa/VP//");
    CHECK_STR(
        render("{{#errors.login}}<{{.}}>{{/errors.login}}{{^errors.pw}}ok{{/errors.pw}}", ctx),
        "<Sai>ok");
    /* Once "x" is found, "x.name" does not fall back to an outer "name". */
    CHECK_STR(render("{{#z}}{{user.full_name}}{{/z}}", ctx), "Nguyễn Thị Hoa");
    CHECK_STR(render("{{#user}}{{x.y}}{{/user}}", ctx), "1");
}

TEST(partials)
{
    const char *pairs[] = {"page", "<main>{{>head}}{{#items}}{{>item}}{{/items}}</main>",
                           "head", "<h1>{{title}}</h1>",
                           "item", "<li>{{name}}</li>",
                           NULL};
    CHECK_INT(load(pairs), RES_OK);
    json_t *ctx = json_pack("{s:s, s:[{s:s},{s:s}]}", "title", "Văn bản", "items", "name", "a",
                            "name", "<b>");
    struct buf out = BUF_INIT(1000);
    CHECK_INT(tmpl_set_render(set, "page", ctx, &out), RES_OK);
    CHECK_STR(buf_str(&out), "<main><h1>Văn bản</h1><li>a</li><li>&lt;b&gt;</li></main>");
    CHECK_INT(tmpl_set_render(set, "nope", ctx, &out), RES_NOT_FOUND);
    json_decref(ctx);
    buf_release(&out);

    const char *unknown[] = {"a", "x\n\n{{>missing}}", NULL};
    CHECK_INT(load(unknown), RES_NOT_FOUND);
    CHECK_STR(err, "a:3: unknown partial \"missing\"");
}

TEST(checked_render_lists_missing_names)
{
    const char *pairs[] = {"page",
                           "<h1>{{title}}</h1>\n{{#rows}}{{name}} {{{raw}}}{{/rows}}\n"
                           "{{#absent}}{{never}}{{/absent}}{{^gone}}{{>foot}}{{/gone}}",
                           "foot", "\n<p>{{user.full_name}} {{user.login}}</p>", NULL};
    CHECK_INT(load(pairs), RES_OK);
    json_t *ctx = json_pack("{s:s, s:[{s:s,s:s},{s:s}], s:{s:s}}", "title", "Sổ văn bản", "rows",
                            "name", "a", "raw", "<b>", "name", "b", "user", "full_name", "Hoa");
    struct buf out = BUF_INIT(1000), plain = BUF_INIT(1000);
    struct tmpl_missing m;
    CHECK_INT(tmpl_set_render_checked(set, "page", ctx, &out, &m), RES_OK);
    CHECK_INT(tmpl_set_render(set, "page", ctx, &plain), RES_OK);
    CHECK_STR(buf_str(&out), buf_str(&plain)); /* checking changes nothing in the output */
    CHECK_STR(buf_str(&out), "<h1>Sổ văn bản</h1>\na <b>b \n\n<p>Hoa </p>");
    /* The second row lacks "raw"; the partial lacks user.login; the section "absent"
     * and its body, and the condition "gone", are not missing keys. */
    CHECK_INT(m.count, 2);
    CHECK_STR(m.names[0], "page:2: raw");
    CHECK_STR(m.names[1], "foot:2: user.login");

    json_object_set_new(json_array_get(json_object_get(ctx, "rows"), 1), "raw", json_string(""));
    json_object_set_new(json_object_get(ctx, "user"), "login", json_string("020185004321"));
    buf_reset(&out);
    CHECK_INT(tmpl_set_render_checked(set, "page", ctx, &out, &m), RES_OK);
    CHECK_INT(m.count, 0); /* an empty string is a value, not a missing key */
    CHECK_INT(tmpl_set_render_checked(set, "nope", ctx, &out, &m), RES_NOT_FOUND);
    json_decref(ctx);
    buf_release(&out);
    buf_release(&plain);
}

TEST(recursive_partial_is_bounded)
{
    const char *tree[] = {"tree", "{{name}}{{#kids}}({{>tree}}){{/kids}}", NULL};
    CHECK_INT(load(tree), RES_OK);
    /* Leaves say "kids":[] or the lookup would find their parent's kids (Mustache). */
    json_t *ctx = json_loads("{\"name\":\"a\",\"kids\":[{\"name\":\"b\",\"kids\":[{\"name\":"
                             "\"c\",\"kids\":[]}]},{\"name\":\"d\",\"kids\":[]}]}",
                             0, NULL);
    struct buf out = BUF_INIT(1000);
    CHECK_INT(tmpl_set_render(set, "tree", ctx, &out), RES_OK);
    CHECK_STR(buf_str(&out), "a(b(c))(d)");
    json_decref(ctx);
    buf_reset(&out);

    /* Self-inclusion without a stopping condition hits the depth limit, not the stack. */
    const char *loop[] = {"loop", "x{{>loop}}", NULL};
    CHECK_INT(load(loop), RES_OK);
    CHECK_INT(tmpl_set_render(set, "loop", NULL, &out), RES_TOO_LARGE);
    CHECK_INT(out.len, 0);
    buf_release(&out);
}

TEST(comments_and_standalone_lines)
{
    CHECK_STR(render("a{{! a note with {braces} }}b", NULL), "ab");
    CHECK_STR(render("<ul>\n  {{#xs}}\n  <li>{{.}}</li>\n  {{/xs}}\n</ul>\n", "{\"xs\":[1,2]}"),
              "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
    CHECK_STR(render("a\n{{! note }}\nb", NULL), "a\nb");
    /* Not standalone: other content on the line stays. */
    CHECK_STR(render("x {{#t}}y{{/t}} z\n", "{\"t\":1}"), "x y z\n");
}

TEST(output_limit)
{
    const char *pairs[] = {"t", "{{#xs}}{{s}}{{/xs}}", NULL};
    CHECK_INT(load(pairs), RES_OK);
    json_t *ctx = json_pack("{s:[i,i,i,i], s:s}", "xs", 1, 2, 3, 4, "s", "<<<<<");
    struct buf out = BUF_INIT(64);
    CHECK_INT(buf_puts(&out, "keep"), RES_OK);
    CHECK_INT(tmpl_set_render(set, "t", ctx, &out), RES_TOO_LARGE);
    CHECK_STR(buf_str(&out), "keep");
    struct buf big = BUF_INIT(200);
    CHECK_INT(tmpl_set_render(set, "t", ctx, &big), RES_OK);
    CHECK_INT(big.len, 80);
    json_decref(ctx);
    buf_release(&out);
    buf_release(&big);
}

TEST(syntax_errors_name_file_and_line)
{
    const char *unclosed[] = {"p", "line1\n{{#items}}\n<li>{{name}}</li>\n", NULL};
    CHECK_INT(load(unclosed), RES_INVALID);
    CHECK_STR(err, "p:2: unclosed section \"items\"");

    const char *mismatch[] = {"p", "{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", NULL};
    CHECK_INT(load(mismatch), RES_INVALID);
    CHECK_STR(err, "p:3: closing tag \"a\" closes \"b\" opened on line 2");

    const char *stray[] = {"p", "x\n{{/a}}", NULL};
    CHECK_INT(load(stray), RES_INVALID);
    CHECK_STR(err, "p:2: closing tag without a section");

    const char *open_tag[] = {"p", "a\nb {{name\n", NULL};
    CHECK_INT(load(open_tag), RES_INVALID);
    CHECK_STR(err, "p:2: unclosed tag");

    const char *bad_names[] = {"{{}}",        "{{a..b}}", "{{a b}}", "{{#}}{{/}}",
                               "{{=<% %>=}}", "{{.a}}",   "{{a.}}"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        const char *pairs[] = {"p", bad_names[i], NULL};
        result_t r = load(pairs);
        if (r != RES_INVALID)
            fprintf(stderr, "accepted: %s\n", bad_names[i]);
        CHECK_INT(r, RES_INVALID);
    }

    const char *twice[] = {"p", "a", "p", "b", NULL};
    CHECK_INT(load(twice), RES_CONFLICT);

    /* A file label, when given, is what the message names. */
    tmpl_set_free(set);
    set = tmpl_set_new();
    CHECK_INT(
        tmpl_set_compile(set, "login", "{{#x}}", 6, "web/templates/login.html", err, sizeof(err)),
        RES_INVALID);
    CHECK_STR(err, "web/templates/login.html:1: unclosed section \"x\"");
}

TEST(embedded_templates_load)
{
    CHECK_INT(tmpl_init(), RES_OK);
    struct buf out = BUF_INIT(1 << 20);
    CHECK_INT(tmpl_render("no-such-page", NULL, &out), RES_NOT_FOUND);
    CHECK_INT(tmpl_render("error", NULL, &out), RES_OK);
    CHECK(strstr(buf_str(&out), "lang=\"vi\"") != NULL);
    buf_release(&out);
    tmpl_shutdown();
    CHECK_INT(tmpl_render("error", NULL, &out), RES_NOT_FOUND);
    buf_release(&out);
}

/* Mangled templates (truncated, bytes replaced by tag characters) either compile or
 * fail cleanly, and whatever compiles renders within limits; ASan watches. */
TEST(mangled_sources_fail_cleanly)
{
    static const char *const seeds[] = {
        "<ul>{{#xs}}<li>{{name}} {{{raw}}}</li>{{/xs}}{{^xs}}none{{/xs}}</ul>",
        "{{! c }}{{>t}}{{#a.b}}{{.}}{{/a.b}}{{&x}}",
        "{{#a}}\n  {{#b}}\n{{c}}\n  {{/b}}\n{{/a}}\n",
    };
    static const char alphabet[] = "{}#^/>!&=. \nab";
    unsigned seed = 12345;
    json_t *ctx = json_loads("{\"xs\":[{\"name\":\"<n>\"}],\"a\":{\"b\":[1,2],\"c\":true},"
                             "\"raw\":\"<r>\",\"x\":1.5}",
                             0, NULL);
    int compiled = 0, rejected = 0;
    for (int iter = 0; iter < 3000; iter++) {
        char src[128];
        const char *base = seeds[iter % 3];
        size_t n = strlen(base);
        memcpy(src, base, n + 1);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % n;
            src[at] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
        }
        if (iter % 7 == 0)
            src[(seed >> 4) % n] = '\0';
        const char *pairs[] = {"t", src, NULL};
        if (load(pairs) != RES_OK) {
            rejected++;
            continue;
        }
        compiled++;
        struct buf out = BUF_INIT(4096);
        result_t r = tmpl_set_render(set, "t", ctx, &out);
        CHECK(r == RES_OK || r == RES_TOO_LARGE);
        buf_release(&out);
    }
    CHECK(compiled > 100);
    CHECK(rejected > 100);
    json_decref(ctx);
}

/* The compiled set is read-only: threads render the same template concurrently. */
static void *render_many(void *arg)
{
    json_t *ctx = json_pack("{s:[s,s,s]}", "xs", "a", "<b>", "c");
    long bad = 0;
    for (int i = 0; i < 2000; i++) {
        struct buf out = BUF_INIT(1024);
        if (tmpl_set_render(arg, "t", ctx, &out) != RES_OK ||
            strcmp(buf_str(&out), "[a][&lt;b&gt;][c]") != 0)
            bad++;
        buf_release(&out);
    }
    json_decref(ctx);
    return (void *)bad;
}

TEST(concurrent_renders)
{
    const char *pairs[] = {"t", "{{#xs}}[{{.}}]{{/xs}}", NULL};
    CHECK_INT(load(pairs), RES_OK);
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        CHECK_INT(pthread_create(&th[i], NULL, render_many, set), 0);
    for (int i = 0; i < 4; i++) {
        void *bad;
        pthread_join(th[i], &bad);
        CHECK_INT((long)bad, 0);
    }
}

int main(void)
{
    RUN(escapes_xss_payloads);
    RUN(scalar_values);
    RUN(sections_iterate_push_and_skip);
    RUN(context_stack_walks_outward);
    RUN(dotted_names);
    RUN(partials);
    RUN(checked_render_lists_missing_names);
    RUN(recursive_partial_is_bounded);
    RUN(comments_and_standalone_lines);
    RUN(output_limit);
    RUN(syntax_errors_name_file_and_line);
    RUN(embedded_templates_load);
    RUN(mangled_sources_fail_cleanly);
    RUN(concurrent_renders);
    tmpl_set_free(set);
    return CHECK_DONE("test_template");
}
