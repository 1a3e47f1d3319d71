// Saved searches (issue #30): the check's once-per-story rule against a model over a seeded
// random walk of arrivals, copies, edits, deletions, rebuilds and stopped runs; the files'
// mistakes; the journal's torn line; receivers' marks.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "newsidx/alerts.hpp"
#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;

class Quiet : public IndexObserver {
  public:
    explicit Quiet(std::atomic<bool>* stop = nullptr, std::uint64_t after = ~0ull)
        : stop_(stop), after_(after) {}
    void on_rejected(const RecordError&) override {}
    void on_warning(const std::string&) override {}
    void on_progress(std::uint64_t done, std::uint64_t, std::uint64_t, std::uint64_t) override {
        if (stop_ && done >= after_) *stop_ = true;
    }

  private:
    std::atomic<bool>* stop_;
    std::uint64_t after_;
};

// Story `s`'s body: 50 words drawn by `s`, with "ferryboat" when it matches. Copies share it.
std::string body_of(int s, bool matching) {
    static const char* const kWords[] = {
        "harbour", "council", "budget", "river",  "station", "market",  "school",  "bridge",
        "museum",  "orchard", "tunnel", "quarry", "library", "stadium", "factory", "garden",
        "village", "castle",  "canal",  "forest", "island",  "valley",  "coast",   "desert",
        "meadow",  "pier",    "lagoon", "senate", "mayor",   "union",   "court",   "parish",
        "treaty",  "tariff",  "harvest", "drought", "storm", "frost",   "tide",    "clinic",
        "nurse",   "teacher", "pupil",  "rocket", "reactor", "turbine", "battery", "cable"};
    std::uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(s + 11);
    std::string body = matching ? "The ferryboat" : "The service";
    for (int i = 0; i < 50; ++i) {
        x ^= x >> 31, x *= 0xBF58476D1CE4E5B9ull, x ^= x >> 29;
        body += std::string(" ") + kWords[x % 48];
    }
    return body + ".";
}

struct Piece {
    int story;
    int day;
    std::string site;
    std::string url() const {
        return "https://" + site + "/" + std::to_string(day) + "/" + std::to_string(story);
    }
};

class AlertsRandomWalk : public ::testing::Test {
  protected:
    std::string corpus() const { return dir_ / "corpus"; }
    std::string db() const { return dir_ / "db"; }
    std::string alerts() const { return dir_ / "db.alerts"; }
    SearchOptions defaults() const {
        SearchOptions o;
        o.db_paths = {db()};
        return o;
    }
    bool matching(int story) const { return story % 3 != 0; }  // a third never match

    // The file of an article: moved ones (by URL) in a folder of their own.
    std::string file_of(const Piece& p) const {
        const std::string day = (p.day < 10 ? "0" : "") + std::to_string(p.day);
        fs::create_directories(corpus() + "/moved");
        return corpus() + (moved_.count(p.url()) ? "/moved/" : "/") + p.site + "-" +
               std::to_string(p.story) + "-" + day + ".txt";
    }
    // Its file; `edition` > 0 changes the title (the article is rewritten, its story the same).
    void write(const Piece& p, int edition = 0) {
        const std::string day = (p.day < 10 ? "0" : "") + std::to_string(p.day);
        write_file(file_of(p),
                   article_text("Story " + std::to_string(p.story) +
                                    (edition ? ", edition " + std::to_string(edition) : ""),
                                "2026-04-" + day, p.url(), body_of(p.story, matching(p.story))));
    }
    // The URLs the index holds.
    std::set<std::string> indexed() const {
        std::set<std::string> urls;
        Xapian::Database d(db());
        for (auto t = d.allterms_begin("Q"); t != d.allterms_end("Q"); ++t) urls.insert((*t).substr(1));
        return urls;
    }
    void remove(const Piece& p) { fs::remove(file_of(p)); }
    IndexStats index(BuildMode mode, bool rebuild, std::atomic<bool>* stop = nullptr,
                     std::uint64_t after = ~0ull) {
        IndexOptions o;
        o.db_path = db();
        o.inputs = {corpus()};
        o.mode = mode;
        o.rebuild = rebuild;
        o.jobs = 2;
        o.stop = stop;
        Quiet quiet(stop, after);
        return run_index(o, quiet);
    }
    TempDir dir_;
    std::set<std::string> moved_;  // URLs whose files were moved
};

// The model: a matching story alerts once, at the first check after one of its articles came
// after the search was saved, unless it had an article when the search was saved; the alert's
// article is the earliest (date, URL) of its articles in the index then. Edits, moved files,
// non-matching arrivals, deletions (of a story that keeps an article) and rebuilds alert
// nothing.
TEST_F(AlertsRandomWalk, EachNewStoryAlertsOnceAtItsFirstArticle) {
    constexpr unsigned kSeed = 20261205;
    std::mt19937 rng(kSeed);
    const std::vector<std::string> sites{"a.example", "b.example", "c.example", "d.example"};
    std::map<std::string, Piece> present, ever;  // by URL: in the corpus, and ever written
    int next_story = 1;
    auto add = [&](int story) {
        Piece p{story, 1 + static_cast<int>(rng() % 28), sites[rng() % sites.size()]};
        if (present.count(p.url())) return;
        write(p);
        present[p.url()] = ever[p.url()] = p;
    };
    for (int i = 0; i < 8; ++i) add(next_story++);
    index(BuildMode::Auto, false);
    alerts::SavedSearch search{"ferry", "ferryboat", {}};
    alerts::add_search(alerts(), search, defaults());

    std::set<int> baseline;  // the stories the search started with
    for (const auto& [url, p] : present) baseline.insert(p.story);
    std::set<int> alerted;
    std::string log;
    std::set<int> pending_new;                 // stories with an article since the last check
    for (int step = 0; step < 90; ++step) {
        const unsigned what = rng() % 10;
        if (what < 4) {
            // A new story, sometimes with copies at once.
            const int s = next_story++;
            const int copies = 1 + static_cast<int>(rng() % 3);
            for (int c = 0; c < copies; ++c) add(s);
            log += "story " + std::to_string(s) + " x" + std::to_string(copies) + "\n";
        } else if (what < 6 && !present.empty()) {
            // A copy of a story the index has.
            auto it = std::next(present.begin(), static_cast<long>(rng() % present.size()));
            add(it->second.story);
            log += "copy of " + std::to_string(it->second.story) + "\n";
        } else if (what < 7 && !present.empty()) {
            // An edit: a new title, the same story (the article is rewritten: a change).
            auto it = std::next(present.begin(), static_cast<long>(rng() % present.size()));
            write(it->second, step + 1);
            log += "edit " + it->first + "\n";
        } else if (what < 8) {
            // A non-matching article goes, or a matching one whose story keeps another.
            std::map<int, int> per_story;
            for (const auto& [url, p] : present) ++per_story[p.story];
            for (auto it = present.begin(); it != present.end(); ++it)
                if (!matching(it->second.story) || per_story[it->second.story] > 1) {
                    remove(it->second);
                    log += "remove " + it->first + "\n";
                    present.erase(it);
                    break;
                }
        } else if (what < 9 && !present.empty()) {
            // A file moves (renamed, its URL the same): deleted at one path, read at another.
            auto it = std::next(present.begin(), static_cast<long>(rng() % present.size()));
            const std::string from = file_of(it->second);
            moved_.insert(it->first);
            fs::rename(from, file_of(it->second));
            log += "move " + it->first + "\n";
        }
        // Index: in place, in bulk, a rebuild, or a run stopped after a file (the next run
        // finishes it).
        const unsigned how = rng() % 8;
        std::atomic<bool> stop{false};
        if (how == 0) {
            index(BuildMode::Auto, true);
            log += "rebuild\n";
        } else if (how == 1) {
            index(BuildMode::Direct, false, &stop, 1);
            log += "stopped run\n";
        } else {
            index(how % 2 ? BuildMode::Bulk : BuildMode::Direct, false);
            log += how % 2 ? "bulk run\n" : "direct run\n";
        }
        if (rng() % 3 != 0) continue;  // several runs between checks, sometimes
        const alerts::CheckReport report = alerts::check(alerts(), defaults());
        log += "check: " + std::to_string(report.alerts.size()) + " alerts\n";
        // The model's alerts of this check: matching stories with an article in the index now
        // (a stopped run left some out), not in the baseline, not alerted before; each at its
        // earliest article.
        std::map<int, std::pair<int, std::string>> want;  // story -> (day, URL)
        for (const std::string& url : indexed()) {
            const Piece& p = ever.at(url);
            if (!matching(p.story) || baseline.count(p.story) || alerted.count(p.story)) continue;
            auto [it, fresh] = want.try_emplace(p.story, p.day, url);
            if (!fresh && std::make_pair(p.day, url) < it->second) it->second = {p.day, url};
        }
        std::multiset<std::string> want_urls, got_urls;
        for (const auto& [story, first] : want) {
            want_urls.insert(first.second);
            alerted.insert(story);
        }
        for (const alerts::Alert& a : report.alerts) got_urls.insert(a.article.url);
        ASSERT_EQ(got_urls, want_urls) << "seed " << kSeed << ", step " << step << ":\n" << log;
    }
    EXPECT_GE(alerted.size(), 15u) << "the walk made few stories: it tests little";
}

std::size_t lines_of_file(const std::string& path) {
    const std::string text = read_file(path);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class AlertsTest : public AlertsRandomWalk {
  protected:
    void SetUp() override {
        for (int s = 1; s <= 3; ++s) write({s, s, "a.example"});
        index(BuildMode::Auto, false);
    }
};

TEST_F(AlertsTest, ASearchsFileMistakeIsNamedWithItsLine) {
    fs::create_directories(alerts());
    write_file(alerts() + "/searches.json", "{\n  \"searches\": [\n    {\"name\": \"x\",}\n  ]\n}\n");
    try {
        alerts::load(alerts());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), alerts() + "/searches.json:3: not valid JSON");
        EXPECT_EQ(e.hint(), "see docs/alerts.md for the file's form");
    }
    write_file(alerts() + "/searches.json",
               R"({"searches": [{"name": "x", "query": "a"}, {"name": "x", "query": "b"}]})");
    EXPECT_THROW(alerts::load(alerts()), Error);
    write_file(alerts() + "/searches.json",
               R"({"receivers": [{"name": "h", "webhook": "ftp://example.org/"}]})");
    try {
        alerts::load(alerts());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  alerts() + "/searches.json: receiver 'h': a webhook is an http:// or https:// URL");
    }
}

TEST_F(AlertsTest, ASavedSearchKeepsOnlyTheOptionsThatChooseTheArticles) {
    alerts::SavedSearch s{"x", "ferryboat", {{"limit", "3"}}};
    try {
        alerts::options_of(s, defaults());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "saved search 'x': --limit is not kept by a saved search, which keeps only what "
                  "chooses the articles that match: --since, --until, --site, --lang, --all and "
                  "--plain");
    }
    s.options = {{"since", "2026-13"}};
    EXPECT_THROW(alerts::options_of(s, defaults()), Error);
    s.options = {{"site", "a.example"}, {"all", "1"}};
    const SearchOptions o = alerts::options_of(s, defaults());
    EXPECT_EQ(o.site, "a.example");
    EXPECT_TRUE(o.match_all);
    s.name = "two words";
    EXPECT_THROW(alerts::options_of(s, defaults()), Error);
    s = {"empty", "  ", {}};
    EXPECT_THROW(alerts::options_of(s, defaults()), Error);
}

TEST_F(AlertsTest, AnEditedSearchStartsAgainAndTheSameSavedAgainKeepsItsPlace) {
    alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    write({10, 10, "a.example"});
    index(BuildMode::Direct, false);
    // Saved again unchanged before a check: the article that came since still alerts.
    EXPECT_TRUE(alerts::add_search(alerts(), {"ferry", " ferryboat ", {{"all", "true"}}}, defaults()).unchanged);
    EXPECT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 1u);
    // Edited: a new baseline; what the index holds is not new to it.
    EXPECT_TRUE(alerts::add_search(alerts(), {"ferry", "ferryboat", {{"site", "a.example"}}}, defaults()).replaced);
    write({11, 11, "b.example"});
    write({13, 12, "a.example"});
    index(BuildMode::Direct, false);
    const alerts::CheckReport r = alerts::check(alerts(), defaults());
    ASSERT_EQ(r.alerts.size(), 1u);
    EXPECT_EQ(r.alerts[0].article.url, (Piece{13, 12, "a.example"}.url()));
    EXPECT_EQ(r.alerts[0].n, 2u);
}

TEST_F(AlertsTest, ASearchWrittenByHandStartsAtItsFirstCheckAndANewIndexIsANewBaseline) {
    fs::create_directories(alerts());
    write_file(alerts() + "/searches.json",
               R"({"searches": [{"name": "ferry", "query": "ferryboat"}]})");
    alerts::CheckReport r = alerts::check(alerts(), defaults());
    EXPECT_TRUE(r.alerts.empty());
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0], "saved search 'ferry' starts after change 1: what the index holds now "
                          "is its baseline");
    // The index made again from nothing (not a rebuild): another index.
    fs::remove_all(db());
    write({10, 10, "a.example"});
    index(BuildMode::Auto, false);
    r = alerts::check(alerts(), defaults());
    EXPECT_TRUE(r.alerts.empty());
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("of a new index"), std::string::npos) << r.notes[0];
}

TEST_F(AlertsTest, ATornJournalLineIsCutAndItsCheckRunsAgain) {
    alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    write({10, 10, "a.example"});
    index(BuildMode::Direct, false);
    const std::string journal = alerts() + "/journal.jsonl";
    const std::string before = read_file(journal);
    ASSERT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 1u);
    // A crash in the middle of the check's lines: the first half of them stays.
    const std::string after = read_file(journal);
    write_file(journal, after.substr(0, before.size() + (after.size() - before.size()) / 2));
    const alerts::CheckReport again = alerts::check(alerts(), defaults());
    ASSERT_EQ(again.alerts.size(), 1u);
    EXPECT_EQ(again.alerts[0].n, 1u);
    EXPECT_EQ(again.alerts[0].article.url, (Piece{10, 10, "a.example"}.url()));
    EXPECT_EQ(read_file(journal).back(), '\n');
    EXPECT_TRUE(alerts::check(alerts(), defaults()).alerts.empty());
}

TEST_F(AlertsTest, ReceiversTakeTheAlertsInOrderOnceAndAFailedOneKeepsThem) {
    alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    write({10, 10, "a.example"});
    index(BuildMode::Direct, false);
    ASSERT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 1u);
    // Receivers named after alert 1 start after it.
    const std::string ok = dir_ / "ok";
    write_file(alerts() + "/searches.json",
               R"({"searches": [{"name": "ferry", "query": "ferryboat"}], "receivers": [)"
               R"({"name": "log", "log": "log.jsonl"},)"  // the alerts folder's
               R"({"name": "cmd", "command": "test -e ')" + ok + "' && cat >> '" +
                   (dir_ / "cmd.jsonl") + R"('"}]})");
    std::vector<alerts::ReceiverState> states = alerts::deliver(alerts(), {});
    ASSERT_EQ(states.size(), 2u);
    EXPECT_EQ(states[0].delivered, 1u);
    EXPECT_FALSE(fs::exists(alerts() + "/log.jsonl"));
    for (int s : {11, 13, 14}) write({s, s, "a.example"});
    index(BuildMode::Direct, false);
    ASSERT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 3u);
    states = alerts::deliver(alerts(), {});
    EXPECT_EQ(states[0].delivered, 4u);
    EXPECT_EQ(states[1].delivered, 1u);
    EXPECT_EQ(states[1].waiting, 3u);
    EXPECT_EQ(states[1].last_error, "alert 2: exit status 1");
    EXPECT_EQ(lines_of_file(alerts() + "/log.jsonl"), 3u);
    // The log's mark lost (a crash after the line was written): the line is not written twice.
    std::string mark = read_file(alerts() + "/delivered/log");
    ASSERT_EQ(mark.substr(mark.size() - 3), " 4\n");
    write_file(alerts() + "/delivered/log", mark.replace(mark.size() - 3, 3, " 3\n"));
    write_file(ok, "");
    states = alerts::deliver(alerts(), {});
    EXPECT_EQ(states[0].delivered, 4u);
    EXPECT_EQ(lines_of_file(alerts() + "/log.jsonl"), 3u);
    EXPECT_EQ(states[1].delivered, 4u);
    EXPECT_EQ(states[1].waiting, 0u);
    const std::string cmd = read_file(dir_ / "cmd.jsonl");
    EXPECT_LT(cmd.find("\"n\":2"), cmd.find("\"n\":3"));
    EXPECT_LT(cmd.find("\"n\":3"), cmd.find("\"n\":4"));
    EXPECT_EQ(lines_of_file(dir_ / "cmd.jsonl"), 3u);
}

TEST_F(AlertsTest, EveryWordMustMatchUnlessTheSearchSaysOtherwise) {
    alerts::add_search(alerts(), {"both", "ferryboat tariff", {}}, defaults());
    alerts::add_search(alerts(), {"either", "ferryboat tariff", {{"all", "0"}}}, defaults());
    write_file(corpus() + "/one.txt", article_text("Ferryboat news", "2026-04-20", "https://a.example/one",
                                                   "The ferryboat sailed at dawn with forty cars on board and a band playing on deck."));
    write_file(corpus() + "/two.txt", article_text("Ferryboat tariff", "2026-04-21", "https://a.example/two",
                                                   "The ferryboat tariff rises in May, the operator said, by a tenth for cars and a fifth for lorries."));
    index(BuildMode::Direct, false);
    std::map<std::string, std::set<std::string>> got;
    for (const alerts::Alert& a : alerts::check(alerts(), defaults()).alerts)
        got[a.search].insert(a.article.url);
    EXPECT_EQ(got["both"], std::set<std::string>{"https://a.example/two"});
    EXPECT_EQ(got["either"], (std::set<std::string>{"https://a.example/one", "https://a.example/two"}));
}

TEST_F(AlertsTest, ARemovedSearchSavedAgainOrAnEditUndoneStartsFromThen) {
    const alerts::SavedSearch a{"ferry", "ferryboat", {}};
    const alerts::SavedSearch b{"ferry", "ferryboat", {{"site", "b.example"}}};
    alerts::add_search(alerts(), a, defaults());
    ASSERT_TRUE(alerts::check(alerts(), defaults()).alerts.empty());
    ASSERT_TRUE(alerts::remove_search(alerts(), "ferry"));
    EXPECT_FALSE(alerts::remove_search(alerts(), "ferry"));
    write({10, 10, "a.example"});
    index(BuildMode::Direct, false);
    alerts::add_search(alerts(), a, defaults());
    EXPECT_TRUE(alerts::check(alerts(), defaults()).alerts.empty()) << "story 10 came before";
    // Edited by hand to b, checked, and back to a: a starts again, story 11 is its baseline.
    alerts::save(alerts(), {{b}, {}});
    alerts::check(alerts(), defaults());
    write({11, 11, "a.example"});
    index(BuildMode::Direct, false);
    alerts::save(alerts(), {{a}, {}});
    const alerts::CheckReport r = alerts::check(alerts(), defaults());
    EXPECT_TRUE(r.alerts.empty());
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_EQ(r.notes[0], "saved search 'ferry' starts after change 3: what the index holds now is its baseline");
    write({13, 12, "a.example"});
    index(BuildMode::Direct, false);
    ASSERT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 1u);
}

TEST_F(AlertsTest, ReadersLeaveATornLineAloneAndSearchesRunWithTheirOwnOptionsOnly) {
    alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    write({10, 10, "a.example"});
    index(BuildMode::Direct, false);
    const std::string journal = alerts() + "/journal.jsonl";
    write_file(journal, read_file(journal) + "{\"type\": \"alert\", \"n\"");
    const std::string torn = read_file(journal);
    alerts::list(alerts(), defaults(), 5);
    alerts::receiver_states(alerts());
    EXPECT_EQ(read_file(journal), torn) << "only a writer mends the journal";
    // The process's own search flags do not narrow a saved search.
    SearchOptions narrowed = defaults();
    narrowed.site = "nowhere.example";
    const SearchOptions o = alerts::options_of({"ferry", "ferryboat", {}}, narrowed);
    EXPECT_EQ(o.site, "");
    ASSERT_EQ(alerts::check(alerts(), narrowed).alerts.size(), 1u);
}

// A file moved keeps its article's place: it was in the index before (in place, or in bulk).
TEST_F(AlertsTest, AMovedFileDoesNotAlertAgain) {
    alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    for (BuildMode mode : {BuildMode::Direct, BuildMode::Bulk}) {
        for (int s : {1, 2, 3}) {  // every file: the index has none at the old paths
            const Piece p{s, s, "a.example"};
            const std::string from = file_of(p);
            moved_.count(p.url()) ? moved_.erase(p.url()) : moved_.insert(p.url()).second;
            fs::rename(from, file_of(p));
        }
        const IndexStats stats = index(mode, false);
        EXPECT_EQ(stats.articles(), 3u) << "read at their new paths";
        EXPECT_TRUE(alerts::check(alerts(), defaults()).alerts.empty())
            << (mode == BuildMode::Direct ? "in place" : "in bulk");
    }
}

// A run's observer that checks the saved searches once, half-way through the run.
class CheckingObserver : public IndexObserver {
  public:
    explicit CheckingObserver(std::function<void()> check) : check_(std::move(check)) {}
    void on_rejected(const RecordError&) override {}
    void on_warning(const std::string&) override {}
    void on_progress(std::uint64_t done, std::uint64_t, std::uint64_t, std::uint64_t) override {
        if (done == 2) check_();
    }

  private:
    std::function<void()> check_;
};

// The index deleted and made again from nothing while searches follow it: the first run's
// articles are the archive, not news, however far the run has come when a check looks.
TEST_F(AlertsTest, AnIndexMadeAgainIsAnArchiveUntilItsFirstRunEnds) {
    alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    fs::remove_all(db());
    for (int s = 10; s < 15; ++s) write({s, s, "b.example"});
    alerts::CheckReport during;
    CheckingObserver observer([&] { during = alerts::check(alerts(), defaults()); });
    IndexOptions o;
    o.db_path = db();
    o.inputs = {corpus()};
    o.mode = BuildMode::Direct;
    o.jobs = 1;
    run_index(o, observer);
    EXPECT_TRUE(during.alerts.empty());
    ASSERT_EQ(during.notes.size(), 1u);
    EXPECT_EQ(during.notes[0], "the index's first run is still going: what it indexes is the "
                               "archive, and saved searches start after it");
    alerts::CheckReport after = alerts::check(alerts(), defaults());
    EXPECT_TRUE(after.alerts.empty());
    ASSERT_EQ(after.notes.size(), 1u);
    EXPECT_NE(after.notes[0].find("of a new index"), std::string::npos) << after.notes[0];
    write({20, 20, "b.example"});
    index(BuildMode::Direct, false);
    EXPECT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 1u);
}

TEST_F(AlertsTest, AMisspeltKeyOrAValueOfTheWrongKindIsRefused) {
    fs::create_directories(alerts());
    const auto refused = [&](const std::string& text) -> std::string {
        write_file(alerts() + "/searches.json", text);
        try {
            alerts::load(alerts());
        } catch (const Error& e) {
            return std::string(e.what()).substr(alerts().size() + 16);  // after "…/searches.json: "
        }
        return "accepted";
    };
    EXPECT_EQ(refused(R"({"recievers": []})"),
              "the file has \"recievers\", which is none of \"searches\", \"receivers\"");
    EXPECT_EQ(refused(R"({"searches": [{"name": "x", "query": "a", "option": {}}]})"),
              "a saved search has \"option\", which is none of \"name\", \"query\", \"options\"");
    EXPECT_EQ(refused(R"({"searches": [{"name": "x", "query": "a", "options": {"site": null}}]})"),
              "saved search 'x': option \"site\" is null, not text (or true/false)");
    EXPECT_EQ(refused(R"({"receivers": [{"name": "l", "log": "f", "secret_env": "S"}]})"),
              "receiver 'l': \"secret_env\" signs webhooks only");
    EXPECT_EQ(refused(R"({"searches": [{"name": "x", "query": "a", "options": {"all": true}}]})"),
              "accepted");
    try {
        alerts::options_of({"x", "a", {{"all", "maybe"}}}, defaults());
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "saved search 'x': --all is on or off (1, true, on, yes; 0, false, off, no), "
                  "not 'maybe'");
    }
}

// A copy, after --since, of a story the archive had before it is no news to the search.
TEST_F(AlertsTest, AStoryFromBeforeSinceIsNoNewsAfterIt) {
    alerts::add_search(alerts(), {"recent", "ferryboat", {{"since", "2026-04-10"}}}, defaults());
    write({2, 20, "b.example"});   // story 2 (day 2 in the archive) again, on day 20
    write({14, 21, "b.example"});  // a new story
    write({16, 5, "b.example"});   // a story back-filled, dated before --since
    index(BuildMode::Direct, false);
    const alerts::CheckReport r = alerts::check(alerts(), defaults());
    ASSERT_EQ(r.alerts.size(), 1u);
    EXPECT_EQ(r.alerts[0].article.url, (Piece{14, 21, "b.example"}.url()));
    write({16, 22, "c.example"});  // its copy, after --since: no news either
    index(BuildMode::Direct, false);
    EXPECT_TRUE(alerts::check(alerts(), defaults()).alerts.empty());
}

TEST_F(AlertsTest, AReceiverNamedAgainStartsAnew) {
    alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    const std::string with = R"({"searches": [{"name": "ferry", "query": "ferryboat"}], )"
                             R"("receivers": [{"name": "log", "log": "log.jsonl"}]})";
    const std::string without = R"({"searches": [{"name": "ferry", "query": "ferryboat"}]})";
    write_file(alerts() + "/searches.json", with);
    alerts::deliver(alerts(), {});
    write_file(alerts() + "/searches.json", without);
    write({10, 10, "a.example"});
    index(BuildMode::Direct, false);
    ASSERT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 1u);
    alerts::deliver(alerts(), {});
    EXPECT_FALSE(fs::exists(alerts() + "/delivered/log"));
    write_file(alerts() + "/searches.json", with);
    const auto states = alerts::deliver(alerts(), {});
    EXPECT_EQ(states[0].delivered, 1u);
    EXPECT_FALSE(fs::exists(alerts() + "/log.jsonl")) << "alert 1 came while it was not named";
}

// A first run stopped half-way is still the archive; a search saved meanwhile starts where the
// run, finished later, ends.
TEST_F(AlertsTest, AStoppedFirstRunIsStillTheArchive) {
    fs::remove_all(db());
    for (int s = 10; s < 16; ++s) write({s, s, "b.example"});
    std::atomic<bool> stop{false};
    IndexStats stats = index(BuildMode::Direct, false, &stop, 2);
    ASSERT_TRUE(stats.interrupted);
    const alerts::Added added = alerts::add_search(alerts(), {"ferry", "ferryboat", {}}, defaults());
    EXPECT_TRUE(added.after_first_run);
    alerts::CheckReport r = alerts::check(alerts(), defaults());
    EXPECT_TRUE(r.alerts.empty());
    index(BuildMode::Bulk, false);  // the rest of the archive
    r = alerts::check(alerts(), defaults());
    EXPECT_TRUE(r.alerts.empty());
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("where the index's first run ended"), std::string::npos) << r.notes[0];
    write({20, 20, "b.example"});
    index(BuildMode::Direct, false);
    EXPECT_EQ(alerts::check(alerts(), defaults()).alerts.size(), 1u);
}

}  // namespace
}  // namespace newsidx::test
