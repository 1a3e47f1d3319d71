#include "snippet.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "analyzer.hpp"
#include "document.hpp"
#include "query_builder.hpp"
#include "ranking_model.hpp"
#include "schema.hpp"

namespace newsidx {
namespace {

// Marks that delimit highlights inside Xapian's snippet; control characters never occur in
// stored text (the reader rejects files with them).
constexpr char kHiStart = '\x01';
constexpr char kHiEnd = '\x02';
constexpr char kWordBreak = '\x03';

// Xapian's snippet escapes text for HTML; turn it back into plain text.
bool take_entity(std::string_view s, std::size_t* i, std::string* out) {
    static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities{
        {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}};
    for (auto [entity, c] : kEntities) {
        if (s.substr(*i, entity.size()) == entity) {
            *out += c;
            *i += entity.size();
            return true;
        }
    }
    return false;
}

// The opening of `text`, about `length` bytes cut at a space (or at a character boundary in
// text without spaces), with an ellipsis when cut; nothing highlighted.
Snippet opening(const std::string& text, unsigned length) {
    Snippet snippet;
    if (text.size() <= length) {
        snippet.text = text;
        return snippet;
    }
    std::size_t cut = text.rfind(' ', length);
    if (cut == std::string::npos || cut < length / 2) {
        cut = length;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    }
    snippet.text = text.substr(0, cut) + "\xE2\x80\xA6";
    return snippet;
}

}  // namespace

SnippetTerms snippet_terms(const Xapian::Query& query) {
    // Xapian's snippet generator recognises a stemmed word only as a "Z"-prefixed term, but
    // the index holds stems without a prefix (and title stems under "S"): name each stem
    // both ways so that every matched word is highlighted.
    SnippetTerms out;
    std::vector<Xapian::Query> terms;
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
        const std::string& term = *it;
        if (!schema::is_text_term(term)) continue;  // filters (site, date, ...) are not words
        std::string word(schema::word_of(term));
        if (std::find(out.stems.begin(), out.stems.end(), word) != out.stems.end()) continue;
        terms.emplace_back(word);
        terms.emplace_back("Z" + word);
        out.stems.push_back(std::move(word));
    }
    out.query = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    return out;
}

namespace {

// A word of the text where a query stem may be: its byte offset and the stem's index.
struct WindowMatch {
    std::size_t at, stem;
};

// Each stem less its last character: what a word of another script must hold before it is
// stemmed to make sure.
std::vector<std::string> stem_cores(const std::vector<std::string>& stems) {
    std::vector<std::string> cores;
    for (const std::string& stem : stems) {
        std::size_t most = stem.size();
        do --most;
        while (most > 0 && (static_cast<unsigned char>(stem[most]) & 0xC0) == 0x80);
        cores.push_back(stem.substr(0, most > 0 ? most : stem.size()));
    }
    return cores;
}

// Where words start that begin like a query stem ("guarantees" for "guarante"; one letter
// less, so that "policy" is found for "polici"), or contain it (CJK runs). `ascii_only` says
// whether every word of the text is ASCII.
std::vector<WindowMatch> stem_matches(std::string_view text, const std::vector<std::string>& stems,
                                      const Xapian::Stem* stemmer, bool* ascii_only) {
    const std::vector<std::string> cores = stem_cores(stems);
    std::vector<WindowMatch> matches;
    std::string word;
    *ascii_only = true;
    std::size_t pos = 0;
    for (std::string_view raw = next_word(text, &pos); !raw.empty(); raw = next_word(text, &pos)) {
        word.clear();
        bool ascii_word = true;
        for (char ch : raw) {
            const auto c = static_cast<unsigned char>(ch);
            if (c >= 0x80) ascii_word = false;
            word += static_cast<char>(std::tolower(c));
        }
        *ascii_only = *ascii_only && ascii_word;
        std::optional<std::string> stemmed;  // the word as the indexer stemmed it, when needed
        for (std::size_t k = 0; k < stems.size(); ++k) {
            const std::string& stem = stems[k];
            const bool cjk = static_cast<unsigned char>(stem[0]) >= 0xE3;
            bool match;
            if (ascii_word || !stemmer) {
                const std::size_t head = stem.size() > 4 ? stem.size() - 1 : stem.size();
                match = word.compare(0, head, stem, 0, head) == 0 ||
                        (cjk && word.find(stem) != std::string::npos);
            } else {
                // Other scripts have prefixes (Arabic ال, لل) and letters that fold: a word
                // that holds most of the stem is stemmed as the indexer did to make sure.
                match = cjk && word.find(stem) != std::string::npos;
                if (!match && word.find(cores[k]) != std::string::npos) {
                    if (!stemmed) stemmed = (*stemmer)(std::string(raw));
                    match = *stemmed == stem;
                }
            }
            if (match) {
                matches.push_back({static_cast<std::size_t>(raw.data() - text.data()), k});
                break;
            }
        }
    }
    return matches;
}

// Where the span with the most distinct query words, then the most matches, starts.
std::size_t densest_start(const std::vector<WindowMatch>& matches, std::size_t stems,
                          std::size_t span) {
    std::vector<int> seen(stems, 0);
    int distinct = 0, best_distinct = -1;
    std::size_t best_count = 0, left = 0, begin = 0;
    for (std::size_t right = 0; right < matches.size(); ++right) {
        if (seen[matches[right].stem]++ == 0) ++distinct;
        while (matches[right].at - matches[left].at > span) {
            if (--seen[matches[left].stem] == 0) --distinct;
            ++left;
        }
        const std::size_t count = right - left + 1;
        if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
            best_distinct = distinct;
            best_count = count;
            begin = matches[left].at;
        }
    }
    return begin;
}

// `at` moved to a space near it (within a quarter span, forward or back), or else to a
// character boundary (text without spaces).
std::size_t to_boundary(std::string_view text, std::size_t at, bool forward, std::size_t span) {
    if (at == 0 || at >= text.size()) return at;
    const std::size_t space = forward ? text.find(' ', at) : text.rfind(' ', at);
    if (space != std::string_view::npos && (forward ? space - at : at - space) < span / 4)
        return forward ? space + 1 : space;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return at;
}

}  // namespace

std::pair<std::size_t, std::size_t> match_window(std::string_view text,
                                                 const std::vector<std::string>& stems,
                                                 std::size_t span, const Xapian::Stem* stemmer) {
    if (text.size() <= span || stems.empty()) return {0, text.size()};
    bool ascii_only = true;
    const std::vector<WindowMatch> matches = stem_matches(text, stems, stemmer, &ascii_only);
    std::size_t begin = 0;
    if (matches.empty()) {
        // Nothing found by this cheap scan: in plain ASCII that means the match is in the
        // title only, so the opening will do; other text may need Xapian's full folding.
        if (!ascii_only) return {0, text.size()};
    } else {
        // The densest three quarters of a span, with a quarter before it for context.
        const std::size_t context = span / 4;
        begin = densest_start(matches, stems.size(), span - context);
        begin = begin > context ? begin - context : 0;
        // A passage near the end takes a whole span too.
        if (begin + span > text.size()) begin = text.size() - span;
    }
    const std::size_t end = std::min(text.size(), begin + span);
    return {to_boundary(text, begin, true, span), to_boundary(text, end, false, span)};
}

Snippet make_snippet(const Xapian::MSet& mset, const std::string& text, const Xapian::Stem& stemmer,
                     unsigned length, const std::vector<std::string>& stems) {
    // No words to look for (a date- or site-only query): the opening of the text.
    if (stems.empty()) return opening(text, length);
    Snippet snippet;
    // The passage is chosen here (match_window: where the query's words are densest, with
    // context before them) and Xapian highlights it whole. Its own choice weighs the passage's
    // other words by their frequency in the set (SNIPPET_BACKGROUND_MODEL), asked one word at a
    // time: for a set with remote shards a round trip per word and shard, some 1,500 for a
    // page of ten.
    const auto [begin, end] = match_window(text, stems, std::size_t{1} * length, &stemmer);
    const std::string part = text.substr(begin, end - begin);
    // Words of unspaced scripts are split as the indexer split them, by a separator byte that
    // Xapian reads as a word boundary and that never occurs in stored text; it is taken out
    // below.
    const std::string words = segment(part, std::string(1, kWordBreak), false);
    // A passage that match_window could not place (no word found by its scan) is the whole
    // text, and Xapian cuts it where the words are.
    const std::size_t cut = part.size() <= length ? words.size() : length;
    const std::string marked =
        mset.snippet(words, cut, stemmer, Xapian::MSet::SNIPPET_EXHAUSTIVE,
                     std::string(1, kHiStart), std::string(1, kHiEnd), "\xE2\x80\xA6");
    std::size_t start = 0;
    for (std::size_t i = 0; i < marked.size();) {
        if (marked[i] == kHiStart) {
            start = snippet.text.size();
            ++i;
        } else if (marked[i] == kHiEnd) {
            // CJK n-grams come back one character at a time: join touching highlights.
            if (!snippet.highlights.empty() && snippet.highlights.back().second == start)
                snippet.highlights.back().second = snippet.text.size();
            else
                snippet.highlights.emplace_back(start, snippet.text.size());
            ++i;
        } else if (marked[i] == kWordBreak) {
            ++i;
        } else if (marked[i] != '&' || !take_entity(marked, &i, &snippet.text)) {
            snippet.text += marked[i++];
        }
    }
    // Xapian marks omissions relative to the part it saw: where its snippet runs to an edge
    // of the part that is not an edge of the text, mark the cut too.
    const std::string kEllipsis = "\xE2\x80\xA6";
    const std::size_t probe = std::min<std::size_t>(snippet.text.size(), 16);
    if (begin > 0 && part.compare(0, probe, snippet.text, 0, probe) == 0) {
        snippet.text.insert(0, kEllipsis);
        for (auto& [b, e] : snippet.highlights) b += kEllipsis.size(), e += kEllipsis.size();
    }
    if (end < text.size() && part.size() >= probe &&
        part.compare(part.size() - probe, probe, snippet.text, snippet.text.size() - probe,
                     probe) == 0)
        snippet.text += kEllipsis;
    // The words matched the title only: a passage of the body that has none of them says less
    // than the body's opening.
    if (snippet.highlights.empty()) return opening(text, length);
    return snippet;
}

Snippet SnippetMaker::of(const StoredRecord& record, const std::string& analyzer) {
    std::string body = record.body;
    std::replace(body.begin(), body.end(), '\n', ' ');
    auto stemmer = stemmers_.find(analyzer);
    if (stemmer == stemmers_.end())
        stemmer = stemmers_.emplace(analyzer, Analyzer(analyzer).snippet_stemmer()).first;
    const ForAnalyzer& part = for_analyzer(analyzer);
    return make_snippet(part.weights, body, stemmer->second, length_, part.words.stems);
}

const SnippetMaker::ForAnalyzer& SnippetMaker::for_analyzer(const std::string& analyzer) {
    const auto& by_analyzer = built_.terms_by_analyzer;
    const std::string key =
        by_analyzer.size() > 1 && by_analyzer.count(analyzer) ? analyzer : std::string();
    if (const auto found = parts_.find(key); found != parts_.end()) return found->second;
    const Xapian::Query whole = built_.combined();
    std::vector<std::string> terms(whole.get_unique_terms_begin(), whole.get_unique_terms_end());
    if (!key.empty()) {
        const std::vector<std::string>& own = by_analyzer.at(key);
        // A word, bare or as the title-words evidence's title term, that another analyzer's
        // parse holds and this one's does not.
        const auto foreign = [&](const std::string& term) {
            if (!schema::is_text_term(term)) return false;
            const std::string word(schema::word_of(term));
            if (std::find(own.begin(), own.end(), word) != own.end()) return false;
            for (const auto& [other, theirs] : by_analyzer)
                if (other != key && std::find(theirs.begin(), theirs.end(), word) != theirs.end())
                    return true;
            return false;
        };
        terms.erase(std::remove_if(terms.begin(), terms.end(), foreign), terms.end());
    }
    ForAnalyzer part;
    part.words = snippet_terms(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    // Xapian highlights a word the weights name, and where it cuts a passage itself (one that
    // match_window could not place) it weighs each query word by its idf (log N/df, from the
    // whole set's counts): BM25's weight bound would depend on each shard's document lengths.
    part.weights = ranking::snippet_weights(db_, part.words.query);
    return parts_.emplace(key, std::move(part)).first->second;
}

}  // namespace newsidx
