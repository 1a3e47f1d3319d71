// The search page that searcher --serve serves at /, with its script and style: written in
// searcher/page/ and built into the binary (searcher/CMakeLists.txt), so that the page makes
// no request beyond the server.
#pragma once

#include <string_view>

namespace newsidx::serve {

extern const std::string_view kPageHtml;
extern const std::string_view kPageJs;
extern const std::string_view kPageCss;

}  // namespace newsidx::serve
