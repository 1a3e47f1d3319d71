// Finding and reading article files: the *.txt files under the inputs, sorted by path, with
// their size and mtime; reading one file within a size limit.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newsidx/document.hpp"

namespace newsidx::detail {

struct SourceFile {
    std::string path;  ///< absolute, normalised
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    /// What the index knows of it, when it was changed (a pointer: one word per file when
    /// there is none, which is the case of most files of a large archive).
    std::unique_ptr<FileState> previous;

    // The indexer run's bookkeeping.
    /// What the run made of the file; each fate is one count of IndexStats.
    /// Elsewhere: its article belongs to another shard of the set (indexer --shard K/N).
    enum class Fate : std::uint8_t {
        Pending,
        Unchanged,
        Added,
        Updated,
        Superseded,
        Elsewhere,
        Rejected
    };
    Fate fate = Fate::Pending;
    /// The index holds the file's article (FileState::holds).
    bool holds = false;
};

/// Every *.txt file under `roots` (a file named directly counts whatever its name), sorted by
/// path, without duplicates. Directory symlinks are not followed, so a symlink loop cannot trap
/// the walk. `warn` receives a line for each entry that is skipped and why.
std::vector<SourceFile> find_files(const std::vector<std::string>& roots,
                                   const std::function<void(const std::string&)>& warn);

/// True when `path` is `root` or lies under it.
bool is_under(const std::string& path, const std::string& root);

/// The bytes of the file, or nullopt with `error` set ("cannot read file: …", or too large).
std::optional<std::string> read_file(const std::string& path, std::uint64_t limit,
                                     std::string* error);

}  // namespace newsidx::detail
