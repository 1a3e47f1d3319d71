// searcher: a thin CLI11 front end over newsidx::search.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>

#include "newsidx/error.hpp"
#include "newsidx/results.hpp"
#include "newsidx/search.hpp"

namespace {

constexpr int kExitHits = 0;
constexpr int kExitNoHits = 1;
constexpr int kExitError = 2;
constexpr int kExitSkipped = 3;  // --batch: some lines were skipped

bool stdout_is_terminal() {
    const char* term = std::getenv("TERM");
    return ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") &&
           !(term && std::string(term) == "dumb");
}

// --batch: every id<TAB>query line answered from one open index. Bad lines are reported
// as FILE:LINE: reason and skipped. Exit status 0, or 3 when some lines were skipped.
int run_batch(const std::string& path, newsidx::SearchOptions opts, const std::string& format) {
    std::ifstream file;
    if (path != "-") {
        file.open(path);
        if (!file) {
            std::cerr << "searcher: error: cannot read batch file '" << path << "'\n";
            return kExitError;
        }
    }
    std::istream& in = path == "-" ? std::cin : file;
    try {
        std::string language;
        const Xapian::Database db = newsidx::open_for_search(opts, &language);
        std::string line, reason;
        int line_no = 0, skipped = 0;
        while (std::getline(in, line)) {
            ++line_no;
            const auto q = newsidx::parse_batch_line(line, &reason);
            if (!q) {
                if (!reason.empty()) {
                    std::cerr << path << ':' << line_no << ": " << reason << '\n';
                    ++skipped;
                }
                continue;
            }
            opts.query = q->query;
            try {
                const newsidx::SearchResult result = newsidx::search(db, language, opts);
                if (format == "trec")
                    newsidx::render_trec(std::cout, q->id, result);
                else
                    std::cout << newsidx::render_json(result, q->id) << '\n';
            } catch (const newsidx::Error& e) {
                std::cerr << path << ':' << line_no << ": " << e.what() << '\n';
                ++skipped;
            }
        }
        return skipped ? kExitSkipped : kExitHits;
    } catch (const newsidx::Error& e) {
        std::cerr << newsidx::describe_error("searcher", e);
    }
    return kExitError;
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
        "Query syntax: words (ranked by BM25), \"exact phrase\", AND OR NOT, +must -mustnot,\n"
        "title:word, title:\"a phrase\", site:bbc.co.uk, date:20220201..20220228, prefix*, "
        "NEAR.\n\n"
        "Examples:\n"
        "  searcher \"security guarantees\"\n"
        "  searcher '\"security guarantees\" site:example.org' --sort newest\n"
        "  searcher 'title:ceasefire NOT sport' --since 2022-01-01 --json\n\n"
        "Exit status: 0 hits found; 1 no hits; 2 error.");
    app.add_option("-d,--db", dbs,
                   "Index to search; repeat to search several as one (default: $NEWSIDX_DB, else "
                   "./newsidx.db)")
        ->allow_extra_args(false);  // one DIR per --db: "--db DIR QUERY" leaves QUERY alone
    app.add_option("-n,--limit", opts.limit, "Results to show (default 10)")
        ->check(CLI::Range(1, 10000));
    app.add_option("--offset", opts.offset, "Skip the first N results (paging)")
        ->check(CLI::Range(0, 1000000));
    const std::map<std::string, newsidx::SortOrder> kSorts{
        {"relevance", newsidx::SortOrder::Relevance},
        {"newest", newsidx::SortOrder::Newest},
        {"oldest", newsidx::SortOrder::Oldest}};
    app.add_option("--sort", opts.sort, "relevance (default) | newest | oldest")
        ->transform(CLI::CheckedTransformer(kSorts, CLI::ignore_case));
    app.add_option("--since", opts.since,
                   "Only articles on or after DATE (YYYYMMDD or YYYY-MM-DD)");
    app.add_option("--until", opts.until, "Only articles on or before DATE");
    app.add_option("--site", opts.site, "Only articles from HOST or its subdomains");
    app.add_flag("--all", opts.match_all,
                 "Every word must match (default: ranked, best matches first)");
    app.add_flag("--json", json, "Machine-readable output (same as --format json)");
    app.add_option("--format", format, "text (default) | json | trec (TREC run lines)")
        ->check(CLI::IsMember({"text", "json", "trec"}));
    std::string batch;
    app.add_option("--batch", batch,
                   "Answer every id<TAB>query line of FILE in one process (- for stdin)");
    app.add_option("--expand", opts.expand,
                   "Pseudo-relevance feedback: add the N best terms of the top 10 hits")
        ->check(CLI::Range(0, 100));
    std::string bm25;
    app.add_option("--bm25", bm25, "BM25 parameters K1,B (default 2,0.4)");
    app.add_option("--title-boost", opts.title_boost,
                   "Weight of an exact title match, a query that is an article's whole title "
                   "(default 1; 0 turns it off)")
        ->check(CLI::Range(0.0, 100.0));
    bool plain_flag = false;
    app.add_flag("--plain", plain_flag,
                 "Treat the query as plain words, no operators (default with --batch)");
    app.add_option("--lang", opts.language,
                   "Must match the index's stemming language (default: the one it was built with)");
    app.add_option("query", words, "The query; several arguments are joined with spaces")
        ->excludes("--batch");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitHits : kExitError;
    }
    if (json) format = "json";
    if (!bm25.empty()) {
        char* end = nullptr;
        opts.bm25_k1 = std::strtod(bm25.c_str(), &end);
        if (*end == ',') opts.bm25_b = std::strtod(end + 1, &end);
        if (*end != '\0' || opts.bm25_k1 < 0 || opts.bm25_b < 0 || opts.bm25_b > 1) {
            std::cerr << "searcher: error: --bm25 wants K1,B with K1 >= 0 and 0 <= B <= 1, got '"
                      << bm25 << "'\n";
            return kExitError;
        }
    }
    if (batch.empty() && words.empty()) {
        std::cerr << "searcher: error: a QUERY (or --batch FILE) is required\n"
                  << "Run with --help for more information.\n";
        return kExitError;
    }
    opts.plain = plain_flag || !batch.empty();
    if (!dbs.empty()) {
        opts.db_paths = dbs;
    } else if (const char* env = std::getenv("NEWSIDX_DB"); env && *env) {
        opts.db_paths = {env};
    }
    for (const std::string& w : words) opts.query += (opts.query.empty() ? "" : " ") + w;

    opts.snippets = format != "trec";  // TREC run lines show no snippets
    if (!batch.empty()) return run_batch(batch, opts, format);
    try {
        const newsidx::SearchResult result = newsidx::search(opts);
        if (format == "json") {
            std::cout << newsidx::render_json(result) << '\n';
        } else if (format == "trec") {
            newsidx::render_trec(std::cout, "1", result);
        } else {
            newsidx::render_text(std::cout, result, stdout_is_terminal());
            if (result.hits.empty()) {
                // A long (pasted) query is shown by its head: one line on the terminal.
                constexpr std::size_t kShown = 80;
                std::string shown = opts.query.substr(0, kShown);
                while (!shown.empty() && opts.query.size() > kShown &&
                       (static_cast<unsigned char>(opts.query[shown.size()]) & 0xC0) == 0x80)
                    shown.pop_back();  // do not cut a UTF-8 character in two
                if (shown.size() < opts.query.size()) shown += "...";
                std::cerr << "searcher: no results for '" << shown << "'\n";
            } else {
                char line[160];
                std::snprintf(line, sizeof line, "showing %u-%u of about %u results (%.1f ms)",
                              result.hits.front().rank, result.hits.back().rank,
                              static_cast<unsigned>(result.total_estimate), result.elapsed_ms);
                std::cerr << line << '\n';
            }
        }
        return result.hits.empty() ? kExitNoHits : kExitHits;
    } catch (const newsidx::Error& e) {
        std::cerr << newsidx::describe_error("searcher", e);
    } catch (const std::exception& e) {
        std::cerr << "searcher: internal error: " << e.what() << '\n';
    }
    return kExitError;
}
