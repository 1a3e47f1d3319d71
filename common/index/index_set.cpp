#include "newsidx/index_set.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "layout.hpp"
#include "analyzer.hpp"
#include "document.hpp"
#include "newsidx/error.hpp"
#include "schema.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace fs = std::filesystem;
namespace {

struct Location {
    std::string path;  // a folder, host:port, or the program line of a program remote
    bool remote = false;
    std::string host;  // a TCP remote's (xapian-tcpsrv)
    unsigned port = 0;
    std::string program, args;  // a program remote's (xapian-progsrv, e.g. through ssh)
};

Location local(const std::string& path) {
    Location loc;
    loc.path = path;
    return loc;
}

Error no_index(const std::string& path) {
    return Error(ErrorCode::NoIndex, "no index at '" + path + "'")
        .with_hint(path == "newsidx.db" || path == "./newsidx.db"
                       ? "run indexer first, e.g.: indexer samples/"
                       : "run indexer first, e.g.: indexer " NEWSIDX_OPT("db") " " + path + " samples/");
}

// A stub file's members, with the members of stub files it names in their place (up to
// `depth` levels). Its format is Xapian's; parsed here so that each member is opened, checked
// and named on its own.
std::vector<Location> read_stub(const std::string& stub, int depth = 8) {
    if (depth == 0)
        throw Error(ErrorCode::NoIndex, "stub file '" + stub + "': stub files nest too deep")
            .with_hint("does a stub file name itself?");
    std::ifstream in(stub);
    if (!in) throw Error(ErrorCode::NoIndex, "cannot read stub file '" + stub + "'");
    const fs::path base = fs::path(stub).parent_path();
    std::vector<Location> out;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        std::istringstream words(line);
        std::string kind, where;
        if (!(words >> kind) || kind[0] == '#') continue;
        auto bad = [&](const std::string& why) {
            return Error(ErrorCode::NoIndex, stub + ":" + std::to_string(line_no) + ": " + why)
                .with_hint(
                    "stub lines are: auto PATH, glass PATH, tcp HOST PORT, "
                    "remote :HOST:PORT, remote PROGRAM ARGS...");
        };
        if (kind == "auto" || kind == "glass") {
            if (!(words >> where)) throw bad(kind + " needs a path");
            const fs::path p(where);
            const std::string member = (p.is_absolute() ? p : base / p).lexically_normal().string();
            std::error_code ec;
            if (fs::is_regular_file(member, ec)) {
                for (Location& nested : read_stub(member, depth - 1)) out.push_back(nested);
            } else if (!fs::exists(member, ec)) {
                // The line is right; the shard is missing: say what to do about that.
                throw Error(ErrorCode::NoIndex, stub + ":" + std::to_string(line_no) +
                                                    ": no index at '" + member + "'")
                    .with_hint("is it on another machine or mount? index it with: indexer "
                               NEWSIDX_OPT("db") " " + member +
                               " PATH...; or drop the line to search without it");
            } else {
                out.push_back(local(member));
            }
        } else if (kind == "tcp" || kind == "remote") {
            Location loc;
            loc.remote = true;
            if (kind == "tcp") {
                if (!(words >> loc.host >> loc.port)) throw bad("tcp needs HOST PORT");
            } else if (!(words >> where)) {
                throw bad("remote needs :HOST:PORT or a program and its arguments");
            } else if (where[0] != ':' && where.find(':') != std::string::npos &&
                       where.find('/') == std::string::npos) {
                throw bad("'" + where + "' is neither :HOST:PORT (the colon first) nor a program");
            } else if (where[0] != ':') {
                // A program remote: the program speaks Xapian's protocol on its stdin and
                // stdout (xapian-progsrv DB, or ssh HOST xapian-progsrv DB).
                loc.program = where;
                std::getline(words >> std::ws, loc.args);
                loc.path = loc.args.empty() ? loc.program : loc.program + " " + loc.args;
                out.push_back(std::move(loc));
                continue;
            } else {
                const std::size_t colon = where.rfind(':');
                const std::string port = colon == 0 ? std::string() : where.substr(colon + 1);
                if (colon == 0 || port.empty() || port.size() > 5 ||
                    !std::all_of(port.begin(), port.end(),
                                 [](char c) { return c >= '0' && c <= '9'; }))
                    throw bad("remote needs :HOST:PORT, a port of digits: " + line);
                loc.host = where.substr(1, colon - 1);
                loc.port = static_cast<unsigned>(std::stoul(port));
            }
            if (loc.host.empty() || loc.port == 0 || loc.port > 65535)
                throw bad("not a host and port: " + line);
            loc.path = loc.host + ":" + std::to_string(loc.port);
            out.push_back(std::move(loc));
        } else {
            throw bad("unknown kind '" + kind + "'");
        }
    }
    if (out.empty()) throw Error(ErrorCode::NoIndex, "stub file '" + stub + "' names no index");
    return out;
}

}  // namespace

IndexSet IndexSet::open(const std::vector<std::string>& paths, const OpenOptions& how) {
    IndexSet set;
    for (const std::string& given : paths) {
        std::vector<Location> locations;
        const std::string path = detail::resolve_for_reading(given);
        std::error_code ec;
        if (!fs::exists(path, ec)) throw no_index(path);
        if (fs::is_regular_file(path, ec))
            locations = read_stub(path);
        else if (const std::string stub = detail::stub_file(path); fs::is_regular_file(stub, ec))
            locations = read_stub(stub);  // a folder of shards (indexer --shards N)
        else
            locations.push_back(local(path));
        for (const Location& loc : locations) {
            if (!loc.remote && !fs::exists(loc.path, ec)) throw no_index(loc.path);
            const auto open_part = [&] {
                if (!loc.remote) return Xapian::Database(loc.path);
                if (!loc.program.empty())
                    return Xapian::Remote::open(loc.program, loc.args, how.timeout_ms);
                return Xapian::Remote::open(loc.host, loc.port, how.timeout_ms, how.timeout_ms);
            };
            // A shard that is down is left out and named when that is allowed (opened here,
            // outside the guard that would turn its failure into an error); a local index
            // never is.
            const bool may_be_missing = loc.remote && how.allow_partial;
            Xapian::Database part;
            if (may_be_missing) {
                try {
                    part = open_part();
                } catch (const Xapian::Error& e) {
                    set.missing_.push_back(loc.path + ": " + e.get_description());
                    continue;
                }
            }
            detail::guarded("opening index", loc.path, [&] {
                if (!may_be_missing) part = open_part();
                std::string analyzer = detail::check_schema(part, loc.path, detail::Access::Read);
                set.members_.push_back({loc.path, analyzer.empty() ? "english" : analyzer,
                                        loc.remote,
                                        part.get_metadata(std::string(schema::kShard.key))});
                set.db_.add_database(part);
                set.parts_.push_back(std::move(part));
            });
        }
    }
    if (set.members_.empty() && !set.missing_.empty()) {
        std::string all;  // each shard, with why
        for (const std::string& m : set.missing_) all += (all.empty() ? "" : "; ") + m;
        throw Error(ErrorCode::NoIndex, "no shard answered: " + all);
    }
    set.check_shards();
    return set;
}

void IndexSet::check_shards() {
    // Shard K of N per member that is one (indexer --shard K/N, --shards N).
    std::map<unsigned, std::vector<std::pair<unsigned, std::string>>> by_split;  // N -> (K, path)
    std::vector<std::string> whole;
    for (const IndexMember& m : members_) {
        if (const auto spec = ShardSpec::parse(m.shard); spec && !spec->whole())
            by_split[spec->n].emplace_back(spec->k, m.path);
        else
            whole.push_back(m.path);
    }
    if (by_split.empty()) return;
    if (by_split.size() > 1 || !whole.empty()) {
        notes_.push_back(
            "the set mixes indexes of different splits (" +
            std::string(whole.empty() ? "" : "whole indexes and ") +
            "shards of sets of " + [&] {
                std::string ns;
                for (const auto& [n, parts] : by_split)
                    ns += (ns.empty() ? "" : ", ") + std::to_string(n);
                return ns;
            }() +
            "): an article in two of them counts twice");
        return;
    }
    const auto& [n, parts] = *by_split.begin();
    std::map<unsigned, unsigned> seen;
    for (const auto& [k, path] : parts) ++seen[k];
    std::vector<unsigned> twice, absent;
    for (const auto& [k, times] : seen)
        if (times > 1) twice.push_back(k);
    for (unsigned k = 1; k <= n; ++k)
        if (!seen.count(k)) absent.push_back(k);
    // "shard 2 of 3 is", "shards 1, 3 of 3 are"
    const auto shards = [n = n](const std::vector<unsigned>& ks) {
        std::string list;
        for (unsigned k : ks) list += (list.empty() ? "" : ", ") + std::to_string(k);
        return (ks.size() == 1 ? "shard " : "shards ") + list + " of " + std::to_string(n) +
               (ks.size() == 1 ? " is" : " are");
    };
    if (!twice.empty())
        notes_.push_back(shards(twice) +
                         " in the set more than once: their articles count twice");
    // A remote shard left out (--allow-partial) is said already, by name.
    if (!absent.empty() && missing_.empty())
        notes_.push_back(shards(absent) + " not in the set: the answers leave their articles out");
}

std::vector<std::string> analyzers_in(const Xapian::Database& db) {
    std::vector<std::string> out;
    const std::string prefix(schema::kAnalyzer.prefix);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
        out.push_back((*it).substr(prefix.size()));
    return out;
}

bool IndexSet::has_remote() const {
    return std::any_of(members_.begin(), members_.end(),
                       [](const IndexMember& m) { return m.remote; });
}

std::vector<std::string> IndexSet::analyzers() const {
    std::vector<std::string> out =
        detail::guarded("reading", label(), [&] { return analyzers_in(db_); });
    if (out.empty()) {
        // No articles yet: the members' own analyzers (english for "auto").
        for (const IndexMember& m : members_) {
            const std::string name = m.analyzer == kAutoAnalysis ? "english" : m.analyzer;
            if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
        }
    }
    return out;
}

const IndexMember& IndexSet::member_of(Xapian::docid did) const {
    return members_[(did - 1) % members_.size()];
}

std::string IndexSet::label() const {
    std::string out;
    for (const IndexMember& m : members_) out += (out.empty() ? "" : "', '") + m.path;
    return out;
}

void IndexSet::reopen() {
    detail::guarded("reopening index", label(), [&] { db_.reopen(); });
}

std::string IndexSet::blame(
    const std::function<void(const IndexMember&, const Xapian::Database&)>& attempt) const {
    if (members_.size() > 1) {
        for (std::size_t i = 0; i < parts_.size(); ++i) {
            try {
                attempt(members_[i], parts_[i]);
            } catch (...) {
                return members_[i].path;
            }
        }
    }
    return label();
}

std::string IndexSet::metadata(const std::string& key) const {
    for (const Xapian::Database& part : parts_) {
        std::string value = part.get_metadata(key);
        if (!value.empty()) return value;
    }
    return {};
}

std::int64_t IndexSet::last_commit() const {
    std::int64_t newest = 0;
    for (const IndexMember& m : members_) {
        if (m.remote) continue;
        struct stat st {};
        if (::stat(detail::revision_file(m.path).c_str(), &st) == 0)
            newest = std::max<std::int64_t>(newest, st.st_mtim.tv_sec);
    }
    return newest;
}

}  // namespace newsidx
