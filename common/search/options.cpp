#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <initializer_list>

#include "analyzer.hpp"
#include "article.hpp"
#include "newsidx/options.hpp"
#include "newsidx/text.hpp"
#include "newsidx/timeline.hpp"
#include "query_text.hpp"

namespace newsidx {

std::pair<std::string, std::string> parse_period(const std::string& text, const std::string& what,
                                                 ErrorCode code) {
    std::string digits;
    for (char c : text)
        if (c != '-') digits += c;
    const bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    const bool dashes_fit = text.find('-') == std::string::npos ||
                            (text.size() == 7 && text[4] == '-') ||
                            (text.size() == 10 && text[4] == '-' && text[7] == '-');
    // A day of the period, checked; the reason names the period as the user wrote it.
    auto day = [&](const std::string& d) {
        const DateCheck check = parse_date(d);
        if (!check.yyyymmdd) {
            std::string reason = check.reason;
            if (const std::size_t at = reason.find(d); at != std::string::npos)
                reason.replace(at, d.size(), text);
            throw Error(code, what + ": " + reason);
        }
        return *check.yyyymmdd;
    };
    if (numeric && dashes_fit && digits.size() == 4)
        return {day(digits + "0101"), day(digits + "1231")};
    if (numeric && dashes_fit && digits.size() == 6)
        return {day(digits + "01"), digits + "31"};  // slot values compare as text
    if (numeric && dashes_fit && digits.size() == 8) {
        const std::string d = day(text);
        return {d, d};
    }
    throw Error(code, what + ": '" + text +
                          "' is not a date; use YYYYMMDD, YYYY-MM-DD, YYYY-MM or YYYY" +
                          (code == ErrorCode::BadQuery ? ", or a range FROM..TO of those" : ""));
}

Filters check_options(const SearchOptions& options) {
    Filters f;
    if (!options.since.empty())
        f.since = parse_period(options.since, NEWSIDX_OPT("since"), ErrorCode::BadOption).first;
    if (!options.until.empty())
        f.until = parse_period(options.until, NEWSIDX_OPT("until"), ErrorCode::BadOption).second;
    if (!f.since.empty() && !f.until.empty() && f.since > f.until)
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("since") " " + options.since + " is after " NEWSIDX_OPT("until") " " + options.until);
    if (!options.site.empty()) {
        // A pasted URL (https://www.bbc.co.uk/news/...) means its host.
        const auto url =
            options.site.find("://") != std::string::npos ? url_host(options.site) : std::nullopt;
        f.host = fold(url ? *url : options.site);
        while (!f.host.empty() && f.host.back() == '.') f.host.pop_back();
        if (f.host.empty() || f.host.find_first_of(" /") != std::string::npos)
            throw Error(ErrorCode::BadOption, NEWSIDX_OPT("site") ": '" + options.site + "' is not a host name");
    }
    if (!options.language.empty()) f.language = language_code(options.language);
    if (!options.timeline.empty()) make_timeline(options.timeline, {});  // checks the period
    for (const std::string& facet : options.facets)
        if (std::find(kFacetFields.begin(), kFacetFields.end(), facet) == kFacetFields.end())
            throw Error(ErrorCode::BadOption, NEWSIDX_OPT("facet") ": '" + facet +
                                                  "' is not a field to count by; use site, year "
                                                  "or lang");
    if (options.share && options.timeline.empty() && options.facets.empty())
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("share") " shows the " NEWSIDX_OPT("timeline") " and " NEWSIDX_OPT(
                        "facet") " counts as shares: ask for one of them")
            .with_hint("add " NEWSIDX_OPT("timeline") " or " NEWSIDX_OPT("facet"));
    if (options.compare.size() > kMaxCompared)
        throw Error(ErrorCode::BadOption, NEWSIDX_OPT("compare") ": at most " +
                                              std::to_string(kMaxCompared) +
                                              " queries beside the first (five on one timeline)");
    if (!options.compare.empty() && options.timeline.empty())
        throw Error(ErrorCode::BadOption, NEWSIDX_OPT("compare") " draws timelines: it needs " NEWSIDX_OPT("timeline"));
    for (const std::string& query : options.compare) {
        if (query.find_first_not_of(" \t\r\n") == std::string::npos)
            throw Error(ErrorCode::BadOption, NEWSIDX_OPT("compare") ": an empty query");
        check_query_text(query);
    }
    if (options.against == "previous" && (options.since.empty() || options.until.empty()))
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("against") " previous sets a period against the one before it: "
                    "give the period with " NEWSIDX_OPT("since") " and " NEWSIDX_OPT("until"));
    if (options.against == "previous" && options.significance == "xapian")
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("significance") " xapian weighs words against the whole index: "
                    "with " NEWSIDX_OPT("against") " previous use llr or jlh");
    if (options.recency_days < 0)
        throw Error(ErrorCode::BadOption, NEWSIDX_OPT("recency") " wants a half-life in days, above 0");
    if (!options.now.empty()) {
        const auto day = parse_period(options.now, NEWSIDX_OPT("now"), ErrorCode::BadOption);
        if (day.first != day.second)
            throw Error(ErrorCode::BadOption,
                        NEWSIDX_OPT("now") ": '" + options.now + "' is not a day; use YYYYMMDD or YYYY-MM-DD");
        f.now = day.first;
    }
    // CLI11's range check lets "nan" through (it compares false both ways).
    if (!(options.title_words >= 0 && options.title_words <= 100))
        throw Error(ErrorCode::BadOption, NEWSIDX_OPT("title-words") " wants a weight from 0 to 100");
    if (!(options.title_boost >= 0 && options.title_boost <= 100))
        throw Error(ErrorCode::BadOption, NEWSIDX_OPT("title-boost") " wants a weight from 0 to 100");
    if (options.all_words_b < 0 || options.all_words_b > 1)
        throw Error(ErrorCode::BadOption, NEWSIDX_OPT("all-words") " wants B between 0 and 1");
    if (options.bm25_k1 < 0 || options.bm25_b < 0 || options.bm25_b > 1 ||
        options.bm25_min_length < 0 || options.bm25_min_length > 1)
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("bm25") " wants K1[,B[,L]] with K1 >= 0, 0 <= B <= 1 and 0 <= L <= 1");
    return f;
}

namespace {

// Comma-separated decimal numbers, "2" or "2,0.4" or "2,0.4,0.1": the first is needed, each
// later one optional (left as it was) unless a comma announces it. False for anything else,
// hex or exponents included ("0x1", "1e2").
bool parse_numbers(const std::string& s, std::initializer_list<double*> values) {
    std::size_t at = 0;
    for (double* value : values) {
        std::size_t end = s.find(',', at);
        if (end == std::string::npos) end = s.size();
        const std::string part = s.substr(at, end - at);
        if (part.find_first_of("0123456789") == std::string::npos ||
            part.find_first_not_of("+-0123456789.") != std::string::npos)
            return false;
        char* stop = nullptr;
        *value = std::strtod(part.c_str(), &stop);
        if (*stop != '\0' || !std::isfinite(*value)) return false;
        if (end == s.size()) return true;
        at = end + 1;
    }
    return false;  // a comma after the last value
}

}  // namespace

void parse_bm25(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double k1 = 0, b = options.bm25_b, shortest = options.bm25_min_length;
    if (!parse_numbers(s, {&k1, &b, &shortest}) || k1 < 0 || b < 0 || b > 1 || shortest < 0 ||
        shortest > 1)
        throw Error(
            ErrorCode::BadOption,
            NEWSIDX_OPT("bm25") " wants K1[,B[,L]] with K1 >= 0, 0 <= B <= 1 and 0 <= L <= 1, got '" + s + "'");
    options.bm25_k1 = k1;
    options.bm25_b = b;
    options.bm25_min_length = shortest;
}

void parse_expand(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double terms = 0, words = 0;
    if (!parse_numbers(s, {&terms, &words}) || terms < 0 || terms > 100 ||
        terms != std::floor(terms) || words < 0 || words > kMaxQueryWords ||
        words != std::floor(words))
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("expand") " wants N or N,W: N terms (0-100) for queries of at least W words, "
                    "got '" +
                        s + "'");
    options.expand = static_cast<unsigned>(terms);
    options.expand_min_words = static_cast<unsigned>(words);
}

void parse_topical(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double phrase = 0, matches = options.topical_matches, name = options.topical_name;
    const auto count = [](double v) { return v >= 0 && v <= 1e9 && v == std::floor(v); };
    if (!parse_numbers(s, {&phrase, &matches, &name}) || !count(phrase) || !count(matches) ||
        name < 0 || name > 100)
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("topical") " wants P[,M[,W]]: numbers of articles (0: that test "
                    "off) and a weight 0 <= W <= 100, got '" + s + "'");
    options.topical_phrase = static_cast<unsigned>(phrase);
    options.topical_matches = static_cast<unsigned>(matches);
    options.topical_name = name;
}

void parse_all_words(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double weight = 0, words = options.max_all_words_terms, b = options.all_words_b;
    if (!parse_numbers(s, {&weight, &words, &b}) || weight < 0 || weight > 100 || words < 2 ||
        words > kMaxQueryWords || words != std::floor(words) || b < 0 || b > 1)
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("all-words") " wants W[,N[,B]] with 0 <= W <= 100, N a number of words >= 2 "
                    "and 0 <= B <= 1, got '" +
                        s + "'");
    options.all_words = weight;
    options.max_all_words_terms = static_cast<unsigned>(words);
    options.all_words_b = b;
}

void parse_proximity(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double ordered = 0, unordered = options.unordered_proximity;
    if (!parse_numbers(s, {&ordered, &unordered}) || ordered < 0 || unordered < 0 ||
        ordered > 100 || unordered > 100)
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("proximity") " wants W,U with 0 <= W, U <= 100, got '" + s + "'");
    options.ordered_proximity = ordered;
    options.unordered_proximity = unordered;
}

void check_query_text(std::string_view query) {
    if (query.find('\0') != std::string::npos)
        throw Error(ErrorCode::BadQuery, "the query contains a NUL byte");
    if (!is_valid_utf8(query))
        throw Error(ErrorCode::BadQuery, "the query is not valid UTF-8")
            .with_hint("check the terminal's or the file's character encoding");
    if (const std::size_t words = query::lex(query).tokens.size(); words > kMaxQueryWords)
        throw Error(ErrorCode::BadQuery, "the query has " + std::to_string(words) +
                                             " words; the most a query may have is " +
                                             std::to_string(kMaxQueryWords));
}


// ---- the option table -----------------------------------------------------------------------

namespace {

using Row = SearchOption;
using T = OptionType;
constexpr std::array<std::string_view, 6> kNone{};

unsigned whole(const std::string& v) { return static_cast<unsigned>(std::stoul(v)); }
double number(const std::string& v) { return std::strtod(v.c_str(), nullptr); }
bool on(const std::string& v) { return v == "1"; }

// clang-format off
constexpr SearchOption kRows[] = {
    {"db", 'd', T::Text, "DIR", 0, 0, {}, true, false, {}, kNone,
     "Index to search; repeat to search several as one, or give a stub file that names indexes "
     "and remote shards (default: $NEWSIDX_DB, else ./newsidx.db)",
     [](SearchOptions& o, const std::string& v) { o.db_paths.push_back(v); },
     [](const SearchOptions&) { return true; },
     [](SearchOptions& o) { o.db_paths.clear(); }},
    {"timeout", 0, T::Number, "S", 0.1, 3600, {}, false, false, {}, kNone,
     "Seconds to wait for a remote shard to connect and for each reply (default 10)",
     [](SearchOptions& o, const std::string& v) {
         const double seconds = number(v);
         // CLI11's range check lets "nan" through (it compares false both ways).
         if (!(seconds >= 0.1 && seconds <= 3600))
             throw Error(ErrorCode::BadOption, NEWSIDX_OPT("timeout") " wants seconds from 0.1 to 3600");
         o.timeout_ms = static_cast<unsigned>(seconds * 1000 + 0.5);
     },
     [](const SearchOptions& o) { return o.timeout_ms != SearchOptions{}.timeout_ms; }, nullptr},
    {"allow-partial", 0, T::Switch, "", 0, 0, {}, false, false, {}, kNone,
     "Answer without a remote shard that is down, unreachable or silent for " NEWSIDX_OPT("timeout")
     " (a warning, and \"partial\" in JSON), instead of failing",
     [](SearchOptions& o, const std::string& v) { o.allow_partial = on(v); },
     [](const SearchOptions& o) { return o.allow_partial; }, nullptr},
    {"limit", 'n', T::Whole, "N", 1, 10000, {}, false, true, {}, kNone,
     "Results to show (default 10)",
     [](SearchOptions& o, const std::string& v) { o.limit = whole(v); },
     [](const SearchOptions& o) { return o.limit != SearchOptions{}.limit; }, nullptr},
    {"offset", 0, T::Whole, "N", 0, 1000000, {}, false, true, {}, kNone,
     "Skip the first N results (paging)",
     [](SearchOptions& o, const std::string& v) { o.offset = whole(v); },
     [](const SearchOptions& o) { return o.offset != 0; }, nullptr},
    {"sort", 0, T::Choice, "ORDER", 0, 0, kSortOrders, false, true, {}, kNone,
     "relevance (default) | newest | oldest",
     [](SearchOptions& o, const std::string& v) { o.sort = sort_order_named(v); },
     [](const SearchOptions& o) { return o.sort != SortOrder::Relevance; }, nullptr},
    {"since", 0, T::Text, "DATE", 0, 0, {}, false, true, {}, kNone,
     "Only articles on or after DATE (YYYYMMDD, YYYY-MM-DD, YYYY-MM or YYYY)",
     [](SearchOptions& o, const std::string& v) { o.since = v; },
     [](const SearchOptions& o) { return !o.since.empty(); }, nullptr},
    {"until", 0, T::Text, "DATE", 0, 0, {}, false, true, {}, kNone,
     "Only articles on or before DATE (a month or a year: to its last day)",
     [](SearchOptions& o, const std::string& v) { o.until = v; },
     [](const SearchOptions& o) { return !o.until.empty(); }, nullptr},
    {"site", 0, T::Text, "HOST", 0, 0, {}, false, true, {}, kNone,
     "Only articles from HOST or its subdomains",
     [](SearchOptions& o, const std::string& v) { o.site = v; },
     [](const SearchOptions& o) { return !o.site.empty(); }, nullptr},
    {"lang", 0, T::Text, "LANG", 0, 0, {}, false, true, {}, kNone,
     "Only the articles in this language (fr or french, ...), the query analysed as they were "
     "(default: every language, each article through its own)",
     [](SearchOptions& o, const std::string& v) { o.language = v; },
     [](const SearchOptions& o) { return !o.language.empty(); }, nullptr},
    {"all", 0, T::Switch, "", 0, 0, {}, false, true, {}, kNone,
     "Every word must match (default: ranked, best matches first)",
     [](SearchOptions& o, const std::string& v) { o.match_all = on(v); },
     [](const SearchOptions& o) { return o.match_all; }, nullptr},
    {"plain", 0, T::Switch, "", 0, 0, {}, false, false, {}, kNone,
     "Treat the query as plain words, no operators (default with " NEWSIDX_OPT("batch") ")",
     [](SearchOptions& o, const std::string& v) { o.plain = on(v); },
     [](const SearchOptions& o) { return o.plain; }, nullptr},
    {"explain", 0, T::Switch, "", 0, 0, {}, false, true, {}, kNone,
     "Show each hit's score as the sum of its parts: BM25 per word, title words, all-words, "
     "proximity, exact title, written title, character pairs, feedback, recency "
     "(docs/architecture.md)",
     [](SearchOptions& o, const std::string& v) { o.explain = on(v); },
     [](const SearchOptions& o) { return o.explain; }, nullptr},
    {"expand", 0, T::Text, "N[,W]", 0, 0, {}, false, true, {}, kNone,
     "Pseudo-relevance feedback N[,W]: add the N best terms of the top 10 hits to queries of at "
     "least W words, and to a subject's name (" NEWSIDX_OPT("topical") ") (default 10,12; N "
     "alone: every query; 0: off)",
     [](SearchOptions& o, const std::string& v) { parse_expand(v, o); },
     [](const SearchOptions& o) { return o.expand != SearchOptions{}.expand; }, nullptr},
    {"bm25", 0, T::Text, "K1[,B[,L]]", 0, 0, {}, false, false, {}, kNone,
     "BM25 parameters K1,B,L: saturation, length normalisation, shortest normalised length "
     "(default 2,0.4,0.1)",
     [](SearchOptions& o, const std::string& v) { parse_bm25(v, o); },
     [](const SearchOptions& o) { return o.bm25_k1 != kDefaultBm25K1; }, nullptr},
    {"title-boost", 0, T::Number, "W", 0, 100, {}, false, false, {}, kNone,
     "Weight of an exact title match, a query that is an article's whole title (default 3; 0 "
     "turns it off)",
     [](SearchOptions& o, const std::string& v) { o.title_boost = number(v); },
     [](const SearchOptions& o) { return o.title_boost != kDefaultTitleBoost; }, nullptr},
    {"all-words", 0, T::Text, "W[,N[,B]]", 0, 0, {}, false, false, {}, kNone,
     "Ranking: W,N,B: extra weight, W times the words' own BM25 weight with length "
     "normalisation B, for an article with every word of a query of 2 to N words (default "
     "3,5,1; 0 turns it off)",
     [](SearchOptions& o, const std::string& v) { parse_all_words(v, o); },
     [](const SearchOptions& o) { return o.all_words != kDefaultAllWords; }, nullptr},
    {"topical", 0, T::Text, "P[,M[,W]]", 0, 0, {}, false, false, {}, kNone,
     "Ranking: a query of 2 or more bare words names a subject when at least P articles have "
     "them as a phrase or M have them all: it gets feedback (" NEWSIDX_OPT("expand") "'s N "
     "terms) instead of the all-words weight, and W times the weight of its words in order "
     "within 3 (its name) (default 2,0,0.5; 0 turns a test off)",
     [](SearchOptions& o, const std::string& v) { parse_topical(v, o); },
     [](const SearchOptions& o) {
         return o.topical_phrase != kDefaultTopicalPhrase ||
                o.topical_matches != kDefaultTopicalMatches || o.topical_name != kDefaultTopicalName;
     },
     nullptr},
    {"proximity", 0, T::Text, "W[,U]", 0, 0, {}, false, false, {}, kNone,
     "Ranking: extra weight W,U for consecutive query words in order within 3 words (W) or in "
     "any order within 8 (U), queries of 2-6 words (default 0,0)",
     [](SearchOptions& o, const std::string& v) { parse_proximity(v, o); },
     [](const SearchOptions& o) { return o.ordered_proximity > 0 || o.unordered_proximity > 0; },
     nullptr},
    {"title-words", 0, T::Number, "W", 0, 100, {}, false, false, {}, kNone,
     "Ranking: extra weight, W times their own, for query words in an article's title (default "
     "0.2; 0 turns it off)",
     [](SearchOptions& o, const std::string& v) { o.title_words = number(v); },
     [](const SearchOptions& o) { return o.title_words != kDefaultTitleWords; }, nullptr},
    {"timeline", 0, T::Choice, "PERIOD", 0, 0, kTimelinePeriods, false, true, {}, kNone,
     "Count every match per day | week | month | year (ISO weeks), empty periods too, as a "
     "chart or JSON",
     [](SearchOptions& o, const std::string& v) { o.timeline = v; },
     [](const SearchOptions& o) { return !o.timeline.empty(); }, nullptr},
    {"facet", 0, T::Choice, "FIELD", 0, 0, kFacetFields, true, true, {}, kNone,
     "Count every match per site | year | lang (top 20 each); repeat for several",
     [](SearchOptions& o, const std::string& v) { o.facets.push_back(v); },
     [](const SearchOptions& o) { return !o.facets.empty(); },
     [](SearchOptions& o) { o.facets.clear(); }},
    {"share", 0, T::Switch, "", 0, 0, {}, false, true, {}, {"export"},
     "Show the " NEWSIDX_OPT("timeline") " and " NEWSIDX_OPT("facet") " counts as shares of "
     "every article (story, with " NEWSIDX_OPT("collapse") ") that passes the same filters "
     "without the query: attention, not the archive's growth",
     [](SearchOptions& o, const std::string& v) { o.share = on(v); },
     [](const SearchOptions& o) { return o.share; }, nullptr},
    {"compare", 0, T::Text, "QUERY", 0, 0, {}, true, true, "timeline", {"export", "like"},
     "Draw this query's " NEWSIDX_OPT("timeline") " beside the first's, with the same filters "
     "(and " NEWSIDX_OPT("share") "); repeat for up to 4",
     [](SearchOptions& o, const std::string& v) { o.compare.push_back(v); },
     [](const SearchOptions& o) { return !o.compare.empty(); },
     [](SearchOptions& o) { o.compare.clear(); }},
    {"origin", 0, T::Text, "PASSAGE", 0, 0, {}, false, true, {},
     {"like", "export", "batch", "show", "copies", "kwic"},
     "Instead of a query: where PASSAGE (a quote, a paragraph; 4 words or more) appeared first, "
     "and every article that carries it, whole or a quarter of it at least, by story and site, "
     "with the filters (" NEWSIDX_OPT("since") ", " NEWSIDX_OPT("site") ", " NEWSIDX_OPT("lang") ") applied",
     [](SearchOptions& o, const std::string& v) { o.origin = v; },
     [](const SearchOptions& o) { return !o.origin.empty(); }, nullptr},
    {"kwic", 0, T::Whole, "N", 1, 50, {}, false, true, {}, {"export", "like"},
     "Keyword in context: every occurrence of the query's words in every match, N words each "
     "side, as text, or as CSV or JSON lines with the command line's format csv or json; over "
     "HTTP, each hit of the page has its lines",
     [](SearchOptions& o, const std::string& v) { o.kwic = whole(v); },
     [](const SearchOptions& o) { return o.kwic > 0; }, nullptr},
    {"significant", 0, T::Whole, "N", 1, 100, {}, false, true, {}, {"export", "like"},
     "The N words (as written) that set the matching stories apart, each story once, against "
     "the other stories with the same filters (see " NEWSIDX_OPT("against") ")",
     [](SearchOptions& o, const std::string& v) { o.significant = whole(v); },
     [](const SearchOptions& o) { return o.significant > 0; }, nullptr},
    {"significance", 0, T::Choice, "SCORE", 0, 0, kSignificanceScorings, false, true,
     "significant", kNone,
     "How " NEWSIDX_OPT("significant") " scores a word: jlh (the default) | llr (log-likelihood) | "
     "xapian (its expand weights)",
     [](SearchOptions& o, const std::string& v) { o.significance = v; },
     [](const SearchOptions& o) { return o.significance != "jlh"; }, nullptr},
    {"against", 0, T::Choice, "WHAT", 0, 0, kAgainst, false, true, "significant", kNone,
     "What " NEWSIDX_OPT("significant") " sets the matches against: rest (the other stories with "
     "the same filters) | previous (the matches of as many days before " NEWSIDX_OPT("since") ": "
     "what is new)",
     [](SearchOptions& o, const std::string& v) { o.against = v; },
     [](const SearchOptions& o) { return o.against != "rest"; }, nullptr},
    {"collapse", 0, T::Switch, "", 0, 0, {}, false, true, {}, {"export"},
     "Near-duplicate copies fold into their best hit, with \"+N similar\", who ran it first and "
     "where else; counts and " NEWSIDX_OPT("timeline") " count stories",
     [](SearchOptions& o, const std::string& v) { o.collapse = on(v); },
     [](const SearchOptions& o) { return o.collapse; }, nullptr},
    {"recency", 0, T::Number, "DAYS", 0.01, 100000, {}, false, true, {}, {"sort"},
     "Favour fresh articles: the boost halves every DAYS days from " NEWSIDX_OPT("now"),
     [](SearchOptions& o, const std::string& v) { o.recency_days = number(v); },
     [](const SearchOptions& o) { return o.recency_days > 0; }, nullptr},
    {"now", 0, T::Text, "DATE", 0, 0, {}, false, true, "recency", kNone,
     "The day " NEWSIDX_OPT("recency") " counts from (default: the newest article in the index)",
     [](SearchOptions& o, const std::string& v) { o.now = v; },
     [](const SearchOptions& o) { return !o.now.empty(); }, nullptr},
    {"like", 0, T::Text, "URL|PATH", 0, 0, {}, false, true, {}, {"batch", "show", "copies"},
     "Instead of a query: articles like this one (URL or path), its copies left out",
     [](SearchOptions& o, const std::string& v) { o.like = v; },
     [](const SearchOptions& o) { return !o.like.empty(); }, nullptr},
};
// clang-format on

}  // namespace

std::span<const SearchOption> search_options() { return kRows; }

const SearchOption* search_option(std::string_view name) {
    for (const SearchOption& row : kRows)
        if (row.name == name) return &row;
    return nullptr;
}

}  // namespace newsidx
