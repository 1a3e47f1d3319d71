// A `searcher --serve` process for a test: started on a free loopback port, stopped (SIGTERM)
// at the end; its access log is its stderr.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "run_command.hpp"

namespace newsidx::test {

class ServerProcess {
  public:
    /// Starts `searcher --serve 127.0.0.1:0 ARGS...` in `cwd` and waits (up to 20 s) for its
    /// "serving ... on http://127.0.0.1:PORT/" line; port() is 0 if it never came.
    ServerProcess(const std::string& searcher, std::vector<std::string> args,
                  const std::string& cwd);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    /// What it has written to stderr so far: the "serving" line, then the access log.
    std::string log() const { return process_->err(); }
    /// Sends SIGTERM and waits: its exit status (128 + signal when a signal ended it).
    int stop() { return process_->stop(); }

  private:
    std::string log_path_;
    std::string out_path_;
    std::unique_ptr<Background> process_;
    int port_ = 0;
};

}  // namespace newsidx::test
