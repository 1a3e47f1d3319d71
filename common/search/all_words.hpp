// The all-words evidence (--all-words): extra weight for an article that has every word of a
// short query, weighed by BM25 with a length normalisation of its own.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

namespace newsidx::detail {

/// The BM25 parameters of a weight (Xapian::BM25Weight's k1, b and min_normlen; k2 0, k3 1).
struct Bm25Parameters {
    double k1 = 0;
    double b = 0;
    double min_length = 0;
};

/// Matches the articles that have every one of `words` (terms, each once) and weighs each as
/// Where two words must lie for AllWordsSource to count an article.
struct WordWindow {
    Xapian::termpos span = 0;  ///< 0: anywhere; else within this many positions
    bool ordered = false;      ///< in the given order (a phrase), else in any (near)
};

/// `scale` times the sum of the words' BM25 weights in it, under `bm25`: with the ranking's own
/// parameters, the weight of an OP_AND of the words scaled by `scale`. Xapian 1.4 has one weighting
/// scheme per search, so a bonus that normalises length otherwise than the ranking (an article with
/// every word that is also short is the one the words describe) has to weigh for itself. The words'
/// statistics are those of `whole`, the database searched, so that each database of a search of
/// several weighs as the whole does.
///
/// With a `WordWindow`, only the articles where the words lie within it count: the proximity
/// bonus of two words (--proximity). Xapian's own OP_PHRASE and OP_NEAR would do, but in
/// Xapian 1.4 they match some articles outside the window when the query has another optional
/// part beside them, and which ones depends on the index (docs/scale-out.md).
class AllWordsSource : public Xapian::PostingSource {
  public:
    using Window = WordWindow;

    AllWordsSource(const Xapian::Database& whole, std::vector<std::string> words,
                   Bm25Parameters bm25, double scale, Window window = {});

    void init(const Xapian::Database& db) override;
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return termfreq_est_; }
    Xapian::doccount get_termfreq_max() const override { return termfreq_max_; }
    double get_weight() const override;
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool at_end() const override { return at_end_; }
    Xapian::docid get_docid() const override { return docid_; }
    PostingSource* clone() const override;
    std::string get_description() const override;

  private:
    AllWordsSource(std::vector<std::string> words, std::vector<double> term_weights,
                   Bm25Parameters bm25, double average_length, Window window);
    // Moves every word's postings to the first article at or after `did` that has them all
    // (within the window).
    void align(Xapian::docid did);
    // Whether the words of article `did` lie within the window.
    bool in_window(Xapian::docid did) const;

    std::vector<std::string> words_;
    std::vector<double> term_weights_;  // per word: idf x (k1 + 1) x scale
    Bm25Parameters bm25_;
    double average_length_ = 1;
    Window window_;

    Xapian::Database db_;
    std::vector<Xapian::PostingIterator> postings_;  // the rarest word first
    std::vector<std::size_t> order_;                 // postings_[i] is of words_[order_[i]]
    Xapian::doccount termfreq_est_ = 0;
    Xapian::doccount termfreq_max_ = 0;
    Xapian::docid docid_ = 0;
    bool at_end_ = false;
};

}  // namespace newsidx::detail
