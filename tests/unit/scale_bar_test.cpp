// The scale bar's round lengths and labels (app/viewer/scale_bar.h).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "app/viewer/scale_bar.h"
#include "app/viewer/strings.h"

namespace zw::viewer {
namespace {

TEST(ScaleBar, RoundLengthsAreOneTwoOrFiveTimesAPowerOfTenAndNeverLonger) {
    EXPECT_DOUBLE_EQ(round_scale_length(740), 500);
    EXPECT_DOUBLE_EQ(round_scale_length(499), 200);
    EXPECT_DOUBLE_EQ(round_scale_length(199.9), 100);
    EXPECT_DOUBLE_EQ(round_scale_length(100), 100);
    EXPECT_DOUBLE_EQ(round_scale_length(2000), 2000);
    EXPECT_DOUBLE_EQ(round_scale_length(0.37), 0.2);
    EXPECT_DOUBLE_EQ(round_scale_length(0), 0);
    EXPECT_DOUBLE_EQ(round_scale_length(-5), 0);
    EXPECT_DOUBLE_EQ(round_scale_length(std::numeric_limits<double>::quiet_NaN()), 0);
    // Over the whole range: never longer than asked, never less than 40 % of it.
    for (double m = 0.013; m < 3e5; m *= 1.37) {
        const double r = round_scale_length(m);
        EXPECT_LE(r, m * (1 + 1e-9)) << m;
        EXPECT_GE(r, m * 0.4) << m;
        const double mantissa = r / std::pow(10.0, std::floor(std::log10(r) + 1e-9));
        EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 ||
                    std::abs(mantissa - 5) < 1e-6)
            << r;
    }
}

TEST(ScaleBar, LabelsInTheUiLanguage) {
    set_language(Lang::de);
    EXPECT_EQ(scale_label(500), "500 m");
    EXPECT_EQ(scale_label(2000), "2 km");
    EXPECT_EQ(scale_label(0.5), "0,5 m");
    EXPECT_EQ(scale_label(0.05), "0,05 m");
    set_language(Lang::en);
    EXPECT_EQ(scale_label(0.5), "0.5 m");
    EXPECT_EQ(scale_label(10000), "10 km");
    set_language(Lang::de);
}

}  // namespace
}  // namespace zw::viewer
