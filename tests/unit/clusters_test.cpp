// Near-duplicate signatures and clusters (clusters.hpp; issue #11, item 1).
#include "clusters.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "analyzer.hpp"
#include "newsidx/indexer.hpp"
#include "schema.hpp"
#include "cluster_texts.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {
namespace fs = std::filesystem;

// n distinct words starting at `from`: "w<from> w<from+1> ...".
std::string words(int from, int n) {
    std::string out;
    for (int i = from; i < from + n; ++i) out += (out.empty() ? "w" : " w") + std::to_string(i);
    return out;
}

class Quiet : public IndexObserver {
  public:
    void on_rejected(const RecordError& e) override { ADD_FAILURE() << e.to_string(); }
    void on_warning(const std::string&) override {}
    void on_progress(std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t) override {}
};

void index(const IndexOptions& opts) {
    Quiet quiet;
    run_index(opts, quiet);
}

const std::string kStory =
    "the delegation said written security guarantees would be sent within a week covering "
    "troop movements near the border and a hotline between the two ministries officials said "
    "the draft had been agreed late on tuesday after talks that ran for nine hours";

TEST(Signature, CopiesWithRealEditsAreSimilarAndOtherTextsAreNot) {
    const auto original = signature_of(fold(kStory));
    ASSERT_TRUE(original);
    const auto dateline = signature_of(fold("GENEVA, Feb 8 (Reuters) - " + kStory));
    const auto credit = signature_of(fold(kStory + " (Reporting by Anna Clarke)"));
    const auto typo = signature_of(fold("the delegation siad " + kStory.substr(22)));
    const auto other = signature_of(
        fold("the council approved the harbour expansion after fishermen protested outside the "
             "town hall for a second day running over quotas berths and the price of diesel"));
    for (const auto& copy : {dateline, credit, typo}) {
        ASSERT_TRUE(copy);
        EXPECT_GE(original->similarity(*copy), kCandidateAt);
    }
    EXPECT_LT(original->similarity(*other), 0.2);
    EXPECT_EQ(Signature::decode(original->encode()), original);
    EXPECT_EQ(original->band_terms().size(), kBands);
    EXPECT_EQ(original->band_terms()[0].rfind("XB00", 0), 0u);
    EXPECT_FALSE(signature_of(fold("far too short to sign")));
    EXPECT_FALSE(Signature::decode("not a signature"));
}

class ClustersTest : public ::testing::TestWithParam<BuildMode> {
  protected:
    void add(const std::string& name, const std::string& date, const std::string& body) {
        write_file(dir_ / ("corpus/" + name),
                   article_text("Title " + name, date, "https://news.example.org/" + name, body));
    }

    // Each article's URL (its file name) -> the file name of its cluster's first article.
    std::map<std::string, std::string> clusters(IndexOptions opts = {}) {
        opts.db_path = dir_ / "db";
        opts.inputs = {dir_ / "corpus"};
        opts.mode = GetParam();
        index(opts);
        Xapian::Database db(dir_ / "db");
        const std::string site = "Qhttps://news.example.org/";
        std::map<std::string, std::string> key_of, founder;  // name -> key, key -> name
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const Xapian::Document doc = db.get_document(*it);
            auto t = doc.termlist_begin();
            t.skip_to(site);
            const std::string name = (*t).substr(site.size());
            key_of[name] = doc.get_value(schema::kClusterSlot.slot);
            if (key_of[name] == cluster_key(doc.get_value(schema::kDateSlot.slot), *t))
                founder[key_of[name]] = name;
        }
        std::map<std::string, std::string> out;
        for (const auto& [name, key] : key_of)
            out[name] = founder.count(key) ? founder[key] : "(no founder: " + key + ")";
        return out;
    }

    TempDir dir_;
};

TEST_P(ClustersTest, CopiesJoinTheEarliestAndOtherArticlesStayApart) {
    add("copy.txt", "20220210", "GENEVA (AP) -- " + kStory);
    add("original.txt", "20220208", kStory);
    add("credit.txt", "20220209", kStory + " Reporting by Anna Clarke");
    add("other.txt", "20220207", words(0, 40));
    const std::map<std::string, std::string> want{{"copy.txt", "original.txt"},
                                                  {"credit.txt", "original.txt"},
                                                  {"original.txt", "original.txt"},
                                                  {"other.txt", "other.txt"}};
    EXPECT_EQ(clusters(), want);
}

TEST_P(ClustersTest, OnTheSameDayTheSmallerUrlComesFirst) {
    add("b.txt", "20220208", kStory);
    add("a.txt", "20220208", kStory + " more");
    EXPECT_EQ(clusters(),
              (std::map<std::string, std::string>{{"a.txt", "a.txt"}, {"b.txt", "a.txt"}}));
}

// Three stories of about one length; kStoryB and kStoryC share nothing with kStory (and the
// ends of kStoryB and kStoryC hold no number, date or place, which would tell copies apart).
const std::string kStoryB =
    "farmers in the valley began the harvest a fortnight early after the dry spring left the "
    "wheat short but sound the cooperative said prices at the mill would hold until the "
    "autumn while the river authority warned that irrigation quotas could be tightened again";
const std::string kStoryC =
    "the museum reopened its east wing on saturday after a three year restoration that "
    "uncovered painted ceilings hidden under plaster since the war visitors queued around the "
    "square and the curator said the frescoes would be lit for evening tours this summer";

// The first `share` of a's words, then the rest of b's: a text between two stories.
std::string blend(const std::string& a, const std::string& b, double share) {
    std::vector<std::string> x, y;
    std::size_t at = 0;
    for (std::string_view w = next_word(a, &at); !w.empty(); w = next_word(a, &at)) x.emplace_back(w);
    at = 0;
    for (std::string_view w = next_word(b, &at); !w.empty(); w = next_word(b, &at)) y.emplace_back(w);
    const auto cut = static_cast<std::size_t>(share * static_cast<double>(x.size()));
    std::string out;
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
        out += (out.empty() ? "" : " ") + (i < cut ? x[i] : y[i]);
    return out;
}

// B is a copy of A and C a copy of B, but C is no copy of A: C is not in A's cluster (no
// chains); when A goes, B founds the cluster and C, a copy of B, joins it.
TEST_P(ClustersTest, EveryMemberIsACopyOfTheFirstNoChains) {
    add("a.txt", "20220201", kStory);
    add("b.txt", "20220202", blend(kStory, kStoryB, 0.8));
    add("c.txt", "20220203", blend(kStory, kStoryB, 0.4));
    EXPECT_EQ(clusters(), (std::map<std::string, std::string>{
                              {"a.txt", "a.txt"}, {"b.txt", "a.txt"}, {"c.txt", "c.txt"}}));
    fs::remove(dir_ / "corpus/a.txt");
    EXPECT_EQ(clusters(),
              (std::map<std::string, std::string>{{"b.txt", "b.txt"}, {"c.txt", "b.txt"}}));
    // An earlier copy of C founds the cluster instead, whatever order the runs came in.
    add("d.txt", "20220130", "GENEVA (AP) -- " + blend(kStory, kStoryB, 0.4));
    EXPECT_EQ(clusters(), (std::map<std::string, std::string>{
                              {"b.txt", "d.txt"}, {"c.txt", "d.txt"}, {"d.txt", "d.txt"}}));
    // An edit that makes B another story leaves it alone.
    add("b.txt", "20220202", kStoryC);
    EXPECT_EQ(clusters(), (std::map<std::string, std::string>{
                              {"b.txt", "b.txt"}, {"c.txt", "d.txt"}, {"d.txt", "d.txt"}}));
    IndexOptions rebuild;
    rebuild.rebuild = true;
    EXPECT_EQ(clusters(rebuild), (std::map<std::string, std::string>{
                                     {"b.txt", "b.txt"}, {"c.txt", "d.txt"}, {"d.txt", "d.txt"}}));
}

// Templated reports are different events: one body, two companies in the headlines; one
// cable, two countries. Exact copies with a dash and a trailing link line are one story.
TEST_P(ClustersTest, TemplatedReportsStayApartAndExactCopiesTogether) {
    const std::string notice = "Qtly div 35 cts vs 35 cts prior\nPay April 15\nRecord April one";
    write_file(dir_ / "corpus/d1.txt", article_text("EMHART CORP <EMH> QTLY DIVIDEND", "19870226",
                                                    "https://news.example.org/d1.txt", notice));
    write_file(dir_ / "corpus/d2.txt", article_text("TULTEX CORP <TTX> SETS QUARTERLY", "19870226",
                                                    "https://news.example.org/d2.txt", notice));
    write_file(dir_ / "corpus/c1.txt", article_text("King congratulates president of Niger",
                                                    "20150802", "https://news.example.org/c1.txt",
                                                    congratulation_to("Niger")));
    write_file(dir_ / "corpus/c2.txt", article_text("King congratulates president of Chad",
                                                    "20150811", "https://news.example.org/c2.txt",
                                                    congratulation_to("Chad")));
    write_file(dir_ / "corpus/w1.txt",
               article_text("Weather today", "20150724", "https://news.example.org/w1.txt",
                            kStory + " - winds at 15-35 km/h"));
    write_file(dir_ / "corpus/w2.txt",
               article_text("Weather today", "20150724", "https://news.example.org/w2.txt",
                            kStory + " winds at 15-35 km/h\nlink to the story"));
    EXPECT_EQ(clusters(), (std::map<std::string, std::string>{{"c1.txt", "c1.txt"},
                                                              {"c2.txt", "c2.txt"},
                                                              {"d1.txt", "d1.txt"},
                                                              {"d2.txt", "d2.txt"},
                                                              {"w1.txt", "w1.txt"},
                                                              {"w2.txt", "w1.txt"}}));
}

// A news stream: each run brings later copies of stories already there (the update that looks
// only at the new articles and their candidates). The clusters and the member lists must be
// what a rebuild makes, the member list of a cluster that had one article included.
TEST_P(ClustersTest, LaterCopiesJoinTheirStoryRunByRun) {
    add("a.txt", "20220201", kStory);
    add("x.txt", "20220201", kStoryB);
    EXPECT_EQ(clusters(),
              (std::map<std::string, std::string>{{"a.txt", "a.txt"}, {"x.txt", "x.txt"}}));
    add("b.txt", "20220202", kStory + " Reporting by Anna Clarke");
    add("y.txt", "20220203", blend(kStoryB, kStoryC, 0.7));   // a copy of x
    add("z.txt", "20220204", blend(kStoryB, kStoryC, 0.35));  // a copy of y only: no chain
    const std::map<std::string, std::string> want{{"a.txt", "a.txt"},
                                                  {"b.txt", "a.txt"},
                                                  {"x.txt", "x.txt"},
                                                  {"y.txt", "x.txt"},
                                                  {"z.txt", "z.txt"}};
    EXPECT_EQ(clusters(), want);
    add("c.txt", "20220205", "GENEVA (AP) -- " + kStory);
    auto later = want;
    later["c.txt"] = "a.txt";
    EXPECT_EQ(clusters(), later);
    // The member lists, as --copies reads them.
    Xapian::Database db(dir_ / "db");
    const auto metadata = [&](const std::string& k) { return db.get_metadata(k); };
    const auto members_of = [&](const std::string& name) {
        auto p = db.postlist_begin("Qhttps://news.example.org/" + name);
        return cluster_members(db, *p, metadata).size();
    };
    EXPECT_EQ(members_of("c.txt"), 3u);
    EXPECT_EQ(members_of("a.txt"), 3u);
    EXPECT_EQ(members_of("y.txt"), 2u);
    EXPECT_EQ(members_of("z.txt"), 1u);
    IndexOptions rebuild;
    rebuild.rebuild = true;
    EXPECT_EQ(clusters(rebuild), later);
}

TEST_P(ClustersTest, AStaleMarkIsRepairedByTheNextRun) {
    add("a.txt", "20220201", kStory);
    add("b.txt", "20220202", kStory + " more");
    clusters();
    {
        // As a bulk run that died between committing its old index and swapping in the new
        // one leaves it: keys wrong, marked stale.
        Xapian::WritableDatabase db(dir_ / "db");
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            Xapian::Document doc = db.get_document(*it);
            doc.add_value(schema::kClusterSlot.slot, "19990101Qnowhere");
            db.replace_document(*it, doc);
        }
        db.set_metadata(std::string(schema::kClusters.key), "stale");
        db.commit();
    }
    EXPECT_EQ(clusters(),
              (std::map<std::string, std::string>{{"a.txt", "a.txt"}, {"b.txt", "a.txt"}}));
    EXPECT_EQ(Xapian::Database(dir_ / "db").get_metadata(std::string(schema::kClusters.key)), "");
}

TEST(ClusterMembers, FindsEveryMemberFromAnyMemberFirstFirst) {
    TempDir dir;
    write_file(dir / "c/a.txt", article_text("A", "20220201", "https://x.org/a", kStory));
    write_file(dir / "c/b.txt", article_text("B", "20220202", "https://x.org/b",
                                             "GENEVA (AP) -- " + kStory));
    write_file(dir / "c/c.txt", article_text("C", "20220203", "https://x.org/c",
                                             kStory + " Reporting by Anna Clarke"));
    write_file(dir / "c/d.txt", article_text("D", "20220203", "https://x.org/d", kStoryB));
    IndexOptions opts;
    opts.db_path = dir / "db";
    opts.inputs = {dir / "c"};
    index(opts);
    Xapian::Database db(dir / "db");
    auto urls_from = [&](const std::string& url) {
        std::vector<std::string> urls;
        for (Xapian::docid d :
             cluster_members(db, *db.postlist_begin("Q" + url),
                             [&](const std::string& k) { return db.get_metadata(k); })) {
            const std::string data = db.get_document(d).get_data();
            urls.push_back(data.substr(data.find('\0') + 1,
                                       data.find('\0', data.find('\0') + 1) - data.find('\0') - 1));
        }
        return urls;
    };
    const std::vector<std::string> abc{"https://x.org/a", "https://x.org/b", "https://x.org/c"};
    EXPECT_EQ(urls_from("https://x.org/a"), abc);
    EXPECT_EQ(urls_from("https://x.org/c"), abc);
    EXPECT_EQ(urls_from("https://x.org/d"), std::vector<std::string>{"https://x.org/d"});
}

INSTANTIATE_TEST_SUITE_P(Modes, ClustersTest, ::testing::Values(BuildMode::Direct, BuildMode::Bulk),
                         [](const auto& mode_info) {
                             return mode_info.param == BuildMode::Direct ? "Direct" : "Bulk";
                         });

}  // namespace
}  // namespace newsidx::test
