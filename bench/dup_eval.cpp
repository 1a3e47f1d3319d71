// Precision and recall of near-duplicate detection on the frozen labelled set (bench/dups):
//   bench/dups/labelled_set.py materialise CORPORA OUT && newsidx_dup_eval OUT
// For each threshold, a pair counts as found when the two articles would be similar for the
// indexer (clusters.hpp): a shared band term and at least that share of agreeing minima.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer.hpp"
#include "article.hpp"
#include "clusters.hpp"

namespace {

std::optional<newsidx::Signature> signature_of_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const auto parsed = newsidx::parse_article(path, bytes.str());
    if (!parsed.ok()) {
        std::cerr << parsed.error().to_string() << "\n";
        return std::nullopt;
    }
    return newsidx::signature_of(newsidx::fold(parsed.article().body));
}

bool share_band(const newsidx::Signature& a, const newsidx::Signature& b) {
    const auto x = a.band_terms(), y = b.band_terms();
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] == y[i]) return true;
    return false;
}

struct Pair {
    std::string kind;
    bool copy = false;
    double similarity = 0;  // 0 when no band is shared or an article has no signature
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: newsidx_dup_eval DIR  (DIR from labelled_set.py materialise)\n";
        return 2;
    }
    const std::string dir = argv[1];
    std::ifstream labels(dir + "/pairs.tsv");
    std::vector<Pair> pairs;
    std::string line;
    while (std::getline(labels, line)) {
        std::istringstream fields(line);
        std::string kind, label, a, b;
        std::getline(fields, kind, '\t');
        std::getline(fields, label, '\t');
        std::getline(fields, a, '\t');
        std::getline(fields, b, '\t');
        const auto sa = signature_of_file(dir + "/a/" + a), sb = signature_of_file(dir + "/a/" + b);
        Pair p{kind, label == "1", 0};
        if (sa && sb && share_band(*sa, *sb)) p.similarity = sa->similarity(*sb);
        pairs.push_back(p);
    }
    if (pairs.empty()) {
        std::cerr << "no pairs in " << dir << "/pairs.tsv\n";
        return 1;
    }
    std::printf(
        "%zu pairs; a pair is found at threshold t when similar (shared band, share >= t)\n",
        pairs.size());
    std::printf("%-6s %-9s %-9s %-6s %-6s %-6s | recall: real edited | false: real english\n", "t",
                "precision", "recall", "tp", "fp", "fn");
    for (int step = 20; step <= 90; step += 5) {
        const double t = step / 100.0;
        std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (found, of)
        int tp = 0, fp = 0, fn = 0;
        for (const Pair& p : pairs) {
            const bool found = p.similarity > 0 && p.similarity >= t;
            tp += found && p.copy;
            fp += found && !p.copy;
            fn += !found && p.copy;
            auto& k = by_kind[p.kind + (p.copy ? "+" : "-")];
            k.first += found;
            k.second += 1;
        }
        auto share = [&](const char* k) {
            const auto& v = by_kind[k];
            return v.second ? static_cast<double>(v.first) / v.second : 0.0;
        };
        std::printf("%-6.2f %-9.3f %-9.3f %-6d %-6d %-6d | %.3f %.3f | %.3f %.3f\n", t,
                    tp + fp ? static_cast<double>(tp) / (tp + fp) : 1.0,
                    static_cast<double>(tp) / (tp + fn), tp, fp, fn, share("real+"),
                    share("edited+"), share("real-"), share("english-"));
    }
}
