// Issue #29: coverage analysis on a real corpus (SaudiNewsNet: Arabic articles with real dates
// and sites and many syndicated copies; four of its days, 6,287 articles, around three days it
// has none), its numbers checked against the article files themselves and against separate
// searches.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "corpora.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;
using Counts = std::map<std::string, unsigned>;

// An article file as it is written: line 1 the title, line 2 the date, line 3 the URL, then
// the body's paragraphs.
struct FileText {
    std::string title, date, url;
    std::vector<std::string> paragraphs;
};

std::vector<FileText> read_files(const std::string& folder) {
    std::vector<FileText> files;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().extension() != ".txt") continue;
        std::ifstream in(entry.path());
        FileText f;
        std::getline(in, f.title);
        std::getline(in, f.date);
        std::getline(in, f.url);
        for (std::string line; std::getline(in, line);) f.paragraphs.push_back(line);
        files.push_back(std::move(f));
    }
    return files;
}

// An article as its file says: its date (YYYY-MM-DD) and the host of its URL, lower case.
struct FileArticle {
    std::string date, host;
};

// Every article file of `folder`, by URL, read without the engine: line 2 the date, line 3
// the URL.
std::map<std::string, FileArticle> read_articles(const std::string& folder) {
    std::map<std::string, FileArticle> by_url;
    for (const FileText& f : read_files(folder)) {
        const std::size_t from = f.url.find("://") + 3;
        std::string host = f.url.substr(from, f.url.find_first_of("/?#", from) - from);
        std::transform(host.begin(), host.end(), host.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        by_url[f.url] = {f.date.substr(0, 4) + "-" + f.date.substr(4, 2) + "-" + f.date.substr(6, 2),
                         host};
    }
    return by_url;
}

// The days kept: 26-27 July, then none until 31 July, 1 August.
constexpr std::array<std::string_view, 4> kDays{"20150726", "20150727", "20150731", "20150801"};

class Coverage : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        corpus_ = unpack("saudinewsnet-ar.tar.gz", "saudinewsnet-ar", *dir_);
        if (corpus_.empty()) return;
        // The files name their day: saudinewsnet-20150726-0001.txt.
        for (const auto& entry : fs::directory_iterator(corpus_)) {
            const std::string name = entry.path().filename().string();
            if (std::find(kDays.begin(), kDays.end(), name.substr(13, 8)) == kDays.end())
                fs::remove(entry.path());
        }
        const CommandResult r =
            run_command({NEWSIDX_INDEX_BIN, "-q", "--db", *dir_ / "db", corpus_});
        indexed_ = r.exit_code == 0;
        if (indexed_) articles_ = read_articles(corpus_);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    void SetUp() override {
        if (corpus_.empty())
            GTEST_SKIP() << "corpus not found: " << corpora_dir() << "/saudinewsnet-ar.tar.gz";
        ASSERT_TRUE(indexed_);
        ASSERT_EQ(articles_.size(), 6287u) << "one article per URL";
    }

    static CommandResult searcher(std::vector<std::string> args) {
        args.insert(args.begin(), {NEWSIDX_SEARCH_BIN, "--db", *dir_ / "db"});
        return run_command(args);
    }
    static nlohmann::json json_of(const std::vector<std::string>& args) {
        std::vector<std::string> all = args;
        all.insert(all.begin(), "--json");
        const CommandResult r = searcher(all);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return nlohmann::json::parse(r.out);
    }
    // Every match of a search, as --export jsonl lists them (none: exit status 1).
    static std::vector<nlohmann::json> matches(const std::vector<std::string>& args) {
        std::vector<std::string> all = {"--export", "jsonl"};
        all.insert(all.end(), args.begin(), args.end());
        const CommandResult r = searcher(all);
        EXPECT_TRUE(r.exit_code == 0 || (r.exit_code == 1 && r.out.empty())) << r.err;
        std::vector<nlohmann::json> out;
        for (const std::string& line : lines_of(r.out)) out.push_back(nlohmann::json::parse(line));
        return out;
    }

    static TempDir* dir_;
    static std::string corpus_;
    static bool indexed_;
    static std::map<std::string, FileArticle> articles_;
};
TempDir* Coverage::dir_ = nullptr;
std::string Coverage::corpus_;
bool Coverage::indexed_ = false;
std::map<std::string, FileArticle> Coverage::articles_;

constexpr const char* kOil = "النفط";

// Each bucket: its count is the matches of that day (a separate --export of the same search),
// its `all` the files of that day that pass the filters, its share the one over the other.
void expect_buckets(const nlohmann::json& timeline, const Counts& matches, const Counts& all) {
    unsigned total = 0, all_total = 0;
    for (const auto& b : timeline["buckets"]) {
        const std::string day = b["period"];
        const unsigned count = matches.count(day) ? matches.at(day) : 0;
        const unsigned base = all.count(day) ? all.at(day) : 0;
        EXPECT_EQ(b["count"], count) << day;
        EXPECT_EQ(b["all"], base) << day;
        if (base == 0)
            EXPECT_TRUE(b["share"].is_null()) << day;
        else
            EXPECT_DOUBLE_EQ(b["share"].get<double>(), static_cast<double>(count) / base) << day;
        total += count;
        all_total += base;
    }
    EXPECT_EQ(timeline["total"], total);
    EXPECT_EQ(timeline["all_total"], all_total);
}

// Issue #29, item 1: attention as a share of all articles, per day and per site (each site's
// share of its own output), with the filters applied to both.
TEST_F(Coverage, ArticleSharesAgreeWithTheFiles) {
    Counts per_day, per_site;
    for (const auto& [url, a] : articles_) {
        ++per_day[a.date];
        ++per_site[a.host];
    }
    const nlohmann::json j =
        json_of({"-n", "1", "--timeline", "day", "--facet", "site", "--share", kOil});
    const std::vector<nlohmann::json> hits = matches({kOil});
    ASSERT_GT(hits.size(), 100u);
    EXPECT_EQ(j["total_estimate"], hits.size());
    Counts hit_days, hit_sites;
    for (const auto& h : hits) {
        ++hit_days[h["date"].get<std::string>()];
        ++hit_sites[h["site"].get<std::string>()];
    }
    EXPECT_EQ(j["timeline"]["buckets"].size(), 7u) << "2015-07-26 to 2015-08-01";
    expect_buckets(j["timeline"], hit_days, per_day);
    // The days without an article (28-30 July) have no share.
    EXPECT_EQ(j["timeline"]["all_total"], 6287u);
    const auto& sites = j["facets"]["site"]["top"];
    ASSERT_GE(sites.size(), 10u);
    for (const auto& s : sites) {
        const std::string site = s["value"];
        EXPECT_EQ(s["count"], hit_sites[site]) << site;
        EXPECT_EQ(s["all"], per_site[site]) << site;
        EXPECT_DOUBLE_EQ(s["share"].get<double>(),
                         static_cast<double>(hit_sites[site]) / per_site[site])
            << site;
    }

    // One site's output over six days: the base is that site's articles of those days.
    const std::vector<std::string> filters = {"--site", "www.alriyadh.com", "--since",
                                              "2015-07-27", "--until", "2015-08-01"};
    Counts site_days;
    for (const auto& [url, a] : articles_)
        if (a.host == "www.alriyadh.com" && a.date >= "2015-07-27" && a.date <= "2015-08-01")
            ++site_days[a.date];
    std::vector<std::string> args = {"-n", "1", "--timeline", "day", "--share", kOil};
    args.insert(args.end(), filters.begin(), filters.end());
    const nlohmann::json f = json_of(args);
    std::vector<std::string> query = {kOil};
    query.insert(query.end(), filters.begin(), filters.end());
    Counts filtered_days;
    for (const auto& h : matches(query)) ++filtered_days[h["date"].get<std::string>()];
    ASSERT_FALSE(filtered_days.empty());
    expect_buckets(f["timeline"], filtered_days, site_days);

    // The CSV table holds the same numbers.
    args.insert(args.begin(), {"--format", "csv"});
    const CommandResult csv = searcher(args);
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const std::vector<std::string> rows = lines_of(csv.out);
    ASSERT_EQ(rows.size(), f["timeline"]["buckets"].size() + 1);
    EXPECT_EQ(rows[0], "query,table,value,start,count,all,share,score");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& b = f["timeline"]["buckets"][i - 1];
        const std::string lead = std::string(kOil) + ",timeline," + b["period"].get<std::string>() +
                                 "," + b["start"].get<std::string>() + "," +
                                 std::to_string(b["count"].get<unsigned>()) + "," +
                                 std::to_string(b["all"].get<unsigned>()) + ",";
        EXPECT_EQ(rows[i].rfind(lead, 0), 0u) << rows[i] << " against " << lead;
    }
}

// By story: a story is counted once, in the day of its first article within the filters,
// matching or not; the base is every story that begins there. Checked against the clusters
// that --export names (its "cluster" field is the URL of each article's first copy).
TEST_F(Coverage, StorySharesCountEachClusterOnceWhereItBegins) {
    const std::vector<nlohmann::json> everything = matches({"date:2015"});
    ASSERT_EQ(everything.size(), articles_.size());
    std::map<std::string, std::string> began;  // cluster -> its first day
    for (const auto& a : everything) {
        const std::string cluster = a["cluster"], date = a["date"];
        auto [at, fresh] = began.try_emplace(cluster, date);
        if (!fresh) at->second = std::min(at->second, date);
        // Every article's day is the day of its file.
        EXPECT_EQ(date, articles_.at(a["url"].get<std::string>()).date);
    }
    ASSERT_LT(began.size(), articles_.size()) << "the corpus has copies";
    Counts stories_per_day;
    for (const auto& [cluster, day] : began) ++stories_per_day[day];
    std::set<std::string> matched;
    for (const auto& h : matches({kOil})) matched.insert(h["cluster"].get<std::string>());
    Counts matched_per_day;
    for (const std::string& cluster : matched) ++matched_per_day[began.at(cluster)];

    const nlohmann::json j =
        json_of({"-n", "1", "--collapse", "--timeline", "day", "--share", kOil});
    EXPECT_EQ(j["total_estimate"], matched.size());
    EXPECT_EQ(j["timeline"]["counts"], "stories");
    expect_buckets(j["timeline"], matched_per_day, stories_per_day);
    for (const auto& b : j["timeline"]["buckets"]) EXPECT_LE(b["count"], b["all"]);
}

// Issue #29, item 2: queries compared on one timeline are each what a search of its own, with
// the same filters, counts; over one span of days (zeros where a query has no match).
TEST_F(Coverage, ComparedTimelinesAreTheSeparateSearches) {
    const std::vector<std::string> others = {"اليمن", "\"الحج\"", "zzqx"};
    for (const std::vector<std::string>& flags :
         std::vector<std::vector<std::string>>{{"--share"},
                                               {"--collapse", "--share"},
                                               {"--site", "aawsat.com", "--since", "2015-07-27"}}) {
        std::vector<std::string> args = {"-n", "1", "--timeline", "day", kOil};
        args.insert(args.end(), flags.begin(), flags.end());
        for (const std::string& q : others) args.insert(args.end(), {"--compare", q});
        const nlohmann::json j = json_of(args);
        ASSERT_EQ(j["compared"].size(), others.size());
        const auto& span = j["timeline"]["buckets"];
        ASSERT_GE(span.size(), 5u);
        for (std::size_t i = 0; i < others.size(); ++i) {
            SCOPED_TRACE(others[i] + " with " + flags[0]);
            const nlohmann::json& compared = j["compared"][i];
            EXPECT_EQ(compared["query"], others[i]);
            const auto& buckets = compared["timeline"]["buckets"];
            ASSERT_EQ(buckets.size(), span.size());
            std::vector<std::string> alone = {"-n", "1", "--timeline", "day", others[i]};
            alone.insert(alone.end(), flags.begin(), flags.end());
            const CommandResult r = searcher(alone);
            // (zzqx matches nothing: exit code 1, and no timeline to compare.)
            std::map<std::string, nlohmann::json> own;
            if (r.exit_code == 0) {
                const nlohmann::json separate = json_of(alone);
                EXPECT_EQ(compared["timeline"]["total"], separate["timeline"]["total"]);
                for (const auto& b : separate["timeline"]["buckets"]) own[b["period"]] = b;
            } else {
                EXPECT_EQ(compared["timeline"]["total"], 0);
            }
            for (std::size_t k = 0; k < buckets.size(); ++k) {
                const auto& b = buckets[k];
                EXPECT_EQ(b["period"], span[k]["period"]);
                if (b.contains("all")) {
                    EXPECT_EQ(b["all"], span[k]["all"]) << "one base";
                }
                const auto it = own.find(b["period"]);
                if (it == own.end()) {
                    EXPECT_EQ(b["count"], 0) << b["period"];
                } else {
                    EXPECT_EQ(b["count"], it->second["count"]) << b["period"];
                    if (b.contains("all")) {
                        EXPECT_EQ(b["all"], it->second["all"]) << b["period"];
                    }
                }
            }
        }
    }
}

// Issue #29, item 4: the origin of a passage of a hand-checked SaudiNewsNet story (the Saudi
// deputy crown prince's call with Yemen's president, 26 July 2015, first on sabq.org, carried
// on 26-27 July by ten more sites, in some in part): the articles that carry it whole are the
// files that hold it word for word; the first is the earliest of them; the others carry a part
// of it; story 1 is the first's cluster, as --copies lists it.
TEST_F(Coverage, OriginOfAHandCheckedStory) {
    const std::string passage = "وجرى خلال الاتصال بحث تطورات الأوضاع في الساحة اليمنية، والجهود "
                                "المبذولة من تحالف دعم الشرعية";
    // The files that hold the passage, read without the engine: URL -> date.
    std::map<std::string, std::string> holding;
    for (const FileText& f : read_files(corpus_)) {
        std::string text = f.title;
        for (const std::string& p : f.paragraphs) text += "\n" + p;
        if (text.find(passage) != std::string::npos) holding[f.url] = f.date;
    }
    ASSERT_EQ(holding.size(), 13u);
    const nlohmann::json j = json_of({"--origin", passage});
    EXPECT_EQ(j["words"], 15);
    // The first: the earliest of them (by date, then URL).
    std::pair<std::string, std::string> earliest{"99999999", ""};
    for (const auto& [url, date] : holding) earliest = std::min(earliest, {date, url});
    EXPECT_EQ(j["first"]["url"], "http://sabq.org/CLCgde");
    EXPECT_EQ(j["first"]["url"], earliest.second);
    EXPECT_EQ(j["first"]["date"], "2015-07-26");
    std::set<std::string> whole, sites;
    for (const auto& c : j["carriers"]) {
        const std::string url = c["url"];
        sites.insert(c["site"].get<std::string>());
        if (c["whole"].get<bool>()) {
            whole.insert(url);
            EXPECT_EQ(c["coverage"], 1.0) << url;
        } else {
            EXPECT_GT(c["coverage"], 0.0) << url;
            EXPECT_LT(c["coverage"], 1.0) << url;
            EXPECT_EQ(holding.count(url), 0u) << url << " holds it whole";
        }
        EXPECT_GE(c["date"].get<std::string>(), j["first"]["date"].get<std::string>()) << url;
        const std::string date = c["date"];
        if (holding.count(url)) {
            EXPECT_EQ(date.substr(0, 4) + date.substr(5, 2) + date.substr(8), holding[url]);
        }
    }
    std::set<std::string> held;
    for (const auto& [url, date] : holding) held.insert(url);
    EXPECT_EQ(whole, held);
    EXPECT_EQ(j["carriers"].size(), 15u) << "13 whole, 2 in part";
    EXPECT_EQ(j["sites"].size(), sites.size());
    EXPECT_EQ(j["sites"][0]["site"], "sabq.org");
    // Story 1: the first's cluster, every article of it that carries the passage.
    const CommandResult copies = searcher({"--copies", "http://sabq.org/CLCgde", "--json"});
    ASSERT_EQ(copies.exit_code, 0) << copies.err;
    const nlohmann::json members = nlohmann::json::parse(copies.out);
    std::set<std::string> cluster;
    for (const auto& c : members["copies"]) cluster.insert(c["url"].get<std::string>());
    ASSERT_EQ(cluster.size(), 12u);
    for (const auto& c : j["carriers"])
        EXPECT_EQ(c["story"] == 1, cluster.count(c["url"].get<std::string>()) == 1) << c["url"];
    // A filter narrows the carriers: from the 27th, the first is another.
    const nlohmann::json later = json_of({"--origin", passage, "--since", "2015-07-27"});
    EXPECT_EQ(later["first"]["date"], "2015-07-27");
}

// Issue #29, item 5: --kwic's lines are the article's own text: its left context, the keyword
// and its right context follow each other in the file (its lines joined by spaces), each
// keyword is a form of the query's word, and every match of the search has its lines.
TEST_F(Coverage, KwicLinesAreTheArticlesText) {
    const std::vector<std::string> day = {"--since", "2015-07-26", "--until", "2015-07-26"};
    std::vector<std::string> args = {"--kwic", "4", "--json", kOil};
    args.insert(args.end(), day.begin(), day.end());
    const CommandResult r = searcher(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Each file's text by its URL (line 3): the title and the body, lines as spaces.
    std::map<std::string, std::string> texts;
    for (const FileText& f : read_files(corpus_)) {
        std::string& text = texts[f.url] = f.title;
        for (const std::string& p : f.paragraphs) text += " " + p;
    }
    const auto follows = [](const std::string& text, const std::string& a, const std::string& b) {
        return a.empty() || b.empty() || text.find(a + " " + b) != std::string::npos ||
               text.find(a + b) != std::string::npos;
    };
    std::set<std::string> urls;
    std::size_t lines = 0;
    for (const std::string& line : lines_of(r.out)) {
        const nlohmann::json k = nlohmann::json::parse(line);
        ++lines;
        const std::string url = k["url"], left = k["left"], keyword = k["keyword"],
                          right = k["right"];
        urls.insert(url);
        const std::string& text = texts.at(url);
        EXPECT_NE(keyword.find("نفط"), std::string::npos) << keyword;
        EXPECT_TRUE(follows(text, left, keyword)) << "[" << left << "] [" << keyword << "] " << url;
        EXPECT_TRUE(follows(text, keyword, right)) << "[" << keyword << "] [" << right << "] " << url;
        // Four words on each side at most.
        EXPECT_LE(std::count(left.begin(), left.end(), ' '), 8) << left;
    }
    std::vector<std::string> query = {kOil};
    query.insert(query.end(), day.begin(), day.end());
    std::set<std::string> matching;
    for (const auto& m : matches(query)) matching.insert(m["url"].get<std::string>());
    EXPECT_EQ(urls, matching);
    EXPECT_GT(lines, urls.size());
}

// The words of a text as its file writes them: runs between spaces and punctuation.
std::vector<std::string> tokens_of(const std::string& text) {
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const bool end = i == text.size() || std::string(" \t\n.,;:!?\"'()[]").find(text[i]) != std::string::npos ||
                         text.compare(i, 2, "\xD8\x8C") == 0 || text.compare(i, 2, "\xD8\x9F") == 0;  // ، ؟
        if (!end) {
            word += text[i];
            continue;
        }
        if (!word.empty()) out.push_back(word);
        word.clear();
        if (i < text.size() && (text.compare(i, 2, "\xD8\x8C") == 0 || text.compare(i, 2, "\xD8\x9F") == 0)) ++i;
    }
    return out;
}

// Issue #29, item 5: SENTENCE and PARAGRAPH on real text. Every article whose file has the two
// words, as written, in one sentence (split at . ! ? ؟ and line ends) or in one paragraph (a
// line) is found by the operator; SENTENCE's matches are among PARAGRAPH's, and those among
// AND's.
TEST_F(Coverage, SentenceAndParagraphFindWhatTheFilesHold) {
    const std::string a = kOil, b = "أسعار";
    const auto urls_of = [&](const std::string& q) {
        std::set<std::string> out;
        for (const auto& m : matches({q})) out.insert(m["url"].get<std::string>());
        return out;
    };
    const std::set<std::string> sentence = urls_of(a + " SENTENCE " + b),
                                paragraph = urls_of(a + " PARAGRAPH " + b),
                                both = urls_of(a + " AND " + b);
    ASSERT_GT(sentence.size(), 20u);
    EXPECT_LT(sentence.size(), paragraph.size());
    EXPECT_LT(paragraph.size(), both.size());
    EXPECT_TRUE(std::includes(paragraph.begin(), paragraph.end(), sentence.begin(), sentence.end()));
    EXPECT_TRUE(std::includes(both.begin(), both.end(), paragraph.begin(), paragraph.end()));
    std::size_t in_a_sentence = 0;
    for (const FileText& f : read_files(corpus_)) {
        const std::string& url = f.url;
        bool same_sentence = false, same_paragraph = false;
        std::vector<std::string> paragraphs{f.title};
        paragraphs.insert(paragraphs.end(), f.paragraphs.begin(), f.paragraphs.end());
        for (const std::string& p : paragraphs) {
            const std::vector<std::string> words = tokens_of(p);
            const bool has_a = std::count(words.begin(), words.end(), a) > 0,
                       has_b = std::count(words.begin(), words.end(), b) > 0;
            same_paragraph = same_paragraph || (has_a && has_b);
            // Its sentences: split after . ! ? ؟ followed by a space.
            std::size_t from = 0;
            for (std::size_t i = 0; i <= p.size(); ++i) {
                const bool stop = i == p.size() ||
                                  ((p[i] == '.' || p[i] == '!' || p[i] == '?') && i + 1 < p.size() && p[i + 1] == ' ') ||
                                  (p.compare(i, 2, "\xD8\x9F") == 0);
                if (!stop) continue;
                const std::vector<std::string> s = tokens_of(p.substr(from, i - from));
                if (std::count(s.begin(), s.end(), a) > 0 && std::count(s.begin(), s.end(), b) > 0)
                    same_sentence = true;
                from = i + 1;
            }
        }
        if (same_sentence) {
            ++in_a_sentence;
            EXPECT_EQ(sentence.count(url), 1u) << url << " has them in one sentence";
        }
        if (same_paragraph) {
            EXPECT_EQ(paragraph.count(url), 1u) << url << " has them in one paragraph";
        }
    }
    EXPECT_GT(in_a_sentence, 10u);
}

// The distinct stories (clusters) of a search's matches, as --export lists them.
std::set<std::string> clusters_of(const std::vector<nlohmann::json>& matches) {
    std::set<std::string> out;
    for (const auto& m : matches) out.insert(m["cluster"].get<std::string>());
    return out;
}

// Issue #29, item 3: each significant word's counts are those of separate searches: its
// matching stories are the stories of "(QUERY) AND word", its others the stories of "word"
// with the same filters that do not match; the stories are those of the query and of the
// filters alone. Against the period before, the stories of the query there.
TEST_F(Coverage, SignificantWordsCountWhatSeparateSearchesFind) {
    const std::string query = kOil;
    for (const std::vector<std::string>& flags :
         std::vector<std::vector<std::string>>{{"--since", "2015-07-26", "--until", "2015-08-01"},
                                               {"--since", "2015-07-27", "--until", "2015-07-31",
                                                "--against", "previous"}}) {
        SCOPED_TRACE(flags.back());
        std::vector<std::string> args = {"-n", "1", "--significant", "8", query};
        args.insert(args.end(), flags.begin(), flags.end());
        const nlohmann::json j = json_of(args);
        const nlohmann::json& s = j["significant"];
        EXPECT_EQ(s["scoring"], "jlh");
        const bool previous = flags.back() == "previous";
        // The stories compared: the query's, and the others.
        const auto filtered = [&](std::vector<std::string> q, bool before) {
            const std::vector<std::string> dates =
                before ? std::vector<std::string>{"--since", "2015-07-22", "--until", "2015-07-26"}
                       : std::vector<std::string>{flags[0], flags[1], flags[2], flags[3]};
            q.insert(q.end(), dates.begin(), dates.end());
            return clusters_of(matches(q));
        };
        const std::set<std::string> mine = filtered({query}, false);
        EXPECT_EQ(s["stories"], mine.size());
        const std::set<std::string> others =
            previous ? filtered({query}, true) : filtered({"date:2015"}, false);
        EXPECT_EQ(s["others"], previous ? others.size() : others.size() - mine.size());
        ASSERT_EQ(s["words"].size(), 8u) << s.dump();
        EXPECT_EQ(s["against"], previous ? "previous" : "rest");
        if (previous) {
            EXPECT_EQ(s["period"], "2015-07-22..2015-07-26");
        }
        for (const auto& w : s["words"]) {
            const std::string word = w["word"];
            SCOPED_TRACE(word);
            EXPECT_EQ(w["count"], filtered({"(" + query + ") AND " + word}, false).size());
            if (previous) {
                EXPECT_EQ(w["others"], filtered({"(" + query + ") AND " + word}, true).size());
            } else {
                std::set<std::string> with = filtered({word}, false);
                for (const std::string& c : mine) with.erase(c);
                EXPECT_EQ(w["others"], with.size());
            }
        }
    }
}

}  // namespace
}  // namespace newsidx::test
