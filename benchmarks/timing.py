"""What every benchmark times with: the median of a few runs (the machines are shared and noisy:
one run says little). Imported by the scripts of this folder, which run as files
(``python benchmarks/<name>.py``), so this folder is on their path."""

import statistics
import time
from collections.abc import Callable


def timed(func: Callable[[], object], runs: int = 5) -> float:
    """The median of ``runs`` calls of ``func``, in seconds."""
    samples = []
    for _run in range(runs):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
