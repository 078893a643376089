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
    twin_public,           // the citizens' twin is marked public
    twin_council,          // council twin: not for the public
    twin_staff,            // administration twin: internal, with the department
    department,            // "Abteilung" label
    synthetic_data,        // the sample town is synthetic
    // Layer panel
    layers_title,
    group_base,
    group_planning,
    group_infrastructure,
    group_import,
    group_other,
    opacity,
    legend,
    tiles_loaded,          // per-layer count of loaded tiles
    layer_failed,          // a layer that could not be loaded
    layer_no_access,       // the server refused the layer (403)
    // Inspector (picking)
    inspector_title,
    inspector_hint,        // nothing picked yet: "click a building, road or pipe"
    inspector_nothing,     // clicked on the sky or terrain without features
    inspector_layer,
    inspector_attributes,
    inspector_no_attributes,
    // Login panel
    login_title,
    login_prompt,          // "the twin at %s asks for a user name and password"
    login_user,
    login_password,
    login_submit,
    login_refused,         // 401: wrong user name or password
    login_forbidden,       // 403: this account may not open this twin
    login_tls,             // certificate not trusted
    count
};

void set_language(Lang lang);
Lang language();
const char* tr(S s);
// The German or the English of a pair that comes with the data; the other one when the
// wanted one is empty.
const std::string& localized(const std::string& de, const std::string& en);

}  // namespace zw::viewer
