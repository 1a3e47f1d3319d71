// searcher: a thin CLI11 front end over newsidx::Searcher. The search options come from the
// engine's option table (newsidx/options.hpp, declared by cli::SearchFlags); the options
// declared here are the command line's own: output, batch, export, --show and the server.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <tuple>

#include "newsidx/cli.hpp"
#include "newsidx/manual.hpp"
#include "newsidx/error.hpp"
#include "newsidx/results.hpp"
#include "newsidx/search.hpp"
#include "newsidx/search_flags.hpp"
#include "alerts_cli.hpp"
#include "serve.hpp"

namespace {

namespace cli = newsidx::cli;
namespace fs = std::filesystem;
using newsidx::Error;
using newsidx::ErrorCode;

constexpr const char* kFooter =
    "Query syntax (docs/query-syntax.md):\n"
    "  security guarantees          any of the words, best matches first (BM25)\n"
    "  \"security guarantees\"        the exact phrase (stop words count inside)\n"
    "  talks AND geneva             both; also OR, NOT (talks NOT sport), XOR (one, not both)\n"
    "  +ceasefire -sport            must / must not contain; only -words: searcher -- '-sport'\n"
    "  title:ceasefire              in the title; title:\"rail link\" a phrase there\n"
    "  site:bbc.co.uk               from that host or its subdomains; several OR together\n"
    "  lang:de                      articles in that language (ISO 639-1)\n"
    "  date:2022, date:2022-02      a year, month or day; date:2021..2022-06 a range\n"
    "  guarant*                     words starting so (not *hafen); in a phrase too:\n"
    "                               \"security guarant*\"\n"
    "  talks NEAR geneva            within 10 words; talks NEAR/3 geneva within 3\n"
    "  border ADJ/2 talks           like NEAR, in this order\n"
    "  talks SENTENCE geneva        in one sentence; PARAGRAPH: in one paragraph\n\n"
    "Examples:\n"
    "  searcher \"security guarantees\"\n"
    "  searcher '\"security guarantees\" site:example.org' --sort newest\n"
    "  searcher 'title:ceasefire NOT sport' --since 2022-01-01 --json\n"
    "  searcher --color always budget | less -R\n"
    "  searcher --collapse --timeline week \"oil prices\"\n"
    "  searcher --timeline month --share --format csv ceasefire > attention.csv\n"
    "  searcher --timeline month --share oil --compare gold --compare wheat\n"
    "  searcher --explain -n 3 \"security guarantees\"\n"
    "  searcher --copies https://news.example.org/2022/02/16/draft-text-published\n"
    "  searcher --recency 30 ceasefire\n"
    "  searcher --like samples/security-guarantees-draft-published.txt\n"
    "  searcher --origin \"written security guarantees would be sent within a week\"\n"
    "  searcher --kwic 5 --format csv ceasefire > mentions.csv\n"
    "  searcher --serve 8080             search page and JSON API on http://127.0.0.1:8080/\n"
    "  searcher --alert-add opec --site reuters.com \"opec output\"   save a search\n"
    "  searcher --alerts-follow          alert once per new story that a saved search matches\n\n"
    "Exit status: 0 hits found; 1 no hits; 2 error.";

// The command line's own options.
struct Command {
    std::vector<std::string> words;
    std::string format = "text";
    bool json = false;
    std::string colour = "auto";
    std::string batch, export_format, show, copies;
    std::string serve, token_file, alerts_token_file;
    std::string alerts_dir;  // --alerts-dir, for the server's /alerts
    unsigned workers = newsidx::serve::kDefaultWorkers;
    int nice = newsidx::serve::kDefaultNice;

    cli::Format output() const {
        const std::string& f = json ? std::string("json") : format;
        return f == "json"   ? cli::Format::Json
               : f == "trec" ? cli::Format::Trec
               : f == "csv"  ? cli::Format::Csv
                             : cli::Format::Text;
    }
};

// --color: always, never, or auto: only on a terminal that is not "dumb", without NO_COLOR.
bool use_colour(const std::string& when) {
    if (when != "auto") return when == "always";
    const char* term = std::getenv("TERM");
    return ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") &&
           !(term && std::string(term) == "dumb");
}

void declare_output(CLI::App& app, Command& c) {
    app.add_flag("--json", c.json, "Machine-readable output (same as --format json)");
    app.add_option("--format", c.format,
                   "text (default) | json | trec (TREC run lines) | csv (the --timeline, "
                   "--facet and --significant tables: query, table, value, start, count, all, "
                   "share, score)")
        ->check(cli::one_of(std::vector<std::string>{"text", "json", "trec", "csv"}));
    app.add_option("--color", c.colour,
                   "auto (default: on a terminal, not with NO_COLOR or TERM=dumb) | always "
                   "(e.g. for less -R) | never")
        ->check(cli::one_of(std::vector<std::string>{"auto", "always", "never"}));
    app.set_version_flag("--version", cli::version_line("searcher"));
    app.add_option("--batch", c.batch,
                   "Answer every id<TAB>query line of FILE in one process (- for stdin)");
    app.add_option("--export", c.export_format,
                   "Print every match, not a page, one line each: jsonl | csv (rank, score, date, "
                   "site, url, title, path, cluster)")
        ->check(cli::one_of(std::vector<std::string>{"jsonl", "csv"}))
        ->excludes("--batch")
        ->excludes("--timeline")
        ->excludes("--facet");
    app.add_option("--show", c.show,
                   "Print one stored article in full: by its URL, or by the path of its file "
                   "(and its copies)");
    app.add_option("--copies", c.copies,
                   "List every copy of an article (its near-duplicate cluster), by URL or path, "
                   "earliest first")
        ->excludes("--show");
}

void declare_server(CLI::App& app, Command& c) {
    app.add_option("--serve", c.serve,
                   "Serve the index over HTTP at [ADDR:]PORT (127.0.0.1 unless ADDR is given; "
                   "port 0: any free one): a search page at /, and JSON at /search?q=..., "
                   "/article?url=..., /health (docs/serving.md); the other search options given "
                   "are every request's defaults (--limit at most 1000, --offset + --limit at "
                   "most 10000)")
        ->type_name("[ADDR:]PORT")
        ->excludes("--batch")
        ->excludes("--show")
        ->excludes("--copies")
        ->excludes("--origin")
        ->excludes("--like")
        ->excludes("--export")
        ->excludes("--format")
        ->excludes("--json")
        ->excludes("--color");
    app.add_option("--workers", c.workers,
                   "With --serve: connections served at once, each by a thread with its own "
                   "handle on the index (default 48)")
        ->check(CLI::Range(1, 1024))
        ->needs("--serve");
    app.add_option("--nice", c.nice,
                   "With --serve: the worker threads' added niceness, so that an indexer on the "
                   "same machine keeps its CPU under a heavy query load (default 10; 0: none)")
        ->check(CLI::Range(0, 19))
        ->needs("--serve");
    app.add_option("--token-file", c.token_file,
                   "With --serve: requests must carry 'Authorization: Bearer TOKEN', TOKEN being "
                   "the first line of FILE (the page asks for it)")
        ->type_name("FILE")
        ->needs("--serve");
    app.add_option("--alerts-token-file", c.alerts_token_file,
                   "With --serve: POST and DELETE /alerts may change the saved searches for "
                   "requests with 'Authorization: Bearer TOKEN', TOKEN being the first line of "
                   "FILE (without it, /alerts is read-only)")
        ->type_name("FILE")
        ->needs("--serve");
    app.add_option("query", c.words, "The query; several arguments are joined with spaces")
        ->excludes("--origin")
        ->excludes("--batch")
        ->excludes("--show")
        ->excludes("--copies")
        ->excludes("--like")
        ->excludes("--serve");
}

// "-sport" is a query to the user and an unknown option to CLI11: say how to write it.
std::string_view extras_hint(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg.size() > 2 && arg[0] == '-' && std::isalpha(static_cast<unsigned char>(arg[1])) &&
            std::string_view("dnh").find(arg[1]) == std::string_view::npos)
            return "searcher: hint: a query that starts with - goes after --, e.g. searcher -- "
                   "'-sport'";
    }
    return {};
}

// Each shard left out is named once, on stderr, whatever the output format.
void warn_missing(const newsidx::Searcher& searcher) {
    for (const std::string& shard : searcher.missing_shards())
        std::cerr << "searcher: warning: shard left out, the answer is partial: " << shard << '\n';
}

// Prints one query's result as text, JSON or TREC lines; the text form's notes, and its status
// line (and its "no results"), go to stderr.
void print_result(const newsidx::SearchResult& result, const newsidx::SearchOptions& options,
                  cli::Format format, bool colour) {
    if (format == cli::Format::Json) {
        std::cout << newsidx::render_json(result) << '\n';
        return;
    }
    if (format == cli::Format::Trec) {
        newsidx::render_trec(std::cout, "1", result);
        return;
    }
    if (format == cli::Format::Csv) {
        std::cout << newsidx::render_tables_csv(result);
        return;
    }
    for (const std::string& note : result.notes)
        std::cerr << "searcher: note: " << newsidx::spelled(note, newsidx::Spelling::Cli) << '\n';
    newsidx::render_text(std::cout, result, colour);
    if (result.timeline && !result.timeline->buckets.empty()) {
        // The chart fits the terminal (80 columns when stdout is not one).
        struct winsize size {};
        const int columns =
            ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
        std::cout << (result.hits.empty() && result.facets.empty() ? "" : "\n");
        if (result.compared.empty())
            newsidx::render_timeline(std::cout, *result.timeline, columns);
        else
            newsidx::render_comparison(std::cout, result);
    }
    std::cerr << (result.hits.empty() ? "searcher: " : "") << newsidx::status_line(result, options)
              << '\n';
}

#ifdef NEWSIDX_SERVER
// The first line of a token file, of at least 16 characters.
std::string read_token(const std::string& file) {
    std::string token;
    std::ifstream in(file);
    if (!in || !std::getline(in, token))
        throw Error(ErrorCode::Io, "cannot read a token from '" + file + "'");
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
        token.pop_back();
    if (token.size() < 16)
        throw Error(ErrorCode::BadOption,
                    "the token in '" + file + "' is shorter than 16 characters");
    return token;
}

// --alerts-check and --alerts-follow, with webhooks.
int alerts(const newsidx::alerts_cli::Command& a, const Command& c,
           const newsidx::SearchOptions& options, const std::map<std::string, std::string>& given,
           char** /*argv*/) {
    return newsidx::alerts_cli::run(a, options, given, c.words, c.output() == cli::Format::Json,
                                    newsidx::serve::send_webhook);
}

// --serve: the server's configuration, with the token read from --token-file.
int serve(const Command& c, const newsidx::SearchOptions& options, char** /*argv*/) {
    newsidx::serve::Config config;
    std::tie(config.host, config.port) = newsidx::serve::parse_address(c.serve);
    config.workers = c.workers;
    config.nice = c.nice;
    if (!c.token_file.empty()) config.token = read_token(c.token_file);
    if (!c.alerts_token_file.empty()) config.alerts_token = read_token(c.alerts_token_file);
    config.alerts_dir = c.alerts_dir;
    config.defaults = options;
    return newsidx::serve::run(config, std::cerr);
}
#else
// --serve from the searcher: the server is a program of its own (newsidx-serve, the same
// command line with an HTTP server linked in), so that a query's process loads no HTTP, TLS or
// compression library (issue #28). It replaces this process with the same arguments.
int serve(const Command&, const newsidx::SearchOptions&, char** argv);

// The alert commands; those that deliver (to webhooks too) run in newsidx-serve, which has the
// HTTP client.
int alerts(const newsidx::alerts_cli::Command& a, const Command& c,
           const newsidx::SearchOptions& options, const std::map<std::string, std::string>& given,
           char** argv) {
    if (a.delivers()) return serve(c, options, argv);
    return newsidx::alerts_cli::run(a, options, given, c.words, c.output() == cli::Format::Json,
                                    {});
}

int serve(const Command&, const newsidx::SearchOptions&, char** argv) {
    std::error_code ec;
    const fs::path here = fs::read_symlink("/proc/self/exe", ec).parent_path();
    if (ec || !here.is_absolute())  // never a server found in the working folder
        throw Error(ErrorCode::Io, "cannot find the searcher's own folder to start the server");
    for (const fs::path& server : {here / "newsidx-serve", here / "../libexec/newsidx/newsidx-serve"}) {
        if (::access(server.c_str(), X_OK) != 0) continue;
        ::execv(server.c_str(), argv);
        throw Error(ErrorCode::Io,
                    "cannot start the server '" + server.string() + "': " + std::strerror(errno));
    }
    throw Error(ErrorCode::Io, "newsidx-serve (the searcher with its HTTP server and client, for "
                               "--serve and for delivering alerts) is not installed beside '" +
                                   here.string() + "/searcher'")
        .with_hint("build or install it with the searcher: cmake --build build");
}
#endif

// --show and --copies: one stored article, or its cluster.
int show(const Command& c, const newsidx::SearchOptions& options) {
    const std::string& which = c.show.empty() ? c.copies : c.show;
    newsidx::Searcher searcher(options);
    warn_missing(searcher);
    for (const std::string& note : searcher.set_notes())
        std::cerr << "searcher: note: " << newsidx::spelled(note, newsidx::Spelling::Cli) << '\n';
    const auto cluster = searcher.copies(which);
    const auto article = searcher.article(which);
    if (!article || !cluster) {
        std::cerr << "searcher: " << newsidx::no_article(which) << '\n';
        return cli::kNoHits;
    }
    const bool json = c.output() == cli::Format::Json;
    if (!c.copies.empty()) {
        if (json)
            std::cout << newsidx::render_copies_json(*cluster) << '\n';
        else
            newsidx::render_copies_text(std::cout, *cluster, use_colour(c.colour));
    } else if (json) {
        std::cout << newsidx::render_article_json(*article, *cluster) << '\n';
    } else {
        newsidx::render_article_text(std::cout, *article, use_colour(c.colour), *cluster);
    }
    return cli::kHits;
}

// --origin: where a passage appeared first.
int origin(const Command& c, const newsidx::SearchOptions& options) {
    newsidx::Searcher searcher(options);
    warn_missing(searcher);
    const newsidx::Origin found = searcher.origin(options.origin);
    if (c.output() == cli::Format::Json)
        std::cout << newsidx::render_origin_json(found) << '\n';
    else
        newsidx::render_origin_text(std::cout, found, use_colour(c.colour));
    if (found.capped)
        std::cerr << "searcher: note: more than " << newsidx::kMaxOriginCandidates
                  << " articles have a run of the passage: the first were read\n";
    if (found.carriers.empty()) {
        std::cerr << "searcher: no article carries the passage\n";
        return cli::kNoHits;
    }
    return cli::kHits;
}

// --export: every match, one line each.
int export_matches(const Command& c, newsidx::Searcher& searcher, const std::string& query) {
    const bool csv = c.export_format == "csv";
    if (csv) std::cout << newsidx::kExportCsvHeader << '\n';
    const Xapian::doccount n = searcher.each_match(query, [&](const auto& hit) {
        std::cout << newsidx::export_line(hit, csv) << '\n';
    });
    std::cerr << (n == 0 ? "searcher: no results for '" + query + "'"
                         : "exported " + newsidx::with_thousands(n) +
                               (n == 1 ? " match" : " matches"))
              << '\n';
    return n == 0 ? cli::kNoHits : cli::kHits;
}

// --kwic: every occurrence of the query's words in every match, a line each.
int kwic(const Command& c, newsidx::Searcher& searcher, const newsidx::SearchOptions& options) {
    const newsidx::KwicFormat format = c.output() == cli::Format::Csv    ? newsidx::KwicFormat::Csv
                                       : c.output() == cli::Format::Json ? newsidx::KwicFormat::Json
                                                                         : newsidx::KwicFormat::Text;
    if (format == newsidx::KwicFormat::Csv) std::cout << newsidx::kKwicCsvHeader << '\n';
    std::size_t lines = 0;
    const bool colour = use_colour(c.colour);
    const Xapian::doccount n = searcher.each_match(options.query, [&](const newsidx::Hit& hit) {
        for (const newsidx::KwicLine& line : hit.kwic) {
            std::cout << newsidx::kwic_line(hit, line, format, options.kwic, colour) << '\n';
            ++lines;
        }
    });
    std::cerr << (n == 0 ? "searcher: no results for '" + options.query + "'"
                         : newsidx::with_thousands(lines) + (lines == 1 ? " line" : " lines") +
                               " in " + newsidx::with_thousands(n) +
                               (n == 1 ? " match" : " matches"))
              << '\n';
    return n == 0 ? cli::kNoHits : cli::kHits;
}

// A query (or --like, --batch or --export): the search itself.
int search(const Command& c, newsidx::SearchOptions& options) {
    if (c.batch.empty() && c.words.empty() && options.like.empty())
        throw Error(ErrorCode::BadOption, "a QUERY (or --batch FILE) is required")
            .with_hint("run with --help for more information");
    options.plain = options.plain || !c.batch.empty();
    for (const std::string& w : c.words) options.query += (options.query.empty() ? "" : " ") + w;
    // TREC run lines and the CSV tables show no snippets.
    options.snippets = c.output() != cli::Format::Trec && c.output() != cli::Format::Csv;
    // On the command line --kwic prints its lines instead of a page: not beside the tables.
    if (options.kwic > 0 && (!options.timeline.empty() || !options.facets.empty() ||
                             options.significant > 0 || options.collapse))
        throw Error(ErrorCode::BadOption,
                    "--kwic prints a line for every occurrence in every match, not a page: it "
                    "cannot be combined with --timeline, --facet, --significant or --collapse")
            .with_hint("run the search twice, or ask the server (kwic= gives each hit its lines)");
    if (c.output() == cli::Format::Csv && options.timeline.empty() && options.facets.empty() &&
        options.significant == 0 && options.kwic == 0)
        throw Error(ErrorCode::BadOption,
                    "--format csv writes the --timeline, --facet and --significant tables: ask "
                    "for one of them")
            .with_hint("every match as CSV: --export csv");
    // The query text is checked before any index is opened (the options are, by the Searcher,
    // before it opens the index).
    if (c.batch.empty() && options.like.empty()) newsidx::check_query_text(options.query);
    if (!options.like.empty()) options.query = "like:" + options.like;
    std::ifstream file;
    if (!c.batch.empty() && c.batch != "-") {
        file.open(c.batch);
        if (!file) throw Error(ErrorCode::Io, "cannot read batch file '" + c.batch + "'");
    }
    newsidx::Searcher searcher(options);
    warn_missing(searcher);
    if (!options.like.empty() && !searcher.article(options.like)) {
        std::cerr << "searcher: " << newsidx::no_article(options.like) << '\n';
        return cli::kNoHits;
    }
    if (!c.batch.empty())
        return cli::run_batch(searcher, c.batch == "-" ? std::cin : file, c.batch, c.output(),
                              std::cout, std::cerr);
    if (!c.export_format.empty()) return export_matches(c, searcher, options.query);
    if (options.kwic > 0) return kwic(c, searcher, options);
    const newsidx::SearchResult result = searcher.search(options.query);
    print_result(result, options, c.output(), use_colour(c.colour));
    return result.hits.empty() ? cli::kNoHits : cli::kHits;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Search a newsidx index: ranked words, \"phrases\", fields and dates.",
                 "searcher"};
    app.footer(kFooter);
    Command command;
    newsidx::alerts_cli::Command alert_command;
    cli::SearchFlags flags(app);
    declare_output(app, command);
    declare_server(app, command);
    newsidx::alerts_cli::declare(app, alert_command);
    flags.link(app);
    if (const auto code = cli::print_generated(app, argc, argv, "searcher", "[OPTIONS] QUERY..."))
        return *code;
    if (const auto code = cli::parse_command_line<CLI::ParseError, CLI::ExtrasError>(
            app, argc, argv, cli::kHits, cli::kSearchError, std::cerr, extras_hint(argc, argv)))
        return *code;
    return cli::run(
        "searcher", std::cerr,
        [&] {
            newsidx::SearchOptions options;
            options.db_paths = {cli::default_db()};
            flags.apply(options);
            if (alert_command.any())
                return alerts(alert_command, command, options, flags.given(), argv);
            command.alerts_dir = alert_command.dir;
            if (!command.serve.empty()) return serve(command, options, argv);
            if (!command.show.empty() || !command.copies.empty()) return show(command, options);
            if (!options.origin.empty()) return origin(command, options);
            return search(command, options);
        },
        [](const Error&) { return cli::kSearchError; }, cli::kSearchError);
}
