// The query language as tables, without an index (issue #25): what each query is rewritten to
// (the text Xapian's QueryParser reads, query_text.hpp) and what the parser makes of it with the
// English analyzer over an empty database; the errors, with their columns; and each pass on its
// own. The models: Xapian's api_queryparser.cc and Tantivy's query-grammar tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer.hpp"
#include "newsidx/error.hpp"
#include "query_parser.hpp"
#include "query_text.hpp"

namespace newsidx::query {
namespace {

const Xapian::Database& empty_db() {
    static const Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    return db;
}

std::string parsed(const std::string& query, const std::string& folded) {
    return parse(Analyzer("english"), empty_db(), query, folded, {}).get_description();
}

TEST(QueryLanguage, EachOperatorFieldDateWildcardAndScriptParses) {
    struct Case {
        std::string query, rewritten, parsed, why;
    };
    const Case cases[] = {
        {"security guarantees", "security guarantees",
         "Query((secur@1 OR guarante@2))", "bare words OR together, stemmed"},
        {"Security GUARANTEES", "security guarantees",
         "Query((secur@1 OR guarante@2))", "case is folded"},
        {"\"security guarantees\"", "\"security guarantees\"",
         "Query((secur@1 PHRASE 2 guarante@2))", "a phrase"},
        {"\"state of the union\"", "\"state of the union\"",
         "Query((state@1 PHRASE 4 of@2 PHRASE 4 the@3 PHRASE 4 union@4))", "stop words count inside a phrase"},
        {"ceasefire AND monitors", "ceasefire AND monitors",
         "Query((ceasefir@1 AND monitor@2))", "AND"},
        {"rail OR railway", "rail OR railway",
         "Query((rail@1 OR railway@2))", "OR"},
        {"talks NOT sport", "talks NOT sport",
         "Query((talk@1 AND_NOT sport@2))", "NOT"},
        {"talks XOR sport", "talks XOR sport",
         "Query((talk@1 XOR sport@2))", "XOR"},
        {"(ceasefire OR monitors) AND talks", "(ceasefire OR monitors) AND talks",
         "Query(((ceasefir@1 OR monitor@2) AND talk@3))", "brackets group"},
        {"+ceasefire -sport", "+ceasefire -sport",
         "Query((ceasefir@1 AND_NOT sport@2))", "must / must not"},
        {"-sport", " sport",
         "Query(sport@1)", "only excluded words: the marks go, the caller negates the parse"},
        {"-talks -sport", " talks  sport",
         "Query((talk@1 OR sport@2))", "several excluded words"},
        {"title:ceasefire", "title:ceasefire",
         "Query(Sceasefir@1)", "a word in the title"},
        {"title:\"rail link\"", "title:\"rail link\"",
         "Query((Srail@1 PHRASE 2 Slink@2))", "a phrase in the title"},
        {"site:bbc.co.uk", "site:bbc.co.uk",
         "Query((<alldocuments> FILTER Hbbc.co.uk))", "a host filter"},
        {"site:BBC.co.uk.", "site:bbc.co.uk.",
         "Query((<alldocuments> FILTER Hbbc.co.uk.))", "a host is folded like any word"},
        {"ceasefire site:a.example OR site:b.example", "ceasefire site:a.example site:b.example",
         "Query((ceasefir@1 FILTER (Ha.example OR Hb.example)))", "filters of one field OR together, AND with the words"},
        {"ceasefire (site:a.example OR site:b.example)", "ceasefire site:a.example site:b.example",
         "Query((ceasefir@1 FILTER (Ha.example OR Hb.example)))", "... and their brackets go"},
        {"lang:french talks", "lang:fr talks",
         "Query((talk@1 FILTER Lfr))", "a language by name becomes its code"},
        {"lang:fr", "lang:fr",
         "Query((<alldocuments> FILTER Lfr))", "a language filter alone"},
        {"date:2022", "dateyear:2022",
         "Query((<alldocuments> FILTER Y2022))", "a year is one boolean term"},
        {"date:2022-02", "datemonth:202202",
         "Query((<alldocuments> FILTER M202202))", "a month"},
        {"date:202202", "datemonth:202202",
         "Query((<alldocuments> FILTER M202202))", "a month without its dash"},
        {"date:2022-02-08", "dateday:20220208",
         "Query((<alldocuments> FILTER D20220208))", "a day"},
        {"date:20220208", "dateday:20220208",
         "Query((<alldocuments> FILTER D20220208))", "a day without dashes"},
        {"date:2021..2022-06", "date:20210101..20220631",
         "Query(VALUE_RANGE 0 20210101 20220631)", "a range of periods: first day to last (a month's last as its 31st)"},
        {"date:..2021-06", "date:..20210631",
         "Query(VALUE_LE 0 20210631)", "a range open at its start"},
        {"date:2022-01..", "date:20220101..",
         "Query(VALUE_GE 0 20220101)", "a range open at its end"},
        {"guarant*", "guarant*",
         "Query(WILDCARD SYNONYM guarant)", "a wildcard word, expanded over the index (none here)"},
        {"title:guarant*", "title:guarant*",
         "Query(WILDCARD SYNONYM Sguarant)", "a wildcard in the title"},
        {"\"security guarant*\"", "\"security guarant*\"",
         "Query(WILDCARD SYNONYM guarant)", "a phrase with a wildcard"},
        {"talks NEAR geneva", "talks NEAR geneva",
         "Query((talk@1 NEAR 11 geneva@2))", "NEAR: within 10 words"},
        {"talks NEAR/3 geneva", "talks NEAR/3 geneva",
         "Query((talk@1 NEAR 4 geneva@2))", "NEAR/3"},
        {"border ADJ/2 talks", "border ADJ/2 talks",
         "Query((border@1 PHRASE 3 talk@2))", "ADJ: in order"},
        {"恢复通车", "\"恢复 通车\"",
         "Query((恢复@1 PHRASE 2 通车@2))", "Chinese typed together: the phrase of its words"},
        {"\"恢复通车\"", "\"恢复 通车\"",
         "Query((恢复@1 PHRASE 2 通车@2))", "... in quotes too"},
        {"恢复通车 NEAR 铁路", "恢复 NEAR 通车 NEAR 铁路",
         "Query((恢复@1 NEAR 12 通车@2 NEAR 12 铁路@3))", "beside NEAR each word takes part"},
        {"title:北京地铁", "title:\"北京 地铁\"",
         "Query((S北京@1 PHRASE 2 S地铁@2))", "a title phrase of Chinese words"},
        {"Café AND Straße", "cafe AND strasse",
         "Query((cafe@1 AND strass@2))", "words fold, operators stay"},
        {"Android", "android",
         "Query(android@1)", "a word that starts like AND is a word"},
        {"FED NOT EXPECTED TO ADD RESERVES", "fed not expected to add reserves",
         "Query((fed@1 OR expect@3 OR add@5 OR reserv@6))", "issue #25: a pasted headline's NOT is a word (a stop word)"},
        {"PRIMARY GILTS DEALERS NEED NOT BUY AT AUCTIONS", "primary gilts dealers need not buy at auctions",
         "Query((primari@1 OR gilt@2 OR dealer@3 OR need@4 OR buy@6 OR auction@8))", "issue #25: a Reuters headline that did not find itself"},
        {"SHORT-TERM -RATES RISE AGAIN", "short-term rates rise again",
         "Query(((short@1 PHRASE 2 term@2) OR (rate@3 OR rise@4)))", "issue #25: in a headline a leading - is a word's"},
        {"IBM AND APPLE", "ibm AND apple",
         "Query((ibm@1 AND appl@2))", "two capitalised words besides AND: not a headline, AND stays"},
        {"قف.. الطريق مغلق بالنفايات!", "قف الطريق مغلق بالنفايات!",
         "Query((قف@1 OR الطريق@2 OR مغلق@3 OR بالنفايات@4))", "issue #25: .. outside date: is punctuation (was: Unknown range operation)"},
        {"الرياض AND جدة", "الرياض AND جده",
         "Query((الرياض@1 AND جده@2))", "an Arabic query keeps a typed AND"},
        {"U.S. trade...deficit", "u.s. trade deficit",
         "Query(((u@1 PHRASE 2 s@2) OR (trade@3 OR deficit@4)))", "issue #25: an ellipsis between words is punctuation"},
        {"(talks", "(talks",
         "Query(talk@1)", "an unclosed bracket is forgiven"},
        {"talks)", "talks)",
         "Query(talk@1)", "a stray closing bracket too"},
        {"\"unclosed", "\"unclosed",
         "Query(unclos@1)", "an unclosed quote: a phrase to the end"},
    };
    for (const Case& c : cases) {
        const Rewritten r = rewrite(c.query, false);
        EXPECT_EQ(r.folded, c.rewritten) << c.why << ": " << c.query;
        EXPECT_EQ(parsed(c.query, r.folded), c.parsed) << c.why << ": " << c.query;
    }
}

TEST(QueryLanguage, ErrorsSayWhatAndWhere) {
    struct Case {
        std::string query, message, why;
    };
    const Case cases[] = {
        {"talks AND", "cannot parse query 'talks AND' at column 7: AND needs a word or phrase on both sides", "an operator with nothing on one side: its column"},
        {"AND talks", "cannot parse query 'AND talks' at column 1: AND needs a word or phrase on both sides", "... at the start"},
        {"talks NEAR/0 geneva", "cannot parse query 'talks NEAR/0 geneva' at column 7: NEAR/0: the distance after NEAR/ must be a whole number of at least 1", "NEAR's distance is at least 1"},
        {"talks NEAR/x geneva", "cannot parse query 'talks NEAR/x geneva' at column 7: NEAR/x: the distance after NEAR/ must be a whole number of at least 1", "NEAR's distance is a number"},
        {"\"security guarantees\" NEAR talks", "cannot parse query '\"security guarantees\" NEAR talks' at column 23: NEAR joins words, not \"phrases\"", "NEAR joins words, not phrases"},
        {"*hafen", "cannot parse query '*hafen' at column 1: a wildcard at the start of a word (*hafen) is not supported", "a leading wildcard"},
        {"\"oil price\"~3", "cannot parse query '\"oil price\"~3' at column 12: \"phrase\"~N is not supported", "Lucene's phrase proximity"},
        {"date:", "date: needs a date or a range after it", "date: with nothing after it"},
        {"date:2022-13", "date:2022-13: impossible date 2022-13", "an impossible month"},
        {"date:2023..2022", "date:2023..2022: the range ends before it starts", "a range that ends before it starts"},
        {"date:yesterday", "date:yesterday: 'yesterday' is not a date; use YYYYMMDD, YYYY-MM-DD, YYYY-MM or YYYY, or a range FROM..TO of those", "not a date"},
        {"lang:klingon", "lang:klingon: unknown language", "an unknown language"},
    };
    for (const Case& c : cases) {
        try {
            parsed(c.query, rewrite(c.query, false).folded);
            ADD_FAILURE() << c.why << ": " << c.query << " was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::BadQuery) << c.query;
            EXPECT_EQ(std::string(e.what()), c.message) << c.why;
        }
    }
}

TEST(QueryLanguage, LexingKeepsColumnsSpacesAndPhrases) {
    const Tokens t = lex("  talks \"rail  link\" (x");
    EXPECT_EQ(t.lead, "  ");
    ASSERT_EQ(t.tokens.size(), 4u);
    EXPECT_EQ(t.tokens[0].text, "talks");
    EXPECT_EQ(t.tokens[0].column, 2u);
    EXPECT_FALSE(t.tokens[0].quoted);
    EXPECT_EQ(t.tokens[1].text, "\"rail");
    EXPECT_EQ(t.tokens[1].space, "  ");
    EXPECT_TRUE(t.tokens[1].quoted) << "opens a phrase";
    EXPECT_TRUE(t.tokens[2].quoted) << "closes it";
    EXPECT_FALSE(t.tokens[3].quoted);
    EXPECT_EQ(t.tokens[3].column, 21u);
    EXPECT_EQ(join(t), "  talks \"rail  link\" (x") << "joining gives the text back";
}

TEST(QueryLanguage, OperatorsAreOneListReadOneWay) {
    EXPECT_EQ(operator_of("AND"), "AND");
    EXPECT_EQ(operator_of("NEAR/3"), "NEAR");
    EXPECT_EQ(operator_of("ADJ/12"), "ADJ");
    EXPECT_EQ(operator_of("ANDROID"), std::nullopt) << "a word that starts like one";
    EXPECT_EQ(operator_of("NEAR/x"), std::nullopt) << "not a distance";
    EXPECT_EQ(operator_of("OR/3"), std::nullopt) << "only NEAR and ADJ take one";
    EXPECT_EQ(operator_of("and"), std::nullopt) << "operators are typed in capitals";
    EXPECT_EQ(proximity_of("NEAR/x"), "NEAR") << "checked (and refused) as a proximity";
    EXPECT_EQ(proximity_of("NEARBY"), "");
    EXPECT_EQ(core_of("((+talks))", true), "talks");
    EXPECT_EQ(core_of("(-talks)", false), "-talks");
}

TEST(QueryLanguage, AHeadlineIsAllCapitalsWithThreeWordsBesidesOperators) {
    struct Case {
        std::string query;
        bool headline;
        std::string why;
    };
    const Case cases[] = {
        {"FED NOT EXPECTED TO ADD RESERVES", true, "a Reuters headline"},
        {"U.K. MONEY MARKET GIVEN HELP", true, "initials are capitals too"},
        {"GOLDEN ENTERPRISES INC <GLDC> 3RD QTR", true, "numbers and brackets do not count"},
        {"IBM AND APPLE", false, "two words besides the operator"},
        {"Fed NOT expected", false, "a lower-case letter"},
        {"الرياض AND جدة OR مكة", false, "Arabic words are not Latin-script words"},
        {"ÉTATS UNIS ÉLECTIONS", true, "accented capitals are capitals"},
        {"U.S. AND UK", false, "U.S. is one word: two besides AND"},
        {"BORDER AND Q.Z.", false, "initials with dots are one word"},
    };
    for (const Case& c : cases) EXPECT_EQ(is_headline(lex(c.query)), c.headline) << c.why;
    EXPECT_TRUE(rewrite("FED NOT EXPECTED TO ADD", false).headline) << "its NOT read as a word";
    EXPECT_FALSE(rewrite("FED WILL ADD RESERVES", false).headline) << "nothing read otherwise";
    EXPECT_TRUE(rewrite("RATES -- CUT AGAIN -SOON", false).headline) << "a leading -";
}

TEST(QueryLanguage, EachPassOnItsOwn) {
    Tokens t = lex("x..y date:2022..2023 site:a..b \"a...b\"");
    EXPECT_TRUE(dots_as_punctuation(t));
    EXPECT_EQ(join(t), "x y date:2022..2023 site:a..b \"a b\"")
        << "dots are punctuation outside field values";

    t = lex("no dots. here");
    EXPECT_FALSE(dots_as_punctuation(t)) << "says whether it changed anything";

    t = lex("talks (site:a OR site:b OR site:c) OR lang:fr");
    join_field_filters(t);
    EXPECT_EQ(join(t), "talks site:a site:b site:c OR lang:fr");

    t = lex("date:2022-02-08 (date:2021..2022)");
    rewrite_dates(t);
    EXPECT_EQ(join(t), "dateday:20220208 (date:20210101..20221231)");

    t = lex("lang:German");
    rewrite_langs(t);
    EXPECT_EQ(join(t), "lang:de");

    t = lex("-talks --sport");
    EXPECT_TRUE(drop_exclusions(t));
    EXPECT_EQ(join(t), " talks   sport");
    t = lex("talks -sport");
    EXPECT_FALSE(drop_exclusions(t)) << "a word to find besides the excluded one";
    EXPECT_EQ(join(t), "talks -sport");

    EXPECT_TRUE(bare_words(lex("oil prices fall")));
    for (const char* q : {"\"oil prices\"", "oil AND prices", "+oil", "title:oil", "oil*", "(oil)"})
        EXPECT_FALSE(bare_words(lex(q))) << q;

    const Xapian::Stem stem("english");
    EXPECT_EQ(cut_wildcards("guarantees* secur*", [&](const std::string& w) { return stem(w); }),
              "guarante* secur*")
        << "a wildcard's word cut back to what it shares with its stem";

    EXPECT_EQ(fold_tokens(lex("ＡＮＤ （Ｔａｌｋｓ） AND"), false).tokens.size(), 3u);
    EXPECT_EQ(join(fold_tokens(lex("ＡＮＤ （Ｔａｌｋｓ） AND"), false)), "and (talks) AND")
        << "full-width letters and brackets fold; a typed AND stays";
    EXPECT_EQ(join(fold_tokens(lex("-NOT +AND"), true)), "not +and") << "in a headline";
}

TEST(QueryLanguage, PlainQueriesAreWordsOnly) {
    const Rewritten r = rewrite("title:\"Oil\" AND -prices*", true);
    EXPECT_EQ(r.folded, "title  oil  and  prices ");
    EXPECT_FALSE(r.negative);
}

}  // namespace
}  // namespace newsidx::query
