#include "index_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <tuple>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "layout.hpp"
#include "newsidx/error.hpp"
#include "schema.hpp"
#include "xapian_errors.hpp"

namespace newsidx {
namespace {

std::string file_key(const std::string& path) { return bounded_term(schema::kFile.key, path); }

constexpr std::size_t kElsewhereChunk = 8192;

std::string elsewhere_key(std::size_t chunk) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04zu", chunk);
    return std::string(schema::kElsewhere.key) + buf;
}

// Writes `sorted` as kElsewhere's fingerprints in `db`, replacing its list.
void write_elsewhere(Xapian::WritableDatabase& db, const std::vector<std::uint64_t>& sorted) {
    std::size_t chunk = 0;
    for (std::size_t from = 0; from < sorted.size(); from += kElsewhereChunk, ++chunk) {
        std::string value;
        for (std::size_t i = from; i < std::min(sorted.size(), from + kElsewhereChunk); ++i)
            value += schema::big_endian(sorted[i]);
        db.set_metadata(elsewhere_key(chunk), value);
    }
    // The chunks of a longer list before.
    std::vector<std::string> stale;
    const std::string prefix(schema::kElsewhere.key);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        if (std::strtoull((*k).c_str() + prefix.size(), nullptr, 10) >= chunk)
            stale.push_back(*k);
    for (const std::string& k : stale) db.set_metadata(k, std::string());
}

// kElsewhere's fingerprints in `db`, sorted.
std::vector<std::uint64_t> read_elsewhere(const Xapian::Database& db) {
    std::vector<std::uint64_t> all;
    const std::string prefix(schema::kElsewhere.key);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
        const std::string value = db.get_metadata(*k);
        for (std::size_t at = 0; at + 8 <= value.size(); at += 8)
            all.push_back(schema::from_big_endian(std::string_view(value).substr(at)));
    }
    std::sort(all.begin(), all.end());  // the chunks come in key order: sorted already
    return all;
}

// Records the state of the file at `path` under its key: FileState::encode(), a newline, then
// the path when the key is a hash of it (a long path); a key that is the path itself does not
// repeat it (4 MB of 330 on the combined corpora). Indexes written before kept the path in
// every value, which decode_file_entry() reads the same.
void write_file_state(Xapian::WritableDatabase& db, const std::string& path,
                      const FileState& state) {
    const std::string key = file_key(path);
    db.set_metadata(key, state.encode() + '\n' +
                             (key.size() == schema::kFile.key.size() + path.size() ? std::string()
                                                                                    : path));
}

std::optional<std::pair<FileState, std::string>> decode_file_entry(std::string_view key,
                                                                   std::string_view value) {
    auto nl = value.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    auto state = FileState::decode(value.substr(0, nl));
    if (!state) return std::nullopt;
    std::string_view path = value.substr(nl + 1);
    if (path.empty()) path = key.substr(std::min(key.size(), schema::kFile.key.size()));
    return std::make_pair(std::move(*state), std::string(path));
}

}  // namespace

IndexWriter::IndexWriter(Xapian::WritableDatabase db, Analyzer analyzer, std::string path)
    : db_(std::move(db)), analyzer_(std::move(analyzer)), path_(std::move(path)) {
    // A run that died between marking the keys stale and recounting them: recount at the
    // first commit.
    changes_.everything = detail::guarded("reading index metadata", path_, [&] {
        return db_.get_metadata(std::string(schema::kClusters.key)) == "stale";
    });
    change_ = 1 + detail::guarded("reading index metadata", path_, [&] {
                  return std::strtoull(
                      db_.get_metadata(std::string(schema::kChanges.key)).c_str(), nullptr, 10);
              });
}

void IndexWriter::note_removed(Xapian::docid did) {
    if (clusters_ == Clusters::Ignored) return;
    const Xapian::Document doc = db_.get_document(did);
    if (const auto signature = Signature::decode(doc.get_value(schema::kSignatureSlot.slot)))
        for (std::string& band : signature->band_terms()) changes_.bands.insert(std::move(band));
    changes_.keys.insert(doc.get_value(schema::kClusterSlot.slot));
}

void IndexWriter::note_holders_removed(const std::string& id_term) {
    if (clusters_ == Clusters::Ignored) return;
    for (auto p = db_.postlist_begin(id_term); p != db_.postlist_end(id_term); ++p)
        note_removed(*p);
}

void IndexWriter::note_added(const DocumentBuilder::Built& built) {
    if (clusters_ == Clusters::Ignored) return;
    changes_.bands.insert(built.bands.begin(), built.bands.end());
    changes_.added.insert(built.id_term);
}

void IndexWriter::defer_clusters() { clusters_ = Clusters::Deferred; }

void IndexWriter::settle_clusters() {
    if (clusters_ == Clusters::Deferred) {
        db_.set_metadata(std::string(schema::kClusters.key), "stale");
    } else if (clusters_ == Clusters::Kept && !changes_.empty()) {
        update_clusters(db_, changes_);
        if (changes_.everything) db_.set_metadata(std::string(schema::kClusters.key), "");
    }
    changes_ = ClusterChanges();
}

Xapian::Document IndexWriter::stamped(const Xapian::Document& doc, const std::string& id_term,
                                      const Xapian::Database* before) {
    std::uint64_t added = change_;
    if (before) {
        auto p = before->postlist_begin(id_term);
        if (p != before->postlist_end(id_term)) {
            const std::uint64_t was =
                schema::change_number(before->get_document(*p).get_value(schema::kAddedSlot.slot));
            if (was) added = was;
        }
    }
    // An article this writer deleted before (its file moved: the old path's article goes
    // first) keeps the change that added its URL.
    if (added == change_)
        if (const auto it = removed_added_.find(id_term); it != removed_added_.end())
            added = schema::change_number(it->second);
    Xapian::Document out = doc;  // a handle: the built document itself is stamped
    out.add_value(schema::kAddedSlot.slot, schema::change_value(added));
    out.add_value(schema::kChangedSlot.slot, schema::change_value(change_));
    stamped_ = true;
    return out;
}

void IndexWriter::end_first_run() {
    detail::guarded("writing index metadata", path_, [&] {
        const std::string key(schema::kFirstRun.key);
        if (db_.get_metadata(key) != schema::kFirstRunGoing) return;
        // The change the next commit takes, or the last one when it writes no article.
        db_.set_metadata(key, schema::first_run_ended(stamped_ ? change_ : change_ - 1));
    });
}

void IndexWriter::settle_changes() {
    if (!stamped_ || !counts_changes_) return;
    db_.set_metadata(std::string(schema::kChanges.key), std::to_string(change_));
    ++change_;
    stamped_ = false;
}

IndexWriter::Identity IndexWriter::identity() const {
    return detail::guarded("reading index metadata", path_, [&] {
        Identity identity{db_.get_metadata(std::string(schema::kIndexId.key)),
                          std::strtoull(db_.get_metadata(std::string(schema::kChanges.key)).c_str(),
                                        nullptr, 10),
                          db_.get_metadata(std::string(schema::kFirstRun.key))};
        if (identity.id.empty()) identity.id = detail::draw_index_id();
        return identity;
    });
}

IndexWriter::IndexWriter(Xapian::WritableDatabase db, const Analyzer& analyzer)
    : IndexWriter(std::move(db), analyzer, std::string()) {
    try {
        if (db_.get_metadata(std::string(schema::kVersion.key)).empty()) {
            detail::stamp_schema(db_, analyzer_.name());
            db_.set_metadata(std::string(schema::kIndexId.key), detail::draw_index_id());
        }
    } catch (...) {
        detail::rethrow_xapian_error("opening index", path_);
    }
}

IndexWriter IndexWriter::open(const std::string& path, bool rebuild, const std::string& language) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(path, ec) && !fs::is_directory(path, ec))
        throw Error(ErrorCode::NotWritable, "'" + path + "' exists and is not an index directory");
    // A folder of other files is not made an index: a bulk run replaces the whole folder with
    // the index it builds beside it, which would take the other files with it.
    if (fs::is_directory(path, ec) && !detail::holds_index(path)) {
        for (const auto& entry : fs::directory_iterator(path, ec)) {
            const std::string name = entry.path().filename().string();
            if (name == "flintlock" || name.ends_with(".glass") || name.ends_with(".tmp")) continue;
            // (Only a folder whose "1" is an index: the command the hint names must work.)
            const bool shards = detail::holds_index((fs::path(path) / "1").string());
            throw Error(
                ErrorCode::BadOption,
                "'" + path + "' is a folder of other files (it holds '" + name + "'), not an index")
                .with_hint(shards ? "a set of shards whose first run was stopped? run the same "
                                    "indexer " NEWSIDX_OPT("shards") " N " NEWSIDX_OPT("db") " " +
                                        path + " command again"
                                  : "give " NEWSIDX_OPT("db") " a new or empty folder");
        }
    }
    // Xapian reports a lock it cannot create as held by someone else; say what is really wrong.
    if (fs::is_directory(path, ec) && ::access(path.c_str(), W_OK) != 0)
        throw Error(ErrorCode::NotWritable,
                    "cannot write to index '" + path + "': " + std::strerror(errno))
            .with_hint("index into a folder you can write to, e.g. " NEWSIDX_OPT("db") " ./newsidx.db");
    // --rebuild of an existing index leaves it as it is (locked, and read by searchers) while
    // the new one is built beside it, to be swapped in at the end.
    bool replacing = rebuild && detail::holds_index(path);
    try {
        Xapian::WritableDatabase db;
        try {
            db = Xapian::WritableDatabase(path, (replacing ? Xapian::DB_OPEN
                                                 : rebuild ? Xapian::DB_CREATE_OR_OVERWRITE
                                                           : Xapian::DB_CREATE_OR_OPEN) |
                                                    Xapian::DB_BACKEND_GLASS);
        } catch (const Xapian::DatabaseLockError&) {
            throw;
        } catch (const Xapian::DatabaseError& e) {
            // --rebuild of a damaged index (it cannot be opened for no reason of the system's):
            // started again in place, from nothing; there is nothing in it to keep readable.
            if (!replacing || !detail::is_damage(e)) throw;
            replacing = false;
            db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OVERWRITE |
                                                    Xapian::DB_BACKEND_GLASS);
        }
        // A rebuild replaces the index whatever its schema, but keeps the analyzer of an index
        // of this schema unless --lang names another. A new index analyses each article in
        // its own language.
        const bool current = db.get_metadata(std::string(schema::kVersion.key)) ==
                             std::to_string(schema::kSchemaVersion);
        const std::string stored =
            replacing ? (current ? db.get_metadata(std::string(schema::kLanguage.key)) : "")
                      : detail::check_schema(db, path, detail::Access::Write);
        const Analyzer analyzer(!language.empty() ? language
                                : !stored.empty() ? stored
                                                  : std::string(kAutoAnalysis));
        if (!replacing && !stored.empty() && stored != analyzer.name())
            throw Error(ErrorCode::BadOption, "index '" + path + "' was built with " NEWSIDX_OPT("lang") " " +
                                                  stored + ", not " + analyzer.name())
                .with_hint("use " NEWSIDX_OPT("rebuild") " to change the stemming language");
        if (!replacing && stored.empty()) {
            detail::stamp_schema(db, analyzer.name());
            db.set_metadata(std::string(schema::kIndexId.key), detail::draw_index_id());
            db.set_metadata(std::string(schema::kFirstRun.key), std::string(schema::kFirstRunGoing));
            // At once: an indexer killed before its first batch leaves an empty newsidx index,
            // not a Xapian index that searchers cannot tell from someone else's.
            db.commit();
        }
        return IndexWriter(std::move(db), analyzer, path);
    } catch (...) {
        detail::rethrow_xapian_error("opening index", path);
    }
}

IndexWriter IndexWriter::create_shard(const std::string& path, const Analyzer& analyzer,
                                      std::uint64_t change, const std::string& origins,
                                      const AddedById& removed) {
    try {
        Xapian::WritableDatabase db(
            path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
        detail::stamp_schema(db, analyzer.name());
        IndexWriter shard(std::move(db), analyzer, path);
        shard.clusters_ = Clusters::Ignored;  // merge() counts the keys of the merged index
        shard.counts_changes_ = false;        // merge() writes the run's number
        shard.change_ = change;
        if (!origins.empty()) shard.origins_.emplace(origins);
        shard.removed_added_ = removed;
        return shard;
    } catch (...) {
        detail::rethrow_xapian_error("creating index shard", path);
    }
}

void IndexWriter::drop_shared_ids(std::vector<IndexWriter>& shards) {
    const std::string prefix(schema::kId.prefix);
    struct Cursor {
        Xapian::TermIterator it, end;
        std::size_t shard;
    };
    try {
        std::vector<Cursor> cursors;
        for (std::size_t s = 0; s < shards.size(); ++s) {
            const Xapian::WritableDatabase& db = shards[s].db_;
            cursors.push_back({db.allterms_begin(prefix), db.allterms_end(prefix), s});
        }
        for (;;) {
            std::string smallest;
            bool any = false;
            for (const Cursor& c : cursors) {
                if (c.it == c.end) continue;
                if (!any || *c.it < smallest) smallest = *c.it;
                any = true;
            }
            if (!any) return;
            std::vector<std::size_t> in_shards;
            Xapian::doccount copies = 0;
            for (Cursor& c : cursors) {
                if (c.it != c.end && *c.it == smallest) {
                    in_shards.push_back(c.shard);
                    copies += c.it.get_termfreq();
                    ++c.it;
                }
            }
            if (copies < 2) continue;
            // (path, shard, docid) of every document with the id; the greatest path stays.
            std::vector<std::tuple<std::string, std::size_t, Xapian::docid>> holders;
            for (std::size_t shard : in_shards) {
                Xapian::WritableDatabase& db = shards[shard].db_;
                for (auto p = db.postlist_begin(smallest); p != db.postlist_end(smallest); ++p)
                    holders.emplace_back(StoredRecord::of(db.get_document(*p)).path, shard, *p);
            }
            std::sort(holders.begin(), holders.end());
            holders.pop_back();
            for (const auto& [path, shard, docid] : holders)
                shards[shard].db_.delete_document(docid);
        }
    } catch (...) {
        detail::rethrow_xapian_error("merging index shards",
                                     shards.empty() ? std::string() : shards[0].path_);
    }
}

namespace {

// The run's file states (kFile) and list of other shards' files (kElsewhere) written into
// `merged`: they are newer than the old index's and than those the workers wrote into their
// shards, and compaction hands a key's duplicate values over in no fixed order (Xapian 1.4
// breaks ties between its sources' metadata cursors arbitrarily).
void write_states(const Xapian::Database& states, Xapian::WritableDatabase& db) {
    const std::string prefix(schema::kFile.key);
    for (auto it = states.metadata_keys_begin(prefix); it != states.metadata_keys_end(prefix);
         ++it)
        db.set_metadata(*it, states.get_metadata(*it));
    write_elsewhere(db, read_elsewhere(states));
}

}  // namespace

IndexWriter IndexWriter::merge(std::vector<IndexWriter>& shards, IndexWriter& states,
                               const std::string& old_index, const std::string& dest,
                               const Analyzer& analyzer, const Identity& identity) {
    // The sources are compacted into an interim index; the cluster keys of their articles are
    // counted (reading only, beside the compaction in a build from nothing), and the keys that
    // moved and the member lists are written into the interim index, which is compacted once
    // more into `dest`: compacting several sources leaves each term's postings in a chunk per
    // source, and rewriting keys leaves blocks half full (334 or 384 MB instead of 324 on the
    // combined corpora).
    const std::string interim =
        (std::filesystem::path(states.path_).parent_path() / "merged").string();
    try {
        Xapian::Database sources, articles;
        for (IndexWriter& s : shards) {
            s.close();
            sources.add_database(Xapian::Database(s.path_));
            articles.add_database(Xapian::Database(s.path_));
        }
        states.close();
        sources.add_database(Xapian::Database(states.path_));
        if (!old_index.empty()) {
            sources.add_database(Xapian::Database(old_index));
            articles.add_database(Xapian::Database(old_index));
        }
        // A build from nothing counts over the shards while they are compacted: Xapian numbers
        // the documents of several databases in turn, so the count's arrays, one slot a docid,
        // are as long as the shards' sum only when the shards are of a size (the workers'
        // are); beside an old index they would be the shards' number times its size, so
        // there the count reads the interim index.
        std::future<ClusterPlan> plan;
        if (old_index.empty())
            plan = std::async(std::launch::async,
                              [&articles] { return plan_clusters(articles, true); });
        sources.compact(interim, Xapian::Compactor::FULL, 0);
        {
            Xapian::WritableDatabase merged(interim, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
            write_states(Xapian::Database(states.path_), merged);
            detail::stamp_schema(merged, analyzer.name());
            merged.set_metadata(std::string(schema::kIndexId.key), identity.id);
            merged.set_metadata(std::string(schema::kChanges.key), std::to_string(identity.changes));
            merged.set_metadata(std::string(schema::kFirstRun.key), identity.first_run);
            // An interim index: commit often.
            apply_plan(merged, plan.valid() ? plan.get() : plan_clusters(merged, false), 10000);
            merged.set_metadata(std::string(schema::kClusters.key), std::string());
            merged.commit();
        }
        sources = articles = Xapian::Database();
        detail::release_free_memory();
        Xapian::Database(interim).compact(dest, Xapian::Compactor::FULL, 0);
        std::filesystem::remove_all(interim);
        // Written without fsync: the caller syncs the folder before the swap.
        Xapian::WritableDatabase final_index(dest, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        return IndexWriter(std::move(final_index), analyzer, dest);
    } catch (...) {
        detail::rethrow_xapian_error("merging index shards", dest);
    }
}

Xapian::doccount IndexWriter::size() const {
    return detail::guarded("reading index", path_, [&] { return db_.get_doccount(); });
}

std::string IndexWriter::shard() const {
    return detail::guarded("reading index metadata", path_,
                           [&] { return db_.get_metadata(std::string(schema::kShard.key)); });
}

void IndexWriter::set_shard(const std::string& spec) {
    detail::guarded("writing index metadata", path_,
                    [&] { db_.set_metadata(std::string(schema::kShard.key), spec); });
}

bool IndexWriter::has_file_states() const {
    return detail::guarded("reading index metadata", path_, [&] {
        const std::string prefix(schema::kFile.key);
        return db_.metadata_keys_begin(prefix) != db_.metadata_keys_end(prefix);
    });
}

std::optional<FileState> IndexWriter::file_state(const std::string& path) const {
    return detail::guarded("reading index metadata", path_, [&]() -> std::optional<FileState> {
        const std::string key = file_key(path);
        auto entry = decode_file_entry(key, db_.get_metadata(key));
        if (!entry || entry->second != path) return std::nullopt;
        return std::move(entry->first);
    });
}

void IndexWriter::each_known_file(const std::function<void(const std::string&)>& visit) const {
    detail::guarded("reading index metadata", path_, [&] {
        const std::string prefix(schema::kFile.key);
        for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
            const std::string key = *it;
            if (auto entry = decode_file_entry(key, db_.get_metadata(key))) visit(entry->second);
        }
    });
}

void IndexWriter::put(const std::string& path, const FileState& state,
                      const DocumentBuilder::Built& built) {
    // The file may have carried another URL before: drop the article it produced then.
    if (const auto before = file_state(path); before && before->url != state.url)
        delete_article_of(path, before->url);
    detail::guarded("writing to index", path_, [&] {
        note_holders_removed(built.id_term);
        note_added(built);
        db_.replace_document(built.id_term, stamped(built.doc, built.id_term, &db_));
        write_file_state(db_, path, state);
        for (const std::string& word : built.spellings) db_.add_spelling(word);
    });
}

void IndexWriter::add_new(const std::string& path, const FileState& state,
                          const DocumentBuilder::Built& built) {
    detail::guarded("writing to index", path_, [&] {
        note_added(built);
        db_.add_document(stamped(built.doc, built.id_term, origins_ ? &*origins_ : nullptr));
        write_file_state(db_, path, state);
        for (const std::string& word : built.spellings) db_.add_spelling(word);
    });
}

std::optional<std::string> IndexWriter::path_of(const std::string& id_term) const {
    return detail::guarded("reading index", path_, [&]() -> std::optional<std::string> {
        auto it = db_.postlist_begin(id_term);
        if (it == db_.postlist_end(id_term)) return std::nullopt;
        return StoredRecord::of(db_.get_document(*it)).path;
    });
}

void IndexWriter::delete_id(const std::string& id_term) {
    detail::guarded("writing to index", path_, [&] {
        note_holders_removed(id_term);
        for (auto p = db_.postlist_begin(id_term); p != db_.postlist_end(id_term); ++p)
            remember_added(id_term, *p);
        db_.delete_document(id_term);
    });
}

void IndexWriter::remember_added(const std::string& id_term, Xapian::docid did) {
    const std::string added = db_.get_document(did).get_value(schema::kAddedSlot.slot);
    if (!added.empty()) removed_added_.emplace(id_term, added);
}

void IndexWriter::delete_article_of(const std::string& path, const std::string& url) {
    if (url.empty()) return;
    const std::string id = bounded_term(schema::kId.prefix, url);
    // Only the file's own: a later file with the same URL may have taken the URL (and a bulk
    // run's shard may hold several documents with it until drop_shared_ids()).
    detail::guarded("writing to index", path_, [&] {
        std::vector<Xapian::docid> own;
        for (auto p = db_.postlist_begin(id); p != db_.postlist_end(id); ++p)
            if (StoredRecord::of(db_.get_document(*p)).path == path) own.push_back(*p);
        for (Xapian::docid docid : own) {
            note_removed(docid);
            remember_added(id, docid);
            db_.delete_document(docid);
        }
    });
}

std::uint64_t IndexWriter::elsewhere_fingerprint(std::string_view path, std::uint64_t size,
                                                 std::int64_t mtime_ns) {
    std::string text(path);
    text += '\0' + std::to_string(size) + ' ' + std::to_string(mtime_ns);
    return XXH3_64bits(text.data(), text.size());
}

std::vector<std::uint64_t> IndexWriter::elsewhere() const {
    return detail::guarded("reading index metadata", path_, [&] { return read_elsewhere(db_); });
}

void IndexWriter::set_elsewhere(const std::vector<std::uint64_t>& sorted) {
    detail::guarded("writing index metadata", path_, [&] { write_elsewhere(db_, sorted); });
}

void IndexWriter::touch(const std::string& path, const FileState& state) {
    detail::guarded("writing to index", path_,
                    [&] { write_file_state(db_, path, state); });
}

void IndexWriter::forget(const std::string& path) {
    if (const auto state = file_state(path)) delete_article_of(path, state->url);
    detail::guarded("writing to index", path_,
                    [&] { db_.set_metadata(file_key(path), std::string()); });
}

void IndexWriter::close() {
    detail::guarded("committing index", path_, [&] {
        settle_clusters();
        settle_changes();
        db_.commit();
        db_.close();
    });
}

void IndexWriter::release() {
    // Xapian's close() commits what is pending: nothing, since the caller committed before the
    // index moved, so nothing is written to its old place.
    detail::guarded("closing index", path_, [&] { db_.close(); });
}

void IndexWriter::commit() {
    detail::guarded("committing index", path_, [&] {
        settle_clusters();
        settle_changes();
        if (in_transaction_) {
            db_.commit_transaction();
            in_transaction_ = false;
        } else {
            db_.commit();
        }
    });
}

void IndexWriter::hold_until_commit() {
    detail::guarded("writing to index", path_, [&] {
        settle_clusters();
        db_.begin_transaction(true);  // commits what is pending first; so does its end
        in_transaction_ = true;
    });
}

}  // namespace newsidx
