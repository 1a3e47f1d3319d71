#include "file_scan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace newsidx::detail {
namespace fs = std::filesystem;
namespace {

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

}  // namespace

std::vector<SourceFile> find_files(const std::vector<std::string>& roots,
                                   const std::function<void(const std::string&)>& warn) {
    std::vector<SourceFile> files;
    for (const std::string& root : roots) {
        const fs::path base = fs::path(root);
        if (fs::is_directory(base)) {
            std::error_code ec;
            fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied,
                                                ec);
            const std::size_t before = files.size();
            std::size_t others = 0;
            std::string other_example;
            for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                const fs::path& p = it->path();
                if (!has_txt_extension(p)) {
                    std::error_code type_ec;
                    if (it->is_regular_file(type_ec) && others++ == 0)
                        other_example = p.filename().string();
                    continue;
                }
                if (auto f = stat_file(p)) {
                    files.push_back(std::move(*f));
                } else if (const char* what = not_a_file(p)) {
                    warn(p.string() + ": warning: skipped: " + what);
                }
            }
            if (ec) warn(root + ": warning: could not read every folder: " + ec.message());
            // Said, so that a wrong folder or a corpus of .md files is not "indexed 0 articles".
            if (files.size() == before)
                warn(root + ": warning: no article files (*.txt) in this folder" +
                     (others == 0 ? std::string(" or below it")
                                  : "; " + std::to_string(others) + " other file" +
                                        (others == 1 ? "" : "s") + ", e.g. " + other_example));
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

}  // namespace newsidx::detail
