// Rendering search results for people (text) and for scripts (JSON).
#pragma once

#include <ostream>
#include <string>

#include "newsidx/search.hpp"

namespace newsidx {

/// Human output: rank, title and date; URL; snippet. With `terminal`, titles and highlights
/// are bold (ANSI); otherwise the text is plain.
void render_text(std::ostream& out, const SearchResult& result, bool terminal);

/// One JSON object as DESIGN.md specifies; no trailing newline.
std::string render_json(const SearchResult& result);

}  // namespace newsidx
