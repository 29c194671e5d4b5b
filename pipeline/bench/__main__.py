"""``python -m pipeline.bench``: the ``make bench`` script (see ``pipeline.bench.run``)."""

import sys

from pipeline.bench.run import main

sys.exit(main())
