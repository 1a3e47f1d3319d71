// Runs a program and captures what a user would see: exit code, stdout and stderr.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace newsidx::test {

struct CommandResult {
    int exit_code = -1;  ///< the exit status, or 128 + signal number
    std::string out;
    std::string err;
};

/// Runs argv[0] with the arguments, in `cwd` when not empty, with the environment of the
/// test minus NEWSIDX_DB plus `env`.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& cwd = {},
                          const std::map<std::string, std::string>& env = {});

}  // namespace newsidx::test
