// Precision and recall of the copy rule on the frozen labelled sets (bench/dups):
//   bench/dups/labelled_set.py materialise CORPORA OUT && newsidx_dup_eval OUT
// A pair counts as found when the indexer would put the two in one cluster were one of them
// the cluster's first: a shared band term with at least kCandidateAt agreeing minima (the
// candidates, clusters.hpp), then the copy test on both texts (copies.hpp). Prints, per kind of
// pair, how many of its copies were found and how many of its non-copies were taken for copies,
// then the precision on the templated near-misses and the recall on every copy. With
// --misses, each wrong verdict too.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer.hpp"
#include "article.hpp"
#include "clusters.hpp"
#include "copies.hpp"
#include "newsidx/stored_record.hpp"
#include "schema.hpp"

namespace {

struct Text {
    std::optional<newsidx::Signature> signature;
    newsidx::CopyText words;
};

std::optional<Text> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const auto parsed = newsidx::parse_article(path, bytes.str());
    if (!parsed.ok()) {
        std::cerr << parsed.error().to_string() << "\n";
        return std::nullopt;
    }
    const auto& article = parsed.article();
    return Text{newsidx::signature_of(newsidx::fold(article.body)),
                newsidx::copy_text(article.title, article.body, article.date)};
}

bool share_band(const newsidx::Signature& a, const newsidx::Signature& b) {
    const auto x = a.band_terms(), y = b.band_terms();
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] == y[i]) return true;
    return false;
}

const char* verdict_name(newsidx::CopyVerdict v) {
    switch (v) {
        case newsidx::CopyVerdict::Copy: return "copy";
        case newsidx::CopyVerdict::TooShort: return "too short";
        case newsidx::CopyVerdict::TooFarApart: return "too far apart";
        case newsidx::CopyVerdict::TooDifferent: return "too different";
        case newsidx::CopyVerdict::NumbersDiffer: return "numbers differ";
        case newsidx::CopyVerdict::DatesDiffer: return "dates differ";
        case newsidx::CopyVerdict::PlacesDiffer: return "places differ";
        case newsidx::CopyVerdict::NamesDiffer: return "names differ";
        case newsidx::CopyVerdict::TitlesDiffer: return "headlines differ";
    }
    return "?";
}

struct Tally {
    int copies = 0, found = 0, others = 0, taken = 0;
};

}  // namespace

// --explain A B: the stretches where the two bodies differ, as the copy test read them, and
// its verdict.
int explain(const std::string& a, const std::string& b) {
    const auto ta = read_text(a), tb = read_text(b);
    if (!ta || !tb) return 1;
    const auto e = newsidx::explain_copies(ta->words, tb->words);
    const auto& x = e.swapped ? tb->words.body : ta->words.body;
    const auto& y = e.swapped ? ta->words.body : tb->words.body;
    if (e.swapped) std::printf("(B read first)\n");
    for (const auto& st : e.stretches) {
        std::printf("[-");
        for (std::size_t k = st.a_from; k < st.a_to; ++k) std::printf(" %s", x[k].c_str());
        std::printf(" -] {+");
        for (std::size_t k = st.b_from; k < st.b_to; ++k) std::printf(" %s", y[k].c_str());
        std::printf(" +}%s %s\n", st.furniture ? " (outlet's lines)" : "", verdict_name(st.verdict));
    }
    std::printf("verdict: %s\n", verdict_name(e.verdict));
    return 0;
}

// --check-index DB: every cluster of an index checked as a cluster: each member a copy of the
// cluster's first (the copy test on the stored texts), the first the earliest by date and id
// term, and every article's key its first's. Prints the counts; exit 1 when any check fails.
int check_index(const std::string& path) {
    Xapian::Database db(path);
    const std::string prefix(newsidx::schema::kClusterMembers.key);
    std::size_t clusters = 0, members = 0, not_copies = 0, bad_first = 0, bad_keys = 0;
    const auto text_of = [&](Xapian::docid d) {
        const auto r = newsidx::StoredRecord::of(db.get_document(d));
        return newsidx::copy_text(r.title, r.body, r.date);
    };
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
        const std::string key = (*k).substr(prefix.size());
        const std::vector<Xapian::docid> list = newsidx::recorded_members(
            db, key, [&](const std::string& name) { return db.get_metadata(name); });
        if (list.size() < 2) continue;
        ++clusters;
        const Xapian::Document first = db.get_document(list.front());
        const std::string own = first.get_value(newsidx::schema::kDateSlot.slot);
        const auto first_text = text_of(list.front());
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Xapian::Document doc = db.get_document(list[i]);
            bad_keys += doc.get_value(newsidx::schema::kClusterSlot.slot) != key;
            if (i == 0) continue;
            ++members;
            bad_first += doc.get_value(newsidx::schema::kDateSlot.slot) < own;
            if (newsidx::compare_copies(first_text, text_of(list[i])) !=
                newsidx::CopyVerdict::Copy) {
                ++not_copies;
                std::printf("not a copy of its first: %s\n",
                            newsidx::StoredRecord::of(doc).path.c_str());
            }
        }
    }
    std::printf("%zu clusters of 2 or more, %zu members besides their firsts: %zu not copies of "
                "their first, %zu dated before it, %zu with another cluster's key\n",
                clusters, members, not_copies, bad_first, bad_keys);
    return not_copies || bad_first || bad_keys ? 1 : 0;
}

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--explain") return explain(argv[2], argv[3]);
    if (argc == 3 && std::string(argv[1]) == "--check-index") return check_index(argv[2]);
    const bool misses = argc == 3 && std::string(argv[2]) == "--misses";
    if (argc != 2 && !misses) {
        std::cerr << "usage: newsidx_dup_eval DIR [--misses]  (DIR from labelled_set.py "
                     "materialise)\n";
        return 2;
    }
    const std::string dir = argv[1];
    std::ifstream labels(dir + "/pairs.tsv");
    std::map<std::string, Tally> kinds;
    std::string line;
    while (std::getline(labels, line)) {
        std::istringstream fields(line);
        std::string kind, label, a, b;
        std::getline(fields, kind, '\t');
        std::getline(fields, label, '\t');
        std::getline(fields, a, '\t');
        std::getline(fields, b, '\t');
        const auto ta = read_text(dir + "/a/" + a), tb = read_text(dir + "/a/" + b);
        if (!ta || !tb) return 1;
        std::string why = "not a candidate";
        bool found = false;
        if (ta->signature && tb->signature && share_band(*ta->signature, *tb->signature) &&
            ta->signature->similarity(*tb->signature) >= newsidx::kCandidateAt) {
            const auto v = newsidx::compare_copies(ta->words, tb->words);
            found = v == newsidx::CopyVerdict::Copy;
            why = verdict_name(v);
        }
        Tally& t = kinds[kind];
        const bool copy = label == "1";
        (copy ? t.copies : t.others) += 1;
        (copy ? t.found : t.taken) += found;
        if (misses && found != copy)
            std::printf("miss\t%s\t%s\t%s\t%s\t%s\n", kind.c_str(), label.c_str(), a.c_str(),
                        b.c_str(), why.c_str());
    }
    if (kinds.empty()) {
        std::cerr << "no pairs in " << dir << "/pairs.tsv\n";
        return 1;
    }
    std::printf("%-16s %8s %8s %8s %10s\n", "kind", "copies", "found", "others", "taken");
    Tally all, templated;
    for (const auto& [kind, t] : kinds) {
        std::printf("%-16s %8d %8d %8d %10d\n", kind.c_str(), t.copies, t.found, t.others,
                    t.taken);
        all.copies += t.copies;
        all.found += t.found;
        all.taken += t.taken;
        all.others += t.others;
        if (kind != "real" && kind != "edited" && kind != "english") {
            templated.found += t.found;
            templated.taken += t.taken;
            templated.others += t.others;
        }
    }
    const auto ratio = [](int x, int y) { return y ? static_cast<double>(x) / y : 1.0; };
    std::printf("recall on every copy: %.3f (%d of %d)\n", ratio(all.found, all.copies), all.found,
                all.copies);
    std::printf("precision, all pairs: %.3f; templated pairs: %.3f; templated near-misses kept "
                "apart: %.3f (%d of %d)\n",
                ratio(all.found, all.found + all.taken),
                ratio(templated.found, templated.found + templated.taken),
                ratio(templated.others - templated.taken, templated.others),
                templated.others - templated.taken, templated.others);
}
