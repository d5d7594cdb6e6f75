/* `qlvb pdf` command line (placeholder until the pdf module lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_pdf(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "qlvb pdf: chưa có trong phiên bản này (not built yet)\n");
    return EXIT_FAIL;
}
