// Text analysis shared by the indexer and the searcher, so that both fold text alike:
// Unicode NFKC, full case folding and removal of accents, then Xapian's word splitting
// (with CJK n-grams) and stemming.
#pragma once

#include <xapian.h>

#include <array>
#include <set>
#include <string>
#include <string_view>

namespace newsidx {

/// A byte that the query syntax's and snippets' cheap scans count as part of a word: an ASCII
/// letter or digit, '_', or any byte of a multi-byte UTF-8 character.
bool is_word_byte(char c);

/// The next run of word bytes (is_word_byte) in `text` at or after `*pos`, moving `*pos` past
/// it; empty at the end of the text.
std::string_view next_word(std::string_view text, std::size_t* pos);

/// NFKC + full case folding + accent removal: "Straße" -> "strasse", "Café" -> "cafe",
/// "ﬁnance" -> "finance", full-width Latin -> ASCII. ASCII input is lower-cased only.
/// Invalid UTF-8 sequences are replaced by U+FFFD.
std::string fold(std::string_view text);

/// The query parser's operators, in the upper case they must be typed in (NEAR and ADJ may
/// carry a distance: NEAR/3).
inline constexpr std::array<std::string_view, 6> kQueryOperators{"AND", "OR",   "NOT",
                                                                 "XOR", "NEAR", "ADJ"};

/// Folds the words of a query as fold() does, but keeps the operators the query parser
/// needs in upper case (AND, OR, NOT, XOR, NEAR, NEAR/n, ADJ, ADJ/n).
std::string fold_query(std::string_view query);

/// The words of `text`, folded as fold() does and joined by single spaces: every run of
/// characters that are neither letters, digits nor combining marks becomes one space, and
/// leading and trailing ones are dropped. "U.S. trade -- deficit" -> "u s trade deficit".
/// Two texts have the same key when they are the same words in the same order.
std::string word_key(std::string_view text);

/// NFC normalisation, for stored text (titles and bodies are displayed as NFC).
std::string to_nfc(std::string_view text);

/// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

/// ISO 639-1 code of the text's language, guessed from its script and common words:
/// "ar", "ru", "el", "he", "zh", "ja", "ko", "th", or among Latin-script languages
/// "en", "fr", "de", "es", "it", "pt", "nl"; "en" when nothing else fits.
std::string guess_language(std::string_view text);

/// Xapian stemmer name for a --lang value: "english", "french", ..., or "none".
/// Throws Error(BadOption) for a language Xapian cannot stem.
std::string stemmer_language(std::string_view lang);

/// How the text of one language becomes terms: folding (fold()), Xapian's word splitting
/// with CJK n-grams, the stemmer and the stop words. The indexer analyses each article with
/// one, the query parser parses a query with the same one, and snippets stem with it, so the
/// three cannot drift apart. Cheap to copy; every stemmer it hands out is a new object (Xapian's
/// reference counts are not atomic, so threads must not share one).
class Analyzer {
  public:
    /// `language`: a --lang value or Xapian stemmer name ("en", "english", "none"); empty
    /// means english. Throws Error(BadOption) for a language Xapian cannot stem.
    explicit Analyzer(std::string_view language = {});

    /// The stemmer name: "english", "french", ..., or "none".
    const std::string& name() const { return name_; }
    bool stems() const { return name_ != "none"; }

    /// A new stemmer (an empty one for "none").
    Xapian::Stem stemmer() const;
    /// A stemmer for MSet::snippet: folds each word as fold() does, then stems it.
    Xapian::Stem snippet_stemmer() const;

    /// Sets the stemmer and strategy of an index-time term generator.
    void configure(Xapian::TermGenerator& generator) const;
    /// Sets the stemmer, strategy and stop words of a query parser.
    void configure(Xapian::QueryParser& parser) const;

    /// Its stop words as index terms (each word and its stem); empty for a language without a
    /// stop list. More-like-this leaves them out.
    std::set<std::string> stop_terms() const;

    /// With stems in the index, "guarantee*" must expand over stems ("guarante..."): cuts each
    /// wildcard's word (a word followed by '*') back to what it shares with its own stem.
    std::string cut_wildcards(const std::string& query) const;

  private:
    std::string name_;
};

}  // namespace newsidx
