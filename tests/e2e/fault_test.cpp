// Faults around the index, end to end: a disk that fills up, an index the user may not write,
// an index from a newer schema. Each gives a clear error, exit status 1, and an index that is
// as it was before the run.
#include <gtest/gtest.h>
#include <unistd.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;

const std::string kIndexer = NEWSIDX_INDEX_BIN;
const std::string kSearcher = NEWSIDX_SEARCH_BIN;

std::string art(int n, const std::string& body) {
    return "Article " + std::to_string(n) + "\n20220101\nhttps://f.example.org/" +
           std::to_string(n) + "\n" + body + "\n";
}

// `count` articles of about `bytes` each under `dir`.
void write_corpus(const std::string& dir, int first, int count, std::size_t bytes) {
    for (int n = first; n < first + count; ++n) {
        std::string body = "harbour talks ";
        for (int w = 0; body.size() < bytes; ++w)
            body += "word" + std::to_string(n * 131 + w) + " ";
        write_file(dir + "/a" + std::to_string(n) + ".txt", art(n, body));
    }
}

// Runs `script` with sh in a mount namespace of its own, so that what it mounts vanishes with
// it; nullopt when this machine does not allow that (not root, or no CAP_SYS_ADMIN).
std::optional<CommandResult> in_own_mounts(const std::string& script) {
    if (::geteuid() != 0 || run_command({"/usr/bin/unshare", "-m", "true"}).exit_code != 0)
        return std::nullopt;
    return run_command({"/usr/bin/unshare", "-m", "/bin/sh", "-c", script});
}

TEST(Faults, DiskFullIsAClearErrorAndTheIndexIsUnchanged) {
    TempDir dir;
    const std::string mnt = dir / "mnt";
    fs::create_directories(mnt);
    write_corpus(dir / "small", 0, 20, 200);
    write_corpus(dir / "bulk", 100, 2000, 1500);    // over 1,000 files: built in scratch shards
    write_corpus(dir / "direct", 5000, 400, 4000);  // updated in place
    // A 2 MB file system: the first run fits, the other two do not.
    const std::string I = kIndexer + " --quiet --db " + mnt + "/db ";
    const std::string script =
        "mount -t tmpfs -o size=2m tmpfs " + mnt + " || exit 99\n" + I + dir / "small" +
        " >/dev/null; echo first=$?\n" + I + dir / "small " + dir / "bulk" +
        " 2>&1; echo bulk=$?\n" + I + dir / "small " + dir / "direct" + " 2>&1; echo direct=$?\n" +
        "ls " + mnt + "; /usr/bin/xapian-check " + mnt + "/db >/dev/null; echo check=$?\n" +
        kSearcher + " --db " + mnt + "/db --format trec -n 100 harbour | wc -l\n";
    const auto r = in_own_mounts(script);
    if (!r) GTEST_SKIP() << "this machine does not let the test mount a small file system";
    ASSERT_NE(r->exit_code, 99) << r->err;
    const std::string full =
        " (No space left on device)\nindexer: hint: the disk is full: free some space, then run "
        "the same command again (the index is as the last run left it)\n";
    EXPECT_NE(r->out.find("first=0\n"), std::string::npos) << r->out;
    // Scratch shards fill the disk in a bulk run (a worker's or the file states' one, whichever
    // writes first once it is full); the failed run cleans them up.
    EXPECT_NE(r->out.find(" index '" + mnt + "/db.build/"), std::string::npos) << r->out;
    EXPECT_NE(r->out.find(full + "bulk=1\n"), std::string::npos) << r->out;
    // In place, the commit fails and nothing of it is kept.
    EXPECT_NE(r->out.find("indexer: error: committing index '" + mnt + "/db' failed"),
              std::string::npos)
        << r->out;
    EXPECT_NE(r->out.find(full + "direct=1\n"), std::string::npos) << r->out;
    EXPECT_NE(r->out.find("direct=1\ndb\ncheck=0\n20\n"), std::string::npos)
        << "only the index is left, intact, with its 20 articles:\n"
        << r->out;
}

TEST(Faults, AnIndexTheUserMayNotWriteIsAClearError) {
    TempDir dir;
    write_corpus(dir / "c", 0, 5, 100);
    const std::string db = dir / "db";
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, dir / "c"}).exit_code, 0);
    write_corpus(dir / "c", 5, 5, 100);

    // Permissions: as an ordinary user (nobody, when the tests run as root).
    std::vector<std::string> argv{kIndexer, "--db", db, dir / "c"};
    if (::geteuid() == 0) {
        ::chmod(dir.path().c_str(), 0755);
        argv.insert(argv.begin(),
                    {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    } else {
        fs::permissions(db, fs::perms::owner_write, fs::perm_options::remove);
    }
    CommandResult r = run_command(argv);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "indexer: error: cannot write to index '" + db +
                         "': Permission denied\nindexer: hint: index into a folder you can write "
                         "to, e.g. --db ./newsidx.db\n");
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 5u);
    fs::permissions(db, fs::perms::owner_write, fs::perm_options::add);

    // A read-only file system.
    const auto ro =
        in_own_mounts("mount --bind " + dir.path().string() + " " + dir.path().string() +
                      " && mount -o remount,bind,ro " + dir.path().string() + " || exit 99\n" +
                      kIndexer + " --db " + db + " " + dir / "c");
    if (!ro || ro->exit_code == 99) GTEST_SKIP() << "this machine does not allow read-only mounts";
    EXPECT_EQ(ro->exit_code, 1);
    EXPECT_EQ(ro->err, "indexer: error: cannot write to index '" + db +
                           "': Read-only file system\nindexer: hint: index into a folder you can "
                           "write to, e.g. --db ./newsidx.db\n");
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 5u);
}

// An input folder that held articles and now holds none (an unmounted share) removes nothing:
// the run says why and exits 1, the index as it was; --allow-empty says that they are gone.
TEST(Faults, AnEmptiedInputRemovesNothingWithoutAllowEmpty) {
    TempDir dir;
    write_corpus(dir / "share", 0, 5, 100);
    write_corpus(dir / "local", 5, 2, 100);
    const std::string db = dir / "db";
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, "share", "local"}, dir.path().string()).exit_code, 0);
    const Xapian::rev before = Xapian::Database(db).get_revision();
    for (const auto& e : fs::directory_iterator(dir / "share")) fs::remove(e.path());
    CommandResult r = run_command({kIndexer, "--db", db, "share", "local"}, dir.path().string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "share: warning: no article files (*.txt) in this folder or below it\n"
              "indexer: error: input 'share' holds no article files now, but the index has 5 "
              "article files from it (an unmounted share, an emptied folder?); nothing was "
              "changed\nindexer: hint: if they are gone for good, remove them from the index "
              "with: indexer --allow-empty --db " + db + " share\n");
    EXPECT_EQ(Xapian::Database(db).get_revision(), before) << "not a byte written";
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 7u);
    // One file left in it is no unmounted share: the others' removal goes ahead.
    write_corpus(dir / "share", 0, 1, 100);
    r = run_command({kIndexer, "--db", db, "share", "local"}, dir.path().string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 3u);
    fs::remove(dir / "share/a0.txt");
    r = run_command({kIndexer, "--allow-empty", "--db", db, "share", "local"}, dir.path().string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(0 new, 0 updated, 2 unchanged, 1 removed, 0 rejected)"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 2u);
}

// A damaged index (a table cut short, a version file overwritten): the searcher and an
// updating indexer name it damaged and give the hint, which works: --rebuild replaces it.
TEST(Faults, ADamagedIndexIsNamedAndRebuildReplacesIt) {
    for (const std::string table : {"postlist.glass", "iamglass"}) {
        TempDir dir;
        write_corpus(dir / "c", 0, 5, 100);
        const std::string db = dir / "db";
        ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, dir / "c"}).exit_code, 0);
        {
            std::ofstream cut(db + "/" + table, std::ios::binary | std::ios::trunc);
            cut << "garbage";
        }
        const std::string hint = "hint: check it with: xapian-check " + db +
                                 "; rebuild it with: indexer --rebuild --db " + db + " PATH...\n";
        CommandResult r = run_command({kSearcher, "--db", db, "harbour"});
        EXPECT_EQ(r.exit_code, 2) << table;
        EXPECT_EQ(r.err.rfind("searcher: error: index '" + db + "' is damaged (opening index): ", 0),
                  0u)
            << r.err;
        EXPECT_TRUE(r.err.ends_with("searcher: " + hint)) << r.err;
        r = run_command({kIndexer, "--db", db, dir / "c"});
        EXPECT_EQ(r.exit_code, 1) << table;
        EXPECT_TRUE(r.err.ends_with("indexer: " + hint)) << r.err;
        r = run_command({kIndexer, "--rebuild", "--db", db, dir / "c"});
        EXPECT_EQ(r.exit_code, 0) << table << ": " << r.err;
        EXPECT_EQ(Xapian::Database(db).get_doccount(), 5u);
        EXPECT_EQ(run_command({kSearcher, "--db", db, "harbour"}).exit_code, 0);
    }
}

// A filter that every article passes, after one article is deleted: Xapian 1.4.22 read the
// year's postings without their wdf and stopped half way ("Unexpected end of posting list
// for 'Y2022'", taken for a damaged index; issue #26). Filters alone are searched as a filter of
// every document.
TEST(Faults, AFilterOfEveryArticleAnswersAfterADeletion) {
    TempDir dir;
    write_corpus(dir / "c", 0, 1500, 60);
    const std::string db = dir / "db";
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, dir / "c"}).exit_code, 0);
    fs::remove(dir / "c/a7.txt");
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, dir / "c"}).exit_code, 0);
    for (const std::string query : {"date:2022", "date:2022-01", "site:f.example.org"}) {
        const CommandResult r = run_command({kSearcher, "--db", db, "-n", "1", query});
        EXPECT_EQ(r.exit_code, 0) << query << ": " << r.err;
        EXPECT_NE(r.err.find("of 1,499 results"), std::string::npos) << query << ": " << r.err;
    }
}

TEST(Faults, AnIndexFromANewerSchemaIsLeftAlone) {
    TempDir dir;
    write_corpus(dir / "c", 0, 5, 100);
    const std::string db = dir / "db";
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", db, dir / "c"}).exit_code, 0);
    {
        Xapian::WritableDatabase w(db);
        w.set_metadata("newsidx.schema", "11");
        w.commit();
    }
    const Xapian::rev before = Xapian::Database(db).get_revision();
    write_corpus(dir / "c", 5, 5, 100);
    CommandResult r = run_command({kIndexer, "--db", db, dir / "c"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "indexer: error: index '" + db +
                         "' has schema version 11; this indexer writes version 10\nindexer: hint: a "
                         "newer newsidx wrote it: use that one, or start the index again with: "
                         "indexer --rebuild --db " +
                         db + " PATH...\n");
    EXPECT_EQ(Xapian::Database(db).get_revision(), before) << "not a byte written";
    EXPECT_EQ(Xapian::Database(db).get_doccount(), 5u);
    r = run_command({kSearcher, "--db", db, "harbour"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(
        r.err.substr(0, r.err.find('\n')),
        "searcher: error: index '" + db + "' has schema version 11; this searcher reads version 10");
}

// A damaged table that opens but fails when the search reads it (every block of the stored
// articles but the root garbled), in one index of two searched together: exit 2, and the
// message names the damaged index, in either order.
TEST(Faults, ADamagedIndexIsNamedWhicheverMemberItIs) {
    TempDir dir;
    write_corpus(dir / "good", 0, 3, 100);
    write_corpus(dir / "bad", 10, 400, 3000);
    const std::string good = dir / "good.db", bad = dir / "bad.db";
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", good, dir / "good"}).exit_code, 0);
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", bad, dir / "bad"}).exit_code, 0);
    // xapian-check says which block is the table's root: the one opening reads.
    const CommandResult check = run_command({"/usr/bin/xapian-check", bad + "/docdata.glass"});
    ASSERT_EQ(check.exit_code, 0) << check.err;
    const auto field = [&](const std::string& name) {
        const std::size_t at = check.out.find(" " + name + "=");
        EXPECT_NE(at, std::string::npos) << check.out;
        return std::stoul(check.out.substr(at + name.size() + 2));
    };
    const unsigned long root = field("root"), used = field("firstunused");
    ASSERT_GT(used, 2u) << "the table needs leaves below its root";
    {
        std::fstream table(bad + "/docdata.glass", std::ios::in | std::ios::out | std::ios::binary);
        const std::string garbage(8192, '\xAB');
        for (unsigned long block = 0; block < used; ++block) {
            if (block == root) continue;
            table.seekp(static_cast<std::streamoff>(block * 8192));
            table.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
        }
    }
    for (const auto& dbs :
         {std::vector<std::string>{good, bad}, std::vector<std::string>{bad, good}}) {
        const CommandResult r = run_command({kSearcher, "--db", dbs[0], "--db", dbs[1], "harbour"});
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_EQ(r.out, "");
        const std::string head = "searcher: error: index '" + bad + "' is damaged (searching): ";
        EXPECT_EQ(r.err.substr(0, head.size()), head) << r.err;
        EXPECT_NE(r.err.find("searcher: hint: check it with: xapian-check " + bad),
                  std::string::npos)
            << r.err;
    }
    EXPECT_EQ(run_command({kSearcher, "--db", good, "harbour"}).exit_code, 0);
}

}  // namespace
}  // namespace newsidx::test
