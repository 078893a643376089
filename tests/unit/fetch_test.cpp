#include <gtest/gtest.h>

#include <arpa/inet.h>
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

TEST(FetchFile, UnreadableFileIsAnError) {
    if (geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not apply";
    test::TempDir dir;
    const auto path = dir.path() / "secret.json";
    write_file(path, some_bytes(10, 3));
    fs::permissions(path, fs::perms::none);
    const std::string message = error_of(path.string());
    EXPECT_NE(message.find("ermission denied"), std::string::npos) << message;
}

TEST(FetchFile, UnsupportedSchemeIsAnError) {
    const std::string message = error_of("ftp://example.com/tileset.json");
    EXPECT_NE(message.find("unsupported"), std::string::npos) << message;
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
        if (server_ > 0) {
            kill(server_, SIGTERM);
            waitpid(server_, nullptr, 0);
            server_ = 0;
        }
        std::error_code ec;
        fs::remove_all(root_, ec);
    }

    void SetUp() override {
        if (!setup_error_.empty()) FAIL() << setup_error_;
    }

    static std::string start_server() {
        const std::string script = std::string(ZW_TOOLS_DIR) + "/serve_http.py";
        const std::string files = (root_ / "files").string();
        const std::string port_file = (root_ / "port").string();
        std::vector<std::string> args = {"python3", script, "--root", files, "--port-file", port_file};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        if (int e = posix_spawnp(&server_, "python3", nullptr, nullptr, argv.data(), environ); e != 0) {
            server_ = 0;
            return "cannot start python3 for " + script + ": " + std::strerror(e) +
                   " (the HTTP tests need python3; scripts/dev installs it)";
        }
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (waitpid(server_, &status, WNOHANG) == server_) {
                server_ = 0;
                return script + " exited early (status " + std::to_string(status) + "); see its output above";
            }
            std::ifstream in(port_file);
            if (int port = 0; in >> port && port > 0) {
                base_ = "http://127.0.0.1:" + std::to_string(port);
                return "";
            }
            std::this_thread::sleep_for(20ms);
        }
        return script + " did not write its port file within 10 s";
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

}  // namespace
}  // namespace zw::core
