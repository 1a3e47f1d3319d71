#include "all_words.hpp"

#include "ranking_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace newsidx::detail {

AllWordsSource::AllWordsSource(const Xapian::Database& whole, std::vector<std::string> words,
                               Bm25Parameters bm25, double scale, Window window)
    : words_(std::move(words)), bm25_(bm25), window_(window) {
    const double documents = whole.get_doccount();
    average_length_ = whole.get_avlength();
    if (average_length_ <= 0) average_length_ = 1;  // no article has a word
    // As BM25Weight with k3 = 1 weighs a word the query has once.
    for (const std::string& w : words_)
        term_weights_.push_back(ranking::bm25_idf(documents, whole.get_termfreq(w)) * (bm25_.k1 + 1) *
                                scale);
}

AllWordsSource::AllWordsSource(std::vector<std::string> words, std::vector<double> term_weights,
                               Bm25Parameters bm25, double average_length, Window window)
    : words_(std::move(words)),
      term_weights_(std::move(term_weights)),
      bm25_(bm25),
      average_length_(average_length),
      window_(window) {}

Xapian::PostingSource* AllWordsSource::clone() const {
    return new AllWordsSource(words_, term_weights_, bm25_, average_length_, window_);
}

void AllWordsSource::init(const Xapian::Database& db) {
    db_ = db;
    postings_.clear();
    docid_ = 0;
    at_end_ = words_.empty();
    order_.resize(words_.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::vector<Xapian::doccount> freqs;
    for (const std::string& w : words_) freqs.push_back(db.get_termfreq(w));
    std::sort(order_.begin(), order_.end(),
              [&](std::size_t a, std::size_t b) { return freqs[a] < freqs[b]; });
    termfreq_max_ = words_.empty() ? 0 : freqs[order_.front()];
    // As Xapian estimates an AND: the rarest word's count times the others' shares.
    double estimate = termfreq_max_;
    const double documents = std::max<double>(1, db.get_doccount());
    for (std::size_t i = 1; i < order_.size(); ++i) estimate *= freqs[order_[i]] / documents;
    termfreq_est_ = static_cast<Xapian::doccount>(std::lround(estimate));
    if (termfreq_max_ == 0) at_end_ = true;
    for (std::size_t i : order_) postings_.push_back(db.postlist_begin(words_[i]));
    // Its most: every word at a wdf so large that its length part vanishes.
    set_maxweight(std::accumulate(term_weights_.begin(), term_weights_.end(), 0.0));
}

void AllWordsSource::align(Xapian::docid did) {
    Xapian::PostingIterator& lead = postings_.front();
    const Xapian::PostingIterator end = db_.postlist_end(words_[order_.front()]);
    while (true) {
        lead.skip_to(did);
        if (lead == end) {
            at_end_ = true;
            return;
        }
        did = *lead;
        bool all = true;
        for (std::size_t i = 1; i < postings_.size(); ++i) {
            Xapian::PostingIterator& p = postings_[i];
            p.skip_to(did);
            if (p == db_.postlist_end(words_[order_[i]])) {
                at_end_ = true;
                return;
            }
            if (*p != did) {
                did = *p;  // the lead catches up from there
                all = false;
                break;
            }
        }
        if (all && in_window(did)) {
            docid_ = did;
            return;
        }
        if (all) ++did;
    }
}

bool AllWordsSource::in_window(Xapian::docid did) const {
    if (window_.span == 0 || words_.size() != 2) return true;
    const auto positions = [&](const std::string& word) {
        return std::vector<Xapian::termpos>(db_.positionlist_begin(did, word),
                                            db_.positionlist_end(did, word));
    };
    const std::vector<Xapian::termpos> first = positions(words_[0]), second = positions(words_[1]);
    const Xapian::termpos reach = window_.span - 1;  // the most positions apart
    for (Xapian::termpos at : first) {
        // The second word's positions from the earliest that could be near this one.
        const Xapian::termpos from = window_.ordered ? at + 1 : (at > reach ? at - reach : 0);
        for (auto it = std::lower_bound(second.begin(), second.end(), from);
             it != second.end() && *it <= at + reach; ++it)
            if (*it != at) return true;
    }
    return false;
}

void AllWordsSource::next(double) {
    if (at_end_) return;
    align(docid_ + 1);
}

void AllWordsSource::skip_to(Xapian::docid did, double) {
    if (at_end_ || did <= docid_) return;
    align(did);
}

double AllWordsSource::get_weight() const {
    const Xapian::PostingIterator& lead = postings_.front();
    const double length =
        std::max(static_cast<double>(lead.get_doclength()) / average_length_, bm25_.min_length);
    const double norm = bm25_.k1 * (length * bm25_.b + (1 - bm25_.b));
    double weight = 0;
    for (std::size_t i = 0; i < postings_.size(); ++i) {
        const double wdf = postings_[i].get_wdf();
        if (norm + wdf > 0) weight += term_weights_[order_[i]] * wdf / (norm + wdf);
    }
    return weight;
}

std::string AllWordsSource::get_description() const {
    std::string d = "AllWordsSource(";
    for (const std::string& w : words_) d += (d.back() == '(' ? "" : " ") + w;
    if (window_.span > 0)
        d += std::string(window_.ordered ? " in order" : "") + " within " +
             std::to_string(window_.span);
    return d + ")";
}

}  // namespace newsidx::detail
