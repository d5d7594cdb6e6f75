/* `qlvb calendar holidays YEAR [--json]` and `qlvb calendar add YYYY-MM-DD N`: the
 * working calendar (core/calendar.h) checked from the shell. Without --data/--db only
 * the statutory calendar is used; with them the installation's overrides too. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "core/calendar.h"
#include "util/str.h"

static const char *const weekdays[7] = {"CN", "T2", "T3", "T4", "T5", "T6", "T7"};

static void usage(FILE *out)
{
    fprintf(out,
            "Cách dùng:\n"
            "  qlvb calendar holidays NĂM [--json] [--data DIR] [--db URL]\n"
            "      Các ngày nghỉ của năm (1900–2100): ngày lễ, tết theo Bộ luật Lao động 2019\n"
            "      (Điều 112; Tết Nguyên Đán và Giỗ Tổ theo âm lịch Việt Nam, UTC+7), ngày nghỉ\n"
            "      bù (Điều 111) và, khi có --data/--db, ngày nghỉ hoán đổi của hệ thống.\n"
            "  qlvb calendar add YYYY-MM-DD N [--data DIR] [--db URL]\n"
            "      In ngày sau N ngày làm việc (N âm: trước N ngày làm việc).\n"
            "  Ngày làm việc: QLVB_WORK_DAYS (mặc định 1-5, thứ Hai–thứ Sáu); giờ làm việc:\n"
            "  QLVB_OFFICE_HOURS (mặc định 07:30-11:30,13:30-17:00).\n");
}

/* Takes --data/--db and --json out of argv; returns the remaining count. */
static int take_options(int argc, char **argv, struct config *cfg, bool *use_db, bool *json,
                        bool *bad)
{
    int w = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--data") || !strcmp(argv[i], "--db")) {
            if (i + 1 >= argc) {
                *bad = true;
                break;
            }
            if (!strcmp(argv[i], "--data"))
                str_copy(cfg->data_dir, argv[i + 1], sizeof(cfg->data_dir));
            else
                str_copy(cfg->db_url, argv[i + 1], sizeof(cfg->db_url));
            *use_db = true;
            i++;
        } else if (!strcmp(argv[i], "--json")) {
            *json = true;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "qlvb calendar: tùy chọn không hợp lệ '%s'\n", argv[i]);
            *bad = true;
        } else {
            argv[w++] = argv[i];
        }
    }
    return w;
}

static int load(struct calendar *cal, bool use_db, struct app *app)
{
    if (calendar_init(cal) != RES_OK)
        fprintf(stderr, "qlvb calendar: QLVB_WORK_DAYS, QLVB_OFFICE_HOURS hoặc "
                        "QLVB_DUE_SOON_DAYS không hợp lệ; dùng giá trị mặc định.\n");
    if (!use_db)
        return EXIT_OK;
    if (!cli_open(app, false))
        return EXIT_FAIL;
    result_t r = calendar_load(cal, app);
    cli_close(app);
    if (r != RES_OK) {
        fprintf(stderr, "qlvb calendar: không đọc được lịch làm việc trong CSDL (%s).\n",
                result_name(r));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static bool in_year(const char *iso, int year)
{
    char y[8];
    snprintf(y, sizeof(y), "%04d-", year);
    return !strncmp(iso, y, 5);
}

static int holidays(struct calendar *cal, int year, bool json)
{
    static struct cal_holiday days[96];
    int n = calendar_holidays(cal, year, days, 96);
    char iso[16];
    if (json) {
        json_t *arr = json_array(), *work = json_array();
        for (int i = 0; i < n; i++) {
            calendar_format_day(days[i].day, iso, sizeof(iso));
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "date", iso, "name", days[i].name,
                                                 "kind", calendar_kind_key(days[i].kind)));
        }
        for (int i = 0; i < cal->noverrides; i++) {
            const struct cal_override *o = &cal->overrides[i];
            calendar_format_day(o->day, iso, sizeof(iso));
            if (o->kind == CAL_OV_WORKING_DAY && in_year(iso, year))
                json_array_append_new(work, json_string(iso));
        }
        json_t *o = json_pack("{s:i,s:o,s:o}", "year", year, "holidays", arr, "working_days", work);
        char *s = json_dumps(o, JSON_INDENT(2));
        printf("%s\n", s ? s : "{}");
        free(s);
        json_decref(o);
        return EXIT_OK;
    }
    for (int i = 0; i < n; i++) {
        calendar_format_day(days[i].day, iso, sizeof(iso));
        printf("%s  %s  %s\n", iso, weekdays[calendar_weekday(days[i].day)], days[i].name);
    }
    for (int i = 0; i < cal->noverrides; i++) {
        const struct cal_override *o = &cal->overrides[i];
        calendar_format_day(o->day, iso, sizeof(iso));
        if (o->kind == CAL_OV_WORKING_DAY && in_year(iso, year))
            printf("%s  %s  Ngày làm bù (làm việc)\n", iso, weekdays[calendar_weekday(o->day)]);
    }
    return EXIT_OK;
}

int cmd_calendar(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EXIT_OK;
    }
    static struct app app;
    memset(&app, 0, sizeof(app));
    cli_config(&app.cfg);
    bool use_db = false, json = false, bad = false;
    argc = take_options(argc, argv, &app.cfg, &use_db, &json, &bad);
    if (bad || argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    static struct calendar cal;
    int64_t v;
    if (!strcmp(argv[1], "holidays")) {
        if (argc != 3 || str_to_i64(argv[2], 1900, 2100, &v) != RES_OK) {
            fprintf(stderr, "qlvb calendar holidays: cần một năm từ 1900 đến 2100 (%s).\n",
                    argc > 2 ? argv[2] : "thiếu năm");
            return EXIT_USAGE;
        }
        int rc = load(&cal, use_db, &app);
        return rc != EXIT_OK ? rc : holidays(&cal, (int)v, json);
    }
    if (!strcmp(argv[1], "add")) {
        int64_t day, n;
        if (argc != 4 || calendar_parse_day(argv[2], &day) != RES_OK) {
            fprintf(stderr,
                    "qlvb calendar add: ngày phải có dạng YYYY-MM-DD, năm 1900–2100 "
                    "(%s).\n",
                    argc > 2 ? argv[2] : "thiếu ngày");
            return EXIT_USAGE;
        }
        if (str_to_i64(argv[3], -3650, 3650, &n) != RES_OK) {
            fprintf(stderr, "qlvb calendar add: N phải là số nguyên từ -3650 đến 3650 (%s).\n",
                    argv[3]);
            return EXIT_USAGE;
        }
        if (json) {
            fprintf(stderr, "qlvb calendar add: không có tùy chọn --json.\n");
            return EXIT_USAGE;
        }
        int rc = load(&cal, use_db, &app);
        if (rc != EXIT_OK)
            return rc;
        int64_t r = calendar_add_working_days(&cal, day, (int)n);
        char iso[16];
        calendar_format_day(r, iso, sizeof(iso));
        printf("%s\n", iso);
        return EXIT_OK;
    }
    fprintf(stderr, "qlvb calendar: không có lệnh con '%s' (holidays, add).\n", argv[1]);
    return EXIT_USAGE;
}
