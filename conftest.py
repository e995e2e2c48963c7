"""pytest configuration for the whole repository.

``make test`` collects doctests from the package. The lessons' percent
scripts and the benchmarks are Python files too, but importing them would
run a lesson or a benchmark: lessons are tested through their stored
notebooks (nbval) instead, and benchmarks are run by hand.
"""

collect_ignore_glob = ["notebooks/*.py", "solutions/*.py", "exercises/*", "benchmarks/*.py",
                       "relmark_lab/templates/*"]  # report templates run by tests/reports
