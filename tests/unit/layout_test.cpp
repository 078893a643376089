// The overlay's docked layout (app/viewer/layout.h) and type sizes (app/viewer/fonts.h):
// whatever panels ask for, at 720p, 1080p and 4K every box lies inside the window and no
// two overlap; panels get their whole height when the column has it; the type's capitals
// are 20 px at 1080p for the presenter's size.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "app/viewer/fonts.h"
#include "app/viewer/layout.h"

namespace zw::viewer {
namespace {

struct Size {
    float w, h;
};
constexpr Size sizes[] = {{1280, 720}, {1920, 1080}, {3840, 2160}};

void expect_inside_and_apart(const DockPlan& plan, const std::string& what) {
    for (const auto& [id, box] : plan.panels) {
        EXPECT_TRUE(box.inside(plan.window)) << what << ": " << id << " leaves the window";
        EXPECT_GE(box.h, 0) << what << ": " << id;
        for (const auto& [other, obox] : plan.panels) {
            if (id < other) {
                EXPECT_FALSE(box.overlaps(obox)) << what << ": " << id << " over " << other;
            }
        }
        if (id.rfind("top", 0) != 0) {
            EXPECT_FALSE(box.overlaps(plan.center)) << what << ": " << id << " over the view";
        }
    }
}

TEST(Layout, RandomPanelsNeverOverlapOrLeaveTheWindow) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(0, 1);
    for (const Size s : sizes)
        for (const UiSize ui : {UiSize::s, UiSize::m, UiSize::l}) {
            const float em = ui_font_px(ui, s.h);
            for (int round = 0; round < 200; ++round) {
                std::vector<DockRequest> req;
                req.push_back({"top banner", Dock::top, u(rng) * s.w * 1.5f, em * (1 + 3 * u(rng)), 0});
                const int n = 1 + int(u(rng) * 8);
                for (int i = 0; i < n; ++i) {
                    const float title = em + 6;
                    const bool collapsed = u(rng) < 0.3f;
                    req.push_back({"panel " + std::to_string(i), u(rng) < 0.5f ? Dock::left : Dock::right, 0,
                                   collapsed ? title : title + u(rng) * s.h * 1.2f, title});
                }
                const DockPlan plan = plan_docks(s.w, s.h, em, req);
                expect_inside_and_apart(plan, std::to_string(int(s.w)) + "x" + std::to_string(int(s.h)) +
                                                  " round " + std::to_string(round));
                for (const DockRequest& r : req)
                    EXPECT_TRUE(plan.panels.count(r.id) ||
                                std::find(plan.collapsed.begin(), plan.collapsed.end(), r.id) !=
                                    plan.collapsed.end())
                        << r.id << " neither placed nor put away";
            }
        }
}

TEST(Layout, PanelsGetTheirHeightWhenTheColumnHasIt) {
    const float em = ui_font_px(UiSize::l, 1080);
    const std::vector<DockRequest> req = {{"banner", Dock::top, 900, 60, 0},
                                          {"stats", Dock::left, 0, 35, 35},
                                          {"flood", Dock::left, 0, 500, 35},
                                          {"layers", Dock::right, 0, 300, 35},
                                          {"impacts", Dock::right, 0, 400, 35}};
    const DockPlan plan = plan_docks(1920, 1080, em, req);
    EXPECT_FLOAT_EQ(plan.panels.at("stats").h, 35);
    EXPECT_FLOAT_EQ(plan.panels.at("flood").h, 500);
    EXPECT_FLOAT_EQ(plan.panels.at("impacts").h, 400);
    EXPECT_LT(plan.panels.at("stats").bottom(), plan.panels.at("flood").y) << "stacked in the order asked";
    EXPECT_FLOAT_EQ(plan.panels.at("banner").w, 900);
    EXPECT_NEAR(plan.panels.at("banner").x + 450, 960, 1) << "the banner is centred";
    EXPECT_GE(plan.center.w, 1920 * 0.4f) << "the view keeps the middle";
}

TEST(Layout, ACrowdedColumnSharesItsHeightShortPanelsKeepTheirs) {
    const std::vector<DockRequest> req = {{"short", Dock::left, 0, 80, 30},
                                          {"tall a", Dock::left, 0, 2000, 30},
                                          {"tall b", Dock::left, 0, 3000, 30}};
    const DockPlan plan = plan_docks(1280, 720, 18, req);
    EXPECT_FLOAT_EQ(plan.panels.at("short").h, 80);
    EXPECT_NEAR(plan.panels.at("tall a").h, plan.panels.at("tall b").h, 0.5f) << "the tall ones share alike";
    EXPECT_LE(plan.panels.at("tall b").bottom(), plan.left.bottom() + 0.01f);
    EXPECT_GT(plan.panels.at("tall b").bottom(), plan.left.bottom() - 1) << "the column is filled";
}

TEST(Layout, AWindowTooSmallForTheTitleBarsPutsTheLastAway) {
    std::vector<DockRequest> req;
    for (int i = 0; i < 6; ++i)
        req.push_back({"p" + std::to_string(i), Dock::left, 0, 200, 30});
    const DockPlan plan = plan_docks(400, 120, 13, req);
    EXPECT_FALSE(plan.collapsed.empty());
    EXPECT_EQ(plan.collapsed.back(), "p5");
    expect_inside_and_apart(plan, "400x120");
}

TEST(Fonts, PresenterCapitalsAre20PixelsAt1080pAndScaleWithTheHeight) {
    EXPECT_NEAR(ui_font_px(UiSize::l, 1080) * ui_font_cap_share, 20, 0.5);
    EXPECT_NEAR(ui_font_px(UiSize::m, 1080) * ui_font_cap_share, 16, 0.5);
    EXPECT_NEAR(ui_font_px(UiSize::l, 2160) * ui_font_cap_share, 40, 0.5);
    EXPECT_EQ(ui_font_px(UiSize::s, 300), 13) << "never below ImGui's own 13 px";
    EXPECT_EQ(parse_ui_size("M"), UiSize::m);
    EXPECT_FALSE(parse_ui_size("xl"));
}

TEST(Fonts, FontconfigFindsATrueTypeSans) {
    const std::string f = find_ui_font();
    ASSERT_FALSE(f.empty()) << "install fonts-dejavu-core (scripts/dev does)";
    EXPECT_NE(f.find("DejaVuSans"), std::string::npos) << f;
}

}  // namespace
}  // namespace zw::viewer
