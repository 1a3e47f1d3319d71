// Timelines: how many articles a query matches per day, ISO week, month or year, every period
// from the first match's to the last's, empty ones too (issue #11, item 3).
#pragma once

#include <xapian.h>

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newsidx {

/// The periods --timeline counts by.
inline constexpr std::array<std::string_view, 4> kTimelinePeriods{"day", "week", "month", "year"};

/// A timeline longer than this many periods is refused (a day timeline over centuries).
inline constexpr std::size_t kMaxTimelinePeriods = 10000;

struct Timeline {
    struct Bucket {
        std::string label;  ///< 2022-02-08, 2022-W06 (ISO 8601 week), 2022-02, 2022
        std::string start;  ///< the period's first day, YYYY-MM-DD
        Xapian::doccount count = 0;
        /// --share: every article (story) of the period that passes the same filters, matching
        /// the query or not; the share is count / all (none when all is 0).
        Xapian::doccount all = 0;
    };
    std::string period;  ///< day, week, month or year
    std::vector<Bucket> buckets;
    Xapian::doccount total = 0;  ///< the sum of the counts: every match
    /// --share: the buckets carry `all`, and all_total is its sum over the buckets shown.
    bool share = false;
    Xapian::doccount all_total = 0;
    /// The counts are of stories (near-duplicate clusters, --collapse), not articles.
    bool stories = false;
    /// What a count counts: "articles" or "stories".
    const char* counts() const { return stories ? "stories" : "articles"; }
};

/// Buckets the matches counted per day (YYYYMMDD -> articles) into `period`s; with `all`
/// (--share), every article (story) that passes the filters, per day, into the same periods.
/// The periods run from the first match's to the last's, and over the days of `span` (first
/// and last, YYYYMMDD) too when given: the span of the timelines compared with it. Throws
/// Error(BadOption) for an unknown period, or when the timeline would pass kMaxTimelinePeriods.
Timeline make_timeline(const std::string& period,
                       const std::map<std::string, Xapian::doccount>& days,
                       const std::map<std::string, Xapian::doccount>* all = nullptr,
                       const std::pair<std::string, std::string>& span = {});

}  // namespace newsidx
