#include "document.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "clusters.hpp"
#include "newsidx/error.hpp"
#include "schema.hpp"

namespace newsidx {
namespace {

Article sample_article() {
    Article a;
    a.title = "Talks end with Security Guarantees";
    a.date = "20220208";
    a.url = "https://www.news.example.co.uk/2022/02/08/talks";
    a.host = "www.news.example.co.uk";
    a.body = "The delegation said written guarantees would follow.\nMonitors will visit the café.";
    a.language = "en";
    return a;
}

std::set<std::string> terms_of(const Xapian::Document& doc) {
    return {doc.termlist_begin(), doc.termlist_end()};
}

std::vector<Xapian::termpos> positions(const Xapian::Document& doc, const std::string& term) {
    auto it = doc.termlist_begin();
    it.skip_to(term);
    if (it == doc.termlist_end() || *it != term) return {};
    return {it.positionlist_begin(), it.positionlist_end()};
}

Xapian::termcount wdf(const Xapian::Document& doc, const std::string& term) {
    auto it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term ? it.get_wdf() : 0;
}

TEST(DocumentBuilder, WritesTheSchemaTerms) {
    DocumentBuilder builder{Analyzer("english")};
    const auto built = builder.build(sample_article(), "/corpus/talks.txt");
    const auto terms = terms_of(built.doc);
    const std::vector<std::string> expected{
        "Q" + sample_article().url,
        "XAenglish",
        "Hwww.news.example.co.uk",
        "Hnews.example.co.uk",
        "Hexample.co.uk",
        "Hco.uk",
        "D20220208",
        "M202202",
        "Y2022",
        "Len",
        "Ssecur",
        "Sguarante",
        "Stalk",  // title words, stemmed, under S
        "secur",
        "guarante",
        "deleg",
        "monitor",  // stemmed unprefixed terms
        "cafe",     // accent folded
    };
    for (const std::string& t : expected) EXPECT_TRUE(terms.count(t)) << "missing term " << t;
    EXPECT_FALSE(terms.count("Hco")) << "a bare TLD is not a site";
    EXPECT_FALSE(terms.count("U" + sample_article().url)) << "schema 3: the URL is kept once, as Q";
    EXPECT_FALSE(terms.count("XP/corpus/talks.txt"))
        << "schema 3: the file's link to its article is its recorded state's URL";
    EXPECT_FALSE(terms.count("guarantees")) << "only stems are indexed";
    EXPECT_EQ(built.id_term, "Q" + sample_article().url);
}

TEST(DocumentBuilder, GivesTitleWordsPositionsAndExtraWeight) {
    DocumentBuilder builder{Analyzer("english")};
    const auto built = builder.build(sample_article(), "/t.txt");
    // Title: "talks end with security guarantees" -> positions 1..5 under S.
    EXPECT_EQ(positions(built.doc, "Ssecur"), (std::vector<Xapian::termpos>{4}));
    EXPECT_EQ(positions(built.doc, "Sguarante"), (std::vector<Xapian::termpos>{5}));
    // Unprefixed: the title again (wdf 3 each) and the body's "guarantees" (wdf 1).
    EXPECT_EQ(wdf(built.doc, "secur"), schema::kTitleWdf);
    EXPECT_EQ(wdf(built.doc, "guarante"), schema::kTitleWdf + 1);
    EXPECT_EQ(positions(built.doc, "guarante").size(), 2u);
}

TEST(DocumentBuilder, AddsAWeightedExactTitleTerm) {
    DocumentBuilder builder{Analyzer("english")};
    const auto built = builder.build(sample_article(), "/t.txt");
    const std::string exact = exact_title_term("talks END with security, guarantees.");
    EXPECT_EQ(exact.rfind(schema::kExactTitle.prefix, 0), 0u);
    EXPECT_EQ(exact.size(), schema::kExactTitle.prefix.size() + 16);
    EXPECT_EQ(wdf(built.doc, exact), 1u) << "the same words in any case and punctuation";
    EXPECT_EQ(wdf(built.doc, exact_title_term("Talks end with security")), 0u);
    EXPECT_EQ(exact_title_term(" -- "), "") << "no words, no term";
}

TEST(DocumentBuilder, AddsAWrittenTitleTermThatKeepsPunctuationAndCase) {
    DocumentBuilder builder{Analyzer("english")};
    const auto built = builder.build(sample_article(), "/t.txt");
    const std::string written = written_title_term(sample_article().title);
    EXPECT_EQ(written.rfind(schema::kWrittenTitle.prefix, 0), 0u);
    EXPECT_EQ(wdf(built.doc, written), 1u);
    EXPECT_EQ(written_title_term("  " + sample_article().title + " \t"), written)
        << "white space around and between words does not count";
    EXPECT_NE(written_title_term("«MySTC» app"), written_title_term("MySTC app"));
    EXPECT_NE(written_title_term("Talks end"), written_title_term("talks end"));
    EXPECT_EQ(exact_title_term("«MySTC» app"), exact_title_term("MySTC app"))
        << "the exact-title term, by contrast, reads words only";
    EXPECT_EQ(written_title_term(" \t "), "");
}

TEST(DocumentBuilder, StoresValuesAndRecord) {
    DocumentBuilder builder{Analyzer("english")};
    const auto built = builder.build(sample_article(), "/corpus/talks.txt");
    // Schema 3: the file's size, mtime and hash live only in the per-file metadata; the slots
    // hold what facets, timelines and near-duplicates need.
    EXPECT_EQ(built.doc.get_value(schema::kDateSlot.slot), "20220208");
    EXPECT_EQ(built.doc.get_value(schema::kHostSlot.slot), "www.news.example.co.uk");
    EXPECT_EQ(built.doc.get_value(schema::kLanguageSlot.slot), "en");
    EXPECT_EQ(built.doc.get_value(schema::kSignatureSlot.slot).size(), 2 * kMinHashes);
    const std::string key = built.doc.get_value(schema::kClusterSlot.slot);
    EXPECT_EQ(key.size(), 24u) << "the date and 16 hex digits";
    EXPECT_EQ(key, cluster_key("20220208", "Qhttps://www.news.example.co.uk/2022/02/08/talks"));
    const StoredRecord r = StoredRecord::of(built.doc);
    EXPECT_EQ(r.title, "Talks end with Security Guarantees");
    EXPECT_EQ(r.date, "20220208");
    EXPECT_EQ(r.url, sample_article().url);
    EXPECT_EQ(r.path, "/corpus/talks.txt");
    EXPECT_EQ(r.language, "en");
    EXPECT_EQ(r.body, sample_article().body);
    EXPECT_EQ(built.doc.get_data().find("20220208"), std::string::npos)
        << "the date is kept once, in its slot";
}

TEST(DocumentBuilder, MarksEachArticleWithItsAnalyzer) {
    EXPECT_TRUE(terms_of(DocumentBuilder{Analyzer("english")}.build(sample_article(), "/t").doc)
                    .count("XAenglish"));
    EXPECT_TRUE(terms_of(DocumentBuilder{Analyzer("fr")}.build(sample_article(), "/t").doc)
                    .count("XAfrench"));
}

TEST(DocumentBuilder, GivesEachArticleASignatureItsBandsAndItsOwnCluster) {
    const auto built = DocumentBuilder{Analyzer("english")}.build(sample_article(), "/t.txt");
    const auto signature = Signature::decode(built.doc.get_value(schema::kSignatureSlot.slot));
    ASSERT_TRUE(signature);
    EXPECT_EQ(built.bands, signature->band_terms());
    const auto terms = terms_of(built.doc);
    for (const std::string& band : built.bands) EXPECT_TRUE(terms.count(band)) << band;
    EXPECT_EQ(built.doc.get_value(schema::kClusterSlot.slot),
              cluster_key("20220208", built.id_term));
}

TEST(DocumentBuilder, OffersTitleWordsToTheSpellingDictionary) {
    DocumentBuilder builder{Analyzer("english")};
    auto built = builder.build(sample_article(), "/t.txt");
    std::sort(built.spellings.begin(), built.spellings.end());
    EXPECT_EQ(built.spellings,
              (std::vector<std::string>{"end", "guarantees", "security", "talks", "with"}));
}

TEST(DocumentBuilder, WithoutStemmingIndexesWholeWords) {
    DocumentBuilder builder{Analyzer("none")};
    const auto terms = terms_of(builder.build(sample_article(), "/t.txt").doc);
    EXPECT_TRUE(terms.count("guarantees"));
    EXPECT_TRUE(terms.count("Sguarantees"));
    EXPECT_FALSE(terms.count("guarante"));
}

TEST(BoundedTerm, HashesIdsLongerThanXapiansTermLimit) {
    const std::string long_url = "https://example.org/" + std::string(400, 'a');
    const std::string other = "https://example.org/" + std::string(399, 'a') + "b";
    const std::string t1 = bounded_term("Q", long_url);
    const std::string t2 = bounded_term("Q", other);
    EXPECT_LE(t1.size(), schema::kMaxTermBytes);
    EXPECT_NE(t1, t2) << "URLs differing only at the end stay distinct";
    EXPECT_EQ(t1, bounded_term("Q", long_url)) << "stable";
    EXPECT_EQ(bounded_term("Q", "https://x.org/a"), "Qhttps://x.org/a");
}

TEST(FileState, RoundTrips) {
    const FileState s{42, -5, "abcdef0123456789", "https://x.org/a b"};
    EXPECT_EQ(FileState::decode(s.encode()), s);
    FileState superseded = s;
    superseded.holds = false;
    EXPECT_EQ(FileState::decode(superseded.encode()), superseded);
    EXPECT_NE(superseded.encode(), s.encode());
    EXPECT_FALSE(FileState::decode("garbage"));
}

TEST(FileState, ReadsTheFirstSchema3FormWithoutTheFlag) {
    const auto s = FileState::decode("42 -5 abcdef0123456789 https://x.org/a");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->url, "https://x.org/a");
    EXPECT_TRUE(s->holds);
}

TEST(StoredRecord, RefusesForeignData) {
    Xapian::Document doc;
    doc.set_data("plain omega data");
    EXPECT_THROW(StoredRecord::of(doc), Error);
}

TEST(ContentHash, IsStableHex) {
    EXPECT_EQ(content_hash("").size(), 16u);
    EXPECT_EQ(content_hash("abc"), content_hash("abc"));
    EXPECT_NE(content_hash("abc"), content_hash("abd"));
}

}  // namespace
}  // namespace newsidx
