#include "calendar.hpp"

#include <cstdio>

namespace newsidx::calendar {

// The calendar counted in 400-year eras of 146,097 days, with years starting in March so that
// leap days come last (the well-known civil-from-days arithmetic).
long days_from_civil(const Civil& date) {
    const int y = date.year - (date.month <= 2 ? 1 : 0);
    const long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned m = date.month;
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

Civil civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(int year, unsigned month) {
    static constexpr unsigned kDays[12]{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
}

unsigned weekday(long days) { return static_cast<unsigned>(((days % 7) + 7 + 3) % 7); }

std::optional<long> day_number(std::string_view yyyymmdd) {
    if (yyyymmdd.size() != 8) return std::nullopt;
    int value[3] = {0, 0, 0};
    const std::size_t widths[3] = {4, 2, 2};
    std::size_t at = 0;
    for (int k = 0; k < 3; ++k)
        for (std::size_t i = 0; i < widths[k]; ++i, ++at) {
            const char c = yyyymmdd[at];
            if (c < '0' || c > '9') return std::nullopt;
            value[k] = value[k] * 10 + (c - '0');
        }
    const Civil date{value[0], static_cast<unsigned>(value[1]), static_cast<unsigned>(value[2])};
    if (date.day < 1 || date.day > days_in_month(date.year, date.month)) return std::nullopt;
    return days_from_civil(date);
}

std::string dashed(long days) {
    const Civil c = civil_from_days(days);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
    return buf;
}

std::string compact(long days) {
    const Civil c = civil_from_days(days);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", c.year, c.month, c.day);
    return buf;
}

long period_start(Period period, long days) {
    const Civil c = civil_from_days(days);
    switch (period) {
        case Period::Week:
            return days - weekday(days);
        case Period::Month:
            return days_from_civil({c.year, c.month, 1});
        case Period::Year:
            return days_from_civil({c.year, 1, 1});
        case Period::Day:
            break;
    }
    return days;
}

long next_period(Period period, long start) {
    const Civil c = civil_from_days(start);
    switch (period) {
        case Period::Week:
            return start + 7;
        case Period::Month:
            return c.month == 12 ? days_from_civil({c.year + 1, 1, 1})
                                 : days_from_civil({c.year, c.month + 1, 1});
        case Period::Year:
            return days_from_civil({c.year + 1, 1, 1});
        case Period::Day:
            break;
    }
    return start + 1;
}

std::string period_label(Period period, long start) {
    const Civil c = civil_from_days(start);
    char buf[48];
    switch (period) {
        case Period::Week: {
            // ISO 8601: the week belongs to the year of its Thursday.
            const Civil thursday = civil_from_days(start + 3);
            const long week = (start + 3 - days_from_civil({thursday.year, 1, 1})) / 7 + 1;
            std::snprintf(buf, sizeof buf, "%04d-W%02d", thursday.year, static_cast<int>(week));
            return buf;
        }
        case Period::Month:
            std::snprintf(buf, sizeof buf, "%04d-%02u", c.year, c.month);
            return buf;
        case Period::Year:
            return std::to_string(c.year);
        case Period::Day:
            break;
    }
    return dashed(start);
}

}  // namespace newsidx::calendar
