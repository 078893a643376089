// Views and tours in the viewer (docs/tours.md): the twin's tours and a --tour file,
// loaded in the background; playing one flies the camera from view to view
// (twin::plan_flight over the twin's surface grid), sets each view's layers, scenarios and
// time when its flight starts, shows its caption and dwells, then goes on. PageDown /
// PageUp (a presenter's clicker) go to the next and previous view, T starts and stops
// the tour, V saves the view as it is into the user's views file.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/viewer/intents.h"
#include "engine/core/fetch.h"
#include "engine/twin/addresses.h"
#include "engine/twin/manifest.h"
#include "engine/twin/tour.h"

namespace zw::viewer {

struct Options;

struct LoadedTour {
    twin::Tour tour;
    std::string source;  // the twin's tour, or the file it was read from
};

class TourPlayer {
  public:
    // Loads the twin's tours, its surface grid and the --tour file (a path, or the id of
    // one of the twin's tours), on worker threads.
    TourPlayer(const Options& o, std::shared_ptr<const twin::Manifest> twin, core::FetchOptions fetch);

    // What the frame needs from a view: set when a flight to a view starts (its layers,
    // scenarios and time, so that they load on the way) and when the camera arrives.
    struct Step {
        std::optional<twin::CameraFlight::Pose> camera;  // the camera now (local frame)
        const twin::TourView* begin = nullptr;           // apply this view's settings
        const twin::TourView* arrived = nullptr;         // at this view, and what it shows has loaded
        const twin::Address* address = nullptr;          // --address found this one (the camera is there)
    };
    // Takes finished loads, then advances the flight or the dwell by `dt`. `eye`, `target`:
    // the camera now, in the local frame (where a flight starts). `ready`: what the view
    // shows has loaded (the dwell waits for it).
    Step update(double dt, const glm::dvec3& eye, const glm::dvec3& target, bool ready);

    void apply(const intent::Tour& a, const glm::dvec3& eye, const glm::dvec3& target);

    // The "Ansichten" panel: the tours, their views (click: fly there), play / stop,
    // previous / next, and "save view".
    Intents panel();
    // The playing view's caption over the bottom of the 3D view.
    void caption() const;

    bool playing() const { return playing_; }
    // The tour --tour asked for is loaded and has been played to its end (or failed).
    bool finished() const { return finished_; }
    bool failed() const { return failed_; }
    bool started() const { return started_; }
    // What --tour names for the tour shown in the panel (the twin's id, or the file); "" without.
    std::string source() const {
        return current() ? tours_[tour_].source : tours_.empty() ? std::string() : tours_.front().source;
    }  // --tour's tour has begun (it was loaded)  // --tour named no tour, or a file that cannot be read
    bool wants_tour() const { return !asked_.empty(); }
    // A headless run's last frame waits: for --tour to end, for --address to be found.
    bool holds_capture() const {
        return (wants_tour() && !finished_) || (!asked_address_.empty() && (!address_done_ || free_flight_));
    }
    const std::vector<LoadedTour>& tours() const { return tours_; }
    const twin::SurfaceGrid* surface() const { return surface_ ? &*surface_ : nullptr; }
    bool loading() const { return !jobs_.empty() || surface_job_.valid() || addresses_job_.valid(); }
    // Waits for the loads and takes them in (a headless run's end).
    void wait() {
        for (auto& j : jobs_)
            j.wait();
        if (surface_job_.valid()) surface_job_.wait();
        if (addresses_job_.valid()) addresses_job_.wait();
        take_loads();
    }
    // The user's views file, the last save's message.
    std::string save_message;
    bool save_failed = false;

    // Saves `view` (the camera and what is shown now) as a new view of the user's file.
    void save(twin::TourView view, const std::string& folder);

  private:
    void take_loads();
    void go(size_t view, const glm::dvec3& eye, const glm::dvec3& target, bool fly);
    // A flight to address `i` (an oblique view of it from the south); `fly` false: at once.
    void go_address(size_t i, const glm::dvec3& eye, const glm::dvec3& target, bool fly);
    const twin::Tour* current() const { return tour_ < tours_.size() ? &tours_[tour_].tour : nullptr; }

    std::string asked_;  // --tour
    std::vector<std::future<LoadedTour>> jobs_;
    std::future<twin::SurfaceGrid> surface_job_;
    std::future<std::vector<twin::Address>> addresses_job_;
    std::vector<twin::Address> addresses_;
    std::string asked_address_;  // --address
    bool address_done_ = false;
    char query_[128] = {};  // the panel's search field
    std::vector<size_t> matches_;
    std::optional<twin::CameraFlight> free_flight_;  // to an address, outside any tour
    double free_elapsed_ = 0;
    std::optional<twin::SurfaceGrid> surface_;
    std::vector<LoadedTour> tours_;
    std::vector<std::string> errors_;
    size_t tour_ = SIZE_MAX, view_ = 0;
    enum class Phase { idle, flying, dwelling } phase_ = Phase::idle;
    twin::CameraFlight flight_;
    double elapsed_ = 0;  // in the flight or the dwell
    bool playing_ = false, finished_ = false, started_ = false, failed_ = false;
    bool begin_pending_ = false, arrived_pending_ = false;
};

// The tour file a user's saved views go to in `folder`.
std::string user_views_path(const std::string& folder);

}  // namespace zw::viewer
