#include "journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
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

FolderLock::FolderLock(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    fd_ = ::open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw Error(ErrorCode::NotWritable,
                    "cannot use the alerts folder '" + dir + "': " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
}

std::string definition_of(const SavedSearch& search) {
    const std::string text = json{{"query", search.query}, {"options", search.options}}.dump();
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(XXH3_64bits(text.data(), text.size())));
    return buf;
}

namespace {

std::string key_of(const std::string& name, const std::string& definition) {
    return name + '\n' + definition;
}

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
    return a;
}

Journal::Journal(const std::string& dir) : path_(journal_path(dir)) {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t whole = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (whole < text.size()) {
        // A line torn by a crash: its check runs again.
        if (::truncate(path_.c_str(), static_cast<off_t>(whole)) != 0)
            throw Error(ErrorCode::NotWritable,
                        "cannot mend '" + path_ + "': " + std::strerror(errno));
        text.resize(whole);
    }
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
}

Memory& Journal::memory(const SavedSearch& search) {
    return memories_[key_of(search.name, definition_of(search))];
}

const Memory* Journal::find(const SavedSearch& search) const {
    const auto it = memories_.find(key_of(search.name, definition_of(search)));
    return it == memories_.end() ? nullptr : &it->second;
}

void Journal::apply(const json& line) {
    const std::string type = line.value("type", "");
    Memory& m = memories_[key_of(line.value("search", ""), line.value("definition", ""))];
    if (type == "baseline") {
        m = Memory();
        m.started = true;
        m.index = line.value("index", "");
        m.baseline = m.checked = line.value("change", std::uint64_t{0});
    } else if (type == "checked") {
        m.index = line.value("index", "");
        m.checked = line.value("change", std::uint64_t{0});
    } else if (type == "seen") {
        for (const json& url : line["urls"]) m.seen.insert(url.get<std::string>());
    } else if (type == "alert") {
        Alert a = alert_of(line);
        m.seen.insert(a.article.url);
        for (const Copy& c : a.copies) m.seen.insert(c.url);
        ++m.alerts;
        alerts_.push_back(std::move(a));
    }
}

void Journal::record(json line) {
    apply(line);
    pending_ += line.dump() + '\n';
}

void Journal::baseline(const SavedSearch& search, const std::string& index, std::uint64_t change) {
    record({{"type", "baseline"}, {"search", search.name}, {"definition", definition_of(search)},
            {"index", index}, {"change", change}, {"at", now_utc()}});
}

void Journal::seen(const SavedSearch& search, const std::vector<std::string>& urls) {
    if (urls.empty()) return;
    record({{"type", "seen"}, {"search", search.name}, {"definition", definition_of(search)},
            {"urls", urls}});
}

const Alert& Journal::alert(const SavedSearch& search, Alert alert) {
    alert.n = last_alert() + 1;
    json line = json_of(alert);
    line["type"] = "alert";
    line["definition"] = definition_of(search);
    record(std::move(line));
    return alerts_.back();
}

void Journal::checked(const SavedSearch& search, const std::string& index, std::uint64_t change) {
    record({{"type", "checked"}, {"search", search.name}, {"definition", definition_of(search)},
            {"index", index}, {"change", change}});
}

void Journal::sync() {
    if (pending_.empty()) return;
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    for (std::size_t done = 0; ok && done < pending_.size();) {
        const ssize_t n = ::write(fd, pending_.data() + done, pending_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!ok)
        throw Error(ErrorCode::NotWritable,
                    "cannot write the alerts journal '" + path_ + "': " + std::strerror(saved));
    pending_.clear();
}

void write_whole(const std::string& path, const std::string& text) {
    const std::string temp = path + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    for (std::size_t done = 0; ok && done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!ok || std::rename(temp.c_str(), path.c_str()) != 0)
        throw Error(ErrorCode::NotWritable,
                    "cannot write '" + path + "': " + std::strerror(ok ? errno : saved));
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
