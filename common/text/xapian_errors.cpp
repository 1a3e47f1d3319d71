#include "xapian_errors.hpp"

#include <xapian.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "newsidx/error.hpp"

namespace newsidx::detail {

bool is_damage(const Xapian::DatabaseError& e) {
    const char* why = e.get_error_string();
    return !why || !*why;
}

Error damaged(std::string_view action, const std::string& db_path, const std::string& what) {
    return Error(ErrorCode::Xapian,
                 "index '" + db_path + "' is damaged (" + std::string(action) + "): " + what)
        .with_hint("check it with: xapian-check " + db_path +
                   "; rebuild it with: indexer " NEWSIDX_OPT("rebuild") " " NEWSIDX_OPT("db") " " +
                   db_path + " PATH...");
}

void rethrow_xapian_error(std::string_view action, const std::string& db_path) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const Xapian::DatabaseLockError&) {
        throw Error(ErrorCode::IndexLocked, "index '" + db_path + "' is locked by another indexer")
            .with_hint("wait for the other indexer to finish, or use another " NEWSIDX_OPT("db"));
    } catch (const Xapian::DatabaseModifiedError& e) {
        throw Error(ErrorCode::IndexChanged, "index '" + db_path + "' changed while " +
                                                 std::string(action) + ": " + e.get_msg());
    } catch (const Xapian::DatabaseVersionError& e) {
        throw Error(ErrorCode::SchemaMismatch,
                    "index '" + db_path + "' has an unsupported format: " + e.get_msg())
            .with_hint("re-index with: indexer " NEWSIDX_OPT("rebuild") " " NEWSIDX_OPT("db") " " + db_path + " PATH...");
    } catch (const Xapian::DatabaseNotFoundError&) {
        throw Error(ErrorCode::NoIndex, "no index at '" + db_path + "'")
            .with_hint("run indexer first, e.g.: indexer " NEWSIDX_OPT("db") " " + db_path + " samples/");
    } catch (const Xapian::DatabaseCreateError& e) {
        throw Error(ErrorCode::NotWritable,
                    "cannot create index '" + db_path + "': " + e.get_msg());
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw Error(ErrorCode::NoIndex, "cannot open index '" + db_path + "': " + e.get_msg())
            .with_hint("run indexer first, e.g.: indexer " NEWSIDX_OPT("db") " " + db_path + " samples/");
    } catch (const Xapian::DatabaseCorruptError& e) {
        throw damaged(action, db_path, e.get_msg());
    } catch (const Xapian::DatabaseError& e) {
        if (is_damage(e)) throw damaged(action, db_path, e.get_msg());
        // get_error_string() is the system's reason ("No space left on device").
        const std::string why = e.get_error_string();
        Error error(ErrorCode::NotWritable, std::string(action) + " '" + db_path +
                                                "' failed: " + e.get_msg() + " (" + why + ")");
        const bool full = why == std::strerror(ENOSPC);
        if (full)
            throw error.with_hint(
                "the disk is full: free some space, then run the same command "
                "again (the index is as the last run left it)");
        throw error;
    } catch (const Xapian::Error& e) {
        throw Error(ErrorCode::Xapian, std::string(action) +
                                           (db_path.empty() ? "" : " '" + db_path + "'") + ": " +
                                           e.get_description());
    } catch (const std::exception& e) {
        throw Error(ErrorCode::Internal, std::string(action) + ": " + e.what());
    }
}

}  // namespace newsidx::detail
