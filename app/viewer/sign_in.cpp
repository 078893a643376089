#include "app/viewer/sign_in.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <iterator>

#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {

SignIn::SignIn(const Options& o) : o_(o) {
    form.url = core::display_uri(twin::manifest_uri(o.twin));
    if (!o.credentials.empty()) form.message = tr(S::login_refused);
}

void SignIn::start(const core::Credentials& credentials) {
    form.busy = true;
    form.message.clear();
    job_ = std::async(std::launch::async, [&o = o_, credentials] {
        Opened r;
        r.scene = load_scene(o, r.view, credentials);
        return r;
    });
}

std::optional<Opened> SignIn::poll() {
    if (!job_.valid() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return std::nullopt;
    form.busy = false;
    try {
        return job_.get();
    } catch (const core::FetchError& e) {
        core::warn("sign-in: ", e.what());
        form.message = e.kind() == core::FetchFailure::unauthorized ? tr(S::login_refused)
                       : e.kind() == core::FetchFailure::forbidden  ? tr(S::login_forbidden)
                       : e.kind() == core::FetchFailure::tls        ? tr(S::login_tls)
                                                                    : e.what();
    } catch (const std::exception& e) {
        core::warn("sign-in: ", e.what());
        form.message = e.what();
    }
    return std::nullopt;
}

std::optional<intent::SignIn> login_panel(LoginForm& form) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.4f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    panel_begin(tr(S::login_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove);
    ImGui::Text(tr(S::login_prompt), form.url.c_str());
    if (!form.message.empty())
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", form.message.c_str());
    ImGui::SetNextItemWidth(em(260));
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::InputText(tr(S::login_user), form.user, sizeof form.user);
    ImGui::SetNextItemWidth(em(260));
    const bool enter = ImGui::InputText(tr(S::login_password), form.password, sizeof form.password,
                                        ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    bool submit = false;
    if (form.busy) {
        ImGui::TextDisabled("...");
    } else {
        submit = ImGui::Button(tr(S::login_submit)) || enter;
    }
    panel_end();
    if (!submit || form.user[0] == '\0') return std::nullopt;
    intent::SignIn asked{{form.user, form.password}};
    std::fill(std::begin(form.password), std::end(form.password), '\0');
    return asked;
}

}  // namespace zw::viewer
