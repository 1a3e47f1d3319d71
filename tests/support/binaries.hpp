// The binaries and files the end-to-end tests run (paths compiled in by tests/CMakeLists.txt).
#pragma once

#include <string>

namespace newsidx::test {

inline const std::string kIndexer = NEWSIDX_INDEX_BIN;
inline const std::string kSearcher = NEWSIDX_SEARCH_BIN;
inline const std::string kSamples = NEWSIDX_SAMPLES;

}  // namespace newsidx::test
