#include "kwic.hpp"

#include <algorithm>

#include "analyzer.hpp"

namespace newsidx {
namespace {

// The text of [begin, end), its line breaks as spaces.
std::string flat(const std::string& text, std::size_t begin, std::size_t end) {
    std::string out = text.substr(begin, end - begin);
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
}

}  // namespace

std::vector<KwicLine> kwic_lines(const std::string& text, const Xapian::Stem& stem,
                                 const std::set<std::string>& stems, unsigned n) {
    const std::vector<std::pair<std::size_t, std::size_t>> words = word_spans(text);
    std::vector<bool> key(words.size());
    for (std::size_t i = 0; i < words.size(); ++i)
        key[i] = stems.count(stem(text.substr(words[i].first, words[i].second - words[i].first))) > 0;
    std::vector<KwicLine> lines;
    for (std::size_t i = 0; i < words.size();) {
        if (!key[i]) {
            ++i;
            continue;
        }
        // A run of the query's words (a phrase) is one occurrence.
        std::size_t end = i + 1;
        while (end < words.size() && key[end]) ++end;
        const std::size_t from = i >= n ? i - n : 0, to = std::min(words.size(), end + n);
        lines.push_back({flat(text, words[from].first, words[i].first),
                         flat(text, words[i].first, words[end - 1].second),
                         flat(text, words[end - 1].second, words[to - 1].second)});
        // The left context ends and the right begins with what separates them from the
        // keyword: trimmed of spaces.
        KwicLine& l = lines.back();
        while (!l.left.empty() && l.left.back() == ' ') l.left.pop_back();
        while (!l.right.empty() && l.right.front() == ' ') l.right.erase(0, 1);
        i = end;
    }
    return lines;
}

}  // namespace newsidx
