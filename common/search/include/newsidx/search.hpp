// Search execution: a Searcher holds an open index set and checked options, and answers
// queries with ranked hits and snippets. Everything a search asks of Xapian's Enquire beyond
// the query goes through one seam, MatchSetup, where the news features attach: match spies
// (timelines, facets), the collapse key (near-duplicates), the sort order, posting-source
// boosts and relevance-set expansion (feedback, more-like-this). --recency is set up with the
// query (its boost is scaled to the query's best weight), not through MatchSetup::boosts.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newsidx/index_set.hpp"
#include "newsidx/options.hpp"
#include "newsidx/stored_record.hpp"
#include "newsidx/timeline.hpp"

namespace newsidx {

class QueryBuilder;
struct BuiltQuery;
struct TimelineDays;
namespace ranking {
class RankedQuery;
}

/// A snippet as plain text, with the [start, end) byte offsets of its highlighted words.
struct Snippet {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> highlights;
};


/// A search counts its matches exactly up to this many (so "about" means a real estimate).
inline constexpr Xapian::doccount kExactCountUpTo = 100000;
/// Beyond, a count is said to be "about" N only when Xapian's bounds keep it within this share
/// of N; otherwise it is "at least" the lower bound.
inline constexpr double kAboutWithin = 0.1;

/// How many times a search starts over when an indexer's commit overtakes it.
inline constexpr int kSearchAttempts = 5;

/// One article of a near-duplicate cluster, as --copies and the trail name it.
struct Copy {
    std::string date;  ///< YYYY-MM-DD
    std::string site;
    std::string url;
    std::string title;
    std::string path;
};

/// --collapse: a hit's cluster. "First" is the earliest article (by date, then URL).
struct Trail {
    Xapian::doccount similar = 0;  ///< other articles of the cluster that match the query
    Xapian::doccount copies = 0;   ///< articles in the cluster, matching or not, the hit included
    Copy first;
    std::vector<std::string> also_on;  ///< the other sites it ran on, sorted
};

/// --kwic: one occurrence of the query's words with the words around it, as written.
struct KwicLine {
    std::string left, keyword, right;
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
    std::string language;  ///< ISO 639-1 code (kLanguageSlot)
    Snippet snippet;
    std::string cluster;         ///< its near-duplicate cluster key (kClusterSlot)
    std::string first_url;       ///< --export: the URL of its cluster's first article
    std::optional<Trail> trail;  ///< with --collapse
    /// With --explain: its score as the sum of its parts (newsidx/ranking.hpp).
    std::vector<ScorePart> explanation;
    /// With --kwic N: every occurrence of the query's words in its title and text, N words on
    /// each side.
    std::vector<KwicLine> kwic;
};

/// How many values of a facet are shown, the most frequent first.
inline constexpr std::size_t kFacetTop = 20;

/// --facet: the matches counted per value of one field (all matches, not only a page).
struct Facet {
    struct Count {
        std::string value;
        Xapian::doccount count = 0;
        /// --share: the articles with this value that pass the same filters, matching or not
        /// (a site's own output); the share is count / all.
        Xapian::doccount all = 0;
    };
    std::string field;       ///< site, year or lang
    bool share = false;      ///< --share: each count has its `all`
    std::vector<Count> top;  ///< at most kFacetTop, most matches first, then by value
    std::size_t values = 0;  ///< how many distinct values the matches have
};

/// --significant: a word that sets the matching stories apart.
struct SignificantWord {
    std::string word;                 ///< as the matching articles most often write it
    std::string term;                 ///< its index term (a stem)
    Xapian::doccount count = 0;       ///< matching stories that have it
    Xapian::doccount others = 0;      ///< other stories that have it
    double score = 0;                 ///< by Significance::scoring
};

/// --significant: the words, best first, and what they were counted against. Stories count
/// once (a cluster of copies is read as its first article).
struct Significance {
    std::string scoring;           ///< llr (log-likelihood), jlh or xapian (expand weights)
    std::string against;           ///< "rest" or "previous"
    std::string period;            ///< with "previous", that period: "YYYY-MM-DD..YYYY-MM-DD"
    Xapian::doccount stories = 0;  ///< the matching stories
    Xapian::doccount others = 0;   ///< the other stories with the same filters, or the
                                   ///< matching stories of the period before
    std::vector<SignificantWord> words;
};

/// --origin: an article that carries a passage, in full or in part.
struct Carrier {
    Copy article;
    double coverage = 0;  ///< the share of the passage's word runs (kOriginRun words) it has
    bool whole = false;   ///< it has every one: the whole passage
    std::string cluster;  ///< its near-duplicate cluster key (kClusterSlot)
    unsigned story = 0;   ///< 1 for the story of the first carrier, 2 for the next story, …
    bool copy_of_first = false;  ///< in the same cluster as the first carrier
};

/// --origin: who carried a passage, earliest first, and how it spread.
struct Origin {
    std::size_t words = 0;         ///< the passage's words
    std::size_t runs = 0;          ///< its runs of kOriginRun words (of all of them when shorter)
    std::vector<Carrier> carriers;  ///< by date, then URL: the first is where it appeared first
    struct Site {
        std::string site;
        std::string first;  ///< its first carrier's date, YYYY-MM-DD
        unsigned articles = 0, whole = 0;
    };
    std::vector<Site> sites;  ///< in the order each first carried it
    unsigned stories = 0;     ///< distinct clusters among the carriers
    bool capped = false;      ///< more than kMaxOriginCandidates articles had a run; the first read
};

/// --origin compares the passage with each article in runs of this many words ("shingles").
inline constexpr std::size_t kOriginRun = 5;
/// --origin: a passage of fewer words is refused; of more, only the first are compared.
inline constexpr std::size_t kMinOriginWords = 4, kMaxOriginWords = 400;
/// --origin reads at most this many candidate articles with a run of the passage.
inline constexpr Xapian::doccount kMaxOriginCandidates = 5000;
/// --origin: an article carries the passage when it has at least this share of its runs (a
/// stock phrase of a long passage is no carrying of it).
inline constexpr double kMinOriginShare = 0.25;

/// --compare: one more query's timeline, over the span of every query's.
struct Compared {
    std::string query;
    Timeline timeline;  ///< its total is the query's count (of stories with --collapse)
    std::string did_you_mean;  ///< as SearchResult::did_you_mean, for this query
    double elapsed_ms = 0;     ///< its search's time (counted into the result's too)
};

struct SearchResult {
    std::string query;
    Xapian::doccount total_estimate = 0;
    bool total_exact = false;  ///< total_estimate is the exact number of matches
    /// Not exact: whether the estimate is within kAboutWithin of the true count (Xapian's
    /// bounds say so); when not, only total_at_least is certain.
    bool total_about = false;
    Xapian::doccount total_at_least = 0;  ///< a lower bound (the count, when exact)
    double elapsed_ms = 0;
    std::vector<Hit> hits;
    std::string
        did_you_mean;  ///< a correction that finds many more articles (fewer than kFewHits found)
    std::vector<std::string> expansion;  ///< terms --expand added, best first
    /// The spies MatchSetup::spies made, in order, after they saw every match of the search.
    std::vector<std::shared_ptr<Xapian::MatchSpy>> spies;
    /// With MatchSetup::base_spies: the same spies, after they saw every article that passes the
    /// filters, matching the query or not.
    std::vector<std::shared_ptr<Xapian::MatchSpy>> base_spies;
    std::vector<Facet> facets;         ///< one per --facet, in the order asked
    std::optional<Timeline> timeline;  ///< with --timeline
    std::vector<Compared> compared;    ///< with --compare, in the order asked
    std::optional<Significance> significance;  ///< with --significant
    bool collapsed = false;            ///< --collapse: one hit per cluster; total counts clusters
    bool explained = false;            ///< --explain: each hit has its Hit::explanation
    Xapian::doccount articles = 0;     ///< --collapse: the matching articles, copies included
    /// --allow-partial: the remote shards left out ("HOST:PORT: why"); the answer is partial.
    std::vector<std::string> missing_shards;
    /// Where an index set answers otherwise than one index of the same articles would (near-
    /// duplicate clusters per shard, no spelling data from remote shards), a sentence each.
    std::vector<std::string> notes;
};

/// The seam: what one search run asks of Xapian's Enquire beyond the query. Features fill it
/// from their options; Searcher applies it in one place.
struct MatchSetup {
    SortOrder sort = SortOrder::Relevance;
    /// Keep one hit per value of this slot (e.g. schema::kClusterSlot.slot).
    std::optional<Xapian::valueno> collapse_key;
    /// Makers of spies that see every match (counts per value: timelines, facets). Each
    /// attempt of a search makes its own, so that a retry does not count twice; the spies of
    /// the attempt that answered come back in SearchResult::spies. With spies a search looks
    /// at every match, not only as many as an exact count up to kExactCountUpTo needs.
    std::vector<std::function<std::shared_ptr<Xapian::MatchSpy>()>> spies;
    /// --share: the first this many spies are also made to count, in a match of their own,
    /// every article that passes the query's filters (dates, site, language) without the
    /// query: SearchResult::base_spies.
    std::size_t base_spies = 0;
    /// --significant: the words that set the matches apart (SearchResult::significance).
    bool significant = false;
    /// More filters than the options': --compare's queries get those typed in the first.
    Xapian::Query filter;
    /// Extra weight from a caller's posting sources, each added with OP_AND_MAYBE.
    std::vector<std::shared_ptr<Xapian::PostingSource>> boosts;
};

/// Saved searches: a span of the index's changes (schema::kChanges). Each commit that writes
/// articles takes the next number and stamps it on them, with the number that first brought
/// each one's URL into the index.
struct ChangeWindow {
    std::uint64_t after = 0;     ///< the changes up to this one were checked before
    std::uint64_t upto = 0;      ///< the last change to check
    std::uint64_t baseline = 0;  ///< articles whose URL came by this change are not new
};

/// The index's identity and its last change (an index made again from nothing is another).
struct IndexChanges {
    std::string id;
    std::uint64_t last = 0;
    bool first_run = false;    ///< the index's first run is going: its articles are the archive
    std::uint64_t archive = 0;  ///< the last change of its first run, once it completed (or 0)
};

/// What --show, --copies and --like say of an article the index does not have: "no article
/// with the URL 'U' in the index" (or "from the file 'P'").
std::string no_article(const std::string& url_or_path);

class Searcher {
  public:
    /// Checks the options (throws Error(BadOption)) and opens options.db_paths (throws what
    /// IndexSet::open throws).
    explicit Searcher(SearchOptions options);

    /// Over an open index set. Checks the options.
    Searcher(SearchOptions options, IndexSet set);

    ~Searcher();

    // The query builder refers to the options and the index set: a Searcher stays put.
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// With --allow-partial: the remote shards left out ("HOST:PORT: why").
    const std::vector<std::string>& missing_shards() const { return set_.missing(); }
    /// What the answers of the index set leave out or count twice (IndexSet::notes()), and,
    /// for a set of several indexes, that near-duplicate copies are those of each index.
    std::vector<std::string> set_notes() const;

    /// Answers one query (options.query is ignored) with the MatchSetup the options ask for.
    /// Throws Error: BadQuery, or a failure of the index naming it; reopens and retries when
    /// an indexer's commit overtakes it.
    SearchResult search(const std::string& query);

    /// The same with the given setup: where a feature's spies, collapse key and boosts attach.
    SearchResult search(const std::string& query, const MatchSetup& setup);

    /// --show: the stored article with the URL `url_or_path` (one with "://"), or the one the
    /// index holds for the file at that path (a later file with the same URL may have it:
    /// its record's path says so); nullopt when there is none. Throws Error on a failure of
    /// the index.
    std::optional<StoredRecord> article(const std::string& url_or_path);

    /// --origin: the articles (that pass the options' filters) that carry `passage`, in full or
    /// in part, earliest first, with its spread over sites and stories. Throws Error(BadQuery)
    /// for a passage of fewer than kMinOriginWords words, and what search() throws.
    Origin origin(const std::string& passage);

    /// --copies: every article of the cluster of the article `url_or_path` names (as
    /// article() finds it), earliest first (by date, then URL); nullopt when there is none.
    std::optional<std::vector<Copy>> copies(const std::string& url_or_path);

    /// What the options ask of the match: the sort order, a spy per --facet (first, in the
    /// order of options.facets), then one for --timeline.
    MatchSetup match_setup() const;

    /// --export: every match of `query` in rank order (or the options' sort), handed to `emit`
    /// one at a time, without snippets; ignores the options' limit, offset and spies. Returns
    /// how many. Throws what search() throws.
    Xapian::doccount each_match(const std::string& query,
                                const std::function<void(const Hit&)>& emit);

    /// Saved searches: the index's id and last change. Throws Error(BadOption) for a set of
    /// several indexes (each has its own changes).
    IndexChanges changes();

    /// Saved searches: every match of `query` (with the options' filters) among the articles
    /// written by the changes in `window` whose URL came after its baseline, as each_match()
    /// makes them, started over when an indexer's commit overtakes it. Throws what search()
    /// throws.
    std::vector<Hit> new_matches(const std::string& query, const ChangeWindow& window);

    /// Saved searches: whether an article with one of `urls` that the index held by change
    /// `baseline` matches `query` (with the options' filters).
    bool baseline_matches(const std::string& query, const std::vector<std::string>& urls,
                          std::uint64_t baseline);

  private:
    // Whether `query` has a match that passes `filter` too.
    bool any_match(const std::string& query, const Xapian::Query& filter);
    // The first `count` matches of `built` in `sort` order (ranked as configure() sets up,
    // without the options' spies, collapse or boosts).
    Xapian::MSet first_matches(const Xapian::Database& db, const BuiltQuery& built, SortOrder sort,
                               Xapian::doccount count) const;
    // each_match() with `filter` added to the options' filters.
    Xapian::doccount each_match(const std::string& query, const Xapian::Query& filter,
                                const std::function<void(const Hit&)>& emit);
    // The document article() finds.
    std::optional<Xapian::docid> find(const std::string& url_or_path);
    // The query to run: options.like's (its terms go to `terms`) or the parsed `query`.
    BuiltQuery built_for(const std::string& query, std::vector<std::string>* terms = nullptr);
    BuiltQuery like_query(std::vector<std::string>* terms);
    SearchResult search_once(const std::string& query, const MatchSetup& setup);
    // `answer()`, started over (the index reopened) when an indexer's commit overtakes it.
    template <typename Answer>
    auto retried(Answer answer) -> decltype(answer());
    // One search run over `db` (the set's database, or one member's while a failure is traced).
    void answer(const Xapian::Database& db, const BuiltQuery& built, const MatchSetup& setup,
                SearchResult& out) const;
    // The page's hits, with snippets, trails and explanations as the options ask.
    void fill_hits(const Xapian::Database& db, const BuiltQuery& built,
                   const ranking::RankedQuery& ranked,
                   const std::vector<Xapian::MSetIterator>& page, SearchResult& out) const;
    // --kwic: the stems of the query's words (empty without --kwic), and a hit's lines.
    std::set<std::string> kwic_stems(const BuiltQuery& built) const;
    void add_kwic(Hit& hit, const StoredRecord& record, const std::string& analyzer,
                  const std::set<std::string>& stems) const;
    // The analyzer of a hit (its words were parsed and are stemmed with it); its document is
    // read only when the set has several analyzers.
    std::string analyzer_of_hit(const Xapian::MSetIterator& hit, const BuiltQuery& built) const;
    // --compare: the days the timeline of `query` counts, with the filters of the options and
    // `first_filter` (those typed in the first query), with --share the base `first` counted;
    // its "did you mean" to `out`.
    TimelineDays compared_days(const std::string& query, const SearchResult& first,
                               const Xapian::Query& first_filter, Compared& out);
    // The filters typed in `query` that narrow the whole of it, as --share's base has them;
    // empty when it has none.
    Xapian::Query typed_filters(const std::string& query);
    // --significant: the words of the matches of `built`, against the other stories or the
    // period before.
    Significance significance(const Xapian::Database& db, const BuiltQuery& built) const;
    // --share: the first setup.base_spies spies, made afresh into out.base_spies, over every
    // article that passes the filters of `built`, matching its query or not.
    void count_base(const Xapian::Database& db, const BuiltQuery& built, const MatchSetup& setup,
                    SearchResult& out) const;
    // What the answer of the set leaves out or counts otherwise than one index.
    std::vector<std::string> answer_notes(const Xapian::Database& db, const BuiltQuery& built,
                                          bool looked_for_spelling, Xapian::doccount matches,
                                          const SearchResult& out) const;
    // Sets up `enquire` for `built` with the options and `setup`: weighting, feedback
    // (expansion terms go to `out`), recency, boosts, filters, sort, collapse key, and the
    // setup's spies (made fresh into `out.spies`). Returns the ranked query it runs.
    ranking::RankedQuery configure(Xapian::Enquire& enquire, const Xapian::Database& db,
                                   const BuiltQuery& built, const MatchSetup& setup,
                                   SearchResult& out) const;

    SearchOptions options_;
    Filters filters_;
    // When the set has remote shards, the time opening it took (waiting for a silent shard up
    // to --timeout): counted into the first answer's elapsed_ms, which the wait delayed.
    double opening_ms_ = 0;
    IndexSet set_;
    std::unique_ptr<QueryBuilder> builder_;
};

/// Checks the options, opens the indexes and answers options.query.
SearchResult search(const SearchOptions& options);

}  // namespace newsidx
