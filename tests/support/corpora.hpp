// The real news corpora in ../shared/corpora, for the end-to-end tests that run on them (they
// skip, saying so, when a tarball is not there). NEWSIDX_SHARED_CORPORA is the test target's.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {

/// Where the tarballs are: $NEWSIDX_CORPORA, or the shared folder the build was configured with.
inline std::string corpora_dir() {
    if (const char* env = std::getenv("NEWSIDX_CORPORA")) return env;
    return NEWSIDX_SHARED_CORPORA;
}

/// Unpacks a corpus tarball into `into`; the path of its `folder`, or empty when the tarball
/// is absent or does not unpack.
inline std::string unpack(const std::string& tarball, const std::string& folder,
                          const TempDir& into) {
    const std::string path = corpora_dir() + "/" + tarball;
    if (!std::filesystem::exists(path)) return {};
    const CommandResult r = run_command({"/bin/tar", "-xzf", path, "-C", into.path().string()});
    if (r.exit_code != 0) return {};
    return into / folder;
}

}  // namespace newsidx::test
