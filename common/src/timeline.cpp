#include "newsidx/timeline.hpp"

#include <algorithm>
#include <cstdio>

#include "newsidx/error.hpp"
#include "newsidx/results.hpp"

namespace newsidx {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date, and back: the calendar counted in
// 400-year eras of 146,097 days, with years starting in March so that leap days come last.
long days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

struct Civil {
    int y;
    unsigned m, d;
};

Civil civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2), m, d};
}

// 0 = Monday .. 6 = Sunday.
unsigned weekday(long days) { return static_cast<unsigned>(((days % 7) + 7 + 3) % 7); }

std::string ymd(const Civil& c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
    return buf;
}

// The first day of the period that holds `days`.
long period_start(const std::string& period, long days) {
    const Civil c = civil_from_days(days);
    if (period == "week") return days - weekday(days);
    if (period == "month") return days_from_civil(c.y, c.m, 1);
    if (period == "year") return days_from_civil(c.y, 1, 1);
    return days;
}

long next_period(const std::string& period, long start) {
    const Civil c = civil_from_days(start);
    if (period == "week") return start + 7;
    if (period == "month")
        return c.m == 12 ? days_from_civil(c.y + 1, 1, 1) : days_from_civil(c.y, c.m + 1, 1);
    if (period == "year") return days_from_civil(c.y + 1, 1, 1);
    return start + 1;
}

std::string label(const std::string& period, long start) {
    const Civil c = civil_from_days(start);
    char buf[48];
    if (period == "week") {
        // ISO 8601: the week belongs to the year of its Thursday.
        const Civil thursday = civil_from_days(start + 3);
        const long week = (start + 3 - days_from_civil(thursday.y, 1, 1)) / 7 + 1;
        std::snprintf(buf, sizeof buf, "%04d-W%02d", thursday.y, static_cast<int>(week));
        return buf;
    }
    if (period == "month") {
        std::snprintf(buf, sizeof buf, "%04d-%02u", c.y, c.m);
        return buf;
    }
    if (period == "year") return std::to_string(c.y);
    return ymd(c);
}

}  // namespace

Timeline make_timeline(const std::string& period,
                       const std::map<std::string, Xapian::doccount>& days) {
    if (std::find(kTimelinePeriods.begin(), kTimelinePeriods.end(), period) ==
        kTimelinePeriods.end())
        throw Error(ErrorCode::BadOption,
                    "--timeline: '" + period + "' is not a period; use day, week, month or year");
    Timeline t;
    t.period = period;
    // Per period start, from the days (YYYYMMDD) that have matches.
    std::map<long, Xapian::doccount> counts;
    for (const auto& [date, count] : days) {
        if (date.size() != 8) continue;
        const int y = std::stoi(date.substr(0, 4));
        const auto m = static_cast<unsigned>(std::stoi(date.substr(4, 2)));
        const auto d = static_cast<unsigned>(std::stoi(date.substr(6, 2)));
        counts[period_start(period, days_from_civil(y, m, d))] += count;
        t.total += count;
    }
    if (counts.empty()) return t;
    std::size_t periods = 0;
    for (long s = counts.begin()->first; s <= counts.rbegin()->first; s = next_period(period, s))
        if (++periods > kMaxTimelinePeriods)
            throw Error(ErrorCode::BadOption,
                        "--timeline " + period + ": the matches span more than " +
                            std::to_string(kMaxTimelinePeriods) + " " + period + "s (" +
                            ymd(civil_from_days(counts.begin()->first)) + " to " +
                            ymd(civil_from_days(counts.rbegin()->first)) + ")")
                .with_hint(
                    "use a longer period, e.g. --timeline year, or narrow the dates with "
                    "--since/--until");
    for (long s = counts.begin()->first; s <= counts.rbegin()->first; s = next_period(period, s)) {
        const auto it = counts.find(s);
        t.buckets.push_back(
            {label(period, s), ymd(civil_from_days(s)), it == counts.end() ? 0 : it->second});
    }
    return t;
}

void render_timeline(std::ostream& out, const Timeline& t, int columns) {
    Xapian::doccount most = 0;
    std::size_t label_width = 0;
    for (const auto& b : t.buckets) {
        most = std::max(most, b.count);
        label_width = std::max(label_width, b.label.size());
    }
    const std::size_t count_width = with_thousands(most).size();
    out << "timeline by " << t.period << ": " << with_thousands(t.total) << ' '
        << (t.total != 1 ? t.counts()
            : t.stories  ? "story"
                         : "article")
        << " in " << with_thousands(t.buckets.size()) << ' ' << t.period
        << (t.buckets.size() == 1 ? "" : "s") << '\n';
    // label, two spaces, count, two spaces, bar: the bar takes what the terminal leaves.
    const int bar_width = std::max(columns - static_cast<int>(label_width + count_width + 5), 0);
    for (const auto& b : t.buckets) {
        const std::string count = with_thousands(b.count);
        out << b.label << std::string(label_width - b.label.size() + 2, ' ')
            << std::string(count_width - count.size(), ' ') << count;
        if (bar_width > 0 && b.count > 0) {
            // At least one mark for a period with any match.
            const auto marks = static_cast<std::size_t>(std::max<long>(
                1, static_cast<long>(b.count) * bar_width / static_cast<long>(most)));
            out << "  " << std::string(marks, '#');
        }
        out << '\n';
    }
}

}  // namespace newsidx
