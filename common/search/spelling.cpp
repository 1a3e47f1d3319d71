// "Did you mean": QueryBuilder::correction, in three steps — the words of the query that could
// be corrected, each one's correction (when it is a typo), and whether the corrected query
// finds what the query did not. A correction is a word one letter away whose stem the index has
// (its own term list: every word of every article, with no spelling data to build), or else
// Xapian's suggestion from the titles' words (two letters away for long words).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "analyzer.hpp"
#include "newsidx/error.hpp"
#include "newsidx/stored_record.hpp"
#include "query_builder.hpp"
#include "query_text.hpp"
#include "ranking_model.hpp"

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
// A correction from the term list is a word of at least this many articles (a word of one may
// be a typo itself)...
constexpr Xapian::doccount kMinCorrectionArticles = 2;
// ... written so in one of the first this many articles with its stem (a string one letter away
// can stem to a real stem without being a word: "opecs").
constexpr unsigned kArticlesToRead = 10;
// The candidates tried in turn, best first, until one is found as written.
constexpr unsigned kCandidatesToCheck = 5;
// A shorter word is corrected from the term list only by a sound-alike letter: most short words
// are a letter from another ("seven" and "seen", "facet" and "face", "fold" and "food"), and a
// small index lacks many real ones. Under kMinChangedLetters, not by any other letter changed
// either ("accent" and "accept", "bounds" and "pounds").
constexpr std::size_t kMinEditedLetters = 6, kMinChangedLetters = 8;


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
    ArticlesWith(const Xapian::Database& db, const std::vector<std::string>& analyzers,
                 bool remote)
        : db_(db), remote_(remote) {
        for (const std::string& name : analyzers) stemmers_.push_back(Analyzer(name).stemmer());
    }
    Xapian::doccount operator()(const std::string& word) const { return most(word).second; }
    /// The stem of `word` that the most articles have, and their number.
    std::pair<std::string, Xapian::doccount> most(const std::string& word) const {
        std::pair<std::string, Xapian::doccount> best{"", 0};
        for (const Xapian::Stem& stem : stemmers_) {
            std::string term = stem(word);
            auto known = counted_.find(term);
            if (known == counted_.end())
                known = counted_.emplace(term, db_.get_termfreq(term)).first;
            if (known->second > best.second) best = {std::move(term), known->second};
        }
        return best;
    }
    /// Takes the counts of the terms of `query` from its match's statistics.
    void know(const Xapian::Query& query, const Xapian::MSet& matched) const {
        for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t)
            counted_.emplace(*t, matched.get_termfreq(*t));
    }
    /// Counts the stems of all of `words` not known yet at once (with a remote shard, one
    /// match instead of a round trip per stem and shard).
    void count(const std::vector<std::string>& words) const {
        std::vector<std::string> terms;
        for (const std::string& word : words)
            for (const Xapian::Stem& stem : stemmers_)
                if (std::string term = stem(word); !counted_.count(term))
                    terms.push_back(std::move(term));
        const std::vector<Xapian::doccount> n = ranking::frequencies(db_, terms, remote_);
        for (std::size_t i = 0; i < terms.size(); ++i) counted_.emplace(terms[i], n[i]);
    }

  private:
    const Xapian::Database& db_;
    bool remote_;
    std::vector<Xapian::Stem> stemmers_;
    mutable std::map<std::string, Xapian::doccount> counted_;
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
            words.push_back({t.column + static_cast<std::size_t>(word.data() - token.data()),
                             word.size(), std::move(folded), 0});
        }
    }
    std::vector<std::string> folded;
    for (const Word& w : words) folded.push_back(w.folded);
    articles_with.count(folded);
    for (Word& w : words) w.own = articles_with(w.folded);
    return words;
}

// Letters a typist puts for each other because they sound alike: "opek" is OPEC sooner than
// "open".
bool sound_alike(char a, char b) {
    for (const char* pair : {"ck", "cs", "sz", "kq", "iy"})
        if ((a == pair[0] && b == pair[1]) || (a == pair[1] && b == pair[0])) return true;
    return false;
}

// Whether `word` is only the letters a-z (folded Latin script: accents are gone).
bool a_to_z(const std::string& word) {
    return std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// The strings one edit from `word` (a letter dropped, added, changed, or two swapped), each with
// its cost: 0 for a sound-alike letter changed, 1 for a letter dropped, added or swapped, 2 for
// any other changed. Letters a-z only.
std::vector<std::pair<std::string, int>> one_edit(const std::string& word) {
    std::vector<std::pair<std::string, int>> out;
    for (std::size_t i = 0; i <= word.size(); ++i) {
        if (i < word.size()) out.emplace_back(word.substr(0, i) + word.substr(i + 1), 1);
        if (i + 1 < word.size() && word[i] != word[i + 1])
            out.emplace_back(word.substr(0, i) + word[i + 1] + word[i] + word.substr(i + 2), 1);
        for (char c = 'a'; c <= 'z'; ++c) {
            out.emplace_back(word.substr(0, i) + c + word.substr(i), 1);
            if (i < word.size() && c != word[i])
                out.emplace_back(word.substr(0, i) + c + word.substr(i + 1),
                                 sound_alike(c, word[i]) ? 0 : 2);
        }
    }
    return out;
}

// Whether one of the first kArticlesToRead articles with `term` has `word` as written (folded).
bool written_so(const Xapian::Database& db, const std::string& term, const std::string& word) {
    unsigned read = 0;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term) && read < kArticlesToRead;
         ++it, ++read) {
        const StoredRecord record = StoredRecord::of(db.get_document(*it));
        const std::string text = fold(record.title + "\n" + record.body);
        std::size_t pos = 0;
        for (std::string_view w = next_word(text, &pos); !w.empty(); w = next_word(text, &pos))
            if (w == word) return true;
    }
    return false;
}

// The word one letter from `w` (a word no article has) that the index has, in at least
// kMinCorrectionArticles articles: the cheapest edit, then the most articles; for
// a shorter word, only the cheaper edits (kMinEditedLetters, kMinChangedLetters).
// Empty for a word with letters other than a-z (Xapian's suggestion serves those).
std::string nearest_indexed_word(const Word& w, const Xapian::Database& db,
                                 const ArticlesWith& articles_with) {
    if (!a_to_z(w.folded)) return {};
    const int most = w.folded.size() < kMinEditedLetters    ? 0
                     : w.folded.size() < kMinChangedLetters ? 1
                                                            : 2;
    // (cost, fewer articles first when negated, the word), the term it stems to
    std::vector<std::tuple<int, long long, std::string, std::string>> found;
    std::set<std::string> seen;
    for (auto& [candidate, cost] : one_edit(w.folded)) {
        if (cost > most || candidate.size() < 2 || !seen.insert(candidate).second)
            continue;
        auto [term, articles] = articles_with.most(candidate);
        if (articles >= kMinCorrectionArticles)
            found.emplace_back(cost, -static_cast<long long>(articles), candidate, term);
    }
    std::sort(found.begin(), found.end());
    unsigned checked = 0;
    for (const auto& [cost, articles, candidate, term] : found) {
        if (++checked > kCandidatesToCheck) break;
        if (written_so(db, term, candidate)) return candidate;
    }
    return {};
}

// A word in the spelling dictionary is in some article's title: a real word.
bool in_titles(const Xapian::Database& db, const std::string& word) {
    Xapian::TermIterator it = db.spellings_begin();
    it.skip_to(word);
    return it != db.spellings_end() && *it == word;
}

// Whether `b` is `a` with a letter added or two neighbours swapped: what a typist leaves out
// ("goverment", "commuity") or turns round ("tragets"). A rare real word is as often one with a
// letter more than a common word, or one changed ("rafter" and "after", "statue" and "state",
// "robber" and "rubber").
bool adds_or_swaps_a_letter(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    if (b.size() == a.size() + 1) return a.compare(i, std::string::npos, b, i + 1) == 0;
    return b.size() == a.size() && i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.compare(i + 2, std::string::npos, b, i + 2) == 0;
}

// The correction of `w`, or empty. A word with articles of its own is a typo only if it is
// long (short real words have many neighbours one letter away: "jute" and "june", "loin" and
// "loan"), no title has it, no correction could be in kWordGain times as many articles as
// a common word, it is in Latin script (an Arabic word with a letter more or less is as often
// another word: "فالاقتصاد", "so the economy", is not a typo of "الاقتصاد"), and its
// correction, a title's word, is it with a letter added or two swapped. A word no article has
// is corrected from the index's own terms (`term_list`: not with a remote shard, where each
// candidate would be a round trip), else from the titles' words, two letters away when it has
// 8 letters or more.
std::string correction_of(const Word& w, const Xapian::Database& db,
                          const ArticlesWith& articles_with, bool few_hits, bool term_list) {
    const std::size_t length = characters(w.folded);  // not bytes: an Arabic letter is two
    if (w.own > 0 &&
        (length < kMinCorrectedWithHits || !a_to_z(w.folded) ||
         w.own > db.get_doccount() / kWordGain || (!few_hits && w.own > kRareWord) ||
         in_titles(db, w.folded)))
        return {};
    std::string suggestion;
    if (w.own == 0 && term_list) suggestion = nearest_indexed_word(w, db, articles_with);
    if (suggestion.empty())
        suggestion = db.get_spelling_suggestion(w.folded, w.own == 0 && length >= 8 ? 2 : 1);
    if (suggestion.empty() || suggestion == w.folded) return {};
    if (w.own > 0 && !adds_or_swaps_a_letter(w.folded, suggestion)) return {};
    const Xapian::doccount better = articles_with(suggestion);
    if (better == 0 || better < kWordGain * w.own) return {};
    return suggestion;
}

}  // namespace

std::string QueryBuilder::correction(const BuiltQuery& built, const Xapian::Database& db,
                                     Xapian::doccount hits, const Xapian::MSet* matched,
                                     bool* looked) const {
    const ArticlesWith articles_with(db, analyzers_, remote_ranking());
    if (matched) articles_with.know(built.text(), *matched);
    const std::vector<Word> words = words_of(built.raw, articles_with);
    const bool few_hits = hits < kFewHits;
    if (!few_hits &&
        std::none_of(words.begin(), words.end(), [](const Word& w) { return w.own <= kRareWord; }))
        return {};
    if (looked) *looked = true;
    const std::string& raw = built.raw;
    std::string corrected;
    std::size_t copied = 0;
    for (const Word& w : words) {
        const std::string suggestion =
            correction_of(w, db, articles_with, few_hits, !set_.has_remote());
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
