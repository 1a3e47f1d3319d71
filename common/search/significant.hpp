// --significant: the words that set a query's matches apart, counted by story (a cluster of
// copies once; a story has a word when any of its articles there has it), against the other stories with the same filters or against the matches of
// the period before (issue #29, item 3). Scored by log-likelihood (G²), JLH or Xapian's
// expand weights; each word shown as the articles most often write it, not as its stem.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "newsidx/search.hpp"

namespace newsidx {

/// What --significant needs to know of the search.
struct SignificantInput {
    const Xapian::Database* db = nullptr;
    Xapian::Query matches;        ///< the query with its filters
    Xapian::Query base;           ///< --against rest: the filters alone (empty: every article)
    Xapian::Query previous;       ///< --against previous: the query over the period before
    std::string previous_period;  ///< that period, "YYYY-MM-DD..YYYY-MM-DD"
    Xapian::Query own;            ///< the query's own terms, left out of the words
    std::vector<std::string> analyzers;
    std::string scoring;          ///< llr, jlh or xapian
    unsigned count = 20;          ///< how many words
};

/// The words, best first. Throws Xapian's errors.
Significance significant_words(const SignificantInput& input);

/// The scores, for a word in `a` of `f` stories of the matches and `c` of `r` others (the
/// other stories with the filters, or the matches of the period before). 0 when the word is
/// not over-represented in the matches.
double log_likelihood(double a, double f, double c, double r);
double jlh(double a, double f, double c, double r);

}  // namespace newsidx
