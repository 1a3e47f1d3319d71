#include "newsidx/timeline.hpp"

#include <algorithm>

#include "calendar.hpp"
#include "newsidx/error.hpp"

namespace newsidx {
namespace {

calendar::Period period_named(const std::string& period) {
    if (period == "week") return calendar::Period::Week;
    if (period == "month") return calendar::Period::Month;
    if (period == "year") return calendar::Period::Year;
    return calendar::Period::Day;
}

}  // namespace

Timeline make_timeline(const std::string& period,
                       const std::map<std::string, Xapian::doccount>& days,
                       const std::map<std::string, Xapian::doccount>* all,
                       const std::pair<std::string, std::string>& span) {
    if (std::find(kTimelinePeriods.begin(), kTimelinePeriods.end(), period) ==
        kTimelinePeriods.end())
        throw Error(ErrorCode::BadOption,
                    NEWSIDX_OPT("timeline") ": '" + period + "' is not a period; use day, week, month or year");
    Timeline t;
    t.period = period;
    const calendar::Period p = period_named(period);
    // Per period start, from the days (YYYYMMDD) that have matches.
    std::map<long, Xapian::doccount> counts;
    for (const auto& [date, count] : days) {
        const auto day = calendar::day_number(date);
        if (!day) continue;
        counts[calendar::period_start(p, *day)] += count;
        t.total += count;
    }
    t.share = all != nullptr;
    // The span asked for runs over the days of other timelines drawn with this one.
    for (const std::string& date : {span.first, span.second})
        if (const auto day = calendar::day_number(date)) counts.try_emplace(calendar::period_start(p, *day), 0);
    if (counts.empty()) return t;
    std::map<long, Xapian::doccount> all_counts;
    if (all)
        for (const auto& [date, count] : *all)
            if (const auto day = calendar::day_number(date))
                all_counts[calendar::period_start(p, *day)] += count;
    std::size_t periods = 0;
    for (long s = counts.begin()->first; s <= counts.rbegin()->first; s = calendar::next_period(p, s))
        if (++periods > kMaxTimelinePeriods)
            throw Error(ErrorCode::BadOption,
                        NEWSIDX_OPT("timeline") " " + period + ": the matches span more than " +
                            std::to_string(kMaxTimelinePeriods) + " " + period + "s (" +
                            calendar::dashed(counts.begin()->first) + " to " +
                            calendar::dashed(counts.rbegin()->first) + ")")
                .with_hint(
                    "use a longer period, e.g. " NEWSIDX_OPT("timeline") " year, or narrow the dates with "
                    NEWSIDX_OPT("since") "/" NEWSIDX_OPT("until"));
    for (long s = counts.begin()->first; s <= counts.rbegin()->first; s = calendar::next_period(p, s)) {
        const auto it = counts.find(s);
        const auto base = all_counts.find(s);
        t.buckets.push_back({calendar::period_label(p, s), calendar::dashed(s),
                             it == counts.end() ? 0 : it->second,
                             base == all_counts.end() ? 0 : base->second});
        t.all_total += t.buckets.back().all;
    }
    return t;
}

}  // namespace newsidx
