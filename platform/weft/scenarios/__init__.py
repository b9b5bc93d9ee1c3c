"""Analyst dry runs: scenario files (``processes/<module>/scenarios/*.yaml``) that start a
process, complete its tasks, move the clock and check the path taken — run by ``weft test``, in
``make test`` and from the web, always in a throw-away database."""
