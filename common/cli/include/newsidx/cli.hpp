// The command-line layer both front ends share, without CLI11 types: the default index,
// exit codes, error printing and the one boundary that maps every exception to an exit code;
// and the searcher's batch runner.
#pragma once

#include <algorithm>
#include <functional>
#include <iosfwd>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "newsidx/error.hpp"
#include "newsidx/search.hpp"

namespace newsidx::cli {

/// searcher's exit codes (like grep's), and 3 for a batch with skipped lines.
inline constexpr int kHits = 0, kNoHits = 1, kSearchError = 2, kBatchSkipped = 3;
/// indexer's exit codes.
inline constexpr int kIndexed = 0, kFatal = 1, kUsage = 2, kRejected = 3, kInterrupted = 130;

/// What --version prints: "PROGRAM (newsidx) VERSION, index schema N, Xapian X, ICU Y".
std::string version_line(std::string_view program);

/// The index a front end uses without --db: $NEWSIDX_DB when set, else newsidx.db.
std::string default_db();

/// Runs `body` and returns its exit code; an exception is printed to `err` as one line
/// "PROGRAM: error: …" (and "PROGRAM: hint: …") and mapped by `code_of` (an Error, or a Xapian
/// error that escaped the library), or to `internal` ("PROGRAM: internal error: …", for an
/// Error(Internal) or any other exception). The front ends' one boundary.
int run(std::string_view program, std::ostream& err, const std::function<int()>& body,
        const std::function<int(const Error&)>& code_of, int internal);

/// Parses the command line with a CLI11 app; nullopt to go on, or the exit code to return when
/// the app printed its help, its version (`ok`) or a usage error (`usage`). For arguments the
/// app does not know (an ExtrasError), `extras_hint`, when given, follows the error on `err`.
/// A template, so that the library needs no CLI11:
/// `parse_command_line<CLI::ParseError, CLI::ExtrasError>(app, argc, argv, 0, 2, std::cerr)`.
/// The arguments as `app` is to read them (CLI11's order: last first), where an option that
/// takes a value is followed by flags: the flags go before it, so that "--show --json URL"
/// shows URL as JSON rather than show "--json".
template <typename App>
std::vector<std::string> flags_before_values(App& app, int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const auto expects = [&](const std::string& arg) -> int {  // -1: no option of the app
        if (arg.size() < 2 || arg[0] != '-' || arg.find('=') != std::string::npos) return -1;
        const auto* option = app.get_option_no_throw(arg);
        return option ? option->get_expected_min() : -1;
    };
    for (std::size_t i = 0; i + 1 < args.size() && args[i] != "--"; ++i) {
        if (expects(args[i]) < 1) continue;
        std::size_t j = i + 1;
        while (j < args.size() && args[j] != "--" && expects(args[j]) == 0) ++j;
        if (j > i + 1 && j < args.size()) {
            std::rotate(args.begin() + static_cast<std::ptrdiff_t>(i),
                        args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                        args.begin() + static_cast<std::ptrdiff_t>(j));
            i = j - 1;
        }
    }
    std::reverse(args.begin(), args.end());
    return args;
}

template <typename ParseError, typename ExtrasError, typename App>
std::optional<int> parse_command_line(App& app, int argc, char** argv, int ok, int usage,
                                      std::ostream& err, std::string_view extras_hint = {}) {
    try {
        std::vector<std::string> args = flags_before_values(app, argc, argv);
        app.parse(args);
        return std::nullopt;
    } catch (const ParseError& e) {
        if (e.get_exit_code() == 0) {  // --help or --version: CLI11 prints them
            app.exit(e);
            return ok;
        }
        // A bad command line reads like every other error of the tools: "NAME: error: ...".
        err << app.get_name() << ": error: " << e.what() << '\n';
        if (!extras_hint.empty() && dynamic_cast<const ExtrasError*>(&e))
            err << extras_hint << '\n';
        else
            err << app.get_name() << ": hint: " << app.get_name()
                << " --help lists the options, with examples\n";
        return usage;
    }
}

/// The output of a search: text, JSON, TREC run lines, or the timeline's and facets' tables
/// as CSV.
enum class Format { Text, Json, Trec, Csv };

/// --batch: answers every `id<TAB>query` line of `in` (called `name` in messages) with the
/// open `searcher`, printing JSON lines, TREC run lines or CSV rows (one header) to `out`. A line that is not
/// `id<TAB>query`, or whose search fails, is reported to `err` as NAME:LINE: reason and
/// skipped. Returns kHits, or kBatchSkipped when some lines were skipped.
int run_batch(Searcher& searcher, std::istream& in, const std::string& name, Format format,
              std::ostream& out, std::ostream& err);

/// One line of a --batch file: `id<TAB>query`.
struct BatchQuery {
    std::string id;
    std::string query;
};

/// Parses a batch line; nullopt with `reason` set for a line to report and skip. Blank lines
/// and lines starting with '#' give nullopt with an empty reason (skipped silently).
std::optional<BatchQuery> parse_batch_line(std::string_view line, std::string* reason);

}  // namespace newsidx::cli
