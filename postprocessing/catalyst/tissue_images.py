# script-version: 2
#
# Ossify Catalyst pipeline (b): rendered images of the dominant tissue.
#   tissue_cut_DDDD.png  a cut through the bone axis (the y-z plane), with
#                        the load axis z running left to right
#   tissue_3d_DDDD.png   a 3-D view of the bone and callus, cut open along
#                        the same plane
# written into <output directory>/catalyst/images/ on every call. Rendering
# needs an X display: run Ossify under `xvfb-run -a` on a machine without
# one (the README's commands do).
from paraview import catalyst
from paraview.simple import *

# Ossify's Tissue enumeration (solver/tissue/tissue_types.h), in order, and
# a colour for each: soft tissues in reds and greys, cartilage blue, bone in
# yellows, fixed materials dark.
TISSUES = [
    ("granulation", [0.85, 0.55, 0.55]),
    ("fibrous", [0.80, 0.20, 0.20]),
    ("cartilage", [0.20, 0.45, 0.90]),
    ("woven bone", [1.00, 0.85, 0.20]),
    ("lamellar bone", [0.95, 0.60, 0.05]),
    ("marrow", [0.75, 0.75, 0.75]),
    ("cortical bone", [0.45, 0.35, 0.25]),
    ("soft tissue", [0.90, 0.80, 0.75]),
    ("implant", [0.30, 0.30, 0.35]),
]

grid = TrivialProducer(registrationName="grid")

# bone, marrow, gap and callus (regions 1-5); the soft-tissue sleeve and
# implants would hide the callus
bone_and_callus = Threshold(registrationName="bone_and_callus", Input=grid)
bone_and_callus.Scalars = ["CELLS", "region"]
bone_and_callus.LowerThreshold = 0.5
bone_and_callus.UpperThreshold = 5.5

# gap and callus (regions 3-5), not shown: the views are framed on them
callus = Threshold(registrationName="callus", Input=grid)
callus.Scalars = ["CELLS", "region"]
callus.LowerThreshold = 2.5
callus.UpperThreshold = 5.5

cut = Slice(registrationName="axial_cut", Input=bone_and_callus)
cut.SliceType = "Plane"
cut.SliceType.Origin = [0.0, 0.0, 0.0]
cut.SliceType.Normal = [1.0, 0.0, 0.0]

half = Clip(registrationName="half", Input=bone_and_callus)
half.ClipType = "Plane"
half.ClipType.Origin = [0.0, 0.0, 0.0]
half.ClipType.Normal = [1.0, 0.0, 0.0]
half.Crinkleclip = 0

tissue_lut = GetColorTransferFunction("dominant_tissue")
tissue_lut.InterpretValuesAsCategories = 1
tissue_lut.Annotations = sum([[str(i), name] for i, (name, _) in
                              enumerate(TISSUES)], [])
tissue_lut.IndexedColors = sum([colour for _, colour in TISSUES], [])


def tissue_view(source, size):
    view = CreateView("RenderView")
    view.ViewSize = size
    view.Background = [1.0, 1.0, 1.0]
    view.OrientationAxesVisibility = 0
    try:  # ParaView >= 5.10 uses a palette; keep the white background
        view.UseColorPaletteForBackground = 0
    except AttributeError:
        pass
    display = Show(source, view)
    ColorBy(display, ("CELLS", "dominant_tissue"))
    display.LookupTable = tissue_lut
    display.SetScalarBarVisibility(view, True)
    bar = GetScalarBar(tissue_lut, view)
    bar.Title = "dominant tissue"
    bar.ComponentTitle = ""
    bar.TitleColor = [0.1, 0.1, 0.1]
    bar.LabelColor = [0.1, 0.1, 0.1]
    label = Text(registrationName="label_%d" % id(view))
    label_display = Show(label, view)
    label_display.Color = [0.1, 0.1, 0.1]
    label_display.WindowLocation = "Upper Left Corner"
    label_display.FontSize = 14
    return view, label


cut_view, cut_label = tissue_view(cut, [1200, 600])
# look along -x at the y-z plane, z (the bone axis) horizontal
cut_view.CameraPosition = [300.0, 0.0, 0.0]
cut_view.CameraFocalPoint = [0.0, 0.0, 0.0]
cut_view.CameraViewUp = [0.0, 1.0, 0.0]
cut_view.CameraParallelProjection = 1

view_3d, label_3d = tissue_view(half, [1000, 800])
view_3d.CameraPosition = [260.0, 120.0, 160.0]
view_3d.CameraFocalPoint = [0.0, 0.0, 0.0]
view_3d.CameraViewUp = [0.0, 1.0, 0.0]

cut_png = CreateExtractor("PNG", cut_view, registrationName="tissue_cut")
cut_png.Writer.FileName = "tissue_cut_{timestep:04d}.png"
cut_png.Writer.ImageResolution = [1200, 600]
png_3d = CreateExtractor("PNG", view_3d, registrationName="tissue_3d")
png_3d.Writer.FileName = "tissue_3d_{timestep:04d}.png"
png_3d.Writer.ImageResolution = [1000, 800]

options = catalyst.Options()
options.GlobalTrigger = "TimeStep"
options.ExtractsOutputDirectory = "images"

_camera_placed = False


def global_bounds(source, time):
    """Bounds of @p source over all ranks: in situ, each rank's data
    information describes its own piece only."""
    source.UpdatePipeline(time)
    local = source.GetDataInformation().GetBounds()
    from vtkmodules.vtkCommonCore import vtkDoubleArray
    from vtkmodules.vtkParallelCore import (vtkCommunicator,
                                            vtkMultiProcessController)
    controller = vtkMultiProcessController.GetGlobalController()
    if controller is None or controller.GetNumberOfProcesses() < 2:
        return local
    result = []
    for values, operation in ((local[0::2], vtkCommunicator.MIN_OP),
                              (local[1::2], vtkCommunicator.MAX_OP)):
        send, receive = vtkDoubleArray(), vtkDoubleArray()
        for v in values:  # an empty piece has bounds (1e299, -1e299)
            send.InsertNextValue(v)
        controller.AllReduce(send, receive, operation)
        result.append([receive.GetValue(i) for i in range(3)])
    return [result[i % 2][i // 2] for i in range(6)]


def place_cameras(time):
    """Frames both views on the callus with some bone either side, once, so
    that all days share one frame."""
    # a half model (Fixation/Half model: only x >= 0) is its own cut:
    # slice just inside it, keep all of it and look at the cut from -x
    whole = global_bounds(bone_and_callus, time)
    half_model = abs(whole[0]) <= 1e-6 * (whole[1] - whole[0])
    if half_model:
        cut.SliceType.Origin = [whole[0] + 1e-3 * (whole[1] - whole[0]),
                                0.0, 0.0]
        half.Invert = 0
    side = -1.0 if half_model else 1.0
    bounds = global_bounds(callus, time)
    if bounds[0] > bounds[1]:  # no callus region: frame the whole bone
        bounds = whole
    centre = [0.5 * (bounds[2 * i] + bounds[2 * i + 1]) for i in range(3)]
    height = bounds[3] - bounds[2]
    length = 2.0 * (bounds[5] - bounds[4])  # the callus and as much bone
    # parallel scale = half the visible height; the cut image is 2:1. Shift
    # the frame so that the bone clears the legend on the right (screen
    # right is -z when looking along -x with y up).
    scale = max(0.75 * height, 0.3 * length)
    focal = [centre[0], centre[1], centre[2] - 0.35 * scale]
    cut_view.CameraFocalPoint = focal
    cut_view.CameraPosition = [focal[0] + 10 * height, focal[1], focal[2]]
    cut_view.CameraParallelScale = scale
    distance = 3.0 * max(height, length)
    view_3d.CameraFocalPoint = centre
    view_3d.CameraPosition = [centre[0] + side * 0.75 * distance,
                              centre[1] + 0.35 * distance,
                              centre[2] + 0.45 * distance]


def catalyst_execute(info):
    global _camera_placed
    text = "day %d" % round(info.time)
    cut_label.Text = text
    label_3d.Text = text
    if not _camera_placed:
        place_cameras(info.time)
        _camera_placed = True
