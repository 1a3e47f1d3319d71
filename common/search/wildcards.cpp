#include "wildcards.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "analyzer.hpp"
#include "query_text.hpp"
#include "schema.hpp"

namespace newsidx::query {
namespace {

constexpr std::string_view kTitleField = "title:";

bool ends_with_title_field(const std::string& text) {
    return text.size() >= kTitleField.size() &&
           text.compare(text.size() - kTitleField.size(), kTitleField.size(), kTitleField) == 0;
}

// Whether the token before text[begin] or the one from text[end] on is NEAR or ADJ (with or
// without /N).
bool beside_proximity(std::string_view text, std::size_t begin, std::size_t end) {
    while (begin > 0 && text[begin - 1] != ' ') --begin;  // title:word*, +word*
    std::size_t before_end = begin;
    while (before_end > 0 && text[before_end - 1] == ' ') --before_end;
    std::size_t before = before_end;
    while (before > 0 && text[before - 1] != ' ') --before;
    while (end < text.size() && text[end] != ' ') ++end;  // the rest of word*'s token
    while (end < text.size() && text[end] == ' ') ++end;
    std::size_t after = end;
    while (after < text.size() && text[after] != ' ') ++after;
    return !proximity_of(text.substr(before, before_end - before)).empty() ||
           !proximity_of(text.substr(end, after - end)).empty();
}

// The `keep` most frequent terms of `db` that start with `start`, most frequent first (ties:
// the first in term order); empty when there are none.
std::vector<std::string> most_frequent(const Xapian::Database& db, const std::string& start,
                                       std::size_t keep) {
    std::vector<std::pair<Xapian::doccount, std::string>> terms;
    for (auto t = db.allterms_begin(start); t != db.allterms_end(start); ++t)
        terms.emplace_back(t.get_termfreq(), *t);
    keep = std::min(keep, terms.size());
    std::partial_sort(terms.begin(), terms.begin() + static_cast<std::ptrdiff_t>(keep),
                      terms.end(), [](const auto& a, const auto& b) {
                          return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    std::vector<std::string> out;
    for (std::size_t k = 0; k < keep; ++k) out.push_back(std::move(terms[k].second));
    return out;
}

}  // namespace

std::string WildcardSlots::take(const std::string& text, bool words) {
    slots_.clear();
    std::string out;
    for (std::size_t i = 0;;) {
        const std::size_t open = text.find('"', i);
        const std::size_t close =
            open == std::string::npos ? std::string::npos : text.find('"', open + 1);
        const std::string_view outside = std::string_view(text).substr(
            i, open == std::string::npos ? std::string::npos : open - i);
        if (words)
            out += take_words(outside);
        else
            out.append(outside);
        if (open == std::string::npos) break;
        if (close == std::string::npos) {  // an unclosed quote: a phrase to the end, as it is
            out.append(text, open);
            break;
        }
        take_phrase(std::string_view(text).substr(open + 1, close - open - 1), out);
        i = close + 1;
    }
    return out;
}

std::string WildcardSlots::take_words(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_word_byte(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && is_word_byte(text[j])) ++j;
        const std::string_view word = text.substr(i, j - i);
        const bool after_colon = i > 0 && text[i - 1] == ':';
        const bool in_title = ends_with_title_field(out);
        // Other fields (site:, lang:, date:) are Xapian's to read as they are, and so is
        // a wildcard beside NEAR or ADJ, which take only Xapian's own wildcards (expanded
        // in each shard of a set: docs/scale-out.md).
        if (j >= text.size() || text[j] != '*' || (after_colon && !in_title) ||
            beside_proximity(text, i, j + 1)) {
            out.append(word);
            i = j;
            continue;
        }
        if (in_title) out.resize(out.size() - kTitleField.size());
        out += std::string(kField) + ":" + std::to_string(slots_.size());
        slots_.push_back({in_title ? std::string(schema::kTitle.prefix) : std::string(),
                          {{std::string(word), true}},
                          true});
        i = j + 1;
    }
    return out;
}

void WildcardSlots::take_phrase(std::string_view inside, std::string& out) {
    if (inside.find('*') == std::string_view::npos) {
        out += '"';
        out.append(inside);
        out += '"';
        return;
    }
    Slot slot;
    if (ends_with_title_field(out)) {
        out.resize(out.size() - kTitleField.size());
        slot.prefix = schema::kTitle.prefix;
    }
    for (std::size_t pos = 0;;) {
        const std::string_view word = next_word(inside, &pos);
        if (word.empty()) break;
        const bool wild = pos < inside.size() && inside[pos] == '*';
        slot.words.push_back({std::string(word), wild});
    }
    out += " " + std::string(kField) + ":" + std::to_string(slots_.size()) + " ";
    slots_.push_back(std::move(slot));
}

Xapian::Query WildcardExpander::operator()(const std::string& value) {
    const std::size_t n = std::strtoul(value.c_str(), nullptr, 10);
    const std::vector<WildcardSlots::Slot>& slots = slots_.slots();
    // A query that matches nothing but is not empty (an empty one would read as "no words").
    if (n >= slots.size()) return Xapian::Query(Xapian::Query::OP_WILDCARD, value);
    const WildcardSlots::Slot& slot = slots[n];
    if (slot.bare) return expand(slot.prefix + slot.words.front().text);
    return phrases(slot);
}

Xapian::Query WildcardExpander::phrases(const WildcardSlots::Slot& slot) {
    std::size_t wildcards = 0;
    for (const WildcardSlots::Word& w : slot.words) wildcards += w.wild;
    // Each wildcard keeps this many expansions, so that their product stays in bounds.
    const auto per_wildcard = static_cast<std::size_t>(std::max(
        1.0, std::floor(std::pow(static_cast<double>(kMaxPhraseVariants),
                                 1.0 / static_cast<double>(std::max<std::size_t>(1, wildcards))) +
                        1e-9)));
    std::vector<std::vector<std::string>> choices;
    for (const WildcardSlots::Word& w : slot.words) {
        if (!w.wild) {
            choices.push_back({slot.prefix + (stems_ ? stem_(w.text) : w.text)});
            continue;
        }
        const std::string start = slot.prefix + w.text;
        choices.push_back(most_frequent(db_, start, per_wildcard));
        if (choices.back().empty()) return Xapian::Query(Xapian::Query::OP_WILDCARD, start);
    }
    // Every combination of the choices, as one phrase each.
    std::vector<Xapian::Query> phrases;
    std::vector<std::size_t> at(choices.size(), 0);
    for (;;) {
        std::vector<Xapian::Query> terms;
        for (std::size_t k = 0; k < choices.size(); ++k)
            terms.emplace_back(choices[k][at[k]], 1, static_cast<Xapian::termpos>(k + 1));
        phrases.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                             static_cast<Xapian::termcount>(terms.size()));
        std::size_t k = 0;
        while (k < choices.size() && ++at[k] == choices[k].size()) at[k++] = 0;
        if (k == choices.size()) break;
    }
    return Xapian::Query(Xapian::Query::OP_OR, phrases.begin(), phrases.end());
}

Xapian::Query WildcardExpander::expand(const std::string& start) const {
    std::vector<std::string> terms = most_frequent(db_, start, kMaxWildcardTerms);
    if (terms.empty()) return Xapian::Query(Xapian::Query::OP_WILDCARD, start);
    std::sort(terms.begin(), terms.end());
    std::vector<Xapian::Query> parts(terms.begin(), terms.end());
    return Xapian::Query(Xapian::Query::OP_SYNONYM, parts.begin(), parts.end());
}

}  // namespace newsidx::query
