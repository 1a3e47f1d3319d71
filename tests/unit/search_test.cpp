#include "newsidx/search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "newsidx/cli.hpp"
#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "schema.hpp"
#include "search_fixture.hpp"
#include "analyzer.hpp"
#include "kwic.hpp"
#include "origin.hpp"
#include "significant.hpp"
#include "snippet.hpp"
#include "wildcards.hpp"

namespace newsidx::test {

namespace {

struct Doc {
    const char* id;
    const char* title;
    const char* date;
    const char* host;
    const char* body;
};

constexpr Doc kDocs[] = {
    {"a1", "Talks end with offer of security guarantees", "20220208", "news.example.org",
     "The delegation said written security guarantees would be sent within a week."},
    {"a2", "Guarantees remain unclear after summit", "20220301", "www.bbc.co.uk",
     "Security was discussed at length; guarantees were not. The security of the region "
     "depends on the talks."},
    {"a3", "Harbour expansion approved", "20210614", "harbour.example.com",
     "The council approved the harbour expansion. Fishermen protested outside."},
    {"a4", "Straßenfest in Köln abgesagt", "20230309", "www.example.de",
     "Das Straßenfest wurde wegen Regen abgesagt."},
    {"a5", "Marathon record falls", "20221009", "sport.bbc.co.uk",
     "The runner broke the course record in the city marathon."},
    {"a6", "Bank raises interest rates", "20220922", "www.bbc.co.uk",
     "The bank raised interest rates again. Security markets fell on the news."},
    {"a7", "President speaks to congress", "20230207", "news.example.org",
     "He delivered the state of the union address to a joint session."},
    {"a8", "Public sector strike", "20230115", "news.example.org",
     "Workers of the state union went on strike over pay in the union of the state."},
};

}  // namespace

const std::string& search_fixture_db() {
    static TempDir dir;
    static const std::string db = [] {
        for (const Doc& d : kDocs) {
            write_file(dir / (std::string("corpus/") + d.id + ".txt"),
                       article_text(d.title, d.date, std::string("https://") + d.host + "/" + d.id,
                                    d.body));
        }
        return index_folder(dir, "corpus");
    }();
    return db;
}

const std::string& samples_db() {
    static const TempDir dir;
    static const std::string db = [] {
        IndexOptions opts;
        opts.db_path = (dir.path() / "db").string();
        opts.inputs = {NEWSIDX_SAMPLES};
        SilentObserver quiet;
        run_index(opts, quiet);
        return opts.db_path;
    }();
    return db;
}

std::string index_folder(const TempDir& dir, const std::string& folder) {
    IndexOptions opts;
    opts.db_path = dir / "db";
    opts.inputs = {dir / folder};
    SilentObserver observer;
    run_index(opts, observer);
    return opts.db_path;
}

std::vector<std::string> ids_of(const SearchResult& result) {
    std::vector<std::string> ids;
    for (const Hit& h : result.hits) ids.push_back(h.url.substr(h.url.rfind('/') + 1));
    return ids;
}

namespace {

SearchResult run(const std::string& query, SearchOptions opts = {}) {
    opts.db_paths = {search_fixture_db()};
    opts.query = query;
    return search(opts);
}

std::vector<std::string> ids(const std::string& query, SearchOptions opts = {}) {
    return ids_of(run(query, std::move(opts)));
}

std::vector<std::string> sorted_ids(const std::string& query, SearchOptions opts = {}) {
    auto v = ids(query, std::move(opts));
    std::sort(v.begin(), v.end());
    return v;
}

using Ids = std::vector<std::string>;

TEST(Search, RanksPlainWordsByBm25WithTitleMatchesFirst) {
    // a1 has both words in title and body; a2 has both, "guarantees" in the title; a6 only
    // "security" in its body.
    EXPECT_EQ(ids("security guarantees"), (Ids{"a1", "a2", "a6"}));
    EXPECT_EQ(run("security guarantees").total_estimate, 3u);
}

TEST(Search, PhraseNarrowsARankedQuery) {
    EXPECT_EQ(ids("\"security guarantees\""), (Ids{"a1"}));
    EXPECT_EQ(ids("\"guarantees security\""), (Ids{})) << "word order matters in a phrase";
    EXPECT_EQ(ids("\"security guarantee\""), (Ids{"a1"})) << "phrases match on stems";
}

TEST(Search, StopWordsInsideAPhraseStillMatch) {
    EXPECT_EQ(ids("\"state of the union\""), (Ids{"a7"}));
    EXPECT_EQ(sorted_ids("state of the union"), (Ids{"a7", "a8"}));
}

TEST(Search, BooleanOperators) {
    EXPECT_EQ(ids("security AND rates"), (Ids{"a6"}));
    EXPECT_EQ(sorted_ids("harbour OR marathon"), (Ids{"a3", "a5"}));
    EXPECT_EQ(sorted_ids("security NOT guarantees"), (Ids{"a6"}));
    EXPECT_EQ(sorted_ids("+security -rates"), (Ids{"a1", "a2"}));
    EXPECT_EQ(sorted_ids("(harbour OR marathon) AND record"), (Ids{"a5"}));
}

TEST(Search, TitleField) {
    EXPECT_EQ(sorted_ids("title:guarantees"), (Ids{"a1", "a2"}));
    EXPECT_EQ(ids("title:\"security guarantees\""), (Ids{"a1"}));
    EXPECT_EQ(ids("title:security"), (Ids{"a1"})) << "a2 and a6 have it in the body only";
}

TEST(Search, SiteFieldMatchesHostAndSubdomains) {
    EXPECT_EQ(sorted_ids("security site:bbc.co.uk"), (Ids{"a2", "a6"}));
    EXPECT_EQ(ids("record site:sport.bbc.co.uk"), (Ids{"a5"}));
    EXPECT_EQ(sorted_ids("site:bbc.co.uk"), (Ids{"a2", "a5", "a6"})) << "a filter alone";
    EXPECT_EQ(ids("security site:example.org"), (Ids{"a1"}));
}

TEST(Search, DateRangeInBothSpellings) {
    EXPECT_EQ(ids("date:20220201..20220228"), (Ids{"a1"}));
    EXPECT_EQ(sorted_ids("date:2022-02-01..2022-03-31"), (Ids{"a1", "a2"}));
    EXPECT_EQ(sorted_ids("security date:20220901..20221231"), (Ids{"a6"}));
}

TEST(Search, OpenEndedDateRanges) {
    EXPECT_EQ(sorted_ids("date:20230101.."), (Ids{"a4", "a7", "a8"}));
    EXPECT_EQ(ids("date:..2021-12-31"), (Ids{"a3"}));
}

TEST(Search, AdjKeepsTheOrder) {
    EXPECT_EQ(ids("security ADJ/3 region"), (Ids{"a2"}));
    EXPECT_EQ(ids("region ADJ/3 security"), (Ids{})) << "ADJ, unlike NEAR, is ordered";
    EXPECT_EQ(ids("region NEAR/3 security"), (Ids{"a2"}));
    // Wildcards beside NEAR and ADJ stay Xapian's own (found by fuzzing: a wildcard expanded
    // by the client is no term, which NEAR refuses).
    for (const char* query :
         {"secur* ADJ/3 region", "region NEAR/3 secur*", "regi* NEAR/3 secur*"}) {
        const Ids found = ids(query);
        EXPECT_NE(std::find(found.begin(), found.end(), "a2"), found.end()) << query;
    }
}

TEST(Search, PrefixWildcardExpandsOverStems) {
    EXPECT_EQ(ids("harb*"), (Ids{"a3"}));
    EXPECT_EQ(sorted_ids("guarantee*"), (Ids{"a1", "a2"})) << "guarantee* finds the stem guarante";
    EXPECT_EQ(sorted_ids("protest*"), (Ids{"a3"}));
}

// Issue #10, item 2: a wildcard inside a phrase expands (Xapian 1.4's parser read it as the
// bare word and found nothing).
TEST(Search, WildcardInsideAPhraseExpands) {
    EXPECT_EQ(ids("\"security guarant*\""), (Ids{"a1"}));
    EXPECT_EQ(ids("\"secur* guarant*\""), (Ids{"a1"}));
    EXPECT_EQ(ids("title:\"security guarant*\""), (Ids{"a1"}));
    EXPECT_EQ(ids("\"security guarant*\" -delegation"), (Ids{})) << "combines with the rest";
    EXPECT_EQ(sorted_ids("\"security guarant*\" OR marathon"), (Ids{"a1", "a5"}));
    EXPECT_EQ(ids("\"security zzz*\""), (Ids{})) << "no expansion, no match, no error";
    EXPECT_EQ(ids("\"guarant* security\""), (Ids{})) << "the order still counts";
}

// The expansions of a wildcard in a phrase are bounded: the 100 most frequent (ties in term
// order), shared out between the wildcards of a phrase.
TEST(Search, WildcardPhraseExpansionsAreBounded) {
    TempDir dir;
    for (int i = 0; i < 150; ++i) {
        const std::string n = std::to_string(1000 + i);
        write_file(dir / ("c/" + n + ".txt"),
                   article_text("Report " + n, "20220208", "https://x.org/" + n,
                                "The alpha" + n + " beta gamma" + n + " delta."));
    }
    SearchOptions opts;
    opts.db_paths = {index_folder(dir)};
    opts.query = "\"alpha* beta\"";
    EXPECT_EQ(search(opts).total_estimate, 100u);
    opts.query = "\"alpha* beta gamma* delta\"";
    EXPECT_EQ(search(opts).total_estimate, 10u) << "10 by 10 phrases, of which 10 match";
}

// Issue #11, item 4: facets count every match, not only the page.
TEST(Search, FacetsCountEveryMatchPerSiteYearAndLanguage) {
    SearchOptions opts;
    opts.limit = 1;
    opts.facets = {"site", "year", "lang"};
    const SearchResult r = run("security", opts);
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_EQ(r.total_estimate, 3u);
    ASSERT_EQ(r.facets.size(), 3u);
    EXPECT_EQ(r.facets[0].field, "site");
    EXPECT_EQ(r.facets[0].values, 2u);
    ASSERT_EQ(r.facets[0].top.size(), 2u);
    EXPECT_EQ(r.facets[0].top[0].value, "www.bbc.co.uk");
    EXPECT_EQ(r.facets[0].top[0].count, 2u);
    EXPECT_EQ(r.facets[0].top[1].value, "news.example.org");
    EXPECT_EQ(r.facets[0].top[1].count, 1u);
    ASSERT_EQ(r.facets[1].top.size(), 1u);
    EXPECT_EQ(r.facets[1].top[0].value, "2022");
    EXPECT_EQ(r.facets[1].top[0].count, 3u);
    ASSERT_EQ(r.facets[2].top.size(), 1u);
    EXPECT_EQ(r.facets[2].top[0].value, "en");
    // Filters apply to the counts too.
    opts.site = "news.example.org";
    const SearchResult filtered = run("security", opts);
    ASSERT_EQ(filtered.facets[0].top.size(), 1u);
    EXPECT_EQ(filtered.facets[0].top[0].count, 1u);
    opts.facets = {"author"};
    EXPECT_THROW(run("security", opts), Error);
}

// Issue #11, item 3: the timeline counts every match (not the page), filters applied.
TEST(Search, TimelineCountsEveryMatchPerPeriod) {
    SearchOptions opts;
    opts.limit = 1;
    opts.timeline = "month";
    const SearchResult r = run("security", opts);
    ASSERT_TRUE(r.timeline);
    EXPECT_EQ(r.timeline->total, r.total_estimate);
    EXPECT_EQ(r.timeline->total, 3u);
    ASSERT_EQ(r.timeline->buckets.size(), 8u) << "February to September 2022";
    EXPECT_EQ(r.timeline->buckets[0].label, "2022-02");
    EXPECT_EQ(r.timeline->buckets[0].count, 1u);
    EXPECT_EQ(r.timeline->buckets[1].count, 1u);
    EXPECT_EQ(r.timeline->buckets[7].label, "2022-09");
    EXPECT_EQ(r.timeline->buckets[7].count, 1u);
    opts.site = "bbc.co.uk";
    EXPECT_EQ(run("security", opts).timeline->total, 2u);
    opts.timeline = "fortnight";
    EXPECT_THROW(run("security", opts), Error);
}

// A page whose edge ties (a query of filters only: every weight is 0) is fetched again wider
// (hits.cpp, page_in_order); the spies saw every match in the first fetch, and counted each
// again in every wider one: "date:2022" counted 7 times over on the combined corpora.
TEST(Search, FacetsAndTimelineCountEachMatchOnceWhenThePageEdgeTies) {
    SearchOptions opts;
    opts.db_paths = {samples_db()};
    opts.query = "date:2022";
    opts.limit = 1;
    opts.facets = {"year"};
    opts.timeline = "year";
    const SearchResult r = search(opts);
    ASSERT_EQ(r.total_estimate, 17u) << "the samples of 2022";
    ASSERT_EQ(r.facets.at(0).top.size(), 1u);
    EXPECT_EQ(r.facets[0].top[0].count, 17u);
    ASSERT_TRUE(r.timeline);
    EXPECT_EQ(r.timeline->total, 17u);
}

// Issue #29, item 1: with --share every count has beside it the articles that pass the same
// filters without the query: a year's, a site's own output.
TEST(Search, ShareCountsEveryArticleWithTheSameFilters) {
    SearchOptions opts;
    opts.limit = 1;
    opts.timeline = "year";
    opts.facets = {"site"};
    opts.share = true;
    // "security": a1 (Feb), a2 (Mar), a6 (Sep 2022); 2022 has a1, a2, a5, a6.
    SearchResult r = run("security", opts);
    ASSERT_TRUE(r.timeline);
    EXPECT_TRUE(r.timeline->share);
    ASSERT_EQ(r.timeline->buckets.size(), 1u);
    EXPECT_EQ(r.timeline->buckets[0].count, 3u);
    EXPECT_EQ(r.timeline->buckets[0].all, 4u);
    EXPECT_EQ(r.timeline->all_total, 4u);
    ASSERT_EQ(r.facets.at(0).top.size(), 2u);
    EXPECT_TRUE(r.facets[0].share);
    EXPECT_EQ(r.facets[0].top[0].value, "www.bbc.co.uk");
    EXPECT_EQ(r.facets[0].top[0].count, 2u);
    EXPECT_EQ(r.facets[0].top[0].all, 2u) << "a2 and a6 (a5 is sport.bbc.co.uk)";
    EXPECT_EQ(r.facets[0].top[1].value, "news.example.org");
    EXPECT_EQ(r.facets[0].top[1].count, 1u);
    EXPECT_EQ(r.facets[0].top[1].all, 3u) << "a1, a7, a8";
    // The filters narrow the base too: bbc.co.uk's 2022 is a2, a5 and a6.
    opts.site = "bbc.co.uk";
    r = run("security", opts);
    EXPECT_EQ(r.timeline->buckets.at(0).count, 2u);
    EXPECT_EQ(r.timeline->buckets.at(0).all, 3u);
    // A filter typed in the query is a filter of the base as well.
    opts.site.clear();
    r = run("security site:news.example.org", opts);
    EXPECT_EQ(r.timeline->buckets.at(0).count, 1u);
    EXPECT_EQ(r.timeline->buckets.at(0).all, 1u) << "news.example.org's 2022 is a1";
    // So is one typed beside a phrase, an excluded one, and a query of filters only; one that
    // narrows only a part of the query cannot narrow the base, and a note says so.
    r = run("\"security guarantees\" site:news.example.org", opts);
    EXPECT_EQ(r.timeline->buckets.at(0).count, 1u);
    EXPECT_EQ(r.timeline->buckets.at(0).all, 1u);
    r = run("security -site:www.bbc.co.uk", opts);
    EXPECT_EQ(r.timeline->buckets.at(0).count, 1u) << "a1";
    EXPECT_EQ(r.timeline->buckets.at(0).all, 2u) << "a1 and a5 (sport.bbc.co.uk)";
    r = run("date:2022", opts);
    EXPECT_EQ(r.timeline->buckets.at(0).count, 4u);
    EXPECT_EQ(r.timeline->buckets.at(0).all, 4u);
    EXPECT_TRUE(r.notes.empty());
    r = run("harbour OR security site:news.example.org", opts);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("does not narrow the base"), std::string::npos) << r.notes[0];
    // By month: the months between without an article have no share.
    opts.timeline = "month";
    opts.facets.clear();
    r = run("security", opts);
    ASSERT_EQ(r.timeline->buckets.size(), 8u);
    EXPECT_EQ(r.timeline->buckets[1].all, 1u) << "March: a2";
    EXPECT_EQ(r.timeline->buckets[2].all, 0u) << "April";
    EXPECT_EQ(r.timeline->all_total, 3u) << "a1, a2, a6: a5 (October) is past the last match";
    // Without the option, no base.
    opts.share = false;
    r = run("security", opts);
    EXPECT_FALSE(r.timeline->share);
    EXPECT_EQ(r.timeline->buckets[1].all, 0u);
    // --share shows the timeline's and facets' counts: without either it is refused.
    opts.share = true;
    opts.timeline.clear();
    EXPECT_THROW(run("security", opts), Error);
}

// Issue #29, item 2: queries compared on one timeline, over the span of all of them, with the
// same filters and base.
TEST(Search, CompareDrawsEveryQueryOverOneSpan) {
    SearchOptions opts;
    opts.limit = 1;
    opts.timeline = "year";
    opts.share = true;
    opts.compare = {"harbour", "zzqx"};
    // "security": a1, a2, a6 (2022); "harbour": a3 (2021); "zzqx" nothing.
    SearchResult r = run("security", opts);
    ASSERT_TRUE(r.timeline);
    const auto labels = [](const Timeline& t) {
        std::vector<std::string> out;
        for (const auto& b : t.buckets)
            out.push_back(b.label + "=" + std::to_string(b.count) + "/" + std::to_string(b.all));
        return out;
    };
    EXPECT_EQ(labels(*r.timeline), (std::vector<std::string>{"2021=0/1", "2022=3/4"}));
    ASSERT_EQ(r.compared.size(), 2u);
    EXPECT_EQ(r.compared[0].query, "harbour");
    EXPECT_EQ(labels(r.compared[0].timeline), (std::vector<std::string>{"2021=1/1", "2022=0/4"}));
    EXPECT_EQ(r.compared[0].timeline.total, 1u);
    EXPECT_EQ(labels(r.compared[1].timeline), (std::vector<std::string>{"2021=0/1", "2022=0/4"}));
    // Each compared query is searched with the filters of the first.
    opts.site = "bbc.co.uk";
    r = run("security", opts);
    EXPECT_EQ(labels(*r.timeline), (std::vector<std::string>{"2022=2/3"}));
    EXPECT_EQ(labels(r.compared.at(0).timeline), (std::vector<std::string>{"2022=0/3"}));
    // A compared query's own filter narrows its counts, not the shared base: said.
    opts.compare = {"harbour site:harbour.example.com"};
    r = run("security", opts);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("has filters of its own"), std::string::npos) << r.notes[0];
    opts.compare = {"harbour", "zzqx"};
    // By story: the compared query's stories too.
    opts.site.clear();
    opts.share = false;
    opts.collapse = true;
    opts.compare = {"bank"};
    r = run("security", opts);
    EXPECT_EQ(r.compared.at(0).timeline.total, 1u);
    EXPECT_TRUE(r.compared.at(0).timeline.stories);
    // At most four beside the first; only with a timeline.
    opts.compare = {"a", "b", "c", "d", "e"};
    EXPECT_THROW(run("security", opts), Error);
    opts.compare = {"harbour"};
    opts.timeline.clear();
    EXPECT_THROW(run("security", opts), Error);
    opts.timeline = "year";
    opts.compare = {"  "};
    EXPECT_THROW(run("security", opts), Error);
}

// Issue #29, item 3: the two scorings on a known table: 10 of 100 matching stories have the
// word, 10 of 900 others.
TEST(Significant, ScoresAKnownTable) {
    EXPECT_NEAR(log_likelihood(10, 100, 10, 900), 21.176963, 1e-5);
    EXPECT_NEAR(jlh(10, 100, 10, 900), (0.1 - 0.02) * (0.1 / 0.02), 1e-12);
    // Not over-represented in the matches: no score.
    EXPECT_EQ(log_likelihood(1, 100, 90, 900), 0);
    EXPECT_EQ(jlh(1, 100, 90, 900), 0);
}

// The words of the fixture's "security" matches (a1, a2, a6) against its other articles, each
// story once: too few stories for a word to count (three at least), then enough.
TEST(Search, SignificantWordsCountStories) {
    SearchOptions opts;
    opts.limit = 1;
    opts.significant = 5;
    SearchResult r = run("security", opts);
    ASSERT_TRUE(r.significance);
    EXPECT_EQ(r.significance->scoring, "jlh");
    EXPECT_EQ(r.significance->stories, 3u);
    EXPECT_EQ(r.significance->others, 5u);
    EXPECT_TRUE(r.significance->words.empty()) << "no word but the query's is in all three";
    opts.db_paths = {samples_db()};
    opts.query = "security guarantees";
    r = search(opts);
    ASSERT_TRUE(r.significance);
    ASSERT_FALSE(r.significance->words.empty());
    for (const SignificantWord& w : r.significance->words) {
        EXPECT_GE(w.count, 3u) << w.word;
        EXPECT_NE(w.term, "secur") << "the query's own words are left out";
        EXPECT_GT(static_cast<double>(w.count) / r.significance->stories,
                  static_cast<double>(w.others) / r.significance->others)
            << w.word;
    }
    // --against previous needs the period; xapian's weights are against the whole index.
    opts.against = "previous";
    EXPECT_THROW(search(opts), Error);
    opts.since = "2022-03";
    opts.until = "2022-03";
    opts.significance = "xapian";
    EXPECT_THROW(search(opts), Error);
    opts.significance = "llr";
    r = search(opts);
    EXPECT_EQ(r.significance->against, "previous");
    EXPECT_EQ(r.significance->period, "2022-01-29..2022-02-28");
}

// Issue #29, item 4: a passage is compared in runs of five words, folded, without punctuation.
TEST(Origin, ComparesRunsOfFiveFoldedWords) {
    EXPECT_EQ(origin_words("Written «security» guarantees, would-be SENT."),
              (std::vector<std::string>{"written", "security", "guarantees", "would", "be", "sent"}));
    EXPECT_EQ(word_runs({"a", "b", "c", "d", "e", "f"}, 5),
              (std::vector<std::string>{"a b c d e", "b c d e f"}));
    EXPECT_EQ(word_runs({"a", "b", "c", "d"}, 4), (std::vector<std::string>{"a b c d"}));
    // On the fixture: a1 carries the sentence whole; a shortened one too; a few words are
    // refused.
    SearchOptions opts;
    opts.db_paths = {search_fixture_db()};
    Searcher searcher(opts);
    Origin o = searcher.origin("The delegation said written security guarantees would be sent");
    ASSERT_EQ(o.carriers.size(), 1u);
    EXPECT_TRUE(o.carriers[0].whole);
    EXPECT_EQ(o.carriers[0].article.url, "https://news.example.org/a1");
    EXPECT_EQ(o.stories, 1u);
    o = searcher.origin("The delegation said written security guarantees would be sent by post today");
    ASSERT_EQ(o.carriers.size(), 1u);
    EXPECT_FALSE(o.carriers[0].whole);
    EXPECT_NEAR(o.carriers[0].coverage, 5.0 / 8, 1e-9) << "5 of its 8 runs";
    EXPECT_THROW(searcher.origin("security guarantees"), Error);
    // A passage of four words is compared in runs of four.
    o = searcher.origin("written security guarantees would");
    ASSERT_EQ(o.carriers.size(), 1u);
    EXPECT_TRUE(o.carriers[0].whole);
    // A stock phrase of a long passage (under a quarter of its runs) is no carrying of it.
    EXPECT_TRUE(searcher.origin("The delegation said that nothing of what was promised at the "
                                "summit in the spring had been kept by anyone")
                    .carriers.empty());
    EXPECT_TRUE(searcher.origin("nothing of this is in any article here").carriers.empty());
}

// Issue #29, item 5: every occurrence, a phrase's words as one, N words each side as written.
TEST(Kwic, LinesAreTheTextAroundEachOccurrence) {
    const Xapian::Stem stem = Analyzer("english").snippet_stemmer();
    const std::set<std::string> stems = {"secur", "guarante"};
    const auto lines = kwic_lines(
        "Written security guarantees, the delegation said. \"Guarantees\" were promised;\nnone came.",
        stem, stems, 2);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].left, "Written");
    EXPECT_EQ(lines[0].keyword, "security guarantees");
    EXPECT_EQ(lines[0].right, ", the delegation");
    EXPECT_EQ(lines[1].left, "delegation said. \"");
    EXPECT_EQ(lines[1].keyword, "Guarantees");
    EXPECT_EQ(lines[1].right, "\" were promised");
    // Arabic: punctuation is not part of a word; a line break is a space.
    const auto arabic = kwic_lines("ارتفعت أسعار «النفط»،\nاليوم", Analyzer("arabic").snippet_stemmer(),
                                   {Analyzer("arabic").snippet_stemmer()("النفط")}, 1);
    ASSERT_EQ(arabic.size(), 1u);
    EXPECT_EQ(arabic[0].left, "أسعار «");
    EXPECT_EQ(arabic[0].keyword, "النفط");
    EXPECT_EQ(arabic[0].right, "»، اليوم");
    // Through the searcher: each hit's lines.
    SearchOptions opts;
    opts.kwic = 3;
    const SearchResult r = run("guarantees", opts);
    ASSERT_FALSE(r.hits.empty());
    for (const Hit& hit : r.hits) EXPECT_FALSE(hit.kwic.empty()) << hit.url;
}

// Issue #29, item 5: SENTENCE and PARAGRAPH, by ICU's sentence boundaries kept as gaps of
// positions at index time (schema 9). a2: "Security was discussed at length; guarantees were
// not. The security of the region depends on the talks."
TEST(Search, SentenceAndParagraph) {
    EXPECT_EQ(ids("discussed SENTENCE guarantees"), (Ids{"a2"}));
    EXPECT_EQ(ids("guarantees SENTENCE region"), (Ids{}));
    EXPECT_EQ(ids("guarantees PARAGRAPH region"), (Ids{"a2"}));
    EXPECT_EQ(sorted_ids("security SENTENCE talks"), (Ids{"a1", "a2"})) << "a1: its title";
    EXPECT_EQ(ids("discussed SENTENCE guarantees SENTENCE length"), (Ids{"a2"}));
    // A phrase does not run over a sentence's end.
    EXPECT_EQ(ids("\"not the security\""), (Ids{}));
    EXPECT_EQ(ids("\"the security\""), (Ids{"a2"}));
    // Nothing is read as a broader query than written: a distance, a phrase, a wildcard, NOT,
    // brackets or the operator twice are refused.
    for (const char* bad : {"SENTENCE talks", "talks PARAGRAPH", "\"security guarantees\" SENTENCE talks",
                            "talks SENTENCE/3 region", "secur* SENTENCE talks",
                            "talks SENTENCE NOT region", "(talks OR x) SENTENCE region",
                            "talks SENTENCE SENTENCE region", "talks SENTENCE -region"}) {
        try {
            ids(bad);
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::BadQuery) << bad;
        }
    }
}

TEST(Search, Near) {
    EXPECT_EQ(ids("security NEAR/3 region"), (Ids{"a2"}));
    EXPECT_EQ(ids("security NEAR/1 region"), (Ids{}));
}

TEST(Search, AllRequiresEveryWord) {
    SearchOptions all;
    all.match_all = true;
    EXPECT_EQ(sorted_ids("security guarantees", all), (Ids{"a1", "a2"}));
    EXPECT_EQ(ids("security harbour", all), (Ids{}));
    EXPECT_EQ(sorted_ids("security harbour"), (Ids{"a1", "a2", "a3", "a6"}));
}

TEST(Search, FoldsCaseAndAccentsLikeTheIndexer) {
    EXPECT_EQ(ids("STRASSENFEST"), (Ids{"a4"}));
    EXPECT_EQ(ids("Straßenfest"), (Ids{"a4"}));
    EXPECT_EQ(ids("koln"), (Ids{"a4"}));
    EXPECT_EQ(ids("KÖLN"), (Ids{"a4"}));
}

TEST(Search, SinceUntilAndSiteOptionsFilter) {
    SearchOptions o;
    o.since = "2022-03-01";
    EXPECT_EQ(sorted_ids("security", o), (Ids{"a2", "a6"}));
    o.until = "20220630";
    EXPECT_EQ(sorted_ids("security", o), (Ids{"a2"}));
    SearchOptions s;
    s.site = "BBC.co.uk";
    EXPECT_EQ(sorted_ids("security OR record", s), (Ids{"a2", "a5", "a6"}));
}

TEST(Search, SinceAndUntilTakeMonthsAndYearsAsDateDoes) {
    SearchOptions o;
    o.since = "2022";
    o.until = "2022-02";  // to the month's last day
    EXPECT_EQ(sorted_ids("security", o), (Ids{"a1"})) << "a1 20220208; a2 is 20220301";
    o.until = "2022";
    EXPECT_EQ(sorted_ids("security", o), (Ids{"a1", "a2", "a6"}));
    o.since = "202203";
    EXPECT_EQ(sorted_ids("security", o), (Ids{"a2", "a6"}));
}

// Issue #10: a URL pasted into --site means its host.
TEST(Search, SiteTakesAPastedUrlAsItsHost) {
    SearchOptions o;
    o.site = "https://WWW.BBC.co.uk/news/business-123?x=1";
    EXPECT_EQ(sorted_ids("security", o), (Ids{"a2", "a6"}));
    o.site = "https://";
    EXPECT_THROW(sorted_ids("security", o), Error) << "no host in it";
}

TEST(Search, SortsByDate) {
    SearchOptions newest;
    newest.sort = SortOrder::Newest;
    EXPECT_EQ(ids("security", newest), (Ids{"a6", "a2", "a1"}));
    SearchOptions oldest;
    oldest.sort = SortOrder::Oldest;
    EXPECT_EQ(ids("security", oldest), (Ids{"a1", "a2", "a6"}));
}

TEST(Search, PagesWithLimitAndOffset) {
    SearchOptions page;
    page.sort = SortOrder::Oldest;
    page.limit = 1;
    page.offset = 1;
    const SearchResult r = run("security", page);
    ASSERT_EQ(ids_of(r), (Ids{"a2"}));
    EXPECT_EQ(r.hits[0].rank, 2u);
    EXPECT_EQ(r.total_estimate, 3u);
}

TEST(Search, FillsEveryHitField) {
    const SearchResult r = run("\"security guarantees\"");
    ASSERT_EQ(r.hits.size(), 1u);
    const Hit& h = r.hits[0];
    EXPECT_EQ(h.rank, 1u);
    EXPECT_EQ(h.title, "Talks end with offer of security guarantees");
    EXPECT_EQ(h.date, "2022-02-08");
    EXPECT_EQ(h.url, "https://news.example.org/a1");
    EXPECT_EQ(h.site, "news.example.org");
    EXPECT_EQ(h.path.substr(h.path.size() - 14), "/corpus/a1.txt");
    EXPECT_EQ(h.percent, 100);
    EXPECT_GT(h.score, 0);
}

TEST(Search, SnippetHighlightsMatchedWordsByByteOffset) {
    const SearchResult r = run("security guarantees");
    const Snippet& s = r.hits[0].snippet;
    EXPECT_EQ(s.text,
              "The delegation said written security guarantees would be sent within a week.");
    ASSERT_EQ(s.highlights.size(), 2u);
    EXPECT_EQ(s.text.substr(s.highlights[0].first, s.highlights[0].second - s.highlights[0].first),
              "security");
    EXPECT_EQ(s.highlights[0], (std::pair<std::size_t, std::size_t>{28, 36}));
    EXPECT_EQ(s.highlights[1], (std::pair<std::size_t, std::size_t>{37, 47}));
}

TEST(Search, SnippetHighlightsStemmedAndFoldedForms) {
    const SearchResult r = run("guarantee");
    for (const Hit& h : r.hits) {
        bool found = false;
        for (auto [b, e] : h.snippet.highlights)
            found |= h.snippet.text.substr(b, e - b) == "guarantees";
        EXPECT_TRUE(found) << h.url << ": " << h.snippet.text;
    }
    const Snippet s = run("title:strassenfest").hits.at(0).snippet;
    EXPECT_EQ(s.text, "Das Straßenfest wurde wegen Regen abgesagt.");
    ASSERT_EQ(s.highlights.size(), 1u) << "highlighted although written with ß";
    EXPECT_EQ(s.text.substr(s.highlights[0].first, s.highlights[0].second - s.highlights[0].first),
              "Straßenfest");
}

TEST(MatchWindow, PicksThePassageWithTheMostDistinctQueryWords) {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "Filler words about nothing in particular. ";
    const std::size_t lone = text.size();
    text += "Security was mentioned once here. ";
    for (int i = 0; i < 40; ++i) text += "More filler words about other things. ";
    const std::size_t both = text.size();
    text += "Written security guarantees would follow within a week. ";
    for (int i = 0; i < 40; ++i) text += "Closing filler words about the weather. ";
    const auto [begin, end] = match_window(text, {"secur", "guarante"}, 240);
    EXPECT_LT(begin, both);
    EXPECT_GT(begin, lone) << "the lone mention loses to the passage with both words";
    EXPECT_GT(end, both + 40);
    EXPECT_LE(end - begin, 480u);
    EXPECT_EQ(text[begin - 1], ' ') << "cut after a space";
}

TEST(MatchWindow, FindsStemsWhoseWordsEndDifferently) {
    std::string text(2000, 'x');
    for (std::size_t i = 0; i < text.size(); i += 10) text[i] = ' ';
    text.replace(1501, 6, "policy");
    const auto [begin, end] = match_window(text, {"polici"}, 100);
    EXPECT_LE(begin, 1501u);
    EXPECT_GE(end, 1507u) << "policy is found for the stem polici";
}

TEST(MatchWindow, LeavesShortTextWhole) {
    EXPECT_EQ(match_window("short text", {"text"}, 240),
              (std::pair<std::size_t, std::size_t>{0, 10}));
}

// The snippet of the one article `title` / `body` for `query`.
Snippet snippet_of(const std::string& title, const std::string& body, const std::string& query) {
    TempDir dir;
    write_file(dir / "c/a.txt", article_text(title, "20220101", "https://x.org/a", body));
    SearchOptions so;
    so.db_paths = {index_folder(dir)};
    so.query = query;
    const SearchResult r = search(so);
    EXPECT_EQ(r.hits.size(), 1u) << query;
    return r.hits.empty() ? Snippet{} : r.hits[0].snippet;
}

TEST(Search, SnippetOfALongBodyShowsTheMatchingPassage) {
    std::string body;
    for (int i = 0; i < 30; ++i)
        body += "The committee discussed budgets and timetables at length. ";
    body += "Negotiators offered written security guarantees to the delegation. ";
    for (int i = 0; i < 30; ++i)
        body += "Afterwards the committee returned to procedural matters. ";
    const Snippet s = snippet_of("Long report", body, "security guarantees");
    EXPECT_EQ(s.text.compare(0, 3, "\xE2\x80\xA6"), 0) << s.text;
    EXPECT_EQ(s.text.compare(s.text.size() - 3, 3, "\xE2\x80\xA6"), 0) << s.text;
    EXPECT_NE(s.text.find("security guarantees to the delegation"), std::string::npos) << s.text;
    ASSERT_EQ(s.highlights.size(), 2u);
    EXPECT_EQ(s.text.substr(s.highlights[0].first, s.highlights[0].second - s.highlights[0].first),
              "security");
    EXPECT_EQ(s.text.substr(s.highlights[1].first, s.highlights[1].second - s.highlights[1].first),
              "guarantees");
}

// Found by a newcomer: a word in the title only gave a passage from the middle of the body
// with nothing highlighted.
TEST(Search, SnippetOfAnArticleMatchedByItsTitleOnlyIsTheOpening) {
    std::string body = "The city council voted on Tuesday to approve the plan. ";
    for (int i = 0; i < 40; ++i)
        body += "Residents spoke about traffic, noise and jobs at length. ";
    const Snippet s = snippet_of("Harbour expansion approved", body, "harbour");
    EXPECT_EQ(s.text.rfind("The city council voted on Tuesday to approve the plan. Residents", 0),
              0u)
        << s.text;
    EXPECT_EQ(s.text.compare(s.text.size() - 3, 3, "\xE2\x80\xA6"), 0) << s.text;
    EXPECT_TRUE(s.highlights.empty());
}

TEST(Search, SnippetOfAFilterOnlyQueryIsTheOpening) {
    const SearchResult r = run("date:20210614..20210614");
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_EQ(r.hits[0].snippet.text,
              "The council approved the harbour expansion. Fishermen protested outside.");
    EXPECT_TRUE(r.hits[0].snippet.highlights.empty());
}

TEST(Search, SuggestsASpellingWhenNothingMatches) {
    const SearchResult r = run("secruity");
    EXPECT_TRUE(r.hits.empty());
    EXPECT_EQ(r.did_you_mean, "security");
    EXPECT_EQ(run("security").did_you_mean, "") << "no suggestion when there are hits";
}

// Issue #10, item 4: "did you mean" leaves real words alone, is offered only when it finds
// articles, also for a query with a few hits or a rare word, and is asked of the whole result.
class DidYouMean : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        for (int i = 0; i < 150; ++i)
            write_file(*dir_ / ("c/g" + std::to_string(i) + ".txt"),
                       article_text("Government budget " + std::to_string(i), "20220208",
                                    "https://x.org/g" + std::to_string(i),
                                    "The government said the budget was agreed in June."));
        // A real word (German "fuer") near a more common one, in a 36 to 1 ratio as in the
        // news corpora (where "fuel" has 252 articles and "fuer" 7).
        for (int i = 0; i < 36; ++i)
            write_file(*dir_ / ("c/f" + std::to_string(i) + ".txt"),
                       article_text("Fuel prices rise", "20220208",
                                    "https://x.org/f" + std::to_string(i), "Fuel costs more."));
        write_file(*dir_ / "c/typo.txt",
                   article_text("Minister visits school", "20220208", "https://x.org/typo",
                                "A goverment spokesman said: Geld fuer alle Schulen. Jute "
                                "prices rose."));
        write_file(*dir_ / "c/truce.txt", article_text("Ceasefire agreed", "20220208",
                                                       "https://x.org/truce", "Guns fell silent."));
        // Words of bodies only, in no title: "parliament" (in two articles), "opec" (two) and
        // "open" (forty), "robber" (one) beside "rubber" (two hundred).
        for (int i = 0; i < 2; ++i)
            write_file(*dir_ / ("c/p" + std::to_string(i) + ".txt"),
                       article_text("Vote on Tuesday " + std::to_string(i), "20220208",
                                    "https://x.org/p" + std::to_string(i),
                                    "Parliament's members and OPEC ministers met."));
        for (int i = 0; i < 40; ++i)
            write_file(*dir_ / ("c/o" + std::to_string(i) + ".txt"),
                       article_text("Shops " + std::to_string(i), "20220208",
                                    "https://x.org/o" + std::to_string(i), "The shop is open."));
        for (int i = 0; i < 200; ++i)
            write_file(*dir_ / ("c/r" + std::to_string(i) + ".txt"),
                       article_text("Rubber and saying " + std::to_string(i), "20220208",
                                    "https://x.org/r" + std::to_string(i), "Rubber prices."));
        write_file(*dir_ / "c/robber.txt",
                   article_text("Bank raid", "20220208", "https://x.org/robber",
                                "The robber fled after the slaying. A spokesman gave his "
                                "statment."));
        index_folder(*dir_);
    }
    static void TearDownTestSuite() { delete dir_; }

    static SearchResult run(const std::string& query, SearchOptions opts = {}) {
        opts.db_paths = {*dir_ / "db"};
        opts.query = query;
        return search(opts);
    }
    static TempDir* dir_;
};
TempDir* DidYouMean::dir_ = nullptr;

TEST_F(DidYouMean, LeavesAWordWithArticlesOfItsOwnAlone) {
    const SearchResult r = run("fuer");
    EXPECT_EQ(r.total_estimate, 1u);
    EXPECT_EQ(r.did_you_mean, "") << "\"fuel\" is in 36 times as many articles, not 100";
    EXPECT_EQ(run("minister").did_you_mean, "");
    // A short word is real more often than not ("jute" is one letter from "june", in 150 times
    // as many articles).
    EXPECT_EQ(run("jute").did_you_mean, "");
}

TEST_F(DidYouMean, CorrectsARareWordWhenTheCorrectionIsInManyTimesAsMany) {
    EXPECT_EQ(run("goverment").did_you_mean, "government") << "1 article against 150";
    // Many hits (the other word finds them all), yet the rare word is worth correcting.
    const SearchResult r = run("goverment budget");
    EXPECT_EQ(r.total_estimate, 151u);
    EXPECT_EQ(r.did_you_mean, "government budget");
    // The query as written is kept: its other words, operators and filters.
    EXPECT_EQ(run("Goverment AND budget site:x.org").did_you_mean,
              "government AND budget site:x.org");
}

TEST_F(DidYouMean, CorrectsToAWordOfTheBodiesThatNoTitleHas) {
    // The index's own terms, not the titles' words: "parliament" is in two bodies, as
    // "Parliament's" (its stem "parliament").
    EXPECT_EQ(run("parliment").did_you_mean, "parliament");
    EXPECT_EQ(run("parliment").total_estimate, 0u);
    // One letter from "opec" (2 articles) and "open" (40): a letter that sounds alike is the
    // likelier slip.
    EXPECT_EQ(run("opek").did_you_mean, "opec");
    EXPECT_EQ(run("opem").did_you_mean, "")
        << "a word under 6 letters only by a sound-alike letter (m and n are not)";
    EXPECT_EQ(run("parlaiment").did_you_mean, "parliament") << "two letters swapped";
    // A word of one article is not a correction (it may be a typo itself).
    EXPECT_EQ(run("robbber").total_estimate, 0u);
    EXPECT_EQ(run("robbber").did_you_mean, "") << "'robber' is in one article, in no title";
}

TEST_F(DidYouMean, LeavesARealWordOneLetterFromACommonOneAlone) {
    // "robber" (1 article) is a letter changed from "rubber" (200 articles, every title),
    // "slaying" a letter more than "saying": as often real words as typos. A word with
    // articles of its own is corrected only by a letter it lacks, or two it swapped.
    EXPECT_EQ(run("robber").total_estimate, 1u);
    EXPECT_EQ(run("robber").did_you_mean, "");
    EXPECT_EQ(run("slaying").total_estimate, 1u);
    EXPECT_EQ(run("slaying").did_you_mean, "");
    EXPECT_EQ(run("statment").total_estimate, 1u);
    EXPECT_EQ(run("statment").did_you_mean, "") << "\"statement\" is in no title";
    EXPECT_EQ(run("goverment").did_you_mean, "government") << "a letter it lacks";
}

TEST_F(DidYouMean, IsAskedOfTheWholeResultNotThePage) {
    SearchOptions past_the_end;
    past_the_end.offset = 20;
    const SearchResult r = run("fuer", past_the_end);
    EXPECT_TRUE(r.hits.empty());
    EXPECT_EQ(r.did_you_mean, "");
    EXPECT_EQ(run("goverment", past_the_end).did_you_mean, "government");
}

TEST_F(DidYouMean, IsOfferedOnlyWhenItFindsArticles) {
    EXPECT_EQ(run("ceasfire").did_you_mean, "ceasefire");
    // Under a filter that the corrected query matches nothing in either.
    EXPECT_EQ(run("ceasfire site:nowhere.example").did_you_mean, "");
    // A pasted URL is not a misspelt "new".
    EXPECT_EQ(run("https://www.bbc.co.uk/news/world").did_you_mean, "");
}

TEST(DidYouMeanAfterADelete, DoesNotOfferAWordNoArticleHasAnyMore) {
    TempDir dir;
    write_file(dir / "c/truce.txt", article_text("Ceasefire agreed", "20220208",
                                                 "https://x.org/truce", "Guns fell silent."));
    write_file(dir / "c/other.txt",
               article_text("Harbour news", "20220208", "https://x.org/other", "Boats."));
    index_folder(dir);
    SearchOptions opts;
    opts.db_paths = {dir / "db"};
    opts.query = "ceasfire";
    EXPECT_EQ(search(opts).did_you_mean, "ceasefire");
    std::filesystem::remove(dir / "c/truce.txt");
    index_folder(dir);
    // The spelling data still has the word (Xapian keeps what was added), the index has no
    // article with it.
    EXPECT_EQ(search(opts).did_you_mean, "");
}

TEST(Search, ReportsBadQueriesAndOptions) {
    struct Case {
        std::string query;
        SearchOptions opts;
        ErrorCode code;
        std::string message;
    };
    SearchOptions bad_since;
    bad_since.since = "2022-13-01";
    SearchOptions bad_month;
    bad_month.until = "2022-13";
    SearchOptions bad_year;
    bad_year.since = "1700";
    SearchOptions reversed;
    reversed.since = "20230101";
    reversed.until = "20220101";
    SearchOptions bad_site;
    bad_site.site = "bbc.co.uk/news";
    const Case cases[] = {
        {"AND",
         {},
         ErrorCode::BadQuery,
         "cannot parse query 'AND' at column 1: AND needs a word or phrase on both sides"},
        {"talks AND",
         {},
         ErrorCode::BadQuery,
         "cannot parse query 'talks AND' at column 7: AND needs a word or phrase on both sides"},
        {"Android OR",
         {},
         ErrorCode::BadQuery,
         "cannot parse query 'Android OR' at column 9: OR needs a word or phrase on both sides"},
        {"(harbour XOR)",
         {},
         ErrorCode::BadQuery,
         "cannot parse query '(harbour XOR)' at column 10: XOR needs a word or phrase on both "
         "sides"},
        {"  ", {}, ErrorCode::BadQuery, "empty query"},
        // Found by fuzz_query: Xapian leaks inside parse_query on it (tests/lsan.supp).
        {" OR mit*rs明㏑ 東京lks",
         {},
         ErrorCode::BadQuery,
         "cannot parse query ' OR mit*rs明㏑ 東京lks' at column 2: OR needs a word or phrase on "
         "both sides"},
        {"x", bad_since, ErrorCode::BadOption, "--since: impossible date 2022-13-01"},
        {"x", bad_month, ErrorCode::BadOption, "--until: impossible date 2022-13"},
        {"x", bad_year, ErrorCode::BadOption, "--since: date 1700 is outside the years 1800..2199"},
        {"x", reversed, ErrorCode::BadOption, "--since 20230101 is after --until 20220101"},
        {"x", bad_site, ErrorCode::BadOption, "--site: 'bbc.co.uk/news' is not a host name"},
    };
    for (const Case& c : cases) {
        try {
            run(c.query, c.opts);
            ADD_FAILURE() << "no error for '" << c.query << "'";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), c.code) << c.query;
            EXPECT_EQ(std::string(e.what()), c.message);
        }
    }
}

TEST(Search, PlainQueriesAreOnlyWords) {
    SearchOptions plain;
    plain.plain = true;
    // Syntax that would be an error, a field or an exclusion is just words in plain mode.
    EXPECT_EQ(sorted_ids("security AND", plain), (Ids{"a1", "a2", "a6"}));
    EXPECT_EQ(sorted_ids("(harbour) -marathon: \"record", plain), (Ids{"a3", "a5"}));
    EXPECT_EQ(sorted_ids("title:guarantees", plain), (Ids{"a1", "a2"})) << "title is a word here";
    EXPECT_EQ(sorted_ids("harbour -marathon", plain), (Ids{"a3", "a5"}));
    EXPECT_EQ(sorted_ids("harbour -marathon"), (Ids{"a3"})) << "without --plain, - excludes";
}

TEST(BatchLine, ParsesIdTabQueryAndSaysWhatIsWrong) {
    std::string reason;
    auto q = cli::parse_batch_line("q7\tWhat about (TSS)?\r", &reason);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->id, "q7");
    EXPECT_EQ(q->query, "What about (TSS)?");
    EXPECT_FALSE(cli::parse_batch_line("", &reason));
    EXPECT_EQ(reason, "") << "blank lines are skipped silently";
    EXPECT_FALSE(cli::parse_batch_line("# comment", &reason));
    EXPECT_EQ(reason, "");
    EXPECT_FALSE(cli::parse_batch_line("no tab here", &reason));
    EXPECT_EQ(reason, "expected id<TAB>query");
    EXPECT_FALSE(cli::parse_batch_line("q8\t   ", &reason));
    EXPECT_EQ(reason, "empty query for id q8");
    EXPECT_FALSE(cli::parse_batch_line("two words\tquery", &reason));
    EXPECT_EQ(reason, "the id before the tab must be one word");
}

TEST(Search, ExpandAddsTheTopHitsBestTermsBelowTheQuerysOwn) {
    TempDir dir;
    write_file(dir / "c/e1.txt",
               article_text("Harbour pilots strike", "20220101", "https://x.org/e1",
                            "Harbour pilots went on strike over pay; the pilots union said ships "
                            "waited outside the harbour."));
    write_file(dir / "c/e2.txt", article_text("Union talks", "20220301", "https://x.org/e2",
                                              "The pilots union met port managers about ships "
                                              "and pay."));
    write_file(dir / "c/e3.txt", article_text("Cooking", "20220101", "https://x.org/e3",
                                              "Recipes for bread and soup."));
    SearchOptions so;
    so.db_paths = {index_folder(dir)};
    so.query = "harbour";
    EXPECT_EQ(ids_of(search(so)), (Ids{"e1"}));
    EXPECT_TRUE(search(so).expansion.empty()) << "by default, only queries of 12 words or more";

    so.expand = 8;
    EXPECT_TRUE(search(so).expansion.empty()) << "the minimum of 12 words stays";
    so.expand_min_words = 1;
    const SearchResult r = search(so);
    EXPECT_EQ(ids_of(r), (Ids{"e1", "e2"})) << "e2 shares the feedback terms, not the query's";
    ASSERT_EQ(r.expansion.size(), 8u);
    for (const std::string& t : r.expansion) {
        EXPECT_NE(t, "harbour") << "the query's own term is not added again";
        EXPECT_FALSE(std::isupper(static_cast<unsigned char>(t[0]))) << "no boolean terms: " << t;
    }
    EXPECT_GT(r.hits[0].score, 2 * r.hits[1].score) << "feedback terms weigh less";

    so.until = "20220201";
    EXPECT_EQ(ids_of(search(so)), (Ids{"e1"})) << "filters apply to the feedback terms too";
}

TEST(Search, AQueryThatIsAWholeTitleFindsThatArticleFirst) {
    TempDir dir;
    // Syndicated twins: the second title has one word more, and its body repeats the words.
    write_file(dir / "c/t1.txt",
               article_text("Central bank raises interest rates", "20220101", "https://x.org/t1",
                            "The decision was announced after a two-day meeting of the board, "
                            "which also published its forecasts for growth and prices."));
    write_file(
        dir / "c/t2.txt",
        article_text("Central bank raises interest rates again", "20220102", "https://y.org/t2",
                     "The central bank raises interest rates again: interest rates rise "
                     "for the third time as the bank fights prices."));
    // Other news, so that the words and titles weigh as in a real index and not as in two
    // articles (where a term of one of them weighs next to nothing).
    const std::vector<std::string> others{"Harbour strike ends",      "Council votes on budget",
                                          "Flood defences funded",    "Marathon record falls",
                                          "Museum returns artefacts", "Chip plant announced"};
    for (std::size_t i = 0; i < others.size(); ++i)
        write_file(dir / ("c/o" + std::to_string(i) + ".txt"),
                   article_text(others[i], "20220103", "https://z.org/o" + std::to_string(i),
                                "Reported on Monday by our correspondent."));
    SearchOptions so;
    so.db_paths = {index_folder(dir)};
    so.query = "Central bank raises interest rates";
    so.topical_phrase = 0;  // the title's words are a phrase of both twins: not a subject here
    so.title_boost = 0;
    EXPECT_EQ(ids_of(search(so)), (Ids{"t2", "t1"})) << "without the boost the twin wins";
    so.title_boost = 1;
    EXPECT_EQ(ids_of(search(so)), (Ids{"t1", "t2"}));
    so.query = "central bank: raises (interest) rates";
    EXPECT_EQ(ids_of(search(so)), (Ids{"t1", "t2"})) << "case and punctuation do not matter";
    so.plain = true;
    EXPECT_EQ(ids_of(search(so)), (Ids{"t1", "t2"}));
    so.plain = false;
    so.query = "Central bank raises interest rates again";
    EXPECT_EQ(ids_of(search(so)), (Ids{"t2", "t1"}));
    so.query = "Central bank raises rates";
    EXPECT_EQ(ids_of(search(so)).front(), "t2") << "only the whole title, word for word, counts";
}

TEST(Search, AWildcardExpandsToTheMostCommonWordsOnly) {
    TempDir dir;
    std::string common;
    for (unsigned i = 0; i < query::kMaxWildcardTerms; ++i)
        common += "zq" + std::to_string(1000 + i) + " ";
    write_file(dir / "c/b.txt", article_text("B", "20220101", "https://x.org/b", common));
    write_file(dir / "c/c.txt", article_text("C", "20220101", "https://x.org/c", common));
    write_file(dir / "c/a.txt", article_text("A", "20220101", "https://x.org/a", "zqrare"));
    SearchOptions so;
    so.db_paths = {index_folder(dir)};
    so.query = "zq*";
    auto got = ids_of(search(so));
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (Ids{"b", "c"})) << "zqrare, the least common of 1,001 words, is left out";
    so.query = "zqr*";
    EXPECT_EQ(ids_of(search(so)), (Ids{"a"}));
}

// The seam the news features attach to: a spy counts per value over every match (not only the
// page), a collapse key keeps one hit per value, a posting source adds weight.
TEST(Search, MatchSetupCarriesSpiesCollapseKeysAndBoosts) {
    SearchOptions so;
    so.db_paths = {search_fixture_db()};
    so.limit = 1;
    Searcher searcher(so);
    MatchSetup setup = searcher.match_setup();
    setup.spies.push_back(
        [] { return std::make_shared<Xapian::ValueCountMatchSpy>(schema::kHostSlot.slot); });
    SearchResult r = searcher.search("security", setup);
    ASSERT_EQ(r.spies.size(), 1u);
    const auto& hosts = dynamic_cast<const Xapian::ValueCountMatchSpy&>(*r.spies[0]);
    std::map<std::string, Xapian::doccount> counts;
    for (auto it = hosts.values_begin(); it != hosts.values_end(); ++it)
        counts[*it] = it.get_termfreq();
    EXPECT_EQ(counts, (std::map<std::string, Xapian::doccount>{{"news.example.org", 1},
                                                               {"www.bbc.co.uk", 2}}))
        << "a1 from news.example.org, a2 and a6 from the BBC; one hit on the page";
    EXPECT_EQ(r.hits.size(), 1u);

    so.limit = 10;
    Searcher all(so);
    MatchSetup collapse = all.match_setup();
    collapse.collapse_key = schema::kHostSlot.slot;
    EXPECT_EQ(all.search("security", collapse).hits.size(), 2u) << "one per host";

    MatchSetup boost = all.match_setup();
    auto source = std::make_shared<Xapian::ValueMapPostingSource>(schema::kHostSlot.slot);
    source->add_mapping("www.bbc.co.uk", 100);
    boost.boosts.push_back(source);
    EXPECT_EQ(ids("security").at(0), "a1") << "without the boost";
    const SearchResult boosted = all.search("security", boost);
    ASSERT_EQ(boosted.hits.size(), 3u);
    EXPECT_EQ(boosted.hits[0].site, "www.bbc.co.uk");
    EXPECT_EQ(boosted.hits[1].site, "www.bbc.co.uk");
}

TEST(Search, Bm25ParametersChangeTheScores) {
    SearchOptions a, b;
    b.bm25_k1 = 2.5;
    b.bm25_b = 0.3;
    const double sa = run("security", a).hits.at(0).score;
    const double sb = run("security", b).hits.at(0).score;
    EXPECT_NE(sa, sb);
}

TEST(Search, WaitsOutTheSwapOfAMergedIndex) {
    TempDir dir;
    write_file(dir / "c/a.txt", article_text("Swap test", "20220101", "https://x.org/a", "Body."));
    const std::string db = index_folder(dir);
    // "--db DIR/" names the same index and the same <db>.old as "--db DIR".
    for (const std::string& given : {db, db + "/"}) {
        // As an indexer does between its two renames: for a moment only <db>.old exists.
        std::filesystem::rename(db, db + ".old");
        std::thread indexer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            std::filesystem::rename(db + ".old", db);
        });
        SearchOptions so;
        so.db_paths = {given};
        so.query = "swap";
        SearchResult r;
        EXPECT_NO_THROW(r = search(so)) << given;
        indexer.join();
        EXPECT_EQ(ids_of(r), (Ids{"a"})) << given;
    }
}

TEST(Search, ReadsTheOldIndexWhenAnIndexerDiedInTheMiddleOfASwap) {
    TempDir dir;
    write_file(dir / "c/a.txt", article_text("Swap test", "20220101", "https://x.org/a", "Body."));
    const std::string db = index_folder(dir);
    std::filesystem::rename(db, db + ".old");  // and no indexer comes to finish the swap
    SearchOptions so;
    so.db_paths = {db};
    so.query = "swap";
    EXPECT_EQ(ids_of(search(so)), (Ids{"a"}));
}

// A searcher opened before an indexer rewrote the index several times reads blocks the
// indexer has since reused: Xapian says DatabaseModifiedError, and the search reopens the index
// and answers from its newest revision instead of failing.
TEST(Search, AnIndexRewrittenUnderAnOpenSearcherIsReopened) {
    TempDir dir;
    const auto write_round = [&](int round) {
        for (int i = 0; i < 300; ++i)
            write_file(dir / ("c/f" + std::to_string(i) + ".txt"),
                       article_text("Story " + std::to_string(i), "20220101",
                                    "https://x.org/" + std::to_string(i),
                                    "round" + std::to_string(round) + " harbour " +
                                        std::string(2000, 'a' + static_cast<char>(round))));
    };
    write_round(0);
    const std::string db = index_folder(dir);
    SearchOptions so;
    so.db_paths = {db};
    Searcher searcher(so);
    EXPECT_EQ(searcher.search("round0").hits.size(), 10u);
    for (int round = 1; round <= 6; ++round) {
        write_round(round);
        index_folder(dir);  // every article rewritten, and committed
    }
    SearchResult r;
    ASSERT_NO_THROW(r = searcher.search("harbour"));
    ASSERT_EQ(r.hits.size(), 10u);
    for (const Hit& h : r.hits)
        EXPECT_EQ(h.snippet.text.substr(0, 7), "round6 ") << "answered from the newest revision";
}

TEST(Search, MissingIndexSaysRunIndexerFirst) {
    SearchOptions o;
    o.db_paths = {"/nonexistent/newsidx.db"};
    o.query = "x";
    try {
        search(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::NoIndex);
        EXPECT_STREQ(e.what(), "no index at '/nonexistent/newsidx.db'");
        EXPECT_EQ(e.hint(),
                  "run indexer first, e.g.: indexer --db /nonexistent/newsidx.db samples/");
    }
}

}  // namespace
}  // namespace newsidx::test
