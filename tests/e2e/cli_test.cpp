// End-to-end tests: the real indexer and searcher binaries on real files.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <regex>
#include <sstream>
#include <thread>
#include <tuple>

#include "binaries.hpp"
#include "loopback_shards.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kMixed = std::string(NEWSIDX_TEST_DATA) + "/mixed";

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// The samples, indexed once into a fresh ./newsidx.db as the README does.
class SamplesTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const CommandResult r = run_command({kIndexer, kSamples}, dir_->path().string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }

    static CommandResult search(std::vector<std::string> args) {
        args.insert(args.begin(), kSearcher);
        return run_command(args, dir_->path().string());
    }

    static json search_json(std::vector<std::string> args) {
        args.push_back("--json");
        const CommandResult r = search(std::move(args));
        EXPECT_LE(r.exit_code, 1) << r.err;
        return json::parse(r.out);
    }

    static std::vector<std::string> urls(const json& j) {
        std::vector<std::string> out;
        for (const auto& hit : j["results"]) out.push_back(hit["url"]);
        return out;
    }

    static TempDir* dir_;
};
TempDir* SamplesTest::dir_ = nullptr;

TEST_F(SamplesTest, ReadmeQueryRanksTheSecurityGuaranteeStoriesFirst) {
    const CommandResult r = search({"security guarantees"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_GE(lines.size(), 3u);
    // A subject's name (a phrase in six articles or more): feedback from its top hits ranks
    // the stories about the talks first (docs/quality.md).
    EXPECT_EQ(lines[0],
              "1. Talks end with offer of security guarantees for the border region    2022-02-08");
    EXPECT_EQ(lines[1], "   https://news.example.org/2022/02/08/talks-end-with-offer");
    EXPECT_TRUE(starts_with(lines[2],
                            "   \xE2\x80\xA6" "side would call an agreement. The delegation said "
                            "written security guarantees would be sent within a week"))
        << lines[2];
    EXPECT_EQ(lines[3], "");
    EXPECT_EQ(lines[4],
              "2. Draft text of security guarantees published after week of delays    2022-02-16");
    EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour when not a terminal";
    EXPECT_EQ(r.err, "showing 1-10 of 13 results (" + r.err.substr(r.err.find('(') + 1));
}

TEST_F(SamplesTest, DbBeforeTheQueryAndAPastedHeadline) {
    // --db may be repeated, but each takes one folder: the words after it are the query.
    const std::string db = dir_->path().string() + "/newsidx.db";
    CommandResult r = search({"--db", db, "Talks", "end", "with", "offer"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(first_line(r.out),
              "1. Talks end with offer of security guarantees for the border region    2022-02-08");
    // The whole title, punctuation and case aside, ranks its article first...
    const std::string headline =
        "analysis - What security guarantees mean and why they so often fail!";
    json j = search_json({headline});
    ASSERT_FALSE(j["results"].empty());
    EXPECT_EQ(j["results"][0]["title"],
              "Analysis: what security guarantees mean, and why they so often fail");
    EXPECT_EQ(j["results"][0]["percent"], 100);
    const double boosted = j["results"][0]["score"];
    // ... by the exact-title term, which --title-boost 0 leaves out.
    j = search_json({headline, "--title-boost", "0"});
    EXPECT_LT(j["results"][0]["score"].get<double>(), boosted);
    r = search({"x", "--title-boost", "-1"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "searcher: error: --title-boost: Value -1 not in range 0.000000 to 100.000000\n"
              "searcher: hint: searcher --help lists the options, with examples\n");
    r = search({"security", "--timeout", "nan"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "searcher: error: --timeout wants seconds from 0.1 to 3600\n")
        << "a NaN timeout would wait for a silent shard for ever";
    for (const char* flag : {"--title-boost", "--title-words"}) {
        r = search({"security", flag, "nan"});
        EXPECT_EQ(r.exit_code, 2) << flag;
        EXPECT_EQ(r.err,
                  std::string("searcher: error: ") + flag + " wants a weight from 0 to 100\n")
            << flag;
    }
}

// --explain (issue #25): each hit's score, then its parts, one a line, which add up to it.
TEST_F(SamplesTest, ExplainShowsPartsThatAddUpToEachScore) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"security guarantees"},
          std::vector<std::string>{"\"security guarantees\" OR title:ceasefire"},
          std::vector<std::string>{"border talks", "--expand", "5,1", "--recency", "30"}}) {
        SCOPED_TRACE(args.front());
        std::vector<std::string> text_args = args;
        text_args.insert(text_args.end(), {"--explain", "-n", "5"});
        const CommandResult r = search(text_args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        // "   score 10.4576 = the sum of:" then "      1.212123  bm25: secur (english x0.859)".
        std::istringstream lines(r.out);
        std::string line;
        int scores = 0;
        double score = 0, sum = 0;
        const auto close = [&] {
            if (scores > 0) {
                EXPECT_NEAR(sum, score, 1e-5 * score) << r.out;
            }
        };
        while (std::getline(lines, line)) {
            if (line.rfind("   score ", 0) == 0) {
                close();
                ++scores;
                score = std::stod(line.substr(9));
                sum = 0;
            } else if (std::smatch m; scores > 0 &&
                       std::regex_match(line, m, std::regex(R"( +(-?[0-9]+\.[0-9]{6})  [a-z].*)"))) {
                sum += std::stod(m[1]);
            }
        }
        close();
        EXPECT_EQ(scores, 5) << r.out;
        text_args.push_back("--json");
        const json j = json::parse(search(text_args).out);
        for (const auto& hit : j["results"]) {
            double parts = 0;
            for (const auto& part : hit["explain"]) parts += part["weight"].get<double>();
            EXPECT_NEAR(parts, hit["score"].get<double>(), 1e-9 * hit["score"].get<double>());
        }
    }
    const CommandResult feedback =
        search({"border talks", "--expand", "5,1", "--recency", "30", "--explain", "-n", "1"});
    EXPECT_NE(feedback.out.find("  feedback: "), std::string::npos) << feedback.out;
    EXPECT_NE(feedback.out.find("  recency: from "), std::string::npos) << feedback.out;
    EXPECT_NE(search({"site:news.example.org", "--explain", "-n", "1"})
                  .out.find("   score 0: no part weighs anything (the query only filters)"),
              std::string::npos);
}

TEST_F(SamplesTest, PhraseNarrowsTheRankedQuery) {
    const json ranked = search_json({"security guarantees"});
    const json phrase = search_json({"\"security guarantees\""});
    EXPECT_EQ(ranked["total_estimate"], 13);
    EXPECT_EQ(phrase["total_estimate"], 7);
    // Every phrase hit has the two words side by side in its snippet.
    for (const auto& hit : phrase["results"]) {
        const std::string snippet = hit["snippet"];
        std::string lower;
        for (char c : snippet)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_NE(lower.find("security guarantee"), std::string::npos) << snippet;
    }
    EXPECT_EQ(urls(phrase)[0], "https://news.example.org/2022/02/16/draft-text-published");
    // Issue #10, item 2: a wildcard inside the phrase finds the same articles.
    const json wild = search_json({"\"security guarant*\""});
    EXPECT_EQ(wild["total_estimate"], 7);
    EXPECT_EQ(urls(wild), urls(phrase));
}

TEST_F(SamplesTest, JsonHasEveryFieldAndHighlightOffsetsPointAtMatchedWords) {
    const json j = search_json({"security guarantees", "-n", "3"});
    EXPECT_EQ(j["query"], "security guarantees");
    EXPECT_TRUE(j["elapsed_ms"].is_number());
    EXPECT_TRUE(j["did_you_mean"].is_null());
    ASSERT_EQ(j["results"].size(), 3u);
    const json& hit = j["results"][0];
    EXPECT_EQ(hit["rank"], 1);
    EXPECT_TRUE(hit["score"].is_number_float());
    EXPECT_EQ(hit["percent"], 100);
    EXPECT_EQ(hit["title"], "Talks end with offer of security guarantees for the border region");
    EXPECT_EQ(hit["date"], "2022-02-08");
    EXPECT_EQ(hit["url"], "https://news.example.org/2022/02/08/talks-end-with-offer");
    EXPECT_EQ(hit["site"], "news.example.org");
    EXPECT_EQ(hit["path"], kSamples + "/talks-end-with-offer-of-security-guarantees.txt");
    for (const auto& h : j["results"]) {
        const std::string snippet = h["snippet"];
        ASSERT_FALSE(h["highlights"].empty()) << snippet;
        for (const auto& span : h["highlights"]) {
            const std::size_t b = span[0], e = span[1];
            const std::string word = snippet.substr(b, e - b);
            EXPECT_TRUE(word == "security" || word == "Security" || word == "guarantees" ||
                        word == "Guarantees")
                << word;
        }
    }
}

TEST_F(SamplesTest, DateAndSiteFiltersAndSortOrder) {
    const json j = search_json(
        {"guarantees", "--since", "2022-08-01", "--until", "20230901", "--sort", "oldest"});
    std::vector<std::string> dates;
    for (const auto& hit : j["results"]) dates.push_back(hit["date"]);
    EXPECT_EQ(dates, (std::vector<std::string>{"2022-08-01", "2022-08-30", "2022-11-15",
                                               "2023-02-13", "2023-08-30"}));

    const json newest = search_json({"guarantees", "--sort", "newest", "-n", "2"});
    EXPECT_EQ(urls(newest),
              (std::vector<std::string>{
                  "https://www.harbourtimes.example.com/opinion/guarantees-a-beginning",
                  "https://www.coastal-herald.example.co.uk/world/2023/02/13/one-year-on"}));

    const json site = search_json({"guarantees", "--site", "coastal-herald.example.co.uk"});
    for (const auto& hit : site["results"])
        EXPECT_EQ(hit["site"], "www.coastal-herald.example.co.uk");
    EXPECT_EQ(site["results"].size(), 3u);

    const json in_query = search_json({"guarantees date:2022-03-01..2022-03-31 site:example.org"});
    EXPECT_EQ(urls(in_query),
              (std::vector<std::string>{
                  "https://news.example.org/2022/03/07/ceasefire-monitors-arrive"}));
}

// Issue #11, item 4, end to end: --facet in text and JSON; the counts of a facet add up to
// the total (every article has one site and one year).
TEST_F(SamplesTest, FacetsCountTheMatchesInTextAndJson) {
    const json j =
        search_json({"security guarantees", "-n", "1", "--facet", "site", "--facet", "year"});
    ASSERT_TRUE(j.contains("facets")) << j.dump();
    for (const char* field : {"site", "year"}) {
        int sum = 0;
        for (const auto& c : j["facets"][field]["top"]) sum += c["count"].get<int>();
        EXPECT_EQ(sum, j["total_estimate"].get<int>()) << field;
    }
    const CommandResult text = search({"security guarantees", "-n", "1", "--facet", "year"});
    EXPECT_EQ(text.exit_code, 0);
    EXPECT_NE(
        text.out.find(
            "\nyear (3 of 3 values, articles matching):\n  10  2022\n   2  2023\n   1  2021\n"),
        std::string::npos)
        << text.out;
    const CommandResult bad = search({"talks", "--facet", "author"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(first_line(bad.err),
              "searcher: error: --facet: 'author' is not one of site, year, lang");
}

// Issue #11, item 3, end to end: --timeline as a chart and as JSON; its total is the count.
TEST_F(SamplesTest, TimelineChartAndJsonCountEveryMatch) {
    const json j = search_json({"security guarantees", "-n", "1", "--timeline", "year"});
    ASSERT_TRUE(j.contains("timeline")) << j.dump();
    EXPECT_EQ(j["timeline"]["total"], j["total_estimate"]);
    EXPECT_EQ(j["timeline"]["buckets"],
              json::parse(R"([{"period":"2021","start":"2021-01-01","count":1},)"
                          R"({"period":"2022","start":"2022-01-01","count":10},)"
                          R"({"period":"2023","start":"2023-01-01","count":2}])"));
    const CommandResult text = search({"security guarantees", "-n", "1", "--timeline", "year"});
    EXPECT_EQ(text.exit_code, 0);
    const std::size_t chart =
        text.out.find("timeline by year: 13 articles in 3 years\n2021   1  #");
    EXPECT_NE(chart, std::string::npos) << text.out;
    // Not a terminal: the chart is 80 columns wide at most.
    std::istringstream lines(text.out.substr(chart));
    for (std::string line; std::getline(lines, line);) EXPECT_LT(line.size(), 80u) << line;
    const CommandResult bad = search({"talks", "--timeline", "fortnight"});
    EXPECT_EQ(bad.exit_code, 2);
}

// Issue #11, item 7 (reading): --show prints one stored article in full, by URL or by file.
TEST_F(SamplesTest, ShowPrintsOneArticleByUrlOrFile) {
    const std::string url = "https://news.example.org/2022/02/16/draft-text-published";
    CommandResult r = search({"--show", url});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(starts_with(r.out,
                            "Draft text of security guarantees published after week of delays\n"
                            "2022-02-16 \xC2\xB7 news.example.org \xC2\xB7 en\n" +
                                url + "\nfile: " + kSamples +
                                "/security-guarantees-draft-published.txt\n\nThe foreign ministry "
                                "on Wednesday published the eight-page draft"))
        << r.out;
    EXPECT_NE(r.out.find("\n\nThe ministry said parliament would debate the draft before the "
                         "second round of talks in March.\n"),
              std::string::npos)
        << "the whole body, paragraphs apart";
    r = search({"--show", kSamples + "/security-guarantees-draft-published.txt", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["url"], url);
    EXPECT_EQ(j["date"], "2022-02-16");
    EXPECT_EQ(j["site"], "news.example.org");
    // --show, --copies and --like say alike that the index has no such article.
    for (const std::string flag : {"--show", "--copies", "--like"}) {
        r = search({flag, "https://news.example.org/no-such-story"});
        EXPECT_EQ(r.exit_code, 1) << flag;
        EXPECT_EQ(r.err,
                  "searcher: no article with the URL 'https://news.example.org/no-such-story' in "
                  "the index\n")
            << flag;
    }
    EXPECT_EQ(search({"--show", url, "talks"}).exit_code, 2) << "a URL or a query, not both";
    // A flag between the option and its URL is a flag, not the URL (issue #26).
    for (const std::string flag : {"--show", "--copies", "--like"}) {
        r = search({flag, "--json", url});
        EXPECT_EQ(r.exit_code, 0) << flag << ": " << r.err;
        EXPECT_TRUE(json::accept(r.out)) << flag << ": " << r.out;
    }
}

// Issue #11, item 7 (export): --export prints every match, in the ranking's order, as CSV or
// JSON lines.
TEST_F(SamplesTest, ExportPrintsEveryMatchInRankOrder) {
    const json ranked = search_json({"security guarantees", "-n", "20"});
    ASSERT_EQ(ranked["total_estimate"], 13);
    const CommandResult jsonl = search({"security guarantees", "--export", "jsonl"});
    EXPECT_EQ(jsonl.exit_code, 0) << jsonl.err;
    EXPECT_EQ(jsonl.err, "exported 13 matches\n");
    std::vector<std::string> exported;
    std::istringstream lines(jsonl.out);
    for (std::string line; std::getline(lines, line);) exported.push_back(json::parse(line)["url"]);
    EXPECT_EQ(exported, urls(ranked)) << "the same articles in the same order, not only a page";
    const CommandResult csv = search({"security guarantees", "--export", "csv", "-n", "2"});
    EXPECT_EQ(csv.exit_code, 0);
    EXPECT_TRUE(starts_with(csv.out, "rank,score,date,site,url,title,path,cluster\n1,")) << csv.out;
    EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 14) << "--limit does not cut it";
    const CommandResult none = search({"zzqqxxjj", "--export", "csv"});
    EXPECT_EQ(none.exit_code, 1);
    EXPECT_EQ(none.out, "rank,score,date,site,url,title,path,cluster\n");
}

// Issue #11, items 1-3 and 7: the samples hold one story twice, the wire copy with its own
// URL, a credit line and light edits.
const std::string kRailOriginal = "https://news.example.org/2023/04/04/rail-link-reopens";
const std::string kRailCopy =
    "https://www.harbourtimes.example.com/region/rail-link-reopens-after-nine-years";

TEST_F(SamplesTest, CollapseFoldsTheWireCopyIntoItsOriginalAndCountsExactly) {
    EXPECT_EQ(search_json({"rail link"})["total_estimate"], 3);
    const CommandResult r = search({"--collapse", "rail link"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(starts_with(r.out,
                            "1. Cross-border rail link reopens after nine years    "
                            "2023-04-04\n   " +
                                kRailOriginal +
                                "\n   +1 similar \xC2\xB7 first: news.example.org, "
                                "2023-04-04 \xC2\xB7 also on 1 site: "
                                "www.harbourtimes.example.com\n"))
        << r.out;
    EXPECT_EQ(r.out.find(kRailCopy), std::string::npos) << "the copy folds into its original";
    EXPECT_TRUE(starts_with(r.err, "showing 1-2 of 2 results, copies collapsed: 3 articles ("))
        << r.err;
    // Where nothing folds, the line does not pretend it did.
    const CommandResult lone = search({"--collapse", "marathon"});
    EXPECT_EQ(lone.exit_code, 0) << lone.err;
    EXPECT_TRUE(starts_with(lone.err, "showing 1-1 of 1 result, no copies among them ("))
        << lone.err;
    const json j = search_json({"--collapse", "rail link"});
    EXPECT_EQ(j["total_estimate"], 2);
    EXPECT_EQ(j["total_exact"], true);
    EXPECT_EQ(j["articles"], 3);
    const json& c = j["results"][0]["cluster"];
    EXPECT_EQ(c["similar"], 1);
    EXPECT_EQ(c["copies"], 2);
    EXPECT_EQ(c["first"]["url"], kRailOriginal);
    EXPECT_EQ(c["first"]["date"], "2023-04-04");
    EXPECT_EQ(c["also_on"], json::array({"www.harbourtimes.example.com"}));
    EXPECT_EQ(j["results"][1]["cluster"]["copies"], 1);
    EXPECT_EQ(j["results"][1]["cluster"]["similar"], 0);
    // "+N" counts the copies that match the query; the trail names every copy.
    const json wire = search_json({"--collapse", "wire staff"});
    ASSERT_EQ(wire["results"].size(), 1u);
    EXPECT_EQ(wire["results"][0]["url"], kRailCopy);
    EXPECT_EQ(wire["results"][0]["cluster"]["similar"], 0);
    EXPECT_EQ(wire["results"][0]["cluster"]["copies"], 2);
    EXPECT_EQ(wire["results"][0]["cluster"]["first"]["url"], kRailOriginal);
}

TEST_F(SamplesTest, CopiesListsAStorysCopiesEarliestFirst) {
    CommandResult r = search({"--copies", kSamples + "/wire-rail-link-reopens.txt"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "2023-04-04  news.example.org  Cross-border rail link reopens after nine years  "
              "(first)\n            " +
                  kRailOriginal +
                  "\n2023-04-04  www.harbourtimes.example.com  Cross-border rail link reopens "
                  "after nine years\n            " +
                  kRailCopy + "\n");
    const json j = json::parse(search({"--copies", kRailOriginal, "--json"}).out);
    EXPECT_EQ(j["count"], 2);
    EXPECT_EQ(j["copies"][1]["url"], kRailCopy);
    EXPECT_EQ(j["copies"][1]["site"], "www.harbourtimes.example.com");
    EXPECT_EQ(
        json::parse(search({"--copies", kSamples + "/marathon-record.txt", "--json"}).out)["count"],
        1);
    // --show names the other copies after the body.
    r = search({"--show", kRailCopy});
    EXPECT_TRUE(r.out.find("\ncopies: 1 other, earliest first\n  2023-04-04  news.example.org  " +
                           kRailOriginal + "\n") != std::string::npos)
        << r.out;
    EXPECT_EQ(json::parse(search({"--show", kRailCopy, "--json"}).out)["copies"][0]["url"],
              kRailOriginal);
    // --export names each match's cluster by its first article's URL.
    r = search({"rail link", "--export", "jsonl"});
    std::istringstream lines(r.out);
    int copies = 0;
    for (std::string line; std::getline(lines, line);) {
        const json row = json::parse(line);
        if (row["url"] == kRailCopy || row["url"] == kRailOriginal) {
            EXPECT_EQ(row["cluster"], kRailOriginal);
            ++copies;
        } else {
            EXPECT_EQ(row["cluster"], row["url"]);
        }
    }
    EXPECT_EQ(copies, 2);
}

TEST_F(SamplesTest, CollapsedTimelineCountsEachStoryOnceAtItsFirstDate) {
    const json all = search_json({"rail link", "--timeline", "month"});
    const json one = search_json({"rail link", "--timeline", "month", "--collapse"});
    EXPECT_EQ(all["timeline"]["total"], 3);
    EXPECT_EQ(one["timeline"]["total"], 2);
    EXPECT_EQ(one["timeline"]["total"], one["total_estimate"]) << "the count and the chart agree";
    auto count_in = [](const json& j, const std::string& period) {
        for (const json& b : j["timeline"]["buckets"])
            if (b["period"] == period) return b["count"].get<int>();
        return -1;
    };
    EXPECT_EQ(count_in(all, "2023-04"), 2);
    EXPECT_EQ(count_in(one, "2023-04"), 1);
    EXPECT_EQ(count_in(one, "2023-02"), 1);
    EXPECT_EQ(all["timeline"]["counts"], "articles");
    EXPECT_EQ(one["timeline"]["counts"], "stories");
    const CommandResult chart =
        search({"rail link", "--timeline", "year", "--collapse", "-n", "1"});
    EXPECT_NE(chart.out.find("timeline by year: 2 stories in 1 year\n"), std::string::npos)
        << chart.out;
    EXPECT_EQ(search({"rail link", "--export", "csv", "--collapse"}).exit_code, 2)
        << "an export lists every article: it does not collapse";
}

TEST_F(SamplesTest, RecencyFavoursArticlesNearNow) {
    const std::string analysis =
        "https://www.coastal-herald.example.co.uk/analysis/2022/03/security-guarantees-explained";
    const json plain = search_json({"security guarantees"});
    ASSERT_EQ(plain["results"][4]["url"], analysis);
    const json fresh =
        search_json({"security guarantees", "--recency", "3", "--now", "2022-03-03"});
    EXPECT_EQ(fresh["results"][0]["url"], analysis);
    EXPECT_EQ(fresh["total_estimate"], plain["total_estimate"]) << "it ranks; it does not filter";
    // Without --now it counts from the newest article (2023-10-22): a year's half-life lifts
    // the editorial of 2023-08-30 from sixth to second, above every story of 2022 but the one
    // that the subject's feedback and name put far ahead.
    ASSERT_EQ(plain["results"][5]["date"], "2023-08-30");
    const json newest = search_json({"security guarantees", "--recency", "365"});
    EXPECT_EQ(newest["results"][1]["date"], "2023-08-30");
    CommandResult r = search({"security guarantees", "--now", "2022-03-03"});
    EXPECT_EQ(r.exit_code, 2) << "--now needs --recency";
    EXPECT_EQ(search({"talks", "--recency", "3", "--sort", "newest"}).exit_code, 2)
        << "recency blends into relevance: it has no use in a date order";
    r = search({"security guarantees", "--recency", "3", "--now", "2022-03"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--now: '2022-03' is not a day"), std::string::npos) << r.err;
    // A boost that can move no rank is said (issue #26): the newest match, the editorial of
    // 2023-08-30, is 2,316 days before 2030-01-01.
    r = search({"security guarantees", "--recency", "3", "--now", "2030-01-01", "-n", "1"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
              "searcher: note: --recency changes no rank here: the nearest match is 2316 days "
              "from 2030-01-01, where the boost has halved 772 times (give --now a date among "
              "the matches, or more days)");
    r = search({"security guarantees", "--recency", "3", "--now", "2023-08-30", "-n", "1"});
    EXPECT_EQ(r.err.find("note:"), std::string::npos) << r.err;
}

// A date or site typed in the query narrows it as the flags do, and ranks alike (issue #26:
// the title-words bonus was lost with date:).
TEST_F(SamplesTest, TypedFiltersRankAsTheirFlags) {
    const auto ranking = [](const json& j) {
        std::vector<std::pair<std::string, double>> out;
        for (const json& hit : j["results"]) out.emplace_back(hit["url"], hit["score"]);
        return out;
    };
    const json typed = search_json({"security guarantees date:2022-02"});
    const json flags = search_json({"security guarantees", "--since", "2022-02", "--until",
                                    "2022-02"});
    ASSERT_GT(typed["results"].size(), 1u);
    EXPECT_EQ(ranking(typed), ranking(flags));
    EXPECT_EQ(typed["total_estimate"], flags["total_estimate"]);
    EXPECT_EQ(ranking(search_json({"talks site:news.example.org"})),
              ranking(search_json({"talks", "--site", "news.example.org"})));
}

// The order of the page changes no count (issue #26: --collapse --sort newest counted the
// matches at the page's edges twice, "+1 similar" on articles without a copy).
TEST_F(SamplesTest, ADateOrderCountsAsRelevanceDoes) {
    const auto counts = [](const json& j) {
        std::vector<long> out{j["total_estimate"].get<long>(), j["articles"].get<long>()};
        for (const json& b : j["timeline"]["buckets"]) out.push_back(b["count"]);
        for (const json& c : j["facets"]["site"]["top"]) out.push_back(c["count"]);
        for (const json& hit : j["results"]) out.push_back(hit.contains("cluster") ? hit["cluster"]["similar"].get<long>() : -1);
        return out;
    };
    const std::vector<std::string> flags{"--collapse", "--facet", "site", "--timeline", "month", "-n", "40"};
    std::vector<std::string> relevance{"security"}, newest{"security", "--sort", "newest"};
    relevance.insert(relevance.end(), flags.begin(), flags.end());
    newest.insert(newest.end(), flags.begin(), flags.end());
    const json r = search_json(relevance), n = search_json(newest);
    EXPECT_EQ(r["articles"], n["articles"]);
    EXPECT_EQ(counts(r).size(), counts(n).size());
    std::vector<long> a = counts(r), b = counts(n);
    // (The hits come in another order: their "+N similar" compared as a multiset.)
    std::sort(a.begin() + 2, a.end());
    std::sort(b.begin() + 2, b.end());
    EXPECT_EQ(a, b);
}

// A pasted URL is searched as words; when it is an article's, the answer says how to read it.
TEST_F(SamplesTest, APastedUrlPointsToShow) {
    CommandResult r = search({"https://news.example.org/2022/02/16/draft-text-published"});
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
              "searcher: note: that is the URL of an article in the index: --show URL prints it, "
              "--copies URL lists its copies, --like URL finds articles like it");
    r = search({"https://news.example.org/no-such-story"});
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
              "searcher: note: a URL is searched as words; the index has no article with this "
              "URL");
}

TEST_F(SamplesTest, LikeFindsRelatedArticlesWithoutTheArticleOrItsCopies) {
    CommandResult r = search({"--like", kSamples + "/wire-rail-link-reopens.txt", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_FALSE(j["results"].empty());
    for (const json& hit : j["results"]) {
        EXPECT_NE(hit["url"], kRailCopy);
        EXPECT_NE(hit["url"], kRailOriginal);
    }
    const json talks = json::parse(
        search({"--like", "https://news.example.org/2022/02/16/draft-text-published", "--json"})
            .out);
    ASSERT_FALSE(talks["results"].empty());
    // The talks that produced the draft and the vote that ratified it, not the other news.
    ASSERT_GE(talks["results"].size(), 2u);
    const std::set<std::string> top{talks["results"][0]["url"], talks["results"][1]["url"]};
    EXPECT_EQ(
        top, (std::set<std::string>{"https://news.example.org/2022/02/08/talks-end-with-offer",
                                    "https://dailyledger.example.net/politics/ratification-vote"}));
    EXPECT_EQ(talks["expansion"].size(), 25u) << "the terms it used (kLikeTerms)";
    EXPECT_EQ(search({"--like", kRailCopy, "talks"}).exit_code, 2) << "an article or a query";
}

TEST_F(SamplesTest, PagingContinuesTheRanking) {
    const json all = search_json({"security guarantees", "-n", "6"});
    const json page2 = search_json({"security guarantees", "-n", "3", "--offset", "3"});
    ASSERT_EQ(page2["results"].size(), 3u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(page2["results"][i]["url"], all["results"][i + 3]["url"]);
        EXPECT_EQ(page2["results"][i]["rank"], i + 4);
    }
}

TEST_F(SamplesTest, SyndicatedCopiesAreBothFound) {
    const json j = search_json({"\"rail link reopens\""});
    auto u = urls(j);
    std::sort(u.begin(), u.end());
    EXPECT_EQ(
        u, (std::vector<std::string>{
               "https://news.example.org/2023/04/04/rail-link-reopens",
               "https://www.harbourtimes.example.com/region/rail-link-reopens-after-nine-years"}));
}

TEST_F(SamplesTest, FindsFrenchGermanChineseAndJapaneseArticles) {
    EXPECT_EQ(
        urls(search_json({"sécurité Genève"}))[0],
        "https://www.lequotidien-fictif.example.fr/monde/2022/05/12/garanties-de-securite-geneve");
    EXPECT_EQ(
        urls(search_json({"securite geneve"}))[0],
        "https://www.lequotidien-fictif.example.fr/monde/2022/05/12/garanties-de-securite-geneve")
        << "accents folded";
    EXPECT_EQ(urls(search_json({"Containerhafen"})),
              (std::vector<std::string>{
                  "https://www.alpenpost-fiktiv.example.de/wirtschaft/2023/03/hafen-streik"}));
    EXPECT_EQ(urls(search_json({"铁路"})),
              (std::vector<std::string>{
                  "https://www.eastern-daily.example.cn/world/2023/04/05/rail-link"}));
    const json ja = search_json({"梅雨明け"});
    ASSERT_EQ(
        urls(ja),
        (std::vector<std::string>{"https://www.tokyo-wire.example.jp/news/2022/06/27/tsuyu-ake"}));
    const std::string snippet = ja["results"][0]["snippet"];
    const auto& first = ja["results"][0]["highlights"][0];
    EXPECT_EQ(snippet.substr(first[0], std::size_t(first[1]) - std::size_t(first[0])), "梅雨明け");
}

TEST_F(SamplesTest, ExitCodesAndMessages) {
    CommandResult r = search({"zzqqxxjj"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "searcher: no results for 'zzqqxxjj'\n");

    r = search({"secruity"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "did you mean: security\n");

    const json dym = search_json({"secruity"});
    EXPECT_EQ(dym["did_you_mean"], "security");

    r = search({"AND"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(first_line(r.err),
              "searcher: error: cannot parse query 'AND' at column 1: AND needs a word or phrase "
              "on both sides");

    r = search({"x", "--since", "2022-02-30"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err), "searcher: error: --since: impossible date 2022-02-30");

    r = search({"x", "--sort", "sideways"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--sort"), std::string::npos) << r.err;

    // --lang keeps one language's articles: the English word finds no French article.
    r = search({"security", "--lang", "french"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(first_line(r.err), "searcher: no results for 'security' with --lang french");
    EXPECT_EQ(search({"security", "--lang", "en"}).exit_code, 0);
    r = search({"security", "--lang", "klingon"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err), "searcher: error: unknown language 'klingon'");

    r = search({"security", "--bm25", "1.2,7"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "searcher: error: --bm25 wants K1[,B[,L]] with K1 >= 0, 0 <= B <= 1 and 0 <= L <= 1, "
              "got '1.2,7'\n");
    const json expanded = search_json({"ceasefire", "--expand", "4"});
    EXPECT_EQ(expanded["expansion"].size(), 4u);
    EXPECT_GT(expanded["results"].size(), search_json({"ceasefire"})["results"].size());
    EXPECT_TRUE(search_json({"ceasefire", "--expand", "4,2"})["expansion"].empty())
        << "a one-word query is shorter than W";
    EXPECT_TRUE(search_json({"ceasefire"})["expansion"].empty()) << "default: 12 words or more";
    const std::string eleven =
        "ceasefire monitors arrive second round talks opens draft security guarantees border";
    EXPECT_TRUE(search_json({eleven})["expansion"].empty()) << "a query of 11 words";
    EXPECT_FALSE(search_json({eleven + " region"})["expansion"].empty()) << "of 12 words";
    EXPECT_TRUE(search_json({eleven + " region", "--all"})["expansion"].empty())
        << "feedback would undo --all";
    EXPECT_TRUE(search_json({eleven + " site:news.example.org"})["expansion"].empty())
        << "feedback would undo a field";
    // A perfect match shows 100 although the evidence adds terms it need not match (title
    // words, copies).
    EXPECT_EQ(search_json({"harbour"})["results"][0]["percent"], 100);
    EXPECT_EQ(search_json({"security guarantees"})["results"][0]["percent"], 100);
    for (const auto& [flag, value, message] :
         {std::tuple{"--expand", "4,x", "--expand wants N or N,W"},
          std::tuple{"--all-words", "1,1", "--all-words wants W[,N[,B]]"},
          std::tuple{"--proximity", "0.1,x", "--proximity wants W,U"}}) {
        r = search({"security", flag, value});
        EXPECT_EQ(r.exit_code, 2) << flag;
        EXPECT_EQ(first_line(r.err).rfind(std::string("searcher: error: ") + message, 0), 0u)
            << r.err;
    }
    // Ranking evidence changes the order, never the hits.
    const json plain = search_json({"security guarantees talks", "-n", "50", "--all-words", "0"});
    const json both = search_json({"security guarantees talks", "-n", "50", "--all-words", "3",
                                   "--proximity", "1,1", "--title-words", "1"});
    EXPECT_EQ(plain["total_estimate"], both["total_estimate"]);
    std::set<std::string> a, b;
    for (const auto& hit : plain["results"]) a.insert(hit["url"].get<std::string>());
    for (const auto& hit : both["results"]) b.insert(hit["url"].get<std::string>());
    EXPECT_EQ(a, b);

    r = search({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Examples:"), std::string::npos);

    r = search({"security", "--db", "/nonexistent/db"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "searcher: error: no index at '/nonexistent/db'\n"
              "searcher: hint: run indexer first, e.g.: indexer --db /nonexistent/db samples/\n");
}

// Every kind of bad query gets exit status 2 and one line that says what is wrong, or a
// reading documented in docs/query-syntax.md; never a crash or a stack trace.
TEST_F(SamplesTest, BadQueriesGetAMessageOrADocumentedReading) {
    const std::string nested = std::string(5000, '(') + "talks" + std::string(5000, ')');
    std::string many;
    for (int i = 0; i < 10000; ++i) many += "w" + std::to_string(i) + " ";
    struct Case {
        std::string kind, query;
        int exit_code;
        std::string err;  ///< the first line of stderr
    };
    const Case cases[] = {
        {"lone operator", "AND", 2,
         "searcher: error: cannot parse query 'AND' at column 1: AND needs a word or phrase on "
         "both sides"},
        {"operator without its right side", "talks OR", 2,
         "searcher: error: cannot parse query 'talks OR' at column 7: OR needs a word or phrase "
         "on both sides"},
        {"two operators", "talks AND OR geneva", 2,
         "searcher: error: cannot parse query 'talks AND OR geneva' at column 7: AND needs a word "
         "or phrase on both sides"},
        {"empty query", "", 2, "searcher: error: empty query"},
        {"only white space", " \t ", 2, "searcher: error: empty query"},
        {"no words, only signs", "!!! - *", 2,
         "searcher: error: nothing to search for in '!!! - *' (no words)"},
        {"invalid UTF-8", "caf\xE9 \xFF", 2, "searcher: error: the query is not valid UTF-8"},
        {"10,000 words", many, 2,
         "searcher: error: the query has 10000 words; the most a query may have is 1000"},
        {"impossible date in a range", "date:20221341..20230101", 2,
         "searcher: error: date:20221341..20230101: impossible date 20221341"},
        {"reversed date range", "date:2023-01-01..2022-01-01", 2,
         "searcher: error: date:2023-01-01..2022-01-01: the range ends before it starts"},
        {"date that is not a date", "talks date:yesterday", 2,
         "searcher: error: date:yesterday: 'yesterday' is not a date; use YYYYMMDD, YYYY-MM-DD, "
         "YYYY-MM or YYYY, or a range FROM..TO of those"},
        {"date field with no value", "talks date:", 2,
         "searcher: error: date: needs a date or a range after it"},
        // Issue #10: never a broader query than the user wrote.
        {"NEAR/0 (Xapian read it as OR)", "talks NEAR/0 geneva", 2,
         "searcher: error: cannot parse query 'talks NEAR/0 geneva' at column 7: NEAR/0: the "
         "distance after NEAR/ must be a whole number of at least 1"},
        {"ADJ/0", "talks ADJ/0 geneva", 2,
         "searcher: error: cannot parse query 'talks ADJ/0 geneva' at column 7: ADJ/0: the "
         "distance after ADJ/ must be a whole number of at least 1"},
        {"NEAR/x", "(talks NEAR/x geneva)", 2,
         "searcher: error: cannot parse query '(talks NEAR/x geneva)' at column 8: NEAR/x: the "
         "distance after NEAR/ must be a whole number of at least 1"},
        {"a phrase beside NEAR (Xapian dropped it)", "\"security guarantees\" NEAR talks", 2,
         "searcher: error: cannot parse query '\"security guarantees\" NEAR talks' at column 23: "
         "NEAR joins words, not \"phrases\""},
        {"a leading wildcard (Xapian searched for the rest)", "talks *hafen", 2,
         "searcher: error: cannot parse query 'talks *hafen' at column 7: a wildcard at the start "
         "of a word (*hafen) is not supported"},
        {"a leading wildcard after a field", "title:*talks", 2,
         "searcher: error: cannot parse query 'title:*talks' at column 7: a wildcard at the start "
         "of a word (*talks) is not supported"},
        {"a leading wildcard in a phrase", "\"security *guarant\"", 2,
         "searcher: error: cannot parse query '\"security *guarant\"' at column 11: a wildcard at "
         "the start of a word (*guarant) is not supported"},
        {"Lucene's proximity (Xapian read the number as a word)", "\"oil price\"~3", 2,
         "searcher: error: cannot parse query '\"oil price\"~3' at column 12: \"phrase\"~N is not "
         "supported"},
        // Read sensibly, as documented:
        {"unbalanced quote: closed at the end", "\"security guarantees", 0,
         "showing 1-7 of 7 results"},
        {"unbalanced bracket: closed at the end (the French article's Genève too)",
         "(talks OR geneva", 0, "showing 1-10 of 13 results"},
        {"stray closing bracket: ignored", "talks)", 0, "showing 1-7 of 7 results"},
        {"5,000 nested brackets", nested, 0, "showing 1-7 of 7 results"},
        {"unknown field: read as the phrase of its words", "author:geneva", 1,
         "searcher: no results for 'author:geneva'"},
        {"field with no value: read as the word", "title:", 1, "searcher: no results for 'title:'"},
        {"a word over Xapian's term limit", std::string(400, 'y'), 1,
         "searcher: no results for '" + std::string(80, 'y') + "...'"},
        {"a year", "date:2023", 0, "showing 1-10 of 10 results"},
        {"a range of months", "date:2022-02..2022-03", 0, "showing 1-5 of 5 results"},
    };
    for (const Case& c : cases) {
        const CommandResult r = search({"-n", "10", c.query});
        EXPECT_EQ(r.exit_code, c.exit_code) << c.kind << "\n" << r.err;
        std::string err = first_line(r.err);
        if (c.exit_code == 0) err = err.substr(0, err.find(" ("));  // drop the time
        EXPECT_EQ(err, c.err) << c.kind;
        EXPECT_EQ(r.err.find("terminate"), std::string::npos) << c.kind;
    }

    // In a batch file, where NUL bytes can reach the searcher too, each bad line is reported
    // with its number and skipped.
    const std::string batch = dir_->path().string() + "/bad-queries.tsv";
    write_file(batch, std::string("q1\tfoo\0bar\nq2\tcaf\xE9\nq3\tsecurity\n", 31));
    const CommandResult r = search({"--batch", batch, "--format", "trec", "-n", "1"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.err, batch + ":1: the query contains a NUL byte\n" + batch +
                         ":2: the query is not valid UTF-8\n");
    EXPECT_TRUE(starts_with(r.out, "q3 Q0 ")) << r.out;
}

TEST_F(SamplesTest, BatchModeAnswersEveryLineAndReportsBadOnes) {
    const std::string batch = dir_->path().string() + "/queries.tsv";
    write_file(batch,
               "t1\tsecurity guarantees (border talks)?\n"
               "# a comment\n"
               "\n"
               "no tab on this line\n"
               "t2\trail: link \"reopens\n"
               "t3\t   \n"
               "t4\tzzqqxxjj\n");
    CommandResult r = search({"--batch", batch, "--format", "trec", "-n", "3"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.err, batch + ":4: expected id<TAB>query\n" + batch + ":6: empty query for id t3\n");
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 6u) << r.out;
    // Both talks stories have all four words; the all-words evidence favours the shorter.
    EXPECT_TRUE(starts_with(lines[0], "t1 Q0 talks-collapse-over-guarantees 1 ")) << lines[0];
    EXPECT_TRUE(starts_with(lines[1], "t1 Q0 talks-end-with-offer-of-security-guarantees 2 "))
        << lines[1];
    EXPECT_TRUE(starts_with(lines[2], "t1 Q0 ")) << lines[2];
    EXPECT_NE(lines[2].find(" 3 "), std::string::npos) << "ranks count 1, 2, 3: " << lines[2];
    EXPECT_TRUE(starts_with(lines[3], "t2 Q0 ")) << lines[3];
    EXPECT_TRUE(starts_with(lines[4], "t2 Q0 ")) << lines[4];
    EXPECT_TRUE(starts_with(lines[5], "t2 Q0 ")) << lines[5];
    for (const std::string& l : lines) EXPECT_EQ(l.substr(l.size() - 8), " newsidx");

    r = search({"--batch", batch, "--json", "-n", "1"});
    EXPECT_EQ(r.exit_code, 3);
    const auto objects = lines_of(r.out);
    ASSERT_EQ(objects.size(), 3u);
    EXPECT_EQ(json::parse(objects[0])["id"], "t1");
    EXPECT_EQ(json::parse(objects[1])["results"][0]["title"],
              "Cross-border rail link reopens after nine years");
    EXPECT_EQ(json::parse(objects[2])["id"], "t4");
    EXPECT_TRUE(json::parse(objects[2])["results"].empty());

    r = search({"--batch", "/nonexistent/q.tsv"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "searcher: error: cannot read batch file '/nonexistent/q.tsv'\n");
}

// Issue #26: a collapsed timeline counts each story once, at the day of its earliest match
// inside the dates asked, not at its first article's date outside them.
TEST(Searcher, ACollapsedTimelineCountsStoriesInsideTheDatesAsked) {
    TempDir dir;
    const std::string story =
        "the delegation said written security guarantees would be sent within a week covering "
        "troop movements near the border and a hotline between the two ministries officials "
        "said the draft had been agreed late on tuesday after talks that ran for nine hours";
    write_file(dir / "c/a.txt", article_text("Guarantees agreed", "2022-02-01",
                                             "https://a.example.org/1", story));
    write_file(dir / "c/b.txt", article_text("Guarantees agreed", "2022-02-05",
                                             "https://b.example.org/1", story + " (Reuters)"));
    write_file(dir / "c/c.txt", article_text("Guarantees agreed", "2022-02-06",
                                             "https://c.example.org/1", story + " (AFP)"));
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", dir / "db", dir / "c"}).exit_code, 0);
    const CommandResult r =
        run_command({kSearcher, "--db", dir / "db", "--json", "--collapse", "--timeline", "day",
                     "--since", "2022-02-05", "guarantees"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["total_estimate"], 1);
    EXPECT_EQ(j["articles"], 2);
    ASSERT_EQ(j["timeline"]["buckets"].size(), 1u) << j["timeline"].dump();
    EXPECT_EQ(j["timeline"]["buckets"][0]["period"], "2022-02-05");
    EXPECT_EQ(j["timeline"]["buckets"][0]["count"], 1);
    // The trail still names the story's first, outside the dates asked.
    EXPECT_EQ(j["results"][0]["cluster"]["first"]["date"], "2022-02-01");
    EXPECT_EQ(j["results"][0]["cluster"]["similar"], 1);
}

// A phrase does not match across a paragraph break (issue #26: '"oil prices"' counted
// "demand for oil." and "Prices fell" in the next paragraph).
TEST(Searcher, APhraseStaysInsideAParagraph) {
    TempDir dir;
    write_file(dir / "c/a.txt", article_text("Demand", "2022-02-01", "https://a.example.org/1",
                                             "Refiners cut their demand for oil.\nPrices fell "
                                             "on the spot market in the afternoon."));
    write_file(dir / "c/b.txt", article_text("Prices", "2022-02-01", "https://b.example.org/1",
                                             "Traders said oil prices fell on the spot market."));
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", dir / "db", dir / "c"}).exit_code, 0);
    const CommandResult r =
        run_command({kSearcher, "--db", dir / "db", "--json", "\"oil prices\""});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_EQ(j["total_estimate"], 1);
    EXPECT_EQ(j["results"][0]["url"], "https://b.example.org/1");
}

TEST(Searcher, WithoutAnIndexSaysRunIndexerFirst) {
    TempDir empty;
    const CommandResult r = run_command({kSearcher, "security guarantees"}, empty.path().string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "searcher: error: no index at 'newsidx.db'\n"
              "searcher: hint: run indexer first, e.g.: indexer samples/\n");
}

// Options are checked once, before any index is opened: a bad --since is one error (exit 2),
// whether or not the index exists, for a single query and for a whole batch.
TEST_F(SamplesTest, OptionsAreCheckedOnceBeforeAnyIndexIsOpened) {
    write_file(dir_->path() / "q.tsv", "q1\tsecurity\nq2\tceasefire\nq3\ttalks\n");
    const std::string error = "searcher: error: --since: impossible date 20241341\n";
    for (const std::string& db : {std::string("newsidx.db"), std::string("/nonexistent/db")}) {
        CommandResult r = search({"--db", db, "--since", "20241341", "security"});
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err, error) << db;
        r = search({"--db", db, "--since", "20241341", "--batch", "q.tsv"});
        EXPECT_EQ(r.exit_code, 2) << "not 3, as for a batch with bad lines";
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err, error) << "once, not once per line: " << db;
    }
    // A query the parser refuses is checked before the index too.
    const CommandResult r = search({"--db", "/nonexistent/db", "a\xff"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err), "searcher: error: the query is not valid UTF-8");
}

// Issue #10, items 5, 7 and 8, as a user meets them.
TEST_F(SamplesTest, VersionColourChoicesAndWhyNothingIsShown) {
    for (const std::string& tool : {kSearcher, kIndexer}) {
        const CommandResult v = run_command({tool, "--version"});
        EXPECT_EQ(v.exit_code, 0);
        const std::string name = tool == kSearcher ? "searcher" : "indexer";
        EXPECT_TRUE(starts_with(v.out, name + " (newsidx) 0.1.0, index schema 10, Xapian 1.4"))
            << v.out;
    }
    // --help names every operator and field with an example.
    const std::string help = search({"--help"}).out;
    for (const char* example :
         {"\"security guarantees\"", "talks AND geneva", "OR", "talks NOT sport", "XOR",
          "+ceasefire -sport", "title:ceasefire", "title:\"rail link\"", "site:bbc.co.uk",
          "lang:de", "date:2022", "date:2021..2022-06", "guarant*", "talks NEAR/3 geneva",
          "border ADJ/2 talks", "searcher -- '-sport'"})
        EXPECT_NE(help.find(example), std::string::npos) << example;
    CommandResult r = search({"talks", "--sort", "newst"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err),
              "searcher: error: --sort: 'newst' is not one of relevance, newest, oldest");

    // --color: always even into a pipe (for less -R) and despite NO_COLOR; never; and auto
    // (the default) is plain when stdout is not a terminal.
    r = search({"--color", "always", "-n", "1", "talks"});
    EXPECT_NE(r.out.find("\x1b[1m"), std::string::npos) << r.out;
    r = run_command({kSearcher, "--color", "always", "-n", "1", "talks"}, dir_->path().string(),
                    {{"NO_COLOR", "1"}});
    EXPECT_NE(r.out.find("\x1b[1m"), std::string::npos) << "always means always";
    for (const std::string& when : {std::string("never"), std::string("auto")}) {
        r = search({"--color", when, "-n", "1", "talks"});
        EXPECT_EQ(r.exit_code, 0);
        EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << when;
    }
    r = search({"--color", "sometimes", "talks"});
    EXPECT_EQ(first_line(r.err),
              "searcher: error: --color: 'sometimes' is not one of auto, always, never");

    // Past the last page, and when filters leave nothing, the message says so.
    r = search({"talks", "--offset", "20"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "searcher: no results on this page: 'talks' has 7 results, and --offset 20 is past "
              "the last\n");
    r = search({"security", "--since", "2024", "--site", "example.org"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "searcher: no results for 'security' with --since 2024, --site example.org\n");
    // A URL pasted into --site is its host.
    const std::vector<std::string> by_host =
        urls(search_json({"security", "--site", "www.coastal-herald.example.co.uk"}));
    EXPECT_EQ(by_host.size(), 2u);
    EXPECT_EQ(urls(search_json({"security", "--site",
                                "https://www.coastal-herald.example.co.uk/analysis/2022/03/x"})),
              by_host);

    // Into a pipe whose reader has gone (as head leaves it), the searcher ends quietly, by
    // SIGPIPE as grep does: no message, no status line.
    // The searcher starts once the reader has closed the pipe (a marker file says so), so
    // that its first write meets a closed pipe however loaded the machine is.
    r = run_command(
        {"/bin/bash", "-c",
         "rm -f closed; { until [ -e closed ]; do sleep 0.01; done; exec '" + kSearcher +
             "' 'talks OR security'; } | (exec <&-; touch closed; sleep 1); "
             "exit ${PIPESTATUS[0]}"},
        dir_->path().string());
    EXPECT_EQ(r.exit_code, 128 + SIGPIPE);
    EXPECT_EQ(r.err, "");
}

// Issue #10, item 7: a folder without article files is not "indexed 0 articles" and nothing
// else; one article is "1 article".
TEST(Indexer, SaysWhenAFolderHasNoArticleFiles) {
    TempDir dir;
    write_file(dir / "notes/readme.md", "# not an article\n");
    write_file(dir / "notes/data.json", "{}\n");
    CommandResult r = run_command({kIndexer, "--db", dir / "db", dir / "notes"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err, dir / "notes" +
                         ": warning: no article files (*.txt) in this folder; 2 other files, e.g. "
                         "data.json\n");
    fs::create_directories(dir / "empty");
    r = run_command({kIndexer, "--db", dir / "db", dir / "empty"});
    EXPECT_EQ(r.err,
              dir / "empty" + ": warning: no article files (*.txt) in this folder or below it\n");
    write_file(dir / "one/a.txt", "One story\n20220101\nhttps://x.org/one\nIts body.\n");
    r = run_command({kIndexer, "--db", dir / "db", dir / "one"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(starts_with(r.out, "indexed 1 article (1 new, 0 updated")) << r.out;
}

// Issue #10: a query of only excluded words finds the articles without them, as NOT does;
// written without --, the searcher says how to write it.
TEST_F(SamplesTest, OnlyExcludedWordsFindTheArticlesWithoutThem) {
    // --json before the "--" that ends the options.
    const auto ids = [](const std::string& query) {
        const CommandResult r = search({"--json", "-n", "100", "--", query});
        EXPECT_LE(r.exit_code, 1) << r.err;
        return urls(json::parse(r.out));
    };
    const auto all = ids("NOT zzzzqqq");
    ASSERT_EQ(all.size(), 34u);
    for (const std::string& query : {std::string("-talks"), std::string("-talks -guarantees")}) {
        const std::string as_not = query == "-talks" ? "NOT talks" : "NOT talks NOT guarantees";
        const auto without = ids(query);
        EXPECT_EQ(without, ids(as_not)) << query;
        EXPECT_FALSE(without.empty());
        const auto with = ids(query.substr(1, 5));
        for (const std::string& url : with)
            EXPECT_EQ(std::count(without.begin(), without.end(), url), 0) << query << " " << url;
        if (query == "-talks") {
            EXPECT_EQ(without.size() + with.size(), all.size());
        }
    }
    const CommandResult r = search({"-talks"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "searcher: error: The following argument was not expected: -talks\n"
              "searcher: hint: a query that starts with - goes after --, e.g. searcher -- "
              "'-sport'\n");
}

// Issue #10: filters on one field OR together and AND with the words, however they are
// written ("ceasefire site:a OR site:b" returned site b's articles without the word).
TEST_F(SamplesTest, FiltersOnOneFieldOrTogetherAndAndWithTheWords) {
    const std::string a = "site:news.example.org", b = "site:coastal-herald.example.co.uk";
    auto sorted_urls = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    std::vector<std::string> expected = urls(search_json({"-n", "50", "guarantees " + a}));
    for (const std::string& url : urls(search_json({"-n", "50", "guarantees " + b})))
        expected.push_back(url);
    expected = sorted_urls(expected);
    ASSERT_EQ(expected.size(), 7u);
    for (const std::string& query :
         {"guarantees " + a + " " + b, "guarantees " + a + " OR " + b,
          "guarantees (" + a + " OR " + b + ")", "(" + a + " OR " + b + ") guarantees"})
        EXPECT_EQ(sorted_urls(urls(search_json({"-n", "50", query}))), expected) << query;
}

// Issue #10, item 7: on a 50-column terminal the progress bar printed a new line per update.
// Each draw must fit the terminal's width. `script` gives the indexer a terminal of 50 columns.
TEST(Indexer, ProgressFitsANarrowTerminal) {
    if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "no /usr/bin/script to make a terminal";
    TempDir dir;
    for (int i = 0; i < 4000; ++i)
        write_file(dir / ("c/a" + std::to_string(i) + ".txt"),
                   "Story " + std::to_string(i) + "\n20220101\nhttps://x.org/" + std::to_string(i) +
                       "\n" + std::string(400, 'w') + " harbour talks\n");
    for (const std::size_t columns : {50u, 20u}) {
        const CommandResult r =
            run_command({"/usr/bin/script", "-qec",
                         "stty cols " + std::to_string(columns) + " rows 20; '" + kIndexer +
                             "' --db '" + (dir / "db") + "' --rebuild '" + (dir / "c") + "'",
                         dir / "typescript"});
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
        std::string screen = read_file(dir / "typescript");
        std::vector<std::string> draws;
        std::size_t at = 0;
        while ((at = screen.find("\r\x1b[K", at)) != std::string::npos) {
            at += 4;
            const std::size_t end = screen.find_first_of("\r\n", at);
            draws.push_back(screen.substr(at, end - at));
        }
        ASSERT_GE(draws.size(), 2u) << screen;
        for (const std::string& d : draws) {
            if (d.rfind("indexed ", 0) == 0) continue;  // the summary, after the last clear
            EXPECT_LT(d.size(), columns) << d;
            if (d.empty() || d == "committing...") continue;
            EXPECT_NE(d.find(" files"), std::string::npos) << d;
            // The time left is shown whole or not at all (a newcomer saw "…files  ETA").
            const std::size_t eta = d.find("ETA");
            if (eta != std::string::npos) {
                EXPECT_LT(eta + 4, d.size()) << d;
            }
        }
    }
}

// Issue #10, item 6, end to end: the UTF-8 words of a file with one stray Latin-1 byte are
// found as written.
TEST(Indexer, AStrayLatin1ByteLeavesTheRestOfAUtf8FileReadable) {
    TempDir dir;
    std::string body;
    for (int i = 0; i < 30; ++i) body += "Her r\xC3\xA9sum\xC3\xA9 lists the caf\xC3\xA9 job. ";
    write_file(dir / "c/cv.txt", "R\xC3\xA9sum\xC3\xA9 rules\n20220208\nhttps://x.org/cv\n" + body +
                                     "\nSigned: Andr\xE9.\n");
    const CommandResult r = run_command({kIndexer, "--db", dir / "db", dir / "c"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, dir / "c/cv.txt" +
                         ":5: warning: 1 byte not UTF-8 (the first on this line) read as "
                         "Windows-1252; the rest is UTF-8\n");
    for (const std::string& query : {std::string("r\xC3\xA9sum\xC3\xA9"), std::string("resume"),
                                     std::string("andr\xC3\xA9")}) {
        const CommandResult s = run_command({kSearcher, "--db", dir / "db", "--json", query});
        EXPECT_EQ(s.exit_code, 0) << query << s.err;
        EXPECT_EQ(json::parse(s.out)["results"][0]["title"], "R\xC3\xA9sum\xC3\xA9 rules") << query;
    }
}

// Incremental runs on a copy of the samples that the test can edit.
class IncrementalTest : public ::testing::Test {
  protected:
    void SetUp() override { fs::copy(kSamples, dir_ / "corpus", fs::copy_options::recursive); }
    CommandResult index() { return run_command({kIndexer, "--db", dir_ / "db", dir_ / "corpus"}); }
    TempDir dir_;
};

TEST_F(IncrementalTest, ReindexIsIdempotentAndEditsAndDeletionsAreCounted) {
    CommandResult r = index();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(starts_with(
        r.out, "indexed 34 articles (34 new, 0 updated, 0 unchanged, 0 removed, 0 rejected) in "))
        << r.out;
    EXPECT_EQ(r.err, "") << "no progress bar when stderr is not a terminal";

    r = index();
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(starts_with(
        r.out, "indexed 0 articles (0 new, 0 updated, 34 unchanged, 0 removed, 0 rejected)"))
        << r.out;

    const std::string edited = dir_ / "corpus/marathon-record.txt";
    write_file(edited,
               "Course record falls at city marathon\n20221009\n"
               "https://www.coastal-herald.example.co.uk/sport/2022/10/09/marathon-record\n"
               "Corrected: the winning time was 2:19:46, one second faster than first reported.\n");
    fs::remove(dir_ / "corpus/wildfire-evacuation.txt");
    r = index();
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(starts_with(
        r.out, "indexed 1 article (0 new, 1 updated, 32 unchanged, 1 removed, 0 rejected)"))
        << r.out;

    const CommandResult s =
        run_command({kSearcher, "--db", dir_ / "db", "--json", "marathon OR wildfire"});
    const json j = json::parse(s.out);
    ASSERT_EQ(j["results"].size(), 1u) << "one marathon article, no twin, no wildfire";
    EXPECT_EQ(j["results"][0]["snippet"],
              "Corrected: the winning time was 2:19:46, one second faster than first reported.");
    EXPECT_EQ(Xapian::Database(dir_ / "db").get_doccount(), 33u);
}

TEST_F(IncrementalTest, RebuildAndNewsidxDbEnvironment) {
    const std::map<std::string, std::string> env{{"NEWSIDX_DB", dir_ / "envdb"}};
    CommandResult r = run_command({kIndexer, dir_ / "corpus"}, dir_.path().string(), env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir_ / "envdb"));
    EXPECT_FALSE(fs::exists(dir_ / "newsidx.db"));
    r = run_command({kIndexer, "--rebuild", dir_ / "corpus"}, dir_.path().string(), env);
    EXPECT_TRUE(starts_with(r.out, "indexed 34 articles (34 new, 0 updated, 0 unchanged")) << r.out;
    r = run_command({kSearcher, "--json", "rail"}, dir_.path().string(), env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Issue #10, item 1, end to end: of two files with one URL the later path wins, whichever of
// them is edited, and the earlier one comes back when the later one is deleted.
TEST(Indexer, OfTwoFilesWithOneUrlTheLaterPathWinsThroughEditsAndDeletes) {
    TempDir dir;
    const std::string url = "https://x.org/pilots";
    const std::string a = dir / "c/a.txt", b = dir / "c/b.txt";
    write_file(a, article_text("Harbour pilots accept the offer", "20220208", url, "Pilots vote."));
    write_file(b, article_text("Harbour pilots reject the offer", "20220208", url, "Pilots vote."));
    auto index = [&] { return run_command({kIndexer, "--db", dir / "db", dir / "c"}); };
    auto titles = [&] {
        const CommandResult s = run_command({kSearcher, "--db", dir / "db", "--json", "pilots"});
        EXPECT_EQ(s.exit_code, 0) << s.err << s.out;
        const json j = json::parse(s.out);
        std::vector<std::string> out;
        for (const auto& hit : j["results"]) out.push_back(hit["title"]);
        return out;
    };
    CommandResult r = index();
    EXPECT_TRUE(starts_with(r.out,
                            "indexed 1 article (1 new, 0 updated, 0 unchanged, 0 removed, "
                            "0 rejected, 1 superseded)"))
        << r.out;
    EXPECT_EQ(r.err, b + ":3: warning: same URL as " + a + "; this later file replaces it\n");
    EXPECT_EQ(titles(), std::vector<std::string>{"Harbour pilots reject the offer"});

    write_file(a, article_text("Harbour pilots accept the new offer", "20220209", url, "Yes."));
    r = index();
    EXPECT_EQ(r.err,
              a + ":3: warning: same URL as " + b + ", a later file; this one is not indexed\n");
    EXPECT_EQ(titles(), std::vector<std::string>{"Harbour pilots reject the offer"});

    fs::remove(b);
    r = index();
    EXPECT_TRUE(starts_with(r.out, "indexed 1 article (1 new, 0 updated, 0 unchanged, 1 removed"))
        << r.out;
    EXPECT_EQ(titles(), std::vector<std::string>{"Harbour pilots accept the new offer"});
    r = index();
    EXPECT_TRUE(starts_with(r.out, "indexed 0 articles (0 new, 0 updated, 1 unchanged")) << r.out;
    EXPECT_EQ(titles(), std::vector<std::string>{"Harbour pilots accept the new offer"});
}

// Issue #10, item 4, end to end: a rare misspelling is corrected even though it has a hit,
// a real word is not, and a word that no article has any more is never suggested.
TEST(Searcher, DidYouMeanHelpsAndNeverSuggestsWhatFindsNothing) {
    TempDir dir;
    for (int i = 0; i < 120; ++i)
        write_file(dir / ("c/g" + std::to_string(i) + ".txt"),
                   article_text("Government budget " + std::to_string(i), "20220208",
                                "https://x.org/g" + std::to_string(i), "The budget was agreed."));
    write_file(dir / "c/typo.txt", article_text("Minister visits school", "20220208",
                                                "https://x.org/typo", "A goverment spokesman."));
    write_file(dir / "c/truce.txt", article_text("Ceasefire agreed", "20220208",
                                                 "https://x.org/truce", "Guns fell silent."));
    auto index = [&] {
        const CommandResult r = run_command({kIndexer, "--db", dir / "db", dir / "c"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    };
    auto search = [&](const std::string& query) {
        return run_command({kSearcher, "--db", dir / "db", "--color", "never", "--", query});
    };
    index();
    CommandResult r = search("goverment");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(starts_with(r.out, "1. Minister visits school")) << r.out;
    EXPECT_NE(r.out.find("\ndid you mean: government\n"), std::string::npos) << r.out;
    EXPECT_EQ(search("minister").out.find("did you mean"), std::string::npos);

    r = search("ceasfire");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "did you mean: ceasefire\n");
    fs::remove(dir / "c/truce.txt");
    index();
    r = search("ceasfire");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "") << "the spelling data still has \"ceasefire\"; no article has";
}

TEST(Indexer, ReportsEachBadFileAndIndexesTheRest) {
    TempDir dir;
    // From "/" the paths are printed as given (absolute), whatever the test's own directory.
    const CommandResult r = run_command({kIndexer, "--db", dir / "db", kMixed}, "/");
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_TRUE(starts_with(
        r.out, "indexed 3 articles (3 new, 0 updated, 0 unchanged, 0 removed, 5 rejected)"))
        << r.out;
    EXPECT_EQ(lines_of(r.err),
              (std::vector<std::string>{
                  kMixed + "/bad-date.txt:2: impossible date 20221341",
                  kMixed + "/empty.txt:1: empty file",
                  kMixed + "/latin1-cafe.txt: warning: not UTF-8; decoded as ISO-8859-1",
                  kMixed + "/no-body.txt:4: no body (nothing after the URL line)",
                  kMixed + "/no-url.txt:3: missing URL (expected an absolute http or https URL)",
                  kMixed + "/relative-url.txt:3: relative URL '/2023/01/01/story.html' (need an "
                           "absolute http or https URL)",
              }));
    // The good files, including the CRLF+BOM one and the Latin-1 one, are searchable.
    const CommandResult s = run_command({kSearcher, "--db", dir / "db", "--json", "--sort",
                                         "oldest", "pilots OR lighthouse OR terrasses"});
    const json j = json::parse(s.out);
    ASSERT_EQ(j["results"].size(), 3u);
    EXPECT_EQ(j["results"][0]["title"], "Harbour pilots end strike after pay deal");
    EXPECT_EQ(j["results"][1]["title"], "Windows editor saved this article with CRLF");
    EXPECT_EQ(j["results"][2]["title"], "Café owners protest new terrace tax");

    // A second run reports the same files again and keeps the same exit status.
    const CommandResult again = run_command({kIndexer, "--db", dir / "db", kMixed});
    EXPECT_EQ(again.exit_code, 3);
    EXPECT_TRUE(starts_with(
        again.out, "indexed 0 articles (0 new, 0 updated, 3 unchanged, 0 removed, 5 rejected)"))
        << again.out;
}

TEST(Indexer, RelativePathsInMessagesWhenRunFromTheCorpusParent) {
    TempDir dir;
    const CommandResult r =
        run_command({kIndexer, "--db", dir / "db", "mixed"}, std::string(NEWSIDX_TEST_DATA));
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(first_line(r.err), "mixed/bad-date.txt:2: impossible date 20221341");
}

TEST(Indexer, UsageErrorsExitTwo) {
    TempDir dir;
    CommandResult r = run_command({kIndexer, "--db", dir / "db"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "indexer: error: no folders or files to index\nindexer: hint: name them, "
                     "e.g.: indexer samples/  (indexer --help lists the options)\n");
    // An unknown option is what is said of one, even with no paths.
    r = run_command({kIndexer, "--bogus"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
              "indexer: error: The following argument was not expected: --bogus");

    r = run_command({kIndexer, "--db", dir / "db", dir / "missing"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "indexer: error: input '" + (dir / "missing") + "' does not exist\n");
    EXPECT_FALSE(fs::exists(dir / "db")) << "nothing created on a usage error";

    r = run_command({kIndexer, "--jobs", "0", kSamples});
    EXPECT_EQ(r.exit_code, 2);

    r = run_command({kIndexer, "--lang", "klingon", "--db", dir / "db", kSamples});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err), "indexer: error: unknown stemming language 'klingon'");

    r = run_command({kIndexer, "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("indexer samples/"), std::string::npos);
}

TEST(Indexer, LockedIndexIsAFatalErrorWithNothingCommitted) {
    TempDir dir;
    ASSERT_EQ(run_command({kIndexer, "--db", dir / "db", kMixed}).exit_code, 3);
    Xapian::WritableDatabase holder(dir / "db");
    const CommandResult r = run_command({kIndexer, "--db", dir / "db", kSamples});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "indexer: error: index '" + (dir / "db") +
                  "' is locked by another indexer\n"
                  "indexer: hint: wait for the other indexer to finish, or use another --db\n");
    EXPECT_EQ(holder.get_doccount(), 3u);
}

// The samples served by xapian-tcpsrv on the loopback, and by xapian-progsrv as a program
// remote (what `ssh HOST xapian-progsrv DB` runs), each named by a stub file, answer as the
// local index does, hit for hit, with its default ranking: a server runs none of our posting
// sources, so the client weighs the all-words evidence itself and hands the weights over by
// order value, the subject's name is Xapian's phrase in an AND_MAYBE of its own, and feedback
// asks for its statistics in one match.
TEST(RemoteShard, AnswersLikeTheLocalIndex) {
    if (!LoopbackShards::available())
        GTEST_SKIP() << "xapian-tcpsrv (xapian-tools) or setsid (util-linux) is not installed";
    TempDir dir;
    const std::string db = (dir.path() / "newsidx.db").string();
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, kSamples}).exit_code, 0);
    const LoopbackShards server({db}, dir.path().string());
    ASSERT_TRUE(server.started());
    const std::string stub = (dir.path() / "remote.stub").string();
    write_file(stub, server.stub());
    const auto run = [&](const std::string& where, const std::string& query,
                         std::vector<std::string> flags) {
        std::vector<std::string> args{kSearcher, "--db", where, "--json", "-n", "10", query};
        args.insert(args.end(), flags.begin(), flags.end());
        return run_command(args);
    };
    const CommandResult r = first_answer(kSearcher, stub, "harbour");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string program_stub = (dir.path() / "program.stub").string();
    write_file(program_stub, "remote /usr/bin/xapian-progsrv " + db + "\n");
    for (const auto& [where, query] :
         {std::pair{stub, "security guarantees"},
          std::pair{stub, "border talks security guarantees"}, std::pair{stub, "harbour strike"},
          std::pair{stub, "talks geneva"}, std::pair{stub, "written security guarantees"},
          std::pair{program_stub, "border talks security guarantees"},
          std::pair{program_stub, "harbour strike"}}) {
        const CommandResult remote = run(where, query, {});
        const CommandResult local = run(db, query, {});
        ASSERT_EQ(remote.exit_code, 0) << query << ": " << remote.err;
        ASSERT_EQ(local.exit_code, 0) << query << ": " << local.err;
        const json a = json::parse(remote.out), b = json::parse(local.out);
        ASSERT_EQ(a["results"].size(), b["results"].size()) << query;
        ASSERT_FALSE(a["results"].empty()) << query;
        EXPECT_EQ(a.value("expansion", json::array()), b.value("expansion", json::array()))
            << query;
        for (std::size_t i = 0; i < a["results"].size(); ++i) {
            EXPECT_EQ(a["results"][i]["url"], b["results"][i]["url"]) << query << " #" << i;
            EXPECT_NEAR(a["results"][i]["score"].get<double>(),
                        b["results"][i]["score"].get<double>(), 1e-6)
                << query << " #" << i;
            EXPECT_EQ(a["results"][i]["snippet"], b["results"][i]["snippet"]) << query;
        }
    }
}

// Issue #14: a remote shard that is down (nothing listens on its port) or hangs (it accepts
// the connection and never answers) fails the search within --timeout, naming the shard; with
// --allow-partial the others answer, with a warning and "partial" in JSON.
TEST(RemoteShard, ADownOrSilentShardIsNamedOrLeftOutWithinTheTimeout) {
    TempDir dir;
    const std::string db = (dir.path() / "newsidx.db").string();
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, kSamples}).exit_code, 0);
    const int down = free_loopback_port();
    ASSERT_NE(down, 0);
    // A shard that hangs: the kernel completes the connection (listen backlog), nobody reads.
    const int silent_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(silent_fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(silent_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(silent_fd, 4), 0);
    ASSERT_EQ(::getsockname(silent_fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    struct Close {
        int fd;
        ~Close() { ::close(fd); }
    } close_silent{silent_fd};
    const std::string silent = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

    for (const auto& [shard, why] :
         {std::pair{"127.0.0.1:" + std::to_string(down), std::string("NetworkError")},
          std::pair{silent, std::string("NetworkTimeoutError")}}) {
        const std::string stub = (dir.path() / "set.stub").string();
        write_file(stub, "auto newsidx.db\nremote :" + shard + "\n");
        const auto started = std::chrono::steady_clock::now();
        CommandResult r = run_command({kSearcher, "--db", stub, "--timeout", "1", "harbour"});
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        EXPECT_EQ(r.exit_code, 2) << shard;
        EXPECT_EQ(
            first_line(r.err).rfind("searcher: error: opening index '" + shard + "': " + why, 0),
            0u)
            << r.err;
        EXPECT_LT(seconds, 5) << "--timeout 1 bounds the wait (the default is 10 s): " << shard;

        r = run_command(
            {kSearcher, "--db", stub, "--timeout", "1", "--allow-partial", "--json", "harbour"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(
            first_line(r.err).rfind(
                "searcher: warning: shard left out, the answer is partial: " + shard + ": " + why,
                0),
            0u)
            << r.err;
        const json j = json::parse(r.out);
        EXPECT_EQ(j["partial"], true);
        ASSERT_EQ(j["missing_shards"].size(), 1u);
        EXPECT_EQ(j["missing_shards"][0].get<std::string>().rfind(shard + ": " + why, 0), 0u);
        EXPECT_EQ(j["results"].size(), 3u) << "the local index answers: three harbour stories";
        // The time it took counts the wait for the silent shard (issue #26: 22.8 ms after 1 s).
        if (why == "NetworkTimeoutError") {
            EXPECT_GE(j["elapsed_ms"].get<double>(), 900.0);
        }

        const json whole =
            json::parse(run_command({kSearcher, "--db", db, "--json", "harbour"}).out);
        EXPECT_FALSE(whole.contains("partial")) << "a whole answer says nothing of it";
    }
    // Every shard down: nothing to answer from, and the error names each.
    const int also_down = free_loopback_port();
    ASSERT_NE(also_down, 0);
    const std::string only = (dir.path() / "only.stub").string();
    write_file(only, "remote :127.0.0.1:" + std::to_string(down) + "\nremote :127.0.0.1:" +
                         std::to_string(also_down) + "\n");
    const CommandResult r =
        run_command({kSearcher, "--db", only, "--timeout", "1", "--allow-partial", "harbour"});
    EXPECT_EQ(r.exit_code, 2);
    const std::string error = first_line(r.err);
    EXPECT_EQ(error.rfind("searcher: error: no shard answered: 127.0.0.1:" + std::to_string(down) +
                              ": ",
                          0),
              0u)
        << r.err;
    EXPECT_NE(error.find("; 127.0.0.1:" + std::to_string(also_down) + ": "), std::string::npos)
        << r.err;
}

// Issue #14, item 3: the samples in three shards (indexer --shards 3), each served by its own
// xapian-tcpsrv on the loopback and searched through a stub file, answer as one index of the
// samples does: the same URLs in the same order, the same snippets, percentages, facet and
// timeline counts, for a fixed set of queries, with the default ranking (issue #28: the
// all-words evidence, a subject's name and feedback included). The set searched as local
// folders answers so too.
TEST(RemoteShard, ThreeShardsOnTheLoopbackAnswerLikeOneIndex) {
    if (!LoopbackShards::available())
        GTEST_SKIP() << "xapian-tcpsrv (xapian-tools) or setsid (util-linux) is not installed";
    TempDir dir;
    const std::string one = dir / "one", set = dir / "set";
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", one, kSamples}).exit_code, 0);
    const CommandResult built = run_command({kIndexer, "--shards", "3", "--db", set, kSamples});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    EXPECT_EQ(built.out.rfind("indexed 34 articles (34 new, 0 updated, 0 unchanged", 0), 0u)
        << built.out;
    const LoopbackShards servers({set + "/1", set + "/2", set + "/3"}, dir.path().string());
    ASSERT_TRUE(servers.started());
    const std::string stub = dir / "remote.stub";
    write_file(stub, servers.stub());
    const auto search = [&](const std::string& where, const std::vector<std::string>& flags) {
        return search_json_of(kSearcher, where, flags);
    };
    const CommandResult r = first_answer(kSearcher, stub, "harbour");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto comparable = comparable_answer;
    const std::vector<std::vector<std::string>> queries = {
        {"security guarantees"},
        {"border talks security guarantees"},
        {"harbour strike"},
        {"\"security guarantees\""},
        {"guarant*"},
        {"talks", "--sort", "newest"},
        {"talks", "--sort", "oldest", "--offset", "2"},
        {"border", "--facet", "site", "--facet", "year", "--timeline", "month"},
        {"security OR harbour OR budget", "--offset", "3"},
        {"title:talks", "--since", "2022-02-01", "--until", "2022-03-31"},
        {"ceasefire", "--expand", "5"},
    };
    int answered = 0;
    for (const auto& query : queries) {
        const CommandResult remote = search(stub, query), local = search(one, query);
        ASSERT_EQ(remote.exit_code, local.exit_code) << query[0] << ": " << remote.err;
        if (local.exit_code != 0) continue;
        ++answered;
        EXPECT_EQ(comparable(remote.out), comparable(local.out)) << query[0];
        const CommandResult folders = search(set, query), whole = search(one, query);
        ASSERT_EQ(folders.exit_code, 0) << folders.err;
        EXPECT_EQ(comparable(folders.out), comparable(whole.out)) << query[0];
    }
    EXPECT_GE(answered, 10);
    // A misspelling: the remote shards have no spelling data, and the answer says so.
    const json j = json::parse(search(stub, {"securty guarantes"}).out);
    EXPECT_TRUE(j["did_you_mean"].is_null());
    EXPECT_EQ(j["notes"][0],
              "remote shards serve no spelling data: \"did you mean\" draws on the local indexes "
              "of the set only");
    EXPECT_EQ(json::parse(search(set, {"securty guarantes"}).out)["did_you_mean"],
              json::parse(search(one, {"securty guarantes"}).out)["did_you_mean"]);
    // Also when the query has hits enough and one rare word, where one index suggests.
    EXPECT_EQ(json::parse(search(one, {"border securty"}).out)["did_you_mean"], "border security");
    const json many = json::parse(search(stub, {"border securty"}).out);
    EXPECT_GE(many["total_estimate"].get<int>(), 10);
    EXPECT_TRUE(many["did_you_mean"].is_null());
    EXPECT_EQ(many["notes"][0],
              "remote shards serve no spelling data: \"did you mean\" draws on the local indexes "
              "of the set only");
    EXPECT_FALSE(json::parse(search(stub, {"security guarantees"}).out).contains("notes"))
        << "no note where nothing was looked for (each word in more than ten articles)";
}

}  // namespace
}  // namespace newsidx::test
