// What an index is on disk, in one place for the indexer, the watcher and the searcher: every
// name beside and inside an index folder, its schema stamp (checked by both), and the folders
// of a bulk build's swap — <db>.build (scratch shards), <db>.new (the merged index) and
// <db>.old (the fallback swap's old index) — which the indexer makes and the searcher waits
// out. No other file spells one of these names.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace newsidx::detail {

/// The names beside an index folder <db>: the watcher's lock, a bulk build's scratch folder,
/// the merged index before the swap, and the old index during a fallback swap.
inline constexpr std::string_view kLockSuffix = ".lock";
inline constexpr std::string_view kBuildSuffix = ".build";
inline constexpr std::string_view kNextSuffix = ".new";
inline constexpr std::string_view kOldSuffix = ".old";
/// Every name a run may make beside <db> ("" for <db> itself), for the watcher to ignore.
inline constexpr std::string_view kSiblingSuffixes[] = {"", kLockSuffix, kBuildSuffix,
                                                        kNextSuffix, kOldSuffix};

/// `db_path` normalised, without trailing slashes, followed by `suffix`.
std::string index_sibling(const std::string& db_path, std::string_view suffix);

/// The file Xapian's glass backend rewrites at each commit: a folder holds an index when it
/// has one (and its modification time is the last commit's).
inline constexpr std::string_view kRevisionFile = "iamglass";
/// Whether the folder `path` holds a Xapian index.
bool holds_index(const std::string& path);
/// The revision file of the index at `path`.
std::string revision_file(const std::string& path);

/// A set of shards (indexer --shards N) is a folder DIR of shards DIR/1 .. DIR/N and a stub
/// file DIR/XAPIANDB naming them, which Xapian opens as one database.
inline constexpr std::string_view kStubFile = "XAPIANDB";
/// The stub file of the set in `dir`, and the name it is written under before a rename.
std::string stub_file(const std::string& dir);
std::string stub_scratch(const std::string& dir);
/// Scratch shard `j` of a bulk build, in the build folder `build_dir`.
std::string scratch_shard(const std::string& build_dir, unsigned j);
/// Whether `name`, an entry of a shard set's folder, is a name a run makes beside shard
/// `shard` ("3", "3.build", "3.new", "3.old"): `rest` is what follows the shard's number.
bool is_shard_sibling(std::string_view rest);

/// Who checks a schema stamp: a writer may stamp an index that has none; a reader may open
/// one that an indexer is only now creating.
enum class Access { Read, Write };

/// Checks the schema version stamped in `db` (the index at `path`) and returns the index's
/// analyzer name (empty when the index has no stamp yet: a new, empty index). Throws
/// Error(SchemaMismatch) naming `path`, with the hint to re-index (or, for an index a newer
/// newsidx wrote, to use that one).
std::string check_schema(const Xapian::Database& db, const std::string& path, Access access);

/// Writes the schema version and the analyzer name into a new index.
void stamp_schema(Xapian::WritableDatabase& db, const std::string& analyzer);

/// A new index's id (schema::kIndexId): 16 random hex digits.
std::string draw_index_id();

/// The folder a searcher should open for `db_path`: `db_path` itself, or, while an indexer
/// is between the two renames of a fallback swap, <db>.old (after waiting up to a second for
/// the new index to appear).
std::string resolve_for_reading(const std::string& db_path);

/// A run that died between the two renames of a fallback swap left only <db>.old: put it
/// back. Call while holding nothing; before opening the index for writing.
void recover_interrupted_swap(const std::string& db_path);

/// Replaces the index at `db_path` with the complete index at `next` (<db>.new). Linux swaps
/// the two folders in one step (a searcher sees the old index or the new one, never neither);
/// elsewhere two renames, <db> -> <db>.old and <db>.new -> <db>. The caller holds the locks of
/// both indexes throughout, so no other writer gets in between. Afterwards `next` holds the
/// old index (or nothing), for the caller to remove. Throws Error(NotWritable).
void swap_in(const std::string& next, const std::string& db_path);

/// An indexer that is not the watcher: throws Error(IndexLocked) while indexer --watch holds
/// the lock of `db_path` (<db>.lock), or of the set of shards that `db_path` is one of. Call
/// once holding the index's own lock, so that a watcher starting after the check cannot run
/// before this run ends (its first run is refused the index's lock).
void refuse_if_watched(const std::string& db_path);

/// fsyncs every file in `dir` and the folder itself.
void sync_tree(const std::string& dir);

/// Hands the memory the process freed back to the system (glibc keeps it, in every thread's
/// arena), between the phases of a large run whose peaks would otherwise add up.
void release_free_memory();

}  // namespace newsidx::detail
