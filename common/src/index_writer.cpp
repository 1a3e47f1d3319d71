#include "newsidx/index_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "newsidx/analyzer.hpp"
#include "newsidx/error.hpp"
#include "newsidx/schema.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace {

std::string file_key(const std::string& path) { return bounded_term(schema::kFileKeyPrefix, path); }

// Metadata value: FileState::encode(), a newline, then the path (keys may be hashed).
std::optional<std::pair<FileState, std::string>> decode_file_entry(std::string_view value) {
    auto nl = value.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    auto state = FileState::decode(value.substr(0, nl));
    if (!state) return std::nullopt;
    return std::make_pair(std::move(*state), std::string(value.substr(nl + 1)));
}

}  // namespace

IndexWriter IndexWriter::open(const std::string& path, bool rebuild, const std::string& language) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(path, ec) && !fs::is_directory(path, ec))
        throw Error(ErrorCode::NotWritable, "'" + path + "' exists and is not an index directory");
    // Xapian reports a lock it cannot create as held by someone else; say what is really wrong.
    if (fs::is_directory(path, ec) && ::access(path.c_str(), W_OK) != 0)
        throw Error(ErrorCode::NotWritable,
                    "cannot write to index '" + path + "': " + std::strerror(errno))
            .with_hint("index into a folder you can write to, e.g. --db ./newsidx.db");
    // --rebuild of an existing index leaves it as it is (locked, and read by searchers) while
    // the new one is built beside it, to be swapped in at the end (see Run::run_bulk).
    const bool replacing = rebuild && fs::exists(fs::path(path) / "iamglass", ec);
    try {
        Xapian::WritableDatabase db(path, (replacing ? Xapian::DB_OPEN
                                           : rebuild ? Xapian::DB_CREATE_OR_OVERWRITE
                                                     : Xapian::DB_CREATE_OR_OPEN) |
                                              Xapian::DB_BACKEND_GLASS);
        const std::string version = db.get_metadata(std::string(schema::kVersionKey));
        const std::string stored_language = db.get_metadata(std::string(schema::kLanguageKey));
        std::string chosen = language.empty() ? stored_language : language;
        if (chosen.empty()) chosen = "english";
        if (replacing) {
            IndexWriter writer(std::move(db), chosen, false);
            writer.path_ = path;
            return writer;
        }
        if (version.empty() && db.get_doccount() > 0)
            throw Error(ErrorCode::SchemaMismatch,
                        "'" + path + "' is a Xapian index, but not newsidx's")
                .with_hint("choose another --db, or replace it with --rebuild");
        if (!version.empty() && version != std::to_string(schema::kSchemaVersion)) {
            const Error error(ErrorCode::SchemaMismatch,
                              "index '" + path + "' has schema version " + version +
                                  "; this indexer writes version " +
                                  std::to_string(schema::kSchemaVersion));
            if (std::atoi(version.c_str()) > schema::kSchemaVersion)
                throw error.with_hint(
                    "a newer newsidx wrote it: use that one, or start the index again with: "
                    "indexer --rebuild --db " +
                    path + " PATH...");
            throw error.with_hint("re-index with: indexer --rebuild --db " + path + " PATH...");
        }
        if (!stored_language.empty() && stored_language != chosen)
            throw Error(ErrorCode::BadOption, "index '" + path + "' was built with --lang " +
                                                  stored_language + ", not " + chosen)
                .with_hint("use --rebuild to change the stemming language");
        if (version.empty() || stored_language.empty()) {
            db.set_metadata(std::string(schema::kVersionKey),
                            std::to_string(schema::kSchemaVersion));
            db.set_metadata(std::string(schema::kLanguageKey), chosen);
            // At once: an indexer killed before its first batch leaves an empty newsidx index,
            // not a Xapian index that searchers cannot tell from someone else's.
            db.commit();
        }
        IndexWriter writer(std::move(db), chosen);
        writer.path_ = path;
        return writer;
    } catch (...) {
        detail::rethrow_xapian_error("opening index", path);
    }
}

IndexWriter IndexWriter::create_shard(const std::string& path, const std::string& language) {
    try {
        Xapian::WritableDatabase db(
            path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
        IndexWriter writer(std::move(db), language);
        writer.path_ = path;
        return writer;
    } catch (...) {
        detail::rethrow_xapian_error("creating index shard", path);
    }
}

std::string IndexWriter::path_term(const std::string& path) {
    return bounded_term(schema::kPathPrefix, path);
}

IndexWriter::IndexWriter(Xapian::WritableDatabase db, std::string language, bool stamp)
    : db_(std::move(db)), language_(std::move(language)) {
    if (stamp && db_.get_metadata(std::string(schema::kVersionKey)).empty()) {
        db_.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kSchemaVersion));
        db_.set_metadata(std::string(schema::kLanguageKey), language_);
    }
}

std::optional<FileState> IndexWriter::file_state(const std::string& path) const {
    try {
        auto entry = decode_file_entry(db_.get_metadata(file_key(path)));
        if (!entry || entry->second != path) return std::nullopt;
        return std::move(entry->first);
    } catch (...) {
        detail::rethrow_xapian_error("reading index metadata", path_);
    }
}

std::vector<std::string> IndexWriter::known_files() const {
    std::vector<std::string> paths;
    try {
        const std::string prefix(schema::kFileKeyPrefix);
        for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
            if (auto entry = decode_file_entry(db_.get_metadata(*it)))
                paths.push_back(std::move(entry->second));
        }
    } catch (...) {
        detail::rethrow_xapian_error("reading index metadata", path_);
    }
    return paths;
}

void IndexWriter::put(const std::string& path, const FileState& state,
                      const DocumentBuilder::Built& built) {
    try {
        // The file may have carried another URL before: drop its old article first.
        db_.delete_document(path_term(path));
        db_.replace_document(built.id_term, built.doc);
        db_.set_metadata(file_key(path), state.encode() + '\n' + path);
        for (const std::string& word : built.spellings) db_.add_spelling(word);
    } catch (...) {
        detail::rethrow_xapian_error("writing to index", path_);
    }
}

void IndexWriter::add_new(const std::string& path, const FileState& state,
                          const DocumentBuilder::Built& built) {
    try {
        db_.add_document(built.doc);
        db_.set_metadata(file_key(path), state.encode() + '\n' + path);
        for (const std::string& word : built.spellings) db_.add_spelling(word);
    } catch (...) {
        detail::rethrow_xapian_error("writing to index", path_);
    }
}

std::optional<std::string> IndexWriter::path_of(const std::string& id_term) const {
    try {
        auto it = db_.postlist_begin(id_term);
        if (it == db_.postlist_end(id_term)) return std::nullopt;
        return StoredRecord::decode(db_.get_document(*it).get_data()).path;
    } catch (...) {
        detail::rethrow_xapian_error("reading index", path_);
    }
}

void IndexWriter::delete_term(const std::string& term) {
    try {
        db_.delete_document(term);
    } catch (...) {
        detail::rethrow_xapian_error("writing to index", path_);
    }
}

void IndexWriter::touch(const std::string& path, const FileState& state) {
    try {
        db_.set_metadata(file_key(path), state.encode() + '\n' + path);
    } catch (...) {
        detail::rethrow_xapian_error("writing to index", path_);
    }
}

void IndexWriter::forget(const std::string& path) {
    try {
        db_.delete_document(path_term(path));
        db_.set_metadata(file_key(path), std::string());
    } catch (...) {
        detail::rethrow_xapian_error("writing to index", path_);
    }
}

void IndexWriter::close() {
    try {
        db_.commit();
        db_.close();
    } catch (...) {
        detail::rethrow_xapian_error("committing index", path_);
    }
}

void IndexWriter::commit() {
    try {
        db_.commit();
    } catch (...) {
        detail::rethrow_xapian_error("committing index", path_);
    }
}

}  // namespace newsidx
