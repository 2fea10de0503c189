#pragma once

namespace linkready {

// The `linkready` command line. Returns the process exit code: 0 OK, 1 WARNING,
// 2 CRITICAL, 3 UNKNOWN or a usage/config error.
int runCli(int argc, char** argv);

}  // namespace linkready
