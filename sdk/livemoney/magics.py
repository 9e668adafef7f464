"""``%load_ext livemoney``: the ``%livemoney`` line magic and HTML display of the models.

    %load_ext livemoney
    %livemoney compare --spend 100 --currency EUR      # a Comparison, shown as a table
    report = %livemoney value stream.jsonl --currency EUR
    %livemoney platforms                               # any other command prints what the CLI prints

The magic takes the command line's own options (parsed by its click commands, so the same checks and
messages apply). ``compare`` and ``value`` return the `Comparison` and the `Report` (displayed as HTML;
with an explicit ``--format`` they print that format as the command does). Errors are one line,
``livemoney: error: ...``, never a traceback. ``$name`` and ``{expression}`` expand as in any magic.
"""

from __future__ import annotations

import shlex
import sys
from typing import Any

import click
from click.core import ParameterSource

from livemoney.errors import LivemoneyError
from livemoney.html import register_formatters
from livemoney.pluginsys.manager import default_manager

RETURNS = ("compare", "value")
"""The commands whose result the magic returns as an object instead of printing it."""


def _error(message: str) -> None:
    print(f"livemoney: error: {message}", file=sys.stderr)


def _run_cli(args: list[str]) -> None:
    from livemoney.cli import main

    code = main.main(args, prog_name="%livemoney", standalone_mode=False, obj=default_manager())
    if isinstance(code, int) and code:
        _error(f"exit status {code}")


def _compare(params: dict[str, Any]) -> Any:
    from livemoney.core.settings import parse_assignments
    from livemoney.engine.comparison import compare

    return compare(
        params["spend"],
        currency=params["currency"],
        as_of=params["as_of"],
        settings=parse_assignments(params["assignments"]),
        channel=params["channel"],
        pm=default_manager(),
        rates=params["rates"],
        rate_fallback=params["rate_fallback"],
    )


def _value(params: dict[str, Any]) -> Any:
    from livemoney.core.settings import parse_assignments
    from livemoney.engine.valuer import value

    return value(
        list(params["logs"]),
        currency=params["currency"],
        as_of=params["as_of"],
        settings=parse_assignments(params["assignments"]),
        pm=default_manager(),
        input_format=params["input_format"],
        platform=params["platform"],
        on_error=params["on_error"],
        rejects=params["rejects"],
        ledger=params["ledger"],
        rates=params["rates"],
        rate_fallback=params["rate_fallback"],
    )


def livemoney_magic(line: str) -> Any:
    """``%livemoney COMMAND [OPTIONS]``: a ``livemoney`` command in the notebook (``%livemoney --help``)."""
    from livemoney.cli import main

    try:
        args = shlex.split(line)
    except ValueError as error:
        _error(f"cannot split the command line: {error}")
        return None
    try:
        if not args or args[0] not in RETURNS:
            _run_cli(args)
            return None
        command = main.commands[args[0]]
        with command.make_context(f"%livemoney {args[0]}", args[1:], obj=default_manager()) as ctx:
            if ctx.get_parameter_source("format_") is ParameterSource.COMMANDLINE:
                _run_cli(args)
                return None
            return _compare(ctx.params) if args[0] == "compare" else _value(ctx.params)
    except click.exceptions.Exit:  # --help was printed
        return None
    except click.ClickException as error:
        _error(error.format_message())
    except (LivemoneyError, ValueError, OSError) as error:
        _error(str(error))
    return None


def load_ipython_extension(ipython: Any) -> None:
    """Register the ``%livemoney`` line magic and the HTML display of the models."""
    ipython.register_magic_function(livemoney_magic, magic_kind="line", magic_name="livemoney")
    register_formatters(ipython)
