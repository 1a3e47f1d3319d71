#include "newsidx/cli.hpp"

#include <unicode/uvernum.h>
#include <xapian.h>

#include <cstdlib>
#include <istream>
#include <ostream>
#include <utility>

#include "newsidx/results.hpp"
#include "schema.hpp"

namespace newsidx::cli {

std::string version_line(std::string_view program) {
    return std::string(program) + " (newsidx) " NEWSIDX_VERSION ", index schema " +
           std::to_string(schema::kSchemaVersion) + ", Xapian " + Xapian::version_string() +
           ", ICU " U_ICU_VERSION;
}

std::string default_db() {
    const char* env = std::getenv("NEWSIDX_DB");
    return env && *env ? env : "newsidx.db";
}

int run(std::string_view program, std::ostream& err, const std::function<int()>& body,
        const std::function<int(const Error&)>& code_of, int internal) {
    try {
        return body();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Internal) {
            err << program << ": internal error: " << e.what() << '\n';
            return internal;
        }
        err << describe_error(program, e);
        return code_of(e);
    } catch (const Xapian::Error& e) {
        // The library turns Xapian's errors into Errors at its edge; one that gets here is a
        // bug, but still one line and an exit code rather than std::terminate.
        const Error error(ErrorCode::Xapian, e.get_description());
        err << describe_error(program, error);
        return code_of(error);
    } catch (const std::exception& e) {
        err << program << ": internal error: " << e.what() << '\n';
        return internal;
    }
}

std::optional<BatchQuery> parse_batch_line(std::string_view line, std::string* reason) {
    reason->clear();
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') return std::nullopt;
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
        *reason = "expected id<TAB>query";
        return std::nullopt;
    }
    BatchQuery q{std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))};
    if (q.id.empty() || q.id.find_first_of(" \t") != std::string::npos) {
        *reason = "the id before the tab must be one word";
        return std::nullopt;
    }
    if (q.query.find_first_not_of(" \t") == std::string::npos) {
        *reason = "empty query for id " + q.id;
        return std::nullopt;
    }
    return q;
}

int run_batch(Searcher& searcher, std::istream& in, const std::string& name, Format format,
              std::ostream& out, std::ostream& err) {
    std::string line, reason;
    int line_no = 0, skipped = 0;
    bool header = format == Format::Csv;
    while (std::getline(in, line)) {
        ++line_no;
        const auto q = parse_batch_line(line, &reason);
        if (!q) {
            if (!reason.empty()) {
                err << name << ':' << line_no << ": " << reason << '\n';
                ++skipped;
            }
            continue;
        }
        try {
            const SearchResult result = searcher.search(q->query);
            if (format == Format::Trec)
                render_trec(out, q->id, result);
            else if (format == Format::Csv) {
                const std::string rows = render_tables_csv(result, false, &q->id);
                if (std::exchange(header, false)) out << "id," << kTablesCsvHeader << '\n';
                out << rows;
                // A query without a match has no row: said, so that its absence is not a gap.
                if (rows.empty())
                    err << name << ':' << line_no << ": no matches for id " << q->id
                        << ": no rows\n";
            }
            else
                out << render_json(result, q->id) << '\n';
        } catch (const Error& e) {
            // The line is reported and skipped, and the batch goes on (options were checked
            // before the index was opened, so an error here is this line's).
            err << name << ':' << line_no << ": " << e.what() << '\n';
            ++skipped;
        }
    }
    return skipped ? kBatchSkipped : kHits;
}

}  // namespace newsidx::cli
