// Ranking evidence beyond BM25: all words, proximity, title words (docs/quality.md). Each test
// shows the order without the evidence and with it, so it fails if the evidence does nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/query.hpp"
#include "newsidx/search.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

using Ids = std::vector<std::string>;

struct Article {
    std::string id, title, body;
};

// An index of `articles` (ids become the last URL segment) and options that search it with
// every piece of evidence off.
SearchOptions index_of(const TempDir& dir, const std::vector<Article>& articles) {
    for (const Article& a : articles)
        write_file(dir / ("c/" + a.id + ".txt"),
                   article_text(a.title, "20220101", "https://example.org/" + a.id, a.body));
    SearchOptions so;
    so.db_paths = {index_folder(dir)};
    so.all_words = 0;
    so.ordered_proximity = 0;
    so.unordered_proximity = 0;
    so.title_words = 0;
    so.title_boost = 0;
    so.expand = 0;
    return so;
}

Ids ids(SearchOptions so, const std::string& query) {
    so.query = query;
    return ids_of(search(so));
}

TEST(Ranking, AllWordsPutsTheArticleWithEveryWordAboveOneThatRepeatsAFew) {
    TempDir dir;
    auto so = index_of(
        dir, {{"many", "Harbour news", "harbour strike harbour strike harbour strike harbour."},
              {"every", "Port report", "The harbour strike went to the council on Monday."},
              {"f1", "Council", "The council met."},
              {"f2", "Council", "The council voted."},
              {"f3", "Council", "The council spoke."}});
    EXPECT_EQ(ids(so, "harbour strike council").front(), "many") << "BM25 alone";
    so.all_words = 1;
    EXPECT_EQ(ids(so, "harbour strike council").front(), "every");
    so.max_all_words_terms = 2;
    EXPECT_EQ(ids(so, "harbour strike council").front(), "many")
        << "a query longer than N words gets no all-words evidence";
}

TEST(Ranking, ProximityPutsAdjacentWordsAboveScatteredOnes) {
    TempDir dir;
    const std::vector<Article> articles{
        {"near", "Talks",
         "Officials discussed security guarantees for the region at length today, in a meeting "
         "at the ministry that went on late into the night, with more to come next week."},
        {"apart", "Talks",
         "Security was discussed by the ministers of both countries for hours; then "
         "guarantees."},
        {"other", "Weather", "Rain is expected."}};
    auto so = index_of(dir, articles);
    EXPECT_EQ(ids(so, "security guarantees"), (Ids{"apart", "near"})) << "the shorter first";
    so.ordered_proximity = 0.5;
    EXPECT_EQ(ids(so, "security guarantees"), (Ids{"near", "apart"}));
    EXPECT_EQ(ids(so, "guarantees security"), (Ids{"apart", "near"}))
        << "ordered proximity wants the query's order";
    so.unordered_proximity = 0.5;
    EXPECT_EQ(ids(so, "guarantees security"), (Ids{"near", "apart"}))
        << "unordered proximity takes either";
}

TEST(Ranking, TitleWordsFavourTheArticleWithTheWordsInItsTitle) {
    TempDir dir;
    auto so = index_of(
        dir, {{"titled", "Harbour strike",
               "Dock workers walked out on Monday, and the port stood still for a day or two "
               "while the union and the employers met at the ministry to talk about pay."},
              {"body", "Dock workers walk out", "harbour strike harbour strike harbour strike"},
              {"other", "Weather", "Rain is expected."}});
    EXPECT_EQ(ids(so, "harbour strike").front(), "body");
    so.title_words = 2;
    EXPECT_EQ(ids(so, "harbour strike").front(), "titled");
}

TEST(Ranking, APerfectMatchShows100AlthoughTheEvidenceAddsTerms) {
    TempDir dir;
    auto so = index_of(
        dir, {{"body", "Dock workers walk out", "harbour strike harbour strike harbour strike"},
              {"titled", "Harbour news",
               "Dock workers walked out on Monday, and the port stood still for "
               "a day or two while the union and the employers met."},
              {"other", "Weather", "Rain is expected."}});
    so.title_words = 0.2;
    so.all_words = 1;
    so.query = "harbour strike";
    const SearchResult r = search(so);
    ASSERT_EQ(ids_of(r), (Ids{"body", "titled"})) << "the best hit has no query word in its title";
    EXPECT_EQ(r.hits[0].percent, 100);
    EXPECT_LT(r.hits[1].percent, 100);
}

TEST(Ranking, AHeadlinePastedAsWrittenFindsItsTwinThatDiffersInPunctuation) {
    TempDir dir;
    // Syndicated twins: the same words, one title with quotes; each body names the app once.
    auto so = index_of(dir, {{"quoted", "STC offers e-bills through «MySTC»",
                              "Customers can now receive their bills in the MySTC app."},
                             {"plain", "STC offers e-bills through MySTC",
                              "Customers can now receive their bills in the MySTC app today."}});
    so.title_boost = 1;
    EXPECT_EQ(ids(so, "STC offers e-bills through «MySTC»").front(), "quoted");
    EXPECT_EQ(ids(so, "STC offers e-bills through MySTC").front(), "plain");
    EXPECT_EQ(ids(so, "  STC offers e-bills   through «MySTC» ").front(), "quoted")
        << "spaces do not count";
}

TEST(Ranking, EvidenceNeverAddsOrRemovesAHit) {
    const std::string db = search_fixture_db();
    SearchOptions off, on;
    off.db_paths = on.db_paths = {db};
    off.all_words = off.ordered_proximity = off.unordered_proximity = off.title_words = 0;
    on.all_words = on.ordered_proximity = on.unordered_proximity = on.title_words = 3;
    for (const char* query : {"security guarantees", "state union strike", "bank security news",
                              "harbour", "talks \"security guarantees\"", "security -bank"}) {
        off.query = on.query = query;
        const SearchResult a = search(off), b = search(on);
        EXPECT_EQ(a.total_estimate, b.total_estimate) << query;
        Ids sa = ids_of(a), sb = ids_of(b);
        std::sort(sa.begin(), sa.end());
        std::sort(sb.begin(), sb.end());
        EXPECT_EQ(sa, sb) << query;
    }
}

TEST(Ranking, OptionsAreCheckedWithAClearMessage) {
    SearchOptions so;
    parse_all_words("1.5,8", so);
    EXPECT_EQ(so.all_words, 1.5);
    EXPECT_EQ(so.max_all_words_terms, 8u);
    parse_all_words("0.5", so);
    EXPECT_EQ(so.all_words, 0.5);
    EXPECT_EQ(so.max_all_words_terms, 8u) << "N keeps its value when only W is given";
    parse_proximity("0.2,0.1", so);
    EXPECT_EQ(so.ordered_proximity, 0.2);
    EXPECT_EQ(so.unordered_proximity, 0.1);
    // Each text is refused as a bad option, with the message that names the option's form.
    const auto refused = [&so](void (*parse_option)(std::string_view, SearchOptions&),
                               const char* bad, const std::string& message) {
        try {
            parse_option(bad, so);
            ADD_FAILURE() << "accepted '" << bad << "' (" << message << ")";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::BadOption);
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    };
    for (const char* bad : {"", "x", "1,", "1,1.5", "-1", "1,1", "nan", "1,8x"})
        refused(parse_all_words, bad, "--all-words wants W or W,N");
    for (const char* bad : {"", "x", "0.1,", "-0.1,0", "0.1,-1", "0.1,0.1,0.1", "inf"})
        refused(parse_proximity, bad, "--proximity wants W,U");
}

}  // namespace
}  // namespace newsidx::test
