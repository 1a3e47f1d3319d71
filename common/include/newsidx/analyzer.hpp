// Text analysis shared by the indexer and the searcher, so that both fold text alike:
// Unicode NFKC, full case folding and removal of accents, then Xapian's word splitting
// (with CJK n-grams) and stemming.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace newsidx {

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

}  // namespace newsidx
