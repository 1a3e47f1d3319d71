// libFuzzer target: any bytes as a query against a small index of samples/. The first byte
// picks the options (plain, --all, --expand, sort, offset); the rest is the query. search()
// must answer or throw newsidx::Error (a message for the user, exit 2), never anything else.
// With the first byte's bit 64, the rest is what searcher --serve gets instead: the
// parameters of GET /search (name=value&..., percent-encoded), mapped by search_request().
#include <unistd.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "analyzer.hpp"
#include "newsidx/error.hpp"
#include "newsidx/indexer.hpp"
#include "newsidx/results.hpp"
#include "newsidx/search.hpp"
#include "serve.hpp"

namespace {

class Quiet : public newsidx::IndexObserver {
  public:
    void on_rejected(const newsidx::RecordError&) override {}
    void on_warning(const std::string&) override {}
    void on_progress(std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t) override {}
};

struct Index {
    newsidx::IndexSet set;
};

const Index& index() {
    static const Index built = [] {
        namespace fs = std::filesystem;
        const fs::path dir =
            fs::temp_directory_path() / ("newsidx-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        newsidx::IndexOptions opts;
        opts.db_path = (dir / "db").string();
        opts.inputs = {NEWSIDX_SAMPLES};
        opts.rebuild = true;
        Quiet quiet;
        newsidx::run_index(opts, quiet);
        Index out{newsidx::IndexSet::open({opts.db_path})};
        // Xapian keeps its files open; the directory can go now.
        std::error_code ec;
        fs::remove_all(dir, ec);
        return out;
    }();
    return built;
}

void check(bool ok) {
    if (!ok) std::abort();
}

// "a=1&q=x%20y" -> {a: 1, q: "x y"}, as an HTTP server decodes a query string ('+' a space).
newsidx::serve::Params parse_params(std::string_view text) {
    const auto decode = [](std::string_view in) {
        std::string out;
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (in[i] == '+') {
                out += ' ';
            } else if (in[i] == '%' && i + 2 < in.size() &&
                       std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
                       std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
                out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
                i += 2;
            } else {
                out += in[i];
            }
        }
        return out;
    };
    newsidx::serve::Params params;
    while (!text.empty()) {
        const std::string_view pair = text.substr(0, text.find('&'));
        text.remove_prefix(std::min(text.size(), pair.size() + 1));
        const std::size_t eq = pair.find('=');
        params.emplace(decode(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1)));
    }
    return params;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const Index& ix = index();
    const std::uint8_t knobs = data[0];
    newsidx::SearchOptions so;
    so.query.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    so.plain = knobs & 1;
    so.match_all = knobs & 2;
    so.expand = (knobs & 4) ? 3 : 0;
    so.expand_min_words = 0;  // every query, when the knob asks for feedback
    so.ordered_proximity = so.unordered_proximity = (knobs & 32) ? 0.1 : 0;
    so.sort = (knobs & 8) ? newsidx::SortOrder::Newest : newsidx::SortOrder::Relevance;
    so.offset = (knobs & 16) ? 2 : 0;
    so.limit = 5;
    try {
        if (knobs & 64) {
            const auto request = newsidx::serve::search_request(
                so,
                parse_params(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1)));
            so = request.options;
            check(so.limit >= 1 && so.limit <= newsidx::serve::kMaxLimit);
            if (!request.copies.empty()) {
                newsidx::Searcher searcher(so, ix.set);
                if (const auto copies = searcher.copies(request.copies))
                    check(nlohmann::json::parse(newsidx::render_copies_json(*copies)).is_object());
                return 0;
            }
        }
        newsidx::Searcher searcher(so, ix.set);
        const newsidx::SearchResult r = searcher.search(so.query);
        check(r.hits.size() <= so.limit);
        for (const newsidx::Hit& h : r.hits) {
            check(newsidx::is_valid_utf8(h.snippet.text));
            for (const auto& [begin, end] : h.snippet.highlights)
                check(begin < end && end <= h.snippet.text.size());
        }
        std::ostringstream text;
        newsidx::render_text(text, r, false);
        check(nlohmann::json::parse(newsidx::render_json(r)).is_object());
    } catch (const newsidx::Error& e) {
        // The user's mistake, said in words; anything else (a Xapian or internal error) is a bug.
        check(e.code() == newsidx::ErrorCode::BadQuery ||
              e.code() == newsidx::ErrorCode::BadOption);
        check(e.what()[0] != '\0');
    }
    return 0;
}
