// End-to-end tests of index sets: indexes served by xapian-tcpsrv on the loopback, and answers
// compared across layouts.
#pragma once

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {

/// Each of `indexes` served by its own xapian-tcpsrv on 127.0.0.1 (a free port each), stopped
/// however the test ends. Each server runs in a session of its own: on SIGTERM it signals its
/// whole process group.
class LoopbackShards {
  public:
    static constexpr const char* kServer = "/usr/bin/xapian-tcpsrv";

    /// Whether xapian-tcpsrv (xapian-tools) and setsid (util-linux) are installed.
    static bool available() {
        return std::filesystem::exists(kServer) && std::filesystem::exists("/usr/bin/setsid");
    }

    /// Starts the servers, writing their output under `logs`; port() is 0 for a server that
    /// found no free port.
    LoopbackShards(const std::vector<std::string>& indexes, const std::string& logs) {
        for (std::size_t k = 0; k < indexes.size(); ++k) {
            const int port = free_loopback_port();
            ports_.push_back(port);
            if (port == 0) continue;
            const std::string log = logs + "/server-" + std::to_string(k + 1);
            pids_.push_back(spawn_command({"/usr/bin/setsid", kServer, "--quiet", "--interface",
                                           "127.0.0.1", "--port", std::to_string(port), indexes[k]},
                                          log + ".out", log + ".err"));
        }
    }
    ~LoopbackShards() {
        for (pid_t pid : pids_) ::kill(pid, SIGTERM);
        for (pid_t pid : pids_) wait_command(pid);
    }
    LoopbackShards(const LoopbackShards&) = delete;
    LoopbackShards& operator=(const LoopbackShards&) = delete;

    bool started() const {
        return !ports_.empty() && std::find(ports_.begin(), ports_.end(), 0) == ports_.end();
    }

    /// A stub file naming every server, one `remote :127.0.0.1:PORT` line each.
    std::string stub() const {
        std::string text;
        for (int port : ports_) text += "remote :127.0.0.1:" + std::to_string(port) + "\n";
        return text;
    }

  private:
    std::vector<int> ports_;
    std::vector<pid_t> pids_;
};

/// Runs `searcher --db DB --json -n 20 FLAGS...`.
inline CommandResult search_json_of(const std::string& searcher, const std::string& db,
                                    const std::vector<std::string>& flags) {
    std::vector<std::string> args{searcher, "--db", db, "--json", "-n", "20"};
    args.insert(args.end(), flags.begin(), flags.end());
    return run_command(args);
}

/// Waits up to five seconds for a set with remote shards to answer (servers take a moment to
/// listen); returns the last attempt.
inline CommandResult first_answer(const std::string& searcher, const std::string& stub,
                                  const std::string& query) {
    CommandResult r;
    for (int attempt = 0; attempt < 50; ++attempt) {
        r = search_json_of(searcher, stub, {query});
        if (r.exit_code == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return r;
}

/// Everything of a JSON answer but its timing, its notes (what a set says of itself) and its
/// scores' last bits (sums of the same weights in another order).
inline nlohmann::json comparable_answer(const std::string& out) {
    nlohmann::json j = nlohmann::json::parse(out);
    j.erase("elapsed_ms");
    j.erase("notes");
    for (nlohmann::json& hit : j["results"]) {
        const double score = hit["score"];
        hit["score"] = std::round(score * 1e9) / 1e9;
    }
    return j;
}

}  // namespace newsidx::test
