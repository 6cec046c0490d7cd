#include "cli.h"
#include "commands.h"
int cmd_queries(int argc, const char **argv) { (void)argc; (void)argv; return 1; }
