"""The ``livemoney`` command's entry point (``[project.scripts]``), outside the ``livemoney`` package: Ctrl-C
while Python imports livemoney, before the command runs, is one line and exit 130 (`EXIT_INTERRUPTED`), as it
is once the command runs (`livemoney.cli.main`), never a traceback. It imports nothing of livemoney itself:
importing the package is what may be interrupted."""

import sys

EXIT_INTERRUPTED = 130
"""`livemoney.errors.EXIT_INTERRUPTED` (a test checks they agree)."""


def main() -> None:
    """Import the command line, then run it."""
    try:
        from livemoney.cli import main as command
    except KeyboardInterrupt:
        sys.stderr.write(("\n" if sys.stderr.isatty() else "") + "livemoney: interrupted\n")
        raise SystemExit(EXIT_INTERRUPTED) from None
    command()
