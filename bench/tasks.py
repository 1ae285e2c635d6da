"""The bench's work inside Django, each in a fresh process that bench/run.py starts with the bench's environment.

    python -m bench.tasks seed [--stories N ...] [--reseed]   seed the database, unless it holds this version
    python -m bench.tasks urls FILE                           write the URL lists to load (JSON) to FILE
    python -m bench.tasks search [--rounds N] [--explain]     time the site search
    python -m bench.tasks inprocess TYPES_JSON SAMPLES        render pages in process: time and queries (JSON)

Django is set up (DJANGO_SETTINGS_MODULE, greenjobs.settings by default) before the bench modules,
which import the apps' models, are imported.
"""

import argparse
import json
import os
from pathlib import Path

COUNTED = {
    "stories": "published stories",
    "pending": "pending stories",
    "events": "events",
    "courses": "courses",
    "themes": "themes",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.tasks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    tasks = parser.add_subparsers(dest="task", required=True)
    seed = tasks.add_parser("seed", help="seed stories, events, courses and themes (COUNTS in bench/seed.py)")
    for name, label in COUNTED.items():
        seed.add_argument(
            f"--{name}", type=int, metavar="N", help=f"{label} to seed (default: COUNTS in bench/seed.py)"
        )
    seed.add_argument("--reseed", action="store_true", help="seed again even if the data is current")
    urls = tasks.add_parser("urls", help="write the URL lists (JSON) to FILE")
    urls.add_argument("file", type=Path)
    search = tasks.add_parser("search", help="time the site search on the current database")
    search.add_argument("--rounds", type=int, default=10, help="times each query runs (default 10)")
    search.add_argument("--explain", action="store_true", help="print the plan of one query")
    inprocess = tasks.add_parser("inprocess", help="render URLs of each page type in process (page cache off)")
    inprocess.add_argument("types", type=Path, help='JSON file: {"types": [{key, label, urls}]}')
    inprocess.add_argument("samples", type=int)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.task == "inprocess":
        os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenjobs.settings")
    import django

    django.setup()
    if args.task == "seed":
        from bench.seed import seed

        seed(reseed=args.reseed, **{name: getattr(args, name) for name in COUNTED if getattr(args, name) is not None})
    elif args.task == "urls":
        from bench.url_lists import url_lists

        args.file.write_text(json.dumps(url_lists()))
    elif args.task == "search":
        from bench.search import time_searches

        print(time_searches(args.rounds, args.explain))
    else:
        from bench.inprocess import measure

        print(json.dumps(measure(json.loads(args.types.read_text())["types"], args.samples)))


if __name__ == "__main__":
    main()
