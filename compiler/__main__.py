import os
import sys

# `python -m compiler` puts the current folder first on the import path, and reportc runs in a
# project root that holds files from many writers: a `yaml.py` there would be run as code in
# place of PyYAML. Nothing reportc imports comes from the project, so that entry goes.
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
    del sys.path[0]

from .cli import run  # noqa: E402  (after the import path is safe)

sys.exit(run())
