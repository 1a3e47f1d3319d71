// "Did you mean": QueryBuilder::correction, in three steps — the words of the query that could
// be corrected, each one's correction (when it is a typo), and whether the corrected query
// finds what the query did not.
#include <algorithm>
#include <cctype>

#include "analyzer.hpp"
#include "newsidx/error.hpp"
#include "query_builder.hpp"
#include "query_text.hpp"

namespace newsidx {
namespace {

// Besides a query with fewer than kFewHits articles, one with a word in at most this many
// articles ("goverment") is looked at.
constexpr Xapian::doccount kRareWord = 10;
// A word with articles of its own is replaced only by a correction in this many times as many
// articles. Measured on the news corpora: typos stand at 270-2,400 times ("goverment" 10 against
// "government" 2,743; "securty" 1 against 2,361), real words at 4-40 ("fuer" 7 against "fuel"
// 252; "geneva" 75 against "general" 1,785; "news" against "new").
constexpr Xapian::doccount kWordGain = 100;
// ... and is at least this long, and in no title (the spelling dictionary).
constexpr std::size_t kMinCorrectedWithHits = 6;
// A query with a few hits gets a correction only if that finds this many times as many.
constexpr Xapian::doccount kQueryGain = 10;


// A word of the query that could be corrected: where it is in the query as typed, folded, and
// how many articles have it.
struct Word {
    std::size_t at, size;
    std::string folded;
    Xapian::doccount own;
};

// Articles with a word: the most that any analyzer of the set finds under its stem (terms are
// stems: the index has no unstemmed forms to count).
class ArticlesWith {
  public:
    ArticlesWith(const Xapian::Database& db, const std::vector<std::string>& analyzers) : db_(db) {
        for (const std::string& name : analyzers) stemmers_.push_back(Analyzer(name).stemmer());
    }
    Xapian::doccount operator()(const std::string& word) const {
        Xapian::doccount most = 0;
        for (const Xapian::Stem& stem : stemmers_) most = std::max(most, db_.get_termfreq(stem(word)));
        return most;
    }

  private:
    const Xapian::Database& db_;
    std::vector<Xapian::Stem> stemmers_;
};

// Whether `word` (of a query) is one to correct: not an operator, a wildcard's stem, a number,
// a word shorter than 4 bytes, or a word of an unspaced script (not in the dictionary as
// typed: they are split).
bool correctable(std::string_view token, std::size_t after, std::string_view word,
                 const std::string& folded) {
    if (after < token.size() && token[after] == '*') return false;
    if (std::find(std::begin(query::kOperators), std::end(query::kOperators), word) !=
        std::end(query::kOperators))
        return false;
    if (segment(folded) != folded) return false;
    return folded.size() >= 4 && !std::all_of(folded.begin(), folded.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

// The words that could be corrected: field values (site:, date:, lang:) are not; title: words
// are.
std::vector<Word> words_of(const std::string& raw, const ArticlesWith& articles_with) {
    std::vector<Word> words;
    for (const query::Token& t : query::lex(raw).tokens) {
        const std::string_view token = t.text;
        std::size_t pos = 0;
        if (const std::size_t colon = token.find(':'); colon != std::string_view::npos) {
            std::size_t field = 0;
            if (next_word(token, &field) != "title" || field != colon) continue;
            pos = colon + 1;
        }
        for (;;) {
            const std::string_view word = next_word(token, &pos);
            if (word.empty()) break;
            std::string folded = fold(word);
            if (!correctable(token, pos, word, folded)) continue;
            const Xapian::doccount own = articles_with(folded);
            words.push_back({t.column + static_cast<std::size_t>(word.data() - token.data()),
                             word.size(), std::move(folded), own});
        }
    }
    return words;
}

// A word in the spelling dictionary is in some article's title: a real word.
bool in_titles(const Xapian::Database& db, const std::string& word) {
    Xapian::TermIterator it = db.spellings_begin();
    it.skip_to(word);
    return it != db.spellings_end() && *it == word;
}

// The correction of `w`, or empty. A word with articles of its own is a typo only if it is
// long (short real words have many neighbours one letter away: "jute" and "june", "loin" and
// "loan"), no title has it, and no correction could be in kWordGain times as many articles as
// a common word.
std::string correction_of(const Word& w, const Xapian::Database& db,
                          const ArticlesWith& articles_with, bool few_hits) {
    if (w.own > 0 &&
        (w.folded.size() < kMinCorrectedWithHits || w.own > db.get_doccount() / kWordGain ||
         (!few_hits && w.own > kRareWord) || in_titles(db, w.folded)))
        return {};
    const std::string suggestion = db.get_spelling_suggestion(w.folded, w.folded.size() < 8 ? 1 : 2);
    if (suggestion.empty() || suggestion == w.folded) return {};
    const Xapian::doccount better = articles_with(suggestion);
    if (better == 0 || better < kWordGain * w.own) return {};
    return suggestion;
}

}  // namespace

std::string QueryBuilder::correction(const BuiltQuery& built, const Xapian::Database& db,
                                     Xapian::doccount hits) const {
    const ArticlesWith articles_with(db, analyzers_);
    const std::vector<Word> words = words_of(built.raw, articles_with);
    const bool few_hits = hits < kFewHits;
    if (!few_hits &&
        std::none_of(words.begin(), words.end(), [](const Word& w) { return w.own <= kRareWord; }))
        return {};
    const std::string& raw = built.raw;
    std::string corrected;
    std::size_t copied = 0;
    for (const Word& w : words) {
        const std::string suggestion = correction_of(w, db, articles_with, few_hits);
        if (suggestion.empty()) continue;
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
