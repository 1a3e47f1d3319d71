#include "query_corpus.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "newsidx/error.hpp"
#include "query_builder.hpp"

namespace newsidx::test {

std::vector<std::string> read_query_corpus(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::string query;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] != '\\' || i + 1 >= line.size()) {
                query += line[i];
            } else if (line[i + 1] == '\\') {
                query += '\\';
                ++i;
            } else if (line[i + 1] == 'x' && i + 3 < line.size()) {
                query += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
                i += 3;
            } else {
                query += line[i];
            }
        }
        out.push_back(query);
    }
    return out;
}

namespace {

// The length of the valid UTF-8 sequence at text[i], or 0.
std::size_t utf8_length(const std::string& text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (n == 0 || i + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
    return n;
}

}  // namespace

std::string escape_query(const std::string& query) {
    std::string out;
    for (std::size_t i = 0; i < query.size();) {
        const auto c = static_cast<unsigned char>(query[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8_length(query, i)) {
                out.append(query, i, n);
                i += n;
                continue;
            }
        }
        if (c == '\\') {
            out += "\\\\";
        } else if (c < 0x20 || c >= 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
        ++i;
    }
    return out;
}

std::string describe_built_query(const IndexSet& set, const SearchOptions& options,
                                 const std::string& query) {
    try {
        const QueryBuilder builder(set, options, check_options(options));
        const QueryBuilder::Built built = builder.build(query);
        std::ostringstream out;
        out << built.combined().get_description() << " bare=" << built.bare_words
            << " words=" << built.words;
        for (const auto& [analyzer, terms] : built.terms_by_analyzer) {
            out << ' ' << analyzer << '=';
            for (const std::string& t : terms) out << t << ',';
        }
        out << " dym=" << builder.correction(built, set.database(), 0);
        return out.str();
    } catch (const Error& e) {
        return "error " + std::to_string(static_cast<int>(e.code())) + ": " + e.what() + " | " +
               e.hint();
    }
}

bool a_fix_applies(const std::string& query) {
    std::istringstream tokens(query);
    std::string token;
    bool dots = false, operators = false, filter = false;
    std::size_t capitals = 0, lower = 0;
    while (tokens >> token) {
        // Issue #26: a field filter beside words narrows them as the options do, outside the
        // ranked parse.
        for (const char* field : {"site:", "lang:", "date:", "(site:"})
            filter = filter || token.rfind(field, 0) == 0;
        // (An ellipsis folds to three dots.)
        if (token.rfind("date:", 0) != 0 && (token.find("..") != std::string::npos ||
                                             token.find("\u2026") != std::string::npos))
            dots = true;
        if (token.size() > 1 && token[0] == '-') operators = true;
        std::string word;
        for (const char c : token + ' ') {
            if (std::isalpha(static_cast<unsigned char>(c))) {
                word += c;
                continue;
            }
            if (word.empty()) continue;
            const bool op = word == "AND" || word == "OR" || word == "NOT" || word == "XOR" ||
                            word == "NEAR" || word == "ADJ";
            operators = operators || op;
            bool has_lower = false;
            for (const char w : word) has_lower = has_lower || std::islower(static_cast<unsigned char>(w));
            if (has_lower) ++lower;
            else if (!op) ++capitals;
            word.clear();
        }
    }
    return dots || filter || (operators && lower == 0 && capitals >= 3);
}

}  // namespace newsidx::test
