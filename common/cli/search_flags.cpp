#include "newsidx/search_flags.hpp"

#include "newsidx/error.hpp"

namespace newsidx::cli {
namespace {

// "-n,--limit" or "--since".
std::string names_of(const SearchOption& row) {
    std::string names = "--" + std::string(row.name);
    if (row.alias) names = std::string("-") + row.alias + "," + names;
    return names;
}

CLI::Option* declare(CLI::App& app, const SearchOption& row, std::string& value,
                     std::vector<std::string>& values, bool& on) {
    const std::string help = spelled(row.help, Spelling::Cli);
    if (row.type == OptionType::Switch) return app.add_flag(names_of(row), on, help);
    CLI::Option* option = row.repeatable ? app.add_option(names_of(row), values, help)
                                         : app.add_option(names_of(row), value, help);
    // One value per flag: "--db DIR QUERY" leaves QUERY alone.
    if (row.repeatable) option->allow_extra_args(false);
    if (!row.value_name.empty()) option->type_name(std::string(row.value_name));
    switch (row.type) {
        case OptionType::Whole:
            option->check(CLI::Range(static_cast<long>(row.min), static_cast<long>(row.max)));
            break;
        case OptionType::Number:
            option->check(CLI::Range(row.min, row.max));
            break;
        case OptionType::Choice:
            option->check(one_of(row.choices));
            break;
        default:
            break;
    }
    return option;
}

}  // namespace

SearchFlags::SearchFlags(CLI::App& app) {
    flags_.reserve(search_options().size());  // the app keeps the addresses of the values
    for (const SearchOption& row : search_options()) {
        flags_.emplace_back();
        flags_.back().row = &row;
        Flag& flag = flags_.back();
        flag.option = declare(app, row, flag.value, flag.values, flag.on);
    }
}

void SearchFlags::link(CLI::App& app) {
    for (const Flag& flag : flags_) {
        if (!flag.row->needs.empty())
            flag.option->needs("--" + std::string(flag.row->needs));
        for (const std::string_view other : flag.row->excludes)
            if (!other.empty()) flag.option->excludes(app.get_option("--" + std::string(other)));
    }
}

void SearchFlags::apply(SearchOptions& options) const {
    for (const Flag& flag : flags_) {
        if (flag.option->count() == 0) continue;
        if (flag.row->type == OptionType::Switch) {
            flag.row->set(options, flag.on ? "1" : "0");
        } else if (flag.row->repeatable) {
            if (flag.row->clear) flag.row->clear(options);
            for (const std::string& value : flag.values) flag.row->set(options, value);
        } else if (flag.row->type == OptionType::Whole) {
            // As CLI11's range check read it (0x2 is 2), not as text: the setter takes decimals.
            std::uint64_t value = 0;
            CLI::detail::lexical_cast(flag.value, value);
            flag.row->set(options, std::to_string(value));
        } else {
            flag.row->set(options, flag.value);
        }
    }
}

std::map<std::string, std::string> SearchFlags::given() const {
    std::map<std::string, std::string> given;
    for (const Flag& flag : flags_) {
        const std::string name(flag.row->name);
        if (flag.option->count() == 0 || name == "db" || name == "timeout" || name == "allow-partial")
            continue;
        std::string value = flag.row->type == OptionType::Switch ? (flag.on ? "1" : "0") : flag.value;
        if (flag.row->repeatable)
            for (const std::string& v : flag.values) value += (value.empty() ? "" : ",") + v;
        given[name] = value;
    }
    return given;
}

}  // namespace newsidx::cli
