// Crash safety and concurrent use, end to end: the real indexer killed with SIGKILL at random
// moments, searchers running while it writes, and a second indexer turned away.
#include <gtest/gtest.h>
#include <signal.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kIndexer = NEWSIDX_INDEX_BIN;
const std::string kSearcher = NEWSIDX_SEARCH_BIN;
const std::string kXapianCheck = "/usr/bin/xapian-check";

constexpr int kArticles = 3000;
constexpr int kBulkEdits = kArticles / 3 + 1;  // over 1,000 and a quarter: a bulk rebuild
constexpr int kDirectEdits = 150;              // an update in place

// A made-up but word-rich article; `version` changes its body so that a rerun has work to do.
std::string synthetic_article(int n, int version) {
    static const char* const kWords[] = {
        "harbour", "council", "minister",  "talks",     "border",   "election", "market", "energy",
        "prices",  "strike",  "union",     "railway",   "budget",   "court",    "police", "summit",
        "weather", "storm",   "flood",     "bridge",    "school",   "hospital", "trade",  "tariff",
        "bank",    "rates",   "inflation", "ceasefire", "monitors", "treaty",   "vote",   "reform"};
    std::mt19937 rng(static_cast<unsigned>(n * 7919 + version));
    std::uniform_int_distribution<std::size_t> pick(0, std::size(kWords) - 1);
    std::string title = "Story " + std::to_string(n) + " on " + kWords[pick(rng)];
    std::string body;
    for (int p = 0; p < 3; ++p) {
        for (int w = 0; w < 40; ++w) body += std::string(kWords[pick(rng)]) + " ";
        body += "version" + std::to_string(version) + ".\n";
    }
    char date[16];
    std::snprintf(date, sizeof date, "2022%02d%02d", 1 + n % 12, 1 + n % 28);
    return title + "\n" + date + "\nhttps://synthetic.example.org/" + std::to_string(n) + "\n" +
           body;
}

std::string article_path(const std::string& corpus, int n) {
    return corpus + "/" + std::to_string(n % 10) + "/a" + std::to_string(n) + ".txt";
}

// Waits (at most 60 s) until `path` exists; false if it never does.
bool wait_for(const std::string& path) {
    for (int i = 0; i < 12000 && !fs::exists(path); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return fs::exists(path);
}

// A folder with kArticles synthetic articles in corpus/ and room for an index at db.
struct Workspace {
    TempDir dir;
    std::string corpus = dir / "corpus";
    std::string db = dir / "db";
    Workspace() {
        for (int n = 0; n < kArticles; ++n)
            write_file(article_path(corpus, n), synthetic_article(n, 0));
    }
    /// Starts `indexer --quiet --db db corpus`, its output to files beside them.
    pid_t start_indexer() const {
        return spawn_command({kIndexer, "--quiet", "--db", db, corpus}, dir / "out", dir / "err");
    }
    /// start_indexer(), then waits until it has created (and locked) the index; 0 when it does
    /// not within 60 s, and then it is stopped.
    pid_t start_indexer_and_wait_for_index() const {
        const pid_t pid = start_indexer();
        if (wait_for(db + "/iamglass")) return pid;
        ::kill(pid, SIGKILL);
        wait_command(pid);
        return 0;
    }
};

// Where a searcher would read the index: <db>, or <db>.old if a run died mid-swap.
std::string readable_index(const std::string& db) {
    if (fs::exists(db + "/iamglass")) return db;
    if (fs::exists(db + ".old/iamglass")) return db + ".old";
    return {};
}

// Every article at most once: no URL has two documents.
void expect_no_duplicates(const std::string& index, const std::string& when) {
    Xapian::Database d(index);
    for (auto t = d.allterms_begin("Q"); t != d.allterms_end("Q"); ++t)
        ASSERT_EQ(t.get_termfreq(), 1u) << *t << " twice, " << when;
}

TEST(CrashSafety, SigkillAtTwentyRandomMomentsLosesNothing) {
    if (!fs::exists(kXapianCheck)) GTEST_SKIP() << "xapian-check is missing (Debian: xapian-tools)";
    const Workspace w;
    const TempDir& dir = w.dir;
    const std::string& corpus = w.corpus;
    const std::string& db = w.db;
    std::vector<int> version(kArticles, 0);

    // How long each kind of run takes here (sanitizers and load change it), measured on a
    // copy: the kills fall within it. A whole build; a third of the articles edited (a bulk
    // rebuild); 150 edited (an update in place).
    const std::string probe_corpus = dir / "probe-corpus";
    for (int n = 0; n < kArticles; ++n)
        write_file(article_path(probe_corpus, n), synthetic_article(n, 0));
    auto timed_run = [&](int edits) {
        for (int n = 0; n < edits; ++n)
            write_file(article_path(probe_corpus, n), synthetic_article(n, edits));
        const auto t0 = Clock::now();
        EXPECT_EQ(run_command({kIndexer, "--quiet", "--db", dir / "probe", probe_corpus}).exit_code,
                  0);
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    };
    const long full = timed_run(0);
    const long bulk = timed_run(kBulkEdits);
    const long direct = timed_run(kDirectEdits);

    std::mt19937 rng(20261127);
    int killed = 0;
    for (int round = 0; round < 20; ++round) {
        const std::string when = "after kill " + std::to_string(round + 1);
        // From the third round on, each run has work besides finishing the last one: a third
        // of the articles edited (a bulk rebuild) or a few (an update in place), and one
        // article deleted and one added.
        if (round >= 2) {
            const int edits = round % 2 == 0 ? kBulkEdits : kDirectEdits;
            for (int e = 0; e < edits; ++e) {
                const int n = static_cast<int>(rng() % kArticles);
                write_file(article_path(corpus, n), synthetic_article(n, ++version[n]));
            }
            fs::remove(article_path(corpus, round));
            write_file(article_path(corpus, kArticles + round),
                       synthetic_article(kArticles + round, 0));
        }
        const long span = round < 2 ? full : round % 2 == 0 ? bulk : direct;
        std::uniform_int_distribution<long> moment(0, span * 9 / 10);
        const pid_t pid =
            spawn_command({kIndexer, "--quiet", "--db", db, corpus}, dir / "out", dir / "err");
        std::this_thread::sleep_for(std::chrono::milliseconds(moment(rng)));
        ::kill(pid, SIGKILL);
        const int status = wait_command(pid);
        if (status == 128 + SIGKILL) ++killed;

        const std::string index = readable_index(db);
        if (index.empty()) {
            // Killed before its first commit: there is no index, and the searcher says so.
            const CommandResult s = run_command({kSearcher, "--db", db, "harbour"});
            EXPECT_EQ(s.exit_code, 2) << when;
            EXPECT_NE(s.err.find("no index at"), std::string::npos) << when << s.err;
            continue;
        }
        const CommandResult check = run_command({kXapianCheck, index});
        EXPECT_EQ(check.exit_code, 0) << when << ": xapian-check " << index << "\n" << check.out;
        const CommandResult s = run_command({kSearcher, "--db", db, "-n", "1", "harbour"});
        EXPECT_LE(s.exit_code, 1) << when << ": " << s.err;
        expect_no_duplicates(index, when);
    }
    std::cout << "[ killed  ] " << killed << " of 20 runs were killed mid-run (runs take " << full
              << " / " << bulk << " / " << direct << " ms here: build / bulk / in place)\n";
    EXPECT_GE(killed, 12) << "most kills must land while the indexer runs";

    // A rerun ends with exactly one document per article file, each at its latest version.
    const CommandResult last = run_command({kIndexer, "--quiet", "--db", db, corpus});
    ASSERT_EQ(last.exit_code, 0) << last.err;
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(corpus)) files += e.is_regular_file();
    Xapian::Database d(db);
    EXPECT_EQ(d.get_doccount(), files);
    expect_no_duplicates(db, "after the rerun");
    for (int n = 0; n < kArticles; n += 97) {
        if (!fs::exists(article_path(corpus, n))) continue;
        Xapian::Enquire e(d);
        e.set_query(Xapian::Query("Qhttps://synthetic.example.org/" + std::to_string(n)));
        const Xapian::MSet m = e.get_mset(0, 1);
        ASSERT_EQ(m.size(), 1u) << n;
        EXPECT_NE(
            m.begin().get_document().get_data().find("version" + std::to_string(version[n]) + "."),
            std::string::npos)
            << "article " << n << " is at its latest edit";
    }
    const CommandResult again = run_command({kIndexer, "--db", db, corpus});
    EXPECT_NE(again.out.find("(0 new, 0 updated, " + std::to_string(files) + " unchanged"),
              std::string::npos)
        << again.out;
}

// A signal that asks the indexer to stop (Ctrl-C, kill, a closed terminal) during a first
// build: the work so far is committed and said so, exit 130, no scratch folder left behind, and
// the next run completes it.
void expect_stop_on_signal_commits_the_work(int signal) {
    const Workspace w;
    const std::string& db = w.db;
    const std::string& corpus = w.corpus;
    const pid_t pid = w.start_indexer_and_wait_for_index();
    ASSERT_NE(pid, 0) << "no index after 60 s: " << read_file(w.dir / "err");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(pid, signal);
    const int status = wait_command(pid);
    if (status == 0) GTEST_SKIP() << "the run finished before the signal arrived";
    EXPECT_EQ(status, 130);
    EXPECT_EQ(read_file(w.dir / "err"),
              "indexer: interrupted; the work so far is committed \xE2\x80\x94 run the same "
              "command again to finish\n");
    EXPECT_FALSE(fs::exists(db + ".build")) << "scratch shards removed";
    EXPECT_FALSE(fs::exists(db + ".new"));
    if (fs::exists(kXapianCheck)) {
        EXPECT_EQ(run_command({kXapianCheck, db}).exit_code, 0);
    }
    const Xapian::doccount kept = Xapian::Database(db).get_doccount();
    const CommandResult again = run_command({kIndexer, "--db", db, corpus});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const std::string left = std::to_string(3000 - kept);
    EXPECT_EQ(again.out.rfind("indexed " + left + (left == "1" ? " article (" : " articles (") +
                                  left + " new, 0 updated, " + std::to_string(kept) + " unchanged",
                              0),
              0u)
        << again.out;
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 3000u);
}

TEST(CrashSafety, SigtermCommitsTheWorkSoFarAndSaysSo) {
    expect_stop_on_signal_commits_the_work(SIGTERM);
}

// Issue #10: closing the terminal (SIGHUP) lost a first build (exit 129, a scratch folder left).
TEST(CrashSafety, SighupFromAClosedTerminalCommitsTheWorkSoFar) {
    expect_stop_on_signal_commits_the_work(SIGHUP);
}

TEST(Concurrency, SearchersNeverFailWhileTheIndexerUpdates) {
    const Workspace w;
    const TempDir& dir = w.dir;
    const std::string& corpus = w.corpus;
    const std::string& db = w.db;
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, corpus}).exit_code, 0);

    // One batch searcher (one process, one open index, many queries) and a loop of single
    // searches run while the indexer updates the index in place and rebuilds it in bulk.
    std::string batch;
    for (int q = 0; q < 4000; ++q)
        batch += "q" + std::to_string(q) + "\tharbour " + (q % 2 ? "talks" : "storm") + "\n";
    write_file(dir / "queries.tsv", batch);
    const pid_t batch_pid =
        spawn_command({kSearcher, "--db", db, "--batch", dir / "queries.tsv", "-n", "3"},
                      dir / "batch.out", dir / "batch.err");
    std::atomic<bool> done{false};
    std::vector<int> single_codes;
    std::thread singles([&] {
        while (!done) {
            single_codes.push_back(
                run_command({kSearcher, "--db", db, "-n", "3", "harbour"}).exit_code);
        }
    });
    std::mt19937 rng(7);
    std::vector<int> version(kArticles, 0);
    int updates = 0;
    for (; updates < 6; ++updates) {
        const int edits = updates % 2 == 0 ? kDirectEdits : kBulkEdits;
        for (int e = 0; e < edits; ++e) {
            const int n = static_cast<int>(rng() % kArticles);
            write_file(article_path(corpus, n), synthetic_article(n, ++version[n]));
        }
        const CommandResult r = run_command({kIndexer, "--quiet", "--db", db, corpus});
        EXPECT_EQ(r.exit_code, 0) << r.err;  // not ASSERT: the searchers must be joined
        if (r.exit_code != 0) break;
    }
    done = true;
    singles.join();
    const int batch_status = wait_command(batch_pid);
    EXPECT_EQ(batch_status, 0) << read_file(dir / "batch.err");
    EXPECT_EQ(read_file(dir / "batch.err"), "");
    const std::string out = read_file(dir / "batch.out");
    EXPECT_EQ(static_cast<int>(std::count(out.begin(), out.end(), '\n')), 4000);
    EXPECT_GE(single_codes.size(), 6u);
    for (int code : single_codes) EXPECT_EQ(code, 0);
}

TEST(Concurrency, ASecondIndexerIsTurnedAwayAtOnce) {
    const Workspace w;
    const std::string& db = w.db;
    const std::string& corpus = w.corpus;
    const pid_t first = w.start_indexer_and_wait_for_index();
    ASSERT_NE(first, 0) << "no index after 60 s: " << read_file(w.dir / "err");
    const auto t0 = Clock::now();
    const CommandResult second = run_command({kIndexer, "--quiet", "--db", db, corpus});
    const auto took = Clock::now() - t0;
    const int first_status = wait_command(first);
    if (first_status == 0 && second.exit_code == 0)
        GTEST_SKIP() << "the first indexer finished before the second started";
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_EQ(second.err.substr(0, second.err.find('\n')),
              "indexer: error: index '" + db + "' is locked by another indexer");
    EXPECT_LT(took, std::chrono::seconds(1)) << "turned away at once, not after listing files";
    EXPECT_EQ(first_status, 0);
}

}  // namespace
}  // namespace newsidx::test
