#include "query_builder.hpp"

#include <algorithm>

#include "analyzer.hpp"
#include "document.hpp"
#include "newsidx/error.hpp"
#include "query_parser.hpp"
#include "query_text.hpp"
#include "schema.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace {

using Q = Xapian::Query;

// Whether `q` matches by a filter: a term of a boolean field (site, language, day, month,
// year), or the date: range.
bool is_filter_leaf(const Q& q) {
    if (q.get_type() == Q::OP_VALUE_RANGE || q.get_type() == Q::OP_VALUE_GE ||
        q.get_type() == Q::OP_VALUE_LE)
        return true;
    if (q.get_type() != Q::LEAF_TERM) return false;
    const schema::Prefix* prefix = schema::prefix_of(*q.get_terms_begin());
    return prefix && prefix->is_boolean;
}

// Whether `q` is made of filters only, however combined.
bool only_filters(const Q& q) {
    if (is_filter_leaf(q)) return true;
    if (q.get_num_subqueries() == 0) return false;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (!only_filters(q.get_subquery(i))) return false;
    return true;
}

bool has_filter(const Q& q) {
    if (is_filter_leaf(q)) return true;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (has_filter(q.get_subquery(i))) return true;
    return false;
}

Q all_of(const std::vector<Q>& parts) {
    std::vector<Q> given;
    for (const Q& q : parts)
        if (!q.empty()) given.push_back(q);
    if (given.empty()) return {};
    return given.size() == 1 ? given[0] : Q(Q::OP_AND, given.begin(), given.end());
}

// The filters typed in a parsed query that every match passes (the whole query's), as one
// query; empty when there are none. `missed` is set when a filter is typed where it narrows
// only a part (beside an OR, within a bracket's alternative).
Q whole_query_filters(const Q& q, bool& missed) {
    if (only_filters(q)) return q;
    const std::size_t n = q.get_num_subqueries();
    std::vector<Q> parts;
    switch (q.get_type()) {
        case Q::OP_AND:
        case Q::OP_FILTER:
            for (std::size_t i = 0; i < n; ++i)
                parts.push_back(whole_query_filters(q.get_subquery(i), missed));
            return all_of(parts);
        case Q::OP_AND_NOT: {
            std::vector<Q> excluded;
            for (std::size_t i = 1; i < n; ++i) {
                if (only_filters(q.get_subquery(i)))
                    excluded.push_back(q.get_subquery(i));
                else
                    missed = missed || has_filter(q.get_subquery(i));
            }
            const Q kept = whole_query_filters(q.get_subquery(0), missed);
            if (excluded.empty()) return kept;
            return Q(Q::OP_AND_NOT, kept.empty() ? Q::MatchAll : kept,
                     Q(Q::OP_OR, excluded.begin(), excluded.end()));
        }
        case Q::OP_AND_MAYBE:
        case Q::OP_SCALE_WEIGHT:
            for (std::size_t i = 1; i < n; ++i) missed = missed || has_filter(q.get_subquery(i));
            return n > 0 ? whole_query_filters(q.get_subquery(0), missed) : Q();
        default:
            missed = missed || has_filter(q);
            return {};
    }
}

}  // namespace

QueryBuilder::QueryBuilder(const IndexSet& set, const SearchOptions& options, Filters filters)
    : set_(set), options_(options), filters_(std::move(filters)), analyzers_(set.analyzers()) {
    if (!filters_.language.empty()) {
        // Only that language's articles: the query is parsed only as they were analysed (by
        // its own stemmer in an "auto" index, by the index's in one built with --lang).
        std::vector<std::string> wanted;
        for (const IndexMember& member : set.members()) {
            const std::string name = Analyzer(member.analyzer.empty() ? "english" : member.analyzer)
                                         .for_article(filters_.language)
                                         .name();
            if (std::find(wanted.begin(), wanted.end(), name) == wanted.end())
                wanted.push_back(name);
        }
        restricted_ = wanted.size() < analyzers_.size();
        analyzers_ = wanted;
    }
}

Xapian::Query BuiltQuery::combined() const {
    return ranked.query(filter);
}

BuiltQuery QueryBuilder::build(const std::string& query) const {
    check_query_text(query);
    const query::Rewritten text = query::rewrite(query, options_.plain);
    if (text.folded.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error(ErrorCode::BadQuery, text.dots ? "nothing to search for in '" + query +
                                                         "' (no words)"
                                                   : std::string("empty query"))
            .with_hint("try: searcher \"security guarantees\"");
    BuiltQuery built;
    built.analyzers = analyzers_;
    built.raw = query;
    built.folded = text.folded;
    built.headline = text.headline;
    query::Tokens unsplit = query::lex(text.unsplit);
    built.bare_words = !text.negative && !options_.match_all &&
                       (options_.plain || query::bare_words(unsplit));
    // The filters of a query of bare words narrow it as --site or --since do, outside the
    // parse that is ranked: "oil date:198703" ranks as "oil" with --since/--until 1987-03.
    std::string folded = text.folded;
    Xapian::Query typed_filter;
    if (built.bare_words && !options_.plain) {
        std::string words, filters;
        for (const query::Token& t : query::lex(text.folded).tokens)
            ((query::is_filter_token(t.text) ? filters : words) += t.text) += ' ';
        if (!filters.empty()) {
            folded = words;
            typed_filter = detail::guarded("parsing query", set_.label(), [&] {
                return query::parse(Analyzer(analyzers_.front()), set_.database(), query,
                                    filters, {false, false});
            });
            std::erase_if(unsplit.tokens,
                          [](const query::Token& t) { return query::is_filter_token(t.text); });
        }
    }
    Parses parses = parse_each(query, folded, text.negative, built);
    // --share: the filters typed among the words narrow the base as --site does (every
    // analyzer's parse has the same).
    const Xapian::Query typed_in_parse =
        parses.empty() ? Xapian::Query()
                       : whole_query_filters(parses.front().second, built.base_misses_filters);
    const Xapian::Database& db = set_.database();
    const std::vector<std::string> title_terms =
        text.negative ? std::vector<std::string>()
                      : detail::guarded("searching", set_.label(),
                                        [&] {
                                            return ranking::title_terms(
                                                query, db, options_,
                                                {remote_ranking(), analyzers_});
                                        });
    // A query that is some article's whole title is that headline pasted: the exact-title
    // term finds it, and the all-words evidence, which favours a short article with every
    // word, would put a twin that repeats the words above it. (The written-title term is
    // found only where the exact one is: the same title, less folded.)
    const bool is_a_title = built.bare_words && !title_terms.empty();
    built.ranked = rank(std::move(parses), is_a_title, built);
    // Chinese, Japanese and Korean typed as bare words also match through their character
    // pairs. Ranked queries of bare words only: --all, phrases, fields, + / - and operators
    // keep the words.
    if (built.bare_words) {
        std::vector<std::string> tokens;
        for (const query::Token& t : unsplit.tokens) tokens.push_back(t.text);
        ranking::add_char_pairs(built.ranked, tokens);
    }
    ranking::add_title_boosts(built.ranked, title_terms, options_);
    built.filter = all_of({filter(), typed_filter});
    built.typed_filter = typed_filter;
    built.typed_filters = all_of({typed_filter, typed_in_parse});
    built.base_filter = all_of({built.filter, typed_in_parse});
    return built;
}

QueryBuilder::Parses QueryBuilder::parse_each(const std::string& query, const std::string& folded,
                                              bool negative, BuiltQuery& built) const {
    const Xapian::Database& db = set_.database();
    Parses parses;
    for (const std::string& name : analyzers_) {
        Xapian::Query q = query::parse(Analyzer(name), db, query, folded,
                                       {options_.plain, options_.match_all});
        if (q.empty()) continue;
        built.words = std::max<std::size_t>(
            built.words, std::distance(q.get_unique_terms_begin(), q.get_unique_terms_end()));
        // "-sport" means the articles without the word, as "NOT sport" does.
        if (negative) q = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, q);
        parses.emplace_back(name, std::move(q));
    }
    // A query every analyzer reads alike (fields and dates only, or words no stemmer changes)
    // is one query for every article: no split, and Xapian's counts stay exact.
    const bool alike = std::all_of(parses.begin(), parses.end(), [&](const auto& p) {
        return p.second.get_description() == parses.front().second.get_description();
    });
    if (alike && !restricted_ && !parses.empty()) parses.resize(1);
    if (parses.empty())
        throw Error(ErrorCode::BadQuery, "nothing to search for in '" + query + "' (no words)")
            .with_hint("try: searcher \"security guarantees\"");
    return parses;
}

ranking::RankedQuery QueryBuilder::rank(Parses parses, bool is_a_title, BuiltQuery& built) const {
    // An article matches the query as its own analyzer parses it: with one analyzer that is
    // every article; with several (an English and a French index searched together), each
    // parse is kept to the articles of its analyzer.
    const bool mixed = parses.size() > 1 || restricted_;
    const Xapian::Database& db = set_.database();
    std::vector<ranking::RankedQuery> ranked;
    for (const auto& parse : parses) {
        // (Named, not bound: clang 14 refuses a lambda capture of a structured binding.)
        const std::string& name = parse.first;
        const Xapian::Query& words = parse.second;
        // Percentages count the words of the parse only: the evidence's title terms and
        // copies would lower a perfect match's (ranking::percent_scale).
        if (mixed || built.bare_words)
            built.terms_by_analyzer[name].assign(words.get_unique_terms_begin(),
                                                 words.get_unique_terms_end());
        ranking::RankedQuery q(words);
        if (built.bare_words)
            q.add_bonuses(detail::guarded("searching", set_.label(), [&] {
                const bool topical = !is_a_title && ranking::is_topical(db, words, options_);
                built.topical = built.topical || topical;
                return ranking::evidence(words, db, options_, !is_a_title && !topical, topical,
                                         remote_ranking(), &built.all_words_left_out);
            }));
        if (mixed) {
            const std::string analyzer_term = std::string(schema::kAnalyzer.prefix) + name;
            const double scale = detail::guarded("searching", set_.label(), [&] {
                return parses.size() > 1 ? ranking::language_scale(db, words, analyzer_term,
                                                                   remote_ranking())
                                         : 1.0;
            });
            q = q.within(analyzer_term, scale);
        }
        ranked.push_back(std::move(q));
    }
    return ranking::RankedQuery::any_of(std::move(ranked));
}

Xapian::Query QueryBuilder::filter() const { return filter(filters_.since, filters_.until); }

Xapian::Query QueryBuilder::filter(const std::string& from, const std::string& to) const {
    std::vector<Xapian::Query> filters;
    if (!from.empty() && !to.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot.slot, from, to);
    else if (!from.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kDateSlot.slot, from);
    else if (!to.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kDateSlot.slot, to);
    if (!filters_.host.empty())
        filters.emplace_back(bounded_term(schema::kHost.prefix, filters_.host));
    if (!filters_.language.empty())
        filters.emplace_back(std::string(schema::kLang.prefix) + filters_.language);
    if (filters.empty()) return Xapian::Query();
    return filters.size() == 1
               ? filters[0]
               : Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

}  // namespace newsidx
