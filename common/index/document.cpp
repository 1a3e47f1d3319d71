#include "document.hpp"

// Header-only: one shared library less to load at every start (docs/benchmarks.md).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "analyzer.hpp"
#include "clusters.hpp"
#include "newsidx/error.hpp"
#include "schema.hpp"

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

}  // namespace

// "SIZE MTIME HASH FLAG URL", FLAG "h" (holds its article) or "s" (does not). The first
// schema 3 indexes wrote no flag ("SIZE MTIME HASH URL"): those files hold their articles.
std::string FileState::encode() const {
    return std::to_string(size) + ' ' + std::to_string(mtime_ns) + ' ' + hash +
           (holds ? " h " : " s ") + url;
}

std::optional<FileState> FileState::decode(std::string_view text) {
    auto fields = split(text, ' ', 4);
    if (fields.size() != 4) return std::nullopt;
    FileState s;
    if (!parse_int(fields[0], &s.size) || !parse_int(fields[1], &s.mtime_ns)) return std::nullopt;
    s.hash = std::string(fields[2]);
    std::string_view rest = fields[3];
    if (rest.size() > 2 && (rest[0] == 'h' || rest[0] == 's') && rest[1] == ' ') {
        s.holds = rest[0] == 'h';
        rest.remove_prefix(2);
    }
    s.url = std::string(rest);
    return s;
}

std::string content_hash(std::string_view bytes) {
    return hex64(XXH3_64bits(bytes.data(), bytes.size()));
}

std::string exact_title_term(std::string_view text) {
    const std::string key = word_key(text);
    if (key.empty()) return {};
    return std::string(schema::kExactTitle.prefix) + content_hash(key);
}

std::string written_title_term(std::string_view text) {
    std::string key;
    for (const char c : to_nfc(text)) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!key.empty() && key.back() != ' ') key += ' ';
        } else {
            key += c;
        }
    }
    if (!key.empty() && key.back() == ' ') key.pop_back();
    if (key.empty()) return {};
    return std::string(schema::kWrittenTitle.prefix) + content_hash(key);
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

std::string analyzer_of(const Xapian::Document& doc) {
    const std::string prefix(schema::kAnalyzer.prefix);
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(prefix);
    if (it != doc.termlist_end() && (*it).compare(0, prefix.size(), prefix) == 0)
        return (*it).substr(prefix.size());
    return "english";
}

std::string id_term_of(std::string_view url) { return bounded_term(schema::kId.prefix, url); }

std::uint64_t id_hash(std::string_view id_term) {
    return XXH3_64bits(id_term.data(), id_term.size());
}

std::string order_key(std::string_view id_term) { return schema::big_endian(id_hash(id_term)); }

unsigned shard_of(std::string_view id_term, unsigned shards) {
    return shards <= 1 ? 1 : static_cast<unsigned>(id_hash(id_term) % shards) + 1;
}

std::optional<ShardSpec> ShardSpec::parse(std::string_view text) {
    if (text.empty()) return ShardSpec{};
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    ShardSpec spec;
    auto number = [](std::string_view digits, unsigned& out) {
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
        return ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() &&
               digits[0] != '+';
    };
    if (!number(text.substr(0, slash), spec.k) || !number(text.substr(slash + 1), spec.n) ||
        spec.k < 1 || spec.k > spec.n || spec.n > 4096)
        return std::nullopt;
    return spec;
}

std::string StoredRecord::encode() const {
    std::string out;
    out.reserve(title.size() + url.size() + path.size() + body.size() + 3);
    for (std::string_view field :
         {std::string_view(title), std::string_view(url), std::string_view(path)}) {
        out += field;
        out += '\0';
    }
    out += body;
    return out;
}

StoredRecord StoredRecord::of(const Xapian::Document& doc) {
    const std::string data = doc.get_data();
    auto fields = split(data, '\0', 4);
    if (fields.size() != 4)
        throw Error(ErrorCode::SchemaMismatch, "document data is not a newsidx record")
            .with_hint("re-index with: indexer " NEWSIDX_OPT("rebuild") " PATH...");
    return StoredRecord{
        std::string(fields[0]), doc.get_value(schema::kDateSlot.slot),     std::string(fields[1]),
        std::string(fields[2]), doc.get_value(schema::kLanguageSlot.slot), std::string(fields[3])};
}

DocumentBuilder::DocumentBuilder(const Analyzer& analyzer) : analyzer_(analyzer) {
    spellgen_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
}

namespace {

// The boolean terms of an article (its id, hosts, day, month, year, language, analyzer) and
// its weighted title terms.
void add_terms(Xapian::Document& doc, const Article& article, const std::string& language,
               const std::string& analyzer, const std::string& id_term) {
    doc.add_boolean_term(id_term);
    for (const std::string& host : host_and_parents(article.host))
        doc.add_boolean_term(bounded_term(schema::kHost.prefix, host));
    doc.add_boolean_term(std::string(schema::kDay.prefix) + article.date);
    doc.add_boolean_term(std::string(schema::kMonth.prefix) + article.date.substr(0, 6));
    doc.add_boolean_term(std::string(schema::kYear.prefix) + article.date.substr(0, 4));
    doc.add_boolean_term(std::string(schema::kLang.prefix) + language);
    doc.add_boolean_term(std::string(schema::kAnalyzer.prefix) + analyzer);
    // Weighted (wdf 1), unlike the filters above: it scores, it does not filter.
    if (const std::string exact = exact_title_term(article.title); !exact.empty())
        doc.add_term(exact);
    if (const std::string written = written_title_term(article.title); !written.empty())
        doc.add_term(written);
}

// The value slots of an article; its near-duplicate signature and band terms (clusters.hpp):
// every article founds its own cluster until IndexWriter's commit finds its earlier copies.
void add_values(Xapian::Document& doc, const Article& article, const std::string& language,
                const std::string& body, DocumentBuilder::Built& built) {
    doc.add_value(schema::kDateSlot.slot, article.date);
    doc.add_value(schema::kHostSlot.slot, article.host);
    if (const std::optional<Signature> signature = signature_of(body)) {
        doc.add_value(schema::kSignatureSlot.slot, signature->encode());
        built.bands = signature->band_terms();
        for (const std::string& band : built.bands) doc.add_boolean_term(band);
    }
    doc.add_value(schema::kClusterSlot.slot, cluster_key(article.date, built.id_term));
    doc.add_value(schema::kStorySlot.slot,
                  schema::story_value(cluster_key(article.date, built.id_term), article.date));
    doc.add_value(schema::kLanguageSlot.slot, language);
    doc.add_value(schema::kOrderSlot.slot, order_key(built.id_term));
}

}  // namespace

DocumentBuilder::Built DocumentBuilder::build(const Article& article, std::string_view path) {
    Built built;
    // The article's own analyzer (the index's, unless that is "auto"), set up again only
    // when it differs from the last article's.
    const Analyzer analyzer = analyzer_.for_article(article.language);
    // An index built with --lang X says its articles are in X (none: as guessed).
    std::string language = article.language;
    if (!analyzer_.per_article())
        if (std::string forced = analyzer_language(analyzer_.name()); !forced.empty())
            language = std::move(forced);
    if (analyzer.name() != configured_) {
        analyzer.configure(termgen_);
        configured_ = analyzer.name();
    }
    const std::string folded_title = fold(article.title), folded_body = fold(article.body);
    const std::string title = segment(folded_title);
    const std::string body = segment(folded_body);
    index_words(built.doc, title, article.body, folded_title, folded_body);
    built.id_term = id_term_of(article.url);
    add_terms(built.doc, article, language, analyzer.name(), built.id_term);
    add_values(built.doc, article, language, body, built);
    built.doc.set_data(StoredRecord{article.title, article.date, article.url, std::string(path),
                                    language, article.body}
                           .encode());
    built.spellings = spellings(title);
    return built;
}

void DocumentBuilder::index_words(Xapian::Document& doc, const std::string& title,
                                  const std::string& body, const std::string& folded_title,
                                  const std::string& folded_body) {
    termgen_.set_document(doc);
    termgen_.index_text(title, 1, std::string(schema::kTitle.prefix));
    termgen_.increase_termpos(10);
    termgen_.index_text(title, schema::kTitleWdf);
    // Paragraph by paragraph and sentence by sentence (ICU's boundaries, found in the text as
    // written: folding would hide the capitals they read), each folded and segmented, with gaps
    // between them: a phrase does not match across a sentence's end ("demand for oil." then
    // "Prices..." is no "oil prices"), and SENTENCE and PARAGRAPH are windows (schema.hpp).
    // Gaps only between paragraphs and sentences with words in them, and none past
    // kLastGapAt: a body of blank lines cannot overflow Xapian's 32-bit positions.
    const auto gap = [this](Xapian::termpos size) {
        if (termgen_.get_termpos() < schema::kLastGapAt) termgen_.increase_termpos(size);
    };
    std::size_t at = 0;
    while (at <= body.size()) {
        const std::size_t end = std::min(body.find('\n', at), body.size());
        const std::string_view paragraph = std::string_view(body).substr(at, end - at);
        at = end + 1;
        if (paragraph.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        gap(schema::kParagraphGap);
        bool first = true;
        for (const std::string_view sentence : sentences(paragraph)) {
            if (!first) gap(schema::kSentenceGap);
            first = false;
            termgen_.index_text(segment(fold(sentence)));
        }
    }
    // Chinese and Japanese character pairs, a fallback for what the dictionary splits
    // differently in a query (ranking::add_char_pairs).
    for (const std::string* text : {&folded_title, &folded_body})
        for (const std::string& pair : han_pairs(*text, true))
            doc.add_term(std::string(schema::kCharPair.prefix) + pair);
    // Drop the generator's reference before the document moves to the writer's thread:
    // Xapian's reference counts are not atomic.
    termgen_.set_document(Xapian::Document());
}

std::vector<std::string> DocumentBuilder::spellings(const std::string& title) {
    // Title words feed the spelling dictionary behind "did you mean" (numbers left out).
    // Body words too cost a quarter more indexing time on Reuters-21578 (docs/query-syntax.md),
    // so the dictionary has the titles' words; a suggestion is still checked against every
    // article's words (QueryBuilder::correction).
    std::vector<std::string> out;
    Xapian::Document scratch;
    spellgen_.set_document(scratch);
    spellgen_.index_text_without_positions(title);
    for (auto it = scratch.termlist_begin(); it != scratch.termlist_end(); ++it) {
        const std::string& word = *it;
        if (word.size() > 2 && word.size() < 40 &&
            !std::isdigit(static_cast<unsigned char>(word[0])))
            out.push_back(word);
    }
    spellgen_.set_document(Xapian::Document());
    return out;
}

}  // namespace newsidx
