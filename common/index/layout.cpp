#include "layout.hpp"

#include <fcntl.h>
#include <sys/file.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>  // renameat2
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "newsidx/error.hpp"
#include "schema.hpp"

namespace newsidx::detail {
namespace fs = std::filesystem;

std::string index_sibling(const std::string& db_path, std::string_view suffix) {
    std::string p = fs::path(db_path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p.append(suffix);
}

bool holds_index(const std::string& path) {
    std::error_code ec;
    return fs::exists(fs::path(path) / kRevisionFile, ec);
}

std::string revision_file(const std::string& path) {
    return (fs::path(path) / kRevisionFile).string();
}

std::string stub_file(const std::string& dir) { return (fs::path(dir) / kStubFile).string(); }

std::string stub_scratch(const std::string& dir) {
    return (fs::path(dir) / (std::string(kStubFile) + std::string(kNextSuffix))).string();
}

std::string scratch_shard(const std::string& build_dir, unsigned j) {
    return build_dir + "/shard-" + std::to_string(j);
}

bool is_shard_sibling(std::string_view rest) {
    return rest.empty() || rest == kBuildSuffix || rest == kNextSuffix || rest == kOldSuffix;
}

void refuse_if_watched(const std::string& db_path) {
    std::vector<std::string> locks{index_sibling(db_path, kLockSuffix)};
    // A shard of a set (DIR/K, beside the stub file DIR/XAPIANDB): the set's watcher too.
    const fs::path parent = fs::absolute(db_path).lexically_normal().parent_path();
    std::error_code ec;
    if (fs::is_regular_file(stub_file(parent.string()), ec))
        locks.push_back(index_sibling(parent.string(), kLockSuffix));
    for (const std::string& lock : locks) {
        const int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;  // no watcher ever, or one that ended
        const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
        ::close(fd);
        if (held)
            throw Error(
                ErrorCode::IndexLocked,
                "index '" + db_path + "' is kept up to date by indexer " NEWSIDX_OPT("watch") " ('" + lock + "')")
                .with_hint(
                    "the watcher indexes the changes to its folders itself; stop it "
                    "first to index others");
    }
}

std::string check_schema(const Xapian::Database& db, const std::string& path, Access access) {
    const std::string version = db.get_metadata(std::string(schema::kVersion.key));
    const std::string analyzer = db.get_metadata(std::string(schema::kLanguage.key));
    const std::string expected = std::to_string(schema::kSchemaVersion);
    if (version == expected) return analyzer;
    if (version.empty()) {
        // No stamp and no documents: an index an indexer is only now creating.
        if (db.get_doccount() == 0) return {};
        if (access == Access::Write)
            throw Error(ErrorCode::SchemaMismatch,
                        "'" + path + "' is a Xapian index, but not newsidx's")
                .with_hint("choose another " NEWSIDX_OPT("db") ", or replace it with " NEWSIDX_OPT("rebuild"));
    }
    const Error error(ErrorCode::SchemaMismatch,
                      "index '" + path + "' has schema version " +
                          (version.empty() ? std::string("(none)") : version) + "; this " +
                          (access == Access::Write ? "indexer writes" : "searcher reads") +
                          " version " + expected);
    if (std::atoi(version.c_str()) > schema::kSchemaVersion)
        throw error.with_hint(
            "a newer newsidx wrote it: use that one, or start the index again with: "
            "indexer " NEWSIDX_OPT("rebuild") " " NEWSIDX_OPT("db") " " +
            path + " PATH...");
    throw error.with_hint("re-index with: indexer " NEWSIDX_OPT("rebuild") " " NEWSIDX_OPT("db") " " + path + " PATH...");
}

void stamp_schema(Xapian::WritableDatabase& db, const std::string& analyzer) {
    db.set_metadata(std::string(schema::kVersion.key), std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::kLanguage.key), analyzer);
}

std::string draw_index_id() {
    std::random_device random;
    const std::uint64_t id = (std::uint64_t{random()} << 32) ^ random();
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
    return buf;
}

std::string resolve_for_reading(const std::string& db_path) {
    std::error_code ec;
    const std::string old = index_sibling(db_path, kOldSuffix);
    for (int tries = 0; tries < 50 && !fs::exists(db_path, ec) && fs::exists(old, ec); ++tries)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return !fs::exists(db_path, ec) && fs::exists(old, ec) ? old : db_path;
}

void recover_interrupted_swap(const std::string& db_path) {
    std::error_code ec;
    const std::string old = index_sibling(db_path, kOldSuffix);
    if (!fs::exists(db_path, ec) && fs::exists(old, ec)) fs::rename(old, db_path, ec);
}

void swap_in(const std::string& next, const std::string& db_path) {
    std::error_code ec;
    const std::string old_dir = index_sibling(db_path, kOldSuffix);
    fs::remove_all(old_dir, ec);
    if (::renameat2(AT_FDCWD, next.c_str(), AT_FDCWD, db_path.c_str(), RENAME_EXCHANGE) != 0) {
        fs::rename(db_path, old_dir, ec);
        if (!ec) fs::rename(next, db_path, ec);
        if (ec)
            throw Error(ErrorCode::NotWritable,
                        "cannot replace '" + db_path + "' with the merged index: " + ec.message());
    }
    sync_tree(fs::absolute(index_sibling(db_path, "")).parent_path().string());
    fs::remove_all(old_dir, ec);  // the fallback's old index; nothing after an exchange
}

void release_free_memory() {
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

void sync_tree(const std::string& dir) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace newsidx::detail
