// The alerts folder's files: the lock, searches.json's syntax, and the journal (journal.jsonl),
// an append-only record from which each saved search's memory is read again at every start.
// Its lines, one JSON object each, by "type":
//   baseline  a search (name and definition) starts after change `change` of index `index`
//   alert     an alert, numbered `n` from 1 (alert_json(), with the type and definition)
//   seen      articles (`urls`) that matched a search without alerting (copies of a story it
//             knew)
//   checked   a search checked the changes up to `change` of index `index`
// A check appends all its lines and syncs once; a line torn by a crash is cut off at the next
// start, and the check it belonged to runs again (its alerts were not delivered: receivers
// read only whole lines), finding the same alerts.
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

/// Holds DIR/lock (flock) while it lives: one check, add or removal at a time. Creates DIR.
class FolderLock {
  public:
    explicit FolderLock(const std::string& dir);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

  private:
    int fd_ = -1;
};

/// What a search's definition is, for the journal: a hash of its query and options. Editing
/// a saved search makes it another search, with a baseline of its own.
std::string definition_of(const SavedSearch& search);

/// What the journal remembers of one saved search (of its current definition).
struct Memory {
    std::string index;             ///< the index its baseline and checks were made on
    std::uint64_t baseline = 0;
    std::uint64_t checked = 0;
    bool started = false;          ///< it has a baseline
    std::set<std::string> seen;    ///< URLs of the new articles that matched it, alerted or not
    std::uint64_t alerts = 0;
};

class Journal {
  public:
    /// Reads DIR/journal.jsonl (none: empty); cuts off a torn last line. Throws Error(Io).
    explicit Journal(const std::string& dir);

    /// The memory of `search` as now defined (a new one when it has none).
    Memory& memory(const SavedSearch& search);
    const Memory* find(const SavedSearch& search) const;

    /// Every alert, in order (receivers and --alerts read them).
    const std::vector<Alert>& alerts() const { return alerts_; }
    std::uint64_t last_alert() const { return alerts_.empty() ? 0 : alerts_.back().n; }

    /// Records a line (and applies it to the memories); written by sync().
    void baseline(const SavedSearch& search, const std::string& index, std::uint64_t change);
    void seen(const SavedSearch& search, const std::vector<std::string>& urls);
    /// Numbers the alert and records it.
    const Alert& alert(const SavedSearch& search, Alert alert);
    void checked(const SavedSearch& search, const std::string& index, std::uint64_t change);

    /// Appends the recorded lines to the file and syncs it. Throws Error(NotWritable).
    void sync();

  private:
    void apply(const nlohmann::json& line);
    void record(nlohmann::json line);

    std::string path_;
    std::map<std::string, Memory> memories_;  // by name + '\n' + definition
    std::vector<Alert> alerts_;
    std::string pending_;
};

/// An alert from its journal line, and back.
Alert alert_of(const nlohmann::json& line);
nlohmann::json json_of(const Alert& alert);

/// Writes `text` to `path` whole: a temporary file, synced, renamed over it. Throws
/// Error(NotWritable).
void write_whole(const std::string& path, const std::string& text);

/// The current time, UTC, ISO 8601 to the second.
std::string now_utc();

}  // namespace newsidx::alerts::detail
