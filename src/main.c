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
    {"user", cmd_user, "quản lý tài khoản: add, reset-password, lock, unlock, list"},
    {"agency", cmd_agency, "quản lý cơ quan: import CSV (code,name,abbr,parent), list"},
    {"audit", cmd_audit, "nhật ký: verify (kiểm tra chuỗi băm), tail"},
    {"edxml", cmd_edxml, "gói tin edXML: parse, build, sign, verify"},
    {"pdf", cmd_pdf, "PDF: sign, verify, stamp"},
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
    fprintf(out, "Mỗi lệnh có --help riêng. Biến môi trường: QLVB_DATA, QLVB_DB, QLVB_LISTEN.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "version") || !strcmp(name, "--version")) {
        printf("qlvb %s\n", QLVB_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "qlvb: không có lệnh '%s' (unknown command). Xem: qlvb help\n", name);
    return EXIT_USAGE;
}
