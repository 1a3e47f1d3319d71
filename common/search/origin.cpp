#include "origin.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "analyzer.hpp"
#include "article.hpp"
#include "newsidx/error.hpp"
#include "newsidx/stored_record.hpp"
#include "schema.hpp"

namespace newsidx {
namespace {

// The candidates: articles with a phrase of the passage, every kOriginRun-th run, at most this
// many phrases; and, as a phrase can miss where the index splits words otherwise ("U.S.") or
// a sentence ends inside a run, the best by BM25 of the passage's words, at most this many.
constexpr std::size_t kMaxPhrases = 80;
constexpr Xapian::doccount kWordCandidates = 1000;

std::string phrases_query(const std::vector<std::string>& runs) {
    std::string text;
    const std::size_t step = std::max<std::size_t>(
        1, std::max(kOriginRun, (runs.size() + kMaxPhrases - 1) / kMaxPhrases));
    for (std::size_t i = 0; i < runs.size(); i += step) {
        text += (text.empty() ? "\"" : " OR \"") + runs[i] + "\"";
        // The last run too, so that the passage's end is looked for.
        if (i + step >= runs.size() && i + 1 != runs.size())
            text += " OR \"" + runs.back() + "\"";
    }
    return text;
}

// The share of `runs` (of `size` words each) that the article's text has.
double coverage(const StoredRecord& record, const std::vector<std::string>& runs,
                std::size_t size) {
    const std::vector<std::string> words = origin_words(record.title + "\n" + record.body);
    std::unordered_set<std::string> own;
    for (const std::string& run : word_runs(words, size)) own.insert(run);
    std::size_t found = 0;
    for (const std::string& run : runs) found += own.count(run);
    return runs.empty() ? 0 : static_cast<double>(found) / static_cast<double>(runs.size());
}

// Numbers the stories in the order of their first carrier; the sites likewise.
void spread(Origin& origin) {
    std::map<std::string, unsigned> stories;
    std::map<std::string, std::size_t> sites;
    for (Carrier& c : origin.carriers) {
        c.story = stories.try_emplace(c.cluster, static_cast<unsigned>(stories.size() + 1))
                      .first->second;
        c.copy_of_first = c.story == 1;
        const auto [at, fresh] = sites.try_emplace(c.article.site, origin.sites.size());
        if (fresh) origin.sites.push_back({c.article.site, c.article.date, 0, 0});
        ++origin.sites[at->second].articles;
        origin.sites[at->second].whole += c.whole;
    }
    origin.stories = static_cast<unsigned>(stories.size());
}

}  // namespace

std::vector<std::string> origin_words(const std::string& passage) {
    const std::string key = word_key(passage);
    std::vector<std::string> words;
    for (std::size_t at = 0; at < key.size();) {
        std::size_t end = key.find(' ', at);
        if (end == std::string::npos) end = key.size();
        if (end > at) words.push_back(key.substr(at, end - at));
        at = end + 1;
    }
    return words;
}

std::vector<std::string> word_runs(const std::vector<std::string>& words, std::size_t size) {
    std::vector<std::string> runs;
    if (words.empty() || size == 0) return runs;
    const std::size_t n = size;
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
        std::string run = words[i];
        for (std::size_t k = 1; k < n; ++k) run += ' ' + words[i + k];
        runs.push_back(std::move(run));
    }
    return runs;
}

Origin find_origin(const Xapian::Database& db, const QueryBuilder& builder,
                   const std::string& passage) {
    std::vector<std::string> words = origin_words(passage);
    if (words.size() < kMinOriginWords)
        throw Error(ErrorCode::BadQuery, "origin: a passage of at least " +
                                             std::to_string(kMinOriginWords) +
                                             " words is needed (a quote, a sentence or more)");
    if (words.size() > kMaxOriginWords) words.resize(kMaxOriginWords);
    Origin origin;
    origin.words = words.size();
    const std::size_t size = std::min(kOriginRun, words.size());
    const std::vector<std::string> runs = word_runs(words, size);
    origin.runs = runs.size();
    // The candidates, each read once.
    std::set<Xapian::docid> candidates;
    const auto add = [&](const std::string& text, Xapian::doccount most, bool ranked) {
        const BuiltQuery built = builder.build(text);
        Xapian::Enquire enquire(db);
        enquire.set_query(built.combined());
        if (!ranked) {
            enquire.set_weighting_scheme(Xapian::BoolWeight());
            enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        }
        const Xapian::MSet found = enquire.get_mset(0, most);
        if (!ranked) origin.capped = found.get_matches_lower_bound() > found.size();
        for (auto it = found.begin(); it != found.end(); ++it) candidates.insert(*it);
    };
    add(phrases_query(runs), kMaxOriginCandidates, false);
    std::string bare;
    for (const std::string& word : words) (bare += bare.empty() ? "" : " ") += word;
    add(bare, kWordCandidates, true);
    for (const Xapian::docid did : candidates) {
        const Xapian::Document doc = db.get_document(did);
        const StoredRecord record = StoredRecord::of(doc);
        const double share = coverage(record, runs, size);
        if (share < kMinOriginShare) continue;
        Carrier c;
        c.article = {dashed_date(record.date), url_host(record.url).value_or(""), record.url,
                     record.title, record.path};
        c.coverage = share;
        c.whole = share >= 1.0;
        c.cluster = doc.get_value(schema::kClusterSlot.slot);
        origin.carriers.push_back(std::move(c));
    }
    std::sort(origin.carriers.begin(), origin.carriers.end(), [](const Carrier& a, const Carrier& b) {
        return a.article.date != b.article.date ? a.article.date < b.article.date
                                                : a.article.url < b.article.url;
    });
    spread(origin);
    return origin;
}

}  // namespace newsidx
