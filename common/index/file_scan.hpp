// Finding and reading article files: the *.txt files under the inputs, sorted by path, with
// their size and mtime; reading one file within a size limit.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "document.hpp"

namespace newsidx::detail {

/// What an indexer run made of a file; each fate is one count of IndexStats.
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

/// A file the run reads: what the workers need of it.
struct SourceFile {
    std::string path;  ///< absolute, normalised
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    /// What the index knows of it, when it was changed and is not read in full.
    std::unique_ptr<FileState> previous;
    std::uint32_t index = 0;  ///< its place in the FileList
};

/// Every *.txt file under the inputs, sorted by path, with its size and mtime and what the
/// run made of it. Kept small, since an archive may have millions of files: each folder's
/// path once, the names in one buffer, 32 bytes of fixed fields a file (a million files
/// with 26-byte names take about 60 MB; a string and a record each took 170).
class FileList {
  public:
    using Index = std::uint32_t;
    struct Entry {
        std::uint64_t size = 0;
        std::int64_t mtime_ns = 0;
        std::uint32_t name = 0;       ///< offset of the name in names_
        std::uint32_t folder = 0;     ///< in folders_
        std::uint16_t name_size = 0;  ///< a name has at most 255 bytes (NAME_MAX)
        Fate fate = Fate::Pending;
        bool holds = false;  ///< the index holds the file's article (FileState::holds)
    };

    std::size_t size() const { return entries_.size(); }
    Entry& operator[](Index i) { return entries_[i]; }
    const Entry& operator[](Index i) const { return entries_[i]; }
    std::string path(Index i) const;
    /// The file at `path`, if listed. With `hint`, the entry at *hint is tried first, and *hint
    /// is left after the one found: paths asked in sorted order are found without a search.
    std::optional<Index> find(std::string_view path, Index* hint = nullptr) const;
    /// The file as the workers take it (no previous state).
    SourceFile source(Index i) const;

    /// Adds a file; `folder` ends with '/'. Call sort() when all are in.
    void add(std::string_view folder, std::string_view name, std::uint64_t size,
             std::int64_t mtime_ns);
    /// Sorts by path and drops repeated paths.
    void sort();

  private:
    std::string_view folder_of(const Entry& e) const { return folders_[e.folder]; }
    std::string_view name_of(const Entry& e) const {
        return std::string_view(names_).substr(e.name, e.name_size);
    }
    // <0, 0, >0 as the path of `e` compares with the path folder_of(o) + name_of(o).
    int compare(const Entry& e, std::string_view folder, std::string_view name) const;

    std::vector<Entry> entries_;
    std::string names_;
    std::vector<std::string> folders_;
    std::unordered_map<std::string, std::uint32_t> folder_index_;
};

/// Every *.txt file under `roots` (a file named directly counts whatever its name), sorted by
/// path, without duplicates. Directory symlinks are not followed, so a symlink loop cannot trap
/// the walk. `warn` receives a line for each entry that is skipped and why.
FileList find_files(const std::vector<std::string>& roots,
                    const std::function<void(const std::string&)>& warn);

/// True when `path` is `root` or lies under it.
bool is_under(const std::string& path, const std::string& root);

/// The bytes of the file, or nullopt with `error` set ("cannot read file: …", or too large).
std::optional<std::string> read_file(const std::string& path, std::uint64_t limit,
                                     std::string* error);

}  // namespace newsidx::detail
