// The search options: SearchOptions, the one table every front end makes its options from
// (search_options(): the command line's flags, the server's parameters, their types, ranges,
// choices, help, what each needs and excludes), and the checks every search runs on them
// before any index is opened. One date parser serves since/until and the date: field.
#pragma once

#include <xapian.h>

#include <array>
#include <span>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newsidx/error.hpp"
#include "newsidx/index_set.hpp"
#include "newsidx/ranking.hpp"

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
    /// Rank as a set with a remote shard does (Xapian's own query parts, statistics asked for
    /// in batches), whatever the set: the tests compare it with the local ranking. No flag.
    bool remote_ranking = false;
    /// With a remote shard, the all-words evidence is weighed in the client for at most this
    /// many articles with every word, and left out (saying so) beyond. No flag: the tests
    /// lower it.
    unsigned remote_all_words = 20000;
    double bm25_k1 = kDefaultBm25K1;
    double bm25_b = kDefaultBm25B;
    double bm25_min_length = kDefaultBm25MinLength;
    /// --expand N,W: add the N best terms of the top hits to a query of at least W words.
    unsigned expand = kDefaultExpandTerms;
    unsigned expand_min_words = kDefaultExpandMinWords;
    unsigned topical_phrase = kDefaultTopicalPhrase;    ///< --topical P,M: P
    unsigned topical_matches = kDefaultTopicalMatches;  ///< --topical P,M,W: M
    double topical_name = kDefaultTopicalName;          ///< --topical P,M,W: W
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
    /// --share: the timeline and the facets also count every article (story, with --collapse)
    /// that passes the same filters without the query, and show each count as a share of it.
    bool share = false;
    /// --compare: more queries (at most kMaxCompared) whose timelines, with the same filters,
    /// are drawn beside the query's, over one span of periods.
    std::vector<std::string> compare;
    /// --origin PASSAGE: instead of a query, where a passage appeared first and who carried it
    /// (Searcher::origin); empty = a search.
    std::string origin;
    /// --kwic N: each hit's occurrences of the query's words with N words each side; 0 = none.
    unsigned kwic = 0;
    /// --significant N: the N words that set the matching stories apart; 0 = none.
    unsigned significant = 0;
    /// --significance: how a word is scored (kSignificanceScorings).
    std::string significance = "jlh";
    /// --against: the stories the matches are set against (kAgainst): "rest" (the others with
    /// the same filters) or "previous" (the matches of as many days before --since).
    std::string against = "rest";
    /// --recency DAYS: add freshness to relevance, halving every DAYS days before `now`;
    /// 0 = off. See docs/news-features.md for the formula.
    double recency_days = 0;
    /// --now: the day recency counts from (YYYYMMDD or YYYY-MM-DD); empty = the index's newest.
    std::string now;
    /// --explain: each hit's score as the sum of its parts (Hit::explanation).
    bool explain = false;
    /// --like URL|PATH: instead of a query, the articles most like that one (its kLikeTerms
    /// best terms), leaving out its cluster.
    std::string like;
};


/// The fields --facet counts matches by.
inline constexpr std::array<std::string_view, 3> kFacetFields{"site", "year", "lang"};

/// --significance's scorings: log-likelihood (G²), JLH, Xapian's expand weights.
inline constexpr std::array<std::string_view, 3> kSignificanceScorings{"llr", "jlh", "xapian"};
/// --against's backgrounds.
inline constexpr std::array<std::string_view, 2> kAgainst{"rest", "previous"};

/// --compare gives at most this many queries beside the first: five on one timeline.
inline constexpr std::size_t kMaxCompared = 4;

/// A longer query is refused (BadQuery): it would take seconds and is never typed by hand.
inline constexpr std::size_t kMaxQueryWords = 1000;


/// How an option's value is written.
enum class OptionType {
    Switch,  ///< given or not (--all); over HTTP 1/0, true/false, on/off, yes/no
    Whole,   ///< a whole number from `min` to `max`
    Number,  ///< a decimal number from `min` to `max`
    Choice,  ///< one of `choices`
    Text,    ///< text that the option's setter and check_options() check
};

/// One search option: a row of the table both front ends are made from.
struct SearchOption {
    std::string_view name;        ///< --name on the command line, name= over HTTP
    char alias;                   ///< -alias on the command line, or 0
    OptionType type;
    std::string_view value_name;  ///< what the value is, in help: N, DATE, K1[,B[,L]]
    double min, max;              ///< a Whole or Number's range
    std::span<const std::string_view> choices;  ///< a Choice's values
    bool repeatable;              ///< may be given more than once (--facet, --db)
    bool over_http;               ///< a parameter of GET /search too
    std::string_view needs;       ///< an option it needs, or empty
    std::array<std::string_view, 6> excludes;  ///< options it cannot be combined with
    std::string_view help;        ///< other options named with NEWSIDX_OPT()
    /// Stores one value into `options` (a Switch's is "1" or "0"); checks what the type does not
    /// say, or leaves it to check_options(). Throws Error(BadOption) naming the option.
    void (*set)(SearchOptions& options, const std::string& value);
    /// Whether `options` has the option set otherwise than by default (for needs and excludes
    /// where the values, not the words typed, are what there is to check).
    bool (*is_set)(const SearchOptions& options);
    /// A repeatable option's values given replace the default ones: this clears them first.
    void (*clear)(SearchOptions& options);
};

/// Why `value` is none of `choices` ("'newst' is not one of relevance, newest, oldest"), or
/// empty when it is one: the words both front ends say it in.
template <typename Choices>
std::string not_one_of(std::string_view value, const Choices& choices) {
    std::string list;
    for (const auto& c : choices) {
        if (value == c) return {};
        list += (list.empty() ? "" : ", ") + std::string(c);
    }
    return "'" + std::string(value) + "' is not one of " + list;
}

/// Every search option, in the order the command line's help lists them.
std::span<const SearchOption> search_options();
/// The row named `name`, or nullptr.
const SearchOption* search_option(std::string_view name);

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


/// Parses --bm25 K1[,B[,L]] into `options`. Throws Error(BadOption).
void parse_bm25(std::string_view text, SearchOptions& options);

/// Parses --proximity W,U into `options`. Throws Error(BadOption).
void parse_proximity(std::string_view text, SearchOptions& options);

/// Parses --expand N[,W] into `options`. Throws Error(BadOption).
void parse_expand(std::string_view text, SearchOptions& options);

/// Parses --topical P[,M[,W]] into `options`. Throws Error(BadOption).
void parse_topical(std::string_view text, SearchOptions& options);

/// Parses --all-words W[,N[,B]] into `options`. Throws Error(BadOption).
void parse_all_words(std::string_view text, SearchOptions& options);

/// Checks query text that needs no index: NUL bytes, invalid UTF-8, too many words.
/// Throws Error(BadQuery).
void check_query_text(std::string_view query);

}  // namespace newsidx
