// Rendering search results for people (text) and for scripts (JSON).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "newsidx/search.hpp"

namespace newsidx {

/// 1016 -> "1,016": counts for people.
std::string with_thousands(std::uint64_t n);

/// Human output: rank, title and date; URL; snippet. With `terminal`, titles and highlights
/// are bold (ANSI); otherwise the text is plain. Then each facet's counts, and "did you mean".
void render_text(std::ostream& out, const SearchResult& result, bool terminal);

/// One JSON object as DESIGN.md specifies; no trailing newline. With `id` (batch mode) the
/// object starts with "id". Notes name options as `spelling` does (the server's, without --).
std::string render_json(const SearchResult& result, const std::string& id = {},
                        Spelling spelling = Spelling::Cli);

/// The line the text output ends with, on stderr: "showing 1-10 of about 120 results (3.1 ms)";
/// for no hits, why: "no results for 'Q'", naming the filters the options add ("with --since
/// 2023-01-01, --site bbc.co.uk"), or, past the last page, how many results there are.
std::string status_line(const SearchResult& result, const SearchOptions& options);

/// --show: one stored article in full. Text: title, then date, site and language, URL, the
/// source file, a blank line and the body's paragraphs. JSON: one object with title, date
/// (YYYY-MM-DD), url, site, language, path and body (paragraphs joined by newlines).
/// With `copies` (its cluster, earliest first, itself included), a list of the others.
void render_article_text(std::ostream& out, const StoredRecord& article, bool terminal,
                         const std::vector<Copy>& copies = {});
std::string render_article_json(const StoredRecord& article, const std::vector<Copy>& copies = {});

/// --origin: where a passage appeared first and how it spread. Text: a summary line, the first
/// article, then each carrier earliest first (date, site, whole or the share of the passage it
/// has, its story: 1 is the first's), and the sites in the order they first carried it. JSON:
/// {"words","runs","articles","stories","first","carriers":[…],"sites":[…]}.
void render_origin_text(std::ostream& out, const Origin& origin, bool terminal);
std::string render_origin_json(const Origin& origin);

/// --copies: the articles of one cluster, earliest first. Text: date, site and title, then the
/// URL; JSON: {"count":N,"copies":[{"date","site","url","title","path"}…]}.
void render_copies_text(std::ostream& out, const std::vector<Copy>& copies, bool terminal);
std::string render_copies_json(const std::vector<Copy>& copies);

/// --export: the CSV header line, and one line per match (no newline) as CSV (RFC 4180
/// quoting) or as a JSON object: rank, score, date, site, url, title, path.
inline constexpr const char* kExportCsvHeader = "rank,score,date,site,url,title,path,cluster";
std::string export_line(const Hit& hit, bool csv);

/// --kwic: one occurrence as a line (no newline): text (the left context right-aligned, the
/// keyword, the right context, the date and site; `words` sets the columns' width), CSV (rank,
/// date, site, url, left, keyword, right) or a JSON object (rank, date, site, url, title, left,
/// keyword, right).
enum class KwicFormat { Text, Csv, Json };
inline constexpr const char* kKwicCsvHeader = "rank,date,site,url,left,keyword,right";
std::string kwic_line(const Hit& hit, const KwicLine& line, KwicFormat format, unsigned words,
                      bool terminal);

/// TREC run lines, one per hit: `qid Q0 docid rank score newsidx`, where docid is the
/// article file's name without ".txt".
void render_trec(std::ostream& out, const std::string& qid, const SearchResult& result);

/// The timeline as a bar chart, one line per period, that fits `columns`. With --share each
/// line has the count, " of " all, the share, and a bar as long as the share.
void render_timeline(std::ostream& out, const Timeline& timeline, int columns);

/// --compare: the timelines of the query and of the queries compared, as a table: a legend
/// (each query's number, count and share), then a row per period with the base (--share) and
/// each query's count and share.
void render_comparison(std::ostream& out, const SearchResult& result);

/// --significant: the words as a table (word, matching stories, other stories, score), under a
/// line that says what they were counted against; a blank line first when `after_hits`.
void render_significance(std::ostream& out, const Significance& significance, bool after_hits);

/// count / all as a percentage for people ("0.83%", below 0.01% "0.0042%"); "-" when all is 0.
std::string share_text(Xapian::doccount count, Xapian::doccount all);

/// --format csv: the timeline's and the facets' rows, one table (with `header`, its header first) (RFC 4180
/// quoting): the query (each --compare query's timeline under its own), the table (timeline,
/// site, year, lang), the value (a period's label or
/// a facet's value), the period's first day (YYYY-MM-DD; empty for a facet), the count, and
/// with --share the count without the query and the share as a fraction (empty when that
/// count is 0).
/// --significant's words are rows of their own: the table "significant", the word, the matching
/// stories that have it (count), all the stories compared that have it (all: the matching and
/// the others), the share of those that match, and the word's score.
inline constexpr const char* kTablesCsvHeader = "query,table,value,start,count,all,share,score";
/// With `id` (--batch) each row starts with it, and so does the header ("id,query,…").
std::string render_tables_csv(const SearchResult& result, bool header = true,
                              const std::string* id = nullptr);

}  // namespace newsidx
