// indexer --watch (issue #15, item 1): the real indexer watching real folders, the real
// searcher (and server) reading what it wrote.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "binaries.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// What "within 2 s" allows: the sanitizer build runs several times slower.
// And what a burst's peak memory may be (AddressSanitizer keeps freed memory in quarantine).
#if defined(__SANITIZE_ADDRESS__)
constexpr double kWithin = 6.0;
constexpr long kPeakKb = 2048 * 1024;
#else
constexpr double kWithin = 2.0;
constexpr long kPeakKb = 300 * 1024;
#endif

// `indexer --watch ARGS...` in `cwd`, stopped with SIGTERM at the end.
class Watcher {
  public:
    Watcher(const std::string& cwd, std::vector<std::string> args)
        : process_(with_command(std::move(args)), cwd + "/watch.out", cwd + "/watch.err", cwd) {}

    // Waits (up to 30 s) for the first run's summary line: from then on it is watching (its
    // folders were watched before that run began).
    bool ready() const {
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while (Clock::now() < deadline) {
            if (out().find('\n') != std::string::npos) return true;
            if (err().find("indexer: error:") != std::string::npos) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    std::string out() const { return process_.out(); }
    // How many summary lines it has printed: its first run, and each that changed the index.
    long runs() const {
        const std::string text = out();
        return std::count(text.begin(), text.end(), '\n');
    }
    std::string err() const { return process_.err(); }
    // The CPU time it has used so far, in clock ticks.
    long cpu_ticks() const {
        std::ifstream stat("/proc/" + std::to_string(process_.pid()) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string field;
        long utime = 0, stime = 0;
        for (int i = 3; fields >> field; ++i) {
            if (i == 14) utime = std::stol(field);
            if (i == 15) {
                stime = std::stol(field);
                break;
            }
        }
        return utime + stime;
    }
    // Waits until it has been idle (no CPU time used) for a second: its last batch is in.
    void settle() const {
        long before = cpu_ticks();
        for (int i = 0; i < 60; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1000));
            const long now = cpu_ticks();
            if (now == before) return;
            before = now;
        }
    }
    // Its peak resident memory so far, in kB.
    long peak_kb() const {
        std::ifstream status("/proc/" + std::to_string(process_.pid()) + "/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
        return -1;
    }
    int stop(int signal) { return process_.stop(signal); }

  private:
    static std::vector<std::string> with_command(std::vector<std::string> args) {
        args.insert(args.begin(), {kIndexer, "--watch"});
        return args;
    }
    Background process_;
};

// Article `n` about `word`: a body of 40 words drawn from 64 by `n` (a pseudo-random walk), so
// that articles are not near-duplicates of each other (thousands of copies of one text would
// make one cluster, whose upkeep is another test's business).
std::string article(const std::string& word, int n) {
    static const char* const kWords[] = {
        "harbour", "council",   "budget",    "river",    "station",  "market",   "school",
        "bridge",  "festival",  "museum",    "ferry",    "tunnel",   "airport",  "orchard",
        "library", "stadium",   "factory",   "hospital", "garden",   "village",  "castle",
        "canal",   "forest",    "island",    "valley",   "mountain", "coast",    "desert",
        "glacier", "meadow",    "quarry",    "lagoon",   "senate",   "mayor",    "union",
        "court",   "police",    "parish",    "treaty",   "tariff",   "harvest",  "drought",
        "flood",   "storm",     "heatwave",  "frost",    "tide",     "wildfire", "vaccine",
        "clinic",  "nurse",     "surgeon",   "teacher",  "pupil",    "exam",     "degree",
        "rocket",  "satellite", "telescope", "reactor",  "turbine",  "battery",  "cable",
        "sensor"};
    std::uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(n + 1);
    std::string body = "The " + word + " report number " + std::to_string(n) + " says";
    for (int i = 0; i < 40; ++i) {
        x ^= x >> 31, x *= 0xBF58476D1CE4E5B9ull, x ^= x >> 29;
        body += std::string(" ") + kWords[x % 64];
    }
    return article_text("Report " + std::to_string(n) + " on " + word,
                        "2024-03-0" + std::to_string(1 + n % 9),
                        "https://example.org/" + word + "/" + std::to_string(n), body + ".");
}

ino_t ino(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// Writes `n` articles with "bulkword" into a folder beside in/, then moves it into in/ at once.
void move_in_bulk(const TempDir& dir, int n) {
    for (int i = 0; i < n; ++i)
        write_file(dir / ("staging/" + std::to_string(i) + ".txt"), article("bulkword", i));
    fs::rename(dir / "staging", dir / "in/bulk");
}

// How many articles `searcher QUERY` finds in the index in `cwd` (0 for none).
int found(const std::string& cwd, const std::string& query, const std::string& db = "newsidx.db") {
    const CommandResult r = run_command({kSearcher, "--db", db, "--json", "-n", "1", query}, cwd);
    if (r.exit_code > 1) return -1;
    return json::parse(r.out)["total_estimate"].get<int>();
}

// Seconds until `searcher QUERY` finds `want` articles (polling), or a large number.
double seconds_until(const std::string& cwd, const std::string& query, int want,
                     const std::string& db = "newsidx.db", int give_up_after = 20) {
    const auto started = Clock::now();
    while (Clock::now() - started < std::chrono::seconds(give_up_after)) {
        if (found(cwd, query, db) == want)
            return std::chrono::duration<double>(Clock::now() - started).count();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 1e9;
}

class WatchTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(dir_ / "in");
        for (const auto& e : fs::directory_iterator(kSamples))
            fs::copy_file(e.path(), dir_ / ("in/" + e.path().filename().string()));
    }
    std::string cwd() const { return dir_.path().string(); }
    TempDir dir_;
};

TEST_F(WatchTest, NewChangedMovedAndDeletedFilesAreSearchableWithinTwoSeconds) {
    Watcher watcher(cwd(), {"in"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    EXPECT_EQ(watcher.runs(), 1) << watcher.out();
    EXPECT_NE(watcher.err().find("indexer: watching 1 folder for changes; Ctrl-C stops\n"),
              std::string::npos)
        << watcher.err();
    EXPECT_TRUE(watcher.out().starts_with("indexed 34 articles (34 new, ")) << watcher.out();
    EXPECT_EQ(found(cwd(), "quokka"), 0);
    // New: searchable within 2 s of its file being closed.
    write_file(dir_ / "in/quokka.txt", article("quokka", 1));
    EXPECT_LT(seconds_until(cwd(), "quokka", 1), kWithin);
    // Changed.
    write_file(dir_ / "in/quokka.txt", article("numbat", 1));
    EXPECT_LT(seconds_until(cwd(), "numbat", 1), kWithin);
    EXPECT_EQ(found(cwd(), "quokka"), 0);
    // In a folder made after the watch began, two levels down.
    write_file(dir_ / "in/new/deeper/wombat.txt", article("wombat", 2));
    EXPECT_LT(seconds_until(cwd(), "wombat", 1), kWithin);
    // Moved out of the watched folders: gone; moved back in: back.
    fs::rename(dir_ / "in/new/deeper/wombat.txt", dir_ / "wombat.txt");
    EXPECT_LT(seconds_until(cwd(), "wombat", 0), kWithin);
    fs::rename(dir_ / "wombat.txt", dir_ / "in/wombat.txt");
    EXPECT_LT(seconds_until(cwd(), "wombat", 1), kWithin);
    // A folder deleted with its articles.
    write_file(dir_ / "in/gone/a.txt", article("platypus", 3));
    write_file(dir_ / "in/gone/b.txt", article("platypus", 4));
    EXPECT_LT(seconds_until(cwd(), "platypus", 2), kWithin);
    fs::remove_all(dir_ / "in/gone");
    EXPECT_LT(seconds_until(cwd(), "platypus", 0), kWithin);
    // Deleted.
    fs::remove(dir_ / "in/quokka.txt");
    EXPECT_LT(seconds_until(cwd(), "numbat", 0), kWithin);
    // A broken article is reported as a run reports it, and the rest indexed.
    write_file(dir_ / "in/broken.txt", "only a title\n");
    write_file(dir_ / "in/fine.txt", article("echidna", 5));
    EXPECT_LT(seconds_until(cwd(), "echidna", 1), kWithin);
    EXPECT_NE(watcher.err().find("in/broken.txt:2: "), std::string::npos) << watcher.err();
    // ...once: not again with each later batch while it stays broken.
    write_file(dir_ / "in/later.txt", article("bandicoot", 6));
    EXPECT_LT(seconds_until(cwd(), "bandicoot", 1), kWithin);
    const std::string err = watcher.err();
    EXPECT_EQ(err.find("in/broken.txt:2: "), err.rfind("in/broken.txt:2: ")) << err;
    // Later summary lines start with the time.
    const auto lines = lines_of(watcher.out());
    ASSERT_GE(lines.size(), 2u);
    EXPECT_TRUE(std::regex_search(lines.back(), std::regex("^[0-9]{2}:[0-9]{2}:[0-9]{2} indexed ")))
        << lines.back();
    EXPECT_EQ(watcher.stop(SIGTERM), 0);
    EXPECT_TRUE(watcher.err().ends_with("indexer: stopped watching\n")) << watcher.err();
    EXPECT_FALSE(fs::exists(dir_ / "newsidx.db.lock")) << "the watcher's lock goes with it";
}

TEST_F(WatchTest, HoldsTheLockTheWholeTime) {
    Watcher watcher(cwd(), {"in"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    // Between its runs, another indexer is refused...
    const CommandResult other = run_command({kIndexer, "in"}, cwd());
    EXPECT_EQ(other.exit_code, 1);
    EXPECT_EQ(other.err,
              "indexer: error: index 'newsidx.db' is kept up to date by indexer --watch "
              "('newsidx.db.lock')\nindexer: hint: the watcher indexes the changes to its "
              "folders itself; stop it first to index others\n");
    // ...and so is a second watcher.
    const CommandResult second = run_command({kIndexer, "--watch", "in"}, cwd());
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_EQ(second.err.substr(0, second.err.find('\n')),
              "indexer: error: index 'newsidx.db' is already watched by another indexer "
              "('newsidx.db.lock')");
    // Across a bulk run's swap too: a folder of 1,500 articles moved in at once makes the
    // watcher's next run a bulk one, which swaps in a new index folder.
    const auto inode = [&] { return ino(dir_ / "newsidx.db"); };
    const ino_t before = inode();
    move_in_bulk(dir_, 1500);
    EXPECT_LT(seconds_until(cwd(), "bulkword", 1500, "newsidx.db", 120), 1e9);
    EXPECT_NE(inode(), before) << "the run was a bulk one";
    EXPECT_EQ(run_command({kIndexer, "in"}, cwd()).exit_code, 1);
    EXPECT_EQ(watcher.stop(SIGHUP), 0);
    // Once it has stopped, the index is anyone's.
    const CommandResult after = run_command({kIndexer, "in"}, cwd());
    EXPECT_EQ(after.exit_code, 0) << after.err;
    EXPECT_TRUE(after.out.starts_with("indexed 0 articles (0 new, 0 updated, 1534 unchanged"))
        << after.out;
}

TEST_F(WatchTest, AnIndexInsideTheWatchedFolderDoesNotWakeItUp) {
    Watcher watcher(cwd(), {"--db", "in/newsidx.db", "in"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    write_file(dir_ / "in/quokka.txt", article("quokka", 1));
    EXPECT_LT(seconds_until(cwd(), "quokka", 1, "in/newsidx.db"), kWithin);
    // Its own writes do not start runs (each would find nothing to do, and say nothing): it
    // uses no CPU while nothing changes.
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    const long before = watcher.cpu_ticks();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_LE(watcher.cpu_ticks() - before, 2) << "runs woken by the index's own files";
    EXPECT_EQ(watcher.runs(), 2) << watcher.out();
    // An article whose name starts like the index's is no part of it.
    write_file(dir_ / "in/newsidx.db-report.txt", article("numbat", 2));
    EXPECT_LT(seconds_until(cwd(), "numbat", 1, "in/newsidx.db"), kWithin);
}

TEST_F(WatchTest, TheInputsThemselvesMayComeAndGo) {
    // An index whose name is the start of an input's; a file given by name (not *.txt).
    fs::create_directories(dir_ / "newsfeed");
    write_file(dir_ / "extra.article", article("bilby", 1));
    Watcher watcher(cwd(), {"--db", "news", "newsfeed", "extra.article"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    EXPECT_EQ(found(cwd(), "bilby", "news"), 1);
    write_file(dir_ / "newsfeed/a.txt", article("quoll", 1));
    EXPECT_LT(seconds_until(cwd(), "quoll", 1, "news"), kWithin);
    // The file input rewritten.
    write_file(dir_ / "extra.article", article("dingo", 1));
    EXPECT_LT(seconds_until(cwd(), "dingo", 1, "news"), kWithin);
    EXPECT_EQ(found(cwd(), "bilby", "news"), 0);
    // The folder input made again after it went (moved in whole), then written to.
    fs::remove_all(dir_ / "newsfeed");
    write_file(dir_ / "staging/b.txt", article("possum", 1));
    fs::rename(dir_ / "staging", dir_ / "newsfeed");
    EXPECT_LT(seconds_until(cwd(), "possum", 1, "news"), kWithin);
    EXPECT_EQ(found(cwd(), "quoll", "news"), 0);
    write_file(dir_ / "newsfeed/c.txt", article("possum", 2));
    EXPECT_LT(seconds_until(cwd(), "possum", 2, "news"), kWithin);
    // A link to an article made in a watched folder (never written there) counts too.
    write_file(dir_ / "outside/d.txt", article("kowari", 1));
    fs::create_hard_link(dir_ / "outside/d.txt", dir_ / "newsfeed/d.txt");
    EXPECT_LT(seconds_until(cwd(), "kowari", 1, "news"), kWithin);
    EXPECT_EQ(watcher.stop(SIGTERM), 0) << watcher.err();
}

// Every file of a watched folder gone at once (an unmounted share): the watcher says why,
// removes nothing and keeps watching; an article written there again lets the run go ahead.
TEST_F(WatchTest, AFolderEmptiedAtOnceRemovesNothing) {
    Watcher watcher(cwd(), {"--db", "news", "in"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    const int all = found(cwd(), "the", "news");
    ASSERT_GT(all, 10);
    for (const auto& e : fs::directory_iterator(dir_ / "in")) fs::remove(e.path());
    const auto started = Clock::now();
    while (watcher.err().find("holds no article files now") == std::string::npos &&
           Clock::now() - started < std::chrono::seconds(10))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_NE(watcher.err().find("indexer: error: input 'in' holds no article files now, but the "
                                 "index has "),
              std::string::npos)
        << watcher.err();
    EXPECT_EQ(found(cwd(), "the", "news"), all);
    write_file(dir_ / "in/a.txt", article("quokka", 1));
    EXPECT_LT(seconds_until(cwd(), "quokka", 1, "news"), kWithin + 2);
    EXPECT_EQ(found(cwd(), "the", "news"), 1);
    EXPECT_EQ(watcher.stop(SIGTERM), 0) << watcher.err();
}

TEST_F(WatchTest, ABurstOfTenThousandFilesIsAbsorbed) {
    Watcher watcher(cwd(), {"--quiet", "in"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    for (int i = 0; i < 10000; ++i)
        write_file(
            dir_ / ("in/burst/" + std::to_string(i / 1000) + "/" + std::to_string(i) + ".txt"),
            article("burstword", i));
    const double took = seconds_until(cwd(), "burstword", 10000, "newsidx.db", 300);
    std::cout << "[ info ] the burst was searchable after " << took << " s\n";
    EXPECT_LT(took, 1e9) << watcher.err();
    const long peak = watcher.peak_kb();
    std::cout << "[ info ] watcher's peak memory after a burst of 10,000 files: " << peak / 1024
              << " MB\n";
    EXPECT_GT(peak, 0);
    EXPECT_LT(peak, kPeakKb) << "a burst is read in batches";
    EXPECT_EQ(watcher.stop(SIGINT), 0);
}

// After any series of changes the watcher indexed, the index answers as a --rebuild of the
// same files does: random creations, edits (some to another file's URL), moves and deletions,
// at random pauses, some shorter than the watcher's settling time.
TEST_F(WatchTest, WhatItIndexedIsWhatARebuildIndexes) {
    Watcher watcher(cwd(), {"--quiet", "in"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    std::mt19937 rng(20261201);
    std::vector<std::string> files;
    const std::vector<std::string> words = {"alpha", "bravo", "charlie", "delta"};
    for (int step = 0; step < 120; ++step) {
        const int op = static_cast<int>(rng() % 10);
        const int n = static_cast<int>(rng() % 30);
        const std::string name =
            "in/r" + std::to_string(rng() % 3) + "/f" + std::to_string(rng() % 25) + ".txt";
        if (op <= 4 || files.empty()) {
            write_file(dir_ / name, article(words[rng() % words.size()], n));  // new or edited
            files.push_back(name);
        } else if (op <= 6) {
            const std::string from = files[rng() % files.size()];
            std::error_code ec;
            fs::create_directories((dir_.path() / name).parent_path(), ec);
            fs::rename(dir_ / from, dir_ / name, ec);
            files.push_back(name);
        } else if (op <= 8) {
            std::error_code ec;
            fs::remove(dir_ / files[rng() % files.size()], ec);
        } else {
            std::error_code ec;
            fs::remove_all(dir_ / ("in/r" + std::to_string(rng() % 3)), ec);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 3 == 0 ? 300 : 5));
    }
    // Quiet: the last batch settles and is indexed.
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    watcher.settle();
    EXPECT_EQ(watcher.stop(SIGTERM), 0) << watcher.err();
    const CommandResult rebuild = run_command({kIndexer, "--db", "rebuilt.db", "in"}, cwd());
    ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
    std::size_t compared = 0;
    for (const std::string& word : words) {
        SCOPED_TRACE(word);
        const auto exported = [&](const std::string& db) {
            const CommandResult r = run_command(
                {kSearcher, "--db", db, "--export", "csv", "--sort", "newest", word}, cwd());
            EXPECT_LE(r.exit_code, 1) << r.err;
            std::vector<std::string> lines = lines_of(r.out);
            if (lines.empty()) return lines;
            // Rank and docid-dependent tie order aside: the same articles, scores, paths.
            for (std::string& line : lines) line = line.substr(line.find(',') + 1);
            std::sort(lines.begin(), lines.end());
            return lines;
        };
        const auto watched = exported("newsidx.db");
        EXPECT_EQ(watched, exported("rebuilt.db"));
        compared += watched.empty() ? 0 : watched.size() - 1;  // the CSV header aside
    }
    EXPECT_GT(compared, 5u) << "the changes left articles to compare";
}

TEST_F(WatchTest, TheServerFindsWhatTheWatcherIndexes) {
    Watcher watcher(cwd(), {"--quiet", "in"});
    ASSERT_TRUE(watcher.ready()) << watcher.err();
    ServerProcess server(kSearcher, {}, cwd());
    ASSERT_NE(server.port(), 0) << server.log();
    httplib::Client client("127.0.0.1", server.port());
    const auto total = [&](const std::string& word) {
        const auto res = client.Get(("/search?q=" + word).c_str());
        return res && res->status == 200 ? json::parse(res->body)["total_estimate"].get<int>() : -1;
    };
    const auto until = [&](const std::string& word, int want, int give_up_after = 20) {
        const auto started = Clock::now();
        while (Clock::now() - started < std::chrono::seconds(give_up_after)) {
            if (total(word) == want)
                return std::chrono::duration<double>(Clock::now() - started).count();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return 1e9;
    };
    EXPECT_EQ(total("quokka"), 0);
    write_file(dir_ / "in/quokka.txt", article("quokka", 1));
    EXPECT_LT(until("quokka", 1), kWithin);
    fs::remove(dir_ / "in/quokka.txt");
    EXPECT_LT(until("quokka", 0), kWithin);
    // A batch large enough for a bulk run (a swapped index folder) is seen whole.
    move_in_bulk(dir_, 1500);
    EXPECT_LT(until("bulkword", 1500, 120), 1e9);
    EXPECT_EQ(total("security"), found(cwd(), "security"));
}

}  // namespace
}  // namespace newsidx::test
