#include "article.hpp"

#include <gtest/gtest.h>

namespace newsidx {
namespace {

const std::string kGood =
    "Ceasefire holds\n20220208\nhttps://news.example.org/a\nFirst paragraph.\nSecond paragraph.\n";

TEST(ParseArticle, ReadsEveryField) {
    const ParsedArticle p = parse_article("a.txt", kGood);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    const Article& a = p.article();
    EXPECT_EQ(a.title, "Ceasefire holds");
    EXPECT_EQ(a.date, "20220208");
    EXPECT_EQ(a.url, "https://news.example.org/a");
    EXPECT_EQ(a.host, "news.example.org");
    EXPECT_EQ(a.body, "First paragraph.\nSecond paragraph.");
    EXPECT_EQ(a.language, "en");
    EXPECT_TRUE(p.warnings.empty());
}

TEST(ParseArticle, ToleratesWhatRealCrawlsContain) {
    struct Case {
        std::string bytes;
        std::string why;
    };
    const Case cases[] = {
        {"\xEF\xBB\xBF" + kGood, "UTF-8 byte order mark"},
        {"Ceasefire holds\r\n20220208\r\nhttps://news.example.org/a\r\nFirst paragraph.\r\n"
         "Second paragraph.\r\n",
         "CRLF line endings"},
        {"\n\n  \n" + kGood, "leading blank lines"},
        {"Ceasefire holds   \n20220208 \t\nhttps://news.example.org/a  \nFirst paragraph.  \n\n"
         "Second paragraph.\n\n\n",
         "trailing spaces and blank lines between paragraphs"},
        {"Ceasefire holds\n2022-02-08\nhttps://news.example.org/a\nFirst paragraph.\n"
         "Second paragraph.",
         "dashed date and no final newline"},
    };
    for (const Case& c : cases) {
        const ParsedArticle p = parse_article("a.txt", c.bytes);
        ASSERT_TRUE(p.ok()) << c.why << ": " << p.error().to_string();
        EXPECT_EQ(p.article().title, "Ceasefire holds") << c.why;
        EXPECT_EQ(p.article().date, "20220208") << c.why;
        EXPECT_EQ(p.article().url, "https://news.example.org/a") << c.why;
        EXPECT_EQ(p.article().body, "First paragraph.\nSecond paragraph.") << c.why;
        EXPECT_TRUE(p.warnings.empty()) << c.why;
    }
}

TEST(ParseArticle, RejectsWithLineAndReason) {
    struct Case {
        std::string bytes;
        std::string expected;  // the whole message line
        std::string why;
    };
    const Case cases[] = {
        {"", "f.txt:1: empty file", "zero bytes"},
        {"  \n\t\n \r\n", "f.txt:1: empty file (only white space)", "white space only"},
        {std::string("Title\n20220208\nhttps://x.org/\nbody\0more\x01\n", 35),
         "f.txt:1: binary file (contains NUL bytes)", "NUL bytes"},
        {"\x89PNG\r\n\x1a\n\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f",
         "f.txt:1: binary file (not text in any charset)", "control bytes in a non-UTF-8 file"},
        {"20220208\nhttps://x.org/a\nbody\n", "f.txt:1: no title (this line is a date)",
         "title line missing, the date comes first"},
        {"\n\n20220208\nhttps://x.org/a\nbody\n", "f.txt:3: no title (this line is a date)",
         "the line number counts the leading blank lines"},
        {"https://x.org/a\n20220208\nbody\n", "f.txt:1: no title (this line is a URL)",
         "URL in the title line"},
        {"Title\n", "f.txt:2: missing date (expected YYYYMMDD or YYYY-MM-DD)", "one-line file"},
        {"Title\n\nhttps://x.org/a\nbody\n",
         "f.txt:2: missing date (expected YYYYMMDD or YYYY-MM-DD)", "blank date line"},
        {"Title\n8 Feb 2022\nhttps://x.org/a\nbody\n",
         "f.txt:2: expected a date as YYYYMMDD or YYYY-MM-DD, got '8 Feb 2022'",
         "date in another format"},
        {"Title\n20221341\nhttps://x.org/a\nbody\n", "f.txt:2: impossible date 20221341",
         "month 13"},
        {"Title\n2023-02-29\nhttps://x.org/a\nbody\n", "f.txt:2: impossible date 2023-02-29",
         "29 February in a common year"},
        {"Title\n00000000\nhttps://x.org/a\nbody\n", "f.txt:2: impossible date 00000000",
         "all zeros"},
        {"Title\n99991231\nhttps://x.org/a\nbody\n",
         "f.txt:2: date 99991231 is outside the years 1800..2199", "far future"},
        {"Title\n20220208\n", "f.txt:3: missing URL (expected an absolute http or https URL)",
         "file ends after the date"},
        {"Title\n20220208\n/2022/02/story.html\nbody\n",
         "f.txt:3: relative URL '/2022/02/story.html' (need an absolute http or https URL)",
         "relative URL"},
        {"Title\n20220208\nftp://x.org/a\nbody\n",
         "f.txt:3: unsupported URL scheme 'ftp' (need http or https)", "ftp URL"},
        {"Title\n20220208\nhttps:///path\nbody\n",
         "f.txt:3: URL has no valid host: 'https:///path'", "URL without host"},
        {"Title\n20220208\nhttps://x.org/a\n", "f.txt:4: no body (nothing after the URL line)",
         "no body"},
        {"Title\n20220208\nhttps://x.org/a\n\n  \n",
         "f.txt:4: no body (nothing after the URL line)", "only blank lines after the URL"},
    };
    for (const Case& c : cases) {
        const ParsedArticle p = parse_article("f.txt", c.bytes);
        ASSERT_FALSE(p.ok()) << c.why;
        EXPECT_EQ(p.error().to_string(), c.expected) << c.why;
    }
}

// Issue #10, item 6: one stray Latin-1 byte in a UTF-8 file made the whole file decode as
// Windows-1252, so that every UTF-8 "résumé" became mojibake.
TEST(ParseArticle, KeepsUtf8AndReadsOnlyAFewStrayBytesAsWindows1252) {
    std::string body;
    for (int i = 0; i < 20; ++i) body += "Her r\xC3\xA9sum\xC3\xA9 lists the caf\xC3\xA9 job. ";
    const std::string bytes = "R\xC3\xA9sum\xC3\xA9 rules\n20220208\nhttps://x.org/a\n" + body +
                              "\nPrice: 5\x80 (\xE9t\xE9).\n";
    const ParsedArticle p = parse_article("m.txt", bytes);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    EXPECT_EQ(p.article().title, "R\xC3\xA9sum\xC3\xA9 rules") << "UTF-8 kept";
    EXPECT_EQ(p.article().body.substr(p.article().body.rfind('\n') + 1),
              "Price: 5\xE2\x82\xAC (\xC3\xA9t\xC3\xA9).")
        << "0x80 is the euro sign and 0xE9 is \xC3\xA9 in Windows-1252";
    EXPECT_EQ(p.warnings, (std::vector<std::string>{
                              "m.txt:5: warning: 3 bytes not UTF-8 (the first on this line) read "
                              "as Windows-1252; the rest is UTF-8"}));
}

TEST(ParseArticle, DecodesLatin1WithAWarningInsteadOfMojibake) {
    // "Café société" in ISO-8859-1: é is the single byte 0xE9.
    const std::string bytes =
        "Caf\xE9 soci\xE9t\xE9 d\xE9\x62\x61t\n20220208\nhttps://x.fr/a\n"
        "Le d\xE9\x62\x61t sur la s\xE9\x63urit\xE9 a repris \xE0 Gen\xE8ve pour la troisi\xE8me "
        "fois.\n";
    const ParsedArticle p = parse_article("fr.txt", bytes);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    EXPECT_EQ(p.article().title, "Café société débat");
    EXPECT_EQ(p.article().body,
              "Le débat sur la sécurité a repris à Genève pour la troisième fois.");
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0], "fr.txt: warning: not UTF-8; decoded as ISO-8859-1");
}

TEST(ParseArticle, KeepsUtf8CutOffInTheMiddleOfACharacter) {
    const std::string text = "Café opens\n20220208\nhttps://x.org/a\nThe café — open.";
    for (const std::string& cut :
         {std::string("\xE2\x80"), std::string("\xF0\x9F\x98"), std::string("\xC3")}) {
        const ParsedArticle p = parse_article("t.txt", text + cut);
        ASSERT_TRUE(p.ok()) << p.error().to_string();
        EXPECT_EQ(p.article().body, "The café — open.");
        EXPECT_EQ(p.warnings,
                  (std::vector<std::string>{"t.txt: warning: file ends in the middle of a UTF-8 "
                                            "character; its " +
                                            std::to_string(cut.size()) + " byte(s) dropped"}));
    }
    // ASCII text whose last byte is a Latin-1 letter is Latin-1, not cut-off UTF-8.
    const ParsedArticle latin1 =
        parse_article("l.txt", "Title\n20220208\nhttps://x.org/l\nThe body ends in caf\xE9");
    ASSERT_TRUE(latin1.ok());
    EXPECT_EQ(latin1.article().body, "The body ends in café");
}

TEST(ParseArticle, ReadsOldMacLineEnds) {
    const ParsedArticle p =
        parse_article("m.txt", "Title\r20220208\rhttps://x.org/m\rOne.\rTwo.\r");
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    EXPECT_EQ(p.article().body, "One.\nTwo.");
    const ParsedArticle bad = parse_article("m.txt", "Title\r\r20221341\rhttps://x.org/m\rOne.");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().to_string(), "m.txt:2: missing date (expected YYYYMMDD or YYYY-MM-DD)");
}

TEST(ParseArticle, DecodesUtf16WithByteOrderMark) {
    const std::string text = "Title\n20220208\nhttps://x.org/a\nBody text here.\n";
    std::string bytes = "\xFF\xFE";
    for (char c : text) {
        bytes += c;
        bytes += '\0';
    }
    const ParsedArticle p = parse_article("u16.txt", bytes);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    EXPECT_EQ(p.article().body, "Body text here.");
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0], "u16.txt: warning: not UTF-8; decoded as UTF-16LE");
}

TEST(ParseArticle, NormalisesTextToNfc) {
    // "é" written as e + combining acute accent is stored precomposed.
    const ParsedArticle p =
        parse_article("a.txt", "Cafe\xCC\x81\n20220208\nhttps://x.org/a\nbody\n");
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.article().title, "Caf\xC3\xA9");
}

TEST(ParseArticle, GuessesTheLanguage) {
    auto lang = [](const std::string& title, const std::string& body) {
        return parse_article("a.txt", title + "\n20220208\nhttps://x.org/a\n" + body + "\n")
            .article()
            .language;
    };
    EXPECT_EQ(lang("Talks resume", "The talks resumed and the delegates said that it was good."),
              "en");
    EXPECT_EQ(lang("Les garanties",
                   "Les délégations se sont retrouvées et la médiatrice est là pour une fois."),
              "fr");
    EXPECT_EQ(lang("Streik im Hafen",
                   "Der Streik und die Folgen: das ist nicht mit uns, sagt die Gewerkschaft."),
              "de");
    EXPECT_EQ(lang("跨境铁路恢复通车", "首列跨境旅客列车于周二上午驶过边境。"), "zh");
    EXPECT_EQ(lang("梅雨明け", "関東甲信地方が梅雨明けしたとみられると発表した。"), "ja");
    EXPECT_EQ(lang("عنوان", "هذا نص عربي قصير عن الأخبار"), "ar");
}

TEST(ParseDate, AcceptsBothSpellingsOfRealDays) {
    EXPECT_EQ(parse_date("20220208").yyyymmdd.value_or(""), "20220208");
    EXPECT_EQ(parse_date("2022-02-08").yyyymmdd.value_or(""), "20220208");
    EXPECT_EQ(parse_date("20240229").yyyymmdd.value_or(""), "20240229") << "leap year";
    EXPECT_EQ(parse_date("20000229").yyyymmdd.value_or(""), "20000229") << "400-year rule";
    EXPECT_FALSE(parse_date("19000229").yyyymmdd) << "100-year rule";
    EXPECT_FALSE(parse_date("2022-0208").yyyymmdd);
    EXPECT_FALSE(parse_date("2022020").yyyymmdd);
    EXPECT_FALSE(parse_date("20220431").yyyymmdd) << "April has 30 days";
    EXPECT_FALSE(parse_date("17991231").yyyymmdd);
    EXPECT_TRUE(parse_date("18000101").yyyymmdd);
}

TEST(UrlHost, ExtractsLowerCaseHost) {
    EXPECT_EQ(url_host("https://WWW.BBC.co.uk/news/x").value_or(""), "www.bbc.co.uk");
    EXPECT_EQ(url_host("http://user:pw@example.org:8080/a?b#c").value_or(""), "example.org");
    EXPECT_EQ(url_host("HTTPS://example.org").value_or(""), "example.org");
    EXPECT_EQ(url_host("https://example.org./a").value_or(""), "example.org");
    EXPECT_FALSE(url_host("example.org/a"));
    EXPECT_FALSE(url_host("mailto:a@example.org"));
    EXPECT_FALSE(url_host("https://exa mple.org/"));
    EXPECT_FALSE(url_host("https://a..b/"));
}

TEST(HostAndParents, ListsEveryParentDomainButTheBareTld) {
    EXPECT_EQ(host_and_parents("www.bbc.co.uk"),
              (std::vector<std::string>{"www.bbc.co.uk", "bbc.co.uk", "co.uk"}));
    EXPECT_EQ(host_and_parents("example.org"), (std::vector<std::string>{"example.org"}));
    EXPECT_EQ(host_and_parents("localhost"), (std::vector<std::string>{"localhost"}));
    EXPECT_EQ(host_and_parents("192.168.1.10"), (std::vector<std::string>{"192.168.1.10"}));
}

}  // namespace
}  // namespace newsidx
