// The ranking: every weight, constant and boost of a hit's score, and what each part adds.
// The parts are computed in one module (search/ranking_model.hpp, ranking.cpp and the posting
// sources of all_words.cpp) and nowhere else; `searcher --explain` shows each hit's score as
// the sum of these parts. docs/quality.md says how each default was chosen (bench/tune.py,
// across eight test sets).
//
// | part            | added for                                   | weight                                             | option          |
// |-----------------|---------------------------------------------|----------------------------------------------------|-----------------|
// | bm25            | each query word the article has             | Xapian's BM25 (k1, b, min normalised length L)      | --bm25 K1,B,L   |
// | title words     | each query word in the article's title      | W × the word's BM25 weight as a title term         | --title-words W |
// |                 | (and at index time: title words count 3×)   | schema::kTitleWdf (the index layer's one weight)   |                 |
// | all-words       | an article with every word of a 2–N word    | W × the words' BM25 weights, length normalised by  | --all-words     |
// |                 | query of bare words                         | B (short articles with every word describe it)     |   W,N,B         |
// | proximity       | two consecutive query words within 3 in     | W (U) × the pair's BM25 weights                    | --proximity W,U |
// |                 | order (within 8 in any order), 2–6 words    |                                                    |                 |
// | exact title     | a query that is an article's whole title    | B × the title term's weight (written title: too)   | --title-boost B |
// | character pairs | Chinese/Japanese/Korean bare words, matched | kCharPairWeight × the pairs' weights               |                 |
// |                 | through adjacent character pairs            |                                                    |                 |
// | feedback        | the best terms of the top 10 hits, for      | kFeedbackWeight × their weights                    | --expand N,W    |
// |                 | bare-word queries of W+ words               |                                                    |                 |
// | recency         | a fresh article                             | kRecencyShare × the best hit's BM25, halving every | --recency DAYS  |
// |                 |                                             | DAYS days from --now                               |                 |
// | language scale  | (a factor) each language's parse in an      | its words' idf among its own articles over their   |                 |
// |                 | index of several languages                  | idf in the whole index, at most 1                  |                 |
//
// Percentages are a hit's score over the best hit's, times the share of the query's words
// (by idf) the best hit has: the words typed, not the evidence's copies.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>

namespace newsidx {

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
/// ranking's K1 and L).
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
/// Weight of the Chinese/Japanese character-pair fallback against the words' own (an article
/// found only through the pairs ranks below those that have the words).
inline constexpr double kCharPairWeight = 0.5;
/// --recency: a fresh article gains this share of the query's best BM25 weight, one
/// `recency_days` old half of it (docs/news-features.md, "Recency").
inline constexpr double kRecencyShare = 0.5;
/// --like: how many of the article's best terms (Xapian's ESet) make the query.
inline constexpr unsigned kLikeTerms = 25;
/// A query word's weight in a snippet, times its idf: about BM25's bound for a word at the
/// default k1 (k1 + 1).
inline constexpr double kSnippetWordWeight = 3.0;

/// One part of a hit's score (--explain): the parts of a hit add up to its score.
struct ScorePart {
    std::string part;    ///< bm25, title words, all-words, proximity, exact title, written
                         ///< title, character pairs, feedback, recency, boost, other
    std::string detail;  ///< the term or words it is for; the language scale when one applies
    double weight = 0;
};

}  // namespace newsidx
