#include "serve.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "newsidx/text.hpp"
#include "newsidx/error.hpp"
#include "newsidx/index_set.hpp"
#include "newsidx/results.hpp"
#include "newsidx/search.hpp"
#include "newsidx/timeline.hpp"
#include "page_assets.hpp"

namespace newsidx::serve {
namespace {

using Json = nlohmann::ordered_json;

// `text` with control bytes, DEL and the bytes of `also` as \xHH (with `ascii`, every byte
// past ASCII too), cut after `max` bytes: request text shown in a message or the log.
std::string escaped(std::string_view text, std::size_t max, bool ascii,
                    std::string_view also = {}) {
    std::string out;
    for (const unsigned char c : text.substr(0, max)) {
        if (c < 0x20 || c == 0x7f || (ascii && c > 0x7f) ||
            also.find(static_cast<char>(c)) != std::string_view::npos) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > max) out += "...";
    return out;
}

// Request text in an error message: printable ASCII, at most 60 bytes.
std::string shown(std::string_view text) { return escaped(text, 60, true); }

Error bad(const std::string& name, const std::string& why) {
    return Error(ErrorCode::BadOption, shown(name) + ": " + why);
}

// A whole number from `lo` to `hi`.
unsigned whole_number(const std::string& name, const std::string& text, double lo, double hi) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi)
        throw bad(name, "'" + shown(text) + "' is not a whole number from " +
                            std::to_string(static_cast<unsigned>(lo)) + " to " +
                            std::to_string(static_cast<unsigned>(hi)));
    return value;
}

// A decimal number from `lo` to `hi`; `unit`, when given, says of what ("days").
double number(const std::string& name, const std::string& text, double lo, double hi,
              std::string_view unit) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !(value >= lo) || value > hi) {
        char range[64];
        std::snprintf(range, sizeof range, " from %g to %g", lo, hi);
        throw bad(name, "'" + shown(text) + "' is not a number" +
                            (unit.empty() ? "" : " of " + std::string(unit)) + range);
    }
    return value;
}

// A switch: present without a value, 1/true/on/yes, or 0/false/off/no.
bool switch_value(const std::string& name, const std::string& text) {
    for (const char* yes : {"", "1", "true", "on", "yes"})
        if (text == yes) return true;
    for (const char* no : {"0", "false", "off", "no"})
        if (text == no) return false;
    throw bad(name, "'" + shown(text) + "' is not 1 or 0 (true or false)");
}

template <typename Choices>
std::string one_of(const std::string& name, const std::string& text, const Choices& choices) {
    if (not_one_of(text, choices).empty()) return text;
    throw bad(name, not_one_of(shown(text), choices));
}

// A text parameter: valid UTF-8, no NUL, at most kMaxQueryBytes.
const std::string& text_value(const std::string& name, const std::string& text) {
    if (text.size() > kMaxQueryBytes)
        throw Error(ErrorCode::BadQuery, name + ": " + std::to_string(text.size()) +
                                             " bytes; the most a request may give is " +
                                             std::to_string(kMaxQueryBytes));
    if (text.find('\0') != std::string::npos)
        throw Error(ErrorCode::BadQuery, name + ": a NUL byte is no part of any text");
    if (!is_valid_utf8(text)) throw Error(ErrorCode::BadQuery, name + ": not valid UTF-8 text");
    return text;
}

}  // namespace

std::pair<std::string, int> parse_address(const std::string& text) {
    std::string host = "127.0.0.1";
    std::string port = text;
    if (const std::size_t colon = text.rfind(':'); colon != std::string::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
        if (host.empty()) throw bad("--serve", "'" + text + "' has no address before ':'");
    }
    int value = -1;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 0 || value > 65535)
        throw bad("--serve", "'" + text + "' is not [ADDR:]PORT with a port from 0 to 65535");
    return {host, value};
}

namespace {

// What a request asks for, whole: one of q, like and copies; a page within the bounds; each
// option with what it needs. Throws Error(BadOption or BadQuery).
void check_request(SearchOptions& o, bool has_query, const std::string& copies);

// The parameters of /search: q and copies, and every search option the table offers over HTTP.
std::string parameter_list() {
    std::string list = "q";
    for (const SearchOption& row : search_options())
        if (row.over_http) list += ", " + std::string(row.name);
    return list + ", copies, format";
}

// format=: JSON, or the timeline's and facets' tables as CSV.
constexpr std::array<std::string_view, 2> kFormats{"json", "csv"};

// The server's own bounds, tighter than the command line's: a page of at most kMaxLimit, no
// deeper than kMaxDepth.
double server_max(const SearchOption& row) {
    if (row.name == "limit") return kMaxLimit;
    if (row.name == "offset") return kMaxDepth;
    return row.max;
}

// One parameter of a table row into `o`, checked by the row's type as a request writes it.
void set_parameter(const SearchOption& row, const std::string& name, const std::string& value,
                   SearchOptions& o) {
    switch (row.type) {
        case OptionType::Switch:
            row.set(o, switch_value(name, value) ? "1" : "0");
            return;
        case OptionType::Whole:
            row.set(o, std::to_string(whole_number(name, value, row.min, server_max(row))));
            return;
        case OptionType::Number: {
            // The row's value name, when it is a unit: DAYS.
            std::string unit(row.value_name.size() > 2 ? row.value_name : "");
            for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            number(name, value, row.min, server_max(row), unit);
            row.set(o, value);
            return;
        }
        case OptionType::Choice:
            if (!row.repeatable) {
                row.set(o, one_of(name, value, row.choices));
                return;
            }
            // facet=site&facet=year, or facet=site,year; each once.
            for (std::string_view rest = value;;) {
                const std::size_t comma = rest.find(',');
                const std::string choice = one_of(name, std::string(rest.substr(0, comma)), row.choices);
                if (std::find(o.facets.begin(), o.facets.end(), choice) == o.facets.end())
                    row.set(o, choice);
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
            }
            return;
        case OptionType::Text:
            row.set(o, text_value(name, value));
            return;
    }
}

// What the rows say one option needs or excludes, over the options a request ends with (its
// own and the server's defaults).
void check_combinations(const SearchOptions& o) {
    for (const SearchOption& row : search_options()) {
        if (!row.over_http || !row.is_set(o)) continue;
        if (const SearchOption* needed = search_option(row.needs); needed && !needed->is_set(o))
            throw bad(std::string(row.name), "needs " + std::string(row.needs));
        for (const std::string_view other : row.excludes)
            if (const SearchOption* x = search_option(other); x && x->over_http && x->is_set(o))
                throw bad(std::string(row.name), "cannot be combined with " + std::string(other));
    }
}

void check_request(SearchOptions& o, bool has_query, const std::string& copies) {
    if (o.offset + o.limit > kMaxDepth)
        throw bad("offset", "results past the " + std::to_string(kMaxDepth) +
                                "th are not served (offset + limit at most " +
                                std::to_string(kMaxDepth) + "); narrow the search instead");
    check_combinations(o);
    // Each hit explained is a search per part of the query: a page of them at most.
    if (o.explain && o.limit > kMaxExplained)
        throw bad("explain", "explains at most " + std::to_string(kMaxExplained) +
                                 " results at a time; ask with limit at most " +
                                 std::to_string(kMaxExplained));
    const int asks = (has_query ? 1 : 0) + (o.like.empty() ? 0 : 1) + (copies.empty() ? 0 : 1);
    if (asks > 1) throw bad("q", "give one of q, like and copies");
    if (asks == 0)
        throw Error(ErrorCode::BadQuery, "q: a query is required (or like=URL, or copies=URL)");
    if (has_query) {
        if (o.query.find_first_not_of(" \t\r\n") == std::string::npos)
            throw Error(ErrorCode::BadQuery, "q: the query is empty");
        check_query_text(o.query);
    }
    if (!o.like.empty()) o.query = "like:" + o.like;
}

}  // namespace

SearchRequest search_request(const SearchOptions& defaults, const Params& params) {
    SearchRequest request{defaults, {}, false};
    SearchOptions& o = request.options;
    o.query.clear();
    bool has_query = false;
    std::set<std::string> seen;
    for (const auto& [name, value] : params) {
        const SearchOption* row = search_option(name);
        if (!(row && row->repeatable) && !seen.insert(name).second)
            throw bad(name, "given more than once");
        if (name == "q") {
            o.query = text_value(name, value);
            has_query = true;
        } else if (name == "copies") {
            request.copies = text_value(name, value);
        } else if (name == "format") {
            request.csv = one_of(name, value, kFormats) == "csv";
        } else if (row && row->over_http) {
            if (name == "origin" && value.find_first_not_of(" \t\r\n") == std::string::npos)
                throw bad(name, "empty: give a passage (a quote, a sentence or more)");
            set_parameter(*row, name, value, o);
        } else {
            throw bad(name, "not a parameter of /search (" + parameter_list() + ")");
        }
    }
    if (!o.origin.empty() && (has_query || !o.like.empty() || !request.copies.empty()))
        throw bad("origin", "give one of q, like, copies and origin");
    // The passage is checked as query text is (valid UTF-8, no NUL, not too long).
    if (!o.origin.empty()) o.query = o.origin;
    check_request(o, has_query || !o.origin.empty(), request.copies);
    if (!o.origin.empty()) o.query.clear();
    if (request.csv && o.timeline.empty() && o.facets.empty() && o.significant == 0)
        throw bad("format", "csv is the timeline, facet and significant tables: ask for one");
    if (request.csv && !o.origin.empty())
        throw bad("format", "csv is the timeline, facet and significant tables, not an origin");
    if (request.csv && !request.copies.empty())
        throw bad("format", "csv is the timeline, facet and significant tables, not copies");
    return request;
}

namespace {

// What identifies the folders an IndexSet reads: device, inode and birth time of each (a bulk
// run swaps a new folder in under the same name; the birth time tells a new folder that got
// a deleted one's inode number).
struct FolderId {
    std::uint64_t dev = 0, ino = 0;
    std::int64_t born_s = 0;
    std::uint32_t born_ns = 0;
    bool operator==(const FolderId&) const = default;
};
using Identity = std::vector<FolderId>;

Identity identity_of(const std::vector<std::string>& paths) {
    Identity id;
    for (const std::string& path : paths) {
        struct statx st {};
        FolderId f;
        if (::statx(AT_FDCWD, path.c_str(), 0, STATX_INO | STATX_BTIME, &st) == 0) {
            f.dev = (std::uint64_t{st.stx_dev_major} << 32) | st.stx_dev_minor;
            f.ino = st.stx_ino;
            if (st.stx_mask & STATX_BTIME)
                f.born_s = st.stx_btime.tv_sec, f.born_ns = st.stx_btime.tv_nsec;
        }
        id.push_back(f);
    }
    return id;
}

// One open index set and what it was opened from.
struct Handle {
    IndexSet set;
    std::vector<std::string> watched;  // the paths given and each local member's folder
    Identity identity;                 // of `watched`, from before the open
    std::chrono::steady_clock::time_point opened;
};

// The open index sets of the workers. A Xapian::Database is not thread-safe: a request takes
// a handle out of the pool for itself and puts it back when done, so no two threads use one
// at a time. Before each use the handle's folders are checked: the same ones, and it is
// reopened at the newest revision; another one (a swap), and it is dropped with every idle
// handle of the old folders (they would keep the replaced index's files allocated), and the
// index is opened afresh. A set missing remote shards is opened again after 10 s.
class IndexPool {
  public:
    explicit IndexPool(const SearchOptions& defaults) : defaults_(defaults) {}

    std::unique_ptr<Handle> take() {
        std::unique_ptr<Handle> h;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                h = std::move(idle_.back());
                idle_.pop_back();
            }
        }
        if (h && identity_of(h->watched) != h->identity) {
            purge(h->identity);
            h.reset();
        }
        if (h && !h->set.missing().empty() &&
            std::chrono::steady_clock::now() - h->opened > std::chrono::seconds(10))
            h.reset();
        if (!h) return open();
        h->set.reopen();
        return h;
    }

    void give_back(std::unique_ptr<Handle> h) {
        const std::lock_guard<std::mutex> lock(mutex_);
        idle_.push_back(std::move(h));
    }

  private:
    // Opens the set, checking that no folder it reads was swapped meanwhile: the folders are
    // identified before the open and again after, until both agree (the members of a stub file
    // are known only once it is opened).
    std::unique_ptr<Handle> open() {
        std::vector<std::string> watched = defaults_.db_paths;
        for (int attempt = 1;; ++attempt) {
            const Identity before = identity_of(watched);
            auto h = std::make_unique<Handle>(
                Handle{IndexSet::open(defaults_.db_paths,
                                      OpenOptions{defaults_.timeout_ms, defaults_.allow_partial}),
                       defaults_.db_paths, before, std::chrono::steady_clock::now()});
            for (const IndexMember& m : h->set.members())
                if (!m.remote) h->watched.push_back(m.path);
            if ((h->watched == watched && identity_of(watched) == before) || attempt == 5) {
                if (h->watched != watched) h->identity = identity_of(h->watched);
                return h;
            }
            watched = h->watched;
        }
    }

    void purge(const Identity& stale) {
        const std::lock_guard<std::mutex> lock(mutex_);
        std::erase_if(idle_,
                      [&](const std::unique_ptr<Handle>& h) { return h->identity == stale; });
    }

    const SearchOptions& defaults_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Handle>> idle_;
};

thread_local bool t_reniced = false;
thread_local std::chrono::steady_clock::time_point t_started;

int status_of(const Error& e) {
    switch (e.code()) {
        case ErrorCode::BadQuery:
        case ErrorCode::BadOption:
            return 400;
        case ErrorCode::Internal:
        case ErrorCode::Icu:
            return 500;
        default:
            return 503;  // no index, another schema, a failure reading it
    }
}

void send_json(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body + "\n", "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& message,
                const std::string& hint = {}) {
    Json doc{{"error", message}, {"status", status}};
    // The engine's hints that show a command line are for a terminal.
    if (!hint.empty() && hint.find("searcher ") == std::string::npos &&
        hint.find("indexer ") == std::string::npos)
        doc["hint"] = hint;
    send_json(res, status, doc.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// An Error as JSON, its options named as parameters ("since", not "--since").
void send_error(httplib::Response& res, const Error& e) {
    send_error(res, status_of(e), e.message(Spelling::Http), e.hint(Spelling::Http));
}

// Runs `answer` with a handle of the pool; an Error becomes a JSON error with its status. A
// failure of the index is tried once more on a fresh open (a swap seen mid-request); a handle
// that failed is not given back.
void with_index(IndexPool& pool, httplib::Response& res,
                const std::function<void(IndexSet&)>& answer) {
    for (int attempt = 1;; ++attempt) {
        std::unique_ptr<Handle> h;
        try {
            h = pool.take();
            answer(h->set);
            pool.give_back(std::move(h));
            return;
        } catch (const Error& e) {
            if (status_of(e) == 503 && attempt == 1) continue;
            if (status_of(e) != 503 && h) pool.give_back(std::move(h));
            send_error(res, e);
            return;
        } catch (const std::exception& e) {
            send_error(res, 500, std::string("internal error: ") + e.what());
            return;
        }
    }
}

Params params_of(const httplib::Request& req) {
    return Params(req.params.begin(), req.params.end());
}

std::string iso_time(std::time_t t) {
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// The access log's picture of a request target: control bytes and quotes escaped, long
// targets cut.
std::string loggable(const std::string& target) { return escaped(target, 300, false, "\"\\"); }

}  // namespace

namespace {

// The server: its configuration, the pool of index handles, httplib's server with the guards,
// the log and the routes, and the signals that stop it.
class Service {
  public:
    // Checks the defaults and opens the index once, so that a missing index is an error at
    // start, not a 503 later. Throws Error.
    Service(const Config& config, std::ostream& log);

    // Binds, says where it serves, and serves until a signal (SIGINT, SIGTERM, SIGHUP) or a
    // failure of the listening socket. Returns the exit code. Throws Error.
    int serve();

  private:
    void set_up();
    httplib::Server::HandlerResponse guard(const httplib::Request& req, httplib::Response& res);
    void log_request(const httplib::Request& req, const httplib::Response& res);
    void add_routes();
    void search(const httplib::Request& req, httplib::Response& res);
    void article(const httplib::Request& req, httplib::Response& res);
    void health(const httplib::Request& req, httplib::Response& res);
    void alerts_list(const httplib::Request& req, httplib::Response& res);
    void alerts_change(const httplib::Request& req, httplib::Response& res);
    // The saved searches' folder: --alerts-dir, else the index's.
    std::string alerts_folder() const {
        return config_.alerts_dir.empty() ? alerts::default_dir(config_.defaults.db_paths.front())
                                          : config_.alerts_dir;
    }
    int bind();
    void announce(int port);
    bool listen_until_signal();

    const Config& config_;
    std::ostream& log_;
    IndexPool pool_;
    std::string label_;
    Xapian::doccount documents_ = 0;
    bool loopback_ = false;
    httplib::Server server_;
    std::mutex log_mutex_;
    sigset_t signals_{};
};

Service::Service(const Config& config, std::ostream& log)
    : config_(config), log_(log), pool_(config.defaults) {
    // The command line's --limit and --offset are each request's defaults: within the bounds.
    if (config.defaults.limit > kMaxLimit)
        throw Error(ErrorCode::BadOption,
                    "--limit: a request shows at most " + std::to_string(kMaxLimit) + " results");
    if (config.defaults.offset + config.defaults.limit > kMaxDepth)
        throw Error(ErrorCode::BadOption, "--offset: results past the " +
                                              std::to_string(kMaxDepth) + "th are not served");
    // The handle opened here goes to the pool like any other.
    std::unique_ptr<Handle> first = pool_.take();
    label_ = first->set.label();
    documents_ = first->set.database().get_doccount();
    pool_.give_back(std::move(first));
    loopback_ = config.host == "127.0.0.1" || config.host == "::1" || config.host == "localhost";
}

void Service::set_up() {
    const unsigned workers = std::max(1u, config_.workers);
    server_.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    server_.set_read_timeout(kTimeoutSeconds, 0);
    server_.set_write_timeout(kTimeoutSeconds, 0);
    server_.set_keep_alive_timeout(kTimeoutSeconds);
    server_.set_keep_alive_max_count(100);
    server_.set_payload_max_length(64 * 1024);
    // An answer goes out at once: without it, Nagle's algorithm and the client's delayed ACK
    // held each keep-alive answer for 40 ms.
    server_.set_tcp_nodelay(true);
    // httplib's default is SO_REUSEPORT, with which a second server on a port in use starts
    // and the kernel splits the connections between the two: SO_REUSEADDR only (a restarted
    // server may take the port of one that just ended), and a port in use is an error.
    server_.set_socket_options([](socket_t sock) {
        const int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server_.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return guard(req, res); });
    server_.set_logger(
        [this](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });
    // Errors httplib answers itself (an unknown path, a request too long) come as JSON too.
    server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        const char* what = res.status == 404
                               ? "no such page: try /search?q=WORDS, /article?url=URL, "
                                 "/health or /"
                           : res.status == 414 ? "the request is too long"
                           : res.status == 413 ? "the request is too large"
                                               : "bad request";
        send_error(res, res.status, what);
    });
    server_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            send_error(res, 500, "internal error: " + what);
        });
    add_routes();
}

// This worker thread only (Linux gives each thread its own niceness), once.
void renice_this_thread(int nice) {
    if (t_reniced) return;
    t_reniced = true;
    if (nice <= 0) return;
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
    if (errno == 0)
        (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), std::min(19, now + nice));
}

// A page of any site may point a browser at a loopback server through a name of its own (DNS
// rebinding): the Host a request names, when it is not this machine's.
std::string foreign_host(const httplib::Request& req, const std::string& own) {
    std::string host = req.get_header_value("Host");
    if (const std::size_t colon = host.rfind(':');
        colon != std::string::npos && host.find(']', colon) == std::string::npos)
        host.erase(colon);
    if (host.empty() || host == "127.0.0.1" || host == "localhost" || host == "[::1]" ||
        host == own)
        return {};
    return host;
}

httplib::Server::HandlerResponse Service::guard(const httplib::Request& req,
                                                httplib::Response& res) {
    using Answer = httplib::Server::HandlerResponse;
    t_started = std::chrono::steady_clock::now();
    renice_this_thread(config_.nice);
    // Other methods are answered 405 by their routes, once httplib has read their body
    // (answered here, the body would be read as the next request on the connection).
    if (req.method != "GET" && req.method != "HEAD") return Answer::Unhandled;
    if (req.has_header("Range")) {
        // (httplib 0.11 would cut the answer to the range but still say 200.)
        send_error(res, 416, "ranges are not served: ask for the whole answer");
        return Answer::Handled;
    }
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
        // A GET with a body: httplib would not read it. Answered, and the connection closed.
        res.set_header("Connection", "close");
        send_error(res, 400, "a GET request carries no body");
        return Answer::Handled;
    }
    // Without a token, a loopback server answers only requests for this machine's names.
    if (loopback_ && config_.token.empty())
        if (const std::string host = foreign_host(req, config_.host); !host.empty()) {
            send_error(res, 403,
                       "the Host header names another machine ('" + host +
                           "'): this server answers requests for 127.0.0.1 or localhost");
            return Answer::Handled;
        }
    const bool page = req.path == "/" || req.path == "/app.js" || req.path == "/style.css";
    const std::string authorization = req.get_header_value("Authorization");
    if (!config_.token.empty() && !page && authorization != "Bearer " + config_.token &&
        (config_.alerts_token.empty() || authorization != "Bearer " + config_.alerts_token)) {
        res.set_header("WWW-Authenticate", "Bearer");
        send_error(res, 401, "this server wants a token: Authorization: Bearer TOKEN");
        return Answer::Handled;
    }
    return Answer::Unhandled;
}

void Service::log_request(const httplib::Request& req, const httplib::Response& res) {
    // (A request httplib refused itself, too long or malformed, never reached the guard: its
    // time is not known.)
    char tail[96];
    if (t_started == std::chrono::steady_clock::time_point{}) {
        std::snprintf(tail, sizeof tail, "\" %d %zu -", res.status, res.body.size());
    } else {
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_started)
                .count();
        std::snprintf(tail, sizeof tail, "\" %d %zu %.1fms", res.status, res.body.size(), ms);
    }
    t_started = {};
    const std::string line = iso_time(std::time(nullptr)) + " " +
                             (req.remote_addr.empty() ? "-" : req.remote_addr) + " \"" +
                             req.method + " " + loggable(req.target) + tail + "\n";
    const std::lock_guard<std::mutex> lock(log_mutex_);
    log_ << line << std::flush;
}

void Service::add_routes() {
    // Every other method: read (within the payload bound) and refused.
    const auto refuse = [](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Allow", "GET, HEAD");
        send_error(res, 405, "method " + req.method + " not allowed: the server only reads");
    };
    // The saved searches: changed only with the alerts token.
    server_.Post("/alerts", [this](const auto& req, auto& res) { alerts_change(req, res); });
    server_.Delete("/alerts", [this](const auto& req, auto& res) { alerts_change(req, res); });
    server_.Get("/alerts", [this](const auto& req, auto& res) { alerts_list(req, res); });
    server_.Post(".*", refuse);
    server_.Put(".*", refuse);
    server_.Patch(".*", refuse);
    server_.Delete(".*", refuse);
    server_.Options(".*", refuse);
    server_.Get("/search", [this](const auto& req, auto& res) { search(req, res); });
    server_.Get("/article", [this](const auto& req, auto& res) { article(req, res); });
    server_.Get("/health", [this](const auto& req, auto& res) { health(req, res); });
    const auto asset = [&](const char* path, std::string_view body, const char* type) {
        server_.Get(path, [body, type](const httplib::Request&, httplib::Response& res) {
            res.set_header("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'");
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("Cache-Control", "no-cache");
            res.set_content(std::string(body), type);
        });
    };
    asset("/", kPageHtml, "text/html; charset=utf-8");
    asset("/app.js", kPageJs, "text/javascript; charset=utf-8");
    asset("/style.css", kPageCss, "text/css; charset=utf-8");
}

void Service::search(const httplib::Request& req, httplib::Response& res) {
    SearchRequest request;
    try {
        request = search_request(config_.defaults, params_of(req));
    } catch (const Error& e) {
        send_error(res, e);
        return;
    }
    with_index(pool_, res, [&](IndexSet& set) {
        Searcher searcher(request.options, set);
        if (!request.options.origin.empty()) {
            send_json(res, 200, render_origin_json(searcher.origin(request.options.origin)));
            return;
        }
        if (!request.copies.empty()) {
            const auto cluster = searcher.copies(request.copies);
            if (!cluster)
                send_error(res, 404, no_article(request.copies));
            else
                send_json(res, 200, render_copies_json(*cluster));
            return;
        }
        if (!request.options.like.empty() && !searcher.article(request.options.like)) {
            send_error(res, 404, no_article(request.options.like));
            return;
        }
        const SearchResult result = searcher.search(request.options.query);
        if (request.csv) {
            res.status = 200;
            res.set_header("Content-Disposition", "attachment; filename=\"newsidx.csv\"");
            res.set_content(render_tables_csv(result), "text/csv; charset=utf-8");
            return;
        }
        send_json(res, 200, render_json(result, {}, Spelling::Http));
    });
}

void Service::article(const httplib::Request& req, httplib::Response& res) {
    std::string which;
    try {
        for (const auto& [name, value] : req.params)
            if (name != "url") throw bad(name, "not a parameter of /article (url)");
        if (req.get_param_value_count("url") != 1)
            throw bad("url", "give one url=URL (or the path of its file)");
        which = text_value("url", req.get_param_value("url"));
        if (which.empty()) throw bad("url", "empty");
    } catch (const Error& e) {
        send_error(res, e);
        return;
    }
    with_index(pool_, res, [&](IndexSet& set) {
        Searcher searcher(config_.defaults, set);
        const auto found = searcher.article(which);
        const auto cluster = searcher.copies(which);
        if (!found || !cluster)
            send_error(res, 404, no_article(which));
        else
            send_json(res, 200, render_article_json(*found, *cluster));
    });
}

void Service::health(const httplib::Request& req, httplib::Response& res) {
    if (!req.params.empty()) {
        send_error(res, 400, "/health takes no parameters");
        return;
    }
    with_index(pool_, res, [&](IndexSet& set) {
        // "index": the members' paths, one string ("a.db" or "a.db, host:7601"); "status" is
        // "partial" while a remote shard is left out, "ok" only when every member answers.
        std::string index;
        for (const IndexMember& m : set.members()) index += (index.empty() ? "" : ", ") + m.path;
        const bool partial = !set.missing().empty();
        Json doc{{"status", partial ? "partial" : "ok"},
                 {"index", index},
                 {"documents", set.database().get_doccount()},
                 {"last_commit", nullptr}};
        if (const std::time_t t = set.last_commit(); t != 0) doc["last_commit"] = iso_time(t);
        if (partial) {
            doc["partial"] = true;
            doc["missing_shards"] = set.missing();
        }
        send_json(res, 200, doc.dump(-1, ' ', false, Json::error_handler_t::replace));
    });
}

void Service::alerts_list(const httplib::Request& req, httplib::Response& res) {
    try {
        unsigned latest = 5;
        for (const auto& [name, value] : req.params) {
            if (name != "latest") throw bad(name, "not a parameter of /alerts (latest)");
            latest = whole_number(name, value, 0, kMaxLatestAlerts);
        }
        const std::string dir = alerts_folder();
        send_json(res, 200,
                  alerts::render_listing_json(alerts::list(dir, config_.defaults, latest), false));
    } catch (const Error& e) {
        send_error(res, e);
    }
}

// POST /alerts (a saved search as JSON: name, query, options) and DELETE /alerts?name=NAME.
void Service::alerts_change(const httplib::Request& req, httplib::Response& res) {
    if (config_.alerts_token.empty()) {
        send_error(res, 403,
                   "the saved searches are read-only over HTTP: the server was started without "
                   "--alerts-token-file");
        return;
    }
    if (req.get_header_value("Authorization") != "Bearer " + config_.alerts_token) {
        res.set_header("WWW-Authenticate", "Bearer");
        send_error(res, 401, "changing the saved searches wants the alerts token: "
                             "Authorization: Bearer TOKEN");
        return;
    }
    const std::string dir = alerts_folder();
    try {
        if (req.method == "DELETE") {
            if (req.get_param_value_count("name") != 1 || req.params.size() != 1)
                throw bad("name", "give one name=NAME, the saved search to remove");
            const std::string name = req.get_param_value("name");
            if (!alerts::remove_search(dir, name))
                send_error(res, 404, "no saved search '" + name + "'");
            else
                send_json(res, 200, Json{{"removed", name}}.dump());
            return;
        }
        const alerts::SavedSearch search = alerts::parse_saved_search(req.body);
        const alerts::Added added = alerts::add_search(dir, search, config_.defaults);
        send_json(res, 200, Json{{"saved", search.name}, {"replaced", added.replaced},
                                 {"unchanged", added.unchanged}}.dump());
    } catch (const Error& e) {
        send_error(res, e);
    }
}

int Service::bind() {
    if (config_.port == 0) {
        const int port = server_.bind_to_any_port(config_.host);
        if (port < 0)
            throw Error(ErrorCode::BadOption,
                        "cannot listen on " + config_.host + ": " + std::strerror(errno));
        return port;
    }
    if (!server_.bind_to_port(config_.host, config_.port))
        throw Error(ErrorCode::BadOption, "cannot listen on " + config_.host + ":" +
                                              std::to_string(config_.port) + ": " +
                                              std::strerror(errno))
            .with_hint("is another server on that port? --serve 0 picks a free one");
    return config_.port;
}

std::string shown_host(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

void Service::announce(int port) {
    const std::lock_guard<std::mutex> lock(log_mutex_);
    log_ << "searcher: serving '" << label_ << "' (" << with_thousands(documents_)
         << (documents_ == 1 ? " article" : " articles") << ") on http://"
         << shown_host(config_.host) << ':' << port << "/ with " << std::max(1u, config_.workers)
         << " workers; Ctrl-C stops\n";
    if (!loopback_ && config_.token.empty())
        log_ << "searcher: warning: serving beyond this machine without --token-file: "
                "anyone who reaches the port can search the index\n";
    log_ << std::flush;
}

bool Service::listen_until_signal() {
    std::atomic<bool> done{false};
    std::thread stopper([&] {
        int got = 0;
        sigwait(&signals_, &got);
        // httplib's stop() does nothing before its listening loop has begun: a signal that
        // came right after the "serving" line waits for it.
        while (!done.load() && !server_.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (!done.load()) server_.stop();
    });
    const bool ok = server_.listen_after_bind();
    done.store(true);
    // Wake the signal thread when the server stopped on its own.
    ::pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
    return ok;
}

int Service::serve() {
    // Signals are taken by one thread (sigwait), so that no handler runs inside the server.
    sigemptyset(&signals_);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals_, s);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    set_up();
    const int port = bind();
    announce(port);
    if (!listen_until_signal())
        throw Error(ErrorCode::Io, "the server stopped listening on " + shown_host(config_.host) +
                                       ":" + std::to_string(port));
    const std::lock_guard<std::mutex> lock(log_mutex_);
    log_ << "searcher: stopped serving\n" << std::flush;
    return 0;
}

}  // namespace

int run(const Config& config, std::ostream& log) {
    Service service(config, log);
    return service.serve();
}

}  // namespace newsidx::serve
