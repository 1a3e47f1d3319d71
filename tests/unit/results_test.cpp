#include "newsidx/results.hpp"

#include <gtest/gtest.h>

#include <map>
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

// Issue #29, item 1: with --share the JSON and CSV carry each count's base and share; a
// period without an article has no share (null, empty), and a query with a comma is quoted.
TEST(Share, JsonAndCsvCarryTheBaseAndTheShare) {
    SearchResult r;
    r.query = "oil, gas";
    const std::map<std::string, Xapian::doccount> all{{"20220101", 12}, {"20220316", 8}};
    r.timeline = make_timeline("month", {{"20220115", 3}, {"20220315", 1}}, &all);
    Facet site;
    site.field = "site";
    site.share = true;
    site.values = 1;
    site.top = {{"bbc.co.uk", 4, 20}};
    r.facets.push_back(site);
    const std::string json = render_json(r);
    EXPECT_NE(json.find(R"("timeline":{"period":"month","counts":"articles","total":4,)"
                        R"("all_total":20,"share":0.2,"buckets":[)"
                        R"({"period":"2022-01","start":"2022-01-01","count":3,"all":12,"share":0.25},)"
                        R"({"period":"2022-02","start":"2022-02-01","count":0,"all":0,"share":null},)"
                        R"({"period":"2022-03","start":"2022-03-01","count":1,"all":8,"share":0.125}]})"),
              std::string::npos)
        << json;
    EXPECT_NE(json.find(R"("facets":{"site":{"values":1,"top":[)"
                        R"({"value":"bbc.co.uk","count":4,"all":20,"share":0.2}]}})"),
              std::string::npos)
        << json;
    EXPECT_EQ(render_tables_csv(r),
              "query,table,value,start,count,all,share,score\n"
              "\"oil, gas\",timeline,2022-01,2022-01-01,3,12,0.25,\n"
              "\"oil, gas\",timeline,2022-02,2022-02-01,0,0,,\n"
              "\"oil, gas\",timeline,2022-03,2022-03-01,1,8,0.125,\n"
              "\"oil, gas\",site,bbc.co.uk,,4,20,0.2,\n");
    // Without --share the base's columns are empty; without a header for the next batch line.
    r.timeline = make_timeline("year", {{"20220115", 3}});
    r.facets.clear();
    EXPECT_EQ(render_tables_csv(r, false), "\"oil, gas\",timeline,2022,2022-01-01,3,,,\n");
    EXPECT_EQ(render_json(r).find("\"all\""), std::string::npos);
}

// The chart with --share: each line's count, its base and share, and a bar as long as the
// share (the greatest share fills the width, the line one column under it); a run of three
// periods or more without any article is one line.
TEST(Share, ChartShowsCountOfAllAndTheShare) {
    const std::map<std::string, Xapian::doccount> all{{"20220101", 1200}, {"20220316", 8}};
    const Timeline t = make_timeline("month", {{"20220115", 30}, {"20220315", 1}}, &all);
    std::ostringstream out;
    render_timeline(out, t, 50);
    EXPECT_EQ(out.str(),
              "timeline by month: 31 articles in 3 months\n"
              "share of the 1,208 articles with the same filters in those months: 2.57%\n"
              "2022-01  30 of 1,200   2.50%  ###\n"
              "2022-02   0 of     0       -\n"
              "2022-03   1 of     8  12.50%  ###################\n");
    const std::map<std::string, Xapian::doccount> gap{{"20220101", 10}, {"20220601", 10}};
    out.str("");
    render_timeline(out, make_timeline("month", {{"20220115", 1}, {"20220615", 1}}, &gap), 50);
    EXPECT_EQ(out.str(),
              "timeline by month: 2 articles in 6 months\n"
              "share of the 20 articles with the same filters in those months: 10.00%\n"
              "2022-01  1 of 10  10.00%  #######################\n"
              "2022-02 to 2022-05  no articles (4 months)\n"
              "2022-06  1 of 10  10.00%  #######################\n");
    EXPECT_EQ(share_text(1, 30676), "0.0033%");
    EXPECT_EQ(share_text(0, 5), "0.00%");
    EXPECT_EQ(share_text(5, 5), "100.00%");
}

// Issue #29, item 2: the compared timelines as a table (a column per query, the base once) and
// as CSV rows under each query.
TEST(Share, ComparisonIsATableAndCsvRowsPerQuery) {
    const std::map<std::string, Xapian::doccount> all{{"20220101", 1200}, {"20220301", 8}};
    const std::pair<std::string, std::string> span{"20220115", "20220315"};
    SearchResult r;
    r.query = "oil";
    r.timeline = make_timeline("month", {{"20220115", 30}}, &all, span);
    r.compared.push_back({"crude prices", make_timeline("month", {{"20220315", 2}}, &all, span), {}, 0});
    std::ostringstream out;
    render_comparison(out, r);
    EXPECT_EQ(out.str(),
              "timeline by month: 2 queries, articles matching (and their share of all with the "
              "same filters)\n"
              "  1  oil           30 articles (2.48%)\n"
              "  2  crude prices   2 articles (0.17%)\n"
              "period     all         1         2\n"
              "2022-01  1,200  30 2.50%   0 0.00%\n"
              "2022-02      0       0 -       0 -\n"
              "2022-03      8   0 0.00%  2 25.00%\n");
    EXPECT_EQ(render_tables_csv(r),
              "query,table,value,start,count,all,share,score\n"
              "oil,timeline,2022-01,2022-01-01,30,1200,0.025,\n"
              "oil,timeline,2022-02,2022-02-01,0,0,,\n"
              "oil,timeline,2022-03,2022-03-01,0,8,0,\n"
              "crude prices,timeline,2022-01,2022-01-01,0,1200,0,\n"
              "crude prices,timeline,2022-02,2022-02-01,0,0,,\n"
              "crude prices,timeline,2022-03,2022-03-01,2,8,0.25,\n");
    EXPECT_NE(render_json(r).find(R"("compared":[{"query":"crude prices","did_you_mean":null,)"
                                  R"("timeline":{"period":"month","counts":"articles","total":2,)"),
              std::string::npos)
        << render_json(r);
}

// Issue #29, item 3: the words as a table under what they were counted against; the JSON and
// the CSV rows (all: the stories compared that have the word, the matching among them).
TEST(Significant, TextJsonAndCsv) {
    SearchResult r;
    r.query = "oil";
    Significance s;
    s.scoring = "jlh";
    s.against = "rest";
    s.stories = 100;
    s.others = 900;
    s.words = {{"barrel", "barrel", 10, 10, 0.4}, {"OPEC", "opec", 5, 1, 0.2417}};
    r.significance = s;
    std::ostringstream out;
    render_text(out, r, false);
    EXPECT_EQ(out.str(),
              "significant words (JLH; each story once):\n"
              "100 matching stories against the 900 other stories with the same filters\n"
              "  word     matching    others   score\n"
              "  barrel  10 10.00%  10 1.11%     0.4\n"
              "  OPEC      5 5.00%   1 0.11%  0.2417\n");
    EXPECT_NE(render_json(r).find(R"("significant":{"scoring":"jlh","against":"rest","stories":100,)"
                                  R"("others":900,"words":[{"word":"barrel","term":"barrel",)"
                                  R"("count":10,"others":10,"score":0.4},)"),
              std::string::npos)
        << render_json(r);
    EXPECT_EQ(render_tables_csv(r),
              "query,table,value,start,count,all,share,score\n"
              "oil,significant,barrel,,10,20,0.5,0.4000\n"
              "oil,significant,OPEC,,5,6,0.8333333333,0.2417\n");
}

}  // namespace
}  // namespace newsidx::test
