#include "synthetic_corpus.hpp"

#include <array>
#include <random>
#include <string_view>

namespace newsidx::bench {

std::vector<std::string> synthetic_articles(std::size_t count, std::size_t body_words) {
    static constexpr std::array<std::string_view, 64> kWords{
        "the",        "government", "said",       "on",        "tuesday",   "talks",
        "security",   "guarantees", "border",     "minister",  "agreement", "would",
        "a",          "of",         "to",         "in",        "and",       "for",
        "with",       "market",     "prices",     "inflation", "bank",      "rates",
        "council",    "harbour",    "workers",    "strike",    "election",  "voters",
        "parliament", "report",     "officials",  "company",   "shares",    "rose",
        "fell",       "percent",    "million",    "billion",   "year",      "week",
        "police",     "court",      "ruling",     "appeal",    "health",    "hospital",
        "climate",    "energy",     "wind",       "solar",     "record",    "season",
        "team",       "coach",      "match",      "league",    "museum",    "exhibition",
        "railway",    "passengers", "delegation", "ceasefire"};
    std::mt19937_64 rng(20221108);  // fixed seed: the same corpus on every run
    std::uniform_int_distribution<std::size_t> pick(0, kWords.size() - 1);
    std::uniform_int_distribution<int> day(1, 28), month(1, 12), year(2021, 2023);
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::string a;
        for (int w = 0; w < 8; ++w) {
            if (w) a += ' ';
            a += kWords[pick(rng)];
        }
        a[0] = static_cast<char>(a[0] - 'a' + 'A');
        char date[16];
        std::snprintf(date, sizeof date, "\n%04d%02d%02d\n", year(rng), month(rng), day(rng));
        a += date;
        a += "https://news.example.org/bench/" + std::to_string(i) + "\n";
        for (std::size_t w = 0; w < body_words; ++w) {
            a += kWords[pick(rng)];
            a += (w % 25 == 24) ? ".\n" : " ";
        }
        a += "end.\n";
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace newsidx::bench
