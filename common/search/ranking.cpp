#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "all_words.hpp"
#include "analyzer.hpp"
#include "calendar.hpp"
#include "article.hpp"
#include "document.hpp"
#include "newsidx/index_set.hpp"
#include "ranking_model.hpp"
#include "schema.hpp"

namespace newsidx::ranking {

double bm25_idf(double documents, double with_term) {
    double ratio = (documents - with_term + 0.5) / (with_term + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;
    return std::log(ratio);
}

double set_idf(double documents, Xapian::doccount with_term) {
    return with_term ? std::log(documents / with_term) : 0.0;
}

std::vector<Xapian::doccount> frequencies(const Xapian::Database& db,
                                          const std::vector<std::string>& terms, bool remote) {
    std::vector<Xapian::doccount> out;
    if (terms.empty()) return out;
    if (!remote) {
        out.reserve(terms.size());
        for (const std::string& term : terms) out.push_back(db.get_termfreq(term));
        return out;
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet stats = enquire.get_mset(0, 0, Xapian::doccount{0});
    out.reserve(terms.size());
    for (const std::string& term : terms) out.push_back(stats.get_termfreq(term));
    return out;
}

Xapian::BM25Weight bm25(const SearchOptions& options) {
    return Xapian::BM25Weight(options.bm25_k1, 0, 1, options.bm25_b, options.bm25_min_length);
}

// ---- the ranked query ----------------------------------------------------------------------

RankedQuery::RankedQuery(Xapian::Query words, std::string kind) : query_(std::move(words)) {
    parts_.push_back({std::move(kind), "", query_, true});
}

Xapian::Query RankedQuery::query(const Xapian::Query& filter) const {
    Xapian::Query out =
        filter.empty() ? query_ : Xapian::Query(Xapian::Query::OP_FILTER, query_, filter);
    for (const Xapian::Query& p : positional_)
        out = Xapian::Query(Xapian::Query::OP_AND_MAYBE, out, p);
    return out;
}

void RankedQuery::add_bonuses(std::vector<Part> parts) {
    if (parts.empty()) return;
    std::vector<Xapian::Query> branches{query_};
    for (const Part& p : parts)
        (p.positional ? positional_ : branches).push_back(p.query);
    if (branches.size() > 1)
        query_ = Xapian::Query(Xapian::Query::OP_AND_MAYBE, branches.begin(), branches.end());
    for (Part& p : parts) parts_.push_back(std::move(p));
}

void RankedQuery::add_bonus(Part part) { add_bonuses({std::move(part)}); }

void RankedQuery::add_alternative(Part part) {
    query_ = Xapian::Query(Xapian::Query::OP_OR, query_, part.query);
    parts_.push_back(std::move(part));
}

RankedQuery RankedQuery::within(const std::string& analyzer_term, double scale) const {
    const auto wrap = [&](const Xapian::Query& q) {
        Xapian::Query out(Xapian::Query::OP_FILTER, q, Xapian::Query(analyzer_term));
        return scale < 1 ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, out, scale) : out;
    };
    RankedQuery out;
    out.query_ = wrap(query_);
    for (const Xapian::Query& p : positional_) out.positional_.push_back(wrap(p));
    const std::string language(analyzer_term.substr(schema::kAnalyzer.prefix.size()));
    for (const Part& p : parts_) {
        Part q = p;
        q.query = wrap(p.query);
        char scaled[32] = "";
        if (scale < 1) std::snprintf(scaled, sizeof scaled, " x%.3g", scale);
        if (!q.detail.empty()) q.detail += ' ';
        q.detail += "(" + language + scaled + ")";
        out.parts_.push_back(std::move(q));
    }
    return out;
}

RankedQuery RankedQuery::any_of(std::vector<RankedQuery> queries) {
    if (queries.size() == 1) return std::move(queries.front());
    RankedQuery out;
    std::vector<Xapian::Query> branches;
    for (RankedQuery& q : queries) {
        branches.push_back(q.query_);
        for (Xapian::Query& p : q.positional_) out.positional_.push_back(std::move(p));
        for (Part& p : q.parts_) out.parts_.push_back(std::move(p));
    }
    out.query_ = Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
    return out;
}

// ---- evidence --------------------------------------------------------------------------------

namespace {

Part scaled(std::string kind, std::string detail, Xapian::Query query, double weight) {
    return {std::move(kind), std::move(detail),
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, std::move(query), weight)};
}

// The terms of `query` in query order, each once.
std::vector<std::string> distinct_terms(const Xapian::Query& query) {
    std::vector<std::string> terms;
    for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t)
        if (std::find(terms.begin(), terms.end(), *t) == terms.end()) terms.push_back(*t);
    return terms;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

// The all-words evidence on a set with a remote shard: a server runs no posting source of
// ours, and one search has one weighting scheme, so the client weighs the articles with every
// word first (a match of the words' AND under BM25 with the all-words normalisation, the
// source's exact weights) and hands the servers those weights by each article's order value
// (Xapian's ValueMapPostingSource, which a server knows). Nullopt when more than
// options.remote_all_words articles have every word; the bonus is then left out, and the answer
// says so.
std::optional<Part> remote_all_words_part(const std::vector<std::string>& words,
                                          const Xapian::Database& db,
                                          const SearchOptions& options) {
    const std::vector<Xapian::Query> all(words.begin(), words.end());
    const Xapian::Query every(Xapian::Query::OP_AND, all.begin(), all.end());
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight(options.bm25_k1, 0, 1, options.all_words_b,
                                                    options.bm25_min_length));
    enquire.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, every, options.all_words));
    // The sort key of a hit is then its order value, read without fetching the article.
    enquire.set_sort_by_relevance_then_value(schema::kOrderSlot.slot, false);
    const Xapian::doccount most = options.remote_all_words;
    const Xapian::MSet weighed = enquire.get_mset(0, most, most + 1);
    if (weighed.get_matches_lower_bound() > weighed.size()) return std::nullopt;
    auto source = std::make_unique<Xapian::ValueMapPostingSource>(schema::kOrderSlot.slot);
    for (auto it = weighed.begin(); it != weighed.end(); ++it)
        source->add_mapping(it.get_sort_key(), it.get_weight());
    source->set_default_weight(0);
    return Part{"all-words", joined(words),
                Xapian::Query(Xapian::Query::OP_FILTER,
                              Xapian::Query(source.release()->release()), every)};
}

// An article with every word, weighed by a source of its own: its length normalisation is not
// the ranking's (docs/architecture.md).
std::optional<Part> all_words_part(const std::vector<std::string>& words,
                                   const Xapian::Database& db, const SearchOptions& options,
                                   bool remote) {
    if (remote) return remote_all_words_part(words, db, options);
    return Part{"all-words", joined(words),
                Xapian::Query((new detail::AllWordsSource(
                                   db, words,
                                   {options.bm25_k1, options.all_words_b, options.bm25_min_length},
                                   options.all_words))
                                  ->release())};
}

// Two consecutive words near each other, weighed as Xapian weighs a phrase (the sum of its
// words' BM25 weights). Locally by a source that reads the positions itself; on a set with a
// remote shard by Xapian's OP_PHRASE or OP_NEAR, in an AND_MAYBE of its own (Part::positional):
// the same articles, the same weights.
Part proximity_part(const std::string& a, const std::string& b, Xapian::termpos span, bool ordered,
                    double weight, const Xapian::Database& db, const SearchOptions& options,
                    bool remote) {
    const std::string detail = a + (ordered ? " then " : " near ") + b;
    if (remote) {
        const std::array<Xapian::Query, 2> pair{Xapian::Query(a), Xapian::Query(b)};
        Part part = scaled("proximity", detail,
                           Xapian::Query(ordered ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_NEAR,
                                         pair.begin(), pair.end(), span),
                           weight);
        part.positional = true;
        return part;
    }
    return {"proximity", detail,
            Xapian::Query((new detail::AllWordsSource(
                               db, {a, b}, {options.bm25_k1, options.bm25_b, options.bm25_min_length},
                               weight, {span, ordered}))
                              ->release())};
}

}  // namespace

// Evidence beyond each word's own BM25 weight, for a ranked query of bare words (its parse
// ORs them): an article with every word (--all-words), with consecutive words near each other
// (--proximity, a sequential-dependence model), with the words in its title (--title-words).
// Xapian 1.4 weighs a phrase as the sum of its words' weights in the article, so the proximity
// and title bonuses are scaled copies of those; the all-words bonus weighs for itself, with a
// length normalisation of its own (AllWordsSource). Each leaf is weighed with its own wqf, so a
// copy weighs what the word does in the parse.
std::vector<Part> evidence(const Xapian::Query& words_query, const Xapian::Database& db,
                           const SearchOptions& options, bool all_words, bool subject,
                           bool remote, bool* all_words_left_out) {
    const std::vector<std::string> words = distinct_terms(words_query);
    std::vector<Part> parts;
    if (all_words && options.all_words > 0 && words.size() >= 2 &&
        words.size() <= options.max_all_words_terms) {
        if (auto part = all_words_part(words, db, options, remote))
            parts.push_back(std::move(*part));
        else if (all_words_left_out)
            *all_words_left_out = true;
    }
    // A subject's name: its words in order, near each other (--topical's W).
    const double ordered = options.ordered_proximity + (subject ? options.topical_name : 0);
    if (words.size() >= 2 && words.size() <= kMaxProximityTerms)
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            if (ordered > 0)
                parts.push_back(proximity_part(words[i], words[i + 1], kOrderedWindow, true,
                                               ordered, db, options, remote));
            if (options.unordered_proximity > 0)
                parts.push_back(proximity_part(words[i], words[i + 1], kUnorderedWindow, false,
                                               options.unordered_proximity, db, options, remote));
        }
    if (options.title_words > 0 && !words.empty()) {
        std::vector<Xapian::Query> in_title;
        for (const std::string& w : words)
            in_title.emplace_back(std::string(schema::kTitle.prefix) + w);
        // Explained by the words the article's title has.
        Part title = scaled("title words", "",
                            Xapian::Query(Xapian::Query::OP_OR, in_title.begin(), in_title.end()),
                            options.title_words);
        title.by_term = true;
        parts.push_back(std::move(title));
    }
    return parts;
}

// Xapian weighs a word by how rare it is in the whole index, but an article matches only its
// own language's parse: a stem that every one of 13 pages in a minority language has (a title
// word the English analyzer leaves whole in Arabic text) is rare in the index and would outrank
// the real matches of the majority. Each parse is scaled by the ratio of its words' weights
// within its language's articles to their weights in the whole index (at most 1), which is what
// BM25 would give if each language were an index of its own.
double language_scale(const Xapian::Database& db, const Xapian::Query& words,
                      const std::string& analyzer_term, bool remote) {
    const double documents = db.get_doccount();
    std::vector<std::string> terms{analyzer_term};
    for (auto it = words.get_unique_terms_begin(); it != words.get_unique_terms_end(); ++it)
        if (schema::is_text_term(*it)) terms.push_back(*it);
    const std::vector<Xapian::doccount> freq = frequencies(db, terms, remote);
    const double own_documents = freq[0];
    if (own_documents <= 0 || own_documents >= documents) return 1;
    double whole = 0, own = 0;
    for (std::size_t i = 1; i < terms.size(); ++i) {
        const std::string& term = terms[i];
        const double with_term = freq[i];
        if (with_term == 0) continue;
        Xapian::Enquire count(db);
        count.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term),
                                      Xapian::Query(analyzer_term)));
        count.set_weighting_scheme(Xapian::BoolWeight());
        const double own_with_term =
            count.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
        whole += bm25_idf(documents, with_term);
        own += bm25_idf(own_documents, own_with_term);
    }
    return whole > 0 ? std::min(1.0, own / whole) : 1.0;
}

// Chinese, Japanese and Korean typed as bare words also match, at a lower weight, the articles
// that have all their character pairs: the dictionary may split the same characters otherwise
// in the article (北京大学 in 北京|大学生) than in the query, and Korean particles stick to their
// words (서울에서).
void add_char_pairs(RankedQuery& ranked, const std::vector<std::string>& tokens) {
    std::vector<Xapian::Query> fallbacks;
    std::vector<std::string> shown;
    for (const std::string& token : tokens) {
        std::vector<Xapian::Query> pairs;
        for (const std::string& pair : han_pairs(token))
            pairs.emplace_back(std::string(schema::kCharPair.prefix) + pair);
        if (pairs.empty()) continue;
        fallbacks.emplace_back(Xapian::Query::OP_AND, pairs.begin(), pairs.end());
        shown.push_back(token);
    }
    if (fallbacks.empty()) return;
    ranked.add_alternative(
        scaled("character pairs", joined(shown),
               Xapian::Query(Xapian::Query::OP_OR, fallbacks.begin(), fallbacks.end()),
               kCharPairWeight));
}

// A query that repeats a title word for word also scores the exact-title term, so that a pasted
// headline finds its article first even among near-identical twins; one that repeats it as
// written, punctuation and all, scores the written-title term too (twins whose titles differ
// only in quotes or brackets). Only terms some article has: an unmatched term would lower every
// hit's percentage.
std::vector<std::string> title_terms(const std::string& query, const Xapian::Database& db,
                                     const SearchOptions& options, const SetInfo& set) {
    std::vector<std::string> terms;
    if (options.title_boost <= 0) return terms;
    std::vector<std::string> asked;
    for (const std::string& term : {exact_title_term(query), written_title_term(query)})
        if (!term.empty()) asked.push_back(term);
    // Both in one match: with a remote shard, a question each is a round trip per shard.
    const std::vector<Xapian::doccount> freq = frequencies(db, asked, set.remote);
    for (std::size_t i = 0; i < asked.size(); ++i)
        if (freq[i] > 0) terms.push_back(asked[i]);
    return terms;
}

void add_title_boosts(RankedQuery& ranked, const std::vector<std::string>& terms,
                      const SearchOptions& options) {
    for (const std::string& term : terms) {
        const bool exact = term.rfind(schema::kExactTitle.prefix, 0) == 0;
        ranked.add_bonus(scaled(exact ? "exact title" : "written title", "", Xapian::Query(term),
                                options.title_boost));
    }
}

// ---- feedback, more-like-this, recency -------------------------------------------------------

ExpansionTerms::ExpansionTerms(const Xapian::Query& own, const std::vector<std::string>& analyzers)
    : own_(own.get_unique_terms_begin(), own.get_unique_terms_end()) {
    for (const std::string& analyzer : analyzers) own_.merge(Analyzer(analyzer).stop_terms());
}

namespace {

// A relevant document's wanted terms with their wdf, and its length (the sum of every term's
// wdf).
struct DocTerms {
    std::vector<std::pair<std::string, Xapian::termcount>> terms;
    double length = 0;
};

DocTerms terms_of(const Xapian::Database& db, Xapian::docid did, const ExpansionTerms& wanted) {
    DocTerms out;
    for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
        out.length += t.get_wdf();
        if (wanted(*t)) out.terms.emplace_back(*t, t.get_wdf());
    }
    return out;
}

// The terms of each of `relevant`, in its order. With a remote member each member's documents
// are read in a thread of its own, from the member's own database (documents of a set are
// interleaved: document d is member (d - 1) % n's (d - 1) / n + 1).
std::vector<DocTerms> terms_of(const Xapian::Database& db,
                               const std::vector<Xapian::docid>& relevant,
                               const ExpansionTerms& wanted, const SetInfo& set) {
    std::vector<DocTerms> out(relevant.size());
    const std::vector<Xapian::Database>* parts = set.parts;
    if (!set.remote || !parts || parts->size() < 2 || parts->size() != db.size()) {
        for (std::size_t i = 0; i < relevant.size(); ++i)
            out[i] = terms_of(db, relevant[i], wanted);
        return out;
    }
    const std::size_t n = parts->size();
    std::vector<std::future<void>> reads;
    for (std::size_t k = 0; k < n; ++k) {
        const auto mine = [&, k](Xapian::docid did) { return (did - 1) % n == k; };
        if (std::none_of(relevant.begin(), relevant.end(), mine)) continue;
        reads.push_back(std::async(std::launch::async, [&, k, mine] {
            for (std::size_t i = 0; i < relevant.size(); ++i)
                if (mine(relevant[i]))
                    out[i] = terms_of((*parts)[k],
                                      static_cast<Xapian::docid>((relevant[i] - 1) / n + 1), wanted);
        }));
    }
    for (std::future<void>& read : reads) read.get();  // rethrows a member's error
    return out;
}

// What the relevance set says of one candidate term.
struct InRelevant {
    Xapian::doccount documents = 0;  // relevant documents that have it
    double multiplier = 0;           // the sum of their (k + 1) wdf / (k len / avlen + wdf)
};

}  // namespace

std::vector<ExpansionTerm> expansion_terms(const Xapian::Database& db,
                                           const std::vector<Xapian::docid>& relevant,
                                           const Xapian::Query& own, unsigned count,
                                           bool shared_only, const SetInfo& set) {
    // Xapian's ESet weight ("trad", k = 1) computed here, so that its statistics come in one
    // exchange per member rather than one round trip per term (Enquire::get_eset with
    // USE_EXACT_TERMFREQ asks each remote shard for each term's frequency in turn).
    const ExpansionTerms wanted(own, set.analyzers.empty() ? analyzers_in(db) : set.analyzers);
    const double avlength = db.get_avlength() > 0 ? db.get_avlength() : 1;
    constexpr double k = 1;
    std::map<std::string, InRelevant> seen;
    for (const DocTerms& doc : terms_of(db, relevant, wanted, set)) {
        for (const auto& [term, in_doc] : doc.terms) {
            const double wdf = std::max<Xapian::termcount>(in_doc, 1);
            InRelevant& r = seen[term];
            ++r.documents;
            r.multiplier += (k + 1) * wdf / (k * doc.length / avlength + wdf);
        }
    }
    std::vector<std::string> candidates;
    candidates.reserve(seen.size());
    for (const auto& entry : seen) candidates.push_back(entry.first);
    const std::vector<Xapian::doccount> freq = frequencies(db, candidates, set.remote);
    const double documents = db.get_doccount(), rsize = relevant.size();
    // Kept as Xapian keeps them: terms in ascending order, each that weighs more than the
    // worst kept so far joins, and past `count` the worst goes (of equal weights, the earlier
    // term), so that ties at the cut fall as get_eset's do.
    const auto better = [](const ExpansionTerm& a, const ExpansionTerm& b) {
        return a.weight != b.weight ? a.weight > b.weight : a.term > b.term;
    };
    std::vector<ExpansionTerm> out;
    double least = 0;
    std::size_t i = 0;
    for (auto it = seen.begin(); it != seen.end(); ++it, ++i) {
        if (shared_only && freq[i] <= 1) continue;  // no other article can match it
        const InRelevant& r = it->second;
        const double without = rsize - r.documents;  // relevant documents without it
        const double weight =
            r.multiplier * std::log((r.documents + 0.5) * (documents - freq[i] - without + 0.5) /
                                    ((freq[i] - r.documents + 0.5) * (without + 0.5)));
        if (!(weight > least)) continue;
        out.push_back({it->first, weight});
        std::push_heap(out.begin(), out.end(), better);  // the worst at the front
        if (out.size() > count) {
            std::pop_heap(out.begin(), out.end(), better);
            out.pop_back();
            least = out.front().weight;
        }
    }
    std::sort(out.begin(), out.end(), better);  // best first
    return out;
}

namespace {

// --recency: a weight per publication day, `top` * kRecencyShare * 0.5^(age / half_life), age
// in days from `now` (either way: a --now in the past favours its own days); one entry per day
// the index has (its D terms).
Xapian::PostingSource* recency_source(const Xapian::Database& db, const std::string& now,
                                      double half_life, double top) {
    auto* source = new Xapian::ValueMapPostingSource(schema::kDateSlot.slot);
    const long today = calendar::day_number(now).value_or(0);
    const std::string prefix(schema::kDay.prefix);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        const std::string day = (*t).substr(prefix.size());
        const auto number = calendar::day_number(day);
        if (!number) continue;
        const double age = static_cast<double>(std::labs(today - *number));
        source->add_mapping(day, top * kRecencyShare * std::pow(0.5, age / half_life));
    }
    source->set_default_weight(0);
    return source->release();  // the query that holds it deletes it
}

}  // namespace

Xapian::Query expansion_query(const Xapian::Database& db, const std::vector<Xapian::docid>& relevant,
                              const Xapian::Query& own, unsigned count, double weight,
                              const SetInfo& set, std::vector<std::string>* added,
                              bool by_eset_weight) {
    const std::vector<ExpansionTerm> best =
        expansion_terms(db, relevant, own, count, by_eset_weight, set);
    std::vector<Xapian::Query> terms;
    const double top = best.empty() ? 1 : best.front().weight;
    for (const ExpansionTerm& t : best) {
        if (by_eset_weight && top > 0)
            terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(t.term),
                               t.weight / top);
        else
            terms.emplace_back(t.term);
        if (added) added->push_back(t.term);
    }
    if (terms.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), weight);
}

Xapian::Query like_query(const Xapian::Database& db, Xapian::docid did,
                         const SetInfo& set, std::vector<std::string>* added) {
    // Its best terms, over a relevance set of one.
    return expansion_query(db, {did}, Xapian::Query(), kLikeTerms, 1, set, added, true);
}

namespace {

// Whether at least `wanted` articles match `query` (counting stops there).
bool at_least(const Xapian::Database& db, const Xapian::Query& query, Xapian::doccount wanted) {
    Xapian::Enquire count(db);
    count.set_query(query);
    count.set_weighting_scheme(Xapian::BoolWeight());
    return count.get_mset(0, 0, wanted).get_matches_lower_bound() >= wanted;
}

}  // namespace

// A subject has a name that many articles use ("orange juice", "International Cocoa
// Organisation": a phrase in at least P), or words that many have together ("oil iran": at
// least M); words a reader took from one story (a known-item query) are neither. The phrase
// may have a word between its words: the stop words the parse left out ("price of gold").
bool is_topical(const Xapian::Database& db, const Xapian::Query& words,
                const SearchOptions& options) {
    if (options.topical_phrase == 0 && options.topical_matches == 0) return false;
    std::vector<Xapian::Query> ordered;  // the words in query order, each once
    for (const std::string& term : distinct_terms(words))
        if (schema::is_text_term(term)) ordered.emplace_back(term);
    if (ordered.size() < 2) return false;
    if (options.topical_matches > 0 &&
        at_least(db, Xapian::Query(Xapian::Query::OP_AND, ordered.begin(), ordered.end()),
                 options.topical_matches))
        return true;
    return options.topical_phrase > 0 &&
           at_least(db,
                    Xapian::Query(Xapian::Query::OP_PHRASE, ordered.begin(), ordered.end(),
                                  2 * ordered.size() - 1),
                    options.topical_phrase);
}

bool wants_feedback(const SearchOptions& options, bool bare_words, std::size_t words,
                    bool topical) {
    return options.expand > 0 && bare_words && (topical || words >= options.expand_min_words);
}

void add_feedback(RankedQuery& ranked, Xapian::Enquire& enquire, const Xapian::Database& db,
                  const Xapian::Query& filter, const SearchOptions& options, bool topical,
                  const SetInfo& set, std::vector<std::string>* added) {
    // Relevance-set expansion from the top hits of the query as typed, filters applied.
    enquire.set_query(ranked.query(filter));
    const Xapian::MSet top = enquire.get_mset(0, kFeedbackDocuments);
    std::vector<Xapian::docid> relevant(top.begin(), top.end());
    if (relevant.empty()) return;
    const Xapian::Query more = expansion_query(db, relevant, ranked.query(), options.expand,
                                               kFeedbackWeight, set, added);
    // Explained by the added terms the article has. A subject's terms only reorder the
    // articles that have its words: "World Bank" counts the articles with those words, not
    // every one that has "loan".
    if (more.empty()) return;
    if (topical)
        ranked.add_bonus({"feedback", "", more, true});
    else
        ranked.add_alternative({"feedback", "", more, true});
}

namespace {

// The days from `now` to the match nearest to it (two passes, by date either way), or nullopt
// when there is no match.
std::optional<long> nearest_match_days(Xapian::Enquire& enquire, const Xapian::Query& query,
                                       const std::string& now) {
    const long today = calendar::day_number(now).value_or(0);
    std::optional<long> nearest;
    for (const bool later : {false, true}) {
        const Xapian::Query side(later ? Xapian::Query::OP_VALUE_GE : Xapian::Query::OP_VALUE_LE,
                                 schema::kDateSlot.slot, now);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, side));
        enquire.set_sort_by_value(schema::kDateSlot.slot, !later);
        const Xapian::MSet one = enquire.get_mset(0, 1);
        if (one.empty()) continue;
        const auto day = calendar::day_number(one.begin().get_document().get_value(
            schema::kDateSlot.slot));
        if (!day) continue;
        const long days = later ? *day - today : today - *day;
        if (!nearest || days < *nearest) nearest = days;
    }
    enquire.set_sort_by_relevance();
    return nearest;
}

}  // namespace

void add_recency(RankedQuery& ranked, Xapian::Enquire& enquire, const Xapian::Database& db,
                 const Xapian::Query& filter, const std::string& now, double half_life,
                 std::vector<std::string>* notes) {
    // Scaled to this query: the best BM25 weight among its matches (one more pass).
    const Xapian::Query query = ranked.query(filter);
    enquire.set_query(query);
    const Xapian::MSet best = enquire.get_mset(0, 1);
    if (best.empty() || best.begin().get_weight() <= 0 || now.size() != 8) return;
    // A boost that cannot move any rank is said, not silently added: every match is many
    // half-lives from `now` (an archive of 1987 and the default --now, a --now far off).
    const std::optional<long> nearest = nearest_match_days(enquire, query, now);
    if (notes && nearest &&
        kRecencyShare * std::pow(0.5, static_cast<double>(*nearest) / half_life) < kRecencyNoEffect)
        notes->push_back(NEWSIDX_OPT("recency") " changes no rank here: the nearest match is " +
                         std::to_string(*nearest) + " days from " + dashed_date(now) +
                         ", where the boost has halved " +
                         std::to_string(static_cast<long>(static_cast<double>(*nearest) / half_life)) +
                         " times (give " NEWSIDX_OPT("now") " a date among the matches, or more "
                         "days)");
    ranked.add_bonus({"recency", "from " + dashed_date(now),
                      Xapian::Query(recency_source(db, now, half_life, best.begin().get_weight()))});
}

// ---- percentages and snippets ----------------------------------------------------------------

std::optional<double> percent_scale(
    const Xapian::Enquire& enquire, const Xapian::Database& db, const Xapian::MSet& best,
    const std::map<std::string, std::vector<std::string>>& terms_by_analyzer,
    const std::string& analyzer) {
    if (best.empty() || best.begin().get_weight() <= 0) return std::nullopt;
    // A query with operators: every weighted term of the query counts (filters weigh nothing).
    const Xapian::Query& query = enquire.get_query();
    std::map<std::string, std::vector<std::string>> every{{"", {}}};
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t)
        if (const schema::Prefix* prefix = schema::prefix_of(*t); !prefix || !prefix->is_boolean)
            every[""].push_back(*t);
    const auto& parses = terms_by_analyzer.empty() ? every : terms_by_analyzer;
    // One parse is every article's.
    auto own = parses.size() == 1 ? parses.begin() : parses.find(analyzer);
    if (own == parses.end()) return std::nullopt;
    // The terms' frequencies are the match's own statistics (no round trip to a remote shard).
    const double documents = db.get_doccount();
    const auto idf = [&](const std::string& term) {
        return set_idf(documents, best.get_termfreq(term));
    };
    double total = 0, matched = 0;
    for (const std::string& term : own->second) total += idf(term);
    for (auto t = enquire.get_matching_terms_begin(best.begin());
         t != enquire.get_matching_terms_end(best.begin()); ++t)
        if (std::find(own->second.begin(), own->second.end(), *t) != own->second.end())
            matched += idf(*t);
    if (total <= 0) return std::nullopt;
    return 100.0 * matched / total / best.begin().get_weight();
}

int percent_of(double score, double scale) {
    return std::clamp(static_cast<int>(score * scale + 0.5), 1, 100);
}

// Xapian 1.4 does not weigh a word alike across an index set: it adds up the weight bounds of
// the local members that have the word, but not those of remote shards. So on a set, a first
// match reads what Xapian makes of each word's idf, and a second one scales each word to what
// one index gives it.
Xapian::MSet snippet_weights(const Xapian::Database& db, const Xapian::Query& words) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::TfIdfWeight("btn"));  // weight bound: the idf
    if (db.size() <= 1) {
        enquire.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, words, kSnippetWordWeight));
        return enquire.get_mset(0, 0);
    }
    enquire.set_query(words);
    const Xapian::MSet plain = enquire.get_mset(0, 0);
    const double documents = db.get_doccount();
    std::vector<Xapian::Query> terms;
    for (auto it = words.get_unique_terms_begin(); it != words.get_unique_terms_end(); ++it) {
        const double got = plain.get_termweight(*it);
        // From the match's statistics: no round trip per word to a remote shard.
        const double want = kSnippetWordWeight * set_idf(documents, plain.get_termfreq(*it));
        terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it),
                           got > 0 ? want / got : kSnippetWordWeight);
    }
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    return enquire.get_mset(0, 0);
}

// ---- explain ---------------------------------------------------------------------------------

namespace {

// The weight of `query` alone on one article, or nullopt when the article does not match it.
class OnOneArticle {
  public:
    OnOneArticle(const Xapian::Database& db, const SearchOptions& options, std::string id_term)
        : db_(db), weighting_(bm25(options)), id_term_(std::move(id_term)) {}

    std::optional<double> weight(const Xapian::Query& query) const {
        Xapian::Enquire enquire(db_);
        enquire.set_weighting_scheme(weighting_);
        enquire.set_query(
            Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(id_term_)));
        const Xapian::MSet mset = enquire.get_mset(0, 1);
        if (mset.empty()) return std::nullopt;
        return mset.begin().get_weight();
    }

  private:
    const Xapian::Database& db_;
    Xapian::BM25Weight weighting_;
    std::string id_term_;
};

// A term as a reader knows it: the word, title:word for a title term.
std::string shown_term(const std::string& term) {
    if (term.rfind(schema::kTitle.prefix, 0) == 0 && schema::is_text_term(term))
        return "title:" + std::string(schema::word_of(term));
    return term;
}

// A branch that weighs as one, briefly: a wildcard's SYNONYM as the start its terms share
// ("guarant* (4 terms)"), another by its first terms.
std::string shown_terms(const Xapian::Query& query) {
    std::vector<std::string> terms(query.get_unique_terms_begin(), query.get_unique_terms_end());
    if (terms.empty()) return {};
    std::size_t common = terms.front().size();
    for (const std::string& t : terms) {
        std::size_t n = 0;
        while (n < common && n < t.size() && t[n] == terms.front()[n]) ++n;
        common = n;
    }
    const std::string count = " (" + std::to_string(terms.size()) + " terms)";
    if (terms.size() > 1 && common >= 2) return shown_term(terms.front().substr(0, common)) + "*" + count;
    std::string out;
    for (std::size_t i = 0; i < terms.size() && i < 3; ++i)
        out += (out.empty() ? "" : " | ") + shown_term(terms[i]);
    return terms.size() > 3 ? out + " | ..." + count : out;
}

// The words' part on one article, term by term: each branch Xapian adds up (OR, AND, AND_MAYBE,
// XOR, PHRASE, NEAR) is walked into, the left side only of AND_NOT and FILTER, a scaled branch
// with its factor; a term, a posting source or a branch that weighs as one (SYNONYM, MAX) is one
// part. `weight`: the query's own weight on the article, above 0; `scale`: the factor of the
// branches above.
void walk(const OnOneArticle& on, const Xapian::Query& query, double weight, double scale,
          const std::string& detail, std::vector<ScorePart>& out);

// walk() for a branch whose weight is not known yet: nothing when the article does not match
// it or it weighs nothing there.
void walk_matching(const OnOneArticle& on, const Xapian::Query& query, double scale,
                   const std::string& detail, std::vector<ScorePart>& out) {
    if (const std::optional<double> weight = on.weight(query); weight && *weight != 0)
        walk(on, query, *weight, scale, detail, out);
}

void walk(const OnOneArticle& on, const Xapian::Query& query, double weight, double scale,
          const std::string& detail, std::vector<ScorePart>& out) {
    switch (query.get_type()) {
        case Xapian::Query::LEAF_TERM:
            out.push_back({"bm25", shown_term(*query.get_terms_begin()) + detail, weight * scale});
            return;
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR:
            for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
                walk_matching(on, query.get_subquery(i), scale, detail, out);
            return;
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_FILTER:
            walk_matching(on, query.get_subquery(0), scale, detail, out);
            return;
        case Xapian::Query::OP_SCALE_WEIGHT: {
            const Xapian::Query inner = query.get_subquery(0);
            const std::optional<double> unscaled = on.weight(inner);
            if (unscaled && *unscaled != 0)
                walk(on, inner, *unscaled, scale * weight / *unscaled, detail, out);
            return;
        }
        default:
            out.push_back({"bm25", shown_terms(query) + detail, weight * scale});
    }
}

}  // namespace

std::vector<ScorePart> explain(const Xapian::Database& db, const SearchOptions& options,
                               const RankedQuery& ranked, const std::string& id_term) {
    const OnOneArticle on(db, options, id_term);
    std::vector<ScorePart> out;
    for (const Part& part : ranked.parts()) {
        const std::optional<double> weight = on.weight(part.query);
        if (!weight || *weight == 0) continue;
        if (!part.by_term) {
            out.push_back({part.kind, part.detail, *weight});
            continue;
        }
        // Its terms, and what they leave out of the part's weight (none in a query Xapian adds
        // up term by term).
        const std::size_t first = out.size();
        walk(on, part.query, *weight, 1.0, part.detail.empty() ? "" : " " + part.detail, out);
        double terms = 0;
        for (std::size_t i = first; i < out.size(); ++i) {
            out[i].part = part.kind;
            terms += out[i].weight;
        }
        if (std::abs(terms - *weight) > 1e-9 * std::max(1.0, std::abs(*weight)))
            out.push_back({"other", "the query's operators", *weight - terms});
    }
    return out;
}

}  // namespace newsidx::ranking
