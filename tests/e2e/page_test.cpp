// The search page of searcher --serve in a real browser (issue #15, item 4): Debian's headless
// Chromium driven through ChromeDriver's WebDriver protocol (W3C), spoken with cpp-httplib's
// client. The test reads the rendered DOM and clicks as a user would. Skipped, saying so, when
// Chromium or ChromeDriver is not installed (scripts/install-deps.sh --tests installs both).
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "binaries.hpp"
#include "run_command.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace newsidx::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string kChromium = "/usr/bin/chromium";
const std::string kDriver = "/usr/bin/chromedriver";
constexpr const char* kElement = "element-6066-11e4-a52e-4f735466cecf";

// One browser session through ChromeDriver.
class Browser {
  public:
    explicit Browser(const std::string& profile)
        : port_(free_loopback_port()),
          driver_({kDriver, "--port=" + std::to_string(port_)}, profile + ".out",
                  profile + ".err") {
        client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
        client_->set_read_timeout(60, 0);
        const auto deadline = Clock::now() + std::chrono::seconds(20);
        while (Clock::now() < deadline) {
            if (auto res = client_->Get("/status"); res && res->status == 200) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        const json args = {"--headless=new",
                           "--no-sandbox",
                           "--disable-gpu",
                           "--disable-dev-shm-usage",
                           "--disable-quic",
                           "--no-first-run",
                           "--disable-background-networking",
                           "--disable-component-update",
                           "--disable-sync",
                           "--user-data-dir=" + profile,
                           "--window-size=1200,900"};
        const json caps = {{"capabilities",
                            {{"alwaysMatch",
                              {{"browserName", "chrome"},
                               {"goog:chromeOptions", {{"binary", kChromium}, {"args", args}}}}}}}};
        const json session = call("POST", "/session", caps);
        session_ = session["value"].value("sessionId", "");
    }
    ~Browser() {
        if (!session_.empty()) call("DELETE", "/session/" + session_, nullptr);
    }

    bool ok() const { return !session_.empty(); }

    void open(const std::string& url) { call("POST", at("/url"), {{"url", url}}); }

    // Runs `script` (a function body) in the page and returns its value.
    json eval(const std::string& script) {
        return call("POST", at("/execute/sync"),
                    {{"script", script}, {"args", json::array()}})["value"];
    }

    // Waits (up to 10 s) until `script` returns true.
    bool until(const std::string& script) {
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (Clock::now() < deadline) {
            if (eval(script) == true) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    // Clicks the element `css` selects, as a user does (WebDriver's element click).
    bool click(const std::string& css) {
        const json found =
            call("POST", at("/element"), {{"using", "css selector"}, {"value", css}})["value"];
        if (!found.contains(kElement)) return false;
        call("POST", at("/element/" + found[kElement].get<std::string>() + "/click"),
             json::object());
        return true;
    }

    void resize(int width, int height) {
        call("POST", at("/window/rect"), {{"width", width}, {"height", height}});
    }

  private:
    std::string at(const std::string& path) const { return "/session/" + session_ + path; }

    json call(const std::string& method, const std::string& path, const json& body) {
        httplib::Result res = method == "POST"
                                  ? client_->Post(path.c_str(), body.dump(), "application/json")
                                  : client_->Delete(path.c_str());
        if (!res) return json::object();
        const json reply = json::parse(res->body, nullptr, false);
        EXPECT_EQ(res->status, 200) << method << " " << path << ": " << res->body;
        return reply.is_discarded() ? json::object() : reply;
    }

    int port_ = 0;
    Background driver_;  // stopped after the session is deleted
    std::unique_ptr<httplib::Client> client_;
    std::string session_;
};

class PageTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::error_code ec;
        if (!fs::exists(kChromium, ec) || !fs::exists(kDriver, ec))
            GTEST_SKIP() << "Chromium or ChromeDriver is not installed (" << kChromium << ", "
                         << kDriver << "): run scripts/install-deps.sh --tests";
        ASSERT_EQ(run_command({kIndexer, kSamples}, dir_.path().string()).exit_code, 0);
        server_ = std::make_unique<ServerProcess>(kSearcher, std::vector<std::string>{},
                                                  dir_.path().string());
        ASSERT_NE(server_->port(), 0) << server_->log();
        browser_ = std::make_unique<Browser>(dir_ / "profile");
        ASSERT_TRUE(browser_->ok()) << "no WebDriver session";
    }
    void TearDown() override {
        browser_.reset();
        server_.reset();
    }
    std::string page(const std::string& query) const {
        return "http://127.0.0.1:" + std::to_string(server_->port()) + "/" + query;
    }

    TempDir dir_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<Browser> browser_;
};

TEST_F(PageTest, ShowsHitsWithHighlightsATimelineAndFacetsThatNarrow) {
    Browser& b = *browser_;
    b.open(page("?q=security+guarantees"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit').length > 0"));
    // The hits, in the order of the JSON API, with the words highlighted.
    EXPECT_EQ(b.eval("return document.querySelectorAll('#hits .hit').length"), 10);
    EXPECT_EQ(b.eval("return document.querySelector('#hits .hit h3 a').textContent"),
              "Talks end with offer of security guarantees for the border region");
    EXPECT_EQ(b.eval("return document.querySelector('#hits .hit h3 a').href"),
              "https://news.example.org/2022/02/08/talks-end-with-offer");
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#hits .hit:first-child mark')]"
                     ".map(m => m.textContent).join('|')"),
              "security|guarantees");
    EXPECT_EQ(b.eval("return document.getElementById('status').textContent.split(' \\u00b7 ')[0]"),
              "1\u201310 of 13 results");
    // The timeline: a bar per month from the first match to the last, its counts adding up.
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#chart svg rect')]"
                     ".reduce((n, r) => n + Number(r.dataset.count), 0)"),
              13);
    EXPECT_EQ(b.eval("return document.querySelector('#chart svg rect').dataset.period"), "2021-12");
    // Facets as counts; a click on a site narrows the results to it, in the URL too.
    EXPECT_EQ(b.eval("return document.querySelector("
                     "'#facets [data-facet=site] li:first-child').textContent"),
              "news.example.org4");
    ASSERT_TRUE(
        b.click("#facets a[data-field=site][data-value='www.coastal-herald.example.co.uk']"));
    ASSERT_TRUE(b.until("return location.search.includes('site=')"));
    ASSERT_TRUE(
        b.until("return document.getElementById('status').textContent.startsWith("
                "'1\\u20133 of 3 results')"));
    EXPECT_EQ(b.eval("return location.search"),
              "?q=security+guarantees&site=www.coastal-herald.example.co.uk");
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#hits .meta')]"
                     ".every(m => m.textContent.includes('www.coastal-herald.example.co.uk'))"),
              true);
    EXPECT_EQ(b.eval("return document.getElementById('site').value"),
              "www.coastal-herald.example.co.uk");
    // Every resource the page loaded came from the server itself.
    EXPECT_EQ(b.eval("return performance.getEntriesByType('resource')"
                     ".every(e => e.name.startsWith(location.origin + '/'))"),
              true);
}

// Issue #29, item 1: "Share of all" draws each period's share of all its articles with the
// same filters (bars as tall as the shares), the facets' shares, and links the table as CSV.
TEST_F(PageTest, ShareDrawsSharesOfAllArticlesAndLinksTheCsv) {
    Browser& b = *browser_;
    b.open(page("?q=security+guarantees&share=1&timeline=year"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#chart svg rect').length > 0"));
    EXPECT_EQ(b.eval("return document.getElementById('share').checked"), true);
    EXPECT_EQ(b.eval("return document.getElementById('chart').dataset.measure"), "share");
    // 2021: 1 of 7 articles, 2022: 10 of 17, 2023: 2 of 10 (the samples' files).
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#chart svg rect')]"
                     ".map(r => r.dataset.period + '=' + r.dataset.count + '/' + r.dataset.all)"
                     ".join(' ')"),
              "2021=1/7 2022=10/17 2023=2/10");
    EXPECT_EQ(b.eval("return document.querySelector('#chart svg rect title').textContent"),
              "2021: 1 of 7 (14.29%)");
    // The tallest bar is the greatest share, and the heights are in the shares' proportion.
    EXPECT_EQ(b.eval("const h = [...document.querySelectorAll('#chart svg rect')]"
                     ".map(r => Number(r.getAttribute('height')));"
                     "return Math.abs(h[0] / h[1] - (1 / 7) / (10 / 17)) < 0.01 && "
                     "Math.abs(h[2] / h[1] - (2 / 10) / (10 / 17)) < 0.01"),
              true);
    EXPECT_EQ(b.eval("return document.querySelector("
                     "'#facets [data-facet=site] li:first-child').textContent"),
              "news.example.org4 of 757.14%");
    // The CSV link is the same search as a table.
    EXPECT_EQ(b.eval("return new URL(document.getElementById('csv-link').href).searchParams"
                     ".get('format')"),
              "csv");
    EXPECT_EQ(b.eval("return fetch(document.getElementById('csv-link').href).then(r => r.text())"
                     ".then(t => t.split('\\n').slice(0, 2).join('|'))"),
              "query,table,value,start,count,all,share,score|security guarantees,timeline,2021,"
              "2021-01-01,1,7,0.1428571429,");
    // Switched off: counts again, and the URL says so.
    ASSERT_TRUE(b.click("#share"));
    ASSERT_TRUE(b.until("return document.getElementById('chart').dataset.measure == 'count'"));
    EXPECT_EQ(b.eval("return location.search.includes('share')"), false);
    EXPECT_EQ(b.eval("return document.querySelectorAll('#facets .share').length"), 0);
}

// Issue #29, item 2: compared queries are lines over one span with a legend, their counts those
// of the JSON API; with shares, a line breaks where a period has no article.
TEST_F(PageTest, CompareDrawsALinePerQueryWithALegend) {
    Browser& b = *browser_;
    b.open(page("?q=security+guarantees&compare=rail+link&compare=ceasefire&timeline=year"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#chart svg path').length == 3"));
    EXPECT_EQ(b.eval("return document.getElementById('compare').value"), "rail link; ceasefire");
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#chart .legend li')]"
                     ".map(li => li.textContent).join('|')"),
              "security guarantees 13|rail link 3|ceasefire 2");
    // A point per year and query, its count that of the query's own search.
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#chart svg circle')]"
                     ".map(c => c.dataset.period + '=' + c.dataset.count).join(' ')"),
              "2021=1 2022=10 2023=2 2021=0 2022=0 2023=3 2021=0 2022=2 2023=0");
    EXPECT_EQ(b.eval("return fetch('/search?q=ceasefire&timeline=year').then(r => r.json())"
                     ".then(j => j.timeline.buckets.map(x => x.period + '=' + x.count).join(' '))"),
              "2022=2");
    // The colours of the lines are the legend's.
    EXPECT_EQ(b.eval("const lines = [...document.querySelectorAll('#chart svg path')];"
                     "const swatches = [...document.querySelectorAll('#chart .legend .swatch')];"
                     "return lines.every((l, i) => getComputedStyle(swatches[i]).backgroundColor =="
                     " getComputedStyle(l).stroke)"),
              true);
    // The compared queries go into the URL one parameter each, and come back from it.
    b.eval("document.getElementById('compare').value = 'rail link; harbour';"
           "document.getElementById('compare').dispatchEvent(new Event('change')); return true");
    ASSERT_TRUE(b.until("return location.search.includes('compare=harbour')"));
    EXPECT_EQ(b.eval("return new URLSearchParams(location.search).getAll('compare').join('|')"),
              "rail link|harbour");
    ASSERT_TRUE(b.until("return [...document.querySelectorAll('#chart .legend li')]"
                        ".map(li => li.dataset.query).join('|') == 'security guarantees|rail link|harbour'"));
}

// Issue #29, item 3: "Key words" lists the words of the JSON API's --significant, with their
// stories; a click searches the word within the matches.
TEST_F(PageTest, KeyWordsListTheSignificantWords) {
    Browser& b = *browser_;
    b.open(page("?q=security+guarantees&significant=1"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#words li[data-word]').length > 0"));
    EXPECT_EQ(b.eval("return document.getElementById('significant').checked"), true);
    const std::string shown = b.eval("return [...document.querySelectorAll('#words li')]"
                                     ".map(li => li.dataset.word + '=' + "
                                     "li.querySelector('.count').textContent.split(' ')[0]).join(' ')")
                                  .get<std::string>();
    const std::string api =
        b.eval("return fetch('/search?q=security+guarantees&significant=15').then(r => r.json())"
               ".then(j => j.significant.words.map(w => w.word + '=' + w.count).join(' '))")
            .get<std::string>();
    EXPECT_EQ(shown, api);
    EXPECT_NE(api, "");
    EXPECT_EQ(b.eval("return document.getElementById('words-against').textContent.startsWith("
                     "'13 matching stories against the ')"),
              true)
        << b.eval("return document.getElementById('words-against').textContent");
    const std::string first =
        b.eval("return document.querySelector('#words li').dataset.word").get<std::string>();
    ASSERT_TRUE(b.click("#words li a"));
    ASSERT_TRUE(b.until("return new URLSearchParams(location.search).get('q') == "
                        "'(security guarantees) AND \"" + first + "\"'"));
}

// Issue #29, item 4: "Origin of the passage" lists the articles that carry the query's passage,
// earliest first, as the JSON API's origin= does.
TEST_F(PageTest, OriginListsTheCarriersEarliestFirst) {
    Browser& b = *browser_;
    b.open(page("?q=written+security+guarantees+would+be+sent+within+a+week&origin=1"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .carrier').length > 0"));
    EXPECT_EQ(b.eval("return document.getElementById('origin').checked"), true);
    const std::string shown =
        b.eval("return [...document.querySelectorAll('#hits .carrier')].map(li => li.dataset.url"
               " + '=' + li.dataset.whole).join(' ')")
            .get<std::string>();
    const std::string api =
        b.eval("return fetch('/search?origin=written+security+guarantees+would+be+sent+within+a+"
               "week').then(r => r.json()).then(j => j.carriers.map(c => c.url + '=' + "
               "(c.whole ? 1 : 0)).join(' '))")
            .get<std::string>();
    EXPECT_EQ(shown, api);
    EXPECT_EQ(b.eval("return document.getElementById('status').textContent.startsWith("
                     "'the passage (9 words) is in ')"),
              true)
        << b.eval("return document.getElementById('status').textContent");
    EXPECT_EQ(b.eval("return document.querySelector('#hits .carrier .meta').textContent"
                     ".startsWith('first \\u00b7 2022-02-08')"),
              true)
        << b.eval("return document.querySelector('#hits .carrier .meta').textContent");
}

// Issue #29, item 5: "Words in context" shows each hit's lines of the JSON API's kwic=5.
TEST_F(PageTest, WordsInContextUnderEachHit) {
    Browser& b = *browser_;
    b.open(page("?q=security+guarantees&kwic=1"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit .kwic li').length > 0"));
    const std::string shown =
        b.eval("return [...document.querySelector('#hits .hit').querySelectorAll('.kwic li')]"
               ".map(li => li.querySelector('mark').textContent).join('|')")
            .get<std::string>();
    const std::string api =
        b.eval("return fetch('/search?q=security+guarantees&kwic=5&limit=1').then(r => r.json())"
               ".then(j => j.results[0].kwic.map(k => k.keyword).join('|'))")
            .get<std::string>();
    EXPECT_EQ(shown, api);
    EXPECT_EQ(shown, "security guarantees|security guarantees|guarantees");
}

TEST_F(PageTest, CollapseShowsSimilarCopiesAndPagingKeepsTheState) {
    Browser& b = *browser_;
    b.open(page("?q=rail+link&collapse=1"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit').length > 0"));
    EXPECT_EQ(b.eval("return document.getElementById('collapse').checked"), true);
    // Two stories: one page, no pager.
    EXPECT_EQ(b.eval("return getComputedStyle(document.getElementById('pager')).display"), "none");
    EXPECT_EQ(b.eval("return document.querySelector('#hits .hit .similar').textContent"),
              "+1 similar");
    EXPECT_EQ(b.eval("return document.querySelector('#hits .hit .trail').firstChild.textContent"),
              "ran it first");
    ASSERT_TRUE(b.click("#hits .hit .similar"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit .copies li').length == 2"));
    EXPECT_EQ(b.eval("return document.querySelectorAll('#hits .hit .copies li')[1].textContent"),
              "2023-04-04 \u00b7 www.harbourtimes.example.com \u00b7 Cross-border rail link "
              "reopens after nine years");
    // Paging: the next page is offset=10 in the URL, and back goes back.
    b.open(page("?q=security"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit').length == 10"));
    ASSERT_TRUE(b.click("#next"));
    ASSERT_TRUE(b.until("return location.search == '?q=security&offset=10'"));
    ASSERT_TRUE(
        b.until("return document.getElementById('status').textContent.startsWith('11\\u2013')"));
    EXPECT_EQ(b.eval("return document.getElementById('prev').disabled"), false);
    b.eval("history.back(); return true");
    ASSERT_TRUE(
        b.until("return document.getElementById('status').textContent.startsWith('1\\u2013')"));
    // A bad query says why, from the JSON error.
    b.open(page("?q=%22security&since=notadate"));
    ASSERT_TRUE(b.until("return !document.getElementById('error').hidden"));
    EXPECT_EQ(b.eval("return document.getElementById('error').textContent.startsWith('since: ')"),
              true)
        << b.eval("return document.getElementById('error').textContent");
}

// Issue #26: an Arabic hit reads right to left; a partial answer (a remote shard left out) says
// so above the hits, with the server's notes; the two labels under a timeline of few bars do
// not overlap; a month timeline over 29 years is drawn by year, not as 342 hair-thin bars.
TEST_F(PageTest, ArabicRightToLeftAPartialAnswerAndATimelineThatFits) {
    TempDir other;
    fs::create_directories(other / "c");
    fs::copy_file(std::string(NEWSIDX_TEST_DATA) + "/multilingual/ar-mustashfa.txt",
                  other / "c/ar-mustashfa.txt");
    write_file(other / "c/old.txt", article_text("Harbour dues rise", "1987-01-05",
                                                 "https://example.org/1987/harbour",
                                                 "The harbour board raised its dues."));
    write_file(other / "c/new.txt", article_text("Harbour dues fall", "2015-08-10",
                                                 "https://example.org/2015/harbour",
                                                 "The harbour board cut its dues again."));
    ASSERT_EQ(run_command({kIndexer, "--quiet", "c"}, other.path().string()).exit_code, 0);
    const std::string down = "127.0.0.1:" + std::to_string(free_loopback_port());
    write_file(other / "set.stub", "auto newsidx.db\nremote :" + down + "\n");
    ServerProcess server(kSearcher, {"--db", "set.stub", "--allow-partial", "--timeout", "1"},
                         other.path().string());
    ASSERT_NE(server.port(), 0) << server.log();
    const std::string origin = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    Browser& b = *browser_;

    b.open(origin + "?q=" + "%D9%85%D8%B3%D8%AA%D8%B4%D9%81%D9%89");  // مستشفى
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit').length == 1"));
    EXPECT_EQ(b.eval("return getComputedStyle(document.querySelector('#hits .hit h3')).direction"),
              "rtl");
    EXPECT_EQ(b.eval("return getComputedStyle(document.querySelector('#hits .hit .snippet'))"
                     ".direction"),
              "rtl");
    // Right to left: the title ends at the right edge of the results, not the left.
    EXPECT_EQ(b.eval("const a = document.querySelector('#hits .hit h3 a').getBoundingClientRect();"
                     "const r = document.getElementById('hits').getBoundingClientRect();"
                     "return Math.abs(a.right - r.right) < 2 && a.left - r.left > 20"),
              true);
    // The partial answer, said above the hits.
    EXPECT_EQ(b.eval("return document.getElementById('partial').hidden"), false);
    EXPECT_EQ(b.eval("return document.getElementById('partial').textContent"
                     ".startsWith('Partial answer: left out " + down + ": ')"),
              true)
        << b.eval("return document.getElementById('partial').textContent");

    b.open(origin + "?q=harbour+dues");
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit').length == 2"));
    EXPECT_EQ(b.eval("return document.getElementById('chart').dataset.period"), "year");
    EXPECT_EQ(b.eval("return document.querySelectorAll('#chart svg rect').length"), 29);
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#chart svg rect')]"
                     ".reduce((n, r) => n + Number(r.dataset.count), 0)"),
              2);
    EXPECT_EQ(b.eval("return document.querySelector('#chart p').textContent"),
              "by year: 344 months are too many to draw");

    // Few bars (five months of "election" in the samples): the labels under them stay apart.
    b.open(page("?q=election"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#chart svg rect').length == 5"));
    EXPECT_EQ(b.eval("const t = [...document.querySelectorAll('#chart svg text')]"
                     ".map(e => e.getBoundingClientRect());"
                     "return t.every((a, i) => t.every((c, j) => i >= j || a.right <= c.left || "
                     "c.right <= a.left))"),
              true);
}

TEST_F(PageTest, FitsAPhoneScreen) {
    Browser& b = *browser_;
    b.resize(390, 844);
    b.open(page("?q=security+guarantees&collapse=1"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit').length > 0"));
    EXPECT_EQ(b.eval("return document.documentElement.scrollWidth <= window.innerWidth"), true)
        << b.eval("return document.documentElement.scrollWidth + ' > ' + window.innerWidth");
    // The results first, the timeline and facets after them.
    EXPECT_EQ(b.eval("return document.getElementById('results').getBoundingClientRect().top < "
                     "document.getElementById('side').getBoundingClientRect().top"),
              true);
    EXPECT_EQ(b.eval("return document.getElementById('hits').getBoundingClientRect().top < "
                     "window.innerHeight / 2"),
              true);
}

// Issue #30, item 5: the alerts view lists each saved search with its latest alerts, and where
// each alert's story ran since; the search view offers to save the search.
TEST_F(PageTest, TheAlertsViewListsSavedSearchesAndTheirStories) {
    const std::string cwd = dir_.path().string();
    ASSERT_EQ(run_command({kSearcher, "--alert-add", "guarantees", "security guarantees"}, cwd).exit_code, 0);
    ASSERT_EQ(run_command({kSearcher, "--alert-add", "quiet", "--site", "nowhere.example", "budget"}, cwd).exit_code, 0);
    const std::string body =
        "Two neighbouring states signed a pact on Friday that sets out security guarantees for "
        "the river delta, where fishing boats from both sides have clashed for a decade. The pact "
        "creates a joint patrol, a hotline between the two coast guards and a commission that "
        "meets every three months.";
    write_file(dir_ / "more/pact.txt", article_text("Pact on security guarantees for the delta", "2026-12-04",
                                                    "https://news.example.org/2026/12/04/delta-pact", body));
    ASSERT_EQ(run_command({kIndexer, "more"}, cwd).exit_code, 0);
    CommandResult r = run_command({kSearcher, "--alerts-check"}, cwd);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // A copy on another site comes later: no alert, but the view lists it with the story.
    write_file(dir_ / "more/pact-wire.txt", article_text("Pact on security guarantees for the delta", "2026-12-05",
                                                         "https://wire.example.com/delta-pact", body));
    ASSERT_EQ(run_command({kIndexer, "more"}, cwd).exit_code, 0);
    r = run_command({kSearcher, "--alerts-check"}, cwd);
    ASSERT_EQ(r.exit_code, 1) << r.err;

    Browser& b = *browser_;
    b.open(page("?q=security+guarantees"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .hit').length > 0"));
    EXPECT_EQ(b.eval("return document.getElementById('save-alert').hidden"), false);
    ASSERT_TRUE(b.click("#alerts-link"));
    ASSERT_TRUE(b.until("return document.querySelectorAll('#hits .saved').length === 2"));
    EXPECT_EQ(b.eval("return location.search"), "?view=alerts");
    EXPECT_EQ(b.eval("return document.getElementById('save-alert').hidden"), true);
    EXPECT_EQ(b.eval("return [...document.querySelectorAll('#hits .saved h2')].map(h => h.textContent).join('|')"),
              "guarantees: security guarantees|quiet: budget site:nowhere.example");
    EXPECT_EQ(b.eval("return document.querySelector('[data-name=guarantees] .alert h3 a').href"),
              "https://news.example.org/2026/12/04/delta-pact");
    const json meta = b.eval("return document.querySelector('[data-name=guarantees] .alert .meta').textContent");
    EXPECT_TRUE(meta.get<std::string>().starts_with(
        "#1 \u00b7 2026-12-04 \u00b7 news.example.org \u00b7 also ran on 1 other site: wire.example.com"))
        << meta;
    EXPECT_EQ(b.eval("return document.querySelectorAll('[data-name=quiet] .alert').length"), 0);
    EXPECT_EQ(b.eval("return document.querySelector('[data-name=quiet] .meta').textContent"),
              "0 alerts \u00b7 checked up to change 3");
}

}  // namespace
}  // namespace newsidx::test
