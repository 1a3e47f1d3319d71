// Query building: query text + checked options -> the ranked Xapian query for one index set:
// the text passes (query_text.hpp), one parse per analyzer the set holds (query_parser.hpp),
// the ranking's parts (ranking_model.hpp) and the options' filters; and "did you mean".
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "newsidx/index_set.hpp"
#include "newsidx/options.hpp"
#include "ranking_model.hpp"

namespace newsidx {

/// "Did you mean" (QueryBuilder::correction) is looked for when a query finds fewer articles
/// than this (and when one of its words is rare: spelling.cpp has the rule's other numbers).
inline constexpr Xapian::doccount kFewHits = 3;

/// A query, built.
struct BuiltQuery {
    ranking::RankedQuery ranked;  ///< the ranked part: what the user typed, and its evidence
    Xapian::Query filter;         ///< the options' filters; empty when there are none
    /// --share: what an article passes to count in the base: the filters, and those typed in
    /// a query with operators that narrow the whole of it ("\"a b\" site:x", "-site:x",
    /// "date:2015"); empty when there are none.
    Xapian::Query base_filter;
    /// The filters typed beside bare words, taken out of the parse (part of `filter`).
    Xapian::Query typed_filter;
    /// Every filter typed in the query that narrows the whole of it (those beside bare words
    /// and those the parse keeps): what --compare's other queries get of the first one.
    Xapian::Query typed_filters;
    /// A filter typed where it narrows only a part of the query ("a OR b site:x"): the base
    /// cannot have it (a note says so).
    bool base_misses_filters = false;
    std::string raw;              ///< the query text as the user wrote it
    std::string folded;           ///< the query text as the parser read it
    /// The set's analyzers (an article is analysed by one of them); empty when not known.
    /// With one, no article need be read to know its analyzer.
    std::vector<std::string> analyzers;
    /// With several analyzers: the terms each one's parse has (for percentages).
    std::map<std::string, std::vector<std::string>> terms_by_analyzer;
    /// The most distinct terms any analyzer's parse has (stop words left out).
    std::size_t words = 0;
    /// A ranked query of bare words (no operator, field, phrase, +/-, --all): it gets the
    /// ranking evidence and, when long enough, feedback.
    bool bare_words = false;
    /// A query of bare words whose words occur together in many articles (--topical): it gets
    /// feedback and no all-words evidence.
    bool topical = false;
    /// A pasted all-capitals headline whose operator words were read as words (a note says so).
    bool headline = false;
    /// A set with a remote shard left the all-words evidence out: too many articles have every
    /// word to weigh them in the client (a note says so).
    bool all_words_left_out = false;

    Xapian::Query text() const { return ranked.query(); }
    /// The ranked part with the filters.
    Xapian::Query combined() const;
};

/// Builds queries for one index set with checked options.
class QueryBuilder {
  public:
    using Built = BuiltQuery;

    QueryBuilder(const IndexSet& set, const SearchOptions& options, Filters filters);

    /// Parses `query` with each analyzer of the set (an article matches the parse of its own
    /// analyzer) and applies the filters. Throws Error(BadQuery).
    BuiltQuery build(const std::string& query) const;

    /// The options' filters (--since, --until, --site, --lang) as one query; empty when there
    /// are none.
    Xapian::Query filter() const;
    /// The same with the dates from..to (YYYYMMDD) instead of --since/--until's.
    Xapian::Query filter(const std::string& from, const std::string& to) const;
    /// The checked filters.
    const Filters& filters() const { return filters_; }

    /// Whether queries are ranked as a set with a remote shard needs (SearchOptions::
    /// remote_ranking, or a remote member).
    bool remote_ranking() const { return set_.has_remote() || options_.remote_ranking; }
    /// The analyzers queries are parsed with: the set's, or --lang's.
    const std::vector<std::string>& analyzers() const { return analyzers_; }

    /// "Did you mean": the query as the user wrote it, with a word replaced by Xapian's
    /// spelling suggestion (from the titles' words, within one edit for words under eight
    /// letters, two for longer ones) when the word is in no article, or the suggestion is in
    /// kWordGain times as many. Looked for only when the query found fewer than kFewHits
    /// articles (`hits`) or has a word in at most kRareWord; so the spelling table is read
    /// for few queries. Empty when no word changes, or when the corrected query (filters kept)
    /// finds no article, or, for a query with a few hits, fewer than kQueryGain times as many.
    /// `matched`, when given: the query's match, whose statistics give its own terms' counts.
    /// `looked`, when given, is set when a suggestion was looked for.
    std::string correction(const BuiltQuery& built, const Xapian::Database& db,
                           Xapian::doccount hits, const Xapian::MSet* matched = nullptr,
                           bool* looked = nullptr) const;

  private:
    using Parses = std::vector<std::pair<std::string, Xapian::Query>>;
    // One parse per analyzer (negated for a query of only excluded words), or one for all when
    // every analyzer reads the query alike; counts the words into `built`.
    Parses parse_each(const std::string& query, const std::string& folded, bool negative,
                      BuiltQuery& built) const;
    // The parses as one ranked query: each with its evidence, and, in an index of several
    // languages, kept to its own articles and scaled.
    ranking::RankedQuery rank(Parses parses, bool is_a_title, BuiltQuery& built) const;

    const IndexSet& set_;
    const SearchOptions& options_;
    Filters filters_;
    std::vector<std::string> analyzers_;  // the parses: the index's, or --lang's
    bool restricted_ = false;             // --lang leaves out some of the index's analyzers
};

}  // namespace newsidx
