"""What several of Ossify's Python scripts need, in one place: reading a
run's results, launching `ossify` (under MPI), and the region and boundary
labels of the binary.

Scripts outside postprocessing/ put this folder's parent on sys.path:

    sys.path.insert(0, os.path.join(<repository>, "postprocessing"))
    from ossifypy import results, launch, labels
"""
