"""The engine's benchmarks (``negotiation bench``), kept out of the package.

They time the package from outside, as a user's program would: installed
copies of ``negotiation`` carry no benchmark code. ``negotiation bench``
loads this folder from the source checkout (the working directory's
``benchmarks/``, else the one beside ``src/``) as the package
``negotiation_benchmarks``; ``bench.py`` is the command, ``bench_more.py``
its start-up and large-space rows.
"""
