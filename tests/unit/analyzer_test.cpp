#include "newsidx/analyzer.hpp"

#include <gtest/gtest.h>

#include "newsidx/error.hpp"

namespace newsidx {
namespace {

TEST(Fold, FoldsTextTheWayQueriesWillBeFolded) {
    struct Case {
        std::string text, folded, why;
    };
    const Case cases[] = {
        {"Security GUARANTEES", "security guarantees", "ASCII is lower-cased"},
        {"Straße", "strasse", "full case folding: ß becomes ss"},
        {"Café Société", "cafe societe", "accents are removed"},
        {"Cafe\xCC\x81", "cafe", "a combining accent is removed too"},
        {"ﬁnance", "finance", "NFKC expands the fi ligature"},
        {"ＮＡＳＡ", "nasa", "full-width Latin in CJK wire copy"},
        {"ΑΘΗΝΑ", "αθηνα", "Greek capitals fold to small letters"},
        {"Ελλάδα", "ελλαδα", "Greek tonos is an accent"},
        {"МОСКВА", "москва", "Cyrillic"},
        {"が", "が", "Japanese voiced marks are letters, not accents"},
        {"مُحَمَّد", "محمد", "Arabic vowel marks are removed"},
        {"梅雨明け", "梅雨明け", "CJK passes through"},
    };
    for (const Case& c : cases) EXPECT_EQ(fold(c.text), c.folded) << c.why;
}

TEST(Fold, QueryKeepsOperatorsButFoldsWords) {
    EXPECT_EQ(fold_query("Café AND Straße"), "cafe AND strasse");
    EXPECT_EQ(fold_query("(Paris OR Berlin) NOT Rome"), "(paris OR berlin) NOT rome");
    EXPECT_EQ(fold_query("talks NEAR/5 Geneva"), "talks NEAR/5 geneva");
    EXPECT_EQ(fold_query("title:\"Security Guarantees\" site:BBC.co.uk"),
              "title:\"security guarantees\" site:bbc.co.uk");
    EXPECT_EQ(fold_query("Android"), "android") << "a word starting with AND is a word";
}

TEST(WordKey, IsTheFoldedWordsJoinedBySingleSpaces) {
    EXPECT_EQ(word_key("U.S. Trade -- deficit  widens!"), "u s trade deficit widens");
    EXPECT_EQ(word_key("  (Café)  "), "cafe");
    EXPECT_EQ(word_key("Straße: 2023"), "strasse 2023");
    EXPECT_EQ(word_key("\"Quoted\" title:words"), "quoted title words");
    EXPECT_EQ(word_key("मूल्य वृद्धि"), "मूल्य वृद्धि") << "Devanagari vowel signs stay in the word";
    EXPECT_EQ(word_key("梅雨明け、東京"), "梅雨明け 東京");
    EXPECT_EQ(word_key("... -- !!"), "");
    EXPECT_EQ(word_key(""), "");
    EXPECT_NE(word_key("bank raises rates"), word_key("bank raises rates again"));
}

TEST(ToNfc, ComposesDecomposedText) {
    EXPECT_EQ(to_nfc("e\xCC\x81"), "\xC3\xA9");
    EXPECT_EQ(to_nfc("plain"), "plain");
}

TEST(Utf8, ValidatesStrictly) {
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));
    EXPECT_FALSE(is_valid_utf8("caf\xE9")) << "Latin-1 byte";
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF")) << "overlong encoding";
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80")) << "surrogate";
    EXPECT_FALSE(is_valid_utf8("\xE2\x82")) << "truncated sequence";
}

TEST(StemmerLanguage, AcceptsNamesAndIsoCodes) {
    EXPECT_EQ(stemmer_language("english"), "english");
    EXPECT_EQ(stemmer_language("EN"), "english");
    EXPECT_EQ(stemmer_language("fr"), "french");
    EXPECT_EQ(stemmer_language("none"), "none");
    try {
        stemmer_language("klingon");
        FAIL() << "klingon accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::BadOption);
        EXPECT_STREQ(e.what(), "unknown stemming language 'klingon'");
    }
}

}  // namespace
}  // namespace newsidx
