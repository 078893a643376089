#include "app/viewer/strings.h"

#include <array>
#include <atomic>
#include <cstring>

namespace zw::viewer {
namespace {

struct Text {
    S key;
    const char* de;
    const char* en;
};

// In the order of S (checked at compile time below).
constexpr Text table[] = {
    {S::twin_public, "ÖFFENTLICH", "PUBLIC"},
    {S::twin_council, "NUR FÜR DEN GEMEINDERAT", "COUNCIL ONLY"},
    {S::twin_staff, "INTERN - NUR FÜR DIE VERWALTUNG", "INTERNAL - STAFF ONLY"},
    {S::department, "Abteilung", "Department"},
    {S::synthetic_data, "synthetische Daten", "synthetic data"},
    {S::layers_title, "Ebenen", "Layers"},
    {S::group_base, "Grundlagen", "Base map"},
    {S::group_planning, "Planung", "Planning"},
    {S::group_infrastructure, "Infrastruktur", "Infrastructure"},
    {S::group_import, "Importierte Modelle", "Imported models"},
    {S::group_other, "Weitere", "Other"},
    {S::opacity, "Deckkraft", "Opacity"},
    {S::legend, "Legende", "Legend"},
    {S::tiles_loaded, "%u Kachel(n) geladen", "tiles loaded: %u"},
    {S::layer_failed, "nicht ladbar", "could not be loaded"},
    {S::layer_no_access, "kein Zugriff", "no access"},
    {S::inspector_title, "Objekt", "Inspector"},
    {S::inspector_hint, "Gebäude, Straße oder Leitung anklicken", "Click a building, road or pipe"},
    {S::inspector_nothing, "Dort ist kein Objekt", "Nothing to inspect there"},
    {S::inspector_layer, "Ebene", "Layer"},
    {S::inspector_attributes, "Eigenschaften", "Attributes"},
    {S::inspector_no_attributes, "keine Eigenschaften in diesem Zwilling", "no attributes in this twin"},
    {S::login_title, "Anmeldung", "Sign in"},
    {S::login_prompt, "Der Zwilling auf %s verlangt Benutzername und Passwort.",
     "The twin at %s asks for a user name and password."},
    {S::login_user, "Benutzername", "User name"},
    {S::login_password, "Passwort", "Password"},
    {S::login_submit, "Anmelden", "Sign in"},
    {S::login_refused, "Benutzername oder Passwort falsch (HTTP 401).",
     "User name or password wrong (HTTP 401)."},
    {S::login_forbidden, "Dieses Konto darf diesen Zwilling nicht öffnen (HTTP 403).",
     "This account may not open this twin (HTTP 403)."},
    {S::login_tls, "Dem Zertifikat des Servers wird nicht vertraut; die CA mit --ca-file angeben.",
     "The server's certificate is not trusted; give its CA with --ca-file."},
    {S::stats_title, "Statistik", "Statistics"},
    {S::stats_frame, "Bild       %7s ms  (%s fps)", "frame      %7s ms  (%s fps)"},
    {S::stats_cpu, "CPU        %7s ms", "CPU        %7s ms"},
    {S::stats_gpu_pass, "GPU %-7s%7s ms", "GPU %-7s%7s ms"},
    {S::stats_gpu_total, "GPU gesamt %7s ms", "GPU total  %7s ms"},
    {S::stats_gpu_none, "keine GPU-Zeitstempel", "GPU timestamps not available"},
    {S::stats_draw_calls, "Draw Calls %7s", "draw calls %7s"},
    {S::stats_triangles, "Dreiecke   %7s / %s", "triangles  %7s / %s"},
    {S::stats_throughput, "Durchsatz  %7s Mio. Dreiecke/s, %s Draws/s", "throughput %7s Mtri/s, %s draws/s"},
    {S::stats_meshes, "Meshes     %7s gezeichnet, %s verworfen", "meshes     %7s drawn, %s culled"},
    {S::stats_gpu_memory, "GPU-Speicher %5s MiB belegt, %s MiB in %s Blöcken",
     "GPU memory %7s MiB used, %s MiB in %s blocks"},
    {S::controls_fly, "Flug: WASD, Q/E, ziehen zum Umsehen, Umschalt schneller",
     "fly: WASD, Q/E, drag to look, Shift faster"},
    {S::controls_orbit, "Orbit: ziehen dreht, rechts ziehen verschiebt, Rad zoomt",
     "orbit: drag to turn, right-drag to pan, wheel"},
    {S::controls_keys_orbit, "Tab: Orbit-Modus, F: alles zeigen", "Tab: orbit mode, F: show everything"},
    {S::controls_keys_fly, "Tab: Flugmodus, F: alles zeigen", "Tab: fly mode, F: show everything"},
    {S::tiles_title, "Kacheln", "Tiles"},
    {S::tiles_max_sse, "max. Bildfehler (px)", "max SSE (px)"},
    {S::tiles_counts, "Kacheln    %5s sichtbar, %s laden, %s geladen, %s fehlerhaft",
     "tiles      %5s visible, %s loading, %s loaded, %s failed"},
    {S::tiles_memory, "Speicher   %7s / %s MiB (Spitze %s)", "memory     %7s / %s MiB (peak %s)"},
    {S::tiles_queues, "Warteschl. %u gewünscht, %u Jobs wartend, %u laufend, %u zum Hochladen",
     "queues     %u wanted, %u jobs queued, %u running, %u to upload"},
    {S::tiles_selection, "Auswahl    %7s ms", "selection  %7s ms"},
    {S::tiles_full_detail, "volle Detailstufe", "full detail"},
    {S::tiles_refining, "verfeinert ...", "refining..."},
    {S::layer_loading, "lädt", "loading"},
    {S::flood_title, "Hochwasser", "Flood"},
    {S::flood_scenario_a, "Szenario A", "Scenario A"},
    {S::flood_scenario_b, "Vergleich B", "Compare with B"},
    {S::flood_none, "(keins)", "(none)"},
    {S::flood_loading, "lädt ...", "loading..."},
    {S::flood_failed, "Nicht ladbar: %s", "Could not be loaded: %s"},
    {S::flood_no_scenarios, "Dieser Zwilling enthält keine Hochwasserszenarien.",
     "This twin holds no flood scenarios."},
    {S::flood_play, "Abspielen", "Play"},
    {S::flood_pause, "Pause", "Pause"},
    {S::flood_to_start, "Anfang", "Start"},
    {S::flood_speed, "Tempo", "Speed"},
    {S::flood_speed_value, "%sx", "%sx"},
    {S::flood_loop, "Schleife", "Loop"},
    {S::flood_time, "Zeit", "Time"},
    {S::flood_time_of, "%s h von %s h", "%s h of %s h"},
    {S::flood_show, "Anzeige", "Show"},
    {S::flood_show_a, "nur A", "A only"},
    {S::flood_show_b, "nur B", "B only"},
    {S::flood_show_split, "A | B geteilt", "A | B split"},
    {S::flood_split, "Teilung", "Split"},
    {S::flood_water, "Wasser", "Water"},
    {S::flood_grid_mismatch, "B liegt auf einem anderen Raster als A und kann nicht verglichen werden.",
     "B lies on another grid than A and cannot be compared."},
    {S::flood_inflow, "Zufluss (m³/s)", "Inflow (m³/s)"},
    {S::flood_inflow_now, "%s m³/s", "%s m³/s"},
    {S::flood_flooded_over_time, "Gebäude über 10 cm im Verlauf", "Buildings over 10 cm over time"},
    {S::flood_flooded_now, "%s: %s Gebäude", "%s: %s buildings"},
    {S::flood_impacts_title, "Betroffenheit", "Impacts"},
    {S::flood_over_10cm, "Gebäude über 10 cm", "Buildings over 10 cm"},
    {S::flood_over_50cm, "Gebäude über 50 cm", "Buildings over 50 cm"},
    {S::flood_residents, "betroffene Einwohner", "Affected residents"},
    {S::flood_critical, "Kritische Infrastruktur", "Critical sites"},
    {S::flood_buildings, "Überflutete Gebäude (tiefste zuerst)", "Flooded buildings (deepest first)"},
    {S::flood_col_building, "Gebäude", "Building"},
    {S::flood_col_depth, "Tiefe", "Depth"},  // the largest: the list says "deepest first"
    {S::flood_col_wet, "nass ab", "Wet from"},
    {S::flood_depth_m, "%s m", "%s m"},
    {S::flood_wet_at, "%s h", "%s h"},
    {S::flood_never, "nie", "never"},
    {S::flood_no_impacts, "Keine Betroffenheit: das Szenario nennt keine Gebäude.",
     "No impacts: the scenario lists no buildings."},
    {S::flood_fly_hint, "Zeile anklicken: dorthin fliegen", "Click a row to fly there"},
    {S::flood_export_csv, "CSV speichern", "Save CSV"},
    {S::flood_export_png, "PNG speichern", "Save PNG"},
    {S::flood_exported, "Gespeichert: %s", "Saved: %s"},
    {S::flood_export_failed, "Nicht gespeichert: %s", "Not saved: %s"},
    {S::flood_split_label, "A: %s  |  B: %s", "A: %s  |  B: %s"},
    {S::flood_live, "Live: mobile Wand planen", "Live: plan a mobile wall"},
    {S::flood_live_draw, "Wand zeichnen", "Draw the wall"},
    {S::flood_live_height, "Wandhöhe", "Wall height"},
    {S::flood_live_height_value, "%s m", "%s m"},
    {S::flood_live_run, "Live rechnen", "Run live"},
    {S::flood_live_stop, "Live beenden", "Stop live"},
    {S::flood_live_clear, "Wand löschen", "Clear wall"},
    {S::flood_live_hint,
     "Jeder Klick auf den Boden setzt einen Punkt; ab zwei Punkten rechnet das Modell von 0:00 h an neu.",
     "Each click on the ground adds a point; from two points on the model runs again from 0:00 h."},
    {S::flood_live_status, "Live: %s h gerechnet (%sx), %s Gebäude über 10 cm",
     "Live: %s h computed (%sx), %s buildings over 10 cm"},
    {S::flood_live_wall_info, "Wand: %d Punkte, %s m lang", "Wall: %d points, %s m long"},
    {S::flood_live_failed, "Live-Rechnung nicht möglich: %s", "Live run not possible: %s"},
    {S::traffic_title, "Verkehr", "Traffic"},
    {S::traffic_scenario, "Szenario", "Scenario"},
    {S::traffic_none, "(keins)", "(none)"},
    {S::traffic_loading, "lädt ...", "loading..."},
    {S::traffic_failed, "Nicht ladbar: %s", "Could not be loaded: %s"},
    {S::traffic_time_of_day, "Uhrzeit: %s Uhr", "Time of day: %s"},
    {S::traffic_on_road, "Fahrzeuge unterwegs: %s (%s im Bild)", "Vehicles on the road: %s (%s in view)"},
    {S::traffic_vehicles_visible, "Fahrzeuge zeigen", "Show vehicles"},
    {S::traffic_figures, "Kennzahlen des Szenarios", "Scenario figures"},
    {S::traffic_vehicles, "Fahrzeuge", "Vehicles"},
    {S::traffic_arrived, "angekommen", "Arrived"},
    {S::traffic_mean_travel, "mittlere Reisezeit", "Mean travel time"},
    {S::traffic_minutes, "%s min", "%s min"},
    {S::traffic_delay, "Verlustzeit (Fahrzeugstunden)", "Delay (vehicle-hours)"},
    {S::traffic_vehicle_km, "Fahrzeugkilometer", "Vehicle-km"},
    {S::traffic_no_summary, "Keine Kennzahlen (summary.json fehlt).",
     "No figures (summary.json is missing)."},
    {S::traffic_closures, "Sperrungen", "Closures"},
    {S::traffic_no_closures, "keine", "none"},
    {S::traffic_closure_time, "%s - %s Uhr", "%s - %s"},
    {S::traffic_closure_from, "ab %s Uhr", "from %s"},
    {S::traffic_closed_now, "gesperrt", "closed now"},
    {S::traffic_emergency, "Feuerwehr: erreichbar in %s min", "Fire brigade: reached within %s min"},
    {S::traffic_emergency_open, "freies Netz", "open network"},
    {S::traffic_emergency_worst, "schlimmster Zeitpunkt", "worst moment"},
    {S::traffic_in_time, "rechtzeitig", "in time"},
    {S::traffic_late, "zu spät", "late"},
    {S::traffic_unreachable, "nicht erreichbar", "unreachable"},
    {S::traffic_synthetic, "Synthetische Verkehrsnachfrage", "Synthetic demand"},
    {S::traffic_roads, "Straßen färben", "Colour roads"},
    {S::traffic_roads_off, "aus", "off"},
    {S::traffic_roads_speed, "Geschwindigkeit", "Speed"},
    {S::traffic_roads_flow, "Verkehrsstärke", "Flow"},
    {S::traffic_roads_los, "Verkehrsqualität (QSV)", "Level of service (LOS)"},
    {S::traffic_roads_speed_unit, "mittlere Geschwindigkeit, km/h", "mean speed, km/h"},
    {S::traffic_roads_flow_unit, "Fahrzeuge pro Stunde", "vehicles per hour"},
    {S::traffic_roads_los_note,
     "Anteil der mittleren an der zulässigen Geschwindigkeit: A über 85, B über 67, C über 50, D über 40, E "
     "über 30, F bis 30 Prozent",
     "Mean speed as a share of the speed limit: A above 85, B above 67, C above 50, D above 40, E above 30, "
     "F up to 30 per cent"},
    {S::traffic_roads_no_data, "keine Daten", "no data"},
    {S::traffic_roads_closed, "gesperrt", "closed"},
    {S::traffic_roads_interval, "Messintervall %s - %s Uhr", "Interval %s - %s"},
    {S::traffic_roads_no_interval, "kein Messintervall zu dieser Zeit", "no interval at this time"},
    {S::traffic_roads_unavailable, "Straßenwerte fehlen (siehe Warnungen)",
     "Road measures missing (see warnings)"},
    {S::traffic_live, "Was wäre wenn: Straße sperren", "What if: close a road"},
    {S::traffic_live_closing, "Straße sperren (Klick auf die Straße)", "Close a road (click on it)"},
    {S::traffic_live_hint, "Klicken Sie auf eine Straße, oder wählen Sie eine aus der Liste.",
     "Click on a road, or pick a street from the list."},
    {S::traffic_live_whole, "ganze Straße", "whole street"},
    {S::traffic_live_street, "Straße", "Street"},
    {S::traffic_live_pick_none, "(keine gewählt)", "(none picked)"},
    {S::traffic_live_picked, "Gesperrt wird: %s (%s, %d Kanten)", "To close: %s (%s, %d edges)"},
    {S::traffic_live_no_road, "Keine befahrbare Straße im Umkreis von %s m.",
     "No drivable road within %s m."},
    {S::traffic_live_from, "gesperrt ab", "closed from"},
    {S::traffic_live_to, "bis", "until"},
    {S::traffic_live_to_end, "bis zum Ende", "to the end"},
    {S::traffic_live_run, "Simulation starten", "Run"},
    {S::traffic_live_cancel, "Abbrechen", "Cancel"},
    {S::traffic_live_running, "SUMO rechnet: %s von %s Uhr, %s Fahrzeuge unterwegs",
     "SUMO running: %s of %s, %s vehicles on the road"},
    {S::traffic_live_reading, "Straßennetz und Nachfrage werden gelesen ...",
     "Reading the network and demand..."},
    {S::traffic_live_failed, "Live-Simulation nicht möglich: %s", "Live run failed: %s"},
    {S::traffic_live_title_from, "Live: %s gesperrt ab %s Uhr", "Live: %s closed from %s"},
    {S::traffic_live_title_between, "Live: %s gesperrt %s - %s Uhr", "Live: %s closed %s - %s"},
    {S::traffic_live_reason, "im Viewer gesperrt", "closed in the viewer"},
    {S::traffic_scenario_b, "Vergleich (B)", "Compare with (B)"},
    {S::traffic_plot_vehicles, "Fahrzeuge im Netz", "Vehicles on the network"},
    {S::traffic_plot_vehicles_now, "%s: %s Fahrzeuge", "%s: %s vehicles"},
    {S::traffic_plot_speed, "mittlere Geschwindigkeit im Netz", "Mean speed on the network"},
    {S::traffic_plot_speed_now, "%s: %s km/h", "%s: %s km/h"},
    {S::traffic_impacts_title, "Verkehr: Auswirkungen", "Traffic: impacts"},
    {S::traffic_impacts_alone, "Nur A gewählt: absolute Werte (B zum Vergleich wählen)",
     "Only A chosen: absolute figures (choose B to compare)"},
    {S::traffic_col_change, "Änderung", "Change"},
    {S::traffic_overall, "Gesamt", "Overall"},
    {S::traffic_not_started, "nicht gestartet", "Not started"},
    {S::traffic_districts, "Nach Ortsteil (Start der Fahrt): mittlere Reisezeit",
     "By district (where trips start): mean travel time"},
    {S::traffic_col_district, "Ortsteil", "District"},
    {S::traffic_col_trips, "Fahrten", "Trips"},
    {S::traffic_outside, "außerhalb (Durchgang, Einpendler)", "outside (through, in-commuters)"},
    {S::traffic_no_districts, "Keine Ortsteile (districts.json fehlt).",
     "No districts (districts.json is missing)."},
    {S::traffic_affected_roads, "Am stärksten zusätzlich belastete Straßen",
     "Roads with the largest increase in traffic"},
    {S::traffic_affected_roads_alone, "Meistbefahrene Straßen", "Busiest roads"},
    {S::traffic_no_roads, "Keine (edge_measures.json fehlt oder keine Zunahme).",
     "None (edge_measures.json is missing, or no increase)."},
    {S::traffic_col_road, "Straße", "Road"},
    {S::traffic_col_flow, "Fz/h", "veh/h"},
    {S::traffic_col_speed, "km/h", "km/h"},
    {S::traffic_lost, "Feuerwehr: nicht mehr rechtzeitig erreicht",
     "Fire brigade: no longer reached in time"},
    {S::traffic_lost_alone, "Feuerwehr: wegen der Sperrungen nicht mehr rechtzeitig",
     "Fire brigade: no longer in time because of the closures"},
    {S::traffic_lost_count, "%s Gebäude", "%s buildings"},
    {S::traffic_lost_counts_only, "Gebäude werden nur im Zwilling für Gemeinderat und Verwaltung genannt.",
     "Buildings are named only in the council's and administration's twins."},
    {S::traffic_seconds, "%s s", "%s s"},
    {S::hud_hint, "H: Bedienfelder einblenden   F1: Tasten", "H: show the panels   F1: keys"},
    {S::water_depth, "Wassertiefe", "Water depth"},
    {S::keys_title, "Tasten", "Keys"},
    {S::keys_h, "H\tBedienfelder aus- und einblenden", "H\thide and show the panels"},
    {S::keys_f1, "F1\tdiese Hilfe", "F1\tthis help"},
    {S::keys_f10, "F10\ttechnische Felder (Statistik, Kacheln)", "F10\ttechnical panels (statistics, tiles)"},
    {S::keys_f11, "F11\tVollbild", "F11\tfullscreen"},
    {S::keys_space, "Leertaste\tAbspielen / Anhalten", "Space\tplay / pause"},
    {S::keys_f, "F\tganzen Ort zeigen", "F\tshow the whole town"},
    {S::keys_tab, "Tab\tUmschalten: Umkreisen / Fliegen", "Tab\tswitch: orbit / fly"},
    {S::keys_mouse, "Maus\tlinks drehen, rechts verschieben, Rad zoomen",
     "Mouse\tleft turns, right pans, wheel zooms"},
    {S::keys_fly, "W A S D Q E\tfliegen (Umschalt: schneller)", "W A S D Q E\tfly (Shift: faster)"},
    {S::keys_p, "P\tBericht-PNG (ohne Bedienfelder, mit Legende, Nordpfeil, Maßstab)",
     "P\treport PNG (no panels; legend, north arrow, scale bar)"},
    {S::report_title, "Bericht-PNG", "Report PNG"},
    {S::report_button, "Bericht-PNG", "Report PNG"},
    {S::report_running, "Bericht-PNG wird erstellt ...", "Rendering the report PNG ..."},
    {S::report_saved, "Bericht-PNG gespeichert:", "Report PNG saved:"},
    {S::report_failed, "Bericht-PNG fehlgeschlagen:", "The report PNG failed:"},
};
static_assert(std::size(table) == size_t(S::count), "one text per S");

constexpr bool in_order() {
    for (size_t i = 0; i < std::size(table); ++i)
        if (table[i].key != S(i)) return false;
    return true;
}
static_assert(in_order(), "the table follows the order of S");

std::atomic<Lang> current{Lang::de};

}  // namespace

void set_language(Lang lang) {
    current = lang;
}

Lang language() {
    return current;
}

const char* tr(S s) {
    const Text& t = table[size_t(s)];
    return current == Lang::de ? t.de : t.en;
}

const char* tr(S s, Lang lang) {
    const Text& t = table[size_t(s)];
    return lang == Lang::de ? t.de : t.en;
}

const char* english_of(const char* text) {
    for (const Text& t : table)
        if (std::strcmp(t.de, text) == 0 || std::strcmp(t.en, text) == 0) return t.en;
    return text;
}

const std::string& localized(const std::string& de, const std::string& en) {
    if (current == Lang::de) return de.empty() ? en : de;
    return en.empty() ? de : en;
}

}  // namespace zw::viewer
