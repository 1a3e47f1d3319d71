// Translates Xapian exceptions into newsidx::Error at the library boundary.
#pragma once

#include <string>
#include <string_view>

namespace newsidx::detail {

/// Call only from inside a catch block: rethrows the current exception as newsidx::Error.
[[noreturn]] void rethrow_xapian_error(std::string_view action, const std::string& db_path);

}  // namespace newsidx::detail
