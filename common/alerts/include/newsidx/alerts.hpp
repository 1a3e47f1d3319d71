// Saved searches that alert once per story (docs/alerts.md). A folder beside the index
// (DB.alerts by default) holds what a person edits, searches.json (the saved searches and
// where alerts go), and what the engine remembers, journal.jsonl: an append-only record of each
// search's baseline, every alert, the articles each search has seen and how far each checked.
// A check runs every saved search over the articles that the index's changes (schema
// kChanges) wrote since that search's last check; a story alerts once, at its first article;
// each receiver (a JSONL log, a command, a webhook) is handed the alerts in order and keeps
// how far it acknowledged, so an alert it did not take waits in the journal until it does.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "newsidx/options.hpp"
#include "newsidx/search.hpp"

namespace newsidx::alerts {

/// The options a saved search keeps: those that choose which articles match. Ranking, paging
/// and output options mean nothing to an alert, which is each new story that matches.
inline constexpr std::array<std::string_view, 6> kSavedOptions{"since", "until", "site",
                                                               "lang",  "all",   "plain"};

/// One saved search: a name, a query and options named as the option table names them.
struct SavedSearch {
    std::string name;
    std::string query;
    std::map<std::string, std::string> options;  ///< option name -> value (a switch: "1")
    bool operator==(const SavedSearch&) const = default;
};

/// Where alerts go: kind "log" (append a JSON line to `target`), "command" (run `target` with
/// `sh -c`, the alert's JSON on its stdin) or "webhook" (POST the JSON to the URL `target`,
/// signed with the secret in the environment variable `secret_env`, if named).
struct Receiver {
    std::string name;
    std::string kind;
    std::string target;
    std::string secret_env;
};

/// searches.json.
struct AlertFile {
    std::vector<SavedSearch> searches;
    std::vector<Receiver> receivers;
};

/// The alerts folder of the index at `db_path` when none is given: DB.alerts beside it.
std::string default_dir(const std::string& db_path);

/// Reads DIR/searches.json (an empty file when there is none). Throws Error(BadOption) naming
/// the file (and line) of a mistake in it.
AlertFile load(const std::string& dir);

/// A saved search written as JSON, as searches.json holds each: {"name": ..., "query": ...,
/// "options": {"site": ..., ...}} (POST /alerts). Throws Error(BadOption).
SavedSearch parse_saved_search(const std::string& json_text);

/// Writes DIR/searches.json whole (a new file renamed over the old). Throws Error(NotWritable).
void save(const std::string& dir, const AlertFile& file);

/// Checks a saved search (its name, its options, its query) and returns the search options it
/// runs with: its own, over the index (and timeout) of `defaults`, nothing else of them; every
/// word must match unless its options say "all": "0". Throws Error(BadOption) or
/// Error(BadQuery).
SearchOptions options_of(const SavedSearch& search, const SearchOptions& defaults);

/// Adds `search` to DIR/searches.json, or replaces the one of its name; unless it is there
/// already as it is, its baseline is the index's last change now (or, during the index's first
/// run, where that run ends), so every article indexed after this call is checked. Throws what
/// options_of() and the index throw.
struct Added {
    bool replaced = false;         ///< a search of its name was there
    bool unchanged = false;        ///< as it is (the same query and options): it goes on as it was
    bool after_first_run = false;  ///< saved while the index's first run goes on
};
Added add_search(const std::string& dir, const SavedSearch& search, const SearchOptions& defaults);

/// Removes the saved search `name`; false when there is none.
bool remove_search(const std::string& dir, const std::string& name);

/// One alert: a story new to a saved search, at its first article.
struct Alert {
    std::uint64_t n = 0;     ///< its number in the journal, from 1, in order
    std::string search;      ///< the saved search's name
    std::string query;
    std::string at;          ///< when it was found, UTC, ISO 8601
    std::uint64_t change = 0;     ///< the index's last change when the check found it
    Copy article;                 ///< the story's first article (by date, then URL) in the batch
    std::vector<Copy> copies;     ///< the story's other new articles that matched, by date
    /// The journal's own (not in alert_json()): the search's definition and the index then.
    std::string definition, index;
};

/// Where a story also ran, beside its article `first`: "also ran on 2 other sites: a.example,
/// b.example" (the other articles `others`, `first` among them or not), "ran 2 more times on
/// a.example", or empty when there is no other.
std::string also_ran(const Copy& first, const std::vector<Copy>& others);

/// The alert as its receivers get it: one line of JSON.
std::string alert_json(const Alert& alert);

/// What a check did.
struct CheckReport {
    std::vector<Alert> alerts;       ///< the new ones, in order
    std::size_t searches = 0;        ///< saved searches checked
    std::uint64_t upto = 0;          ///< the index's last change, checked
    std::vector<std::string> notes;  ///< what the check says (a new baseline, a new index)
};

/// Runs every saved search of DIR over the articles the index (defaults.db_paths) changed
/// since the search's last check, and records the alerts in the journal. Holds DIR's lock.
/// Throws Error.
CheckReport check(const std::string& dir, const SearchOptions& defaults);

/// What handing an alert to a receiver came to.
struct Delivery {
    bool ok = false;
    std::string why;  ///< when not ok: "HTTP 500", "exit status 1", "connection refused"
};

/// Sends `body` to a webhook receiver (the front end's HTTP client).
using WebhookSender = std::function<Delivery(const Receiver&, const std::string& body)>;

/// A receiver's place in the alerts: how far it acknowledged, and how many wait.
struct ReceiverState {
    Receiver receiver;
    std::uint64_t delivered = 0;  ///< the last alert it acknowledged
    std::uint64_t waiting = 0;    ///< alerts after that one
    std::string last_error;       ///< why the last try failed, if it did
    bool tried = false;           ///< alerts waited and it was handed them (it was due)
};

/// Hands each receiver of DIR the alerts after the last it acknowledged, in order, stopping at
/// its first failure (the rest wait for the next call). `due` says whether a receiver may be
/// tried now (a follower's backoff); omitted, every receiver is. Returns each receiver's state.
std::vector<ReceiverState> deliver(const std::string& dir, const WebhookSender& webhook,
                                   const std::function<bool(const Receiver&)>& due = {});

/// Each receiver's state, delivering nothing and writing nothing (a receiver not met yet is
/// said to start after the last alert).
std::vector<ReceiverState> receiver_states(const std::string& dir);

/// How --alerts-follow runs.
struct FollowOptions {
    std::string dir;
    SearchOptions defaults;
    std::chrono::milliseconds poll{1000};          ///< how often the index is looked at
    std::chrono::milliseconds first_retry{1000};   ///< a failed receiver's first wait, doubled
    std::chrono::milliseconds max_retry{300000};   ///< up to this
    const std::atomic<bool>* stop = nullptr;
};

/// Checks after each change of the index and delivers, retrying failed receivers with backoff,
/// until *stop. A line on `log` for each alert, delivery failure and recovery. Throws Error
/// when the alerts folder or the index cannot be used at all.
void follow(const FollowOptions& options, const WebhookSender& webhook, std::ostream& log);

/// A saved search as --alerts lists it.
struct SearchListing {
    SavedSearch search;
    std::string left_out;        ///< why the checks leave it out (a mistake in it), if they do
    std::uint64_t baseline = 0;  ///< the change it started after (0: not yet checked)
    std::uint64_t checked = 0;   ///< the last change it checked
    std::uint64_t alerts = 0;    ///< how many it raised
    /// Its latest alerts, newest first, each with the story's articles as the index holds
    /// them now (its copies that came later included).
    struct Latest {
        Alert alert;
        std::vector<Copy> story;
    };
    std::vector<Latest> latest;
};

struct Listing {
    std::string dir;
    std::uint64_t index_change = 0;  ///< the index's last change
    std::vector<SearchListing> searches;
    std::vector<ReceiverState> receivers;
};

/// --alerts: the saved searches of DIR with their `latest` newest alerts each.
Listing list(const std::string& dir, const SearchOptions& defaults, std::size_t latest);

/// The listing as text (for a terminal) and as JSON (for scripts and the server; `targets`:
/// with the receivers' files, commands and URLs, which the server leaves out: a webhook's URL
/// is often its secret).
std::string render_listing_text(const Listing& listing);
std::string render_listing_json(const Listing& listing, bool targets = true);

}  // namespace newsidx::alerts
