// Runs a program and captures what a user would see: exit code, stdout and stderr.
#pragma once

#include <sys/types.h>

#include <csignal>
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

/// The lines of a program's output, without their newlines.
std::vector<std::string> lines_of(const std::string& text);

/// Starts argv[0] without waiting for it; stdout and stderr go to the files named.
pid_t spawn_command(const std::vector<std::string>& argv, const std::string& out_path,
                    const std::string& err_path, const std::string& cwd = {},
                    const std::map<std::string, std::string>& env = {});

/// Waits for a spawned command: its exit status, or 128 + the signal that ended it.
int wait_command(pid_t pid);

/// A program started without waiting for it, its stdout and stderr going to the files named;
/// stopped with SIGTERM and waited for when it goes, unless stop() was called.
class Background {
  public:
    Background(const std::vector<std::string>& argv, std::string out_path, std::string err_path,
               const std::string& cwd = {});
    ~Background() { stop(); }
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

    pid_t pid() const { return pid_; }
    /// What it has written so far (empty before its file exists).
    std::string out() const;
    std::string err() const;
    /// Sends `signal` and waits: its exit status (128 + signal when a signal ended it), the same
    /// again when called once more.
    int stop(int signal = SIGTERM);

  private:
    std::string out_path_, err_path_;
    pid_t pid_ = -1;
    int status_ = -1;
};

/// A TCP port on the loopback interface that was free a moment ago (the kernel's choice,
/// released: for a server to listen on, or for nothing to answer on); 0 if none was given.
int free_loopback_port();

}  // namespace newsidx::test
