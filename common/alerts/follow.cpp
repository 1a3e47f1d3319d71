// --alerts-follow: a check after each change of the index, and deliveries with backoff.
#include <sys/stat.h>

#include <map>
#include <set>
#include <thread>

#include "journal.hpp"
#include "newsidx/alerts.hpp"
#include "newsidx/error.hpp"

namespace newsidx::alerts {

namespace {

using Clock = std::chrono::steady_clock;

// When searches.json was last written (0 when it is absent): an edit is checked at once.
std::int64_t modified_ns(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// A receiver's retries: when it may be tried again, and how long the next wait is.
struct Backoff {
    Clock::time_point next{};
    std::chrono::milliseconds wait{0};
    std::string failing;  // the last failure
    unsigned failures = 0;
};

class Follower {
  public:
    Follower(const FollowOptions& options, const WebhookSender& webhook, std::ostream& log)
        : o_(options), webhook_(webhook), log_(log) {}

    void run() {
        while (!o_.stop || !o_.stop->load()) {
            cycle();
            for (auto slept = std::chrono::milliseconds(0); slept < o_.poll;
                 slept += std::chrono::milliseconds(50)) {
                if (o_.stop && o_.stop->load()) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
    }

  private:
    void cycle() {
        bool fresh = false;
        try {
            const std::int64_t edited = modified_ns(detail::searches_path(o_.dir));
            // Each commit writes a new version file: nothing to open the index for before.
            const std::string commit = commit_stamp();
            if (!first_ && commit == commit_ && edited == edited_ && waiting_.empty()) {
                if (pending_ && Clock::now() >= next_due_) deliver_due();
                return;
            }
            const IndexChanges now = Searcher(o_.defaults).changes();
            commit_ = commit;
            if (first_ || now.id != seen_.id || now.last != seen_.last ||
                now.first_run != seen_.first_run || edited != edited_) {
                if (edited != edited_) backoff_.clear();  // a receiver mended, or named again
                // Receivers named for the first time start after the alerts made so far.
                if (first_ || edited != edited_)
                    deliver(o_.dir, webhook_, [](const Receiver&) { return false; });
                const CheckReport report = check(o_.dir, o_.defaults);
                // A note is said once, not at every change while it holds.
                std::set<std::string> notes(report.notes.begin(), report.notes.end());
                for (const std::string& note : notes)
                    if (!said_.count(note)) log_ << "alerts: " << note << '\n';
                said_ = std::move(notes);
                for (const Alert& a : report.alerts)
                    log_ << "alert " << a.n << " [" << a.search << "] " << a.article.date << ' '
                         << a.article.title << " <" << a.article.url << ">"
                         << (a.copies.empty() ? "" : "; " + also_ran(a.article, a.copies))
                         << '\n';
                // (An edit may name a receiver again, or mend one.)
                fresh = !report.alerts.empty() || first_ || edited != edited_;
                seen_ = now;
                edited_ = edited;
                first_ = false;
            }
            if (waiting_ != "") log_ << "alerts: checking again\n";
            waiting_.clear();
        } catch (const Error& e) {
            const std::string why = e.message(Spelling::Cli);
            if (why != waiting_) log_ << "alerts: waiting: " << why << '\n';
            waiting_ = why;
            return;
        }
        if (fresh || (pending_ && Clock::now() >= next_due_)) deliver_due();
        log_.flush();
    }

    // The identity of each index's last commit: its version file's inode and time.
    std::string commit_stamp() const {
        std::string stamp;
        for (const std::string& db : o_.defaults.db_paths) {
            struct stat st {};
            if (::stat((db + "/iamglass").c_str(), &st) == 0)
                stamp += std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
                         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
                         ":" + std::to_string(st.st_ctim.tv_nsec) + " ";
        }
        return stamp;
    }

    void deliver_due() {
        const auto now = Clock::now();
        std::vector<ReceiverState> states;
        try {
            states = deliver(o_.dir, webhook_,
                             [&](const Receiver& r) { return backoff_[r.name].next <= now; });
        } catch (const Error& e) {
            // (searches.json saved half-way, a full disk): the next cycle tries again.
            log_ << "alerts: delivery waits: " << e.message(Spelling::Cli) << '\n';
            pending_ = true;
            next_due_ = now + o_.first_retry;
            return;
        }
        pending_ = false;
        next_due_ = Clock::time_point::max();
        for (const ReceiverState& s : states) {
            Backoff& b = backoff_[s.receiver.name];
            if (s.tried && !s.last_error.empty()) {
                b.wait = b.wait.count() == 0 ? o_.first_retry : std::min(b.wait * 2, o_.max_retry);
                b.next = now + b.wait;
                log_ << "alerts: " << s.receiver.name << " (" << s.receiver.kind << "): "
                     << s.last_error << "; " << s.waiting << " waiting, next try in "
                     << (b.wait.count() + 999) / 1000 << " s\n";
                b.failing = s.last_error;
                ++b.failures;
            } else if (s.tried && !b.failing.empty()) {
                log_ << "alerts: " << s.receiver.name << " (" << s.receiver.kind
                     << "): delivered up to alert " << s.delivered << " after " << b.failures
                     << (b.failures == 1 ? " failed try\n" : " failed tries\n");
                b = Backoff();
            }
            if (s.waiting > 0) {
                pending_ = true;
                next_due_ = std::min(next_due_, b.next);
            }
        }
    }

    const FollowOptions& o_;
    const WebhookSender& webhook_;
    std::ostream& log_;
    bool first_ = true, pending_ = false;
    Clock::time_point next_due_{};  // the first receiver with alerts waiting may be tried then
    IndexChanges seen_;
    std::string commit_;
    std::int64_t edited_ = 0;
    std::string waiting_;
    std::set<std::string> said_;
    std::map<std::string, Backoff> backoff_;
};

}  // namespace

void follow(const FollowOptions& options, const WebhookSender& webhook, std::ostream& log) {
    Follower(options, webhook, log).run();
}

}  // namespace newsidx::alerts
