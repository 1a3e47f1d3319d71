// Saved searches that alert once per story (issue #30): the real indexer watching a folder, the
// real follower (searcher --alerts-follow) delivering to a JSONL log, a command and a webhook
// receiver in this test that is down for a while; a follower killed in the middle; copies of a
// story that alert once; a rebuild that replays nothing.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "binaries.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kSecretVariable = "NEWSIDX_ALERTS_TEST_SECRET";
constexpr const char* kSecret = "a shared secret for the test";

// A story's body: 60 words drawn from 64 by `story` (a pseudo-random walk), with "ferryboat"
// in it when `matching`; copies of a story share it, so the index clusters them.
std::string story_body(int story, bool matching) {
    static const char* const kWords[] = {
        "harbour", "council",   "budget",    "river",    "station",  "market",   "school",
        "bridge",  "festival",  "museum",    "orchard",  "tunnel",   "airport",  "quarry",
        "library", "stadium",   "factory",   "hospital", "garden",   "village",  "castle",
        "canal",   "forest",    "island",    "valley",   "mountain", "coast",    "desert",
        "glacier", "meadow",    "pier",      "lagoon",   "senate",   "mayor",    "union",
        "court",   "police",    "parish",    "treaty",   "tariff",   "harvest",  "drought",
        "flood",   "storm",     "heatwave",  "frost",    "tide",     "wildfire", "vaccine",
        "clinic",  "nurse",     "surgeon",   "teacher",  "pupil",    "exam",     "degree",
        "rocket",  "satellite", "telescope", "reactor",  "turbine",  "battery",  "cable",
        "sensor"};
    std::uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(story + 7);
    std::string body = matching ? "The ferryboat service" : "The service";
    for (int i = 0; i < 60; ++i) {
        x ^= x >> 31, x *= 0xBF58476D1CE4E5B9ull, x ^= x >> 29;
        body += std::string(" ") + kWords[x % 64];
    }
    return body + ".";
}

// One article of story `story` on `site`, dated `day` (2026-03-DD).
struct Article {
    int story;
    std::string site;
    int day;
    bool matching = true;
    std::string url() const {
        return "https://" + site + "/2026/03/" + std::to_string(day) + "/story-" +
               std::to_string(story);
    }
    std::string file() const { return site + "-" + std::to_string(story) + ".txt"; }
    std::string text() const {
        return article_text(std::string(matching ? "Ferryboat" : "Harbour") + " story " +
                                std::to_string(story),
                            "2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day),
                            url(), story_body(story, matching));
    }
};

std::string hmac_hex(const std::string& key, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &n);
    std::string out = "sha256=";
    for (unsigned int i = 0; i < n; ++i) {
        static const char* hex = "0123456789abcdef";
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

// A webhook receiver on a fixed loopback port, started and stopped by the test. It records each
// POST: the alert number header, whether the signature was right, and the body.
class Receiver {
  public:
    explicit Receiver(int port) : port_(port) {}
    ~Receiver() { down(); }

    void up() {
        server_ = std::make_unique<httplib::Server>();
        server_->Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
            const std::lock_guard<std::mutex> lock(mutex_);
            got_.push_back({req.get_header_value("X-Newsidx-Alert"),
                            req.get_header_value("X-Newsidx-Signature") == hmac_hex(kSecret, req.body),
                            json::parse(req.body)});
            res.status = 204;
        });
        ASSERT_TRUE(server_->bind_to_port("127.0.0.1", port_)) << "port " << port_;
        thread_ = std::thread([this] { server_->listen_after_bind(); });
    }
    void down() {
        if (!server_) return;
        server_->stop();
        thread_.join();
        server_.reset();
    }

    struct Got {
        std::string alert;
        bool signed_right;
        json body;
    };
    std::vector<Got> got() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return got_;
    }

  private:
    int port_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<Got> got_;
};

class AlertsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ::setenv(kSecretVariable, kSecret, 1);
        fs::create_directories(dir_ / "in");
    }
    std::string cwd() const { return dir_.path().string(); }
    void put(const Article& a) { write_file(dir_ / ("in/" + a.file()), a.text()); }
    // A wave of articles, moved into the watched folder at once: one batch, one change.
    void wave(const std::vector<Article>& articles) {
        const std::string name = "wave" + std::to_string(++waves_);
        for (const Article& a : articles) write_file(dir_ / (name + "/" + a.file()), a.text());
        fs::rename(dir_ / name, dir_ / ("in/" + name));
    }

    // `searcher --alerts --json`.
    json listing() const {
        const CommandResult r = run_command({kSearcher, "--db", "db", "--alerts", "--json"}, cwd());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.exit_code == 0 ? json::parse(r.out) : json();
    }

    // Waits (up to 30 s) until the index has had `changes` changes and every saved search has
    // checked them all.
    bool checked_up_to(std::uint64_t changes) const {
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while (Clock::now() < deadline) {
            const json l = listing();
            bool all = !l.is_null() && l["index_change"].get<std::uint64_t>() >= changes;
            for (const json& s : l.value("searches", json::array()))
                all = all && s["checked"] == l["index_change"];
            if (all) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    // Adds the receivers to searches.json.
    void add_receivers(int port) {
        const std::string path = dir_ / "db.alerts/searches.json";
        json file = json::parse(read_file(path));
        file["receivers"] = json::array(
            {{{"name", "log"}, {"log", dir_ / "alerts.jsonl"}},
             {{"name", "cmd"}, {"command", "cat >> '" + dir_ / "command.jsonl" + "'"}},
             {{"name", "hook"},
              {"webhook", "http://127.0.0.1:" + std::to_string(port) + "/hook"},
              {"secret_env", kSecretVariable}}});
        write_file(path, file.dump(2));
    }

    TempDir dir_;
    int waves_ = 0;
};

// The alerts' numbers and first articles' URLs, from JSON lines.
std::vector<std::pair<std::uint64_t, std::string>> alerts_in(const std::string& jsonl) {
    std::vector<std::pair<std::uint64_t, std::string>> out;
    for (const std::string& line : lines_of(jsonl)) {
        const json j = json::parse(line);
        out.emplace_back(j["n"].get<std::uint64_t>(), j["article"]["url"].get<std::string>());
    }
    return out;
}

// Waits (up to 30 s) for `pred`.
template <typename Pred>
bool eventually(Pred pred) {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}

TEST_F(AlertsTest, AStreamIntoAWatchedFolderAlertsOncePerStoryAndLosesNothing) {
    // The archive: stories 1 and 2 match, 3 does not.
    const Article old1{1, "news.example.org", 1}, old2{2, "news.example.org", 2},
        other{3, "news.example.org", 3, false};
    for (const Article& a : {old1, old2, other}) put(a);
    Background watcher({kIndexer, "--watch", "--quiet", "--db", "db", "in"}, dir_ / "watch.out",
                       dir_ / "watch.err", cwd());
    ASSERT_TRUE(eventually([&] { return !watcher.out().empty(); })) << watcher.err();

    CommandResult r = run_command({kSearcher, "--db", "db", "--alert-add", "ferry", "ferryboat"}, cwd());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "saved search 'ferry' in 'db.alerts/searches.json': it alerts on new stories "
                     "indexed from now on\n");
    r = run_command({kSearcher, "--db", "db", "--alert-add", "wire", "--site", "wire.example.com",
                     "ferryboat"},
                    cwd());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int port = free_loopback_port();
    add_receivers(port);
    Receiver hook(port);  // down for now

    auto follower = std::make_unique<Background>(
        std::vector<std::string>{kSearcher, "--db", "db", "--alerts-follow"}, dir_ / "follow.out",
        dir_ / "follow.err", cwd());

    // Wave 1: a new story 10 on two sites at once, a copy of the archive's story 1 on the wire,
    // and a new story that does not match.
    wave({{10, "news.example.org", 10}, {10, "wire.example.com", 11}, {1, "wire.example.com", 12},
          {11, "news.example.org", 10, false}});
    ASSERT_TRUE(checked_up_to(2)) << follower->err();
    // Wave 2: story 10 again, later, on a third site; a new story 12.
    wave({{10, "third.example.net", 13}, {12, "news.example.org", 13}});
    ASSERT_TRUE(checked_up_to(3)) << follower->err();
    EXPECT_NE(follower->err().find("hook (webhook): alert 1: cannot connect; 3 waiting"),
              std::string::npos)
        << follower->err();

    // The follower dies without a word (once the command has taken alert 4: one that dies
    // between a command's exit and its mark gives that alert again, docs/alerts.md); story 13
    // comes (on two sites) while it is gone.
    ASSERT_TRUE(eventually([&] { return read_file(dir_ / "db.alerts/delivered/cmd").ends_with(" 4\n"); }));
    follower->stop(SIGKILL);
    wave({{13, "wire.example.com", 14}, {13, "news.example.org", 14}});
    ASSERT_TRUE(eventually([&] { return listing()["index_change"] == 4; }));
    follower = std::make_unique<Background>(
        std::vector<std::string>{kSearcher, "--db", "db", "--alerts-follow"}, dir_ / "follow2.out",
        dir_ / "follow2.err", cwd());
    ASSERT_TRUE(checked_up_to(4)) << follower->err();

    // The receiver comes up: what waited is delivered, in order.
    hook.up();
    ASSERT_TRUE(eventually([&] { return hook.got().size() >= 6; })) << follower->err();
    // Down again: story 14 waits, and comes when the receiver is back.
    hook.down();
    wave({{14, "news.example.org", 15}});
    ASSERT_TRUE(checked_up_to(5)) << follower->err();
    ASSERT_TRUE(eventually([&] {
        return follower->err().find("alert 7: cannot connect") != std::string::npos;
    })) << follower->err();
    hook.up();
    ASSERT_TRUE(eventually([&] { return hook.got().size() >= 7; })) << follower->err();
    // (Said once the follower has its mark, a moment after the receiver has the alert.)
    EXPECT_TRUE(eventually([&] {
        return follower->err().find("hook (webhook): delivered up to alert 7 after ") !=
               std::string::npos;
    })) << follower->err();

    // What was alerted: each new matching story once, at its first article (the earliest of
    // those that came together); for "wire", the stories' first wire articles.
    const std::vector<std::pair<std::uint64_t, std::string>> want{
        {1, Article{10, "news.example.org", 10}.url()},   // ferry, with its wire copy
        {2, Article{10, "wire.example.com", 11}.url()},   // wire
        {3, Article{1, "wire.example.com", 12}.url()},    // wire: new to the wire
        {4, Article{12, "news.example.org", 13}.url()},   // ferry
        {5, Article{13, "news.example.org", 14}.url()},   // ferry: same day, URL first
        {6, Article{13, "wire.example.com", 14}.url()},   // wire
        {7, Article{14, "news.example.org", 15}.url()}};  // ferry
    std::vector<std::pair<std::uint64_t, std::string>> hooked;
    for (const Receiver::Got& g : hook.got()) {
        EXPECT_TRUE(g.signed_right) << g.body.dump();
        EXPECT_EQ(g.alert, std::to_string(g.body["n"].get<std::uint64_t>()));
        hooked.emplace_back(g.body["n"].get<std::uint64_t>(), g.body["article"]["url"].get<std::string>());
    }
    EXPECT_EQ(hooked, want) << "each alert once, in order";
    EXPECT_EQ(alerts_in(read_file(dir_ / "alerts.jsonl")), want);
    EXPECT_EQ(alerts_in(read_file(dir_ / "command.jsonl")), want);
    // Alert 1 lists the copy that came with it; "wire" alerts are only of wire articles.
    const json first = hook.got()[0].body;
    EXPECT_EQ(first["search"], "ferry");
    ASSERT_EQ(first["copies"].size(), 1u);
    EXPECT_EQ(first["copies"][0]["url"], (Article{10, "wire.example.com", 11}.url()));
    EXPECT_EQ(first["sites"], json::array({"news.example.org", "wire.example.com"}));
    EXPECT_EQ(hook.got()[1].body["search"], "wire");
    ASSERT_EQ(hook.got()[1].body["copies"].size(), 1u) << "the story's other article, on news";
    EXPECT_EQ(hook.got()[1].body["copies"][0]["url"], (Article{10, "news.example.org", 10}.url()));

    // --alerts: the story of alert 1 with the copy that came later.
    const json l = listing();
    ASSERT_EQ(l["searches"].size(), 2u);
    const json& ferry = l["searches"][0];
    EXPECT_EQ(ferry["name"], "ferry");
    EXPECT_EQ(ferry["alerts"], 4);
    const json& oldest = ferry["latest"].back();
    EXPECT_EQ(oldest["n"], 1);
    EXPECT_EQ(oldest["story_sites"],
              json::array({"news.example.org", "third.example.net", "wire.example.com"}));
    EXPECT_EQ(l["receivers"][2]["delivered"], 7);
    EXPECT_EQ(l["receivers"][2]["waiting"], 0);

    // A rebuild (a bulk swap of every article) replays nothing.
    follower->stop();
    watcher.stop();
    r = run_command({kIndexer, "--quiet", "--rebuild", "--db", "db", "in"}, cwd());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_command({kSearcher, "--db", "db", "--alerts-check"}, cwd());
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("2 saved searches checked up to change 6: 0 new alerts\n"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(hook.got().size(), 7u);
}

}  // namespace
}  // namespace newsidx::test
