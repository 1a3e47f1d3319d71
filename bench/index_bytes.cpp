// Where an index's bytes are (issue #28): the size of each Xapian table on disk, then what
// each kind of content puts in them — per kind of term (schema prefix): terms, postings and
// the bytes of the terms' names; per value slot: the bytes of the values; per metadata key:
// keys and bytes; the stored records. With --cost KIND (a prefix such as XB, "slot:2",
// "meta:newsidx.file:" or "positions:S"), it also copies the index without that kind of
// content and compacts the copy, so that the difference is what the kind costs on disk.
//
//   newsidx_index_bytes DB [--cost KIND]...
#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "schema.hpp"

namespace fs = std::filesystem;
namespace schema = newsidx::schema;

namespace {

std::uint64_t folder_bytes(const std::string& dir) {
    std::uint64_t total = 0;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) total += e.file_size();
    return total;
}

void print_tables(const std::string& dir) {
    std::printf("| table | MB |\n|---|---:|\n");
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".glass")
            std::printf("| %s | %.1f |\n", e.path().stem().c_str(), e.file_size() / 1e6);
    std::printf("| all | %.1f |\n\n", folder_bytes(dir) / 1e6);
}

std::string kind_of(const std::string& term) {
    const schema::Prefix* p = schema::prefix_of(term);
    return p ? std::string(p->prefix) : std::string("(words)");
}

void print_terms(const Xapian::Database& db) {
    struct Count {
        std::uint64_t terms = 0, postings = 0, name_bytes = 0, positions = 0;
    };
    std::map<std::string, Count> kinds;
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        Count& c = kinds[kind_of(*t)];
        ++c.terms;
        c.postings += t.get_termfreq();
        c.name_bytes += (*t).size();
    }
    std::printf("| terms | terms | postings | MB of names |\n|---|---:|---:|---:|\n");
    for (const auto& [kind, c] : kinds)
        std::printf("| %s | %llu | %llu | %.1f |\n", kind.c_str(),
                    static_cast<unsigned long long>(c.terms),
                    static_cast<unsigned long long>(c.postings), c.name_bytes / 1e6);
    std::printf("\n");
}

void print_values_and_data(const Xapian::Database& db) {
    std::printf("| value slot | values | MB |\n|---|---:|---:|\n");
    for (const schema::Slot* slot : schema::kSlots) {
        std::uint64_t n = 0, bytes = 0;
        for (auto v = db.valuestream_begin(slot->slot); v != db.valuestream_end(slot->slot); ++v) {
            ++n;
            bytes += (*v).size();
        }
        std::printf("| %u %s | %llu | %.1f |\n", slot->slot, std::string(slot->name).c_str(),
                    static_cast<unsigned long long>(n), bytes / 1e6);
    }
    std::uint64_t data = 0;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p)
        data += db.get_document(*p).get_data().size();
    std::printf("\nstored records: %.1f MB before compression\n\n", data / 1e6);
    std::printf("| metadata | keys | MB |\n|---|---:|---:|\n");
    for (const schema::MetadataKey* key : schema::kMetadataKeys) {
        const std::string k(key->key);
        std::uint64_t n = 0, bytes = 0;
        for (auto m = db.metadata_keys_begin(k); m != db.metadata_keys_end(k); ++m) {
            if (k.back() != ':' && *m != k) continue;
            ++n;
            bytes += (*m).size() + db.get_metadata(*m).size();
        }
        std::printf("| %s | %llu | %.1f |\n", k.c_str(), static_cast<unsigned long long>(n),
                    bytes / 1e6);
    }
    std::printf("\n");
}

// A copy of `db` without `kind`, compacted; returns its bytes.
std::uint64_t bytes_without(const Xapian::Database& db, const std::string& kind,
                            const std::string& scratch) {
    fs::remove_all(scratch);
    fs::remove_all(scratch + ".c");
    {
        Xapian::WritableDatabase out(scratch, Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
        const bool slot = kind.rfind("slot:", 0) == 0, meta = kind.rfind("meta:", 0) == 0;
        const bool positions = kind.rfind("positions:", 0) == 0;
        for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
            const Xapian::Document in = db.get_document(*p);
            Xapian::Document doc;
            doc.set_data(in.get_data());
            for (auto v = in.values_begin(); v != in.values_end(); ++v)
                if (!(slot && v.get_valueno() == std::stoul(kind.substr(5))))
                    doc.add_value(v.get_valueno(), *v);
            for (auto t = in.termlist_begin(); t != in.termlist_end(); ++t) {
                const std::string k = kind_of(*t);
                if (!slot && !meta && !positions && k == kind) continue;
                doc.add_term(*t, t.get_wdf());
                if (positions && k == kind.substr(10)) continue;
                for (auto pos = t.positionlist_begin(); pos != t.positionlist_end(); ++pos)
                    doc.add_posting(*t, *pos, 0);
            }
            out.replace_document(*p, doc);
        }
        for (auto m = db.metadata_keys_begin(); m != db.metadata_keys_end(); ++m)
            if (!(meta && (*m).rfind(kind.substr(5), 0) == 0))
                out.set_metadata(*m, db.get_metadata(*m));
        out.commit();
    }
    Xapian::Database(scratch).compact(scratch + ".c", Xapian::Compactor::FULL);
    const std::uint64_t bytes = folder_bytes(scratch + ".c");
    fs::remove_all(scratch);
    fs::remove_all(scratch + ".c");
    return bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: newsidx_index_bytes DB [--cost KIND]...\n");
        return 2;
    }
    try {
        const std::string dir = argv[1];
        const Xapian::Database db(dir);
        print_tables(dir);
        print_terms(db);
        print_values_and_data(db);
        std::vector<std::string> costs;
        for (int i = 2; i + 1 < argc; i += 2)
            if (std::string(argv[i]) == "--cost") costs.push_back(argv[i + 1]);
        if (costs.empty()) return 0;
        const std::uint64_t whole = bytes_without(db, "(nothing)", dir + ".bytes-scratch");
        std::printf("| without | MB | saves MB |\n|---|---:|---:|\n| (nothing) | %.1f | |\n",
                    whole / 1e6);
        for (const std::string& kind : costs) {
            const std::uint64_t b = bytes_without(db, kind, dir + ".bytes-scratch");
            std::printf("| %s | %.1f | %.1f |\n", kind.c_str(), b / 1e6,
                        (static_cast<double>(whole) - static_cast<double>(b)) / 1e6);
        }
    } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "newsidx_index_bytes: %s\n", e.get_description().c_str());
        return 2;
    }
}
