// Bad article files, end to end: one run of the real indexer over a folder holding every kind
// of broken file we know of, beside good ones. Each bad file gets its exact one-line message
// (or is decoded with a warning, or skipped with one), and every good article is indexed.
// docs/reliability.md lists the same kinds.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unicode/unistr.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;

const std::string kIndexer = NEWSIDX_INDEX_BIN;
const std::string kSearcher = NEWSIDX_SEARCH_BIN;

std::vector<std::string> sorted_lines(const std::string& s) {
    std::vector<std::string> out = lines_of(s);
    std::sort(out.begin(), out.end());
    return out;
}

// UTF-8 text re-encoded in another charset, the way an old content system saved it.
std::string encode(const std::string& utf8, const char* charset) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
    std::string out(static_cast<std::size_t>(u.length()) * 4 + 8, '\0');
    const int32_t n =
        u.extract(0, u.length(), out.data(), static_cast<uint32_t>(out.size()), charset);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string art(const std::string& title, const std::string& url, const std::string& body) {
    return title + "\n20220101\n" + url + "\n" + body + "\n";
}

// One kind of input: the file, its bytes, and what the indexer must say about it ("" = nothing);
// `indexed_url` is the id it must be indexed under ("" = it must not be).
struct Kind {
    std::string file, bytes, message, indexed_url;
};

std::vector<Kind> kinds() {
    const std::string u = "https://x.org/";
    const std::string long_url = u + std::string(600, 'a');  // over Xapian's 245-byte term limit
    const std::string cyrillic =
        art("Новости дня в Москве", u + "koi8",
            "В Москве сегодня прошёл сильный дождь, и городские службы работали всю ночь, чтобы "
            "очистить улицы от воды.");
    return {
        {"empty.txt", "", "empty.txt:1: empty file", ""},
        {"white-space.txt", "  \n\t\n \r\n", "white-space.txt:1: empty file (only white space)",
         ""},
        {"only-bom.txt", "\xEF\xBB\xBF", "only-bom.txt:1: empty file (only white space)", ""},
        {"elf.txt",
         std::string("\x7f"
                     "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
                     20),
         "elf.txt:1: binary file (contains NUL bytes)", ""},
        {"nul-in-text.txt", art("Title", u + "nul", std::string("Body with a \0 NUL byte.", 23)),
         "nul-in-text.txt:1: binary file (contains NUL bytes)", ""},
        {"control-chars.txt", art("Title", u + "ctl", std::string(40, '\x01') + " body"),
         "control-chars.txt:1: binary file (control characters)", ""},
        {"truncated-utf8.txt",
         art("Café opens", u + "trunc", "The café opened on Monday — a first.") + "\xE2\x80",
         "truncated-utf8.txt: warning: file ends in the middle of a UTF-8 character; its 2 "
         "byte(s) dropped",
         u + "trunc"},
        {"utf16le-bom.txt",
         encode("\uFEFF" + art("UTF-16 title", u + "u16le", "Body in UTF-16 with a BOM."),
                "UTF-16LE"),
         "utf16le-bom.txt: warning: not UTF-8; decoded as UTF-16LE", u + "u16le"},
        {"utf16be-bom.txt",
         encode("\uFEFF" + art("UTF-16 title", u + "u16be", "Big-endian body with a BOM."),
                "UTF-16BE"),
         "utf16be-bom.txt: warning: not UTF-8; decoded as UTF-16BE", u + "u16be"},
        {"utf16le-no-bom.txt",
         encode(art("UTF-16 title", u + "u16", "Body in UTF-16 without a byte order mark."),
                "UTF-16LE"),
         "utf16le-no-bom.txt: warning: not UTF-8; decoded as UTF-16LE", u + "u16"},
        {"latin1.txt",
         encode(art("Café de la gare rouvre", u + "latin1",
                    "Le café de la gare a rouvert ses portes après des années de travaux, à la "
                    "grande joie des habitués."),
                "ISO-8859-1"),
         "latin1.txt: warning: not UTF-8; decoded as ISO-8859-1", u + "latin1"},
        {"cp1252.txt",
         encode(art("“Smart quotes” are back – says editor", u + "cp1252",
                    "The editor said “the quotes” were back – and the € sign too, in a text "
                    "saved with Windows code page 1252."),
                "windows-1252"),
         "cp1252.txt: warning: not UTF-8; decoded as windows-1252", u + "cp1252"},
        {"koi8r.txt", encode(cyrillic, "KOI8-R"),
         "koi8r.txt: warning: not UTF-8; decoded as KOI8-R", u + "koi8"},
        {"no-title.txt", "20220101\n" + u + "nt\nBody.\n",
         "no-title.txt:1: no title (this line is a date)", ""},
        {"missing-date.txt", "Title\n" + u + "md\nBody.\n",
         "missing-date.txt:2: missing date (this line is the URL; expected the date here, as "
         "YYYYMMDD or YYYY-MM-DD)",
         ""},
        {"one-line.txt", "Just a title line\n",
         "one-line.txt:2: missing date (expected YYYYMMDD or YYYY-MM-DD)", ""},
        {"feb-29-2023.txt", "Leap\n20230229\n" + u + "f\nBody.\n",
         "feb-29-2023.txt:2: impossible date 20230229", ""},
        {"zero-date.txt", "Zero\n00000000\n" + u + "z\nBody.\n",
         "zero-date.txt:2: impossible date 00000000", ""},
        {"year-9999.txt", "Far\n99991231\n" + u + "far\nBody.\n",
         "year-9999.txt:2: date 99991231 is outside the years 1800..2199", ""},
        {"feb-29-2024.txt", "Leap day\n2024-02-29\n" + u + "leap\nBody.\n", "", u + "leap"},
        {"day-month-year.txt", "Other\n27/11/2026\n" + u + "o\nBody.\n",
         "day-month-year.txt:2: expected a date as YYYYMMDD or YYYY-MM-DD, got '27/11/2026'", ""},
        {"iso-timestamp.txt", "Timed\n2022-01-01T10:00:00Z\n" + u + "t\nBody.\n",
         "iso-timestamp.txt:2: expected a date as YYYYMMDD or YYYY-MM-DD, got "
         "'2022-01-01T10:00:00Z'",
         ""},
        {"relative-url.txt", art("Rel", "/news/2022/rel", "Body."),
         "relative-url.txt:3: relative URL '/news/2022/rel' (need an absolute http or https URL)",
         ""},
        {"empty-url.txt", "Empty URL\n20220101\n\nBody.\n",
         "empty-url.txt:3: missing URL (expected an absolute http or https URL)", ""},
        {"no-host-url.txt", art("No host", "http://", "Body."),
         "no-host-url.txt:3: URL has no valid host: 'http://'", ""},
        {"spaced-url.txt", art("Spaced", "http://x.org/a b", "Body."),
         "spaced-url.txt:3: URL contains white space: 'http://x.org/a b'", ""},
        {"ftp-url.txt", art("Ftp", "ftp://x.org/file", "Body."),
         "ftp-url.txt:3: unsupported URL scheme 'ftp' (need http or https)", ""},
        {"long-url-1.txt", art("Long one", long_url + "/1", "First body."), "", long_url + "/1"},
        {"long-url-2.txt", art("Long two", long_url + "/2", "Second body."), "", long_url + "/2"},
        {"no-body.txt", "No body\n20220101\n" + u + "nb\n\n   \n",
         "no-body.txt:4: no body (nothing after the URL line)", ""},
        {"long-line.txt", art("Long line", u + "longline", std::string(5'000'000, 'w') + " end"),
         "", u + "longline"},
        {"cr-only.txt", "Old Mac title\r20220101\r" + u + "cr\rBody with CR line ends.\r", "",
         u + "cr"},
        {"crlf-bom.txt", "\xEF\xBB\xBF\r\nTitle  \r\n20220101\r\n" + u + "crlf\r\n\r\nBody.\r\n",
         "", u + "crlf"},
        {"same-url-1.txt", art("First copy", u + "dup", "First body."), "", ""},
        {"same-url-2.txt", art("Second copy", u + "dup", "Second body."),
         "same-url-2.txt:3: warning: same URL as same-url-1.txt; this later file replaces it",
         u + "dup"},
        {"notes.md", art("Markdown", u + "md-file", "Body."), "", ""},
        {"data.json", "{}", "", ""},
        {"UPPER.TXT", art("Upper", u + "upper", "Body."), "", u + "upper"},  // any case of .txt
        {"good.txt", art("Good", u + "good", "Body."), "", u + "good"},
    };
}

TEST(BadInput, EveryKindIsReportedAndTheRestIndexed) {
    TempDir dir;
    const std::string c = dir / "c";
    std::size_t expect_indexed = 0;
    std::vector<std::string> expected;
    for (const Kind& k : kinds()) {
        write_file(c + "/" + k.file, k.bytes);
        if (!k.message.empty()) expected.push_back(k.message);
        if (!k.indexed_url.empty()) ++expect_indexed;
    }
    // A 100 MB file (sparse: quick to make) is over the default --max-size of 16 MB.
    {
        std::ofstream(c + "/huge.txt") << art("Huge", "https://x.org/huge", "Body.");
        fs::resize_file(c + "/huge.txt", 100u << 20);
        expected.push_back("huge.txt:1: file too large (104857600 bytes; --max-size is 16777216)");
    }
    // A folder symlink loop is not followed: the walk ends, and the article inside is read once.
    fs::create_directories(c + "/loop");
    fs::create_directory_symlink("..", c + "/loop/up");
    expected.push_back(
        "loop/up: warning: skipped: a symbolic link to a folder (not followed; name it as an "
        "input to index it)");
    write_file(c + "/loop/inside.txt", art("Inside", "https://x.org/inside", "Body."));
    ++expect_indexed;
    // A .txt that is not a regular file: skipped with a warning, never read (a FIFO would block).
    fs::create_symlink("/nonexistent/target.txt", c + "/dangling.txt");
    expected.push_back("dangling.txt: warning: skipped: a symbolic link to nothing");
    ASSERT_EQ(::mkfifo((c + "/fifo.txt").c_str(), 0644), 0);
    expected.push_back("fifo.txt: warning: skipped: not a regular file");
    fs::create_directories(c + "/folder.txt");  // a folder named like an article: walked into
    std::sort(expected.begin(), expected.end());

    // Run from inside the folder, so that messages name the files as the user typed them.
    const CommandResult r = run_command({kIndexer, "--db", dir / "db", "."}, c);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_EQ(sorted_lines(r.err), expected);
    const std::size_t rejected = static_cast<std::size_t>(std::count_if(
        expected.begin(), expected.end(),
        [](const std::string& m) { return m.find(": warning: ") == std::string::npos; }));
    // The pair of files with one URL: the earlier one is superseded.
    EXPECT_NE(r.out.find(std::to_string(rejected) + " rejected, 1 superseded)"), std::string::npos)
        << r.out;

    Xapian::Database db(dir / "db");
    EXPECT_EQ(db.get_doccount(), expect_indexed);
    // Each article is there once, under its own URL (the ones over the term limit too: their
    // id term is a head plus a hash of the whole URL, so they stay apart).
    std::map<std::string, int> urls;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const std::string data = db.get_document(*it).get_data();
        for (const Kind& k : kinds())
            if (!k.indexed_url.empty() &&
                data.find('\0' + k.indexed_url + '\0') != std::string::npos)
                ++urls[k.indexed_url];
    }
    for (const Kind& k : kinds())
        if (!k.indexed_url.empty()) {
            EXPECT_EQ(urls[k.indexed_url], 1) << k.file;
        }
    EXPECT_EQ(db.get_termfreq("Qhttps://x.org/inside"), 1u);
    // The later of two files with one URL wins.
    const CommandResult s = run_command({kSearcher, "--db", dir / "db", "--json", "copy"});
    EXPECT_NE(s.out.find("\"title\":\"Second copy\""), std::string::npos) << s.out;
    EXPECT_EQ(s.out.find("First copy"), std::string::npos);
}

TEST(BadInput, MaxSizeLimitsWhatIsRead) {
    TempDir dir;
    write_file(dir / "c/small.txt", art("Small", "https://x.org/s", "Body."));
    write_file(dir / "c/big.txt", art("Big", "https://x.org/b", std::string(5000, 'x')));
    CommandResult r =
        run_command({kIndexer, "--db", dir / "db", "--max-size", "1000", "c"}, dir.path().string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.err, "c/big.txt:1: file too large (5030 bytes; --max-size is 1000)\n");
    r = run_command({kIndexer, "--db", dir / "db", "--max-size", "0", "c"}, dir.path().string());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
              "indexer: error: --max-size: must be at least 1 byte");
}

TEST(BadInput, AnUnreadableFileIsReportedAndTheRestIndexed) {
    TempDir dir;
    write_file(dir / "c/good.txt", art("Good", "https://x.org/g", "Body."));
    write_file(dir / "c/locked.txt", art("Locked", "https://x.org/l", "Body."));
    ::chmod((dir / "c/locked.txt").c_str(), 0);
    std::vector<std::string> argv{kIndexer, "--db", dir / "db", "c"};
    if (::geteuid() == 0) {
        // root reads every file: run the indexer as nobody, in a folder it may write.
        ::chmod(dir.path().c_str(), 0777);
        ::chmod((dir / "c").c_str(), 0755);
        ::chmod((dir / "c/good.txt").c_str(), 0644);
        argv.insert(argv.begin(),
                    {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    }
    const CommandResult r = run_command(argv, dir.path().string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_EQ(r.err, "c/locked.txt:1: cannot read file: Permission denied\n");
    EXPECT_EQ(Xapian::Database(dir / "db").get_doccount(), 1u);
}

}  // namespace
}  // namespace newsidx::test
