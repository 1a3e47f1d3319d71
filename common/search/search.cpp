#include "newsidx/search.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "analyzer.hpp"
#include "calendar.hpp"
#include "document.hpp"
#include "hits.hpp"
#include "kwic.hpp"
#include "origin.hpp"
#include "newsidx/error.hpp"
#include "query_builder.hpp"
#include "ranking_model.hpp"
#include "schema.hpp"
#include "significant.hpp"
#include "snippet.hpp"
#include "xapian_errors.hpp"

namespace newsidx {

std::string no_article(const std::string& url_or_path) {
    return std::string(url_or_path.find("://") == std::string::npos ? "no article from the file '"
                                                                    : "no article with the URL '") +
           url_or_path + "' in the index";
}

namespace {

// Opens the set, the milliseconds it took into `ms` when it has remote shards (or left one out).
IndexSet open_timed(const SearchOptions& options, double& ms) {
    const auto started = std::chrono::steady_clock::now();
    IndexSet set = IndexSet::open(options.db_paths, {options.timeout_ms, options.allow_partial});
    if (set.has_remote() || !set.missing().empty())
        ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                 .count();
    return set;
}

}  // namespace

Searcher::Searcher(SearchOptions options)
    : options_(std::move(options)),
      filters_(check_options(options_)),
      set_(open_timed(options_, opening_ms_)),
      builder_(std::make_unique<QueryBuilder>(set_, options_, filters_)) {}

Searcher::Searcher(SearchOptions options, IndexSet set)
    : options_(std::move(options)),
      filters_(check_options(options_)),
      set_(std::move(set)),
      builder_(std::make_unique<QueryBuilder>(set_, options_, filters_)) {}

Searcher::~Searcher() = default;

MatchSetup Searcher::match_setup() const {
    MatchSetup setup;
    setup.sort = options_.sort;
    setup.spies = spies_for(options_);
    // --share: the facets' spies, and the timeline's (not the cluster spy of a --collapse
    // without a timeline).
    if (options_.share)
        setup.base_spies = options_.timeline.empty() ? options_.facets.size() : setup.spies.size();
    setup.significant = options_.significant > 0;
    if (options_.collapse) setup.collapse_key = schema::kClusterSlot.slot;
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
        const std::string id = id_term_of(url);
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

Xapian::Query Searcher::typed_filters(const std::string& query) {
    return built_for(query).typed_filters;
}

Origin Searcher::origin(const std::string& passage) {
    return retried([&] {
        return detail::guarded("searching", set_.label(),
                               [&] { return find_origin(set_.database(), *builder_, passage); });
    });
}

std::optional<StoredRecord> Searcher::article(const std::string& url_or_path) {
    const auto did = find(url_or_path);
    if (!did) return std::nullopt;
    return detail::guarded("reading", set_.label(),
                           [&] { return StoredRecord::of(set_.database().get_document(*did)); });
}

BuiltQuery Searcher::built_for(const std::string& query, std::vector<std::string>* terms) {
    return options_.like.empty() ? builder_->build(query) : like_query(terms);
}

BuiltQuery Searcher::like_query(std::vector<std::string>* terms) {
    const auto did = find(options_.like);
    if (!did) throw Error(ErrorCode::BadOption, NEWSIDX_OPT("like") ": " + no_article(options_.like));
    return detail::guarded("searching", set_.label(), [&] {
        const Xapian::Database& db = set_.database();
        const Xapian::Query like = ranking::like_query(
            db, *did, {builder_->remote_ranking(), builder_->analyzers(), &set_.parts()}, terms);
        if (like.empty())
            throw Error(ErrorCode::BadQuery, NEWSIDX_OPT("like") ": the article has no words to compare");
        // Its cluster left out.
        const std::string key = db.get_document(*did).get_value(schema::kClusterSlot.slot);
        BuiltQuery built;
        built.analyzers = builder_->analyzers();
        built.ranked = ranking::RankedQuery(
            Xapian::Query(
                Xapian::Query::OP_AND_NOT, like,
                Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kClusterSlot.slot, key, key)),
            "like");
        built.filter = builder_->filter();
        built.base_filter = built.filter;
        built.raw = built.folded = "like:" + options_.like;
        return built;
    });
}

SearchResult Searcher::search(const std::string& query) {
    SearchResult result = search(query, match_setup());
    std::vector<TimelineDays> days{count_spies(options_, result)};
    if (options_.timeline.empty()) return result;
    result.compared.resize(options_.compare.size());
    const Xapian::Query first_filter = options_.compare.empty() ? Xapian::Query() : typed_filters(query);
    for (std::size_t i = 0; i < options_.compare.size(); ++i) {
        result.compared[i].query = options_.compare[i];
        days.push_back(compared_days(options_.compare[i], result, first_filter, result.compared[i]));
        result.elapsed_ms += result.compared[i].elapsed_ms;  // the answer took them all
        if (options_.share && !typed_filters(options_.compare[i]).empty())
            result.notes.push_back(NEWSIDX_OPT("compare") " '" + options_.compare[i] +
                                   "' has filters of its own: they narrow its counts, but its "
                                   "shares are of the first query's base");
    }
    // Every query's timeline over one span: from the first day any of them matches to the last.
    std::pair<std::string, std::string> span;
    for (const TimelineDays& d : days) {
        if (d.matches.empty()) continue;
        if (span.first.empty() || d.matches.begin()->first < span.first)
            span.first = d.matches.begin()->first;
        span.second = std::max(span.second, d.matches.rbegin()->first);
    }
    const auto timeline = [&](const TimelineDays& d) {
        Timeline t = make_timeline(options_.timeline, d.matches, d.share ? &d.all : nullptr, span);
        t.stories = options_.collapse;
        return t;
    };
    result.timeline = timeline(days[0]);
    for (std::size_t i = 0; i < result.compared.size(); ++i)
        result.compared[i].timeline = timeline(days[i + 1]);
    return result;
}

TimelineDays Searcher::compared_days(const std::string& query, const SearchResult& first,
                                     const Xapian::Query& first_filter, Compared& out) {
    // The timeline's spy only (the facets are the first query's), and no base of its own.
    SearchOptions options = options_;
    options.facets.clear();
    MatchSetup setup;
    setup.spies = spies_for(options);
    // The filters typed in the first query narrow the others too: one base, one set of filters.
    setup.filter = first_filter;
    SearchResult result = search(query, setup);
    if (!first.base_spies.empty()) result.base_spies = {first.base_spies.back()};
    out.did_you_mean = result.did_you_mean;
    out.elapsed_ms = result.elapsed_ms;
    return count_spies(options, result);
}

template <typename Answer>
auto Searcher::retried(Answer answer) -> decltype(answer()) {
    // An indexer committing while we read can overwrite the revision we started from: Xapian
    // then says DatabaseModifiedError, and the cure is to reopen at the newest revision and
    // ask again.
    for (int attempt = 1;; ++attempt) {
        try {
            return answer();
        } catch (const Error& e) {
            if (e.code() != ErrorCode::IndexChanged || attempt == kSearchAttempts) throw;
        }
        set_.reopen();
    }
}

SearchResult Searcher::search(const std::string& query, const MatchSetup& setup) {
    return retried([&] { return search_once(query, setup); });
}

ranking::RankedQuery Searcher::configure(Xapian::Enquire& enquire, const Xapian::Database& db,
                                         const BuiltQuery& built, const MatchSetup& setup,
                                         SearchResult& out) const {
    enquire.set_weighting_scheme(ranking::bm25(options_));
    ranking::RankedQuery ranked = built.ranked;
    if (ranking::wants_feedback(options_, built.bare_words, built.words, built.topical))
        ranking::add_feedback(ranked, enquire, db, built.filter, options_, built.topical,
                              {builder_->remote_ranking(), built.analyzers, &set_.parts()},
                              &out.expansion);
    if (options_.recency_days > 0)
        ranking::add_recency(
            ranked, enquire, db, built.filter,
            filters_.now.empty() ? db.get_value_upper_bound(schema::kDateSlot.slot) : filters_.now,
            options_.recency_days, &out.notes);
    for (const auto& boost : setup.boosts)
        ranked.add_bonus({"boost", boost->get_description(), Xapian::Query(boost.get())});
    enquire.set_query(ranked.query(built.filter));
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
    return ranked;
}

namespace {

// Filters `a` and `b` both (either may be empty: no filter).
Xapian::Query both(const Xapian::Query& a, const Xapian::Query& b) {
    if (a.empty()) return b;
    return b.empty() ? a : Xapian::Query(Xapian::Query::OP_AND, a, b);
}

}  // namespace

Xapian::doccount Searcher::each_match(const std::string& query,
                                      const std::function<void(const Hit&)>& emit) {
    return each_match(query, Xapian::Query(), emit);
}

Xapian::MSet Searcher::first_matches(const Xapian::Database& db, const BuiltQuery& built,
                                     SortOrder sort, Xapian::doccount count) const {
    Xapian::Enquire enquire(db);
    MatchSetup setup;
    setup.sort = sort;
    SearchResult scratch;
    configure(enquire, db, built, setup, scratch);
    return enquire.get_mset(0, count);
}

Xapian::doccount Searcher::each_match(const std::string& query, const Xapian::Query& filter,
                                      const std::function<void(const Hit&)>& emit) {
    BuiltQuery built = built_for(query);
    built.filter = both(built.filter, filter);
    return detail::guarded("searching", set_.label(), [&] {
        const Xapian::Database& db = set_.database();
        // One ranked pass over every match: the MSet holds document ids and weights only.
        const Xapian::MSet mset =
            first_matches(db, built, options_.sort, std::max<Xapian::doccount>(1, db.get_doccount()));
        unsigned rank = 0;
        std::map<std::string, std::string> first_urls;  // cluster key -> its first's URL
        const std::set<std::string> stems = kwic_stems(built);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const Xapian::Document doc = it.get_document();
            const StoredRecord record = StoredRecord::of(doc);
            Hit hit = hit_of(doc, record, ++rank, it);
            if (options_.kwic > 0) add_kwic(hit, record, analyzer_of_hit(it, built), stems);
            auto [first, fresh] = first_urls.try_emplace(hit.cluster);
            if (fresh) first->second = first_url_of(set_, db, *it, hit, record.date);
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
    BuiltQuery built = built_for(query, &result.expansion);
    if (!setup.filter.empty()) {
        const auto narrowed = [&](const Xapian::Query& q) {
            return q.empty() ? setup.filter : Xapian::Query(Xapian::Query::OP_AND, q, setup.filter);
        };
        built.filter = narrowed(built.filter);
        built.base_filter = narrowed(built.base_filter);
    }
    // Everything in answer() reads the index; a failure names the member where it happens.
    try {
        answer(set_.database(), built, setup, result);
    } catch (const Error&) {
        throw;
    } catch (const Xapian::DatabaseModifiedError&) {
        detail::rethrow_xapian_error("searching", set_.label());
    } catch (...) {
        const std::exception_ptr failure = std::current_exception();
        const std::string culprit = set_.blame([&](const IndexMember&, const Xapian::Database& db) {
            SearchResult scratch;
            answer(db, built, setup, scratch);
        });
        try {
            std::rethrow_exception(failure);
        } catch (...) {
            detail::rethrow_xapian_error("searching", culprit);
        }
    }
    result.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count() +
        std::exchange(opening_ms_, 0.0);
    return result;
}

void Searcher::answer(const Xapian::Database& db, const BuiltQuery& built, const MatchSetup& setup,
                      SearchResult& out) const {
    Xapian::Enquire enquire(db);
    const ranking::RankedQuery ranked = configure(enquire, db, built, setup, out);
    // Xapian counts every match up to `check_at_least`: the count is exact whenever a query
    // has fewer matches than that (its lower and upper bounds meet), and an estimate only
    // beyond, where counting would cost more than the page.
    const Xapian::doccount check_at_least =
        setup.spies.empty()
            ? std::max<Xapian::doccount>(kExactCountUpTo, options_.offset + options_.limit + 100)
            : db.get_doccount();  // spies count every match
    // Xapian 1.4 counts some matches twice in the spies of a set with a remote shard (the
    // server's count, and again as the client takes the shard's best matches), and of a match
    // set that starts past the first match (--offset: facet and timeline counts of page 2 came
    // out above the number of matches): there the spies count in a match of their own, which
    // takes no match to the client.
    // So does a date order, whose page is found in two matches (the page, then the ties at
    // its edges: hits.cpp), each running the spies.
    if (!setup.spies.empty() &&
        (set_.has_remote() || options_.offset > 0 || setup.sort != SortOrder::Relevance)) {
        enquire.get_mset(0, 0, check_at_least);
        enquire.clear_matchspies();
    }
    const auto [mset, page] =
        page_in_order(enquire, setup.sort, options_.offset, options_.limit, check_at_least);
    out.total_estimate = mset.get_matches_estimated();
    out.total_at_least = mset.get_matches_lower_bound();
    out.total_exact = out.total_at_least == mset.get_matches_upper_bound();
    const double within = kAboutWithin * out.total_estimate;
    out.total_about = !out.total_exact && out.total_estimate - out.total_at_least <= within &&
                      mset.get_matches_upper_bound() - out.total_estimate <= within;
    fill_hits(db, built, ranked, page, out);
    count_base(db, built, setup, out);
    if (setup.significant) out.significance = significance(db, built);
    if (!out.hits.empty()) {
        // The match of greatest weight, whatever the order of the page.
        if (setup.sort != SortOrder::Relevance)
            enquire.set_sort_by_relevance_then_value(schema::kOrderSlot.slot, false);
        const Xapian::MSet best = setup.sort == SortOrder::Relevance && options_.offset == 0
                                      ? mset
                                      : enquire.get_mset(0, 1);
        if (const auto scale = ranking::percent_scale(
                enquire, db, best, built.terms_by_analyzer,
                analyzer_of_hit(best.begin(), built)))
            for (Hit& hit : out.hits) hit.percent = ranking::percent_of(hit.score, *scale);
    }
    // Asked of the whole result, not the page: a page past the end is not a query without
    // hits.
    bool looked_for_spelling = false;
    if (options_.like.empty())
        out.did_you_mean = builder_->correction(built, db, mset.get_matches_estimated(), &mset,
                                                &looked_for_spelling);
    std::vector<std::string> notes =
        answer_notes(db, built, looked_for_spelling, mset.get_matches_estimated(), out);
    notes.insert(notes.end(), out.notes.begin(), out.notes.end());  // the ranking's, if any
    out.notes = std::move(notes);
    if (built.headline)
        out.notes.insert(out.notes.begin(),
                         "read as a pasted headline, its words all capitals: AND, OR, NOT, XOR, "
                         "NEAR, ADJ, SENTENCE, PARAGRAPH and a leading - are words in it (write a word in lower case "
                         "to use them as operators)");
}

namespace {

// The last real day of a --until bound: "20150231" (a month's end written as its 31st) is
// 2015-02-28.
long last_day(const std::string& yyyymmdd) {
    const int year = std::stoi(yyyymmdd.substr(0, 4));
    const unsigned month = static_cast<unsigned>(std::stoul(yyyymmdd.substr(4, 2)));
    const unsigned day = std::min<unsigned>(static_cast<unsigned>(std::stoul(yyyymmdd.substr(6, 2))),
                                            calendar::days_in_month(year, month));
    return calendar::days_from_civil({year, month, day});
}

}  // namespace

Significance Searcher::significance(const Xapian::Database& db, const BuiltQuery& built) const {
    if (set_.has_remote())
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("significant") " reads every matching story's words: it needs "
                    "local indexes, not a remote shard");
    SignificantInput in;
    in.db = &db;
    in.matches = built.combined();
    in.base = built.base_filter;
    // The query's own words, those of a field (title:oil) as words of the text too.
    std::vector<Xapian::Query> own{built.text()};
    for (auto t = built.text().get_unique_terms_begin(); t != built.text().get_unique_terms_end(); ++t)
        if (const schema::Prefix* field = schema::prefix_of(*t); field && !field->is_boolean)
            own.emplace_back((*t).substr(field->prefix.size()));
    in.own = Xapian::Query(Xapian::Query::OP_OR, own.begin(), own.end());
    in.analyzers = built.analyzers;
    in.scoring = options_.significance;
    in.count = options_.significant;
    if (options_.against == "previous") {
        // A date typed in the query would hold the period before to the same dates.
        if (built.raw.find("date:") != std::string::npos)
            throw Error(ErrorCode::BadOption,
                        NEWSIDX_OPT("against") " previous sets the period of " NEWSIDX_OPT(
                            "since") " and " NEWSIDX_OPT("until") " against the one before: give "
                        "the dates there, not as date: in the query");
        // As many days before --since as --since to --until holds.
        const long from = *calendar::day_number(filters_.since), to = last_day(filters_.until);
        const long before = from - (to - from + 1), end = from - 1;
        Xapian::Query filter = builder_->filter(calendar::compact(before), calendar::compact(end));
        if (!built.typed_filter.empty())
            filter = Xapian::Query(Xapian::Query::OP_AND, filter, built.typed_filter);
        in.previous = built.ranked.query(filter);
        in.previous_period = calendar::dashed(before) + ".." + calendar::dashed(end);
    }
    return significant_words(in);
}

void Searcher::count_base(const Xapian::Database& db, const BuiltQuery& built,
                          const MatchSetup& setup, SearchResult& out) const {
    if (setup.base_spies == 0) return;
    std::vector<Xapian::MatchSpy*> spies;
    for (std::size_t i = 0; i < setup.base_spies && i < setup.spies.size(); ++i) {
        out.base_spies.push_back(setup.spies[i]());
        spies.push_back(out.base_spies.back().get());
    }
    spy_on_filtered(db, built.base_filter, spies);
    if (built.base_misses_filters)
        out.notes.push_back(
            NEWSIDX_OPT("share") ": a filter typed where it narrows only a part of the query "
            "(beside OR, in brackets) does not narrow the base of the shares; give it as "
            NEWSIDX_OPT("site") ", " NEWSIDX_OPT("lang") " or " NEWSIDX_OPT("since") "/" NEWSIDX_OPT("until"));
}

void Searcher::fill_hits(const Xapian::Database& db, const BuiltQuery& built,
                         const ranking::RankedQuery& ranked,
                         const std::vector<Xapian::MSetIterator>& page, SearchResult& out) const {
    // Snippets only when they are wanted (TREC runs do without).
    SnippetMaker snippets(db, built, options_.snippet_bytes);
    out.explained = options_.explain;
    const std::set<std::string> stems = kwic_stems(built);
    unsigned rank = options_.offset;
    for (const Xapian::MSetIterator& it : page) {
        const Xapian::Document doc = it.get_document();
        const StoredRecord record = StoredRecord::of(doc);
        Hit hit = hit_of(doc, record, ++rank, it);
        if (options_.snippets) hit.snippet = snippets.of(record, analyzer_of_hit(it, built));
        if (options_.kwic > 0) add_kwic(hit, record, analyzer_of_hit(it, built), stems);
        if (options_.collapse) hit.trail = trail_of(set_, db, *it);
        if (options_.explain)
            hit.explanation = ranking::explain(db, options_, ranked, id_term_of(record.url));
        out.hits.push_back(std::move(hit));
    }
}

std::set<std::string> Searcher::kwic_stems(const BuiltQuery& built) const {
    if (options_.kwic == 0) return {};
    const std::vector<std::string> stems = snippet_terms(built.text()).stems;
    return {stems.begin(), stems.end()};
}

void Searcher::add_kwic(Hit& hit, const StoredRecord& record, const std::string& analyzer,
                        const std::set<std::string>& stems) const {
    // The title's lines, then the text's: a context does not run from one into the other.
    const Xapian::Stem stem = Analyzer(analyzer).snippet_stemmer();
    hit.kwic = kwic_lines(record.title, stem, stems, options_.kwic);
    for (KwicLine& line : kwic_lines(record.body, stem, stems, options_.kwic))
        hit.kwic.push_back(std::move(line));
}

std::string Searcher::analyzer_of_hit(const Xapian::MSetIterator& hit,
                                      const BuiltQuery& built) const {
    if (built.analyzers.size() == 1) return built.analyzers.front();
    const Xapian::docid did = *hit;
    const Xapian::Document doc = hit.get_document();
    // A remote shard's article is asked for its terms in a round trip of its own: its analyzer
    // follows from its shard's --lang and, for "auto", its language, when that gives one the
    // set has.
    if (set_.has_remote()) {
        const IndexMember& member = set_.member_of(did);
        const std::string name = member.analyzer == kAutoAnalysis
                                     ? analyzer_for(doc.get_value(schema::kLanguageSlot.slot))
                                     : member.analyzer;
        if (std::find(built.analyzers.begin(), built.analyzers.end(), name) !=
            built.analyzers.end())
            return name;
    }
    return analyzer_of(doc);
}

std::vector<std::string> Searcher::answer_notes(const Xapian::Database& db,
                                                const BuiltQuery& built, bool looked_for_spelling,
                                                Xapian::doccount matches,
                                                const SearchResult& out) const {
    // docs/scale-out.md, "Where a set answers otherwise".
    std::vector<std::string> notes = set_.notes();
    // A pasted URL is searched as words; the article it names is a --show away.
    const std::string& text = out.query;
    if (matches < kFewHits && (text.starts_with("http://") || text.starts_with("https://")) &&
        text.find_first_of(" \t") == std::string::npos) {
        const std::string id = id_term_of(text);
        if (db.postlist_begin(id) != db.postlist_end(id))
            notes.push_back("that is the URL of an article in the index: " NEWSIDX_OPT(
                                "show") " URL prints it, " NEWSIDX_OPT("copies") " URL lists its copies, " NEWSIDX_OPT("like") " URL finds articles like it");
        else
            notes.push_back("a URL is searched as words; the index has no article with this URL");
    }
    if ((options_.collapse || !options_.like.empty()) && set_.members().size() > 1)
        notes.push_back(
            "near-duplicate clusters are formed within each index of the set: copies held "
            "by different shards are not folded together");
    if (built.all_words_left_out)
        notes.push_back(
            "more than " + std::to_string(options_.remote_all_words) +
            " articles have every word: with a remote shard the all-words evidence is left out, "
            "so the order can differ from one index's");
    if (set_.has_remote() && out.did_you_mean.empty() && looked_for_spelling)
        notes.push_back(
            "remote shards serve no spelling data: \"did you mean\" draws on the local "
            "indexes of the set only");
    return notes;
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

namespace newsidx {

IndexChanges Searcher::changes() {
    if (set_.members().size() != 1 || set_.has_remote())
        throw Error(ErrorCode::BadOption,
                    "saved searches follow one index on this machine, not '" + set_.label() + "'")
            .with_hint("give " NEWSIDX_OPT("db") " one index folder on this machine");
    return detail::guarded("reading index metadata", set_.label(), [&] {
        set_.reopen();
        const std::string first_run = set_.metadata(std::string(schema::kFirstRun.key));
        return IndexChanges{
            set_.metadata(std::string(schema::kIndexId.key)),
            std::strtoull(set_.metadata(std::string(schema::kChanges.key)).c_str(), nullptr, 10),
            first_run == schema::kFirstRunGoing, schema::first_run_end(first_run)};
    });
}

std::vector<Hit> Searcher::new_matches(const std::string& query, const ChangeWindow& window) {
    using Q = Xapian::Query;
    const Q changed(Q::OP_VALUE_RANGE, schema::kChangedSlot.slot,
                    schema::change_value(window.after + 1), schema::change_value(window.upto));
    const Q added(Q::OP_VALUE_GE, schema::kAddedSlot.slot,
                  schema::change_value(window.baseline + 1));
    return retried([&] {
        std::vector<Hit> hits;
        each_match(query, Q(Q::OP_AND, changed, added), [&](const Hit& hit) { hits.push_back(hit); });
        return hits;
    });
}

bool Searcher::any_match(const std::string& query, const Xapian::Query& filter) {
    return retried([&] {
        BuiltQuery built = built_for(query);
        built.filter = both(built.filter, filter);
        return detail::guarded("searching", set_.label(), [&] {
            return !first_matches(set_.database(), built, SortOrder::Relevance, 1).empty();
        });
    });
}

bool Searcher::baseline_matches(const std::string& query, const std::vector<std::string>& urls,
                                std::uint64_t baseline) {
    using Q = Xapian::Query;
    std::vector<Q> ids;
    for (const std::string& url : urls) ids.emplace_back(bounded_term(schema::kId.prefix, url));
    if (ids.empty()) return false;
    const Q held(Q::OP_VALUE_LE, schema::kAddedSlot.slot, schema::change_value(baseline));
    const Q filter(Q::OP_AND, Q(Q::OP_OR, ids.begin(), ids.end()), held);
    return any_match(query, filter);
}

}  // namespace newsidx
