#include "run_command.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "temp_dir.hpp"

extern char** environ;

namespace newsidx::test {

pid_t spawn_command(const std::vector<std::string>& argv, const std::string& out_path,
                    const std::string& err_path, const std::string& cwd,
                    const std::map<std::string, std::string>& env) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int in = ::open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0) ::_exit(126);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
        ::unsetenv("NEWSIDX_DB");
        for (const auto& [key, value] : env) ::setenv(key.c_str(), value.c_str(), 1);
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

Background::Background(const std::vector<std::string>& argv, std::string out_path,
                       std::string err_path, const std::string& cwd)
    : out_path_(std::move(out_path)), err_path_(std::move(err_path)) {
    pid_ = spawn_command(argv, out_path_, err_path_, cwd);
}

namespace {
std::string read_if_there(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec) ? read_file(path) : std::string();
}
}  // namespace

std::string Background::out() const { return read_if_there(out_path_); }
std::string Background::err() const { return read_if_there(err_path_); }

int Background::stop(int signal) {
    if (pid_ > 0) {
        ::kill(pid_, signal);
        status_ = wait_command(pid_);
        pid_ = -1;
    }
    return status_;
}

int wait_command(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) ::close(fd);
        return 0;
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t end = s.find('\n', start);
        if (end == std::string::npos) end = s.size();
        out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::map<std::string, std::string>& env) {
    TempDir capture;
    const std::string out_path = capture / "stdout";
    const std::string err_path = capture / "stderr";
    CommandResult r;
    r.exit_code = wait_command(spawn_command(argv, out_path, err_path, cwd, env));
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

}  // namespace newsidx::test
