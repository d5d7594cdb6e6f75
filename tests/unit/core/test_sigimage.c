/* The signature and seal image store on the demo data: one active image per owner and
 * kind, what the signing service receives (sigimage_active), who may see a preview, and
 * that another agency's administrator sees nothing. */
#include <stdlib.h>
#include <unistd.h>

#include "app_fixture.h"
#include "check.h"
#include "core/demo.h"
#include "core/role.h"
#include "core/sigimage.h"
#include "db/db.h"
#include "util/buf.h"

static char data_dir[64];
static struct app app;
static struct actor sys;
static int64_t skhcn, truongvinh, person, outsider;

static void read_fixture(const char *name, struct buf *b)
{
    char path[128];
    snprintf(path, sizeof(path), "../fixtures/pdf/%s", name);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    buf_init(b, SIGIMAGE_MAX_BYTES);
    char chunk[4096];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(b, chunk, n);
    if (f)
        fclose(f);
}

static int64_t one(const char *sql)
{
    int64_t v = 0;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, ""), RES_OK);
    return v;
}

/* An administrator working in agency_id. */
static struct actor admin_of(int64_t agency_id, int64_t user_id)
{
    struct actor a = {
        .user_id = user_id, .membership_id = 1, .agency_id = agency_id, .roles = ROLE_ADMIN};
    snprintf(a.login, sizeof(a.login), "admin");
    return a;
}

static bool same(const struct buf *a, const struct buf *b)
{
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

TEST(active_images_for_signing)
{
    struct buf seal, sig, out = BUF_INIT(SIGIMAGE_MAX_BYTES);
    struct verrs e = {0};
    int64_t seal_id = 0, sig_id = 0, sig2 = 0;
    read_fixture("seal.png", &seal);
    read_fixture("signature.png", &sig);
    CHECK_INT(sigimage_active(&app, skhcn, 0, SIGIMAGE_SEAL, &out), RES_NOT_FOUND);
    CHECK_INT(sigimage_upload(&app, &sys, skhcn, 0, SIGIMAGE_SEAL, (unsigned char *)seal.data,
                              seal.len, &e, &seal_id),
              RES_OK);
    CHECK_INT(sigimage_upload(&app, &sys, skhcn, person, SIGIMAGE_SIGNATURE,
                              (unsigned char *)sig.data, sig.len, &e, &sig_id),
              RES_OK);
    CHECK_INT(e.count, 0);
    CHECK_INT(sigimage_active(&app, skhcn, 0, SIGIMAGE_SEAL, &out), RES_OK);
    CHECK(same(&out, &seal));
    /* the seal is the agency's whatever user is asked for */
    CHECK_INT(sigimage_active(&app, skhcn, person, SIGIMAGE_SEAL, &out), RES_OK);
    CHECK_INT(sigimage_active(&app, skhcn, person, SIGIMAGE_SIGNATURE, &out), RES_OK);
    CHECK(same(&out, &sig));
    CHECK_INT(sigimage_active(&app, truongvinh, 0, SIGIMAGE_SEAL, &out), RES_NOT_FOUND);

    /* a replacement: the seal image as the person's signature, just to tell them apart */
    CHECK_INT(sigimage_upload(&app, &sys, skhcn, person, SIGIMAGE_SIGNATURE,
                              (unsigned char *)seal.data, seal.len, &e, &sig2),
              RES_OK);
    CHECK_INT(sigimage_active(&app, skhcn, person, SIGIMAGE_SIGNATURE, &out), RES_OK);
    CHECK(same(&out, &seal));
    json_t *list = NULL;
    CHECK_INT(sigimage_list(&app, &sys, skhcn, &list), RES_OK);
    CHECK_INT(json_array_size(list), 3);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(list, 0), "id")), sig2);
    size_t i;
    json_t *im;
    int active = 0;
    json_array_foreach(list, i, im)
    {
        active += json_is_true(json_object_get(im, "active"));
    }
    CHECK_INT(active, 2);
    json_decref(list);

    /* refusals: a non-member's signature, a seal with a person, an unknown agency */
    memset(&e, 0, sizeof(e));
    CHECK_INT(sigimage_upload(&app, &sys, skhcn, outsider, SIGIMAGE_SIGNATURE,
                              (unsigned char *)sig.data, sig.len, &e, NULL),
              RES_INVALID);
    CHECK_STR(e.items[0].field, "user_id");
    memset(&e, 0, sizeof(e));
    CHECK_INT(sigimage_upload(&app, &sys, skhcn, person, SIGIMAGE_SEAL, (unsigned char *)seal.data,
                              seal.len, &e, NULL),
              RES_INVALID);
    memset(&e, 0, sizeof(e));
    CHECK_INT(sigimage_upload(&app, &sys, 999999, 0, SIGIMAGE_SEAL, (unsigned char *)seal.data,
                              seal.len, &e, NULL),
              RES_NOT_FOUND);

    /* withdrawn: nothing to sign with until a new image comes */
    CHECK_INT(sigimage_deactivate(&app, &sys, seal_id), RES_OK);
    CHECK_INT(sigimage_deactivate(&app, &sys, seal_id), RES_OK);
    CHECK_INT(sigimage_active(&app, skhcn, 0, SIGIMAGE_SEAL, &out), RES_NOT_FOUND);
    buf_release(&seal);
    buf_release(&sig);
    buf_release(&out);
}

TEST(who_sees_what)
{
    struct buf out = BUF_INIT(SIGIMAGE_MAX_BYTES);
    json_t *list = NULL;
    int64_t sig_id = 0;
    CHECK_INT(db_one_i64(db_conn(app.db), &sig_id,
                         "SELECT id FROM signature_image WHERE user_id = $1 AND active = 1", "i",
                         person),
              RES_OK);
    struct actor own = admin_of(skhcn, 1), other = admin_of(truongvinh, 2);
    struct actor owner = {.user_id = person, .membership_id = 5, .agency_id = skhcn};
    struct actor stranger = {.user_id = outsider, .membership_id = 6, .agency_id = truongvinh};
    CHECK_INT(sigimage_png(&app, &own, sig_id, &out), RES_OK);
    CHECK_INT(sigimage_png(&app, &owner, sig_id, &out), RES_OK);
    CHECK_INT(sigimage_png(&app, &other, sig_id, &out), RES_NOT_FOUND);
    CHECK_INT(sigimage_png(&app, &stranger, sig_id, &out), RES_NOT_FOUND);
    CHECK_INT(sigimage_deactivate(&app, &other, sig_id), RES_NOT_FOUND);
    json_t *row = NULL;
    CHECK_INT(sigimage_get(&app, &other, sig_id, &row), RES_NOT_FOUND);
    CHECK_INT(sigimage_list(&app, &other, skhcn, &list), RES_FORBIDDEN);
    CHECK_INT(sigimage_list(&app, &owner, skhcn, &list), RES_FORBIDDEN);
    CHECK_INT(sigimage_list(&app, &other, truongvinh, &list), RES_OK);
    CHECK_INT(json_array_size(list), 0);
    json_decref(list);
    CHECK_INT(sigimage_get(&app, &own, sig_id, &row), RES_OK);
    CHECK_INT(json_integer_value(json_object_get(row, "user_id")), person);
    json_decref(row);
    buf_release(&out);
}

int main(void)
{
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "sigimage", false) != 0)
        return 2;
    skhcn = one("SELECT m.agency_id FROM membership m JOIN app_user u ON u.id = m.user_id "
                "WHERE u.login = '040090000141'");
    truongvinh = one("SELECT m.agency_id FROM membership m JOIN app_user u ON u.id = m.user_id "
                     "WHERE u.login = '040090000301'");
    person = one("SELECT id FROM app_user WHERE login = '040090000145'");
    outsider = one("SELECT id FROM app_user WHERE login = '040090000301'");
    RUN(active_images_for_signing);
    RUN(who_sees_what);
    db_close(app.db);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_sigimage");
}
