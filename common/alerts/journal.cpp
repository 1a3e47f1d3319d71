#include "journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "newsidx/error.hpp"

namespace newsidx::alerts::detail {

namespace fs = std::filesystem;
using nlohmann::json;

std::string searches_path(const std::string& dir) { return dir + "/searches.json"; }
std::string journal_path(const std::string& dir) { return dir + "/journal.jsonl"; }
std::string delivered_path(const std::string& dir, const std::string& receiver) {
    return dir + "/delivered/" + receiver;
}

FolderLock::FolderLock(const std::string& dir, const char* name) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    const std::string path = dir + "/" + name;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int locked = fd_ < 0 ? -1 : ::flock(fd_, LOCK_EX);
    while (locked != 0 && fd_ >= 0 && errno == EINTR) locked = ::flock(fd_, LOCK_EX);
    if (locked != 0) {
        const int saved = errno;
        if (fd_ >= 0) ::close(fd_);
        throw Error(ErrorCode::NotWritable,
                    "cannot lock the alerts folder's '" + path + "': " + std::strerror(saved));
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
}

std::string definition_of(const SavedSearch& search) {
    // Spaces around and between the words, and an "all" that says the default, change nothing.
    std::string query;
    for (std::size_t i = 0; i < search.query.size(); ++i) {
        const bool space = std::isspace(static_cast<unsigned char>(search.query[i]));
        if (!space) query += search.query[i];
        else if (!query.empty() && query.back() != ' ') query += ' ';
    }
    while (!query.empty() && query.back() == ' ') query.pop_back();
    std::map<std::string, std::string> options = search.options;
    if (const auto all = options.find("all");
        all != options.end() && (all->second == "1" || all->second == "true" ||
                                 all->second == "on" || all->second == "yes"))
        options.erase(all);
    const std::string text = json{{"query", query}, {"options", options}}.dump();
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(XXH3_64bits(text.data(), text.size())));
    return buf;
}

namespace {

json copy_json(const Copy& c) {
    return {{"date", c.date}, {"site", c.site}, {"url", c.url}, {"title", c.title}, {"path", c.path}};
}

Copy copy_of(const json& j) {
    return {j.value("date", ""), j.value("site", ""), j.value("url", ""), j.value("title", ""),
            j.value("path", "")};
}

}  // namespace

json json_of(const Alert& a) {
    json copies = json::array();
    json sites = json::array({a.article.site});
    for (const Copy& c : a.copies) {
        copies.push_back(copy_json(c));
        if (std::find(sites.begin(), sites.end(), c.site) == sites.end()) sites.push_back(c.site);
    }
    return {{"n", a.n},           {"search", a.search}, {"query", a.query},
            {"at", a.at},         {"change", a.change}, {"article", copy_json(a.article)},
            {"copies", copies},   {"sites", sites}};
}

Alert alert_of(const json& j) {
    Alert a;
    a.n = j.value("n", std::uint64_t{0});
    a.search = j.value("search", "");
    a.query = j.value("query", "");
    a.at = j.value("at", "");
    a.change = j.value("change", std::uint64_t{0});
    if (j.contains("article")) a.article = copy_of(j["article"]);
    if (j.contains("copies"))
        for (const json& c : j["copies"]) a.copies.push_back(copy_of(c));
    a.definition = j.value("definition", "");
    a.index = j.value("index", "");
    return a;
}

Journal::Journal(const std::string& dir, Access access) : dir_(dir), path_(journal_path(dir)) {
    std::ifstream in(path_, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t whole = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (whole < text.size() && access == Access::Write) {
        // A line torn by a crash: its check runs again.
        if (::truncate(path_.c_str(), static_cast<off_t>(whole)) != 0)
            throw Error(ErrorCode::NotWritable,
                        "cannot mend '" + path_ + "': " + std::strerror(errno));
    }
    text.resize(whole);  // a reader leaves a line that is being written alone
    std::istringstream lines(text);
    std::string line;
    for (unsigned number = 1; std::getline(lines, line); ++number) {
        if (line.empty()) continue;
        try {
            apply(json::parse(line));
        } catch (const json::exception& e) {
            throw Error(ErrorCode::Io, path_ + ":" + std::to_string(number) +
                                           ": not a journal line (" + e.what() + ")");
        }
    }
    if (id_.empty() && access == Access::Write) {
        record({{"type", "journal"}, {"id", random_id()}, {"at", now_utc()}});
        sync();
        sync_folder(dir_);
    }
}

Memory* Journal::current(const SavedSearch& search) {
    const auto it = memories_.find(search.name);
    return it != memories_.end() && it->second.definition == definition_of(search) ? &it->second
                                                                                   : nullptr;
}

const Memory* Journal::current(const SavedSearch& search) const {
    return const_cast<Journal*>(this)->current(search);
}

void Journal::apply(const json& line) {
    const std::string type = line.value("type", "");
    const std::string name = line.value("search", "");
    const auto it = memories_.find(name);
    // A line of a definition the search no longer has (it was edited since) is history only.
    Memory* m = it != memories_.end() && it->second.definition == line.value("definition", "")
                    ? &it->second
                    : nullptr;
    if (type == "journal") {
        id_ = line.value("id", "");
    } else if (type == "baseline") {
        Memory& fresh = memories_[name] = Memory();
        fresh.definition = line.value("definition", "");
        fresh.index = line.value("index", "");
        fresh.baseline = fresh.checked = line.value("change", std::uint64_t{0});
        fresh.after_archive = line.value("after_archive", false);
        fresh.first_alert = alerts_.empty() ? 0 : alerts_.back().n;
    } else if (type == "removed") {
        memories_.erase(name);
    } else if (type == "checked") {
        const json searches = line.value("searches", json::object());  // (items() of a temporary dangles)
        for (const auto& [searched, definition] : searches.items()) {
            const auto s = memories_.find(searched);
            if (s == memories_.end() || s->second.definition != definition.get<std::string>())
                continue;
            s->second.index = line.value("index", "");
            s->second.checked = line.value("change", std::uint64_t{0});
        }
    } else if (type == "seen" && m) {
        const json urls = line.value("urls", json::array());
        for (const json& url : urls) m->seen.insert(url.get<std::string>());
    } else if (type == "alert") {
        Alert a = alert_of(line);
        if (m) {
            m->seen.insert(a.article.url);
            for (const Copy& c : a.copies) m->seen.insert(c.url);
        }
        alerts_.push_back(std::move(a));
    }
}

void Journal::record(json line) {
    apply(line);
    pending_ += line.dump() + '\n';
}

void Journal::baseline(const SavedSearch& search, const std::string& index, std::uint64_t change,
                       bool after_archive) {
    json line{{"type", "baseline"}, {"search", search.name}, {"definition", definition_of(search)},
              {"index", index}, {"change", change}, {"at", now_utc()}};
    if (after_archive) line["after_archive"] = true;
    record(std::move(line));
}

std::vector<std::string> Journal::names() const {
    std::vector<std::string> names;
    for (const auto& [name, memory] : memories_) names.push_back(name);
    return names;
}

void Journal::removed(const std::string& name) {
    record({{"type", "removed"}, {"search", name}, {"at", now_utc()}});
}

void Journal::seen(const SavedSearch& search, const std::vector<std::string>& urls) {
    if (urls.empty()) return;
    record({{"type", "seen"}, {"search", search.name}, {"definition", definition_of(search)},
            {"urls", urls}});
}

const Alert& Journal::alert(const SavedSearch& search, const std::string& index, Alert alert) {
    alert.n = last_alert() + 1;
    json line = json_of(alert);
    line["type"] = "alert";
    line["definition"] = definition_of(search);
    line["index"] = index;
    record(std::move(line));
    return alerts_.back();
}

void Journal::checked(const std::map<std::string, std::string>& searches, const std::string& index,
                      std::uint64_t change) {
    if (searches.empty()) return;
    record({{"type", "checked"}, {"searches", searches}, {"index", index}, {"change", change}});
}

bool write_synced(int fd, const std::string& text) {
    if (fd < 0) return false;
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return ::fsync(fd) == 0;
}

void Journal::sync() {
    if (pending_.empty()) return;
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const bool ok = write_synced(fd, pending_);
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!ok)
        throw Error(ErrorCode::NotWritable,
                    "cannot write the alerts journal '" + path_ + "': " + std::strerror(saved));
    pending_.clear();
}

void sync_folder(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

void write_whole(const std::string& path, const std::string& text) {
    std::string temp = path + ".XXXXXX";
    const int fd = ::mkstemp(temp.data());
    bool ok = fd >= 0 && ::fchmod(fd, 0644) == 0 && write_synced(fd, text);
    int saved = errno;
    if (fd >= 0) ::close(fd);
    if (ok && std::rename(temp.c_str(), path.c_str()) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        if (fd >= 0) ::unlink(temp.c_str());
        throw Error(ErrorCode::NotWritable, "cannot write '" + path + "': " + std::strerror(saved));
    }
    sync_folder(fs::path(path).parent_path().string());
}

std::string random_id() {
    std::random_device random;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", random(), random());
    return buf;
}

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace newsidx::alerts::detail
