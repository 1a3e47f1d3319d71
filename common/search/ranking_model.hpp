// The ranking module's computations (its parameters and the table of what each part adds are in
// newsidx/ranking.hpp): the weighting scheme, the ranked query assembled from named parts, each
// part of the evidence, feedback, recency, percentages, snippet weights, and --explain. Nothing
// else in newsidx weighs a term.
#pragma once

#include <xapian.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "newsidx/options.hpp"
#include "newsidx/ranking.hpp"
#include "schema.hpp"

namespace newsidx::ranking {

/// The terms that stand for words an article is about: unprefixed words of the text only (not
/// title-field or boolean terms), none of the query's own and no stop word of the index's
/// languages (feedback on news would otherwise add "is" and "have", which every top hit has).
/// Feedback's expansion terms, and --significant's words.
class ExpansionTerms {
  public:
    ExpansionTerms(const Xapian::Query& own, const std::vector<std::string>& analyzers);
    bool operator()(const std::string& term) const {
        return !term.empty() && schema::prefix_of(term) == nullptr && !own_.count(term);
    }

  private:
    std::set<std::string> own_;
};

// The constants no option changes (newsidx/ranking.hpp's table says what each part adds).
inline constexpr Xapian::doccount kFeedbackDocuments = 10;  ///< --expand: the top hits it reads
inline constexpr double kFeedbackWeight = 0.3;  ///< their terms against the query's (RM3-like)
inline constexpr std::size_t kMaxProximityTerms = 6;  ///< --proximity: queries of 2 to 6 words,
inline constexpr Xapian::termcount kOrderedWindow = 3;    ///< pairs within 3 in order (W),
inline constexpr Xapian::termcount kUnorderedWindow = 8;  ///< within 8 in any order (U)
/// The character-pair fallback weighs this share of the words' own: an article found only
/// through the pairs ranks below those that have the words.
inline constexpr double kCharPairWeight = 0.5;
inline constexpr double kRecencyShare = 0.5;
/// --recency: a boost below this share of the best weight for every match changes no rank
/// worth the name; the answer says so.
inline constexpr double kRecencyNoEffect = 0.001;  ///< --recency: a fresh article's share of the best
inline constexpr unsigned kLikeTerms = 25;    ///< --like: the article's best terms (an ESet)
/// A query word's weight in a snippet, times its idf: about BM25's bound for a word at the
/// default k1 (k1 + 1).
inline constexpr double kSnippetWordWeight = 3.0;

/// BM25's inverse document frequency as Xapian 1.4's BM25Weight computes it without a
/// relevance set: log((N - n + 0.5) / (n + 0.5)), with a ratio r below 2 taken as r / 2 + 1 so
/// that no word weighs less than nothing.
double bm25_idf(double documents, double with_term);

/// log(N/df): a term's idf in the whole set of `documents` articles, `with_term` of which have
/// it (0 for a term no article has). Snippets and percentages weigh terms by it, the same in
/// every layout of the set; the counts come from a match's statistics.
double set_idf(double documents, Xapian::doccount with_term);

/// The weighting scheme of the options' BM25 parameters.
Xapian::BM25Weight bm25(const SearchOptions& options);

/// One named part of a ranked query: what it adds to a hit's score is the weight `query` has
/// alone on that hit (its context, the language filter and scale, included).
struct Part {
    std::string kind;    ///< as ScorePart::part
    std::string detail;  ///< as ScorePart::detail
    Xapian::Query query;
    /// The words a user typed: explained term by term (BM25 per word, phrases and wildcards as
    /// one), not as one part.
    bool by_term = false;
    /// Xapian's OP_PHRASE or OP_NEAR (the proximity evidence on a set with a remote shard):
    /// added last, outermost, as the only optional part of an AND_MAYBE of its own (with its
    /// language's filter and scale). Beside other optional parts (also those of an AND_MAYBE
    /// nested in a FILTER or an AND, which Xapian 1.4 gathers into one OR), it matches some
    /// articles outside its window; there, it matches exactly (tested against the posting
    /// source that reads the positions itself).
    bool positional = false;
};

/// A ranked query assembled from parts, so that a hit's score can be told as their sum: each
/// step wraps the query so far (Xapian weighs OR and AND_MAYBE as the sum of the branches that
/// match, FILTER's right side as nothing).
class RankedQuery {
  public:
    RankedQuery() = default;
    /// The words a user typed, as parsed (or, with `kind` "like", the terms of --like):
    /// explained term by term.
    explicit RankedQuery(Xapian::Query words, std::string kind = "bm25");

    /// The query to run: what the steps built, kept to the articles `filter` matches (when
    /// not empty), and then each positional part (Part::positional) as the only optional part
    /// of an AND_MAYBE of its own, outermost: an AND_MAYBE inside a FILTER or an AND shares its
    /// optional parts with the others there (Xapian 1.4), so the filter goes inside.
    Xapian::Query query(const Xapian::Query& filter = Xapian::Query()) const;
    const std::vector<Part>& parts() const { return parts_; }
    bool empty() const { return query_.empty(); }

    /// Weight for the hits that match them, no hit added: AND_MAYBE of the query and `parts`.
    void add_bonuses(std::vector<Part> parts);
    void add_bonus(Part part);
    /// Hits and weight: OR of the query and `part`.
    void add_alternative(Part part);
    /// Only the articles indexed with the analyzer term `analyzer_term` (XA...), scaled by
    /// `scale` (below 1) — one language's parse of a query in an index of several.
    RankedQuery within(const std::string& analyzer_term, double scale) const;
    /// The OR of several (one language's parse each), their parts together.
    static RankedQuery any_of(std::vector<RankedQuery> queries);

  private:
    Xapian::Query query_;
    std::vector<Xapian::Query> positional_;  // the positional parts' queries, added last
    std::vector<Part> parts_;
};

/// Evidence beyond each word's own BM25 weight, for a ranked query of bare words: the
/// all-words bonus (when `all_words`), proximity, title words. With `remote`, only what a
/// remote shard's server runs (Xapian's own query parts, no posting source of ours), with the
/// same weights. A topical query (`subject`) gets no all-words bonus and its name's
/// (--topical's W). `all_words_left_out` is set when a remote set left the all-words bonus
/// out (more than options.remote_all_words articles have every word).
std::vector<Part> evidence(const Xapian::Query& words, const Xapian::Database& db,
                           const SearchOptions& options, bool all_words, bool subject,
                           bool remote, bool* all_words_left_out = nullptr);

/// The scale of one language's parse in an index of several (the table's language scale).
/// With `remote`, the frequencies are asked for in one match (frequencies()).
double language_scale(const Xapian::Database& db, const Xapian::Query& words,
                      const std::string& analyzer_term, bool remote);

/// The frequency of each of `terms` in the whole of `db`. On a set with a `remote` shard, from
/// one match that asks for no documents: each member answers the statistics of all of them in
/// one exchange, where asking term by term is a round trip per term and remote member. Locally,
/// a lookup each, which is cheaper than the match's postlists.
std::vector<Xapian::doccount> frequencies(const Xapian::Database& db,
                                          const std::vector<std::string>& terms, bool remote);

/// The character-pair fallback of Chinese, Japanese and Korean bare words: the articles that
/// have all the adjacent pairs of a token's characters (the dictionary may split the same
/// characters otherwise in the article than in the query). `tokens`: the query's tokens,
/// folded, before segmentation. Nothing when no token has such characters.
void add_char_pairs(RankedQuery& ranked, const std::vector<std::string>& tokens);

/// What the ranking needs to know of the set it searches beyond its database: where it asks
/// for statistics in batches, and which analyzers' stop words an expansion leaves out.
struct SetInfo {
    /// A member is a remote shard: statistics are asked for in one match, not term by term (a
    /// round trip per term and shard).
    bool remote = false;
    /// The set's analyzers; empty: read from the database (its XA terms).
    std::vector<std::string> analyzers;
    /// Each member's own database, in the set's order (IndexSet::parts()): with `remote`,
    /// what is read document by document (feedback's termlists) is read from each member at
    /// once, a round trip per document and member otherwise following one another.
    const std::vector<Xapian::Database>* parts = nullptr;
};

/// The exact-title and written-title terms of `query` that some article of `db` has (a query
/// that repeats an article's title, word for word or as written); none with --title-boost 0.
std::vector<std::string> title_terms(const std::string& query, const Xapian::Database& db,
                                     const SearchOptions& options, const SetInfo& set);
/// Adds each of `terms` with --title-boost's weight.
void add_title_boosts(RankedQuery& ranked, const std::vector<std::string>& terms,
                      const SearchOptions& options);

/// A term of a relevance set's expansion, with its weight.
struct ExpansionTerm {
    std::string term;
    double weight = 0;
};

/// The `count` best unprefixed terms of the documents `relevant` (at most kFeedbackDocuments or
/// so), by Xapian's ESet weight ("trad", k = 1) with the exact frequencies of the whole of `db`,
/// best first, leaving out the terms of `own` and the stop words of the index's languages; with
/// `shared_only`, also the terms no other article has. As Enquire::get_eset with
/// USE_EXACT_TERMFREQ, but the frequencies come from one match (one exchange per member of a
/// set) instead of one call per term, which is a round trip per remote member.
std::vector<ExpansionTerm> expansion_terms(const Xapian::Database& db,
                                           const std::vector<Xapian::docid>& relevant,
                                           const Xapian::Query& own, unsigned count,
                                           bool shared_only, const SetInfo& set = {});

/// Relevance-set expansion, shared by pseudo-relevance feedback and more-like-this: the
/// expansion_terms() of `relevant` as an OR query weighted by `weight`; empty when there are
/// none. `added`, when given, receives the terms, best first. With `by_eset_weight` each term's
/// weight is also scaled by its ESet weight (relative to the best), so the article's most
/// telling terms count most, and terms no other article of `db` has are left out
/// (more-like-this).
Xapian::Query expansion_query(const Xapian::Database& db, const std::vector<Xapian::docid>& relevant,
                              const Xapian::Query& own, unsigned count, double weight,
                              const SetInfo& set, std::vector<std::string>* added = nullptr,
                              bool by_eset_weight = false);

/// --like: the kLikeTerms best terms of the article `did`, weighed by how telling each is.
Xapian::Query like_query(const Xapian::Database& db, Xapian::docid did, const SetInfo& set,
                         std::vector<std::string>* added);

/// Whether a parse of bare words names a subject rather than one story (--topical P,M): two or
/// more words that at least P articles have as a phrase (a word between them allowed: the stop
/// words the parse left out), or at least M have all. A match or two, counting stops at P or M.
/// Counted over the whole index, filters aside: the kind of a query is its words'.
bool is_topical(const Xapian::Database& db, const Xapian::Query& words,
                const SearchOptions& options);
/// Whether a query gets feedback: ranked bare words (ORed with --all, a field or an exclusion,
/// the added terms would bring in the articles those keep out), at least W of them.
/// A topical query (is_topical()) gets it whatever its length, and only as weight for the
/// articles that have its words (no hit added: its count stays its words'); a long query's
/// terms also find articles of their own.
bool wants_feedback(const SearchOptions& options, bool bare_words, std::size_t words,
                    bool topical);
/// Pseudo-relevance feedback (--expand N,W): the best terms of the top kFeedbackDocuments
/// hits of `ranked` (`filter` applied) join it, weighed kFeedbackWeight. The caller decides it
/// applies (wants_feedback()). `enquire` is set up with the weighting scheme; `added`
/// receives the terms.
void add_feedback(RankedQuery& ranked, Xapian::Enquire& enquire, const Xapian::Database& db,
                  const Xapian::Query& filter, const SearchOptions& options, bool topical,
                  const SetInfo& set, std::vector<std::string>* added);

/// --recency: a boost by publication day that halves every options.recency_days days from
/// `now` (YYYYMMDD), scaled to the best weight the query has among its matches (`filter`
/// applied); nothing when no match weighs anything.
/// When the boost is below kRecencyNoEffect of the best weight for every match, `notes` gets
/// a note saying so.
void add_recency(RankedQuery& ranked, Xapian::Enquire& enquire, const Xapian::Database& db,
                 const Xapian::Query& filter, const std::string& now, double half_life,
                 std::vector<std::string>* notes = nullptr);

/// Percentages as Xapian makes them (a hit's weight relative to the best one's, times the
/// share of the query the best one matches), counting only the words of the best hit's own
/// parse (`terms_by_analyzer`: each analyzer's terms; empty: every weighted term of the query)
/// and weighing each by its idf in the whole set: what a score is multiplied by for its
/// percentage (percent_of()). `best` holds the match of greatest weight. Xapian's own
/// percentages stand when nullopt (no weight, no words). `analyzer`: the best hit's.
std::optional<double> percent_scale(
    const Xapian::Enquire& enquire, const Xapian::Database& db, const Xapian::MSet& best,
    const std::map<std::string, std::vector<std::string>>& terms_by_analyzer,
    const std::string& analyzer);
/// A score's percentage, 1 to 100.
int percent_of(double score, double scale);

/// The match set whose term weights MSet::snippet weighs the words of `words` by: each word's
/// idf (log N/df over the whole set) times kSnippetWordWeight, the same on one index and on any
/// set of shards.
Xapian::MSet snippet_weights(const Xapian::Database& db, const Xapian::Query& words);

/// --explain: the score of the article with the id term `id_term` under `ranked` (filters
/// aside), as the weights of its parts, the words' part broken into its terms; they add up to
/// the hit's score. Empty when the article does not match.
std::vector<ScorePart> explain(const Xapian::Database& db, const SearchOptions& options,
                               const RankedQuery& ranked, const std::string& id_term);

}  // namespace newsidx::ranking
