// Deterministic article files for benchmarks: news-like English text from a fixed vocabulary
// and a fixed seed, so that runs on any machine index the same bytes.
#pragma once

#include <string>
#include <vector>

namespace newsidx::bench {

/// `count` article files (title, date, URL, body of about `body_words` words), as bytes.
std::vector<std::string> synthetic_articles(std::size_t count, std::size_t body_words = 400);

}  // namespace newsidx::bench
