#include "newsidx/indexer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "index_writer.hpp"
#include "document.hpp"
#include "newsidx/error.hpp"
#include "newsidx/index_set.hpp"
#include "schema.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace fs = std::filesystem;
namespace {

class RecordingObserver : public IndexObserver {
  public:
    void on_rejected(const RecordError& e) override { rejected.push_back(e.to_string()); }
    void on_warning(const std::string& line) override { warnings.push_back(line); }
    void on_progress(std::uint64_t done, std::uint64_t total, std::uint64_t,
                     std::uint64_t) override {
        last_done = done;
        last_total = total;
    }
    void on_listed(std::uint64_t files, std::uint64_t) override {
        listed = files;
        if (when_listed) when_listed();
    }
    std::vector<std::string> rejected, warnings;
    std::uint64_t last_done = 0, last_total = 0, listed = 0;
    std::function<void()> when_listed;  ///< runs between listing the files and reading them
};

// Every behaviour holds whether the run updates the index in place or builds shards.
class IndexerTest : public ::testing::TestWithParam<BuildMode> {
  protected:
    std::string corpus() const { return dir_ / "corpus"; }
    std::string db() const { return dir_ / "db"; }

    void add(const std::string& name, const std::string& title, const std::string& url,
             const std::string& body = "Some body text about the news.") {
        write_file(corpus() + "/" + name, article_text(title, "20220208", url, body));
    }

    IndexStats index(IndexOptions opts = {}, std::function<void()> when_listed = {}) {
        observer_ = RecordingObserver();
        observer_.when_listed = std::move(when_listed);
        opts.db_path = db();
        if (opts.inputs.empty()) opts.inputs = {corpus()};
        if (opts.mode == BuildMode::Auto) opts.mode = GetParam();
        return run_index(opts, observer_);
    }

    // The options of `indexer --shards N --db DIR/set` over the corpus.
    IndexOptions set_of(unsigned shards) const {
        IndexOptions o;
        o.shards = shards;
        o.mode = GetParam();
        o.inputs = {corpus()};
        o.db_path = dir_ / "set";
        return o;
    }

    Xapian::doccount doc_count() const { return Xapian::Database(db()).get_doccount(); }

    std::vector<std::string> titles_for(const std::string& url) const {
        Xapian::Database d(db());
        std::vector<std::string> out;
        for (auto it = d.postlist_begin("Q" + url); it != d.postlist_end("Q" + url); ++it) {
            const std::string data = d.get_document(*it).get_data();
            out.push_back(data.substr(0, data.find('\0')));  // the record's first field
        }
        return out;
    }

    TempDir dir_;
    RecordingObserver observer_;
};

TEST_P(IndexerTest, IndexesGoodFilesAndReportsBadOnesWithoutLosingTheRest) {
    add("a.txt", "First", "https://x.org/a");
    add("sub/deeper/b.txt", "Second", "https://x.org/b");
    write_file(corpus() + "/bad.txt", "Title\n20221341\nhttps://x.org/bad\nbody\n");
    write_file(corpus() + "/notes.md", "not an article");
    const IndexStats s = index();
    EXPECT_EQ(s.added, 2u);
    EXPECT_EQ(s.rejected, 1u);
    EXPECT_EQ(s.files, 3u) << "only *.txt files count";
    EXPECT_EQ(doc_count(), 2u);
    EXPECT_EQ(observer_.rejected,
              (std::vector<std::string>{corpus() + "/bad.txt:2: impossible date 20221341"}));
    EXPECT_EQ(observer_.last_done, 3u);
    EXPECT_EQ(observer_.last_total, 3u);
}

TEST_P(IndexerTest, ReindexingUnchangedFilesChangesNothing) {
    add("a.txt", "First", "https://x.org/a");
    add("b.txt", "Second", "https://x.org/b");
    index();
    const IndexStats s = index();
    EXPECT_EQ(s.added, 0u);
    EXPECT_EQ(s.updated, 0u);
    EXPECT_EQ(s.unchanged, 2u);
    EXPECT_EQ(s.bytes_read, 0u) << "unchanged files are not even read";
    EXPECT_EQ(doc_count(), 2u);
    // Issue #10, item 7: a run that wrote nothing does not say it indexed the unchanged files.
    EXPECT_EQ(summary_line(s).substr(0, 76),
              "indexed 0 articles (0 new, 0 updated, 2 unchanged, 0 removed, 0 rejected) in");
    EXPECT_EQ(summary_line(s).find("articles/s"), std::string::npos) << "no rate of nothing";
}

TEST_P(IndexerTest, EditedFileIsReplacedNotDuplicated) {
    add("a.txt", "First", "https://x.org/a");
    index();
    add("a.txt", "First, corrected", "https://x.org/a", "A longer corrected body.");
    const IndexStats s = index();
    EXPECT_EQ(s.updated, 1u);
    EXPECT_EQ(s.added, 0u);
    EXPECT_EQ(titles_for("https://x.org/a"), (std::vector<std::string>{"First, corrected"}));
}

TEST_P(IndexerTest, TouchedButIdenticalFileCountsAsUnchanged) {
    add("a.txt", "First", "https://x.org/a");
    index();
    std::filesystem::last_write_time(
        corpus() + "/a.txt", std::filesystem::file_time_type::clock::now() + std::chrono::hours(1));
    IndexStats s = index();
    EXPECT_EQ(s.unchanged, 1u);
    EXPECT_EQ(s.updated, 0u);
    s = index();
    EXPECT_EQ(s.bytes_read, 0u) << "the new mtime was remembered";
}

TEST_P(IndexerTest, DeletedFileIsRemoved) {
    add("a.txt", "First", "https://x.org/a");
    add("b.txt", "Second", "https://x.org/b");
    index();
    std::filesystem::remove(corpus() + "/a.txt");
    const IndexStats s = index();
    EXPECT_EQ(s.removed, 1u);
    EXPECT_EQ(s.unchanged, 1u);
    EXPECT_EQ(doc_count(), 1u);
    EXPECT_TRUE(titles_for("https://x.org/a").empty());
}

TEST_P(IndexerTest, FilesOutsideTheGivenPathsAreKept) {
    add("one/a.txt", "First", "https://x.org/a");
    add("two/b.txt", "Second", "https://x.org/b");
    index();
    IndexOptions only_one;
    only_one.inputs = {corpus() + "/one"};
    const IndexStats s = index(only_one);
    EXPECT_EQ(s.removed, 0u);
    EXPECT_EQ(doc_count(), 2u);
}

TEST_P(IndexerTest, FileWhoseUrlChangedLeavesNoStaleArticle) {
    add("a.txt", "First", "https://x.org/old");
    index();
    add("a.txt", "First", "https://x.org/new", "Another body.");
    index();
    EXPECT_EQ(doc_count(), 1u);
    EXPECT_TRUE(titles_for("https://x.org/old").empty());
    EXPECT_EQ(titles_for("https://x.org/new"), (std::vector<std::string>{"First"}));
}

TEST_P(IndexerTest, SameUrlInTwoFilesKeepsOneArticleAndSaysSo) {
    add("a.txt", "Earlier copy", "https://x.org/same");
    add("b.txt", "Later copy", "https://x.org/same");
    IndexStats s = index();
    EXPECT_EQ(doc_count(), 1u);
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Later copy"}));
    EXPECT_EQ(observer_.warnings,
              (std::vector<std::string>{corpus() + "/b.txt:3: warning: same URL as " + corpus() +
                                        "/a.txt; this later file replaces it"}));
    // Issue #10, item 1: one article, new; the earlier file is counted as superseded.
    EXPECT_EQ(s.added, 1u);
    EXPECT_EQ(s.updated, 0u);
    EXPECT_EQ(s.superseded, 1u);
    s = index();
    EXPECT_EQ(s.unchanged, 1u) << "stable on the next run";
    EXPECT_EQ(s.superseded, 1u);
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Later copy"}));
}

// Issue #10, item 1: the later file of a pair goes; the earlier one, unchanged and unread
// since, holds the URL again in the same run.
TEST_P(IndexerTest, DeletingTheLaterOfTwoFilesWithOneUrlBringsBackTheEarlier) {
    add("a.txt", "Earlier copy", "https://x.org/same");
    add("b.txt", "Later copy", "https://x.org/same");
    index();
    fs::remove(corpus() + "/b.txt");
    IndexStats s = index();
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Earlier copy"}));
    EXPECT_EQ(s.removed, 1u);
    EXPECT_EQ(s.articles(), 1u);
    EXPECT_EQ(s.unchanged, 0u);
    EXPECT_EQ(observer_.warnings,
              (std::vector<std::string>{corpus() + "/a.txt:3: note: indexed again: no later file "
                                                   "has its URL any more"}));
    s = index();
    EXPECT_EQ(s.unchanged, 1u) << "stable on the next run";
    EXPECT_EQ(s.articles(), 0u);
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Earlier copy"}));
}

// Issue #10, item 1: editing the earlier file of a pair does not make it win, and the
// warning names the file that does.
TEST_P(IndexerTest, EditingTheEarlierOfTwoFilesWithOneUrlDoesNotMakeItWin) {
    add("a.txt", "Earlier copy", "https://x.org/same");
    add("b.txt", "Later copy", "https://x.org/same");
    index();
    add("a.txt", "Earlier copy, edited", "https://x.org/same", "A longer body than before.");
    const IndexStats s = index();
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Later copy"}));
    EXPECT_EQ(observer_.warnings,
              (std::vector<std::string>{corpus() + "/a.txt:3: warning: same URL as " + corpus() +
                                        "/b.txt, a later file; this one is not indexed"}));
    EXPECT_EQ(s.superseded, 1u);
    EXPECT_EQ(s.articles(), 0u);
    // ... and once the later file goes, the edited earlier one is what the index holds.
    fs::remove(corpus() + "/b.txt");
    index();
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Earlier copy, edited"}));
}

// Issue #10, item 1 (found by a newcomer's review): a run over one folder of an index built
// from two weighs the files of the other folder too: the later path still wins.
TEST_P(IndexerTest, ARunOverOneFolderDoesNotLetAnEarlierFileWinOverAnotherFolders) {
    add("a/x.txt", "Alpha", "https://x.org/same");
    add("b/x.txt", "Beta", "https://x.org/same");
    index();
    add("a/x.txt", "Alpha, edited", "https://x.org/same", "A longer body than before.");
    IndexOptions only_a;
    only_a.inputs = {corpus() + "/a"};
    IndexStats s = index(only_a);
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Beta"}));
    EXPECT_EQ(s.superseded, 1u);
    // The other way round: a later file in the folder indexed replaces the outside one, whose
    // state then says it does not hold the article.
    add("b/x.txt", "Beta", "https://x.org/other");
    add("c/x.txt", "Gamma", "https://x.org/same");
    index();  // b now has its own URL; a holds "same" again... until c takes it
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Gamma"}));
    add("a/x.txt", "Alpha, edited twice", "https://x.org/same", "Another body.");
    s = index(only_a);
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Gamma"}));
    s = index();
    EXPECT_EQ(s.articles(), 0u) << "nothing left to fix";
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Gamma"}));
}

// Issue #10, items 1 and 7: a run that changes nothing counts the files whose URL a later
// file holds as superseded, as a rebuild does.
TEST_P(IndexerTest, ARunThatChangesNothingCountsSupersededFilesAsARebuildDoes) {
    add("a.txt", "Earlier copy", "https://x.org/same");
    add("b.txt", "Later copy", "https://x.org/same");
    add("c.txt", "Other", "https://x.org/c");
    IndexOptions rebuild;
    rebuild.rebuild = true;
    IndexStats s = index(rebuild);
    EXPECT_EQ(s.added, 2u);
    EXPECT_EQ(s.superseded, 1u);
    s = index();
    EXPECT_EQ(s.unchanged, 2u);
    EXPECT_EQ(s.superseded, 1u);
}

// Issue #10, item 1: a run stopped before it read the earlier file again leaves the next
// run to do it (the file's recorded state says that the index lacks its article).
TEST_P(IndexerTest, ARunStoppedBeforeBringingBackAnArticleLeavesItToTheNextRun) {
    add("a.txt", "Earlier copy", "https://x.org/same");
    add("b.txt", "Later copy", "https://x.org/same");
    index();
    fs::remove(corpus() + "/b.txt");
    std::atomic<bool> stop{true};
    IndexOptions stopped;
    stopped.stop = &stop;
    EXPECT_TRUE(index(stopped).interrupted);
    EXPECT_EQ(doc_count(), 0u) << "b.txt's article went with it";
    const IndexStats s = index();
    EXPECT_EQ(s.articles(), 1u);
    EXPECT_EQ(titles_for("https://x.org/same"), (std::vector<std::string>{"Earlier copy"}));
}

// Issue #10, item 1: a file that turns bad loses its article, as a rebuild would, and is
// reported again on every run until it is fixed.
TEST_P(IndexerTest, AFileThatTurnsBadLosesItsArticleAndIsReportedUntilFixed) {
    add("a.txt", "Good", "https://x.org/a");
    index();
    write_file(corpus() + "/a.txt", "Title only\n");
    IndexStats s = index();
    EXPECT_EQ(s.rejected, 1u);
    EXPECT_EQ(doc_count(), 0u);
    s = index();
    EXPECT_EQ(s.rejected, 1u) << "reported again";
    add("a.txt", "Fixed", "https://x.org/a");
    s = index();
    EXPECT_EQ(s.added, 1u);
    EXPECT_EQ(titles_for("https://x.org/a"), (std::vector<std::string>{"Fixed"}));
}

TEST_P(IndexerTest, RebuildStartsFromEmpty) {
    add("a.txt", "First", "https://x.org/a");
    index();
    IndexOptions rebuild;
    rebuild.rebuild = true;
    const IndexStats s = index(rebuild);
    EXPECT_EQ(s.added, 1u);
    EXPECT_EQ(doc_count(), 1u);
}

TEST_P(IndexerTest, RebuildReplacesTheIndexOnlyOnceComplete) {
    add("a.txt", "First", "https://x.org/a");
    add("b.txt", "Second", "https://x.org/b");
    index();
    std::filesystem::remove(corpus() + "/b.txt");
    add("c.txt", "Third", "https://x.org/c");
    // Interrupted before it read anything: the old index is untouched.
    std::atomic<bool> stop{true};
    IndexOptions interrupted;
    interrupted.rebuild = true;
    interrupted.stop = &stop;
    const IndexStats s = index(interrupted);
    EXPECT_TRUE(s.interrupted);
    EXPECT_EQ(s.added, 0u);
    EXPECT_EQ(titles_for("https://x.org/b"), (std::vector<std::string>{"Second"}));
    EXPECT_TRUE(titles_for("https://x.org/c").empty());
    EXPECT_FALSE(std::filesystem::exists(db() + ".build"));
    // Complete: exactly what the files say now.
    IndexOptions rebuild;
    rebuild.rebuild = true;
    EXPECT_EQ(index(rebuild).added, 2u);
    EXPECT_EQ(doc_count(), 2u);
    EXPECT_TRUE(titles_for("https://x.org/b").empty());
    EXPECT_EQ(titles_for("https://x.org/c"), (std::vector<std::string>{"Third"}));
}

TEST_P(IndexerTest, RebuildReplacesAnIndexOfAnotherSchemaOrLanguage) {
    add("a.txt", "Running", "https://x.org/a");
    index();
    {
        Xapian::WritableDatabase w(db());
        w.set_metadata(std::string(schema::kVersion.key), "1");
        w.commit();
    }
    IndexOptions rebuild;
    rebuild.rebuild = true;
    rebuild.language = "none";
    EXPECT_EQ(index(rebuild).added, 1u);
    Xapian::Database d(db());
    EXPECT_EQ(d.get_metadata(std::string(schema::kVersion.key)),
              std::to_string(schema::kSchemaVersion));
    EXPECT_EQ(d.get_metadata(std::string(schema::kLanguage.key)), "none");
    EXPECT_TRUE(d.term_exists("running")) << "unstemmed now";
}

TEST_P(IndexerTest, ABulkUpdateRecordsTheNewStateOfEveryFile) {
    // Found by the kill -9 test: merging shards into the old index, Xapian's compaction took
    // the old index's state of an edited file whose path comes right after a new file's (the
    // merge breaks such ties arbitrarily), so that the next run read the file again.
    auto path = [](int i, const std::string& suffix) {
        return "d" + std::to_string(i % 7) + "/f" + std::to_string(i) + suffix + ".txt";
    };
    for (int i = 0; i < 1200; ++i) add(path(i, ""), "Title", "https://x.org/" + std::to_string(i));
    index();
    for (unsigned jobs : {1u, 2u}) {
        for (int i = 0; i < 1200; i += 2) {
            add(path(i, ""), "Edited", "https://x.org/" + std::to_string(i),
                "A new body " + std::to_string(jobs));
            // "f8-3.txt" sorts just before "f8.txt", and the old index has no state for it.
            add(path(i, "-" + std::to_string(jobs)), "New",
                "https://x.org/new/" + std::to_string(jobs) + "/" + std::to_string(i));
        }
        IndexOptions bulk;
        bulk.mode = BuildMode::Bulk;
        bulk.jobs = jobs;
        const IndexStats s = index(bulk);
        EXPECT_EQ(s.added, 600u);
        EXPECT_EQ(s.updated, 600u);
        const IndexStats again = index();
        EXPECT_EQ(again.unchanged, 1200u + 600u * jobs) << jobs << " job(s)";
        EXPECT_EQ(again.updated, 0u) << jobs << " job(s): states left behind";
    }
}

TEST_P(IndexerTest, OneAndTwoWorkersBuildTheSameIndex) {
    for (int i = 0; i < 300; ++i)
        add("f" + std::to_string(i) + ".txt", "Title " + std::to_string(i),
            "https://x.org/" + std::to_string(i % 250));  // 50 URLs appear twice
    // For a URL in two files the later path wins: f250.txt over f0.txt, but f5.txt over f255.txt.
    auto winners_ok = [&] {
        for (int u = 0; u < 50; ++u) {
            const std::string a = "f" + std::to_string(u) + ".txt";
            const std::string b = "f" + std::to_string(u + 250) + ".txt";
            const std::string expected =
                "Title " + std::to_string(std::max(a, b) == a ? u : u + 250);
            if (titles_for("https://x.org/" + std::to_string(u)) !=
                std::vector<std::string>{expected})
                return false;
        }
        return true;
    };
    IndexOptions one;
    one.jobs = 1;
    index(one);
    EXPECT_EQ(doc_count(), 250u);
    EXPECT_TRUE(winners_ok());
    IndexOptions two;
    two.jobs = 2;
    two.rebuild = true;
    index(two);
    EXPECT_EQ(doc_count(), 250u);
    EXPECT_TRUE(winners_ok());
    EXPECT_EQ(observer_.warnings.size(), 50u);
    const IndexStats again = index();
    EXPECT_EQ(again.unchanged, 250u) << "stable on the next run";
    EXPECT_EQ(again.superseded, 50u);
    EXPECT_EQ(again.articles(), 0u);
    EXPECT_TRUE(winners_ok());
}

TEST_P(IndexerTest, ResumesAfterACrashBetweenTheRenamesOfASwap) {
    add("a.txt", "First", "https://x.org/a");
    add("b.txt", "Second", "https://x.org/b");
    index();
    // As if a bulk run died after moving the old index aside, with its scratch folders left.
    std::filesystem::rename(db(), db() + ".old");
    std::filesystem::create_directories(db() + ".build/shard-0");
    std::filesystem::create_directories(db() + ".new");
    const IndexStats s = index();
    EXPECT_EQ(s.unchanged, 2u);
    EXPECT_EQ(doc_count(), 2u);
    EXPECT_FALSE(std::filesystem::exists(db() + ".old"));
    if (GetParam() == BuildMode::Bulk) {
        EXPECT_FALSE(std::filesystem::exists(db() + ".build"));
        EXPECT_FALSE(std::filesystem::exists(db() + ".new"));
    }
}

TEST_P(IndexerTest, RejectsFilesOverMaxSize) {
    add("big.txt", "Big", "https://x.org/big", std::string(5000, 'x'));
    IndexOptions small;
    small.max_size = 1000;
    const IndexStats s = index(small);
    EXPECT_EQ(s.rejected, 1u);
    ASSERT_EQ(observer_.rejected.size(), 1u);
    EXPECT_EQ(observer_.rejected[0],
              corpus() + "/big.txt:1: file too large (5032 bytes; --max-size is 1000)");
}

TEST_P(IndexerTest, AFileThatVanishesDuringTheRunIsReportedAndTheRestIndexed) {
    add("a.txt", "Stays", "https://x.org/a");
    add("b.txt", "Vanishes", "https://x.org/b");
    add("c.txt", "Stays too", "https://x.org/c");
    const IndexStats s = index({}, [&] { std::filesystem::remove(corpus() + "/b.txt"); });
    EXPECT_EQ(observer_.listed, 3u);
    EXPECT_EQ(s.added, 2u);
    EXPECT_EQ(s.rejected, 1u);
    EXPECT_EQ(observer_.rejected,
              (std::vector<std::string>{corpus() +
                                        "/b.txt:1: cannot read file: No such file or directory"}));
    EXPECT_EQ(doc_count(), 2u);
    // The next run does not know the file at all.
    const IndexStats again = index();
    EXPECT_EQ(again.unchanged, 2u);
    EXPECT_EQ(again.rejected, 0u);
}

TEST_P(IndexerTest, MissingInputIsAUsageError) {
    IndexOptions o;
    o.inputs = {dir_ / "nope"};
    try {
        index(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::BadOption);
        EXPECT_EQ(std::string(e.what()), "input '" + (dir_ / "nope") + "' does not exist");
    }
}

TEST_P(IndexerTest, KeepsTheStemmingLanguageOfTheIndex) {
    add("a.txt", "First", "https://x.org/a");
    IndexOptions french;
    french.language = "french";
    index(french);
    EXPECT_EQ(Xapian::Database(db()).get_metadata(std::string(schema::kLanguage.key)), "french");
    EXPECT_EQ(index().unchanged, 1u) << "no --lang means the index's own";
    IndexOptions english;
    english.language = "english";
    try {
        index(english);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::BadOption);
        EXPECT_EQ(std::string(e.what()),
                  "index '" + db() + "' was built with --lang french, not english");
    }
}

TEST_P(IndexerTest, ARebuildKeepsTheAnalyzerUnlessLangNamesAnother) {
    add("a.txt", "Les négociations internationales", "https://x.org/a");
    IndexOptions french;
    french.language = "french";
    index(french);
    IndexOptions rebuild;
    rebuild.rebuild = true;
    index(rebuild);
    const auto analyzer = [&] {
        return Xapian::Database(db()).get_metadata(std::string(schema::kLanguage.key));
    };
    EXPECT_EQ(analyzer(), "french") << "a rebuild without --lang keeps the index's analyzer";
    EXPECT_TRUE(Xapian::Database(db()).term_exists("XAfrench"));
    EXPECT_TRUE(Xapian::Database(db()).term_exists("international")) << "stemmed as French";
    rebuild.language = "english";
    index(rebuild);
    EXPECT_EQ(analyzer(), "english") << "--rebuild --lang changes it";
    EXPECT_TRUE(Xapian::Database(db()).term_exists("XAenglish"));
}

TEST_P(IndexerTest, RefusesAnIndexOfAnotherSchemaVersion) {
    add("a.txt", "First", "https://x.org/a");
    index();
    {
        Xapian::WritableDatabase w(db());
        w.set_metadata(std::string(schema::kVersion.key), "1");
        w.commit();
    }
    try {
        index();
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
        EXPECT_EQ(std::string(e.what()),
                  "index '" + db() + "' has schema version 1; this indexer writes version " +
                      std::to_string(schema::kSchemaVersion));
        EXPECT_EQ(e.hint(), "re-index with: indexer --rebuild --db " + db() + " PATH...");
    }
}

TEST_P(IndexerTest, SecondWriterIsToldTheIndexIsLocked) {
    add("a.txt", "First", "https://x.org/a");
    index();
    Xapian::WritableDatabase holder(db());
    try {
        index();
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::IndexLocked);
        EXPECT_EQ(std::string(e.what()), "index '" + db() + "' is locked by another indexer");
    }
}

// Writes `count` articles with `body` under dir/c (URLs x.org/0 ...) and returns bulk-run
// options that index them into dir/db.
IndexOptions bulk_corpus(const TempDir& dir, int count, const std::string& body) {
    for (int i = 0; i < count; ++i)
        write_file(dir / ("c/f" + std::to_string(1000 + i) + ".txt"),
                   article_text("Title " + std::to_string(i), "20220208",
                                "https://x.org/" + std::to_string(i), body));
    IndexOptions o;
    o.db_path = dir / "db";
    o.inputs = {dir / "c"};
    o.mode = BuildMode::Bulk;
    return o;
}

// Stopped (Ctrl-C) in the middle of a bulk update, the workers have written files into their
// shards that the run never took: those must not reach the index beside their old articles
// (two documents with one URL), and the next run must read them again.
TEST(IndexerInterrupt, AStoppedBulkUpdateLeavesNoTwinAndTheNextRunCompletesIt) {
    TempDir dir;
    IndexOptions o = bulk_corpus(dir, 400, "First body.");
    o.jobs = 2;
    RecordingObserver quiet;
    run_index(o, quiet);
    bulk_corpus(dir, 400, "Edited body.");
    class StopAfter : public RecordingObserver {
      public:
        std::atomic<bool> stop{false};
        void on_progress(std::uint64_t done, std::uint64_t, std::uint64_t, std::uint64_t) override {
            if (done == 20) stop = true;
        }
    } stopper;
    o.stop = &stopper.stop;
    const IndexStats stopped = run_index(o, stopper);
    EXPECT_TRUE(stopped.interrupted);
    EXPECT_EQ(stopped.updated, 20u);
    const auto twins = [&] {
        Xapian::Database d(o.db_path);
        int n = 0;
        for (int i = 0; i < 400; ++i)
            n += d.get_termfreq("Qhttps://x.org/" + std::to_string(i)) != 1;
        return n;
    };
    EXPECT_EQ(twins(), 0) << "one article per URL";
    EXPECT_EQ(Xapian::Database(o.db_path).get_doccount(), 400u);
    o.stop = nullptr;
    const IndexStats rest = run_index(o, quiet);
    EXPECT_EQ(rest.updated, 380u) << "the files the stopped run did not take are read again";
    EXPECT_EQ(twins(), 0);
    Xapian::Database d(o.db_path);
    EXPECT_EQ(d.get_termfreq("edit"), 400u) << "every article at its edited version";
    EXPECT_EQ(d.get_termfreq("first"), 0u);
    EXPECT_EQ(run_index(o, quiet).unchanged, 400u);
}

// A bulk update that fails half-way (here its observer throws after 20 files, as a full disk
// or a bug would) must leave every article of the index in place: the old versions of the
// files it took are deleted only in the commit that brings their new versions.
TEST(IndexerFailure, AFailedBulkUpdateLosesNoArticle) {
    TempDir dir;
    IndexOptions o = bulk_corpus(dir, 300, "First body.");
    RecordingObserver quiet;
    run_index(o, quiet);
    bulk_corpus(dir, 300, "Edited body.");
    class FailAfter : public RecordingObserver {
      public:
        void on_progress(std::uint64_t done, std::uint64_t, std::uint64_t, std::uint64_t) override {
            if (done == 20) throw std::runtime_error("simulated failure");
        }
    } failing;
    try {
        run_index(o, failing);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Internal);
        EXPECT_EQ(std::string(e.what()), "indexing: simulated failure");
    }
    Xapian::Database d(o.db_path);
    EXPECT_EQ(d.get_doccount(), 300u) << "no old article deleted without its new version";
    EXPECT_EQ(d.get_termfreq("first"), 300u);
    EXPECT_FALSE(std::filesystem::exists(o.db_path + ".build")) << "scratch shards removed";
    const IndexStats next = run_index(o, quiet);
    EXPECT_EQ(next.updated, 300u);
    EXPECT_EQ(Xapian::Database(o.db_path).get_termfreq("edit"), 300u);
}

// A second writer, as a second indexer would open the index, at every moment of a bulk run
// that matters: while the shards are merged (the old index is locked) and after the merged
// index has replaced it (the new index is locked, not only the old folder).
TEST(IndexerLock, CoversTheIndexDuringAndAfterABulkSwap) {
    TempDir dir;
    for (int i = 0; i < 20; ++i)
        write_file(dir / ("c/f" + std::to_string(i) + ".txt"),
                   article_text("Title " + std::to_string(i), "20220208",
                                "https://x.org/" + std::to_string(i), "Body text."));
    class Intruder : public RecordingObserver {
      public:
        explicit Intruder(std::string db) : db_(std::move(db)) {}
        void on_commit() override { attempts.push_back(try_open()); }
        void on_swapped() override { attempts.push_back(try_open()); }
        std::vector<std::string> attempts;

      private:
        std::string try_open() {
            try {
                IndexWriter::open(db_, false, "");
                return "opened";
            } catch (const Error& e) {
                return e.what();
            }
        }
        std::string db_;
    };
    for (bool rebuild : {false, true}) {  // a first build, then a rebuild over the old index
        IndexOptions o;
        o.db_path = dir / "db";
        o.inputs = {dir / "c"};
        o.mode = BuildMode::Bulk;
        o.rebuild = rebuild;
        Intruder intruder(o.db_path);
        run_index(o, intruder);
        const std::string locked = "index '" + o.db_path + "' is locked by another indexer";
        EXPECT_EQ(intruder.attempts, (std::vector<std::string>{locked, locked})) << rebuild;
        EXPECT_NO_THROW(IndexWriter::open(o.db_path, false, "")) << "released at the end";
        EXPECT_EQ(Xapian::Database(o.db_path).get_doccount(), 20u);
    }
}

// A URL whose article belongs to shard `k` of `n`, the `i`-th such.
std::string url_in_shard(unsigned k, unsigned n, int i = 0) {
    for (int j = 0;; ++j) {
        const std::string url = "https://news.example.org/s/" + std::to_string(j);
        if (shard_of(id_term_of(url), n) == k && i-- == 0) return url;
    }
}

std::vector<std::string> urls_in(const std::string& path) {
    Xapian::Database db(path);
    std::vector<std::string> out;
    for (auto t = db.allterms_begin("Q"); t != db.allterms_end("Q"); ++t)
        out.push_back((*t).substr(1));
    return out;
}

TEST_P(IndexerTest, ShardsSplitTheArticlesByUrlAndTheSetOpensAsOne) {
    for (int i = 0; i < 12; ++i)
        add("a" + std::to_string(i) + ".txt", "Story " + std::to_string(i),
            "https://news.example.org/s/" + std::to_string(i));
    IndexOptions o = set_of(3);
    const IndexStats stats = run_index(o, observer_);
    EXPECT_EQ(stats.added, 12u);
    EXPECT_EQ(stats.files, 12u);
    EXPECT_EQ(stats.elsewhere, 0u) << "a set's total counts each file once";
    // A first build reads each file's URL once, then each shard reads only its own files.
    std::uint64_t corpus_bytes = 0;
    for (const auto& e : fs::directory_iterator(corpus())) corpus_bytes += e.file_size();
    EXPECT_EQ(stats.bytes_read, corpus_bytes);
    std::size_t total = 0;
    for (unsigned k = 1; k <= 3; ++k) {
        const std::string shard = dir_ / ("set/" + std::to_string(k));
        for (const std::string& url : urls_in(shard))
            EXPECT_EQ(shard_of(id_term_of(url), 3), k) << url;
        total += urls_in(shard).size();
        EXPECT_EQ(IndexWriter::open(shard, false, "").shard(), std::to_string(k) + "/3");
    }
    EXPECT_EQ(total, 12u);
    std::ifstream stub(dir_ / "set/XAPIANDB");
    const std::string text{std::istreambuf_iterator<char>(stub), {}};
    EXPECT_EQ(text.substr(text.find('\n') + 1), "auto 1\nauto 2\nauto 3\n");
    EXPECT_EQ(IndexSet::open({dir_ / "set"}).database().get_doccount(), 12u);

    // The next run reads nothing: every shard has the state of every file.
    const IndexStats again = run_index(o, observer_);
    EXPECT_EQ(again.unchanged, 12u);
    EXPECT_EQ(again.bytes_read, 0u);
    EXPECT_EQ(again.added + again.updated, 0u);

    // A file gone counts once, in the shard that had its article (each has its state).
    fs::remove(corpus() + "/a0.txt");
    const IndexStats gone = run_index(o, observer_);
    EXPECT_EQ(gone.removed, 1u);
    EXPECT_EQ(gone.unchanged, 11u);
    EXPECT_EQ(IndexSet::open({dir_ / "set"}).database().get_doccount(), 11u);
}

TEST_P(IndexerTest, AShardKeepsItsSplitAndRefusesAnother) {
    add("a.txt", "One", url_in_shard(2, 3));
    add("b.txt", "Two", url_in_shard(1, 3));
    add("c.txt", "Three", url_in_shard(2, 3, 1));
    IndexOptions o;
    o.shard = ShardSpec{2, 3};
    IndexStats stats = index(o);
    EXPECT_EQ(stats.added, 2u);
    EXPECT_EQ(stats.elsewhere, 1u);
    EXPECT_NE(summary_line(stats).find("0 rejected, 1 in other shards) in"), std::string::npos)
        << summary_line(stats);
    // Without --shard, a later run keeps the index's own split.
    add("d.txt", "Four", url_in_shard(1, 3, 1));
    stats = index();
    EXPECT_EQ(stats.elsewhere, 2u);
    EXPECT_EQ(doc_count(), 2u);
    try {
        o.shard = ShardSpec{1, 3};
        index(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::BadOption);
        EXPECT_EQ(std::string(e.what()),
                  "index '" + db() + "' is shard 2/3 of a set, not shard 1/3");
        EXPECT_EQ(e.hint(), "to split it otherwise, add --rebuild");
    }
    // A rebuild keeps the split too, unless --shard names another.
    IndexOptions again;
    again.rebuild = true;
    stats = index(again);
    EXPECT_EQ(stats.elsewhere, 2u);
    EXPECT_EQ(doc_count(), 2u);
    o.rebuild = true;
    stats = index(o);
    EXPECT_EQ(stats.added, 2u);
    EXPECT_EQ(urls_in(db()), (std::vector<std::string>{url_in_shard(1, 3), url_in_shard(1, 3, 1)}));
}

// A shard keeps a full state only of its own files; of the others' a fingerprint of 8 bytes
// (path, size, mtime), enough not to read them again (issue #28: sixteen shards took sixteen
// times one index's file states).
TEST_P(IndexerTest, AShardRemembersOtherShardsFilesByFingerprintOnly) {
    add("a.txt", "One", url_in_shard(2, 3));
    add("b.txt", "Two", url_in_shard(1, 3));
    const std::string b = corpus() + "/b.txt";
    IndexOptions o;
    o.shard = ShardSpec{2, 3};
    IndexStats stats = index(o);
    EXPECT_EQ(stats.added, 1u);
    EXPECT_EQ(stats.elsewhere, 1u);
    {
        IndexWriter w = IndexWriter::open(db(), false, "");
        EXPECT_TRUE(w.file_state(corpus() + "/a.txt").has_value());
        EXPECT_FALSE(w.file_state(b).has_value());
        struct stat st {};
        ASSERT_EQ(::stat(b.c_str(), &st), 0);
        EXPECT_EQ(w.elsewhere(),
                  std::vector<std::uint64_t>{IndexWriter::elsewhere_fingerprint(
                      b, fs::file_size(b), st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec)});
    }
    stats = index(o);
    EXPECT_EQ(stats.bytes_read, 0u) << "neither file is read again";
    EXPECT_EQ(stats.elsewhere, 1u);
    EXPECT_EQ(stats.unchanged, 1u);
    // A new mtime: read again, still another shard's.
    fs::last_write_time(b, fs::last_write_time(b) + std::chrono::seconds(5));
    stats = index(o);
    EXPECT_EQ(stats.bytes_read, fs::file_size(b));
    EXPECT_EQ(stats.elsewhere, 1u);
    EXPECT_EQ(stats.added + stats.updated, 0u);
    // Its URL moves into this shard: indexed here, and no longer on the list.
    add("b.txt", "Two, moved", url_in_shard(2, 3, 1));
    stats = index(o);
    EXPECT_EQ(stats.added, 1u);
    EXPECT_EQ(stats.elsewhere, 0u);
    EXPECT_TRUE(IndexWriter::open(db(), false, "").elsewhere().empty());
    EXPECT_EQ(doc_count(), 2u);
}

// A shard without articles may take another split without --rebuild: the files it
// remembered as other shards' are then read again, not skipped.
TEST_P(IndexerTest, AnEmptyShardThatChangesItsSplitForgetsItsFingerprints) {
    add("a.txt", "One", url_in_shard(2, 2));
    add("b.txt", "Two", url_in_shard(2, 2, 1));
    IndexOptions o;
    o.shard = ShardSpec{1, 2};
    IndexStats stats = index(o);
    EXPECT_EQ(stats.elsewhere, 2u);
    EXPECT_EQ(doc_count(), 0u);
    o.shard = ShardSpec{2, 2};
    stats = index(o);
    EXPECT_EQ(stats.added, 2u);
    EXPECT_EQ(stats.elsewhere, 0u);
    EXPECT_EQ(doc_count(), 2u);
}

TEST_P(IndexerTest, AWholeIndexRefusesToBecomeAShard) {
    add("a.txt", "One", url_in_shard(2, 3));
    index();
    IndexOptions o;
    o.shard = ShardSpec{2, 3};
    try {
        index(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "index '" + db() + "' is a whole index, not shard 2/3");
    }
}

TEST_P(IndexerTest, AnArticleWhoseUrlMovesToAnotherShardLeavesItsOldShard) {
    add("a.txt", "One", url_in_shard(1, 2));
    IndexOptions o = set_of(2);
    run_index(o, observer_);
    EXPECT_EQ(urls_in(dir_ / "set/1").size(), 1u);
    add("a.txt", "One, moved", url_in_shard(2, 2));
    const IndexStats stats = run_index(o, observer_);
    EXPECT_EQ(stats.added, 1u) << "new to the shard it moved to";
    EXPECT_EQ(stats.updated, 0u);
    EXPECT_TRUE(urls_in(dir_ / "set/1").empty());
    EXPECT_EQ(urls_in(dir_ / "set/2"), std::vector<std::string>{url_in_shard(2, 2)});
}

TEST_P(IndexerTest, ASetReportsABrokenFileOnce) {
    add("a.txt", "One", url_in_shard(1, 3));
    write_file(corpus() + "/broken.txt", "Title only\n");
    fs::create_symlink("/nonexistent/target.txt", corpus() + "/dangling.txt");
    IndexOptions o = set_of(3);
    const IndexStats stats = run_index(o, observer_);
    EXPECT_EQ(stats.rejected, 1u);
    EXPECT_EQ(observer_.rejected.size(), 1u);
    // What the listing skipped is said once too, not once per shard.
    EXPECT_EQ(std::count(observer_.warnings.begin(), observer_.warnings.end(),
                         corpus() + "/dangling.txt: warning: skipped: a symbolic link to nothing"),
              1);
    EXPECT_EQ(stats.added, 1u);
}

TEST_P(IndexerTest, ASetIsBuiltOnlyInItsOwnFolder) {
    add("a.txt", "One", url_in_shard(1, 3));
    IndexOptions o = set_of(3);
    const auto refused = [&](const std::string& where) -> std::string {
        o.db_path = where;
        try {
            run_index(o, observer_);
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::BadOption);
            return e.what();
        }
        return "not refused";
    };
    index();  // a single index at db()
    EXPECT_EQ(refused(db()), "'" + db() +
                                 "' is a single index; --shards 3 builds a set of "
                                 "shards in a folder of its own");
    EXPECT_EQ(refused(corpus()),
              "'" + corpus() + "' is neither empty nor a set of shards (it holds 'a.txt')");
    o.shards = 2;
    ASSERT_EQ(refused(dir_ / "set"), "not refused");
    o.shards = 3;
    EXPECT_EQ(refused(dir_ / "set"), "'" + (dir_ / "set") + "' holds 2 shards, not 3");
    o.shards = 0;
    o.shard = ShardSpec{1, 2};
    EXPECT_EQ(refused(dir_ / "set"),
              "'" + (dir_ / "set") + "' is a set of 2 shards, not one shard");
}

TEST_P(IndexerTest, AFolderOfOtherFilesIsNotMadeAnIndex) {
    add("a.txt", "One", "https://news.example.org/one");
    write_file(db() + "/important.txt", "keep me\n");
    try {
        index();
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::BadOption);
        EXPECT_EQ(
            std::string(e.what()),
            "'" + db() + "' is a folder of other files (it holds 'important.txt'), not an index");
        EXPECT_EQ(e.hint(), "give --db a new or empty folder");
    }
    EXPECT_TRUE(fs::exists(db() + "/important.txt"));
    // The shards of a set whose first run was stopped, searched for as one index; only when
    // its "1" is an index does the hint say so (issue #26: the command it named was refused).
    fs::remove(db() + "/important.txt");
    fs::create_directories(db() + "/1");
    try {
        index();
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.hint(), "give --db a new or empty folder");
    }
    Xapian::WritableDatabase(db() + "/1", Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS)
        .commit();
    try {
        index();
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.hint(),
                  "a set of shards whose first run was stopped? run the same indexer "
                  "--shards N --db " +
                      db() + " command again");
    }
}

// The list of other shards' files is stored in chunks of 8,192 fingerprints: a list that
// spans chunks reads back whole, and a shorter one leaves no chunk of the longer behind.
TEST(ElsewhereList, SpansChunksAndShrinks) {
    TempDir dir;
    std::vector<std::uint64_t> prints;
    for (std::uint64_t i = 0; i < 20000; ++i) prints.push_back(i * 0x9E3779B97F4A7C15ULL);
    std::sort(prints.begin(), prints.end());
    {
        IndexWriter w = IndexWriter::open(dir / "db", false, "");
        w.set_elsewhere(prints);
        w.commit();
        EXPECT_EQ(w.elsewhere(), prints);
        prints.resize(100);
        w.set_elsewhere(prints);
        w.commit();
        EXPECT_EQ(w.elsewhere(), prints);
    }
    Xapian::Database db(dir / "db");
    std::vector<std::string> keys;
    const std::string prefix(schema::kElsewhere.key);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        keys.push_back(*k);
    EXPECT_EQ(keys, std::vector<std::string>{prefix + "0000"});
}

TEST(ShardSpec, ReadsKOfN) {
    EXPECT_EQ(ShardSpec::parse("2/4"), (ShardSpec{2, 4}));
    EXPECT_EQ(ShardSpec::parse(""), ShardSpec{});
    for (const char* bad :
         {"0/4", "5/4", "a/4", "4", "+1/2", "1/0", "1/", "/2", "1/2/3", " 1/2", "1/5000"})
        EXPECT_FALSE(ShardSpec::parse(bad)) << bad;
    EXPECT_EQ(ShardSpec::parse("3/7")->text(), "3/7");
    // Every article in exactly one shard, about as many in each.
    std::vector<int> count(5, 0);
    for (int i = 0; i < 5000; ++i)
        ++count[shard_of(id_term_of("https://x.example/" + std::to_string(i)), 4)];
    EXPECT_EQ(count[0], 0);
    for (int k = 1; k <= 4; ++k) EXPECT_NEAR(count[static_cast<std::size_t>(k)], 1250, 150) << k;
}

INSTANTIATE_TEST_SUITE_P(Modes, IndexerTest, ::testing::Values(BuildMode::Direct, BuildMode::Bulk),
                         [](const auto& mode_info) {
                             return mode_info.param == BuildMode::Direct ? std::string("Direct")
                                                                         : std::string("Bulk");
                         });

TEST(SummaryLine, MatchesTheDocumentedShape) {
    IndexStats s;
    s.added = 2225;
    s.rejected = 3;
    s.seconds = 4.1;
    s.bytes_read = 4990000;
    s.bytes_written = 4920000;
    EXPECT_EQ(summary_line(s),
              "indexed 2225 articles (2225 new, 0 updated, 0 unchanged, 0 removed, 3 rejected) in "
              "4.1 s \xE2\x80\x94 543 articles/s, 1.2 MB/s");
}

// Issue #26: a rate counts what the run wrote (a shard of --shards N reads every file), and a
// batch of a few articles has no rate worth printing.
TEST(SummaryLine, ARateCountsWhatWasWrittenAndNeedsTenArticles) {
    IndexStats s;
    s.added = 1068;
    s.elsewhere = 1027;
    s.seconds = 0.5;
    s.bytes_read = 4800000;
    s.bytes_written = 2400000;
    EXPECT_NE(summary_line(s).find(" 2136 articles/s, 4.8 MB/s"), std::string::npos)
        << summary_line(s);
    IndexStats one;
    one.added = 1;
    one.seconds = 0.3;
    one.bytes_written = 1000;
    EXPECT_EQ(summary_line(one).find("articles/s"), std::string::npos) << summary_line(one);
}

TEST(SummaryLine, OneArticleIsSingular) {
    IndexStats s;
    s.added = 1;
    s.seconds = 0.5;
    EXPECT_EQ(summary_line(s).substr(0, 27), "indexed 1 article (1 new, 0");
}

}  // namespace
}  // namespace newsidx::test

namespace newsidx::test {
namespace {

// Issue #10, item 7: the time left counts the end of the run (the merge of a bulk run), so it
// is not 0:00 while the shards are still being merged.
TEST(TimeLeft, CountsTheRestOfTheReadingAndTheEnd) {
    EXPECT_DOUBLE_EQ(time_left(10, 50, 100, false), 10 + kDirectFinishShare * 20);
    EXPECT_DOUBLE_EQ(time_left(10, 50, 100, true), 10 + kBulkFinishShare * 20);
    EXPECT_DOUBLE_EQ(time_left(20, 100, 100, true), kBulkFinishShare * 20)
        << "every file read: the merge is still to come";
    EXPECT_LT(time_left(0, 0, 100, true), 0) << "unknown before anything is read";
}

}  // namespace
}  // namespace newsidx::test
