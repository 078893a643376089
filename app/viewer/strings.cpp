#include "app/viewer/strings.h"

#include <array>
#include <atomic>

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
    {S::tiles_loaded, "Kacheln geladen", "tiles loaded"},
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
    {S::login_tls,
     "Dem Zertifikat des Servers wird nicht vertraut; die CA mit --ca-file angeben.",
     "The server's certificate is not trusted; give its CA with --ca-file."},
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

const std::string& localized(const std::string& de, const std::string& en) {
    if (current == Lang::de) return de.empty() ? en : de;
    return en.empty() ? de : en;
}

}  // namespace zw::viewer
