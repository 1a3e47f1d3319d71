#include "significant.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "analyzer.hpp"
#include "hits.hpp"
#include "document.hpp"
#include "newsidx/stored_record.hpp"
#include "ranking_model.hpp"
#include "schema.hpp"

namespace newsidx {
namespace {

// A word is scored when at least this many matching stories have it (Elasticsearch's
// significant_text has 3 too): a word of one story is that story's, not the coverage's.
constexpr Xapian::doccount kMinStories = 3;
// Against the other stories, the exact counts are taken for this many words (at least), the
// best by a first estimate from the index's article counts.
constexpr std::size_t kCandidates = 300;
// A word's written forms are read from at most this many of the matching stories.
constexpr std::size_t kFormSamples = 12;

// The articles of a match, each with its story (a number per cluster key), by story.
struct Matched {
    std::vector<std::pair<std::uint32_t, Xapian::docid>> articles;  // (story, docid), sorted
    std::vector<Xapian::docid> docids;                              // sorted
    std::vector<std::string> keys;                                  // by story
};

Matched matched(const Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet mset = enquire.get_mset(0, std::max<Xapian::doccount>(1, db.get_doccount()));
    Matched m;
    std::unordered_map<std::string, std::uint32_t> ids;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        std::string key = it.get_document().get_value(schema::kClusterSlot.slot);
        const auto [at, fresh] = ids.try_emplace(key, static_cast<std::uint32_t>(m.keys.size()));
        if (fresh) m.keys.push_back(std::move(key));
        m.articles.emplace_back(at->second, *it);
        m.docids.push_back(*it);
    }
    std::sort(m.articles.begin(), m.articles.end());
    std::sort(m.docids.begin(), m.docids.end());
    return m;
}

// The stories each word is in: a story has a word when any of its articles (of the match)
// has it.
std::map<std::string, Xapian::doccount> story_counts(const Xapian::Database& db, const Matched& m,
                                                     const ranking::ExpansionTerms& wanted) {
    std::map<std::string, std::pair<Xapian::doccount, std::uint32_t>> counted;  // count, last story
    for (const auto& [story, did] : m.articles)
        for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
            if (!wanted(*t) || characters(*t) < 2) continue;  // not "s" of "'s"
            auto [at, fresh] = counted.try_emplace(*t, 0, story);
            if (fresh || at->second.second != story) ++at->second.first;
            at->second.second = story;
        }
    std::map<std::string, Xapian::doccount> counts;
    for (const auto& [term, c] : counted) counts.emplace_hint(counts.end(), term, c.first);
    return counts;
}

// Every article that passes the filters, and its story (a number per cluster key).
class StoryMap : public Xapian::MatchSpy {
  public:
    void operator()(const Xapian::Document& doc, double) override {
        const Xapian::docid did = doc.get_docid();
        if (story_.size() <= did) story_.resize(did + 1, 0);
        const auto [at, fresh] = ids_.try_emplace(doc.get_value(schema::kClusterSlot.slot),
                                                  static_cast<std::uint32_t>(ids_.size() + 1));
        story_[did] = at->second;
    }
    /// Leaves the matching stories out of stories_with(); how many of them pass the filters.
    Xapian::doccount leave_out(const std::vector<std::string>& keys) {
        left_out_.assign(ids_.size() + 1, false);
        seen_.assign(ids_.size() + 1, 0);
        Xapian::doccount n = 0;
        for (const std::string& key : keys)
            if (const auto it = ids_.find(key); it != ids_.end()) left_out_[it->second] = true, ++n;
        return n;
    }
    Xapian::doccount stories() const { return static_cast<Xapian::doccount>(ids_.size()); }
    /// The other stories (those not left out) that have `term`: any of their articles that
    /// pass the filters.
    Xapian::doccount stories_with(const Xapian::Database& db, const std::string& term) {
        ++stamp_;
        Xapian::doccount n = 0;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
            const Xapian::docid did = *p;
            if (did >= story_.size() || story_[did] == 0) continue;
            const std::uint32_t story = story_[did];
            if (left_out_[story] || seen_[story] == stamp_) continue;
            seen_[story] = stamp_;
            ++n;
        }
        return n;
    }

  private:
    std::vector<std::uint32_t> story_;  // by docid; 0: not among them
    std::vector<bool> left_out_;        // by story
    std::vector<std::uint32_t> seen_;   // by story: the stamp of the last term that counted it
    std::uint32_t stamp_ = 0;
    std::unordered_map<std::string, std::uint32_t> ids_;
};

struct Scored {
    std::string term;
    Xapian::doccount count = 0, others = 0;
    double score = 0;
};

double score_of(const std::string& scoring, const Scored& s, double f, double r) {
    return scoring == "jlh" ? jlh(s.count, f, s.others, r) : log_likelihood(s.count, f, s.others, r);
}

// Xapian's expand weights, over the matching articles as the relevance set: its best terms.
std::vector<std::pair<std::string, double>> expand_weights(const Xapian::Database& db,
                                                           const std::vector<Xapian::docid>& docs,
                                                           const ranking::ExpansionTerms& wanted,
                                                           std::size_t count) {
    struct Decider : Xapian::ExpandDecider {
        const ranking::ExpansionTerms& wanted;
        explicit Decider(const ranking::ExpansionTerms& w) : wanted(w) {}
        bool operator()(const std::string& term) const override { return wanted(term); }
    } decider(wanted);
    Xapian::Enquire enquire(db);
    Xapian::RSet relevant;
    for (const Xapian::docid did : docs) relevant.add_document(did);
    const Xapian::ESet eset = enquire.get_eset(static_cast<Xapian::termcount>(count), relevant,
                                               &decider);
    std::vector<std::pair<std::string, double>> out;
    for (auto t = eset.begin(); t != eset.end(); ++t) out.emplace_back(*t, t.get_weight());
    return out;
}

// The words of the matches against the other stories that pass the filters.
std::vector<Scored> against_the_rest(const SignificantInput& in, const Matched& matches,
                                     const std::map<std::string, Xapian::doccount>& counts,
                                     const ranking::ExpansionTerms& wanted, Significance& out) {
    const Xapian::Database& db = *in.db;
    StoryMap stories;
    spy_on_filtered(db, in.base, {&stories});
    out.others = stories.stories() - stories.leave_out(matches.keys);
    const double f = out.stories;
    const double r = std::max(1.0, static_cast<double>(out.others));
    // The candidates: Xapian's best, or the best by an estimate of the others from the
    // index's article counts (scaled to stories).
    std::vector<Scored> candidates;
    if (in.scoring == "xapian") {
        for (const auto& [term, weight] : expand_weights(db, matches.docids, wanted, kCandidates)) {
            const auto n = counts.find(term);
            if (n != counts.end() && n->second >= kMinStories)
                candidates.push_back({term, n->second, 0, weight});
        }
    } else {
        const double scale = stories.stories() / std::max(1.0, static_cast<double>(db.get_doccount()));
        for (const auto& [term, n] : counts) {
            if (n < kMinStories) continue;
            Scored s{term, n, 0, 0};
            s.others = static_cast<Xapian::doccount>(
                std::max(0.0, db.get_termfreq(term) * scale - n));
            s.score = score_of(in.scoring, s, f, r);
            if (s.score > 0) candidates.push_back(s);
        }
        const std::size_t keep = std::max<std::size_t>(kCandidates, 10 * in.count);
        if (candidates.size() > keep) {
            std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                             candidates.end(),
                             [](const Scored& a, const Scored& b) { return a.score > b.score; });
            candidates.resize(keep);
        }
    }
    for (Scored& s : candidates) {
        s.others = stories.stories_with(db, s.term);
        if (in.scoring != "xapian") s.score = score_of(in.scoring, s, f, r);
    }
    return candidates;
}

// The words of the matches against the matches of the period before.
std::vector<Scored> against_before(const SignificantInput& in,
                                   const std::map<std::string, Xapian::doccount>& counts,
                                   const ranking::ExpansionTerms& wanted, Significance& out) {
    const Matched before = matched(*in.db, in.previous);
    const std::map<std::string, Xapian::doccount> earlier = story_counts(*in.db, before, wanted);
    out.others = static_cast<Xapian::doccount>(before.keys.size());
    const double f = out.stories, r = std::max<double>(1, out.others);
    std::vector<Scored> scored;
    if (out.others == 0) return scored;  // nothing to set the matches against
    for (const auto& [term, n] : counts) {
        if (n < kMinStories) continue;
        const auto e = earlier.find(term);
        Scored s{term, n, e == earlier.end() ? 0 : e->second, 0};
        s.score = score_of(in.scoring, s, f, r);
        if (s.score > 0) scored.push_back(s);
    }
    return scored;
}

// The form the matching articles most often write `term` in (the first met of equals).
std::string written_form(const Xapian::Database& db, const std::string& term,
                         const std::vector<Xapian::docid>& matches) {
    std::map<std::string, std::size_t> forms;
    std::vector<std::string> order;
    std::size_t read = 0;
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && read < kFormSamples; ++p) {
        if (!std::binary_search(matches.begin(), matches.end(), *p)) continue;
        ++read;
        const Xapian::Document doc = db.get_document(*p);
        const StoredRecord record = StoredRecord::of(doc);
        const Xapian::Stem stem = Analyzer(analyzer_of(doc)).snippet_stemmer();
        // A headline in capitals (Reuters writes them so) says nothing of how a word is written.
        const LatinLetters title = latin_letters(record.title);
        const std::string text =
            (title.upper > 0 && title.lower == 0 ? std::string() : record.title + "\n") + record.body;
        std::size_t pos = 0;
        for (std::string_view word = next_word(text, &pos); !word.empty();
             word = next_word(text, &pos)) {
            if (stem(std::string(word)) != term) continue;
            const auto [at, fresh] = forms.try_emplace(std::string(word), 0);
            if (fresh) order.push_back(at->first);
            ++at->second;
        }
    }
    std::string best = term;
    std::size_t most = 0;
    for (const std::string& form : order)
        if (forms[form] > most) most = forms[form], best = form;
    return best;
}

}  // namespace

double log_likelihood(double a, double f, double c, double r) {
    if (f <= 0 || r <= 0 || a / f <= c / r) return 0;
    const double n = f + r, with = a + c, without = n - with;
    const auto part = [](double observed, double expected) {
        return observed > 0 && expected > 0 ? observed * std::log(observed / expected) : 0.0;
    };
    return 2 * (part(a, f * with / n) + part(f - a, f * without / n) + part(c, r * with / n) +
                part(r - c, r * without / n));
}

double jlh(double a, double f, double c, double r) {
    if (f <= 0 || f + r <= 0) return 0;
    const double foreground = a / f, background = (a + c) / (f + r);
    if (background <= 0 || foreground <= background) return 0;
    return (foreground - background) * (foreground / background);
}

Significance significant_words(const SignificantInput& in) {
    Significance out;
    out.scoring = in.scoring;
    out.against = in.previous.empty() ? "rest" : "previous";
    out.period = in.previous_period;
    const Xapian::Database& db = *in.db;
    const Matched matches = matched(db, in.matches);
    out.stories = static_cast<Xapian::doccount>(matches.keys.size());
    const ranking::ExpansionTerms wanted(in.own, in.analyzers);
    const std::map<std::string, Xapian::doccount> counts = story_counts(db, matches, wanted);
    std::vector<Scored> scored = in.previous.empty()
                                     ? against_the_rest(in, matches, counts, wanted, out)
                                     : against_before(in, counts, wanted, out);
    // Best first; equal scores in term order, so that an answer does not depend on a map's.
    std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        return a.score != b.score ? a.score > b.score : a.term < b.term;
    });
    if (scored.size() > in.count) scored.resize(in.count);
    for (const Scored& s : scored)
        out.words.push_back(
            {written_form(db, s.term, matches.docids), s.term, s.count, s.others, s.score});
    return out;
}

}  // namespace newsidx
