// A refused X connection is tried again before VTK sees it.
//
// ParaView renders the Catalyst images through GLX on an X server, on a
// machine without a display the Xvfb that `xvfb-run -a` starts. VTK opens
// several connections per view (one to ask what OpenGL the server offers,
// one for the window) and calls abort() on the first one that fails
// ("bad X server connection"), which takes the whole MPI run down with
// signal 6 and no message of Ossify's.
//
// Measured on the 2-core development VM (Debian 12's Xvfb, 2026-12-03): two
// processes opening and closing connections in a loop saw 367 of 6000
// XOpenDisplay calls fail with ECONNRESET or EAGAIN, and one process alone
// about 1 in 1000; every one of them succeeded when tried again after
// 10-70 ms. Under CPU load the 2-rank half-model Catalyst regression
// aborted in 6 of 15 runs. So the failures are transient refusals by a busy
// server, not a missing display.
//
// This file is linked into the ossify executable, which exports the symbol:
// the executable comes first in every shared library's symbol lookup, so
// VTK's (and every other library's) calls to XOpenDisplay bind to the
// definition below. It calls libX11's (RTLD_NEXT) and retries a refusal
// with a growing pause, for up to about 2.2 s. A display that is really
// absent still fails, only that much later; with no DISPLAY at all it
// fails at once, and so does a display opened by name (hwloc probing for
// GPUs names :0, :1, ... whether they exist or not).

#include <dlfcn.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace
{
  // Xlib's Display is opaque here: only the pointer passes through.
  using OpenDisplay = void *(*)(const char *);

  OpenDisplay
  real_open_display()
  {
    static const auto function =
        reinterpret_cast<OpenDisplay>(dlsym(RTLD_NEXT, "XOpenDisplay"));
    return function;
  }
} // namespace

extern "C" void *
XOpenDisplay(const char *name)
{
  const OpenDisplay open = real_open_display();
  if (open == nullptr)
    return nullptr;
  // Only the default display is retried, and only when there is one:
  // VTK opens it by passing no name, while Open MPI's hwloc probes for GPUs
  // by naming displays :0, :1, ... that mostly do not exist, and waiting
  // for each of those cost 20 s at every start.
  const char *display = std::getenv("DISPLAY");
  if ((name != nullptr && *name != '\0') || display == nullptr ||
      *display == '\0')
    return open(name);
  constexpr int attempts = 30; // pauses of 5, 10, ..., 145 ms: 2.2 s in all
  for (int attempt = 1;; ++attempt)
  {
    if (void *connection = open(name))
      return connection;
    if (attempt == attempts)
      return nullptr;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
  }
}
