// searches.json: the saved searches and the receivers, as a person writes them; a saved
// search's options checked through the search option table.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>

#include "journal.hpp"
#include "newsidx/alerts.hpp"
#include "newsidx/error.hpp"
#include "newsidx/search.hpp"

namespace newsidx::alerts {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 3> kReceiverKinds{"log", "command", "webhook"};

// A name that is also a file name (a receiver's delivery mark) and a URL parameter.
bool good_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 && name[0] != '.' &&
           std::all_of(name.begin(), name.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '_' || c == '.';
           });
}

// A mistake in searches.json (or in a saved search sent over HTTP, `path` empty).
Error file_error(const std::string& path, const std::string& what) {
    if (path.empty()) return Error(ErrorCode::BadOption, what);
    return Error(ErrorCode::Io, path + ": " + what).with_hint("see docs/alerts.md for the file's form");
}

// Refuses a key of `j` that is none of `keys` (a misspelt key would be quietly ignored).
void only_keys(const json& j, std::initializer_list<std::string_view> keys, const std::string& what,
               const std::string& path) {
    if (!j.is_object()) throw file_error(path, what + " is not a JSON object");
    for (const auto& [key, value] : j.items()) {
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
        std::string known;
        for (std::string_view k : keys) known += (known.empty() ? "\"" : ", \"") + std::string(k) + "\"";
        throw file_error(path, what + " has \"" + key + "\", which is none of " + known);
    }
}

std::string text_of(const json& j, const std::string& key, const std::string& what,
                    const std::string& path) {
    if (!j.contains(key)) return {};
    if (!j[key].is_string()) throw file_error(path, what + ": \"" + key + "\" is not text");
    return j[key].get<std::string>();
}

Receiver receiver_of(const json& j, const std::string& path) {
    only_keys(j, {"name", "log", "command", "webhook", "secret_env"}, "a receiver", path);
    Receiver r;
    r.name = text_of(j, "name", "a receiver", path);
    const std::string what = "receiver '" + r.name + "'";
    for (std::string_view kind : kReceiverKinds)
        if (j.contains(std::string(kind))) {
            if (!r.kind.empty())
                throw file_error(path, what + " has both " + r.kind + " and " + std::string(kind));
            r.kind = kind;
            r.target = text_of(j, std::string(kind), what, path);
        }
    r.secret_env = text_of(j, "secret_env", what, path);
    if (!good_name(r.name))
        throw file_error(path, "a receiver needs a \"name\" of letters, digits, '-', '_' or '.' "
                               "(got '" + r.name + "')");
    if (r.kind.empty() || r.target.empty())
        throw file_error(path, what + " needs one of \"log\": FILE, \"command\": COMMAND or "
                                      "\"webhook\": URL");
    if (r.kind == "webhook" && r.target.rfind("http://", 0) != 0 &&
        r.target.rfind("https://", 0) != 0)
        throw file_error(path, what + ": a webhook is an http:// or https:// URL");
    if (r.kind != "webhook" && !r.secret_env.empty())
        throw file_error(path, what + ": \"secret_env\" signs webhooks only");
    return r;
}

// An option's value as the table's setter takes it: text, or a switch's true/false.
std::string option_value(const std::string& name, const json& value, const std::string& what,
                         const std::string& path) {
    const SearchOption* row = search_option(name);
    if (value.is_boolean() && row && row->type != OptionType::Switch)
        throw file_error(path, what + ": option \"" + name + "\" is text, not true/false");
    if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
    if (value.is_string()) return value.get<std::string>();
    throw file_error(path, what + ": option \"" + name + "\" is " + value.type_name() +
                               ", not text (or true/false)");
}

SavedSearch search_of(const json& j, const std::string& path) {
    only_keys(j, {"name", "query", "options"}, "a saved search", path);
    SavedSearch s;
    s.name = text_of(j, "name", "a saved search", path);
    const std::string what = "saved search '" + s.name + "'";
    s.query = text_of(j, "query", what, path);
    if (j.contains("options")) {
        if (!j["options"].is_object()) throw file_error(path, what + ": \"options\" is not an object");
        for (const auto& [name, value] : j["options"].items())
            s.options[name] = option_value(name, value, what, path);
    }
    if (!good_name(s.name))
        throw file_error(path, "a saved search needs a \"name\" of letters, digits, '-', '_' or "
                               "'.' (got '" + s.name + "')");
    return s;
}

}  // namespace

std::string default_dir(const std::string& db_path) {
    std::string base = db_path;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    return base + ".alerts";
}

SavedSearch parse_saved_search(const std::string& json_text) {
    try {
        const json j = json::parse(json_text);
        if (!j.is_object()) throw json::type_error::create(302, "not an object", nullptr);
        return search_of(j, "");
    } catch (const json::exception&) {
        throw Error(ErrorCode::BadOption,
                    "a saved search is JSON: {\"name\": NAME, \"query\": QUERY, \"options\": "
                    "{\"site\": HOST, ...}}");
    }
}

AlertFile load(const std::string& dir) {
    const std::string path = detail::searches_path(dir);
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    AlertFile file;
    try {
        const json j = json::parse(text);
        only_keys(j, {"searches", "receivers"}, "the file", path);
        for (const char* list : {"searches", "receivers"})
            if (j.contains(list) && !j[list].is_array())
                throw file_error(path, std::string("\"") + list + "\" is not a list ([...])");
        for (const json& s : j.value("searches", json::array()))
            file.searches.push_back(search_of(s, path));
        for (const json& r : j.value("receivers", json::array()))
            file.receivers.push_back(receiver_of(r, path));
    } catch (const json::parse_error& e) {
        const std::size_t at = std::min<std::size_t>(e.byte, text.size());
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
        throw file_error(path + ":" + std::to_string(line), "not valid JSON");
    } catch (const json::exception& e) {
        throw file_error(path, std::string("a value of the wrong kind (") + e.what() + ")");
    }
    for (std::size_t i = 0; i < file.searches.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (file.searches[i].name == file.searches[k].name)
                throw file_error(path, "two saved searches are named '" + file.searches[i].name + "'");
    for (std::size_t i = 0; i < file.receivers.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (file.receivers[i].name == file.receivers[k].name)
                throw file_error(path, "two receivers are named '" + file.receivers[i].name + "'");
    return file;
}

void save(const std::string& dir, const AlertFile& file) {
    json searches = json::array(), receivers = json::array();
    for (const SavedSearch& s : file.searches)
        searches.push_back({{"name", s.name}, {"query", s.query}, {"options", s.options}});
    for (const Receiver& r : file.receivers) {
        json j{{"name", r.name}, {r.kind, r.target}};
        if (!r.secret_env.empty()) j["secret_env"] = r.secret_env;
        receivers.push_back(std::move(j));
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    detail::write_whole(detail::searches_path(dir),
                        json{{"searches", searches}, {"receivers", receivers}}.dump(2) + "\n");
}

SearchOptions options_of(const SavedSearch& search, const SearchOptions& defaults) {
    if (!good_name(search.name))
        throw Error(ErrorCode::BadOption,
                    "a saved search's name is letters, digits, '-', '_' and '.' (got '" +
                        search.name + "')");
    SearchOptions o;
    o.db_paths = defaults.db_paths;
    o.timeout_ms = defaults.timeout_ms;
    o.allow_partial = defaults.allow_partial;
    o.query = search.query;
    // Every word must match, as with --all (an "all": "0" option, or OR in the query, says
    // otherwise): an alert has no ranking to put the articles that have them all first.
    o.match_all = true;
    for (const auto& [name, value] : search.options) {
        const SearchOption* row = search_option(name);
        const bool kept = std::find(kSavedOptions.begin(), kSavedOptions.end(), name) !=
                          kSavedOptions.end();
        if (!row || !kept)
            throw Error(ErrorCode::BadOption,
                        "saved search '" + search.name + "': " + opt(name) +
                            " is not kept by a saved search, which keeps only what chooses "
                            "the articles that match: " NEWSIDX_OPT("since") ", " NEWSIDX_OPT(
                                "until") ", " NEWSIDX_OPT("site") ", " NEWSIDX_OPT("lang") ", " NEWSIDX_OPT("all") " and " NEWSIDX_OPT("plain"));
        if (row->type == OptionType::Switch) {
            static const std::set<std::string> on{"1", "true", "on", "yes"},
                off{"0", "false", "off", "no"};
            if (!on.count(value) && !off.count(value))
                throw Error(ErrorCode::BadOption,
                            "saved search '" + search.name + "': " + opt(name) +
                                " is on or off (1, true, on, yes; 0, false, off, no), not '" +
                                value + "'");
            row->set(o, on.count(value) ? "1" : "0");
        } else {
            row->set(o, value);
        }
    }
    check_options(o);
    if (o.query.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error(ErrorCode::BadQuery, "saved search '" + search.name + "' has no query");
    check_query_text(o.query);
    return o;
}

Added add_search(const std::string& dir, const SavedSearch& search, const SearchOptions& defaults) {
    const SearchOptions options = options_of(search, defaults);
    Searcher searcher(options);
    searcher.search(options.query);  // a query the index cannot run is refused now
    const IndexChanges changes = searcher.changes();
    detail::FolderLock lock(dir);
    AlertFile file = load(dir);
    const auto same = std::find_if(file.searches.begin(), file.searches.end(),
                                   [&](const SavedSearch& s) { return s.name == search.name; });
    Added added;
    added.replaced = same != file.searches.end();
    const bool unchanged =
        added.replaced && detail::definition_of(*same) == detail::definition_of(search);
    if (added.replaced)
        *same = search;
    else
        file.searches.push_back(search);
    detail::Journal journal(dir, detail::Journal::Access::Write);
    // The same search saved again keeps its place; a new or edited one starts now, or, while
    // the index's first run goes on, where that run ends.
    const detail::Memory* known = journal.current(search);
    added.unchanged = unchanged && known && known->index == changes.id;
    added.after_first_run = !added.unchanged && changes.first_run;
    if (!added.unchanged) {
        journal.baseline(search, changes.id, changes.first_run ? 0 : changes.last, changes.first_run);
        journal.sync();
    }
    save(dir, file);
    return added;
}

bool remove_search(const std::string& dir, const std::string& name) {
    detail::FolderLock lock(dir);
    AlertFile file = load(dir);
    const auto it = std::find_if(file.searches.begin(), file.searches.end(),
                                 [&](const SavedSearch& s) { return s.name == name; });
    if (it == file.searches.end()) return false;
    file.searches.erase(it);
    save(dir, file);
    // Forgotten: saved again, it starts from then. (Should this not be written, the next check
    // forgets it: it is not in the file.)
    detail::Journal journal(dir, detail::Journal::Access::Write);
    journal.removed(name);
    journal.sync();
    return true;
}

}  // namespace newsidx::alerts
