// Issue #11, item 3: timelines per day, ISO week, month and year, empty periods shown.
#include "newsidx/results.hpp"
#include "newsidx/timeline.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "newsidx/error.hpp"

namespace newsidx::test {
namespace {

std::vector<std::string> labels(const Timeline& t) {
    std::vector<std::string> out;
    for (const auto& b : t.buckets) out.push_back(b.label + "=" + std::to_string(b.count));
    return out;
}

TEST(Timeline, FillsEveryPeriodBetweenTheFirstAndLastMatch) {
    const std::map<std::string, Xapian::doccount> days{
        {"20220130", 2}, {"20220131", 1}, {"20220415", 4}};
    const Timeline months = make_timeline("month", days);
    EXPECT_EQ(labels(months),
              (std::vector<std::string>{"2022-01=3", "2022-02=0", "2022-03=0", "2022-04=4"}));
    EXPECT_EQ(months.total, 7u);
    EXPECT_EQ(months.buckets[1].start, "2022-02-01");
    EXPECT_EQ(labels(make_timeline("year", days)), (std::vector<std::string>{"2022=7"}));
    const Timeline daily = make_timeline("day", days);
    EXPECT_EQ(daily.buckets.size(), 76u) << "30 January to 15 April 2022";
    EXPECT_EQ(daily.buckets.front().label, "2022-01-30");
}

TEST(Timeline, WeeksAreIsoWeeksAcrossTheTurnOfTheYear) {
    // 2020 has 53 ISO weeks; 3 January 2021 (a Sunday) is still in 2020-W53; 4 January 2021
    // starts 2021-W01; 29 December 2025 (a Monday) starts 2026-W01.
    EXPECT_EQ(labels(make_timeline("week", {{"20201231", 1}, {"20210103", 1}, {"20210104", 1}})),
              (std::vector<std::string>{"2020-W53=2", "2021-W01=1"}));
    const Timeline t = make_timeline("week", {{"20251231", 1}});
    EXPECT_EQ(t.buckets.at(0).label, "2026-W01");
    EXPECT_EQ(t.buckets.at(0).start, "2025-12-29");
}

TEST(Timeline, RefusesAnUnknownPeriodAndTooManyPeriods) {
    EXPECT_THROW(make_timeline("fortnight", {}), Error);
    try {
        make_timeline("day", {{"18000101", 1}, {"21991231", 1}});
        FAIL() << "a day timeline over four centuries";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("more than 10000 days"), std::string::npos)
            << e.what();
    }
}

// Lines stay under the width (a line as wide as the terminal wraps on some).
TEST(Timeline, ChartFitsTheColumnsAndMarksEveryPeriodWithMatches) {
    const Timeline t =
        make_timeline("month", {{"20220115", 1000}, {"20220215", 1}, {"20220415", 500}});
    std::ostringstream out;
    render_timeline(out, t, 40);
    EXPECT_EQ(out.str(),
              "timeline by month: 1,501 articles in 4 months\n"
              "2022-01  1,000  #######################\n"
              "2022-02      1  #\n"
              "2022-03      0\n"
              "2022-04    500  ###########\n");
}

}  // namespace
}  // namespace newsidx::test
