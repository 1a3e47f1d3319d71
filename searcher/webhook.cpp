// Webhook delivery for the alerts: a POST of the alert's JSON with cpp-httplib's client, signed
// with HMAC-SHA256 (OpenSSL, which cpp-httplib links already) when the receiver names a secret.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "serve.hpp"

namespace newsidx::serve {

namespace {

// How long a receiver may take to connect and to answer.
constexpr int kWebhookSeconds = 10;

}  // namespace

std::string signature(const std::string& secret, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
    static const char* hex = "0123456789abcdef";
    std::string out = "sha256=";
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 15];
    }
    return out;
}

alerts::Delivery send_webhook(const alerts::Receiver& receiver, const std::string& body) {
    // scheme://host[:port] and the path.
    const std::size_t host = receiver.target.find("://") + 3;
    const std::size_t slash = receiver.target.find('/', host);
    const std::string origin = receiver.target.substr(0, slash);
    const std::string path = slash == std::string::npos ? "/" : receiver.target.substr(slash);
    httplib::Client client(origin);
    client.set_connection_timeout(kWebhookSeconds, 0);
    client.set_read_timeout(kWebhookSeconds, 0);
    client.set_write_timeout(kWebhookSeconds, 0);
    httplib::Headers headers{{"User-Agent", "newsidx-alerts"}};
    // The alert's number: a receiver that answered but was not heard (a timeout) gets the
    // alert again, and can tell.
    try {
        headers.emplace("X-Newsidx-Alert",
                        std::to_string(nlohmann::json::parse(body).value("n", std::uint64_t{0})));
    } catch (const nlohmann::json::exception&) {
    }
    if (!receiver.secret_env.empty()) {
        const char* secret = std::getenv(receiver.secret_env.c_str());
        if (!secret || !*secret)
            return {false, "the secret's variable " + receiver.secret_env + " is not set"};
        headers.emplace("X-Newsidx-Signature", signature(secret, body));
    }
    const auto res = client.Post(path, headers, body, "application/json");
    if (!res) {
        const httplib::Error e = res.error();
        return {false, e == httplib::Error::Connection ? "cannot connect"
                       : e == httplib::Error::Read     ? "no answer"
                       : e == httplib::Error::ConnectionTimeout
                           ? "no connection within " + std::to_string(kWebhookSeconds) + " s"
                           : "HTTP client: " + httplib::to_string(e)};
    }
    if (res->status >= 200 && res->status < 300) return {true, ""};
    return {false, "HTTP " + std::to_string(res->status)};
}

}  // namespace newsidx::serve
