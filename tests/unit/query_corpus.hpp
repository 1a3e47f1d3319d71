// The query corpus of the equivalence test (tests/query_corpus/): reading it, and what a query
// builds, as one line of text to compare.
#pragma once

#include <string>
#include <vector>

#include "newsidx/index_set.hpp"
#include "newsidx/options.hpp"

namespace newsidx::test {

/// The queries of a corpus file: one a line, with \\ and \xHH escapes (escape_query()).
std::vector<std::string> read_query_corpus(const std::string& path);

/// A query as one line: backslash, control bytes, DEL and bytes of invalid UTF-8 as \xHH.
std::string escape_query(const std::string& query);

/// Everything the query builder makes of `query` over `set` with `options`: the Xapian query
/// (filters included), whether it is bare words, its word count, the terms of each analyzer's
/// parse and the "did you mean" correction; or the error it throws, code, message and hint.
std::string describe_built_query(const IndexSet& set, const SearchOptions& options,
                                 const std::string& query);

/// Whether one of the fixes changes what `query` builds: issue #25's ".." outside date:, or a
/// pasted all-capitals headline (three or more Latin-script words besides the operators, all
/// capitals) with an operator word or a leading '-' in it; issue #26's field filter (site:,
/// lang:, date:) beside bare words, which narrows them outside the ranked parse.
bool a_fix_applies(const std::string& query);

}  // namespace newsidx::test
