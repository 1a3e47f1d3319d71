// The indexer's worker pipeline: workers read, check and analyse files in any order; the run
// takes their outcomes in file order through a ring of slots, so memory stays bounded and
// "the later file wins" is deterministic.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "file_scan.hpp"
#include "analyzer.hpp"
#include "article.hpp"
#include "document.hpp"

namespace newsidx::detail {

/// What a worker made of one file.
struct Outcome {
    /// Elsewhere: an article that another shard of the set holds (ShardSpec), not analysed.
    enum class Kind { Indexed, Touched, Elsewhere, Rejected } kind = Kind::Rejected;
    FileState state;
    std::optional<DocumentBuilder::Built> built;  ///< moved out by a bulk worker once written
    std::string id_term;
    std::optional<RecordError> error;
    std::vector<std::string> warnings;
    std::uint64_t bytes = 0;
};

/// Reads and analyses one file: an article to index, a file whose content is unchanged
/// (Touched), an article for another shard than `shard` (Elsewhere), or a rejection.
Outcome process(const SourceFile& file, DocumentBuilder& builder, std::uint64_t max_size,
                const ShardSpec& shard = {});

class Pipeline {
  public:
    /// Runs right after a worker processed a file, in that worker (bulk builds write the
    /// document into the worker's own shard there).
    using Sink = std::function<void(unsigned worker, const SourceFile& file, Outcome& out)>;

    Pipeline(const std::vector<const SourceFile*>& files, unsigned jobs, const Analyzer& analyzer,
             std::uint64_t max_size, const ShardSpec& shard, Sink sink = {});

    // Never rethrows: it may run while take()'s exception unwinds the caller.
    ~Pipeline() { join(); }

    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// The outcome for files[i]; call with i = 0, 1, 2, ... in turn. Rethrows a worker's
    /// failure to write.
    Outcome take(std::size_t i);

    /// Stops the workers (after the file each is on), waits for them, and rethrows a
    /// worker's failure to write.
    void stop();

  private:
    void join() noexcept;
    void work(unsigned worker, const Analyzer& analyzer, std::uint64_t max_size, ShardSpec shard);

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

}  // namespace newsidx::detail
