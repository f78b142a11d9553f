"""The knowledge of the field, in plain Python: no Django imports anywhere below this package.

Reference data lives in ``data/`` (each fact with its source); the engines that read it
(screening, scoring, the outcome summary) are pure functions that the web app, the API, the
CLI and the tests all call.
"""
