// Wildcards, expanded here against the terms of the whole index set rather than by Xapian's
// parser and matcher:
// - Xapian 1.4's PHRASE takes plain terms only, and its parser reads a wildcard inside a phrase
//   as the bare word ("security guarant*" looks for the term "guarant" and finds nothing). So a
//   phrase with wildcards is taken out of the text before parsing (WildcardSlots, a pass over
//   the query text that needs no index), replaced by a field the parser hands back to
//   WildcardExpander, and becomes an OR of phrases over each wildcard's most frequent
//   expansions: at most kMaxPhraseVariants phrases, shared out evenly when a phrase has several
//   wildcards.
// - A wildcard word (bank*, title:bank*) becomes the SYNONYM of its kMaxWildcardTerms most
//   frequent expansions, as Xapian's own wildcard would on one index. Xapian expands a wildcard
//   in each shard of a set on its own (its most frequent terms, and its weight, per shard), so
//   shards would rank it otherwise than one index of the same articles.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace newsidx::query {

/// A wildcard word at most expands to this many terms, the most common ones.
inline constexpr unsigned kMaxWildcardTerms = 1000;
/// A phrase with wildcards ("security guarant*") becomes at most this many phrases, over the
/// wildcards' most frequent expansions (10 each for two wildcards, 4 for three).
inline constexpr std::size_t kMaxPhraseVariants = 100;

/// The wildcard phrases and words of a query text, each in its slot.
class WildcardSlots {
  public:
    /// The field the parser is given for a slot: kField:N.
    static constexpr std::string_view kField = "xwildcardphrase";

    struct Word {
        std::string text;
        bool wild = false;
    };
    struct Slot {
        std::string prefix;  ///< the field's term prefix (title:), or empty
        std::vector<Word> words;
        bool bare = false;  ///< a wildcard word outside quotes
    };

    /// `text` with each quoted phrase (title: ones too) that has a wildcard, and (with `words`)
    /// each wildcard word outside quotes, replaced by kField:N; the slots are those of this
    /// text alone. A wildcard after another field (site:, lang:, date:) or beside NEAR or ADJ
    /// is left to Xapian.
    std::string take(const std::string& text, bool words);

    const std::vector<Slot>& slots() const { return slots_; }

  private:
    std::string take_words(std::string_view text);
    void take_phrase(std::string_view inside, std::string& out);

    std::vector<Slot> slots_;
};

/// Hands the parser the query of each slot: a wildcard word's SYNONYM, a wildcard phrase's OR
/// of phrases, over the terms of `db`.
class WildcardExpander : public Xapian::FieldProcessor {
  public:
    /// `stem`: the analyzer's stemmer, for a phrase's plain words (an empty one for none).
    WildcardExpander(const Xapian::Database& db, const WildcardSlots& slots, Xapian::Stem stem,
                     bool stems)
        : db_(db), slots_(slots), stem_(std::move(stem)), stems_(stems) {}

    Xapian::Query operator()(const std::string& value) override;

  private:
    Xapian::Query phrases(const WildcardSlots::Slot& slot);
    // The SYNONYM of the kMaxWildcardTerms most frequent terms that start with `start`, or a
    // query that matches nothing.
    Xapian::Query expand(const std::string& start) const;

    const Xapian::Database& db_;
    const WildcardSlots& slots_;
    Xapian::Stem stem_;
    bool stems_;
};

}  // namespace newsidx::query
