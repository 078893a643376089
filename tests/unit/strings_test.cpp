// The overlay's string table: every text in both languages, and the same printf
// conversions in both (a German format with another argument list would crash a panel).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/viewer/strings.h"

namespace {

using namespace zw::viewer;

// The conversions of a printf format, e.g. "%7.2f ms (%u)" -> {"f", "u"}.
std::vector<std::string> conversions(const std::string& f) {
    std::vector<std::string> out;
    for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') continue;
        size_t j = i + 1;
        if (j < f.size() && f[j] == '%') {
            i = j;
            continue;
        }
        while (j < f.size() && std::string("-+ #0123456789.").find(f[j]) != std::string::npos)
            ++j;
        std::string conv;
        while (j < f.size() && std::string("hlLqjzt").find(f[j]) != std::string::npos)
            conv += f[j++];
        if (j < f.size()) conv += f[j];
        out.push_back(conv);
        i = j;
    }
    return out;
}

TEST(Strings, EveryTextInBothLanguagesWithTheSameConversions) {
    for (int k = 0; k < int(S::count); ++k) {
        set_language(Lang::de);
        const std::string de = tr(S(k));
        set_language(Lang::en);
        const std::string en = tr(S(k));
        EXPECT_FALSE(de.empty()) << k;
        EXPECT_FALSE(en.empty()) << k;
        EXPECT_EQ(conversions(de), conversions(en)) << de << " | " << en;
    }
    set_language(Lang::de);
    EXPECT_STREQ(tr(S::twin_public), "ÖFFENTLICH");
    set_language(Lang::en);
    EXPECT_STREQ(tr(S::twin_public), "PUBLIC");
    set_language(Lang::de);
}

TEST(Strings, DataTextsFallBackToTheOtherLanguage) {
    const std::string de = "Gebäude", en = "Buildings", none;
    set_language(Lang::en);
    EXPECT_EQ(localized(de, en), "Buildings");
    EXPECT_EQ(localized(de, none), "Gebäude");
    set_language(Lang::de);
    EXPECT_EQ(localized(de, en), "Gebäude");
    EXPECT_EQ(localized(none, en), "Buildings");
    EXPECT_EQ(conversions("%7.2f ms  (%.0f fps) %% %-7s %llu"),
              (std::vector<std::string>{"f", "f", "s", "llu"}));
}

// A window titled with tr() keeps one ImGui id when the language is switched in the app.
TEST(Strings, WindowTitlesHaveOneIdInBothLanguages) {
    EXPECT_STREQ(english_of(tr(S::stats_title, Lang::de)), "Statistics");
    EXPECT_STREQ(english_of(tr(S::stats_title, Lang::en)), "Statistics");
    EXPECT_STREQ(english_of(tr(S::flood_impacts_title, Lang::de)), "Impacts");
    EXPECT_STREQ(english_of("not in the table"), "not in the table");
}

// Numbers are formatted by the viewer (format.h) and passed as %s: a German text must not
// print a number with printf's '.' decimals.
TEST(Strings, NumbersAreNotPrintedWithPrintfsDecimalPoint) {
    for (S s : {S::flood_depth_m, S::flood_inflow_now, S::stats_frame, S::traffic_minutes, S::tiles_memory})
        for (const std::string& c : conversions(tr(s, Lang::de)))
            EXPECT_EQ(c, "s") << tr(s, Lang::de);
}

}  // namespace
