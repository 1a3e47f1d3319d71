// Man pages and shell completions made from a front end's CLI11 app: every option the app
// declares (the search option table's rows and the front end's own) is in them, so a new
// option cannot be missing. The binaries print them for the build (`--print-man`,
// `--print-completion bash|zsh|fish`, options that help does not list), which installs them.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace newsidx::cli {

/// The man page (roff, section 1) of `app`: NAME, SYNOPSIS (`synopsis`: "[OPTIONS] QUERY..."),
/// DESCRIPTION, OPTIONS (each with its value and help), the footer (examples, exit status) and
/// SEE ALSO.
std::string man_page(const CLI::App& app, std::string_view program, std::string_view synopsis);

/// A completion script for `shell` (bash, zsh or fish) that completes every option of `app`
/// (with its help in zsh and fish), the choices of those that have a list of them, and files
/// otherwise. Empty for another shell.
std::string completion(const CLI::App& app, std::string_view program, std::string_view shell);

/// When the command line is `PROGRAM --print-man` or `PROGRAM --print-completion SHELL`, prints
/// the page or the script on stdout and returns the exit status (2 for an unknown shell);
/// otherwise nullopt.
std::optional<int> print_generated(const CLI::App& app, int argc, char** argv,
                                   std::string_view program, std::string_view synopsis);

}  // namespace newsidx::cli
