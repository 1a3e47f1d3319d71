// Reading article files: bytes on disk -> Article, or a RecordError that names the line.
//
// The format (DESIGN.md): line 1 title, line 2 date (YYYYMMDD or YYYY-MM-DD), line 3
// absolute http(s) URL, lines 4.. body, one paragraph per line. A UTF-8 BOM, CRLF, trailing
// white space and leading blank lines are tolerated; text that is not UTF-8 is decoded
// with ICU's charset detection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "newsidx/error.hpp"

namespace newsidx {

struct Article {
    std::string title;     ///< NFC, trimmed
    std::string date;      ///< YYYYMMDD
    std::string url;       ///< absolute http or https URL, as written
    std::string host;      ///< lower-case host name of url
    std::string body;      ///< NFC paragraphs joined by '\n'
    std::string language;  ///< ISO 639-1 code guessed from the text ("en", "fr", "zh", ...)
};

/// The outcome of reading one file: an article or an error, and warnings either way
/// (for example the charset a non-UTF-8 file was decoded from).
struct ParsedArticle {
    std::variant<Article, RecordError> result;
    std::vector<std::string> warnings;  ///< full lines, `path: warning text`

    bool ok() const { return std::holds_alternative<Article>(result); }
    const Article& article() const { return std::get<Article>(result); }
    const RecordError& error() const { return std::get<RecordError>(result); }
};

/// Parses the bytes of one article file. `path` is used only in messages.
ParsedArticle parse_article(std::string_view path, std::string_view bytes);

/// Outcome of parse_date: a YYYYMMDD string, or the reason the text is not a date.
struct DateCheck {
    std::optional<std::string> yyyymmdd;
    std::string reason;  ///< set when yyyymmdd is empty
};

/// Accepts YYYYMMDD or YYYY-MM-DD for a real calendar day in the years 1800..2199.
DateCheck parse_date(std::string_view text);

/// A stored date (YYYYMMDD) as people read it: YYYY-MM-DD; anything else as it is.
std::string dashed_date(std::string_view yyyymmdd);

/// The lower-case host of an absolute http(s) URL, or nullopt when it is not one.
std::optional<std::string> url_host(std::string_view url);

/// The host and each parent domain with at least two labels:
/// "www.bbc.co.uk" -> {"www.bbc.co.uk", "bbc.co.uk", "co.uk"}.
std::vector<std::string> host_and_parents(std::string_view host);

}  // namespace newsidx
