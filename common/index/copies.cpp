#include "copies.hpp"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "analyzer.hpp"
#include "calendar.hpp"

namespace newsidx {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_number(const std::string& w) { return !w.empty() && is_digit(w[0]); }

// A headline name replaced by at most this many words is another name (rule 3), when that
// happens in kNameSwaps stretches or more.
constexpr std::size_t kNameSwap = 3;
constexpr std::size_t kNameSwaps = 2;

// The words of word_key(text), digit runs apart from the rest, leading zeros dropped.
std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    const std::string key = word_key(text);
    std::size_t at = 0;
    while (at < key.size()) {
        if (key[at] == ' ') {
            ++at;
            continue;
        }
        std::size_t end = at;
        const bool digits = is_digit(key[at]);
        while (end < key.size() && key[end] != ' ' && is_digit(key[end]) == digits) ++end;
        std::string word = key.substr(at, end - at);
        if (digits) {
            const std::size_t nonzero = word.find_first_not_of('0');
            word = nonzero == std::string::npos ? "0" : word.substr(nonzero);
        }
        out.push_back(std::move(word));
        at = end;
    }
    return out;
}

// Gaps of at most this many cells are lined up exactly (a longest common subsequence by
// dynamic programming); larger ones without a word unique to both sides stay unmatched.
constexpr std::size_t kExactCells = 250'000;

class Aligner {
  public:
    Aligner(std::vector<std::uint32_t> a, std::vector<std::uint32_t> b)
        : a_(std::move(a)), b_(std::move(b)) {}

    // (The stretches come out in order: a start, the middle left to right, then the end.)
    std::vector<Match> run() {
        align(0, a_.size(), 0, b_.size());
        return out_;
    }

  private:
    void emit(std::size_t i, std::size_t j, std::size_t n) {
        if (n == 0) return;
        if (!out_.empty() && out_.back().a_at + out_.back().size == i &&
            out_.back().b_at + out_.back().size == j)
            out_.back().size += n;
        else
            out_.push_back({i, j, n});
    }

    // a_[i0, i1) against b_[j0, j1): the common start and end, then anchors or an exact fill.
    void align(std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1) {
        std::size_t head = 0;
        while (i0 + head < i1 && j0 + head < j1 && a_[i0 + head] == b_[j0 + head]) ++head;
        emit(i0, j0, head);
        i0 += head;
        j0 += head;
        std::size_t tail = 0;
        while (i1 - tail > i0 && j1 - tail > j0 && a_[i1 - tail - 1] == b_[j1 - tail - 1]) ++tail;
        if (i0 < i1 - tail && j0 < j1 - tail) middle(i0, i1 - tail, j0, j1 - tail);
        emit(i1 - tail, j1 - tail, tail);
    }

    void middle(std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1) {
        const std::vector<std::pair<std::size_t, std::size_t>> anchors = unique_pairs(i0, i1, j0, j1);
        if (anchors.empty()) {
            if ((i1 - i0) * (j1 - j0) <= kExactCells) exact(i0, i1, j0, j1);
            return;
        }
        std::size_t i = i0, j = j0;
        for (const auto& [ai, bj] : anchors) {
            align(i, ai, j, bj);
            emit(ai, bj, 1);
            i = ai + 1;
            j = bj + 1;
        }
        align(i, i1, j, j1);
    }

    // The words that occur once on each side, paired, then the longest run of pairs in order
    // on both sides (patience sorting).
    std::vector<std::pair<std::size_t, std::size_t>> unique_pairs(std::size_t i0, std::size_t i1,
                                                                  std::size_t j0, std::size_t j1) {
        std::unordered_map<std::uint32_t, std::pair<int, std::size_t>> in_a, in_b;
        for (std::size_t i = i0; i < i1; ++i) {
            auto& [count, at] = in_a[a_[i]];
            ++count;
            at = i;
        }
        for (std::size_t j = j0; j < j1; ++j) {
            auto& [count, at] = in_b[b_[j]];
            ++count;
            at = j;
        }
        std::vector<std::pair<std::size_t, std::size_t>> pairs;
        for (std::size_t i = i0; i < i1; ++i) {
            const auto& [count, at] = in_a[a_[i]];
            if (count != 1) continue;
            auto b = in_b.find(a_[i]);
            if (b != in_b.end() && b->second.first == 1) pairs.emplace_back(i, b->second.second);
        }
        return longest_increasing(pairs);
    }

    static std::vector<std::pair<std::size_t, std::size_t>> longest_increasing(
        const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
        std::vector<std::size_t> tops;  // index into pairs of each pile's top
        std::vector<std::size_t> back(pairs.size(), SIZE_MAX);
        for (std::size_t k = 0; k < pairs.size(); ++k) {
            auto pile = std::lower_bound(tops.begin(), tops.end(), pairs[k].second,
                                         [&](std::size_t t, std::size_t j) {
                                             return pairs[t].second < j;
                                         });
            if (pile != tops.begin()) back[k] = *(pile - 1);
            if (pile == tops.end())
                tops.push_back(k);
            else
                *pile = k;
        }
        std::vector<std::pair<std::size_t, std::size_t>> run;
        for (std::size_t k = tops.empty() ? SIZE_MAX : tops.back(); k != SIZE_MAX; k = back[k])
            run.push_back(pairs[k]);
        std::reverse(run.begin(), run.end());
        return run;
    }

    void exact(std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1) {
        const std::size_t n = i1 - i0, m = j1 - j0;
        std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
        const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
            return len[i * (m + 1) + j];
        };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = a_[i0 + i] == b_[j0 + j] ? at(i + 1, j + 1) + 1
                                                    : std::max(at(i + 1, j), at(i, j + 1));
        for (std::size_t i = 0, j = 0; i < n && j < m;) {
            if (a_[i0 + i] == b_[j0 + j]) {
                emit(i0 + i++, j0 + j++, 1);
            } else if (at(i + 1, j) >= at(i, j + 1)) {
                ++i;
            } else {
                ++j;
            }
        }
    }

    std::vector<std::uint32_t> a_, b_;
    std::vector<Match> out_;
};

// The longest run of bytes that both words have.
std::size_t common_run(const std::string& x, const std::string& y) {
    std::size_t best = 0;
    std::vector<std::size_t> row(y.size() + 1, 0), next(y.size() + 1, 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        for (std::size_t j = 0; j < y.size(); ++j) {
            next[j + 1] = x[i] == y[j] ? row[j] + 1 : 0;
            best = std::max(best, next[j + 1]);
        }
        std::swap(row, next);
    }
    return best;
}

// The code points of a UTF-8 word (bytes of an invalid sequence as they are).
std::vector<std::string_view> letters(const std::string& w) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < w.size();) {
        const auto c = static_cast<unsigned char>(w[i]);
        std::size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        n = std::min(n, w.size() - i);
        out.emplace_back(w.data() + i, n);
        i += n;
    }
    return out;
}

// One letter added, dropped or changed ("بالدراجات", "بالدرجات").
bool one_letter_apart(const std::string& x, const std::string& y) {
    const auto a = letters(x), b = letters(y);
    const std::size_t n = a.size(), m = b.size();
    if (n > m + 1 || m > n + 1) return false;
    std::size_t i = 0;
    while (i < n && i < m && a[i] == b[i]) ++i;
    std::size_t j = 0;
    while (j < n - i && j < m - i && a[n - 1 - j] == b[m - 1 - j]) ++j;
    return i + j + 1 >= std::max(n, m);
}

// One spelling apart: a letter changed, or most of the shorter word inside the other ("تشاد" and
// "التشادي", "سنغافوره" and "السنغافوري").
bool near_spelling(const std::string& x, const std::string& y) {
    if (one_letter_apart(x, y)) return true;
    if (x.size() == y.size()) {
        // The same letters in another order ("الامريكيه", "الاميركيه").
        std::string sx = x, sy = y;
        std::sort(sx.begin(), sx.end());
        std::sort(sy.begin(), sy.end());
        if (sx == sy) return true;
        std::size_t differ = 0;
        for (std::size_t k = 0; k < x.size(); ++k) differ += x[k] != y[k];
        // (Bytes: a changed letter of a two-byte script differs in one byte or two.)
        if (differ <= 2) return true;
    }
    return 4 * common_run(x, y) >= 3 * std::min(x.size(), y.size());
}

// What a word means to rules 2 and 3, from built-in word lists (English and Arabic): a number
// (digits, or a number word such as "three" or "ثلاثه", as its digits; a sign word as + or -),
// a month or weekday, a point of the compass, a day named from the day of writing, or none of
// them. Arabic words are matched with or without a leading و, ب, ل or ال.
class Lexicon {
  public:
    Lexicon() {
        add_numbers("zero one two three four five six seven eight nine ten eleven twelve "
                    "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty", 0, 1);
        add_numbers("thirty forty fifty sixty seventy eighty ninety", 30, 10);
        // Each entry its forms: masculine, feminine, the oblique case.
        const char* arabic[] = {"واحد واحدة", "اثنان اثنين اثنتان اثنتين", "ثلاث ثلاثة",
                                "أربع أربعة", "خمس خمسة", "ست ستة", "سبع سبعة",
                                "ثمان ثماني ثمانية", "تسع تسعة", "عشر عشرة"};
        for (int v = 1; v <= 10; ++v) add_all(arabic[v - 1], std::to_string(v));
        const char* tens[] = {"عشرون عشرين", "ثلاثون ثلاثين", "أربعون أربعين", "خمسون خمسين",
                              "ستون ستين", "سبعون سبعين", "ثمانون ثمانين", "تسعون تسعين"};
        for (int v = 2; v <= 9; ++v) add_all(tens[v - 2], std::to_string(10 * v));
        add_all("nil flat", "0");  // "rainfall nil", "the market flat"
        add_all("half", "0.5");
        add_all("quarter", "0.25");
        // A figure's sign is part of it: a profit is not a loss.
        add_all("profit profits gain gains up rise rises rose higher increase increased "
                "increases raise raises raised surplus ربح أرباح ارتفاع ارتفع زيادة فائض",
                "+");
        add_all("loss losses down fall falls fell lower lowered decrease decreased decreases "
                "cut cuts reduce reduces reduced reduction deficit خسارة خسائر انخفاض انخفض "
                "خفض تراجع عجز",
                "-");
        insert_words(dates_,
                     "january february march april may june july august september october "
                 "november december jan feb mar apr jun jul aug sep sept oct nov dec monday "
                 "tuesday wednesday thursday friday saturday sunday يناير فبراير مارس أبريل "
                 "ابريل مايو يونيو يونيه يوليو يوليه أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون "
                 "شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين محرم صفر ربيع جمادى رجب "
                 "شعبان رمضان شوال القعدة الحجة الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس "
                     "الجمعة السبت");
        // Days named from the day of writing: a copy published a day later says "yesterday"
        // where the first said "today"; they are no names.
        insert_words(relative_, "today tomorrow yesterday tonight اليوم غدا أمس الليلة البارحة");
        insert_words(places_,
                     "north south east west northern southern eastern western northeast "
                     "northwest southeast southwest central شمال جنوب شرق غرب وسط شمالي جنوبي "
                     "شرقي غربي شمالية جنوبية شرقية غربية");
    }

    /// The number a word says, as digits ("+" or "-" for a word that says a figure's sign); "" for
    /// a word that is no number.
    std::string number(const std::string& w) const {
        if (is_number(w)) return w;
        const auto it = lookup(w, numbers_);
        return it == numbers_.end() ? std::string() : it->second;
    }
    /// The month or weekday a word names, or nullptr.
    const std::string* date(const std::string& w) const { return find(w, dates_); }
    /// The point of the compass a word names, or nullptr ("وغربها", its west: the suffix too).
    const std::string* place(const std::string& w) const {
        if (const std::string* p = find(w, places_)) return p;
        for (const std::string& suffix : suffixes_)
            if (w.size() > suffix.size() &&
                w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0)
                if (const std::string* p = find(w.substr(0, w.size() - suffix.size()), places_))
                    return p;
        return nullptr;
    }
    /// Whether a word names a day from the day of writing ("today", "امس").
    bool relative(const std::string& w) const { return find(w, relative_) != nullptr; }

  private:
    void add_numbers(const char* list, int first, int step) {
        int v = first;
        for (const std::string& w : words_of(list)) {
            numbers_[w] = std::to_string(v);
            v += step;
        }
    }
    void add_all(const char* list, const std::string& value) {
        for (const std::string& w : words_of(list)) numbers_[w] = value;
    }
    static void insert_words(std::unordered_set<std::string>& set, const char* list) {
        for (std::string& w : words_of(list)) set.insert(std::move(w));
    }
    // `w` in `in`, as it is or without a leading و, ب, ل or ال; in.end() when not there.
    template <typename Table>
    typename Table::const_iterator lookup(const std::string& w, const Table& in) const {
        if (auto it = in.find(w); it != in.end()) return it;
        for (const std::string& p : prefixes_)
            if (w.size() > p.size() && w.compare(0, p.size(), p) == 0)
                if (auto it = in.find(w.substr(p.size())); it != in.end()) return it;
        return in.end();
    }
    const std::string* find(const std::string& w, const std::unordered_set<std::string>& in) const {
        const auto it = lookup(w, in);
        return it == in.end() ? nullptr : &*it;
    }

    std::unordered_map<std::string, std::string> numbers_;
    std::unordered_set<std::string> dates_, places_, relative_;
    const std::vector<std::string> prefixes_ = words_of("و ب ل ال وال بال لل");
    const std::vector<std::string> suffixes_ = words_of("ها");
};

const Lexicon& lexicon() {
    static const Lexicon words;
    return words;
}

// The words of an article's headline, not numbers, of three letters or more, that the other
// article has nowhere: the names it would be about if it were a different report.
std::vector<std::string> own_names(const CopyText& self,
                                   const std::unordered_set<std::string>& other) {
    std::vector<std::string> names;
    for (const std::string& w : self.title)
        if (!is_number(w) && characters(w) >= 3 && !other.count(w) && !lexicon().relative(w))
            names.push_back(w);
    return names;
}

// A side of a stretch where two bodies differ, as rules 2 and 3 read it.
struct Side {
    std::vector<std::string> numbers;  // its numbers' digits, in order
    std::vector<std::string> dates;    // its month and weekday names
    std::vector<std::string> places;   // its points of the compass
    std::vector<std::string> names;    // its words that spell a headline name of its article
    std::vector<std::string> fresh;    // its words of 3 letters or more, no numbers
    std::size_t size = 0;
};

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += w;
    return out;
}

// Whether every word of `part` is in `whole`, as many times (both sorted).
bool within(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
    return std::includes(whole.begin(), whole.end(), part.begin(), part.end());
}

// Two sides' numbers differ: both have some, their digits differ ("363 378" is "363378"),
// and not only in order (two figures in the other order: "52.88" written right to left).
bool numbers_differ(std::vector<std::string> x, std::vector<std::string> y) {
    if (x.empty() || y.empty() || joined(x) == joined(y)) return false;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    return x != y;
}

// Two sides' months or weekdays differ: both name some, and neither's are all among the
// other's ("July" against "July (Tammuz)" is one month).
bool dates_differ(std::vector<std::string> x, std::vector<std::string> y) {
    if (x.empty() || y.empty()) return false;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    y.erase(std::unique(y.begin(), y.end()), y.end());
    return !within(x, y) && !within(y, x);
}

Side read_side(const std::vector<std::string>& words, std::size_t from, std::size_t to,
               const std::vector<std::string>& names,
               const std::unordered_set<std::string>& other) {
    Side side;
    for (std::size_t k = from; k < to; ++k) {
        const std::string& w = words[k];
        const std::string number = lexicon().number(w);
        if (!number.empty()) side.numbers.push_back(number);
        if (const std::string* d = lexicon().date(w)) side.dates.push_back(*d);
        if (const std::string* p = lexicon().place(w)) side.places.push_back(*p);
        if (characters(w) < 3 || lexicon().relative(w)) continue;
        if (number.empty()) side.fresh.push_back(w);
        if (other.count(w)) continue;
        if (std::any_of(names.begin(), names.end(),
                        [&](const std::string& n) { return near_spelling(n, w); }))
            side.names.push_back(w);
    }
    side.size = to - from;
    return side;
}

// The two articles' words and headline names, for rules 2 and 3.
struct Pair {
    const CopyText& a;
    const CopyText& b;
    std::unordered_set<std::string> a_all, b_all;
    std::vector<std::string> a_names, b_names;
    mutable std::size_t swaps = 0;  // stretches where a headline name was replaced

    Pair(const CopyText& x, const CopyText& y) : a(x), b(y) {
        a_all.insert(a.body.begin(), a.body.end());
        a_all.insert(a.title.begin(), a.title.end());
        b_all.insert(b.body.begin(), b.body.end());
        b_all.insert(b.title.begin(), b.title.end());
        a_names = own_names(a, b_all);
        b_names = own_names(b, a_all);
    }
};

// Rules 2 and 3 over one stretch where the bodies differ: a[i0, i1) in place of b[j0, j1).
CopyVerdict compare_stretch(const Pair& p, std::size_t i0, std::size_t i1, std::size_t j0,
                            std::size_t j1) {
    if (i0 == i1 || j0 == j1) return CopyVerdict::Copy;  // only added or only dropped words
    const Side x = read_side(p.a.body, i0, i1, p.a_names, p.b_all);
    const Side y = read_side(p.b.body, j0, j1, p.b_names, p.a_all);
    if (numbers_differ(x.numbers, y.numbers)) return CopyVerdict::NumbersDiffer;
    if (dates_differ(x.dates, y.dates)) return CopyVerdict::DatesDiffer;
    if (!x.places.empty() && !y.places.empty() && x.places != y.places)
        return CopyVerdict::PlacesDiffer;
    for (const std::string& m : x.names)
        for (const std::string& n : y.names)
            if (!near_spelling(m, n)) return CopyVerdict::NamesDiffer;
    // A headline's name replaced by a few words the first article nowhere has ("تشاد" by "مصر
    // العربيه", when the other headline names the president instead of the country).
    const auto swapped = [](const Side& named, const Side& other) {
        if (named.names.empty() || other.size > kNameSwap || named.size > kNameSwap) return false;
        for (const std::string& f : other.fresh)
            if (std::none_of(named.names.begin(), named.names.end(),
                             [&](const std::string& n) { return near_spelling(n, f); }))
                return true;
        return false;
    };
    // Twice: a template names its subject more than once, a paraphrase ("his excellency" for
    // "the Egyptian president") is a one-off.
    if ((swapped(x, y) || swapped(y, x)) && ++p.swaps >= kNameSwaps) return CopyVerdict::NamesDiffer;
    return CopyVerdict::Copy;
}

double title_cover(const CopyText& t) {
    if (t.title.empty()) return 1;
    const std::unordered_set<std::string> body(t.body.begin(), t.body.end());
    std::size_t in = 0;
    for (const std::string& w : t.title) in += body.count(w);
    return static_cast<double>(in) / static_cast<double>(t.title.size());
}

double title_overlap(const CopyText& a, const CopyText& b) {
    const std::unordered_set<std::string> x(a.title.begin(), a.title.end()),
        y(b.title.begin(), b.title.end());
    std::size_t both = 0;
    for (const std::string& w : x) both += y.count(w);
    const std::size_t either = x.size() + y.size() - both;
    return either == 0 ? 1 : static_cast<double>(both) / static_cast<double>(either);
}

// Matches of at most this many words do not end a stretch where the bodies differ.
constexpr std::size_t kBridge = 1;
// A stretch only dropped and the next only added (or the other way), at most this many matched
// words apart, are one replacement.
constexpr std::size_t kShift = 3;
// A last stretch with this many words on each side is an outlet's own lines.
constexpr std::size_t kFurniture = 3;

// A word dropped on one side and another added on the other a few words on is one word
// replaced, the words between matched by shifting ("5,000 to 6,000 tonnes" against "4,000 to
// 5,000 tonnes"): `st` and the stretch before it (taken off `read`) are read as one.
void join_shifted(const Pair& pair, std::vector<Stretch>& read, Stretch& st) {
    if (read.empty()) return;
    const Stretch& before = read.back();
    const bool dropped_then_added = before.b_from == before.b_to && st.a_from == st.a_to;
    const bool added_then_dropped = before.a_from == before.a_to && st.b_from == st.b_to;
    if (!(dropped_then_added || added_then_dropped) || st.a_from - before.a_to > kShift ||
        st.b_from - before.b_to > kShift)
        return;
    st = Stretch{before.a_from, st.a_to, before.b_from, st.b_to, false,
                 compare_stretch(pair, before.a_from, st.a_to, before.b_from, st.b_to)};
    read.pop_back();
}

// The test with `a` first; the stretches read go to `out`, the verdict too.
void compare_ordered(const CopyText& a, const CopyText& b, CopyExplanation& out) {
    out.verdict = CopyVerdict::TooShort;
    if (a.body.size() < kMinCopyWords || b.body.size() < kMinCopyWords) return;
    out.verdict = CopyVerdict::TooFarApart;
    if (a.day && b.day && std::abs(*a.day - *b.day) > kCopyDays && a.body != b.body) return;
    const std::vector<Match> matches = matching_words(a.body, b.body);
    std::size_t matched = 0;
    for (const Match& m : matches) matched += m.size;
    out.verdict = CopyVerdict::TooDifferent;
    // Most of the longer body, or nearly all of the shorter one when it is not a small part of
    // the longer (an outlet's trimmed copy; not one story inside a roundup of many).
    const double longer = static_cast<double>(std::max(a.body.size(), b.body.size()));
    const double shorter = static_cast<double>(std::min(a.body.size(), b.body.size()));
    const double share = static_cast<double>(matched);
    if (share < kCopyShare * longer &&
        (share < kTrimmedShare * shorter || share < kTrimmedFloor * longer))
        return;
    out.verdict = CopyVerdict::Copy;
    const Pair pair(a, b);
    std::size_t i = 0, j = 0;
    for (std::size_t k = 0; k <= matches.size(); ++k) {
        // A match of one word inside a changed passage is part of the change ("north-west to
        // west" against "south-west to west turning north-west").
        if (k < matches.size() && matches[k].size <= kBridge) continue;
        const Match next = k < matches.size() ? matches[k] : Match{a.body.size(), b.body.size(), 0};
        if (i < next.a_at || j < next.b_at) {
            // An outlet's own lines after the shared text ("link to the story", "ended 7:21
            // pm") are no difference of the report: a last stretch with kFurniture words or
            // more on both sides is not read, in bodies of kShortBody words or more. (Not a
            // first one: a report's subject comes first, "Chemical Bank said" against
            // "Mercantile Bancorp said"; nor in a short notice, whose last line is its dates.)
            const bool edge = k == matches.size() && a.body.size() >= kShortBody &&
                              b.body.size() >= kShortBody;
            Stretch st{i, next.a_at, j, next.b_at, edge && next.a_at - i >= kFurniture &&
                                                       next.b_at - j >= kFurniture,
                       CopyVerdict::Copy};
            if (!st.furniture) st.verdict = compare_stretch(pair, i, next.a_at, j, next.b_at);
            if (!st.furniture && st.verdict == CopyVerdict::Copy) join_shifted(pair, out.stretches, st);
            out.stretches.push_back(st);
            if (st.verdict != CopyVerdict::Copy) {
                out.verdict = st.verdict;
                return;
            }
        }
        i = next.a_at + next.size;
        j = next.b_at + next.size;
    }
    if (std::max(a.body.size(), b.body.size()) < kShortBody && title_cover(a) < kTitleCover &&
        title_cover(b) < kTitleCover && title_overlap(a, b) < kTitleOverlap)
        out.verdict = CopyVerdict::TitlesDiffer;
}

}  // namespace

CopyText copy_text(std::string_view title, std::string_view body, std::string_view date) {
    return {words_of(title), words_of(body),
            date.empty() ? std::nullopt : calendar::day_number(date)};
}

std::vector<Match> matching_words(const std::vector<std::string>& a,
                                  const std::vector<std::string>& b) {
    // Words as numbers, equal words equal ids: the alignment compares numbers.
    std::unordered_map<std::string_view, std::uint32_t> ids;
    const auto numbered = [&](const std::vector<std::string>& words) {
        std::vector<std::uint32_t> out;
        out.reserve(words.size());
        for (const std::string& w : words)
            out.push_back(ids.emplace(w, static_cast<std::uint32_t>(ids.size())).first->second);
        return out;
    };
    auto x = numbered(a);
    auto y = numbered(b);
    return Aligner(std::move(x), std::move(y)).run();
}

CopyExplanation explain_copies(const CopyText& a, const CopyText& b) {
    // The alignment may differ with the order of its sides; the verdict must not: the shorter
    // (then the lesser) body goes first.
    CopyExplanation out;
    out.swapped = a.body.size() != b.body.size() ? b.body.size() < a.body.size() : b.body < a.body;
    if (out.swapped)
        compare_ordered(b, a, out);
    else
        compare_ordered(a, b, out);
    return out;
}

CopyVerdict compare_copies(const CopyText& a, const CopyText& b) {
    return explain_copies(a, b).verdict;
}

}  // namespace newsidx
