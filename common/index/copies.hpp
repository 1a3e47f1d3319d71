// Whether one article is a copy of another: the exact test behind story clusters (issue #26;
// docs/news-features.md, "Near-duplicates"). MinHash (clusters.hpp) only proposes candidates;
// this reads both texts, lines their words up and decides.
//
// Two articles are copies when
//   0. their bodies are the same words, whatever their dates (a report republished word for
//      word is that report), or they were published at most kCopyDays apart: a report on a
//      template that comes back (a weekly meeting, a monthly tender) is another report;
//   1. their bodies share most of their words in order: the words they have in common, lined
//      up, are at least kCopyShare of the longer body's words, or (a trimmed copy) at least
//      kTrimmedShare of the shorter body's and kTrimmedFloor of the longer's;
//   2. no number or date differs where the two bodies differ: a stretch that one body has in
//      place of the other's holds numbers on both sides (digits, number words: "three" is 3,
//      and the words that give a figure its sign: "profit", "loss", "rose", "fell") and not
//      the same digits ("35 cts" against "40 cts"; "363 378" against "363378" is one
//      number written two ways), or month or weekday names on both sides and not the same,
//      or points of the compass on both sides and not the same (two days' weather reports);
//   3. no name differs there: such a stretch holds, on each side, a word that the other
//      article nowhere has and that spells (near_spelling) a word of its own headline that the
//      other article nowhere has either ("تشاد" against "النيجر" in two congratulations that
//      share every other word), and the two are not one spelling apart;
//   4. short bodies (under kShortBody words, such as dividend notices) whose headlines say
//      what the body does not (most headline words absent from the body) have headlines that
//      share at least kTitleOverlap of their words: two notices with one body and two
//      companies in their headlines are two reports.
// A "stretch" runs between two matches of two words or more (a single word that matches inside
// a changed passage belongs to it); the last stretch of two bodies of kShortBody words or more,
// when it has three words or more on both sides, is the outlets' own closing lines ("link to
// the story", "ended 7:21 pm") and is not read.
// Templated reports (dividends, weekly figures, congratulations, weather, casualty counts) are
// different events when their names, numbers or dates differ: rules 2 to 4 tell them apart.
// Measured on the labelled sets of bench/dups (docs/benchmarks.md, "Near-duplicates").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsidx {

inline constexpr long kCopyDays = 7;
inline constexpr double kCopyShare = 0.5;
/// Rule 1 for a trimmed copy: kTrimmedShare of the shorter body's words, and at least
/// kTrimmedFloor of the longer's.
inline constexpr double kTrimmedShare = 0.8;
inline constexpr double kTrimmedFloor = 0.4;
inline constexpr std::size_t kShortBody = 60;
inline constexpr double kTitleCover = 0.5;
inline constexpr double kTitleOverlap = 0.5;
/// Bodies with fewer words are no one's copy (as they get no signature: clusters.hpp).
inline constexpr std::size_t kMinCopyWords = 8;

/// An article's words as the copy test reads them: folded (fold()), split at every character
/// that is not a letter, digit or mark, digits apart from letters ("توفير44" is two words),
/// leading zeros dropped from numbers.
struct CopyText {
    std::vector<std::string> title;
    std::vector<std::string> body;
    std::optional<long> day;  ///< the publication day (calendar::day_number), when known
};

/// `date` YYYYMMDD, or empty when unknown (then rule 0 does not apply).
CopyText copy_text(std::string_view title, std::string_view body, std::string_view date = {});

enum class CopyVerdict {
    Copy,
    TooShort,       ///< a body under kMinCopyWords words
    TooFarApart,    ///< rule 0
    TooDifferent,   ///< rule 1
    NumbersDiffer,  ///< rule 2, numbers
    DatesDiffer,    ///< rule 2, months or weekdays
    PlacesDiffer,   ///< rule 2, points of the compass
    NamesDiffer,    ///< rule 3
    TitlesDiffer,   ///< rule 4
};

/// The test; symmetric: compare(a, b) == compare(b, a).
CopyVerdict compare_copies(const CopyText& a, const CopyText& b);

/// A stretch where two bodies differ: first[a_from, a_to) in place of second[b_from, b_to).
struct Stretch {
    std::size_t a_from = 0, a_to = 0, b_from = 0, b_to = 0;
    bool furniture = false;  ///< an outlet's own lines at the end: not read
    CopyVerdict verdict = CopyVerdict::Copy;
};

/// The test with its reasons: the stretches read, up to the one that decided. `swapped`: the
/// second argument was read first (the test reads the shorter body first).
struct CopyExplanation {
    CopyVerdict verdict = CopyVerdict::Copy;
    bool swapped = false;
    std::vector<Stretch> stretches;
};
CopyExplanation explain_copies(const CopyText& a, const CopyText& b);

/// A stretch where two word sequences agree: a[a_at, a_at + size) == b[b_at, b_at + size).
struct Match {
    std::size_t a_at = 0, b_at = 0, size = 0;
};

/// Stretches of a common subsequence of `a` and `b`, in order (not always the longest one:
/// words unique to both sides anchor it, then small gaps are filled exactly).
std::vector<Match> matching_words(const std::vector<std::string>& a,
                                  const std::vector<std::string>& b);

}  // namespace newsidx
