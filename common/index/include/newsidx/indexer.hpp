// The indexing run: find article files, skip the unchanged ones, parse and analyse the rest
// on worker threads, write them through IndexWriter in file order, remove vanished files.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "newsidx/error.hpp"

namespace newsidx {

/// How the articles are written. Bulk: every worker writes its own scratch shard in
/// parallel, and Xapian's compaction merges the shards (and the existing index) into a new
/// index that replaces the old one. Direct: workers analyse, one writer updates the index in
/// place. Auto picks bulk for large change sets (see docs/architecture.md).
enum class BuildMode { Auto, Direct, Bulk };

/// The shard, 1 to `shards`, that holds the article with `id_term` in a set of `shards`.
unsigned shard_of(std::string_view id_term, unsigned shards);

/// Which articles an index keeps: shard K of a set of N (indexer --shard K/N), or, with N = 0,
/// every article (a whole index).
struct ShardSpec {
    unsigned k = 0, n = 0;

    bool whole() const { return n == 0; }
    bool keeps(std::string_view id_term) const { return whole() || shard_of(id_term, n) == k; }
    /// "K/N", or empty for a whole index: the value of kShard.
    std::string text() const {
        return whole() ? std::string() : std::to_string(k) + "/" + std::to_string(n);
    }
    /// "K/N" with 1 <= K <= N, or empty (whole); nullopt for anything else.
    static std::optional<ShardSpec> parse(std::string_view text);
    bool operator==(const ShardSpec&) const = default;
};

struct IndexOptions {
    std::string db_path = "newsidx.db";
    std::vector<std::string> inputs;  ///< files or directories, searched recursively for *.txt
    unsigned jobs = 0;                ///< worker threads; 0 = one per core
    std::string language;             ///< --lang: stemmer language; empty = the index's own
    bool rebuild = false;
    /// --allow-empty: an input that held articles and now holds none may remove them all (by
    /// default such a run stops, nothing written: an unmounted share looks like that).
    bool allow_empty = false;
    std::uint64_t max_size = 16u << 20;     ///< files larger than this are rejected
    /// A direct run commits after this many bytes of articles. A bulk run's workers share
    /// twice this: each commits after 2 * commit_bytes / workers (at least kMinWorkerCommit),
    /// so that what Xapian buffers, and so the run's memory, does not grow with --jobs.
    std::uint64_t commit_bytes = 2u << 20;
    BuildMode mode = BuildMode::Auto;
    /// Files read at a time: the run holds their paths and old states, its file list only a
    /// few words for the others (tests make it small, to cross batch boundaries).
    std::size_t batch_files = 16384;
    /// --shard K/N: keep only the articles of shard K (by a hash of the URL; shard_of()).
    /// Whole (the default): an existing shard's own K/N, else every article.
    ShardSpec shard;
    /// --shards N: db_path is a folder of N shards, db_path/1 ... db_path/N, and a stub file
    /// db_path/XAPIANDB that names them; each is indexed in turn as shard K of N. 0: one index
    /// (or, when db_path already holds such a set, that set).
    unsigned shards = 0;
    /// Whether rejected files (and their warnings) are reported; --shards N reports them with
    /// its first shard only, and counts them once.
    bool report_rejections = true;
    const std::atomic<bool>* stop = nullptr;  ///< set (by a signal handler) to stop early
    /// The caller is indexer --watch and holds <db>.lock (WatchLock); any other run is refused
    /// while a watcher holds it.
    bool watched = false;
};

/// What a run did. Each article file found counts once: added, updated, unchanged,
/// superseded or rejected; removed counts the files gone since the last run.
struct IndexStats {
    std::uint64_t added = 0;       ///< its article is new to the index
    std::uint64_t updated = 0;     ///< its article replaces one with the same URL
    std::uint64_t unchanged = 0;   ///< not changed since the last run (not read, or same bytes)
    std::uint64_t superseded = 0;  ///< a later file with the same URL is indexed instead
    std::uint64_t elsewhere = 0;   ///< its article is another shard's (--shard K/N)
    std::uint64_t removed = 0;
    std::uint64_t rejected = 0;
    std::uint64_t files = 0;       ///< article files found
    std::uint64_t bytes_read = 0;  ///< bytes of files read (unchanged ones are not read)
    std::uint64_t bytes_written = 0;  ///< bytes of the files whose articles it wrote: MB/s
    double seconds = 0;
    bool interrupted = false;  ///< stopped early by IndexOptions::stop; work so far committed
    bool bulk = false;         ///< written through parallel shards and compaction

    /// The articles this run wrote.
    std::uint64_t articles() const { return added + updated; }
};

/// Receives what a run has to say; the library itself never prints.
class IndexObserver {
  public:
    virtual ~IndexObserver() = default;
    virtual void on_rejected(const RecordError& error) = 0;
    virtual void on_warning(const std::string& line) = 0;
    /// Called once the inputs are listed, before any file is read.
    virtual void on_listed(std::uint64_t /*files*/, std::uint64_t /*bytes*/) {}
    /// Called once the run knows what it will read (the changed files) and how it writes
    /// (bulk: parallel shards merged at the end), right before it reads the first file.
    virtual void on_reading(std::uint64_t /*files*/, std::uint64_t /*bytes*/, bool /*bulk*/) {}
    /// Called after each file; cheap to ignore.
    virtual void on_progress(std::uint64_t files_done, std::uint64_t files_total,
                             std::uint64_t bytes_done, std::uint64_t bytes_total) = 0;
    /// Called before the final commit, which can take a while on a large run.
    virtual void on_commit() {}
    /// Called once a bulk run's merged index has replaced the old one, while the run still
    /// holds its lock.
    virtual void on_swapped() {}
    /// --shards N: called before shard `k` of `n` (at `path`) is indexed, and once it is, with
    /// its figures.
    virtual void on_shard(unsigned /*k*/, unsigned /*n*/, const std::string& /*path*/) {}
    virtual void on_shard_done(unsigned /*k*/, unsigned /*n*/, const IndexStats& /*stats*/) {}
};

/// Runs the indexer. Throws Error when nothing could be committed (locked, not writable,
/// schema mismatch, an input path that does not exist); no other exception escapes.
IndexStats run_index(const IndexOptions& options, IndexObserver& observer);

/// The share of a run's reading time that its end takes on top (the last commit; for a bulk
/// run, the merge of the shards by compaction), as measured on the news corpora
/// (docs/benchmarks.md): what the time left must include once every file is read.
inline constexpr double kDirectFinishShare = 0.02;
inline constexpr double kBulkFinishShare = 0.08;

/// Seconds a run has left, from the seconds it has spent reading and the bytes read of all it
/// reads: the rest of the reading at the rate so far, and the end (kBulkFinishShare).
/// Negative (unknown) before anything was read.
double time_left(double reading_seconds, std::uint64_t bytes_done, std::uint64_t bytes_total,
                 bool bulk);

/// "indexed 12 articles (10 new, 2 updated, 0 unchanged, 0 removed, 1 rejected) in 0.1 s —
/// 120 articles/s, 0.5 MB/s": the articles this run wrote; ", N superseded" joins the
/// parenthesis when files lost their article to a later file with the same URL.
std::string summary_line(const IndexStats& stats);

}  // namespace newsidx
