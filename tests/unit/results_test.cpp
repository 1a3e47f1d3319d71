#include "newsidx/results.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace newsidx {
namespace {

SearchResult sample_result() {
    SearchResult r;
    r.query = "security guarantees";
    r.total_estimate = 7;
    r.total_about = true;
    r.total_at_least = 6;
    r.elapsed_ms = 1.23456;
    Hit h;
    h.rank = 1;
    h.score = 2.5;
    h.percent = 100;
    h.title = "Talks end with \"offer\"";
    h.date = "2022-02-08";
    h.url = "https://news.example.org/a";
    h.site = "news.example.org";
    h.path = "/corpus/a.txt";
    h.language = "en";
    h.snippet.text = "…written security guarantees would…";
    h.snippet.highlights = {{11, 19}, {20, 30}};
    r.hits.push_back(h);
    return r;
}

TEST(RenderJson, PrintsTheContractFieldsInOrder) {
    EXPECT_EQ(
        render_json(sample_result()),
        R"({"query":"security guarantees","total_estimate":7,"total_exact":false,"total_about":true,)"
        R"("total_at_least":6,"elapsed_ms":1.235,)"
        R"("results":[)"
        R"({"rank":1,"score":2.5,"percent":100,"title":"Talks end with \"offer\"",)"
        R"("date":"2022-02-08","url":"https://news.example.org/a","site":"news.example.org",)"
        R"("path":"/corpus/a.txt","language":"en","snippet":"…written security guarantees would…",)"
        R"("highlights":[[11,19],[20,30]]}],"did_you_mean":null})");
}

TEST(RenderJson, CarriesTheSpellingSuggestion) {
    SearchResult r;
    r.query = "secruity";
    r.total_exact = true;
    r.did_you_mean = "security";
    EXPECT_EQ(
        render_json(r),
        R"({"query":"secruity","total_estimate":0,"total_exact":true,"elapsed_ms":0.0,"results":[],)"
        R"("did_you_mean":"security"})");
}

TEST(RenderTrec, PrintsOneRunLinePerHitWithTheFileNameAsDocid) {
    SearchResult r = sample_result();
    Hit second = r.hits[0];
    second.rank = 2;
    second.score = 1.25;
    second.path = "/cacm/docs/CACM-1410.txt";
    r.hits.push_back(second);
    std::ostringstream out;
    render_trec(out, "12", r);
    EXPECT_EQ(out.str(),
              "12 Q0 a 1 2.500000 newsidx\n"
              "12 Q0 CACM-1410 2 1.250000 newsidx\n");
}

TEST(RenderJson, BatchLinesStartWithTheId) {
    SearchResult r;
    r.query = "x";
    r.total_exact = true;
    EXPECT_EQ(render_json(r, "q1"),
              R"({"id":"q1","query":"x","total_estimate":0,"total_exact":true,"elapsed_ms":0.0,)"
              R"("results":[],"did_you_mean":null})");
}

TEST(RenderText, IsPlainWhenNotATerminal) {
    std::ostringstream out;
    render_text(out, sample_result(), false);
    EXPECT_EQ(out.str(),
              "1. Talks end with \"offer\"    2022-02-08\n"
              "   https://news.example.org/a\n"
              "   …written security guarantees would…\n");
}

TEST(RenderText, BoldsTitleAndHighlightsOnATerminal) {
    std::ostringstream out;
    render_text(out, sample_result(), true);
    EXPECT_EQ(out.str(),
              "1. \x1b[1mTalks end with \"offer\"\x1b[0m    2022-02-08\n"
              "   \x1b[32mhttps://news.example.org/a\x1b[0m\n"
              "   …written \x1b[1;33msecurity\x1b[0m \x1b[1;33mguarantees\x1b[0m would…\n");
}

TEST(RenderText, SaysDidYouMean) {
    SearchResult r;
    r.did_you_mean = "security";
    std::ostringstream out;
    render_text(out, r, false);
    EXPECT_EQ(out.str(), "did you mean: security\n");
}

// Issue #10: "no results for 'talks'" past the last page, although there are 7; and no word of
// the filters that left nothing.
TEST(StatusLine, SaysWhyThereIsNothingToShow) {
    SearchOptions o;
    SearchResult r = sample_result();
    r.elapsed_ms = 3.14;
    EXPECT_EQ(status_line(r, o), "showing 1-1 of about 7 results (3.1 ms)");
    // An estimate that Xapian's bounds do not keep within 10%: only what is certain (#26).
    r.total_about = false;
    EXPECT_EQ(status_line(r, o), "showing 1-1 of at least 6 results (3.1 ms)");
    r.total_about = true;
    r.total_exact = true;
    EXPECT_EQ(status_line(r, o), "showing 1-1 of 7 results (3.1 ms)") << "about only when it is";
    r.total_estimate = 1;
    EXPECT_EQ(status_line(r, o), "showing 1-1 of 1 result (3.1 ms)");
    r.total_estimate = 7;
    r.hits.clear();
    o.offset = 20;
    EXPECT_EQ(status_line(r, o),
              "no results on this page: 'security guarantees' has 7 results, and --offset 20 is "
              "past the last");
    r.total_estimate = 1;
    EXPECT_EQ(status_line(r, o),
              "no results on this page: 'security guarantees' has 1 result, and --offset 20 is "
              "past the last");
    r.total_estimate = 0;
    o.offset = 0;
    EXPECT_EQ(status_line(r, o), "no results for 'security guarantees'");
    o.since = "2023";
    o.site = "bbc.co.uk";
    o.match_all = true;
    EXPECT_EQ(status_line(r, o),
              "no results for 'security guarantees' with --since 2023, --site bbc.co.uk, --all");
    r.query = std::string(79, 'a') + "\xC3\xA9\xC3\xA9";  // 80 bytes would cut the first é
    EXPECT_EQ(status_line(r, SearchOptions{}), "no results for '" + std::string(79, 'a') + "...'");
}

}  // namespace
}  // namespace newsidx

namespace newsidx::test {
namespace {

// Issue #11, item 8: counts for people read "1,016 results".
TEST(WithThousands, GroupsDigitsByThree) {
    EXPECT_EQ(with_thousands(0), "0");
    EXPECT_EQ(with_thousands(999), "999");
    EXPECT_EQ(with_thousands(1000), "1,000");
    EXPECT_EQ(with_thousands(1016), "1,016");
    EXPECT_EQ(with_thousands(1234567), "1,234,567");
}

}  // namespace
}  // namespace newsidx::test

namespace newsidx::test {
namespace {

// Issue #11, item 7: CSV fields with commas or quotes are quoted, quotes doubled.
TEST(ExportLine, QuotesCsvFieldsAndWritesJsonObjects) {
    Hit hit = sample_result().hits[0];
    hit.title = "One year on, the \"calm\" border";
    hit.first_url = "https://y.org/first";
    EXPECT_EQ(export_line(hit, true),
              "1,2.500000,2022-02-08,news.example.org,https://news.example.org/a,\"One year on, "
              "the \"\"calm\"\" border\",/corpus/a.txt,https://y.org/first");
    EXPECT_EQ(export_line(hit, false),
              R"({"rank":1,"score":2.5,"date":"2022-02-08","site":"news.example.org",)"
              R"("url":"https://news.example.org/a","title":"One year on, the \"calm\" border",)"
              R"("path":"/corpus/a.txt","cluster":"https://y.org/first"})");
}

}  // namespace
}  // namespace newsidx::test
