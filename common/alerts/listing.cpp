// --alerts: the saved searches, each with its latest alerts and their stories as the index
// holds them now; the receivers and how far each is.
#include <algorithm>
#include <set>

#include "journal.hpp"
#include "newsidx/alerts.hpp"
#include "newsidx/error.hpp"

namespace newsidx::alerts {

using nlohmann::json;

Listing list(const std::string& dir, const SearchOptions& defaults, std::size_t latest) {
    Listing listing;
    listing.dir = dir;
    const AlertFile file = load(dir);
    const detail::Journal journal(dir, detail::Journal::Access::Read);
    const IndexSet set = IndexSet::open(defaults.db_paths, {defaults.timeout_ms, defaults.allow_partial});
    Searcher searcher(defaults, set);
    listing.index_change = searcher.changes().last;
    for (const SavedSearch& search : file.searches) {
        SearchListing entry{search, "", 0, 0, 0, {}};
        try {  // what the checks would leave out: an option or a query that cannot run
            const SearchOptions options = options_of(search, defaults);
            Searcher(options, set).new_matches(search.query, {0, 0, 0});
        } catch (const Error& e) {
            if (e.code() != ErrorCode::BadOption && e.code() != ErrorCode::BadQuery) throw;
            entry.left_out = e.message(Spelling::Cli);
        }
        const detail::Memory* m = journal.current(search);
        if (m) {
            entry.baseline = m->baseline;
            entry.checked = m->checked;
        }
        // Its alerts as now defined, on the index it follows: an edited search starts again.
        const std::string definition = detail::definition_of(search);
        const auto& all = journal.alerts();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
            if (it->search != search.name || it->definition != definition ||
                (m && (it->index != m->index || it->n <= m->first_alert)))
                continue;
            ++entry.alerts;
            if (entry.latest.size() >= latest) continue;
            std::vector<Copy> story = searcher.copies(it->article.url).value_or(std::vector<Copy>());
            entry.latest.push_back({*it, std::move(story)});
        }
        listing.searches.push_back(std::move(entry));
    }
    listing.receivers = receiver_states(dir);
    return listing;
}

std::string also_ran(const Copy& first, const std::vector<Copy>& others) {
    std::set<std::string> sites;
    std::size_t more = 0;
    for (const Copy& c : others) {
        if (c.url == first.url) continue;
        ++more;
        if (c.site != first.site) sites.insert(c.site);
    }
    if (more == 0) return {};
    if (sites.empty())
        return "ran " + std::to_string(more) + (more == 1 ? " more time" : " more times") + " on " +
               first.site;
    std::string text = "also ran on " + std::to_string(sites.size()) +
                       (sites.size() == 1 ? " other site: " : " other sites: ");
    std::size_t i = 0;
    for (const std::string& site : sites) text += (i++ ? ", " : "") + site;
    return text;
}

namespace {

// "2 sites" and the sites, from a story's articles.
std::vector<std::string> sites_of(const std::vector<Copy>& story) {
    std::set<std::string> sites;
    for (const Copy& c : story) sites.insert(c.site);
    return {sites.begin(), sites.end()};
}

std::string options_text(const SavedSearch& s) {
    std::string text;
    for (const auto& [name, value] : s.options)
        text += " " + opt(name) + (value == "1" && (name == "all" || name == "plain") ? "" : " " + value);
    return text;
}

}  // namespace

std::string render_listing_text(const Listing& listing) {
    std::string out;
    if (listing.searches.empty())
        out += "no saved searches in '" + listing.dir + "'\n";
    for (const SearchListing& s : listing.searches) {
        out += s.search.name + ": " + s.search.query + options_text(s.search) + "\n";
        if (!s.left_out.empty()) out += "  left out of the checks: " + s.left_out + "\n";
        out += "  " + std::to_string(s.alerts) + (s.alerts == 1 ? " alert" : " alerts") +
               (s.checked ? "; checked up to change " + std::to_string(s.checked) + " of " +
                                std::to_string(listing.index_change)
                          : "; not checked yet") +
               "\n";
        for (const SearchListing::Latest& l : s.latest) {
            const Copy& a = l.alert.article;
            out += "  #" + std::to_string(l.alert.n) + "  " + a.date + "  " + a.title + "\n";
            out += "       " + a.url + "\n";
            if (l.story.empty())
                out += "       (no longer in the index)\n";
            else if (const std::string also = also_ran(a, l.story); !also.empty())
                out += "       " + also + "\n";
        }
    }
    for (const ReceiverState& r : listing.receivers)
        out += "receiver " + r.receiver.name + " (" + r.receiver.kind + " " + r.receiver.target +
               "): delivered up to #" + std::to_string(r.delivered) +
               (r.waiting ? ", " + std::to_string(r.waiting) + " waiting" : "") + "\n";
    return out;
}

std::string render_listing_json(const Listing& listing, bool targets) {
    json searches = json::array(), receivers = json::array();
    for (const SearchListing& s : listing.searches) {
        json latest = json::array();
        for (const SearchListing::Latest& l : s.latest) {
            json alert = detail::json_of(l.alert);
            json story = json::array();
            for (const Copy& c : l.story)
                story.push_back({{"date", c.date}, {"site", c.site}, {"url", c.url}, {"title", c.title}});
            alert["story"] = story;
            alert["in_index"] = !l.story.empty();
            alert["story_sites"] = sites_of(l.story);
            latest.push_back(std::move(alert));
        }
        if (!s.left_out.empty()) {
            searches.push_back({{"name", s.search.name}, {"query", s.search.query},
                                {"options", s.search.options}, {"left_out", s.left_out},
                                {"alerts", s.alerts}, {"latest", latest}});
            continue;
        }
        searches.push_back({{"name", s.search.name},
                            {"query", s.search.query},
                            {"options", s.search.options},
                            {"baseline", s.baseline},
                            {"checked", s.checked},
                            {"alerts", s.alerts},
                            {"latest", latest}});
    }
    for (const ReceiverState& r : listing.receivers) {
        json receiver{{"name", r.receiver.name},
                      {"kind", r.receiver.kind},
                      {"delivered", r.delivered},
                      {"waiting", r.waiting}};
        if (targets) receiver["target"] = r.receiver.target;
        receivers.push_back(std::move(receiver));
    }
    return json{{"index_change", listing.index_change},
                {"searches", searches},
                {"receivers", receivers}}
               .dump();
}

}  // namespace newsidx::alerts
