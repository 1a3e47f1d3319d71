#include "newsidx/results.hpp"

#include <array>
#include <cmath>
#include <map>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analyzer.hpp"
#include "article.hpp"

namespace newsidx {

namespace {

constexpr const char* kBold = "\x1b[1m";
constexpr const char* kUrlColour = "\x1b[32m";
constexpr const char* kHighlight = "\x1b[1;33m";
constexpr const char* kReset = "\x1b[0m";

void write_snippet(std::ostream& out, const Snippet& snippet, bool terminal) {
    if (!terminal) {
        out << snippet.text;
        return;
    }
    std::size_t at = 0;
    for (auto [start, end] : snippet.highlights) {
        out.write(snippet.text.data() + at, static_cast<std::streamsize>(start - at));
        out << kHighlight;
        out.write(snippet.text.data() + start, static_cast<std::streamsize>(end - start));
        out << kReset;
        at = end;
    }
    out.write(snippet.text.data() + at, static_cast<std::streamsize>(snippet.text.size() - at));
}

// "+3 similar · first: aawsat.com, 2015-07-21 · also on 4 sites: a, b, c, …"; empty for an
// article without copies.
std::string trail_line(const Trail& t) {
    if (t.copies < 2 && t.similar == 0) return {};
    std::string line;
    if (t.similar > 0) line = "+" + std::to_string(t.similar) + " similar \xC2\xB7 ";
    line += "first: " + t.first.site + ", " + t.first.date;
    if (!t.also_on.empty()) {
        line += " \xC2\xB7 also on " + std::to_string(t.also_on.size()) +
                (t.also_on.size() == 1 ? " site: " : " sites: ");
        for (std::size_t i = 0; i < t.also_on.size() && i < 3; ++i)
            line += (i ? ", " : "") + t.also_on[i];
        if (t.also_on.size() > 3) line += ", \xE2\x80\xA6";
    }
    return line;
}

// A field with a comma, quote or line break is quoted, its quotes doubled (RFC 4180).
std::string csv_field(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// count / all as JSON: null when all is 0 (no article there to have a share of).
nlohmann::ordered_json share_json(Xapian::doccount count, Xapian::doccount all) {
    if (all == 0) return nullptr;
    return static_cast<double>(count) / all;
}

// The "timeline" object: with --share each bucket's base and share, and the whole's.
nlohmann::ordered_json timeline_json(const Timeline& t) {
    nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
    for (const Timeline::Bucket& b : t.buckets) {
        buckets.push_back({{"period", b.label}, {"start", b.start}, {"count", b.count}});
        if (t.share) {
            buckets.back()["all"] = b.all;
            buckets.back()["share"] = share_json(b.count, b.all);
        }
    }
    nlohmann::ordered_json doc{{"period", t.period}, {"counts", t.counts()}, {"total", t.total}};
    if (t.share) {
        doc["all_total"] = t.all_total;
        doc["share"] = share_json(t.total, t.all_total);
    }
    doc["buckets"] = std::move(buckets);
    return doc;
}

// The "facets" object, a key per field; with --share each value's base and share.
nlohmann::ordered_json facets_json(const std::vector<Facet>& facets) {
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    for (const Facet& facet : facets) {
        nlohmann::ordered_json top = nlohmann::ordered_json::array();
        for (const Facet::Count& c : facet.top) {
            top.push_back({{"value", c.value}, {"count", c.count}});
            if (facet.share) {
                top.back()["all"] = c.all;
                top.back()["share"] = share_json(c.count, c.all);
            }
        }
        doc[facet.field] = {{"values", facet.values}, {"top", std::move(top)}};
    }
    return doc;
}

// The "significant" object: what the words were counted against, and the words.
nlohmann::ordered_json significance_json(const Significance& s) {
    nlohmann::ordered_json words = nlohmann::ordered_json::array();
    for (const SignificantWord& w : s.words)
        words.push_back({{"word", w.word},
                         {"term", w.term},
                         {"count", w.count},
                         {"others", w.others},
                         {"score", std::round(w.score * 1e4) / 1e4}});
    nlohmann::ordered_json doc{{"scoring", s.scoring}, {"against", s.against}};
    if (s.against == "previous") doc["period"] = s.period;
    doc["stories"] = s.stories;
    doc["others"] = s.others;
    doc["words"] = std::move(words);
    return doc;
}

nlohmann::ordered_json copy_json(const Copy& c) {
    return {
        {"date", c.date}, {"site", c.site}, {"url", c.url}, {"title", c.title}, {"path", c.path}};
}

}  // namespace

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

namespace {

// --explain: a hit's score, then each part's weight on a line of its own.
void write_explanation(std::ostream& out, const Hit& hit) {
    char line[64];
    std::snprintf(line, sizeof line, "%.6g", hit.score);
    if (hit.explanation.empty()) {
        out << "   score " << line << ": no part weighs anything (the query only filters)\n";
        return;
    }
    out << "   score " << line << " = the sum of:\n";
    for (const ScorePart& p : hit.explanation) {
        std::snprintf(line, sizeof line, "%12.6f", p.weight);
        out << "   " << line << "  " << p.part << (p.detail.empty() ? "" : ": ") << p.detail
            << '\n';
    }
}

}  // namespace

void render_text(std::ostream& out, const SearchResult& result, bool terminal) {
    for (std::size_t i = 0; i < result.hits.size(); ++i) {
        const Hit& hit = result.hits[i];
        if (i > 0) out << '\n';
        out << hit.rank << ". ";
        if (terminal) out << kBold;
        out << hit.title;
        if (terminal) out << kReset;
        out << "    " << hit.date << '\n';
        out << "   ";
        if (terminal) out << kUrlColour;
        out << hit.url;
        if (terminal) out << kReset;
        out << '\n';
        if (hit.trail)
            if (const std::string line = trail_line(*hit.trail); !line.empty())
                out << "   " << line << '\n';
        if (!hit.snippet.text.empty()) {
            out << "   ";
            write_snippet(out, hit.snippet, terminal);
            out << '\n';
        }
        if (result.explained) write_explanation(out, hit);
    }
    for (const Facet& facet : result.facets) {
        if (facet.top.empty()) continue;
        out << (result.hits.empty() ? "" : "\n") << facet.field << " (" << facet.top.size()
            << " of " << with_thousands(facet.values) << (facet.values == 1 ? " value" : " values")
            << (facet.share ? "; matching articles of all with the same filters"
                            : ", articles matching")
            << "):\n";
        std::size_t width = 0, all_width = 0, share_width = 0;
        for (const Facet::Count& c : facet.top) {
            width = std::max(width, with_thousands(c.count).size());
            all_width = std::max(all_width, with_thousands(c.all).size());
            share_width = std::max(share_width, share_text(c.count, c.all).size());
        }
        for (const Facet::Count& c : facet.top) {
            const std::string count = with_thousands(c.count);
            out << "  " << std::string(width - count.size(), ' ') << count;
            if (facet.share) {
                const std::string all = with_thousands(c.all), share = share_text(c.count, c.all);
                out << " of " << std::string(all_width - all.size(), ' ') << all << "  "
                    << std::string(share_width - share.size(), ' ') << share;
            }
            out << "  " << c.value << '\n';
        }
    }
    if (result.significance) render_significance(out, *result.significance, !result.hits.empty());
    if (!result.did_you_mean.empty()) out << "did you mean: " << result.did_you_mean << '\n';
}

std::string share_text(Xapian::doccount count, Xapian::doccount all) {
    if (all == 0) return "-";
    const double percent = 100.0 * count / all;
    char text[32];
    // Two decimals; a share below 0.01% with two significant digits, so that it is not 0.00%.
    std::snprintf(text, sizeof text, percent > 0 && percent < 0.01 ? "%.2g%%" : "%.2f%%", percent);
    return text;
}

void render_significance(std::ostream& out, const Significance& s, bool after_hits) {
    static const std::map<std::string, std::string> kScorings{
        {"llr", "log-likelihood"}, {"jlh", "JLH"}, {"xapian", "Xapian's expand weight"}};
    out << (after_hits ? "\n" : "") << "significant words (" << kScorings.at(s.scoring)
        << "; each story once):\n"
        << with_thousands(s.stories) << " matching " << (s.stories == 1 ? "story" : "stories")
        << " against ";
    if (s.against == "rest")
        out << "the " << with_thousands(s.others) << " other stories with the same filters\n";
    else
        out << "the " << with_thousands(s.others) << " matching stories of " << s.period << '\n';
    if (s.against == "previous" && s.others == 0) {
        out << "  no matching story in " << s.period << " to set them against\n";
        return;
    }
    if (s.words.empty()) {
        out << "  no word is in at least 3 matching stories and more common there\n";
        return;
    }
    // word, matching stories (share), other stories (share), score
    std::vector<std::array<std::string, 4>> rows{{"word", "matching", "others", "score"}};
    for (const SignificantWord& w : s.words) {
        char score[32];
        std::snprintf(score, sizeof score, "%.1f", w.score);
        if (s.scoring != "llr") std::snprintf(score, sizeof score, "%.4g", w.score);
        rows.push_back({w.word, with_thousands(w.count) + " " + share_text(w.count, s.stories),
                        with_thousands(w.others) + " " + share_text(w.others, s.others), score});
    }
    std::array<std::size_t, 4> widths{};
    for (const auto& row : rows)
        for (std::size_t c = 0; c < 4; ++c) widths[c] = std::max(widths[c], characters(row[c]));
    for (const auto& row : rows) {
        out << "  " << row[0] << std::string(widths[0] - characters(row[0]), ' ');
        for (std::size_t c = 1; c < 4; ++c)
            out << "  " << std::string(widths[c] - characters(row[c]), ' ') << row[c];
        out << '\n';
    }
}

std::string render_json(const SearchResult& result, const std::string& id, Spelling spelling) {
    nlohmann::ordered_json doc;
    if (!id.empty()) doc["id"] = id;
    doc["query"] = result.query;
    doc["total_estimate"] = result.total_estimate;
    doc["total_exact"] = result.total_exact;
    if (!result.total_exact) {
        // Only an estimate: whether it is within 10%, and what is certain.
        doc["total_about"] = result.total_about;
        doc["total_at_least"] = result.total_at_least;
    }
    doc["elapsed_ms"] = std::round(result.elapsed_ms * 1000) / 1000;
    if (result.collapsed) doc["articles"] = result.articles;
    doc["results"] = nlohmann::ordered_json::array();
    for (const Hit& hit : result.hits) {
        nlohmann::ordered_json h{{"rank", hit.rank},         {"score", hit.score},
                                 {"percent", hit.percent},   {"title", hit.title},
                                 {"date", hit.date},         {"url", hit.url},
                                 {"site", hit.site},         {"path", hit.path},
                                 {"language", hit.language}, {"snippet", hit.snippet.text}};
        h["highlights"] = nlohmann::ordered_json::array();
        for (auto [start, end] : hit.snippet.highlights) h["highlights"].push_back({start, end});
        if (hit.trail) {
            const Trail& t = *hit.trail;
            h["cluster"] = {
                {"similar", t.similar},
                {"copies", t.copies},
                {"first", {{"site", t.first.site}, {"date", t.first.date}, {"url", t.first.url}}},
                {"also_on", t.also_on}};
        }
        if (!hit.kwic.empty()) {
            nlohmann::ordered_json lines = nlohmann::ordered_json::array();
            for (const KwicLine& l : hit.kwic)
                lines.push_back({{"left", l.left}, {"keyword", l.keyword}, {"right", l.right}});
            h["kwic"] = std::move(lines);
        }
        if (result.explained) {
            nlohmann::ordered_json parts = nlohmann::ordered_json::array();
            for (const ScorePart& p : hit.explanation)
                parts.push_back({{"part", p.part}, {"detail", p.detail}, {"weight", p.weight}});
            h["explain"] = std::move(parts);
        }
        doc["results"].push_back(std::move(h));
    }
    if (!result.expansion.empty()) doc["expansion"] = result.expansion;
    if (result.timeline) doc["timeline"] = timeline_json(*result.timeline);
    if (!result.compared.empty()) {
        doc["compared"] = nlohmann::ordered_json::array();
        for (const Compared& c : result.compared)
            doc["compared"].push_back(
                {{"query", c.query},
                 {"did_you_mean", c.did_you_mean.empty() ? nlohmann::ordered_json(nullptr)
                                                         : nlohmann::ordered_json(c.did_you_mean)},
                 {"timeline", timeline_json(c.timeline)}});
    }
    if (!result.facets.empty()) doc["facets"] = facets_json(result.facets);
    if (result.significance) doc["significant"] = significance_json(*result.significance);
    if (!result.missing_shards.empty()) {
        doc["partial"] = true;
        doc["missing_shards"] = result.missing_shards;
    }
    if (!result.notes.empty()) {
        doc["notes"] = nlohmann::ordered_json::array();
        for (const std::string& note : result.notes) doc["notes"].push_back(spelled(note, spelling));
    }
    if (result.did_you_mean.empty())
        doc["did_you_mean"] = nullptr;
    else
        doc["did_you_mean"] = result.did_you_mean;
    return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string status_line(const SearchResult& result, const SearchOptions& options) {
    if (!result.hits.empty()) {
        // --collapse: how many articles the results stand for, or that none was a copy.
        std::string copies;
        if (result.collapsed && result.total_exact && result.articles == result.total_estimate)
            copies = ", no copies among them";
        else if (result.collapsed)
            copies = ", copies collapsed: " + with_thousands(result.articles) +
                     (result.articles == 1 ? " article" : " articles");
        // Exact, "about" only within kAboutWithin, or what is certain: a lower bound.
        const bool at_least = !result.total_exact && !result.total_about;
        const Xapian::doccount total = at_least ? result.total_at_least : result.total_estimate;
        char line[200];
        std::snprintf(line, sizeof line, "showing %u-%u of %s%s result%s%s (%.1f ms)",
                      result.hits.front().rank, result.hits.back().rank,
                      result.total_exact ? "" : at_least ? "at least " : "about ",
                      with_thousands(total).c_str(), total == 1 ? "" : "s", copies.c_str(),
                      result.elapsed_ms);
        return line;
    }
    // A long (pasted) query is shown by its head: one line on the terminal.
    constexpr std::size_t kShown = 80;
    const std::string& query = result.query;
    std::string shown = query.substr(0, kShown);
    while (!shown.empty() && query.size() > kShown &&
           (static_cast<unsigned char>(query[shown.size()]) & 0xC0) == 0x80)
        shown.pop_back();  // do not cut a UTF-8 character in two
    if (shown.size() < query.size()) shown += "...";
    if (result.total_estimate > 0) {
        const auto total = with_thousands(result.total_estimate);
        return spelled("no results on this page: '" + shown + "' has " + total +
                           (result.total_estimate == 1 ? " result" : " results") +
                           ", and " NEWSIDX_OPT("offset") " " + std::to_string(options.offset) +
                           " is past the last",
                       Spelling::Cli);
    }
    std::string filters;
    const auto add = [&](const std::string& flag, const std::string& value) {
        if (!value.empty()) filters += (filters.empty() ? " with " : ", ") + flag + " " + value;
    };
    add(opt("since"), options.since);
    add(opt("until"), options.until);
    add(opt("site"), options.site);
    add(opt("lang"), options.language);
    if (options.match_all) filters += (filters.empty() ? " with " : ", ") + opt("all");
    return spelled("no results for '" + shown + "'" + filters, Spelling::Cli);
}

void render_article_text(std::ostream& out, const StoredRecord& a, bool terminal,
                         const std::vector<Copy>& copies) {
    if (terminal) out << kBold;
    out << a.title;
    if (terminal) out << kReset;
    out << '\n'
        << dashed_date(a.date) << " \xC2\xB7 " << url_host(a.url).value_or("") << " \xC2\xB7 "
        << a.language << '\n';
    if (terminal) out << kUrlColour;
    out << a.url;
    if (terminal) out << kReset;
    out << "\nfile: " << a.path << "\n\n";
    std::size_t at = 0;
    while (at <= a.body.size()) {
        const std::size_t nl = std::min(a.body.find('\n', at), a.body.size());
        out << a.body.substr(at, nl - at) << '\n';
        if (nl + 1 < a.body.size()) out << '\n';  // paragraphs apart
        at = nl + 1;
    }
    if (copies.size() < 2) return;
    out << "\ncopies: " << copies.size() - 1 << (copies.size() == 2 ? " other" : " others")
        << ", earliest first\n";
    for (const Copy& c : copies)
        if (c.url != a.url) out << "  " << c.date << "  " << c.site << "  " << c.url << '\n';
}

std::string render_article_json(const StoredRecord& a, const std::vector<Copy>& copies) {
    nlohmann::ordered_json doc{{"title", a.title},       {"date", dashed_date(a.date)},
                               {"url", a.url},           {"site", url_host(a.url).value_or("")},
                               {"language", a.language}, {"path", a.path},
                               {"body", a.body}};
    doc["copies"] = nlohmann::ordered_json::array();
    for (const Copy& c : copies)
        if (c.url != a.url) doc["copies"].push_back(copy_json(c));
    return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void render_copies_text(std::ostream& out, const std::vector<Copy>& copies, bool terminal) {
    for (std::size_t i = 0; i < copies.size(); ++i) {
        const Copy& c = copies[i];
        out << c.date << "  " << c.site << "  ";
        if (terminal) out << kBold;
        out << c.title;
        if (terminal) out << kReset;
        out << (i == 0 ? "  (first)" : "") << "\n            ";
        if (terminal) out << kUrlColour;
        out << c.url;
        if (terminal) out << kReset;
        out << '\n';
    }
}

void render_origin_text(std::ostream& out, const Origin& o, bool terminal) {
    if (o.carriers.empty()) return;
    const Carrier& first = o.carriers.front();
    out << "the passage (" << o.words << " words) is in " << with_thousands(o.carriers.size())
        << (o.carriers.size() == 1 ? " article" : " articles") << " on " << o.sites.size()
        << (o.sites.size() == 1 ? " site" : " sites") << ", " << o.stories
        << (o.stories == 1 ? " story" : " stories") << ", " << first.article.date << " to "
        << o.carriers.back().article.date << '\n';
    out << "first: " << first.article.date << "  " << first.article.site << "  "
        << (terminal ? kBold : "") << first.article.title << (terminal ? kReset : "") << '\n'
        << "       " << first.article.url << '\n';
    out << "\ncarried by (earliest first; whole, or the share of the passage's " << kOriginRun
        << "-word runs; story 1 is the first's):\n";
    std::size_t site_width = 0;
    for (const Carrier& c : o.carriers) site_width = std::max(site_width, c.article.site.size());
    for (const Carrier& c : o.carriers) {
        char share[16];
        std::snprintf(share, sizeof share, "%3.0f%%", c.coverage * 100);
        out << c.article.date << "  " << c.article.site
            << std::string(site_width - c.article.site.size(), ' ') << "  "
            << (c.whole ? "whole" : share) << "  story " << c.story << "  " << c.article.title
            << '\n';
    }
    out << "\nsites (in the order they first carried it):\n";
    for (const Origin::Site& s : o.sites)
        out << "  " << s.first << "  " << s.site << std::string(site_width - s.site.size(), ' ')
            << "  " << s.articles << (s.articles == 1 ? " article" : " articles") << " ("
            << s.whole << " whole)\n";
}

std::string render_origin_json(const Origin& o) {
    nlohmann::ordered_json carriers = nlohmann::ordered_json::array();
    for (const Carrier& c : o.carriers) {
        nlohmann::ordered_json j = copy_json(c.article);
        j["coverage"] = std::round(c.coverage * 1e4) / 1e4;
        j["whole"] = c.whole;
        j["story"] = c.story;
        carriers.push_back(std::move(j));
    }
    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    for (const Origin::Site& s : o.sites)
        sites.push_back({{"site", s.site}, {"first", s.first}, {"articles", s.articles},
                         {"whole", s.whole}});
    nlohmann::ordered_json doc{{"words", o.words}, {"runs", o.runs},
                               {"articles", o.carriers.size()}, {"stories", o.stories}};
    doc["first"] = o.carriers.empty() ? nlohmann::ordered_json(nullptr) : carriers[0];
    doc["capped"] = o.capped;
    doc["carriers"] = std::move(carriers);
    doc["sites"] = std::move(sites);
    return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string render_copies_json(const std::vector<Copy>& copies) {
    nlohmann::ordered_json doc{{"count", copies.size()}};
    doc["copies"] = nlohmann::ordered_json::array();
    for (const Copy& c : copies) doc["copies"].push_back(copy_json(c));
    return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string export_line(const Hit& hit, bool csv) {
    char score[32];
    std::snprintf(score, sizeof score, "%.6f", hit.score);
    if (!csv) {
        const nlohmann::ordered_json doc{{"rank", hit.rank}, {"score", hit.score},
                                         {"date", hit.date}, {"site", hit.site},
                                         {"url", hit.url},   {"title", hit.title},
                                         {"path", hit.path}, {"cluster", hit.first_url}};
        return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
    const auto field = csv_field;
    return std::to_string(hit.rank) + ',' + score + ',' + hit.date + ',' + field(hit.site) + ',' +
           field(hit.url) + ',' + field(hit.title) + ',' + field(hit.path) + ',' +
           field(hit.first_url);
}

std::string kwic_line(const Hit& hit, const KwicLine& line, KwicFormat format, unsigned words,
                      bool terminal) {
    if (format == KwicFormat::Csv)
        return std::to_string(hit.rank) + ',' + hit.date + ',' + csv_field(hit.site) + ',' +
               csv_field(hit.url) + ',' + csv_field(line.left) + ',' + csv_field(line.keyword) +
               ',' + csv_field(line.right);
    if (format == KwicFormat::Json) {
        const nlohmann::ordered_json doc{{"rank", hit.rank},         {"date", hit.date},
                                         {"site", hit.site},         {"url", hit.url},
                                         {"title", hit.title},       {"left", line.left},
                                         {"keyword", line.keyword},  {"right", line.right}};
        return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
    // Text: the left context right-aligned in a column about as wide as its words, cut at its
    // left end when longer; the right cut at its right end.
    const std::size_t width = std::clamp<std::size_t>(8 * std::size_t{words}, 14, 60);
    const auto cut_left = [width](const std::string& s) {
        std::size_t at = 0;
        while (characters(std::string_view(s).substr(at)) > width && at < s.size()) {
            ++at;
            while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
        }
        const std::string kept = (at > 0 ? "\xE2\x80\xA6" : "") + s.substr(at);
        return std::string(width + 1 - std::min(width + 1, characters(kept)), ' ') + kept;
    };
    const auto cut_right = [width](const std::string& s) {
        std::size_t at = s.size();
        while (characters(std::string_view(s).substr(0, at)) > width && at > 0) {
            --at;
            while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
        }
        return s.substr(0, at) + (at < s.size() ? "\xE2\x80\xA6" : "");
    };
    const std::string right = cut_right(line.right);
    return cut_left(line.left) + "  " + (terminal ? kHighlight : "") + line.keyword +
           (terminal ? kReset : "") + "  " + right +
           std::string(width + 1 - std::min(width + 1, characters(right)), ' ') + "  " +
           hit.date + ' ' + hit.site;
}

void render_trec(std::ostream& out, const std::string& qid, const SearchResult& result) {
    char score[32];
    for (const Hit& hit : result.hits) {
        std::string docid = hit.path.substr(hit.path.rfind('/') + 1);
        if (docid.size() > 4 && docid.compare(docid.size() - 4, 4, ".txt") == 0)
            docid.resize(docid.size() - 4);
        std::snprintf(score, sizeof score, "%.6f", hit.score);
        out << qid << " Q0 " << docid << ' ' << hit.rank << ' ' << score << " newsidx\n";
    }
}

namespace {

// --share: runs of at least this many periods without any article are one line in the text.
constexpr std::size_t kFoldedRun = 3;

// Whether a period is empty: without any article (--share), or without a match.
bool empty_period(const Timeline& t, std::size_t b) {
    return t.share ? t.buckets[b].all == 0 : t.buckets[b].count == 0;
}

// The end of the run of empty periods of every timeline of `series` that starts at `b`.
std::size_t empty_run_end(const std::vector<const Timeline*>& series, std::size_t b) {
    std::size_t end = b;
    while (end < series.front()->buckets.size() &&
           std::all_of(series.begin(), series.end(),
                       [&](const Timeline* t) { return t->buckets[end].count == 0 && empty_period(*t, end); }))
        ++end;
    return end;
}

// The line of a folded run: "2015-07-28 to 2015-07-30  no articles (3 days)".
std::string folded_line(const Timeline& t, std::size_t from, std::size_t end) {
    return t.buckets[from].label + " to " + t.buckets[end - 1].label + "  no " +
           (t.share ? t.counts() : t.stories ? "matching stories" : "matches") + " (" +
           with_thousands(end - from) + ' ' + t.period + "s)";
}

}  // namespace

void render_timeline(std::ostream& out, const Timeline& t, int columns) {
    // A bar is as long as its count, or with --share its share, against the greatest.
    const auto measure = [&t](const Timeline::Bucket& b) {
        return t.share ? (b.all == 0 ? 0.0 : static_cast<double>(b.count) / b.all)
                       : static_cast<double>(b.count);
    };
    double most = 0;
    std::size_t label_width = 0, count_width = 0, all_width = 0, share_width = 0;
    for (const auto& b : t.buckets) {
        most = std::max(most, measure(b));
        label_width = std::max(label_width, b.label.size());
        count_width = std::max(count_width, with_thousands(b.count).size());
        all_width = std::max(all_width, with_thousands(b.all).size());
        share_width = std::max(share_width, share_text(b.count, b.all).size());
    }
    const bool one = t.buckets.size() == 1;
    out << "timeline by " << t.period << ": " << with_thousands(t.total) << ' '
        << (t.total != 1 ? t.counts() : t.stories ? "story" : "article") << " in "
        << with_thousands(t.buckets.size()) << ' ' << t.period << (one ? "" : "s") << '\n';
    if (t.share)
        out << "share of the " << with_thousands(t.all_total) << ' ' << t.counts()
            << " with the same filters in " << (one ? "that " : "those ") << t.period
            << (one ? "" : "s") << ": " << share_text(t.total, t.all_total) << '\n';
    // label, two spaces, count [" of " all, two spaces, share], two spaces, bar: the bar takes
    // what the terminal leaves.
    const std::size_t used =
        label_width + count_width + 4 + (t.share ? all_width + share_width + 6 : 0);
    const int bar_width = std::max(columns - static_cast<int>(used) - 1, 0);
    for (std::size_t i = 0; i < t.buckets.size(); ++i) {
        const Timeline::Bucket& b = t.buckets[i];
        if (const std::size_t end = empty_run_end({&t}, i); end - i >= kFoldedRun) {
            out << folded_line(t, i, end) << '\n';
            i = end - 1;
            continue;
        }
        const std::string count = with_thousands(b.count);
        out << b.label << std::string(label_width - b.label.size() + 2, ' ')
            << std::string(count_width - count.size(), ' ') << count;
        if (t.share) {
            const std::string all = with_thousands(b.all), share = share_text(b.count, b.all);
            out << " of " << std::string(all_width - all.size(), ' ') << all << "  "
                << std::string(share_width - share.size(), ' ') << share;
        }
        if (bar_width > 0 && b.count > 0 && most > 0) {
            // At least one mark for a period with any match.
            const auto marks = static_cast<std::size_t>(
                std::max(1.0, std::floor(measure(b) * bar_width / most)));
            out << "  " << std::string(marks, '#');
        }
        out << '\n';
    }
}

namespace {

// count / all as a decimal fraction for a spreadsheet: ten places at most, no exponent, no
// trailing zeros ("0.25", "0.0000325988", "1").
std::string decimal(Xapian::doccount count, Xapian::doccount all) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10f", static_cast<double>(count) / all);
    std::string out = text;
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
    return out;
}

}  // namespace

void render_comparison(std::ostream& out, const SearchResult& result) {
    const Timeline& first = *result.timeline;
    std::vector<std::pair<std::string, const Timeline*>> series{{result.query, &first}};
    for (const Compared& c : result.compared) series.emplace_back(c.query, &c.timeline);
    out << "timeline by " << first.period << ": " << series.size() << " queries, "
        << first.counts() << " matching"
        << (first.share ? " (and their share of all with the same filters)" : "") << '\n';
    // The legend: each query's number, total and overall share.
    std::size_t query_width = 0, total_width = 0;
    for (const auto& [query, t] : series) {
        query_width = std::max(query_width, characters(query));
        total_width = std::max(total_width, with_thousands(t->total).size());
    }
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& [query, t] = series[i];
        const std::string total = with_thousands(t->total);
        out << "  " << i + 1 << "  " << query << std::string(query_width - characters(query), ' ')
            << "  " << std::string(total_width - total.size(), ' ') << total << ' '
            << (t->total != 1 ? t->counts() : t->stories ? "story" : "article");
        if (t->share) out << " (" << share_text(t->total, t->all_total) << ')';
        const std::string& suggestion = i == 0 ? result.did_you_mean : result.compared[i - 1].did_you_mean;
        if (!suggestion.empty()) out << "  did you mean: " << suggestion;
        out << '\n';
    }
    // The table: a row per period, a column per query (count and share), the base once.
    std::vector<std::vector<std::string>> rows{{"period"}};
    if (first.share) rows[0].push_back("all");
    for (std::size_t i = 0; i < series.size(); ++i) rows[0].push_back(std::to_string(i + 1));
    std::vector<const Timeline*> timelines;
    for (const auto& [query, t] : series) timelines.push_back(t);
    std::vector<std::string> folded;  // a run of empty periods: one line
    for (std::size_t b = 0; b < first.buckets.size(); ++b) {
        if (const std::size_t end = empty_run_end(timelines, b); end - b >= kFoldedRun) {
            rows.push_back({});
            folded.push_back(folded_line(first, b, end));
            b = end - 1;
            continue;
        }
        std::vector<std::string> row{first.buckets[b].label};
        if (first.share) row.push_back(with_thousands(first.buckets[b].all));
        for (const auto& [query, t] : series) {
            const Timeline::Bucket& bucket = t->buckets.at(b);
            row.push_back(with_thousands(bucket.count) +
                          (t->share ? " " + share_text(bucket.count, bucket.all) : ""));
        }
        rows.push_back(std::move(row));
    }
    std::vector<std::size_t> widths(rows[0].size(), 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    std::size_t next_folded = 0;
    for (const auto& row : rows) {
        if (row.empty()) {
            out << folded[next_folded++] << '\n';
            continue;
        }
        out << row[0] << std::string(widths[0] - row[0].size(), ' ');
        for (std::size_t c = 1; c < row.size(); ++c)
            out << "  " << std::string(widths[c] - row[c].size(), ' ') << row[c];
        out << '\n';
    }
}

std::string render_tables_csv(const SearchResult& result, bool header, const std::string* id) {
    std::string out;
    if (header) out = (id ? "id," : "") + std::string(kTablesCsvHeader) + '\n';
    const auto row = [&out, id](const std::string& query, const std::string& table,
                                const std::string& value, const std::string& start,
                                Xapian::doccount count, bool share, Xapian::doccount all,
                                const std::string& score = {}) {
        if (id) out += csv_field(*id) + ',';
        out += csv_field(query) + ',' + table + ',' + csv_field(value) + ',' + start + ',' +
               std::to_string(count) + ',';
        if (share) {
            out += std::to_string(all) + ',' + (all > 0 ? decimal(count, all) : std::string());
        } else {
            out += ',';
        }
        out += ',' + score + '\n';
    };
    const auto timeline_rows = [&](const std::string& query, const Timeline& t) {
        for (const Timeline::Bucket& b : t.buckets)
            row(query, "timeline", b.label, b.start, b.count, t.share, b.all);
    };
    if (result.timeline) timeline_rows(result.query, *result.timeline);
    for (const Compared& c : result.compared) timeline_rows(c.query, c.timeline);
    for (const Facet& facet : result.facets)
        for (const Facet::Count& c : facet.top)
            row(result.query, facet.field, c.value, "", c.count, facet.share, c.all);
    if (result.significance)
        for (const SignificantWord& w : result.significance->words) {
            char score[32];
            std::snprintf(score, sizeof score, "%.4f", w.score);
            row(result.query, "significant", w.word, "", w.count, true, w.count + w.others, score);
        }
    return out;
}

}  // namespace newsidx
