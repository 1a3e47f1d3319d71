#include "newsidx/analyzer.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <string_view>

#include "icu_check.hpp"
#include "newsidx/error.hpp"

namespace newsidx {
namespace {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Marks removed by accent folding: the generic combining diacritics used by Latin, Greek and
// Cyrillic, and Arabic vowel marks. Marks that change a letter's identity elsewhere (Japanese
// dakuten, Indic vowel signs) are kept.
bool is_folded_mark(UChar32 c) {
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x064B && c <= 0x065F) || c == 0x0670;
}

const icu::Normalizer2& normalizer(const char* name, UNormalization2Mode mode) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getInstance(nullptr, name, mode, status);
    detail::check_icu(status, "loading ICU normaliser");
    return *n;
}

const icu::Normalizer2& nfkc_casefold() {
    static const icu::Normalizer2& n = normalizer("nfkc_cf", UNORM2_COMPOSE);
    return n;
}
const icu::Normalizer2& nfd() {
    static const icu::Normalizer2& n = normalizer("nfc", UNORM2_DECOMPOSE);
    return n;
}
const icu::Normalizer2& nfc() {
    static const icu::Normalizer2& n = normalizer("nfc", UNORM2_COMPOSE);
    return n;
}

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

// `text` normalised by `n`, as UTF-8. Throws Error(Icu) naming `what`.
std::string normalized_utf8(const icu::Normalizer2& n, const icu::UnicodeString& text,
                            const char* what) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString normalized = n.normalize(text, status);
    detail::check_icu(status, what);
    std::string out;
    normalized.toUTF8String(out);
    return out;
}

bool is_operator(std::string_view word) {
    for (std::string_view op : kQueryOperators) {
        if (word.substr(0, op.size()) != op) continue;
        std::string_view rest = word.substr(op.size());
        if (rest.empty()) return true;
        if ((op == "NEAR" || op == "ADJ") && rest.size() > 1 && rest[0] == '/' &&
            std::all_of(rest.begin() + 1, rest.end(),
                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
            return true;
    }
    return false;
}

}  // namespace

bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80 || c == '_';
}

std::string_view next_word(std::string_view text, std::size_t* pos) {
    std::size_t i = *pos;
    while (i < text.size() && !is_word_byte(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && is_word_byte(text[j])) ++j;
    *pos = j;
    return text.substr(i, j - i);
}

std::string fold(std::string_view text) {
    if (is_ascii(text)) return ascii_lower(text);
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString folded = nfkc_casefold().normalize(s, status);
    detail::check_icu(status, "case folding");
    icu::UnicodeString decomposed = nfd().normalize(folded, status);
    detail::check_icu(status, "decomposing");
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        if (!is_folded_mark(c)) stripped.append(c);
        i += U16_LENGTH(c);
    }
    return normalized_utf8(nfc(), stripped, "composing");
}

std::string fold_query(std::string_view query) {
    std::string out;
    out.reserve(query.size());
    std::size_t i = 0;
    while (i < query.size()) {
        std::size_t space = query.find_first_of(" \t\r\n", i);
        if (space == i) {
            out += query[i++];
            continue;
        }
        std::string_view token =
            query.substr(i, space == std::string_view::npos ? query.npos : space - i);
        std::string_view core = token;
        while (!core.empty() && core.front() == '(') core.remove_prefix(1);
        while (!core.empty() && core.back() == ')') core.remove_suffix(1);
        out += is_operator(core) ? std::string(token) : fold(token);
        i += token.size();
    }
    return out;
}

std::string word_key(std::string_view text) {
    const std::string folded = fold(text);
    std::string out;
    out.reserve(folded.size());
    bool gap = false;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(folded.data());
    const auto length = static_cast<std::int32_t>(folded.size());
    for (std::int32_t i = 0; i < length;) {
        const std::int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        const bool word_char = c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0);
        if (!word_char) {
            gap = true;
            continue;
        }
        if (gap && !out.empty()) out += ' ';
        gap = false;
        out.append(folded, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
    }
    return out;
}

std::string to_nfc(std::string_view text) {
    if (is_ascii(text)) return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    if (nfc().isNormalized(s, status) && U_SUCCESS(status)) return std::string(text);
    return normalized_utf8(nfc(), s, "NFC normalisation");
}

bool is_valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) return false;
    }
    return true;
}

std::string guess_language(std::string_view text) {
    // Count letters per script over the first 4 KB: a non-Latin script that dominates
    // decides the language outright.
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(std::min<std::size_t>(text.size(), 4096));
    std::map<UScriptCode, int> scripts;
    bool has_kana = false;
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        UScriptCode script = uscript_getScript(c, &status);
        if (U_FAILURE(status)) continue;
        if (script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA) has_kana = true;
        ++scripts[script];
    }
    UScriptCode best = USCRIPT_LATIN;
    int best_count = 0;
    for (auto [script, count] : scripts) {
        if (count > best_count) best = script, best_count = count;
    }
    switch (best) {
        case USCRIPT_ARABIC:
            return "ar";
        case USCRIPT_CYRILLIC:
            return "ru";
        case USCRIPT_GREEK:
            return "el";
        case USCRIPT_HEBREW:
            return "he";
        case USCRIPT_HANGUL:
            return "ko";
        case USCRIPT_THAI:
            return "th";
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
            return "ja";
        case USCRIPT_HAN:
            return has_kana ? "ja" : "zh";
        default:
            break;
    }
    // Latin script: count each language's most frequent function words that no other
    // language in the list shares.
    struct Words {
        std::string_view code;
        std::array<std::string_view, 8> words;
    };
    static constexpr std::array<Words, 7> kWords{{
        {"en", {"the", "and", "of", "to", "is", "that", "was", "with"}},
        {"fr", {"le", "les", "et", "est", "une", "dans", "pour", "qui"}},
        {"de", {"der", "die", "das", "und", "ist", "nicht", "mit", "auf"}},
        {"es", {"el", "los", "las", "y", "del", "por", "una", "para"}},
        {"it", {"il", "di", "che", "della", "per", "sono", "gli", "non"}},
        {"pt", {"os", "da", "do", "em", "com", "uma", "nao", "dos"}},
        {"nl", {"het", "een", "van", "dat", "op", "niet", "zijn", "ook"}},
    }};
    const std::string sample = fold(text.substr(0, 4096));
    std::map<std::string_view, int> hits;
    std::size_t i = 0;
    while (i < sample.size()) {
        while (i < sample.size() && !std::isalpha(static_cast<unsigned char>(sample[i]))) ++i;
        std::size_t j = i;
        while (j < sample.size() && std::isalpha(static_cast<unsigned char>(sample[j]))) ++j;
        std::string_view word(sample.data() + i, j - i);
        for (const auto& lang : kWords) {
            if (std::find(lang.words.begin(), lang.words.end(), word) != lang.words.end())
                ++hits[lang.code];
        }
        i = j;
    }
    std::string_view winner = "en";
    int most = 0;
    for (const auto& lang : kWords) {
        if (hits[lang.code] > most) winner = lang.code, most = hits[lang.code];
    }
    return std::string(winner);
}

std::string stemmer_language(std::string_view lang) {
    static const std::map<std::string_view, std::string_view> kIsoCodes{
        {"ar", "arabic"},   {"da", "danish"},  {"de", "german"},    {"en", "english"},
        {"es", "spanish"},  {"fi", "finnish"}, {"fr", "french"},    {"hu", "hungarian"},
        {"it", "italian"},  {"nl", "dutch"},   {"no", "norwegian"}, {"pt", "portuguese"},
        {"ro", "romanian"}, {"ru", "russian"}, {"sv", "swedish"},   {"tr", "turkish"},
    };
    std::string name = ascii_lower(lang);
    if (name == "none") return name;
    if (auto it = kIsoCodes.find(name); it != kIsoCodes.end()) name = it->second;
    try {
        Xapian::Stem stem(name);
    } catch (const Xapian::InvalidArgumentError&) {
        throw Error(ErrorCode::BadOption, "unknown stemming language '" + std::string(lang) + "'")
            .with_hint("choose one of: none " + Xapian::Stem::get_available_languages());
    }
    return name;
}

Analyzer::Analyzer(std::string_view language)
    : name_(language.empty() ? std::string("english") : stemmer_language(language)) {}

Xapian::Stem Analyzer::stemmer() const { return stems() ? Xapian::Stem(name_) : Xapian::Stem(); }

Xapian::Stem Analyzer::snippet_stemmer() const {
    return Xapian::Stem(new FoldingStemmer(stemmer()));
}

void Analyzer::configure(Xapian::TermGenerator& generator) const {
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    if (stems()) {
        generator.set_stemmer(stemmer());
        generator.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    } else {
        generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    }
}

void Analyzer::configure(Xapian::QueryParser& parser) const {
    if (stems()) {
        parser.set_stemmer(stemmer());
        parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
    } else {
        parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    }
    if (name_ == "english") {
        parser.set_stopper(
            (new Xapian::SimpleStopper(std::begin(kEnglishStopWords), std::end(kEnglishStopWords)))
                ->release());
    }
}

std::set<std::string> Analyzer::stop_terms() const {
    std::set<std::string> terms;
    if (name_ != "english") return terms;
    const Xapian::Stem stem = stemmer();
    for (const char* word : kEnglishStopWords) {
        terms.insert(word);
        terms.insert(stem(word));
    }
    return terms;
}

std::string Analyzer::cut_wildcards(const std::string& query) const {
    if (!stems()) return query;
    const Xapian::Stem stem_word = stemmer();
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
            const std::string stem = stem_word(word);
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

}  // namespace newsidx
