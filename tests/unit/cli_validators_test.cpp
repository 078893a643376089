// The option validators the three command lines share (app/cli/validators.h): what each
// accepts, the exact value it hands on to CLI11, and how a bad value is worded.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "app/cli/validators.h"

namespace {

// Parses `--x VALUE` with `v` on a double option; the value, or the error's text.
struct Parsed {
    double value = 0;
    std::string error;
};
template <typename T>
Parsed parse(const CLI::Validator& v, const std::string& value) {
    CLI::App app;
    T x{};
    app.add_option("--x", x)->transform(v);
    Parsed p;
    try {
        app.parse(std::vector<std::string>{value, "--x"});  // CLI11 takes the vector reversed
        p.value = double(x);
    } catch (const CLI::ParseError& e) {
        p.error = e.what();
    }
    return p;
}

TEST(CliValidators, NumbersReachTheProgramExactlyAsWritten) {
    // Decimals whose strtold rounding could differ in the last bit arrive bit-exact.
    for (const char* s : {"0.1", "0.7", "2.675", "1e-7", "123456.789", "-3.3"}) {
        const Parsed p = parse<double>(zw::cli::number("a number"), s);
        EXPECT_TRUE(p.error.empty()) << s << ": " << p.error;
        EXPECT_EQ(p.value, std::stod(s)) << s;
    }
}

TEST(CliValidators, NumbersOutsideTheRangeOrNotDecimalAreRefusedWithTheRange) {
    const CLI::Validator seconds = zw::cli::above_zero("seconds");
    EXPECT_EQ(parse<double>(seconds, "2.5").value, 2.5);
    for (const char* s : {"0", "-1", "nan", "inf", "0x10", "1,5", " 1", ""}) {
        const Parsed p = parse<double>(seconds, s);
        EXPECT_NE(p.error.find("expects seconds above 0 (got '" + std::string(s) + "')"), std::string::npos)
            << s << ": " << p.error;
    }
    const Parsed p = parse<double>(zw::cli::number("a fraction", 0, 1), "1.5");
    EXPECT_NE(p.error.find("expects a fraction from 0 to 1 (got '1.5')"), std::string::npos) << p.error;
    EXPECT_EQ(parse<double>(zw::cli::number("a fraction", 0, 1), "1").value, 1.0);
}

TEST(CliValidators, WholeNumbersAreDecimalNotOctalAndMayBeWrittenAsDecimals) {
    const CLI::Validator threads =
        zw::cli::whole_number("a number of threads", 1, 1024, zw::cli::Written::digits_or_decimal);
    EXPECT_EQ(parse<unsigned>(threads, "010").value, 10.0);  // CLI11 alone reads 8
    EXPECT_EQ(parse<unsigned>(threads, "2.0").value, 2.0);
    EXPECT_EQ(parse<unsigned>(threads, "1e1").value, 10.0);
    for (const char* s : {"2.5", "0", "1025", "-1", "nan", "ten"}) {
        const Parsed p = parse<unsigned>(threads, s);
        EXPECT_NE(p.error.find("expects a number of threads from 1 to 1024 (got '"), std::string::npos)
            << s << ": " << p.error;
    }
    // Digits only where the program says so (the viewer's budgets and counts).
    for (const char* s : {"16.0", "1e2", "+16", "0x10"})
        EXPECT_FALSE(parse<uint32_t>(zw::cli::whole_number("MiB", 16), s).error.empty()) << s;
    EXPECT_EQ(parse<uint32_t>(zw::cli::whole_number("MiB", 16), "0016").value, 16.0);
    // No upper bound named where there is none but the type's.
    const Parsed p = parse<uint32_t>(zw::cli::whole_number("MiB", 16), "8");
    EXPECT_NE(p.error.find("expects MiB, at least 16 (got '8')"), std::string::npos) << p.error;
    EXPECT_FALSE(parse<uint32_t>(zw::cli::whole_number("MiB", 16), "4294967296").error.empty());
    // Up to 2^53 (a seed), beyond which a double no longer counts every whole number.
    const CLI::Validator seed =
        zw::cli::whole_number("a whole number", 0, uint64_t(1) << 53, zw::cli::Written::digits_or_decimal);
    CLI::App app;
    uint64_t s = 0;
    app.add_option("--seed", s)->transform(seed);
    app.parse(std::vector<std::string>{"9007199254740992", "--seed"});
    EXPECT_EQ(s, uint64_t(1) << 53);
    EXPECT_FALSE(parse<double>(seed, "9007199254740993").error.empty());
}

TEST(CliValidators, DigitsAreDigitsOnly) {
    EXPECT_EQ(zw::cli::digits("1280"), 1280u);
    EXPECT_EQ(zw::cli::digits("0"), 0u);
    for (const char* s : {"", "+1", "-1", "1.0", "12a", " 1", "4294967296"})
        EXPECT_FALSE(zw::cli::digits(s).has_value()) << s;
}

TEST(CliValidators, ChoicesAndTextsNameWhatIsExpected) {
    const Parsed p = parse<double>(zw::cli::one_of({"1", "2", "4"}), "3");
    EXPECT_NE(p.error.find("expects 1, 2 or 4 (got '3')"), std::string::npos) << p.error;
    CLI::App app;
    std::string id;
    app.add_option("--id", id)->check(zw::cli::needs("a scenario id"));
    try {
        app.parse(std::vector<std::string>{"", "--id"});
        ADD_FAILURE() << "an empty id was taken";
    } catch (const CLI::ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("needs a scenario id"), std::string::npos) << e.what();
    }
}

}  // namespace
