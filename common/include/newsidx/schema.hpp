// The index format: every term prefix, value slot and metadata key in one place.
// Both the indexer and the query builder read from here; bump kSchemaVersion whenever
// anything below changes meaning.
#pragma once

#include <xapian.h>

#include <array>
#include <string_view>

namespace newsidx::schema {

/// Stored in the index metadata under kVersionKey; an index of another version is refused.
inline constexpr int kSchemaVersion = 2;

// Free-text terms are case-folded, so they never start with a capital letter; every
// prefix below does.
inline constexpr std::string_view kTitlePrefix = "S";  ///< title words, with positions
inline constexpr std::string_view kIdPrefix = "Q";     ///< unique id: the URL (hashed if long)
inline constexpr std::string_view kUrlPrefix = "U";    ///< the URL (hashed if long)
inline constexpr std::string_view kHostPrefix = "H";   ///< host and each parent domain
inline constexpr std::string_view kDayPrefix = "D";    ///< YYYYMMDD
inline constexpr std::string_view kMonthPrefix = "M";  ///< YYYYMM
inline constexpr std::string_view kYearPrefix = "Y";   ///< YYYY
inline constexpr std::string_view kLangPrefix = "L";   ///< ISO 639-1 language code
inline constexpr std::string_view kPathPrefix = "XP";  ///< source file path (hashed if long)
/// The whole title as one term (a hash of its word_key()), weighted: a query that repeats an
/// article's title word for word ranks that article first. Added in schema version 2.
inline constexpr std::string_view kExactTitlePrefix = "XT";

/// One row per field a query can name.
struct Field {
    std::string_view name;    ///< as typed in a query, without the colon
    std::string_view prefix;  ///< as stored in the index
    bool is_boolean;          ///< exact-match filter rather than analysed text
};
inline constexpr std::array<Field, 3> kQueryFields{{
    {"title", kTitlePrefix, false},
    {"site", kHostPrefix, true},
    {"lang", kLangPrefix, true},
}};

inline constexpr Xapian::valueno kDateSlot = 0;   ///< YYYYMMDD, for date ranges and sorting
inline constexpr Xapian::valueno kSizeSlot = 1;   ///< source file size in bytes (decimal)
inline constexpr Xapian::valueno kMtimeSlot = 2;  ///< source file mtime, ns since epoch (decimal)
inline constexpr Xapian::valueno kHashSlot = 3;   ///< XXH3-64 of the file bytes (16 hex digits)

/// Title words count this many times over body words in the unprefixed (ranked) terms.
inline constexpr Xapian::termcount kTitleWdf = 3;

/// Xapian's glass backend refuses terms longer than 245 bytes; longer ids are hashed.
inline constexpr std::size_t kMaxTermBytes = 240;

// Metadata keys.
inline constexpr std::string_view kVersionKey = "newsidx.schema";
inline constexpr std::string_view kLanguageKey = "newsidx.lang";
/// Per source file: kFileKeyPrefix + absolute path -> "size mtime hash url" (see FileState).
inline constexpr std::string_view kFileKeyPrefix = "newsidx.file:";

constexpr bool prefixes_are_unique() {
    constexpr std::array<std::string_view, 10> all{
        kTitlePrefix, kIdPrefix,   kUrlPrefix,  kHostPrefix, kDayPrefix,
        kMonthPrefix, kYearPrefix, kLangPrefix, kPathPrefix, kExactTitlePrefix};
    for (std::size_t i = 0; i < all.size(); ++i)
        for (std::size_t j = i + 1; j < all.size(); ++j)
            if (all[i] == all[j]) return false;
    return true;
}
static_assert(prefixes_are_unique());

}  // namespace newsidx::schema
