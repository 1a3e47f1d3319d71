// searcher --serve: an HTTP server over an index (cpp-httplib). GET /search answers with the
// JSON of `searcher --json`, GET /article with that of `--show --json`, GET /health says the
// index's size and last commit, and GET / is a search page (its script and style are served
// by the binary too). Every worker thread opens the index for itself (a Xapian::Database is
// not thread-safe) and reopens it before each request, afresh when a bulk run swapped in a
// new index folder. Read-only: no request writes the index or reads a file outside it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "newsidx/alerts.hpp"
#include "newsidx/options.hpp"

namespace newsidx::serve {

/// Bounds of a request.
inline constexpr std::size_t kMaxQueryBytes = 4096;  ///< q (and like, copies, url) at most
inline constexpr unsigned kMaxLimit = 1000;          ///< limit at most (the CLI's is 10,000)
inline constexpr unsigned kMaxDepth = 10000;         ///< offset + limit at most
inline constexpr unsigned kMaxExplained = 100;       ///< limit at most with explain
inline constexpr unsigned kDefaultWorkers = 48;      ///< --workers: connections served at once
inline constexpr int kTimeoutSeconds = 5;            ///< reading a request, writing, keep-alive
/// --nice: the workers' niceness. On a machine that also indexes (indexer --watch), a
/// saturating query load then leaves the indexer its CPU, and new articles stay searchable
/// within seconds (docs/serving.md, measured in docs/benchmarks.md).
inline constexpr int kDefaultNice = 10;

struct Config {
    std::string host = "127.0.0.1";
    int port = 8080;  ///< 0: any free port (said in the "serving" line)
    unsigned workers = kDefaultWorkers;
    int nice = kDefaultNice;  ///< added to each worker thread's niceness (0..19)
    std::string token;        ///< with it, /search, /article and /health want "Bearer TOKEN"
    /// The saved searches GET /alerts lists (DB.alerts when empty).
    std::string alerts_dir;
    /// With it, POST and DELETE /alerts change the saved searches for a request with
    /// "Bearer ALERTS_TOKEN" (which reads everything else too); without, /alerts is read-only.
    std::string alerts_token;
    /// The index and the ranking options from the command line; each request starts from
    /// these.
    SearchOptions defaults;
};

/// "[ADDR:]PORT" -> (host, port): "8080" is 127.0.0.1:8080, "0.0.0.0:80", "[::1]:8080".
/// Throws Error(BadOption).
std::pair<std::string, int> parse_address(const std::string& text);

/// A request's parameters, as cpp-httplib gives them (a name may come several times).
using Params = std::multimap<std::string, std::string>;

/// What a /search request asks: its options (from `defaults` and the parameters), and for
/// copies=URL|PATH the article whose copies to list instead of a search.
struct SearchRequest {
    SearchOptions options;
    std::string copies;
    bool csv = false;  ///< format=csv: the timeline's and facets' tables as CSV, not JSON
};

/// Maps the parameters of /search (q, limit, offset, sort, since, until, site, all, collapse,
/// timeline, facet, share, compare, significant, significance, against, recency, now, lang, expand, like, copies,
/// origin, format) onto `defaults`. Throws
/// Error(BadOption) for an unknown or repeated parameter or a bad value, Error(BadQuery) for a
/// query that is not valid UTF-8 or too long: both are answered 400.
SearchRequest search_request(const SearchOptions& defaults, const Params& params);

/// Most alerts GET /alerts lists per saved search (latest=N).
inline constexpr unsigned kMaxLatestAlerts = 50;

/// An alert's webhook: POSTs `body` (the alert's JSON) to the receiver's URL, with the alert's
/// number in X-Newsidx-Alert and, when the receiver names a secret's environment variable,
/// X-Newsidx-Signature: sha256=HEX, the HMAC-SHA256 of the body with the secret. A 2xx answer
/// acknowledges it.
alerts::Delivery send_webhook(const alerts::Receiver& receiver, const std::string& body);

/// "sha256=" and the hex HMAC-SHA256 of `body` with `secret` (what a receiver checks).
std::string signature(const std::string& secret, const std::string& body);

/// Serves until SIGINT, SIGTERM or SIGHUP; one access-log line per request on `log`, and
/// first "searcher: serving ... on http://HOST:PORT/". Returns 0, or throws Error when the
/// index cannot be opened or the address cannot be bound.
int run(const Config& config, std::ostream& log);

}  // namespace newsidx::serve
