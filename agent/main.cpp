#include "agent/cli.h"

int main(int argc, char** argv) { return linkready::runCli(argc, argv); }
