// Errors that end an operation. Bad records in a corpus are not errors but values
// (see article.hpp); bugs are assertions.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace newsidx {

enum class ErrorCode {
    NoIndex,         ///< the index directory does not exist or holds no index
    IndexLocked,     ///< another writer holds the index lock
    SchemaMismatch,  ///< the index was written by another schema version
    NotWritable,     ///< the index cannot be created or written
    BadQuery,        ///< the query text cannot be parsed
    BadOption,       ///< an option value is invalid (a date, a host, ...)
    Io,              ///< reading input failed
    Xapian,          ///< any other Xapian failure
    Icu,             ///< an ICU call failed
    IndexChanged,    ///< an indexer replaced what a search was reading; reopen and retry
    Internal,        ///< anything else that ended the operation (out of memory, a bug)
};

/// An error that ends the current operation; carries a code and an optional hint that
/// tells the user what to do next.
class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}

    /// Returns a copy of this error with a hint ("run indexer first", ...).
    Error with_hint(std::string hint) const {
        Error e = *this;
        e.hint_ = std::move(hint);
        return e;
    }

    ErrorCode code() const noexcept { return code_; }
    const std::string& hint() const noexcept { return hint_; }

  private:
    ErrorCode code_;
    std::string hint_;
};

/// Why a file is not an article. Printed as `path:line: reason`.
struct RecordError {
    std::string path;
    int line = 0;  ///< 1-based line in the file
    std::string reason;

    std::string to_string() const { return path + ":" + std::to_string(line) + ": " + reason; }
};

/// The lines a front end prints for `e`: "PROGRAM: error: what" and, when there is a hint,
/// "PROGRAM: hint: hint", each ending in a newline.
inline std::string describe_error(std::string_view program, const Error& e) {
    std::string out = std::string(program) + ": error: " + e.what() + "\n";
    if (!e.hint().empty()) out += std::string(program) + ": hint: " + e.hint() + "\n";
    return out;
}

}  // namespace newsidx
