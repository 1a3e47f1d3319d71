// IndexWriter: the one place that writes a newsidx index, for the indexer's direct and bulk
// paths alike; every Xapian call of a write sits behind it and reaches the caller as
// newsidx::Error. Every change is made in Xapian's own transaction model: nothing is visible,
// and nothing survives a crash, before commit().
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer.hpp"
#include "clusters.hpp"
#include "document.hpp"

namespace newsidx {

class IndexWriter {
  public:
    /// Opens (or creates) the index at `path`, and holds its lock until closed. `language` is
    /// the analyzer the caller asks for, or empty to use the index's own (english for a new
    /// index). With `rebuild` the existing index is to be replaced: it is opened (and locked)
    /// as it is, its schema unchecked, and the caller builds the new one beside it with the
    /// old one's analyzer unless `language` names another. Throws Error: IndexLocked,
    /// NotWritable, SchemaMismatch, BadOption (language differs from the index's).
    static IndexWriter open(const std::string& path, bool rebuild, const std::string& language);

    /// Who an index is and how far its changes have come (kIndexId, kChanges).
    struct Identity {
        std::string id;            ///< 16 hex digits
        std::uint64_t changes = 0; ///< the last change number
        std::string first_run;     ///< schema::kFirstRun's value: "going", "ended N" or empty
    };

    /// The kAddedSlot values of the articles this writer deleted, by id term (a bulk run's
    /// shards take them: its moved files' articles were deleted before the shards began).
    using AddedById = std::unordered_map<std::string, std::string>;

    /// Creates a scratch shard for a bulk build: written without fsync (a crash discards it),
    /// merged into the real index by merge(). Its articles are stamped with change number
    /// `change`, and each keeps the kAddedSlot its URL has in the index at `origins` (when not
    /// empty: the index the run updates or rebuilds, as last committed) or in `removed`.
    /// Throws Error(NotWritable).
    static IndexWriter create_shard(const std::string& path, const Analyzer& analyzer,
                                    std::uint64_t change = 0, const std::string& origins = "",
                                    const AddedById& removed = {});

    /// What this writer deleted (AddedById).
    const AddedById& removed_added() const { return removed_added_; }

    /// Where the same URL reached several documents (in one shard or several), keeps the one
    /// from the greatest path
    /// (the file a sequential run would have written last) and deletes the others.
    static void drop_shared_ids(std::vector<IndexWriter>& shards);

    /// A file of another shard as a set's shard remembers it: XXH3-64 of its path, size and
    /// mtime (8 bytes instead of a state of about 190: 16 shards took 16 times one index's
    /// file states).
    static std::uint64_t elsewhere_fingerprint(std::string_view path, std::uint64_t size,
                                               std::int64_t mtime_ns);

    /// Commits and closes the shards and `states` (a shard that holds only the file states of
    /// the run), compacts them (and the index at `old_index`, unless empty) into a new index at
    /// `dest`, where the file states are those of `states` wherever it has one, with
    /// `identity` (the index's id, the run's change number, its first run's state). Returns the
    /// new
    /// index opened for writing, so that its lock is held from before it is swapped in until
    /// the run ends. Throws Error.
    static IndexWriter merge(std::vector<IndexWriter>& shards, IndexWriter& states,
                             const std::string& old_index, const std::string& dest,
                             const Analyzer& analyzer, const Identity& identity);

    /// Wraps an already open database (tests use an in-memory one) and stamps the schema into
    /// one that has none.
    IndexWriter(Xapian::WritableDatabase db, const Analyzer& analyzer);

    const Analyzer& analyzer() const { return analyzer_; }
    const std::string& path() const { return path_; }

    /// How many articles the index holds.
    Xapian::doccount size() const;

    /// The index's id and last change number; an index without an id (one of an older schema,
    /// to be rebuilt) gets a new one drawn.
    Identity identity() const;

    /// What the index knows of the file at `path`, if anything.
    std::optional<FileState> file_state(const std::string& path) const;

    /// The index's shard of a set ("K/N", kShard), or empty for a whole index.
    std::string shard() const;

    /// Records at the next commit that the index's first run (if this is it) has completed,
    /// with the change the commit takes (schema::kFirstRun).
    void end_first_run();

    /// Records the index's shard ("K/N", or empty for a whole index) at the next commit.
    void set_shard(const std::string& spec);

    /// Whether the index records the state of any source file (a shard may hold none of the
    /// articles and the states of every file).
    bool has_file_states() const;

    /// Calls `visit` with every source file path the index knows, one at a time (a million
    /// of them are not held at once). `visit` must not write to the index.
    void each_known_file(const std::function<void(const std::string&)>& visit) const;

    /// Indexes `built` as the article of the file at `path`, replacing any article with the
    /// same URL and the article the file produced under another URL before (which its recorded
    /// state names).
    void put(const std::string& path, const FileState& state, const DocumentBuilder::Built& built);

    /// Adds `built` as a new document without looking for an earlier one (bulk builds, where
    /// the caller knows the URL is not in this database yet).
    void add_new(const std::string& path, const FileState& state,
                 const DocumentBuilder::Built& built);

    /// The source path stored with the article whose id term is `id_term`, if there is one.
    std::optional<std::string> path_of(const std::string& id_term) const;

    /// Deletes the article with the id term `id_term`, if any.
    void delete_id(const std::string& id_term);

    /// Deletes the article with the URL `url` if the file at `path` produced it (a later file
    /// with the same URL may have taken it over since); keeps the file's state.
    void delete_article_of(const std::string& path, const std::string& url);

    /// The fingerprints (elsewhere_fingerprint()) of the files whose articles are other
    /// shards' as the last run found them, sorted (kElsewhere).
    std::vector<std::uint64_t> elsewhere() const;

    /// Records `sorted` as the files whose articles are other shards' (replacing the list).
    void set_elsewhere(const std::vector<std::uint64_t>& sorted);

    /// Records the state of a file whose content is unchanged but whose mtime moved.
    void touch(const std::string& path, const FileState& state);

    /// Removes the file's article (if it still owns one) and its state.
    void forget(const std::string& path);

    /// Makes every change so far durable and visible, with the near-duplicate cluster keys
    /// brought up to date first (update_clusters()). Throws Error on failure.
    void commit();

    /// From now on, commits mark the cluster keys stale instead of updating them (a bulk run's
    /// old index, whose articles merge() recounts); the next writer to open a stale index
    /// recounts every key at its first commit.
    void defer_clusters();

    /// Commits what is pending, then holds every later change until the next commit(): should
    /// the writer be destroyed first (a failed run), they are dropped, not committed.
    void hold_until_commit();

    /// Commits and releases the database (and its lock).
    void close();

    /// Releases the database (and its lock): for an index that was moved since it was opened
    /// (the merged index after its swap). Call only after commit(), with nothing pending:
    /// Xapian's close() commits pending changes, which would go to the index's old place.
    void release();

  private:
    IndexWriter(Xapian::WritableDatabase db, Analyzer analyzer, std::string path);

    enum class Clusters { Kept, Deferred, Ignored };
    // Notes what deleting or replacing document `did` (or the documents with `id_term`)
    // changes for clustering.
    void note_removed(Xapian::docid did);
    void note_holders_removed(const std::string& id_term);
    void note_added(const DocumentBuilder::Built& built);
    // Before a commit: brings the cluster keys up to date (or marks them stale).
    void settle_clusters();
    // Stamps `doc` (the article with `id_term`) with this writer's change number, and with
    // the change that added its URL: the one `before` has for it (the index as it was), else
    // this one.
    Xapian::Document stamped(const Xapian::Document& doc, const std::string& id_term,
                             const Xapian::Database* before);
    // Before a commit: records the change number the commit's articles took.
    void settle_changes();
    // Keeps the kAddedSlot of document `did` (with `id_term`), about to be deleted.
    void remember_added(const std::string& id_term, Xapian::docid did);

    Xapian::WritableDatabase db_;
    Analyzer analyzer_;
    std::string path_;
    bool in_transaction_ = false;
    Clusters clusters_ = Clusters::Kept;  // scratch shards: Ignored
    ClusterChanges changes_;              // since the last commit
    std::uint64_t change_ = 1;            // the number the articles written now are stamped with
    bool stamped_ = false;                // an article was stamped since the last commit
    bool counts_changes_ = true;          // scratch shards: merge() writes the number
    std::optional<Xapian::Database> origins_;  // scratch shards: the index the run updates
    // The kAddedSlot of the articles this writer deleted, by id term: a moved file's article,
    // deleted at its old path and written at its new one, keeps it.
    AddedById removed_added_;
};

}  // namespace newsidx
