// A temporary directory removed at the end of the test, and small file helpers.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace newsidx::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    /// path() / name, as a string.
    std::string operator/(std::string_view name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

/// Writes `bytes` to `path`, creating parent directories.
void write_file(const std::string& path, std::string_view bytes);

/// Reads a whole file.
std::string read_file(const std::string& path);

/// An article file's text: title, date, URL, then each paragraph on its own line.
std::string article_text(std::string_view title, std::string_view date, std::string_view url,
                         std::string_view body);

}  // namespace newsidx::test
