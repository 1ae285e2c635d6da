"""Development tools the Makefile runs, outside the runtime package (``python -m tools.NAME``)."""
