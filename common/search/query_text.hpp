// The query language, before any index is asked: the text a user typed is lexed into tokens,
// rewritten by passes over the tokens (each a function below, in the order they run), and
// joined into the text Xapian's QueryParser reads. Nothing here needs an index; the table tests
// in tests/unit/query_language_test.cpp run every pass on its own.
//
//   typed text ─ lex ─ is_headline, check_operators ─ fold_tokens ─ rewrite_dates
//     ─ rewrite_langs ─ dots_as_punctuation ─ join_field_filters   = Rewritten::unsplit
//     ─ segment ─ drop_exclusions                                  = Rewritten::folded,
//   which each analyzer parses (query_parser.hpp: cut_wildcards, WildcardSlots, QueryParser).
//
// A token is what Xapian's parser separates by white space: a word, an operator, a field and
// its value, a phrase's first or last word with its quote, with the brackets and + / - marks
// typed against it. Each keeps the column where it started in the typed text, for messages.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx::query {

/// One white-space separated piece of a query.
struct Token {
    std::string text;        ///< as typed, or as a pass rewrote it
    std::size_t column = 0;  ///< where it starts in the text that was lexed (bytes, 0-based)
    std::string space;       ///< the white space after it (empty for the last)
    bool quoted = false;     ///< inside a "phrase", or opening or closing one
};

/// The tokens of `text` (white space: the C locale's isspace) and the white space before the
/// first one. join(lex(t)) == t.
struct Tokens {
    std::string lead;
    std::vector<Token> tokens;
};
Tokens lex(std::string_view text);
std::string join(const Tokens& tokens);

/// The fields a single date: period becomes (one boolean term each: exact, free counts); not
/// for users to type, but harmless if they do.
inline constexpr std::string_view kYearField = "dateyear:";
inline constexpr std::string_view kMonthField = "datemonth:";
inline constexpr std::string_view kDayField = "dateday:";

/// Whether `name` is a boolean filter field of queries (site, lang, and the date fields above).
bool is_boolean_field(std::string_view name);

/// The query parser's operators, in the upper case they must be typed in (NEAR and ADJ may
/// carry a distance: NEAR/3).
inline constexpr std::string_view kOperators[] = {"AND", "OR",  "NOT",      "XOR",
                                                 "NEAR", "ADJ", "SENTENCE", "PARAGRAPH"};

/// The operator `word` is: "AND", "OR", "NOT", "XOR", "NEAR" or "ADJ" for the word itself or,
/// for NEAR and ADJ, followed by /DIGITS; nullopt for any other word ("ANDROID", "NEAR/x").
std::optional<std::string_view> operator_of(std::string_view word);
/// The operator `token` starts with, typed in capitals ("NEAR" for "NEAR/3"), or empty.
std::string_view operator_prefix(std::string_view token);
/// "NEAR" or "ADJ" when `token` is one of them written as a proximity operator, with or
/// without a distance, well formed or not ("NEAR", "ADJ/3", "NEAR/x"); empty otherwise.
std::string_view proximity_of(std::string_view token);

/// A token without the brackets and marks typed against it: leading '(' (and, with
/// `marks`, '+' and '-'), trailing ')'.
std::string_view core_of(std::string_view token, bool marks);

/// Issue #25: a pasted wire headline ("FED NOT EXPECTED TO ADD RESERVES"): its Latin-script
/// words (white-space separated tokens with a Latin letter: U.S. is one) are all capitals, and
/// at least three of them are not operators. In one, AND, OR, NOT,
/// XOR, NEAR and ADJ are words, and so is a word with a leading '-', as inside quotes.
bool is_headline(const Tokens& typed);
/// Whether a token is an operator or starts with '-' (what a headline reads as words).
bool has_operators(const Tokens& typed);

/// Refuses what Xapian's parser would read as something broader than the user wrote, naming
/// the column of `typed` (the text as typed): NEAR/ADJ with a distance that is not a whole
/// number of at least 1, NEAR/ADJ beside a "phrase", a wildcard at the start of a word, and
/// Lucene's "phrase"~N. In a headline, NEAR and ADJ are words. Throws Error(BadQuery).
void check_operators(const Tokens& typed, std::string_view query, bool headline);

/// Folds each token as fold() does (case, accents, width, Arabic letter variants), except an
/// operator, which the parser needs in upper case; in a headline the operators fold as words
/// and a leading '-' goes. Returns the folded text, lexed again (folding can make brackets
/// and quotes of full-width ones).
Tokens fold_tokens(const Tokens& typed, bool headline);

/// date: values checked and rewritten as Xapian's DateRangeProcessor takes them: a range
/// FROM..TO as days (date:20220101..20220630, either end open), one day, month or year as its
/// boolean term's field (dateday:20220208, datemonth:202202, dateyear:2022). A date: field
/// starts wherever the byte before it is not a word byte; its value runs to white space or
/// ')'. Throws Error(BadQuery) for a value that is no date.
void rewrite_dates(Tokens& tokens);
/// lang: values as ISO 639-1 codes (lang:french -> lang:fr). Throws Error(BadQuery) for an
/// unknown language.
void rewrite_langs(Tokens& tokens);
/// Issue #25: ".." outside a date: value or another field's value is punctuation, not a range
/// (3,691 SaudiNewsNet titles have one): each run of dots becomes a space. Returns whether
/// one did.
bool dots_as_punctuation(Tokens& tokens);
/// Filters on one field OR together and AND with the words, as Omega treats boolean prefixes:
/// the ORs between filters of one field go, and the brackets around only such filters. Joins
/// the tokens with single spaces.
void join_field_filters(Tokens& tokens);

/// Splits the runs of unspaced scripts (Chinese, Japanese, Thai, ...) into words: a run of
/// several words typed together becomes the phrase of its words ("恢复通车" -> "\"恢复 通车\"",
/// title:"北京 地铁", +"北京 地铁"); next to NEAR or ADJ each of its words takes part in it.
void segment(Tokens& tokens);

/// A query of only excluded words ("-sport", "-talks -sport") means the articles without them:
/// the marks go and true is returned, for the caller to negate the parse. False (and nothing
/// changes) otherwise.
bool drop_exclusions(Tokens& tokens);

/// Whether every token is a bare word (no quotes, brackets, fields, + or -, wildcards or
/// operators) or a filter (is_filter_token()), with one word at least. Only such a query gets
/// the ranking evidence and the character-pair fallback; its filters narrow it as the
/// options' do (QueryBuilder).
bool bare_words(const Tokens& tokens);

/// A filter token of a query: a boolean field or a date with its value, no parentheses or
/// quotes ("site:bbc.co.uk", "date:1987-03..1987-04", "month:198703").
bool is_filter_token(std::string_view text);

/// With stems in the index, "guarantee*" must expand over stems ("guarante..."): each wildcard's
/// word (a word followed by '*') is cut back to what it shares with its own stem, when that is
/// two bytes or more. `stem` gives a word's stem; the query as it is when it is null.
std::string cut_wildcards(const std::string& folded,
                          const std::function<std::string(const std::string&)>& stem);

/// What the query text passes make of a query, before the per-analyzer steps.
struct Rewritten {
    std::string unsplit;  ///< folded, dates and fields rewritten, not yet segmented
    std::string folded;   ///< what every analyzer's parse reads (before wildcards are cut)
    bool negative = false;  ///< only excluded words: the parse is to be negated
    /// A pasted all-capitals headline (is_headline()) whose operator words or leading '-' were
    /// read as words.
    bool headline = false;
    bool dots = false;  ///< dots_as_punctuation() changed the text
};

/// Runs the passes above, in order, on `query` (already checked by check_query_text()). With
/// `plain`, the query is words only: everything that is not a word byte separates words, and
/// only folding and segmenting apply. Throws Error(BadQuery).
Rewritten rewrite(const std::string& query, bool plain);

/// The passes for one token list, as strings (the tests' and the old API's form).
std::string fold_query(std::string_view query);
std::string segment_query(std::string_view folded);

/// The syntax error Xapian reported for `query`, said with the column of the operator that
/// has nothing on one side when there is one: " at column 7: AND needs a word or phrase on
/// both sides"; else ": " and Xapian's message.
std::string describe_syntax_error(const std::string& query, const std::string& xapian_msg);

}  // namespace newsidx::query
