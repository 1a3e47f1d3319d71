// Receivers: each is handed the journal's alerts after the last it acknowledged, in order. A
// JSONL log and a command are delivered here; a webhook by the front end's HTTP client.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "journal.hpp"
#include "newsidx/alerts.hpp"
#include "newsidx/error.hpp"

extern char** environ;

namespace newsidx::alerts {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// How long a command may take with one alert.
constexpr int kCommandSeconds = 60;

// A receiver's mark: "JOURNAL-ID N", the last alert it acknowledged in that journal. A mark of
// another journal (the journal was started again) is 0: every alert of this one is new to it.
std::uint64_t read_mark(const std::string& path, const std::string& journal) {
    std::ifstream in(path);
    std::string id;
    std::uint64_t n = 0;
    in >> id >> n;
    return id == journal ? n : 0;
}

void write_mark(const std::string& path, const std::string& journal, std::uint64_t n) {
    detail::write_whole(path, (journal.empty() ? "-" : journal) + " " + std::to_string(n) + "\n");
}

// The end of the file at `path` (its last 64 KB), or empty.
std::string tail_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return {};
    const std::streamoff size = in.tellg();
    const std::streamoff from = std::max<std::streamoff>(0, size - 65536);
    in.seekg(from);
    std::string tail(static_cast<std::size_t>(size - from), '\0');
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    return tail;
}

// The last line of `tail` (without its newline), or empty.
std::string last_line(std::string tail) {
    while (!tail.empty() && tail.back() == '\n') tail.pop_back();
    const std::size_t start = tail.rfind('\n');
    return start == std::string::npos ? tail : tail.substr(start + 1);
}

// A JSONL log: the alert's line appended and synced. An alert whose line the log already
// ends with (the follower died before marking it delivered) is not written twice.
Delivery to_log(Receiver r, const Alert& alert, const std::string& line, const std::string& dir) {
    // A relative file is the alerts folder's, whatever folder the process runs in.
    if (!r.target.empty() && r.target[0] != '/') r.target = dir + "/" + r.target;
    const std::string tail = tail_of(r.target);
    try {
        const json last = json::parse(last_line(tail));
        if (last.value("n", std::uint64_t{0}) == alert.n && last.value("search", "") == alert.search &&
            last.contains("article") && last["article"].value("url", "") == alert.article.url)
            return {true, ""};
    } catch (const json::exception&) {
    }
    // A line cut short (a full disk) is ended first, so that this one stays whole.
    const std::string text = (tail.empty() || tail.back() == '\n' ? "" : "\n") + line + "\n";
    const int fd = ::open(r.target.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return {false, r.target + ": " + std::strerror(errno)};
    const bool ok = detail::write_synced(fd, text);
    const int saved = errno;
    ::close(fd);
    return ok ? Delivery{true, ""} : Delivery{false, r.target + ": " + std::strerror(saved)};
}

// What a command runs with: this process's environment but the webhooks' secrets, and the
// alert's number, search and URL.
std::vector<std::string> command_environment(const Alert& alert,
                                             const std::set<std::string>& secrets) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        if (!secrets.count(name) && !name.starts_with("NEWSIDX_ALERT_")) env.push_back(entry);
    }
    env.push_back("NEWSIDX_ALERT_N=" + std::to_string(alert.n));
    env.push_back("NEWSIDX_ALERT_SEARCH=" + alert.search);
    env.push_back("NEWSIDX_ALERT_URL=" + alert.article.url);
    return env;
}

// Writes `text` to the non-blocking pipe `fd` until done, the reader gone, or `deadline`.
void feed(int fd, const std::string& text, Clock::time_point deadline) {
    for (std::size_t done = 0; done < text.size() && Clock::now() < deadline;) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        if (p.revents & (POLLERR | POLLHUP)) return;
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

// Waits for `pid` until `deadline`, then kills its process group: its status, or -1.
int wait_or_kill(pid_t pid, Clock::time_point deadline) {
    int status = 0;
    for (;;) {
        const pid_t got = ::waitpid(pid, &status, WNOHANG);
        if (got == pid) return status;
        if (got < 0 && errno != EINTR) return -1;
        if (Clock::now() >= deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        ::usleep(20000);
    }
}

// A command: `sh -c TARGET` in the alerts folder, in a process group of its own, with the
// alert's JSON on stdin; exit status 0 within kCommandSeconds acknowledges it.
Delivery to_command(const Receiver& r, const Alert& alert, const std::string& line,
                    const std::string& dir, const std::set<std::string>& secrets) {
    // Everything the child needs is made before the fork (only async-signal-safe calls after).
    std::vector<std::string> env = command_environment(alert, secrets);
    std::vector<char*> envp;
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string sh = "sh", dash_c = "-c", command = r.target;
    char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
    struct sigaction deflt {};
    deflt.sa_handler = SIG_DFL;
    int in[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return {false, std::strerror(errno)};
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int saved = errno;
        ::close(in[0]);
        ::close(in[1]);
        return {false, std::strerror(saved)};
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        ::sigaction(SIGPIPE, &deflt, nullptr);
        ::dup2(in[0], 0);
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::execve("/bin/sh", argv, envp.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // (also in the child: whichever comes first)
    ::close(in[0]);
    ::fcntl(in[1], F_SETFL, O_NONBLOCK);
    const auto deadline = Clock::now() + std::chrono::seconds(kCommandSeconds);
    feed(in[1], line + "\n", deadline);
    ::close(in[1]);
    const int status = wait_or_kill(pid, deadline);
    if (status < 0) return {false, "took more than " + std::to_string(kCommandSeconds) + " s"};
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, ""};
    return {false, WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                     : "killed by signal " + std::to_string(WTERMSIG(status))};
}

// deliver(), or with `write` false, each receiver's state only.
std::vector<ReceiverState> each_receiver(const std::string& dir, const WebhookSender& webhook,
                                         const std::function<bool(const Receiver&)>& due,
                                         bool write) {
    if (!fs::exists(detail::searches_path(dir))) return {};  // nothing to deliver, nothing made
    std::optional<detail::FolderLock> lock;  // one deliverer at a time
    if (write) lock.emplace(dir, "deliver.lock");
    const AlertFile file = load(dir);
    const detail::Journal journal(dir, detail::Journal::Access::Read);
    std::set<std::string> secrets;
    for (const Receiver& r : file.receivers)
        if (!r.secret_env.empty()) secrets.insert(r.secret_env);
    std::error_code ec;
    if (write) {
        fs::create_directories(dir + "/delivered", ec);
        // A receiver no longer named forgets how far it came: named again, it starts anew.
        for (const auto& entry : fs::directory_iterator(dir + "/delivered", ec)) {
            const std::string name = entry.path().filename().string();
            if (std::none_of(file.receivers.begin(), file.receivers.end(),
                             [&](const Receiver& r) { return r.name == name; }))
                fs::remove(entry.path(), ec);
        }
    }
    std::vector<ReceiverState> states;
    for (const Receiver& r : file.receivers) {
        ReceiverState state{r, 0, 0, "", false};
        const std::string mark = detail::delivered_path(dir, r.name);
        // A receiver met for the first time starts after the alerts made before it was named.
        const bool met = fs::exists(mark, ec);
        if (!met && write) write_mark(mark, journal.id(), journal.last_alert());
        state.delivered = met || write ? read_mark(mark, journal.id()) : journal.last_alert();
        for (const Alert& alert : journal.alerts()) {
            if (alert.n <= state.delivered || !write || (due && !due(r))) continue;
            state.tried = true;
            const std::string line = alert_json(alert);
            const Delivery d = r.kind == "log"       ? to_log(r, alert, line, dir)
                               : r.kind == "command" ? to_command(r, alert, line, dir, secrets)
                               : webhook             ? webhook(r, line)
                                                     : Delivery{false, "no HTTP client"};
            if (!d.ok) {
                state.last_error = "alert " + std::to_string(alert.n) + ": " + d.why;
                break;
            }
            state.delivered = alert.n;
            write_mark(mark, journal.id(), alert.n);
        }
        state.waiting = journal.last_alert() - std::min(journal.last_alert(), state.delivered);
        states.push_back(std::move(state));
    }
    return states;
}

}  // namespace

std::string alert_json(const Alert& alert) { return detail::json_of(alert).dump(); }

std::vector<ReceiverState> deliver(const std::string& dir, const WebhookSender& webhook,
                                   const std::function<bool(const Receiver&)>& due) {
    return each_receiver(dir, webhook, due, true);
}

std::vector<ReceiverState> receiver_states(const std::string& dir) {
    return each_receiver(dir, WebhookSender(), {}, false);
}

}  // namespace newsidx::alerts
