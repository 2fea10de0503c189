#include "agent/cli/cli.h"

int main(int argc, char** argv) { return linkready::runCli(argc, argv); }
