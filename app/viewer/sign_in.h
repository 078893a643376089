// Signing in to a served twin that answered 401 (in a window): the form, and the twin's
// manifest fetched again with the typed credentials on a worker thread while the frames
// go on.
#pragma once

#include <future>
#include <optional>
#include <string>

#include "app/viewer/intents.h"
#include "app/viewer/options.h"
#include "app/viewer/scene.h"

namespace zw::viewer {

// What the form shows and what the user types into it (UI state only).
struct LoginForm {
    std::string url;      // shown
    std::string message;  // the last failure, empty at first
    bool busy = false;    // a sign-in is under way
    char user[128] = {};
    char password[128] = {};
};

// The form. Returns the typed credentials when the user submitted them with a user name
// (the password is then cleared from the form).
std::optional<intent::SignIn> login_panel(LoginForm& form);

// A twin opened with the typed credentials.
struct Opened {
    View view;
    Scene scene;
};

class SignIn {
  public:
    // For the twin of `o` (o.twin); `o` outlives this. With --credentials given, the form
    // says at once that they were refused.
    explicit SignIn(const Options& o);

    LoginForm form;

    // Fetches the manifest again with `credentials` (on a worker thread).
    void start(const core::Credentials& credentials);
    // Once a frame, never waits: the twin once a sign-in has succeeded. A failure goes
    // into the form's message (and a warning).
    std::optional<Opened> poll();

  private:
    const Options& o_;
    std::future<Opened> job_;  // its destructor waits for a fetch still under way
};

}  // namespace zw::viewer
