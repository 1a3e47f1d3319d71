// libFuzzer target: any bytes as an article file. parse_article() must return an article or a
// RecordError, never throw or crash, and what it returns must hold the format's promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "analyzer.hpp"
#include "article.hpp"
#include "document.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const newsidx::ParsedArticle parsed = newsidx::parse_article("fuzz.txt", bytes);
    if (!parsed.ok()) {
        const newsidx::RecordError& e = parsed.error();
        check(e.line >= 1 && !e.reason.empty());
        check(e.reason.find('\n') == std::string_view::npos);  // one line on stderr
        return 0;
    }
    const newsidx::Article& a = parsed.article();
    check(!a.title.empty() && !a.body.empty());
    check(newsidx::is_valid_utf8(a.title) && newsidx::is_valid_utf8(a.body));
    check(a.date.size() == 8 && newsidx::parse_date(a.date).yyyymmdd == a.date);
    check(newsidx::url_host(a.url) == a.host);
    check(!a.language.empty());
    // What the indexer does next with it: build the document (terms within Xapian's limits).
    static newsidx::DocumentBuilder builder{newsidx::Analyzer("english")};
    const auto built = builder.build(a, "/fuzz.txt");
    for (auto it = built.doc.termlist_begin(); it != built.doc.termlist_end(); ++it)
        check(!(*it).empty() && (*it).size() <= 245);
    return 0;
}
