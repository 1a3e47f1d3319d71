#include "newsidx/cli.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <regex>
#include <sstream>
#include <stdexcept>

#include "newsidx/error.hpp"
#include "newsidx/manual.hpp"
#include "newsidx/search_flags.hpp"
#include "newsidx/options.hpp"
#include "search_fixture.hpp"

namespace newsidx::test {
namespace {

TEST(Bm25Option, TakesK1BAndShortestLengthOrRefusesWithTheText) {
    struct Case {
        std::string text;
        double k1, b, shortest;  // after parsing, when it parses
        bool ok;
        std::string why;
    };
    const Case cases[] = {
        {"1.2,0.75", 1.2, 0.75, kDefaultBm25MinLength, true, "K1 and B keep the default L"},
        {"0.9", 0.9, kDefaultBm25B, kDefaultBm25MinLength, true,
         "K1 alone keeps the default B and L"},
        {"1.2,0.75,0.1", 1.2, 0.75, 0.1, true, "all three"},
        {"0,0,0", 0, 0, 0, true, "the edges are allowed"},
        {"+2,.5,1", 2, 0.5, 1, true, "a sign, a leading point, L at 1"},
        {"1.2,7", 0, 0, 0, false, "B above 1"},
        {"1.2,0.5,1.5", 0, 0, 0, false, "L above 1"},
        {"1.2,0.5,-0.1", 0, 0, 0, false, "negative L"},
        {"1.2,0.5,0.1,3", 0, 0, 0, false, "a fourth number"},
        {"-1,0.5", 0, 0, 0, false, "negative K1"},
        {"x", 0, 0, 0, false, "not a number"},
        {"0x1", 0, 0, 0, false, "hex"},
        {"1e0", 0, 0, 0, false, "an exponent"},
        {"nan", 0, 0, 0, false, "not a number, spelt"},
        {"1-2", 0, 0, 0, false, "a sign inside"},
        {"", 0, 0, 0, false, "empty"},
        {".", 0, 0, 0, false, "a point alone"},
        {"1.2,", 0, 0, 0, false, "B missing after the comma"},
        {"1.2,,0.1", 0, 0, 0, false, "B missing between commas"},
        {"1.2;0.3", 0, 0, 0, false, "another separator"},
    };
    for (const Case& c : cases) {
        SearchOptions o;
        if (c.ok) {
            parse_bm25(c.text, o);
            EXPECT_DOUBLE_EQ(o.bm25_k1, c.k1) << c.why;
            EXPECT_DOUBLE_EQ(o.bm25_b, c.b) << c.why;
            EXPECT_DOUBLE_EQ(o.bm25_min_length, c.shortest) << c.why;
        } else {
            try {
                parse_bm25(c.text, o);
                ADD_FAILURE() << c.why;
            } catch (const Error& e) {
                EXPECT_EQ(e.code(), ErrorCode::BadOption);
                EXPECT_EQ(std::string(e.what()),
                          "--bm25 wants K1[,B[,L]] with K1 >= 0, 0 <= B <= 1 and 0 <= L <= 1, "
                          "got '" +
                              c.text + "'")
                    << c.why;
            }
        }
    }
}

TEST(BatchRunner, AnswersEveryLineAndReportsTheBadOnes) {
    SearchOptions o;
    o.db_paths = {search_fixture_db()};
    o.plain = true;
    o.limit = 2;
    Searcher searcher(o);
    std::istringstream in(
        "# a comment\n"
        "q1\tsecurity guarantees\n"
        "\n"
        "no tab\n"
        "q2\tmarathon\n"
        "q3\t\xff\xfe\n");
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_batch(searcher, in, "q.tsv", cli::Format::Trec, out, err),
              cli::kBatchSkipped);
    // TREC run lines: id Q0 docid rank score newsidx, two a query.
    const std::regex line(R"((q1 Q0 a1 1|q1 Q0 a2 2|q2 Q0 a5 1) [0-9]+\.[0-9]{6} newsidx)");
    std::istringstream lines(out.str());
    std::vector<std::string> seen;
    for (std::string l; std::getline(lines, l);) {
        EXPECT_TRUE(std::regex_match(l, line)) << l;
        seen.push_back(l.substr(0, 8));
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"q1 Q0 a1", "q1 Q0 a2", "q2 Q0 a5"}));
    EXPECT_EQ(err.str(),
              "q.tsv:4: expected id<TAB>query\n"
              "q.tsv:6: the query is not valid UTF-8\n");

    std::istringstream good("q1\tmarathon\n");
    std::ostringstream json, none;
    EXPECT_EQ(cli::run_batch(searcher, good, "-", cli::Format::Json, json, none), cli::kHits);
    EXPECT_EQ(json.str().rfind("{\"id\":\"q1\",\"query\":\"marathon\"", 0), 0u) << json.str();
    EXPECT_EQ(none.str(), "");
}

// Issue #29: --batch with --format csv: one header, each row with its line's id (two lines may
// ask the same query), and a line without a match, which has no row, said on stderr.
TEST(BatchRunner, CsvRowsCarryTheIdUnderOneHeader) {
    SearchOptions o;
    o.db_paths = {search_fixture_db()};
    o.plain = true;
    o.timeline = "year";
    o.share = true;
    Searcher searcher(o);
    std::istringstream in("a\tmarathon\nb\tzzqx\nc\tmarathon\n");
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_batch(searcher, in, "q.tsv", cli::Format::Csv, out, err), cli::kHits);
    EXPECT_EQ(out.str(),
              "id,query,table,value,start,count,all,share,score\n"
              "a,marathon,timeline,2022,2022-01-01,1,4,0.25,\n"
              "c,marathon,timeline,2022,2022-01-01,1,4,0.25,\n");
    EXPECT_EQ(err.str(), "q.tsv:2: no matches for id b: no rows\n");
}

TEST(CliRun, MapsEveryFailureToAnExitCodeAndOneMessage) {
    const auto code_of = [](const Error& e) { return e.code() == ErrorCode::BadOption ? 2 : 1; };
    std::ostringstream err;
    EXPECT_EQ(cli::run(
                  "prog", err, [] { return 0; }, code_of, 9),
              0);
    EXPECT_EQ(err.str(), "");
    EXPECT_EQ(
        cli::run(
            "prog", err,
            []() -> int { throw Error(ErrorCode::BadOption, "bad flag").with_hint("try --help"); },
            code_of, 9),
        2);
    EXPECT_EQ(err.str(), "prog: error: bad flag\nprog: hint: try --help\n");
    err.str("");
    EXPECT_EQ(cli::run(
                  "prog", err, []() -> int { throw Xapian::DatabaseCorruptError("bad block"); },
                  code_of, 9),
              1)
        << "a Xapian error, which is no std::exception, still becomes an Error";
    EXPECT_EQ(err.str(), "prog: error: DatabaseCorruptError: bad block\n");
    err.str("");
    EXPECT_EQ(cli::run(
                  "prog", err, []() -> int { throw std::runtime_error("boom"); }, code_of, 9),
              9);
    EXPECT_EQ(err.str(), "prog: internal error: boom\n");
}

// Issue #31: the man page and the completions are made from the app's options, so every row of
// the search option table is in them.
TEST(Manual, EveryRowOfTheOptionTableIsInTheManPageAndTheCompletions) {
    CLI::App app{"Search a newsidx index.", "searcher"};
    const cli::SearchFlags flags(app);  // (link() wants the front end's own options too)
    const std::string page = cli::man_page(app, "searcher", "[OPTIONS] QUERY...");
    const std::string bash = cli::completion(app, "searcher", "bash");
    const std::string zsh = cli::completion(app, "searcher", "zsh");
    const std::string fish = cli::completion(app, "searcher", "fish");
    for (const SearchOption& row : search_options()) {
        std::string roff = "\\-\\-";
        for (char c : row.name) roff += c == '-' ? std::string("\\-") : std::string(1, c);
        EXPECT_NE(page.find(roff), std::string::npos) << row.name;
        EXPECT_TRUE(bash.find(" --" + std::string(row.name) + " ") != std::string::npos ||
                    bash.find(" --" + std::string(row.name) + "\"") != std::string::npos)
            << row.name;
        EXPECT_NE(zsh.find("'--" + std::string(row.name) + "["), std::string::npos) << row.name;
        EXPECT_NE(fish.find(" -l " + std::string(row.name) + " "), std::string::npos) << row.name;
    }
    // A row with choices completes them.
    EXPECT_NE(bash.find("--sort) COMPREPLY=($(compgen -W \"relevance newest oldest\""),
              std::string::npos);
    EXPECT_EQ(cli::completion(app, "searcher", "csh"), "");
}

}  // namespace
}  // namespace newsidx::test
