#include "newsidx/indexer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "newsidx/document.hpp"
#include "newsidx/error.hpp"
#include "newsidx/index_writer.hpp"

namespace newsidx {
namespace fs = std::filesystem;
namespace {

struct SourceFile {
    std::string path;  // absolute, normalised
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::optional<FileState> previous;
};

std::int64_t mtime_ns_of(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

bool has_txt_extension(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".txt";
}

std::optional<SourceFile> stat_file(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return SourceFile{p.string(), static_cast<std::uint64_t>(st.st_size), mtime_ns_of(st), {}};
}

// Every *.txt file under the inputs (a file named directly counts whatever its name).
// Directory symlinks are not followed, so a symlink loop cannot trap the walk.
std::vector<SourceFile> find_files(const std::vector<std::string>& roots, IndexObserver& observer) {
    std::vector<SourceFile> files;
    for (const std::string& root : roots) {
        const fs::path base = fs::path(root);
        if (fs::is_directory(base)) {
            std::error_code ec;
            fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied,
                                                ec);
            for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                const fs::path& p = it->path();
                if (!has_txt_extension(p)) continue;
                if (auto f = stat_file(p)) files.push_back(std::move(*f));
            }
            if (ec)
                observer.on_warning(root +
                                    ": warning: could not read every folder: " + ec.message());
        } else if (auto f = stat_file(base)) {
            files.push_back(std::move(*f));
        }
    }
    std::sort(files.begin(), files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    files.erase(
        std::unique(files.begin(), files.end(),
                    [](const SourceFile& a, const SourceFile& b) { return a.path == b.path; }),
        files.end());
    return files;
}

bool is_under(const std::string& path, const std::string& root) {
    if (path == root) return true;
    if (root.empty() || path.size() <= root.size() || path.compare(0, root.size(), root) != 0)
        return false;
    return root.back() == '/' || path[root.size()] == '/';
}

// What a worker made of one file.
struct Outcome {
    enum class Kind { Indexed, Touched, Rejected } kind = Kind::Rejected;
    FileState state;
    std::optional<DocumentBuilder::Built> built;
    std::optional<RecordError> error;
    std::vector<std::string> warnings;
    std::uint64_t bytes = 0;
};

std::optional<std::string> read_file(const std::string& path, std::uint64_t limit,
                                     std::string* error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = std::string("cannot read file: ") + std::strerror(errno);
        return std::nullopt;
    }
    std::string bytes;
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            *error = std::string("cannot read file: ") + std::strerror(errno);
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0) break;
        bytes.append(buf, static_cast<std::size_t>(n));
        if (bytes.size() > limit) {  // the file grew past the limit since it was listed
            *error = "file too large (over --max-size " + std::to_string(limit) + " bytes)";
            ::close(fd);
            return std::nullopt;
        }
    }
    ::close(fd);
    return bytes;
}

Outcome process(const SourceFile& file, DocumentBuilder& builder, std::uint64_t max_size) {
    Outcome out;
    auto reject = [&](std::string reason) {
        out.kind = Outcome::Kind::Rejected;
        out.error = RecordError{file.path, 1, std::move(reason)};
        return std::move(out);
    };
    if (file.size > max_size)
        return reject("file too large (" + std::to_string(file.size) + " bytes; --max-size is " +
                      std::to_string(max_size) + ")");
    std::string read_error;
    std::optional<std::string> bytes = read_file(file.path, max_size, &read_error);
    if (!bytes) return reject(read_error);
    out.bytes = bytes->size();
    out.state = FileState{bytes->size(), file.mtime_ns, content_hash(*bytes), {}};
    if (file.previous && file.previous->hash == out.state.hash && !file.previous->url.empty()) {
        out.kind = Outcome::Kind::Touched;
        out.state.url = file.previous->url;
        return out;
    }
    try {
        ParsedArticle parsed = parse_article(file.path, *bytes);
        out.warnings = std::move(parsed.warnings);
        if (!parsed.ok()) {
            out.kind = Outcome::Kind::Rejected;
            out.error = parsed.error();
            return out;
        }
        out.state.url = parsed.article().url;
        out.built = builder.build(parsed.article(), file.path, out.state);
        out.kind = Outcome::Kind::Indexed;
    } catch (const std::exception& e) {
        return reject(std::string("cannot analyse: ") + e.what());
    }
    return out;
}

// Workers process files in any order; the writer takes the outcomes in file order through a
// ring of `window` slots, so memory stays bounded and "the later file wins" is deterministic.
class Pipeline {
  public:
    Pipeline(const std::vector<SourceFile>& files, unsigned jobs, const std::string& language,
             std::uint64_t max_size)
        : files_(files),
          window_(std::max<std::size_t>(64, 64 * jobs)),
          slots_(window_),
          ready_(window_, false) {
        for (unsigned j = 0; j < jobs; ++j) {
            workers_.emplace_back([this, language, max_size] { work(language, max_size); });
        }
    }

    ~Pipeline() {
        {
            std::lock_guard lock(mutex_);
            aborted_ = true;
        }
        space_.notify_all();
        for (auto& t : workers_) t.join();
    }

    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// The outcome for files[i]; call with i = 0, 1, 2, ... in turn.
    Outcome take(std::size_t i) {
        std::unique_lock lock(mutex_);
        filled_.wait(lock, [&] { return ready_[i % window_]; });
        Outcome out = std::move(slots_[i % window_]);
        ready_[i % window_] = false;
        consumed_ = i + 1;
        lock.unlock();
        space_.notify_all();
        return out;
    }

  private:
    void work(const std::string& language, std::uint64_t max_size) {
        DocumentBuilder builder(language);
        for (;;) {
            const std::size_t i = next_.fetch_add(1);
            if (i >= files_.size()) return;
            {
                std::unique_lock lock(mutex_);
                space_.wait(lock, [&] { return aborted_ || i < consumed_ + window_; });
                if (aborted_) return;
            }
            Outcome out = process(files_[i], builder, max_size);
            {
                std::lock_guard lock(mutex_);
                slots_[i % window_] = std::move(out);
                ready_[i % window_] = true;
            }
            filled_.notify_all();
        }
    }

    const std::vector<SourceFile>& files_;
    const std::size_t window_;
    std::vector<Outcome> slots_;
    std::vector<bool> ready_;
    std::atomic<std::size_t> next_{0};
    std::size_t consumed_ = 0;
    bool aborted_ = false;
    std::mutex mutex_;
    std::condition_variable filled_, space_;
    std::vector<std::thread> workers_;
};

std::string format_fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

IndexStats run_index(const IndexOptions& options, IndexObserver& observer) {
    const auto started = std::chrono::steady_clock::now();
    IndexStats stats;

    std::vector<std::string> roots;
    for (const std::string& input : options.inputs) {
        std::error_code ec;
        if (!fs::exists(input, ec))
            throw Error(ErrorCode::BadOption, "input '" + input + "' does not exist");
        roots.push_back(fs::absolute(input).lexically_normal().string());
        if (roots.back().size() > 1 && roots.back().back() == '/') roots.back().pop_back();
    }
    std::vector<SourceFile> files = find_files(roots, observer);
    stats.files = files.size();

    IndexWriter writer = IndexWriter::open(options.db_path, options.rebuild, options.language);
    const bool was_empty = writer.database().get_doccount() == 0;

    // Files under the inputs that the index knows but the disk no longer has.
    {
        std::unordered_set<std::string> present;
        for (const SourceFile& f : files) present.insert(f.path);
        for (const std::string& known : writer.known_files()) {
            if (present.count(known)) continue;
            if (std::none_of(roots.begin(), roots.end(),
                             [&](const std::string& r) { return is_under(known, r); }))
                continue;
            writer.forget(known);
            ++stats.removed;
        }
    }

    // Unchanged files (same size and mtime) are not read at all.
    std::vector<SourceFile> todo;
    std::unordered_map<std::string, std::string> url_owner;  // URL -> path, for duplicates
    std::uint64_t bytes_total = 0;
    for (SourceFile& f : files) {
        f.previous = writer.file_state(f.path);
        if (f.previous && f.previous->size == f.size && f.previous->mtime_ns == f.mtime_ns &&
            !f.previous->url.empty()) {
            ++stats.unchanged;
            url_owner.emplace(f.previous->url, f.path);
            continue;
        }
        bytes_total += f.size;
        todo.push_back(std::move(f));
    }

    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs =
        static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, todo.size())));
    std::uint64_t since_commit = 0;
    {
        Pipeline pipeline(todo, jobs, writer.language(), options.max_size);
        for (std::size_t i = 0; i < todo.size(); ++i) {
            if (options.stop && options.stop->load()) {
                stats.interrupted = true;
                break;
            }
            Outcome out = pipeline.take(i);
            const SourceFile& f = todo[i];
            stats.bytes_read += out.bytes;
            for (const std::string& w : out.warnings) observer.on_warning(w);
            switch (out.kind) {
                case Outcome::Kind::Rejected:
                    ++stats.rejected;
                    observer.on_rejected(*out.error);
                    break;
                case Outcome::Kind::Touched:
                    ++stats.unchanged;
                    writer.touch(f.path, out.state);
                    url_owner.emplace(out.state.url, f.path);
                    break;
                case Outcome::Kind::Indexed: {
                    auto [owner, inserted] = url_owner.emplace(out.state.url, f.path);
                    bool replaces_other = false;
                    if (!inserted && owner->second != f.path) {
                        observer.on_warning(f.path + ":3: warning: same URL as " + owner->second +
                                            "; this later file replaces it");
                        owner->second = f.path;
                        replaces_other = true;
                    }
                    const bool existed =
                        f.previous || replaces_other ||
                        (!was_empty && writer.database().term_exists(out.built->id_term));
                    writer.put(f.path, out.state, *out.built);
                    ++(existed ? stats.updated : stats.added);
                    since_commit += out.bytes;
                    break;
                }
            }
            if (since_commit >= options.commit_bytes) {
                writer.commit();
                since_commit = 0;
            }
            observer.on_progress(i + 1, todo.size(), stats.bytes_read, bytes_total);
        }
    }
    observer.on_commit();
    writer.commit();
    stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return stats;
}

std::string summary_line(const IndexStats& s) {
    const double secs = std::max(s.seconds, 1e-6);
    const double written = static_cast<double>(s.added + s.updated);
    const double rate = written / secs;
    const double mbps = static_cast<double>(s.bytes_read) / 1e6 / secs;
    return "indexed " + std::to_string(s.articles()) + " articles (" + std::to_string(s.added) +
           " new, " + std::to_string(s.updated) + " updated, " + std::to_string(s.unchanged) +
           " unchanged, " + std::to_string(s.removed) + " removed, " + std::to_string(s.rejected) +
           " rejected) in " + format_fixed(s.seconds, 1) + " s \xE2\x80\x94 " +
           format_fixed(std::round(rate), 0) + " articles/s, " + format_fixed(mbps, 1) + " MB/s";
}

}  // namespace newsidx
