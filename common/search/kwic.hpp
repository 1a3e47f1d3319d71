// --kwic: keyword-in-context lines, every occurrence of a query's words in an article with N
// words of its text on each side, as written (issue #29, item 5).
#pragma once

#include <xapian.h>

#include <set>
#include <string>
#include <vector>

#include "newsidx/search.hpp"

namespace newsidx {

/// The lines of `text`: each run of words whose stems (`stem`, Analyzer::snippet_stemmer())
/// are among `stems`, with `n` words before and after it, as written (line breaks as spaces).
std::vector<KwicLine> kwic_lines(const std::string& text, const Xapian::Stem& stem,
                                 const std::set<std::string>& stems, unsigned n);

}  // namespace newsidx
