// --explain (issue #25): a hit's score told as the sum of its parts, each computed by the
// ranking module. Over samples/ (articles in five languages, so each language's parse is
// scaled), for queries that bring in each part, every hit's parts add up to its score.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <set>
#include <string>

#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/search.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

SearchResult explained(const std::string& query, SearchOptions options = {}) {
    options.db_paths = {samples_db()};
    options.explain = true;
    options.limit = 10;
    Searcher searcher(options);
    return searcher.search(query);
}

// The kinds of part hit `hit` has.
std::set<std::string> kinds(const Hit& hit) {
    std::set<std::string> out;
    for (const ScorePart& p : hit.explanation) out.insert(p.part);
    return out;
}

// Every hit's parts add up to its score.
void expect_sums(const SearchResult& result) {
    ASSERT_FALSE(result.hits.empty()) << result.query;
    EXPECT_TRUE(result.explained);
    for (const Hit& hit : result.hits) {
        double sum = 0;
        for (const ScorePart& p : hit.explanation) sum += p.weight;
        EXPECT_NEAR(sum, hit.score, 1e-9 * hit.score) << result.query << ", rank " << hit.rank;
        EXPECT_EQ(kinds(hit).count("other"), 0u) << "every weight has a name: " << result.query;
    }
}

TEST(Explain, BareWordsAreBm25PerWordAllWordsAndTitleWords) {
    SearchOptions one_story;
    one_story.topical_phrase = 0;  // not read as a subject's name
    const SearchResult r = explained("security guarantees", one_story);
    expect_sums(r);
    const Hit& top = r.hits.front();
    EXPECT_EQ(kinds(top), (std::set<std::string>{"bm25", "all-words", "title words"}));
    // By default it is one: the samples use the phrase in more than six articles.
    const SearchResult subject = explained("security guarantees");
    expect_sums(subject);
    EXPECT_EQ(kinds(subject.hits.front()),
              (std::set<std::string>{"bm25", "feedback", "proximity", "title words"}));
    std::set<std::string> words;
    for (const ScorePart& p : top.explanation)
        if (p.part == "bm25") words.insert(p.detail.substr(0, p.detail.find(' ')));
    EXPECT_EQ(words, (std::set<std::string>{"secur", "guarante"})) << "one part per word";
}

TEST(Explain, OperatorsPhrasesAndFieldsAreTheirTerms) {
    const SearchResult r = explained("\"security guarantees\" OR title:ceasefire");
    expect_sums(r);
    std::set<std::string> details;
    for (const Hit& hit : r.hits)
        for (const ScorePart& p : hit.explanation) details.insert(p.detail.substr(0, p.detail.find(' ')));
    EXPECT_TRUE(details.count("title:ceasefir")) << "a title: word is a title term";
    EXPECT_TRUE(details.count("secur") && details.count("guarante")) << "a phrase's words";
}

TEST(Explain, FeedbackRecencyProximityAndAPastedTitleHaveTheirParts) {
    SearchOptions feedback;
    feedback.expand = 5;
    feedback.expand_min_words = 1;
    feedback.recency_days = 30;
    feedback.ordered_proximity = 1;
    const SearchResult r = explained("border talks", feedback);
    expect_sums(r);
    std::set<std::string> seen;
    for (const Hit& hit : r.hits) seen.merge(kinds(hit));
    for (const char* kind : {"bm25", "feedback", "recency", "proximity", "all-words"})
        EXPECT_TRUE(seen.count(kind)) << kind;

    const SearchResult title =
        explained("Draft text of security guarantees published after week of delays");
    expect_sums(title);
    EXPECT_TRUE(kinds(title.hits.front()).count("exact title"));
}

TEST(Explain, WildcardsCharacterPairsAndExcludedWords) {
    const SearchResult wild = explained("guarant*");
    expect_sums(wild);
    EXPECT_EQ(wild.hits.front().explanation.front().detail.rfind("guarant* (", 0), 0u)
        << "the wildcard as typed, its expansions counted: " << wild.hits.front().explanation.front().detail;

    const SearchResult pairs = explained("恢复通车");
    expect_sums(pairs);
    std::set<std::string> seen;
    for (const Hit& hit : pairs.hits) seen.merge(kinds(hit));
    EXPECT_TRUE(seen.count("character pairs"));

    const SearchResult none = explained("-sport");
    ASSERT_FALSE(none.hits.empty());
    EXPECT_TRUE(none.hits.front().explanation.empty()) << "an excluded word weighs nothing";
    EXPECT_EQ(none.hits.front().score, 0);
}

TEST(Explain, TitleWordsAndFeedbackAreTheTermsTheArticleHas) {
    SearchOptions feedback;
    feedback.expand = 5;
    feedback.expand_min_words = 1;
    const SearchResult r = explained("border talks geneva", feedback);
    expect_sums(r);
    for (const Hit& hit : r.hits)
        for (const ScorePart& p : hit.explanation) {
            if (p.part == "title words") {
                EXPECT_EQ(p.detail.rfind("title:", 0), 0u) << "one title term a part: " << p.detail;
                const std::string word = p.detail.substr(6, p.detail.find(' ') - 6);
                std::string title = hit.title;
                for (char& c : title) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                EXPECT_NE(title.find(word.substr(0, 4)), std::string::npos)
                    << "a word of this title: " << word << " in " << hit.title;
            }
            if (p.part == "feedback") {
                EXPECT_EQ(p.detail.find(' '), p.detail.find(" (")) << "one term a part";
            }
        }
}

TEST(QueryFixes, DotsAloneAreNoWordsAndAHeadlineIsSaid) {
    SearchOptions options;
    options.db_paths = {samples_db()};
    Searcher searcher(options);
    try {
        searcher.search("..");
        ADD_FAILURE() << "'..' was searched";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::BadQuery);
        EXPECT_STREQ(e.what(), "nothing to search for in '..' (no words)");
    }
    const SearchResult headline = searcher.search("BORDER TALKS NOT GENEVA");
    ASSERT_FALSE(headline.notes.empty());
    EXPECT_EQ(headline.notes.front().rfind("read as a pasted headline", 0), 0u);
    EXPECT_TRUE(searcher.search("border talks NOT geneva").notes.empty()) << "an operator typed";
}

TEST(Explain, NothingIsExplainedUnlessAsked) {
    SearchOptions options;
    options.db_paths = {samples_db()};
    Searcher searcher(options);
    const SearchResult r = searcher.search("security guarantees");
    EXPECT_FALSE(r.explained);
    EXPECT_TRUE(r.hits.front().explanation.empty());
}

}  // namespace
}  // namespace newsidx::test
