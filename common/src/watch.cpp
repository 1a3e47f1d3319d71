#include "newsidx/watch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "index_files.hpp"
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

// The inotify watches of the inputs' folders, each folder under them included.
class Watches {
  public:
    // `own`: the index's path, absolute; it and its siblings (<db>.lock, <db>.build, ...) are
    // not watched, since every run writes there.
    Watches(const WatchEvents& events, std::string own) : events_(events), own_(std::move(own)) {
        fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd_ < 0)
            throw Error(ErrorCode::Io,
                        std::string("cannot watch folders (inotify): ") + std::strerror(errno));
    }
    ~Watches() { ::close(fd_); }
    Watches(const Watches&) = delete;
    Watches& operator=(const Watches&) = delete;

    int fd() const { return fd_; }
    std::size_t size() const { return paths_.size(); }

    // Watches `dir` and every folder under it (symbolic links are not followed, as a run
    // does not follow them).
    void add_tree(const fs::path& dir) {
        add(dir);
        std::error_code ec;
        fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code type_ec;
            if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) add(it->path());
        }
    }

    // Reads what the kernel has queued. Returns whether anything under the inputs changed;
    // folders made under a watched one are watched from now on.
    bool drain() {
        alignas(inotify_event) char buf[64 * 1024];
        bool changed = false;
        while (true) {
            const ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n <= 0) break;  // EAGAIN: nothing more for now
            for (char* p = buf; p < buf + n;) {
                const auto* e = reinterpret_cast<const inotify_event*>(p);
                p += sizeof(inotify_event) + e->len;
                if (e->mask & IN_Q_OVERFLOW) {
                    // Events were lost: the run lists everything anyway; watch any folder
                    // that came meanwhile.
                    changed = true;
                    for (const auto& [wd, path] : std::unordered_map(paths_)) add_tree(path);
                    continue;
                }
                if (e->mask & IN_IGNORED) {
                    paths_.erase(e->wd);
                    continue;
                }
                const auto dir = paths_.find(e->wd);
                if (dir == paths_.end() || e->len == 0) {
                    changed = true;  // a watched folder itself went or moved
                    continue;
                }
                const fs::path path = dir->second / e->name;
                if (is_own(path)) continue;
                if (e->mask & IN_ISDIR) {
                    changed = true;
                    if (e->mask & (IN_CREATE | IN_MOVED_TO)) add_tree(path);
                } else if (is_article_name(e->name) && !(e->mask & IN_CREATE)) {
                    // (A file just made is read once it is closed: IN_CLOSE_WRITE.)
                    changed = true;
                }
            }
        }
        return changed;
    }

  private:
    bool is_own(const fs::path& path) const { return path.native().starts_with(own_); }

    // *.txt in any case, as a run lists them.
    static bool is_article_name(std::string_view name) {
        if (name.size() < 4) return false;
        std::string ext(name.substr(name.size() - 4));
        for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return ext == ".txt";
    }

    void add(const fs::path& dir) {
        if (is_own(dir)) return;
        const int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask);
        if (wd >= 0) {
            paths_[wd] = dir;
        } else if (errno == ENOSPC && !warned_) {
            warned_ = true;
            if (events_.on_error)
                events_.on_error("cannot watch '" + dir.string() +
                                 "' and the folders after it: the system's limit of watches is "
                                 "reached (raise fs.inotify.max_user_watches); their changes are "
                                 "indexed with the next change elsewhere");
        }
    }

    const WatchEvents& events_;
    std::string own_;
    int fd_ = -1;
    std::unordered_map<int, fs::path> paths_;
    bool warned_ = false;
};

}  // namespace

WatchLock::WatchLock(const std::string& db_path) : path_(detail::index_sibling(db_path, ".lock")) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw Error(ErrorCode::NotWritable,
                    "cannot create the lock file '" + path_ + "': " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd_);
        fd_ = -1;
        throw Error(
            ErrorCode::IndexLocked,
            "index '" + db_path + "' is already watched by another indexer ('" + path_ + "')")
            .with_hint("one watcher per index: it indexes every change to its folders");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0) (void)!::write(fd_, pid.data(), pid.size());
}

WatchLock::~WatchLock() {
    if (fd_ < 0) return;
    // Removed while still held: no other watcher can have taken this file meanwhile.
    ::unlink(path_.c_str());
    ::close(fd_);
}

IndexStats watch_index(IndexOptions options, IndexObserver& observer, const WatchEvents& events) {
    const WatchLock lock(options.db_path);
    options.watched = true;
    // Watched before the first run, so that nothing written during it goes unseen.
    Watches watches(events, detail::index_sibling(fs::absolute(options.db_path).string(), ""));
    for (const std::string& input : options.inputs) {
        std::error_code ec;
        const fs::path path = fs::absolute(input).lexically_normal();
        if (fs::is_directory(path, ec))
            watches.add_tree(path);
        else
            watches.add_tree(path.parent_path());  // a file: its folder says when it changes
    }
    IndexStats stats = run_index(options, observer);
    if (events.on_run) events.on_run(stats);
    if (stats.interrupted) return stats;
    // Later runs are never rebuilds.
    options.rebuild = false;
    if (events.on_watching) events.on_watching(watches.size());

    const auto stopping = [&] { return options.stop && options.stop->load(); };
    bool pending = false;
    Clock::time_point first{}, last{};
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
        if (now - last < kWatchSettle && now - first < kWatchMaxDelay) continue;
        pending = false;
        try {
            stats = run_index(options, observer);
        } catch (const Error& e) {
            // The next change tries again (a folder that went, a full disk).
            if (events.on_error) events.on_error(e.what());
            continue;
        }
        if (events.on_run) events.on_run(stats);
        if (stats.interrupted) break;
    }
    return stats;
}

}  // namespace newsidx
