# script-version: 2
#
# Ossify Catalyst pipeline (a): data extracts. Writes the whole distributed
# grid, with every field, as one .pvtu per call into
# <output directory>/catalyst/extracts/, each rank its own piece.
# How often it runs is set by "Interval" in subsection Output/Catalyst.
from paraview import catalyst
from paraview.simple import *

# the channel name Ossify's adaptor registers its grid under
grid = TrivialProducer(registrationName="grid")

vtu = CreateExtractor("VTU", grid, registrationName="callus_vtu")
vtu.Writer.FileName = "callus_{timestep:04d}.pvtu"

options = catalyst.Options()
options.GlobalTrigger = "TimeStep"
options.ExtractsOutputDirectory = "extracts"
