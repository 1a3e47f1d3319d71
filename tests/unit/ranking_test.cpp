// Ranking evidence beyond BM25: all words, proximity, title words (docs/quality.md). Each test
// shows the order without the evidence and with it, so it fails if the evidence does nothing.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "all_words.hpp"
#include "analyzer.hpp"
#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/options.hpp"
#include "newsidx/search.hpp"
#include "newsidx/stored_record.hpp"
#include "ranking_model.hpp"
#include "schema.hpp"
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
    so.topical_phrase = 0;
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
    so.all_words = kDefaultAllWords;
    EXPECT_EQ(ids(so, "harbour strike council").front(), "every");
    so.max_all_words_terms = 2;
    EXPECT_EQ(ids(so, "harbour strike council").front(), "many")
        << "a query longer than N words gets no all-words evidence";
}

// The source with the ranking's own length normalisation weighs exactly as Xapian weighs an
// AND of the words (the all-words evidence before it had a normalisation of its own), on one
// database and on two searched as one (each weighed with the whole's statistics).
TEST(AllWordsSource, WeighsAsXapiansBm25ForAnAndOfTheWords) {
    // Articles 0-11 have both words (0-6 in the first index, 7-11 in the second); the first
    // also holds short and long articles without them (the words are rare, and at L 0.9 the
    // long ones put every article with the words below the shortest normalised length), the second
    // articles with "harbour" alone, and a third index has no "strike" at all.
    TempDir dir, other, third;
    const auto add = [](const TempDir& d, const std::string& id, const std::string& body) {
        write_file(d / ("c/" + id + ".txt"),
                   article_text("Report " + id, "20220101", "https://example.org/" + id, body));
    };
    for (int i = 0; i < 12; ++i) {
        std::string body = "Port news number " + std::to_string(i) + ".";
        for (int k = 0; k <= i % 4; ++k) body += " The harbour strike went on.";
        if (i % 3 == 0) body += " Harbour harbour.";
        if (i % 5 == 0) body += " Dock workers met the council about pay and hours today.";
        add(i < 7 ? dir : other, "a" + std::to_string(i), body);
    }
    for (int i = 0; i < 20; ++i) add(dir, "f" + std::to_string(i), "Rain.");
    std::string long_body;
    for (int k = 0; k < 80; ++k) long_body += "Rain fell on the town again today. ";
    for (int i = 0; i < 5; ++i) add(dir, "l" + std::to_string(i), long_body);
    for (int i = 0; i < 6; ++i) add(other, "h" + std::to_string(i), "The harbour was calm.");
    for (int i = 0; i < 4; ++i) add(third, "t" + std::to_string(i), "A harbour without news.");
    const std::string one = index_folder(dir), two = index_folder(other),
                      three = index_folder(third);
    for (const bool all : {false, true}) {
        Xapian::Database db(one);
        if (all) {
            db.add_database(Xapian::Database(two));
            db.add_database(Xapian::Database(three));
        }
        const std::vector<std::string> words{"harbour", "strike"};
        for (const double b : {0.0, 0.4, 1.0}) {
            for (const double shortest : {0.1, 0.9}) {
                const detail::Bm25Parameters bm25{2.0, b, shortest};
                Xapian::Enquire enquire(db);
                enquire.set_weighting_scheme(
                    Xapian::BM25Weight(bm25.k1, 0, 1, bm25.b, bm25.min_length));
                enquire.set_query(Xapian::Query(
                    Xapian::Query::OP_SCALE_WEIGHT,
                    Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()), 1.5));
                const Xapian::MSet expected = enquire.get_mset(0, 100);
                enquire.set_query(
                    Xapian::Query((new detail::AllWordsSource(db, words, bm25, 1.5))->release()));
                const Xapian::MSet got = enquire.get_mset(0, 100);
                const std::string where = "b " + std::to_string(b) + ", L " +
                                          std::to_string(shortest) +
                                          (all ? ", three databases" : ", one database");
                ASSERT_EQ(got.size(), all ? 12u : 7u) << where;
                ASSERT_EQ(got.size(), expected.size()) << where;
                std::map<Xapian::docid, double> want;
                for (auto it = expected.begin(); it != expected.end(); ++it)
                    want[*it] = it.get_weight();
                for (auto it = got.begin(); it != got.end(); ++it)
                    EXPECT_NEAR(it.get_weight(), want.at(*it), 1e-9) << where;
            }
        }
    }
}

TEST(AllWordsSource, MatchesOnlyTheArticlesWithEveryWord) {
    TempDir dir;
    // "council" is the rarest word, so the walk starts from it and must skip the articles
    // where it stands without the others; "strike" ends before the others do.
    auto so = index_of(dir, {{"a1", "One", "harbour strike council"},
                             {"a2", "Two", "harbour strike"},
                             {"a3", "Three", "council weather"},
                             {"a4", "Four", "council strike harbour harbour"},
                             {"a5", "Five", "harbour council"},
                             {"a6", "Six", "council harbour news"},
                             {"a7", "Seven", "weather"},
                             {"a8", "Eight", "harbour"},
                             {"a9", "Nine", "harbour again"}});
    Xapian::Database db(so.db_paths.front());
    const std::vector<std::string> words{"harbour", "strike", "council"};
    Xapian::Enquire enquire(db);
    const auto urls = [&enquire, &db] {
        std::set<std::string> out;
        const Xapian::MSet m = enquire.get_mset(0, 10);
        for (auto it = m.begin(); it != m.end(); ++it)
            for (auto t = db.termlist_begin(*it); t != db.termlist_end(*it); ++t)
                if ((*t).rfind("Q", 0) == 0) out.insert((*t).substr((*t).rfind('/') + 1));
        return out;
    };
    enquire.set_query(
        Xapian::Query((new detail::AllWordsSource(db, words, {2, 1, 0}, 1))->release()));
    EXPECT_EQ(urls(), (std::set<std::string>{"a1", "a4"}));
    enquire.set_query(Xapian::Query(
        (new detail::AllWordsSource(db, {"harbour", "absent"}, {2, 1, 0}, 1))->release()));
    EXPECT_EQ(enquire.get_mset(0, 10).size(), 0u) << "a word no article has";
}

TEST(Ranking, AllWordsLengthNormalisationFavoursTheShortArticleWithEveryWord) {
    TempDir dir;
    std::string long_body = "The harbour strike and the council.";
    for (int i = 0; i < 12; ++i)
        long_body += " Workers talked about pay, hours, the weather and the ships that wait.";
    long_body += " Harbour strike council, harbour strike council.";
    auto so = index_of(dir, {{"long", "Port", long_body},
                             {"short", "Dock", "Harbour strike: the council meets."},
                             {"f1", "Other", "Weather today."},
                             {"f2", "Other", "Ships wait."}});
    so.all_words = 1;
    so.all_words_b = so.bm25_b;
    EXPECT_EQ(ids(so, "harbour strike council"), (Ids{"long", "short"}))
        << "with the ranking's normalisation the words' counts win";
    so.all_words_b = 1;
    EXPECT_EQ(ids(so, "harbour strike council"), (Ids{"short", "long"}));
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

// The bonus goes to exactly the articles with the pair in the window, also beside the other
// optional evidence (Xapian 1.4's OP_PHRASE there gave it to some articles whose words were
// out of order or far apart: docs/scale-out.md), and weighs as Xapian weighs the pair.
TEST(Ranking, ProximityCountsOnlyThePairsInTheWindowBesideOtherEvidence) {
    TempDir dir;
    const std::string filler = " one two three four five six seven eight nine ten eleven.";
    auto so = index_of(
        dir, {{"inorder", "Talks", "The security guarantees were signed." + filler},
              {"reversed", "Talks", "The guarantees security were signed." + filler},
              {"gap", "Talks", "The security and guarantees were signed." + filler},
              {"far", "Talks",
               "The security was discussed at length, long before any of the "
               "hard guarantees." +
                   filler},
              {"title", "Security guarantees", "Nothing of the sort was signed." + filler}});
    const auto scores = [&](const SearchOptions& o) {
        SearchOptions q = o;
        q.query = "security guarantees";
        std::map<std::string, double> out;
        for (const Hit& h : search(q).hits) out[h.url.substr(h.url.rfind('/') + 1)] = h.score;
        return out;
    };
    so.all_words = kDefaultAllWords;
    so.title_words = 0.2;
    const std::map<std::string, double> base = scores(so);
    ASSERT_EQ(base.size(), 5u);
    const auto gained = [&](const SearchOptions& o) {
        std::set<std::string> out;
        for (const auto& [id, score] : scores(o))
            if (score > base.at(id) + 1e-9) out.insert(id);
        return out;
    };
    so.ordered_proximity = 0.5;
    // The title's words count as the body's too (both fields are indexed without prefix).
    EXPECT_EQ(gained(so), (std::set<std::string>{"inorder", "gap", "title"}));
    so.ordered_proximity = 0;
    so.unordered_proximity = 0.5;
    EXPECT_EQ(gained(so), (std::set<std::string>{"inorder", "reversed", "gap", "title"}));
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

// The parts of the top hit's score (--explain), by kind.
std::set<std::string> part_kinds(SearchOptions so, const std::string& query) {
    so.query = query;
    so.explain = true;
    const SearchResult r = search(so);
    std::set<std::string> kinds;
    if (!r.hits.empty())
        for (const ScorePart& p : r.hits.front().explanation) kinds.insert(p.part);
    return kinds;
}

TEST(Ranking, AQueryThatNamesASubjectGetsFeedbackInsteadOfTheAllWordsWeight) {
    TempDir dir;
    std::vector<Article> articles;
    // Eleven articles use the name "orange juice" (one with a word between, as "price of gold"
    // is a phrase of "price gold"), each with the crop's other words: feedback reads the top 10.
    for (int i = 0; i < 11; ++i)
        articles.push_back({"oj" + std::to_string(i), "Citrus report " + std::to_string(i),
                            std::string(i == 5 ? "Orange and juice" : "Orange juice") +
                                " futures rose as the Florida frozen concentrate crop shrank."});
    // Two with a word of the name: the one about the subject has the crop's words, and the
    // other, short, repeats the word.
    articles.push_back({"crop", "Crop estimate",
                        "The juice crop in Florida: frozen concentrate shrank as the crop "
                        "estimate fell, and the frozen concentrate price rose in Florida."});
    articles.push_back({"juicy", "Kitchen", "Juice, juice and juice."});
    // The words together, never as a name.
    for (int i = 0; i < 6; ++i)
        articles.push_back({"apart" + std::to_string(i), "Port news " + std::to_string(i),
                            "The harbour closed for a day. Later the strike ended."});
    for (int i = 0; i < 6; ++i)
        articles.push_back({"f" + std::to_string(i), "Council " + std::to_string(i),
                            "The council met about the budget and the museum."});
    SearchOptions so = index_of(dir, articles);
    so.expand = kDefaultExpandTerms;
    so.all_words = kDefaultAllWords;
    ASSERT_EQ(kDefaultTopicalPhrase, 2u);
    so.topical_phrase = 6;
    so.topical_name = kDefaultTopicalName;
    so.query = "orange juice";
    const SearchResult topical = search(so);
    EXPECT_FALSE(topical.expansion.empty()) << "a name six articles use or more: a subject";
    so.limit = 20;
    const Ids hits = ids(so, "orange juice");
    ASSERT_EQ(hits.size(), 13u) << "feedback adds no hit: the count is the words' matches";
    EXPECT_EQ(std::vector<std::string>(hits.end() - 2, hits.end()), (Ids{"crop", "juicy"}))
        << "feedback's terms put the article about the subject above the one that repeats";
    EXPECT_EQ(part_kinds(so, "orange juice"),
              (std::set<std::string>{"bm25", "feedback", "proximity"}))
        << "the name weighs (--topical's W), the all-words weight does not";

    so.topical_phrase = 12;  // one article short of a subject
    so.query = "orange juice";
    EXPECT_TRUE(search(so).expansion.empty());
    const Ids one_story = ids(so, "orange juice");
    ASSERT_EQ(one_story.size(), 13u);
    EXPECT_EQ(std::vector<std::string>(one_story.end() - 2, one_story.end()),
              (Ids{"juicy", "crop"}))
        << "without feedback the short article that repeats the word comes first";
    EXPECT_EQ(part_kinds(so, "orange juice"), (std::set<std::string>{"bm25", "all-words"}));
    so.topical_phrase = 11;
    EXPECT_FALSE(search(so).expansion.empty()) << "P articles are enough";
    so.topical_phrase = 6;

    so.query = "harbour strike";
    EXPECT_TRUE(search(so).expansion.empty()) << "together in six, as a phrase in none";
    EXPECT_EQ(part_kinds(so, "harbour strike").count("all-words"), 1u);
    so.topical_matches = 6;
    EXPECT_FALSE(search(so).expansion.empty()) << "--topical P,6: six with both words is enough";
    so.topical_matches = 0;

    so.query = "juice";
    EXPECT_TRUE(search(so).expansion.empty()) << "one word is not a subject's name";
    so.query = "\"orange juice\"";
    EXPECT_TRUE(search(so).expansion.empty()) << "a quoted phrase is not bare words";
    so.expand = 0;
    so.query = "orange juice";
    EXPECT_TRUE(search(so).expansion.empty()) << "--expand 0 turns feedback off for every query";
    EXPECT_EQ(part_kinds(so, "orange juice").count("all-words"), 0u);
}

TEST(Ranking, ASubjectsNameRanksTheArticlesThatUseItFirst) {
    TempDir dir;
    // Tennis: "cup" again and again, "world" far from it. Football: the name, once.
    std::vector<Article> articles;
    for (int i = 0; i < 3; ++i)
        articles.push_back({"davis" + std::to_string(i), "Tennis " + std::to_string(i),
                            "Davis Cup tie: the cup holders lead. The cup final is next. "
                            "Players from around the world came."});
    for (int i = 0; i < 3; ++i)
        articles.push_back({"football" + std::to_string(i), "Football " + std::to_string(i),
                            "The World Cup bid was lodged by the association on Monday with the "
                            "plans for eight new stadiums and a training camp near the coast."});
    for (int i = 0; i < 4; ++i)
        articles.push_back({"f" + std::to_string(i), "Council " + std::to_string(i),
                            "The council met about the budget and the museum."});
    SearchOptions so = index_of(dir, articles);
    so.topical_phrase = 2;  // a subject: three articles use the name
    EXPECT_EQ(ids(so, "world cup").front().rfind("davis", 0), 0u) << "the name weighs nothing";
    so.topical_name = 1;
    EXPECT_EQ(ids(so, "world cup").front().rfind("football", 0), 0u)
        << "its name puts the articles that use it first";
    so.query = "world cup";
    so.explain = true;
    const SearchResult r = search(so);
    ASSERT_FALSE(r.hits.empty());
    double name = 0;
    for (const ScorePart& part : r.hits.front().explanation)
        if (part.part == "proximity") name += part.weight;
    EXPECT_GT(name, 0) << "--explain shows the name's weight as proximity";
}

// Feedback and more-like-this weigh terms as Xapian's ESet does with exact frequencies, on one
// database and on three searched as one: the same terms in the same order, the same weights.
// (The statistics come from one match instead of one call per term and remote member.)
TEST(Expansion, WeighsAsXapiansEsetWithExactFrequencies) {
    TempDir one, two, three;
    const std::vector<const TempDir*> dirs{&one, &two, &three};
    std::mt19937 random(20261205);
    std::vector<std::string> vocabulary;
    for (int i = 0; i < 90; ++i) vocabulary.push_back("w" + std::to_string(i * 7919 % 1000));
    for (int i = 0; i < 60; ++i) {
        std::string body;
        const int words = 5 + static_cast<int>(random() % 60);
        for (int k = 0; k < words; ++k) {
            // Zipf-like: low indexes are common, high ones rare.
            const std::size_t at = random() % (1 + random() % vocabulary.size());
            body += vocabulary[at] + (k % 9 == 8 ? ". " : " ");
        }
        const std::string id = "e" + std::to_string(i);
        write_file(*dirs[i % 3] / ("c/" + id + ".txt"),
                   article_text("Report " + id, "20220101", "https://example.org/" + id,
                                body + "the end."));
    }
    const std::string paths[] = {index_folder(one), index_folder(two), index_folder(three)};
    for (const bool all : {false, true}) {
        Xapian::Database db(paths[0]);
        // Each member's own database too: a set with a remote member reads each member's
        // documents in a thread of its own.
        std::vector<Xapian::Database> parts{Xapian::Database(paths[0])};
        if (all) {
            for (const std::string& path : {paths[1], paths[2]}) {
                parts.emplace_back(path);
                db.add_database(parts.back());
            }
        }
        const Xapian::Query own(Xapian::Query::OP_OR, Xapian::Query(vocabulary[0]),
                                Xapian::Query(vocabulary[3]));
        const std::set<std::string> stop = Analyzer("english").stop_terms();
        struct Decider : Xapian::ExpandDecider {
            const std::set<std::string>* stop;
            const Xapian::Database* db;
            bool shared_only = false;
            bool operator()(const std::string& t) const override {
                return schema::prefix_of(t) == nullptr && !stop->count(t) &&
                       (!shared_only || db->get_termfreq(t) > 1);
            }
        } decider;
        decider.stop = &stop;
        decider.db = &db;
        const Xapian::doccount documents = db.get_doccount();
        for (const std::vector<Xapian::docid>& relevant :
             std::vector<std::vector<Xapian::docid>>{{1}, {2, 3, 5}, {1, 4, 7, 9, 11, 14, 17, 18, 19, 20}}) {
            for (const auto& [shared_only, remote] :
                 {std::pair{false, false}, {true, false}, {false, true}, {true, true}}) {
                decider.shared_only = shared_only;
                Xapian::Enquire enquire(db);
                enquire.set_query(own);
                Xapian::RSet rset;
                for (Xapian::docid did : relevant) rset.add_document(did);
                for (const unsigned count : {3u, 7u, 40u}) {
                const Xapian::ESet want = enquire.get_eset(
                    count, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
                // Both ways of asking for the frequencies: term by term (local) and in one
                // match (a set with a remote shard).
                const std::vector<ranking::ExpansionTerm> got =
                    ranking::expansion_terms(db, relevant, own, count, shared_only,
                                             {remote, {}, remote ? &parts : nullptr});
                const std::string where = std::to_string(relevant.size()) + " relevant of " +
                                          std::to_string(documents) + ", best " +
                                          std::to_string(count) +
                                          (shared_only ? ", shared only" : "") +
                                          (remote ? ", in one match" : "");
                ASSERT_GE(want.size(), std::min(count, 5u)) << where;
                ASSERT_EQ(got.size(), want.size()) << where;
                std::size_t i = 0;
                for (auto it = want.begin(); it != want.end(); ++it, ++i) {
                    EXPECT_EQ(got[i].term, *it) << where << ", rank " << i;
                    EXPECT_NEAR(got[i].weight, it.get_weight(), 1e-9) << where << ", " << *it;
                }
                }
            }
        }
    }
}

// Terms of equal weight at the cut are kept as get_eset keeps them (it walks the terms in order
// and drops the earlier of equal weights): five words that one other article has, once each.
TEST(Expansion, KeepsTiedTermsAtTheCutAsXapiansEsetDoes) {
    TempDir dir;
    const auto add = [&](const std::string& id, const std::string& title, const std::string& body) {
        write_file(dir / ("c/" + id + ".txt"),
                   article_text(title, "20220101", "https://example.org/" + id, body));
    };
    add("r", "Zulu", "alpha bravo charlie delta echo.");
    add("o", "Yankee", "alpha bravo charlie delta echo.");
    for (int i = 0; i < 8; ++i) add("f" + std::to_string(i), "Xray", "Foxtrot golf hotel.");
    Xapian::Database db(index_folder(dir));
    Xapian::docid r = 0;
    for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did)
        if (StoredRecord::of(db.get_document(did)).url == "https://example.org/r") r = did;
    ASSERT_NE(r, 0u);
    struct Decider : Xapian::ExpandDecider {
        const Xapian::Database* db;
        bool operator()(const std::string& t) const override {
            return schema::prefix_of(t) == nullptr && db->get_termfreq(t) > 1;
        }
    } decider;
    decider.db = &db;
    Xapian::Enquire enquire(db);
    Xapian::RSet rset;
    rset.add_document(r);
    for (const unsigned count : {1u, 2u, 4u}) {
        const Xapian::ESet want =
            enquire.get_eset(count, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        for (const bool remote : {false, true}) {
            const std::vector<ranking::ExpansionTerm> got =
                ranking::expansion_terms(db, {r}, Xapian::Query(), count, true, {remote, {}});
            std::vector<std::string> terms;
            for (const auto& t : got) terms.push_back(t.term);
            EXPECT_EQ(terms, std::vector<std::string>(want.begin(), want.end())) << count;
        }
    }
    const std::vector<ranking::ExpansionTerm> two =
        ranking::expansion_terms(db, {r}, Xapian::Query(), 2, true, {});
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0].weight, two[1].weight) << "a tie at the cut";
}

// A set with a remote shard ranks with what a server runs (Xapian's own query parts, the
// all-words weights handed over by order value, statistics in batches); it must rank as the
// local formulation does: the same hits, the same scores, the same expansion terms.
TEST(RemoteRanking, RanksAsTheLocalFormulation) {
    SearchOptions so;
    so.db_paths = {samples_db()};
    so.limit = 20;
    const auto compare = [&](const std::string& where) {
        so.remote_ranking = false;
        const SearchResult local = search(so);
        so.remote_ranking = true;
        const SearchResult remote = search(so);
        ASSERT_FALSE(local.hits.empty()) << where;
        ASSERT_EQ(local.hits.size(), remote.hits.size()) << where;
        EXPECT_EQ(local.expansion, remote.expansion) << where;
        for (std::size_t i = 0; i < local.hits.size(); ++i) {
            EXPECT_EQ(local.hits[i].url, remote.hits[i].url) << where << " #" << i;
            EXPECT_NEAR(local.hits[i].score, remote.hits[i].score, 1e-9) << where << " #" << i;
        }
    };
    // With and without the options' filters (a filter must not bring the phrase beside the
    // other optional parts), with the default ranking and with --proximity (Xapian's near as
    // well as its phrase).
    for (const auto& [query, since] :
         {std::pair{"security guarantees", ""}, {"border talks security guarantees", ""},
          {"harbour strike", ""}, {"talks geneva", ""}, {"written security guarantees", ""},
          {"security", ""}, {"grain corridor ships", ""}, {"password manager breach", ""},
          {"guarantees talks", ""}, {"prime minister accord", ""},
          {"security guarantees", "2022-02"}, {"border talks security guarantees", "2022"},
          {"written security guarantees", "2022-03"}, {"guarantees talks", "2021"}}) {
        so.query = query;
        so.since = since;
        for (const auto& [ordered, unordered] : {std::pair{0.0, 0.0}, {0.5, 0.3}}) {
            so.ordered_proximity = ordered;
            so.unordered_proximity = unordered;
            compare(std::string(query) + (ordered > 0 ? " --proximity" : ""));
        }
    }
}

// Beyond its limit of articles with every word, a remote set leaves the all-words evidence out
// and says so; within it, the evidence is there.
TEST(RemoteRanking, LeavesTheAllWordsEvidenceOutBeyondItsLimitAndSaysSo) {
    SearchOptions so;
    so.db_paths = {samples_db()};
    so.query = "talks border";  // not a subject: it gets the all-words evidence
    so.explain = true;
    so.remote_ranking = true;
    const auto has_all_words = [](const SearchResult& r) {
        for (const Hit& hit : r.hits)
            for (const ScorePart& part : hit.explanation)
                if (part.part == "all-words") return true;
        return false;
    };
    const auto noted = [](const SearchResult& r) {
        return std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) {
            return n.find("the all-words evidence is left out") != std::string::npos;
        });
    };
    const SearchResult within = search(so);
    EXPECT_TRUE(has_all_words(within));
    EXPECT_FALSE(noted(within));
    so.remote_all_words = 1;
    const SearchResult beyond = search(so);
    EXPECT_FALSE(has_all_words(beyond));
    EXPECT_TRUE(noted(beyond));
    ASSERT_FALSE(beyond.notes.empty());
    EXPECT_EQ(beyond.notes.back(),
              "more than 1 articles have every word: with a remote shard the all-words evidence is "
              "left out, so the order can differ from one index's");
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
    parse_all_words("2,4,0.9", so);
    EXPECT_EQ(so.all_words, 2);
    EXPECT_EQ(so.max_all_words_terms, 4u);
    EXPECT_EQ(so.all_words_b, 0.9);
    for (const char* bad : {"", "x", "1,", "1,1.5", "-1", "1,1", "nan", "1,8x", "1,5,1.5",
                            "1,5,-0.1", "1,5,0.4,1", "0x1", "1e1"})
        refused(parse_all_words, bad, "--all-words wants W[,N[,B]]");
    for (const char* bad : {"", "x", "0.1,", "-0.1,0", "0.1,-1", "0.1,0.1,0.1", "inf"})
        refused(parse_proximity, bad, "--proximity wants W,U");
    parse_topical("4", so);
    EXPECT_EQ(so.topical_phrase, 4u);
    EXPECT_EQ(so.topical_matches, 0u);
    EXPECT_EQ(so.topical_name, kDefaultTopicalName) << "W keeps its value";
    parse_topical("0,200,1.5", so);
    EXPECT_EQ(so.topical_phrase, 0u);
    EXPECT_EQ(so.topical_matches, 200u);
    EXPECT_EQ(so.topical_name, 1.5);
    for (const char* bad : {"", "x", "1.5", "-1", "1,", "1,2,3,4", "1,-2", "0x1", "1,2,101"})
        refused(parse_topical, bad, "--topical wants P[,M[,W]]");
}

}  // namespace
}  // namespace newsidx::test
