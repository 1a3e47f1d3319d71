// The folders a bulk build keeps beside an index: <db>.build (scratch shards), <db>.new (the
// merged index) and <db>.old (the index being swapped out). Shared by the indexer, which
// makes them, and the searcher, which waits out a swap.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace newsidx::detail {

/// `db_path` normalised, without trailing slashes, followed by `suffix`.
inline std::string index_sibling(const std::string& db_path, std::string_view suffix) {
    std::string p = std::filesystem::path(db_path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p.append(suffix);
}

}  // namespace newsidx::detail
