#include "newsidx/index_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>

#include "document.hpp"
#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/search.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

class Quiet : public IndexObserver {
  public:
    void on_rejected(const RecordError& e) override { ADD_FAILURE() << e.to_string(); }
    void on_warning(const std::string&) override {}
    void on_progress(std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t) override {}
};

// An English index and a French one, each built with its own analyzer.
class TwoLanguages : public ::testing::Test {
  protected:
    void SetUp() override {
        write_file(dir_ / "en/talks.txt",
                   article_text("Negotiators returned to Geneva", "20220208",
                                "https://en.example.org/talks",
                                "The negotiators returned to the table after a week."));
        write_file(
            dir_ / "fr/accord.txt",
            article_text("Accord sur les échanges", "20220209", "https://fr.example.org/accord",
                         "Les organisations internationaux ont salué l'accord."));
        build("en", "english");
        build("fr", "french");
    }

    void build(const std::string& name, const std::string& language) {
        IndexOptions o;
        o.db_path = dir_ / (name + ".db");
        o.inputs = {dir_ / name};
        o.language = language;
        Quiet quiet;
        run_index(o, quiet);
    }

    std::vector<std::string> ids(const std::vector<std::string>& dbs, const std::string& query,
                                 const std::string& lang = {}) {
        SearchOptions o;
        for (const std::string& d : dbs)
            o.db_paths.push_back(d == "en" || d == "fr" ? dir_ / (d + ".db") : d);
        o.db_paths.erase(o.db_paths.begin());  // the default newsidx.db
        o.query = query;
        o.language = lang;
        auto v = ids_of(search(o));
        std::sort(v.begin(), v.end());
        return v;
    }

    TempDir dir_;
};

using Ids = std::vector<std::string>;

TEST_F(TwoLanguages, EachIndexIsSearchedWithItsOwnAnalyzerInEitherOrder) {
    for (const Ids& order : {Ids{"en", "fr"}, Ids{"fr", "en"}}) {
        // "returning" meets "returned" only through the English stemmer, "internationale"
        // meets "internationaux" only through the French one.
        EXPECT_EQ(ids(order, "returning"), (Ids{"talks"})) << order[0];
        EXPECT_EQ(ids(order, "internationale"), (Ids{"accord"})) << order[0];
        EXPECT_EQ(ids(order, "returning internationale"), (Ids{"accord", "talks"})) << order[0];
        EXPECT_EQ(ids(order, "\"returning to\""), (Ids{"talks"})) << "phrases too";
    }
}

TEST_F(TwoLanguages, LangKeepsTheArticlesOfThatLanguage) {
    EXPECT_EQ(ids({"en", "fr"}, "returning internationale", "fr"), (Ids{"accord"}));
    EXPECT_EQ(ids({"fr", "en"}, "returning internationale", "english"), (Ids{"talks"}));
    EXPECT_EQ(ids({"en", "fr"}, "returning internationale", "german"), Ids{})
        << "a language no article has finds nothing";
    try {
        ids({"en", "fr"}, "x", "klingon");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::BadOption);
        EXPECT_STREQ(e.what(), "unknown language 'klingon'");
    }
}

// The highlighted words of each hit's snippet, by the language of its index.
std::map<std::string, std::vector<std::string>> highlighted(const std::vector<std::string>& dbs,
                                                            const std::string& query) {
    SearchOptions o;
    o.db_paths = dbs;
    o.query = query;
    std::map<std::string, std::vector<std::string>> out;
    for (const Hit& h : search(o).hits) {
        auto& words = out[h.url.find("fr.") != std::string::npos ? "fr" : "en"];
        for (const auto& [b, e] : h.snippet.highlights)
            words.push_back(h.snippet.text.substr(b, e - b));
    }
    return out;
}

using Words = std::map<std::string, std::vector<std::string>>;

TEST_F(TwoLanguages, SnippetsStemEachArticleWithItsOwnAnalyzer) {
    EXPECT_EQ(highlighted({dir_ / "fr.db", dir_ / "en.db"}, "returning internationale"),
              (Words{{"en", {"returned"}}, {"fr", {"internationaux"}}}));
}

// "to" is an English stop word and "les" a French one: each parse drops its own, keeps the
// other's, and a snippet highlights only what its article's own parse matched.
TEST_F(TwoLanguages, SnippetsHighlightOnlyTheWordsOfTheirOwnLanguagesParse) {
    EXPECT_EQ(highlighted({dir_ / "en.db", dir_ / "fr.db"}, "returned to les organisations"),
              (Words{{"en", {"returned"}}, {"fr", {"organisations"}}}));
}

TEST_F(TwoLanguages, AStubFileNamesTheMembers) {
    write_file(dir_ / "all.stub",
               "# both archives\nauto en.db\n\nglass " + (dir_ / "fr.db") + "\n");
    EXPECT_EQ(ids({dir_ / "all.stub"}, "returning internationale"), (Ids{"accord", "talks"}));
    const IndexSet set = IndexSet::open({dir_ / "all.stub"});
    ASSERT_EQ(set.members().size(), 2u);
    EXPECT_EQ(set.members()[0].path, dir_ / "en.db");
    EXPECT_EQ(set.members()[0].analyzer, "english");
    EXPECT_EQ(set.members()[1].analyzer, "french");

    // A stub may name another stub: its members take its place, each named on its own.
    write_file(dir_ / "outer.stub", "auto all.stub\n");
    EXPECT_EQ(ids({dir_ / "outer.stub"}, "returning internationale"), (Ids{"accord", "talks"}));
    EXPECT_EQ(IndexSet::open({dir_ / "outer.stub"}).members().size(), 2u);
    write_file(dir_ / "loop.stub", "auto loop.stub\n");
    try {
        IndexSet::open({dir_ / "loop.stub"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "stub file '" + dir_ / "loop.stub" + "': stub files nest too deep");
    }
}

TEST_F(TwoLanguages, ErrorsNameTheMemberThatFailed) {
    struct Case {
        std::vector<std::string> paths;
        std::string stub;  // written to dir_/bad.stub when not empty
        std::string message;
    };
    const std::string missing = dir_ / "missing.db";
    const Case cases[] = {
        {{"en", missing}, "", "no index at '" + missing + "'"},
        {{missing, "en"}, "", "no index at '" + missing + "'"},
        {{"en", dir_ / "bad.stub"},
         "auto fr.db\nshard x\n",
         dir_ / "bad.stub" + ":2: unknown kind 'shard'"},
        {{"en", dir_ / "bad.stub"},
         "auto missing.db\n",
         dir_ / "bad.stub" + ":1: no index at '" + missing + "'"},
        {{"en", dir_ / "bad.stub"},
         "remote :127.0.0.1:76o1\n",
         dir_ / "bad.stub" +
             ":1: remote needs :HOST:PORT, a port of digits: remote :127.0.0.1:76o1"},
        {{"en", dir_ / "bad.stub"},
         "remote 127.0.0.1:7601\n",
         dir_ / "bad.stub" +
             ":1: '127.0.0.1:7601' is neither :HOST:PORT (the colon first) nor a program"},
        {{"en", dir_ / "bad.stub"},
         "# nothing\n",
         "stub file '" + dir_ / "bad.stub" + "' names no index"},
        {{"en", dir_ / "bad.stub"},
         "remote\n",
         dir_ / "bad.stub" + ":1: remote needs :HOST:PORT or a program and its arguments"},
        {{"en", dir_ / "bad.stub"},
         "remote :news:0\n",
         dir_ / "bad.stub" + ":1: not a host and port: remote :news:0"},
    };
    for (const Case& c : cases) {
        if (!c.stub.empty()) write_file(dir_ / "bad.stub", c.stub);
        try {
            ids(c.paths, "returning");
            ADD_FAILURE() << c.message;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::NoIndex);
            EXPECT_EQ(std::string(e.what()), c.message);
            // A missing member of a right line is no syntax error: the hint says what to do.
            if (c.stub == "auto missing.db\n") {
                EXPECT_EQ(e.hint(), "is it on another machine or mount? index it with: indexer "
                                    "--db " + missing + " PATH...; or drop the line to search "
                                    "without it");
            }
        }
    }
    // A member of another schema is named, wherever it stands.
    {
        Xapian::WritableDatabase w(dir_ / "fr.db");
        w.set_metadata("newsidx.schema", "2");
        w.commit();
    }
    for (const Ids& order : {Ids{"en", "fr"}, Ids{"fr", "en"}}) {
        try {
            ids(order, "returning");
            ADD_FAILURE();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
            EXPECT_EQ(std::string(e.what()), "index '" + dir_ / "fr.db" +
                                                 "' has schema version 2; this searcher reads "
                                                 "version 10");
            EXPECT_EQ(e.hint(),
                      "re-index with: indexer --rebuild --db " + dir_ / "fr.db" + " PATH...");
        }
    }
}

TEST_F(TwoLanguages, BlameFindsTheMemberOnWhichAnOperationFails) {
    const IndexSet set = IndexSet::open({dir_ / "en.db", dir_ / "fr.db"});
    EXPECT_EQ(set.blame([](const IndexMember& member, const Xapian::Database& db) {
        EXPECT_EQ(db.get_metadata("newsidx.lang"), member.analyzer);
        if (member.analyzer == "french") throw std::runtime_error("x");
    }),
              dir_ / "fr.db");
    EXPECT_EQ(set.blame([](const IndexMember&, const Xapian::Database&) {}),
              dir_ / "en.db" + "', '" + dir_ / "fr.db")
        << "fails on none alone: the whole set is named";
}

// Each shard records its split, so a set that is not whole (a shard twice, one missing, splits
// mixed) is told apart from one that is, and the answers say so.
TEST(ShardsOfASet, ASetThatIsNotWholeSaysSo) {
    TempDir dir;
    for (int i = 0; i < 9; ++i)
        write_file(dir / ("c/" + std::to_string(i) + ".txt"),
                   article_text("Harbour story " + std::to_string(i), "20220210",
                                "https://a.example.org/" + std::to_string(i),
                                "The harbour council met again today."));
    Quiet quiet;
    for (unsigned k = 1; k <= 3; ++k) {
        IndexOptions o;
        o.db_path = dir / ("part" + std::to_string(k));
        o.inputs = {dir / "c"};
        o.shard = ShardSpec{k, 3};
        run_index(o, quiet);
    }
    IndexOptions whole;
    whole.db_path = dir / "whole";
    whole.inputs = {dir / "c"};
    run_index(whole, quiet);
    const auto notes = [&](const std::vector<std::string>& parts) {
        std::vector<std::string> paths;
        for (const std::string& p : parts) paths.push_back(dir / p);
        return IndexSet::open(paths).notes();
    };
    using Notes = std::vector<std::string>;
    EXPECT_EQ(notes({"part1", "part2", "part3"}), Notes{});
    EXPECT_EQ(notes({"whole"}), Notes{});
    EXPECT_EQ(notes({"part2"}),
              Notes{"shards 1, 3 of 3 are not in the set: the answers leave their articles out"});
    EXPECT_EQ(notes({"part1", "part2", "part2", "part3"}),
              Notes{"shard 2 of 3 is in the set more than once: their articles count twice"});
    EXPECT_EQ(notes({"part1", "part2", "part3", "whole"}),
              Notes{"the set mixes indexes of different splits (whole indexes and shards of sets "
                    "of 3): an article in two of them counts twice"});
    SearchOptions o;
    o.query = "harbour";
    o.db_paths = {dir / "part1", dir / "part1"};
    const Notes expected{
        "shard 1 of 3 is in the set more than once: their articles count twice",
        "shards 2, 3 of 3 are not in the set: the answers leave their articles out"};
    EXPECT_EQ(search(o).notes, expected);
}

// Issue #14: a set of shards (indexer --shards 3) answers as one index of the same articles:
// the same hits in the same order, with the same scores, percentages and snippets, and the same
// facet and timeline counts. The corpus has what tells layouts apart: identical copies under
// other URLs (equal scores, which Xapian orders by document id), words whose wildcard expands
// to terms some shards lack, and words in only one shard (Xapian 1.4 weighs snippet words by
// the sum of the shards' weight bounds).
TEST(ShardsOfASet, AnswerLikeOneIndexOfTheSameArticles) {
    TempDir dir;
    const char* const kWords[] = {"bank",   "banker",  "banking", "bankrupt", "harbour", "strike",
                                  "budget", "council", "river",   "storm",    "rail",    "market"};
    std::uint32_t seed = 7;
    const auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 8) % 1000; };
    for (int i = 0; i < 60; ++i) {
        std::string body;
        for (int w = 0; w < 30 + static_cast<int>(next() % 40); ++w)
            body += std::string(body.empty() ? "" : " ") + kWords[next() % std::size(kWords)];
        if (i % 7 == 0) body += " lighthouse" + std::to_string(i);  // a word of one article
        const std::string date = "202202" + std::to_string(10 + next() % 3);
        const std::string title = std::string(kWords[next() % 4]) + " news " + std::to_string(i);
        write_file(dir / ("c/" + std::to_string(i) + ".txt"),
                   article_text(title, date, "https://a.example.org/" + std::to_string(i), body));
        if (i % 5 == 0)  // a copy elsewhere: the same words, the same day
            write_file(
                dir / ("c/copy" + std::to_string(i) + ".txt"),
                article_text(title, date, "https://b.example.net/" + std::to_string(i), body));
    }
    Quiet quiet;
    IndexOptions whole;
    whole.db_path = dir / "one";
    whole.inputs = {dir / "c"};
    run_index(whole, quiet);
    IndexOptions set = whole;
    set.db_path = dir / "set";
    set.shards = 3;
    run_index(set, quiet);
    for (unsigned k = 1; k <= 3; ++k)  // every shard has articles
        EXPECT_GT(Xapian::Database(dir / ("set/" + std::to_string(k))).get_doccount(), 10u);

    struct Case {
        std::string query;
        std::function<void(SearchOptions&)> set_up;
    };
    const std::vector<Case> cases = {
        {"bank", {}},
        {"bank*", {}},
        {"harbour strike", {}},
        {"\"harbour strike\"", {}},
        {"bank* market", [](SearchOptions& o) { o.limit = 25; }},
        {"harbour", [](SearchOptions& o) { o.offset = 7, o.limit = 9; }},
        {"river storm", [](SearchOptions& o) { o.sort = SortOrder::Newest, o.limit = 30; }},
        {"council", [](SearchOptions& o) { o.sort = SortOrder::Oldest, o.offset = 5; }},
        {"budget rail", [](SearchOptions& o) { o.expand = 5, o.expand_min_words = 1; }},
        {"market",
         [](SearchOptions& o) {
             o.facets = {"site", "year"};
             o.timeline = "day";
         }},
        {"lighthouse0 OR lighthouse7 OR harbour", {}},
        {"rail", [](SearchOptions& o) { o.recency_days = 2; }},
    };
    for (const Case& c : cases) {
        SearchOptions o;
        o.query = c.query;
        if (c.set_up) c.set_up(o);
        o.db_paths = {dir / "one"};
        const SearchResult a = search(o);
        o.db_paths = {dir / "set"};
        const SearchResult b = search(o);
        ASSERT_FALSE(a.hits.empty()) << c.query;
        ASSERT_EQ(a.hits.size(), b.hits.size()) << c.query;
        EXPECT_EQ(a.total_estimate, b.total_estimate) << c.query;
        for (std::size_t i = 0; i < a.hits.size(); ++i) {
            const Hit &x = a.hits[i], &y = b.hits[i];
            EXPECT_EQ(x.url, y.url) << c.query << " #" << i;
            EXPECT_NEAR(x.score, y.score, 1e-9 * x.score) << c.query << " #" << i;
            EXPECT_EQ(x.percent, y.percent) << c.query << " #" << i;
            EXPECT_EQ(x.snippet.text, y.snippet.text) << c.query << " #" << i;
            EXPECT_EQ(x.snippet.highlights, y.snippet.highlights) << c.query << " #" << i;
        }
        EXPECT_EQ(a.expansion, b.expansion) << c.query;
        ASSERT_EQ(a.facets.size(), b.facets.size());
        for (std::size_t f = 0; f < a.facets.size(); ++f) {
            EXPECT_EQ(a.facets[f].values, b.facets[f].values);
            ASSERT_EQ(a.facets[f].top.size(), b.facets[f].top.size());
            for (std::size_t v = 0; v < a.facets[f].top.size(); ++v) {
                EXPECT_EQ(a.facets[f].top[v].value, b.facets[f].top[v].value);
                EXPECT_EQ(a.facets[f].top[v].count, b.facets[f].top[v].count);
            }
        }
        ASSERT_EQ(a.timeline.has_value(), b.timeline.has_value());
        if (a.timeline) {
            EXPECT_EQ(a.timeline->total, b.timeline->total);
            ASSERT_EQ(a.timeline->buckets.size(), b.timeline->buckets.size());
            for (std::size_t t = 0; t < a.timeline->buckets.size(); ++t)
                EXPECT_EQ(a.timeline->buckets[t].count, b.timeline->buckets[t].count);
        }
        EXPECT_TRUE(b.notes.empty()) << c.query;
    }
    // Copies with equal scores: in the order of their URLs' hash, in both layouts.
    SearchOptions o;
    o.query = "\"news 0\"";
    o.db_paths = {dir / "one"};
    const SearchResult copies = search(o);
    ASSERT_GE(copies.hits.size(), 2u);
    EXPECT_EQ(copies.hits[0].score, copies.hits[1].score);
    EXPECT_LT(order_key(id_term_of(copies.hits[0].url)), order_key(id_term_of(copies.hits[1].url)));
    // Collapsing is where a set differs, and says so.
    o.collapse = true;
    o.db_paths = {dir / "set"};
    EXPECT_EQ(search(o).notes,
              std::vector<std::string>{"near-duplicate clusters are formed within each index of "
                                       "the set: copies held by different shards are not folded "
                                       "together"});
    // --proximity's bonuses read the positions themselves: a set ranks as one index.
    o.collapse = false;
    o.query = "news report";
    o.ordered_proximity = 0.5;
    o.unordered_proximity = 0.3;
    const SearchResult in_set = search(o);
    EXPECT_TRUE(in_set.notes.empty());
    o.db_paths = {dir / "one"};
    const SearchResult in_one = search(o);
    ASSERT_EQ(in_set.hits.size(), in_one.hits.size());
    for (std::size_t i = 0; i < in_one.hits.size(); ++i) {
        EXPECT_EQ(in_set.hits[i].url, in_one.hits[i].url) << i;
        EXPECT_NEAR(in_set.hits[i].score, in_one.hits[i].score, 1e-9) << i;
    }
}

}  // namespace
}  // namespace newsidx::test
