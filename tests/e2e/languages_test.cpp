// Ten languages in five scripts in one index (tests/data/multilingual), end to end: every
// article is analysed in its own language, found by an inflected or differently written form of
// its own words and by no other language's false friend, with whole words highlighted.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

using nlohmann::json;

const std::string kIndexer = NEWSIDX_INDEX_BIN;
const std::string kSearcher = NEWSIDX_SEARCH_BIN;
const std::string kArticles = std::string(NEWSIDX_TEST_DATA) + "/multilingual";

class Languages : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const CommandResult r = run_command({kIndexer, "--quiet", "--db", db(), kArticles});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static std::string db() { return *dir_ / "db"; }

    struct Found {
        std::vector<std::string> articles;  // the last part of each hit's URL
        std::vector<std::string> words;     // the highlighted words of the first hit
        int exit_code = 0;
    };
    static Found search(std::vector<std::string> args) {
        args.insert(args.begin(), {kSearcher, "--db", db(), "--json"});
        const CommandResult r = run_command(args);
        Found f;
        f.exit_code = r.exit_code;
        if (r.exit_code != 0) return f;
        const json j = json::parse(r.out);
        for (const json& hit : j["results"]) {
            const std::string url = hit["url"];
            f.articles.push_back(url.substr(url.rfind('/') + 1));
        }
        if (!j["results"].empty()) {
            const std::string snippet = j["results"][0]["snippet"];
            for (const json& h : j["results"][0]["highlights"])
                f.words.push_back(snippet.substr(
                    h[0].get<std::size_t>(), h[1].get<std::size_t>() - h[0].get<std::size_t>()));
        }
        return f;
    }

    static TempDir* dir_;
};
TempDir* Languages::dir_ = nullptr;

TEST_F(Languages, EachArticleIsAnalysedInItsOwnGuessedLanguage) {
    const std::vector<std::pair<std::string, std::string>> expected{
        {"en", "strike-ends"}, {"fr", "agriculteurs"}, {"de", "bruecke"},   {"es", "lluvias"},
        {"ru", "metro"},       {"uk", "mist"},         {"ar", "mustashfa"}, {"zh", "ditie haitan"},
        {"ko", "noseon"},      {"ja", "bijutsukan"},   {"th", "saphan"}};
    for (const auto& [lang, articles] : expected) {
        std::vector<std::string> found = search({"--lang", lang, "date:2024"}).articles;
        std::sort(found.begin(), found.end());
        std::string joined;
        for (const std::string& a : found) joined += (joined.empty() ? "" : " ") + a;
        EXPECT_EQ(joined, articles) << lang;
    }
    // Each with its own language's stemmer; the languages without one are folded only.
    Xapian::Database index(db());
    std::set<std::string> analyzers;
    for (auto t = index.allterms_begin("XA"); t != index.allterms_end("XA"); ++t)
        analyzers.insert((*t).substr(2));
    EXPECT_EQ(analyzers, (std::set<std::string>{"arabic", "english", "french", "german", "none",
                                                "russian", "spanish"}));
    EXPECT_EQ(index.get_termfreq("XAnone"), 6u) << "uk, zh (2), ja, ko, th";
    EXPECT_EQ(index.get_metadata("newsidx.lang"), "auto");
}

TEST_F(Languages, OtherFormsOfAnArticlesWordsFindItAndOnlyIt) {
    struct Case {
        std::string query, article, highlighted, why;
    };
    const Case cases[] = {
        {"striking", "strike-ends", "strike", "English stemming"},
        {"returning", "strike-ends", "returned", "English stemming"},
        {"manifestations", "agriculteurs", "manifesté", "French stemming, accents folded"},
        {"Brücken", "bruecke", "Brücke", "German plural"},
        {"Stadt", "bruecke", "Städte", "German umlaut plural"},
        {"inundaciones", "lluvias", "inundaron", "Spanish stemming"},
        {"станции", "metro", "станция", "Russian case ending"},
        {"МІСТ", "mist", "міст", "Ukrainian, no stemmer: capitals fold"},
        {"مكه", "mustashfa", "مكة", "Arabic ha for taa marbuta"},
        {"مكـــة", "mustashfa", "مكة", "Arabic tatweel"},
        {"للمستشفى", "mustashfa", "مستشفى", "Arabic prefix lil-"},
        {"300", "mustashfa", "٣٠٠", "Arabic-Indic digits"},
        {"地鐵", "ditie", "地铁", "traditional Chinese finds simplified"},
        {"\"开通运营\"", "ditie", "开通运营", "a Chinese phrase"},
        {"地铁 NEAR 线路", "ditie", "地铁", "NEAR between Chinese words"},
        {"\"美術館\"", "bijutsukan", "美術館", "a Japanese phrase, the whole word lit"},
        {"title:\"梅雨明け\" OR title:美術館", "bijutsukan", "美術館", "a Japanese title word"},
        {"สะพาน", "saphan", "สะพาน", "a Thai word inside unspaced text"},
        {"塑胶垃圾", "haitan", "塑膠垃圾", "simplified finds traditional, lit as written"},
        {"大学", "haitan", "", "inside the dictionary's 大學生: found by the character pairs"},
        {"铁", "ditie", "", "one character inside the word 地铁: found by the character"},
        {"지하철", "noseon", "지하철", "a Korean word"},
        {"서울", "noseon", "", "a Korean word with a particle (서울시는): found by its pairs"},
        {"지하철 NEAR 노선", "noseon", "지하철", "NEAR between Korean words, not the word near"},
        {"lang:german Brücken", "bruecke", "Brücke", "lang: takes a language's name"},
    };
    for (const Case& c : cases) {
        const Found f = search({c.query});
        EXPECT_EQ(f.articles, std::vector<std::string>{c.article}) << c.why << ": " << c.query;
        if (!c.highlighted.empty()) {
            EXPECT_NE(std::find(f.words.begin(), f.words.end(), c.highlighted), f.words.end())
                << c.why << ": " << c.query << " lit " << ::testing::PrintToString(f.words);
        }
    }
}

TEST_F(Languages, NoArticleIsFoundThroughAnotherLanguagesAnalysis) {
    // German stems "kinder" to "kind": the German article (Kindern) is found, the English one
    // (a "kind gesture") is not, since an article matches only its own language's parse.
    EXPECT_EQ(search({"kinder"}).articles, std::vector<std::string>{"bruecke"});
    // The character-pair fallback is for bare words: a phrase keeps the dictionary's words,
    // and an excluded or required word is not undone by it.
    EXPECT_EQ(search({"\"大学\""}).exit_code, 1);
    EXPECT_EQ(search({"地铁 -北京"}).exit_code, 1);
    EXPECT_EQ(search({"地铁 NOT 北京"}).exit_code, 1);
    EXPECT_EQ(search({"地铁 AND 大学"}).exit_code, 1);
    EXPECT_EQ(search({"lang:klingon", "x"}).exit_code, 2);
    // --lang keeps one language: the German word in the French articles finds nothing.
    EXPECT_EQ(search({"--lang", "german", "Brücken"}).articles,
              std::vector<std::string>{"bruecke"});
    EXPECT_EQ(search({"--lang", "fr", "Brücken"}).exit_code, 1);
}

TEST_F(Languages, AnIndexBuiltWithOneLanguageSaysSo) {
    TempDir dir;
    const std::string forced = dir / "de.db";
    ASSERT_EQ(
        run_command({kIndexer, "--quiet", "--lang", "german", "--db", forced, kArticles}).exit_code,
        0);
    const CommandResult r =
        run_command({kSearcher, "--db", forced, "--json", "--facet", "lang", "date:2024"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_EQ(j["facets"]["lang"]["values"], 1) << j["facets"].dump();
    EXPECT_EQ(j["facets"]["lang"]["top"][0]["value"], "de");
    EXPECT_EQ(j["results"][0]["language"], "de");
}

TEST_F(Languages, AMinoritysRareWordsDoNotOutrankTheMajority) {
    // The samples: one French article (Genève) among English ones (Geneva). The French stem
    // is rare in the whole index but common among the French articles, so the English
    // articles about Geneva come first.
    TempDir dir;
    const std::string samples = dir / "samples.db";
    ASSERT_EQ(run_command({kIndexer, "--quiet", "--db", samples, NEWSIDX_SAMPLES}).exit_code, 0);
    const CommandResult r = run_command({kSearcher, "--db", samples, "--json", "Geneva"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_GE(j["results"].size(), 2u);
    EXPECT_EQ(j["results"][0]["language"], "en") << j["results"][0]["title"];
}

TEST_F(Languages, PercentagesCountTheBestHitsOwnLanguage) {
    const CommandResult r = run_command({kSearcher, "--db", db(), "--json", "striking"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["results"][0]["percent"], 100)
        << "not 100 divided by the number of languages";
}

}  // namespace
}  // namespace newsidx::test
