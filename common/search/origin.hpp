// --origin: where a passage (a quote, a paragraph) appeared first and how it spread: the
// articles that carry it whole or a quarter of it at least, found by phrase search of its runs
// of words and by its words, and checked against their stored text, earliest first, over sites and near-duplicate stories
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

/// The runs of `size` words of `words`, each as one string.
std::vector<std::string> word_runs(const std::vector<std::string>& words, std::size_t size);

/// The carriers of `passage` among the articles of `db` that `builder`'s filters let through.
/// Throws Error(BadQuery) for a passage of fewer than kMinOriginWords words.
Origin find_origin(const Xapian::Database& db, const QueryBuilder& builder,
                   const std::string& passage);

}  // namespace newsidx
