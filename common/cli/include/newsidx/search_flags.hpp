// The command line's side of the search option table (newsidx/options.hpp): each row becomes a
// CLI11 flag or option with its type's check (a range, a list of choices), its help, and what
// it needs and excludes; after parsing, the values given are stored through the rows' setters,
// so the command line and the server fill SearchOptions alike.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

#include "newsidx/options.hpp"

namespace newsidx::cli {

/// A CLI11 check that names the choices (CLI11's transformers print their internal maps):
/// "'newst' is not one of relevance, newest, oldest".
template <typename Choices>
CLI::Validator one_of(const Choices& names) {
    const std::vector<std::string> choices(std::begin(names), std::end(names));
    return CLI::Validator(
        [choices](std::string& value) { return not_one_of(value, choices); }, "");
}

class SearchFlags {
  public:
    /// Declares every row of search_options() on `app`, in the table's order.
    explicit SearchFlags(CLI::App& app);

    // The rows' storage is referred to by the app.
    SearchFlags(const SearchFlags&) = delete;
    SearchFlags& operator=(const SearchFlags&) = delete;

    /// The rows' needs and excludes. Call once the front end has declared its own options too:
    /// a row may exclude one of them (--like excludes --batch).
    void link(CLI::App& app);

    /// The values given on the command line, into `options`, in the table's order; a
    /// repeatable row's values replace its default ones. Throws Error(BadOption) naming the
    /// option.
    void apply(SearchOptions& options) const;

    /// The rows given on the command line, as text (a switch "1" or "0", a repeatable row's
    /// values joined by commas), but those that choose the index (--db, --timeout,
    /// --allow-partial): what a saved search is asked to keep.
    std::map<std::string, std::string> given() const;

  private:
    struct Flag {
        const SearchOption* row = nullptr;
        CLI::Option* option = nullptr;
        std::string value;                // a row that takes one value
        std::vector<std::string> values;  // a repeatable row
        bool on = false;                  // a Switch
    };
    std::vector<Flag> flags_;
};

}  // namespace newsidx::cli
