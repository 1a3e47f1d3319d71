#include "newsidx/search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "analyzer.hpp"
#include "calendar.hpp"
#include "article.hpp"
#include "clusters.hpp"
#include "document.hpp"
#include "newsidx/error.hpp"
#include "schema.hpp"
#include "snippet.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace {

// log(N/df): a term's idf in the whole set (0 for a term no article has). Snippets and
// percentages weigh terms by it, the same in every layout of the set.
double set_idf(const Xapian::Database& db, const std::string& term) {
    const Xapian::doccount df = db.get_termfreq(term);
    return df ? std::log(static_cast<double>(db.get_doccount()) / df) : 0.0;
}

// A query word's weight in a snippet, times its idf: about BM25's bound for a word at the
// default k1 (k1 + 1), which weighed snippet words before schema 7.
constexpr double kSnippetWordWeight = 3.0;

// The match set whose term weights MSet::snippet weighs the words of `words` by: each word's
// idf (log N/df over the whole set) times kSnippetWordWeight. Xapian 1.4 does not weigh a word
// so across an index set: it adds up the weight bounds of the local members that have the word,
// but not those of remote shards. So on a set, a first match reads what Xapian makes of each
// word's idf, and a second one scales each word to what one index gives it.
Xapian::MSet snippet_weights(const Xapian::Database& db, const Xapian::Query& words) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::TfIdfWeight("btn"));  // weight bound: the idf
    if (db.size() <= 1) {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, words, kSnippetWordWeight));
        return enquire.get_mset(0, 0);
    }
    enquire.set_query(words);
    const Xapian::MSet plain = enquire.get_mset(0, 0);
    std::vector<Xapian::Query> terms;
    for (auto it = words.get_unique_terms_begin(); it != words.get_unique_terms_end(); ++it) {
        const double got = plain.get_termweight(*it);
        const double want = kSnippetWordWeight * set_idf(db, *it);
        terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it),
                           got > 0 ? want / got : kSnippetWordWeight);
    }
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    return enquire.get_mset(0, 0);
}

// The analyzer that indexed `doc`, from its XA term.
std::string analyzer_of(const Xapian::Document& doc) {
    const std::string prefix(schema::kAnalyzer.prefix);
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(prefix);
    if (it != doc.termlist_end() && (*it).compare(0, prefix.size(), prefix) == 0)
        return (*it).substr(prefix.size());
    return "english";
}

// Xapian's percentage counts every term of the query, but an article of a mixed index matches
// only the terms of its own analyzer's parse: a perfect match would show 100 / (number of
// analyzers). Percentages are worked out again as Xapian does (a hit's weight relative to the
// best one's, times the share of the query the best one matches), counting only the terms of
// the best hit's own parse. The same holds for the ranking evidence of a bare-word query
// (its title terms and copies are not words the user typed), so those are counted out too.
// A term's share is its idf (log N/df) in the whole set: Xapian's own (the term's weight
// bound) depends on how the articles are split into shards.
// `best` holds the match of greatest weight (its first item).
void rescale_percentages(const Xapian::Enquire& enquire, const Xapian::Database& db,
                         const Xapian::MSet& best,
                         const std::map<std::string, std::vector<std::string>>& terms_by_analyzer,
                         std::vector<Hit>& hits) {
    if (best.empty() || best.begin().get_weight() <= 0) return;
    // A query with operators: every weighted term of the query counts (filters weigh nothing).
    const Xapian::Query& query = enquire.get_query();
    std::map<std::string, std::vector<std::string>> every{{"", {}}};
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t)
        if (const schema::Prefix* prefix = schema::prefix_of(*t); !prefix || !prefix->is_boolean)
            every[""].push_back(*t);
    const auto& parses = terms_by_analyzer.empty() ? every : terms_by_analyzer;
    auto own = parses.find(analyzer_of(best.begin().get_document()));
    if (own == parses.end() && parses.size() == 1)
        own = parses.begin();  // one parse for every article
    if (own == parses.end()) return;
    double total = 0, matched = 0;
    for (const std::string& term : own->second) total += set_idf(db, term);
    for (auto t = enquire.get_matching_terms_begin(best.begin());
         t != enquire.get_matching_terms_end(best.begin()); ++t)
        if (std::find(own->second.begin(), own->second.end(), *t) != own->second.end())
            matched += set_idf(db, *t);
    if (total <= 0) return;
    const double factor = 100.0 * matched / total / best.begin().get_weight();
    for (Hit& hit : hits)
        hit.percent = std::clamp(static_cast<int>(hit.score * factor + 0.5), 1, 100);
}

// Expansion terms: unprefixed words of the text only (not title-field or boolean terms), none
// of the query's own and no stop word of the index's languages (feedback on news would
// otherwise add "is" and "have", which every top hit has).
class ExpansionTerms : public Xapian::ExpandDecider {
  public:
    // With `shared_only`, also none that only the relevance set's one article has
    // (more-like-this: such a term can find no other article).
    ExpansionTerms(const Xapian::Query& own, const Xapian::Database& db, bool shared_only)
        : own_(own.get_unique_terms_begin(), own.get_unique_terms_end()),
          db_(db),
          shared_only_(shared_only) {
        for (const std::string& analyzer : analyzers_in(db_))
            own_.merge(Analyzer(analyzer).stop_terms());
    }
    bool operator()(const std::string& term) const override {
        return !term.empty() && schema::prefix_of(term) == nullptr && !own_.count(term) &&
               (!shared_only_ || db_.get_termfreq(term) > 1);
    }

  private:
    std::set<std::string> own_;
    const Xapian::Database& db_;
    bool shared_only_;
};

// Items [first, first + count) of the match set in the order of `sort`, and the match set they
// come from. Under a date order Xapian orders the articles of one date by weight, then by
// document id, which depends on the layout of the index set: articles of equal date and weight
// are ordered here by kOrderSlot instead, as relevance order does (Searcher::configure), so
// that one index and any set of shards give one order. The match set is fetched with a margin
// on both sides, widened until the runs of ties at the page's edges lie within it.
std::pair<Xapian::MSet, std::vector<Xapian::MSetIterator>> page_in_order(
    Xapian::Enquire& enquire, SortOrder sort, Xapian::doccount first, Xapian::doccount count,
    Xapian::doccount check_at_least) {
    if (sort == SortOrder::Relevance) {
        Xapian::MSet mset = enquire.get_mset(first, count, check_at_least);
        std::vector<Xapian::MSetIterator> page;
        for (auto it = mset.begin(); it != mset.end(); ++it) page.push_back(it);
        return {std::move(mset), std::move(page)};
    }
    // Each item with what orders it, read once (a document of a remote shard is a request).
    struct Item {
        Xapian::MSetIterator at;
        double weight;
        std::string date, order;
    };
    const auto tied = [](const Item& a, const Item& b) {
        return a.weight == b.weight && a.date == b.date;
    };
    for (Xapian::doccount margin = 8;; margin *= 4) {
        const Xapian::doccount from = first > margin ? first - margin : 0;
        Xapian::MSet mset = enquire.get_mset(from, first - from + count + margin, check_at_least);
        std::vector<Item> items;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const Xapian::Document doc = it.get_document();
            items.push_back({it, it.get_weight(), doc.get_value(schema::kDateSlot.slot),
                             doc.get_value(schema::kOrderSlot.slot)});
        }
        const std::size_t lo = first - from, hi = std::min<std::size_t>(items.size(), lo + count);
        if (lo >= items.size()) return {std::move(mset), {}};
        // A run of ties at an edge of the page that reaches the edge of what was fetched may
        // go on beyond it.
        const bool open_start = from > 0 && tied(items.front(), items[lo]);
        const bool open_end =
            items.size() == first - from + count + margin && tied(items[hi - 1], items.back());
        if (open_start || open_end) continue;
        for (std::size_t run = 0; run < items.size();) {
            std::size_t end = run + 1;
            while (end < items.size() && tied(items[run], items[end])) ++end;
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

}  // namespace

Xapian::Query expansion_query(const Xapian::Enquire& enquire, const Xapian::Database& db,
                              const Xapian::RSet& rset, const Xapian::Query& own, unsigned count,
                              double weight, std::vector<std::string>* added, bool by_eset_weight) {
    const ExpansionTerms decider(own, db, by_eset_weight);
    // Exact term frequencies: by default Xapian weighs a term by the frequency in the shard of
    // the document it was read from, so that shards would choose other terms than one index.
    const Xapian::ESet eset =
        enquire.get_eset(count, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    std::vector<Xapian::Query> terms;
    const double best = eset.empty() ? 1 : eset.begin().get_weight();
    for (auto it = eset.begin(); it != eset.end(); ++it) {
        if (by_eset_weight && best > 0)
            terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it),
                               it.get_weight() / best);
        else
            terms.emplace_back(*it);
        if (added) added->push_back(*it);
    }
    if (terms.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), weight);
}

std::string no_article(const std::string& url_or_path) {
    return std::string(url_or_path.find("://") == std::string::npos ? "no article from the file '"
                                                                    : "no article with the URL '") +
           url_or_path + "' in the index";
}

Searcher::Searcher(SearchOptions options)
    : options_(std::move(options)),
      filters_(check_options(options_)),
      set_(IndexSet::open(options_.db_paths, {options_.timeout_ms, options_.allow_partial})),
      builder_(set_, options_, filters_) {}

Searcher::Searcher(SearchOptions options, IndexSet set)
    : options_(std::move(options)),
      filters_(check_options(options_)),
      set_(std::move(set)),
      builder_(set_, options_, filters_) {}

namespace {

// A hit's fields from its document, that document's stored record and its place in the match
// set (no snippet).
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

Copy copy_of(const StoredRecord& record) {
    return Copy{dashed_date(record.date), url_host(record.url).value_or(""), record.url,
                record.title, record.path};
}

// The articles of the cluster of `self` in `db` (the set's database, or one member's while a
// failure is traced), the founder first; the member lists are read through the set.
std::vector<Xapian::docid> members_of(const IndexSet& set, const Xapian::Database& db,
                                      Xapian::docid self) {
    return cluster_members(db, self, [&](const std::string& k) { return set.metadata(k); });
}

// The articles of the cluster of `self`, earliest first (by date, then URL).
std::vector<Copy> cluster_copies(const IndexSet& set, Xapian::docid self) {
    const Xapian::Database& db = set.database();
    const std::vector<Xapian::docid> members = members_of(set, db, self);
    std::vector<Copy> copies;
    for (Xapian::docid d : members) copies.push_back(copy_of(StoredRecord::of(db.get_document(d))));
    std::sort(copies.begin(), copies.end(), [](const Copy& a, const Copy& b) {
        return std::tie(a.date, a.url) < std::tie(b.date, b.url);
    });
    return copies;
}

// A hit's trail: its cluster's first article, size and other sites (`similar` comes from the
// search's cluster spy). Only the first article's record is read; the others' sites come from
// their host slot.
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

// --recency: a weight per publication day, `top` * kRecencyShare * 0.5^(age / half_life), age
// in days from `now` (either way: a --now in the past favours its own days); one entry per day
// the index has (its D terms).
Xapian::PostingSource* recency_source(const Xapian::Database& db, const std::string& now,
                                      double half_life, double top) {
    auto* source = new Xapian::ValueMapPostingSource(schema::kDateSlot.slot);
    const long today = calendar::day_number(now).value_or(0);
    const std::string prefix(schema::kDay.prefix);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        const std::string day = (*t).substr(prefix.size());
        const auto number = calendar::day_number(day);
        if (!number) continue;
        const double age = static_cast<double>(std::labs(today - *number));
        source->add_mapping(day, top * kRecencyShare * std::pow(0.5, age / half_life));
    }
    source->set_default_weight(0);
    return source->release();  // the query that holds it deletes it
}

// The value slot a facet counts.
Xapian::valueno facet_slot(const std::string& field) {
    if (field == "site") return schema::kHostSlot.slot;
    if (field == "lang") return schema::kLanguageSlot.slot;
    return schema::kDateSlot.slot;  // year: the first four digits of YYYYMMDD
}

Facet facet_of(const std::string& field, const Xapian::ValueCountMatchSpy& spy) {
    std::map<std::string, Xapian::doccount> counts;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        const std::string value = field == "year" ? (*it).substr(0, 4) : *it;
        if (!value.empty()) counts[value] += it.get_termfreq();
    }
    Facet facet;
    facet.field = field;
    facet.values = counts.size();
    for (const auto& [value, count] : counts) facet.top.push_back({value, count});
    std::stable_sort(
        facet.top.begin(), facet.top.end(),
        [](const Facet::Count& a, const Facet::Count& b) { return a.count > b.count; });
    if (facet.top.size() > kFacetTop) facet.top.resize(kFacetTop);
    return facet;
}

}  // namespace

MatchSetup Searcher::match_setup() const {
    MatchSetup setup;
    setup.sort = options_.sort;
    for (const std::string& field : options_.facets) {
        const Xapian::valueno slot = facet_slot(field);
        setup.spies.push_back(
            [slot] { return std::make_shared<Xapian::ValueCountMatchSpy>(slot); });
    }
    // With --collapse one spy counts the matches per cluster: the "+N similar", the count of
    // clusters, and the timeline (a cluster once, at its first article's date, in its key).
    if (options_.collapse) {
        setup.collapse_key = schema::kClusterSlot.slot;
        setup.spies.push_back(
            [] { return std::make_shared<Xapian::ValueCountMatchSpy>(schema::kClusterSlot.slot); });
    } else if (!options_.timeline.empty()) {
        setup.spies.push_back(
            [] { return std::make_shared<Xapian::ValueCountMatchSpy>(schema::kDateSlot.slot); });
    }
    return setup;
}

std::optional<Xapian::docid> Searcher::find(const std::string& url_or_path) {
    return detail::guarded("reading", set_.label(), [&]() -> std::optional<Xapian::docid> {
        std::string url = url_or_path;
        if (url_or_path.find("://") == std::string::npos) {
            // A file: its recorded state names its URL.
            const std::string path =
                std::filesystem::absolute(url_or_path).lexically_normal().string();
            const std::string entry = set_.metadata(bounded_term(schema::kFile.key, path));
            const auto state = FileState::decode(entry.substr(0, entry.find('\n')));
            if (!state) return std::nullopt;
            url = state->url;
        }
        const std::string id = bounded_term(schema::kId.prefix, url);
        const Xapian::Database& db = set_.database();
        auto it = db.postlist_begin(id);
        if (it == db.postlist_end(id)) return std::nullopt;
        return *it;
    });
}

std::optional<std::vector<Copy>> Searcher::copies(const std::string& url_or_path) {
    const auto did = find(url_or_path);
    if (!did) return std::nullopt;
    return detail::guarded("reading", set_.label(), [&] { return cluster_copies(set_, *did); });
}

QueryBuilder::Built Searcher::built_for(const std::string& query, std::vector<std::string>* terms) {
    if (options_.like.empty()) return builder_.build(query);
    const auto did = find(options_.like);
    if (!did) throw Error(ErrorCode::BadOption, "--like: " + no_article(options_.like));
    return detail::guarded("searching", set_.label(), [&] {
        const Xapian::Database& db = set_.database();
        // Its best terms (Xapian's ESet over a relevance set of one), its cluster left out.
        Xapian::Enquire enquire(db);
        Xapian::RSet rset;
        rset.add_document(*did);
        const Xapian::Query like =
            expansion_query(enquire, db, rset, Xapian::Query(), kLikeTerms, 1, terms, true);
        if (like.empty())
            throw Error(ErrorCode::BadQuery, "--like: the article has no words to compare");
        const std::string key = db.get_document(*did).get_value(schema::kClusterSlot.slot);
        QueryBuilder::Built built;
        built.text = Xapian::Query(
            Xapian::Query::OP_AND_NOT, like,
            Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kClusterSlot.slot, key, key));
        built.filter = builder_.filter();
        built.raw = built.folded = "like:" + options_.like;
        return built;
    });
}

std::optional<StoredRecord> Searcher::article(const std::string& url_or_path) {
    const auto did = find(url_or_path);
    if (!did) return std::nullopt;
    return detail::guarded("reading", set_.label(),
                           [&] { return StoredRecord::of(set_.database().get_document(*did)); });
}

SearchResult Searcher::search(const std::string& query) {
    SearchResult result = search(query, match_setup());
    for (std::size_t i = 0; i < options_.facets.size(); ++i)
        result.facets.push_back(facet_of(
            options_.facets[i], dynamic_cast<const Xapian::ValueCountMatchSpy&>(*result.spies[i])));
    if (options_.timeline.empty() && !options_.collapse) return result;
    const auto& spy =
        dynamic_cast<const Xapian::ValueCountMatchSpy&>(*result.spies[options_.facets.size()]);
    std::map<std::string, Xapian::doccount> days;
    if (options_.collapse) {
        // Exact, unlike Xapian's collapse count (a lower bound): every match was seen.
        std::map<std::string, Xapian::doccount> per_cluster;
        for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
            per_cluster[*it] = it.get_termfreq();
            days[std::string(key_date(*it))] += 1;
        }
        result.collapsed = true;
        result.total_estimate = static_cast<Xapian::doccount>(per_cluster.size());
        for (const auto& [key, n] : per_cluster) result.articles += n;
        result.total_exact = true;
        for (Hit& hit : result.hits)
            if (hit.trail) {
                const auto n = per_cluster.find(hit.cluster);
                hit.trail->similar = n == per_cluster.end() ? 0 : n->second - 1;
            }
    } else {
        for (auto it = spy.values_begin(); it != spy.values_end(); ++it)
            days[*it] += it.get_termfreq();
    }
    if (!options_.timeline.empty()) {
        result.timeline = make_timeline(options_.timeline, days);
        result.timeline->stories = options_.collapse;
    }
    return result;
}

SearchResult Searcher::search(const std::string& query, const MatchSetup& setup) {
    // An indexer committing while we read can overwrite the revision we started from: Xapian
    // then says DatabaseModifiedError, and the cure is to reopen at the newest revision and
    // run the query again.
    for (int attempt = 1;; ++attempt) {
        try {
            return search_once(query, setup);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::IndexChanged || attempt == kSearchAttempts) throw;
        }
        set_.reopen();
    }
}

void Searcher::configure(Xapian::Enquire& enquire, const Xapian::Database& db,
                         const QueryBuilder::Built& built, const MatchSetup& setup,
                         SearchResult& out) const {
    enquire.set_weighting_scheme(bm25_weight(options_));
    Xapian::Query text = built.text;
    if (options_.expand > 0 && built.bare_words && built.words >= options_.expand_min_words) {
        // Relevance-set expansion from the top hits of the query as typed, filters applied.
        // Only for ranked bare words: ORed with --all, a field or an exclusion, the added
        // terms would bring in the articles those keep out.
        enquire.set_query(built.combined());
        const Xapian::MSet top = enquire.get_mset(0, kFeedbackDocuments);
        Xapian::RSet rset;
        for (auto it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
        if (!rset.empty()) {
            const Xapian::Query more = expansion_query(
                enquire, db, rset, built.text, options_.expand, kFeedbackWeight, &out.expansion);
            if (!more.empty()) text = Xapian::Query(Xapian::Query::OP_OR, text, more);
        }
    }
    if (options_.recency_days > 0) {
        // Scaled to this query: the best BM25 weight among its matches (one more pass).
        enquire.set_query(built.filter.empty()
                              ? text
                              : Xapian::Query(Xapian::Query::OP_FILTER, text, built.filter));
        const Xapian::MSet best = enquire.get_mset(0, 1);
        const std::string now =
            filters_.now.empty() ? db.get_value_upper_bound(schema::kDateSlot.slot) : filters_.now;
        if (!best.empty() && best.begin().get_weight() > 0 && now.size() == 8)
            text = Xapian::Query(Xapian::Query::OP_AND_MAYBE, text,
                                 Xapian::Query(recency_source(db, now, options_.recency_days,
                                                              best.begin().get_weight())));
    }
    for (const auto& boost : setup.boosts)
        text = Xapian::Query(Xapian::Query::OP_AND_MAYBE, text, Xapian::Query(boost.get()));
    enquire.set_query(
        built.filter.empty() ? text : Xapian::Query(Xapian::Query::OP_FILTER, text, built.filter));
    // Equal scores in the order of a number every layout gives the article alike (not by
    // document id, which depends on the shards and the order of indexing).
    if (setup.sort == SortOrder::Relevance)
        enquire.set_sort_by_relevance_then_value(schema::kOrderSlot.slot, false);
    else
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot.slot,
                                                 setup.sort == SortOrder::Newest);
    if (setup.collapse_key) enquire.set_collapse_key(*setup.collapse_key);
    for (const auto& make_spy : setup.spies) {
        out.spies.push_back(make_spy());
        enquire.add_matchspy(out.spies.back().get());
    }
}

Xapian::doccount Searcher::each_match(const std::string& query,
                                      const std::function<void(const Hit&)>& emit) {
    const QueryBuilder::Built built = built_for(query);
    return detail::guarded("searching", set_.label(), [&] {
        const Xapian::Database& db = set_.database();
        Xapian::Enquire enquire(db);
        MatchSetup setup;
        setup.sort = options_.sort;
        SearchResult scratch;
        configure(enquire, db, built, setup, scratch);
        // One ranked pass over every match: the MSet holds document ids and weights only.
        const Xapian::MSet mset =
            enquire.get_mset(0, std::max<Xapian::doccount>(1, db.get_doccount()));
        unsigned rank = 0;
        std::map<std::string, std::string> first_urls;  // cluster key -> its first's URL
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const Xapian::Document doc = it.get_document();
            const StoredRecord record = StoredRecord::of(doc);
            Hit hit = hit_of(doc, record, ++rank, it);
            auto [first, fresh] = first_urls.try_emplace(hit.cluster);
            if (fresh) {
                // Its own URL when it founded the cluster (most articles: nothing more to
                // read), else the founder's, first in the cluster's member list.
                first->second =
                    hit.cluster ==
                            cluster_key(record.date, bounded_term(schema::kId.prefix, hit.url))
                        ? hit.url
                        : StoredRecord::of(db.get_document(members_of(set_, db, *it).front())).url;
            }
            hit.first_url = first->second;
            emit(hit);
        }
        return static_cast<Xapian::doccount>(mset.size());
    });
}

SearchResult Searcher::search_once(const std::string& query, const MatchSetup& setup) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = query;
    result.missing_shards = set_.missing();
    const QueryBuilder::Built built = built_for(query, &result.expansion);

    // Everything below reads the index; a failure names the member where it happens.
    auto run = [&](const Xapian::Database& db, SearchResult& out) {
        Xapian::Enquire enquire(db);
        configure(enquire, db, built, setup, out);
        // Xapian counts every match up to `check_at_least`: the count is exact whenever a query
        // has fewer matches than that (its lower and upper bounds meet), and an estimate only
        // beyond, where counting would cost more than the page.
        const Xapian::doccount check_at_least =
            setup.spies.empty() ? std::max<Xapian::doccount>(kExactCountUpTo,
                                                             options_.offset + options_.limit + 100)
                                : db.get_doccount();  // spies count every match
        // Xapian 1.4 counts some matches twice in the spies of a set with a remote shard (the
        // server's count, and again as the client takes the shard's best matches), and of a
        // match set that starts past the first match (--offset: facet and timeline counts of
        // page 2 came out above the number of matches): there the spies count in a match of
        // their own, which takes no match to the client.
        if (!setup.spies.empty() && (set_.has_remote() || options_.offset > 0)) {
            enquire.get_mset(0, 0, check_at_least);
            enquire.clear_matchspies();
        }
        const auto [mset, page] =
            page_in_order(enquire, setup.sort, options_.offset, options_.limit, check_at_least);
        out.total_estimate = mset.get_matches_estimated();
        out.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        // What snippets need, only when they are wanted (TREC runs do without), per analyzer
        // of a split query: an article's snippet highlights what its own language's parse
        // matched, not a word that only another language keeps ("to" is no French stop word).
        struct ForSnippets {
            SnippetTerms words;
            Xapian::MSet mset;
        };
        std::map<std::string, ForSnippets> snippet_parts;  // by analyzer, made when first needed
        const auto for_snippets = [&](const std::string& analyzer) -> const ForSnippets& {
            const std::string key =
                built.terms_by_analyzer.size() > 1 && built.terms_by_analyzer.count(analyzer)
                    ? analyzer
                    : std::string();
            auto found = snippet_parts.find(key);
            if (found != snippet_parts.end()) return found->second;
            const Xapian::Query whole = built.combined();
            std::vector<std::string> terms(whole.get_unique_terms_begin(),
                                           whole.get_unique_terms_end());
            if (!key.empty()) {
                const std::vector<std::string>& own = built.terms_by_analyzer.at(key);
                // A word, bare or as the title-words evidence's title term, that another
                // analyzer's parse holds and this one's does not.
                const auto foreign = [&](const std::string& term) {
                    if (!schema::is_text_term(term)) return false;
                    const std::string word(schema::word_of(term));
                    if (std::find(own.begin(), own.end(), word) != own.end()) return false;
                    for (const auto& [other, theirs] : built.terms_by_analyzer)
                        if (other != key &&
                            std::find(theirs.begin(), theirs.end(), word) != theirs.end())
                            return true;
                    return false;
                };
                terms.erase(std::remove_if(terms.begin(), terms.end(), foreign), terms.end());
            }
            ForSnippets part;
            part.words =
                snippet_terms(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
            // Snippets weigh a query word by its idf (log N/df, from the whole set's counts)
            // against the text's other words (SNIPPET_BACKGROUND_MODEL): BM25's weight bound
            // would depend on each shard's document lengths.
            part.mset = snippet_weights(db, part.words.query);
            return snippet_parts.emplace(key, std::move(part)).first->second;
        };
        std::map<std::string, Xapian::Stem> stemmers;  // per analyzer, made when first needed
        unsigned rank = options_.offset;
        for (const Xapian::MSetIterator& it : page) {
            const Xapian::Document doc = it.get_document();
            const StoredRecord record = StoredRecord::of(doc);
            Hit hit = hit_of(doc, record, ++rank, it);
            if (options_.snippets) {
                std::string body = record.body;
                std::replace(body.begin(), body.end(), '\n', ' ');
                // Each article's words are stemmed as its own analyzer stems them.
                const std::string analyzer = analyzer_of(doc);
                auto stemmer = stemmers.find(analyzer);
                if (stemmer == stemmers.end())
                    stemmer =
                        stemmers.emplace(analyzer, Analyzer(analyzer).snippet_stemmer()).first;
                const ForSnippets& part = for_snippets(analyzer);
                hit.snippet = make_snippet(part.mset, body, stemmer->second, options_.snippet_bytes,
                                           part.words.stems);
            }
            if (options_.collapse) hit.trail = trail_of(set_, db, *it);
            out.hits.push_back(std::move(hit));
        }
        if (!out.hits.empty()) {
            // The match of greatest weight, whatever the order of the page.
            if (setup.sort != SortOrder::Relevance)
                enquire.set_sort_by_relevance_then_value(schema::kOrderSlot.slot, false);
            const Xapian::MSet best = setup.sort == SortOrder::Relevance && options_.offset == 0
                                          ? mset
                                          : enquire.get_mset(0, 1);
            rescale_percentages(enquire, db, best, built.terms_by_analyzer, out.hits);
        }
        // Asked of the whole result, not the page: a page past the end is not a query without
        // hits.
        if (options_.like.empty())
            out.did_you_mean = builder_.correction(built, db, mset.get_matches_estimated());
        // docs/scale-out.md, "Where a set answers otherwise".
        out.notes = set_.notes();
        if ((options_.collapse || !options_.like.empty()) && set_.members().size() > 1)
            out.notes.push_back(
                "near-duplicate clusters are formed within each index of the set: copies held "
                "by different shards are not folded together");
        if ((options_.ordered_proximity > 0 || options_.unordered_proximity > 0) &&
            set_.has_remote())
            out.notes.push_back(
                "--proximity with a remote shard uses Xapian's own phrase and near operators, "
                "which Xapian 1.4 matches outside their window in some articles: the bonus can "
                "differ from one index's");
        if (set_.has_remote() && out.did_you_mean.empty() &&
            mset.get_matches_estimated() < kFewHits)
            out.notes.push_back(
                "remote shards serve no spelling data: \"did you mean\" draws on the local "
                "indexes of the set only");
    };
    try {
        run(set_.database(), result);
    } catch (const Error&) {
        throw;
    } catch (const Xapian::DatabaseModifiedError&) {
        detail::rethrow_xapian_error("searching", set_.label());
    } catch (...) {
        const std::exception_ptr failure = std::current_exception();
        const std::string culprit = set_.blame([&](const IndexMember&, const Xapian::Database& db) {
            SearchResult scratch;
            run(db, scratch);
        });
        try {
            std::rethrow_exception(failure);
        } catch (...) {
            detail::rethrow_xapian_error("searching", culprit);
        }
    }
    result.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

std::vector<std::string> Searcher::set_notes() const {
    std::vector<std::string> notes = set_.notes();
    if (set_.members().size() > 1)
        notes.push_back(
            "near-duplicate clusters are formed within each index of the set: copies held by "
            "other shards are not listed");
    return notes;
}

SearchResult search(const SearchOptions& options) {
    Searcher searcher(options);
    return searcher.search(options.query);
}

}  // namespace newsidx
