#include "newsidx/indexer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>  // renameat2
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "index_paths.hpp"
#include "newsidx/document.hpp"
#include "newsidx/error.hpp"
#include "newsidx/index_writer.hpp"
#include "newsidx/schema.hpp"
#include "xapian_errors.hpp"

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

// Why a *.txt entry that stat_file() refused is not read; nullptr for a directory (walked
// into, or a symlink to one, not followed).
const char* not_a_file(const fs::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return "it vanished while the folder was listed";
    if (S_ISLNK(st.st_mode)) {
        struct stat target {};
        if (::stat(p.c_str(), &target) != 0) return "a symbolic link to nothing";
        return S_ISDIR(target.st_mode) ? nullptr : "not a regular file";
    }
    if (S_ISDIR(st.st_mode)) return nullptr;
    return "not a regular file";
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
                if (auto f = stat_file(p)) {
                    files.push_back(std::move(*f));
                } else if (const char* what = not_a_file(p)) {
                    observer.on_warning(p.string() + ": warning: skipped: " + what);
                }
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
    std::optional<DocumentBuilder::Built> built;  // moved out by a bulk worker once written
    std::string id_term;
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
        out.id_term = out.built->id_term;
        out.kind = Outcome::Kind::Indexed;
    } catch (const std::exception& e) {
        return reject(std::string("cannot analyse: ") + e.what());
    }
    return out;
}

// Workers process files in any order; the writer takes the outcomes in file order through a
// ring of `window` slots, so memory stays bounded and "the later file wins" is deterministic.
// A sink, when given, runs in the worker right after a file is processed (bulk builds write
// the document into the worker's own shard there).
class Pipeline {
  public:
    using Sink = std::function<void(unsigned worker, const SourceFile& file, Outcome& out)>;

    Pipeline(const std::vector<const SourceFile*>& files, unsigned jobs,
             const std::string& language, std::uint64_t max_size, Sink sink = {})
        : files_(files),
          window_(std::max<std::size_t>(64, 64 * jobs)),
          slots_(window_),
          ready_(window_, false),
          sink_(std::move(sink)) {
        for (unsigned j = 0; j < jobs; ++j) {
            workers_.emplace_back([this, j, language, max_size] { work(j, language, max_size); });
        }
    }

    // Never rethrows: it may run while take()'s exception unwinds the caller.
    ~Pipeline() { join(); }

    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// The outcome for files[i]; call with i = 0, 1, 2, ... in turn. Rethrows a worker's
    /// failure to write.
    Outcome take(std::size_t i) {
        std::unique_lock lock(mutex_);
        filled_.wait(lock, [&] { return ready_[i % window_] || failure_; });
        if (failure_) std::rethrow_exception(failure_);
        Outcome out = std::move(slots_[i % window_]);
        ready_[i % window_] = false;
        consumed_ = i + 1;
        lock.unlock();
        space_.notify_all();
        return out;
    }

    /// Stops the workers (after the file each is on), waits for them, and rethrows a
    /// worker's failure to write.
    void stop() {
        join();
        if (failure_) std::rethrow_exception(failure_);
    }

  private:
    void join() noexcept {
        {
            std::lock_guard lock(mutex_);
            aborted_ = true;
        }
        space_.notify_all();
        for (auto& t : workers_)
            if (t.joinable()) t.join();
    }

    void work(unsigned worker, const std::string& language, std::uint64_t max_size) {
        DocumentBuilder builder(language);
        for (;;) {
            const std::size_t i = next_.fetch_add(1);
            if (i >= files_.size()) return;
            {
                std::unique_lock lock(mutex_);
                space_.wait(lock, [&] { return aborted_ || i < consumed_ + window_; });
                if (aborted_) return;
            }
            Outcome out = process(*files_[i], builder, max_size);
            try {
                if (sink_) sink_(worker, *files_[i], out);
            } catch (...) {
                std::lock_guard lock(mutex_);
                if (!failure_) failure_ = std::current_exception();
                aborted_ = true;
                filled_.notify_all();
                return;
            }
            {
                std::lock_guard lock(mutex_);
                slots_[i % window_] = std::move(out);
                ready_[i % window_] = true;
            }
            filled_.notify_all();
        }
    }

    const std::vector<const SourceFile*>& files_;
    const std::size_t window_;
    std::vector<Outcome> slots_;
    std::vector<bool> ready_;
    Sink sink_;
    std::atomic<std::size_t> next_{0};
    std::size_t consumed_ = 0;
    bool aborted_ = false;
    std::exception_ptr failure_;
    std::mutex mutex_;
    std::condition_variable filled_, space_;
    std::vector<std::thread> workers_;
};

// URLs are remembered by 64-bit hash, so that a million of them take a few MB.
std::uint64_t url_key(const std::string& url) { return XXH3_64bits(url.data(), url.size()); }

// One scratch shard per worker. URLs seen in the shard are remembered as 64-bit hashes, so
// that a repeated URL (rare) is noticed without asking Xapian about every document.
struct Shard {
    IndexWriter writer;
    std::unordered_set<std::uint64_t> urls;
    std::uint64_t since_commit = 0;

    void write(const SourceFile& file, Outcome& out, std::uint64_t commit_bytes) {
        if (out.kind == Outcome::Kind::Touched) {
            writer.touch(file.path, out.state);
        } else if (out.kind == Outcome::Kind::Indexed) {
            if (!urls.insert(url_key(out.state.url)).second) {
                // The same URL earlier in this shard: the later path wins, as in file order.
                const auto other = writer.path_of(out.id_term);
                if (other && *other > file.path) {
                    writer.touch(file.path, out.state);
                    out.built.reset();
                    return;
                }
                writer.put(file.path, out.state, *out.built);
            } else {
                writer.add_new(file.path, out.state, *out.built);
            }
            out.built.reset();
            since_commit += out.bytes;
            if (since_commit >= commit_bytes) {
                writer.commit();
                since_commit = 0;
            }
        }
    }
};

// After the shards are built: where the same URL ended up in several shards, keep the
// document from the greatest path (the file a sequential run would have written last).
void drop_cross_shard_duplicates(std::vector<Shard>& shards) {
    const std::string prefix(schema::kIdPrefix);
    struct Cursor {
        Xapian::TermIterator it, end;
        std::size_t shard;
    };
    std::vector<Cursor> cursors;
    for (std::size_t s = 0; s < shards.size(); ++s) {
        Xapian::WritableDatabase& db = shards[s].writer.database();
        cursors.push_back({db.allterms_begin(prefix), db.allterms_end(prefix), s});
    }
    for (;;) {
        std::string smallest;
        bool any = false;
        for (const Cursor& c : cursors) {
            if (c.it == c.end) continue;
            if (!any || *c.it < smallest) smallest = *c.it;
            any = true;
        }
        if (!any) return;
        std::vector<std::size_t> in_shards;
        for (Cursor& c : cursors) {
            if (c.it != c.end && *c.it == smallest) {
                in_shards.push_back(c.shard);
                ++c.it;
            }
        }
        if (in_shards.size() < 2) continue;
        std::vector<std::pair<std::string, std::size_t>> holders;  // (path, shard)
        for (std::size_t shard : in_shards)
            holders.emplace_back(shards[shard].writer.path_of(smallest).value_or(""), shard);
        std::sort(holders.begin(), holders.end());
        holders.pop_back();  // the greatest path stays
        for (const auto& [path, shard] : holders)
            shards[shard].writer.database().delete_document(IndexWriter::path_term(path));
    }
}

void sync_tree(const fs::path& dir) {
    for (const auto& entry : fs::directory_iterator(dir)) {
        const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// A run that died between the two renames of a swap leaves only <db>.old: put it back.
void recover_interrupted_swap(const std::string& db_path) {
    std::error_code ec;
    const std::string old = detail::index_sibling(db_path, ".old");
    if (!fs::exists(db_path, ec) && fs::exists(old, ec)) fs::rename(old, db_path, ec);
}

std::string format_fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// The state one run shares between its direct and bulk paths.
class Run {
  public:
    Run(const IndexOptions& options, IndexObserver& observer, IndexStats& stats)
        : options_(options), observer_(observer), stats_(stats) {}

    void execute() {
        std::vector<std::string> roots;
        for (const std::string& input : options_.inputs) {
            std::error_code ec;
            if (!fs::exists(input, ec))
                throw Error(ErrorCode::BadOption, "input '" + input + "' does not exist");
            roots.push_back(fs::absolute(input).lexically_normal().string());
            if (roots.back().size() > 1 && roots.back().back() == '/') roots.back().pop_back();
        }
        // The lock first: a second indexer is turned away at once, before any listing.
        recover_interrupted_swap(options_.db_path);
        writer_.emplace(IndexWriter::open(options_.db_path, options_.rebuild, options_.language));
        // A rebuild starts from nothing: the old index only stays readable until the swap.
        was_empty_ = options_.rebuild || writer_->database().get_doccount() == 0;

        files_ = find_files(roots, observer_);
        stats_.files = files_.size();
        {
            std::uint64_t bytes = 0;
            for (const SourceFile& f : files_) bytes += f.size;
            observer_.on_listed(files_.size(), bytes);
        }

        // Files under the inputs that the index knows but the disk no longer has.
        {
            auto present = [&](const std::string& path) {  // files_ is sorted by path
                auto it = std::lower_bound(
                    files_.begin(), files_.end(), path,
                    [](const SourceFile& f, const std::string& p) { return f.path < p; });
                return it != files_.end() && it->path == path;
            };
            for (const std::string& known :
                 options_.rebuild ? std::vector<std::string>{} : writer_->known_files()) {
                if (present(known)) continue;
                if (std::none_of(roots.begin(), roots.end(),
                                 [&](const std::string& r) { return is_under(known, r); }))
                    continue;
                writer_->forget(known);
                ++stats_.removed;
            }
        }

        // Unchanged files (same size and mtime) are not read at all.
        std::vector<const SourceFile*> todo;
        for (SourceFile& f : files_) {
            if (!options_.rebuild) f.previous = writer_->file_state(f.path);
            if (f.previous && f.previous->size == f.size && f.previous->mtime_ns == f.mtime_ns &&
                !f.previous->url.empty()) {
                ++stats_.unchanged;
                url_owner_.emplace(url_key(f.previous->url), &f);
                f.previous.reset();  // all that is needed of it now is in url_owner_
                continue;
            }
            bytes_total_ += f.size;
            todo.push_back(&f);
        }

        unsigned jobs =
            options_.jobs ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
        jobs = static_cast<unsigned>(
            std::min<std::size_t>(jobs, std::max<std::size_t>(1, todo.size())));

        const Xapian::doccount existing = writer_->database().get_doccount();
        const bool bulk = options_.rebuild || options_.mode == BuildMode::Bulk ||
                          (options_.mode == BuildMode::Auto && todo.size() >= kBulkMinFiles &&
                           todo.size() >= existing / 4);
        stats_.bulk = bulk;
        if (bulk)
            run_bulk(todo, jobs);
        else
            run_direct(todo, jobs);
    }

  private:
    // Below this many changed files a run updates the index in place.
    static constexpr std::size_t kBulkMinFiles = 1000;

    // What account() decided about one outcome.
    struct Verdict {
        bool write = false;     // an article to write
        bool in_index = false;  // the index already has an article with its URL
    };

    // Reports an outcome and counts it. For an article, resolves its URL against the others
    // of this run and the index.
    Verdict account(const SourceFile& f, Outcome& out) {
        stats_.bytes_read += out.bytes;
        for (const std::string& w : out.warnings) observer_.on_warning(w);
        switch (out.kind) {
            case Outcome::Kind::Rejected:
                ++stats_.rejected;
                observer_.on_rejected(*out.error);
                return {};
            case Outcome::Kind::Touched:
                ++stats_.unchanged;
                url_owner_.emplace(url_key(out.state.url), &f);
                return {};
            case Outcome::Kind::Indexed:
                break;
        }
        auto [owner, inserted] = url_owner_.emplace(url_key(out.state.url), &f);
        const bool replaces_other = !inserted && owner->second != &f;
        if (replaces_other) {
            observer_.on_warning(f.path + ":3: warning: same URL as " + owner->second->path +
                                 "; this later file replaces it");
            owner->second = &f;
        }
        const Verdict verdict{true, !was_empty_ && writer_->database().term_exists(out.id_term)};
        ++(f.previous || replaces_other || verdict.in_index ? stats_.updated : stats_.added);
        return verdict;
    }

    void run_direct(const std::vector<const SourceFile*>& todo, unsigned jobs) {
        std::uint64_t since_commit = 0;
        Pipeline pipeline(todo, jobs, writer_->language(), options_.max_size);
        for (std::size_t i = 0; i < todo.size(); ++i) {
            if (stopping()) break;
            Outcome out = pipeline.take(i);
            const SourceFile& f = *todo[i];
            if (out.kind == Outcome::Kind::Touched) writer_->touch(f.path, out.state);
            if (account(f, out).write) {
                writer_->put(f.path, out.state, *out.built);
                since_commit += out.bytes;
            }
            if (since_commit >= options_.commit_bytes) {
                writer_->commit();
                since_commit = 0;
            }
            observer_.on_progress(i + 1, todo.size(), stats_.bytes_read, bytes_total_);
        }
        pipeline.stop();
        observer_.on_commit();
        writer_->commit();
    }

    void run_bulk(const std::vector<const SourceFile*>& todo, unsigned jobs) {
        const std::string build_dir = detail::index_sibling(options_.db_path, ".build");
        const std::string next_dir = detail::index_sibling(options_.db_path, ".new");
        std::error_code ec;
        fs::remove_all(build_dir, ec);
        fs::remove_all(next_dir, ec);
        fs::create_directories(build_dir, ec);
        if (ec)
            throw Error(ErrorCode::NotWritable,
                        "cannot create '" + build_dir + "': " + ec.message());
        // However this ends, the scratch folders go (a failed run must not leave a full disk).
        struct Scratch {
            std::string build, next;
            ~Scratch() {
                std::error_code ignored;
                fs::remove_all(build, ignored);
                fs::remove_all(next, ignored);
            }
        } scratch{build_dir, next_dir};
        std::vector<Shard> shards;
        for (unsigned j = 0; j < jobs; ++j) {
            shards.push_back(
                Shard{IndexWriter::create_shard(build_dir + "/shard-" + std::to_string(j),
                                                writer_->language()),
                      {},
                      0});
        }
        {
            const std::uint64_t commit_bytes = options_.commit_bytes;
            Pipeline pipeline(
                todo, jobs, writer_->language(), options_.max_size,
                [&shards, commit_bytes](unsigned w, const SourceFile& f, Outcome& out) {
                    shards[w].write(f, out, commit_bytes);
                });
            for (std::size_t i = 0; i < todo.size(); ++i) {
                if (stopping()) break;
                Outcome out = pipeline.take(i);
                const SourceFile& f = *todo[i];
                if (const Verdict v = account(f, out); v.write) {
                    // The index keeps nothing this file or this URL produced before.
                    if (f.previous) writer_->delete_term(IndexWriter::path_term(f.path));
                    if (v.in_index) writer_->delete_term(out.id_term);
                }
                observer_.on_progress(i + 1, todo.size(), stats_.bytes_read, bytes_total_);
            }
            pipeline.stop();
        }
        // An interrupted rebuild is dropped whole: the old index stays, rather than one that
        // lost whatever the rebuild had not reached.
        if (options_.rebuild && stats_.interrupted) {
            stats_.added = stats_.updated = stats_.unchanged = 0;
            return;
        }
        observer_.on_commit();
        for (Shard& s : shards) s.writer.commit();
        drop_cross_shard_duplicates(shards);

        // Merge the shards and the old index.
        Xapian::Database sources;
        for (Shard& s : shards) {
            s.writer.close();
            sources.add_database(Xapian::Database(s.writer.path()));
        }
        writer_->commit();
        const bool with_old =
            !options_.rebuild && (writer_->database().get_doccount() > 0 || !was_empty_);
        if (with_old) sources.add_database(Xapian::Database(options_.db_path));
        try {
            sources.compact(next_dir, Xapian::Compactor::FULL, 0);
            // A file's state in a shard is newer than the old index's. Compaction hands a
            // key's duplicate values over in no fixed order (Xapian 1.4 breaks ties between
            // its sources' metadata cursors arbitrarily), so write the shards' states again.
            if (with_old) {
                Xapian::WritableDatabase merged(next_dir, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
                const std::string prefix(schema::kFileKeyPrefix);
                for (const Shard& s : shards) {
                    const Xapian::Database shard(s.writer.path());
                    for (auto it = shard.metadata_keys_begin(prefix);
                         it != shard.metadata_keys_end(prefix); ++it)
                        merged.set_metadata(*it, shard.get_metadata(*it));
                }
                merged.commit();
            }
        } catch (...) {
            detail::rethrow_xapian_error("merging index shards", next_dir);
        }
        sync_tree(next_dir);

        // Swap the merged index in. Linux swaps the two folders in one step (a searcher sees
        // the old index or the new one, never neither), while this run still holds the old
        // index's lock, so no other indexer can write to it in between. Where the file system
        // cannot, two renames: <db> -> <db>.old, <db>.new -> <db>; a run killed in between
        // leaves <db>.old, which searchers read and the next run puts back.
        // After the exchange <db>.new holds the old index, which `scratch` removes.
        const std::string old_dir = detail::index_sibling(options_.db_path, ".old");
        fs::remove_all(old_dir, ec);
        const bool exchanged = ::renameat2(AT_FDCWD, next_dir.c_str(), AT_FDCWD,
                                           options_.db_path.c_str(), RENAME_EXCHANGE) == 0;
        writer_->close();
        if (!exchanged) {
            fs::rename(options_.db_path, old_dir, ec);
            if (!ec) fs::rename(next_dir, options_.db_path, ec);
            if (ec)
                throw Error(ErrorCode::NotWritable, "cannot replace '" + options_.db_path +
                                                        "' with the merged index: " + ec.message());
        }
        sync_tree(fs::absolute(detail::index_sibling(options_.db_path, "")).parent_path());
        fs::remove_all(old_dir, ec);  // the fallback's old index; nothing after an exchange
    }

    bool stopping() {
        if (options_.stop && options_.stop->load()) stats_.interrupted = true;
        return stats_.interrupted;
    }

    const IndexOptions& options_;
    IndexObserver& observer_;
    IndexStats& stats_;
    std::optional<IndexWriter> writer_;
    bool was_empty_ = false;
    std::uint64_t bytes_total_ = 0;
    // Every source file, sorted by path; the run refers to them by address.
    std::vector<SourceFile> files_;
    // Which file holds each URL (by url_key()).
    std::unordered_map<std::uint64_t, const SourceFile*> url_owner_;
};

}  // namespace

IndexStats run_index(const IndexOptions& options, IndexObserver& observer) {
    const auto started = std::chrono::steady_clock::now();
    IndexStats stats;
    Run(options, observer, stats).execute();
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
