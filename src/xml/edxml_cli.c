/* `qlvb edxml` command line (placeholder until the edxml module lands). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_edxml(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "qlvb edxml: chưa có trong phiên bản này (not built yet)\n");
    return EXIT_FAIL;
}
