// A small index of hand-written articles shared by the search tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "newsidx/indexer.hpp"
#include "newsidx/search.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {

/// An index observer for hand-written articles: any rejection or warning fails the test.
class SilentObserver : public IndexObserver {
  public:
    void on_rejected(const RecordError& e) override { FAIL() << e.to_string(); }
    void on_warning(const std::string& line) override { FAIL() << line; }
    void on_progress(std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t) override {}
};

/// Indexes the articles under dir/folder into dir/db and returns the index path.
std::string index_folder(const TempDir& dir, const std::string& folder = "c");

/// Builds (once per process) an index of the articles a1..a8 and returns its path.
const std::string& search_fixture_db();

/// Builds (once per process) an index of samples/ (five languages, each article analysed in its
/// own) and returns its path.
const std::string& samples_db();

/// The ids (last URL segment) of the hits, in rank order.
std::vector<std::string> ids_of(const SearchResult& result);

}  // namespace newsidx::test
