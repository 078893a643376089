// The overlay's text in German (default) and English: one table, so that no panel holds
// a string literal of its own. Texts that come with the data (layer titles, legends)
// are picked with localized().
#pragma once

#include <string>

namespace zw::viewer {

enum class Lang { de, en };

// Every text of the overlay. Add new ones here and in strings.cpp (a test checks that
// each has both languages).
enum class S : int {
    // Twin banner
    twin_public,     // the citizens' twin is marked public
    twin_council,    // council twin: not for the public
    twin_staff,      // administration twin: internal, with the department
    department,      // "Abteilung" label
    synthetic_data,  // the sample town is synthetic
    // Layer panel
    layers_title,
    group_base,
    group_planning,
    group_infrastructure,
    group_import,
    group_other,
    opacity,
    legend,
    tiles_loaded,     // per-layer count of loaded tiles: "%u"
    layer_failed,     // a layer that could not be loaded
    layer_no_access,  // the server refused the layer (403)
    // Inspector (picking)
    inspector_title,
    inspector_hint,     // nothing picked yet: "click a building, road or pipe"
    inspector_nothing,  // clicked on the sky or terrain without features
    inspector_layer,
    inspector_attributes,
    inspector_no_attributes,
    // Login panel
    login_title,
    login_prompt,  // "the twin at %s asks for a user name and password"
    login_user,
    login_password,
    login_submit,
    login_refused,    // 401: wrong user name or password
    login_forbidden,  // 403: this account may not open this twin
    login_tls,        // certificate not trusted
    // Stats panel
    stats_title,
    stats_frame,      // "%7.2f ms (%.0f fps)"
    stats_cpu,        // "%7.2f ms"
    stats_gpu_pass,   // "%-7s %7.2f ms"
    stats_gpu_total,  // "%7.2f ms"
    stats_gpu_none,
    stats_draw_calls,  // "%7u"
    stats_triangles,   // "%7llu / %llu"
    stats_throughput,  // "%.2f Mtri/s, %.0f draws/s"
    stats_meshes,      // "%u drawn, %u culled"
    stats_gpu_memory,  // "%.1f MiB used, %.1f MiB in %u blocks"
    controls_fly,
    controls_orbit,
    controls_keys_orbit,  // Tab: orbit mode, F: ...
    controls_keys_fly,
    // Tiles panel
    tiles_title,
    tiles_max_sse,
    tiles_counts,     // "%u visible, %u loading, %u loaded, %u failed"
    tiles_memory,     // "%.1f / %.0f MiB (peak %.1f)"
    tiles_queues,     // "%u wanted, %u jobs queued, %u running, %u to upload"
    tiles_selection,  // "%.3f ms"
    tiles_full_detail,
    tiles_refining,
    layer_loading,
    // Flood scenarios (timeline, impacts, plots)
    flood_title,  // timeline panel
    flood_scenario_a,
    flood_scenario_b,
    flood_none,
    flood_loading,
    flood_failed,  // the error
    flood_no_scenarios,
    flood_play,
    flood_pause,
    flood_to_start,
    flood_speed,
    flood_speed_value,  // a speed factor
    flood_loop,
    flood_time,
    flood_time_of,  // current and total time, h:mm
    flood_show,
    flood_show_a,
    flood_show_b,
    flood_show_split,
    flood_split,
    flood_water,
    flood_grid_mismatch,
    flood_inflow,
    flood_inflow_now,  // inflow now
    flood_flooded_over_time,
    flood_flooded_now,  // side letter, count now
    flood_impacts_title,
    flood_over_10cm,
    flood_over_50cm,
    flood_residents,
    flood_critical,
    flood_buildings,
    flood_col_building,
    flood_col_depth,
    flood_col_wet,
    flood_depth_m,  // a depth
    flood_wet_at,   // a time h:mm
    flood_never,
    flood_no_impacts,
    flood_fly_hint,
    flood_export_csv,
    flood_export_png,
    flood_exported,       // the path(s)
    flood_export_failed,  // why
    flood_split_label,    // the two titles
    flood_live,           // the live section's heading
    flood_live_draw,      // checkbox: clicks draw the wall
    flood_live_height,    // the wall's height slider
    flood_live_height_value,
    flood_live_run,        // button: (re)start
    flood_live_stop,       // button: back to the stored frames
    flood_live_clear,      // button: clear the wall
    flood_live_hint,       // how to draw
    flood_live_status,     // simulated time, speed, buildings
    flood_live_wall_info,  // points, length
    flood_live_failed,     // why
    // Traffic panel
    traffic_title,
    traffic_scenario,
    traffic_none,
    traffic_loading,
    traffic_failed,
    traffic_time_of_day,
    traffic_on_road,
    traffic_vehicles_visible,
    traffic_figures,
    traffic_vehicles,
    traffic_arrived,
    traffic_mean_travel,
    traffic_minutes,
    traffic_delay,
    traffic_vehicle_km,
    traffic_no_summary,
    traffic_closures,
    traffic_no_closures,
    traffic_closure_time,
    traffic_closure_from,
    traffic_closed_now,
    traffic_emergency,
    traffic_emergency_open,
    traffic_emergency_worst,
    traffic_in_time,
    traffic_late,
    traffic_unreachable,
    traffic_synthetic,
    traffic_roads,      // the roads' colouring combo
    traffic_roads_off,  // its choices
    traffic_roads_speed,
    traffic_roads_flow,
    traffic_roads_los,
    traffic_roads_speed_unit,  // legend: the unit under the ramp
    traffic_roads_flow_unit,
    traffic_roads_los_note,  // legend: how the level of service is graded
    traffic_roads_no_data,   // legend: grey
    traffic_roads_closed,    // legend: red hatched
    traffic_roads_interval,  // legend: the measures' interval shown: "%s", "%s"
    traffic_roads_no_interval,
    traffic_roads_unavailable,  // no network or no edge measures
    // Traffic panel: the live what-if (traffic_live.h)
    traffic_live,                // section title
    traffic_live_closing,        // checkbox: clicks pick a road
    traffic_live_hint,           // how to pick
    traffic_live_whole,          // checkbox: the whole street
    traffic_live_street,         // combo: a street from the list
    traffic_live_pick_none,      // the combo's text without a pick
    traffic_live_picked,         // "%s (%s, %d edges)"
    traffic_live_no_road,        // a click found no road: "%.0f m"
    traffic_live_from,           // "closed from" (H:MM)
    traffic_live_to,             // "until" (H:MM)
    traffic_live_to_end,         // checkbox: to the end of the scenario
    traffic_live_run,            // button
    traffic_live_cancel,         // button
    traffic_live_running,        // "%s of %s, %d vehicles on the road"
    traffic_live_reading,        // the network and demand load
    traffic_live_failed,         // "%s"
    traffic_live_title_from,     // a live result's title: "Live: %s gesperrt ab %s"
    traffic_live_title_between,  // "Live: %s gesperrt %s - %s"
    traffic_live_reason,         // the closure's reason in closures.json
    traffic_scenario_b,
    traffic_plot_vehicles,
    traffic_plot_vehicles_now,
    traffic_plot_speed,
    traffic_plot_speed_now,
    traffic_impacts_title,
    traffic_impacts_alone,
    traffic_col_change,
    traffic_overall,
    traffic_not_started,
    traffic_districts,
    traffic_col_district,
    traffic_col_trips,
    traffic_outside,
    traffic_no_districts,
    traffic_affected_roads,
    traffic_affected_roads_alone,
    traffic_no_roads,
    traffic_col_road,
    traffic_col_flow,
    traffic_col_speed,
    traffic_lost,
    traffic_lost_alone,
    traffic_lost_count,
    traffic_lost_counts_only,
    traffic_seconds,
    // Presenter mode (presenter.h)
    hud_hint,     // while the overlay is hidden: which key shows it
    water_depth,  // the water-depth legend's title
    keys_title,   // F1: the keyboard help's title
    keys_h,       // its lines: key, then what it does
    keys_f1,
    keys_f10,
    keys_f11,
    keys_space,
    keys_f,
    keys_tab,
    keys_mouse,
    keys_fly,
    keys_p,
    // The report PNG (report_export.h)
    report_title,    // its status panel's title
    report_button,   // the impacts panels' button
    report_running,  // while the second process renders
    report_saved,    // then: the path on the next line
    report_failed,   // or: why not on the next lines
    // Views and tours (tour.h)
    tour_title,     // the panel
    tour_play,      // start the tour
    tour_stop,      // stop it
    tour_previous,  // the view before
    tour_next,      // the view after
    tour_save,      // save the view as it is
    tour_saved,     // then: the path on the next line
    tour_loading,   // tours still loading
    tour_view,      // a saved view's title: "Ansicht 3"
    // The sun panel (lighting.h)
    sun_title,
    sun_on,          // the sun by date and time (else the default light)
    sun_day,         // the date slider
    sun_time,        // the time slider
    sun_position,    // "azimuth %.0f, elevation %.0f"
    sun_below,       // below the horizon
    address_search,  // the views panel's search field
    address_hint,    // its hint: "Straße Hausnummer"
    address_none,    // nothing found
    video_button,    // the views panel: a video of the tour
    video_title,     // its status panel's title
    video_running,   // while the second process renders
    video_saved,     // then: the path on the next line
    video_failed,    // or: why not on the next lines
    keys_m,
    keys_tour,
    keys_pages,
    keys_v,
    count
};

void set_language(Lang lang);
Lang language();
const char* tr(S s);
const char* tr(S s, Lang lang);  // in that language (texts stored with the data carry both)
// The English of a text of the table given in either language (`text` itself when it is
// none of them): a window titled with tr() keeps its ImGui id (position, size, collapsed)
// when the language is switched in the app.
const char* english_of(const char* text);
// The German or the English of a pair that comes with the data; the other one when the
// wanted one is empty.
const std::string& localized(const std::string& de, const std::string& en);

}  // namespace zw::viewer
