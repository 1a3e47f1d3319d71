// The check: each saved search over the articles the index's changes wrote since its last
// check, once per story.
#include <algorithm>
#include <filesystem>
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

// The story of `members` (the search's new matches of one cluster): its other articles as the
// index holds them, earliest first, and whether the search knew it: it has seen one of them,
// or one that the index held at the search's last check matches it, dates aside (`undated`:
// a story from before --since is no news after it; those that matched with the dates are
// among the seen).
struct Story {
    std::vector<Copy> others;
    bool known = false;
};
Story story_of(Searcher& searcher, Searcher& undated, const SavedSearch& search,
               const detail::Memory& memory, const std::vector<const Hit*>& members) {
    Story story;
    if (auto copies = searcher.copies(members.front()->url))
        for (const Copy& c : *copies)
            if (c.url != members.front()->url) story.others.push_back(c);
    std::vector<std::string> before;  // its articles that are not among the new matches
    for (const Copy& c : story.others)
        if (std::none_of(members.begin(), members.end(), [&](const Hit* h) { return h->url == c.url; }))
            before.push_back(c.url);
    story.known =
        std::any_of(before.begin(), before.end(),
                    [&](const std::string& url) { return memory.seen.count(url) > 0; }) ||
        (!before.empty() && undated.baseline_matches(search.query, before, memory.checked));
    return story;
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
        Story story = story_of(searcher, undated, search, memory, members);
        if (story.known) {
            for (const Hit* h : members) seen.push_back(h->url);
            continue;
        }
        Alert alert;
        alert.search = search.name;
        alert.query = search.query;
        alert.at = detail::now_utc();
        alert.change = now.last;
        alert.article = copy_of(*members.front());
        alert.copies = std::move(story.others);
        report.alerts.push_back(journal.alert(search, now.id, std::move(alert)));
        // Its other matches, now seen with it (copies that do not match are not the search's).
        for (std::size_t i = 1; i < members.size(); ++i) seen.push_back(members[i]->url);
    }
    journal.seen(search, seen);
}

// Where a search starts a new baseline now, and why (nothing when it goes on from its last
// check): after the index's first run when it waits for it or follows a new index (what came
// since is checked at once), else after the index's last change.
struct Restart {
    std::string why;
    std::uint64_t at = 0;
};
Restart new_baseline(const detail::Memory* memory, const IndexChanges& now) {
    const std::uint64_t archive = now.archive > 0 && now.archive <= now.last ? now.archive : now.last;
    if (!memory) return {"what the index holds now is its baseline", now.last};
    if (memory->after_archive) return {"where the index's first run ended", archive};
    if (memory->index != now.id)
        return {"of a new index (the one it followed was replaced by an index made from nothing)",
                archive};
    if (now.last < memory->checked)
        return {"of an index whose changes went back from " + std::to_string(memory->checked) +
                    " (restored from a copy?)",
                now.last};
    return {};
}

// One saved search in a check: a new baseline, or its window checked (true).
bool check_one(const SavedSearch& search, const SearchOptions& options, const IndexSet& set,
               const IndexChanges& now, detail::Journal& journal, CheckReport& report) {
    detail::Memory* memory = journal.current(search);
    if (const Restart restart = new_baseline(memory, now); !restart.why.empty()) {
        // A query that cannot run (written by hand) is said now, not at its first article.
        Searcher(options, set).new_matches(search.query, {now.last, now.last, now.last});
        report.notes.push_back("saved search '" + search.name + "' starts after change " +
                               std::to_string(restart.at) + (memory ? " " : ": ") + restart.why);
        journal.baseline(search, now.id, restart.at);
        memory = journal.current(search);
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
    // One snapshot of the index for every search (each with its own options), and the change
    // it had come to: articles written later wait for the next check. (No index, no check:
    // nothing is written beside a folder that holds none.)
    const IndexSet set = IndexSet::open(defaults.db_paths, {defaults.timeout_ms, defaults.allow_partial});
    if (!std::filesystem::exists(detail::searches_path(dir)))
        throw Error(ErrorCode::BadOption, "no saved searches: '" + detail::searches_path(dir) +
                                              "' does not exist")
            .with_hint("save one with: searcher " NEWSIDX_OPT("alert-add") " NAME QUERY");
    detail::FolderLock lock(dir);
    const AlertFile file = load(dir);
    detail::Journal journal(dir, detail::Journal::Access::Write);
    CheckReport report;
    const IndexChanges now = Searcher(defaults, set).changes();
    report.upto = now.last;
    if (now.first_run) {
        report.notes.push_back("the index's first run is still going: what it indexes is the "
                               "archive, and saved searches start after it");
        return report;
    }
    // Searches taken out of the file by hand are forgotten: put back, they start anew.
    for (const std::string& name : journal.names())
        if (std::none_of(file.searches.begin(), file.searches.end(),
                         [&](const SavedSearch& s) { return s.name == name; }))
            journal.removed(name);
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
    // A search started over on another index (made again while this check ran) checked
    // nothing of this one: the check is dropped, written nowhere, and runs again.
    const IndexChanges after = Searcher(defaults, set).changes();
    if (after.id != now.id || after.first_run)
        throw Error(ErrorCode::IndexChanged, "the index was made again during the check");
    journal.checked(checked, now.id, now.last);
    journal.sync();
    return report;
}

}  // namespace newsidx::alerts
