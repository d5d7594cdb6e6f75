/* Serves the OpenAPI description (docs/openapi.json is embedded via web/). */
#include "api/api.h"
#include "util/embedded.h"

void api_openapi(struct req *r)
{
    const struct embedded_file *f = embedded_find("web/openapi.json");
    if (!f) {
        resp_error(r, 404, "Không tìm thấy", "Chưa có mô tả OpenAPI.");
        return;
    }
    resp_text(r, 200, "application/json; charset=utf-8", (const char *)f->data, f->len);
}
