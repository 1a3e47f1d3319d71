// Searching: query text + filters -> Xapian::Query, ranked hits with snippets.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newsidx {

enum class SortOrder { Relevance, Newest, Oldest };

struct SearchOptions {
    std::vector<std::string> db_paths{"newsidx.db"};
    std::string query;
    unsigned limit = 10;
    unsigned offset = 0;
    SortOrder sort = SortOrder::Relevance;
    std::string since;       ///< YYYYMMDD or YYYY-MM-DD, inclusive; empty = no bound
    std::string until;       ///< likewise
    std::string site;        ///< host; matches its subdomains too
    bool match_all = false;  ///< --all: every word must match
    std::string language;    ///< --lang: must match the index's stemming language; empty = any
    unsigned snippet_bytes = 240;
    bool plain = false;    ///< --plain: the query is only words; no operator, quote or field
    bool snippets = true;  ///< build snippets (TREC runs do without)
    double bm25_k1 = 2.0;  ///< BM25 term-frequency saturation (--bm25 K1,B); see docs/quality.md
    double bm25_b = 0.4;   ///< BM25 document-length normalisation
    unsigned expand = 0;   ///< --expand N: add the N best terms of the top hits
    /// --title-boost W: scale of the exact-title term's weight (a query that is an article's
    /// whole title, word for word, ranks it first); 0 turns it off. See docs/quality.md.
    double title_boost = 1.0;
};

/// Pseudo-relevance feedback: how many top hits feed --expand, and the weight their terms
/// get relative to the query's own (RM3-like interpolation).
inline constexpr Xapian::doccount kFeedbackDocuments = 10;
inline constexpr double kFeedbackWeight = 0.3;

/// How many times a search starts over when an indexer's commit overtakes it.
inline constexpr int kSearchAttempts = 5;

/// A longer query is refused (BadQuery): it would take seconds and is never typed by hand.
inline constexpr std::size_t kMaxQueryWords = 1000;
/// A wildcard expands to at most this many words, the most common ones.
inline constexpr unsigned kMaxWildcardTerms = 1000;

/// One line of a --batch file: `id<TAB>query`.
struct BatchQuery {
    std::string id;
    std::string query;
};

/// Parses a batch line; nullopt with `reason` set for a line to report and skip. Blank lines
/// and lines starting with '#' give nullopt with an empty reason (skipped silently).
std::optional<BatchQuery> parse_batch_line(std::string_view line, std::string* reason);

/// A snippet as plain text, with the [start, end) byte offsets of its highlighted words.
struct Snippet {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> highlights;
};

struct Hit {
    unsigned rank = 0;  ///< 1-based, counting from the first result of the query (offset included)
    double score = 0;
    int percent = 0;
    std::string title;
    std::string date;  ///< YYYY-MM-DD
    std::string url;
    std::string site;
    std::string path;
    Snippet snippet;
};

struct SearchResult {
    std::string query;
    Xapian::doccount total_estimate = 0;
    double elapsed_ms = 0;
    std::vector<Hit> hits;
    std::string did_you_mean;            ///< set when there are no hits and a spelling fix exists
    std::vector<std::string> expansion;  ///< terms --expand added, best first
};

/// Opens the index(es) named by the options, runs the query, builds snippets.
/// Throws Error: NoIndex, SchemaMismatch, BadQuery, BadOption, Xapian.
SearchResult search(const SearchOptions& options);

/// Runs the query against an open database (tests use an in-memory one). `language` is the
/// stemmer name the index was built with.
SearchResult search(const Xapian::Database& db, const std::string& language,
                    const SearchOptions& options);

/// Parses query text and applies the filters of `options`; the same parser settings the
/// searcher uses. Throws Error(BadQuery) or Error(BadOption).
Xapian::Query build_query(const Xapian::Database& db, const std::string& language,
                          const SearchOptions& options, std::string* corrected = nullptr);

/// What snippets look for: the free-text stems of a query, and the query that names each of
/// them unprefixed and as Xapian's "Z" stemmed form (what MSet::snippet highlights).
struct SnippetTerms {
    Xapian::Query query;
    std::vector<std::string> stems;
};
SnippetTerms snippet_terms(const Xapian::Query& query);

/// The [begin, end) byte range of `text`, about 2 * span long and cut at spaces, where the
/// words starting like `stems` are densest; the whole text when it is short. A cheap scan
/// (ASCII case only) that lets MSet::snippet read a window instead of a long body.
std::pair<std::size_t, std::size_t> match_window(std::string_view text,
                                                 const std::vector<std::string>& stems,
                                                 std::size_t span);

/// With options.expand > 0: `query` OR the options.expand best terms (Xapian's ESet) of its
/// top kFeedbackDocuments hits, those at kFeedbackWeight. Appends the added terms to `added`.
/// Returns `query` itself when it has no hits or expand is 0.
Xapian::Query expand_query(const Xapian::Database& db, const Xapian::Query& query,
                           const SearchOptions& options, std::vector<std::string>* added);

/// The stemmer to give make_snippet(): folds each word as the indexer does, then stems it
/// with the index's language ("none" or empty: folding only).
Xapian::Stem snippet_stemmer(const std::string& language);

/// Builds a snippet of `text` for the hits in `mset`: Xapian's MSet::snippet with the
/// query's stemmer over match_window() of the text, split into plain text and highlight
/// offsets. Without `stems` (the query names no words) the snippet is the opening of the text.
Snippet make_snippet(const Xapian::MSet& mset, const std::string& text, const Xapian::Stem& stemmer,
                     unsigned length, const std::vector<std::string>& stems);

/// Opens every database in `paths` as one. Throws Error(NoIndex) with a hint.
Xapian::Database open_databases(const std::vector<std::string>& paths, std::string* language);

/// Opens options.db_paths and checks options.language (--lang) against the index's own.
/// Throws Error(BadOption) on a mismatch, and what open_databases() throws.
Xapian::Database open_for_search(const SearchOptions& options, std::string* language);

}  // namespace newsidx
