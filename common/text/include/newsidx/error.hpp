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

/// How a front end spells an option's name: "--since" on the command line, "since" over HTTP.
enum class Spelling { Cli, Http };

/// An option's name in a message of the engine, which never speaks a front end's language: the
/// name between two markers (U+001E, U+001F) that spelled() turns into the front end's
/// spelling. opt("since") + ": impossible date" reads "--since: impossible date" on the
/// command line and "since: impossible date" over HTTP. (Text a user typed that holds the two
/// control characters around a name reads as that option's name too: they are no query's.)
std::string opt(std::string_view name);
#define NEWSIDX_OPT(name) "\x1e" name "\x1f"

/// `text` with each option name marked by opt() in `spelling`.
std::string spelled(std::string_view text, Spelling spelling);

/// An error that ends the current operation; carries a code and an optional hint that
/// tells the user what to do next. what() and hint() are spelled for the command line;
/// message() and hint() with a Spelling for any front end.
class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, const std::string& message)
        : std::runtime_error(spelled(message, Spelling::Cli)), code_(code), raw_(message) {}

    /// Returns a copy of this error with a hint ("run indexer first", ...).
    Error with_hint(std::string hint) const {
        Error e = *this;
        e.raw_hint_ = std::move(hint);
        e.hint_ = spelled(e.raw_hint_, Spelling::Cli);
        return e;
    }

    ErrorCode code() const noexcept { return code_; }
    const std::string& hint() const noexcept { return hint_; }
    /// The message and the hint as `spelling` names options.
    std::string message(Spelling spelling) const { return spelled(raw_, spelling); }
    std::string hint(Spelling spelling) const { return spelled(raw_hint_, spelling); }

  private:
    ErrorCode code_;
    std::string raw_;
    std::string hint_, raw_hint_;
};

/// Why a file is not an article. Printed as `path:line: reason`.
struct RecordError {
    std::string path;
    int line = 0;  ///< 1-based line in the file
    std::string reason;

    /// As the command line shows it (options spelled --name).
    std::string to_string() const {
        return path + ":" + std::to_string(line) + ": " + spelled(reason, Spelling::Cli);
    }
};

inline std::string opt(std::string_view name) {
    return "\x1e" + std::string(name) + "\x1f";
}

inline std::string spelled(std::string_view text, Spelling spelling) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::size_t end = text[i] == '\x1e' ? text.find('\x1f', i) : std::string_view::npos;
        if (end == std::string_view::npos) {
            out += text[i];
            continue;
        }
        if (spelling == Spelling::Cli) out += "--";
        out.append(text.substr(i + 1, end - i - 1));
        i = end;
    }
    return out;
}

/// The lines a front end prints for `e`: "PROGRAM: error: what" and, when there is a hint,
/// "PROGRAM: hint: hint", each ending in a newline.
inline std::string describe_error(std::string_view program, const Error& e) {
    std::string out = std::string(program) + ": error: " + e.what() + "\n";
    if (!e.hint().empty()) out += std::string(program) + ": hint: " + e.hint() + "\n";
    return out;
}

}  // namespace newsidx
