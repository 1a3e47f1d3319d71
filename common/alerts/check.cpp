// The check: each saved search over the articles the index's changes wrote since its last
// check, once per story.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "journal.hpp"
#include "newsidx/alerts.hpp"
#include "newsidx/error.hpp"
#include "newsidx/search.hpp"

namespace newsidx::alerts {

namespace {

Copy copy_of(const Hit& hit) { return {hit.date, hit.site, hit.url, hit.title, hit.path}; }

// Whether the story of `members` (the search's new matches of one cluster) is known to the
// search: it has seen one of the story's other articles, or one of them from its baseline
// matches it, dates aside (`undated`: a story from before --since is no news after it).
bool known_story(Searcher& searcher, Searcher& undated, const SavedSearch& search,
                 const detail::Memory& memory, const std::vector<const Hit*>& members) {
    std::vector<std::string> others;
    if (auto copies = searcher.copies(members.front()->url))
        for (const Copy& c : *copies)
            if (std::none_of(members.begin(), members.end(),
                             [&](const Hit* h) { return h->url == c.url; }))
                others.push_back(c.url);
    return std::any_of(others.begin(), others.end(),
                       [&](const std::string& url) { return memory.seen.count(url) > 0; }) ||
           (!others.empty() && undated.baseline_matches(search.query, others, memory.baseline));
}

// One saved search over the window (its last check, `now`]: its matching new articles, by
// story, each story alerting at its first unless the search knew it.
void check_search(Searcher& searcher, Searcher& undated, const SavedSearch& search,
                  detail::Memory& memory, const IndexChanges& now, detail::Journal& journal,
                  CheckReport& report) {
    const ChangeWindow window{memory.checked, now.last, memory.baseline};
    std::vector<Hit> hits = searcher.new_matches(search.query, window);
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return std::tie(a.date, a.url) < std::tie(b.date, b.url);
    });
    std::map<std::string, std::vector<const Hit*>> stories;  // cluster key -> its new matches
    std::vector<std::string> order;
    for (const Hit& hit : hits) {
        if (memory.seen.count(hit.url)) continue;  // a rewrite of an article it has seen
        auto [it, fresh] = stories.try_emplace(hit.cluster);
        if (fresh) order.push_back(hit.cluster);
        it->second.push_back(&hit);
    }
    std::vector<std::string> seen;
    for (const std::string& key : order) {
        const std::vector<const Hit*>& members = stories[key];
        if (known_story(searcher, undated, search, memory, members)) {
            for (const Hit* h : members) seen.push_back(h->url);
            continue;
        }
        Alert alert;
        alert.search = search.name;
        alert.query = search.query;
        alert.at = detail::now_utc();
        alert.change = now.last;
        alert.article = copy_of(*members.front());
        for (std::size_t i = 1; i < members.size(); ++i) alert.copies.push_back(copy_of(*members[i]));
        report.alerts.push_back(journal.alert(search, now.id, std::move(alert)));
    }
    journal.seen(search, seen);
}

// Why a search starts a new baseline now, or empty when it goes on from its last check.
std::string new_baseline(const detail::Memory* memory, const IndexChanges& now) {
    if (!memory) return "what the index holds now is its baseline";
    if (memory->index != now.id)
        return "of a new index (the one it followed was replaced by an index made from nothing)";
    if (now.last < memory->checked)
        return "of an index whose changes went back from " + std::to_string(memory->checked) +
               " (restored from a copy?)";
    return {};
}

// One saved search in a check: a new baseline, or its window checked (true).
bool check_one(const SavedSearch& search, const SearchOptions& options, const IndexSet& set,
               const IndexChanges& now, detail::Journal& journal, CheckReport& report) {
    detail::Memory* memory = journal.current(search);
    if (const std::string why = new_baseline(memory, now); !why.empty()) {
        report.notes.push_back("saved search '" + search.name + "' starts after change " +
                               std::to_string(now.last) + (memory ? " " : ": ") + why);
        journal.baseline(search, now.id, now.last);
        return false;
    }
    if (memory->checked >= now.last) return false;
    SearchOptions without_dates = options;
    without_dates.since.clear();
    without_dates.until.clear();
    Searcher searcher(options, set), undated(without_dates, set);
    check_search(searcher, undated, search, *memory, now, journal, report);
    return true;
}

}  // namespace

CheckReport check(const std::string& dir, const SearchOptions& defaults) {
    detail::FolderLock lock(dir);
    const AlertFile file = load(dir);
    detail::Journal journal(dir, detail::Journal::Access::Write);
    CheckReport report;
    if (file.searches.empty()) return report;
    // One snapshot of the index for every search (each with its own options), and the change
    // it had come to: articles written later wait for the next check.
    const IndexSet set = IndexSet::open(defaults.db_paths, {defaults.timeout_ms, defaults.allow_partial});
    const IndexChanges now = Searcher(defaults, set).changes();
    report.upto = now.last;
    if (now.first_run) {
        report.notes.push_back("the index's first run is still going: what it indexes is the "
                               "archive, and saved searches start after it");
        return report;
    }
    std::map<std::string, std::string> checked;  // name -> definition
    for (const SavedSearch& search : file.searches) {
        try {
            const SearchOptions options = options_of(search, defaults);
            if (check_one(search, options, set, now, journal, report))
                checked[search.name] = detail::definition_of(search);
            ++report.searches;
        } catch (const Error& e) {
            // A search written wrong by hand: the others go on; it waits for a fix.
            if (e.code() != ErrorCode::BadOption && e.code() != ErrorCode::BadQuery) throw;
            report.notes.push_back("saved search '" + search.name + "' is left out: " +
                                   e.message(Spelling::Cli));
        }
    }
    journal.checked(checked, now.id, now.last);
    journal.sync();
    return report;
}

}  // namespace newsidx::alerts
