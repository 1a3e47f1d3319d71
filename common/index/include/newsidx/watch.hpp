// indexer --watch: after a first run, keep the index up to date as article files come, change,
// move and go. The folders are watched with inotify (folders made under them too); a batch of
// changes, once quiet for kWatchSettle (or kWatchMaxDelay after its first change), is indexed
// by an ordinary run over the same inputs, so that every rule, message and crash guarantee of
// a run holds, and the index answers as a --rebuild of the files would. The watcher holds
// <db>.lock the whole time, so that no other indexer writes between its runs.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "newsidx/indexer.hpp"

namespace newsidx {

inline constexpr std::chrono::milliseconds kWatchSettle{100};
inline constexpr std::chrono::milliseconds kWatchMaxDelay{500};

/// The lock indexer --watch holds for its whole life: an flock on <db>.lock (a file beside the
/// index, removed when the watcher ends). Throws Error(IndexLocked) when another watcher holds
/// it.
class WatchLock {
  public:
    explicit WatchLock(const std::string& db_path);
    ~WatchLock();
    WatchLock(const WatchLock&) = delete;
    WatchLock& operator=(const WatchLock&) = delete;

  private:
    std::string path_;
    int fd_ = -1;
};

/// What a watcher says besides its runs' own observer calls.
struct WatchEvents {
    /// After each run (the first included), with its figures.
    std::function<void(const IndexStats&)> on_run;
    /// Once the folders are watched: how many.
    std::function<void(std::size_t folders)> on_watching;
    /// A run that failed (the watcher tries the batch again after a pause), a folder that
    /// cannot be watched: what went wrong, and a hint (may be empty).
    std::function<void(const std::string& what, const std::string& hint)> on_error;
};

/// Indexes `options.inputs`, then watches them until `options.stop` is set; returns the figures
/// of the last run (interrupted when a stop cut a run short). Throws Error when the first run
/// fails, or the index is locked by another watcher.
IndexStats watch_index(IndexOptions options, IndexObserver& observer, const WatchEvents& events);

}  // namespace newsidx
