// IndexWriter: the one place that writes a newsidx index. Every change is made in Xapian's
// own transaction model: nothing is visible, and nothing survives a crash, before commit().
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

#include "newsidx/document.hpp"

namespace newsidx {

class IndexWriter {
  public:
    /// Opens (or creates) the index at `path`. `language` is the stemmer name the caller
    /// asks for, or empty to use the index's own (english for a new index). With `rebuild`
    /// the existing index is to be replaced: it is opened (and locked) as it is, unchecked,
    /// and the caller builds the new one beside it. Throws Error: IndexLocked, NotWritable,
    /// SchemaMismatch, BadOption (language differs from the index's).
    static IndexWriter open(const std::string& path, bool rebuild, const std::string& language);

    /// Creates a scratch shard for a bulk build: written without fsync (a crash discards it),
    /// merged into the real index by Xapian's compaction. Throws Error(NotWritable).
    static IndexWriter create_shard(const std::string& path, const std::string& language);

    /// Wraps an already open database (tests use an in-memory one). `stamp`: write the schema
    /// version and language into one that has none.
    IndexWriter(Xapian::WritableDatabase db, std::string language, bool stamp = true);

    /// The stemmer name the index is built with ("english", "none", ...).
    const std::string& language() const { return language_; }

    /// What the index knows of the file at `path`, if anything.
    std::optional<FileState> file_state(const std::string& path) const;

    /// Every source file path the index knows.
    std::vector<std::string> known_files() const;

    /// Indexes `built` as the article of the file at `path`, replacing any earlier article
    /// of that file and any article with the same URL.
    void put(const std::string& path, const FileState& state, const DocumentBuilder::Built& built);

    /// Adds `built` as a new document without looking for an earlier one (bulk builds, where
    /// the caller knows the URL is not in this database yet).
    void add_new(const std::string& path, const FileState& state,
                 const DocumentBuilder::Built& built);

    /// The source path stored with the article whose id term is `id_term`, if there is one.
    std::optional<std::string> path_of(const std::string& id_term) const;

    /// Deletes every document indexed by `term` (an id or path term).
    void delete_term(const std::string& term);

    /// The XP term of a source path.
    static std::string path_term(const std::string& path);

    /// Records the state of a file whose content is unchanged but whose mtime moved.
    void touch(const std::string& path, const FileState& state);

    /// Removes the file's article (if it still owns one) and its state.
    void forget(const std::string& path);

    /// Makes every change so far durable and visible. Throws Error on failure.
    void commit();

    /// Commits and releases the database (and its lock).
    void close();

    const std::string& path() const { return path_; }

    Xapian::WritableDatabase& database() { return db_; }

  private:
    Xapian::WritableDatabase db_;
    std::string language_;
    std::string path_;
};

}  // namespace newsidx
