// A page of hits: the match set's items in the order a search asks for, and each hit's fields
// from its stored record; near-duplicate trails and copies; facet counts.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "newsidx/index_set.hpp"
#include "newsidx/search.hpp"

namespace newsidx {

/// Items [first, first + count) of the match set in the order of `sort`, and the match set they
/// come from. Under a date order Xapian orders the articles of one date by weight, then by
/// document id, which depends on the layout of the index set: articles of equal date and weight
/// are ordered by kOrderSlot instead, as relevance order does, so that one index and any set of
/// shards give one order. In relevance order, weights within 1e-12 of each other count as equal
/// (the same weights summed in another order differ in their last bits) and are ordered by
/// kOrderSlot too. The enquire's match spies run in the first match only (its wider ones for
/// ties would count again), and are cleared.
std::pair<Xapian::MSet, std::vector<Xapian::MSetIterator>> page_in_order(
    Xapian::Enquire& enquire, SortOrder sort, Xapian::doccount first, Xapian::doccount count,
    Xapian::doccount check_at_least);

/// A hit's fields from its document, that document's stored record and its place in the match
/// set (no snippet).
Hit hit_of(const Xapian::Document& doc, const StoredRecord& record, unsigned rank,
           const Xapian::MSetIterator& at);

/// The articles of the cluster of `self` in `db` (the set's database, or one member's while a
/// failure is traced), the founder first; the member lists are read through the set.
std::vector<Xapian::docid> members_of(const IndexSet& set, const Xapian::Database& db,
                                      Xapian::docid self);

/// The articles of the cluster of `self`, earliest first (by date, then URL).
std::vector<Copy> cluster_copies(const IndexSet& set, Xapian::docid self);

/// A hit's trail: its cluster's first article, size and other sites (`similar` comes from the
/// search's cluster spy). Only the first article's record is read; the others' sites come
/// from their host slot.
Trail trail_of(const IndexSet& set, const Xapian::Database& db, Xapian::docid self);

/// The URL of the first article of the cluster of `hit` (document `self`): its own when it
/// founded the cluster (most articles: nothing more to read), else the founder's.
std::string first_url_of(const IndexSet& set, const Xapian::Database& db, Xapian::docid self,
                         const Hit& hit, const std::string& date);

/// Runs `spies` over every article of `db` that passes `filter` (every article when empty),
/// unweighted and each once, in a match that takes no article to the client: the --share base
/// and --significant's stories.
void spy_on_filtered(const Xapian::Database& db, const Xapian::Query& filter,
                     const std::vector<Xapian::MatchSpy*>& spies);

/// The spies a search's options ask for: one per --facet (in order), then one per cluster
/// (--collapse) or per day (--timeline).
std::vector<std::function<std::shared_ptr<Xapian::MatchSpy>()>> spies_for(
    const SearchOptions& options);

/// What a timeline counts, per day (YYYYMMDD): the matches (articles, or with --collapse
/// stories, each at one day), and with --share (`share`) every article (story) that passes
/// the filters without the query.
struct TimelineDays {
    std::map<std::string, Xapian::doccount> matches, all;
    bool share = false;
};

/// What the spies of spies_for() counted, into `result`: the facets; with --collapse the
/// clusters (the total, the articles, each hit's "+N similar"). Returns the days for the
/// timeline (empty without --timeline), which make_timeline() makes into periods.
TimelineDays count_spies(const SearchOptions& options, SearchResult& result);

}  // namespace newsidx
