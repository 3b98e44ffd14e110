"""Launching `ossify`: the command line (under mpiexec for several ranks)
and the environment Open MPI needs when run as root or oversubscribed."""
import os

#: Open MPI refuses to run as root without these
OPEN_MPI_ROOT_VARIABLES = {
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
}
#: ... and more ranks than cores without this one
OPEN_MPI_OVERSUBSCRIBE = {"OMPI_MCA_rmaps_base_oversubscribe": "1"}


def command(ossify, arguments, ranks=1, mpiexec="mpiexec", launcher=()):
    """The command line that runs `ossify ARGUMENTS` on `ranks` MPI ranks.

    One rank runs the executable directly (no mpiexec needed); several run
    it as `mpiexec -np N`. `launcher` goes in front of everything (e.g.
    ("xvfb-run", "-a")).
    """
    if ranks < 1:
        raise ValueError(f"ranks must be at least 1, got {ranks}")
    line = [ossify] + list(arguments)
    if ranks > 1:
        line = [mpiexec, "-np", str(ranks)] + line
    return list(launcher) + line


def environment(base=None):
    """A copy of `base` (default: os.environ) with the Open MPI variables
    that running as root (when root) and more ranks than cores need,
    unless they are set already."""
    env = dict(os.environ if base is None else base)
    variables = dict(OPEN_MPI_OVERSUBSCRIBE)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        variables.update(OPEN_MPI_ROOT_VARIABLES)
    for name, value in variables.items():
        env.setdefault(name, value)
    return env
