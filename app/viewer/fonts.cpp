#include "app/viewer/fonts.h"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>

namespace zw::viewer {

std::optional<UiSize> parse_ui_size(std::string_view s) {
    if (s.size() != 1) return std::nullopt;
    switch (std::tolower(static_cast<unsigned char>(s[0]))) {
        case 's':
            return UiSize::s;
        case 'm':
            return UiSize::m;
        case 'l':
            return UiSize::l;
        default:
            return std::nullopt;
    }
}

const char* ui_size_name(UiSize s) {
    return s == UiSize::s ? "s" : s == UiSize::m ? "m" : "l";
}

float ui_cap_px_1080(UiSize s) {
    return s == UiSize::s ? 12.0f : s == UiSize::m ? 16.0f : 20.0f;
}

float ui_font_px(UiSize s, float height) {
    const float px = ui_cap_px_1080(s) / ui_font_cap_share * std::max(height, 0.0f) / 1080.0f;
    return std::max(13.0f, std::round(px));
}

std::string find_ui_font(bool bold) {
    if (!FcInit()) return {};
    auto destroy = [](FcPattern* p) { FcPatternDestroy(p); };
    std::unique_ptr<FcPattern, decltype(destroy)> want(
        FcNameParse(
            reinterpret_cast<const FcChar8*>(bold ? "DejaVu Sans:style=Bold" : "DejaVu Sans:style=Book")),
        destroy);
    if (!want) return {};
    FcPatternAddBool(want.get(), FC_SCALABLE, FcTrue);
    FcConfigSubstitute(nullptr, want.get(), FcMatchPattern);
    FcDefaultSubstitute(want.get());
    FcResult result = FcResultNoMatch;
    std::unique_ptr<FcPattern, decltype(destroy)> got(FcFontMatch(nullptr, want.get(), &result), destroy);
    if (!got || result != FcResultMatch) return {};
    FcChar8* file = nullptr;
    if (FcPatternGetString(got.get(), FC_FILE, 0, &file) != FcResultMatch || !file) return {};
    std::string path(reinterpret_cast<const char*>(file));
    // ImGui's FreeType builder reads TrueType and OpenType; fontconfig may offer a Type 1
    // or bitmap face where no scalable sans is installed.
    std::string ext = path.substr(std::min(path.size(), path.rfind('.')));
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".ttf" || ext == ".otf" || ext == ".ttc" ? path : std::string();
}

}  // namespace zw::viewer
