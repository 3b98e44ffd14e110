# script-version: 2
#
# Ossify Catalyst pipeline (c): a live connection for ParaView GUI users.
# In the ParaView GUI: Catalyst > Connect... (port 22222), then run Ossify
# with this script in subsection Output/Catalyst. The grid appears in the
# Pipeline Browser as "grid" and updates on every call; extract what you
# want to see with the eye icon. Pause the simulation from the GUI with
# Catalyst > Pause Simulation. Set OSSIFY_CATALYST_LIVE_URL to connect to
# another host or port (default localhost:22222).
import os

from paraview import catalyst
from paraview.simple import *

grid = TrivialProducer(registrationName="grid")

options = catalyst.Options()
options.GlobalTrigger = "TimeStep"
options.EnableCatalystLive = 1
options.CatalystLiveURL = os.environ.get("OSSIFY_CATALYST_LIVE_URL",
                                         "localhost:22222")
options.CatalystLiveTrigger = "TimeStep"


def catalyst_execute(info):
    print("catalyst live: day %g sent to %s" % (info.time,
                                                options.CatalystLiveURL),
          flush=True)
