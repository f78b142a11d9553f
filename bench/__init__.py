"""NeedleRx benchmarks (``make bench``, or ``python -m bench.run --help``); never run as tests."""
