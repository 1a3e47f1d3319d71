#include "article.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "analyzer.hpp"
#include "calendar.hpp"

namespace newsidx {
namespace {

struct Decoded {
    std::string text;
    std::string charset;           // empty when the bytes were UTF-8
    std::string problem;           // set when the bytes are not text
    std::string warning;           // set when something was dropped or guessed to read them
    std::size_t warning_line = 0;  // the line the warning is about, if one
};

// A file cut off in the middle of a UTF-8 character: the length of that incomplete last
// character (1..3 bytes), or 0 when the end is not one.
std::size_t incomplete_utf8_tail(std::string_view bytes) {
    for (std::size_t back = 1; back <= 3 && back <= bytes.size(); ++back) {
        const auto c = static_cast<unsigned char>(bytes[bytes.size() - back]);
        if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
        const std::size_t needed = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        return needed > back ? back : 0;
    }
    return 0;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::string convert_to_utf8(std::string_view bytes, const char* charset, bool* ok) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), charset);
    *ok = !u.isBogus();
    std::string out;
    u.toUTF8String(out);
    (void)status;
    return out;
}

// Share of bytes that are control characters no text file contains.
bool looks_binary(std::string_view text) {
    std::size_t controls = 0;
    for (unsigned char c : text) {
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) ++controls;
    }
    return controls * 100 > text.size();  // over 1%
}

// UTF-16 without a BOM: nearly every other byte is NUL in Latin text.
const char* guess_utf16(std::string_view bytes) {
    if (bytes.size() < 4 || bytes.size() % 2 != 0) return nullptr;
    std::size_t even_zero = 0, odd_zero = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\0') ++(i % 2 == 0 ? even_zero : odd_zero);
    }
    const std::size_t half = bytes.size() / 2;
    if (odd_zero * 10 >= half * 7 && even_zero * 10 < half) return "UTF-16LE";
    if (even_zero * 10 >= half * 7 && odd_zero * 10 < half) return "UTF-16BE";
    return nullptr;
}

// The bytes converted from `charset`: a problem when they are not text in it.
Decoded from_charset(std::string_view bytes, const char* charset) {
    Decoded d;
    bool ok = false;
    d.text = convert_to_utf8(bytes, charset, &ok);
    d.charset = charset;
    if (!ok || looks_binary(d.text)) d.problem = "binary file (not text in any charset)";
    return d;
}

// Valid UTF-8 text: itself, unless it holds control characters.
Decoded as_utf8(std::string_view bytes) {
    Decoded d;
    d.text = std::string(bytes);
    if (looks_binary(d.text)) d.problem = "binary file (control characters)";
    return d;
}

// UTF-8 text cut off in the middle of its last character (a truncated download): the text,
// without the partial character. Only when the rest shows it is UTF-8 (some non-ASCII
// character), since one Latin-1 letter at the very end looks the same.
std::optional<Decoded> cut_utf8(std::string_view bytes) {
    const std::size_t tail = incomplete_utf8_tail(bytes);
    if (tail == 0) return std::nullopt;
    const std::string_view head = bytes.substr(0, bytes.size() - tail);
    const bool has_non_ascii = std::any_of(
        head.begin(), head.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (!has_non_ascii || !is_valid_utf8(head)) return std::nullopt;
    Decoded d = as_utf8(head);
    d.warning = "file ends in the middle of a UTF-8 character; its " + std::to_string(tail) +
                " byte(s) dropped";
    return d;
}

// UTF-8 with a few stray bytes (a Latin-1 "é" pasted into a UTF-8 file): the UTF-8 kept and
// only the stray bytes read as Windows-1252, their usual source, rather than the whole file as
// one charset (which would turn every UTF-8 "é" into mojibake). Only when the file shows real
// UTF-8 (a valid multi-byte character), so that a Latin-1 file stays Latin-1.
std::optional<Decoded> mostly_utf8(std::string_view bytes) {
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    const auto length = static_cast<int32_t>(bytes.size());
    std::size_t stray = 0, multibyte = 0, first_line = 0, line = 1;
    std::string text;
    for (int32_t i = 0; i < length;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c == '\n') ++line;
        if (c >= 0) {
            if (i - start > 1) ++multibyte;
            text.append(bytes.data() + start, static_cast<std::size_t>(i - start));
            continue;
        }
        for (int32_t b = start; b < i; ++b) {  // each byte of the bad sequence on its own
            bool ok = false;
            text += convert_to_utf8(bytes.substr(static_cast<std::size_t>(b), 1), "windows-1252",
                                    &ok);
            if (stray++ == 0) first_line = line;
        }
    }
    if (multibyte == 0 || stray * 100 >= bytes.size()) return std::nullopt;
    Decoded d = as_utf8(text);
    d.warning = std::to_string(stray) + (stray == 1 ? " byte" : " bytes") +
                " not UTF-8 (the first on this line) read as Windows-1252; the rest is UTF-8";
    d.warning_line = first_line;
    return d;
}

// Not UTF-8: the charset ICU guesses from the bytes.
Decoded guessed_charset(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                        &ucsdet_close);
    if (U_SUCCESS(status))
        ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    const UCharsetMatch* match =
        U_SUCCESS(status) ? ucsdet_detect(detector.get(), &status) : nullptr;
    const char* name = match && U_SUCCESS(status) ? ucsdet_getName(match, &status) : nullptr;
    if (!name || U_FAILURE(status) || starts_with(name, "UTF-8")) {
        Decoded d;
        d.problem = "not valid UTF-8, and no other charset fits";
        return d;
    }
    return from_charset(bytes, name);
}

Decoded decode(std::string_view bytes) {
    if (starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
    const char* utf16 = nullptr;
    if (starts_with(bytes, "\xFF\xFE")) {
        utf16 = "UTF-16LE";
        bytes.remove_prefix(2);
    } else if (starts_with(bytes, "\xFE\xFF")) {
        utf16 = "UTF-16BE";
        bytes.remove_prefix(2);
    } else if (bytes.find('\0') != std::string_view::npos) {
        utf16 = guess_utf16(bytes);
        if (!utf16) {
            Decoded d;
            d.problem = "binary file (contains NUL bytes)";
            return d;
        }
    }
    if (utf16) return from_charset(bytes, utf16);
    if (is_valid_utf8(bytes)) return as_utf8(bytes);
    if (auto cut = cut_utf8(bytes)) return std::move(*cut);
    if (auto mostly = mostly_utf8(bytes)) return std::move(*mostly);
    return guessed_charset(bytes);
}

std::string_view trim(std::string_view s) {
    auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Lines end in LF, CRLF or a lone CR (files from classic Mac OS).
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of("\r\n", start);
        if (end == std::string_view::npos) {
            if (start < text.size()) lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
    }
    return lines;
}

std::string quoted(std::string_view s) {
    constexpr std::size_t kMax = 60;
    if (s.size() > kMax) return "'" + std::string(s.substr(0, kMax)) + "...'";
    return "'" + std::string(s) + "'";
}

std::string url_problem(std::string_view url) {
    if (url.find("://") == std::string_view::npos)
        return "relative URL " + quoted(url) + " (need an absolute http or https URL)";
    std::string scheme(url.substr(0, url.find("://")));
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "http" && scheme != "https")
        return "unsupported URL scheme " + quoted(scheme) + " (need http or https)";
    if (url.find_first_of(" \t") != std::string_view::npos)
        return "URL contains white space: " + quoted(url);
    return "URL has no valid host: " + quoted(url);
}

}  // namespace

std::string dashed_date(std::string_view d) {
    if (d.size() != 8) return std::string(d);
    return std::string(d.substr(0, 4)) + '-' + std::string(d.substr(4, 2)) + '-' +
           std::string(d.substr(6, 2));
}

DateCheck parse_date(std::string_view text) {
    text = trim(text);
    auto digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        });
    };
    std::string ymd;
    if (text.size() == 8 && digits(text)) {
        ymd = std::string(text);
    } else if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(text.substr(0, 4)) &&
               digits(text.substr(5, 2)) && digits(text.substr(8, 2))) {
        ymd = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2)) +
              std::string(text.substr(8, 2));
    } else {
        return {std::nullopt, "expected a date as YYYYMMDD or YYYY-MM-DD, got " + quoted(text)};
    }
    const int year = std::stoi(ymd.substr(0, 4));
    const int month = std::stoi(ymd.substr(4, 2));
    const int day = std::stoi(ymd.substr(6, 2));
    if (month < 1 || month > 12 || day < 1 ||
        day > static_cast<int>(calendar::days_in_month(year, static_cast<unsigned>(month)))) {
        return {std::nullopt, "impossible date " + std::string(text)};
    }
    if (year < 1800 || year > 2199) {
        return {std::nullopt, "date " + std::string(text) + " is outside the years 1800..2199"};
    }
    return {ymd, {}};
}

std::optional<std::string> url_host(std::string_view url) {
    std::string_view rest;
    for (std::string_view scheme : {"http://", "https://"}) {
        if (url.size() >= scheme.size() &&
            std::equal(scheme.begin(), scheme.end(), url.begin(), [](char a, char b) {
                return a == std::tolower(static_cast<unsigned char>(b));
            })) {
            rest = url.substr(scheme.size());
            break;
        }
    }
    if (rest.empty() || url.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (auto at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    std::string_view host = authority;
    if (starts_with(host, "[")) {  // IPv6 literal
        auto close = host.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = host.substr(0, close + 1);
    } else if (auto colon = host.find(':'); colon != std::string_view::npos) {
        host = host.substr(0, colon);
    }
    while (!host.empty() && host.back() == '.') host.remove_suffix(1);
    if (host.empty() || starts_with(host, ".") || host.find("..") != std::string_view::npos)
        return std::nullopt;
    std::string out;
    for (char c : host) {
        unsigned char u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '[' || c == ']' ||
              c == ':' || u >= 0x80 || c == '%'))
            return std::nullopt;
        out += static_cast<char>(std::tolower(u));
    }
    return out;
}

std::vector<std::string> host_and_parents(std::string_view host) {
    std::vector<std::string> out{std::string(host)};
    const bool numeric = std::all_of(host.begin(), host.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
    });
    if (numeric || starts_with(host, "[")) return out;
    for (std::size_t dot = host.find('.'); dot != std::string_view::npos;
         dot = host.find('.', dot + 1)) {
        std::string_view parent = host.substr(dot + 1);
        if (parent.find('.') == std::string_view::npos) break;  // a bare TLD is not a site
        out.emplace_back(parent);
    }
    return out;
}

ParsedArticle parse_article(std::string_view path, std::string_view bytes) {
    ParsedArticle parsed;
    auto fail = [&](int line, std::string reason) {
        parsed.result = RecordError{std::string(path), line, std::move(reason)};
        return parsed;
    };
    if (trim(bytes).empty() || bytes.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos)
        return fail(1, bytes.empty() ? "empty file" : "empty file (only white space)");
    Decoded decoded = decode(bytes);
    if (!decoded.problem.empty()) return fail(1, decoded.problem);
    if (!decoded.charset.empty())
        parsed.warnings.push_back(std::string(path) + ": warning: not UTF-8; decoded as " +
                                  decoded.charset);
    if (!decoded.warning.empty())
        parsed.warnings.push_back(
            std::string(path) +
            (decoded.warning_line ? ":" + std::to_string(decoded.warning_line) : std::string()) +
            ": warning: " + decoded.warning);
    const std::vector<std::string_view> lines = split_lines(decoded.text);
    std::size_t n = 0;
    while (n < lines.size() && trim(lines[n]).empty()) ++n;
    if (n == lines.size()) return fail(1, "empty file (only white space)");
    auto line_no = [](std::size_t index) { return static_cast<int>(index + 1); };

    Article a;
    const std::string_view title = trim(lines[n]);
    if (parse_date(title).yyyymmdd) return fail(line_no(n), "no title (this line is a date)");
    if (url_host(title)) return fail(line_no(n), "no title (this line is a URL)");
    a.title = to_nfc(title);

    const std::size_t date_line = n + 1;
    if (date_line >= lines.size() || trim(lines[date_line]).empty())
        return fail(line_no(date_line), "missing date (expected YYYYMMDD or YYYY-MM-DD)");
    if (url_host(trim(lines[date_line])))
        return fail(line_no(date_line),
                    "missing date (this line is the URL; expected the date here, as YYYYMMDD or "
                    "YYYY-MM-DD)");
    DateCheck date = parse_date(lines[date_line]);
    if (!date.yyyymmdd) return fail(line_no(date_line), date.reason);
    a.date = *date.yyyymmdd;

    const std::size_t url_line = n + 2;
    if (url_line >= lines.size() || trim(lines[url_line]).empty())
        return fail(line_no(url_line), "missing URL (expected an absolute http or https URL)");
    const std::string_view url = trim(lines[url_line]);
    std::optional<std::string> host = url_host(url);
    if (!host) return fail(line_no(url_line), url_problem(url));
    a.url = std::string(url);
    a.host = std::move(*host);

    std::string body;
    for (std::size_t i = url_line + 1; i < lines.size(); ++i) {
        std::string_view paragraph = trim(lines[i]);
        if (paragraph.empty()) continue;
        if (!body.empty()) body += '\n';
        body += paragraph;
    }
    if (body.empty()) return fail(line_no(url_line + 1), "no body (nothing after the URL line)");
    a.body = to_nfc(body);
    a.language = guess_language(a.title + "\n" + a.body.substr(0, 4000));
    parsed.result = std::move(a);
    return parsed;
}

}  // namespace newsidx
