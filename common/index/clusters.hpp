// Story clusters (issues #11, #26; docs/news-features.md, "Near-duplicates").
//
// Each article's body gets a MinHash signature over its word 3-grams (kSignatureSlot) and band
// terms (kBand: locality-sensitive hashing, so that finding an article's likely copies is a
// Xapian lookup, not a scan). Two articles are *candidates* when they share a band term and at
// least kCandidateAt of their signatures' minima agree; a candidate is a *copy* when the copy
// test on both texts says so (copies.hpp: the words line up, and no name, number or date
// differs where they do not).
// The rule: articles are taken in order, by date then id term; each joins the cluster of the
// earliest earlier *founder* it is a copy of, and founds a cluster when there is none. So every
// member of a cluster is a copy of its first article, the founder (no chains: a copy of a copy
// that is not a copy of the first is elsewhere). The cluster key (kClusterSlot) is the founder's
// date and a hash of its id term.
// The rule depends on the set of articles only: any sequence of runs gives a rebuild's keys.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <functional>
#include <utility>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx {

/// MinHash minima kept per article (16 bits each: the low bits of each minimum).
inline constexpr std::size_t kMinHashes = 64;
/// Band terms per article, each over kBandRows consecutive minima (the first
/// kBands * kBandRows of them).
inline constexpr std::size_t kBands = 16;
inline constexpr std::size_t kBandRows = 2;
/// Bodies with fewer words get no signature and are never anyone's copy.
inline constexpr std::size_t kMinSignatureWords = 8;
/// Two articles are candidate copies from this share of agreeing minima on (below the copy
/// test's share of words, which the 3-gram estimate runs under; bench/dups,
/// docs/benchmarks.md, "Near-duplicates").
inline constexpr double kCandidateAt = 0.25;

struct Signature {
    std::array<std::uint16_t, kMinHashes> minima{};

    /// 2 * kMinHashes bytes, big-endian: the value stored in kSignatureSlot.
    std::string encode() const;
    /// nullopt for a value that is not a signature (an article too short for one).
    static std::optional<Signature> decode(std::string_view value);
    /// The share of minima that agree: an estimate of the Jaccard similarity of the 3-gram sets.
    double similarity(const Signature& other) const;
    /// The article's kBands band terms (kBand prefix).
    std::vector<std::string> band_terms() const;

    bool operator==(const Signature&) const = default;
};

/// The signature of fold()ed body text, or nullopt when it has fewer than kMinSignatureWords
/// words.
std::optional<Signature> signature_of(std::string_view folded);

/// An article's own cluster key, as a founder: its date (YYYYMMDD) then 16 hex digits of the
/// XXH3-64 of its id term (short: every match's key is read when collapsing).
std::string cluster_key(std::string_view date, std::string_view id_term);
/// The founder's date (YYYYMMDD) in a cluster key.
std::string_view key_date(std::string_view key);

/// What changed in an index since its cluster keys were last right: the band terms of the
/// articles added and removed, and the cluster keys the removed ones had.
struct ClusterChanges {
    std::set<std::string> bands;
    std::set<std::string> keys;
    /// The id terms of the articles added (with no removal, a cheaper update may do).
    std::set<std::string> added;
    bool everything = false;  ///< recompute every key (a merged or repaired index)
    bool empty() const { return bands.empty() && keys.empty() && !everything; }
};

/// Brings the cluster keys of `db` up to date after `changes`, rewriting the documents whose
/// key moved. Returns how many moved. Throws Xapian errors.
Xapian::doccount update_clusters(Xapian::WritableDatabase& db, const ClusterChanges& changes);

/// What a full count of the cluster keys (update_clusters() with `everything`) writes: the
/// articles whose stored key differs, and every cluster's member list.
struct ClusterPlan {
    struct Key {
        Xapian::docid docid;  ///< in the database counted
        std::string id_term;  ///< the article's, when by_id_term
        std::string key;
    };
    std::vector<Key> keys;
    /// (cluster key, kClusterMembers value) of every cluster of two or more, sorted.
    std::vector<std::pair<std::string, std::string>> lists;
    /// The keys name their articles by id term (the plan is for a merge of the database
    /// counted), not by docid.
    bool by_id_term = false;
};

/// Counts every cluster key of the articles of `db` anew, reading only: `db` may be several
/// databases as one (a bulk run's shards, while they are merged), and with `for_merge` the
/// plan names the articles by id term. Throws Xapian errors.
ClusterPlan plan_clusters(const Xapian::Database& db, bool for_merge);

/// Writes `plan` into `db`: the keys into the documents, the member lists, and clears the lists
/// of clusters not in it; with `commit_every`, commits after each that many keys (Xapian holds
/// every change until a commit: 155,000 moved keys took 200 MB). Throws Xapian errors.
void apply_plan(Xapian::WritableDatabase& db, const ClusterPlan& plan, std::size_t commit_every);

/// The articles recorded under kClusterMembers for cluster `key` that `db` still has, earliest
/// first (the founder first), read through `metadata`; empty for a key with no list (an
/// article alone).
std::vector<Xapian::docid> recorded_members(
    const Xapian::Database& db, const std::string& key,
    const std::function<std::string(const std::string&)>& metadata);

/// Every article of the cluster of article `member` in `db`, earliest first (the founder first),
/// from the member list recorded under kClusterMembers, read through `metadata` (an index
/// set reads each member's metadata).
std::vector<Xapian::docid> cluster_members(
    const Xapian::Database& db, Xapian::docid member,
    const std::function<std::string(const std::string&)>& metadata);

}  // namespace newsidx
