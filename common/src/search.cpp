#include "newsidx/search.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "newsidx/analyzer.hpp"
#include "newsidx/article.hpp"
#include "newsidx/document.hpp"
#include "newsidx/error.hpp"
#include "newsidx/schema.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace {

std::string date_for_humans(const std::string& yyyymmdd) {
    if (yyyymmdd.size() != 8) return yyyymmdd;
    return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2);
}

// Expansion terms: unprefixed words of the text only (not title-field or boolean terms), none
// of the query's own.
class ExpansionTerms : public Xapian::ExpandDecider {
  public:
    explicit ExpansionTerms(const Xapian::Query& own)
        : own_(own.get_unique_terms_begin(), own.get_unique_terms_end()) {}
    bool operator()(const std::string& term) const override {
        return !term.empty() && schema::prefix_of(term) == nullptr && !own_.count(term);
    }

  private:
    std::set<std::string> own_;
};

}  // namespace

Xapian::Query expansion_query(const Xapian::Enquire& enquire, const Xapian::RSet& rset,
                              const Xapian::Query& own, unsigned count, double weight,
                              std::vector<std::string>* added) {
    const ExpansionTerms decider(own);
    const Xapian::ESet eset = enquire.get_eset(count, rset, &decider);
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) {
        terms.emplace_back(*it);
        if (added) added->push_back(*it);
    }
    if (terms.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), weight);
}

Searcher::Searcher(SearchOptions options)
    : options_(std::move(options)),
      filters_(check_options(options_)),
      set_(IndexSet::open(options_.db_paths)),
      builder_(set_, options_, filters_) {}

Searcher::Searcher(SearchOptions options, IndexSet set)
    : options_(std::move(options)),
      filters_(check_options(options_)),
      set_(std::move(set)),
      builder_(set_, options_, filters_) {}

namespace {

// A hit's fields from its stored record and its place in the match set (no snippet).
Hit hit_of(const StoredRecord& record, unsigned rank, const Xapian::MSetIterator& at) {
    Hit hit;
    hit.rank = rank;
    hit.score = at.get_weight();
    hit.percent = at.get_percent();
    hit.title = record.title;
    hit.date = date_for_humans(record.date);
    hit.url = record.url;
    hit.site = url_host(record.url).value_or("");
    hit.path = record.path;
    return hit;
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
    if (!options_.timeline.empty())
        setup.spies.push_back(
            [] { return std::make_shared<Xapian::ValueCountMatchSpy>(schema::kDateSlot.slot); });
    return setup;
}

std::optional<StoredRecord> Searcher::article(const std::string& url_or_path) {
    return detail::guarded("reading", set_.label(), [&]() -> std::optional<StoredRecord> {
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
        return StoredRecord::of(db.get_document(*it));
    });
}

SearchResult Searcher::search(const std::string& query) {
    SearchResult result = search(query, match_setup());
    for (std::size_t i = 0; i < options_.facets.size(); ++i)
        result.facets.push_back(facet_of(
            options_.facets[i], dynamic_cast<const Xapian::ValueCountMatchSpy&>(*result.spies[i])));
    if (!options_.timeline.empty()) {
        const auto& spy =
            dynamic_cast<const Xapian::ValueCountMatchSpy&>(*result.spies[options_.facets.size()]);
        std::map<std::string, Xapian::doccount> days;
        for (auto it = spy.values_begin(); it != spy.values_end(); ++it)
            days[*it] += it.get_termfreq();
        result.timeline = make_timeline(options_.timeline, days);
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

void Searcher::configure(Xapian::Enquire& enquire, const QueryBuilder::Built& built,
                         const MatchSetup& setup, SearchResult& out) const {
    enquire.set_weighting_scheme(bm25_weight(options_));
    Xapian::Query text = built.text;
    if (options_.expand > 0) {
        // Relevance-set expansion from the top hits of the query as typed.
        enquire.set_query(built.text);
        const Xapian::MSet top = enquire.get_mset(0, kFeedbackDocuments);
        Xapian::RSet rset;
        for (auto it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
        if (!rset.empty()) {
            const Xapian::Query more = expansion_query(enquire, rset, built.text, options_.expand,
                                                       kFeedbackWeight, &out.expansion);
            if (!more.empty()) text = Xapian::Query(Xapian::Query::OP_OR, text, more);
        }
    }
    for (const auto& boost : setup.boosts)
        text = Xapian::Query(Xapian::Query::OP_AND_MAYBE, text, Xapian::Query(boost.get()));
    enquire.set_query(
        built.filter.empty() ? text : Xapian::Query(Xapian::Query::OP_FILTER, text, built.filter));
    if (setup.sort != SortOrder::Relevance)
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
    const QueryBuilder::Built built = builder_.build(query);
    return detail::guarded("searching", set_.label(), [&] {
        const Xapian::Database& db = set_.database();
        Xapian::Enquire enquire(db);
        MatchSetup setup;
        setup.sort = options_.sort;
        SearchResult scratch;
        configure(enquire, built, setup, scratch);
        // One ranked pass over every match: the MSet holds document ids and weights only.
        const Xapian::MSet mset =
            enquire.get_mset(0, std::max<Xapian::doccount>(1, db.get_doccount()));
        unsigned rank = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            emit(hit_of(StoredRecord::of(it.get_document()), ++rank, it));
        }
        return static_cast<Xapian::doccount>(mset.size());
    });
}

SearchResult Searcher::search_once(const std::string& query, const MatchSetup& setup) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = query;
    const QueryBuilder::Built built = builder_.build(query);

    // Everything below reads the index; a failure names the member where it happens.
    // `analyzer_of` says which analyzer indexed a document of `db`.
    auto run = [&](const Xapian::Database& db, SearchResult& out,
                   const std::function<const std::string&(Xapian::docid)>& analyzer_of) {
        Xapian::Enquire enquire(db);
        configure(enquire, built, setup, out);
        // Xapian counts every match up to `check_at_least`: the count is exact whenever a query
        // has fewer matches than that (its lower and upper bounds meet), and an estimate only
        // beyond, where counting would cost more than the page.
        const Xapian::doccount check_at_least =
            setup.spies.empty() ? std::max<Xapian::doccount>(kExactCountUpTo,
                                                             options_.offset + options_.limit + 100)
                                : db.get_doccount();  // spies count every match
        const Xapian::MSet mset = enquire.get_mset(options_.offset, options_.limit, check_at_least);
        out.total_estimate = mset.get_matches_estimated();
        out.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        // What snippets need, only when they are wanted (TREC runs do without).
        const SnippetTerms words =
            options_.snippets ? snippet_terms(built.combined()) : SnippetTerms{};
        Xapian::MSet snippet_mset;
        if (options_.snippets) {
            Xapian::Enquire snippet_enquire(db);
            snippet_enquire.set_query(words.query);
            snippet_mset = snippet_enquire.get_mset(0, 0);
        }
        std::map<std::string, Xapian::Stem> stemmers;  // per analyzer, made when first needed
        unsigned rank = options_.offset;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const StoredRecord record = StoredRecord::of(it.get_document());
            Hit hit = hit_of(record, ++rank, it);
            if (options_.snippets) {
                std::string body = record.body;
                std::replace(body.begin(), body.end(), '\n', ' ');
                // Each article's words are stemmed as its own index's analyzer stems them.
                const std::string& analyzer = analyzer_of(*it);
                auto stemmer = stemmers.find(analyzer);
                if (stemmer == stemmers.end())
                    stemmer =
                        stemmers.emplace(analyzer, Analyzer(analyzer).snippet_stemmer()).first;
                hit.snippet = make_snippet(snippet_mset, body, stemmer->second,
                                           options_.snippet_bytes, words.stems);
            }
            out.hits.push_back(std::move(hit));
        }
        // Asked of the whole result, not the page: a page past the end is not a query without
        // hits.
        out.did_you_mean = builder_.correction(built, db, mset.get_matches_estimated());
    };
    try {
        run(set_.database(), result,
            [&](Xapian::docid did) -> const std::string& { return set_.member_of(did).analyzer; });
    } catch (const Error&) {
        throw;
    } catch (const Xapian::DatabaseModifiedError&) {
        detail::rethrow_xapian_error("searching", set_.label());
    } catch (...) {
        const std::exception_ptr failure = std::current_exception();
        const std::string culprit = set_.blame([&](const IndexMember& member,
                                                   const Xapian::Database& db) {
            SearchResult scratch;
            run(db, scratch, [&](Xapian::docid) -> const std::string& { return member.analyzer; });
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

SearchResult search(const SearchOptions& options) {
    Searcher searcher(options);
    return searcher.search(options.query);
}

}  // namespace newsidx
