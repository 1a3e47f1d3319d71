// The Xapian end of the query language: the text the passes of query_text.hpp made, parsed by
// Xapian's QueryParser set up from the schema's fields, with one analyzer's stemmer and stop
// words, and wildcards expanded over the index (wildcards.hpp).
#pragma once

#include <xapian.h>

#include <string>

#include "analyzer.hpp"

namespace newsidx::query {

struct ParseOptions {
    bool plain = false;      ///< --plain: words only, no operator, quote or field
    bool match_all = false;  ///< --all: the words' default operator is AND
};

/// The query `folded` (query_text.hpp's Rewritten::folded) as `analyzer` parses it over `db`:
/// its wildcards cut back to stems and expanded over the terms of `db`. `raw` is the query as
/// typed, for messages. Throws Error(BadQuery) with the column of a syntax error.
Xapian::Query parse(const Analyzer& analyzer, const Xapian::Database& db, const std::string& raw,
                    const std::string& folded, const ParseOptions& options);

}  // namespace newsidx::query
