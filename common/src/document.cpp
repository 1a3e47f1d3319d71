#include "newsidx/document.hpp"

#include <xxhash.h>

#include <charconv>
#include <cstdio>

#include "newsidx/analyzer.hpp"
#include "newsidx/error.hpp"
#include "newsidx/schema.hpp"

namespace newsidx {
namespace {

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

template <typename Int>
bool parse_int(std::string_view s, Int* out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> split(std::string_view s, char sep, std::size_t max_fields) {
    std::vector<std::string_view> out;
    while (out.size() + 1 < max_fields) {
        std::size_t at = s.find(sep);
        if (at == std::string_view::npos) break;
        out.push_back(s.substr(0, at));
        s.remove_prefix(at + 1);
    }
    out.push_back(s);
    return out;
}

constexpr std::string_view kRecordMagic = "newsidx1";

}  // namespace

std::string FileState::encode() const {
    return std::to_string(size) + ' ' + std::to_string(mtime_ns) + ' ' + hash + ' ' + url;
}

std::optional<FileState> FileState::decode(std::string_view text) {
    auto fields = split(text, ' ', 4);
    if (fields.size() != 4) return std::nullopt;
    FileState s;
    if (!parse_int(fields[0], &s.size) || !parse_int(fields[1], &s.mtime_ns)) return std::nullopt;
    s.hash = std::string(fields[2]);
    s.url = std::string(fields[3]);
    return s;
}

std::string content_hash(std::string_view bytes) {
    return hex64(XXH3_64bits(bytes.data(), bytes.size()));
}

std::string exact_title_term(std::string_view text) {
    const std::string key = word_key(text);
    if (key.empty()) return {};
    return std::string(schema::kExactTitlePrefix) + content_hash(key);
}

std::string bounded_term(std::string_view prefix, std::string_view value) {
    std::string term(prefix);
    if (prefix.size() + value.size() <= schema::kMaxTermBytes) {
        term += value;
    } else {
        // Keep a readable head, then a hash of the whole value: still unique, under the limit.
        const std::size_t head = schema::kMaxTermBytes - prefix.size() - 1 - 32;
        term += value.substr(0, head);
        term += '#';
        XXH128_hash_t h = XXH3_128bits(value.data(), value.size());
        term += hex64(h.high64) + hex64(h.low64);
    }
    return term;
}

std::string StoredRecord::encode() const {
    std::string out;
    out.reserve(kRecordMagic.size() + title.size() + url.size() + path.size() + body.size() + 32);
    for (std::string_view field :
         {std::string_view(kRecordMagic), std::string_view(title), std::string_view(date),
          std::string_view(url), std::string_view(path), std::string_view(language)}) {
        out += field;
        out += '\0';
    }
    out += body;
    return out;
}

StoredRecord StoredRecord::decode(std::string_view data) {
    auto fields = split(data, '\0', 7);
    if (fields.size() != 7 || fields[0] != kRecordMagic)
        throw Error(ErrorCode::SchemaMismatch, "document data is not a newsidx record")
            .with_hint("re-index with: indexer --rebuild PATH...");
    return StoredRecord{std::string(fields[1]), std::string(fields[2]), std::string(fields[3]),
                        std::string(fields[4]), std::string(fields[5]), std::string(fields[6])};
}

DocumentBuilder::DocumentBuilder(const std::string& stem_language) {
    termgen_.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    spellgen_.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    if (stem_language != "none") {
        termgen_.set_stemmer(Xapian::Stem(stem_language));
        termgen_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    } else {
        termgen_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    }
    spellgen_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
}

DocumentBuilder::Built DocumentBuilder::build(const Article& article, std::string_view path,
                                              const FileState& state) {
    Built built;
    Xapian::Document& doc = built.doc;
    const std::string title = fold(article.title);

    termgen_.set_document(doc);
    termgen_.index_text(title, 1, std::string(schema::kTitlePrefix));
    termgen_.increase_termpos(10);
    termgen_.index_text(title, schema::kTitleWdf);
    termgen_.increase_termpos(10);
    termgen_.index_text(fold(article.body));
    // Drop the generator's reference before the document moves to the writer's thread:
    // Xapian's reference counts are not atomic.
    termgen_.set_document(Xapian::Document());

    built.id_term = bounded_term(schema::kIdPrefix, article.url);
    doc.add_boolean_term(built.id_term);
    doc.add_boolean_term(bounded_term(schema::kUrlPrefix, article.url));
    for (const std::string& host : host_and_parents(article.host))
        doc.add_boolean_term(bounded_term(schema::kHostPrefix, host));
    doc.add_boolean_term(std::string(schema::kDayPrefix) + article.date);
    doc.add_boolean_term(std::string(schema::kMonthPrefix) + article.date.substr(0, 6));
    doc.add_boolean_term(std::string(schema::kYearPrefix) + article.date.substr(0, 4));
    doc.add_boolean_term(std::string(schema::kLangPrefix) + article.language);
    doc.add_boolean_term(bounded_term(schema::kPathPrefix, path));
    // Weighted (wdf 1), unlike the filters above: it scores, it does not filter.
    if (const std::string exact = exact_title_term(article.title); !exact.empty())
        doc.add_term(exact);

    doc.add_value(schema::kDateSlot, article.date);
    doc.add_value(schema::kSizeSlot, std::to_string(state.size));
    doc.add_value(schema::kMtimeSlot, std::to_string(state.mtime_ns));
    doc.add_value(schema::kHashSlot, state.hash);

    doc.set_data(StoredRecord{article.title, article.date, article.url, std::string(path),
                              article.language, article.body}
                     .encode());

    // Title words feed the spelling dictionary behind "did you mean".
    Xapian::Document scratch;
    spellgen_.set_document(scratch);
    spellgen_.index_text_without_positions(title);
    for (auto it = scratch.termlist_begin(); it != scratch.termlist_end(); ++it) {
        const std::string& word = *it;
        if (word.size() > 2 && word.size() < 40) built.spellings.push_back(word);
    }
    spellgen_.set_document(Xapian::Document());
    return built;
}

}  // namespace newsidx
