#include "server_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <thread>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {

ServerProcess::ServerProcess(const std::string& searcher, std::vector<std::string> args,
                             const std::string& cwd) {
    static int serial = 0;
    const std::string stem =
        (std::filesystem::temp_directory_path() /
         ("newsidx-serve-" + std::to_string(::getpid()) + "-" + std::to_string(++serial)))
            .string();
    log_path_ = stem + ".log";
    out_path_ = stem + ".out";
    args.insert(args.begin(), {searcher, "--serve", "127.0.0.1:0"});
    process_ = std::make_unique<Background>(args, out_path_, log_path_, cwd);
    const std::regex serving(R"(on http://127\.0\.0\.1:([0-9]+)/)");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch m;
        const std::string text = log();
        if (std::regex_search(text, m, serving)) {
            port_ = std::stoi(m[1]);
            return;
        }
        // It ended with an error: port() stays 0, and log() says why.
        if (text.find("searcher: error:") != std::string::npos || ::kill(process_->pid(), 0) != 0)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

ServerProcess::~ServerProcess() {
    stop();
    std::remove(log_path_.c_str());
    std::remove(out_path_.c_str());
}

}  // namespace newsidx::test
