// Article -> Xapian::Document, following schema.hpp; and the small records stored with it.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer.hpp"
#include "article.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/stored_record.hpp"

namespace newsidx {

/// What the indexer remembers of a source file to skip it when unchanged.
struct FileState {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::string hash;  ///< content_hash() of the bytes
    std::string url;   ///< the article's URL; empty when the file was rejected
    /// The index holds this file's article. False when a later file with the same URL holds
    /// it ("the later path wins"), or when the file must be read again to bring its article
    /// back (the later file went); an indexer run reads such a file again once it wins.
    bool holds = true;

    std::string encode() const;
    static std::optional<FileState> decode(std::string_view text);
    bool operator==(const FileState&) const = default;
};

/// XXH3-64 of `bytes` as 16 lower-case hex digits.
std::string content_hash(std::string_view bytes);

/// prefix + value, or prefix + "#" + hash of value when that would exceed the term limit.
std::string bounded_term(std::string_view prefix, std::string_view value);

/// The analyzer that indexed `doc` (its kAnalyzer term); "english" when it has none.
std::string analyzer_of(const Xapian::Document& doc);

/// The id term (kId) of the article with URL `url`.
std::string id_term_of(std::string_view url);

/// XXH3-64 of an article's id term: the same number wherever and however the article is
/// indexed. It orders equal scores (order_key()) and picks the article's shard (shard_of()).
std::uint64_t id_hash(std::string_view id_term);

/// kOrderSlot's value: id_hash() as 8 big-endian bytes, so that byte order is number order.
std::string order_key(std::string_view id_term);

/// The exact-title term of a title (or of a query that repeats one): kExactTitlePrefix + XXH3-64
/// of its word_key(); empty when the text has no words.
std::string exact_title_term(std::string_view text);

/// The written-title term: kWrittenTitle + XXH3-64 of the title as written (NFC, runs of white
/// space as one space, trimmed; case and punctuation kept), which tells apart twins whose
/// titles differ only in punctuation («الأرصاد» تغرم / الأرصاد تغرم). Empty for blank text.
std::string written_title_term(std::string_view text);

/// Builds documents; one per thread (it owns a Xapian::TermGenerator).
class DocumentBuilder {
  public:
    explicit DocumentBuilder(const Analyzer& analyzer);

    struct Built {
        Xapian::Document doc;
        std::string id_term;                 ///< the Q term: replace_document() key
        std::vector<std::string> spellings;  ///< words to add to the spelling dictionary
        std::vector<std::string> bands;      ///< its near-duplicate band terms (clusters.hpp)
    };

    /// The document of `article`, read from the file at `path`.
    Built build(const Article& article, std::string_view path);

  private:
    // The text terms: title words (under kTitle and, kTitleWdf times, unprefixed), body words
    // (from `body` as written, by paragraph and sentence), character pairs.
    void index_words(Xapian::Document& doc, const std::string& title, const std::string& body,
                     const std::string& folded_title, const std::string& folded_body);
    // The words the title gives the spelling dictionary.
    std::vector<std::string> spellings(const std::string& title);

    Analyzer analyzer_;       // the index's: "auto" picks each article's own
    std::string configured_;  // the analyzer termgen_ is set up for
    Xapian::TermGenerator termgen_;
    Xapian::TermGenerator spellgen_;  // unstemmed title words for "did you mean"
};

}  // namespace newsidx
