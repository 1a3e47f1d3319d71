#include "file_scan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

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

// Lists the file at `p`; false when it is no regular file (or vanished).
bool stat_file(const fs::path& p, FileList& files) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    std::string folder = p.parent_path().string();
    if (folder.empty() || folder.back() != '/') folder += '/';
    files.add(folder, p.filename().string(), static_cast<std::uint64_t>(st.st_size),
              mtime_ns_of(st));
    return true;
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

std::string FileList::path(Index i) const {
    const Entry& e = entries_[i];
    std::string out(folder_of(e));
    out += name_of(e);
    return out;
}

SourceFile FileList::source(Index i) const {
    SourceFile f;
    f.path = path(i);
    f.size = entries_[i].size;
    f.mtime_ns = entries_[i].mtime_ns;
    f.index = i;
    return f;
}

int FileList::compare(const Entry& e, std::string_view folder, std::string_view name) const {
    // Two paths, each in two parts: compared as the whole strings would be.
    const std::string_view a[2] = {folder_of(e), name_of(e)};
    const std::string_view b[2] = {folder, name};
    std::size_t ai = 0, ap = 0, bi = 0, bp = 0;
    for (;;) {
        while (ai < 2 && ap == a[ai].size()) ++ai, ap = 0;
        while (bi < 2 && bp == b[bi].size()) ++bi, bp = 0;
        if (ai == 2 || bi == 2) return (ai == 2 ? 0 : 1) - (bi == 2 ? 0 : 1);
        const std::size_t n = std::min(a[ai].size() - ap, b[bi].size() - bp);
        if (const int c = a[ai].substr(ap, n).compare(b[bi].substr(bp, n)); c != 0) return c;
        ap += n;
        bp += n;
    }
}

std::optional<FileList::Index> FileList::find(std::string_view path, Index* hint) const {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view folder = path.substr(0, slash + 1), name = path.substr(slash + 1);
    if (hint && *hint < entries_.size() && compare(entries_[*hint], folder, name) == 0)
        return (*hint)++;
    auto it = std::lower_bound(entries_.begin(), entries_.end(), 0,
                               [&](const Entry& e, int) { return compare(e, folder, name) < 0; });
    if (it == entries_.end() || compare(*it, folder, name) != 0) return std::nullopt;
    const auto found = static_cast<Index>(it - entries_.begin());
    if (hint) *hint = found + 1;
    return found;
}

void FileList::add(std::string_view folder, std::string_view name, std::uint64_t size,
                   std::int64_t mtime_ns) {
    auto [at, fresh] =
        folder_index_.try_emplace(std::string(folder), static_cast<std::uint32_t>(folders_.size()));
    if (fresh) folders_.emplace_back(folder);
    if (names_.size() + name.size() > UINT32_MAX || entries_.size() >= UINT32_MAX)
        throw std::length_error("more files than one run can list (4 GB of names)");
    Entry e;
    e.size = size;
    e.mtime_ns = mtime_ns;
    e.name = static_cast<std::uint32_t>(names_.size());
    e.name_size = static_cast<std::uint16_t>(name.size());
    e.folder = at->second;
    names_ += name;
    entries_.push_back(e);
}

void FileList::sort() {
    // Two files of one folder compare by their names alone.
    std::sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) {
        if (a.folder == b.folder) return name_of(a) < name_of(b);
        return compare(a, folder_of(b), name_of(b)) < 0;
    });
    entries_.erase(std::unique(entries_.begin(), entries_.end(),
                               [&](const Entry& a, const Entry& b) {
                                   if (a.folder == b.folder) return name_of(a) == name_of(b);
                                   return compare(a, folder_of(b), name_of(b)) == 0;
                               }),
                   entries_.end());
    entries_.shrink_to_fit();
    folder_index_.clear();
}

FileList find_files(const std::vector<std::string>& roots,
                    const std::function<void(const std::string&)>& warn) {
    FileList files;
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
                // Not walked into (a loop of links cannot trap the walk), and said.
                std::error_code link_ec;
                if (it->is_symlink(link_ec) && fs::is_directory(p, link_ec)) {
                    warn(p.string() +
                         ": warning: skipped: a symbolic link to a folder (not followed; name "
                         "it as an input to index it)");
                    continue;
                }
                if (!has_txt_extension(p)) {
                    std::error_code type_ec;
                    if (it->is_regular_file(type_ec) && others++ == 0)
                        other_example = p.filename().string();
                    continue;
                }
                if (stat_file(p, files)) continue;
                if (const char* what = not_a_file(p))
                    warn(p.string() + ": warning: skipped: " + what);
            }
            if (ec) warn(root + ": warning: could not read every folder: " + ec.message());
            // Said, so that a wrong folder or a corpus of .md files is not "indexed 0 articles".
            if (files.size() == before)
                warn(root + ": warning: no article files (*.txt) in this folder" +
                     (others == 0 ? std::string(" or below it")
                                  : "; " + std::to_string(others) + " other file" +
                                        (others == 1 ? "" : "s") + ", e.g. " + other_example));
        } else {
            stat_file(base, files);
        }
    }
    files.sort();
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
            *error = "file too large (over " NEWSIDX_OPT("max-size") " " + std::to_string(limit) + " bytes)";
            ::close(fd);
            return std::nullopt;
        }
    }
    ::close(fd);
    return bytes;
}

}  // namespace newsidx::detail
