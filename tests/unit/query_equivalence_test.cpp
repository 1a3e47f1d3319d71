// The query language's rewrite (issue #25) changed how a query is read, not what it means: over
// every query of the tests and the fuzz corpus (tests/query_corpus/queries.txt), under four sets
// of options, the Xapian query built now is the one the string passes of 4b7e1eb built
// (tests/query_corpus/golden.tsv, written by that code), except where the two fixes apply.
// NEWSIDX_UPDATE_GOLDEN=1 writes the golden file anew instead of comparing.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/options.hpp"
#include "query_corpus.hpp"
#include "search_fixture.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

const std::string kCorpus = std::string(NEWSIDX_SOURCE_DIR) + "/tests/query_corpus/queries.txt";
const std::string kGolden = std::string(NEWSIDX_SOURCE_DIR) + "/tests/query_corpus/golden.tsv";

// The sets of options each query is built under.
struct Variant {
    const char* name;
    void (*apply)(SearchOptions&);
};
const Variant kVariants[] = {
    {"default", [](SearchOptions&) {}},
    {"all", [](SearchOptions& o) { o.match_all = true; }},
    {"plain", [](SearchOptions& o) { o.plain = true; }},
    {"lang=fr", [](SearchOptions& o) { o.language = "fr"; }},
};

// An index of samples/ and of the multilingual test articles (each analysed in its own
// language: a query is parsed once per analyzer), built once per process.
const std::string& corpus_db() {
    static const TempDir dir;
    static const std::string db = [] {
        IndexOptions opts;
        opts.db_path = (dir.path() / "db").string();
        opts.inputs = {NEWSIDX_SAMPLES, std::string(NEWSIDX_TEST_DATA) + "/multilingual"};
        opts.jobs = 1;
        SilentObserver quiet;
        run_index(opts, quiet);
        return opts.db_path;
    }();
    return db;
}

// 64-bit FNV-1a: a short, stable fingerprint of a long description.
std::string fingerprint(const std::string& text) {
    std::uint64_t h = 1469598103934665603ull;
    for (const unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

struct Row {
    std::string fingerprint;
    std::string shown;  // the start of the description, for a person reading a failure
};

std::map<std::pair<std::string, std::string>, Row> read_golden() {
    std::map<std::pair<std::string, std::string>, Row> rows;
    std::ifstream in(kGolden);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string variant, query;
        Row row;
        std::getline(fields, variant, '\t');
        std::getline(fields, query, '\t');
        std::getline(fields, row.fingerprint, '\t');
        std::getline(fields, row.shown);
        rows[{variant, query}] = row;
    }
    return rows;
}

TEST(QueryEquivalence, EveryQueryOfTheTestsBuildsTheQueryTheStringPassesBuilt) {
    const IndexSet set = IndexSet::open({corpus_db()});
    const std::vector<std::string> queries = read_query_corpus(kCorpus);
    ASSERT_GT(queries.size(), 2000u);
    const bool update = std::getenv("NEWSIDX_UPDATE_GOLDEN") != nullptr;
    std::ofstream out;
    if (update) out.open(kGolden);
    const auto golden = update ? decltype(read_golden()){} : read_golden();
    std::size_t compared = 0, fixed = 0;
    for (const Variant& variant : kVariants) {
        SearchOptions options;
        variant.apply(options);
        for (const std::string& query : queries) {
            const std::string built = describe_built_query(set, options, query);
            const std::string line = escape_query(query);
            const std::string shown = escape_query(built.substr(0, 60));
            if (update) {
                out << variant.name << '\t' << line << '\t' << fingerprint(built) << '\t' << shown
                    << '\n';
                continue;
            }
            const auto row = golden.find({variant.name, line});
            ASSERT_NE(row, golden.end()) << "not in the golden file: " << line;
            if (row->second.fingerprint == fingerprint(built)) {
                ++compared;
                continue;
            }
            if (a_fix_applies(query)) {
                ++fixed;
                if (std::getenv("NEWSIDX_SHOW_FIXED"))
                    std::cout << variant.name << ": " << line << "\n  was: " << row->second.shown
                              << "\n  now: " << shown << '\n';
                continue;
            }
            ADD_FAILURE() << variant.name << ": " << line << "\n  was: " << row->second.shown
                          << "\n  now: " << shown;
        }
    }
    if (!update) {
        // The fixes change few queries; a comparison that skipped many would prove little.
        EXPECT_GT(compared, 4 * queries.size() - 200);
        std::cout << compared << " queries build what they built; " << fixed
                  << " changed by the fixes\n";
    }
}

}  // namespace
}  // namespace newsidx::test
