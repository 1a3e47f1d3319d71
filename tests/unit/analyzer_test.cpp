#include "analyzer.hpp"
#include "query_text.hpp"

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
        {"السعـــودية", "السعوديه", "Arabic tatweel dropped, taa marbuta written as ha"},
        {"مستشفى", "مستشفي", "alef maqsura becomes yeh"},
        {"إيران أمريكا آمال", "ايران امريكا امال", "hamza forms and madda become alef"},
        {"ی ک", "ي ك", "Persian yeh and kaf"},
        {"٣٠٠ ۲۰۲۴", "300 2024", "Arabic-Indic and Persian digits"},
    };
    for (const Case& c : cases) EXPECT_EQ(fold(c.text), c.folded) << c.why;
}

TEST(Fold, QueryKeepsOperatorsButFoldsWords) {
    EXPECT_EQ(query::fold_query("Café AND Straße"), "cafe AND strasse");
    EXPECT_EQ(query::fold_query("(Paris OR Berlin) NOT Rome"), "(paris OR berlin) NOT rome");
    EXPECT_EQ(query::fold_query("talks NEAR/5 Geneva"), "talks NEAR/5 geneva");
    EXPECT_EQ(query::fold_query("title:\"Security Guarantees\" site:BBC.co.uk"),
              "title:\"security guarantees\" site:bbc.co.uk");
    EXPECT_EQ(query::fold_query("Android"), "android") << "a word starting with AND is a word";
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

TEST(Segment, SplitsUnspacedScriptsIntoDictionaryWords) {
    EXPECT_EQ(segment("恢复通车"), "恢复 通车");
    EXPECT_EQ(segment("鐵路"), "铁路") << "traditional Chinese folds to simplified";
    EXPECT_EQ(segment("鐵路", " ", false), "鐵路") << "not for display";
    EXPECT_EQ(segment("東京都心"), "东京 都心") << "Japanese kanji fold as Chinese ones do";
    EXPECT_EQ(segment("สะพานใหม่"), "สะพาน ใหม่");
    EXPECT_EQ(segment("rail 恢复通车 link", "|"), "rail 恢复|通车 link");
    EXPECT_EQ(segment("plain text, Ελλάδα, москва"), "plain text, Ελλάδα, москва");
}

TEST(Segment, HanPairsAreTheFallbackForOtherSplits) {
    using Words = std::vector<std::string>;
    EXPECT_EQ(han_pairs("北京大学生"), (Words{"北京", "京大", "大学", "学生"}));
    EXPECT_EQ(han_pairs("鐵"), (Words{"铁"})) << "one character gives itself";
    EXPECT_EQ(han_pairs("東京 rail", true), (Words{"东", "京", "东京"})) << "the indexer's";
    EXPECT_EQ(han_pairs("서울에서"), (Words{"서울", "울에", "에서"})) << "Hangul too";
    EXPECT_EQ(han_pairs("สะพาน Москва"), Words{}) << "Han, kana and Hangul only";
}

TEST(Segment, QueriesKeepTheirWordsTogether) {
    EXPECT_EQ(query::segment_query("恢复通车"), "\"恢复 通车\"") << "words typed together: a phrase";
    EXPECT_EQ(query::segment_query("(恢复通车 OR 铁路)"), "(\"恢复 通车\" OR 铁路)");
    EXPECT_EQ(query::segment_query("\"恢复通车\""), "\"恢复 通车\"") << "a phrase of the words";
    EXPECT_EQ(query::segment_query("恢复通车 NEAR 铁路"), "恢复 NEAR 通车 NEAR 铁路");
    EXPECT_EQ(query::segment_query("铁路 ADJ/3 恢复通车"), "铁路 ADJ/3 恢复 ADJ/3 通车");
    EXPECT_EQ(query::segment_query("title:北京地铁"), "title:\"北京 地铁\"");
    EXPECT_EQ(query::segment_query("+恢复通车 -铁路"), "+\"恢复 通车\" -铁路");
    EXPECT_EQ(query::segment_query("talks AND geneva"), "talks AND geneva");
}

TEST(GuessLanguage, TellsScriptsAndCommonWords) {
    EXPECT_EQ(guess_language("У Києві відкрили новий міст через Дніпро"), "uk");
    EXPECT_EQ(guess_language("В Москве открылась новая станция метро, это был праздник"), "ru");
    EXPECT_EQ(guess_language("افتتاح مستشفى جديد في مكة"), "ar");
    EXPECT_EQ(guess_language("東京で観測史上最も早い梅雨明け"), "ja");
    EXPECT_EQ(guess_language("跨境铁路时隔九年恢复通车"), "zh");
    EXPECT_EQ(guess_language("Die neue Brücke verbindet zwei Städte und ist nicht teuer"), "de");
    EXPECT_EQ(guess_language("Regeringen och riksdagen har inte kommit överens om det"), "sv");
    EXPECT_EQ(guess_language("The talks were held in Geneva and the text is ready"), "en");
    // A Reuters table whose columns repeat one letter that is a Spanish word: one distinct
    // function word is not evidence, however often it appears.
    EXPECT_EQ(guess_language("The U.S. Agriculture Department released its loan report, in mln "
                             "bushels. Wheat 505.6 Y 321.3 Y Corn 4,612.1 Y 320.7 Y Soybean "
                             "206.4 Y 46.1 Y Redeemed 195.2 Y 42.3 Y Reserve nil Y"),
              "en");
    EXPECT_EQ(guess_language("El gobierno y los sindicatos firmaron el acuerdo"), "es");
}

TEST(Analyzer, AutoGivesEachArticleItsLanguagesStemmer) {
    const Analyzer auto_(kAutoAnalysis);
    EXPECT_TRUE(auto_.per_article());
    EXPECT_EQ(auto_.for_article("fr").name(), "french");
    EXPECT_EQ(auto_.for_article("ar").name(), "arabic");
    EXPECT_EQ(auto_.for_article("uk").name(), "none") << "no Ukrainian stemmer in Xapian 1.4";
    EXPECT_EQ(auto_.for_article("zh").name(), "none");
    EXPECT_EQ(Analyzer("english").for_article("fr").name(), "english") << "--lang forces one";
    // Xapian's Arabic stemmer strips a taa marbuta, not a ha after a prefix: both spellings,
    // folded alike, meet one stem.
    const Xapian::Stem arabic = Analyzer("arabic").stemmer();
    EXPECT_EQ(arabic(fold("المدرسة")), arabic(fold("المدرسه")));
    EXPECT_EQ(arabic(fold("للتطرف")), arabic(fold("التطرف")));
    // Hamza stays on waw and yeh, and three-letter words are not stemmed: a noun does not meet
    // a pronoun or a preposition.
    EXPECT_NE(arabic(fold("هيئة")), arabic(fold("هي")));
    EXPECT_NE(arabic(fold("فئة")), arabic(fold("فيه")));
    EXPECT_EQ(arabic(fold("مكة")), arabic(fold("مكه")));
}

TEST(StemmerLanguage, AcceptsNamesAndIsoCodes) {
    EXPECT_EQ(stemmer_language("auto"), "auto");
    EXPECT_EQ(stemmer_language("uk"), "none");
    EXPECT_EQ(stemmer_language("Ukrainian"), "none");
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

// Issue #29, item 5: the words of a text as written; a number keeps its point or comma.
TEST(WordSpans, AreWordsAsWrittenNumbersWhole) {
    const std::string text = "Brent rose 6.85 pct, to 1,500 «النفط».";
    std::vector<std::string> words;
    for (auto [begin, end] : word_spans(text)) words.push_back(text.substr(begin, end - begin));
    EXPECT_EQ(words, (std::vector<std::string>{"Brent", "rose", "6.85", "pct", "to", "1,500", "النفط"}));
}

// Issue #29, item 5: ICU's sentence boundaries, read in the text as written.
TEST(Sentences, AreIcusBoundariesOfTheTextAsWritten) {
    const auto split = [](std::string_view text) {
        std::vector<std::string> out;
        for (std::string_view s : sentences(text)) out.emplace_back(s);
        return out;
    };
    EXPECT_EQ(split("He left. The talks resumed! Did they? Yes."),
              (std::vector<std::string>{"He left. ", "The talks resumed! ", "Did they? ", "Yes."}));
    // No break before a lower-case word, or after an abbreviation's dot before a number.
    EXPECT_EQ(split("Prices rose 2.5 percent in the U.S. economy."),
              (std::vector<std::string>{"Prices rose 2.5 percent in the U.S. economy."}));
    EXPECT_EQ(split("no sentence end here"), (std::vector<std::string>{"no sentence end here"}));
    // English abbreviations do not end one (CLDR's suppressions).
    EXPECT_EQ(split("Talks were held by Mr. Brown and Dr. Jones with the U.S. President."),
              (std::vector<std::string>{
                  "Talks were held by Mr. Brown and Dr. Jones with the U.S. President."}));
    EXPECT_EQ(split("ارتفع النفط. وتراجع الذهب؟ نعم"),
              (std::vector<std::string>{"ارتفع النفط. ", "وتراجع الذهب؟ ", "نعم"}));
    EXPECT_TRUE(sentences("").empty());
}

}  // namespace
}  // namespace newsidx
