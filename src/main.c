/* qlvb: the document management and executive system of a province, in one binary.
 * This file only dispatches subcommands; each lives in src/cli/ or its layer. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "version.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    {"serve", cmd_serve, "chạy máy chủ web và API (serve the web UI and API)"},
    {"init", cmd_init, "tạo thư mục dữ liệu và CSDL; --demo: dữ liệu mẫu của một tỉnh"},
    {"user", cmd_user, "quản lý tài khoản: add, reset-password, lock, unlock"},
    {"agency", cmd_agency, "quản lý cơ quan: import CSV (code,name,abbr,parent), list"},
    {"audit", cmd_audit, "nhật ký: verify (kiểm tra chuỗi băm)"},
    {"edxml", cmd_edxml, "gói tin edXML: parse, build, sign, verify"},
    {"pdf", cmd_pdf, "PDF: sign, verify, stamp"},
    {"calendar", cmd_calendar, "lịch làm việc: holidays NĂM [--json], add YYYY-MM-DD N"},
    {"migrate-to-postgres", cmd_migrate_to_postgres,
     "chuyển CSDL SQLite sang PostgreSQL: --from DIR --to postgres://…"},
};

static void usage(FILE *out)
{
    fprintf(out, "qlvb %s — Hệ thống quản lý văn bản và điều hành\n\n", QLVB_VERSION);
    fprintf(out, "Cách dùng: qlvb <lệnh> [tham số]\n\nCác lệnh:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "  %-8s %s\n  %-8s %s\n\n", "version", "in phiên bản", "help", "in hướng dẫn này");
    fprintf(out, "Mỗi lệnh có --help riêng (qlvb help <lệnh>). Biến môi trường: QLVB_DATA, "
                 "QLVB_DB, QLVB_LISTEN.\n");
}

static int version_usage(void)
{
    printf("Cách dùng: qlvb version\n  In phiên bản của chương trình.\n");
    return EXIT_OK;
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    const struct command *c;
    if (cli_is_help(name)) {
        /* `qlvb help user` is `qlvb user --help` */
        if (argc > 2 && (c = find_command(argv[2])) != NULL) {
            char *help_argv[] = {argv[2], "--help", NULL};
            return c->run(2, help_argv);
        }
        if (argc > 2 && !strcmp(argv[2], "version"))
            return version_usage();
        if (argc > 2 && !cli_is_help(argv[2])) {
            fprintf(stderr, "qlvb: không có lệnh '%s' (unknown command). Xem: qlvb help\n",
                    argv[2]);
            return EXIT_USAGE;
        }
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "version") || !strcmp(name, "--version")) {
        if (cli_wants_help(argc - 1, argv + 1))
            return version_usage();
        printf("qlvb %s\n", QLVB_VERSION);
        return EXIT_OK;
    }
    if ((c = find_command(name)) != NULL)
        return c->run(argc - 1, argv + 1);
    fprintf(stderr, "qlvb: không có lệnh '%s' (unknown command). Xem: qlvb help\n", name);
    return EXIT_USAGE;
}
