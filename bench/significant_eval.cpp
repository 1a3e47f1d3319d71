// How well each --significance scoring says what a query's coverage is about, measured on
// stories it has not seen: the words found in one period's matches (the training period)
// should pick out the query's matching stories of another period (the test period) from all
// that period's stories. The ten best words, taken together as "any of them", give a
// precision and a recall there; the table prints their F1, per corpus and overall (issue #29,
// item 3; docs/news-features.md says which scoring is the default and why).
//
//   newsidx_significant_eval --db DB --cases bench/significant_cases.tsv
//
// A case line: name<TAB>train FROM..TO<TAB>test FROM..TO<TAB>query (dates YYYY-MM-DD).
#include <xapian.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "newsidx/search.hpp"
#include "schema.hpp"

namespace {

using newsidx::SearchOptions;

struct Case {
    std::string name, train_from, train_to, test_from, test_to, query;
};

std::vector<Case> read_cases(const std::string& path) {
    std::ifstream in(path);
    std::vector<Case> cases;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        Case c;
        std::string train, test;
        std::getline(fields, c.name, '\t');
        std::getline(fields, train, '\t');
        std::getline(fields, test, '\t');
        std::getline(fields, c.query);
        c.train_from = train.substr(0, 10), c.train_to = train.substr(12);
        c.test_from = test.substr(0, 10), c.test_to = test.substr(12);
        cases.push_back(c);
    }
    return cases;
}

std::string compact(const std::string& dashed) {
    return dashed.substr(0, 4) + dashed.substr(5, 2) + dashed.substr(8, 2);
}

// The test period's stories (each read as its first article, as --significant reads them) and
// the query's matching stories among them.
struct TestPeriod {
    std::map<std::string, Xapian::docid> first;  // cluster key -> its first article
    std::set<std::string> matching;
};

TestPeriod test_period(const std::string& db_path, const Xapian::Database& db, const Case& c) {
    TestPeriod t;
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, newsidx::schema::kDateSlot.slot,
                                    compact(c.test_from), compact(c.test_to)));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
    for (auto it = all.begin(); it != all.end(); ++it) {
        const std::string key = it.get_document().get_value(newsidx::schema::kClusterSlot.slot);
        auto [at, fresh] = t.first.try_emplace(key, *it);
        if (!fresh && *it < at->second) at->second = *it;
    }
    SearchOptions options;
    options.db_paths = {db_path};
    options.since = c.test_from;
    options.until = c.test_to;
    newsidx::Searcher searcher(options);
    searcher.each_match(c.query, [&](const newsidx::Hit& hit) { t.matching.insert(hit.cluster); });
    return t;
}

struct Score {
    double precision = 0, recall = 0, f1 = 0;
};

// "Any of the words" over the test period's stories, against its matching stories.
Score predict(const Xapian::Database& db, const TestPeriod& t, const std::vector<std::string>& terms) {
    std::set<Xapian::docid> with;
    for (const std::string& term : terms)
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) with.insert(*p);
    double predicted = 0, right = 0;
    for (const auto& [key, first] : t.first) {
        if (!with.count(first)) continue;
        ++predicted;
        right += t.matching.count(key);
    }
    Score s;
    s.precision = predicted ? right / predicted : 0;
    s.recall = t.matching.empty() ? 0 : right / static_cast<double>(t.matching.size());
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
    return s;
}

std::vector<std::string> best_terms(const std::string& db_path, const Case& c,
                                    const std::string& scoring, unsigned count) {
    SearchOptions options;
    options.db_paths = {db_path};
    options.since = c.train_from;
    options.until = c.train_to;
    options.limit = 1;
    options.snippets = false;
    options.significant = count;
    options.significance = scoring;
    newsidx::Searcher searcher(options);
    const newsidx::SearchResult r = searcher.search(c.query);
    std::vector<std::string> terms;
    if (r.significance)
        for (const auto& w : r.significance->words) terms.push_back(w.term);
    return terms;
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_path, cases_path;
    unsigned count = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--db") db_path = argv[i + 1];
        if (flag == "--cases") cases_path = argv[i + 1];
        if (flag == "--words") count = static_cast<unsigned>(std::stoul(argv[i + 1]));
    }
    if (db_path.empty() || cases_path.empty()) {
        std::cerr << "usage: newsidx_significant_eval --db DB --cases FILE [--words N]\n";
        return 2;
    }
    const Xapian::Database db(db_path);
    const std::vector<std::string> scorings = {"llr", "jlh", "xapian"};
    std::map<std::string, std::map<std::string, std::vector<Score>>> by_corpus;  // corpus, scoring
    for (const Case& c : read_cases(cases_path)) {
        const TestPeriod t = test_period(db_path, db, c);
        std::printf("%-10s %-22s test stories %5zu, matching %4zu:", c.name.c_str(),
                    c.query.c_str(), t.first.size(), t.matching.size());
        for (const std::string& scoring : scorings) {
            const Score s = predict(db, t, best_terms(db_path, c, scoring, count));
            by_corpus[c.name][scoring].push_back(s);
            by_corpus["all"][scoring].push_back(s);
            std::printf("  %s F1 %.3f (P %.2f R %.2f)", scoring.c_str(), s.f1, s.precision, s.recall);
        }
        std::printf("\n");
    }
    std::printf("\n| corpus | queries |");
    for (const auto& s : scorings) std::printf(" %s F1 | P | R |", s.c_str());
    std::printf("\n|---|---:|");
    for (std::size_t i = 0; i < scorings.size(); ++i) std::printf("---:|---:|---:|");
    std::printf("\n");
    for (const auto& [corpus, per] : by_corpus) {
        std::printf("| %s | %zu |", corpus.c_str(), per.begin()->second.size());
        for (const std::string& scoring : scorings) {
            Score mean;
            for (const Score& s : per.at(scoring)) {
                mean.f1 += s.f1 / per.at(scoring).size();
                mean.precision += s.precision / per.at(scoring).size();
                mean.recall += s.recall / per.at(scoring).size();
            }
            std::printf(" %.3f | %.2f | %.2f |", mean.f1, mean.precision, mean.recall);
        }
        std::printf("\n");
    }
    return 0;
}
