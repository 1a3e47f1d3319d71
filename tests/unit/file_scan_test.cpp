// The indexer's file list (file_scan.hpp): files kept as a folder and a name, sorted as their
// whole paths are, found again by path (issue #14, item 6: a million files in bounded memory).
#include "file_scan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

std::vector<std::string> paths_of(const detail::FileList& files) {
    std::vector<std::string> out;
    for (detail::FileList::Index i = 0; i < files.size(); ++i) out.push_back(files.path(i));
    return out;
}

TEST(FileList, SortsAsTheWholePathsWouldBeAndDropsRepeats) {
    TempDir dir;
    // '-' and '.' sort before '/', so "b-x.txt" and "b.txt" come before the files in "b/",
    // though a walk meets the folder "b" first.
    const std::vector<std::string> names = {"b/c.txt", "b-x.txt",   "b.txt", "a/b/z.txt",
                                            "ab.txt",  "b/a/y.txt", "B.TXT", "a b/1.txt"};
    for (const std::string& n : names) write_file(dir / n, "x");
    write_file(dir / "notes.md", "not an article");
    std::vector<std::string> want;
    for (const std::string& n : names) want.push_back(dir / n);
    std::sort(want.begin(), want.end());

    std::vector<std::string> warnings;
    // The folder, one of its subfolders and one of its files: each file once.
    const detail::FileList files =
        detail::find_files({dir.path().string(), dir / "b", dir / "b.txt"},
                           [&](const std::string& w) { warnings.push_back(w); });
    EXPECT_EQ(paths_of(files), want);
    EXPECT_TRUE(warnings.empty());
    for (detail::FileList::Index i = 0; i < files.size(); ++i) {
        EXPECT_EQ(files.find(want[i]), i) << want[i];
        EXPECT_EQ(files[i].size, 1u);
        EXPECT_EQ(files.source(i).path, want[i]);
        EXPECT_EQ(files.source(i).index, i);
    }
    EXPECT_FALSE(files.find(dir / "b"));  // a folder
    EXPECT_FALSE(files.find(dir / "b/c.tx"));
    EXPECT_FALSE(files.find(dir / "notes.md"));
    EXPECT_FALSE(files.find("relative.txt"));
}

TEST(FileList, ALinkToAFolderIsNotWalkedIntoAndSaysSo) {
    TempDir dir;
    write_file(dir / "real/a.txt", "x");
    std::filesystem::create_directory_symlink(dir / "real", dir / "link");
    std::vector<std::string> warnings;
    const detail::FileList files = detail::find_files(
        {dir.path().string()}, [&](const std::string& w) { warnings.push_back(w); });
    EXPECT_EQ(paths_of(files), std::vector<std::string>{dir / "real/a.txt"});
    EXPECT_EQ(warnings, std::vector<std::string>{
                            dir / "link" +
                            ": warning: skipped: a symbolic link to a folder (not followed; name "
                            "it as an input to index it)"});
}

TEST(FileList, AFolderOfManyFilesKeepsEachNameOnce) {
    TempDir dir;
    std::vector<std::string> want;
    for (int i = 0; i < 300; ++i) {
        const std::string name = "f" + std::to_string(i * 7919 % 1000) + ".txt";
        write_file(dir / name, std::string(static_cast<std::size_t>(i), 'x'));
        want.push_back(dir / name);
    }
    std::sort(want.begin(), want.end());
    const detail::FileList files = detail::find_files({dir.path().string()}, [](auto&) {});
    ASSERT_EQ(paths_of(files), want);
    for (detail::FileList::Index i = 0; i < files.size(); ++i) EXPECT_EQ(files.find(want[i]), i);
}

}  // namespace
}  // namespace newsidx::test
