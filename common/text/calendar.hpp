// The one calendar: proleptic Gregorian days counted from 1970-01-01, the dates articles carry
// (YYYYMMDD), and the periods timelines count by. Article dates, --since/--until, date:,
// --recency's ages and --timeline's buckets all go through it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace newsidx::calendar {

/// A day as people write it.
struct Civil {
    int year = 1970;
    unsigned month = 1, day = 1;
};

/// Days since 1970-01-01 (negative before), for any valid date.
long days_from_civil(const Civil& date);
/// The date of a day number.
Civil civil_from_days(long days);

bool is_leap(int year);
/// 28 to 31; 0 for a month outside 1..12.
unsigned days_in_month(int year, unsigned month);

/// 0 = Monday .. 6 = Sunday.
unsigned weekday(long days);

/// The day number of a YYYYMMDD date; nullopt when it is not eight digits of a real day.
std::optional<long> day_number(std::string_view yyyymmdd);

/// YYYY-MM-DD and YYYYMMDD of a day number.
std::string dashed(long days);
std::string compact(long days);

/// The periods a timeline counts by: each period's first day, the next period's first day,
/// and its label (2022-02-08, 2022-W06 for the ISO 8601 week, 2022-02, 2022).
enum class Period { Day, Week, Month, Year };
long period_start(Period period, long days);
long next_period(Period period, long start);
std::string period_label(Period period, long start);

}  // namespace newsidx::calendar
