#include "newsidx/document.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "newsidx/error.hpp"
#include "newsidx/schema.hpp"

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
    DocumentBuilder builder("english");
    const FileState state{1234, 1700000000123456789, "00112233445566ff", sample_article().url};
    const auto built = builder.build(sample_article(), "/corpus/talks.txt", state);
    const auto terms = terms_of(built.doc);
    const std::vector<std::string> expected{
        "Q" + sample_article().url,
        "U" + sample_article().url,
        "Hwww.news.example.co.uk",
        "Hnews.example.co.uk",
        "Hexample.co.uk",
        "Hco.uk",
        "D20220208",
        "M202202",
        "Y2022",
        "Len",
        "XP/corpus/talks.txt",
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
    EXPECT_FALSE(terms.count("guarantees")) << "only stems are indexed";
    EXPECT_EQ(built.id_term, "Q" + sample_article().url);
}

TEST(DocumentBuilder, GivesTitleWordsPositionsAndExtraWeight) {
    DocumentBuilder builder("english");
    const auto built = builder.build(sample_article(), "/t.txt", {});
    // Title: "talks end with security guarantees" -> positions 1..5 under S.
    EXPECT_EQ(positions(built.doc, "Ssecur"), (std::vector<Xapian::termpos>{4}));
    EXPECT_EQ(positions(built.doc, "Sguarante"), (std::vector<Xapian::termpos>{5}));
    // Unprefixed: the title again (wdf 3 each) and the body's "guarantees" (wdf 1).
    EXPECT_EQ(wdf(built.doc, "secur"), schema::kTitleWdf);
    EXPECT_EQ(wdf(built.doc, "guarante"), schema::kTitleWdf + 1);
    EXPECT_EQ(positions(built.doc, "guarante").size(), 2u);
}

TEST(DocumentBuilder, AddsAWeightedExactTitleTerm) {
    DocumentBuilder builder("english");
    const auto built = builder.build(sample_article(), "/t.txt", {});
    const std::string exact = exact_title_term("talks END with security, guarantees.");
    EXPECT_EQ(exact.rfind(schema::kExactTitlePrefix, 0), 0u);
    EXPECT_EQ(exact.size(), schema::kExactTitlePrefix.size() + 16);
    EXPECT_EQ(wdf(built.doc, exact), 1u) << "the same words in any case and punctuation";
    EXPECT_EQ(wdf(built.doc, exact_title_term("Talks end with security")), 0u);
    EXPECT_EQ(exact_title_term(" -- "), "") << "no words, no term";
}

TEST(DocumentBuilder, StoresValuesAndRecord) {
    DocumentBuilder builder("english");
    const FileState state{1234, 1700000000123456789, "00112233445566ff", sample_article().url};
    const auto built = builder.build(sample_article(), "/corpus/talks.txt", state);
    EXPECT_EQ(built.doc.get_value(schema::kDateSlot), "20220208");
    EXPECT_EQ(built.doc.get_value(schema::kSizeSlot), "1234");
    EXPECT_EQ(built.doc.get_value(schema::kMtimeSlot), "1700000000123456789");
    EXPECT_EQ(built.doc.get_value(schema::kHashSlot), "00112233445566ff");
    const StoredRecord r = StoredRecord::decode(built.doc.get_data());
    EXPECT_EQ(r.title, "Talks end with Security Guarantees");
    EXPECT_EQ(r.date, "20220208");
    EXPECT_EQ(r.url, sample_article().url);
    EXPECT_EQ(r.path, "/corpus/talks.txt");
    EXPECT_EQ(r.language, "en");
    EXPECT_EQ(r.body, sample_article().body);
}

TEST(DocumentBuilder, OffersTitleWordsToTheSpellingDictionary) {
    DocumentBuilder builder("english");
    auto built = builder.build(sample_article(), "/t.txt", {});
    std::sort(built.spellings.begin(), built.spellings.end());
    EXPECT_EQ(built.spellings,
              (std::vector<std::string>{"end", "guarantees", "security", "talks", "with"}));
}

TEST(DocumentBuilder, WithoutStemmingIndexesWholeWords) {
    DocumentBuilder builder("none");
    const auto terms = terms_of(builder.build(sample_article(), "/t.txt", {}).doc);
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
    EXPECT_FALSE(FileState::decode("garbage"));
}

TEST(StoredRecord, RefusesForeignData) {
    EXPECT_THROW(StoredRecord::decode("plain omega data"), Error);
}

TEST(ContentHash, IsStableHex) {
    EXPECT_EQ(content_hash("").size(), 16u);
    EXPECT_EQ(content_hash("abc"), content_hash("abc"));
    EXPECT_NE(content_hash("abc"), content_hash("abd"));
}

}  // namespace
}  // namespace newsidx
