// The alerts folder's files: the locks, searches.json's syntax, and the journal (journal.jsonl),
// an append-only record from which each saved search's memory is read again at every start.
// Its lines, one JSON object each, by "type":
//   journal   the first line: the journal's id (receivers' marks name it)
//   baseline  a search (name and definition) starts after change `change` of index `index`
//             (or, with "after_archive", after the end of that index's first run)
//   removed   a search was removed: it remembers nothing
//   alert     an alert, numbered `n` from 1 (alert_json(), with the type and definition)
//   seen      articles (`urls`) that matched a search without alerting (copies of a story it
//             knew)
//   checked   the searches named (name -> definition) checked the changes up to `change` of
//             index `index`
// A check appends all its lines and syncs once. A line torn by a crash is cut off by the next
// writer (under the folder's lock), and the check it belonged to runs again, finding the same
// alerts; readers leave a torn line alone.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "newsidx/alerts.hpp"

namespace newsidx::alerts::detail {

/// The files of an alerts folder.
std::string searches_path(const std::string& dir);
std::string journal_path(const std::string& dir);
std::string delivered_path(const std::string& dir, const std::string& receiver);

/// Holds a lock file of DIR (flock) while it lives: "lock" for the journal and searches.json
/// (checks, additions, removals), "deliver.lock" for the receivers' marks. Creates DIR. Throws
/// Error(NotWritable).
class FolderLock {
  public:
    explicit FolderLock(const std::string& dir, const char* name = "lock");
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

  private:
    int fd_ = -1;
};

/// What a search's definition is, for the journal: a hash of its query and options. Editing
/// a saved search makes it another search, with a baseline of its own.
std::string definition_of(const SavedSearch& search);

/// What the journal remembers of one saved search, as last defined.
struct Memory {
    std::string definition;
    std::string index;             ///< the index its baseline and checks were made on
    std::uint64_t baseline = 0;
    std::uint64_t checked = 0;
    /// Saved while the index's first run was going: its baseline is where that run ends.
    bool after_archive = false;
    std::uint64_t first_alert = 0;  ///< the journal's last alert before its baseline
    std::set<std::string> seen;    ///< URLs of the new articles that matched it, alerted or not
};

class Journal {
  public:
    enum class Access { Read, Write };
    /// Reads DIR/journal.jsonl (none: empty). A writer (holding the folder's lock) cuts off a
    /// torn last line and starts a new journal with its id line. Throws Error(Io) for a line
    /// that is not the journal's, Error(NotWritable) when it cannot mend or start it.
    Journal(const std::string& dir, Access access);

    const std::string& id() const { return id_; }

    /// The memory of `search` as now defined; nullptr when it has none (new, edited, removed).
    Memory* current(const SavedSearch& search);
    const Memory* current(const SavedSearch& search) const;

    /// Every alert, in order (receivers and --alerts read them).
    const std::vector<Alert>& alerts() const { return alerts_; }
    std::uint64_t last_alert() const { return alerts_.empty() ? 0 : alerts_.back().n; }

    /// The names of the searches it remembers.
    std::vector<std::string> names() const;

    /// Records a line (and applies it to the memories); written by sync(). A baseline
    /// `after_archive` waits for the end of the index's first run.
    void baseline(const SavedSearch& search, const std::string& index, std::uint64_t change,
                  bool after_archive = false);
    void removed(const std::string& name);
    void seen(const SavedSearch& search, const std::vector<std::string>& urls);
    /// Numbers the alert (found in index `index`) and records it.
    const Alert& alert(const SavedSearch& search, const std::string& index, Alert alert);
    void checked(const std::map<std::string, std::string>& searches, const std::string& index,
                 std::uint64_t change);

    /// Appends the recorded lines to the file and syncs it. Throws Error(NotWritable).
    void sync();

  private:
    void apply(const nlohmann::json& line);
    void record(nlohmann::json line);

    std::string dir_, path_, id_;
    std::map<std::string, Memory> memories_;  // by name
    std::vector<Alert> alerts_;
    std::string pending_;
};

/// An alert from its journal line, and back.
Alert alert_of(const nlohmann::json& line);
nlohmann::json json_of(const Alert& alert);

/// Writes `text` to `path` whole: a temporary file of its own, synced, renamed over it, the
/// folder synced. Throws Error(NotWritable).
void write_whole(const std::string& path, const std::string& text);

/// Writes all of `text` to `fd` (open; -1 fails) and syncs it: false on failure, errno says why.
bool write_synced(int fd, const std::string& text);

/// Syncs the folder `dir` (a file created or renamed in it survives a power loss).
void sync_folder(const std::string& dir);

/// 16 random hex digits.
std::string random_id();

/// The current time, UTC, ISO 8601 to the second.
std::string now_utc();

}  // namespace newsidx::alerts::detail
