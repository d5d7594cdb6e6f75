/* Signature and seal images: the per-agency store with one active image per owner and
 * kind (the PNG checks are in sigimage_png.c). */
#include "core/sigimage.h"

#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/authz.h"
#include "core/tx.h"
#include "db/db.h"
#include "db/db_json.h"
#include "util/clock.h"
#include "util/rand.h"

static const char *kind_key(enum sigimage_kind k)
{
    return k == SIGIMAGE_SEAL ? "seal" : "signature";
}

#define IMAGE_COLS                                                                   \
    "i.id, i.agency_id, COALESCE(i.user_id, 0), i.kind, COALESCE(o.full_name, ''), " \
    "COALESCE(o.login, ''), i.width, i.height, length(i.png), i.sha256, i.active, "  \
    "i.created_at, COALESCE(c.full_name, '') FROM signature_image i "                \
    "LEFT JOIN app_user o ON o.id = i.user_id LEFT JOIN app_user c ON c.id = i.created_by "
#define IMAGE_SPEC                                                                           \
    "id:i,agency_id:i,user_id:i,kind:t,owner_name:t,owner_login:t,width:i,height:i,bytes:i," \
    "sha256:t,active:b,created_at:i,created_by_name:t"

/* The new image replaces the owner's active one of its kind, with its audit row. */
struct image_put {
    const struct actor *a;
    int64_t agency_id, user_id;
    enum sigimage_kind kind;
    const unsigned char *png;
    size_t len;
    int w, h;
    const char *sha, *owner;
    int64_t new_id; /* out */
};

static result_t image_put_tx(struct tx *t, void *arg)
{
    struct image_put *ip = arg;
    struct db_conn *c = tx_conn(t);
    ip->new_id = 0;
    result_t r = db_run(c,
                        "UPDATE signature_image SET active = 0 WHERE agency_id = $1 AND kind = $2 "
                        "AND COALESCE(user_id, 0) = $3 AND active = 1",
                        "iti", ip->agency_id, kind_key(ip->kind), ip->user_id);
    if (r == RES_OK)
        r = db_one_i64(c, &ip->new_id,
                       "INSERT INTO signature_image (agency_id, user_id, kind, png, width, "
                       "height, sha256, active, created_by, created_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
                       "iItbiitIi", ip->agency_id, ip->user_id, kind_key(ip->kind), ip->png,
                       ip->len, (int64_t)ip->w, (int64_t)ip->h, ip->sha, ip->a->user_id,
                       clock_now());
    /* Only signature_image_one_active can refuse this insert: a concurrent upload for
     * the same owner committed first. Replay the transaction (db_tx retries RES_BUSY):
     * it then replaces that one. */
    if (r == RES_CONFLICT)
        return RES_BUSY;
    if (r != RES_OK)
        return r;
    char oid[24], summary[400];
    snprintf(oid, sizeof(oid), "%lld", (long long)ip->new_id);
    if (ip->kind == SIGIMAGE_SEAL)
        snprintf(summary, sizeof(summary), "Con dấu của cơ quan (%d×%d px)", ip->w, ip->h);
    else
        snprintf(summary, sizeof(summary), "Chữ ký của %s (%d×%d px)", ip->owner, ip->w, ip->h);
    tx_audit(t, &(struct audit_entry){.actor_id = ip->a->user_id,
                                      .actor_login = ip->a->login,
                                      .agency_id = ip->agency_id,
                                      .action = "sigimage_upload",
                                      .object_type = "signature_image",
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = ip->a->client_addr});
    return RES_OK;
}

result_t sigimage_upload(struct app *app, const struct actor *a, int64_t agency_id, int64_t user_id,
                         enum sigimage_kind kind, const unsigned char *png, size_t len,
                         struct verrs *e, int64_t *id)
{
    result_t r = authz_check(a, AZ_SIGNING_MANAGE, agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t one;
    if ((r = db_one_i64(c, &one, "SELECT 1 FROM agency WHERE id = $1", "i", agency_id)) != RES_OK)
        return r; /* a system administrator without ?agency_id */
    char owner[300] = "";
    if (kind == SIGIMAGE_SEAL && user_id != 0) {
        verrs_add(e, "user_id", "Con dấu thuộc về cơ quan: không chọn người.");
    } else if (kind == SIGIMAGE_SIGNATURE) {
        struct db_stmt *s = NULL;
        if (user_id <= 0) {
            verrs_add(e, "user_id", "Chọn người có chữ ký.");
        } else if ((r = db_query(c, &s,
                                 "SELECT u.full_name FROM membership m JOIN app_user u ON "
                                 "u.id = m.user_id WHERE m.agency_id = $1 AND m.user_id = $2 "
                                 "AND m.active = 1",
                                 "ii", agency_id, user_id)) != RES_OK) {
            return r;
        } else {
            r = db_step(s);
            if (r == RES_ROW)
                snprintf(owner, sizeof(owner), "%s", db_col_text(s, 0));
            db_finalize(s);
            if (r == RES_DONE)
                verrs_add(e, "user_id", "Người này không làm việc tại cơ quan.");
            else if (r != RES_ROW)
                return r;
        }
    }
    int w = 0, h = 0;
    sigimage_check_png(png, len, &w, &h, e);
    if (e->count)
        return RES_INVALID;
    char sha[65];
    sha256_hex(png, len, sha);
    struct image_put ip = {.a = a,
                           .agency_id = agency_id,
                           .user_id = user_id,
                           .kind = kind,
                           .png = png,
                           .len = len,
                           .w = w,
                           .h = h,
                           .sha = sha,
                           .owner = owner};
    if ((r = tx_run(app->db, image_put_tx, &ip)) == RES_OK && id)
        *id = ip.new_id;
    return r;
}

result_t sigimage_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out)
{
    result_t r = authz_check(a, AZ_SIGNING_MANAGE, agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    if (!c)
        return RES_DB;
    if ((r = db_query(c, &s,
                      "SELECT " IMAGE_COLS "WHERE i.agency_id = $1 "
                      "ORDER BY i.created_at DESC, i.id DESC",
                      "i", agency_id)) != RES_OK)
        return r;
    return db_collect(s, IMAGE_SPEC, out);
}

/* The agency and owner of an image, for the authorization decision. */
static result_t image_owner(struct db_conn *c, int64_t id, int64_t *agency_id, int64_t *user_id,
                            bool *active)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT agency_id, COALESCE(user_id, 0), active FROM signature_image "
                          "WHERE id = $1",
                          "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        *agency_id = db_col_i64(s, 0);
        *user_id = db_col_i64(s, 1);
        *active = db_col_i64(s, 2) != 0;
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

/* An image as the policy's object: a person's signature is theirs, the seal the
 * agency's; another agency's images answer RES_NOT_FOUND. */
static result_t check_image(const struct actor *a, enum authz_action action, int64_t agency_id,
                            int64_t user_id)
{
    struct authz_object o = {
        .kind = AZ_OBJ_SIGNING, .agency_id = agency_id, .owner_user_id = user_id};
    return authz_check_object(a, action, &o);
}

result_t sigimage_get(struct app *app, const struct actor *a, int64_t id, json_t **out)
{
    struct db_conn *c = db_conn(app->db);
    int64_t agency_id = 0, user_id = 0;
    bool active;
    if (!c)
        return RES_DB;
    result_t r = image_owner(c, id, &agency_id, &user_id, &active);
    if (r != RES_OK)
        return r;
    if ((r = check_image(a, AZ_SIGNING_MANAGE, agency_id, user_id)) != RES_OK)
        return r;
    struct db_stmt *s = NULL;
    if ((r = db_query(c, &s, "SELECT " IMAGE_COLS "WHERE i.id = $1", "i", id)) != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        *out = db_row_json(s, IMAGE_SPEC);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

/* The first column of the statement's first row into out; finalizes s. */
static result_t first_blob(struct db_stmt *s, struct buf *out)
{
    result_t r = db_step(s);
    if (r == RES_ROW) {
        size_t len = 0;
        const void *p = db_col_blob(s, 0, &len);
        buf_reset(out);
        r = p ? buf_append(out, p, len) : RES_INTERNAL;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

result_t sigimage_png(struct app *app, const struct actor *a, int64_t id, struct buf *out)
{
    struct db_conn *c = db_conn(app->db);
    int64_t agency_id = 0, user_id = 0;
    bool active;
    if (!c)
        return RES_DB;
    result_t r = image_owner(c, id, &agency_id, &user_id, &active);
    if (r != RES_OK)
        return r;
    if ((r = check_image(a, AZ_SIGNING_READ, agency_id, user_id)) != RES_OK)
        return r;
    struct db_stmt *s = NULL;
    if ((r = db_query(c, &s, "SELECT png FROM signature_image WHERE id = $1", "i", id)) != RES_OK)
        return r;
    return first_blob(s, out);
}

result_t sigimage_active(struct app *app, int64_t agency_id, int64_t user_id,
                         enum sigimage_kind kind, struct buf *out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s,
                 "SELECT png FROM signature_image WHERE agency_id = $1 AND kind = $2 "
                 "AND COALESCE(user_id, 0) = $3 AND active = 1 ORDER BY id DESC",
                 "iti", agency_id, kind_key(kind), kind == SIGIMAGE_SEAL ? (int64_t)0 : user_id);
    if (r != RES_OK)
        return r;
    return first_blob(s, out);
}

struct image_off {
    const struct actor *a;
    int64_t id, agency_id, user_id;
};

static result_t image_off_tx(struct tx *t, void *arg)
{
    const struct image_off *io = arg;
    result_t r =
        db_run(tx_conn(t), "UPDATE signature_image SET active = 0 WHERE id = $1", "i", io->id);
    if (r != RES_OK)
        return r;
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)io->id);
    tx_audit(t, &(struct audit_entry){.actor_id = io->a->user_id,
                                      .actor_login = io->a->login,
                                      .agency_id = io->agency_id,
                                      .action = "sigimage_deactivate",
                                      .object_type = "signature_image",
                                      .object_id = oid,
                                      .summary = io->user_id ? "Ngừng dùng ảnh chữ ký"
                                                             : "Ngừng dùng ảnh con dấu",
                                      .client_addr = io->a->client_addr});
    return RES_OK;
}

result_t sigimage_deactivate(struct app *app, const struct actor *a, int64_t id)
{
    struct db_conn *c = db_conn(app->db);
    int64_t agency_id = 0, user_id = 0;
    bool active = false;
    if (!c)
        return RES_DB;
    result_t r = image_owner(c, id, &agency_id, &user_id, &active);
    if (r != RES_OK)
        return r;
    if ((r = check_image(a, AZ_SIGNING_MANAGE, agency_id, user_id)) != RES_OK)
        return r;
    if (!active)
        return RES_OK; /* already replaced or withdrawn: kept for the record */
    struct image_off io = {.a = a, .id = id, .agency_id = agency_id, .user_id = user_id};
    return tx_run(app->db, image_off_tx, &io);
}
