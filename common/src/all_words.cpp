#include "all_words.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace newsidx::detail {
double bm25_idf(double documents, double with_term) {
    double ratio = (documents - with_term + 0.5) / (with_term + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;
    return std::log(ratio);
}

AllWordsSource::AllWordsSource(const Xapian::Database& whole, std::vector<std::string> words,
                               Bm25Parameters bm25, double scale)
    : words_(std::move(words)), bm25_(bm25) {
    const double documents = whole.get_doccount();
    average_length_ = whole.get_avlength();
    if (average_length_ <= 0) average_length_ = 1;  // no article has a word
    // As BM25Weight with k3 = 1 weighs a word the query has once.
    for (const std::string& w : words_)
        term_weights_.push_back(bm25_idf(documents, whole.get_termfreq(w)) * (bm25_.k1 + 1) *
                                scale);
}

AllWordsSource::AllWordsSource(std::vector<std::string> words, std::vector<double> term_weights,
                               Bm25Parameters bm25, double average_length)
    : words_(std::move(words)),
      term_weights_(std::move(term_weights)),
      bm25_(bm25),
      average_length_(average_length) {}

Xapian::PostingSource* AllWordsSource::clone() const {
    return new AllWordsSource(words_, term_weights_, bm25_, average_length_);
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
        if (all) {
            docid_ = did;
            return;
        }
    }
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
    return d + ")";
}

}  // namespace newsidx::detail
