#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/fetch.h"
#include "engine/core/jobs.h"
#include "temp_dir.h"

extern char** environ;

namespace zw::core {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::vector<uint8_t> some_bytes(size_t size, unsigned seed) {
    std::mt19937 random(seed);
    std::vector<uint8_t> bytes(size);
    for (auto& b : bytes)
        b = uint8_t(random());
    bytes[0] = 0;  // a zero byte, so nothing stops at one
    return bytes;
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
}

// The message of the zw::Error that `uri` fails with ("" and a test failure if none).
std::string error_of(const std::string& uri, const FetchOptions& options = {}) {
    try {
        fetch(uri, options);
    } catch (const zw::Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << uri << ": not a zw::Error: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << uri << ": no error";
    return "";
}

TEST(FetchFile, ReadsAPlainPath) {
    test::TempDir dir;
    const auto bytes = some_bytes(300 * 1024 + 7, 1);
    write_file(dir.path() / "tile.b3dm", bytes);
    EXPECT_EQ(fetch((dir.path() / "tile.b3dm").string()), bytes);

    write_file(dir.path() / "empty.json", {});
    EXPECT_TRUE(fetch((dir.path() / "empty.json").string()).empty());
}

TEST(FetchFile, ReadsAFileUriWithEscapes) {
    test::TempDir dir;
    const auto bytes = some_bytes(1000, 2);
    write_file(dir.path() / "with space.json", bytes);
    const std::string uri = "file://" + dir.path().generic_string() + "/with%20space.json";
    EXPECT_EQ(fetch(uri), bytes);
}

TEST(FetchFile, MissingFileNamesThePath) {
    test::TempDir dir;
    const std::string path = (dir.path() / "missing.json").string();
    const std::string message = error_of(path);
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("no such file"), std::string::npos) << message;
}

TEST(FetchFile, DirectoryIsAnError) {
    test::TempDir dir;
    const std::string message = error_of(dir.path().string());
    EXPECT_NE(message.find("is a directory"), std::string::npos) << message;
}

// `fn` run as user and group `nobody` (65534) in a child process when we are root (root
// reads any file; CI runs as root), else in this process. Returns what `fn` returned.
std::string as_unprivileged_user(const std::function<std::string()>& fn) {
    if (geteuid() != 0) return fn();
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return "pipe() failed";
    const pid_t pid = fork();
    if (pid == 0) {
        close(pipe_fds[0]);
        std::string out = setgroups(0, nullptr) == 0 && setgid(65534) == 0 && setuid(65534) == 0
                              ? fn()
                              : std::string("could not become nobody: ") + std::strerror(errno);
        const ssize_t written = write(pipe_fds[1], out.data(), out.size());
        _exit(written == ssize_t(out.size()) ? 0 : 1);
    }
    close(pipe_fds[1]);
    std::string out;
    char buf[512];
    for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;)
        out.append(buf, size_t(n));
    close(pipe_fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return out;
}

TEST(FetchFile, UnreadableFileIsAnError) {
    test::TempDir dir;
    // The folder is open to everyone: only the file's own permissions stand in the way.
    fs::permissions(dir.path(), fs::perms::all);
    const auto path = dir.path() / "secret.json";
    write_file(path, some_bytes(10, 3));
    fs::permissions(path, fs::perms::none);
    const std::string message = as_unprivileged_user([&] { return error_of(path.string()); });
    EXPECT_NE(message.find("ermission denied"), std::string::npos) << message;
    EXPECT_NE(message.find("secret.json"), std::string::npos) << "the message names the file: " << message;
}

TEST(FetchFile, UnsupportedSchemeIsAnError) {
    const std::string message = error_of("ftp://example.com/tileset.json");
    EXPECT_NE(message.find("unsupported"), std::string::npos) << message;
}

// Starts tests/tools/serve_http.py serving `files` (with `extra` arguments) and waits for
// its port; sets `pid` and `base` ("<scheme>://127.0.0.1:<port>"). "" or what went wrong.
std::string spawn_server(const fs::path& files, const fs::path& port_file,
                         const std::vector<std::string>& extra, const std::string& scheme, pid_t& pid,
                         std::string& base) {
    const std::string script = std::string(ZW_TOOLS_DIR) + "/serve_http.py";
    std::vector<std::string> args = {"python3",      script,        "--root",
                                     files.string(), "--port-file", port_file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    if (int e = posix_spawnp(&pid, "python3", nullptr, nullptr, argv.data(), environ); e != 0) {
        pid = 0;
        return "cannot start python3 for " + script + ": " + std::strerror(e) +
               " (the HTTP tests need python3; scripts/dev installs it)";
    }
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            pid = 0;
            return script + " exited early (status " + std::to_string(status) + "); see its output above";
        }
        std::ifstream in(port_file);
        if (int port = 0; in >> port && port > 0) {
            base = scheme + "://127.0.0.1:" + std::to_string(port);
            return "";
        }
        std::this_thread::sleep_for(20ms);
    }
    return script + " did not write its port file within 10 s";
}

void stop_server(pid_t& pid) {
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        pid = 0;
    }
}

// The FetchError that `uri` fails with (kind `other` and a test failure if none).
FetchError fetch_error_of(const std::string& uri, const FetchOptions& options = {}) {
    try {
        fetch(uri, options);
    } catch (const FetchError& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << uri << ": not a FetchError: " << e.what();
        return FetchError(e.what(), FetchFailure::other);
    }
    ADD_FAILURE() << uri << ": no error";
    return FetchError("", FetchFailure::other);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string text_of(const std::vector<uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

// One tests/tools/serve_http.py for the whole suite, serving a temporary folder.
class FetchHttp : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // A proxy from the environment must not intercept requests to 127.0.0.1.
        setenv("no_proxy", "127.0.0.1,localhost", 1);
        setenv("NO_PROXY", "127.0.0.1,localhost", 1);
        root_ = fs::temp_directory_path() / ("zw_unit_FetchHttp_" + std::to_string(std::random_device{}()));
        fs::create_directories(root_ / "files");
        write_file(root_ / "files" / "tile.b3dm", some_bytes(512 * 1024 + 3, 4));
        write_file(root_ / "files" / "dir" / "with space.json", some_bytes(100, 5));
        setup_error_ = start_server();
    }

    static void TearDownTestSuite() {
        stop_server(server_);
        std::error_code ec;
        fs::remove_all(root_, ec);
    }

    void SetUp() override {
        if (!setup_error_.empty()) FAIL() << setup_error_;
    }

    static std::string start_server() {
        return spawn_server(root_ / "files", root_ / "port", {}, "http", server_, base_);
    }

    static const std::vector<uint8_t>& tile() {
        static const auto bytes = some_bytes(512 * 1024 + 3, 4);
        return bytes;
    }

    static inline fs::path root_;
    static inline pid_t server_ = 0;
    static inline std::string base_;
    static inline std::string setup_error_;
};

// A port nothing listens on: bound by the OS, then released.
int closed_port() {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(bind(s, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(getsockname(s, reinterpret_cast<sockaddr*>(&address), &length), 0);
    close(s);
    return ntohs(address.sin_port);
}

TEST_F(FetchHttp, ReturnsTheExactBytes) {
    EXPECT_EQ(fetch(base_ + "/tile.b3dm"), tile());
    EXPECT_EQ(fetch(base_ + "/dir/with%20space.json"), some_bytes(100, 5));
    EXPECT_EQ(fetch(base_ + "/tile.b3dm"), tile());  // again, on the kept-alive connection
}

TEST_F(FetchHttp, DecodesGzip) {
    EXPECT_EQ(fetch(base_ + "/__gzip/tile.b3dm"), tile());
}

TEST_F(FetchHttp, NotFoundNamesStatusAndUri) {
    const std::string message = error_of(base_ + "/missing.json");
    EXPECT_NE(message.find("HTTP 404 Not Found"), std::string::npos) << message;
    EXPECT_NE(message.find(base_ + "/missing.json"), std::string::npos) << message;
    EXPECT_NE(error_of(base_ + "/__status/503").find("HTTP 503 Service Unavailable"), std::string::npos);
}

TEST_F(FetchHttp, ErrorsHideCredentialsAndQuery) {
    const std::string uri = base_ + "/__status/403?token=hunter2";
    const std::string message = error_of(uri.substr(0, 7) + "user:hunter2@" + uri.substr(7));
    EXPECT_NE(message.find("HTTP 403"), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST_F(FetchHttp, ClosedPortIsNotReachable) {
    const std::string message =
        error_of("http://127.0.0.1:" + std::to_string(closed_port()) + "/tileset.json");
    EXPECT_NE(message.find("not reachable"), std::string::npos) << message;
}

TEST_F(FetchHttp, TruncatedBodyIsAnError) {
    const std::string message = error_of(base_ + "/__truncate/tile.b3dm");
    EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST_F(FetchHttp, FollowsUpToFiveRedirects) {
    EXPECT_EQ(fetch(base_ + "/__redirect/5/tile.b3dm"), tile());
    const std::string message = error_of(base_ + "/__redirect/6/tile.b3dm");
    EXPECT_NE(message.find("redirects"), std::string::npos) << message;
}

TEST_F(FetchHttp, SlowServerTimesOut) {
    FetchOptions options;
    options.timeout_s = 1;
    const std::string message = error_of(base_ + "/__delay/3000/tile.b3dm", options);
    EXPECT_NE(message.find("timed out"), std::string::npos) << message;
}

TEST_F(FetchHttp, TlsToAPlainServerIsAnError) {
    const std::string message = error_of("https" + base_.substr(4) + "/tile.b3dm");
    EXPECT_NE(message.find("TLS"), std::string::npos) << message;
}

TEST_F(FetchHttp, ManyThreadsAtOnce) {
    JobSystem jobs(4);
    std::atomic<int> good{0};
    for (int i = 0; i < 40; ++i) {
        jobs.submit(0, [&good, i] {
            const auto bytes = fetch(base_ + (i % 2 ? "/tile.b3dm" : "/__gzip/tile.b3dm"));
            if (bytes == tile()) ++good;
        });
    }
    jobs.wait_idle();
    EXPECT_EQ(good, 40);
}

TEST(UriOrigin, SchemeHostAndPort) {
    EXPECT_EQ(uri_origin("https://Example.ORG/citizen/twin.json"), "https://example.org:443");
    EXPECT_EQ(uri_origin("HTTP://example.org"), "http://example.org:80");
    EXPECT_EQ(uri_origin("https://example.org:8443/a?b#c"), "https://example.org:8443");
    EXPECT_EQ(uri_origin("https://example.org:443/"), "https://example.org:443");
    EXPECT_EQ(uri_origin("https://example.org:/x"), "https://example.org:443");
    EXPECT_EQ(uri_origin("https://user:pw@example.org:0443/x"), "https://example.org:443");
    EXPECT_EQ(uri_origin("https://example.org?x=1"), "https://example.org:443");
    EXPECT_EQ(uri_origin("http://[::1]:8080/t.json"), "http://[::1]:8080");
    EXPECT_EQ(uri_origin("https://[2001:DB8::1]/"), "https://[2001:db8::1]:443");
    // A user name that looks like a host does not change the origin.
    EXPECT_EQ(uri_origin("https://evil.example@town.example/x"), "https://town.example:443");
}

TEST(UriOrigin, EmptyForOtherSchemesAndBrokenAuthorities) {
    EXPECT_EQ(uri_origin("file:///srv/zwilling/citizen/twin.json"), "");
    EXPECT_EQ(uri_origin("/srv/zwilling/citizen/twin.json"), "");
    EXPECT_EQ(uri_origin("ftp://example.org/x"), "");
    EXPECT_EQ(uri_origin("https:///x"), "");
    EXPECT_EQ(uri_origin("https://example.org:99999/"), "");
    EXPECT_EQ(uri_origin("https://example.org:0/"), "");
    EXPECT_EQ(uri_origin("https://example.org:44a/"), "");
    EXPECT_EQ(uri_origin("https://[::1/"), "");
    EXPECT_EQ(uri_origin(""), "");
}

TEST(FetchFile, MissingFileIsNotFound) {
    test::TempDir dir;
    const FetchError e = fetch_error_of((dir.path() / "missing.json").string());
    EXPECT_EQ(e.kind(), FetchFailure::not_found);
    EXPECT_EQ(e.http_status(), 0);
}

TEST_F(FetchHttp, StatusesHaveKinds) {
    FetchError e = fetch_error_of(base_ + "/missing.json");
    EXPECT_EQ(e.kind(), FetchFailure::not_found);
    EXPECT_EQ(e.http_status(), 404);
    e = fetch_error_of(base_ + "/__status/503");
    EXPECT_EQ(e.kind(), FetchFailure::other);
    EXPECT_EQ(e.http_status(), 503);
    e = fetch_error_of("http://127.0.0.1:" + std::to_string(closed_port()) + "/tileset.json");
    EXPECT_EQ(e.kind(), FetchFailure::unreachable);
    FetchOptions slow;
    slow.timeout_s = 1;
    EXPECT_EQ(fetch_error_of(base_ + "/__delay/3000/tile.b3dm", slow).kind(), FetchFailure::timeout);
    EXPECT_EQ(fetch_error_of("https" + base_.substr(4) + "/tile.b3dm").kind(), FetchFailure::tls);
}

FetchOptions with_credentials(const std::string& origin, const std::string& user = "zw",
                              const std::string& password = "s3cret:pw") {
    FetchOptions options;
    options.credentials = Credentials{user, password};
    options.credentials_origin = origin;
    return options;
}

// "zw:s3cret:pw" in Base64: a password may hold colons.
constexpr const char* zw_basic = "Basic enc6czNjcmV0OnB3";

TEST_F(FetchHttp, CredentialsGoToTheirOrigin) {
    EXPECT_EQ(text_of(fetch(base_ + "/__authorization", with_credentials(uri_origin(base_)))), zw_basic);
    // Same origin through same-origin redirects.
    EXPECT_EQ(text_of(fetch(base_ + "/__redirect/2/__authorization", with_credentials(uri_origin(base_)))),
              zw_basic);
    // Nothing when no credentials are given.
    EXPECT_EQ(text_of(fetch(base_ + "/__authorization")), "-");
}

TEST_F(FetchHttp, CredentialsAreNotSentToAnotherOrigin) {
    // Another port, another host name for the same server, no origin at all.
    const std::string port = base_.substr(base_.rfind(':') + 1);
    EXPECT_EQ(text_of(fetch(base_ + "/__authorization", with_credentials("http://127.0.0.1:1"))), "-");
    EXPECT_EQ(text_of(fetch(base_ + "/__authorization", with_credentials("https://127.0.0.1:" + port))), "-");
    EXPECT_EQ(text_of(fetch(base_ + "/__authorization", with_credentials("http://localhost:" + port))), "-");
    EXPECT_EQ(text_of(fetch(base_ + "/__authorization", with_credentials(""))), "-");
}

TEST_F(FetchHttp, CredentialsAreNotSentAfterACrossOriginRedirect) {
    const FetchOptions options = with_credentials(uri_origin(base_));
    // 127.0.0.1 -> localhost (the same server under another origin).
    EXPECT_EQ(text_of(fetch(base_ + "/__redirect_host/localhost/__authorization", options)), "-");
    // ... and back to 127.0.0.1: once the chain left the origin, they stay unsent.
    EXPECT_EQ(text_of(fetch(base_ + "/__redirect_host/localhost/__redirect_host/127.0.0.1/__authorization",
                            options)),
              "-");
    // The next request to the origin carries them again.
    EXPECT_EQ(text_of(fetch(base_ + "/__authorization", options)), zw_basic);
}

TEST_F(FetchHttp, UnauthorizedSaysWhatToDo) {
    const std::string uri = base_ + "/__auth/zw/s3cret:pw/tile.b3dm";
    // No credentials: the server asks for them.
    FetchError e = fetch_error_of(uri);
    EXPECT_EQ(e.kind(), FetchFailure::unauthorized);
    EXPECT_EQ(e.http_status(), 401);
    EXPECT_TRUE(contains(e.what(), "(HTTP 401)")) << e.what();
    EXPECT_TRUE(contains(e.what(), "--credentials")) << e.what();
    // Wrong password: refused.
    e = fetch_error_of(uri, with_credentials(uri_origin(base_), "zw", "wrong"));
    EXPECT_EQ(e.kind(), FetchFailure::unauthorized);
    EXPECT_TRUE(contains(e.what(), "the server refused the user name or password (HTTP 401) for " + uri))
        << e.what();
    EXPECT_FALSE(contains(e.what(), "wrong")) << e.what();
    // Right password, but for another origin: not sent, so still 401.
    EXPECT_EQ(fetch_error_of(uri, with_credentials("http://example.org")).kind(), FetchFailure::unauthorized);
    // Right password: the file.
    EXPECT_EQ(fetch(uri, with_credentials(uri_origin(base_))), tile());
}

TEST_F(FetchHttp, ForbiddenSaysTheAccountMayNotRead) {
    const std::string uri = base_ + "/__status/403";
    const FetchError e = fetch_error_of(uri, with_credentials(uri_origin(base_)));
    EXPECT_EQ(e.kind(), FetchFailure::forbidden);
    EXPECT_EQ(e.http_status(), 403);
    EXPECT_TRUE(contains(e.what(), "this account may not read " + uri + " (HTTP 403)")) << e.what();
}

// serve_http.py over https with a certificate from a test CA made with the openssl CLI.
class FetchHttps : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        setenv("no_proxy", "127.0.0.1,localhost", 1);
        setenv("NO_PROXY", "127.0.0.1,localhost", 1);
        dir_ = fs::temp_directory_path() / ("zw_unit_FetchHttps_" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_ / "files");
        write_file(dir_ / "files" / "twin.json", some_bytes(2000, 6));
        if (std::system("openssl version >/dev/null 2>&1") != 0) {
            skip_ = "the openssl command is not installed (scripts/dev installs it)";
            return;
        }
        // A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA.
        const std::string d = dir_.string();
        const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        const std::string script =
            "cd '" + d + "' && printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext" + " && openssl req -x509" +
            key + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=zw test CA'" + " && openssl req -x509" +
            key + " -keyout other.key -out other_ca.pem -days 2 -subj '/CN=zw other CA'" + " && openssl req" +
            key + " -keyout server.key -out server.csr -subj '/CN=127.0.0.1'" +
            " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2" +
            " -extfile san.ext -out server.pem >/dev/null 2>&1";
        if (std::system(("(" + script + ") >/dev/null 2>&1").c_str()) != 0) {
            setup_error_ = "openssl could not make the test certificates in " + d;
            return;
        }
        setup_error_ = spawn_server(dir_ / "files", dir_ / "port",
                                    {"--tls-cert", d + "/server.pem", "--tls-key", d + "/server.key"},
                                    "https", server_, base_);
    }

    static void TearDownTestSuite() {
        stop_server(server_);
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    void SetUp() override {
        if (!skip_.empty()) GTEST_SKIP() << skip_;
        if (!setup_error_.empty()) FAIL() << setup_error_;
    }

    static FetchOptions with_ca(const std::string& file) {
        FetchOptions options;
        options.ca_file = (dir_ / file).string();
        return options;
    }

    static inline fs::path dir_;
    static inline pid_t server_ = 0;
    static inline std::string base_, skip_, setup_error_;
};

TEST_F(FetchHttps, TheGivenCaIsTrusted) {
    EXPECT_EQ(fetch(base_ + "/twin.json", with_ca("ca.pem")), some_bytes(2000, 6));
}

TEST_F(FetchHttps, AnUntrustedCertificateSaysGiveTheCa) {
    for (const FetchOptions& options : {FetchOptions{}, with_ca("other_ca.pem")}) {
        const FetchError e = fetch_error_of(base_ + "/twin.json", options);
        EXPECT_EQ(e.kind(), FetchFailure::tls);
        EXPECT_TRUE(contains(e.what(), "certificate is not trusted")) << e.what();
        EXPECT_TRUE(contains(e.what(), "--ca-file")) << e.what();
    }
}

TEST_F(FetchHttps, TheHostNameIsChecked) {
    // The certificate names 127.0.0.1 only.
    const std::string port = base_.substr(base_.rfind(':') + 1);
    const FetchError e = fetch_error_of("https://localhost:" + port + "/twin.json", with_ca("ca.pem"));
    EXPECT_EQ(e.kind(), FetchFailure::tls);
}

TEST_F(FetchHttps, AMissingCaFileIsNamed) {
    const FetchError e = fetch_error_of(base_ + "/twin.json", with_ca("no-such-ca.pem"));
    EXPECT_EQ(e.kind(), FetchFailure::tls);
    EXPECT_TRUE(contains(e.what(), "no-such-ca.pem")) << e.what();
}

}  // namespace
}  // namespace zw::core
