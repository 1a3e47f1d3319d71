#include "alerts_cli.hpp"

#include <csignal>
#include <iostream>

#include "newsidx/cli.hpp"
#include "newsidx/error.hpp"

namespace newsidx::alerts_cli {

namespace {

std::atomic<bool> stopping{false};

extern "C" void on_stop(int) { stopping = true; }

// How many alerts --alerts lists per saved search.
constexpr std::size_t kLatest = 5;

void print_check(const alerts::CheckReport& report) {
    for (const std::string& note : report.notes) std::cerr << "searcher: note: " << note << '\n';
    for (const alerts::Alert& a : report.alerts)
        std::cout << "alert #" << a.n << " [" << a.search << "] " << a.article.date << "  "
                  << a.article.title << "\n  " << a.article.url
                  << (a.copies.empty() ? std::string() : "\n  " + alerts::also_ran(a.article, a.copies))
                  << '\n';
    if (report.searches == 0 && report.notes.empty()) {
        std::cerr << "no saved searches: save one with --alert-add NAME QUERY\n";
        return;
    }
    std::cerr << report.searches << (report.searches == 1 ? " saved search" : " saved searches")
              << " checked up to change " << report.upto << ": " << report.alerts.size()
              << (report.alerts.size() == 1 ? " new alert" : " new alerts") << '\n';
}

void print_receivers(const std::vector<alerts::ReceiverState>& states) {
    for (const alerts::ReceiverState& s : states)
        std::cerr << "receiver " << s.receiver.name << " (" << s.receiver.kind
                  << "): delivered up to #" << s.delivered
                  << (s.waiting ? ", " + std::to_string(s.waiting) + " waiting" : std::string())
                  << (s.last_error.empty() ? std::string() : " (" + s.last_error + ")") << '\n';
}

}  // namespace

void declare(CLI::App& app, Command& c) {
    app.add_flag("--alerts", c.list,
                 "List the saved searches with their latest alerts, each with the copies of its "
                 "story the index holds now, and where alerts go (docs/alerts.md)");
    app.add_option("--alert-add", c.add,
                   "Save the query (and --since, --until, --site, --lang, --all, --plain) as the "
                   "search NAME, replacing one of that name: it alerts once for each new story "
                   "that matches among the articles indexed from now on")
        ->type_name("NAME");
    app.add_option("--alert-remove", c.remove, "Remove the saved search NAME")->type_name("NAME");
    app.add_flag("--alerts-check", c.check,
                 "Run every saved search over the articles indexed since its last check, record "
                 "the new alerts, and hand them to the receivers once (for cron)");
    app.add_flag("--alerts-follow", c.follow,
                 "Check after each change of the index and deliver, retrying a receiver that "
                 "fails (1 s, doubling, up to 5 min), until Ctrl-C");
    app.add_option("--alerts-dir", c.dir,
                   "The folder of the saved searches (searches.json) and what they remember "
                   "(default: the index's folder name + .alerts)")
        ->type_name("DIR");
    for (const char* one : {"--alerts", "--alert-add", "--alert-remove", "--alerts-check",
                            "--alerts-follow"}) {
        for (const char* other : {"--alerts", "--alert-add", "--alert-remove", "--alerts-check",
                                  "--alerts-follow"})
            if (std::string(one) < other) app.get_option(one)->excludes(other);
        app.get_option(one)->excludes("--serve");
    }
}

int run(const Command& c, const SearchOptions& options,
        const std::map<std::string, std::string>& given, const std::vector<std::string>& words,
        bool json, const alerts::WebhookSender& webhook) {
    const std::string dir =
        c.dir.empty() ? alerts::default_dir(options.db_paths.front()) : c.dir;
    // A receiver that goes away mid-write is a failed delivery, not the end of the process.
    std::signal(SIGPIPE, SIG_IGN);
    if (c.add.empty() && !given.empty())
        throw Error(ErrorCode::BadOption,
                    opt(given.begin()->first) + " goes with " NEWSIDX_OPT("alert-add") +
                        " (what a saved search keeps); each saved search runs with its own options")
            .with_hint("see them with " NEWSIDX_OPT("alerts"));
    if (!c.add.empty()) {
        alerts::SavedSearch search{c.add, "", given};
        for (const std::string& w : words) search.query += (search.query.empty() ? "" : " ") + w;
        const alerts::Added added = alerts::add_search(dir, search, options);
        std::cerr << (added.unchanged  ? "search '" + c.add + "' is saved already, as it is, in '"
                      : added.replaced ? "replaced search '" + c.add + "' in '"
                                       : "saved search '" + c.add + "' in '")
                  << dir << "/searches.json'"
                  << (added.unchanged ? "\n"
                      : added.after_first_run
                          ? ": the index's first run is going on; it alerts on new stories "
                            "indexed after that run\n"
                          : ": it alerts on new stories indexed from now on\n");
        return cli::kHits;
    }
    if (!words.empty())
        throw Error(ErrorCode::BadOption, "a query goes with " NEWSIDX_OPT("alert-add") " NAME only");
    if (!c.remove.empty()) {
        if (!alerts::remove_search(dir, c.remove)) {
            std::string names;
            for (const alerts::SavedSearch& s : alerts::load(dir).searches)
                names += (names.empty() ? "" : ", ") + s.name;
            throw Error(ErrorCode::BadOption, "no saved search '" + c.remove + "' in '" + dir + "'")
                .with_hint(names.empty() ? "there are none" : "the saved searches: " + names);
        }
        std::cerr << "removed saved search '" << c.remove << "'\n";
        return cli::kHits;
    }
    if (c.list) {
        const alerts::Listing listing = alerts::list(dir, options, kLatest);
        std::cout << (json ? alerts::render_listing_json(listing) + "\n"
                           : spelled(alerts::render_listing_text(listing), Spelling::Cli));
        return cli::kHits;
    }
    if (c.check) {
        alerts::deliver(dir, webhook, [](const alerts::Receiver&) { return false; });
        const alerts::CheckReport report = alerts::check(dir, options);
        print_check(report);
        print_receivers(alerts::deliver(dir, webhook));
        return report.alerts.empty() ? cli::kNoHits : cli::kHits;
    }
    alerts::FollowOptions follow;
    follow.dir = dir;
    follow.defaults = options;
    follow.stop = &stopping;
    std::signal(SIGINT, on_stop);
    std::signal(SIGTERM, on_stop);
    std::cerr << "searcher: following '" << options.db_paths.front() << "' for the saved searches in '"
              << dir << "' (Ctrl-C stops)\n";
    alerts::follow(follow, webhook, std::cerr);
    return cli::kHits;
}

}  // namespace newsidx::alerts_cli
