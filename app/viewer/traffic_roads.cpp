#include "app/viewer/traffic_roads.h"

#include <algorithm>
#include <string_view>

#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/scenario/traffic/network.h"

namespace zw::viewer {

namespace traffic = scenario::traffic;

std::shared_ptr<const RoadData> load_road_data(const std::string& network_uri, const std::string& results_uri,
                                               const glm::dvec3& origin, const core::FetchOptions& fetch,
                                               std::vector<std::string>& warnings) {
    if (network_uri.empty()) {
        warnings.push_back("the scenario names no road network ('network'): roads are not coloured");
        return nullptr;
    }
    auto data = std::make_shared<RoadData>();
    try {
        const std::vector<uint8_t> bytes = core::fetch(network_uri, fetch);
        const traffic::Network net = traffic::parse_network(
            std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
            core::display_uri(network_uri));
        data->network = road_network(net, origin);
    } catch (const std::exception& e) {
        warnings.push_back(std::string(e.what()) + " (roads are not coloured)");
        return nullptr;
    }
    const std::string uri = core::resolve_uri(results_uri, "edge_measures.json");
    try {
        const std::vector<uint8_t> bytes = core::fetch(uri, fetch);
        data->measures = traffic::parse_edge_measures(
            std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
            core::display_uri(uri));
        data->columns = measure_columns(data->network, *data->measures);
    } catch (const std::exception& e) {
        warnings.push_back(e.what());
    }
    return data;
}

void TrafficRoads::set_data(std::shared_ptr<const RoadData> data, const TrafficFrame& frame) {
    data_ = std::move(data);
    frame_ = frame;
    built_ = false;
    interval_.reset();
    open_.clear();
    closed_count_ = barrier_count_ = 0;
}

void TrafficRoads::update(double t_s, std::span<const traffic::Closure> closures,
                          render::RoadOverlay& overlay) {
    if (!data_) {
        if (!overlay.empty()) overlay.clear();
        built_ = false;
        return;
    }
    const traffic::EdgeMeasures* m = data_->measures ? &*data_->measures : nullptr;
    const std::optional<size_t> interval =
        m && mode != RoadMode::off ? interval_at(m->begin_s, m->end_s, t_s) : std::nullopt;
    std::vector<uint8_t> open(closures.size());
    for (size_t i = 0; i < closures.size(); ++i)
        open[i] = closures[i].open_at(t_s);
    if (built_ && mode == shown_mode_ && interval == interval_ && open == open_) return;
    shown_mode_ = mode;
    interval_ = interval;
    open_ = std::move(open);
    built_ = true;
    const std::vector<uint8_t> closed = closed_edges(data_->network, closures, t_s);
    const std::vector<EdgeLook> looks = road_looks(data_->network, mode, m, data_->columns, interval, closed);
    const std::vector<RoadBarrier> barriers = closure_barriers(data_->network, closed);
    closed_count_ = size_t(std::count(closed.begin(), closed.end(), uint8_t(1)));
    barrier_count_ = barriers.size();
    overlay.set_mesh(road_mesh(data_->network, frame_, looks, barriers));
}

}  // namespace zw::viewer
