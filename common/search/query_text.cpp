#include "query_text.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "analyzer.hpp"
#include "newsidx/error.hpp"
#include "newsidx/options.hpp"
#include "schema.hpp"

namespace newsidx::query {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Each token's text replaced by what `rewrite` makes of it.
void rewrite_each(Tokens& tokens, const std::function<std::string(const std::string&)>& rewrite) {
    for (Token& t : tokens.tokens) t.text = rewrite(t.text);
}

// `text` with each `field` (e.g. "date:") that starts a word, and its value (up to white space
// or ')'), replaced by what `rewrite` makes of the value.
std::string rewrite_fields(const std::string& text, std::string_view field,
                           const std::function<std::string(const std::string&)>& rewrite) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t at = text.find(field, i);
        if (at == std::string::npos || (at > 0 && is_word_byte(text[at - 1]))) {
            const std::size_t stop = at == std::string::npos ? text.size() : at + field.size();
            out.append(text, i, stop - i);
            i = stop;
            continue;
        }
        out.append(text, i, at - i);
        const std::size_t begin = at + field.size();
        std::size_t end = begin;
        while (end < text.size() && !is_space(text[end]) && text[end] != ')') ++end;
        out += rewrite(text.substr(begin, end - begin));
        i = end;
    }
    return out;
}

// Whether `name` is a boolean filter field of the schema (site, lang).
bool is_schema_filter(std::string_view name) {
    for (const schema::Prefix* p : schema::kPrefixes)
        if (p->is_boolean && !p->query_name.empty() && p->query_name == name) return true;
    return false;
}

// The field name of a boolean filter token ("site" for "site:bbc.co.uk" or "(site:x)"), or
// empty.
std::string_view filter_field(std::string_view token) {
    while (!token.empty() && token.front() == '(') token.remove_prefix(1);
    const std::size_t colon = token.find(':');
    if (colon == std::string_view::npos || colon + 1 >= token.size()) return {};
    const std::string_view name = token.substr(0, colon);
    return is_schema_filter(name) ? name : std::string_view();
}

[[noreturn]] void refuse(std::string_view query, std::size_t at, const std::string& why,
                         const std::string& hint) {
    throw Error(ErrorCode::BadQuery, "cannot parse query '" + std::string(query) +
                                         "' at column " + std::to_string(at + 1) + ": " + why)
        .with_hint(hint);
}

// check_operators() for one NEAR or ADJ token `core` at `at`, with its neighbours.
void check_proximity(std::string_view query, std::size_t at, std::string_view core,
                     std::string_view op, const Token* before, const Token* after) {
    if (core.size() > op.size()) {
        const std::string_view distance = core.substr(op.size() + 1);
        if (!all_digits(distance) || std::stoul(std::string(distance.substr(0, 6))) == 0)
            refuse(query, at,
                   std::string(core) + ": the distance after " + std::string(op) +
                       "/ must be a whole number of at least 1",
                   "e.g. talks " + std::string(op) + "/3 geneva; see docs/query-syntax.md");
    }
    if ((before && before->text.back() == '"') || (after && after->text.front() == '"'))
        refuse(query, at, std::string(op) + " joins words, not \"phrases\"",
               "write the words without quotes, e.g. security " + std::string(op) +
                   " guarantees");
}

// check_operators() for SENTENCE and PARAGRAPH (or SENTENCE/3, which is neither) at `at`:
// words on both sides, plain words, or Xapian would read the words without the window.
void check_context(std::string_view query, const std::vector<Token>& tokens, std::size_t k,
                   std::size_t at) {
    const std::string& text = tokens[k].text;
    std::string op;
    for (const char* name : {"SENTENCE", "PARAGRAPH"})
        if (text.rfind(name, 0) == 0) op = name;
    if (op.empty()) return;
    const std::string example = "e.g. talks " + op + " geneva: both words in one " +
                                (op == "SENTENCE" ? "sentence" : "paragraph");
    if (text != op) refuse(query, at, text + ": " + op + " takes no distance", example);
    if (k == 0 || k + 1 == tokens.size())
        refuse(query, at, op + " needs a word on both sides", example);
    for (const Token* side : {&tokens[k - 1], &tokens[k + 1]}) {
        const std::string& word = side->text;
        if (word.find_first_of("\"()*") != std::string::npos || word.front() == '-' ||
            word.front() == '+' || operator_of(word) || word.rfind("SENTENCE", 0) == 0 ||
            word.rfind("PARAGRAPH", 0) == 0)
            refuse(query, at,
                   op + " joins plain words, not \"phrases\", wildcards, brackets, - or "
                        "operators (" + word + ")",
                   example);
    }
}

// check_operators() for wildcards and "~ in one token's `core` at `at`.
void check_wildcards(std::string_view query, std::size_t at, std::string_view core) {
    // A wildcard that starts a word, wherever the word starts: "*hafen", title:*oil,
    // "*oil price", "oil *pric".
    for (std::size_t star = core.find('*'); star != std::string_view::npos;
         star = core.find('*', star + 1)) {
        if (star + 1 >= core.size() || !is_word_byte(core[star + 1])) continue;
        if (star > 0 && is_word_byte(core[star - 1])) continue;
        std::size_t end = star + 1;
        const std::string word(next_word(core, &end));
        refuse(query, at + star, "a wildcard at the start of a word (*" + word + ") is not supported",
               "put it at the end of a word, e.g. " + word + "*");
    }
    // Lucene's proximity ("a phrase"~3): Xapian would read the number as one more word.
    if (const std::size_t tilde = core.find("\"~"); tilde != std::string_view::npos)
        refuse(query, at + tilde + 1, "\"phrase\"~N is not supported",
               "write the words with NEAR/N instead, e.g. oil NEAR/3 price");
}

// segment() for one token: its words split, as a phrase or chained by the operator `op`.
std::string segmented(const Token& token, const std::string& op) {
    std::string words = newsidx::segment(token.text, " ", true);
    if (words.find(' ') == std::string::npos || token.quoted) return words;
    if (!op.empty()) {
        std::string chained;
        for (char ch : words) chained += ch == ' ' ? " " + op + " " : std::string(1, ch);
        return chained;
    }
    // Words typed together stay together, as the phrase of their words (after a field name,
    // + or -, and inside brackets too).
    std::size_t head = 0;
    while (head < words.size() && (words[head] == '+' || words[head] == '-' || words[head] == '('))
        ++head;
    if (const std::size_t colon = words.find(':');
        colon != std::string::npos && words.find(' ') > colon)
        head = colon + 1;
    std::size_t tail = words.size();
    while (tail > head && words[tail - 1] == ')') --tail;
    return words.substr(0, head) + '"' + words.substr(head, tail - head) + '"' + words.substr(tail);
}

// The value of a date: field, checked, as the parser is to read it.
std::string date_field(const std::string& value) {
    const std::string field = "date:" + value;
    if (value.empty())
        throw Error(ErrorCode::BadQuery, "date: needs a date or a range after it")
            .with_hint("e.g. date:2022, date:2022-02-08 or date:2022-01..2022-06");
    if (const std::size_t dots = value.find(".."); dots != std::string::npos) {
        std::string from, to;
        if (dots > 0) from = parse_period(value.substr(0, dots), field, ErrorCode::BadQuery).first;
        if (dots + 2 < value.size())
            to = parse_period(value.substr(dots + 2), field, ErrorCode::BadQuery).second;
        if (!from.empty() && !to.empty() && from > to)
            throw Error(ErrorCode::BadQuery, field + ": the range ends before it starts");
        return "date:" + from + ".." + to;
    }
    // One day, month or year is one boolean term (D, M or Y): its count is exact and free
    // (a term frequency), unlike a range over the date slot.
    const auto [from, to] = parse_period(value, field, ErrorCode::BadQuery);
    const auto digits = std::count_if(value.begin(), value.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
    return digits == 4   ? std::string(kYearField) + from.substr(0, 4)
           : digits == 6 ? std::string(kMonthField) + from.substr(0, 6)
                         : std::string(kDayField) + from;
}

// A token's text with runs of dots as a space, except in the values of fields that start in
// it (date:, site:, lang:, and the dateday: and like fields dates become).
std::string dots_outside_fields(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        // A field's value: from "name:" to white space or ')'.
        if (std::isalpha(static_cast<unsigned char>(text[i])) &&
            (i == 0 || !is_word_byte(text[i - 1]))) {
            std::size_t colon = i;
            while (colon < text.size() && std::isalpha(static_cast<unsigned char>(text[colon])))
                ++colon;
            const std::string name = text.substr(i, colon - i);
            if (colon < text.size() && text[colon] == ':' && name != "title" &&
                (is_boolean_field(name) || name == "date")) {
                std::size_t end = colon + 1;
                while (end < text.size() && text[end] != ')') ++end;
                out.append(text, i, end - i);
                i = end;
                continue;
            }
        }
        if (text.compare(i, 2, "..") == 0) {
            while (i < text.size() && text[i] == '.') ++i;
            out += ' ';
            continue;
        }
        out += text[i++];
    }
    return out;
}

}  // namespace

bool is_boolean_field(std::string_view name) {
    for (const std::string_view field : {kYearField, kMonthField, kDayField})
        if (field.substr(0, field.size() - 1) == name) return true;
    return is_schema_filter(name);
}

Tokens lex(std::string_view text) {
    Tokens out;
    std::size_t i = 0;
    while (i < text.size() && is_space(text[i])) out.lead += text[i++];
    bool in_quotes = false;
    while (i < text.size()) {
        Token t;
        t.column = i;
        while (i < text.size() && !is_space(text[i])) t.text += text[i++];
        while (i < text.size() && is_space(text[i])) t.space += text[i++];
        const auto quotes = std::count(t.text.begin(), t.text.end(), '"');
        t.quoted = in_quotes || quotes > 0;
        if (quotes % 2 == 1) in_quotes = !in_quotes;
        out.tokens.push_back(std::move(t));
    }
    return out;
}

std::string join(const Tokens& tokens) {
    std::string out = tokens.lead;
    for (const Token& t : tokens.tokens) out += t.text + t.space;
    return out;
}

std::string_view operator_prefix(std::string_view token) {
    for (const std::string_view op : kOperators)
        if (token.substr(0, op.size()) == op) return op;
    return {};
}

std::optional<std::string_view> operator_of(std::string_view word) {
    for (std::string_view op : kOperators) {
        if (word.substr(0, op.size()) != op) continue;
        const std::string_view rest = word.substr(op.size());
        if (rest.empty()) return op;
        if ((op == "NEAR" || op == "ADJ") && rest.size() > 1 && rest[0] == '/' &&
            all_digits(rest.substr(1)))
            return op;
    }
    return std::nullopt;
}

std::string_view proximity_of(std::string_view token) {
    for (const std::string_view op : {std::string_view("NEAR"), std::string_view("ADJ")})
        if (token.substr(0, op.size()) == op && (token.size() == op.size() || token[op.size()] == '/'))
            return op;
    return {};
}

std::string_view core_of(std::string_view token, bool marks) {
    while (!token.empty() &&
           (token.front() == '(' || (marks && (token.front() == '+' || token.front() == '-'))))
        token.remove_prefix(1);
    while (!token.empty() && token.back() == ')') token.remove_suffix(1);
    return token;
}

bool is_headline(const Tokens& typed) {
    std::size_t capitals = 0;
    for (const Token& t : typed.tokens) {
        const LatinLetters letters = latin_letters(t.text);
        if (letters.lower > 0) return false;
        if (letters.upper > 0 && !operator_of(core_of(t.text, true))) ++capitals;
    }
    return capitals >= 3;
}

bool has_operators(const Tokens& typed) {
    return std::any_of(typed.tokens.begin(), typed.tokens.end(), [](const Token& t) {
        const std::string_view core = core_of(t.text, false);
        return operator_of(core) || (!core.empty() && core.front() == '-');
    });
}

void check_operators(const Tokens& typed, std::string_view query, bool headline) {
    const std::vector<Token>& tokens = typed.tokens;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const std::string_view core = core_of(tokens[k].text, true);
        const std::size_t at =
            tokens[k].column + static_cast<std::size_t>(core.data() - tokens[k].text.data());
        if (const std::string_view op = proximity_of(core); !op.empty() && !headline)
            check_proximity(query, at, core, op, k > 0 ? &tokens[k - 1] : nullptr,
                            k + 1 < tokens.size() ? &tokens[k + 1] : nullptr);
        if (!headline) check_context(query, tokens, k, at);
        check_wildcards(query, at, core);
    }
}

Tokens fold_tokens(const Tokens& typed, bool headline) {
    Tokens out = typed;
    for (Token& t : out.tokens) {
        // SENTENCE and PARAGRAPH are NEAR windows that one sentence's or paragraph's gap of
        // positions cannot fit in (schema.hpp).
        if (!headline && t.text == "SENTENCE") t.text = "NEAR/" + std::to_string(schema::kSentenceNear);
        if (!headline && t.text == "PARAGRAPH") t.text = "NEAR/" + std::to_string(schema::kParagraphNear);
        if (!headline && operator_of(core_of(t.text, false))) continue;
        t.text = fold(t.text);
        // In a headline "-WORD" is the word, as inside quotes.
        if (headline) {
            std::size_t at = 0;
            while (at < t.text.size() && t.text[at] == '(') ++at;
            while (at < t.text.size() && (t.text[at] == '-' || t.text[at] == '+')) {
                if (t.text[at] == '-')
                    t.text.erase(at, 1);
                else
                    ++at;
            }
        }
    }
    return lex(join(out));
}

void rewrite_dates(Tokens& tokens) {
    rewrite_each(tokens, [](const std::string& text) {
        return rewrite_fields(text, "date:", date_field);
    });
}

void rewrite_langs(Tokens& tokens) {
    rewrite_each(tokens, [](const std::string& text) {
        return rewrite_fields(text, "lang:", [](const std::string& value) {
            if (value.empty()) return std::string("lang:");
            try {
                return "lang:" + language_code(value);
            } catch (const Error& e) {
                throw Error(ErrorCode::BadQuery, "lang:" + value + ": unknown language")
                    .with_hint(e.hint());
            }
        });
    });
}

bool dots_as_punctuation(Tokens& tokens) {
    bool changed = false;
    for (Token& t : tokens.tokens) {
        if (t.text.find("..") == std::string::npos) continue;
        std::string text = dots_outside_fields(t.text);
        changed = changed || text != t.text;
        t.text = std::move(text);
    }
    if (changed) tokens = lex(join(tokens));
    return changed;
}

void join_field_filters(Tokens& tokens) {
    const std::vector<Token>& words = tokens.tokens;
    std::vector<std::string> out;
    for (std::size_t k = 0; k < words.size(); ++k) {
        std::string token = words[k].text;
        if (token == "OR" && k > 0 && k + 1 < words.size()) {
            const std::string_view before = filter_field(words[k - 1].text);
            if (!before.empty() && before == filter_field(words[k + 1].text)) continue;
        }
        // "(site:a site:b)" once its ORs are gone: the brackets go too.
        if (token.front() == '(' && !filter_field(token).empty()) {
            std::size_t end = k;
            while (end < words.size() && words[end].text.back() != ')') ++end;
            bool only_filters = end < words.size();
            for (std::size_t m = k; only_filters && m <= end; ++m)
                only_filters =
                    words[m].text == "OR" || filter_field(words[m].text) == filter_field(token);
            if (only_filters && token.find('(', 1) == std::string::npos) {
                token.erase(0, 1);
                if (end == k) {
                    token.pop_back();
                } else {
                    out.push_back(std::move(token));
                    for (std::size_t m = k + 1; m < end; ++m)
                        if (words[m].text != "OR") out.push_back(words[m].text);
                    std::string last = words[end].text;
                    last.pop_back();
                    out.push_back(std::move(last));
                    k = end;
                    continue;
                }
            }
        }
        out.push_back(std::move(token));
    }
    std::string joined;
    for (const std::string& w : out) (joined += joined.empty() ? "" : " ") += w;
    tokens = lex(joined);
}

void segment(Tokens& tokens) {
    std::vector<Token>& list = tokens.tokens;
    // (Folding left only operators in capitals; a token that starts like one is one.)
    const auto proximity = [&](std::size_t k) -> std::string {
        if (k >= list.size()) return {};
        const std::string_view op = operator_prefix(list[k].text);
        return op == "NEAR" || op == "ADJ" ? list[k].text : std::string();
    };
    std::vector<std::string> texts;
    for (std::size_t k = 0; k < list.size(); ++k) {
        std::string op = k > 0 ? proximity(k - 1) : std::string();
        if (op.empty()) op = proximity(k + 1);
        texts.push_back(segmented(list[k], op));
    }
    for (std::size_t k = 0; k < list.size(); ++k) list[k].text = std::move(texts[k]);
    tokens = lex(join(tokens));
}

bool drop_exclusions(Tokens& tokens) {
    const std::vector<Token>& list = tokens.tokens;
    const bool only = !list.empty() && std::all_of(list.begin(), list.end(), [](const Token& t) {
        return t.text.size() > 1 && t.text.front() == '-';
    });
    if (!only) return false;
    // Every leading '-' goes ("--sport" is "sport" too).
    for (Token& t : tokens.tokens)
        for (std::size_t i = 0; i < t.text.size() && t.text[i] == '-'; ++i) t.text[i] = ' ';
    tokens = lex(join(tokens));
    return true;
}

bool is_filter_token(std::string_view text) {
    const std::size_t colon = text.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < text.size() &&
           (is_boolean_field(text.substr(0, colon)) || text.substr(0, colon) == "date") &&
           text.find_first_of("\"()") == std::string_view::npos;
}

bool bare_words(const Tokens& tokens) {
    bool words = false;
    for (const Token& t : tokens.tokens) {
        // A filter (site:, lang:, date: and its day, month and year forms) narrows the
        // matches and leaves the words bare: "oil date:198703" ranks as "oil" does with
        // --since 1987-03 --until 1987-03.
        if (is_filter_token(t.text)) continue;
        if (t.text.find_first_of("\"():+-*") != std::string::npos ||
            !operator_prefix(t.text).empty())
            return false;
        words = true;
    }
    return words;
}

std::string cut_wildcards(const std::string& folded,
                          const std::function<std::string(const std::string&)>& stem) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t pos = 0;;) {
        const std::string_view word = next_word(folded, &pos);
        if (word.empty()) break;
        if (pos >= folded.size() || folded[pos] != '*') continue;
        const std::string stemmed = stem(std::string(word));
        std::size_t common = 0;
        while (common < word.size() && common < stemmed.size() && word[common] == stemmed[common])
            ++common;
        if (common < 2) continue;
        // The word up to what it shares with its stem, then the '*'.
        const auto at = static_cast<std::size_t>(word.data() - folded.data());
        out.append(folded, copied, at + common - copied);
        copied = pos;
    }
    return out.append(folded, copied);
}

Rewritten rewrite(const std::string& query, bool plain) {
    Rewritten out;
    if (plain) {
        // Words only: everything else (quotes, brackets, colons, +, -, *) separates words.
        out.unsplit = fold(query);
        for (char& c : out.unsplit)
            if (!is_word_byte(c)) c = ' ';
        out.folded = newsidx::segment(out.unsplit);
        return out;
    }
    const Tokens typed = lex(query);
    const bool headline = is_headline(typed);
    out.headline = headline && has_operators(typed);
    check_operators(typed, query, headline);
    Tokens tokens = fold_tokens(typed, headline);
    rewrite_dates(tokens);
    rewrite_langs(tokens);
    out.dots = dots_as_punctuation(tokens);
    join_field_filters(tokens);
    out.unsplit = join(tokens);
    segment(tokens);
    out.negative = drop_exclusions(tokens);
    out.folded = join(tokens);
    return out;
}

std::string fold_query(std::string_view query) { return join(fold_tokens(lex(query), false)); }

std::string segment_query(std::string_view folded) {
    Tokens tokens = lex(folded);
    segment(tokens);
    return join(tokens);
}

std::string describe_syntax_error(const std::string& query, const std::string& xapian_msg) {
    for (std::string_view op : kOperators) {
        if (xapian_msg.find("<expression> " + std::string(op)) == std::string::npos) continue;
        for (std::size_t at = query.find(op); at != std::string::npos;
             at = query.find(op, at + 1)) {
            const bool starts = at == 0 || !is_word_byte(query[at - 1]);
            const std::size_t end = at + op.size();
            const bool ends = end == query.size() || !is_word_byte(query[end]) || query[end] == '/';
            if (starts && ends)
                return " at column " + std::to_string(at + 1) + ": " + std::string(op) +
                       " needs a word or phrase on both sides";
        }
    }
    return ": " + xapian_msg;
}

}  // namespace newsidx::query
