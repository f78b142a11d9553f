"""NeedleRx's settings with the benchmark's bare page mounted beside the app
(``bench/bare_page.py``), for the server ``bench/served.py`` starts; never used by the app."""

from needlerx.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_page"
