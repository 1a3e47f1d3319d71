// The index format (schema 10): every term prefix, value slot and metadata key, one row each,
// with its meaning. The document builder, the query parser's fields, the snippet terms and
// feedback all read these rows; docs/schema.md describes the same table (a unit test checks
// that it names every row). Bump kSchemaVersion whenever anything below changes meaning.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace newsidx::schema {

/// Stored in the index metadata under kVersion; an index of another version is refused with
/// "re-index with: indexer --rebuild …". It also versions the stored record (document data).
inline constexpr int kSchemaVersion = 10;

/// Positions: each sentence of the body (ICU's sentence boundaries) starts kSentenceGap
/// positions after the last word of the one before, and each paragraph (and the body, after
/// the title) kParagraphGap after: a phrase does not run over a sentence's end, and the query
/// language's SENTENCE and PARAGRAPH are NEAR windows that one gap cannot fit in (schema 9).
inline constexpr Xapian::termpos kSentenceGap = 200;
inline constexpr Xapian::termpos kParagraphGap = 100000;
/// SENTENCE is NEAR/kSentenceNear: Xapian's window is kSentenceNear plus the number of words
/// (101 for two), less than a sentence gap (a sentence of more words is one for its nearest
/// ones only); PARAGRAPH is NEAR/kParagraphNear, less than a paragraph gap and more than a
/// paragraph of some hundred sentences spans.
inline constexpr unsigned kSentenceNear = 99;
inline constexpr unsigned kParagraphNear = 49999;
/// No gap past this position (a body of tens of thousands of paragraphs would otherwise
/// overflow Xapian's 32-bit positions): past it, SENTENCE and PARAGRAPH are NEAR/99 and
/// NEAR/49999 of the words as they come.
inline constexpr Xapian::termpos kLastGapAt = 3000000000U;

/// One kind of term. Free-text terms are case-folded, so they never start with a capital
/// letter; every prefix does, which is how a term's prefix is told from its text.
struct Prefix {
    std::string_view prefix;      ///< as stored in the index
    std::string_view query_name;  ///< as typed in a query before the colon; empty: not a field
    bool is_boolean;              ///< exact-match filter; false: analysed, weighted text
    bool has_positions;
    std::string_view meaning;
};

// clang-format off
inline constexpr Prefix kTitle{"S", "title", false, true, "title words, stemmed like the body"};
inline constexpr Prefix kId{"Q", "", true, false, "the URL, hashed if long: the unique id"};
inline constexpr Prefix kHost{"H", "site", true, false, "the host and its parent domains"};
inline constexpr Prefix kDay{"D", "", true, false, "publication day, YYYYMMDD"};
inline constexpr Prefix kMonth{"M", "", true, false, "publication month, YYYYMM"};
inline constexpr Prefix kYear{"Y", "", true, false, "publication year, YYYY"};
inline constexpr Prefix kLang{"L", "lang", true, false, "the article's language, ISO 639-1"};
inline constexpr Prefix kAnalyzer{"XA", "", true, false, "the analyzer it was indexed with"};
inline constexpr Prefix kExactTitle{"XT", "", false, false, "XXH3-64 of the title's words"};
inline constexpr Prefix kWrittenTitle{"XW", "", false, false, "XXH3-64 of the title as written"};
inline constexpr Prefix kBand{"XB", "", true, false, "near-duplicate band: band number, 2 minima"};
inline constexpr Prefix kCharPair{"XN", "", false, false, "adjacent Chinese/Japanese character pairs"};
// clang-format on

inline constexpr std::array<const Prefix*, 12> kPrefixes{
    &kTitle, &kId,       &kHost,       &kDay,          &kMonth, &kYear,
    &kLang,  &kAnalyzer, &kExactTitle, &kWrittenTitle, &kBand,  &kCharPair};

/// Unprefixed terms: body and title words, stemmed, with positions; title words count
/// kTitleWdf times.
inline constexpr Xapian::termcount kTitleWdf = 3;

/// One value slot.
struct Slot {
    Xapian::valueno slot;
    std::string_view name;
    std::string_view meaning;
};

// clang-format off
inline constexpr Slot kDateSlot{0, "date", "YYYYMMDD: ranges, sorting, timelines by day to year"};
inline constexpr Slot kHostSlot{1, "host", "the URL's host, lower case: facets per site"};
inline constexpr Slot kSignatureSlot{2, "signature", "MinHash of the body's word 3-grams"};
inline constexpr Slot kClusterSlot{3, "cluster", "near-duplicate cluster: its first date, id term"};
inline constexpr Slot kLanguageSlot{4, "language", "the article's language, ISO 639-1"};
inline constexpr Slot kOrderSlot{5, "order", "XXH3-64 of the id term: equal scores' order"};
inline constexpr Slot kStorySlot{6, "story", "the cluster key, then the article's date: stories per day"};
inline constexpr Slot kAddedSlot{7, "added", "the change that brought its URL into the index"};
inline constexpr Slot kChangedSlot{8, "changed", "the change that wrote it last"};
// clang-format on

inline constexpr std::array<const Slot*, 9> kSlots{
    &kDateSlot,  &kHostSlot,  &kSignatureSlot, &kClusterSlot, &kLanguageSlot,
    &kOrderSlot, &kStorySlot, &kAddedSlot,     &kChangedSlot};

/// `n` as 8 bytes, big-endian: the index's 64-bit numbers (the order slot, the change slots,
/// kElsewhere's fingerprints), so that values compare as numbers (Xapian compares bytes).
inline std::string big_endian(std::uint64_t n) {
    std::string v(8, '\0');
    for (int i = 7; i >= 0; --i, n >>= 8) v[static_cast<std::size_t>(i)] = static_cast<char>(n & 0xff);
    return v;
}
/// The number of big_endian()'s 8 bytes at the start of `bytes` (which has at least 8).
inline std::uint64_t from_big_endian(std::string_view bytes) {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < 8; ++i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
    return n;
}

/// kAddedSlot's and kChangedSlot's value: change number `n` (kChanges).
inline std::string change_value(std::uint64_t n) { return big_endian(n); }
/// The change number of a kAddedSlot or kChangedSlot value (0 for none).
inline std::uint64_t change_number(std::string_view value) {
    return value.size() == 8 ? from_big_endian(value) : 0;
}

/// kStorySlot's value: cluster key `key` of an article of `date` (YYYYMMDD).
inline std::string story_value(std::string_view key, std::string_view date) {
    return std::string(key) + std::string(date);
}

/// One metadata key (a key prefix when it ends in ':').
struct MetadataKey {
    std::string_view key;
    std::string_view meaning;
};

// clang-format off
inline constexpr MetadataKey kVersion{"newsidx.schema", "the schema version, kSchemaVersion"};
inline constexpr MetadataKey kLanguage{"newsidx.lang", "the index's analyzer: english, ..., none"};
/// Per source file: key + absolute path (hashed if long) -> "size mtime hash flag url\n", then
/// the path when the key is its hash (FileState::encode()).
inline constexpr MetadataKey kFile{"newsidx.file:",
                                   "per source file: size, mtime, hash, holds-its-article, URL"};
inline constexpr MetadataKey kShard{"newsidx.shard",
                                     "K/N: shard K of N, empty: a whole index"};
inline constexpr MetadataKey kClusters{"newsidx.clusters",
                                       "'stale' while cluster keys await a full recount"};
/// Per cluster of two or more articles: key + cluster key -> its members, a line each, date
/// and id term, earliest first.
inline constexpr MetadataKey kClusterMembers{"newsidx.cluster:",
                                             "per cluster of 2+: its members, earliest first"};
/// A shard's files whose articles are other shards': key + chunk number (4 digits) -> up to
/// 8,192 fingerprints of (path, size, mtime), 8 bytes each, big-endian, all chunks sorted.
inline constexpr MetadataKey kElsewhere{"newsidx.elsewhere:",
                                        "a shard's files of other shards: fingerprints, sorted"};
/// Each commit that writes articles takes the next change number and stamps it into their
/// kChangedSlot (and, for a URL new to the index, kAddedSlot): saved searches check the
/// articles changed after the last change they saw. A bulk merge is one change; a rebuild
/// continues the replaced index's numbers and keeps each URL's kAddedSlot.
inline constexpr MetadataKey kChanges{"newsidx.changes", "the last change number (decimal)"};
/// Drawn when an index is created, kept by every bulk merge and rebuild: a saved search's
/// watermark belongs to one index, and an index made again from nothing is another.
inline constexpr MetadataKey kIndexId{"newsidx.id", "16 hex digits drawn at creation"};
/// "going" from a new index's creation until its first run completes, then "ended N" (N: the
/// last change of that run): its articles are the archive, which saved searches do not take
/// for news (they start after change N). A stopped first run leaves it "going".
inline constexpr MetadataKey kFirstRun{"newsidx.first_run", "'going', then 'ended N'"};
/// kFirstRun's values: the first run is going; it ended with change `n`.
inline constexpr std::string_view kFirstRunGoing = "going";
inline std::string first_run_ended(std::uint64_t n) { return "ended " + std::to_string(n); }
/// The change a first run ended with, from kFirstRun's value; 0 while it goes on (or unknown).
inline std::uint64_t first_run_end(std::string_view value) {
    return value.starts_with("ended ") ? std::strtoull(std::string(value.substr(6)).c_str(), nullptr, 10)
                                       : 0;
}
// clang-format on

inline constexpr std::array<const MetadataKey*, 10> kMetadataKeys{
    &kVersion,   &kLanguage, &kFile,    &kShard,   &kClusters, &kClusterMembers,
    &kElsewhere, &kChanges,  &kIndexId, &kFirstRun};

/// Xapian's glass backend refuses terms longer than 245 bytes; longer ids are hashed.
inline constexpr std::size_t kMaxTermBytes = 240;

/// The index in kPrefixes of the row whose prefix `term` starts with (the longest such
/// prefix), or kPrefixes.size() for an unprefixed (free-text) term. (An index rather than a
/// pointer: GCC's -fsanitize=undefined makes pointer comparisons non-constant.)
constexpr std::size_t prefix_index(std::string_view term) {
    std::size_t found = kPrefixes.size();
    for (std::size_t i = 0; i < kPrefixes.size(); ++i) {
        const std::string_view p = kPrefixes[i]->prefix;
        if (term.substr(0, p.size()) == p &&
            (found == kPrefixes.size() || p.size() > kPrefixes[found]->prefix.size()))
            found = i;
    }
    return found;
}

/// The row whose prefix `term` starts with, or nullptr for an unprefixed (free-text) term.
inline const Prefix* prefix_of(std::string_view term) {
    const std::size_t i = prefix_index(term);
    return i < kPrefixes.size() ? kPrefixes[i] : nullptr;
}

/// True for a term that holds words of the text (unprefixed or a text field such as the
/// title): what snippets highlight.
constexpr bool is_text_term(std::string_view term) {
    const std::size_t i = prefix_index(term);
    return !term.empty() &&
           (i == kPrefixes.size() || (!kPrefixes[i]->is_boolean && kPrefixes[i]->has_positions));
}

/// The word a text term stands for, without its field prefix ("Ssecur" -> "secur").
constexpr std::string_view word_of(std::string_view term) {
    const std::size_t i = prefix_index(term);
    return i < kPrefixes.size() ? term.substr(kPrefixes[i]->prefix.size()) : term;
}

constexpr bool rows_are_unique() {
    for (std::size_t i = 0; i < kPrefixes.size(); ++i) {
        if (kPrefixes[i]->prefix.empty() || kPrefixes[i]->prefix[0] < 'A' ||
            kPrefixes[i]->prefix[0] > 'Z')
            return false;
        for (std::size_t j = i + 1; j < kPrefixes.size(); ++j)
            if (kPrefixes[i]->prefix == kPrefixes[j]->prefix) return false;
    }
    for (std::size_t i = 0; i < kSlots.size(); ++i)
        for (std::size_t j = i + 1; j < kSlots.size(); ++j)
            if (kSlots[i]->slot == kSlots[j]->slot) return false;
    return true;
}
static_assert(rows_are_unique());
static_assert(kPrefixes[prefix_index("XTabc")]->prefix == "XT" &&
              kPrefixes[prefix_index("Ssecur")]->prefix == "S" &&
              prefix_index("secur") == kPrefixes.size());
static_assert(is_text_term("secur") && is_text_term("Ssecur") && !is_text_term("Hbbc.co.uk"));

}  // namespace newsidx::schema
