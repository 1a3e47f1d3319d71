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

// One saved search over the window (its last check, `now`]: its matching new articles, by
// story, each story alerting at its first unless the search knew it (one of its articles was
// seen, or one from before the baseline matches).
void check_search(Searcher& searcher, const SavedSearch& search, detail::Memory& memory,
                  const IndexChanges& now, detail::Journal& journal, CheckReport& report) {
    const ChangeWindow window{memory.checked, now.last, memory.baseline};
    std::vector<Hit> hits;
    searcher.each_new_match(search.query, window, [&](const Hit& hit) { hits.push_back(hit); });
    report.matched += hits.size();
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return std::tie(a.date, a.url) < std::tie(b.date, b.url);
    });
    std::map<std::string, std::vector<const Hit*>> stories;  // cluster key -> its new matches
    std::vector<std::string> order;
    for (const Hit& hit : hits) {
        if (memory.seen.count(hit.url)) continue;  // an edit of an article it has seen
        auto [it, fresh] = stories.try_emplace(hit.cluster);
        if (fresh) order.push_back(hit.cluster);
        it->second.push_back(&hit);
    }
    std::vector<std::string> seen;
    for (const std::string& key : order) {
        const std::vector<const Hit*>& members = stories[key];
        // The story's other articles, as the index has them: one the search has seen, or one
        // from its baseline that matches, makes the story known.
        std::vector<std::string> others;
        if (auto copies = searcher.copies(members.front()->url))
            for (const Copy& c : *copies)
                if (std::none_of(members.begin(), members.end(),
                                 [&](const Hit* h) { return h->url == c.url; }))
                    others.push_back(c.url);
        const bool known =
            std::any_of(others.begin(), others.end(),
                        [&](const std::string& url) { return memory.seen.count(url) > 0; }) ||
            (!others.empty() && searcher.baseline_matches(search.query, others, memory.baseline));
        if (known) {
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
        report.alerts.push_back(journal.alert(search, std::move(alert)));
    }
    journal.seen(search, seen);
    journal.checked(search, now.id, now.last);
}

}  // namespace

CheckReport check(const std::string& dir, const SearchOptions& defaults) {
    detail::FolderLock lock(dir);
    const AlertFile file = load(dir);
    detail::Journal journal(dir);
    CheckReport report;
    if (file.searches.empty()) return report;
    // One snapshot of the index for every search (each with its own options), and the change
    // it had come to: articles written later wait for the next check.
    OpenOptions how;
    how.timeout_ms = defaults.timeout_ms;
    const IndexSet set = IndexSet::open(defaults.db_paths, how);
    const IndexChanges now = Searcher(defaults, set).changes();
    for (const SavedSearch& search : file.searches) {
        const SearchOptions options = options_of(search, defaults);
        Searcher searcher(options, set);
        detail::Memory& memory = journal.memory(search);
        if (!memory.started || memory.index != now.id) {
            report.notes.push_back(
                "saved search '" + search.name + "' starts after change " +
                std::to_string(now.last) +
                (memory.started ? " of a new index (the one it followed was replaced by an "
                                  "index made from nothing)"
                                : ": what the index holds now is its baseline"));
            journal.baseline(search, now.id, now.last);
        } else if (memory.checked < now.last) {
            check_search(searcher, search, memory, now, journal, report);
        }
        ++report.searches;
    }
    report.upto = now.last;
    journal.sync();
    return report;
}

}  // namespace newsidx::alerts
