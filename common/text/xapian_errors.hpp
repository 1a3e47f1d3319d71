// The library's one error boundary: Xapian exceptions (which do not derive from
// std::exception) and any other std::exception become newsidx::Error here, and nowhere else.
#pragma once

#include <string>
#include <string_view>

namespace Xapian {
class DatabaseError;
}

namespace newsidx {
class Error;
}

namespace newsidx::detail {

/// Whether a DatabaseError has no reason of the system's (get_error_string(), errno's text, is
/// empty): the index itself is damaged ("EOF reading block 4": a table cut short).
bool is_damage(const Xapian::DatabaseError& e);

/// The error for an index that cannot be read for no reason of the system's (a damaged
/// table): names it damaged, with the hint to check and rebuild it.
Error damaged(std::string_view action, const std::string& db_path, const std::string& what);

/// Call only from inside a catch block: rethrows the current exception as newsidx::Error
/// (an Error as it is; Xapian's by kind, naming `db_path`; any other as ErrorCode::Internal).
[[noreturn]] void rethrow_xapian_error(std::string_view action, const std::string& db_path);

/// Runs `f` and lets nothing but newsidx::Error out of it: for the library's public entry
/// points, so that no front end ever sees a Xapian::Error.
template <typename F>
auto guarded(std::string_view action, const std::string& db_path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (...) {
        rethrow_xapian_error(action, db_path);
    }
}

}  // namespace newsidx::detail
