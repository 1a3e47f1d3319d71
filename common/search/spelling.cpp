#include <algorithm>
#include <cctype>

#include "analyzer.hpp"
#include "newsidx/error.hpp"
#include "query_builder.hpp"
#include "query_text.hpp"

namespace newsidx {

std::string QueryBuilder::correction(const BuiltQuery& built, const Xapian::Database& db,
                                     Xapian::doccount hits) const {
    std::vector<Xapian::Stem> stemmers;
    for (const std::string& name : analyzers_) stemmers.push_back(Analyzer(name).stemmer());
    // Articles with a word: the most that any analyzer of the set finds under its stem (terms
    // are stems: the index has no unstemmed forms to count).
    auto articles_with = [&](const std::string& word) {
        Xapian::doccount most = 0;
        for (Xapian::Stem& stem : stemmers) most = std::max(most, db.get_termfreq(stem(word)));
        return most;
    };
    // The words that could be corrected, with the articles that have them.
    struct Word {
        std::size_t at, size;
        std::string folded;
        Xapian::doccount own;
    };
    std::vector<Word> words;
    const std::string& raw = built.raw;
    for (const query::Token& t : query::lex(raw).tokens) {
        const std::string_view token = t.text;
        const std::size_t offset = t.column;
        // Field values (site:, date:, lang:) are not words to correct; title: words are.
        std::size_t pos = 0;
        if (const std::size_t colon = token.find(':'); colon != std::string_view::npos) {
            std::size_t field = 0;
            if (next_word(token, &field) != "title" || field != colon) continue;
            pos = colon + 1;
        }
        for (;;) {
            const std::string_view word = next_word(token, &pos);
            if (word.empty()) break;
            if (pos < token.size() && token[pos] == '*') continue;  // a wildcard's stem
            if (std::find(std::begin(query::kOperators), std::end(query::kOperators), word) !=
                std::end(query::kOperators))
                continue;
            std::string folded = fold(word);
            // Words of unspaced scripts are not in the dictionary as typed (they are split).
            if (segment(folded) != folded) continue;
            if (folded.size() < 4 || std::all_of(folded.begin(), folded.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c));
                }))
                continue;
            const Xapian::doccount own = articles_with(folded);
            words.push_back({offset + static_cast<std::size_t>(word.data() - token.data()),
                             word.size(), std::move(folded), own});
        }
    }
    const bool few_hits = hits < kFewHits;
    if (!few_hits &&
        std::none_of(words.begin(), words.end(), [](const Word& w) { return w.own <= kRareWord; }))
        return {};
    const Xapian::doccount articles = db.get_doccount();
    std::string corrected;
    std::size_t copied = 0;
    // A word in the spelling dictionary is in some article's title: a real word.
    auto in_titles = [&](const std::string& word) {
        Xapian::TermIterator it = db.spellings_begin();
        it.skip_to(word);
        return it != db.spellings_end() && *it == word;
    };
    for (const Word& w : words) {
        // A word with articles of its own is a typo only if it is long (short real words have
        // many neighbours one letter away: "jute" and "june", "loin" and "loan"), no title has
        // it, and no correction could be in kWordGain times as many articles as a common word.
        if (w.own > 0 && (w.folded.size() < kMinCorrectedWithHits || w.own > articles / kWordGain ||
                          (!few_hits && w.own > kRareWord) || in_titles(w.folded)))
            continue;
        const std::string suggestion =
            db.get_spelling_suggestion(w.folded, w.folded.size() < 8 ? 1 : 2);
        if (suggestion.empty() || suggestion == w.folded) continue;
        const Xapian::doccount better = articles_with(suggestion);
        if (better == 0 || better < kWordGain * w.own) continue;
        corrected.append(raw, copied, w.at - copied);
        corrected += suggestion;
        copied = w.at + w.size;
    }
    if (copied == 0) return {};
    corrected.append(raw, copied);
    // Offered only if it finds what the query did not.
    BuiltQuery built_correction;
    try {
        built_correction = build(corrected);
    } catch (const Error&) {
        return {};
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(built_correction.combined());
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::doccount found =
        enquire.get_mset(0, 0, kQueryGain * kFewHits + hits + 1).get_matches_lower_bound();
    if (found == 0 || (few_hits && found < kQueryGain * hits)) return {};
    return corrected;
}

}  // namespace newsidx
