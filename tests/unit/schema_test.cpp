#include "schema.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace newsidx::test {
namespace {

std::string schema_doc() {
    std::ifstream in(NEWSIDX_DOCS "/schema.md");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// docs/schema.md describes the table in schema.hpp: every prefix, slot and metadata key of the
// code has its row there, under the same name.
TEST(Schema, DocsDescribeEveryRowOfTheTable) {
    const std::string doc = schema_doc();
    ASSERT_FALSE(doc.empty()) << "cannot read docs/schema.md";
    EXPECT_NE(
        doc.find("# Index format (schema version " + std::to_string(schema::kSchemaVersion) + ")"),
        std::string::npos);
    for (const schema::Prefix* p : schema::kPrefixes) {
        std::string row = "| `" + std::string(p->prefix) + "` | ";
        if (!p->query_name.empty()) row += "`" + std::string(p->query_name) + ":` ";
        EXPECT_NE(doc.find(row), std::string::npos) << "no row starting " << row;
    }
    for (const schema::Slot* s : schema::kSlots) {
        const std::string row =
            "| " + std::to_string(s->slot) + " | " + std::string(s->name) + " |";
        EXPECT_NE(doc.find(row), std::string::npos) << "no row starting " << row;
    }
    for (const schema::MetadataKey* k : schema::kMetadataKeys)
        EXPECT_NE(doc.find("| `" + std::string(k->key) + "`"), std::string::npos) << k->key;
}

TEST(Schema, TellsAPrefixedTermFromAWord) {
    struct Case {
        std::string_view term;
        const schema::Prefix* prefix;
        bool is_text;
        std::string_view word;
        std::string_view why;
    };
    const Case cases[] = {
        {"secur", nullptr, true, "secur", "unprefixed: a word of the text"},
        {"Ssecur", &schema::kTitle, true, "secur", "a title word"},
        {"Hbbc.co.uk", &schema::kHost, false, "bbc.co.uk", "a filter, not text"},
        {"XTabcdef0123456789", &schema::kExactTitle, false, "abcdef0123456789",
         "the longest prefix wins: XT, not a one-letter X"},
        {"XAenglish", &schema::kAnalyzer, false, "english", "the analyzer term"},
        {"2022", nullptr, true, "2022", "digits are words"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(schema::prefix_of(c.term), c.prefix) << c.why;
        EXPECT_EQ(schema::is_text_term(c.term), c.is_text) << c.why;
        EXPECT_EQ(schema::word_of(c.term), c.word) << c.why;
    }
}

}  // namespace
}  // namespace newsidx::test
