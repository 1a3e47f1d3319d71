#include "pipeline.hpp"

#include <algorithm>

namespace newsidx::detail {

Outcome process(const SourceFile& file, DocumentBuilder& builder, std::uint64_t max_size,
                const ShardSpec& shard) {
    Outcome out;
    auto reject = [&](std::string reason) {
        out.kind = Outcome::Kind::Rejected;
        out.error = RecordError{file.path, 1, std::move(reason)};
        return std::move(out);
    };
    if (file.size > max_size)
        return reject("file too large (" + std::to_string(file.size) + " bytes; " NEWSIDX_OPT("max-size") " is " +
                      std::to_string(max_size) + ")");
    std::string read_error;
    std::optional<std::string> bytes = read_file(file.path, max_size, &read_error);
    if (!bytes) return reject(read_error);
    out.bytes = bytes->size();
    out.state = FileState{bytes->size(), file.mtime_ns, content_hash(*bytes), {}};
    // Another shard's article is not analysed, and its warnings are that shard's to report.
    auto elsewhere = [&] {
        out.kind = Outcome::Kind::Elsewhere;
        out.state.holds = false;
        out.warnings.clear();
        return std::move(out);
    };
    if (file.previous && file.previous->hash == out.state.hash && !file.previous->url.empty()) {
        out.kind = Outcome::Kind::Touched;
        out.state.url = file.previous->url;
        if (!shard.keeps(id_term_of(out.state.url))) return elsewhere();
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
        if (!shard.keeps(id_term_of(out.state.url))) return elsewhere();
        out.built = builder.build(parsed.article(), file.path);
        out.id_term = out.built->id_term;
        out.kind = Outcome::Kind::Indexed;
    } catch (const std::exception& e) {
        return reject(std::string("cannot analyse: ") + e.what());
    }
    return out;
}

Pipeline::Pipeline(const std::vector<const SourceFile*>& files, unsigned jobs,
                   const Analyzer& analyzer, std::uint64_t max_size, const ShardSpec& shard,
                   Sink sink)
    : files_(files),
      window_(std::max<std::size_t>(64, 64 * jobs)),
      slots_(window_),
      ready_(window_, false),
      sink_(std::move(sink)) {
    for (unsigned j = 0; j < jobs; ++j)
        workers_.emplace_back(
            [this, j, analyzer, max_size, shard] { work(j, analyzer, max_size, shard); });
}

Outcome Pipeline::take(std::size_t i) {
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

void Pipeline::stop() {
    join();
    if (failure_) std::rethrow_exception(failure_);
}

void Pipeline::join() noexcept {
    {
        std::lock_guard lock(mutex_);
        aborted_ = true;
    }
    space_.notify_all();
    for (auto& t : workers_)
        if (t.joinable()) t.join();
}

void Pipeline::work(unsigned worker, const Analyzer& analyzer, std::uint64_t max_size,
                    ShardSpec shard) {
    DocumentBuilder builder(analyzer);
    for (;;) {
        const std::size_t i = next_.fetch_add(1);
        if (i >= files_.size()) return;
        {
            std::unique_lock lock(mutex_);
            space_.wait(lock, [&] { return aborted_ || i < consumed_ + window_; });
            if (aborted_) return;
        }
        Outcome out = process(*files_[i], builder, max_size, shard);
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

}  // namespace newsidx::detail
