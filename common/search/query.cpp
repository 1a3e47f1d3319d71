#include "newsidx/query.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <tuple>

#include "all_words.hpp"
#include "query_parser.hpp"
#include "query_text.hpp"
#include "analyzer.hpp"
#include "article.hpp"
#include "document.hpp"
#include "schema.hpp"
#include "newsidx/timeline.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace {

// The scale of one language's parse in a mixed index. Xapian weighs a word by how rare it is in
// the whole index, but an article matches only its own language's parse: a stem that every one
// of 13 pages in a minority language has (a title word the English analyzer leaves whole in
// Arabic text) is rare in the index and would outrank the real matches of the majority. Each
// parse is scaled by the ratio of its words' weights within its language's articles to their
// weights in the whole index (at most 1), which is what BM25 would give if each language were
// an index of its own.
double language_scale(const Xapian::Database& db, const Xapian::Query& parse,
                      const std::string& analyzer_term) {
    const double documents = db.get_doccount();
    const double own_documents = db.get_termfreq(analyzer_term);
    if (own_documents <= 0 || own_documents >= documents) return 1;
    double whole = 0, own = 0;
    for (auto it = parse.get_unique_terms_begin(); it != parse.get_unique_terms_end(); ++it) {
        if (!schema::is_text_term(*it)) continue;
        const double with_term = db.get_termfreq(*it);
        if (with_term == 0) continue;
        Xapian::Enquire count(db);
        count.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(*it),
                                      Xapian::Query(analyzer_term)));
        count.set_weighting_scheme(Xapian::BoolWeight());
        const double own_with_term =
            count.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
        whole += detail::bm25_idf(documents, with_term);
        own += detail::bm25_idf(own_documents, own_with_term);
    }
    return whole > 0 ? std::min(1.0, own / whole) : 1.0;
}

// Evidence beyond each word's own BM25 weight, for a ranked query of bare words (its parse
// ORs them): an article with every word (--all-words), with consecutive words near each other
// (--proximity, a sequential-dependence model), with the words in its title (--title-words).
// Xapian 1.4 weighs a phrase as the sum of its words' weights in the article, so the proximity
// and title bonuses are scaled copies of those; the all-words bonus weighs for itself, with a
// length normalisation of its own (AllWordsSource). OP_AND_MAYBE adds them without adding or
// removing a hit.
Xapian::Query with_evidence(const Xapian::Query& parse, const Xapian::Database& db,
                            const SearchOptions& options, bool all_words, bool remote) {
    std::vector<std::string> words;  // in query order, each once
    for (auto t = parse.get_terms_begin(); t != parse.get_terms_end(); ++t)
        if (std::find(words.begin(), words.end(), *t) == words.end()) words.push_back(*t);
    // Each leaf is weighed with its own wqf, so a copy weighs what the word does in the parse
    // and the parse's own weights are left as they were.
    std::vector<Xapian::Query> all(words.begin(), words.end());
    std::vector<Xapian::Query> bonuses;
    const auto scaled = [&](Xapian::Query query, double weight) {
        bonuses.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, std::move(query), weight);
    };
    if (all_words && options.all_words > 0 && words.size() >= 2 &&
        words.size() <= options.max_all_words_terms) {
        // Weighed by a source of its own: its length normalisation is not the ranking's. A
        // remote shard's server knows only Xapian's own query parts, so with one in the set
        // the bonus is the AND of the words at the ranking's normalisation (docs/architecture.md).
        if (remote)
            scaled(Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()), options.all_words);
        else
            bonuses.emplace_back(
                (new detail::AllWordsSource(
                     db, words, {options.bm25_k1, options.all_words_b, options.bm25_min_length},
                     options.all_words))
                    ->release());
    }
    if (words.size() >= 2 && words.size() <= kMaxProximityTerms) {
        // Weighed as Xapian weighs a phrase (the sum of its words' BM25 weights), by a source
        // that reads the positions itself: Xapian 1.4's OP_PHRASE and OP_NEAR, beside the
        // other optional parts, match some articles outside their window. A remote shard's
        // server knows only Xapian's own query parts.
        const auto near = [&](std::size_t i, Xapian::termpos span, bool ordered, double weight) {
            if (remote) {
                const std::array<Xapian::Query, 2> pair{all[i], all[i + 1]};
                scaled(Xapian::Query(ordered ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_NEAR,
                                     pair.begin(), pair.end(), span),
                       weight);
                return;
            }
            bonuses.emplace_back((new detail::AllWordsSource(
                                      db, {words[i], words[i + 1]},
                                      {options.bm25_k1, options.bm25_b, options.bm25_min_length},
                                      weight, {span, ordered}))
                                     ->release());
        };
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            if (options.ordered_proximity > 0)
                near(i, kOrderedWindow, true, options.ordered_proximity);
            if (options.unordered_proximity > 0)
                near(i, kUnorderedWindow, false, options.unordered_proximity);
        }
    }
    if (options.title_words > 0 && !words.empty()) {
        std::vector<Xapian::Query> in_title;
        for (const std::string& w : words)
            in_title.emplace_back(std::string(schema::kTitle.prefix) + w);
        scaled(Xapian::Query(Xapian::Query::OP_OR, in_title.begin(), in_title.end()),
               options.title_words);
    }
    if (bonuses.empty()) return parse;
    bonuses.insert(bonuses.begin(), parse);
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, bonuses.begin(), bonuses.end());
}

}  // namespace

std::pair<std::string, std::string> parse_period(const std::string& text, const std::string& what,
                                                 ErrorCode code) {
    std::string digits;
    for (char c : text)
        if (c != '-') digits += c;
    const bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    const bool dashes_fit = text.find('-') == std::string::npos ||
                            (text.size() == 7 && text[4] == '-') ||
                            (text.size() == 10 && text[4] == '-' && text[7] == '-');
    // A day of the period, checked; the reason names the period as the user wrote it.
    auto day = [&](const std::string& d) {
        const DateCheck check = parse_date(d);
        if (!check.yyyymmdd) {
            std::string reason = check.reason;
            if (const std::size_t at = reason.find(d); at != std::string::npos)
                reason.replace(at, d.size(), text);
            throw Error(code, what + ": " + reason);
        }
        return *check.yyyymmdd;
    };
    if (numeric && dashes_fit && digits.size() == 4)
        return {day(digits + "0101"), day(digits + "1231")};
    if (numeric && dashes_fit && digits.size() == 6)
        return {day(digits + "01"), digits + "31"};  // slot values compare as text
    if (numeric && dashes_fit && digits.size() == 8) {
        const std::string d = day(text);
        return {d, d};
    }
    throw Error(code, what + ": '" + text +
                          "' is not a date; use YYYYMMDD, YYYY-MM-DD, YYYY-MM or YYYY" +
                          (code == ErrorCode::BadQuery ? ", or a range FROM..TO of those" : ""));
}

Filters check_options(const SearchOptions& options) {
    Filters f;
    if (!options.since.empty())
        f.since = parse_period(options.since, "--since", ErrorCode::BadOption).first;
    if (!options.until.empty())
        f.until = parse_period(options.until, "--until", ErrorCode::BadOption).second;
    if (!f.since.empty() && !f.until.empty() && f.since > f.until)
        throw Error(ErrorCode::BadOption,
                    "--since " + options.since + " is after --until " + options.until);
    if (!options.site.empty()) {
        // A pasted URL (https://www.bbc.co.uk/news/...) means its host.
        const auto url =
            options.site.find("://") != std::string::npos ? url_host(options.site) : std::nullopt;
        f.host = fold(url ? *url : options.site);
        while (!f.host.empty() && f.host.back() == '.') f.host.pop_back();
        if (f.host.empty() || f.host.find_first_of(" /") != std::string::npos)
            throw Error(ErrorCode::BadOption, "--site: '" + options.site + "' is not a host name");
    }
    if (!options.language.empty()) f.language = language_code(options.language);
    if (!options.timeline.empty()) make_timeline(options.timeline, {});  // checks the period
    for (const std::string& facet : options.facets)
        if (std::find(kFacetFields.begin(), kFacetFields.end(), facet) == kFacetFields.end())
            throw Error(ErrorCode::BadOption, "--facet: '" + facet +
                                                  "' is not a field to count by; use site, year "
                                                  "or lang");
    if (options.recency_days < 0)
        throw Error(ErrorCode::BadOption, "--recency wants a half-life in days, above 0");
    if (!options.now.empty()) {
        const auto day = parse_period(options.now, "--now", ErrorCode::BadOption);
        if (day.first != day.second)
            throw Error(ErrorCode::BadOption,
                        "--now: '" + options.now + "' is not a day; use YYYYMMDD or YYYY-MM-DD");
        f.now = day.first;
    }
    // CLI11's range check lets "nan" through (it compares false both ways).
    if (!(options.title_words >= 0 && options.title_words <= 100))
        throw Error(ErrorCode::BadOption, "--title-words wants a weight from 0 to 100");
    if (!(options.title_boost >= 0 && options.title_boost <= 100))
        throw Error(ErrorCode::BadOption, "--title-boost wants a weight from 0 to 100");
    if (options.all_words_b < 0 || options.all_words_b > 1)
        throw Error(ErrorCode::BadOption, "--all-words wants B between 0 and 1");
    if (options.bm25_k1 < 0 || options.bm25_b < 0 || options.bm25_b > 1 ||
        options.bm25_min_length < 0 || options.bm25_min_length > 1)
        throw Error(ErrorCode::BadOption,
                    "--bm25 wants K1[,B[,L]] with K1 >= 0, 0 <= B <= 1 and 0 <= L <= 1");
    return f;
}

Xapian::BM25Weight bm25_weight(const SearchOptions& options) {
    return Xapian::BM25Weight(options.bm25_k1, 0, 1, options.bm25_b, options.bm25_min_length);
}

namespace {

// Comma-separated decimal numbers, "2" or "2,0.4" or "2,0.4,0.1": the first is needed, each
// later one optional (left as it was) unless a comma announces it. False for anything else,
// hex or exponents included ("0x1", "1e2").
bool parse_numbers(const std::string& s, std::initializer_list<double*> values) {
    std::size_t at = 0;
    for (double* value : values) {
        std::size_t end = s.find(',', at);
        if (end == std::string::npos) end = s.size();
        const std::string part = s.substr(at, end - at);
        if (part.find_first_of("0123456789") == std::string::npos ||
            part.find_first_not_of("+-0123456789.") != std::string::npos)
            return false;
        char* stop = nullptr;
        *value = std::strtod(part.c_str(), &stop);
        if (*stop != '\0' || !std::isfinite(*value)) return false;
        if (end == s.size()) return true;
        at = end + 1;
    }
    return false;  // a comma after the last value
}

}  // namespace

void parse_bm25(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double k1 = 0, b = options.bm25_b, shortest = options.bm25_min_length;
    if (!parse_numbers(s, {&k1, &b, &shortest}) || k1 < 0 || b < 0 || b > 1 || shortest < 0 ||
        shortest > 1)
        throw Error(
            ErrorCode::BadOption,
            "--bm25 wants K1[,B[,L]] with K1 >= 0, 0 <= B <= 1 and 0 <= L <= 1, got '" + s + "'");
    options.bm25_k1 = k1;
    options.bm25_b = b;
    options.bm25_min_length = shortest;
}

void parse_expand(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double terms = 0, words = 0;
    if (!parse_numbers(s, {&terms, &words}) || terms < 0 || terms > 100 ||
        terms != std::floor(terms) || words < 0 || words > kMaxQueryWords ||
        words != std::floor(words))
        throw Error(ErrorCode::BadOption,
                    "--expand wants N or N,W: N terms (0-100) for queries of at least W words, "
                    "got '" +
                        s + "'");
    options.expand = static_cast<unsigned>(terms);
    options.expand_min_words = static_cast<unsigned>(words);
}

void parse_all_words(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double weight = 0, words = options.max_all_words_terms, b = options.all_words_b;
    if (!parse_numbers(s, {&weight, &words, &b}) || weight < 0 || weight > 100 || words < 2 ||
        words > kMaxQueryWords || words != std::floor(words) || b < 0 || b > 1)
        throw Error(ErrorCode::BadOption,
                    "--all-words wants W[,N[,B]] with 0 <= W <= 100, N a number of words >= 2 "
                    "and 0 <= B <= 1, got '" +
                        s + "'");
    options.all_words = weight;
    options.max_all_words_terms = static_cast<unsigned>(words);
    options.all_words_b = b;
}

void parse_proximity(std::string_view text, SearchOptions& options) {
    const std::string s(text);
    double ordered = 0, unordered = options.unordered_proximity;
    if (!parse_numbers(s, {&ordered, &unordered}) || ordered < 0 || unordered < 0 ||
        ordered > 100 || unordered > 100)
        throw Error(ErrorCode::BadOption,
                    "--proximity wants W,U with 0 <= W, U <= 100, got '" + s + "'");
    options.ordered_proximity = ordered;
    options.unordered_proximity = unordered;
}

void check_query_text(std::string_view query) {
    if (query.find('\0') != std::string::npos)
        throw Error(ErrorCode::BadQuery, "the query contains a NUL byte");
    if (!is_valid_utf8(query))
        throw Error(ErrorCode::BadQuery, "the query is not valid UTF-8")
            .with_hint("check the terminal's or the file's character encoding");
    if (const std::size_t words = query::lex(query).tokens.size(); words > kMaxQueryWords)
        throw Error(ErrorCode::BadQuery, "the query has " + std::to_string(words) +
                                             " words; the most a query may have is " +
                                             std::to_string(kMaxQueryWords));
}

QueryBuilder::QueryBuilder(const IndexSet& set, const SearchOptions& options, Filters filters)
    : set_(set), options_(options), filters_(std::move(filters)), analyzers_(set.analyzers()) {
    if (!filters_.language.empty()) {
        // Only that language's articles: the query is parsed only as they were analysed (by
        // its own stemmer in an "auto" index, by the index's in one built with --lang).
        std::vector<std::string> wanted;
        for (const IndexMember& member : set.members()) {
            const std::string name = Analyzer(member.analyzer.empty() ? "english" : member.analyzer)
                                         .for_article(filters_.language)
                                         .name();
            if (std::find(wanted.begin(), wanted.end(), name) == wanted.end())
                wanted.push_back(name);
        }
        restricted_ = wanted.size() < analyzers_.size();
        analyzers_ = wanted;
    }
}

std::string QueryBuilder::correction(const Built& built, const Xapian::Database& db,
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
    Built built_correction;
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

Xapian::Query QueryBuilder::Built::combined() const {
    return filter.empty() ? text : Xapian::Query(Xapian::Query::OP_FILTER, text, filter);
}

QueryBuilder::Built QueryBuilder::build(const std::string& query) const {
    check_query_text(query);
    const query::Rewritten text = query::rewrite(query, options_.plain);
    const std::string& folded = text.folded;
    const std::string& unsplit = text.unsplit;
    const bool negative = text.negative;
    if (folded.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error(ErrorCode::BadQuery, "empty query")
            .with_hint("try: searcher \"security guarantees\"");

    Built built;
    built.raw = query;
    built.folded = folded;
    const Xapian::Database& db = set_.database();
    // An article matches the query as its own analyzer parses it: with one analyzer that is
    // every article; with several (an English and a French index searched together), each
    // parse is kept to the articles of its analyzer.
    std::vector<std::pair<std::string, Xapian::Query>> parses;
    const bool bare_words =
        !negative && (options_.plain || query::bare_words(query::lex(unsplit)));
    for (const std::string& name : analyzers_) {
        Xapian::Query q = query::parse(Analyzer(name), db, query, folded,
                                       {options_.plain, options_.match_all});
        if (q.empty()) continue;
        built.words = std::max<std::size_t>(
            built.words, std::distance(q.get_unique_terms_begin(), q.get_unique_terms_end()));
        if (negative) q = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, q);
        parses.emplace_back(name, std::move(q));
    }
    // A query every analyzer reads alike (fields and dates only, or words no stemmer changes)
    // is one query for every article: no split, and Xapian's counts stay exact.
    const bool alike = std::all_of(parses.begin(), parses.end(), [&](const auto& p) {
        return p.second.get_description() == parses.front().second.get_description();
    });
    if (alike && !restricted_ && !parses.empty()) parses.resize(1);
    const bool mixed = parses.size() > 1 || restricted_;
    std::vector<Xapian::Query> parts;
    built.bare_words = bare_words && !options_.match_all;
    // A query that repeats a title word for word also scores the exact-title term, so that a
    // pasted headline finds its article first even among near-identical twins; one that
    // repeats it as written, punctuation and all, scores the written-title term too (twins
    // whose titles differ only in quotes or brackets). Only terms some article has: an
    // unmatched term would lower every hit's percentage.
    std::vector<std::string> title_terms;
    if (options_.title_boost > 0 && !negative)
        for (const std::string& term : {exact_title_term(query), written_title_term(query)})
            if (!term.empty() &&
                detail::guarded("searching", set_.label(), [&] { return db.term_exists(term); }))
                title_terms.push_back(term);
    // A query that is some article's whole title is that headline pasted: the exact-title
    // term finds it, and the all-words evidence, which favours a short article with every
    // word, would put a twin that repeats the words above it. (The written-title term is
    // found only where the exact one is: the same title, less folded.)
    const bool is_a_title = built.bare_words && !title_terms.empty();
    for (auto& [name, q] : parses) {
        // Percentages count the words of the parse only: the evidence's title terms and
        // copies would lower a perfect match's (see rescale_percentages).
        if (mixed || built.bare_words)
            built.terms_by_analyzer[name].assign(q.get_unique_terms_begin(),
                                                 q.get_unique_terms_end());
        const Xapian::Query words = q;
        if (built.bare_words)
            q = detail::guarded("searching", set_.label(), [&] {
                return with_evidence(words, db, options_, !is_a_title, set_.has_remote());
            });
        if (mixed) {
            const std::string analyzer_term = std::string(schema::kAnalyzer.prefix) + name;
            const double scale = detail::guarded("searching", set_.label(), [&] {
                return parses.size() > 1 ? language_scale(db, words, analyzer_term) : 1.0;
            });
            q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(analyzer_term));
            if (scale < 1) q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, scale);
        }
        parts.push_back(std::move(q));
    }
    if (parts.empty())
        throw Error(ErrorCode::BadQuery, "nothing to search for in '" + query + "' (no words)")
            .with_hint("try: searcher \"security guarantees\"");
    built.text = parts.size() == 1
                     ? parts[0]
                     : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());

    // Chinese, Japanese and Korean typed as bare words also match, at a lower weight, the
    // articles that have all their character pairs: the dictionary may split the same
    // characters otherwise in the article (北京大学 in 北京|大学生) than in the query, and
    // Korean particles stick to their words (서울에서). Ranked queries of bare words only:
    // --all, phrases, fields, + / - and operators keep the words.
    if (built.bare_words) {
        std::vector<Xapian::Query> fallbacks;
        for (const query::Token& token : query::lex(unsplit).tokens) {
            std::vector<Xapian::Query> pairs;
            for (const std::string& pair : han_pairs(token.text))
                pairs.emplace_back(std::string(schema::kCharPair.prefix) + pair);
            if (!pairs.empty())
                fallbacks.emplace_back(Xapian::Query::OP_AND, pairs.begin(), pairs.end());
        }
        if (!fallbacks.empty())
            built.text = Xapian::Query(
                Xapian::Query::OP_OR, built.text,
                Xapian::Query(
                    Xapian::Query::OP_SCALE_WEIGHT,
                    Xapian::Query(Xapian::Query::OP_OR, fallbacks.begin(), fallbacks.end()),
                    kCharPairWeight));
    }

    for (const std::string& term : title_terms)
        built.text = Xapian::Query(Xapian::Query::OP_AND_MAYBE, built.text,
                                   Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                 Xapian::Query(term), options_.title_boost));

    built.filter = filter();
    return built;
}

Xapian::Query QueryBuilder::filter() const {
    std::vector<Xapian::Query> filters;
    if (!filters_.since.empty() && !filters_.until.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot.slot, filters_.since,
                             filters_.until);
    else if (!filters_.since.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kDateSlot.slot, filters_.since);
    else if (!filters_.until.empty())
        filters.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kDateSlot.slot, filters_.until);
    if (!filters_.host.empty())
        filters.emplace_back(bounded_term(schema::kHost.prefix, filters_.host));
    if (!filters_.language.empty())
        filters.emplace_back(std::string(schema::kLang.prefix) + filters_.language);
    if (filters.empty()) return Xapian::Query();
    return filters.size() == 1
               ? filters[0]
               : Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

}  // namespace newsidx
