// Snippets: the passage of an article's text where the query's words are, with the byte
// offsets of each highlighted word. Xapian's MSet::snippet does the choosing and highlighting;
// this module gives it the right terms, stemmer and window, and turns its HTML into plain text.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newsidx/search.hpp"

namespace newsidx {

/// What snippets look for: the words of a query's text terms (schema::is_text_term), and the
/// query that names each of them unprefixed and as Xapian's "Z" stemmed form (what
/// MSet::snippet highlights).
struct SnippetTerms {
    Xapian::Query query;
    std::vector<std::string> stems;
};
SnippetTerms snippet_terms(const Xapian::Query& query);

/// The [begin, end) byte range of `text`, at most `span` long and cut at spaces: the three
/// quarters of a span where the words starting like `stems` are densest, with a quarter before
/// them (a span's end when they are near it); the whole text when it is short or when the scan
/// finds no word in text that is not all ASCII. A cheap scan (ASCII case only; with `stemmer`, a
/// word of another script that holds most of a stem is stemmed to make sure).
std::pair<std::size_t, std::size_t> match_window(std::string_view text,
                                                 const std::vector<std::string>& stems,
                                                 std::size_t span,
                                                 const Xapian::Stem* stemmer = nullptr);

/// Builds a snippet of `text` for the hits in `mset`: match_window() of the text, highlighted
/// whole by Xapian's MSet::snippet with `stemmer` (Analyzer::snippet_stemmer()), split into plain text and
/// highlight offsets. Without `stems` (the query names no words) the snippet is the opening of
/// the text.
Snippet make_snippet(const Xapian::MSet& mset, const std::string& text, const Xapian::Stem& stemmer,
                     unsigned length, const std::vector<std::string>& stems);

struct BuiltQuery;

/// The snippets of one search's hits: each article's highlights what its own language's parse
/// of the query matched, not a word that only another language keeps ("to" is no French stop
/// word), and its words are stemmed as its own analyzer stems them. What each analyzer needs is
/// made when first wanted.
class SnippetMaker {
  public:
    /// Over `db` (the set's database, or one member's while a failure is traced), for the query
    /// `built`, snippets of about `length` bytes.
    SnippetMaker(const Xapian::Database& db, const BuiltQuery& built, unsigned length)
        : db_(db), built_(built), length_(length) {}

    /// The snippet of the article whose stored record is `record`, analysed with `analyzer`.
    Snippet of(const StoredRecord& record, const std::string& analyzer);

  private:
    struct ForAnalyzer {
        SnippetTerms words;
        Xapian::MSet weights;  // ranking::snippet_weights() of the words
    };
    const ForAnalyzer& for_analyzer(const std::string& analyzer);

    const Xapian::Database& db_;
    const BuiltQuery& built_;
    unsigned length_;
    std::map<std::string, ForAnalyzer> parts_;      // by analyzer ("" for every analyzer)
    std::map<std::string, Xapian::Stem> stemmers_;  // by analyzer
};

}  // namespace newsidx
