// The search option table (issue #25): one row per option, from which the command line's flags
// (cli::SearchFlags) and the server's parameters are made.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "newsidx/error.hpp"
#include "newsidx/options.hpp"
#include "newsidx/search_flags.hpp"

namespace newsidx {
namespace {

// Options the command line declares itself that rows may exclude.
const std::set<std::string> kFrontEndOptions{"batch", "show", "copies", "export", "serve"};

TEST(OptionTable, RowsAreWholeAndNameEachOtherCorrectly) {
    std::set<std::string_view> names;
    std::set<char> aliases;
    for (const SearchOption& row : search_options()) {
        SCOPED_TRACE(std::string(row.name));
        EXPECT_TRUE(names.insert(row.name).second) << "one row per name";
        if (row.alias) {
            EXPECT_TRUE(aliases.insert(row.alias).second);
        }
        EXPECT_FALSE(row.help.empty());
        EXPECT_NE(row.set, nullptr);
        EXPECT_NE(row.is_set, nullptr);
        EXPECT_EQ(row.repeatable, row.clear != nullptr) << "a repeatable row clears its default";
        if (row.type == OptionType::Whole || row.type == OptionType::Number) {
            EXPECT_LT(row.min, row.max);
        }
        EXPECT_EQ(row.type == OptionType::Choice, !row.choices.empty());
        EXPECT_TRUE(row.needs.empty() || search_option(row.needs)) << row.needs;
        for (std::string_view other : row.excludes)
            EXPECT_TRUE(other.empty() || search_option(other) ||
                        kFrontEndOptions.count(std::string(other)))
                << other;
        EXPECT_EQ(row.help.find("--"), std::string_view::npos)
            << "help names other options with NEWSIDX_OPT";
    }
    for (const char* name : {"limit", "since", "facet", "explain", "recency", "bm25", "db"})
        EXPECT_NE(search_option(name), nullptr) << name;
    EXPECT_EQ(search_option("q"), nullptr) << "the query is no option";
}

TEST(OptionTable, EveryRowBecomesAFlagWhoseValueReachesTheOptions) {
    CLI::App app;
    cli::SearchFlags flags(app);
    for (const std::string& name : kFrontEndOptions) app.add_option("--" + name);
    flags.link(app);
    for (const SearchOption& row : search_options())
        EXPECT_NO_THROW(app.get_option("--" + std::string(row.name))) << row.name;
    std::vector<std::string> args{"searcher", "-n",          "3",    "--since",  "2022-02",
                                  "--facet",  "site",        "--facet", "year",  "--explain",
                                  "--db",     "a.db",        "--db", "b.db",     "--bm25",
                                  "1.2,0.75", "--timeout",   "2.5",  "--sort",   "newest"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
    SearchOptions o;
    flags.apply(o);
    EXPECT_EQ(o.limit, 3u);
    EXPECT_EQ(o.since, "2022-02");
    EXPECT_EQ(o.facets, (std::vector<std::string>{"site", "year"}));
    EXPECT_TRUE(o.explain);
    EXPECT_EQ(o.db_paths, (std::vector<std::string>{"a.db", "b.db"})) << "replaces the default";
    EXPECT_DOUBLE_EQ(o.bm25_k1, 1.2);
    EXPECT_DOUBLE_EQ(o.bm25_b, 0.75);
    EXPECT_EQ(o.timeout_ms, 2500u);
    EXPECT_EQ(o.sort, SortOrder::Newest);
    EXPECT_FALSE(o.collapse) << "a row not given keeps its default";
    EXPECT_EQ(app.count("--limit"), 1u);
    EXPECT_EQ(app.count("--until"), 0u);
}

TEST(OptionTable, AFlagsTypeIsCheckedAsTheRowSays) {
    const auto parse = [](std::vector<std::string> args) {
        CLI::App app;
        cli::SearchFlags flags(app);
        for (const std::string& name : kFrontEndOptions) app.add_option("--" + name);
        flags.link(app);
        args.insert(args.begin(), "searcher");
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        try {
            app.parse(static_cast<int>(argv.size()), argv.data());
            SearchOptions o;
            flags.apply(o);
            return std::string("ok");
        } catch (const CLI::ParseError& e) {
            return std::string(e.what());
        } catch (const Error& e) {
            return std::string(e.what());
        }
    };
    EXPECT_EQ(parse({"--limit", "0"}), "--limit: Value 0 not in range 1 to 10000");
    EXPECT_EQ(parse({"--sort", "best"}), "--sort: 'best' is not one of relevance, newest, oldest");
    EXPECT_EQ(parse({"--timeout", "nan"}), "--timeout wants seconds from 0.1 to 3600");
    EXPECT_EQ(parse({"--now", "2022-01-01"}), "--now requires --recency");
    EXPECT_EQ(parse({"--recency", "3", "--sort", "newest"}), "--sort excludes --recency");
    EXPECT_EQ(parse({"--recency", "3", "--now", "2022-01-01"}), "ok");
    EXPECT_EQ(parse({"-n", "0x2"}), "ok") << "a whole number as CLI11 reads it";
    CLI::App app;
    cli::SearchFlags flags(app);
    for (const std::string& name : kFrontEndOptions) app.add_option("--" + name);
    flags.link(app);
    std::vector<std::string> args{"searcher", "-n", "0x2", "--offset", "010"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
    SearchOptions o;
    flags.apply(o);
    EXPECT_EQ(o.limit, 2u) << "0x2 is 2, as the range check read it (was 0)";
    EXPECT_EQ(o.offset, 8u) << "010 is octal to CLI11, as before the table";
}

TEST(Spelling, TheEngineNamesOptionsTheFrontEndsSpellThem) {
    const Error e = Error(ErrorCode::BadOption, opt("since") + ": impossible date 2022-02-30")
                        .with_hint("e.g. " + opt("since") + " 2022-02-28");
    EXPECT_STREQ(e.what(), "--since: impossible date 2022-02-30");
    EXPECT_EQ(e.hint(), "e.g. --since 2022-02-28");
    EXPECT_EQ(e.message(Spelling::Http), "since: impossible date 2022-02-30");
    EXPECT_EQ(e.hint(Spelling::Http), "e.g. since 2022-02-28");
    EXPECT_EQ(spelled("no marks -- here", Spelling::Http), "no marks -- here");
    EXPECT_EQ(spelled("\x1e" "unclosed", Spelling::Cli), "\x1e" "unclosed");
}

}  // namespace
}  // namespace newsidx
