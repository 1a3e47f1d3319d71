// searcher: a thin CLI11 front end over newsidx::Searcher.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <tuple>

#include "newsidx/cli.hpp"
#include "newsidx/error.hpp"
#include "newsidx/results.hpp"
#include "newsidx/search.hpp"
#include "serve.hpp"

namespace {

namespace cli = newsidx::cli;

// --color: always, never, or auto: only on a terminal that is not "dumb", without NO_COLOR.
bool use_colour(const std::string& when) {
    if (when != "auto") return when == "always";
    const char* term = std::getenv("TERM");
    return ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") &&
           !(term && std::string(term) == "dumb");
}

// A validator that names the choices (CLI11's transformers print their internal maps).
template <typename Choices>
CLI::Validator one_of(const Choices& names) {
    const std::vector<std::string> choices(names.begin(), names.end());
    return CLI::Validator(
        [choices](std::string& value) -> std::string {
            std::string list;
            for (const std::string& c : choices) {
                if (value == c) return {};
                list += (list.empty() ? "" : ", ") + c;
            }
            return "'" + value + "' is not one of " + list;
        },
        "");
}

// Prints one query's result as text, JSON or TREC lines; the text form's status line (and
// its "no results") goes to stderr.
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
    newsidx::render_text(std::cout, result, colour);
    if (result.timeline && !result.timeline->buckets.empty()) {
        // The chart fits the terminal (80 columns when stdout is not one).
        struct winsize size {};
        const int columns =
            ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
        std::cout << (result.hits.empty() && result.facets.empty() ? "" : "\n");
        newsidx::render_timeline(std::cout, *result.timeline, columns);
    }
    std::cerr << (result.hits.empty() ? "searcher: " : "") << newsidx::status_line(result, options)
              << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    newsidx::SearchOptions opts;
    std::vector<std::string> words;
    std::vector<std::string> dbs;
    std::string format = "text";
    bool json = false;

    CLI::App app{"Search a newsidx index: ranked words, \"phrases\", fields and dates.",
                 "searcher"};
    app.footer(
        "Query syntax (docs/query-syntax.md):\n"
        "  security guarantees          any of the words, best matches first (BM25)\n"
        "  \"security guarantees\"        the exact phrase (stop words count inside)\n"
        "  talks AND geneva             both; also OR, NOT (talks NOT sport), XOR (one, not "
        "both)\n"
        "  +ceasefire -sport            must / must not contain; only -words: searcher -- "
        "'-sport'\n"
        "  title:ceasefire              in the title; title:\"rail link\" a phrase there\n"
        "  site:bbc.co.uk               from that host or its subdomains; several OR together\n"
        "  lang:de                      articles in that language (ISO 639-1)\n"
        "  date:2022, date:2022-02      a year, month or day; date:2021..2022-06 a range\n"
        "  guarant*                     words starting so (not *hafen); in a phrase too:\n"
        "                               \"security guarant*\"\n"
        "  talks NEAR geneva            within 10 words; talks NEAR/3 geneva within 3\n"
        "  border ADJ/2 talks           like NEAR, in this order\n\n"
        "Examples:\n"
        "  searcher \"security guarantees\"\n"
        "  searcher '\"security guarantees\" site:example.org' --sort newest\n"
        "  searcher 'title:ceasefire NOT sport' --since 2022-01-01 --json\n"
        "  searcher --color always budget | less -R\n"
        "  searcher --collapse --timeline week \"oil prices\"\n"
        "  searcher --copies https://news.example.org/2022/02/16/draft-text-published\n"
        "  searcher --recency 30 ceasefire\n"
        "  searcher --like samples/security-guarantees-draft-published.txt\n"
        "  searcher --serve 8080             search page and JSON API on http://127.0.0.1:8080/\n\n"
        "Exit status: 0 hits found; 1 no hits; 2 error.");
    app.add_option("-d,--db", dbs,
                   "Index to search; repeat to search several as one, or give a stub file that "
                   "names indexes and remote shards (default: $NEWSIDX_DB, else ./newsidx.db)")
        ->allow_extra_args(false);  // one DIR per --db: "--db DIR QUERY" leaves QUERY alone
    double timeout_seconds = opts.timeout_ms / 1000.0;
    app.add_option("--timeout", timeout_seconds,
                   "Seconds to wait for a remote shard to connect and for each reply (default 10)")
        ->check(CLI::Range(0.1, 3600.0));
    app.add_flag("--allow-partial", opts.allow_partial,
                 "Answer without a remote shard that is down, unreachable or silent for "
                 "--timeout (a warning, and \"partial\" in JSON), instead of failing");
    app.add_option("-n,--limit", opts.limit, "Results to show (default 10)")
        ->check(CLI::Range(1, 10000));
    app.add_option("--offset", opts.offset, "Skip the first N results (paging)")
        ->check(CLI::Range(0, 1000000));
    std::string sort = "relevance";
    app.add_option("--sort", sort, "relevance (default) | newest | oldest")
        ->check(one_of(newsidx::kSortOrders));
    app.add_option("--since", opts.since,
                   "Only articles on or after DATE (YYYYMMDD, YYYY-MM-DD, YYYY-MM or YYYY)");
    app.add_option("--until", opts.until,
                   "Only articles on or before DATE (a month or a year: to its last day)");
    app.add_option("--site", opts.site, "Only articles from HOST or its subdomains");
    app.add_flag("--all", opts.match_all,
                 "Every word must match (default: ranked, best matches first)");
    app.add_flag("--json", json, "Machine-readable output (same as --format json)");
    app.add_option("--format", format, "text (default) | json | trec (TREC run lines)")
        ->check(one_of(std::vector<std::string>{"text", "json", "trec"}));
    std::string colour = "auto";
    app.add_option("--color", colour,
                   "auto (default: on a terminal, not with NO_COLOR or TERM=dumb) | always "
                   "(e.g. for less -R) | never")
        ->check(one_of(std::vector<std::string>{"auto", "always", "never"}));
    app.set_version_flag("--version", cli::version_line("searcher"));
    std::string batch;
    app.add_option("--batch", batch,
                   "Answer every id<TAB>query line of FILE in one process (- for stdin)");
    std::string expand;
    app.add_option("--expand", expand,
                   "Pseudo-relevance feedback N[,W]: add the N best terms of the top 10 hits to "
                   "queries of at least W words (default 10,12; N alone: every query; 0: off)")
        ->type_name("N[,W]");
    std::string bm25;
    app.add_option("--bm25", bm25,
                   "BM25 parameters K1,B,L: saturation, length normalisation, shortest normalised "
                   "length (default 2,0.4,0.1)")
        ->type_name("K1[,B[,L]]");
    app.add_option("--title-boost", opts.title_boost,
                   "Weight of an exact title match, a query that is an article's whole title "
                   "(default 3; 0 turns it off)")
        ->check(CLI::Range(0.0, 100.0));
    std::string all_words;
    app.add_option("--all-words", all_words,
                   "Ranking: W,N,B: extra weight, W times the words' own BM25 weight with "
                   "length normalisation B, for an article with every word of a query of 2 to N "
                   "words (default 3,5,1; 0 turns it off)")
        ->type_name("W[,N[,B]]");
    std::string proximity;
    app.add_option("--proximity", proximity,
                   "Ranking: extra weight W,U for consecutive query words in order within 3 "
                   "words (W) or in any order within 8 (U), queries of 2-6 words (default 0,0)")
        ->type_name("W[,U]");
    app.add_option("--title-words", opts.title_words,
                   "Ranking: extra weight, W times their own, for query words in an article's "
                   "title (default 0.2; 0 turns it off)")
        ->check(CLI::Range(0.0, 100.0));
    app.add_flag("--explain", opts.explain,
                 "Show each hit's score as the sum of its parts: BM25 per word, title words, "
                 "all-words, proximity, exact title, feedback, recency (newsidx/ranking.hpp)");
    bool plain_flag = false;
    app.add_flag("--plain", plain_flag,
                 "Treat the query as plain words, no operators (default with --batch)");
    app.add_option("--timeline", opts.timeline,
                   "Count every match per day | week | month | year (ISO weeks), empty periods "
                   "too, as a chart or JSON")
        ->check(one_of(newsidx::kTimelinePeriods));
    app.add_option("--facet", opts.facets,
                   "Count every match per site | year | lang (top 20 each); repeat for several")
        ->allow_extra_args(false)
        ->check(one_of(newsidx::kFacetFields));
    app.add_option("--lang", opts.language,
                   "Only the articles in this language (fr or french, ...), the query analysed "
                   "as they were (default: every language, each article through its own)");
    std::string export_format;
    app.add_option("--export", export_format,
                   "Print every match, not a page, one line each: jsonl | csv (rank, score, date, "
                   "site, url, title, path, cluster)")
        ->check(one_of(std::vector<std::string>{"jsonl", "csv"}))
        ->excludes("--batch")
        ->excludes("--timeline")
        ->excludes("--facet");
    std::string show;
    app.add_option("--show", show,
                   "Print one stored article in full: by its URL, or by the path of its file "
                   "(and its copies)");
    std::string copies;
    app.add_option("--copies", copies,
                   "List every copy of an article (its near-duplicate cluster), by URL or path, "
                   "earliest first")
        ->excludes("--show");
    app.add_flag("--collapse", opts.collapse,
                 "Near-duplicate copies fold into their best hit, with \"+N similar\", who ran "
                 "it first and where else; counts and --timeline count stories")
        ->excludes("--export");
    app.add_option("--recency", opts.recency_days,
                   "Favour fresh articles: the boost halves every DAYS days from --now")
        ->check(CLI::Range(0.01, 100000.0))
        ->excludes("--sort");
    app.add_option("--now", opts.now,
                   "The day --recency counts from (default: the newest article in the index)")
        ->needs("--recency");
    app.add_option("--like", opts.like,
                   "Instead of a query: articles like this one (URL or path), its copies left "
                   "out")
        ->excludes("--batch")
        ->excludes("--show")
        ->excludes("--copies");
    std::string serve;
    app.add_option("--serve", serve,
                   "Serve the index over HTTP at [ADDR:]PORT (127.0.0.1 unless ADDR is given; "
                   "port 0: any free one): a search page at /, and JSON at /search?q=..., "
                   "/article?url=..., /health (docs/serving.md); the other search options given "
                   "are every request's defaults (--limit at most 1000, --offset + --limit at "
                   "most 10000)")
        ->type_name("[ADDR:]PORT")
        ->excludes("--batch")
        ->excludes("--show")
        ->excludes("--copies")
        ->excludes("--like")
        ->excludes("--export")
        ->excludes("--format")
        ->excludes("--json")
        ->excludes("--color");
    unsigned workers = newsidx::serve::kDefaultWorkers;
    app.add_option("--workers", workers,
                   "With --serve: connections served at once, each by a thread with its own "
                   "handle on the index (default 48)")
        ->check(CLI::Range(1, 1024))
        ->needs("--serve");
    int nice = newsidx::serve::kDefaultNice;
    app.add_option("--nice", nice,
                   "With --serve: the worker threads' added niceness, so that an indexer on the "
                   "same machine keeps its CPU under a heavy query load (default 10; 0: none)")
        ->check(CLI::Range(0, 19))
        ->needs("--serve");
    std::string token_file;
    app.add_option("--token-file", token_file,
                   "With --serve: requests must carry 'Authorization: Bearer TOKEN', TOKEN being "
                   "the first line of FILE (the page asks for it)")
        ->type_name("FILE")
        ->needs("--serve");
    app.add_option("query", words, "The query; several arguments are joined with spaces")
        ->excludes("--batch")
        ->excludes("--show")
        ->excludes("--copies")
        ->excludes("--like")
        ->excludes("--serve");
    // "-sport" is a query to the user and an unknown option to CLI11: say how to write it.
    std::string_view extras_hint;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg.size() > 2 && arg[0] == '-' && std::isalpha(static_cast<unsigned char>(arg[1])) &&
            std::string_view("dnh").find(arg[1]) == std::string_view::npos)
            extras_hint =
                "searcher: hint: a query that starts with - goes after --, e.g. searcher -- "
                "'-sport'";
    }
    if (const auto code = cli::parse_command_line<CLI::ParseError, CLI::ExtrasError>(
            app, argc, argv, cli::kHits, cli::kSearchError, std::cerr, extras_hint))
        return *code;
    if (json) format = "json";
    opts.sort = newsidx::sort_order_named(sort);
    const cli::Format chosen = format == "json"   ? cli::Format::Json
                               : format == "trec" ? cli::Format::Trec
                                                  : cli::Format::Text;
    return cli::run(
        "searcher", std::cerr,
        [&] {
            // CLI11's range check lets "nan" through (it compares false both ways).
            if (!(timeout_seconds >= 0.1 && timeout_seconds <= 3600))
                throw newsidx::Error(newsidx::ErrorCode::BadOption,
                                     "--timeout wants seconds from 0.1 to 3600");
            opts.timeout_ms = static_cast<unsigned>(timeout_seconds * 1000 + 0.5);
            // Each shard left out is named once, on stderr, whatever the output format.
            const auto warn_missing = [](const newsidx::Searcher& searcher) {
                for (const std::string& shard : searcher.missing_shards())
                    std::cerr << "searcher: warning: shard left out, the answer is partial: "
                              << shard << '\n';
            };
            if (!bm25.empty()) newsidx::parse_bm25(bm25, opts);
            if (!proximity.empty()) newsidx::parse_proximity(proximity, opts);
            if (!all_words.empty()) newsidx::parse_all_words(all_words, opts);
            if (!expand.empty()) newsidx::parse_expand(expand, opts);
            if (!serve.empty()) {
                newsidx::serve::Config config;
                std::tie(config.host, config.port) = newsidx::serve::parse_address(serve);
                config.workers = workers;
                config.nice = nice;
                if (!token_file.empty()) {
                    std::ifstream in(token_file);
                    if (!in || !std::getline(in, config.token))
                        throw newsidx::Error(newsidx::ErrorCode::Io,
                                             "cannot read a token from '" + token_file + "'");
                    while (!config.token.empty() &&
                           std::isspace(static_cast<unsigned char>(config.token.back())))
                        config.token.pop_back();
                    if (config.token.size() < 16)
                        throw newsidx::Error(
                            newsidx::ErrorCode::BadOption,
                            "the token in '" + token_file + "' is shorter than 16 characters");
                }
                opts.db_paths = dbs.empty() ? std::vector<std::string>{cli::default_db()} : dbs;
                config.defaults = opts;
                return newsidx::serve::run(config, std::cerr);
            }
            if (!show.empty() || !copies.empty()) {
                const std::string& which = show.empty() ? copies : show;
                opts.db_paths = dbs.empty() ? std::vector<std::string>{cli::default_db()} : dbs;
                newsidx::Searcher searcher(opts);
                warn_missing(searcher);
                for (const std::string& note : searcher.set_notes())
                    std::cerr << "searcher: note: " << note << '\n';
                const auto cluster = searcher.copies(which);
                const auto article = searcher.article(which);
                if (!article || !cluster) {
                    std::cerr << "searcher: " << newsidx::no_article(which) << '\n';
                    return cli::kNoHits;
                }
                if (!copies.empty()) {
                    if (chosen == cli::Format::Json)
                        std::cout << newsidx::render_copies_json(*cluster) << '\n';
                    else
                        newsidx::render_copies_text(std::cout, *cluster, use_colour(colour));
                    return cli::kHits;
                }
                if (chosen == cli::Format::Json)
                    std::cout << newsidx::render_article_json(*article, *cluster) << '\n';
                else
                    newsidx::render_article_text(std::cout, *article, use_colour(colour), *cluster);
                return cli::kHits;
            }
            if (batch.empty() && words.empty() && opts.like.empty())
                throw newsidx::Error(newsidx::ErrorCode::BadOption,
                                     "a QUERY (or --batch FILE) is required")
                    .with_hint("run with --help for more information");
            opts.plain = plain_flag || !batch.empty();
            opts.db_paths = dbs.empty() ? std::vector<std::string>{cli::default_db()} : dbs;
            for (const std::string& w : words) opts.query += (opts.query.empty() ? "" : " ") + w;
            opts.snippets = chosen != cli::Format::Trec;  // TREC run lines show no snippets
            // The query text is checked before any index is opened (the options are, by the
            // Searcher, before it opens the index).
            if (batch.empty() && opts.like.empty()) newsidx::check_query_text(opts.query);
            if (!opts.like.empty()) opts.query = "like:" + opts.like;
            std::ifstream file;
            if (!batch.empty() && batch != "-") {
                file.open(batch);
                if (!file)
                    throw newsidx::Error(newsidx::ErrorCode::Io,
                                         "cannot read batch file '" + batch + "'");
            }
            newsidx::Searcher searcher(opts);
            warn_missing(searcher);
            if (!opts.like.empty() && !searcher.article(opts.like)) {
                std::cerr << "searcher: " << newsidx::no_article(opts.like) << '\n';
                return cli::kNoHits;
            }
            if (!batch.empty())
                return cli::run_batch(searcher, batch == "-" ? std::cin : file, batch, chosen,
                                      std::cout, std::cerr);
            if (!export_format.empty()) {
                const bool csv = export_format == "csv";
                if (csv) std::cout << newsidx::kExportCsvHeader << '\n';
                const Xapian::doccount n = searcher.each_match(opts.query, [&](const auto& hit) {
                    std::cout << newsidx::export_line(hit, csv) << '\n';
                });
                std::cerr << (n == 0 ? "searcher: no results for '" + opts.query + "'"
                                     : "exported " + newsidx::with_thousands(n) +
                                           (n == 1 ? " match" : " matches"))
                          << '\n';
                return n == 0 ? cli::kNoHits : cli::kHits;
            }
            const newsidx::SearchResult result = searcher.search(opts.query);
            if (chosen == cli::Format::Text)
                for (const std::string& note : result.notes)
                    std::cerr << "searcher: note: "
                              << newsidx::spelled(note, newsidx::Spelling::Cli) << '\n';
            print_result(result, opts, chosen, use_colour(colour));
            return result.hits.empty() ? cli::kNoHits : cli::kHits;
        },
        [](const newsidx::Error&) { return cli::kSearchError; }, cli::kSearchError);
}
