"""``python -m bench [--quick]``: run every benchmark (see `bench.run`)."""

from bench.run import main

main()
