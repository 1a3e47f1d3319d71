// Google Benchmark programs for the hot paths: read + parse, analyse, index a batch, the copy
// test and a stream's commit of later copies, search, snippet. Each reports bytes/s and items/s (articles or queries).
//
//   build/bin/newsidx_bench                          synthetic articles (fixed seed)
//   NEWSIDX_BENCH_CORPUS=dir build/bin/newsidx_bench  also the first 2,000 files of a corpus
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer.hpp"
#include "article.hpp"
#include "copies.hpp"
#include "document.hpp"
#include "index_writer.hpp"
#include "newsidx/search.hpp"
#include "query_builder.hpp"
#include "snippet.hpp"
#include "synthetic_corpus.hpp"

namespace {

namespace fs = std::filesystem;
using newsidx::bench::synthetic_articles;

const std::vector<std::string>& articles() {
    static const std::vector<std::string> a = [] {
        if (const char* dir = std::getenv("NEWSIDX_BENCH_CORPUS")) {
            std::vector<fs::path> paths;
            for (const auto& e : fs::recursive_directory_iterator(dir))
                if (e.path().extension() == ".txt") paths.push_back(e.path());
            std::sort(paths.begin(), paths.end());
            paths.resize(std::min<std::size_t>(paths.size(), 2000));
            std::vector<std::string> out;
            for (const auto& p : paths) {
                std::ifstream in(p, std::ios::binary);
                std::ostringstream s;
                s << in.rdbuf();
                out.push_back(s.str());
            }
            if (!out.empty()) return out;
        }
        return synthetic_articles(2000);
    }();
    return a;
}

std::int64_t total_bytes(const std::vector<std::string>& files) {
    std::int64_t n = 0;
    for (const auto& f : files) n += static_cast<std::int64_t>(f.size());
    return n;
}

void BM_ParseArticle(benchmark::State& state) {
    const auto& files = articles();
    for (auto _ : state) {
        for (const auto& f : files) benchmark::DoNotOptimize(newsidx::parse_article("f.txt", f));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.size()));
    state.SetBytesProcessed(state.iterations() * total_bytes(files));
}
BENCHMARK(BM_ParseArticle)->Unit(benchmark::kMillisecond);

void BM_FoldText(benchmark::State& state) {
    std::vector<std::string> bodies;
    for (const auto& f : articles())
        bodies.push_back(newsidx::parse_article("f", f).article().body);
    for (auto _ : state) {
        for (const auto& b : bodies) benchmark::DoNotOptimize(newsidx::fold(b));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bodies.size()));
    state.SetBytesProcessed(state.iterations() * total_bytes(bodies));
}
BENCHMARK(BM_FoldText)->Unit(benchmark::kMillisecond);

void BM_AnalyzeArticle(benchmark::State& state) {
    std::vector<newsidx::Article> parsed;
    for (const auto& f : articles()) parsed.push_back(newsidx::parse_article("f", f).article());
    newsidx::DocumentBuilder builder{newsidx::Analyzer("english")};
    for (auto _ : state) {
        for (const auto& a : parsed) benchmark::DoNotOptimize(builder.build(a, "/f.txt"));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(parsed.size()));
    state.SetBytesProcessed(state.iterations() * total_bytes(articles()));
}
BENCHMARK(BM_AnalyzeArticle)->Unit(benchmark::kMillisecond);

// Parse + analyse + write + commit every article into a fresh on-disk index.
void BM_IndexBatch(benchmark::State& state) {
    const auto& files = articles();
    const fs::path dir = fs::temp_directory_path() / "newsidx-bench-index";
    newsidx::DocumentBuilder builder{newsidx::Analyzer("english")};
    for (auto _ : state) {
        state.PauseTiming();
        fs::remove_all(dir);
        state.ResumeTiming();
        auto writer = newsidx::IndexWriter::open(dir.string(), true, "english");
        std::size_t i = 0;
        for (const auto& f : files) {
            const auto parsed = newsidx::parse_article("f", f);
            const std::string path = "/bench/" + std::to_string(i++);
            newsidx::FileState st{f.size(), 0, newsidx::content_hash(f), parsed.article().url};
            writer.put(path, st, builder.build(parsed.article(), path));
        }
        writer.commit();
    }
    fs::remove_all(dir);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.size()));
    state.SetBytesProcessed(state.iterations() * total_bytes(files));
}
BENCHMARK(BM_IndexBatch)->Unit(benchmark::kMillisecond)->Iterations(3);

// The copy test (copies.hpp) on two versions of one article: a dateline, a credit and a changed
// word (what a story cluster's upkeep runs for each candidate it tests).
void BM_CopyTest(benchmark::State& state) {
    const auto& files = articles();
    std::vector<std::pair<newsidx::CopyText, newsidx::CopyText>> pairs;
    for (std::size_t i = 0; i < files.size() && pairs.size() < 200; ++i) {
        const auto parsed = newsidx::parse_article("f", files[i]);
        if (!parsed.ok()) continue;
        const auto& a = parsed.article();
        std::string edited = "LONDON (Reuters) - " + a.body + "\n(Reporting by Anna Clarke)";
        if (const auto at = edited.find(" the "); at != std::string::npos) edited.replace(at, 5, " a ");
        pairs.emplace_back(newsidx::copy_text(a.title, a.body), newsidx::copy_text(a.title, edited));
    }
    for (auto _ : state)
        for (const auto& [a, b] : pairs) benchmark::DoNotOptimize(newsidx::compare_copies(a, b));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.size()));
}
BENCHMARK(BM_CopyTest)->Unit(benchmark::kMicrosecond);

// A news stream's commit: 500 later copies of a story added to an index that holds 3,000 of
// its copies and 2,000 other articles (the update that decides only the new articles).
void BM_AddLaterCopies(benchmark::State& state) {
    const auto& files = articles();
    const fs::path dir = fs::temp_directory_path() / "newsidx-bench-stream";
    newsidx::DocumentBuilder builder{newsidx::Analyzer("english")};
    const auto story = newsidx::parse_article("f", files.front()).article();
    const auto copy = [&](int n) {
        newsidx::Article a = story;
        a.url = "https://copies.example.org/" + std::to_string(n);
        a.date = n < 3000 ? "20220201" : "20220301";
        a.body = "Outlet " + std::to_string(n % 7) + " - " + story.body;
        return a;
    };
    for (auto _ : state) {
        state.PauseTiming();
        fs::remove_all(dir);
        {
            auto writer = newsidx::IndexWriter::open(dir.string(), true, "english");
            for (std::size_t i = 1; i < files.size(); ++i) {
                const auto parsed = newsidx::parse_article("f", files[i]);
                if (!parsed.ok()) continue;
                const std::string path = "/bench/o" + std::to_string(i);
                writer.put(path, {files[i].size(), 0, newsidx::content_hash(files[i]), parsed.article().url},
                           builder.build(parsed.article(), path));
            }
            for (int n = 0; n < 3000; ++n) {
                const std::string path = "/bench/c" + std::to_string(n);
                const auto a = copy(n);
                writer.put(path, {1, 0, std::to_string(n), a.url}, builder.build(a, path));
            }
            writer.commit();
        }
        auto writer = newsidx::IndexWriter::open(dir.string(), false, "english");
        state.ResumeTiming();
        for (int n = 3000; n < 3500; ++n) {
            const std::string path = "/bench/c" + std::to_string(n);
            const auto a = copy(n);
            writer.put(path, {1, 0, std::to_string(n), a.url}, builder.build(a, path));
        }
        writer.commit();
    }
    fs::remove_all(dir);
    state.SetItemsProcessed(state.iterations() * 500);
}
BENCHMARK(BM_AddLaterCopies)->Unit(benchmark::kMillisecond)->Iterations(2);

// Any other change: one of 3,000 copies of a story removed (the band-connected part around it,
// the whole story, is clustered again).
void BM_RemoveOneCopy(benchmark::State& state) {
    const auto& files = articles();
    const fs::path dir = fs::temp_directory_path() / "newsidx-bench-remove";
    newsidx::DocumentBuilder builder{newsidx::Analyzer("english")};
    const auto story = newsidx::parse_article("f", files.front()).article();
    for (auto _ : state) {
        state.PauseTiming();
        fs::remove_all(dir);
        {
            auto writer = newsidx::IndexWriter::open(dir.string(), true, "english");
            for (int n = 0; n < 3000; ++n) {
                newsidx::Article a = story;
                a.url = "https://copies.example.org/" + std::to_string(n);
                a.body = "Outlet " + std::to_string(n % 7) + " - " + story.body;
                const std::string path = "/bench/c" + std::to_string(n);
                writer.put(path, {1, 0, std::to_string(n), a.url}, builder.build(a, path));
            }
            writer.commit();
        }
        auto writer = newsidx::IndexWriter::open(dir.string(), false, "english");
        state.ResumeTiming();
        writer.forget("/bench/c1500");
        writer.commit();
    }
    fs::remove_all(dir);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RemoveOneCopy)->Unit(benchmark::kMillisecond)->Iterations(2);

// A shared on-disk index of the articles, for the query benchmarks.
const std::string& bench_index() {
    static const std::string path = [] {
        const fs::path dir = fs::temp_directory_path() / "newsidx-bench-search";
        fs::remove_all(dir);
        auto writer = newsidx::IndexWriter::open(dir.string(), true, "english");
        newsidx::DocumentBuilder builder{newsidx::Analyzer("english")};
        std::size_t i = 0;
        for (const auto& f : articles()) {
            const auto parsed = newsidx::parse_article("f", f);
            const std::string p = "/bench/" + std::to_string(i++);
            newsidx::FileState st{f.size(), 0, newsidx::content_hash(f), parsed.article().url};
            writer.put(p, st, builder.build(parsed.article(), p));
        }
        writer.commit();
        return dir.string();
    }();
    return path;
}

const std::vector<std::string> kQueries{"security guarantees",    "\"border talks\"",
                                        "inflation rates",        "title:election",
                                        "harbour workers strike", "\"the government said\""};

void BM_SearchTop10WithSnippets(benchmark::State& state) {
    newsidx::SearchOptions o;
    o.db_paths = {bench_index()};
    newsidx::Searcher searcher(o);
    std::int64_t bytes = 0;
    for (auto _ : state) {
        for (const auto& q : kQueries) {
            const auto r = searcher.search(q);
            for (const auto& h : r.hits) bytes += static_cast<std::int64_t>(h.snippet.text.size());
            benchmark::DoNotOptimize(r);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kQueries.size()));
    state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_SearchTop10WithSnippets)->Unit(benchmark::kMicrosecond);

void BM_Snippet(benchmark::State& state) {
    const newsidx::IndexSet set = newsidx::IndexSet::open({bench_index()});
    const newsidx::SearchOptions o;
    const newsidx::QueryBuilder builder(set, o, newsidx::check_options(o));
    const Xapian::Query query = builder.build("security guarantees").combined();
    Xapian::Enquire enquire(set.database());
    const newsidx::SnippetTerms words = newsidx::snippet_terms(query);
    enquire.set_query(words.query);
    const Xapian::MSet mset = enquire.get_mset(0, 0);
    const Xapian::Stem stemmer = newsidx::Analyzer(set.members()[0].analyzer).snippet_stemmer();
    std::vector<std::string> bodies;
    for (const auto& f : articles()) {
        bodies.push_back(newsidx::parse_article("f", f).article().body);
        if (bodies.size() == 100) break;
    }
    for (auto _ : state) {
        for (const auto& b : bodies)
            benchmark::DoNotOptimize(newsidx::make_snippet(mset, b, stemmer, 240, words.stems));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bodies.size()));
    state.SetBytesProcessed(state.iterations() * total_bytes(bodies));
}
BENCHMARK(BM_Snippet)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
