// The ranking: what each part of a hit's score adds, and the defaults of the options that tune
// them. The parts, and the constants no option changes, are in one module
// (search/ranking_model.hpp, ranking.cpp and the posting sources of all_words.cpp) and nowhere
// else; `searcher --explain` shows each hit's score as
// the sum of these parts. docs/quality.md says how each default was chosen (bench/tune.py,
// across ten test sets).
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
// |                 | bare-word queries of W+ words, and for a    | (a subject's: only for articles with its words)    | --topical P,M   |
// |                 | subject's name (2+ words, a phrase in P+    |                                                    |                 |
// |                 | articles), which gets no all-words weight   |                                                    |                 |
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

// The defaults of the options that tune the ranking, one declaration per option (bench/tune.py
// chose them across ten test sets; docs/quality.md has the figures).

/// --bm25 K1,B,L: BM25's term-frequency saturation K1 and document-length normalisation B; an
/// article shorter than L times the average weighs as if it were that long (min_normlen).
inline constexpr double kDefaultBm25K1 = 2.0, kDefaultBm25B = 0.4, kDefaultBm25MinLength = 0.1;
/// --title-boost: the scale of the exact-title term's weight.
inline constexpr double kDefaultTitleBoost = 3.0;
/// --expand N,W: feedback by default, the N best terms for queries of at least W words (a word:
/// a distinct term of the parse, stop words left out). Long, descriptive queries gain from it;
/// short ones, typed to find one story, lose.
inline constexpr unsigned kDefaultExpandTerms = 10, kDefaultExpandMinWords = 12;
/// --topical P,M,W: a query of two or more bare words is topical (it names a subject, not one
/// story) when at least P articles have its words as a phrase, or at least M have them all: it
/// gets feedback (--expand's N terms), no all-words evidence, and W times the weight of two
/// consecutive words in order within 3 (its name). 0 turns either test off.
inline constexpr unsigned kDefaultTopicalPhrase = 2, kDefaultTopicalMatches = 0;
inline constexpr double kDefaultTopicalName = 0.5;
/// --all-words W,N,B: an article with every word of a query of 2 to N words gains W times those
/// words' BM25 weight, computed with length normalisation B (the ranking's K1 and L).
inline constexpr double kDefaultAllWords = 3, kDefaultAllWordsB = 1;
inline constexpr unsigned kDefaultMaxAllWordsTerms = 5;
/// --proximity W,U: an article with two consecutive query words in order within 3 positions
/// gains W times their weight, and with them in any order within 8, U times (queries of 2 to 6
/// words; ranking_model.hpp has the windows).
inline constexpr double kDefaultOrderedProximity = 0, kDefaultUnorderedProximity = 0;
/// --title-words W: each query word in an article's title adds W times its weight as a title
/// term.
inline constexpr double kDefaultTitleWords = 0.2;

/// One part of a hit's score (--explain): the parts of a hit add up to its score.
struct ScorePart {
    std::string part;    ///< bm25, title words, all-words, proximity, exact title, written
                         ///< title, character pairs, feedback, recency, boost, other
    std::string detail;  ///< the term or words it is for; the language scale when one applies
    double weight = 0;
};

}  // namespace newsidx
