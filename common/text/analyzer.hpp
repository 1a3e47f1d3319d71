// Text analysis shared by the indexer and the searcher, so that both fold text alike:
// Unicode NFKC, full case folding, removal of accents and Arabic letter variants; words of
// unspaced scripts (Chinese, Japanese, Thai, ...) split by ICU's dictionaries; then Xapian's
// word splitting and the stemmer of the article's language (docs/languages.md).
#pragma once

#include <xapian.h>

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newsidx/text.hpp"

namespace newsidx {

/// A byte that the query syntax's and snippets' cheap scans count as part of a word: an ASCII
/// letter or digit, '_', or any byte of a multi-byte UTF-8 character.
bool is_word_byte(char c);

/// How many characters (code points) UTF-8 text has: its bytes that do not continue a sequence.
/// "تشاد" has 4, though 8 bytes.
std::size_t characters(std::string_view text);

/// The next run of word bytes (is_word_byte) in `text` at or after `*pos`, moving `*pos` past
/// it; empty at the end of the text.
std::string_view next_word(std::string_view text, std::size_t* pos);

/// NFKC + full case folding + accent removal: "Straße" -> "strasse", "Café" -> "cafe",
/// "ﬁnance" -> "finance", full-width Latin -> ASCII. ASCII input is lower-cased only.
/// Arabic script: alef with hamza or madda and alef wasla -> alef (ؤ and ئ stay), tatweel dropped,
/// taa marbuta -> ha, alef maqsura and Persian yeh -> yeh, Persian kaf -> kaf, Arabic-Indic digits
/// -> ASCII. Invalid UTF-8 sequences are replaced by U+FFFD.
std::string fold(std::string_view text);

/// Splits the runs of scripts written without spaces (Han, kana, Thai, Lao, Khmer, Burmese)
/// into words with ICU's dictionary word break, putting `separator` between them; with
/// `simplify`, traditional Chinese characters become simplified ones (ICU's
/// Traditional-Simplified), so that either form finds both. Other text is unchanged.
/// "恢复通车" -> "恢复 通车", "鐵路" -> "铁路".
std::string segment(std::string_view text, std::string_view separator = " ", bool simplify = true);

/// Each pair of adjacent characters in the runs of Han, kana and Hangul of `folded`, traditional
/// Chinese simplified: "北京大学生" -> 北京, 京大, 大学, 学生; with `singles`, each character
/// too, and a run of one character gives itself. Indexed beside the dictionary's words, they
/// find what a different split of the same characters misses (北京大学 in 北京|大学生).
std::vector<std::string> han_pairs(std::string_view folded, bool singles = false);

/// The words of `text`, folded as fold() does and joined by single spaces: every run of
/// characters that are neither letters, digits nor combining marks becomes one space, and
/// leading and trailing ones are dropped. "U.S. trade -- deficit" -> "u s trade deficit".
/// Two texts have the same key when they are the same words in the same order.
std::string word_key(std::string_view text);

/// The [begin, end) byte ranges of the words of `text` as written: runs of letters, digits and
/// combining marks, as word_key() splits them ("«النفط»،" has one, "U.S." two), a point or
/// comma between digits within a number ("6.85" is one).
std::vector<std::pair<std::size_t, std::size_t>> word_spans(std::string_view text);

/// The sentences of `text` (one paragraph, as written: ICU's rules read its capitals), by
/// ICU's sentence boundaries (UAX #29), each with the spaces that follow it; `text` when it has
/// no sentence end.
std::vector<std::string_view> sentences(std::string_view text);

/// The Latin letters of `word`, counted by case: a word with upper > 0 is a Latin-script word,
/// and all capitals when lower == 0 ("FED", "U.S.", "3RD"; "Fed" is not; "المملكة" has none).
struct LatinLetters {
    std::size_t upper = 0, lower = 0;
};
LatinLetters latin_letters(std::string_view word);

/// NFC normalisation, for stored text (titles and bodies are displayed as NFC).
std::string to_nfc(std::string_view text);

/// ISO 639-1 code of the text's language, guessed from its script and common words:
/// "ar", "ru", "uk", "el", "he", "zh", "ja", "ko", "th", or among Latin-script languages
/// "en", "fr", "de", "es", "it", "pt", "nl", "sv", "fi", "tr"; "en" when nothing else fits.
std::string guess_language(std::string_view text);

/// The indexer's --lang value for analysing each article in its own language.
inline constexpr std::string_view kAutoAnalysis = "auto";

/// The analyzer per-article analysis gives an article in language `code` (ISO 639-1): its
/// Snowball stemmer, or "none" (folded and segmented, not stemmed).
std::string analyzer_for(std::string_view code);

/// The ISO 639-1 code of the language an analyzer stems ("english", "porter" -> "en"); empty
/// for "none" and "auto".
std::string analyzer_language(std::string_view analyzer);

/// How the text of one language becomes terms: folding (fold()), segment(), Xapian's word
/// splitting, the stemmer and the stop words. An index's analyzer may be "auto": each article
/// then gets the analyzer of its own language (for_article()). The indexer analyses each article
/// with one, the query parser parses a query with the same one, and snippets stem with it, so the
/// three cannot drift apart. Cheap to copy; every stemmer it hands out is a new object (Xapian's
/// reference counts are not atomic, so threads must not share one).
class Analyzer {
  public:
    /// `language`: a --lang value or Xapian stemmer name ("en", "english", "none", "auto");
    /// empty means english. Throws Error(BadOption) for a language Xapian cannot stem.
    explicit Analyzer(std::string_view language = {});

    /// The stemmer name: "english", "french", ..., "none", or "auto".
    const std::string& name() const { return name_; }
    bool stems() const { return name_ != "none" && name_ != kAutoAnalysis; }
    /// True for "auto": each article is analysed in its own language.
    bool per_article() const { return name_ == kAutoAnalysis; }
    /// The analyzer of an article in language `code`: analyzer_for(code) when per_article(),
    /// else this one.
    Analyzer for_article(std::string_view code) const;

    /// A new stemmer (an empty one for "none").
    Xapian::Stem stemmer() const;
    /// A stemmer for MSet::snippet: folds each word as fold() does, then stems it.
    Xapian::Stem snippet_stemmer() const;

    /// Sets the stemmer, strategy and flags of an index-time term generator (text comes split
    /// by segment(), not as Xapian's CJK n-grams).
    void configure(Xapian::TermGenerator& generator) const;
    /// Sets the stemmer, strategy and stop words of a query parser.
    void configure(Xapian::QueryParser& parser) const;

    /// Its stop words as index terms (each word and its stem); empty for a language without a
    /// stop list. More-like-this leaves them out.
    std::set<std::string> stop_terms() const;

  private:
    std::string name_;
};

}  // namespace newsidx
