#include "analyzer.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
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
#include <memory>
#include <set>
#include <string_view>
#include <vector>

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

// Arabic-script letters written in several ways that readers type interchangeably (hamza
// forms are split off by NFD and dropped as marks before this): the tatweel (kashida) goes;
// taa marbuta becomes ha, alef maqsura and Persian yeh become yeh, Persian kaf becomes kaf,
// alef wasla becomes alef, Arabic-Indic and Persian digits become ASCII digits. 0: drop.
UChar32 fold_arabic(UChar32 c) {
    switch (c) {
        case 0x0640:
            return 0;  // tatweel
        case 0x0629:
            return 0x0647;  // taa marbuta -> ha
        case 0x0649:        // alef maqsura
        case 0x06CC:
            return 0x064A;  // Persian yeh -> yeh
        case 0x06A9:
            return 0x0643;  // Persian kaf (keheh) -> kaf
        case 0x0671:
            return 0x0627;  // alef wasla -> alef
        default:
            break;
    }
    if (c >= 0x0660 && c <= 0x0669) return '0' + (c - 0x0660);
    if (c >= 0x06F0 && c <= 0x06F9) return '0' + (c - 0x06F0);
    return c;
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

// The most frequent function words of the other languages with a stemmer, as they are
// written; they are folded (accents off, Arabic letters unified) before use.
constexpr const char* kFrenchStopWords[] = {
    "le",  "la",    "les",  "l",    "un",   "une",   "des",   "du",   "de",   "d",     "et",
    "ou",  "mais",  "donc", "car",  "ni",   "que",   "qu",    "qui",  "dont", "où",    "à",
    "au",  "aux",   "en",   "dans", "par",  "pour",  "sur",   "sous", "avec", "sans",  "ce",
    "cet", "cette", "ces",  "il",   "elle", "ils",   "elles", "on",   "nous", "vous",  "je",
    "se",  "sa",    "son",  "ses",  "leur", "leurs", "est",   "sont", "été",  "était", "être",
    "a",   "ont",   "ne",   "pas",  "plus", "y"};
constexpr const char* kGermanStopWords[] = {
    "der",   "die",   "das", "den",   "dem",   "des",    "ein",  "eine",  "einer", "eines",
    "einem", "einen", "und", "oder",  "aber",  "doch",   "denn", "dass",  "als",   "wie",
    "wenn",  "so",    "zu",  "zum",   "zur",   "im",     "in",   "am",    "an",    "auf",
    "aus",   "bei",   "mit", "nach",  "von",   "vom",    "vor",  "über",  "unter", "für",
    "ist",   "sind",  "war", "waren", "wird",  "werden", "hat",  "haben", "er",    "sie",
    "es",    "wir",   "ihr", "ich",   "nicht", "auch",   "noch", "sich"};
constexpr const char* kSpanishStopWords[] = {
    "el",    "la",    "los",   "las",   "un",    "una", "unos", "unas", "y",    "o",
    "pero",  "que",   "de",    "del",   "a",     "al",  "en",   "con",  "por",  "para",
    "sin",   "sobre", "entre", "se",    "su",    "sus", "le",   "les",  "lo",   "es",
    "son",   "fue",   "era",   "ser",   "ha",    "han", "no",   "más",  "como", "cuando",
    "donde", "este",  "esta",  "estos", "estas", "ese", "esa"};
constexpr const char* kItalianStopWords[] = {
    "il",  "lo",    "la",  "i",      "gli",   "le",    "un",    "uno",   "una",    "e",     "o",
    "ma",  "che",   "di",  "del",    "della", "dei",   "delle", "a",     "al",     "alla",  "in",
    "nel", "nella", "con", "per",    "su",    "tra",   "fra",   "da",    "dal",    "non",   "si",
    "è",   "sono",  "era", "essere", "ha",    "hanno", "come",  "anche", "questo", "questa"};
constexpr const char* kPortugueseStopWords[] = {
    "o",   "a",    "os",  "as",  "um",  "uma", "uns",  "umas", "e",    "ou",  "mas",
    "que", "de",   "do",  "da",  "dos", "das", "em",   "no",   "na",   "nos", "nas",
    "por", "para", "com", "sem", "se",  "sua", "seu",  "suas", "seus", "é",   "são",
    "foi", "era",  "ser", "ter", "tem", "não", "como", "mais", "ao",   "aos"};
constexpr const char* kDutchStopWords[] = {
    "de",     "het", "een", "en",  "of",   "maar", "dat",   "die",   "dit",    "deze",
    "van",    "in",  "op",  "aan", "met",  "voor", "door",  "bij",   "naar",   "uit",
    "over",   "om",  "te",  "is",  "zijn", "was",  "waren", "wordt", "worden", "heeft",
    "hebben", "hij", "zij", "ze",  "wij",  "we",   "niet",  "ook",   "er"};
constexpr const char* kRussianStopWords[] = {
    "и",   "в",    "во",  "не",  "на",  "что",  "с",    "со",   "как",  "а",  "то",  "все",
    "она", "он",   "они", "мы",  "вы",  "я",    "так",  "его",  "её",   "их", "но",  "да",
    "к",   "у",    "же",  "за",  "бы",  "по",   "из",   "от",   "о",    "об", "для", "при",
    "это", "этот", "эта", "эти", "был", "была", "были", "быть", "есть", "ли", "или"};
// Chinese and Japanese function words and particles as the dictionary splits them off ("none"
// is the analyzer of the languages without a stemmer; these never occur in the others).
constexpr const char* kUnstemmedStopWords[] = {
    "的", "了", "是", "在", "和",   "与",   "也",   "就",   "都",   "而",   "及",   "或", "被",
    "把", "对", "の", "に", "は",   "を",   "が",   "で",   "と",   "も",   "へ",   "や", "か",
    "な", "て", "た", "し", "から", "まで", "より", "です", "ます", "する", "した", "れ", "さ"};
constexpr const char* kArabicStopWords[] = {
    "في",   "من",    "على", "إلى",  "عن",  "مع",  "أن",  "إن",  "هذا", "هذه", "ذلك", "تلك", "التي",
    "الذي", "الذين", "كان", "كانت", "قد",  "لا",  "ما",  "لم",  "لن",  "ثم",  "أو",  "و",   "هو",
    "هي",   "هم",    "بين", "كل",   "بعد", "قبل", "حتى", "عند", "غير", "منذ", "خلال"};

struct StopList {
    std::string_view analyzer;
    const char* const* begin;
    const char* const* end;
};
#define NEWSIDX_STOP_LIST(name, words) \
    StopList { name, std::begin(words), std::end(words) }
const std::array<StopList, 10> kStopLists{
    NEWSIDX_STOP_LIST("english", kEnglishStopWords),
    NEWSIDX_STOP_LIST("french", kFrenchStopWords),
    NEWSIDX_STOP_LIST("german", kGermanStopWords),
    NEWSIDX_STOP_LIST("spanish", kSpanishStopWords),
    NEWSIDX_STOP_LIST("italian", kItalianStopWords),
    NEWSIDX_STOP_LIST("portuguese", kPortugueseStopWords),
    NEWSIDX_STOP_LIST("dutch", kDutchStopWords),
    NEWSIDX_STOP_LIST("russian", kRussianStopWords),
    NEWSIDX_STOP_LIST("arabic", kArabicStopWords),
    NEWSIDX_STOP_LIST("none", kUnstemmedStopWords),
};
#undef NEWSIDX_STOP_LIST

// The folded stop words of an analyzer; empty for one without a list. Folded once, on first
// use: every query parse asks for them.
const std::vector<std::string>& stop_words(std::string_view analyzer) {
    static const std::map<std::string_view, std::vector<std::string>> folded = [] {
        std::map<std::string_view, std::vector<std::string>> lists;
        for (const StopList& list : kStopLists)
            for (auto it = list.begin; it != list.end; ++it)
                lists[list.analyzer].push_back(fold(*it));
        return lists;
    }();
    static const std::vector<std::string> kNone;
    const auto found = folded.find(analyzer);
    return found == folded.end() ? kNone : found->second;
}

// Xapian's Arabic stemmer removes a final taa marbuta (المدرسة -> مدرس) but treats a final
// ha after a prefix as part of the word (المدرسه -> مدرسه). fold() writes both as ha, as
// readers do; give the stemmer the taa marbuta back, so that either spelling, with or without
// prefixes, meets the same stem. Words of three letters or fewer (a root, or a preposition
// with a pronoun: فيه, منه) are not stemmed: the stemmer folds their hamza and letters into
// other words' stems (فئة and فيه would both become فية, هيئة and هي alike).
class ArabicStemmer : public Xapian::StemImplementation {
  public:
    std::string operator()(const std::string& word) override {
        static const std::string kHa = "\xD9\x87", kTaaMarbuta = "\xD8\xA9";
        if (characters(word) < kShortestStemmed) return word;
        if (word.compare(word.size() - kHa.size(), kHa.size(), kHa) == 0)
            return inner_(word.substr(0, word.size() - kHa.size()) + kTaaMarbuta);
        return inner_(word);
    }
    std::string get_description() const override { return "newsidx arabic"; }

  private:
    static constexpr std::size_t kShortestStemmed = 4;
    Xapian::Stem inner_{"arabic"};
};

// The snippet generator stems each word of the stored text as it is written ("Straße",
// "Köln"); fold it first, as the indexer did, so that its stem meets the query's.
class FoldingStemmer : public Xapian::StemImplementation {
  public:
    explicit FoldingStemmer(Xapian::Stem inner) : inner_(std::move(inner)) {}
    std::string operator()(const std::string& word) override {
        return inner_(segment(fold(word), "", true));
    }
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

}  // namespace

bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80 || c == '_';
}

std::size_t characters(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
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
    UChar32 previous = 0;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        // The hamza leaves an alef (أ إ آ are one letter to readers) but stays on waw and yeh:
        // ئ and ؤ are letters of their own (هيئة is not هيه, مائة not ماية).
        const bool hamza_on_seat =
            (c == 0x0654 || c == 0x0655) && (previous == 0x0648 || previous == 0x064A);
        if (is_folded_mark(c) && !hamza_on_seat) continue;
        if (c >= 0x0622 && c <= 0x06FF) c = fold_arabic(c);
        if (c != 0) stripped.append(c);
        previous = c;
    }
    return normalized_utf8(nfc(), stripped, "composing");
}

LatinLetters latin_letters(std::string_view word) {
    LatinLetters out;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(word.data());
    const auto length = static_cast<std::int32_t>(word.size());
    for (std::int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        if (uscript_getScript(c, &status) != USCRIPT_LATIN || U_FAILURE(status)) continue;
        if (u_isupper(c) || u_istitle(c))
            ++out.upper;
        else if (u_islower(c))
            ++out.lower;
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

std::vector<std::pair<std::size_t, std::size_t>> word_spans(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    std::int32_t begin = -1;
    for (std::int32_t i = 0; i < length;) {
        const std::int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        bool word_char = c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0);
        // A point or comma between digits is part of the number ("6.85", "1,500").
        if (!word_char && (c == '.' || c == ',') && start > 0 && i < length &&
            std::isdigit(bytes[start - 1]) && std::isdigit(bytes[i]))
            word_char = true;
        if (word_char && begin < 0) begin = start;
        if (!word_char && begin >= 0) {
            spans.emplace_back(static_cast<std::size_t>(begin), static_cast<std::size_t>(start));
            begin = -1;
        }
    }
    if (begin >= 0) spans.emplace_back(static_cast<std::size_t>(begin), text.size());
    return spans;
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

// Distinct function words a Latin-script language other than English needs to be chosen
// (three misread a two-sentence French article as English; one let a stray "los" or "det"
// make Reuters tables Spanish or Swedish, and a table's nine "Y" columns made one Spanish:
// docs/languages.md).
constexpr int kMinLanguageEvidence = 2;

namespace {

// The language a non-Latin script that dominates the first 4 KB decides outright; empty for
// Latin script (or none).
std::string language_of_script(std::string_view text) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(std::min<std::size_t>(text.size(), 4096));
    std::map<UScriptCode, int> scripts;
    bool has_kana = false;
    int ukrainian = 0, russian = 0;  // letters only one of the two alphabets has
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        UScriptCode script = uscript_getScript(c, &status);
        if (U_FAILURE(status)) continue;
        if (script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA) has_kana = true;
        const UChar32 lower = u_tolower(c);
        if (lower == 0x0456 || lower == 0x0457 || lower == 0x0454 || lower == 0x0491)  // і ї є ґ
            ++ukrainian;
        else if (lower == 0x044B || lower == 0x044D || lower == 0x044A || lower == 0x0451)  // ы э ъ ё
            ++russian;
        ++scripts[script];
    }
    UScriptCode best = USCRIPT_LATIN;
    int best_count = 0;
    for (auto [script, count] : scripts)
        if (count > best_count) best = script, best_count = count;
    switch (best) {
        case USCRIPT_ARABIC:
            return "ar";
        case USCRIPT_CYRILLIC:
            return ukrainian > russian ? "uk" : "ru";
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
            return {};
    }
}

// Latin script: each language's most frequent function words that no other language in the
// list shares, counted in the first 4 KB.
std::string language_of_words(std::string_view text) {
    struct Words {
        std::string_view code;
        std::array<std::string_view, 12> words;  // unused places are empty
    };
    static constexpr std::array<Words, 10> kWords{{
        {"en", {"the", "and", "of", "to", "is", "that", "was", "with"}},
        {"fr", {"le", "les", "et", "est", "une", "dans", "pour", "qui"}},
        {"de", {"der", "die", "das", "und", "ist", "nicht", "mit", "auf"}},
        {"es", {"el", "los", "las", "y", "del", "por", "una", "para"}},
        {"it", {"il", "di", "che", "della", "nel", "sono", "gli", "non"}},
        {"pt",
         {"os", "da", "do", "em", "com", "uma", "nao", "dos", "pelo", "pela", "tambem", "sao"}},
        {"nl", {"het", "een", "van", "dat", "op", "niet", "zijn", "ook"}},
        {"sv", {"och", "att", "det", "som", "inte", "har", "med", "ett"}},
        {"fi", {"ja", "ei", "etta", "oli", "myos", "kun", "mutta", "ovat"}},
        {"tr", {"ve", "bir", "bu", "icin", "ile", "olarak", "cok", "daha"}},
    }};
    const std::string sample = fold(text.substr(0, 4096));
    std::map<std::string_view, int> hits;
    std::map<std::string_view, std::set<std::string_view>> distinct;
    for (std::size_t i = 0; i < sample.size();) {
        while (i < sample.size() && !std::isalpha(static_cast<unsigned char>(sample[i]))) ++i;
        std::size_t j = i;
        while (j < sample.size() && std::isalpha(static_cast<unsigned char>(sample[j]))) ++j;
        const std::string_view word(sample.data() + i, j - i);
        for (const auto& lang : kWords) {
            if (word.empty()) break;
            if (std::find(lang.words.begin(), lang.words.end(), word) != lang.words.end()) {
                ++hits[lang.code];
                distinct[lang.code].insert(word);
            }
        }
        i = j;
    }
    // English, the default, unless another language has real evidence: English wire copy
    // that is mostly figures ("Shr 1.65 dlrs vs 1.50 dlrs ... per share") has few function
    // words, and a stray "los" or "det" must not make it Spanish or Swedish.
    std::string_view winner = "en";
    int most = 0;
    for (const auto& lang : kWords)
        if (hits[lang.code] > most) winner = lang.code, most = hits[lang.code];
    if (winner != "en" &&
        (static_cast<int>(distinct[winner].size()) < kMinLanguageEvidence || most <= hits["en"]))
        winner = "en";
    return std::string(winner);
}

}  // namespace

std::string guess_language(std::string_view text) {
    std::string code = language_of_script(text);
    return code.empty() ? language_of_words(text) : code;
}

namespace {

// The languages newsidx names: ISO 639-1 code, English name, and the Xapian stemmer that
// per-article analysis uses for them ("none": folded, not stemmed).
struct Language {
    std::string_view code, name, stemmer;
};
constexpr std::array<Language, 31> kLanguages{{
    {"ar", "arabic", "arabic"},       {"ca", "catalan", "catalan"},
    {"da", "danish", "danish"},       {"de", "german", "german"},
    {"el", "greek", "none"},          {"en", "english", "english"},
    {"es", "spanish", "spanish"},     {"eu", "basque", "basque"},
    {"fa", "persian", "none"},        {"fi", "finnish", "finnish"},
    {"fr", "french", "french"},       {"ga", "irish", "irish"},
    {"he", "hebrew", "none"},         {"hu", "hungarian", "hungarian"},
    {"hy", "armenian", "armenian"},   {"id", "indonesian", "indonesian"},
    {"it", "italian", "italian"},     {"ja", "japanese", "none"},
    {"ko", "korean", "none"},         {"lt", "lithuanian", "lithuanian"},
    {"ne", "nepali", "nepali"},       {"nl", "dutch", "dutch"},
    {"no", "norwegian", "norwegian"}, {"pt", "portuguese", "portuguese"},
    {"ro", "romanian", "romanian"},   {"ru", "russian", "russian"},
    {"sv", "swedish", "swedish"},     {"ta", "tamil", "tamil"},
    {"th", "thai", "none"},           {"tr", "turkish", "turkish"},
    {"uk", "ukrainian", "none"},
}};
constexpr Language kChinese{"zh", "chinese", "none"};

const Language* find_language(std::string_view code_or_name) {
    const std::string key = ascii_lower(code_or_name);
    if (key == kChinese.code || key == kChinese.name) return &kChinese;
    for (const Language& l : kLanguages)
        if (key == l.code || key == l.name) return &l;
    return nullptr;
}

// Scripts written without spaces between words, which ICU's dictionary word break splits.
bool is_unspaced(UChar32 c) {
    if (c < 0x0E00) return false;
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(c, &status)) {
        case USCRIPT_HAN:
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
        case USCRIPT_THAI:
        case USCRIPT_LAO:
        case USCRIPT_KHMER:
        case USCRIPT_MYANMAR:
            return true;
        default:
            // The prolonged sound mark (コーヒー) and the iteration mark (人々) are "common".
            return c == 0x30FC || c == 0x3005;
    }
}

bool is_han(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    return c >= 0x2E80 && uscript_getScript(c, &status) == USCRIPT_HAN;
}

// Han, kana and Hangul: the scripts whose character pairs back up their words (han_pairs).
bool is_paired_script(UChar32 c) {
    if (c < 0x1100) return false;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
           script == USCRIPT_HANGUL || c == 0x30FC || c == 0x3005;
}

// True when `text` has a character `wanted` accepts; those of interest all start at U+0E00,
// so only three- and four-byte UTF-8 sequences are decoded (most text has none, or a few dashes
// and quotes).
bool has_char(std::string_view text, bool (*wanted)(UChar32)) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    for (std::int32_t i = 0; i < length;) {
        if (bytes[i] < 0xE0) {
            ++i;
            continue;
        }
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c >= 0 && wanted(c)) return true;
    }
    return false;
}

// One per thread: ICU's break iterators and transliterators keep state.
icu::BreakIterator& word_breaker() {
    thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> b(
            icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        detail::check_icu(status, "loading ICU's word break rules");
        return b;
    }();
    return *breaker;
}

icu::BreakIterator& sentence_breaker() {
    thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> b(
            // English abbreviations ("Mr.", "U.S.", "St.") do not end a sentence (CLDR's
            // suppressions, "ss=standard"); the rules are UAX #29's for every script.
            icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
        detail::check_icu(status, "loading ICU's sentence break rules");
        return b;
    }();
    return *breaker;
}

// Whether `sentence` ends with an abbreviation ("Dr.", "Gen.", "Corp.") or initials ("U.S.",
// "J."), after which ICU's rules see a sentence end before a capital.
bool ends_with_abbreviation(std::string_view sentence) {
    while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '\t')) sentence.remove_suffix(1);
    if (sentence.empty() || sentence.back() != '.') return false;
    std::string_view word = sentence.substr(sentence.find_last_of(" \t(\"'") + 1);
    if (word.empty()) return false;
    // Initials: letters, each followed by a point.
    bool initials = word.size() % 2 == 0;
    for (std::size_t i = 0; initials && i < word.size(); i += 2)
        initials = std::isalpha(static_cast<unsigned char>(word[i])) && word[i + 1] == '.';
    if (initials) return true;
    static constexpr std::array<std::string_view, 30> kAbbreviations{
        "Mr.",  "Mrs.", "Ms.",   "Dr.",   "St.",  "Mt.",   "Gen.", "Gov.", "Sen.", "Rep.",
        "Col.", "Lt.",  "Sgt.",  "Capt.", "Prof.", "Jr.", "Sr.",  "Inc.", "Co.",  "Corp.",
        "Ltd.", "No.",  "Jan.",  "Feb.",  "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "vs."};
    return std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end();
}

icu::Transliterator& to_simplified() {
    thread_local std::unique_ptr<icu::Transliterator> t = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> made(
            icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
        detail::check_icu(status, "loading ICU's Traditional-Simplified transliterator");
        return made;
    }();
    return *t;
}

}  // namespace

std::string segment(std::string_view text, std::string_view separator, bool simplify) {
    if (!has_char(text, is_unspaced)) return std::string(text);
    const icu::UnicodeString s = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const icu::UnicodeString sep = icu::UnicodeString::fromUTF8(
        icu::StringPiece(separator.data(), static_cast<int32_t>(separator.size())));
    icu::UnicodeString out;
    int32_t i = 0;
    while (i < s.length()) {
        UChar32 c = s.char32At(i);
        if (!is_unspaced(c)) {
            out.append(c);
            i += U16_LENGTH(c);
            continue;
        }
        // A run of unspaced letters (with their combining marks).
        const int32_t start = i;
        bool han = false;
        while (i < s.length()) {
            c = s.char32At(i);
            if (!is_unspaced(c) && (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_MC_MASK)) == 0) break;
            han = han || is_han(c);
            i += U16_LENGTH(c);
        }
        // Split as written (the dictionary knows Japanese words in their Japanese forms),
        // then fold traditional characters to simplified ones.
        icu::UnicodeString run(s, start, i - start);
        icu::BreakIterator& breaker = word_breaker();
        breaker.setText(run);
        icu::UnicodeString words;
        int32_t from = breaker.first();
        for (int32_t to = breaker.next(); to != icu::BreakIterator::DONE;
             from = to, to = breaker.next()) {
            if (from > 0) words.append(sep);
            words.append(run, from, to - from);
        }
        if (han && simplify) to_simplified().transliterate(words);
        out.append(words);
    }
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
}

std::vector<std::string> han_pairs(std::string_view folded, bool singles) {
    std::vector<std::string> out;
    if (!has_char(folded, is_paired_script)) return out;
    const icu::UnicodeString s = icu::UnicodeString::fromUTF8(
        icu::StringPiece(folded.data(), static_cast<int32_t>(folded.size())));
    for (int32_t i = 0; i < s.length();) {
        if (!is_paired_script(s.char32At(i))) {
            i += U16_LENGTH(s.char32At(i));
            continue;
        }
        const int32_t start = i;
        while (i < s.length() && is_paired_script(s.char32At(i))) i += U16_LENGTH(s.char32At(i));
        icu::UnicodeString run(s, start, i - start);
        to_simplified().transliterate(run);
        std::vector<std::string> chars;
        for (int32_t k = 0; k < run.length();) {
            const UChar32 c = run.char32At(k);
            std::string utf8;
            icu::UnicodeString(c).toUTF8String(utf8);
            chars.push_back(std::move(utf8));
            k += U16_LENGTH(c);
        }
        if (singles || chars.size() == 1) out.insert(out.end(), chars.begin(), chars.end());
        for (std::size_t k = 0; k + 1 < chars.size(); ++k) out.push_back(chars[k] + chars[k + 1]);
    }
    return out;
}

std::string stemmer_language(std::string_view lang) {
    std::string name = ascii_lower(lang);
    if (name == "none" || name == kAutoAnalysis) return name;
    if (const Language* l = find_language(name)) name = std::string(l->stemmer);
    if (name == "none") return name;
    try {
        Xapian::Stem stem(name);
    } catch (const Xapian::InvalidArgumentError&) {
        throw Error(ErrorCode::BadOption, "unknown stemming language '" + std::string(lang) + "'")
            .with_hint("choose one of: auto none " + Xapian::Stem::get_available_languages());
    }
    return name;
}

std::string analyzer_for(std::string_view code) {
    const Language* l = find_language(code);
    return l ? std::string(l->stemmer) : std::string("none");
}

std::string analyzer_language(std::string_view analyzer) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kVariants{
        {{"porter", "en"},
         {"lovins", "en"},
         {"earlyenglish", "en"},
         {"german2", "de"},
         {"kraaij_pohlmann", "nl"}}};
    for (const auto& [name, code] : kVariants)
        if (analyzer == name) return std::string(code);
    if (analyzer == "none") return {};
    for (const Language& l : kLanguages)
        if (l.stemmer == analyzer) return std::string(l.code);
    return {};
}

std::string language_code(std::string_view code_or_name) {
    const Language* l = find_language(code_or_name);
    if (!l) {
        std::string known;
        for (const Language& k : kLanguages)
            known += (known.empty() ? "" : " ") + std::string(k.code);
        throw Error(ErrorCode::BadOption, "unknown language '" + std::string(code_or_name) + "'")
            .with_hint("use an ISO 639-1 code or its English name: " + known + " zh");
    }
    return std::string(l->code);
}

Analyzer::Analyzer(std::string_view language)
    : name_(language.empty() ? std::string("english") : stemmer_language(language)) {}

Analyzer Analyzer::for_article(std::string_view code) const {
    return per_article() ? Analyzer(analyzer_for(code)) : *this;
}

Xapian::Stem Analyzer::stemmer() const {
    if (!stems()) return Xapian::Stem();
    if (name_ == "arabic") return Xapian::Stem(new ArabicStemmer);
    return Xapian::Stem(name_);
}

Xapian::Stem Analyzer::snippet_stemmer() const {
    return Xapian::Stem(new FoldingStemmer(stemmer()));
}

void Analyzer::configure(Xapian::TermGenerator& generator) const {
    // Words of unspaced scripts come split by segment(), not as Xapian's CJK n-grams.
    generator.set_flags(0);
    if (stems()) {
        generator.set_stemmer(stemmer());
        generator.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    } else {
        generator.set_stemmer(Xapian::Stem());
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
    const std::vector<std::string>& words = stop_words(name_);
    if (!words.empty())
        parser.set_stopper((new Xapian::SimpleStopper(words.begin(), words.end()))->release());
}

std::set<std::string> Analyzer::stop_terms() const {
    std::set<std::string> terms;
    const Xapian::Stem stem = stemmer();
    for (const std::string& word : stop_words(name_)) {
        terms.insert(word);
        terms.insert(stem(word));
    }
    return terms;
}

std::vector<std::string_view> sentences(std::string_view text) {
    std::vector<std::string_view> out;
    if (text.empty()) return out;
    // ASCII text with no sentence end is one sentence: no breaker needed.
    if (is_ascii(text) && text.find_first_of(".!?") == std::string_view::npos) return {text};
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<UText, UText* (*)(UText*)> ut(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status),
        utext_close);
    detail::check_icu(status, "reading text for ICU's sentence breaks");
    icu::BreakIterator& breaker = sentence_breaker();
    // The breaker must not keep the text, which dies with the caller's: whatever happens, it
    // is given an empty one again.
    static const icu::UnicodeString kNothing;
    struct Release {
        icu::BreakIterator& breaker;
        ~Release() { breaker.setText(kNothing); }
    } release{breaker};
    breaker.setText(ut.get(), status);
    detail::check_icu(status, "finding ICU's sentence breaks");
    std::int32_t from = breaker.first();
    for (std::int32_t to = breaker.next(); to != icu::BreakIterator::DONE; to = breaker.next()) {
        const std::string_view sentence =
            text.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from));
        // ICU's suppressions know "Mr." but not "Dr." or "U.S.": a sentence that ends with an
        // abbreviation or initials goes on into the next.
        if (!out.empty() && ends_with_abbreviation(out.back()))
            out.back() = text.substr(static_cast<std::size_t>(out.back().data() - text.data()),
                                     out.back().size() + sentence.size());
        else
            out.push_back(sentence);
        from = to;
    }
    return out;
}

}  // namespace newsidx
