#include "query_parser.hpp"

#include "newsidx/error.hpp"
#include "query_text.hpp"
#include "schema.hpp"
#include "wildcards.hpp"
#include "xapian_errors.hpp"

namespace newsidx::query {

namespace {

// A query of filters only ("date:1987", "site:bbc.co.uk") comes back from the parser as
// "0 * terms": Xapian 1.4.22 then reads the terms' postings without their wdf, and once an
// article was deleted, a term that every article has (Y1987 in an index of 1987) fails half
// way ("Unexpected end of posting list"; issue #26). The same matches as a filter of every
// document, which reads them otherwise.
Xapian::Query weighted_filters(const Xapian::Query& q) {
    if (q.get_type() == Xapian::Query::OP_SCALE_WEIGHT && q.get_num_subqueries() == 1 &&
        q.get_description().rfind("Query(0 * ", 0) == 0)
        return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll, q.get_subquery(0));
    return q;
}

}  // namespace

Xapian::Query parse(const Analyzer& analyzer, const Xapian::Database& db, const std::string& raw,
                    const std::string& folded, const ParseOptions& options) {
    const bool plain = options.plain;
    Xapian::QueryParser qp;
    qp.set_database(db);
    analyzer.configure(qp);
    for (const schema::Prefix* field : schema::kPrefixes) {
        if (field->query_name.empty()) continue;
        if (field->is_boolean)
            qp.add_boolean_prefix(std::string(field->query_name), std::string(field->prefix));
        else
            qp.add_prefix(std::string(field->query_name), std::string(field->prefix));
    }
    qp.add_rangeprocessor(
        (new Xapian::DateRangeProcessor(schema::kDateSlot.slot, "date:"))->release());
    for (const auto& [field, prefix] : {std::pair{kYearField, schema::kYear.prefix},
                                        std::pair{kMonthField, schema::kMonth.prefix},
                                        std::pair{kDayField, schema::kDay.prefix}})
        qp.add_boolean_prefix(std::string(field.substr(0, field.size() - 1)), std::string(prefix));
    qp.set_default_op(options.match_all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    // "a*" on a large index would OR together every word starting with "a": keep the most
    // common ones (docs/query-syntax.md).
    qp.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    unsigned flags = plain ? 0u
                           : Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                                 Xapian::QueryParser::FLAG_LOVEHATE |
                                 Xapian::QueryParser::FLAG_WILDCARD |
                                 Xapian::QueryParser::FLAG_PURE_NOT;
    WildcardSlots slots;
    WildcardExpander expander(db, slots, analyzer.stemmer(), analyzer.stems());
    const Xapian::Stem stem = analyzer.stemmer();
    const std::string cut =
        analyzer.stems()
            ? cut_wildcards(folded, [&](const std::string& word) { return stem(word); })
            : folded;
    if (!plain) qp.add_prefix(std::string(WildcardSlots::kField), &expander);
    try {
        try {
            return weighted_filters(qp.parse_query(plain ? cut : slots.take(cut, true), flags));
        } catch (const Xapian::UnimplementedError&) {
            // A wildcard word that the client expanded where Xapian's operators take only
            // terms or Xapian's own wildcards (beside NEAR in a way beside_proximity() missed):
            // the words' wildcards are left to Xapian.
            if (plain) throw;
            return weighted_filters(qp.parse_query(slots.take(cut, false), flags));
        }
    } catch (const Xapian::QueryParserError& e) {
        throw Error(ErrorCode::BadQuery,
                    "cannot parse query '" + raw + "'" + describe_syntax_error(raw, e.get_msg()))
            .with_hint(
                "quote words that look like operators, e.g. \"AND\"; see docs/query-syntax.md");
    } catch (...) {
        detail::rethrow_xapian_error("parsing query", "");
    }
}

}  // namespace newsidx::query
