"""The benchmark (`make bench`, `make bench-search`): outside the runtime package, so it may import every app."""
