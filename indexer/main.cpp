// indexer: a thin CLI11 front end over newsidx::run_index.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "newsidx/text.hpp"
#include "newsidx/cli.hpp"
#include "newsidx/manual.hpp"
#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/watch.hpp"

namespace {

namespace cli = newsidx::cli;

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) { g_stop.store(true); }

// Prints rejections and warnings with paths relative to the working directory, and a
// progress bar on a terminal.
class ConsoleObserver : public newsidx::IndexObserver {
  public:
    ConsoleObserver(bool progress, bool verbose) : progress_(progress), verbose_(verbose) {
        std::error_code ec;
        cwd_ = std::filesystem::current_path(ec).string();
        if (cwd_ == "/") cwd_.clear();  // every absolute path is under /: keep them whole
        if (!cwd_.empty() && cwd_.back() != '/') cwd_ += '/';
    }

    void on_rejected(const newsidx::RecordError& error) override { print(error.to_string()); }
    void on_warning(const std::string& line) override { print(line); }

    void on_progress(std::uint64_t done, std::uint64_t total, std::uint64_t bytes_done,
                     std::uint64_t bytes_total) override {
        if (!progress_) return;
        const auto now = std::chrono::steady_clock::now();
        if (done != total && now - last_draw_ < std::chrono::milliseconds(100)) return;
        last_draw_ = now;
        const double secs = std::chrono::duration<double>(now - started_).count();
        const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
        const double mbps = secs > 0 ? static_cast<double>(bytes_done) / 1e6 / secs : 0;
        // The first second's rate says little (a few files, caches cold): no guess yet.
        const double left =
            secs < 1 ? -1 : newsidx::time_left(secs, bytes_done, bytes_total, bulk_);
        // Fit the terminal's width (read at every draw: it may change): the bar shrinks first,
        // then the rates go, so that the line never wraps into a new one per update.
        struct winsize size {};
        const int columns =
            ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
        char files[64], rates[64], eta[32];
        std::snprintf(files, sizeof files, " %llu/%llu files",
                      static_cast<unsigned long long>(done),
                      static_cast<unsigned long long>(total));
        std::snprintf(rates, sizeof rates, "  %.0f articles/s  %.1f MB/s", rate, mbps);
        if (left < 0)
            std::snprintf(eta, sizeof eta, "  ETA -:--");
        else
            std::snprintf(eta, sizeof eta, "  ETA %d:%02d", static_cast<int>(left) / 60,
                          static_cast<int>(left) % 60);
        std::string tail = std::string(files) + rates + eta;
        if (static_cast<int>(tail.size()) + 12 >= columns) tail = std::string(files) + eta;
        if (static_cast<int>(tail.size()) >= columns) tail = files;  // never half an ETA
        const int width = std::clamp(columns - 3 - static_cast<int>(tail.size()), 0, 30);
        const int filled = total ? static_cast<int>(width * done / total) : width;
        std::string text =
            width >= 5 ? "[" + std::string(static_cast<std::size_t>(filled), '#') +
                             std::string(static_cast<std::size_t>(width - filled), ' ') + "]" + tail
                       : tail.substr(1);
        if (static_cast<int>(text.size()) >= columns)
            text.resize(static_cast<std::size_t>(std::max(columns - 1, 0)));
        const std::string line = "\r\x1b[K" + text;
        std::cerr << line << std::flush;
        drawn_ = true;
    }

    void on_reading(std::uint64_t, std::uint64_t, bool bulk) override {
        // Rates and time left count from here, not from the listing of the folders.
        started_ = std::chrono::steady_clock::now();
        bulk_ = bulk;
    }

    void on_shard(unsigned k, unsigned n, const std::string& path) override {
        if (progress_) print("shard " + std::to_string(k) + "/" + std::to_string(n) + ": " + path);
    }

    void on_shard_done(unsigned k, unsigned n, const newsidx::IndexStats& stats) override {
        if (verbose_)
            print("shard " + std::to_string(k) + "/" + std::to_string(n) + ": " +
                  newsidx::summary_line(stats));
    }

    void on_commit() override {
        if (progress_) std::cerr << "\r\x1b[Kcommitting..." << std::flush, drawn_ = true;
    }

    void clear() {
        if (drawn_) std::cerr << "\r\x1b[K" << std::flush;
        drawn_ = false;
    }

  private:
    // Every path in the line (at its start, or after a space) loses the cwd_ prefix.
    void print(const std::string& line) {
        clear();
        std::string out = line;
        if (!cwd_.empty()) {
            for (std::size_t at = out.find(cwd_); at != std::string::npos;
                 at = out.find(cwd_, at + 1)) {
                if (at == 0 || out[at - 1] == ' ') out.erase(at, cwd_.size());
            }
        }
        std::cerr << out << '\n';
    }

    bool progress_;
    bool verbose_;  // one line per shard of a set
    bool bulk_ = false;
    bool drawn_ = false;
    std::string cwd_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw_{};
};

constexpr const char* kFooter =
    "Article files: line 1 title, line 2 date (YYYYMMDD or YYYY-MM-DD), line 3 URL,\n"
    "then the body, one paragraph per line.\n\n"
    "Examples:\n"
    "  indexer samples/                      index ./samples into ./newsidx.db\n"
    "  indexer --db ~/news.db crawl/ extra/  update another index from two folders\n"
    "  indexer --rebuild --jobs 2 crawl/     start again from an empty index\n"
    "  indexer --shards 4 --db news crawl/   a set of 4 shards, news/1 ... news/4\n"
    "  indexer --shard 2/4 --db part2 crawl/ this machine's part of a set of 4\n"
    "  indexer --watch incoming/             index, then index each change as it comes\n\n"
    "Runs are incremental: unchanged files are skipped, changed files replaced, and files\n"
    "that vanished from the given folders removed.\n\n"
    "Exit status: 0 all indexed; 1 fatal error, nothing committed; 2 usage error;\n"
    "3 some files rejected, all others committed; 130 interrupted (Ctrl-C, SIGTERM, SIGHUP),\n"
    "work so far committed.";

// The command line's options that are not IndexOptions as they are.
struct Command {
    bool quiet = false;
    bool watch = false;
    std::string shard;
};

// --shard K/N, checked as the command line is read.
CLI::Validator shard_spec() {
    return CLI::Validator(
        [](std::string& text) {
            return newsidx::ShardSpec::parse(text) && !text.empty()
                       ? std::string()
                       : "'" + text + "' is not K/N with 1 <= K <= N <= 4096";
        },
        "K/N");
}

void declare(CLI::App& app, newsidx::IndexOptions& opts, Command& c) {
    app.add_option("-d,--db", opts.db_path,
                   "Index to create or update (default: $NEWSIDX_DB, else ./newsidx.db)");
    app.add_option("-j,--jobs", opts.jobs, "Worker threads (default: all cores)")
        ->check(CLI::Range(1, 256));
    app.add_option("--lang", opts.language,
                   "auto (default for a new index: each article stemmed in its own guessed "
                   "language), or one stemmer for every article: english, french, ..., or none");
    app.add_flag("--rebuild", opts.rebuild, "Start from an empty index instead of updating");
    app.add_flag("--allow-empty", opts.allow_empty,
                 "Let an input folder that now holds no article files remove every article "
                 "indexed from it (without it such a run stops and changes nothing: an unmounted "
                 "share looks the same)");
    app.add_option("--shard", c.shard,
                   "K/N: keep only the articles of shard K of N (split by a hash of the URL), "
                   "for N machines that index one corpus; later runs keep the index's own")
        ->check(shard_spec());
    app.add_option("--shards", opts.shards,
                   "Build a set of N shards in the --db folder (DIR/1 ... DIR/N, and a stub file "
                   "DIR/XAPIANDB that lets searcher --db DIR search them as one)")
        ->check(CLI::Range(1, 4096));
    app.add_flag("-q,--quiet", c.quiet, "No progress, only errors and the summary");
    app.add_flag("--watch", c.watch,
                 "After indexing, keep watching the folders and index new, changed, moved and "
                 "deleted files as they come (a summary line per batch that changed the index); "
                 "no other indexer may write the index meanwhile; Ctrl-C, SIGTERM or SIGHUP stop "
                 "it");
    app.add_option(
           "--max-size", opts.max_size,
           "Reject article files larger than this (bytes, or with a unit: 512k, 16m; default 16m)")
        ->transform(CLI::AsSizeValue(false))
        ->check(CLI::Validator(
            [](std::string& bytes) {
                return bytes == "0" ? std::string("must be at least 1 byte") : std::string();
            },
            "BYTES"));
    app.set_version_flag("--version", cli::version_line("indexer"));
    app.add_option("paths", opts.inputs,
                   "Files or folders to index (searched recursively for *.txt, any case; symbolic "
                   "links to folders are not followed)");
}

// "12:03:44": the local time, before a watcher's later summary lines.
std::string clock_now() {
    char clock[16];
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    std::strftime(clock, sizeof clock, "%H:%M:%S", &local);
    return clock;
}

// --watch: the first run's summary always; later ones, after the local time, when the index
// changed or the files rejected did. `rebuilding` is cleared after the first run (a watcher's
// later runs are not rebuilds).
newsidx::IndexStats watch(const newsidx::IndexOptions& opts, const Command& c,
                          ConsoleObserver& observer, bool& rebuilding) {
    bool first = true;
    std::uint64_t rejected = 0;
    newsidx::WatchEvents events;
    events.on_run = [&](const newsidx::IndexStats& run) {
        observer.clear();
        if (first)
            std::cout << newsidx::summary_line(run) << std::endl;
        else if (run.articles() > 0 || run.removed > 0 || run.rejected != rejected)
            std::cout << clock_now() << ' ' << newsidx::summary_line(run) << std::endl;
        rejected = run.rejected;
        rebuilding = rebuilding && first;
        first = false;
    };
    events.on_watching = [&](std::size_t folders) {
        if (c.quiet) return;
        std::cerr << "indexer: watching " << folders << (folders == 1 ? " folder" : " folders")
                  << " for changes; Ctrl-C stops\n";
    };
    events.on_error = [&](const std::string& what, const std::string& hint) {
        observer.clear();
        std::cerr << "indexer: error: " << what << '\n';
        if (!hint.empty()) std::cerr << "indexer: hint: " << hint << '\n';
    };
    return newsidx::watch_index(opts, observer, events);
}

// The run (or the watcher), its summary, and the exit code.
int index(newsidx::IndexOptions& opts, const Command& c) {
    if (!opts.language.empty()) opts.language = newsidx::stemmer_language(opts.language);
    if (!c.shard.empty()) opts.shard = *newsidx::ShardSpec::parse(c.shard);
    // Ctrl-C, kill and a closed terminal all stop the run the same way: the work so far is
    // committed.
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, on_signal);
    opts.stop = &g_stop;
    ConsoleObserver observer(!c.quiet && ::isatty(STDERR_FILENO), !c.quiet);
    bool rebuilding = opts.rebuild;
    newsidx::IndexStats stats;
    if (c.watch) {
        stats = watch(opts, c, observer, rebuilding);
        if (!stats.interrupted) {  // stopped between runs
            if (!c.quiet) std::cerr << "indexer: stopped watching\n";
            return cli::kIndexed;
        }
    } else {
        stats = newsidx::run_index(opts, observer);
        observer.clear();
        std::cout << newsidx::summary_line(stats) << std::endl;
    }
    if (stats.interrupted) {
        if (rebuilding)
            std::cerr << "indexer: interrupted; the index is as it was (a rebuild replaces it "
                         "only once complete)\n";
        else
            std::cerr << "indexer: interrupted; the work so far is committed — run the same "
                         "command again to finish\n";
        return cli::kInterrupted;
    }
    return stats.rejected > 0 ? cli::kRejected : cli::kIndexed;
}

}  // namespace

int main(int argc, char** argv) {
    newsidx::IndexOptions opts;
    opts.db_path = cli::default_db();
    Command command;
    CLI::App app{"Index folders of news article files (*.txt) into a newsidx (Xapian) index.",
                 "indexer"};
    app.footer(kFooter);
    declare(app, opts, command);
    if (const auto code = cli::print_generated(app, argc, argv, "indexer", "[OPTIONS] PATH..."))
        return *code;
    if (const auto code = cli::parse_command_line<CLI::ParseError, CLI::ExtrasError>(
            app, argc, argv, cli::kIndexed, cli::kUsage, std::cerr))
        return *code;
    // Checked after the parse (not CLI11's required()), so that an unknown option is what a
    // command line with one is told, not that the paths are missing.
    if (opts.inputs.empty()) {
        std::cerr << "indexer: error: no folders or files to index\n"
                     "indexer: hint: name them, e.g.: indexer samples/  (indexer --help lists "
                     "the options)\n";
        return cli::kUsage;
    }
    return cli::run(
        "indexer", std::cerr, [&] { return index(opts, command); },
        [](const newsidx::Error& e) {
            return e.code() == newsidx::ErrorCode::BadOption ? cli::kUsage : cli::kFatal;
        },
        cli::kFatal);
}
