#include "newsidx/index_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

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
        {{"en", dir_ / "bad.stub"}, "auto missing.db\n", "no index at '" + missing + "'"},
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
                                                 "version 6");
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

}  // namespace
}  // namespace newsidx::test
