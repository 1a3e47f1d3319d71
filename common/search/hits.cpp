#include "hits.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "article.hpp"
#include "clusters.hpp"
#include "document.hpp"
#include "schema.hpp"

namespace newsidx {
namespace {

Copy copy_of(const StoredRecord& record) {
    return Copy{dashed_date(record.date), url_host(record.url).value_or(""), record.url,
                record.title, record.path};
}

// The value slot a facet counts.
Xapian::valueno facet_slot(const std::string& field) {
    if (field == "site") return schema::kHostSlot.slot;
    if (field == "lang") return schema::kLanguageSlot.slot;
    return schema::kDateSlot.slot;  // year: the first four digits of YYYYMMDD
}

// The counts of `spy` per value of `field` (a year from a date).
std::map<std::string, Xapian::doccount> counts_of(const std::string& field,
                                                  const Xapian::ValueCountMatchSpy& spy) {
    std::map<std::string, Xapian::doccount> counts;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        const std::string value = field == "year" ? (*it).substr(0, 4) : *it;
        if (!value.empty()) counts[value] += it.get_termfreq();
    }
    return counts;
}

// A facet from its spy; with `base` (--share), each value's count without the query too.
Facet facet_of(const std::string& field, const Xapian::ValueCountMatchSpy& spy,
               const Xapian::ValueCountMatchSpy* base) {
    const std::map<std::string, Xapian::doccount> counts = counts_of(field, spy);
    Facet facet;
    facet.field = field;
    facet.values = counts.size();
    for (const auto& [value, count] : counts) facet.top.push_back({value, count, 0});
    std::stable_sort(
        facet.top.begin(), facet.top.end(),
        [](const Facet::Count& a, const Facet::Count& b) { return a.count > b.count; });
    if (facet.top.size() > kFacetTop) facet.top.resize(kFacetTop);
    if (base) {
        facet.share = true;
        const std::map<std::string, Xapian::doccount> all = counts_of(field, *base);
        for (Facet::Count& c : facet.top)
            if (const auto it = all.find(c.value); it != all.end()) c.all = it->second;
    }
    return facet;
}

}  // namespace

std::pair<Xapian::MSet, std::vector<Xapian::MSetIterator>> page_in_order(
    Xapian::Enquire& enquire, SortOrder sort, Xapian::doccount first, Xapian::doccount count,
    Xapian::doccount check_at_least) {
    // Each item with what orders it, read once (a document of a remote shard is a request).
    struct Item {
        Xapian::MSetIterator at;
        double weight;
        std::string date, order;
    };
    const bool relevance = sort == SortOrder::Relevance;
    // Equal scores are ordered by the order value (Xapian's sort key, in a relevance order),
    // and scores a few units in the last place apart are equal: the same weights summed in
    // another order (a remote shard's server builds its own tree of the query) differ there.
    const auto tied = [relevance](const Item& a, const Item& b) {
        if (relevance)
            return std::abs(a.weight - b.weight) <= 1e-12 * std::max(1.0, std::abs(a.weight));
        return a.weight == b.weight && a.date == b.date;
    };
    for (Xapian::doccount margin = 8;; margin *= 4) {
        const Xapian::doccount from = first > margin ? first - margin : 0;
        Xapian::MSet mset = enquire.get_mset(from, first - from + count + margin, check_at_least);
        // The match spies saw every match in the first fetch (check_at_least): a wider one, for
        // ties at the page's edges, would count each again.
        enquire.clear_matchspies();
        std::vector<Item> items;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            if (relevance) {
                items.push_back({it, it.get_weight(), {}, it.get_sort_key()});
                continue;
            }
            const Xapian::Document doc = it.get_document();
            items.push_back({it, it.get_weight(), doc.get_value(schema::kDateSlot.slot),
                             doc.get_value(schema::kOrderSlot.slot)});
        }
        const std::size_t lo = first - from, hi = std::min<std::size_t>(items.size(), lo + count);
        if (lo >= items.size()) return {std::move(mset), {}};
        // A run of ties is a chain of neighbours that tie (near-equal weights need not all be
        // near each other's). A run at an edge of the page that reaches the edge of what was
        // fetched may go on beyond it.
        const auto chained = [&](std::size_t a, std::size_t b) {  // a <= b
            for (std::size_t k = a + 1; k <= b; ++k)
                if (!tied(items[k - 1], items[k])) return false;
            return true;
        };
        const bool open_start = from > 0 && chained(0, lo);
        const bool open_end =
            items.size() == first - from + count + margin && chained(hi - 1, items.size() - 1);
        if (open_start || open_end) continue;
        for (std::size_t run = 0; run < items.size();) {
            std::size_t end = run + 1;
            while (end < items.size() && tied(items[end - 1], items[end])) ++end;
            if (end - run > 1)
                std::sort(items.begin() + static_cast<std::ptrdiff_t>(run),
                          items.begin() + static_cast<std::ptrdiff_t>(end),
                          [](const Item& a, const Item& b) { return a.order < b.order; });
            run = end;
        }
        std::vector<Xapian::MSetIterator> page;
        for (std::size_t i = lo; i < hi; ++i) page.push_back(items[i].at);
        return {std::move(mset), std::move(page)};
    }
}

Hit hit_of(const Xapian::Document& doc, const StoredRecord& record, unsigned rank,
           const Xapian::MSetIterator& at) {
    Hit hit;
    hit.rank = rank;
    hit.score = at.get_weight();
    hit.percent = at.get_percent();
    hit.title = record.title;
    hit.date = dashed_date(record.date);
    hit.url = record.url;
    hit.site = url_host(record.url).value_or("");
    hit.path = record.path;
    hit.language = record.language;
    hit.cluster = doc.get_value(schema::kClusterSlot.slot);
    return hit;
}

std::vector<Xapian::docid> members_of(const IndexSet& set, const Xapian::Database& db,
                                      Xapian::docid self) {
    return cluster_members(db, self, [&](const std::string& k) { return set.metadata(k); });
}

std::vector<Copy> cluster_copies(const IndexSet& set, Xapian::docid self) {
    const Xapian::Database& db = set.database();
    const std::vector<Xapian::docid> members = members_of(set, db, self);
    std::vector<Copy> copies;
    // In the order of the rule (date, then id term), as recorded: the first is the cluster's
    // first, as the trail and the export's cluster column name it (a URL over 240 bytes is
    // ordered by its hashed id term, not by its text).
    for (Xapian::docid d : members) copies.push_back(copy_of(StoredRecord::of(db.get_document(d))));
    return copies;
}

Trail trail_of(const IndexSet& set, const Xapian::Database& db, Xapian::docid self) {
    const std::vector<Xapian::docid> members = members_of(set, db, self);
    Trail trail;
    trail.copies = static_cast<Xapian::doccount>(members.size());
    trail.first = copy_of(StoredRecord::of(db.get_document(members.front())));
    std::set<std::string> sites;
    for (Xapian::docid d : members) {
        std::string site =
            db.get_document(d, Xapian::DOC_ASSUME_VALID).get_value(schema::kHostSlot.slot);
        if (site != trail.first.site) sites.insert(std::move(site));
    }
    trail.also_on.assign(sites.begin(), sites.end());
    return trail;
}

std::string first_url_of(const IndexSet& set, const Xapian::Database& db, Xapian::docid self,
                         const Hit& hit, const std::string& date) {
    if (hit.cluster == cluster_key(date, id_term_of(hit.url))) return hit.url;
    return StoredRecord::of(db.get_document(members_of(set, db, self).front())).url;
}

void spy_on_filtered(const Xapian::Database& db, const Xapian::Query& filter,
                     const std::vector<Xapian::MatchSpy*>& spies) {
    Xapian::Enquire enquire(db);
    // Unweighted: no statistics asked of a remote shard, and nothing ranked.
    enquire.set_query(filter.empty() ? Xapian::Query::MatchAll : filter);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
    for (Xapian::MatchSpy* spy : spies) enquire.add_matchspy(spy);
    // No match goes to the client: each is counted once (see Searcher::answer()).
    enquire.get_mset(0, 0, db.get_doccount());
}

std::vector<std::function<std::shared_ptr<Xapian::MatchSpy>()>> spies_for(
    const SearchOptions& options) {
    std::vector<std::function<std::shared_ptr<Xapian::MatchSpy>()>> spies;
    for (const std::string& field : options.facets) {
        const Xapian::valueno slot = facet_slot(field);
        spies.push_back([slot] { return std::make_shared<Xapian::ValueCountMatchSpy>(slot); });
    }
    // With --collapse one spy counts the matches per cluster and day (kStorySlot): the "+N
    // similar", the count of clusters, and the timeline (a cluster once, at the day of its
    // earliest match, so inside the dates asked).
    if (options.collapse)
        spies.push_back(
            [] { return std::make_shared<Xapian::ValueCountMatchSpy>(schema::kStorySlot.slot); });
    else if (!options.timeline.empty())
        spies.push_back(
            [] { return std::make_shared<Xapian::ValueCountMatchSpy>(schema::kDateSlot.slot); });
    return spies;
}

namespace {

// The clusters a spy over kStorySlot counted (per cluster and day): each cluster's matches,
// and the day of its earliest.
struct Clusters {
    std::map<std::string, Xapian::doccount> matches;
    std::map<std::string, std::string> earliest;
};

Clusters clusters_of(const Xapian::ValueCountMatchSpy& spy) {
    Clusters c;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        const std::string value = *it;
        if (value.size() < 8) continue;
        const std::string key = value.substr(0, value.size() - 8), day = value.substr(value.size() - 8);
        c.matches[key] += it.get_termfreq();
        auto [at, fresh] = c.earliest.try_emplace(key, day);
        if (!fresh && day < at->second) at->second = day;
    }
    return c;
}

// --collapse: the clusters the spy counted; each cluster once into `days`, at the day of its
// earliest match. With `base` (--share: every article that passes the filters), at the day of
// its earliest article there instead, and every cluster of the base into `all_days` so: a
// story is counted in the period it began, matching or not, and a period's count is a part
// of its `all`.
void count_clusters(const Xapian::ValueCountMatchSpy& spy, const Xapian::ValueCountMatchSpy* base,
                    SearchResult& result, std::map<std::string, Xapian::doccount>& days,
                    std::map<std::string, Xapian::doccount>& all_days) {
    // Exact, unlike Xapian's collapse count (a lower bound): every match was seen.
    const Clusters matched = clusters_of(spy);
    Clusters all;
    if (base) {
        all = clusters_of(*base);
        for (const auto& [key, day] : all.earliest) all_days[day] += 1;
    }
    for (const auto& [key, day] : matched.earliest) {
        const auto began = all.earliest.find(key);
        days[began == all.earliest.end() ? day : began->second] += 1;
    }
    result.collapsed = true;
    result.total_estimate = static_cast<Xapian::doccount>(matched.matches.size());
    for (const auto& [key, n] : matched.matches) result.articles += n;
    result.total_exact = true;
    result.total_at_least = result.total_estimate;
    for (Hit& hit : result.hits)
        if (hit.trail) {
            const auto n = matched.matches.find(hit.cluster);
            hit.trail->similar = n == matched.matches.end() ? 0 : n->second - 1;
        }
}

}  // namespace

TimelineDays count_spies(const SearchOptions& options, SearchResult& result) {
    const auto spy = [&](std::size_t i) -> const Xapian::ValueCountMatchSpy& {
        return dynamic_cast<const Xapian::ValueCountMatchSpy&>(*result.spies.at(i));
    };
    const auto base = [&](std::size_t i) -> const Xapian::ValueCountMatchSpy* {
        if (i >= result.base_spies.size()) return nullptr;
        return &dynamic_cast<const Xapian::ValueCountMatchSpy&>(*result.base_spies[i]);
    };
    for (std::size_t i = 0; i < options.facets.size(); ++i)
        result.facets.push_back(facet_of(options.facets[i], spy(i), base(i)));
    TimelineDays days;
    if (options.timeline.empty() && !options.collapse) return days;
    const std::size_t last = options.facets.size();
    days.share = base(last) != nullptr;
    if (options.collapse) {
        count_clusters(spy(last), base(last), result, days.matches, days.all);
    } else {
        for (auto it = spy(last).values_begin(); it != spy(last).values_end(); ++it)
            days.matches[*it] += it.get_termfreq();
        if (const auto* b = base(last))
            for (auto it = b->values_begin(); it != b->values_end(); ++it)
                days.all[*it] += it.get_termfreq();
    }
    return days;
}

}  // namespace newsidx
