// Receivers: each is handed the journal's alerts after the last it acknowledged, in order. A
// JSONL log and a command are delivered here; a webhook by the front end's HTTP client.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "journal.hpp"
#include "newsidx/alerts.hpp"
#include "newsidx/error.hpp"

namespace newsidx::alerts {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// How long a command may take with one alert.
constexpr int kCommandSeconds = 60;

std::uint64_t read_mark(const std::string& path) {
    std::ifstream in(path);
    std::uint64_t n = 0;
    in >> n;
    return n;
}

// The last line of the file at `path` (its last 64 KB read), or empty.
std::string last_line(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return {};
    const std::streamoff size = in.tellg();
    const std::streamoff from = std::max<std::streamoff>(0, size - 65536);
    in.seekg(from);
    std::string tail(static_cast<std::size_t>(size - from), '\0');
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    while (!tail.empty() && tail.back() == '\n') tail.pop_back();
    const std::size_t start = tail.rfind('\n');
    return start == std::string::npos ? tail : tail.substr(start + 1);
}

// A JSONL log: the alert's line appended and synced. An alert whose line the log already
// ends with (the follower died before marking it delivered) is not written twice.
Delivery to_log(const Receiver& r, const Alert& alert, const std::string& line) {
    try {
        const json last = json::parse(last_line(r.target));
        if (last.value("search", "") == alert.search && last.value("n", std::uint64_t{0}) >= alert.n)
            return {true, ""};
    } catch (const json::exception&) {
    }
    const std::string text = line + "\n";
    const int fd = ::open(r.target.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return {false, std::strerror(errno)};
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    return ok ? Delivery{true, ""} : Delivery{false, std::strerror(saved)};
}

// A command: `sh -c TARGET` with the alert's JSON on stdin; exit status 0 acknowledges it.
Delivery to_command(const Receiver& r, const Alert& alert, const std::string& line) {
    int in[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return {false, std::strerror(errno)};
    const pid_t pid = ::fork();
    if (pid < 0) return {false, std::strerror(errno)};
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::setenv("NEWSIDX_ALERT_SEARCH", alert.search.c_str(), 1);
        ::setenv("NEWSIDX_ALERT_URL", alert.article.url.c_str(), 1);
        ::setenv("NEWSIDX_ALERT_N", std::to_string(alert.n).c_str(), 1);
        ::execl("/bin/sh", "sh", "-c", r.target.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(in[0]);
    const std::string text = line + "\n";
    ::signal(SIGPIPE, SIG_IGN);  // a command that does not read its input still answers
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(in[1], text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::close(in[1]);
    int status = 0;
    for (int waited = 0;; ++waited) {
        const pid_t got = ::waitpid(pid, &status, WNOHANG);
        if (got == pid) break;
        if (got < 0 && errno != EINTR) return {false, std::strerror(errno)};
        if (waited >= kCommandSeconds * 20) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return {false, "took more than " + std::to_string(kCommandSeconds) + " s"};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, ""};
    return {false, WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                     : "killed by signal " + std::to_string(WTERMSIG(status))};
}

}  // namespace

std::string alert_json(const Alert& alert) { return detail::json_of(alert).dump(); }

namespace {

// deliver(), or with `write` false, each receiver's state only.
std::vector<ReceiverState> each_receiver(const std::string& dir, const WebhookSender& webhook,
                                         const std::function<bool(const Receiver&)>& due,
                                         bool write) {
    const AlertFile file = load(dir);
    const detail::Journal journal(dir);
    std::error_code ec;
    if (write) fs::create_directories(dir + "/delivered", ec);
    std::vector<ReceiverState> states;
    for (const Receiver& r : file.receivers) {
        ReceiverState state{r, 0, 0, ""};
        const std::string mark = detail::delivered_path(dir, r.name);
        // A receiver met for the first time starts after the alerts made before it was named.
        const bool met = fs::exists(mark, ec);
        if (!met && write) detail::write_whole(mark, std::to_string(journal.last_alert()) + "\n");
        state.delivered = met || write ? read_mark(mark) : journal.last_alert();
        if (write && (!due || due(r))) {
            for (const Alert& alert : journal.alerts()) {
                if (alert.n <= state.delivered) continue;
                state.tried = true;
                const std::string line = alert_json(alert);
                const Delivery d = r.kind == "log"       ? to_log(r, alert, line)
                                   : r.kind == "command" ? to_command(r, alert, line)
                                   : webhook             ? webhook(r, line)
                                                         : Delivery{false, "no HTTP client"};
                if (!d.ok) {
                    state.last_error = "alert " + std::to_string(alert.n) + ": " + d.why;
                    break;
                }
                state.delivered = alert.n;
                detail::write_whole(mark, std::to_string(alert.n) + "\n");
            }
        }
        state.waiting = journal.last_alert() - std::min(journal.last_alert(), state.delivered);
        states.push_back(std::move(state));
    }
    return states;
}

}  // namespace

std::vector<ReceiverState> deliver(const std::string& dir, const WebhookSender& webhook,
                                   const std::function<bool(const Receiver&)>& due) {
    return each_receiver(dir, webhook, due, true);
}

std::vector<ReceiverState> receiver_states(const std::string& dir) {
    return each_receiver(dir, WebhookSender(), {}, false);
}

}  // namespace newsidx::alerts
