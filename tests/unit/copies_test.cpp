// The copy test (copies.hpp; issue #26): each rule on the smallest texts that show it.
#include "copies.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cluster_texts.hpp"

namespace newsidx::test {
namespace {

const std::string kBody =
    "the federal reserve entered the government securities market to arrange two billion "
    "dlrs of customer repurchase agreements a fed spokesman said dealers said federal funds "
    "were trading at six pct when the fed began its temporary supply of reserves";

CopyVerdict compare(const std::string& title_a, const std::string& body_a,
                    const std::string& title_b, const std::string& body_b) {
    const CopyVerdict v = compare_copies(copy_text(title_a, body_a), copy_text(title_b, body_b));
    EXPECT_EQ(v, compare_copies(copy_text(title_b, body_b), copy_text(title_a, body_a)))
        << "the test is not symmetric";
    return v;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

TEST(CopyText, FoldsSplitsDigitsFromLettersAndDropsLeadingZeros) {
    const CopyText t = copy_text("Title", "Offers 44,793 jobs in 2015; توفير44 and ٣٠ at 07:05");
    EXPECT_EQ(t.body, (std::vector<std::string>{"offers", "44", "793", "jobs", "in", "2015",
                                                "توفير", "44", "and", "30", "at", "7", "5"}));
}

TEST(CopyTest, EditsOfOneReportAreCopies) {
    EXPECT_EQ(compare("Fed adds reserves", kBody, "Fed adds reserves", kBody), CopyVerdict::Copy);
    // A dateline, a credit, a typo, one number written in words.
    EXPECT_EQ(compare("Fed adds reserves", kBody, "UPDATE 1-Fed adds reserves",
                      "NEW YORK, March 2 (Reuters) - " + replaced(kBody, "spokesman", "sopkesman") +
                          " (Reporting by Anna Clarke)"),
              CopyVerdict::Copy);
    EXPECT_EQ(compare("Fed adds reserves", kBody, "Fed adds reserves",
                      replaced(kBody, "six pct", "6 pct")),
              CopyVerdict::Copy);
    // An outlet's own last lines on both sides.
    EXPECT_EQ(compare("Fed adds reserves", kBody + " link to the story on our site",
                      "Fed adds reserves", kBody + " ended 7 21 pm"),
              CopyVerdict::Copy);
}

TEST(CopyTest, AnotherFigureDateOrPlaceIsAnotherReport) {
    EXPECT_EQ(compare("Fed adds reserves", kBody, "Fed adds reserves",
                      replaced(kBody, "two billion", "1.5 billion")),
              CopyVerdict::NumbersDiffer);
    EXPECT_EQ(compare("Fed adds reserves", kBody, "Fed adds reserves",
                      replaced(kBody, "six pct", "6-3/16 pct")),
              CopyVerdict::NumbersDiffer);
    EXPECT_EQ(compare("Results", kBody + " the bank reported a profit for the year",
                      "Results", kBody + " the bank reported a loss for the year"),
              CopyVerdict::NumbersDiffer);
    EXPECT_EQ(compare("Fed adds reserves", kBody + " on monday as expected",
                      "Fed adds reserves", kBody + " on tuesday as expected"),
              CopyVerdict::DatesDiffer);
    EXPECT_EQ(compare("Weather", kBody + " winds north westerly as forecast", "Weather",
                      kBody + " winds south westerly as forecast"),
              CopyVerdict::PlacesDiffer);
    // A figure replaced where the alignment shifts: "5,000 to 6,000" against "4,000 to 5,000".
    const std::string bought =
        "japanese crushers bought {} tonnes of canadian rapeseed in export business overnight "
        "for may shipment trade sources said";
    EXPECT_EQ(compare("Crushers buy rapeseed", replaced(bought, "{}", "5,000 to 6,000"),
                      "Crushers buy rapeseed", replaced(bought, "{}", "4,000 to 5,000")),
              CopyVerdict::NumbersDiffer);
    // The same figures in another order or with another separator are the same figures.
    EXPECT_EQ(compare("Oil", kBody + " at 52.88 dollars today", "Oil",
                      kBody + " at 88 52 dollars today"),
              CopyVerdict::Copy);
}

TEST(CopyTest, AnotherNameOfTheHeadlineIsAnotherReport) {
    EXPECT_EQ(compare("King congratulates Niger", congratulation_to("Niger"),
                      "King congratulates Chad", congratulation_to("Chad")),
              CopyVerdict::NamesDiffer);
    // A headline adjective that spells the name the body has: "Chadian", "Chad".
    EXPECT_EQ(compare("King congratulates Niger", congratulation_to("Niger"),
                      "King congratulates the Chadian president", congratulation_to("Chad")),
              CopyVerdict::NamesDiffer);
    // A headline reworded over one text is one report.
    EXPECT_EQ(compare("King congratulates Niger", congratulation_to("Niger"),
                      "Cable to the president of Niger", congratulation_to("Niger")),
              CopyVerdict::Copy);
}

TEST(CopyTest, ShortNoticesAreToldApartByTheirHeadlines) {
    const std::string notice = "Qtly div 35 cts vs 35 cts prior Pay April 15 Record April one";
    EXPECT_EQ(compare("EMHART CORP <EMH> QTLY DIVIDEND", notice,
                      "TULTEX CORP <TTX> SETS QUARTERLY", notice),
              CopyVerdict::TitlesDiffer);
    EXPECT_EQ(compare("METRO MOBILE <MMCT> DECLARES STCOK DIVIDEND", notice,
                      "METRO MOBILE <MMCT> DECLARES STOCK DIVIDEND", notice),
              CopyVerdict::Copy);
}

TEST(CopyTest, TooShortOrTooDifferentIsNoCopy) {
    EXPECT_EQ(compare("A", "far too short", "A", "far too short"), CopyVerdict::TooShort);
    EXPECT_EQ(compare("A", kBody, "A",
                      "farmers in the valley began the harvest a fortnight early after the dry "
                      "spring left the wheat short but sound the cooperative said"),
              CopyVerdict::TooDifferent);
}

TEST(MatchingWords, LinesUpACommonSubsequence) {
    const std::vector<std::string> a{"x", "a", "b", "c", "y", "d"};
    const std::vector<std::string> b{"a", "b", "z", "c", "d", "w"};
    std::size_t matched = 0;
    for (const Match& m : matching_words(a, b)) {
        for (std::size_t k = 0; k < m.size; ++k) EXPECT_EQ(a[m.a_at + k], b[m.b_at + k]);
        matched += m.size;
    }
    EXPECT_EQ(matched, 4u);
}

}  // namespace
}  // namespace newsidx::test
