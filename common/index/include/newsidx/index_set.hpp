// Index sets: one index or several searched as one — folders, or Xapian stub files naming
// local folders or remote shards (xapian-tcpsrv). Each member is opened on its own, checked
// for its schema and analyzer, and named in any error it causes.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace newsidx {

struct IndexMember {
    std::string path;      ///< as given (a folder, or "host:port" for a remote shard)
    std::string analyzer;  ///< its --lang: "auto" (each article its own language's), "english", ...
    bool remote = false;   ///< served by xapian-tcpsrv: only Xapian's own query parts reach it
    std::string shard;     ///< "K/N" for shard K of a set of N (indexer --shard), else empty
};

/// The analyzers the articles of `db` were indexed with, as their XA terms name them (an
/// "auto" index has one per language it holds), sorted; empty for an empty index.
std::vector<std::string> analyzers_in(const Xapian::Database& db);

/// How IndexSet::open treats remote shards.
struct OpenOptions {
    /// Connecting to a remote shard and each reply from it may take this long (milliseconds).
    unsigned timeout_ms = 10000;
    /// A remote shard that cannot be opened is left out (IndexSet::missing) instead of failing
    /// the whole set.
    bool allow_partial = false;
};

class IndexSet {
  public:
    /// Opens every path: an index folder, or a stub file (lines `auto PATH`, `glass PATH`,
    /// `tcp HOST PORT`, `remote :HOST:PORT`; `#` comments; relative paths are relative to the
    /// stub file). Waits out an indexer's swap. Throws Error (NoIndex, SchemaMismatch, ...)
    /// naming the member that failed.
    static IndexSet open(const std::vector<std::string>& paths, const OpenOptions& how = {});

    /// With OpenOptions::allow_partial: the remote shards left out, "HOST:PORT: why" each.
    const std::vector<std::string>& missing() const { return missing_; }

    /// Where the members do not make up whole sets of shards (a shard twice or missing, shards
    /// of different splits mixed): a sentence each, for the answer to say.
    const std::vector<std::string>& notes() const { return notes_; }

    const Xapian::Database& database() const { return db_; }
    const std::vector<IndexMember>& members() const { return members_; }
    /// Each member's own database, in the order of members().
    const std::vector<Xapian::Database>& parts() const { return parts_; }

    /// Whether a member is a remote shard: a query for it may hold only what Xapian can
    /// serialise (no posting source of ours).
    bool has_remote() const;

    /// The value of a metadata key in the first member that has it (Xapian's combined
    /// database answers from its first member only), or empty.
    std::string metadata(const std::string& key) const;

    /// The analyzers its articles were indexed with (their XA terms), sorted; with no
    /// articles, the members' own ("english" for "auto").
    std::vector<std::string> analyzers() const;

    /// The member a document of database() comes from (Xapian interleaves the members'
    /// document ids).
    const IndexMember& member_of(Xapian::docid did) const;

    /// The members' paths for messages, which quote it: joined by "', '", so that 'LABEL'
    /// reads 'a', 'b'.
    std::string label() const;

    /// When the last commit was made: the newest modification time of the local members'
    /// revision files (seconds since the epoch); 0 when none can be read.
    std::int64_t last_commit() const;

    /// Reopens every member at its newest revision (after an indexer's commit overtook a
    /// search). Throws Error.
    void reopen();

    /// After `attempt` failed on the whole set: the path of the first member on which it fails
    /// alone, or the set's label() when it fails on none (or there is only one member).
    std::string blame(
        const std::function<void(const IndexMember&, const Xapian::Database&)>& attempt) const;

  private:
    IndexSet() = default;
    void check_shards();

    Xapian::Database db_;
    std::vector<IndexMember> members_;
    std::vector<Xapian::Database> parts_;  // one per member, for blame()
    std::vector<std::string> missing_;
    std::vector<std::string> notes_;
};

}  // namespace newsidx
