#include "clusters.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "analyzer.hpp"
#include "calendar.hpp"
#include "copies.hpp"
#include "newsidx/stored_record.hpp"
#include "schema.hpp"

namespace newsidx {
namespace {

// splitmix64's finaliser: makes the per-function constants.
constexpr std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// The kMinHashes hash functions of a 3-gram's (already random) XXH3 hash h: h * kMul[i] +
// kAdd[i] modulo 2^64, kMul odd. One multiply each: computing them is most of a signature's
// cost, and a signature is made for every article indexed.
struct Functions {
    std::array<std::uint64_t, kMinHashes> mul{}, add{};
};
constexpr Functions kFunctions = [] {
    Functions f;
    std::uint64_t s = 0x6e65777369647831ULL;  // "newsidx1"
    for (std::size_t i = 0; i < kMinHashes; ++i) {
        f.mul[i] = (s = mix(s + 0x9e3779b97f4a7c15ULL)) | 1;
        f.add[i] = s = mix(s + 0x9e3779b97f4a7c15ULL);
    }
    return f;
}();

}  // namespace

std::string Signature::encode() const {
    std::string out(2 * kMinHashes, '\0');
    for (std::size_t i = 0; i < kMinHashes; ++i) {
        out[2 * i] = static_cast<char>(minima[i] >> 8);
        out[2 * i + 1] = static_cast<char>(minima[i] & 0xff);
    }
    return out;
}

std::optional<Signature> Signature::decode(std::string_view value) {
    if (value.size() != 2 * kMinHashes) return std::nullopt;
    Signature s;
    for (std::size_t i = 0; i < kMinHashes; ++i)
        s.minima[i] = static_cast<std::uint16_t>((static_cast<unsigned char>(value[2 * i]) << 8) |
                                                 static_cast<unsigned char>(value[2 * i + 1]));
    return s;
}

double Signature::similarity(const Signature& other) const {
    std::size_t same = 0;
    for (std::size_t i = 0; i < kMinHashes; ++i) same += minima[i] == other.minima[i];
    return static_cast<double>(same) / kMinHashes;
}

std::vector<std::string> Signature::band_terms() const {
    std::vector<std::string> terms;
    terms.reserve(kBands);
    for (std::size_t b = 0; b < kBands; ++b) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%02zx", b);
        std::string term = std::string(schema::kBand.prefix) + buf;
        for (std::size_t r = 0; r < kBandRows; ++r) {
            std::snprintf(buf, sizeof buf, "%04x", minima[b * kBandRows + r]);
            term += buf;
        }
        terms.push_back(std::move(term));
    }
    return terms;
}

std::optional<Signature> signature_of(std::string_view folded) {
    std::array<std::uint64_t, kMinHashes> mins;
    mins.fill(std::numeric_limits<std::uint64_t>::max());
    std::array<std::string_view, 3> last;
    std::size_t words = 0;
    std::string gram;
    std::size_t pos = 0;
    for (std::string_view w = next_word(folded, &pos); !w.empty(); w = next_word(folded, &pos)) {
        last[words++ % 3] = w;
        if (words < 3) continue;
        gram.clear();
        for (std::size_t k = words - 3; k < words; ++k) (gram += last[k % 3]) += ' ';
        const std::uint64_t h = XXH3_64bits(gram.data(), gram.size());
        for (std::size_t i = 0; i < kMinHashes; ++i)
            mins[i] = std::min(mins[i], h * kFunctions.mul[i] + kFunctions.add[i]);
    }
    if (words < kMinSignatureWords) return std::nullopt;
    Signature s;
    // The high bits of a minimum are mostly zeros; bits 16..31 are as random as any.
    for (std::size_t i = 0; i < kMinHashes; ++i)
        s.minima[i] = static_cast<std::uint16_t>(mins[i] >> 16);
    return s;
}

namespace {

// cluster_key() of an id term whose XXH3-64 is `hash`.
std::string key_of_hash(std::string_view date, std::uint64_t hash) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return std::string(date) + hex;
}

// The article's id term (kId), or "" for a document without one.
std::string id_term_in(const Xapian::Document& doc) {
    const std::string id_prefix(schema::kId.prefix);
    auto term = doc.termlist_begin();
    term.skip_to(id_prefix);
    return term != doc.termlist_end() && (*term).rfind(id_prefix, 0) == 0 ? *term : std::string();
}

}  // namespace

std::string cluster_key(std::string_view date, std::string_view id_term) {
    return key_of_hash(date, XXH3_64bits(id_term.data(), id_term.size()));
}

std::string_view key_date(std::string_view key) {
    return key.substr(0, std::min<std::size_t>(8, key.size()));
}

namespace {

// An article's place in the order of the rule, its date then its id term ("own" below), and
// the key it has as a founder.
std::string key_of(const std::string& own) {
    return cluster_key(std::string_view(own).substr(0, 8), std::string_view(own).substr(8));
}

// Texts read for the copy test: at most this many words are kept at once (some 35 MB; 2,000,000
// took 180 MB while a merge of the 4x corpora also compacted, issue #28).
constexpr std::size_t kTextCacheWords = 500'000;

// Rule 0 of the copy test without reading the texts: more than kCopyDays apart and not the
// same words (which would give the same signature). `a` and `b` start with YYYYMMDD.
bool too_far_apart(std::string_view a, std::string_view b, const Signature& x, const Signature& y) {
    const auto da = calendar::day_number(a.substr(0, 8)), db = calendar::day_number(b.substr(0, 8));
    return da && db && std::abs(*da - *db) > kCopyDays && !(x == y);
}

// The copy test (copies.hpp) between articles of an index, each article's words read from its
// stored record once while kept.
class Texts {
  public:
    explicit Texts(const Xapian::Database& db) : db_(db) {}

    bool copies(Xapian::docid a, Xapian::docid b) {
        if (words_ > kTextCacheWords) {
            texts_.clear();
            words_ = 0;
        }
        const CopyText& x = get(a);
        return compare_copies(x, get(b)) == CopyVerdict::Copy;
    }

  private:
    const CopyText& get(Xapian::docid d) {
        auto it = texts_.find(d);
        if (it == texts_.end()) {
            const StoredRecord r = StoredRecord::of(db_.get_document(d, Xapian::DOC_ASSUME_VALID));
            it = texts_.emplace(d, copy_text(r.title, r.body, r.date)).first;
            words_ += it->second.title.size() + it->second.body.size();
        }
        return it->second;
    }

    const Xapian::Database& db_;
    std::unordered_map<Xapian::docid, CopyText> texts_;
    std::size_t words_ = 0;
};

// The founders met so far per band term (by the term's XXH3-64), for articles taken in the
// order of the rule: the step that the full recount and the general update share.
class Founders {
  public:
    static std::uint64_t band_hash(const std::string& band) {
        return XXH3_64bits(band.data(), band.size());
    }

    // The earliest founder of `bands` that is a candidate (`candidate`: agreeing minima) and
    // of which the article is a copy (`copy`), `before` ordering articles by the rule; 0 when
    // there is none.
    template <typename Candidate, typename Before, typename Copy>
    Xapian::docid first_of(const std::vector<std::string>& bands, Candidate candidate,
                           Before before, Copy copy) const {
        std::vector<Xapian::docid> earlier;
        for (const std::string& band : bands)
            if (auto it = by_band_.find(band_hash(band)); it != by_band_.end())
                for (Xapian::docid f : it->second)
                    if (candidate(f)) earlier.push_back(f);
        std::sort(earlier.begin(), earlier.end(), before);
        earlier.erase(std::unique(earlier.begin(), earlier.end()), earlier.end());
        for (Xapian::docid f : earlier)
            if (copy(f)) return f;
        return 0;
    }

    // Article `d` founds a cluster: it joins the founders of those of its bands that `keep`
    // takes (by hash).
    template <typename Keep>
    void add(Xapian::docid d, const std::vector<std::string>& bands, Keep keep) {
        for (const std::string& band : bands)
            if (const std::uint64_t h = band_hash(band); keep(h)) by_band_[h].push_back(d);
    }

  private:
    std::unordered_map<std::uint64_t, std::vector<Xapian::docid>> by_band_;
};

// What clustering needs of one article, read once.
struct Node {
    std::optional<Signature> signature;
    std::string own;      // its own key (date, id term)
    std::string current;  // its stored cluster key
};

class Nodes {
  public:
    explicit Nodes(const Xapian::Database& db) : db_(db) {}

    // Its signature and stored key; its own key (a termlist read) only with `own`.
    const Node& get(Xapian::docid did, bool own) {
        auto it = nodes_.find(did);
        if (it == nodes_.end()) {
            const Xapian::Document doc = db_.get_document(did, Xapian::DOC_ASSUME_VALID);
            Node node;
            node.signature = Signature::decode(doc.get_value(schema::kSignatureSlot.slot));
            node.current = doc.get_value(schema::kClusterSlot.slot);
            it = nodes_.emplace(did, std::move(node)).first;
        }
        if (own && it->second.own.empty()) {
            const Xapian::Document doc = db_.get_document(did, Xapian::DOC_ASSUME_VALID);
            it->second.own = doc.get_value(schema::kDateSlot.slot) + id_term_in(doc);
        }
        return it->second;
    }
    const Node& operator[](Xapian::docid did) { return get(did, true); }

    // Whether its stored key says it founded its cluster.
    bool founder_now(Xapian::docid did) {
        const Node& n = get(did, true);
        return n.current == key_of(n.own);
    }

    // Its candidates (sharing a band term, with agreeing minima from kCandidateAt).
    const std::vector<Xapian::docid>& candidates(Xapian::docid did) {
        auto cached = candidates_.find(did);
        if (cached != candidates_.end()) return cached->second;
        const std::optional<Signature> signature = get(did, false).signature;
        std::vector<Xapian::docid> out;
        if (signature) {
            std::unordered_set<Xapian::docid> seen{did};
            for (const std::string& band : signature->band_terms())
                for (auto p = db_.postlist_begin(band); p != db_.postlist_end(band); ++p) {
                    if (!seen.insert(*p).second) continue;
                    const Node& other = get(*p, false);
                    if (other.signature && signature->similarity(*other.signature) >= kCandidateAt)
                        out.push_back(*p);
                }
        }
        return candidates_.emplace(did, std::move(out)).first->second;
    }

    // The article's first under the rule: the earliest (by date, then id term) of its earlier
    // candidates that founded their cluster (`is_founder`) and of which it is a copy; itself
    // when there is none.
    template <typename IsFounder>
    Xapian::docid first_of(Xapian::docid did, Texts& texts, IsFounder is_founder) {
        std::vector<Xapian::docid> earlier;
        for (Xapian::docid e : candidates(did))
            if ((*this)[e].own < (*this)[did].own) earlier.push_back(e);
        std::sort(earlier.begin(), earlier.end(), [&](Xapian::docid x, Xapian::docid y) {
            return (*this)[x].own < (*this)[y].own;
        });
        if (earlier.empty()) return did;  // (so, too, without a signature: no candidates)
        const Signature& own = *get(did, false).signature;
        for (Xapian::docid e : earlier)
            if (is_founder(e) &&
                !too_far_apart((*this)[did].own, (*this)[e].own, own, *get(e, false).signature) &&
                texts.copies(did, e))
                return e;
        return did;
    }

  private:
    const Xapian::Database& db_;
    std::unordered_map<Xapian::docid, Node> nodes_;
    std::unordered_map<Xapian::docid, std::vector<Xapian::docid>> candidates_;
};

// The recorded value of a cluster's members (date and id term each); empty for a cluster of one.
std::string members_value(std::vector<std::string>& members) {
    std::string value;
    if (members.size() > 1) {
        std::sort(members.begin(), members.end());
        members.erase(std::unique(members.begin(), members.end()), members.end());
        for (const std::string& m : members) (value += m) += '\n';
    }
    return value;
}

// Records the members of cluster `key`; none for a cluster of one.
void write_members(Xapian::WritableDatabase& db, const std::string& key,
                   std::vector<std::string>& members) {
    db.set_metadata(std::string(schema::kClusterMembers.key) + key, members_value(members));
}

// The members recorded for cluster `key`, earliest first.
std::vector<std::string> read_members(
    const std::function<std::string(const std::string&)>& metadata, const std::string& key) {
    std::vector<std::string> members;
    const std::string value = metadata(std::string(schema::kClusterMembers.key) + key);
    std::size_t at = 0;
    while (at < value.size()) {
        const std::size_t nl = value.find('\n', at);
        members.push_back(value.substr(at, nl - at));
        at = nl == std::string::npos ? value.size() : nl + 1;
    }
    return members;
}

// The article with id term `id_term`, or nullopt when the index has none.
std::optional<Xapian::docid> article_with(const Xapian::Database& db, const std::string& id_term) {
    if (auto p = db.postlist_begin(id_term); p != db.postlist_end(id_term)) return *p;
    return std::nullopt;
}

// The article a member line names (its id term, after the 8-digit date), or nullopt when the
// index no longer has it.
std::optional<Xapian::docid> member_article(const Xapian::Database& db, const std::string& line) {
    return article_with(db, line.substr(std::min<std::size_t>(8, line.size())));
}

// Gives article `did` cluster key `key` (and its story value). Only values change: Xapian
// rewrites the values, not the document's terms.
void set_key(Xapian::WritableDatabase& db, Xapian::docid did, const std::string& key) {
    Xapian::Document doc = db.get_document(did);
    doc.add_value(schema::kClusterSlot.slot, key);
    doc.add_value(schema::kStorySlot.slot,
                  schema::story_value(key, doc.get_value(schema::kDateSlot.slot)));
    db.replace_document(did, doc);
}

// Writes `key` into the documents whose stored key differs; returns how many.
template <typename Keys>
Xapian::doccount write_keys(Xapian::WritableDatabase& db, const Keys& keys,
                            const std::function<const std::string&(Xapian::docid)>& current) {
    Xapian::doccount moved = 0;
    for (const auto& [did, key] : keys) {
        if (current(did) == key) continue;
        set_key(db, did, key);
        ++moved;
    }
    return moved;
}

// Every key from scratch (a merged or repaired index), in memory of a few words per article
// plus the signatures of the articles that share a band term with another (likely copies):
// no strings per article, so that a million articles that all have copies take about 150 MB
// (docs/scale-out.md, "Memory"). Arrays are indexed by docid: sizes and loops in size_t, so
// that the greatest docid cannot wrap.
class Recount {
  public:
    // Reads the articles of `db` (a database, or several as one), writes nothing; the plan
    // names the moved articles by id term when `for_merge` (it is applied to a merge of `db`).
    Recount(const Xapian::Database& db, bool for_merge)
        : db_(db), last_(db.get_lastdocid()), order_(last_ + 1, kNone) {
        plan_.by_id_term = for_merge;
    }

    // The steps in order: what to write.
    ClusterPlan run() {
        order_articles();
        read_signatures();
        find_founders();
        member_lists();
        moved_keys();
        return std::move(plan_);
    }

  private:
    static constexpr std::uint64_t kNone = ~std::uint64_t{0};
    static constexpr std::uint64_t kLow = 0xffffffffULL;
    static constexpr std::uint32_t kNoSignature = 0xffffffffU, kWanted = 0xfffffffeU;

    // Each article's place in the order of the rule as one number: its date's 8 digits, then
    // the rank of its id term among all id terms (allterms comes in term order), so that
    // comparing the numbers compares (date, id term) as the strings of key_of() compare. A
    // date that is not 8 digits (none that the indexer writes) sorts last, as no article.
    void order_articles() {
        // A founder's key: cluster_key() (of an empty id term for an article without one).
        id_hash_.assign(last_ + 1, XXH3_64bits("", 0));
        const std::string id_prefix(schema::kId.prefix);
        std::uint64_t rank = 0;
        for (auto t = db_.allterms_begin(id_prefix); t != db_.allterms_end(id_prefix);
             ++t, ++rank) {
            const std::string term = *t;
            const std::uint64_t hash = XXH3_64bits(term.data(), term.size());
            for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
                order_[*p] = (kLow << 32) | rank;
                id_hash_[*p] = hash;
            }
        }
        const auto date_number = [](const std::string& date) -> std::uint64_t {
            if (date.size() != 8 || !std::all_of(date.begin(), date.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; }))
                return kLow;
            return std::stoull(date);
        };
        for (auto v = db_.valuestream_begin(schema::kDateSlot.slot);
             v != db_.valuestream_end(schema::kDateSlot.slot); ++v)
            order_[v.get_docid()] = (date_number(*v) << 32) | (order_[v.get_docid()] & kLow);
    }

    std::string date_of(Xapian::docid d) const {
        const std::uint64_t date = order_[d] >> 32;
        if (date == kLow)
            return db_.get_document(d, Xapian::DOC_ASSUME_VALID).get_value(schema::kDateSlot.slot);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%08llu", static_cast<unsigned long long>(date));
        return buf;
    }

    // The signatures of the articles that share a band term with another: the only ones that
    // can be copies.
    void read_signatures() {
        signature_at_.assign(last_ + 1, kNoSignature);
        const std::string band_prefix(schema::kBand.prefix);
        for (auto t = db_.allterms_begin(band_prefix); t != db_.allterms_end(band_prefix); ++t)
            if (t.get_termfreq() >= 2) {
                shared_bands_.insert(Founders::band_hash(*t));
                for (auto p = db_.postlist_begin(*t); p != db_.postlist_end(*t); ++p)
                    signature_at_[*p] = kWanted;
            }
        for (auto v = db_.valuestream_begin(schema::kSignatureSlot.slot);
             v != db_.valuestream_end(schema::kSignatureSlot.slot); ++v) {
            std::uint32_t& at = signature_at_[v.get_docid()];
            if (at != kWanted) continue;
            at = kNoSignature;
            if (auto sig = Signature::decode(*v)) {
                at = static_cast<std::uint32_t>(signatures_.size());
                signatures_.push_back(*sig);
            }
        }
    }

    // Each article's first, in the order of the rule: the earliest founder it is a copy of, or
    // itself (0) when it founds a cluster. Only articles with a shared band term can be copies.
    void find_founders() {
        first_.assign(last_ + 1, 0);
        std::vector<Xapian::docid> wanted;
        for (std::size_t d = 1; d <= last_; ++d)
            if (signature_at_[d] < signatures_.size()) wanted.push_back(static_cast<Xapian::docid>(d));
        const auto before = [&](Xapian::docid a, Xapian::docid b) { return order_[a] < order_[b]; };
        std::sort(wanted.begin(), wanted.end(), before);
        Founders founders;
        Texts texts(db_);
        for (Xapian::docid d : wanted) {
            const Signature& own = signatures_[signature_at_[d]];
            const std::vector<std::string> bands = own.band_terms();
            first_[d] = founders.first_of(
                bands,
                [&](Xapian::docid f) {
                    return own.similarity(signatures_[signature_at_[f]]) >= kCandidateAt;
                },
                before,
                [&](Xapian::docid f) {
                    return !too_far_apart(date_of(d), date_of(f), own,
                                          signatures_[signature_at_[f]]) &&
                           texts.copies(d, f);
                });
            if (!first_[d])
                founders.add(d, bands, [&](std::uint64_t h) { return shared_bands_.count(h) > 0; });
        }
        signatures_ = {};
        signature_at_ = {};
        shared_bands_ = {};
    }

    Xapian::docid founder(Xapian::docid d) const { return first_[d] ? first_[d] : d; }

    std::string key_for(Xapian::docid f) const { return key_of_hash(date_of(f), id_hash_[f]); }

    // The member lists: every cluster of two or more, members earliest first.
    void member_lists() {
        std::vector<std::uint32_t> size(last_ + 1, 0);
        for (std::size_t d = 1; d <= last_; ++d)
            if (order_[d] != kNone) ++size[founder(static_cast<Xapian::docid>(d))];
        std::vector<std::pair<Xapian::docid, Xapian::docid>> members;  // (founder, member)
        for (std::size_t d = 1; d <= last_; ++d) {
            const auto did = static_cast<Xapian::docid>(d);
            if (order_[d] != kNone && size[founder(did)] > 1)
                members.emplace_back(founder(did), did);
        }
        size = {};
        std::sort(members.begin(), members.end(), [&](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : order_[a.second] < order_[b.second];
        });
        std::vector<std::string> list;
        for (std::size_t i = 0; i < members.size();) {
            const Xapian::docid f = members[i].first;
            list.clear();
            for (; i < members.size() && members[i].first == f; ++i)
                list.push_back(
                    date_of(members[i].second) +
                    id_term_in(db_.get_document(members[i].second, Xapian::DOC_ASSUME_VALID)));
            plan_.lists.emplace_back(key_for(f), members_value(list));
        }
        std::sort(plan_.lists.begin(), plan_.lists.end());
    }

    // The stored keys that differ, read in one pass.
    void moved_keys() {
        std::vector<Xapian::docid> moved;
        auto v = db_.valuestream_begin(schema::kClusterSlot.slot);
        const auto end = db_.valuestream_end(schema::kClusterSlot.slot);
        for (std::size_t i = 1; i <= last_; ++i) {
            const auto d = static_cast<Xapian::docid>(i);
            if (order_[d] == kNone) continue;
            while (v != end && v.get_docid() < d) ++v;
            const bool has = v != end && v.get_docid() == d;
            if (!has || *v != key_for(founder(d))) moved.push_back(d);
        }
        for (Xapian::docid d : moved)
            plan_.keys.push_back(
                {d,
                 plan_.by_id_term ? id_term_in(db_.get_document(d, Xapian::DOC_ASSUME_VALID))
                                  : std::string(),
                 key_for(founder(d))});
    }

    const Xapian::Database& db_;
    const std::size_t last_;
    ClusterPlan plan_;
    std::vector<std::uint64_t> order_;
    std::vector<std::uint64_t> id_hash_;
    std::vector<std::uint32_t> signature_at_;
    std::vector<Signature> signatures_;
    std::unordered_set<std::uint64_t> shared_bands_;
    std::vector<Xapian::docid> first_;  // 0: the article founds its cluster
};

Xapian::doccount update_all(Xapian::WritableDatabase& db) {
    const ClusterPlan plan = Recount(db, false).run();
    apply_plan(db, plan, 0);
    return static_cast<Xapian::doccount>(plan.keys.size());
}

}  // namespace

namespace {

// The member lists of `keys` after the articles of `found` took their keys: each list keeps
// its recorded members outside `found` that still hold its key, and gains the articles of
// `found` that hold it now (`found` may name a cluster's first whose key did not move).
void rewrite_member_lists(Xapian::WritableDatabase& db, const std::set<std::string>& keys,
                          const std::unordered_map<Xapian::docid, std::string>& found,
                          Nodes& nodes) {
    std::map<std::string, std::vector<std::string>> lists;
    for (const auto& [d, key] : found) lists[key].push_back(nodes[d].own);
    const auto metadata = [&](const std::string& k) { return db.get_metadata(k); };
    for (const std::string& key : keys) {
        std::vector<std::string>& members = lists[key];
        for (const std::string& m : read_members(metadata, key)) {
            const auto d = member_article(db, m);
            if (!d || found.count(*d)) continue;
            if (nodes.get(*d, false).current == key && nodes[*d].own == m) members.push_back(m);
        }
        write_members(db, key, members);
    }
}

// Only articles added, each later (by date, then id term) than every candidate already there —
// a news stream's usual case, and `indexer --watch`'s: then no article already there can see
// another first (its candidates that could be firsts are all earlier than the new ones), so only
// the new articles need keys, and only their clusters' member lists change. nullopt when that
// does not hold (an earlier copy arrived, something was removed): the general update must run.
std::optional<Xapian::doccount> update_for_added(Xapian::WritableDatabase& db,
                                                 const ClusterChanges& changes, Nodes& nodes,
                                                 Texts& texts) {
    if (!changes.keys.empty() || changes.added.empty()) return std::nullopt;
    std::vector<Xapian::docid> added;
    std::unordered_set<Xapian::docid> is_added;
    for (const std::string& id : changes.added) {
        const auto d = article_with(db, id);
        if (!d) return std::nullopt;
        added.push_back(*d);
        is_added.insert(*d);
    }
    for (Xapian::docid n : added)
        for (Xapian::docid e : nodes.candidates(n))
            if (!is_added.count(e) && !(nodes[e].own < nodes[n].own)) return std::nullopt;
    std::sort(added.begin(), added.end(),
              [&](Xapian::docid x, Xapian::docid y) { return nodes[x].own < nodes[y].own; });
    std::unordered_map<Xapian::docid, Xapian::docid> first;
    std::unordered_map<Xapian::docid, std::string> found;
    for (Xapian::docid n : added) {
        first[n] = nodes.first_of(n, texts, [&](Xapian::docid e) {
            return is_added.count(e) ? first.at(e) == e : nodes.founder_now(e);
        });
        found[n] = key_of(nodes[first[n]].own);
    }
    // The clusters that grew; one founded by an article already there, alone until now, has
    // no list yet: it is its first member.
    std::set<std::string> keys;
    std::unordered_map<Xapian::docid, std::string> listed = found;
    for (Xapian::docid n : added) {
        keys.insert(found[n]);
        if (!is_added.count(first[n])) listed.emplace(first[n], found[n]);
    }
    rewrite_member_lists(db, keys, listed, nodes);
    return write_keys(db, found,
                      [&](Xapian::docid d) -> const std::string& { return nodes[d].current; });
}

// The articles of the band-connected part of the index around `bands`: every article with one
// of them, every article sharing a band term with those, and so on. An article's candidates
// share a band term with it, so every article of the part has all its candidates inside it,
// and the part's firsts can be found again from the part alone.
std::vector<Xapian::docid> band_component(Xapian::WritableDatabase& db,
                                          const std::set<std::string>& bands,
                                          const std::vector<Xapian::docid>& more, Nodes& nodes) {
    std::vector<Xapian::docid> part;
    std::unordered_set<Xapian::docid> in_part;
    std::unordered_set<std::string> seen(bands.begin(), bands.end());
    std::vector<std::string> todo(bands.begin(), bands.end());
    const auto add = [&](Xapian::docid d) {
        if (!in_part.insert(d).second) return;
        part.push_back(d);
        if (const auto& signature = nodes.get(d, false).signature)
            for (std::string& band : signature->band_terms())
                if (seen.insert(band).second) todo.push_back(std::move(band));
    };
    for (Xapian::docid d : more) add(d);
    while (!todo.empty()) {
        const std::string band = std::move(todo.back());
        todo.pop_back();
        for (auto p = db.postlist_begin(band); p != db.postlist_end(band); ++p) add(*p);
    }
    return part;
}

// Any change: the band-connected part around the added and removed articles (and the other
// members of a removed article's cluster) is clustered again in the order of the rule, as the
// full recount does (founders kept per band term); the rest of the index keeps its keys.
Xapian::doccount update_general(Xapian::WritableDatabase& db, const ClusterChanges& changes,
                                Nodes& nodes, Texts& texts) {
    std::vector<Xapian::docid> removed_members;
    const auto metadata = [&](const std::string& k) { return db.get_metadata(k); };
    for (const std::string& key : changes.keys)
        for (const std::string& m : read_members(metadata, key))
            if (const auto d = member_article(db, m)) removed_members.push_back(*d);
    std::vector<Xapian::docid> part = band_component(db, changes.bands, removed_members, nodes);
    const auto before = [&](Xapian::docid x, Xapian::docid y) {
        return nodes[x].own < nodes[y].own;
    };
    std::sort(part.begin(), part.end(), before);
    Founders founders;
    std::unordered_map<Xapian::docid, std::string> found;
    std::set<std::string> keys = changes.keys;
    for (Xapian::docid d : part) {
        Xapian::docid first = d;
        if (const std::optional<Signature> signature = nodes.get(d, false).signature) {
            const auto sig = [&](Xapian::docid f) -> const Signature& {
                return *nodes.get(f, false).signature;
            };
            const std::vector<std::string> bands = signature->band_terms();
            first = founders.first_of(
                bands,
                [&](Xapian::docid f) { return signature->similarity(sig(f)) >= kCandidateAt; },
                before,
                [&](Xapian::docid f) {
                    return !too_far_apart(nodes[d].own, nodes[f].own, *signature, sig(f)) &&
                           texts.copies(d, f);
                });
            if (!first) {
                first = d;
                founders.add(d, bands, [](std::uint64_t) { return true; });
            }
        }
        found[d] = key_of(nodes[first].own);
        keys.insert(nodes[d].current);
        keys.insert(found[d]);
    }
    rewrite_member_lists(db, keys, found, nodes);
    return write_keys(db, found,
                      [&](Xapian::docid d) -> const std::string& { return nodes[d].current; });
}

}  // namespace

Xapian::doccount update_clusters(Xapian::WritableDatabase& db, const ClusterChanges& changes) {
    if (changes.everything) return update_all(db);
    if (changes.empty()) return 0;
    // (Its nodes and texts, read for the cheap update, serve the general one when that gives up.)
    Nodes nodes(db);
    Texts texts(db);
    if (const auto moved = update_for_added(db, changes, nodes, texts)) return *moved;
    return update_general(db, changes, nodes, texts);
}

std::vector<Xapian::docid> recorded_members(
    const Xapian::Database& db, const std::string& key,
    const std::function<std::string(const std::string&)>& metadata) {
    // One metadata read, then an id term lookup per member (a search does this for each hit it
    // shows).
    std::vector<Xapian::docid> members;
    for (const std::string& m : read_members(metadata, key))
        if (const auto d = member_article(db, m)) members.push_back(*d);
    return members;
}

std::vector<Xapian::docid> cluster_members(
    const Xapian::Database& db, Xapian::docid member,
    const std::function<std::string(const std::string&)>& metadata) {
    std::vector<Xapian::docid> members = recorded_members(
        db, db.get_document(member).get_value(schema::kClusterSlot.slot), metadata);
    if (members.empty()) return {member};
    if (std::find(members.begin(), members.end(), member) == members.end())
        members.push_back(member);
    return members;
}

ClusterPlan plan_clusters(const Xapian::Database& db, bool for_merge) {
    return Recount(db, for_merge).run();
}

void apply_plan(Xapian::WritableDatabase& db, const ClusterPlan& plan, std::size_t commit_every) {
    std::size_t written = 0;
    for (const ClusterPlan::Key& k : plan.keys) {
        if (commit_every && ++written % commit_every == 0) db.commit();
        std::optional<Xapian::docid> d = k.docid;
        if (plan.by_id_term)  // (an article without an id term is never written)
            d = k.id_term.empty() ? std::nullopt : article_with(db, k.id_term);
        if (d) set_key(db, *d, k.key);
    }
    // Every list anew; the lists of clusters that are no more, cleared (plan.lists is sorted).
    const std::string prefix(schema::kClusterMembers.key);
    for (const auto& [key, value] : plan.lists) db.set_metadata(prefix + key, value);
    std::vector<std::string> old;
    const auto has = [&](const std::string& key) {
        const auto it = std::lower_bound(plan.lists.begin(), plan.lists.end(),
                                         std::make_pair(key, std::string()));
        return it != plan.lists.end() && it->first == key;
    };
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        if (!has((*k).substr(prefix.size()))) old.push_back(*k);
    for (const std::string& k : old) db.set_metadata(k, std::string());
}

}  // namespace newsidx
