// The searcher's alert commands (--alerts, --alert-add, --alert-remove, --alerts-check,
// --alerts-follow): saved searches and their alerts (newsidx/alerts.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

#include "newsidx/alerts.hpp"
#include "newsidx/options.hpp"

namespace newsidx::alerts_cli {

struct Command {
    std::string dir;  ///< --alerts-dir; empty: DB.alerts
    bool list = false;
    std::string add, remove;
    bool check = false, follow = false;

    bool any() const { return list || !add.empty() || !remove.empty() || check || follow; }
    /// What delivers alerts, so it needs a webhook's HTTP client (newsidx-serve's).
    bool delivers() const { return check || follow; }
};

/// Declares the commands on `app`.
void declare(CLI::App& app, Command& command);

/// Runs the command given. `given` is the search options typed (what --alert-add saves),
/// `words` the query. Returns the exit status: 0 (alerts, or done), 1 (no alert), or throws
/// Error.
int run(const Command& command, const SearchOptions& options,
        const std::map<std::string, std::string>& given, const std::vector<std::string>& words,
        bool json, const alerts::WebhookSender& webhook);

}  // namespace newsidx::alerts_cli
