#include "app/viewer/scale_bar.h"

#include <cmath>

#include "app/viewer/strings.h"
#include "engine/core/numbers.h"

namespace zw::viewer {

double round_scale_length(double metres) {
    if (!(metres > 0) || !std::isfinite(metres)) return 0;
    const double power = std::pow(10.0, std::floor(std::log10(metres)));
    for (const double step : {5.0, 2.0, 1.0})
        if (step * power <= metres * (1 + 1e-9)) return step * power;
    return power;
}

std::string scale_label(double metres) {
    const core::NumberStyle style = language() == Lang::de ? core::NumberStyle::de : core::NumberStyle::en;
    if (metres >= 1000) return core::format_number(metres / 1000, 0, style) + " km";
    const int decimals = metres >= 1 ? 0 : metres >= 0.1 ? 1 : 2;
    return core::format_number(metres, decimals, style) + " m";
}

}  // namespace zw::viewer
