// --origin: where a passage (a quote, a paragraph) appeared first and how it spread: the
// articles that carry it in full or in part, found by phrase search of its runs of words and
// checked against their stored text, earliest first, over sites and near-duplicate stories
// (issue #29, item 4).
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "newsidx/search.hpp"
#include "query_builder.hpp"

namespace newsidx {

/// The passage's words as the article texts are compared: folded, punctuation dropped
/// (word_key()). At most kMaxOriginWords.
std::vector<std::string> origin_words(const std::string& passage);

/// The runs of kOriginRun words of `words` (one run, the whole, when shorter), each as one
/// string.
std::vector<std::string> word_runs(const std::vector<std::string>& words);

/// The carriers of `passage` among the articles of `db` that `builder`'s filters let through.
/// Throws Error(BadQuery) for a passage of fewer than kMinOriginWords words.
Origin find_origin(const Xapian::Database& db, const QueryBuilder& builder,
                   const std::string& passage);

}  // namespace newsidx
