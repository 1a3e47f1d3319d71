// Query building: the searcher's options, checked once before any index is opened, and query
// text + filters -> Xapian::Query through the same Analyzer the indexer used. One date parser
// serves --since/--until and the date: field; the schema's rows name the query fields.
#pragma once

#include <xapian.h>

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newsidx/error.hpp"
#include "newsidx/index_set.hpp"

namespace newsidx {

enum class SortOrder { Relevance, Newest, Oldest };
/// --sort's names, in the order of SortOrder.
inline constexpr std::array<std::string_view, 3> kSortOrders{"relevance", "newest", "oldest"};
/// The SortOrder named `name` (one of kSortOrders); Relevance for any other.
inline SortOrder sort_order_named(std::string_view name) {
    for (std::size_t i = 0; i < kSortOrders.size(); ++i)
        if (kSortOrders[i] == name) return static_cast<SortOrder>(i);
    return SortOrder::Relevance;
}

// Ranking, in one place (docs/quality.md says how each value was chosen); the title's extra
// weight at index time is schema::kTitleWdf.
/// BM25 term-frequency saturation and document-length normalisation (--bm25 K1,B,L).
inline constexpr double kDefaultBm25K1 = 2.0;
inline constexpr double kDefaultBm25B = 0.4;
/// BM25's shortest normalised length (--bm25 K1,B,L): an article shorter than L times the
/// average is weighed as if it were that long (Xapian's min_normlen).
inline constexpr double kDefaultBm25MinLength = 0.1;
/// Scale of the exact-title term's weight (--title-boost).
inline constexpr double kDefaultTitleBoost = 3.0;
/// Pseudo-relevance feedback (--expand): how many top hits feed it, and the weight their terms
/// get relative to the query's own (RM3-like interpolation).
inline constexpr Xapian::doccount kFeedbackDocuments = 10;
inline constexpr double kFeedbackWeight = 0.3;
/// Feedback by default (--expand N,W): the N best terms, for queries of at least W words (a
/// word: a distinct term of the parse, stop words left out). Long, descriptive queries gain
/// from it; short ones, typed to find one story, lose.
inline constexpr unsigned kDefaultExpandTerms = 10;
inline constexpr unsigned kDefaultExpandMinWords = 12;
/// All-words evidence (--all-words W,N,B): an article with every word of a query of 2 to N
/// words gains W times those words' BM25 weight, computed with length normalisation B (the
/// ranking's K1 and L). The defaults (feedback above too) were chosen across eight test sets
/// by bench/tune.py; docs/quality.md has the figures.
inline constexpr double kDefaultAllWords = 3;
inline constexpr unsigned kDefaultMaxAllWordsTerms = 5;
inline constexpr double kDefaultAllWordsB = 1;
/// Proximity evidence (--proximity W,U): for queries of 2 to kMaxProximityTerms words, an
/// article with two consecutive query words in order within kOrderedWindow positions gains W
/// times their weight, and with them in any order within kUnorderedWindow, U times.
inline constexpr double kDefaultOrderedProximity = 0;
inline constexpr double kDefaultUnorderedProximity = 0;
inline constexpr std::size_t kMaxProximityTerms = 6;
inline constexpr Xapian::termcount kOrderedWindow = 3;
inline constexpr Xapian::termcount kUnorderedWindow = 8;
/// Title-words evidence (--title-words W): each query word in an article's title adds W times
/// its weight as a title term.
inline constexpr double kDefaultTitleWords = 0.2;

struct SearchOptions {
    std::vector<std::string> db_paths{"newsidx.db"};
    unsigned timeout_ms = 10000;  ///< --timeout: each remote shard's connection and replies
    bool allow_partial = false;   ///< --allow-partial: answer without a remote shard that is down
    std::string query;
    unsigned limit = 10;
    unsigned offset = 0;
    SortOrder sort = SortOrder::Relevance;
    std::string since;       ///< a day, month or year (YYYYMMDD, YYYY-MM-DD, YYYY-MM, YYYY)
    std::string until;       ///< likewise, inclusive; empty = no bound
    std::string site;        ///< host; matches its subdomains too
    bool match_all = false;  ///< --all: every word must match
    /// --lang: search only the articles in this language (ISO 639-1 code or English name),
    /// parsing the query only as they were analysed; empty = every language, the query
    /// parsed with each analyzer the index holds.
    std::string language;
    unsigned snippet_bytes = 240;
    bool plain = false;    ///< --plain: the query is only words; no operator, quote or field
    bool snippets = true;  ///< build snippets (TREC runs do without)
    double bm25_k1 = kDefaultBm25K1;
    double bm25_b = kDefaultBm25B;
    double bm25_min_length = kDefaultBm25MinLength;
    /// --expand N,W: add the N best terms of the top hits to a query of at least W words.
    unsigned expand = kDefaultExpandTerms;
    unsigned expand_min_words = kDefaultExpandMinWords;
    double all_words = kDefaultAllWords;                      ///< --all-words W,N,B: W
    unsigned max_all_words_terms = kDefaultMaxAllWordsTerms;  ///< --all-words W,N,B: N
    double all_words_b = kDefaultAllWordsB;                   ///< --all-words W,N,B: B
    double ordered_proximity = kDefaultOrderedProximity;      ///< --proximity W,U: W
    double unordered_proximity = kDefaultUnorderedProximity;  ///< --proximity W,U: U
    double title_words = kDefaultTitleWords;                  ///< --title-words W
    /// --title-boost W: scale of the exact-title term's weight (a query that is an article's
    /// whole title, word for word, ranks it first); 0 turns it off. See docs/quality.md.
    double title_boost = kDefaultTitleBoost;
    /// --facet: count every match per value of these fields (kFacetFields).
    std::vector<std::string> facets;
    /// --timeline: count every match per day, week, month or year; empty = none.
    std::string timeline;
    /// --collapse: one hit per near-duplicate cluster, with its trail (who ran it first,
    /// where else); counts and the timeline count clusters.
    bool collapse = false;
    /// --recency DAYS: add freshness to relevance, halving every DAYS days before `now`;
    /// 0 = off. See docs/news-features.md for the formula.
    double recency_days = 0;
    /// --now: the day recency counts from (YYYYMMDD or YYYY-MM-DD); empty = the index's newest.
    std::string now;
    /// --like URL|PATH: instead of a query, the articles most like that one (its kLikeTerms
    /// best terms), leaving out its cluster.
    std::string like;
};

/// --recency: a fresh article gains this share of the query's best BM25 weight, one
/// `recency_days` old half of it (docs/news-features.md, "Recency").
inline constexpr double kRecencyShare = 0.5;
/// --like: how many of the article's best terms (Xapian's ESet) make the query.
inline constexpr unsigned kLikeTerms = 25;

/// The fields --facet counts matches by.
inline constexpr std::array<std::string_view, 3> kFacetFields{"site", "year", "lang"};

/// A longer query is refused (BadQuery): it would take seconds and is never typed by hand.
inline constexpr std::size_t kMaxQueryWords = 1000;

/// Weight of the Chinese/Japanese character-pair fallback against the words' own (an article
/// found only through the pairs ranks below those that have the words).
inline constexpr double kCharPairWeight = 0.5;
/// "Did you mean" (QueryBuilder::correction) is looked for when a query finds fewer articles
/// than this, or when one of its words is in at most kRareWord articles ("goverment").
inline constexpr Xapian::doccount kFewHits = 3;
inline constexpr Xapian::doccount kRareWord = 10;
/// A word with articles of its own is replaced only by a correction in this many times as many
/// articles. Measured on the news corpora: typos stand at 270-2,400 times ("goverment" 10 against
/// "government" 2,743; "securty" 1 against 2,361), real words at 4-40 ("fuer" 7 against "fuel"
/// 252; "geneva" 75 against "general" 1,785; "news" against "new").
inline constexpr Xapian::doccount kWordGain = 100;
/// ... and is at least this long, and in no title (the spelling dictionary).
inline constexpr std::size_t kMinCorrectedWithHits = 6;
/// A query with a few hits gets a correction only if that finds this many times as many.
inline constexpr Xapian::doccount kQueryGain = 10;

/// The first and last day (YYYYMMDD) of a period written as a year (2022), a month (2022-02,
/// 202202) or a day (2022-02-08, 20220208). The last day of a month is written as its 31st
/// (value slots compare as text). Throws Error(`code`) naming `what` otherwise.
std::pair<std::string, std::string> parse_period(const std::string& text, const std::string& what,
                                                 ErrorCode code);

/// The options' filters, checked: the --since/--until bounds as YYYYMMDD (empty: open) and
/// the --site host; and the --now day.
struct Filters {
    std::string since, until, host;
    std::string language;  ///< --lang as an ISO 639-1 code; empty: every language
    std::string now;  ///< --now as YYYYMMDD (not a filter: recency counts from it); empty: none
};

/// Checks every option that needs no index (dates, site, --lang, BM25 parameters) and returns
/// the filters. Throws Error(BadOption). Call before any index is opened.
Filters check_options(const SearchOptions& options);

/// The weighting scheme of the options' BM25 parameters.
Xapian::BM25Weight bm25_weight(const SearchOptions& options);

/// Parses --bm25 K1[,B[,L]] into `options`. Throws Error(BadOption).
void parse_bm25(std::string_view text, SearchOptions& options);

/// Parses --proximity W,U into `options`. Throws Error(BadOption).
void parse_proximity(std::string_view text, SearchOptions& options);

/// Parses --expand N[,W] into `options`. Throws Error(BadOption).
void parse_expand(std::string_view text, SearchOptions& options);

/// Parses --all-words W[,N[,B]] into `options`. Throws Error(BadOption).
void parse_all_words(std::string_view text, SearchOptions& options);

/// Checks query text that needs no index: NUL bytes, invalid UTF-8, too many words.
/// Throws Error(BadQuery).
void check_query_text(std::string_view query);

/// Builds queries for one index set with checked options.
class QueryBuilder {
  public:
    QueryBuilder(const IndexSet& set, const SearchOptions& options, Filters filters);

    struct Built {
        Xapian::Query text;    ///< the ranked part: what the user typed (+ title boost)
        Xapian::Query filter;  ///< the options' filters; empty when there are none
        std::string raw;       ///< the query text as the user wrote it
        std::string folded;    ///< the query text as the parser read it
        /// With several analyzers: the terms each one's parse has (for percentages).
        std::map<std::string, std::vector<std::string>> terms_by_analyzer;
        /// The most distinct terms any analyzer's parse has (stop words left out).
        std::size_t words = 0;
        /// A ranked query of bare words (no operator, field, phrase, +/-, --all): it gets the
        /// ranking evidence and, when long enough, feedback.
        bool bare_words = false;
        Xapian::Query combined() const;
    };

    /// Parses `query` with each analyzer of the set (an article matches the parse of its own
    /// analyzer) and applies the filters. Throws Error(BadQuery).
    Built build(const std::string& query) const;

    /// The options' filters (--since, --until, --site) as one query; empty when there are none.
    Xapian::Query filter() const;

    /// "Did you mean": the query as the user wrote it, with a word replaced by Xapian's
    /// spelling suggestion (from the titles' words, within one edit for words under eight
    /// letters, two for longer ones) when the word is in no article, or the suggestion is in
    /// kWordGain times as many. Looked for only when the query found fewer than kFewHits
    /// articles (`hits`) or has a word in at most kRareWord; so the spelling table is read
    /// for few queries. Empty when no word changes, or when the corrected query (filters kept)
    /// finds no article, or, for a query with a few hits, fewer than kQueryGain times as many.
    std::string correction(const Built& built, const Xapian::Database& db,
                           Xapian::doccount hits) const;

  private:
    const IndexSet& set_;
    const SearchOptions& options_;
    Filters filters_;
    std::vector<std::string> analyzers_;  // the parses: the index's, or --lang's
    bool restricted_ = false;             // --lang leaves out some of the index's analyzers
};

}  // namespace newsidx
