// A small index of hand-written articles shared by the search tests.
#pragma once

#include <string>
#include <vector>

#include "newsidx/search.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {

/// Builds (once per process) an index of the articles a1..a8 and returns its path.
const std::string& search_fixture_db();

/// The ids (last URL segment) of the hits, in rank order.
std::vector<std::string> ids_of(const SearchResult& result);

}  // namespace newsidx::test
