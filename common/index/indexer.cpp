#include "newsidx/indexer.hpp"

// Header-only: one shared library less to load at every start (docs/benchmarks.md).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "file_scan.hpp"
#include "layout.hpp"
#include "index_writer.hpp"
#include "newsidx/error.hpp"
#include "schema.hpp"
#include "pipeline.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace fs = std::filesystem;
namespace {

using detail::FileList;
using detail::Outcome;
using detail::SourceFile;

// URLs are remembered by 64-bit hash, so that a million of them take a few MB.
std::uint64_t url_key(const std::string& url) { return XXH3_64bits(url.data(), url.size()); }

// The listed file that holds each URL, by url_key(): open addressing in two arrays, 12 bytes
// a slot (a std::unordered_map node takes 40, and an archive may have a million URLs).
class UrlOwners {
  public:
    static constexpr FileList::Index kNone = UINT32_MAX;

    // The owner of the URL with hash `key`: kNone when none yet (set it through the reference,
    // which stays good until the next call).
    FileList::Index& operator[](std::uint64_t key) {
        if ((used_ + 1) * 4 > keys_.size() * 3) grow();
        std::size_t i = key & (keys_.size() - 1);
        while (owners_[i] != kNone && keys_[i] != key) i = (i + 1) & (keys_.size() - 1);
        if (owners_[i] == kNone) {  // new: counted, though the caller may leave it empty
            keys_[i] = key;
            ++used_;
        }
        return owners_[i];
    }

    // Calls `visit` with every owner.
    template <typename Visit>
    void each(Visit&& visit) const {
        for (FileList::Index owner : owners_)
            if (owner != kNone) visit(owner);
    }

  private:
    void grow() {
        std::vector<std::uint64_t> keys(std::max<std::size_t>(1024, keys_.size() * 2));
        std::vector<FileList::Index> owners(keys.size(), kNone);
        used_ = 0;
        for (std::size_t j = 0; j < keys_.size(); ++j) {
            if (owners_[j] == kNone) continue;
            std::size_t i = keys_[j] & (keys.size() - 1);
            while (owners[i] != kNone) i = (i + 1) & (keys.size() - 1);
            keys[i] = keys_[j];
            owners[i] = owners_[j];
            ++used_;
        }
        keys_ = std::move(keys);
        owners_ = std::move(owners);
    }

    std::vector<std::uint64_t> keys_;
    std::vector<FileList::Index> owners_;
    std::size_t used_ = 0;
};

// One scratch shard per worker of a bulk build. Every article goes in as a new document, a
// repeated URL too: which of them stays is decided once all are written
// (IndexWriter::drop_shared_ids), so that dropping the documents of files a stopped run never
// took cannot take away another file's.
struct Shard {
    std::uint64_t since_commit = 0;

    // Each of `workers` commits after its share of twice `commit_bytes` (IndexOptions): Xapian
    // buffers about 15 bytes of postings for each byte of text until a commit, and with a
    // threshold per worker sixteen workers took 620 MB.
    static std::uint64_t worker_commit_bytes(std::uint64_t commit_bytes, unsigned workers) {
        constexpr std::uint64_t kMinWorkerCommit = 128u << 10;
        return std::max(kMinWorkerCommit, 2 * commit_bytes / std::max(1u, workers));
    }

    void write(IndexWriter& writer, const SourceFile& file, Outcome& out,
               std::uint64_t commit_bytes) {
        if (out.kind == Outcome::Kind::Touched) {
            writer.touch(file.path, out.state);
        } else if (out.kind == Outcome::Kind::Indexed) {
            writer.add_new(file.path, out.state, *out.built);
            out.built.reset();
            since_commit += out.bytes;
            if (since_commit >= commit_bytes) {
                writer.commit();
                since_commit = 0;
            }
        }
    }
};

std::string format_fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

using Fate = detail::Fate;

// The inputs, absolute and without a trailing slash. Throws Error(BadOption) for one that does
// not exist.
std::vector<std::string> absolute_inputs(const std::vector<std::string>& inputs) {
    std::vector<std::string> roots;
    for (const std::string& input : inputs) {
        std::error_code ec;
        if (!fs::exists(input, ec))
            throw Error(ErrorCode::BadOption, "input '" + input + "' does not exist");
        roots.push_back(fs::absolute(input).lexically_normal().string());
        if (roots.back().size() > 1 && roots.back().back() == '/') roots.back().pop_back();
    }
    return roots;
}

// The workers a run has: --jobs, or one per core.
unsigned workers_of(const IndexOptions& options) {
    return options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
}

// Runs `work` on `threads` threads, this one among them, and returns once all are done (also
// when this thread's `work` throws).
void on_threads(unsigned threads, const std::function<void()>& work) {
    std::vector<std::jthread> others;
    for (unsigned t = 1; t < threads; ++t) others.emplace_back(work);
    work();
}

// A first build or a rebuild of a set (--shards N): the files listed once and each one's shard,
// found in one parallel pass that reads each file's URL (routed()), so that each shard's run
// reads only its own files instead of every file (the CPU of 16 shards was 1.66 times one
// index's).
struct SetPass {
    FileList files;
    std::vector<std::uint16_t> shard;  // of files[i]; 0: unknown (unreadable, not an article)
};

// What the run decided to do with one outcome (Ledger::account).
struct Verdict {
    enum class Action {
        None,
        Write,      // index the article, which holds its URL
        Supersede,  // a later file holds the URL: record the file's state only
        Touch,      // same bytes as before: record the file's state only
        Forget,     // rejected now: drop the article the file had and its state
    } action = Action::None;
    bool in_index = false;  // the index already has an article with the URL
};
using Action = Verdict::Action;

// What one run knows of its files and their URLs, and what each outcome means for them: every
// file's fate (the counts of IndexStats), which file holds each URL, and what the index and the
// file states must record. The run's reading and writing (Run) ask it.
//
// Shared URLs: the later path wins, whatever the order in which the files arrived. The ledger
// knows which file holds each URL (url_owner_: the greatest path among the files that carry
// it) and records with each file whether the index holds its article (FileState::holds). A
// file that wins its URL back without being read (the later file went, or changed its URL) is
// read again at the end of the run; a run that dies first leaves the flag for the next one.
class Ledger {
  public:
    Ledger(const IndexOptions& options, IndexObserver& observer, IndexStats& stats)
        : options_(options), observer_(observer), stats_(stats) {}

    // The index, once open and locked: its writer, the articles it keeps, whether the run
    // starts from nothing, and the inputs (absolute).
    void open(IndexWriter& writer, const ShardSpec& shard, bool was_empty,
              std::vector<std::string> roots) {
        writer_ = &writer;
        shard_ = shard;
        was_empty_ = was_empty;
        roots_ = std::move(roots);
    }
    // A bulk run records the file states in a shard of their own.
    void use_states(IndexWriter& states) { states_ = &states; }
    // The batch being read (or nullptr): let_go() corrects a file of it.
    void set_batch(std::vector<SourceFile>* batch) { batch_ = batch; }
    // Files that a set's first build gave to other shards (not read).
    std::size_t routed_away() const { return routed_away_; }
    // Bytes to read in all, for progress.
    std::uint64_t bytes_total() const { return bytes_total_; }
    // File `i` as a worker reads it.
    SourceFile source(FileList::Index i) const { return files_.source(i); }
    // Every file is counted: the memory goes to what follows (a bulk run's merge).
    void release() {
        files_ = FileList();
        url_owner_ = UrlOwners();
    }

    void list_files(const SetPass* pass) {
        pass_ = pass;
        if (pass) {
            files_ = pass->files;
        } else {
            // --shards N lists the files once per shard: the first one says what it skipped.
            files_ = detail::find_files(roots_, [this](const std::string& line) {
                if (options_.report_rejections) observer_.on_warning(line);
            });
        }
        stats_.files = files_.size();
        std::uint64_t bytes = 0;
        for (FileList::Index i = 0; i < files_.size(); ++i) bytes += files_[i].size;
        observer_.on_listed(files_.size(), bytes);
    }

    // Files under the inputs that the index knows but the disk no longer has.
    void forget_vanished() {
        std::vector<std::string> gone;
        // The known paths come in sorted order, mostly: each is looked for after the last.
        FileList::Index hint = 0;
        writer_->each_known_file([&](const std::string& known) {
            if (!files_.find(known, &hint) && under_inputs(known)) gone.push_back(known);
        });
        refuse_emptied_inputs(gone);
        for (const std::string& known : gone) {
            // A shard counts the files whose articles were its own (every shard keeps the
            // states of all files), and the first shard the files that had none.
            const auto state = shard_.whole() ? std::nullopt : writer_->file_state(known);
            if (!state ||
                (state->url.empty() ? shard_.k == 1 : shard_.keeps(id_term_of(state->url))))
                ++stats_.removed;
            writer_->forget(known);
        }
    }

    // The files to read: not the unchanged ones (same size and mtime), which are not read at
    // all. The others' states are read again when they are (materialize()): a million files
    // to read carry none here.
    std::vector<FileList::Index> files_to_read() {
        std::vector<FileList::Index> todo;
        // A shard's files of other shards, unchanged since the last run, are not read either.
        const std::vector<std::uint64_t> elsewhere =
            options_.rebuild || shard_.whole() ? std::vector<std::uint64_t>() : writer_->elsewhere();
        for (FileList::Index i = 0; i < files_.size(); ++i) {
            FileList::Entry& f = files_[i];
            if (pass_ && pass_->shard[i] != 0 && pass_->shard[i] != shard_.k) {
                set_fate(i, Fate::Elsewhere);
                ++routed_away_;
                continue;
            }
            if (!elsewhere.empty() &&
                std::binary_search(elsewhere.begin(), elsewhere.end(), fingerprint(i))) {
                set_fate(i, Fate::Elsewhere);
                continue;
            }
            std::optional<FileState> previous;
            if (!options_.rebuild) previous = writer_->file_state(files_.path(i));
            if (previous && previous->size == f.size && previous->mtime_ns == f.mtime_ns &&
                !previous->url.empty()) {
                keep_unchanged(i, *previous);
                continue;
            }
            bytes_total_ += f.size;
            todo.push_back(i);
        }
        return todo;
    }

    // What is known of the file at `path` now: the state this run recorded, else the index's.
    std::optional<FileState> current_state(const std::string& path) {
        std::optional<FileState> state = state_store().file_state(path);
        if (!state && states_) state = writer_->file_state(path);  // not read by this run
        return state;
    }

    // Reports an outcome, counts it, and decides what to do with it. For an article, resolves
    // its URL against the files that carry it too.
    Verdict account(SourceFile& f, Outcome& out) {
        stats_.bytes_read += out.bytes;
        // --shards N reads every file once per shard: the first shard reports the broken ones.
        const bool report = out.kind != Outcome::Kind::Rejected || options_.report_rejections;
        if (report)
            for (const std::string& w : out.warnings) observer_.on_warning(w);
        FileList::Entry& entry = files_[f.index];
        if (out.kind == Outcome::Kind::Rejected) {
            set_fate(f.index, Fate::Rejected);
            if (report) observer_.on_rejected(*out.error);
            return {f.previous ? Action::Forget : Action::None};
        }
        if (out.kind == Outcome::Kind::Elsewhere) {
            // Another shard's: its fingerprint is kept (elsewhere_now(), so that the next run
            // need not read it again); an article it had here under an earlier URL goes, and
            // its state with it.
            set_fate(f.index, Fate::Elsewhere);
            entry.holds = false;
            return {f.previous ? Action::Forget : Action::None};
        }
        const bool indexed = out.kind == Outcome::Kind::Indexed;
        FileList::Index& owner = url_owner_[url_key(out.state.url)];
        // The list is sorted by path: a greater index is a greater path.
        if (owner != UrlOwners::kNone && owner > f.index) return lose(f, out, files_.path(owner));
        // The file whose article the index holds under the URL now (one lookup answers both
        // "is the URL in the index" and "whose"), kept only if another one.
        std::optional<std::string> holder;
        if (indexed && !was_empty_) holder = writer_->path_of(out.id_term);
        const bool in_index = holder.has_value();
        if (holder && *holder == f.path) holder.reset();
        // Outside this run's inputs (a run over one folder of an index built from several),
        // it weighs as the files of the run do.
        const bool outside = holder && !under_inputs(*holder);
        if (outside && *holder > f.path) return lose(f, out, *holder);
        const std::optional<FileList::Index> before = owner == UrlOwners::kNone || owner == f.index
                                                          ? std::nullopt
                                                          : std::optional<FileList::Index>(owner);
        owner = f.index;
        const std::string before_path = before ? files_.path(*before) : std::string();
        const Fate before_fate = before ? files_[*before].fate : Fate::Pending;
        const bool before_written = before_fate == Fate::Added || before_fate == Fate::Updated;
        if (before) {
            if (indexed)
                observer_.on_warning(f.path + ":3: warning: same URL as " + before_path +
                                     "; this later file replaces it");
            supersede(*before);
        }
        if (!indexed) {
            // Same bytes as when last read: its article is still in the index, unless a later
            // file held the URL then or a file of this run has just replaced it. If not, the
            // file is read again at the end of the run (read_again()).
            set_fate(f.index, Fate::Unchanged);
            entry.holds = out.state.holds = f.previous->holds && !before_written;
            return {Action::Touch};
        }
        if (outside)
            observer_.on_warning(f.path + ":3: warning: same URL as " + *holder +
                                 "; this later file replaces it");
        // Its state must say so at once: a run stopped before it reaches that file (a changed
        // one, still to come) would leave it claiming an article it no longer has.
        if (holder && !(before && before_path == *holder)) let_go(*holder);
        // A file known before whose article was another shard's is new to this one.
        const bool was_here = f.previous && (shard_.whole() || f.previous->url.empty() ||
                                             shard_.keeps(id_term_of(f.previous->url)));
        set_fate(f.index, before_fate == Fate::Added               ? Fate::Added
                          : before_written || in_index || was_here ? Fate::Updated
                                                                   : Fate::Added);
        entry.holds = out.state.holds = true;
        return {Action::Write, in_index};
    }

    // The fingerprints of this run's files of other shards, sorted: the index's list after
    // the run (files not reached by a stopped run are read by the next).
    std::vector<std::uint64_t> elsewhere_now() const {
        std::vector<std::uint64_t> prints;
        for (FileList::Index i = 0; i < files_.size(); ++i)
            if (files_[i].fate == Fate::Elsewhere) prints.push_back(fingerprint(i));
        std::sort(prints.begin(), prints.end());
        return prints;
    }

    // The files that hold their URL now but whose article the index lacks (a later file with
    // the URL went or changed it; a run stopped before it read them again), sorted by path.
    // They are read in full, not compared with their old bytes.
    std::vector<FileList::Index> read_again() {
        std::vector<FileList::Index> files;
        url_owner_.each([&](FileList::Index owner) {
            if (!files_[owner].holds) files.push_back(owner);
        });
        std::sort(files.begin(), files.end());
        for (FileList::Index i : files) {
            bytes_total_ += files_[i].size;
            observer_.on_warning(files_.path(i) +
                                 ":3: note: indexed again: no later file has its URL any more");
        }
        return files;
    }

  private:
    std::uint64_t fingerprint(FileList::Index i) const {
        return IndexWriter::elsewhere_fingerprint(files_.path(i), files_[i].size,
                                                  files_[i].mtime_ns);
    }

    // File `i`, unchanged since `previous` was recorded: its fate and its URL's owner.
    void keep_unchanged(FileList::Index i, const FileState& previous) {
        if (!shard_.keeps(id_term_of(previous.url))) {
            // Another shard's, recorded in full by an index before issue #28: it joins the
            // fingerprints (elsewhere_now()).
            set_fate(i, Fate::Elsewhere);
            writer_->forget(files_.path(i));
            return;
        }
        FileList::Entry& f = files_[i];
        f.holds = previous.holds;
        set_fate(i, f.holds ? Fate::Unchanged : Fate::Superseded);
        // files_ is sorted by path: the greatest path with the URL is the last to come.
        FileList::Index& owner = url_owner_[url_key(previous.url)];
        // An earlier file that says it holds the URL does not (a run over another folder let it
        // win): the later one is read again below if it lacks its article.
        if (owner != UrlOwners::kNone && files_[owner].holds) supersede(owner);
        owner = i;
    }

    std::uint64_t& count_of(Fate fate) {
        switch (fate) {
            case Fate::Added:
                return stats_.added;
            case Fate::Updated:
                return stats_.updated;
            case Fate::Unchanged:
                return stats_.unchanged;
            case Fate::Superseded:
                return stats_.superseded;
            case Fate::Elsewhere:
                return stats_.elsewhere;
            case Fate::Rejected:
            case Fate::Pending:
                break;
        }
        return stats_.rejected;
    }

    void set_fate(FileList::Index i, Fate fate) {
        FileList::Entry& f = files_[i];
        // The bytes of the files whose articles this run wrote: its MB/s (a shard of
        // --shards N reads every file, but writes only its own).
        const auto written = [](Fate x) { return x == Fate::Added || x == Fate::Updated; };
        if (f.fate != Fate::Pending) --count_of(f.fate);
        if (written(f.fate)) stats_.bytes_written -= f.size;
        ++count_of(fate);
        if (written(fate)) stats_.bytes_written += f.size;
        f.fate = fate;
    }

    // Where the run records file states: the index itself, or the bulk run's state shard.
    IndexWriter& state_store() { return states_ ? *states_ : *writer_; }

    // A later file took the URL of file `i`: its state says that the index no longer holds
    // its article.
    void supersede(FileList::Index i) {
        if (files_[i].fate != Fate::Rejected) set_fate(i, Fate::Superseded);
        if (!files_[i].holds) return;
        files_[i].holds = false;
        let_go(files_.path(i));
    }

    // Records that the index no longer holds the article of the file at `path`, in the index
    // and in what the run remembers of the file (it may be a changed file still to come: its
    // state is read when it is, or it is in the batch being read).
    void let_go(const std::string& path) {
        if (const auto i = files_.find(path)) {
            files_[*i].holds = false;
            if (SourceFile* f = in_batch(*i); f && f->previous) f->previous->holds = false;
        }
        std::optional<FileState> state = current_state(path);
        if (!state) return;
        state->holds = false;
        state_store().touch(path, *state);
    }

    // An input that held articles and now holds no file at all (an unmounted share, an emptied
    // or replaced folder) removes nothing unless --allow-empty says so: the run stops before
    // it writes anything.
    void refuse_emptied_inputs(const std::vector<std::string>& gone) const {
        if (options_.allow_empty || gone.empty()) return;
        for (std::size_t r = 0; r < roots_.size(); ++r) {
            const auto is_under = [&](const std::string& p) { return detail::is_under(p, roots_[r]); };
            const auto lost = std::count_if(gone.begin(), gone.end(), is_under);
            if (lost == 0) continue;
            bool holds = false;
            for (FileList::Index i = 0; i < files_.size() && !holds; ++i)
                holds = is_under(files_.path(i));
            if (holds) continue;
            throw Error(ErrorCode::Io, "input '" + options_.inputs[r] +
                                           "' holds no article files now, but the index has " +
                                           std::to_string(lost) +
                                           (lost == 1 ? " article file" : " article files") +
                                           " from it (an unmounted share, an emptied folder?); "
                                           "nothing was changed")
                .with_hint("if they are gone for good, remove them from the index with: "
                           "indexer " NEWSIDX_OPT("allow-empty") " " NEWSIDX_OPT("db") " " +
                           options_.db_path + " " + options_.inputs[r]);
        }
    }

    bool under_inputs(const std::string& path) const {
        return std::any_of(roots_.begin(), roots_.end(),
                           [&](const std::string& r) { return detail::is_under(path, r); });
    }

    // The file of the batch being read that is file `i` of the list, if any.
    SourceFile* in_batch(FileList::Index i) {
        if (!batch_) return nullptr;
        auto it =
            std::lower_bound(batch_->begin(), batch_->end(), i,
                             [](const SourceFile& f, FileList::Index j) { return f.index < j; });
        return it != batch_->end() && it->index == i ? &*it : nullptr;
    }

    Verdict lose(SourceFile& f, Outcome& out, const std::string& winner) {
        if (out.kind == Outcome::Kind::Indexed)
            observer_.on_warning(f.path + ":3: warning: same URL as " + winner +
                                 ", a later file; this one is not indexed");
        set_fate(f.index, Fate::Superseded);
        files_[f.index].holds = out.state.holds = false;
        return {out.kind == Outcome::Kind::Indexed ? Action::Supersede : Action::Touch};
    }

    const IndexOptions& options_;
    IndexObserver& observer_;
    IndexStats& stats_;
    IndexWriter* writer_ = nullptr;
    IndexWriter* states_ = nullptr;  // a bulk run's file states, merged at the end
    bool was_empty_ = false;
    ShardSpec shard_;
    std::vector<std::string> roots_;  // the inputs, absolute
    std::uint64_t bytes_total_ = 0;
    // Every source file, sorted by path; the run refers to them by index.
    FileList files_;
    const SetPass* pass_ = nullptr;  // a set's first build: the files and their shards
    std::size_t routed_away_ = 0;     // files that pass_ gave to other shards
    std::vector<SourceFile>* batch_ = nullptr;  // the files being read (Run::read_in_batches())
    // The file that holds each URL (by url_key()): the greatest path among those that carry it.
    UrlOwners url_owner_;
};

// One indexing run: the index opened and locked, the files read by a pipeline of workers in
// batches, each outcome accounted for by the ledger, and written directly or in bulk.
class Run {
  public:
    Run(const IndexOptions& options, IndexObserver& observer, IndexStats& stats,
        const SetPass* pass = nullptr)
        : options_(options), observer_(observer), stats_(stats), pass_(pass),
          ledger_(options, observer, stats) {}

    // The run, in its steps: inputs, the index and its lock, the file list, vanished files,
    // the files to read, then the direct or the bulk path.
    void execute() {
        const std::vector<std::string> roots = absolute_inputs(options_.inputs);
        // The lock first: a second indexer is turned away at once, before any listing.
        detail::recover_interrupted_swap(options_.db_path);
        writer_.emplace(IndexWriter::open(options_.db_path, options_.rebuild, options_.language));
        if (!options_.watched) detail::refuse_if_watched(options_.db_path);
        // A rebuild starts from nothing: the old index only stays readable until the swap. (A
        // shard without articles may still hold the states of the other shards' files.)
        was_empty_ = options_.rebuild || (writer_->size() == 0 && !writer_->has_file_states());
        settle_shard();
        ledger_.open(*writer_, shard_, was_empty_, roots);
        // The set's routing applies to a build from nothing only (no file has a state yet).
        ledger_.list_files(options_.rebuild || was_empty_ ? pass_ : nullptr);
        if (!options_.rebuild) ledger_.forget_vanished();
        std::vector<FileList::Index> todo = ledger_.files_to_read();
        unsigned jobs = workers_of(options_);
        jobs = static_cast<unsigned>(
            std::min<std::size_t>(jobs, std::max<std::size_t>(1, todo.size())));
        const Xapian::doccount existing = writer_->size();
        // A set's shard decides as if it read every file (as it did before its first build
        // was routed): its index is compacted whenever one index of the files would be.
        const std::size_t files = todo.size() + ledger_.routed_away();
        const bool bulk = options_.rebuild || options_.mode == BuildMode::Bulk ||
                          (options_.mode == BuildMode::Auto && files >= kBulkMinFiles &&
                           files >= existing / 4);
        stats_.bulk = bulk;
        observer_.on_reading(todo.size(), ledger_.bytes_total(), bulk);
        if (bulk)
            run_bulk(std::move(todo), jobs);
        else
            run_direct(todo, jobs);
    }

  private:

    // Below this many changed files a run updates the index in place.
    static constexpr std::size_t kBulkMinFiles = 1000;


    // Which articles the index keeps: the options' --shard, or the index's own. A shard's
    // split is fixed when it gets its first article; only a rebuild may change it.
    void settle_shard() {
        const std::string stored = writer_->shard();
        shard_ = options_.shard;
        if (shard_.whole() && !stored.empty()) {  // a rebuild too, unless --shard says otherwise
            if (const auto own = ShardSpec::parse(stored)) shard_ = *own;
            return;
        }
        if (options_.rebuild) return;
        if (shard_.text() == stored) return;
        if (writer_->size() > 0)
            throw Error(ErrorCode::BadOption,
                        "index '" + options_.db_path + "' is " +
                            (stored.empty() ? std::string("a whole index")
                                            : "shard " + stored + " of a set") +
                            ", not shard " + shard_.text())
                .with_hint("to split it otherwise, add " NEWSIDX_OPT("rebuild"));
        writer_->set_shard(shard_.text());
        // Fingerprints of files of "other shards" of another split (a shard without articles
        // may change its split) would skip files that are now its own.
        writer_->set_elsewhere({});
    }

    // Files `files[from, from + batch_files)` as the workers take them, each with what the index
    // knows of it now (`with_previous`: compared with its old bytes) — let_go() may have
    // changed that since the list was made.
    std::vector<SourceFile> materialize(const std::vector<FileList::Index>& files, std::size_t from,
                                        bool with_previous) {
        std::vector<SourceFile> batch;
        const std::size_t to = std::min(files.size(), from + batch_files());
        batch.reserve(to - from);
        for (std::size_t k = from; k < to; ++k) {
            SourceFile f = ledger_.source(files[k]);
            if (with_previous && !options_.rebuild)
                if (std::optional<FileState> previous = ledger_.current_state(f.path))
                    f.previous = std::make_unique<FileState>(std::move(*previous));
            batch.push_back(std::move(f));
        }
        return batch;
    }

    std::size_t batch_files() const { return std::max<std::size_t>(1, options_.batch_files); }

    // The one loop of both paths: takes the outcomes in file order, accounts for each and
    // hands it to `apply`, until the files run out or a signal stops the run.
    // Returns how many outcomes it took. `done` and `total`: the files of the pass before
    // this batch, and in all (progress).
    template <typename Apply>
    std::size_t drain(detail::Pipeline& pipeline, std::vector<SourceFile>& batch, std::size_t done,
                      std::size_t total, Apply&& apply) {
        std::size_t taken = 0;
        for (; taken < batch.size(); ++taken) {
            if (stopping()) break;
            Outcome out = pipeline.take(taken);
            SourceFile& f = batch[taken];
            const Verdict verdict = ledger_.account(f, out);
            apply(f, out, verdict);
            observer_.on_progress(done + taken + 1, total, stats_.bytes_read, ledger_.bytes_total());
        }
        pipeline.stop();
        return taken;
    }

    // Reads the files to read, then those to read again (read_again()), a batch at a time:
    // `read(batch, view, done, total)` runs one batch (`view`: its files by address) through
    // a pipeline; `done` and `total` are drain()'s.
    template <typename Read>
    void read_in_batches(const std::vector<FileList::Index>& todo, Read&& read) {
        const auto pass = [&](const std::vector<FileList::Index>& files, bool with_previous) {
            for (std::size_t from = 0; from < files.size() && !stopping(); from += batch_files()) {
                std::vector<SourceFile> batch = materialize(files, from, with_previous);
                std::vector<const SourceFile*> view;
                for (const SourceFile& f : batch) view.push_back(&f);
                ledger_.set_batch(&batch);
                struct Clear {
                    Ledger& ledger;
                    ~Clear() { ledger.set_batch(nullptr); }
                } clear{ledger_};
                read(batch, view, from, files.size());
            }
        };
        pass(todo, true);
        if (!stopping()) pass(ledger_.read_again(), false);
    }

    void run_direct(const std::vector<FileList::Index>& todo, unsigned jobs) {
        // The list of other shards' files, less the files this run reads, goes with the first
        // commit: a run that dies after it must not leave the fingerprint of a file whose
        // changed version it indexed here (restored with its old mtime, it would be skipped).
        writer_->set_elsewhere(ledger_.elsewhere_now());
        std::uint64_t since_commit = 0;
        read_in_batches(todo, [&](std::vector<SourceFile>& files,
                                  const std::vector<const SourceFile*>& view, std::size_t done,
                                  std::size_t total) {
            detail::Pipeline pipeline(view, jobs, writer_->analyzer(), options_.max_size, shard_);
            drain(pipeline, files, done, total,
                  [&](const SourceFile& f, const Outcome& out, Verdict verdict) {
                      switch (verdict.action) {
                          case Action::None:
                              break;
                          case Action::Touch:
                              writer_->touch(f.path, out.state);
                              break;
                          case Action::Forget:
                              writer_->forget(f.path);
                              break;
                          case Action::Supersede:
                              if (f.previous) writer_->delete_article_of(f.path, f.previous->url);
                              writer_->touch(f.path, out.state);
                              break;
                          case Action::Write:
                              writer_->put(f.path, out.state, *out.built);
                              since_commit += out.bytes;
                              break;
                      }
                      if (since_commit >= options_.commit_bytes) {
                          writer_->commit();
                          since_commit = 0;
                      }
                  });
        });
        writer_->set_elsewhere(ledger_.elsewhere_now());
        if (!stats_.interrupted) writer_->end_first_run();  // a stopped first run goes on later
        observer_.on_commit();
        writer_->commit();
    }

    // A bulk run's scratch: <db>.build with a shard per worker and one of file states, and
    // <db>.new for the merged index. However the run ends, both folders go (a failed run must
    // not leave a full disk).
    struct Scratch {
        std::string build, next;
        std::vector<IndexWriter> writers;  // one per worker
        std::vector<Shard> shards;
        ~Scratch() {
            writers.clear();
            std::error_code ignored;
            fs::remove_all(build, ignored);
            fs::remove_all(next, ignored);
        }
    };

    // The scratch folders, empty, and the writers of their shards.
    void prepare(Scratch& scratch, unsigned jobs) {
        std::error_code ec;
        fs::remove_all(scratch.build, ec);
        fs::remove_all(scratch.next, ec);
        fs::create_directories(scratch.build, ec);
        if (ec)
            throw Error(ErrorCode::NotWritable,
                        "cannot create '" + scratch.build + "': " + ec.message());
        scratch.shards.resize(jobs);
        // The run is one change; its articles keep the change that added their URL to the
        // index they replace (a rebuild's too: it adds no URL the old index had).
        identity_ = writer_->identity();
        ++identity_.changes;
        // The index as last committed (the vanished files' deletions are not, unless Xapian
        // flushed them: what the writer deleted goes to the shards too).
        const std::string origins =
            options_.rebuild || !was_empty_ ? writer_->path() : std::string();
        for (unsigned j = 0; j < jobs; ++j)
            scratch.writers.push_back(IndexWriter::create_shard(
                detail::scratch_shard(scratch.build, j), writer_->analyzer(), identity_.changes,
                origins, writer_->removed_added()));
        states_.emplace(IndexWriter::create_shard(scratch.build + "/states", writer_->analyzer()));
        states_->set_shard(shard_.text());  // carried into the merged index
        ledger_.use_states(*states_);
    }

    // One outcome of a bulk run, taken in file order: what the index and the states shard
    // keep of it. `superseded` collects the articles that the workers' shards must drop.
    void apply_bulk(const SourceFile& f, const Outcome& out, Verdict verdict,
                    std::vector<std::pair<std::string, std::string>>& superseded) {
        switch (verdict.action) {
            case Action::None:
                return;
            case Action::Forget:
                writer_->forget(f.path);
                states_->forget(f.path);  // a state let_go() wrote this run
                return;
            case Action::Touch:
                break;
            case Action::Supersede:
                superseded.emplace_back(f.path, out.state.url);
                [[fallthrough]];
            case Action::Write:
                // The index keeps nothing this file or this URL produced before.
                if (f.previous) writer_->delete_article_of(f.path, f.previous->url);
                if (verdict.in_index) writer_->delete_id(out.id_term);
                break;
        }
        states_->touch(f.path, out.state);
    }

    // The files through the workers, each writing the articles it analyses into its own shard.
    void read_into_shards(const std::vector<FileList::Index>& todo, Scratch& scratch,
                          unsigned jobs) {
        read_in_batches(todo, [&](std::vector<SourceFile>& files,
                                  const std::vector<const SourceFile*>& view, std::size_t done,
                                  std::size_t total) {
            const std::uint64_t commit_bytes = Shard::worker_commit_bytes(options_.commit_bytes, jobs);
            // Written by the workers, whose shards the run must not touch until they stop:
            // articles that a later file turned out to hold, deleted from the shards then.
            std::vector<std::pair<std::string, std::string>> superseded;  // (path, URL)
            detail::Pipeline pipeline(
                view, jobs, writer_->analyzer(), options_.max_size, shard_,
                [&](unsigned w, const SourceFile& f, Outcome& out) {
                    scratch.shards[w].write(scratch.writers[w], f, out, commit_bytes);
                });
            const std::size_t taken = drain(
                pipeline, files, done, total,
                [&](const SourceFile& f, const Outcome& out, Verdict verdict) {
                    apply_bulk(f, out, verdict, superseded);
                });
            for (const auto& [path, url] : superseded)
                for (IndexWriter& w : scratch.writers) w.delete_article_of(path, url);
            // Stopped early, the workers may have written files the run never took, whose old
            // articles are still in the index: leave those files to the next run, as if they
            // had not been read (their old state stays, so it reads them again).
            for (std::size_t i = taken; i < files.size(); ++i)
                for (IndexWriter& w : scratch.writers) w.forget(files[i].path);
        });
    }

    // The shards and the old index merged by compaction into <db>.new, swapped in.
    void merge_and_swap(Scratch& scratch) {
        observer_.on_commit();
        for (IndexWriter& w : scratch.writers) w.commit();
        IndexWriter::drop_shared_ids(scratch.writers);
        writer_->commit();
        const bool with_old = !options_.rebuild && (writer_->size() > 0 || !was_empty_);
        // The merged index is opened, and so locked, before it is swapped in: from here to the
        // end of the run both the old and the new index are this run's.
        // A first run that completes here ends the archive; one stopped goes on at the next run.
        if (identity_.first_run == schema::kFirstRunGoing && !stats_.interrupted)
            identity_.first_run = schema::first_run_ended(identity_.changes);
        IndexWriter merged =
            IndexWriter::merge(scratch.writers, *states_, with_old ? options_.db_path : "",
                               scratch.next, writer_->analyzer(), identity_);
        detail::sync_tree(scratch.next);
        detail::swap_in(scratch.next, options_.db_path);
        observer_.on_swapped();
        // Neither index is written again: the old one is at <db>.new now (removed with the
        // scratch), and the merged one is where the old one was.
        writer_->release();
        writer_.reset();
        merged.release();
    }

    // Bulk: each worker writes its own scratch shard; the shards and the old index are merged
    // by compaction into <db>.new, which is swapped in (docs/architecture.md). The file states
    // are written by the run alone, into a shard of their own.
    void run_bulk(std::vector<FileList::Index> todo, unsigned jobs) {
        Scratch scratch{detail::index_sibling(options_.db_path, detail::kBuildSuffix),
                        detail::index_sibling(options_.db_path, detail::kNextSuffix), {}, {}};
        prepare(scratch, jobs);
        // The old articles of changed files are deleted from the index as the run takes the
        // files, but must not be committed unless the merge that brings their new versions
        // follows: a run that fails on the way drops those deletions.
        writer_->hold_until_commit();
        writer_->defer_clusters();  // merge() recounts the merged index's clusters
        read_into_shards(todo, scratch, jobs);
        states_->set_elsewhere(ledger_.elsewhere_now());
        // Every file is counted: the merge and the cluster count that follow get the memory.
        todo = {};
        ledger_.release();
        detail::release_free_memory();
        // An interrupted rebuild is dropped whole: the old index stays, rather than one that
        // lost whatever the rebuild had not reached.
        if (options_.rebuild && stats_.interrupted) {
            stats_.added = stats_.updated = stats_.unchanged = stats_.superseded = 0;
            return;
        }
        merge_and_swap(scratch);
    }

    bool stopping() {
        if (options_.stop && options_.stop->load()) stats_.interrupted = true;
        return stats_.interrupted;
    }

    const IndexOptions& options_;
    IndexObserver& observer_;
    IndexStats& stats_;
    std::optional<IndexWriter> writer_;
    std::optional<IndexWriter> states_;  // a bulk run's file states, merged at the end
    IndexWriter::Identity identity_;     // a bulk run's: the index's id, the run's change
    bool was_empty_ = false;
    const SetPass* pass_;
    ShardSpec shard_;  // the articles the index keeps (settle_shard())
    Ledger ledger_;
};

std::string stub_text(unsigned shards) {
    // File content, not a message: the command that wrote it, as a person would type it.
    std::string text = "# newsidx: " + std::to_string(shards) + " shards, split by URL (" +
                       spelled("indexer " NEWSIDX_OPT("shards") " ", Spelling::Cli) +
                       std::to_string(shards) + "); docs/scale-out.md\n";
    for (unsigned k = 1; k <= shards; ++k) text += "auto " + std::to_string(k) + "\n";
    return text;
}

// How many shards the set in `dir` has: 0 when `dir` is no set folder (no stub file there).
// Throws Error(BadOption) for a stub that lists anything else than shards 1 to N.
unsigned set_size(const std::string& dir) {
    const fs::path stub = detail::stub_file(dir);
    std::error_code ec;
    if (!fs::is_regular_file(stub, ec)) return 0;
    std::ifstream in(stub);
    std::string line;
    unsigned n = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (line != "auto " + std::to_string(n + 1))
            throw Error(ErrorCode::BadOption, "'" + stub.string() +
                                                  "' names other members than shards 1 to N: "
                                                  "not a set that indexer " NEWSIDX_OPT("shards") " wrote")
                .with_hint("index each shard with " NEWSIDX_OPT("db") " SHARD " NEWSIDX_OPT("shard") " K/N");
        ++n;
    }
    return n;
}

// Writes the stub file for `shards` shards into `dir`, whole or not at all.
void write_stub(const std::string& dir, unsigned shards) {
    const fs::path stub = detail::stub_file(dir);
    const fs::path scratch = detail::stub_scratch(dir);
    {
        std::ofstream out(scratch, std::ios::trunc);
        out << stub_text(shards);
        out.flush();
        if (!out) throw Error(ErrorCode::NotWritable, "cannot write '" + scratch.string() + "'");
    }
    std::error_code ec;
    fs::rename(scratch, stub, ec);
    if (ec)
        throw Error(ErrorCode::NotWritable,
                    "cannot write '" + stub.string() + "': " + ec.message());
}

// --shards N into `dir`: refuses an index, a file, a folder of other things or a set of another
// N, creates the folder; returns how many shards it has (0 before its first complete run).
unsigned check_set_folder(const std::string& dir, unsigned n) {
    std::error_code ec;
    if (detail::holds_index(dir)) {
        const std::string part = detail::guarded("reading index metadata", dir, [&] {
            return Xapian::Database(dir).get_metadata(std::string(schema::kShard.key));
        });
        throw Error(ErrorCode::BadOption, "'" + dir + "' is " +
                                              (part.empty() ? "a single index" : "shard " + part) +
                                              "; " NEWSIDX_OPT("shards") " " + std::to_string(n) +
                                              " builds a set of shards in a folder of its own")
            .with_hint(part.empty() ? "give " NEWSIDX_OPT("db") " a new folder"
                                    : "update this shard with " NEWSIDX_OPT("db") " " + dir);
    }
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw Error(ErrorCode::BadOption, "'" + dir + "' is a file, not a folder of shards");
    const unsigned existing = set_size(dir);
    // Before its first complete run a set is its shards' folders (and their scratch folders):
    // shards indexed one by one with --shard K/N, or a first run that was stopped.
    const auto shard_entry = [n](const std::string& name) {
        const std::string number = name.substr(0, name.find('.'));
        const std::string rest = name.substr(number.size());
        return !number.empty() && number.size() < 6 &&
               std::all_of(number.begin(), number.end(),
                           [](char c) { return c >= '0' && c <= '9'; }) &&
               std::stoul(number) >= 1 && std::stoul(number) <= n &&
               detail::is_shard_sibling(rest);
    };
    if (existing == 0 && fs::is_directory(dir, ec))
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (fs::path(dir) / name != fs::path(detail::stub_scratch(dir)) && !shard_entry(name))
                throw Error(
                    ErrorCode::BadOption,
                    "'" + dir + "' is neither empty nor a set of shards (it holds '" + name + "')")
                    .with_hint("give " NEWSIDX_OPT("db") " a new folder");
        }
    if (existing != 0 && existing != n)
        throw Error(ErrorCode::BadOption, "'" + dir + "' holds " + std::to_string(existing) +
                                              " shards, not " + std::to_string(n))
            .with_hint("update it with " NEWSIDX_OPT("shards") " " + std::to_string(existing) +
                       ", or split the articles otherwise into a new folder");
    fs::create_directories(dir, ec);
    if (ec) throw Error(ErrorCode::NotWritable, "cannot create '" + dir + "': " + ec.message());
    return existing;
}

// A shard's run counted into the set's. Every shard reads every file: the first one's count of
// files and rejections is the set's; each counts the removed files whose articles it had.
void add_shard_stats(IndexStats& total, const IndexStats& stats, bool first) {
    if (first) {
        total.files = stats.files;
        total.rejected = stats.rejected;
    }
    total.removed += stats.removed;
    total.added += stats.added;
    total.updated += stats.updated;
    total.unchanged += stats.unchanged;
    total.superseded += stats.superseded;
    total.bytes_read += stats.bytes_read;
    total.bytes_written += stats.bytes_written;
    total.bulk = total.bulk || stats.bulk;
    total.seconds += stats.seconds;
    total.interrupted = total.interrupted || stats.interrupted;
}

// One index (or shard), with a set's pass when it has one.
IndexStats index_one(const IndexOptions& options, IndexObserver& observer, const SetPass* pass) {
    const auto started = std::chrono::steady_clock::now();
    IndexStats stats;
    detail::guarded("indexing", options.db_path,
                    [&] { Run(options, observer, stats, pass).execute(); });
    stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return stats;
}

// The shard of each file of a set's first build, by the URL its header names: read and parsed,
// not analysed, on every core. Files that are not articles stay 0: each shard's run reads them
// (and the first reports them).
SetPass routed(const IndexOptions& options, IndexObserver& observer) {
    SetPass pass;
    pass.files = detail::find_files(absolute_inputs(options.inputs),
                                    [&](const std::string& line) { observer.on_warning(line); });
    pass.shard.assign(pass.files.size(), 0);
    std::atomic<std::size_t> next{0};
    const auto route = [&] {
        for (std::size_t i; (i = next++) < pass.files.size();) {
            if (options.stop && options.stop->load()) return;
            const SourceFile f = pass.files.source(static_cast<FileList::Index>(i));
            if (f.size > options.max_size) continue;
            std::string error;
            const std::optional<std::string> bytes = detail::read_file(f.path, options.max_size, &error);
            if (!bytes) continue;
            try {
                const ParsedArticle parsed = parse_article(f.path, *bytes);
                if (parsed.ok())
                    pass.shard[i] = static_cast<std::uint16_t>(
                        shard_of(id_term_of(parsed.article().url), options.shards));
            } catch (const std::exception&) {  // the shard's run says what is wrong with it
            }
        }
    };
    on_threads(workers_of(options), route);
    return pass;
}

// What the runs of a set's shards built at once say, one call at a time, with one progress
// line for them all (the sums of their files and bytes).
class SetObserver : public IndexObserver {
  public:
    SetObserver(IndexObserver& out, unsigned n) : out_(out), progress_(n + 1) {}

    // The shard that the calling thread indexes.
    static void indexing(unsigned k) { shard_ = k; }

    void on_rejected(const RecordError& error) override {
        std::lock_guard lock(mutex_);
        out_.on_rejected(error);
    }
    void on_warning(const std::string& line) override {
        std::lock_guard lock(mutex_);
        out_.on_warning(line);
    }
    void on_listed(std::uint64_t files, std::uint64_t bytes) override {
        std::lock_guard lock(mutex_);
        if (!listed_) out_.on_listed(files, bytes);
        listed_ = true;
    }
    void on_reading(std::uint64_t files, std::uint64_t bytes, bool bulk) override {
        std::lock_guard lock(mutex_);
        if (!reading_) out_.on_reading(files, bytes, bulk);
        reading_ = true;
    }
    void on_progress(std::uint64_t done, std::uint64_t total, std::uint64_t bytes_done,
                     std::uint64_t bytes_total) override {
        std::lock_guard lock(mutex_);
        progress_[shard_] = {done, total, bytes_done, bytes_total};
        std::array<std::uint64_t, 4> sum{};
        for (const auto& p : progress_)
            for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += p[i];
        out_.on_progress(sum[0], sum[1], sum[2], sum[3]);
    }
    void on_commit() override {
        std::lock_guard lock(mutex_);
        out_.on_commit();
    }
    void on_swapped() override {
        std::lock_guard lock(mutex_);
        out_.on_swapped();
    }
    void on_shard(unsigned k, unsigned n, const std::string& path) override {
        std::lock_guard lock(mutex_);
        out_.on_shard(k, n, path);
    }
    void on_shard_done(unsigned k, unsigned n, const IndexStats& stats) override {
        std::lock_guard lock(mutex_);
        out_.on_shard_done(k, n, stats);
    }

  private:
    IndexObserver& out_;
    std::mutex mutex_;
    std::vector<std::array<std::uint64_t, 4>> progress_;  // per shard: done, total, bytes
    bool listed_ = false, reading_ = false;
    static thread_local unsigned shard_;
};

thread_local unsigned SetObserver::shard_ = 0;

// --shards N: the shards indexed as shard K of N each. A first build or a rebuild reads each
// file's URL once first (routed()), so that each shard reads only its own files, and builds
// several shards at once (as many as --jobs allows, each with its share of the workers), so
// that one shard's merge, on one core, overlaps another's reading; later runs take the shards
// in turn, each with every worker.
IndexStats run_set(const IndexOptions& options, IndexObserver& observer) {
    const std::string& dir = options.db_path;
    const unsigned n = options.shards;
    const unsigned existing = check_set_folder(dir, n);
    const auto started = std::chrono::steady_clock::now();
    std::optional<SetPass> pass;
    if (options.rebuild || existing == 0) pass = routed(options, observer);
    const unsigned jobs = workers_of(options);
    const unsigned at_once = pass ? std::min(n, jobs) : 1;
    SetObserver serial(observer, n);
    IndexObserver& each = at_once > 1 ? serial : observer;
    std::vector<IndexStats> stats(n + 1);
    std::atomic<unsigned> next{1};
    std::atomic<bool> interrupted{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const auto build = [&] {
        for (unsigned k; !interrupted && (k = next++) <= n;) {
            SetObserver::indexing(k);
            try {
                IndexOptions one = options;
                one.shards = 0;
                one.shard = ShardSpec{k, n};
                one.db_path = (fs::path(dir) / std::to_string(k)).string();
                one.report_rejections = k == 1;
                one.jobs = std::max(1u, jobs / at_once);
                each.on_shard(k, n, one.db_path);
                stats[k] = index_one(one, each, pass ? &*pass : nullptr);
                each.on_shard_done(k, n, stats[k]);
                if (stats[k].interrupted) interrupted = true;
            } catch (...) {  // the other shards end their runs; the first failure is the run's
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                interrupted = true;
            }
        }
    };
    on_threads(at_once, build);
    if (failure) std::rethrow_exception(failure);
    IndexStats total;
    for (unsigned k = 1; k <= n; ++k) add_shard_stats(total, stats[k], k == 1);
    total.seconds =  // the shards' runs overlap
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Named once every shard exists (an earlier stub names the same N shards).
    if (!total.interrupted && existing == 0) write_stub(dir, n);
    return total;
}

}  // namespace

IndexStats run_index(const IndexOptions& options, IndexObserver& observer) {
    if (options.shards > 0 || (options.shard.whole() && set_size(options.db_path) > 0)) {
        if (!options.shard.whole())
            throw Error(ErrorCode::BadOption, NEWSIDX_OPT("shard") " and " NEWSIDX_OPT("shards") " cannot be combined")
                .with_hint(NEWSIDX_OPT("shards") " N indexes all N shards of DIR; " NEWSIDX_OPT("shard") " K/N one index");
        IndexOptions set = options;
        if (set.shards == 0) set.shards = set_size(options.db_path);
        return run_set(set, observer);
    }
    if (!options.shard.whole() && set_size(options.db_path) > 0)
        throw Error(ErrorCode::BadOption, "'" + options.db_path + "' is a set of " +
                                              std::to_string(set_size(options.db_path)) +
                                              " shards, not one shard")
            .with_hint("index one shard with " NEWSIDX_OPT("db") " " + options.db_path + "/K " NEWSIDX_OPT("shard") " K/N");
    return index_one(options, observer, nullptr);
}

double time_left(double reading_seconds, std::uint64_t bytes_done, std::uint64_t bytes_total,
                 bool bulk) {
    if (bytes_done == 0 || reading_seconds <= 0) return -1;
    const double reading_left =
        reading_seconds * static_cast<double>(bytes_total - std::min(bytes_done, bytes_total)) /
        static_cast<double>(bytes_done);
    const double finish =
        (bulk ? kBulkFinishShare : kDirectFinishShare) * (reading_seconds + reading_left);
    return reading_left + finish;
}

std::string summary_line(const IndexStats& s) {
    constexpr std::uint64_t kRateMinArticles = 10;
    const double secs = std::max(s.seconds, 1e-6);
    const double written = static_cast<double>(s.added + s.updated);
    const double rate = written / secs;
    const double mbps = static_cast<double>(s.bytes_written) / 1e6 / secs;
    return "indexed " + std::to_string(s.articles()) +
           (s.articles() == 1 ? " article (" : " articles (") + std::to_string(s.added) + " new, " +
           std::to_string(s.updated) + " updated, " + std::to_string(s.unchanged) + " unchanged, " +
           std::to_string(s.removed) + " removed, " + std::to_string(s.rejected) + " rejected" +
           (s.superseded ? ", " + std::to_string(s.superseded) + " superseded" : std::string()) +
           (s.elsewhere ? ", " + std::to_string(s.elsewhere) + " in other shards" : std::string()) +
           ") in " + format_fixed(s.seconds, 1) + " s" +
           // A rate of a few articles says nothing (a watcher's batch of one file spends its
           // time committing): from kRateMinArticles written.
           (s.articles() >= kRateMinArticles
                ? " \xE2\x80\x94 " + format_fixed(std::round(rate), 0) + " articles/s, " +
                      format_fixed(mbps, 1) + " MB/s"
                : std::string());
}

}  // namespace newsidx
