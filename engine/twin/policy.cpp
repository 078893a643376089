#include "engine/twin/policy.h"

#include <algorithm>

#include "engine/core/error.h"

namespace zw::twin {
namespace {

std::string department_list(const Manifest& twin) {
    std::string out;
    for (const Department& d : twin.departments)
        out += (out.empty() ? "" : ", ") + d.id + " (" + d.title_de + ")";
    return out;
}

}  // namespace

Grant grant(const Manifest& twin, const std::string& department) {
    Grant g;
    if (twin.audience != Audience::staff) {
        if (!department.empty())
            fail("the ", twin.title_en, " (", twin.id,
                 ") has no departments; --department is for the "
                 "administration twin");
        for (const Layer& l : twin.layers)
            g.layers.push_back(&l);
        return g;
    }
    if (twin.departments.empty())
        fail("the administration twin '", twin.uri,
             "' lists no departments, so no layer can be shown; "
             "bake it again with zwilling-bake");
    if (department.empty())
        fail("the administration twin is opened per department: give --department with one of ",
             department_list(twin));
    const auto d = std::find_if(twin.departments.begin(), twin.departments.end(),
                                [&](const Department& x) { return x.id == department; });
    if (d == twin.departments.end())
        fail("the administration twin has no department '", department, "'; its departments are ",
             department_list(twin));
    g.department = &*d;
    // In the twin's drawing order, not the department's listing order.
    for (const Layer& l : twin.layers)
        if (std::find(d->layers.begin(), d->layers.end(), l.id) != d->layers.end()) g.layers.push_back(&l);
    return g;
}

std::vector<std::string> group_order(const std::vector<const Layer*>& layers) {
    std::vector<std::string> out;
    for (const char* known : {"base", "planning", "infrastructure", "import"})
        if (std::any_of(layers.begin(), layers.end(), [&](const Layer* l) { return l->group == known; }))
            out.push_back(known);
    for (const Layer* l : layers)
        if (std::find(out.begin(), out.end(), l->group) == out.end()) out.push_back(l->group);
    return out;
}

}  // namespace zw::twin
