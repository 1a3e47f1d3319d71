#include "newsidx/watch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "layout.hpp"
#include "newsidx/error.hpp"

namespace newsidx {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// What a watched folder reports: files written and closed, moved in or out, deleted, their
// times or modes changed; folders made, moved or deleted. (Not IN_MODIFY: a file being
// written is indexed once it is closed.)
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                IN_CREATE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |
                                IN_DONT_FOLLOW;

// The kernel's side: an inotify instance and its watches, one per folder, each knowing whether
// its articles and folders count (a "tree" watch) and which inputs it holds by name.
class WatchTable {
  public:
    struct Watch {
        fs::path path;
        bool tree = false;                // its article files and folders count
        std::vector<std::string> inputs;  // names of inputs in it, which count whatever they are
    };

    explicit WatchTable(const WatchEvents& events) : events_(events) {
        fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd_ < 0)
            throw Error(ErrorCode::Io,
                        std::string("cannot watch folders (inotify): ") + std::strerror(errno));
    }
    ~WatchTable() { ::close(fd_); }
    WatchTable(const WatchTable&) = delete;
    WatchTable& operator=(const WatchTable&) = delete;

    int fd() const { return fd_; }

    // Watches `dir` (the same folder twice is one watch); a folder that cannot be watched is
    // said, the first ten times, and left to the next change elsewhere.
    void add(const fs::path& dir, bool tree, const std::string& input = {}) {
        const int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask);
        if (wd < 0) {
            if (events_.on_error && warned_ < 10) {
                ++warned_;
                events_.on_error("cannot watch '" + dir.string() + "': " + std::strerror(errno) +
                                     (errno == ENOSPC ? " (the system's limit of watches: raise "
                                                        "fs.inotify.max_user_watches)"
                                                      : "") +
                                     "; its changes are indexed with the next change elsewhere",
                                 {});
            }
            return;
        }
        Watch& w = watched_[wd];
        w.path = dir;
        w.tree = w.tree || tree;
        if (!input.empty()) w.inputs.push_back(input);
    }

    // The watch of `wd`, or nullptr (one that went).
    const Watch* find(int wd) const {
        const auto at = watched_.find(wd);
        return at == watched_.end() ? nullptr : &at->second;
    }
    void erase(int wd) { watched_.erase(wd); }

    // Stops watching `dir` and the folders under it, but not an input's anchor.
    void forget_tree(const fs::path& dir) {
        const std::string prefix = dir.string() + "/";
        for (auto it = watched_.begin(); it != watched_.end();) {
            const std::string& p = it->second.path.native();
            if (it->second.inputs.empty() && (p == dir.native() || p.starts_with(prefix))) {
                ::inotify_rm_watch(fd_, it->first);
                it = watched_.erase(it);
            } else {
                ++it;
            }
        }
    }

    // The folders watched for their articles.
    std::vector<fs::path> trees() const {
        std::vector<fs::path> out;
        for (const auto& [wd, w] : watched_)
            if (w.tree) out.push_back(w.path);
        return out;
    }

  private:
    const WatchEvents& events_;
    int fd_ = -1;
    std::unordered_map<int, Watch> watched_;
    int warned_ = 0;
};

// The inotify watches of the inputs: every folder under a folder input ("tree" watches, where
// article files and folders count), and each input's parent folder ("anchors", where only the
// input's own name counts: a folder input removed and made again, a file input, whatever its
// name, written or replaced); and which events are changes to the inputs.
class Watches {
  public:
    // `own`: the index's path, absolute; it and its siblings (<db>.lock, <db>.build, ...) are
    // not watched, since every run writes there.
    Watches(const WatchEvents& events, std::string own) : table_(events), own_(std::move(own)) {}

    int fd() const { return table_.fd(); }
    // The folders watched for their articles.
    std::size_t size() const { return table_.trees().size(); }

    // An input, as a run is given it.
    void add_input(const std::string& input) {
        std::error_code ec;
        fs::path path = fs::absolute(input, ec).lexically_normal();
        if (path.has_filename() == false) path = path.parent_path();  // "in/" -> "in"
        // A symbolic link given as an input is followed, as a run follows it.
        if (const fs::path real = fs::canonical(path, ec); !ec) path = real;
        table_.add(path.parent_path(), false, path.filename().string());
        if (fs::is_directory(path, ec)) add_tree(path);
    }

    // Reads what the kernel has queued. Returns whether anything under the inputs changed;
    // folders made under a watched one are watched from now on.
    bool drain() {
        alignas(inotify_event) char buf[64 * 1024];
        bool changed = false;
        while (true) {
            const ssize_t n = ::read(table_.fd(), buf, sizeof buf);
            if (n <= 0) break;  // EAGAIN: nothing more for now
            for (char* p = buf; p < buf + n;) {
                const auto* e = reinterpret_cast<const inotify_event*>(p);
                p += sizeof(inotify_event) + e->len;
                changed = take(*e) || changed;
            }
        }
        return changed;
    }

  private:
    // One event: whether it is a change to the inputs.
    bool take(const inotify_event& e) {
        if (e.mask & IN_Q_OVERFLOW) {
            // Events were lost: a run lists everything anyway; watch any folder that came.
            for (const fs::path& t : table_.trees()) add_tree(t);
            return true;
        }
        if (e.mask & IN_IGNORED) {
            table_.erase(e.wd);
            return false;
        }
        const WatchTable::Watch* w = table_.find(e.wd);
        if (!w) return false;
        if (e.len == 0) return w->tree;  // a watched folder itself went or moved
        const std::string name = e.name;
        const fs::path path = w->path / name;
        const bool input = std::find(w->inputs.begin(), w->inputs.end(), name) != w->inputs.end();
        if (!input && (!w->tree || is_own(path))) return false;
        if (e.mask & IN_ISDIR) {
            if (e.mask & (IN_CREATE | IN_MOVED_TO)) add_tree(path);
            if (e.mask & IN_MOVED_FROM)
                table_.forget_tree(path);  // its watches would report from elsewhere
            return true;
        }
        if (!input && !is_article_name(name)) return false;
        if (!(e.mask & IN_CREATE)) return true;
        // A file being written is read once it is closed (IN_CLOSE_WRITE); a link made to an
        // existing file (symbolic or hard) is never written: it counts now.
        struct stat st {};
        return ::lstat(path.c_str(), &st) == 0 && (S_ISLNK(st.st_mode) || st.st_nlink > 1);
    }

    // Watches `dir` and every folder under it (symbolic links are not followed, as a run
    // does not follow them), but not the index's own.
    void add_tree(const fs::path& dir) {
        if (is_own(dir)) return;
        table_.add(dir, true);
        std::error_code ec;
        fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code type_ec;
            if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
                if (is_own(it->path()))
                    it.disable_recursion_pending();
                else
                    table_.add(it->path(), true);
            }
        }
    }

    // The index's folder, or one of its siblings, or under them.
    bool is_own(const fs::path& path) const {
        const std::string& p = path.native();
        for (const std::string_view suffix : detail::kSiblingSuffixes) {
            const std::string own = own_ + std::string(suffix);
            if (p == own || (p.starts_with(own) && p[own.size()] == '/')) return true;
        }
        return false;
    }

    // *.txt in any case, as a run lists them.
    static bool is_article_name(std::string_view name) {
        if (name.size() < 4) return false;
        std::string ext(name.substr(name.size() - 4));
        for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return ext == ".txt";
    }

    WatchTable table_;
    std::string own_;
};

// Passes on what a run says, but what the watcher's previous run said already: a file that
// stays broken is reported once, not again with every batch.
class NewsOnly : public IndexObserver {
  public:
    explicit NewsOnly(IndexObserver& inner) : inner_(inner) {}

    void on_rejected(const RecordError& error) override {
        const std::string line = error.to_string();
        if (said_.count(line) == 0) inner_.on_rejected(error);
        now_.insert(line);
    }
    void on_warning(const std::string& line) override {
        if (said_.count(line) == 0) inner_.on_warning(line);
        now_.insert(line);
    }
    void on_listed(std::uint64_t files, std::uint64_t bytes) override {
        inner_.on_listed(files, bytes);
    }
    void on_reading(std::uint64_t files, std::uint64_t bytes, bool bulk) override {
        inner_.on_reading(files, bytes, bulk);
    }
    void on_progress(std::uint64_t done, std::uint64_t total, std::uint64_t bytes_done,
                     std::uint64_t bytes_total) override {
        inner_.on_progress(done, total, bytes_done, bytes_total);
    }
    void on_commit() override { inner_.on_commit(); }
    void on_swapped() override { inner_.on_swapped(); }
    void on_shard(unsigned k, unsigned n, const std::string& path) override {
        inner_.on_shard(k, n, path);
    }
    void on_shard_done(unsigned k, unsigned n, const IndexStats& stats) override {
        inner_.on_shard_done(k, n, stats);
    }

    // A run ended: what it said is what the next one need not say again.
    void next_run() { said_ = std::move(now_), now_.clear(); }

  private:
    IndexObserver& inner_;
    std::unordered_set<std::string> said_, now_;
};

}  // namespace

WatchLock::WatchLock(const std::string& db_path) : path_(detail::index_sibling(db_path, detail::kLockSuffix)) {
    // A lock on a file that an ending watcher has just removed locks nothing: the file at the
    // path must be the one locked. And an indexer checking for a watcher holds a shared lock for
    // a moment: a few tries before saying another watcher has it.
    for (int attempt = 1;; ++attempt) {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw Error(ErrorCode::NotWritable,
                        "cannot create the lock file '" + path_ + "': " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
            struct stat held {
            }, named{};
            if (::fstat(fd_, &held) == 0 && ::stat(path_.c_str(), &named) == 0 &&
                held.st_dev == named.st_dev && held.st_ino == named.st_ino)
                break;
        } else if (attempt >= 20) {
            ::close(fd_);
            fd_ = -1;
            throw Error(
                ErrorCode::IndexLocked,
                "index '" + db_path + "' is already watched by another indexer ('" + path_ + "')")
                .with_hint("one watcher per index: it indexes every change to its folders");
        }
        ::close(fd_);
        fd_ = -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0) (void)!::write(fd_, pid.data(), pid.size());
}

WatchLock::~WatchLock() {
    if (fd_ < 0) return;
    // Removed while still held; a watcher that opened it meanwhile sees that the path is no
    // longer its file, and makes a new one.
    ::unlink(path_.c_str());
    ::close(fd_);
}

IndexStats watch_index(IndexOptions options, IndexObserver& observer, const WatchEvents& events) {
    const WatchLock lock(options.db_path);
    options.watched = true;
    // Watched before the first run, so that nothing written during it goes unseen.
    Watches watches(events, detail::index_sibling(fs::absolute(options.db_path).string(), ""));
    for (const std::string& input : options.inputs) watches.add_input(input);
    NewsOnly news(observer);
    IndexStats stats = run_index(options, news);
    news.next_run();
    if (events.on_run) events.on_run(stats);
    if (stats.interrupted) return stats;
    // Later runs are never rebuilds.
    options.rebuild = false;
    if (events.on_watching) events.on_watching(watches.size());

    const auto stopping = [&] { return options.stop && options.stop->load(); };
    bool pending = false;
    Clock::time_point first{}, last{}, retry_at{};
    std::chrono::seconds backoff{1};
    while (!stopping()) {
        pollfd pfd{watches.fd(), POLLIN, 0};
        const int ready = ::poll(&pfd, 1, 50);
        if (ready > 0 && watches.drain()) {
            last = Clock::now();
            if (!pending) first = last;
            pending = true;
        }
        if (!pending) continue;
        const auto now = Clock::now();
        if ((now - last < kWatchSettle && now - first < kWatchMaxDelay) || now < retry_at) continue;
        try {
            stats = run_index(options, news);
            news.next_run();
        } catch (const Error& e) {
            // The batch stays pending and is tried again after 1 s, 2 s, 4 s ... (at most a
            // minute): a watched folder that went, a full disk.
            if (events.on_error)
                events.on_error(std::string(e.what()) + " (trying again in " +
                                    std::to_string(backoff.count()) + " s)",
                                e.hint());
            retry_at = Clock::now() + backoff;
            backoff = std::min(backoff * 2, std::chrono::seconds(60));
            continue;
        }
        pending = false;
        backoff = std::chrono::seconds(1);
        if (events.on_run) events.on_run(stats);
        if (stats.interrupted) break;
    }
    return stats;
}

}  // namespace newsidx
