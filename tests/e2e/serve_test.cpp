// searcher --serve over HTTP on loopback (issue #15, item 2): the real binaries, a server per
// test suite on a free port, requests through cpp-httplib's client and raw sockets.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "binaries.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kRailOriginal = "https://news.example.org/2023/04/04/rail-link-reopens";
const std::string kDraft = "https://news.example.org/2022/02/16/draft-text-published";

struct Reply {
    int status = 0;
    std::string body;
    std::string content_type;
};

Reply get(int port, const std::string& target, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    client.set_url_encode(false);  // the targets are written encoded, as a browser sends them
    const auto res = client.Get(target.c_str(), headers);
    if (!res) return {};
    return {res->status, res->body, res->get_header_value("Content-Type")};
}

json get_json(int port, const std::string& target, int want = 200) {
    const Reply r = get(port, target);
    EXPECT_EQ(r.status, want) << target << "\n" << r.body;
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8") << target;
    return json::parse(r.body, nullptr, false);
}

// The same JSON but for the time it took.
json timeless(json j) {
    if (j.is_object()) j.erase("elapsed_ms");
    return j;
}

// The samples indexed into ./newsidx.db, and a server over them.
class ServeTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const CommandResult r = run_command({kIndexer, kSamples}, dir_->path().string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
        server_ = new ServerProcess(kSearcher, {}, dir_->path().string());
        ASSERT_NE(server_->port(), 0) << server_->log();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        delete dir_;
        dir_ = nullptr;
    }

    static json cli_json(std::vector<std::string> args) {
        args.insert(args.begin(), kSearcher);
        args.push_back("--json");
        const CommandResult r = run_command(args, dir_->path().string());
        EXPECT_LE(r.exit_code, 1) << r.err;
        return json::parse(r.out, nullptr, false);
    }

    static int port() { return server_->port(); }

    static TempDir* dir_;
    static ServerProcess* server_;
};
TempDir* ServeTest::dir_ = nullptr;
ServerProcess* ServeTest::server_ = nullptr;

TEST_F(ServeTest, SearchAnswersWithTheCliJsonForEveryOption) {
    // Each request beside the command line that asks the same.
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"q=security+guarantees", {"security guarantees"}},
        {"q=security%20guarantees&limit=3&offset=2",
         {"security guarantees", "-n", "3", "--offset", "2"}},
        {"q=border&sort=newest", {"border", "--sort", "newest"}},
        {"q=border&sort=oldest&since=2022-02&until=2022-12-31",
         {"border", "--sort", "oldest", "--since", "2022-02", "--until", "2022-12-31"}},
        {"q=guarantees&site=example.org", {"guarantees", "--site", "example.org"}},
        {"q=security+guarantees+border&all=1", {"security guarantees border", "--all"}},
        {"q=rail+link&collapse=1", {"rail link", "--collapse"}},
        {"q=rail+link&collapse=true&timeline=month&facet=site&facet=year",
         {"rail link", "--collapse", "--timeline", "month", "--facet", "site", "--facet", "year"}},
        {"q=security&timeline=week&facet=site,lang",
         {"security", "--timeline", "week", "--facet", "site", "--facet", "lang"}},
        {"q=security&timeline=year&facet=site&share=1&collapse=1",
         {"security", "--timeline", "year", "--facet", "site", "--share", "--collapse"}},
        {"q=security&significant=5&significance=llr",
         {"security", "--significant", "5", "--significance", "llr"}},
        {"q=security&significant=5&against=previous&since=2022-02&until=2022-03",
         {"security", "--significant", "5", "--against", "previous", "--since", "2022-02",
          "--until", "2022-03"}},
        {"q=security&timeline=month&compare=rail+link&compare=harbour&share=1",
         {"security", "--timeline", "month", "--compare", "rail link", "--compare", "harbour",
          "--share"}},
        {"q=talks&recency=30&now=2022-03-01", {"talks", "--recency", "30", "--now", "2022-03-01"}},
        {"q=garanties&lang=fr", {"garanties", "--lang", "fr"}},
        {"q=security+guarantees&expand=3", {"security guarantees", "--expand", "3"}},
        {"q=%22security+guarantees%22+site%3Anews.example.org",
         {"\"security guarantees\" site:news.example.org"}},
        {"like=" + kDraft, {"--like", kDraft}},
        {"origin=written+security+guarantees+would+be+sent+within+a+week",
         {"--origin", "written security guarantees would be sent within a week"}},
        {"origin=written+security+guarantees+would+be+sent&since=2022-03",
         {"--origin", "written security guarantees would be sent", "--since", "2022-03"}},
        {"copies=" + kRailOriginal, {"--copies", kRailOriginal}},
        {"q=zzzzunknownword", {"zzzzunknownword"}},
    };
    for (const auto& [params, args] : cases) {
        SCOPED_TRACE(params);
        const json http = get_json(port(), "/search?" + params);
        const json cli = cli_json(args);
        ASSERT_FALSE(http.is_discarded());
        EXPECT_EQ(timeless(http), timeless(cli));
    }
    // Page 2 counts what page 1 counts (Xapian's spies once counted some matches twice there).
    const json one = get_json(port(), "/search?q=talks&facet=site&timeline=year");
    const json two = get_json(port(), "/search?q=talks&facet=site&timeline=year&offset=1&limit=1");
    EXPECT_EQ(one["facets"], two["facets"]);
    EXPECT_EQ(one["timeline"], two["timeline"]);
    EXPECT_EQ(two["timeline"]["total"], two["total_estimate"]);
    EXPECT_EQ(timeless(two), timeless(cli_json({"talks", "--facet", "site", "--timeline", "year",
                                                "--offset", "1", "-n", "1"})));
    // Not empty answers compared: the cases find what they should.
    EXPECT_EQ(get_json(port(), "/search?q=rail+link&collapse=1")["total_estimate"], 2);
    EXPECT_EQ(get_json(port(), "/search?copies=" + kRailOriginal)["count"], 2);
}

// Issue #29, item 5: kwic=N gives each hit of the page the lines --kwic prints for it.
TEST_F(ServeTest, KwicGivesEachHitItsLines) {
    const json http = get_json(port(), "/search?q=security+guarantees&kwic=3&limit=2");
    const CommandResult cli = run_command(
        {kSearcher, "security guarantees", "--kwic", "3", "--json"}, dir_->path().string());
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    std::vector<std::string> from_cli, from_http;
    for (const std::string& line : lines_of(cli.out)) {
        const json k = json::parse(line);
        if (k["rank"] <= 2) from_cli.push_back(k["url"].get<std::string>() + " " + k["left"].get<std::string>() + "[" + k["keyword"].get<std::string>() + "]" + k["right"].get<std::string>());
    }
    for (const auto& hit : http["results"])
        for (const auto& k : hit["kwic"])
            from_http.push_back(hit["url"].get<std::string>() + " " + k["left"].get<std::string>() + "[" + k["keyword"].get<std::string>() + "]" + k["right"].get<std::string>());
    EXPECT_EQ(from_http, from_cli);
    EXPECT_GE(from_http.size(), 3u);
}

// Issue #29, item 1: format=csv is the command line's --format csv table, as a download.
TEST_F(ServeTest, FormatCsvIsTheCommandLinesTable) {
    httplib::Client client("127.0.0.1", port());
    client.set_url_encode(false);
    const auto res =
        client.Get("/search?q=security+guarantees&timeline=year&facet=site&share=1&format=csv");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(res->get_header_value("Content-Disposition"), "attachment; filename=\"newsidx.csv\"");
    const CommandResult cli = run_command({kSearcher, "security guarantees", "--timeline", "year",
                                           "--facet", "site", "--share", "--format", "csv"},
                                          dir_->path().string());
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(res->body, cli.out);
    EXPECT_EQ(lines_of(res->body).at(1),
              "security guarantees,timeline,2021,2021-01-01,1,7,0.1428571429,");
}

TEST_F(ServeTest, ExplainTellsEachScoreAsItsParts) {
    const json http = get_json(port(), "/search?q=security+guarantees&explain=1&limit=3");
    EXPECT_EQ(timeless(http), timeless(cli_json({"security guarantees", "--explain", "-n", "3"})));
    ASSERT_EQ(http["results"].size(), 3u);
    for (const auto& hit : http["results"]) {
        double sum = 0;
        for (const auto& part : hit["explain"]) sum += part["weight"].get<double>();
        EXPECT_NEAR(sum, hit["score"].get<double>(), 1e-9 * hit["score"].get<double>());
    }
    EXPECT_FALSE(get_json(port(), "/search?q=security")["results"][0].contains("explain"))
        << "only when asked";
    EXPECT_EQ(get_json(port(), "/search?q=security&explain=maybe", 400)["error"],
              "explain: 'maybe' is not 1 or 0 (true or false)");
    EXPECT_EQ(get_json(port(), "/search?q=security&explain=1&limit=101", 400)["error"],
              "explain: explains at most 100 results at a time; ask with limit at most 100");
    EXPECT_EQ(get_json(port(), "/search?q=security&recency=0", 400)["error"],
              "recency: '0' is not a number of days from 0.01 to 100000");
}

TEST_F(ServeTest, ArticleIsTheShowJson) {
    const json http = get_json(port(), "/article?url=" + kRailOriginal);
    EXPECT_EQ(http, cli_json({"--show", kRailOriginal}));
    EXPECT_EQ(http["url"], kRailOriginal);
    EXPECT_EQ(http["title"], "Cross-border rail link reopens after nine years");
    // By the path of its file too, as --show takes it.
    EXPECT_EQ(get_json(port(), "/article?url=" + kSamples + "/wire-rail-link-reopens.txt")["url"],
              kRailOriginal);
    const json missing = get_json(port(), "/article?url=https://nowhere.example/x", 404);
    EXPECT_EQ(missing["error"], "no article with the URL 'https://nowhere.example/x' in the index");
    EXPECT_EQ(missing["status"], 404);
}

TEST_F(ServeTest, HealthSaysTheCountAndTheLastCommit) {
    const json h = get_json(port(), "/health");
    EXPECT_EQ(h["status"], "ok");
    EXPECT_EQ(h["documents"], 34);
    ASSERT_TRUE(h["last_commit"].is_string());
    EXPECT_EQ(h["last_commit"].get<std::string>().size(), 20u);  // 2026-12-01T13:36:57Z
}

TEST_F(ServeTest, BadRequestsGetA4xxAndTheServerGoesOn) {
    struct Case {
        std::string target;
        int status;
        std::string error;  // the start of the message
    };
    const std::string long_query(5000, 'a');
    const std::vector<Case> cases = {
        {"/search", 400, "q: a query is required"},
        {"/search?q=", 400, "q: the query is empty"},
        {"/search?q=a&limt=3", 400, "limt: not a parameter of /search"},
        {"/search?q=a&limit=0", 400, "limit: '0' is not a whole number from 1 to 1000"},
        {"/search?q=a&limit=ten", 400, "limit: 'ten' is not a whole number"},
        {"/search?q=a&limit=5&limit=6", 400, "limit: given more than once"},
        {"/search?q=a&sort=best", 400, "sort: 'best' is not one of relevance, newest, oldest"},
        {"/search?q=a&facet=author", 400, "facet: 'author' is not one of site, year, lang"},
        {"/search?q=a&collapse=maybe", 400, "collapse: 'maybe' is not 1 or 0"},
        {"/search?q=a&since=yesterday", 400, "since: "},
        {"/search?q=a&offset=9995&limit=10", 400, "offset: results past the 10000th"},
        {"/search?q=a&now=2022-01-01", 400, "now: needs recency"},
        {"/search?q=a&share=1", 400, "share shows the timeline and facet counts as shares"},
        {"/search?q=a&format=csv", 400, "format: csv is the timeline, facet and significant tables"},
        {"/search?q=a&format=xml", 400, "format: 'xml' is not one of json, csv"},
        {"/search?q=a&compare=b", 400, "compare: needs timeline"},
        {"/search?q=a&origin=a+b+c+d", 400, "origin: give one of q, like, copies and origin"},
        {"/search?origin=two+words", 400, "origin: a passage of at least 4 words"},
        {"/search?q=a&against=previous", 400, "against: needs significant"},
        {"/search?q=a&significant=5&against=previous", 400, "against previous sets a period"},
        {"/search?q=a&timeline=year&compare=b&compare=c&compare=d&compare=e&compare=f", 400,
         "compare: at most 4 queries beside the first"},
        {"/search?q=a&like=" + kDraft, 400, "q: give one of q, like and copies"},
        {"/search?q=%ff%fe", 400, "q: not valid UTF-8 text"},
        {"/search?q=%00", 400, "q: a NUL byte is no part of any text"},
        {"/search?q=" + long_query, 400, "q: 5000 bytes; the most a request may give is 4096"},
        {"/search?like=https://nowhere.example/x", 404, "no article with the URL"},
        {"/search?copies=/etc/passwd", 404, "no article from the file '/etc/passwd'"},
        {"/article?url=../../../etc/passwd", 404, "no article from the file"},
        {"/article", 400, "url: give one url=URL"},
        {"/health?x=1", 400, "/health takes no parameters"},
        {"/../../etc/passwd", 404, "no such page"},
        {"/%2e%2e/%2e%2e/etc/passwd", 404, "no such page"},
        {"/app.js/../../etc/passwd", 404, "no such page"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.target.substr(0, 80));
        const Reply r = get(port(), c.target);
        EXPECT_EQ(r.status, c.status) << r.body;
        const json j = json::parse(r.body, nullptr, false);
        ASSERT_TRUE(j.is_object()) << r.body;
        EXPECT_EQ(j["status"], c.status);
        EXPECT_EQ(j["error"].get<std::string>().rfind(c.error, 0), 0u) << j["error"];
        EXPECT_EQ(r.body.find("root:"), std::string::npos) << "no file outside the index is read";
    }
    // A query of 1 MB is cut off by the request line's bound (8 KiB): 414, as JSON.
    const Reply huge = get(port(), "/search?q=" + std::string(1 << 20, 'x'));
    EXPECT_EQ(huge.status, 414);
    EXPECT_EQ(json::parse(huge.body, nullptr, false)["status"], 414);
    // Only reading: other methods are refused.
    httplib::Client client("127.0.0.1", port());
    for (const auto& res : {client.Post("/search?q=a", "x", "text/plain"), client.Delete("/health"),
                            client.Put("/", "x", "text/plain")}) {
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 405);
        EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");
    }
    // A GET with a body is refused and its connection closed (the body is not taken for the
    // next request); another method's body is read, not taken for one either.
    const auto raw = [&](const std::string& bytes) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port()));
        std::string out;
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
            (void)!::write(fd, bytes.data(), bytes.size());
            char buf[4096];
            for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, n);
        }
        ::close(fd);
        return out;
    };
    const std::string smuggled = "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    std::string reply = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                            std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 ")) << reply;
    EXPECT_NE(reply.find("a GET request carries no body"), std::string::npos) << reply;
    EXPECT_EQ(reply.find("404"), std::string::npos) << "the body was taken for a request";
    reply = raw("POST /search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 405 ")) << reply;
    EXPECT_EQ(reply.find("404"), std::string::npos) << "the body was taken for a request";
    // A loopback server without a token answers only for this machine's names (a web page
    // cannot reach it through a name of its own: DNS rebinding).
    const Reply rebound = get(port(), "/health", {{"Host", "attacker.example:8080"}});
    EXPECT_EQ(rebound.status, 403);
    EXPECT_EQ(json::parse(rebound.body)["error"],
              "the Host header names another machine ('attacker.example'): this server answers "
              "requests for 127.0.0.1 or localhost");
    EXPECT_EQ(get(port(), "/health", {{"Host", "localhost:" + std::to_string(port())}}).status,
              200);
    // Ranges are refused rather than cut (httplib 0.11 would cut the answer and say 200).
    EXPECT_EQ(get(port(), "/health", {{"Range", "bytes=0-10"}}).status, 416);
    // A facet asked twice is counted once.
    EXPECT_EQ(get_json(port(), "/search?q=rail&facet=site,site&facet=site")["facets"].size(), 1u);
    // And the server goes on.
    EXPECT_EQ(get_json(port(), "/search?q=security+guarantees")["results"].size(), 10u);
}

TEST_F(ServeTest, TheAccessLogHasALinePerRequest) {
    get(port(), "/search?q=access+log+line+check");
    get(port(), "/nothing-here");
    // The line is written once the answer is sent: give it a moment.
    std::string log;
    for (int i = 0; i < 500; ++i) {
        log = server_->log();
        if (log.find("\"GET /nothing-here\" 404 ") != std::string::npos &&
            log.find("GET /search?q=access+log+line+check") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_NE(log.find(" 127.0.0.1 \"GET /search?q=access+log+line+check\" 200 "),
              std::string::npos)
        << log;
    EXPECT_NE(log.find(" 127.0.0.1 \"GET /nothing-here\" 404 "), std::string::npos) << log;
}

TEST_F(ServeTest, ThePageAndItsFilesComeFromTheBinary) {
    const Reply page = get(port(), "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_NE(page.body.find("<script src=\"/app.js\"></script>"), std::string::npos);
    // No request leaves the server: no address of another host in the page or its files.
    for (const std::string target : {"/", "/app.js", "/style.css"}) {
        const Reply r = get(port(), target);
        EXPECT_EQ(r.status, 200) << target;
        EXPECT_EQ(r.body.find("https://"), std::string::npos) << target;
        // (SVG's namespace is a name, not an address.)
        const std::string body =
            std::regex_replace(r.body, std::regex("http://www\\.w3\\.org/2000/svg"), "");
        EXPECT_EQ(body.find("http://"), std::string::npos) << target;
    }
}

// The index is a fresh one per test here: it changes under the server.
class LiveServeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::copy(kSamples, dir_ / "articles");
        ASSERT_EQ(index({}).exit_code, 0);
    }
    CommandResult index(std::vector<std::string> flags) {
        flags.insert(flags.begin(), kIndexer);
        flags.push_back(dir_ / "articles");
        const CommandResult r = run_command(flags, dir_.path().string());
        EXPECT_LE(r.exit_code, 0) << r.err;
        return r;
    }
    TempDir dir_;
};

TEST_F(LiveServeTest, ReopensAfterACommitAndAfterABulkSwap) {
    // One worker: the handle that read the old index is the one asked again.
    ServerProcess server(kSearcher, {"--workers", "1"}, dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    const int port = server.port();
    EXPECT_EQ(get_json(port, "/search?q=quokka")["total_estimate"], 0);
    // An update in place.
    write_file(dir_ / "articles/quokka.txt",
               article_text("Quokka census", "2024-05-01", "https://example.org/quokka",
                            "Rangers counted every quokka on the island."));
    index({"--quiet"});
    json j = get_json(port, "/search?q=quokka");
    ASSERT_EQ(j["results"].size(), 1u);
    EXPECT_EQ(j["results"][0]["url"], "https://example.org/quokka");
    EXPECT_EQ(get_json(port, "/health")["documents"], 35);
    // A rebuild swaps in a new index folder: every worker must see the new one whole (a plain
    // reopen of the old handle would mix the two and lose documents).
    fs::remove(dir_ / "articles/quokka.txt");
    for (int i = 0; i < 40; ++i)
        write_file(dir_ / ("articles/wombat" + std::to_string(i) + ".txt"),
                   article_text("Wombat " + std::to_string(i), "2024-06-01",
                                "https://example.org/wombat/" + std::to_string(i),
                                "A wombat burrow survey, number " + std::to_string(i) + "."));
    index({"--quiet", "--rebuild"});
    for (int i = 0; i < 20; ++i) {  // several requests: several workers
        j = get_json(port, "/search?q=wombat&limit=50");
        EXPECT_EQ(j["total_estimate"], 40);
        EXPECT_EQ(j["results"].size(), 40u);
        EXPECT_EQ(get_json(port, "/search?q=quokka")["total_estimate"], 0);
        EXPECT_EQ(get_json(port, "/article?url=https://example.org/wombat/7")["title"], "Wombat 7");
    }
    EXPECT_EQ(get_json(port, "/health")["documents"], 74);
}

TEST_F(LiveServeTest, AnIndexThatGoesAwayIs503UntilItIsBack) {
    ServerProcess server(kSearcher, {"--workers", "1"}, dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    EXPECT_GT(get_json(server.port(), "/search?q=security")["total_estimate"], 0);  // open
    fs::remove_all(dir_ / "newsidx.db");
    const json gone = get_json(server.port(), "/search?q=security", 503);
    EXPECT_EQ(gone["error"], "no index at 'newsidx.db'");
    EXPECT_EQ(get_json(server.port(), "/health", 503)["status"], 503);
    index({"--quiet"});
    EXPECT_EQ(get_json(server.port(), "/health")["documents"], 34);
    EXPECT_GT(get_json(server.port(), "/search?q=security")["total_estimate"], 0);
}

// A set whose remote shard is down, served with --allow-partial: /health says "partial", not
// "ok", and names the members plainly (issue #26: "a', 'b"), the missing one apart.
TEST_F(LiveServeTest, HealthOfAPartialSetSaysPartial) {
    const std::string shard = "127.0.0.1:" + std::to_string(free_loopback_port());
    write_file(dir_ / "set.stub", "auto newsidx.db\nremote :" + shard + "\n");
    ServerProcess server(kSearcher,
                         {"--db", "set.stub", "--allow-partial", "--timeout", "1", "--workers", "1"},
                         dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    const json h = get_json(server.port(), "/health");
    EXPECT_EQ(h["status"], "partial");
    EXPECT_EQ(h["index"], "newsidx.db") << "the members that answer, as the stub names them";
    EXPECT_EQ(h["partial"], true);
    ASSERT_EQ(h["missing_shards"].size(), 1u);
    EXPECT_EQ(h["documents"], 34);
}

TEST_F(LiveServeTest, NoIndexNoServer) {
    fs::remove_all(dir_ / "newsidx.db");
    const CommandResult r = run_command({kSearcher, "--serve", "0"}, dir_.path().string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "searcher: error: no index at 'newsidx.db'\n"
              "searcher: hint: run indexer first, e.g.: indexer samples/\n");
    const CommandResult bad =
        run_command({kSearcher, "--serve", "host:http"}, dir_.path().string());
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(bad.err,
              "searcher: error: --serve: 'host:http' is not [ADDR:]PORT with a port from "
              "0 to 65535\n");
}

TEST_F(LiveServeTest, ATokenIsAskedForWhenGiven) {
    write_file(dir_ / "token", "s3cret-token-0123456789\n");
    ServerProcess server(kSearcher, {"--token-file", dir_ / "token"}, dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    const Reply none = get(server.port(), "/search?q=security");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(json::parse(none.body)["error"],
              "this server wants a token: Authorization: Bearer TOKEN");
    EXPECT_EQ(get(server.port(), "/health", {{"Authorization", "Bearer wrong"}}).status, 401);
    const Reply ok = get(server.port(), "/search?q=security",
                         {{"Authorization", "Bearer s3cret-token-0123456789"}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(get(server.port(), "/").status, 200) << "the page asks for the token itself";
    write_file(dir_ / "short", "abc\n");
    const CommandResult r = run_command({kSearcher, "--serve", "0", "--token-file", dir_ / "short"},
                                        dir_.path().string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is shorter than 16 characters"), std::string::npos) << r.err;
}

// A connection that sends half a request and waits.
int slow_client(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
    const char half[] = "GET /search?q=sec";
    (void)!::write(fd, half, sizeof half - 1);
    return fd;
}

TEST_F(LiveServeTest, SlowClientsAreCutOffAndOthersServed) {
    ServerProcess server(kSearcher, {"--workers", "2"}, dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    // Both workers held by clients that never finish their request...
    const int a = slow_client(server.port());
    const int b = slow_client(server.port());
    ASSERT_GE(a, 0);
    ASSERT_GE(b, 0);
    // ...are let go after the read timeout (5 s), and the next request is answered.
    const auto started = std::chrono::steady_clock::now();
    const json j = get_json(server.port(), "/search?q=security+guarantees");
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_EQ(j["results"].size(), 10u);
    EXPECT_LT(waited, 15.0) << "a slow client holds a worker for the read timeout, not for ever";
    char buf[256];
    EXPECT_LE(::read(a, buf, sizeof buf), 0) << "the slow connection was closed";
    ::close(a);
    ::close(b);
}

TEST_F(LiveServeTest, APortInUseIsAnError) {
    ServerProcess server(kSearcher, {}, dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    // Not a second server sharing the port with the first (SO_REUSEPORT).
    const CommandResult second = run_command(
        {kSearcher, "--serve", "127.0.0.1:" + std::to_string(server.port())}, dir_.path().string());
    EXPECT_EQ(second.exit_code, 2);
    EXPECT_NE(second.err.find("searcher: error: cannot listen on 127.0.0.1:" +
                              std::to_string(server.port())),
              std::string::npos)
        << second.err;
    // The command line's --limit and --offset are each request's: within a request's bounds.
    const CommandResult deep =
        run_command({kSearcher, "--serve", "0", "--limit", "5000"}, dir_.path().string());
    EXPECT_EQ(deep.exit_code, 2);
    EXPECT_EQ(deep.err, "searcher: error: --limit: a request shows at most 1000 results\n");
}

TEST_F(LiveServeTest, SigtermStopsItCleanly) {
    ServerProcess server(kSearcher, {}, dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    EXPECT_EQ(get(server.port(), "/health").status, 200);
    EXPECT_EQ(server.stop(), 0);
    EXPECT_NE(server.log().find("searcher: stopped serving\n"), std::string::npos) << server.log();
}

// The searcher itself links no HTTP library: --serve runs newsidx-serve from beside it. A
// searcher without it says so, and where it looked.
TEST(ServeProgram, ASearcherWithoutItsServerSaysSo) {
    TempDir dir;
    const fs::path alone = dir / "searcher";
    fs::copy_file(kSearcher, alone);
    const CommandResult r = run_command({alone.string(), "--serve", "0"}, dir.path().string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "searcher: error: newsidx-serve (the searcher with its HTTP server and "
                     "client, for --serve and for delivering alerts) is not installed beside '" +
                         alone.string() + "'\n" +
                         "searcher: hint: build or install it with the searcher: cmake --build "
                         "build\n");
    // What the searcher's process loads: none of cpp-httplib's libraries.
    const CommandResult needed = run_command({"/usr/bin/readelf", "-d", kSearcher});
    ASSERT_EQ(needed.exit_code, 0) << needed.err;
    EXPECT_NE(needed.out.find("libxapian"), std::string::npos) << needed.out;
    for (const char* library : {"httplib", "libssl", "libcrypto", "brotli"})
        EXPECT_EQ(needed.out.find(library), std::string::npos) << library << ": " << needed.out;
}

// /alerts: the saved searches as `searcher --alerts --json` lists them; read-only unless the
// server has an alerts token, and then changed only with it.
TEST_F(LiveServeTest, AlertsAreListedAndChangedOnlyWithTheAlertsToken) {
    CommandResult r = run_command({kSearcher, "--alert-add", "guarantees", "--since", "2022",
                                   "security guarantees"},
                                  dir_.path().string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    {
        ServerProcess server(kSearcher, {}, dir_.path().string());
        ASSERT_NE(server.port(), 0) << server.log();
        const json listed = get_json(server.port(), "/alerts");
        r = run_command({kSearcher, "--alerts", "--json"}, dir_.path().string());
        EXPECT_EQ(listed, json::parse(r.out));
        EXPECT_EQ(listed["searches"][0]["name"], "guarantees");
        EXPECT_EQ(listed["searches"][0]["options"], json({{"since", "2022"}}));
        httplib::Client client("127.0.0.1", server.port());
        const auto res = client.Post("/alerts", R"({"name": "x", "query": "y"})", "application/json");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 403);
        EXPECT_EQ(json::parse(res->body)["error"],
                  "the saved searches are read-only over HTTP: the server was started without "
                  "--alerts-token-file");
        EXPECT_EQ(get(server.port(), "/alerts?limit=3").status, 400);
    }
    write_file(dir_ / "alerts-token", "alerts-token-0123456789\n");
    ServerProcess server(kSearcher, {"--alerts-token-file", dir_ / "alerts-token"},
                         dir_.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    httplib::Client client("127.0.0.1", server.port());
    const httplib::Headers token{{"Authorization", "Bearer alerts-token-0123456789"}};
    auto res = client.Post("/alerts", R"({"name": "rail", "query": "rail link", "options": {"site": "news.example.org"}})",
                           "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    res = client.Post("/alerts", token,
                      R"({"name": "rail", "query": "rail link", "options": {"sort": "newest"}})",
                      "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(json::parse(res->body)["error"],
              "saved search 'rail': sort is not kept by a saved search, which keeps only what "
              "chooses the articles that match: since, until, site, lang, all and plain");
    res = client.Post("/alerts", token,
                      R"({"name": "rail", "query": "rail link", "options": {"site": "news.example.org"}})",
                      "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(json::parse(res->body), json({{"saved", "rail"}, {"replaced", false}, {"unchanged", false}}));
    r = run_command({kSearcher, "--alerts", "--json"}, dir_.path().string());
    const json listed = json::parse(r.out);
    ASSERT_EQ(listed["searches"].size(), 2u);
    EXPECT_EQ(listed["searches"][1]["name"], "rail");
    EXPECT_EQ(listed["searches"][1]["baseline"], listed["index_change"]);
    res = client.Delete("/alerts?name=guarantees", token);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    res = client.Delete("/alerts?name=guarantees", token);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(json::parse(run_command({kSearcher, "--alerts", "--json"}, dir_.path().string()).out)
                  ["searches"].size(),
              1u);
}

}  // namespace
}  // namespace newsidx::test
