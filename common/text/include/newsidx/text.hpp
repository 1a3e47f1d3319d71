// What the front ends check of text before they hand it to the engine: UTF-8, and language
// names (the analyzers themselves are the text layer's own, analyzer.hpp).
#pragma once

#include <string>
#include <string_view>

namespace newsidx {

/// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

/// Analyzer name for an indexer --lang value: "auto", "english", "french", ..., or "none";
/// takes Xapian's stemmer names, ISO 639-1 codes and English language names ("uk" and
/// "ukrainian", which have no stemmer, give "none"). Throws Error(BadOption) for a language
/// it does not know.
std::string stemmer_language(std::string_view lang);

/// The ISO 639-1 code of a language given by code or English name ("fr", "French").
/// Throws Error(BadOption) for one it does not know.
std::string language_code(std::string_view code_or_name);

}  // namespace newsidx
