#include "newsidx/search.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>
#include <tuple>

#include "index_paths.hpp"
#include "newsidx/analyzer.hpp"
#include "newsidx/article.hpp"
#include "newsidx/document.hpp"
#include "newsidx/error.hpp"
#include "newsidx/schema.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace {

// Words too common to rank by; inside "quoted phrases" they still match.
constexpr const char* kEnglishStopWords[] = {
    // articles, conjunctions, prepositions
    "a", "an", "the", "and", "or", "but", "nor", "if", "then", "than", "as", "so", "of", "in", "on",
    "at", "by", "for", "from", "to", "into", "onto", "with", "within", "without", "about", "above",
    "after", "against", "among", "before", "below", "between", "during", "over", "per", "since",
    "through", "under", "until", "upon", "via",
    // pronouns and determiners
    "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his",
    "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "this", "that", "these",
    "those", "what", "which", "who", "whom", "whose", "any", "some", "each", "every", "all", "both",
    "either", "neither", "such", "other", "another", "own", "same",
    // auxiliaries
    "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do",
    "does", "did", "doing", "will", "would", "shall", "should", "can", "could", "may", "might",
    "must",
    // adverbs and particles
    "not", "no", "also", "very", "too", "just", "only", "there", "here", "where", "when", "why",
    "how", "more", "most", "much", "many", "few", "again", "further", "once", "out", "up", "down",
    "off", "however", "whether", "while", "etc"};

// Marks that delimit highlights inside Xapian's snippet; control characters never occur in
// stored text (the reader rejects files with them).
constexpr char kHiStart = '\x01';
constexpr char kHiEnd = '\x02';

bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80 || c == '_';
}

std::size_t word_count(std::string_view text) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : text) {
        const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

// With stemmed terms in the index, "guarantee*" must expand over stems ("guarante..."): cut
// each wildcard's word back to what it shares with its own stem.
std::string stem_wildcards(const std::string& query, const Xapian::Stem& stemmer) {
    std::string out;
    std::size_t i = 0;
    while (i < query.size()) {
        if (!is_word_byte(query[i])) {
            out += query[i++];
            continue;
        }
        std::size_t j = i;
        while (j < query.size() && is_word_byte(query[j])) ++j;
        std::string word = query.substr(i, j - i);
        if (j < query.size() && query[j] == '*') {
            const std::string stem = stemmer(word);
            std::size_t common = 0;
            while (common < word.size() && common < stem.size() && word[common] == stem[common])
                ++common;
            if (common >= 2) word.resize(common);
        }
        out += word;
        i = j;
    }
    return out;
}

std::string date_for_humans(const std::string& yyyymmdd) {
    if (yyyymmdd.size() != 8) return yyyymmdd;
    return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2);
}

std::string checked_date(const std::string& text, const char* option) {
    DateCheck d = parse_date(text);
    if (!d.yyyymmdd) throw Error(ErrorCode::BadOption, std::string(option) + ": " + d.reason);
    return *d.yyyymmdd;
}

// The first and last day of a period written as a year (2022), a month (2022-02 or 202202) or
// a day (2022-02-08 or 20220208), as YYYYMMDD; throws BadQuery naming `field` otherwise.
std::pair<std::string, std::string> period(const std::string& value, const std::string& field) {
    std::string digits;
    for (char c : value)
        if (c != '-') digits += c;
    const bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    const bool dashes_fit = value.find('-') == std::string::npos ||
                            (value.size() == 7 && value[4] == '-') ||
                            (value.size() == 10 && value[4] == '-' && value[7] == '-');
    auto day = [&](const std::string& d) {
        const DateCheck check = parse_date(d);
        if (!check.yyyymmdd) throw Error(ErrorCode::BadQuery, field + ": " + check.reason);
        return *check.yyyymmdd;
    };
    if (numeric && dashes_fit && digits.size() == 4)
        return {day(digits + "0101"), day(digits + "1231")};
    if (numeric && dashes_fit && digits.size() == 6)
        return {day(digits + "01"), digits + "31"};  // slot values compare as text
    if (numeric && dashes_fit && digits.size() == 8) return {day(digits), digits};
    throw Error(ErrorCode::BadQuery, field + ": '" + value +
                                         "' is not a date; use YYYYMMDD, YYYY-MM-DD, YYYY-MM or "
                                         "YYYY, or a range FROM..TO of those");
}

// The date: field, checked and rewritten as the day range Xapian's DateRangeProcessor takes
// (which would compare any text it is given, so that a typo silently matched nothing):
// date:2022, date:2022-02, date:20220208 and ranges of them, date:2022..2023, date:..2021-06.
std::string checked_date_fields(const std::string& text) {
    static constexpr std::string_view kField = "date:";
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t at = text.find(kField, i);
        if (at == std::string::npos || (at > 0 && is_word_byte(text[at - 1]))) {
            const std::size_t stop = at == std::string::npos ? text.size() : at + kField.size();
            out.append(text, i, stop - i);
            i = stop;
            continue;
        }
        out.append(text, i, at - i);
        const std::size_t begin = at + kField.size();
        std::size_t end = begin;
        while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
               text[end] != ')')
            ++end;
        const std::string value = text.substr(begin, end - begin);
        const std::string field = "date:" + value;
        std::string from, to;
        if (value.empty())
            throw Error(ErrorCode::BadQuery, "date: needs a date or a range after it")
                .with_hint("e.g. date:2022, date:2022-02-08 or date:2022-01..2022-06");
        if (const std::size_t dots = value.find(".."); dots != std::string::npos) {
            if (dots > 0) from = period(value.substr(0, dots), field).first;
            if (dots + 2 < value.size()) to = period(value.substr(dots + 2), field).second;
            if (!from.empty() && !to.empty() && from > to)
                throw Error(ErrorCode::BadQuery, field + ": the range ends before it starts");
        } else {
            std::tie(from, to) = period(value, field);
        }
        out += std::string(kField) + from + ".." + to;
        i = end;
    }
    return out;
}

// Xapian's snippet escapes text for HTML; turn it back into plain text.
bool take_entity(std::string_view s, std::size_t* i, std::string* out) {
    static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities{
        {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}};
    for (auto [entity, c] : kEntities) {
        if (s.substr(*i, entity.size()) == entity) {
            *out += c;
            *i += entity.size();
            return true;
        }
    }
    return false;
}

// The snippet generator stems each word of the stored text as it is written ("Straße",
// "Köln"); fold it first, as the indexer did, so that its stem meets the query's.
class FoldingStemmer : public Xapian::StemImplementation {
  public:
    explicit FoldingStemmer(Xapian::Stem inner) : inner_(std::move(inner)) {}
    std::string operator()(const std::string& word) override { return inner_(fold(word)); }
    std::string get_description() const override {
        return "newsidx folding " + inner_.get_description();
    }

  private:
    Xapian::Stem inner_;
};

// Xapian says "Syntax: <expression> AND <expression>" without a position; find the operator
// that has nothing on one side and name its column.
std::string describe_syntax_error(const std::string& query, const std::string& xapian_msg) {
    for (std::string_view op : kQueryOperators) {
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

}  // namespace

Xapian::Stem snippet_stemmer(const std::string& language) {
    return Xapian::Stem(new FoldingStemmer(
        language.empty() || language == "none" ? Xapian::Stem() : Xapian::Stem(language)));
}

SnippetTerms snippet_terms(const Xapian::Query& query) {
    // Xapian's snippet generator recognises a stemmed word only as a "Z"-prefixed term, but
    // the index holds stems without a prefix (and title stems under "S"): name each stem
    // both ways so that every matched word is highlighted.
    SnippetTerms out;
    std::vector<Xapian::Query> terms;
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
        std::string term = *it;
        if (term.empty()) continue;
        if (term.compare(0, schema::kTitlePrefix.size(), schema::kTitlePrefix) == 0)
            term.erase(0, schema::kTitlePrefix.size());
        else if (std::isupper(static_cast<unsigned char>(term[0])))
            continue;  // boolean filters (site, date, ...) are not words of the text
        terms.emplace_back(term);
        terms.emplace_back("Z" + term);
        out.stems.push_back(term);
    }
    out.query = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    return out;
}

std::pair<std::size_t, std::size_t> match_window(std::string_view text,
                                                 const std::vector<std::string>& stems,
                                                 std::size_t span) {
    if (text.size() <= 2 * span || stems.empty()) return {0, text.size()};
    // Where words start that begin like a query stem ("guarantees" for "guarante"; one letter
    // less, so that "policy" is found for "polici"), or contain it (CJK runs).
    struct Match {
        std::size_t at, stem;
    };
    std::vector<Match> matches;
    std::string word;
    bool ascii_only = true;
    for (std::size_t i = 0; i < text.size();) {
        if (!is_word_byte(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        word.clear();
        while (j < text.size() && is_word_byte(text[j])) {
            const auto c = static_cast<unsigned char>(text[j++]);
            if (c >= 0x80) ascii_only = false;
            word += static_cast<char>(std::tolower(c));
        }
        for (std::size_t k = 0; k < stems.size(); ++k) {
            const std::string& stem = stems[k];
            const std::size_t head = stem.size() > 4 ? stem.size() - 1 : stem.size();
            const bool cjk = static_cast<unsigned char>(stem[0]) >= 0xE3;
            if (word.compare(0, head, stem, 0, head) == 0 ||
                (cjk && word.find(stem) != std::string::npos)) {
                matches.push_back({i, k});
                break;
            }
        }
        i = j;
    }
    std::size_t begin = 0;
    if (matches.empty()) {
        // Nothing found by this cheap scan: in plain ASCII that means the match is in the
        // title only, so the opening will do; other text may need Xapian's full folding.
        if (!ascii_only) return {0, text.size()};
    } else {
        // The span with the most distinct query words, then the most matches.
        std::vector<int> seen(stems.size(), 0);
        int distinct = 0, best_distinct = -1;
        std::size_t best_count = 0, left = 0;
        for (std::size_t right = 0; right < matches.size(); ++right) {
            if (seen[matches[right].stem]++ == 0) ++distinct;
            while (matches[right].at - matches[left].at > span) {
                if (--seen[matches[left].stem] == 0) --distinct;
                ++left;
            }
            const std::size_t count = right - left + 1;
            if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
                best_distinct = distinct;
                best_count = count;
                begin = matches[left].at;
            }
        }
        begin = begin > span / 2 ? begin - span / 2 : 0;
    }
    std::size_t end = std::min(text.size(), begin + 2 * span);
    // Cut at spaces (or, in text without them, at character boundaries).
    auto to_boundary = [&](std::size_t at, bool forward) {
        if (at == 0 || at >= text.size()) return at;
        const std::size_t space = forward ? text.find(' ', at) : text.rfind(' ', at);
        if (space != std::string_view::npos && (forward ? space - at : at - space) < span / 4)
            return forward ? space + 1 : space;
        while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
        return at;
    };
    return {to_boundary(begin, true), to_boundary(end, false)};
}

Snippet make_snippet(const Xapian::MSet& mset, const std::string& text, const Xapian::Stem& stemmer,
                     unsigned length, const std::vector<std::string>& stems) {
    Snippet snippet;
    if (stems.empty()) {
        // No words to look for (a date- or site-only query): show the opening of the text,
        // cut at a space, or at a character boundary in text without spaces.
        if (text.size() <= length) {
            snippet.text = text;
            return snippet;
        }
        std::size_t cut = text.rfind(' ', length);
        if (cut == std::string::npos || cut < length / 2) {
            cut = length;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        }
        snippet.text = text.substr(0, cut) + "\xE2\x80\xA6";
        return snippet;
    }
    // MSet::snippet reads every word it is given; give it the part where the words are.
    const auto [begin, end] = match_window(text, stems, std::size_t{1} * length);
    const std::string part = text.substr(begin, end - begin);
    const std::string marked =
        mset.snippet(part, length, stemmer,
                     Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE |
                         Xapian::MSet::SNIPPET_CJK_NGRAM,
                     std::string(1, kHiStart), std::string(1, kHiEnd), "\xE2\x80\xA6");
    std::size_t start = 0;
    for (std::size_t i = 0; i < marked.size();) {
        if (marked[i] == kHiStart) {
            start = snippet.text.size();
            ++i;
        } else if (marked[i] == kHiEnd) {
            // CJK n-grams come back one character at a time: join touching highlights.
            if (!snippet.highlights.empty() && snippet.highlights.back().second == start)
                snippet.highlights.back().second = snippet.text.size();
            else
                snippet.highlights.emplace_back(start, snippet.text.size());
            ++i;
        } else if (marked[i] != '&' || !take_entity(marked, &i, &snippet.text)) {
            snippet.text += marked[i++];
        }
    }
    // Xapian marks omissions relative to the part it saw: where its snippet runs to an edge
    // of the part that is not an edge of the text, mark the cut too.
    const std::string kEllipsis = "\xE2\x80\xA6";
    const std::size_t probe = std::min<std::size_t>(snippet.text.size(), 16);
    if (begin > 0 && part.compare(0, probe, snippet.text, 0, probe) == 0) {
        snippet.text.insert(0, kEllipsis);
        for (auto& [b, e] : snippet.highlights) b += kEllipsis.size(), e += kEllipsis.size();
    }
    if (end < text.size() && part.size() >= probe &&
        part.compare(part.size() - probe, probe, snippet.text, snippet.text.size() - probe,
                     probe) == 0)
        snippet.text += kEllipsis;
    return snippet;
}

std::optional<BatchQuery> parse_batch_line(std::string_view line, std::string* reason) {
    reason->clear();
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') return std::nullopt;
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
        *reason = "expected id<TAB>query";
        return std::nullopt;
    }
    BatchQuery q{std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))};
    if (q.id.empty() || q.id.find_first_of(" \t") != std::string::npos) {
        *reason = "the id before the tab must be one word";
        return std::nullopt;
    }
    if (q.query.find_first_not_of(" \t") == std::string::npos) {
        *reason = "empty query for id " + q.id;
        return std::nullopt;
    }
    return q;
}

Xapian::Database open_databases(const std::vector<std::string>& paths, std::string* language) {
    Xapian::Database db;
    for (const std::string& given : paths) {
        std::error_code ec;
        // Where a file system cannot swap two folders at once, an indexer swapping in a merged
        // index renames <db> to <db>.old and <db>.new to <db>: in between there is no <db> for
        // a moment. Wait for it (at most a second); if it does not come (that indexer was
        // killed in between), <db>.old is the last committed index, so read that.
        const std::string old = detail::index_sibling(given, ".old");
        for (int tries = 0;
             tries < 50 && !std::filesystem::exists(given, ec) && std::filesystem::exists(old, ec);
             ++tries)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const std::string path =
            !std::filesystem::exists(given, ec) && std::filesystem::exists(old, ec) ? old : given;
        if (!std::filesystem::exists(path, ec)) {
            throw Error(ErrorCode::NoIndex, "no index at '" + path + "'")
                .with_hint(path == "newsidx.db" || path == "./newsidx.db"
                               ? "run indexer first, e.g.: indexer samples/"
                               : "run indexer first, e.g.: indexer --db " + path + " samples/");
        }
        try {
            Xapian::Database part(path);
            const std::string version = part.get_metadata(std::string(schema::kVersionKey));
            // No version and no documents: an index an indexer is only now creating.
            const bool just_created = version.empty() && part.get_doccount() == 0;
            if (!just_created && version != std::to_string(schema::kSchemaVersion)) {
                throw Error(ErrorCode::SchemaMismatch,
                            "index '" + path + "' has schema version " +
                                (version.empty() ? std::string("(none)") : version) +
                                "; this searcher reads version " +
                                std::to_string(schema::kSchemaVersion))
                    .with_hint("re-index with: indexer --rebuild --db " + path + " PATH...");
            }
            if (language && language->empty())
                *language = part.get_metadata(std::string(schema::kLanguageKey));
            db.add_database(part);
        } catch (...) {
            detail::rethrow_xapian_error("opening index", path);
        }
    }
    return db;
}

namespace {

// The parsed query text, and the filters of the options (date range, site) apart, so that
// feedback terms can join the text before the filters apply.
Xapian::Query build_query_parts(const Xapian::Database& db, const std::string& language,
                                const SearchOptions& options, std::string* corrected,
                                std::vector<Xapian::Query>& filters) {
    if (options.query.find('\0') != std::string::npos)
        throw Error(ErrorCode::BadQuery, "the query contains a NUL byte");
    if (!is_valid_utf8(options.query))
        throw Error(ErrorCode::BadQuery, "the query is not valid UTF-8")
            .with_hint("check the terminal's or the file's character encoding");
    if (const std::size_t words = word_count(options.query); words > kMaxQueryWords)
        throw Error(ErrorCode::BadQuery, "the query has " + std::to_string(words) +
                                             " words; the most a query may have is " +
                                             std::to_string(kMaxQueryWords));
    std::string text;
    if (options.plain) {
        // Words only: everything else (quotes, brackets, colons, +, -, *) separates words.
        text = fold(options.query);
        for (char& c : text)
            if (!is_word_byte(c)) c = ' ';
    } else {
        text = checked_date_fields(fold_query(options.query));
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error(ErrorCode::BadQuery, "empty query")
            .with_hint("try: searcher \"security guarantees\"");

    Xapian::QueryParser qp;
    qp.set_database(db);
    Xapian::Stem stemmer;
    if (!language.empty() && language != "none") {
        stemmer = Xapian::Stem(language);
        qp.set_stemmer(stemmer);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
        text = stem_wildcards(text, stemmer);
    } else {
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    }
    if (language == "english") {
        qp.set_stopper(
            (new Xapian::SimpleStopper(std::begin(kEnglishStopWords), std::end(kEnglishStopWords)))
                ->release());
    }
    for (const schema::Field& field : schema::kQueryFields) {
        if (field.is_boolean)
            qp.add_boolean_prefix(std::string(field.name), std::string(field.prefix));
        else
            qp.add_prefix(std::string(field.name), std::string(field.prefix));
    }
    qp.add_rangeprocessor((new Xapian::DateRangeProcessor(schema::kDateSlot, "date:"))->release());
    qp.set_default_op(options.match_all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    // "a*" on a large index would OR together every word starting with "a": keep the most
    // common ones (docs/query-syntax.md).
    qp.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    const unsigned flags =
        options.plain
            ? Xapian::QueryParser::FLAG_CJK_NGRAM | Xapian::QueryParser::FLAG_SPELLING_CORRECTION
            : Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                  Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                  Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM |
                  Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
    Xapian::Query query;
    try {
        query = qp.parse_query(text, flags);
    } catch (const Xapian::QueryParserError& e) {
        throw Error(ErrorCode::BadQuery, "cannot parse query '" + options.query + "'" +
                                             describe_syntax_error(options.query, e.get_msg()))
            .with_hint(
                "quote words that look like operators, e.g. \"AND\"; see docs/query-syntax.md");
    } catch (...) {
        detail::rethrow_xapian_error("parsing query", "");
    }
    if (corrected) *corrected = qp.get_corrected_query_string();
    if (query.empty())
        throw Error(ErrorCode::BadQuery,
                    "nothing to search for in '" + options.query + "' (no words)")
            .with_hint("try: searcher \"security guarantees\"");

    if (!options.since.empty() || !options.until.empty()) {
        const std::string since =
            options.since.empty() ? std::string() : checked_date(options.since, "--since");
        const std::string until =
            options.until.empty() ? std::string() : checked_date(options.until, "--until");
        if (!since.empty() && !until.empty() && since > until)
            throw Error(ErrorCode::BadOption,
                        "--since " + options.since + " is after --until " + options.until);
        if (until.empty())
            filters.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, since);
        else if (since.empty())
            filters.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, until);
        else
            filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, since, until);
    }
    if (!options.site.empty()) {
        std::string host = fold(options.site);
        while (!host.empty() && host.back() == '.') host.pop_back();
        if (host.empty() || host.find_first_of(" /") != std::string::npos)
            throw Error(ErrorCode::BadOption, "--site: '" + options.site + "' is not a host name");
        filters.emplace_back(bounded_term(schema::kHostPrefix, host));
    }
    // A query that repeats a title word for word also scores the exact-title term, so that a
    // pasted headline finds its article first even among near-identical twins. Only when some
    // article has that title: an unmatched term would lower every hit's percentage.
    if (options.title_boost > 0) {
        if (const std::string exact = exact_title_term(options.query);
            !exact.empty() && db.term_exists(exact))
            query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                                  Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                Xapian::Query(exact), options.title_boost));
    }
    return query;
}

Xapian::BM25Weight bm25(const SearchOptions& options) {
    return Xapian::BM25Weight(options.bm25_k1, 0, 1, options.bm25_b, 0.5);
}

Xapian::Query with_filters(Xapian::Query query, const std::vector<Xapian::Query>& filters) {
    for (const Xapian::Query& filter : filters)
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    return query;
}

// Feedback terms: free text only (no boolean terms, which all start with a capital), and
// none of the query's own.
class FeedbackTerms : public Xapian::ExpandDecider {
  public:
    explicit FeedbackTerms(const Xapian::Query& query)
        : own_(query.get_unique_terms_begin(), query.get_unique_terms_end()) {}
    bool operator()(const std::string& term) const override {
        return !term.empty() && !std::isupper(static_cast<unsigned char>(term[0])) &&
               !own_.count(term);
    }

  private:
    std::set<std::string> own_;
};

}  // namespace

Xapian::Query build_query(const Xapian::Database& db, const std::string& language,
                          const SearchOptions& options, std::string* corrected) {
    std::vector<Xapian::Query> filters;
    const Xapian::Query text = build_query_parts(db, language, options, corrected, filters);
    return with_filters(text, filters);
}

Xapian::Query expand_query(const Xapian::Database& db, const Xapian::Query& query,
                           const SearchOptions& options, std::vector<std::string>* added) {
    if (options.expand == 0 || query.empty()) return query;
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(bm25(options));
    enquire.set_query(query);
    const Xapian::MSet top = enquire.get_mset(0, kFeedbackDocuments);
    if (top.empty()) return query;
    Xapian::RSet rset;
    for (auto it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
    const FeedbackTerms decider(query);
    const Xapian::ESet eset = enquire.get_eset(options.expand, rset, &decider);
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) {
        terms.emplace_back(*it);
        if (added) added->push_back(*it);
    }
    if (terms.empty()) return query;
    return Xapian::Query(
        Xapian::Query::OP_OR, query,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                      kFeedbackWeight));
}

namespace {

SearchResult search_once(const Xapian::Database& db, const std::string& language,
                         const SearchOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = options.query;
    std::string corrected;
    std::vector<Xapian::Query> filters;
    const Xapian::Query text = build_query_parts(db, language, options, &corrected, filters);
    const Xapian::Query query = with_filters(text, filters);
    try {
        Xapian::Enquire enquire(db);
        enquire.set_weighting_scheme(bm25(options));
        enquire.set_query(
            with_filters(expand_query(db, text, options, &result.expansion), filters));
        if (options.sort != SortOrder::Relevance)
            enquire.set_sort_by_value_then_relevance(schema::kDateSlot,
                                                     options.sort == SortOrder::Newest);
        // Counting a little past the page makes "about N results" exact on small indexes.
        const Xapian::MSet mset =
            enquire.get_mset(options.offset, options.limit, options.offset + options.limit + 100);
        result.total_estimate = mset.get_matches_estimated();
        // What snippets need, only when they are wanted (TREC runs do without).
        const SnippetTerms words = options.snippets ? snippet_terms(query) : SnippetTerms{};
        Xapian::MSet snippet_mset;
        Xapian::Stem stemmer;
        if (options.snippets) {
            Xapian::Enquire snippet_enquire(db);
            snippet_enquire.set_query(words.query);
            snippet_mset = snippet_enquire.get_mset(0, 0);
            stemmer = snippet_stemmer(language);
        }
        unsigned rank = options.offset;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const StoredRecord record = StoredRecord::decode(it.get_document().get_data());
            Hit hit;
            hit.rank = ++rank;
            hit.score = it.get_weight();
            hit.percent = it.get_percent();
            hit.title = record.title;
            hit.date = date_for_humans(record.date);
            hit.url = record.url;
            hit.site = url_host(record.url).value_or("");
            hit.path = record.path;
            if (options.snippets) {
                std::string body = record.body;
                std::replace(body.begin(), body.end(), '\n', ' ');
                hit.snippet =
                    make_snippet(snippet_mset, body, stemmer, options.snippet_bytes, words.stems);
            }
            result.hits.push_back(std::move(hit));
        }
        if (mset.empty() && !corrected.empty()) result.did_you_mean = corrected;
    } catch (...) {
        detail::rethrow_xapian_error("searching",
                                     options.db_paths.empty() ? "" : options.db_paths[0]);
    }
    result.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

}  // namespace

Xapian::Database open_for_search(const SearchOptions& options, std::string* language) {
    Xapian::Database db = open_databases(options.db_paths, language);
    if (!options.language.empty() && stemmer_language(options.language) != *language)
        throw Error(ErrorCode::BadOption,
                    "--lang " + options.language +
                        " does not match the index, which was built with --lang " + *language)
            .with_hint("leave out --lang to use the index's own language");
    return db;
}

SearchResult search(const Xapian::Database& db, const std::string& language,
                    const SearchOptions& options) {
    // An indexer committing while we read can overwrite the revision we started from: Xapian
    // then says DatabaseModifiedError, and the cure is to reopen at the newest revision and
    // run the query again.
    for (int attempt = 1;; ++attempt) {
        try {
            return search_once(db, language, options);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::IndexChanged || attempt == kSearchAttempts) throw;
        }
        try {
            Xapian::Database(db).reopen();  // a copy shares, and so refreshes, db's internals
        } catch (...) {
            detail::rethrow_xapian_error("reopening",
                                         options.db_paths.empty() ? "" : options.db_paths[0]);
        }
    }
}

SearchResult search(const SearchOptions& options) {
    std::string language;
    const Xapian::Database db = open_for_search(options, &language);
    return search(db, language, options);
}

}  // namespace newsidx
