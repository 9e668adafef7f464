"""The ``livemoney`` command: platforms, plugins, settings, compare, value, convert, demo.

Exit codes (`livemoney.errors`): 0 done; 1 invalid input (an empty log too); 2 usage error; 3 a plugin
failed; 130 interrupted (Ctrl-C: one line, ``livemoney: interrupted``). Every error is one line on
stderr, ``livemoney: error: ...``; bad input never prints a traceback.

A plugin that failed (to load, or since: a hook that raised or answered wrong, see
`livemoney.pluginsys.manager`) does not stop a command that can go on with the other plugins: the
command does what it can, then names each failed plugin with its distribution on a line of its own
and exits 3. Ctrl-C while a plugin loads or runs says which one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import attrs
import click

from livemoney.checks import check_installed
from livemoney.core.fx import FALLBACKS, ecb_rates, offered_currencies
from livemoney.core.models import NO_MONEY, REPEAT, Platform, Rejected, Skipped
from livemoney.core.money import is_currency, to_decimal
from livemoney.core.settings import check_overrides, parse_assignments, setting_text
from livemoney.core.tables import markdown_table, text_table
from livemoney.core.untrusted import for_terminal
from livemoney.engine import api
from livemoney.engine.comparison import MAX_SPEND, compare
from livemoney.errors import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_PLUGIN,
    InvalidInput,
    LivemoneyError,
    PluginInterrupt,
    ReaderError,
    SettingError,
    UnknownPlatform,
)
from livemoney.pluginsys.hookspecs import CHANNELS
from livemoney.pluginsys.manager import HOST_NAME, PluginManager, default_manager, hooks_of

SAMPLE = "sample-stream.jsonl"


_ON_ERROR_HINT = "--on-error skip counts such records as rejected and goes on; --rejects FILE keeps them verbatim"
"""Said after the first bad record of a run in fail mode (the default), which stops it."""


class CliError(click.ClickException):
    """An error shown as one line, with its exit ``status`` (click's ``exit_code`` is one per class)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class Interrupted(click.ClickException):
    """Ctrl-C (SIGINT) while a command ran: one line, ``livemoney: interrupted`` (or what the interrupt
    says: which plugin was loading or running), and exit code 130, never 1 (invalid input)."""

    exit_code = EXIT_INTERRUPTED


def _exit_code(error: Exception) -> int | None:
    """The exit code of a livemoney error (its ``exit_code``) or of a file that cannot be read or written
    (``None``: not one of ours, a bug to show in full)."""
    if isinstance(error, LivemoneyError):
        return error.exit_code
    if isinstance(error, OSError) and not isinstance(error, BrokenPipeError):
        return EXIT_INVALID
    return None


class LivemoneyGroup(click.Group):
    """Shows every error as one line (``livemoney: error: ...``) with the project's exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except click.exceptions.Exit:
            if _plugin_failures(ctx, shown=True):
                raise click.exceptions.Exit(EXIT_PLUGIN) from None
            raise
        except (click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt as error:
            raise Interrupted(str(error) or "interrupted") from error
        except Exception as error:
            code = _exit_code(error)
            if code is None:
                raise
            failures = [line for line in _plugin_failures(ctx) if line != str(error)]
            first = str(error)
            if isinstance(error, InvalidInput) and not failures:  # the first bad record stops the run (fail mode)
                first += f" ({_ON_ERROR_HINT})"
            lines = [first, *(f"livemoney: error: {line}" for line in failures)]
            raise CliError("\n".join(lines), EXIT_PLUGIN if failures else code) from error
        if _plugin_failures(ctx, shown=True):
            ctx.exit(EXIT_PLUGIN)
        return result

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except Interrupted as error:
            # On a line of its own after the terminal's "^C"; the message alone when stderr is not a terminal.
            click.echo(
                ("\n" if sys.stderr.isatty() else "") + for_terminal(f"livemoney: {error.format_message()}"), err=True
            )
            code = error.exit_code
        except click.exceptions.NoArgsIsHelpError as error:  # `livemoney` alone: its help, as `--help` shows it
            click.echo(error.format_message())
            code = 0
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx is not None else ""
            click.echo(for_terminal(f"livemoney: error: {error.format_message()}{hint}"), err=True)
            code = error.exit_code
        except click.ClickException as error:
            click.echo(for_terminal(f"livemoney: error: {error.format_message()}"), err=True)
            code = error.status if isinstance(error, CliError) else error.exit_code
        except click.Abort as error:
            # Ctrl-C before a command ran (click turns KeyboardInterrupt into Abort; a PluginInterrupt names the
            # plugin that was loading), or an aborted prompt.
            cause = error.__cause__
            interrupted = isinstance(cause, KeyboardInterrupt)
            said = str(cause) if isinstance(cause, PluginInterrupt) else "interrupted" if interrupted else "aborted"
            click.echo(for_terminal(f"livemoney: {said}"), err=True)
            code = EXIT_INTERRUPTED if interrupted else EXIT_INVALID
        except BrokenPipeError:
            # The reader of our output went away (`livemoney ... | head`); stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            code = EXIT_INVALID
        sys.exit(code if isinstance(code, int) else 0)


# --- option types ---------------------------------------------------------------------------


class AmountType(click.ParamType):
    """A non-negative exact decimal amount (``100``, ``4.99``)."""

    name = "AMOUNT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            amount = to_decimal(value, "amount")
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a decimal number", param, ctx)
        if not 0 <= amount <= MAX_SPEND:
            self.fail(f"{value!r} must be between 0 and {MAX_SPEND:,}", param, ctx)
        return amount


def _with_rates() -> str:
    """The currencies a conversion has a rate for without ``--rates``: the ECB's current ones."""
    return f"the ECB's rates of {ecb_rates().last} give {', '.join(offered_currencies())}"


class CurrencyType(click.ParamType):
    """Any ISO-4217 code, in any case (``USD``, ``eur``, ``TWD``): money already in it needs no rate."""

    name = "CURRENCY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        code = str(value).strip().upper()
        if not is_currency(code):
            self.fail(
                f"{value!r} is not an ISO-4217 currency code (any code is a report currency; for a conversion "
                f"{_with_rates()}; --rates FILE gives others)",
                param,
                ctx,
            )
        return code


class CurrencyOption(click.Option):
    """``--currency``: its help lists the currencies with a current ECB rate (read only when shown)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        base = self.help
        self.help = (
            f"{base} Any ISO-4217 code: money already in it needs no rate. A conversion needs one: "
            f"{_with_rates()}; --rates FILE gives others."
        )
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = base


class DateType(click.ParamType):
    """A calendar date, YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


AMOUNT = AmountType()
CURRENCY = CurrencyType()
DATE = DateType()


PM_KEY = "livemoney.pm"
"""``ctx.meta`` key: the plugin manager a command uses and its `fault_mark` before the command."""
REPORTS_PLUGINS = "livemoney.reports-plugins"
"""``ctx.meta`` key: the command reports plugin failures itself (``livemoney plugins``)."""


def _pm() -> PluginManager:
    """The plugin manager: the one passed as ``obj`` (tests), else every installed plugin."""
    ctx = click.get_current_context()
    obj = ctx.obj
    pm = obj if isinstance(obj, PluginManager) else default_manager()
    ctx.meta.setdefault(PM_KEY, (pm, pm.fault_mark()))
    return pm


def _plugin_failures(ctx: click.Context, shown: bool = False) -> list[str]:
    """A line for each plugin that failed to load, and for each plugin and hook that failed during the
    command (the first fault, and how many more); with ``shown``, echoed to stderr as errors."""
    used = ctx.meta.get(PM_KEY)
    if used is None or ctx.meta.get(REPORTS_PLUGINS):
        return []
    pm, mark = used
    lines = [str(failure) for failure in pm.failures]
    groups: dict[tuple[str, str], list[Any]] = {}
    for fault in pm.faults_since(mark):
        groups.setdefault((fault.plugin, fault.hook), []).append(fault)
    for faults in groups.values():
        more = len(faults) - 1
        lines.append(f"{faults[0]}" + (f" (and {more} more like it)" if more else ""))
    if shown:
        for line in lines:
            click.echo(for_terminal(f"livemoney: error: {line}"), err=True)
    return lines


def _check_platform(pm: PluginManager, platform: str | None) -> None:
    if platform is None:
        return
    try:
        api.check_platform(pm, platform)
    except UnknownPlatform as error:
        raise click.BadParameter(str(error), param_hint="'--platform'") from None


def _settings(pm: PluginManager, assignments: Iterable[str]) -> dict[str, Any]:
    """The ``--set KEY=VALUE`` options, checked against the declared settings."""
    try:
        pairs = parse_assignments(assignments)
        check_overrides(pairs, api.declared_settings(pm))
    except SettingError as error:
        raise click.BadParameter(str(error), param_hint="'--set'") from None
    return pairs


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


FORMAT_HELP = "Output format."
SET_HELP = "Override a setting (repeatable), e.g. --set tiktok.diamond_usd=0.0045; see 'livemoney settings'."
RATES_HELP = (
    "Your own exchange rates, which win over the ECB's: a CSV whose first line is date,base,quote,rate,source "
    "and each row says 1 BASE = RATE QUOTE on DATE, e.g. 2024-12-13,USD,TWD,32.55,Bank of Taiwan."
)
FALLBACK_HELP = (
    "A rate more than 7 days older than the event's date is not used: the event is unknown, with the reason. "
    "'latest' uses the latest rate instead, and explain says so."
)


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
"""A click decorator of a command: an option, or several."""


def _format_option(*formats: str) -> Decorator:
    """``--format``, one of ``formats`` (the first is the default)."""
    return click.option(
        "--format", "format_", type=click.Choice(formats), default=formats[0], show_default=True, help=FORMAT_HELP
    )


SET_OPTION = click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help=SET_HELP)


def _rates_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--rate-fallback", "rate_fallback", type=click.Choice(FALLBACKS), help=FALLBACK_HELP)(
        command
    )
    return click.option(
        "--rates", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE", help=RATES_HELP
    )(command)


# --- commands -------------------------------------------------------------------------------


@click.group(cls=LivemoneyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="livemoney", message="%(prog)s %(version)s")
def main() -> None:
    """What a creator earns from live-stream gifts, donations, likes, sponsorships and sales.

    Exit codes: 0 done; 1 invalid input; 2 usage error; 3 a plugin failed; 130 interrupted (Ctrl-C).
    """


@main.command()
@_format_option("table", "markdown", "json")
def platforms(format_: str) -> None:
    """One row a platform: whether likes pay, and what gifts and donations the plugins describe."""
    pm = _pm()
    found = api.platforms(pm)
    if format_ == "json":
        click.echo(_json([_platform_dict(platform) for platform in found]))
        return
    headers = ["Platform", "Revenue from Likes", "Revenue from Gifts/Donations"]
    rows = [[p.name, p.likes_revenue, p.gifts_donations] for p in found]
    click.echo(markdown_table(headers, rows) if format_ == "markdown" else text_table(headers, rows))


def _platform_dict(platform: Platform) -> dict[str, Any]:
    return {
        "key": platform.key,
        "name": platform.name,
        "units": list(platform.units),
        "likes_pay": platform.likes_pay,
        "likes_revenue": platform.likes_revenue,
        "gifts_donations": platform.gifts_donations,
        "sources": [{"title": s.title, "url": s.url, "as_of": s.as_of} for s in platform.sources],
    }


def _plugin_rows(pm: PluginManager) -> list[dict[str, Any]]:
    loaded = {plugin.name: plugin for plugin in pm.loaded}
    rows = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        if name == HOST_NAME:
            distribution, release = "livemoney", _version("livemoney")
        elif name in loaded:
            distribution, release = loaded[name].distribution, loaded[name].version
        else:
            distribution, release = None, None
        rows.append({"name": name, "distribution": distribution, "version": release, "hooks": hooks_of(pm, plugin)})
    return sorted(rows, key=lambda row: (row["name"] != HOST_NAME, row["name"]))


def _version(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Check each plugin (hooks, settings and their sources, platform, valuations, readers); print each "
    "problem with the plugin's name. Exit 1 on a problem, 3 when a plugin failed to load.",
)
@_format_option("table", "json")
def plugins(check: bool, format_: str) -> None:
    """The installed plugins: distribution, version, the hooks each implements, and load failures."""
    click.get_current_context().meta[REPORTS_PLUGINS] = True
    pm = _pm()
    rows = _plugin_rows(pm)
    failures = [attrs.asdict(failure) for failure in pm.failures]  # with the traceback, in "detail"
    problems = [str(problem) for problem in check_installed(pm)] if check else []
    if format_ == "json":
        data: dict[str, Any] = {"plugins": rows, "failures": failures}
        if check:
            data["problems"] = problems
        click.echo(_json(data))
    else:
        table = [
            [
                row["name"],
                row["distribution"] or "-",
                row["version"] or "-",
                ", ".join(hook.removeprefix("livemoney_") for hook in row["hooks"]),
            ]
            for row in rows
        ]
        click.echo(text_table(["Plugin", "Distribution", "Version", "Hooks"], table))
        if pm.failures:
            click.echo(f"\n{len(pm.failures)} plugin(s) failed to load:")
            for failure in pm.failures:
                click.echo(f"  {failure}")
        if check:
            click.echo("\n" + ("\n".join(f"problem: {p}" for p in problems) if problems else "check: no problems"))
    if check and pm.failures:
        click.get_current_context().exit(EXIT_PLUGIN)
    if problems:
        click.get_current_context().exit(EXIT_INVALID)


@main.command()
@click.option("--platform", "platform", metavar="P", help="Only the settings of platform P (e.g. tiktok).")
def settings(platform: str | None) -> None:
    """Every setting key with its default, unit, meaning, source and as-of date, and its dated rules."""
    pm = _pm()
    _check_platform(pm, platform)
    blocks = []
    for setting in api.declared_settings(pm, platform):
        lines = [
            setting.key,
            f"  default:  {setting_text(setting.default)} {setting.unit}",
            f"  meaning:  {setting.description}",
            f"  source:   {setting.source.cite()}",
        ]
        if setting.choices:
            lines.append(f"  choices:  {', '.join(setting.choices)}")
        if setting.range_text:
            lines.append(f"  range:    {setting.range_text}")
        for rule in setting.history:
            note = f" ({rule.note})" if rule.note else ""
            lines.append(
                f"  from {rule.since.isoformat()}: {setting_text(rule.value)} {setting.unit}{note} [{rule.source.cite()}]"
            )
        blocks.append("\n".join(lines))
    click.echo("\n\n".join(blocks) if blocks else "no settings declared")


def _compare_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options: list[Decorator] = [
        click.option(
            "--spend",
            type=AMOUNT,
            default=Decimal(100),
            show_default=True,
            help="What one viewer spends on each feature.",
        ),
        click.option(
            "--currency",
            cls=CurrencyOption,
            type=CURRENCY,
            default="USD",
            show_default=True,
            help="Currency of the spend and of the results.",
        ),
        click.option(
            "--channel",
            type=click.Choice(CHANNELS),
            help="Where the viewer buys: in the app (app-store fees) or on the web; sets every "
            "*.purchase_channel setting.",
        ),
        click.option(
            "--as-of",
            "as_of",
            type=DATE,
            help="Apply the rules in force on this date (YYYY-MM-DD; default: today's, with the latest "
            "exchange rates where today's are not published yet). The title says the date.",
        ),
        SET_OPTION,
        _format_option("table", "markdown", "json"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command("compare")
@_compare_options
@_rates_options
def compare_command(
    spend: Decimal,
    currency: str,
    channel: str | None,
    as_of: dt.date | None,
    assignments: tuple[str, ...],
    format_: str,
    rates: Path | None,
    rate_fallback: str | None,
) -> None:
    """What the creator keeps of the same viewer spend on each platform and feature (today's rules unless
    --as-of says another day)."""
    pm = _pm()
    overrides = _settings(pm, assignments)
    result = compare(
        spend,
        currency=currency,
        as_of=as_of,
        settings=overrides,
        channel=channel,
        pm=pm,
        rates=rates,
        rate_fallback=rate_fallback,
    )
    click.echo(result.render(format_))


def _refuse_writing_an_input(output: Path | str | None, logs: Iterable[Path], option: str) -> None:
    """A usage error when ``output`` is one of the logs being read: writing it would erase the capture."""
    if output is None or str(output) == "-" or not Path(output).exists():
        return
    for log in logs:
        try:
            same = os.path.samefile(output, log)
        except OSError:
            continue
        if same:
            raise click.UsageError(f"{option} {output}: that is a log being read; writing it would erase it")


def _stdin_as_dash(ctx: click.Context, param: click.Parameter, logs: tuple[Path, ...]) -> tuple[Path, ...]:
    """``-`` among the logs is standard input (``/dev/stdin``: a pipe is read once, a redirected file as a file)."""
    return tuple(Path("/dev/stdin") if str(log) == "-" else log for log in logs)


def _input_options(command: Callable[..., Any] | None = None, *, required: bool = True) -> Any:
    """The input options of a command (``@_input_options``; ``@_input_options(required=False)``: LOG... may
    be left out)."""
    if command is None:
        return lambda command: _input_options(command, required=required)
    options = [
        click.argument(
            "logs",
            nargs=-1,
            required=required,
            metavar="LOG...",
            type=click.Path(exists=True, allow_dash=True, path_type=Path),
            callback=_stdin_as_dash,
        ),
        click.option(
            "--platform",
            "platform",
            metavar="P",
            help="The platform of events whose record does not say (e.g. a YouTube chat log).",
        ),
        click.option(
            "--input-format",
            "input_format",
            default="auto",
            show_default=True,
            metavar="F",
            help="The logs' format: a reader's name (a wrong name lists them), or auto to detect it from "
            "each file's first bytes.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


ENGINES = ("auto", "local", "duckdb", "spark")


@main.command("value")
@_input_options(required=False)
@click.option(
    "--currency", cls=CurrencyOption, type=CURRENCY, default="USD", show_default=True, help="Report currency."
)
@_rates_options
@click.option(
    "--as-of", "as_of", type=DATE, help="Apply the rules in force on this date (default: each event's own date)."
)
@SET_OPTION
@_format_option("table", "json", "csv")
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record each valued event in this SQLite ledger (idempotent: a second run adds nothing; the last "
    "lines say how many rows were added). Without LOG: the report of what the ledger holds.",
)
@click.option(
    "--on-error",
    "on_error",
    type=click.Choice(["fail", "skip"]),
    default="fail",
    show_default=True,
    help="On a bad line: fail (exit 1, naming FILE:LINE: field) or skip it and value the rest.",
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --on-error skip: write each rejected line verbatim, with its reason, to this file.",
)
@click.option(
    "--host",
    metavar="USER_ID",
    help="The LIVE host's user id: a gift whose record names another recipient (a guest of a multi-guest "
    "LIVE) is shown apart, never in the creator's totals. A record that names its host wins.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="What values the input: local (logs, event by event), duckdb (Parquet files or folders: "
    "pip install 'livemoney[duckdb]'), spark (Parquet files or folders, on Spark: pip install "
    "'livemoney[spark]'); auto: duckdb for Parquet, local for logs.",
)
def value_command(
    logs: tuple[Path, ...],
    platform: str | None,
    input_format: str,
    currency: str,
    as_of: dt.date | None,
    assignments: tuple[str, ...],
    format_: str,
    ledger: Path | None,
    on_error: str,
    rejects: Path | None,
    host: str | None,
    rates: Path | None,
    rate_fallback: str | None,
    engine: str,
) -> None:
    """Value event logs, or Parquet files of events: totals per platform and kind (gross, each share, net).

    Sums are exact; each figure shown is rounded once. Every record is accounted for: the last line says
    records = events + without money + rejected (+ kinds not read), and events = valued + duplicates.
    With --ledger FILE and no LOG: the report of the events the ledger holds.
    """
    from livemoney.engine import valuer

    if not logs:
        _report_ledger(ledger, format_)
        return
    if rejects is not None and on_error != "skip":
        raise click.UsageError("--rejects goes with --on-error skip (in fail mode the first problem stops the run)")
    _refuse_writing_an_input(rejects, logs, "--rejects")
    pm = _pm()
    _check_platform(pm, platform)
    _check_input_format(pm, input_format)
    overrides = _settings(pm, assignments)
    tables = _table_engine(logs, engine, ledger, input_format)
    if tables is not None:
        options: dict[str, Any] = {"currency": currency, "as_of": as_of, "settings": overrides, "pm": pm}
        options.update(platform=platform)
        options.update(on_error=on_error, rejects=rejects, host=host, rates=rates, rate_fallback=rate_fallback)
        report = _value_tables(tables, logs, options)
    else:
        report = valuer.value(
            list(logs),
            currency=currency,
            as_of=as_of,
            settings=overrides,
            pm=pm,
            input_format=input_format,
            platform=platform,
            on_error=on_error,
            rejects=rejects,
            ledger=ledger,
            # A command line is never in Jupyter: a bar only when someone watches stderr.
            progress=sys.stderr.isatty(),
            host=host,
            rates=rates,
            rate_fallback=rate_fallback,
        )
    _refuse_an_empty_log(logs, report)
    _echo_report(report, format_)
    _say_nothing_had_money(report)


def _echo_report(report: Any, format_: str) -> None:
    rendered = report.render(format_)
    click.echo(rendered, nl=not rendered.endswith("\n"))
    if format_ != "table":  # the table ends with them already; json and csv keep stdout clean
        for line in (*report.remarks(), report.counts_line()):
            click.echo(line, err=True)


VALUING_OPTIONS = (
    *("platform", "input_format", "currency", "rates", "rate_fallback", "as_of", "assignments"),
    *("on_error", "rejects", "host", "engine"),
)


def _report_ledger(ledger: Path | None, format_: str) -> None:
    """``livemoney value --ledger FILE`` without LOG: the report of what the ledger holds."""
    from livemoney.engine.ledger import report_of

    if ledger is None:
        raise click.UsageError("give LOG... to value, or --ledger FILE alone for the report of what a ledger holds")
    _refuse_valuing_options(VALUING_OPTIONS)
    _echo_report(report_of(ledger), format_)


def _refuse_valuing_options(names: Iterable[str]) -> None:
    """A usage error naming each of the options ``names`` given on the command line: without LOG, a ledger's
    valuations are read as they were made, with its own currency, rules and settings."""
    ctx = click.get_current_context()
    given = [
        f"--{name.replace('_', '-')}" if name != "assignments" else "--set"
        for name in names
        if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)
    ]
    if given:
        raise click.UsageError(
            f"{', '.join(given)}: only with LOG... to value; without LOG, --ledger reads the valuations the "
            "ledger holds, made with its own currency and settings"
        )


def _check_export_extra(format_: str) -> None:
    """Before any work: the library an export to ``format_`` needs (`MissingExtra`, exit 1, saying how to
    install it), so that a long analysis does not end in the missing library."""
    from livemoney.core.extras import extra
    from livemoney.engine.analytics import EXPORT_LIBRARIES

    if format_ in EXPORT_LIBRARIES:
        extra(*EXPORT_LIBRARIES[format_])


def _table_engine(logs: tuple[Path, ...], engine: str, ledger: Path | None, input_format: str) -> str | None:
    """The engine that values ``logs`` as tables of events (``duckdb``, ``spark``), or ``None``: the local one."""
    from livemoney.engine.columnar import is_parquet

    parquet = [is_parquet(path) for path in logs]
    folders = [str(path) for path, found in zip(logs, parquet) if path.is_dir() and not found]
    if folders:
        raise click.UsageError(f"{', '.join(folders)}: a folder is valued only when it holds Parquet files of events")
    if not any(parquet):
        if engine in ("duckdb", "spark"):
            raise click.UsageError(
                f"--engine {engine} values Parquet files of events; convert logs first: "
                "livemoney convert LOG --to parquet -o FILE"
            )
        return None
    if not all(parquet):
        raise click.UsageError("value Parquet files and logs in separate runs (or convert the logs to Parquet)")
    if engine == "local":
        raise click.UsageError("the local engine reads logs; Parquet files are valued with --engine duckdb or spark")
    if ledger is not None:
        raise click.UsageError("--ledger records events read from logs, not from Parquet files")
    if input_format != "auto":
        raise click.UsageError("--input-format names a log format; Parquet files are read by their schema")
    return "spark" if engine == "spark" else "duckdb"


def _value_tables(engine: str, paths: tuple[Path, ...], options: dict[str, Any]) -> Any:
    """Value Parquet files (or folders of them) with DuckDB or Spark (without the extra: `MissingExtra`, which
    says how to install it)."""
    if engine == "spark":
        from livemoney.engine import spark

        return spark.value_parquet(list(paths), **options)
    from livemoney.engine import columnar

    return columnar.value_parquet(list(paths), **options)


def _refuse_an_empty_log(logs: tuple[Path, ...], report: Any) -> None:
    """An empty log (no record at all) is an error, exit 1: nothing was read, which a wrong file or a
    capture that failed explains more often than a stream without a single record. With several logs of
    which some have records, each empty file is noted."""
    if report.records == 0:
        if all(log.is_file() for log in logs):
            which = ", ".join(str(log) for log in logs)
            raise ReaderError(f"{which}: no records: {'the log is' if len(logs) == 1 else 'the logs are'} empty")
        raise ReaderError("; ".join(f"{log}: no records{_read_from(log)}" for log in logs))
    for log in logs:
        if log.is_file() and log.stat().st_size == 0:
            click.echo(f"livemoney: note: {log} is empty: no records", err=True)


def _read_from(log: Path) -> str:
    if log.is_file():
        return ": the log is empty"
    return " read (a pipe or a device, not a file: if it had lines, save them to a file and value that)"


def _say_nothing_had_money(report: Any) -> None:
    """Records, but no event to value: say why (every record without money, not read or rejected), after the
    report (exit 0: a stream without money is a stream)."""
    if report.records == 0 or report.events != 0:
        return
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.without_money.items()))
    if sum(report.without_money.values()) == report.records:
        click.echo(f"livemoney: note: no event to value: every record is without money ({kinds})", err=True)
        return
    parts = [("without money", sum(report.without_money.values())), ("not read", sum(report.not_read.values()))]
    found = ", ".join(f"{name} {count}" for name, count in [*parts, ("rejected", report.rejected)] if count)
    records = f"{report.records} record{'s' if report.records != 1 else ''}"
    click.echo(f"livemoney: note: no event to value: of {records}, {found}", err=True)


def _check_input_format(pm: PluginManager, input_format: str) -> None:
    from livemoney.engine.readers import available_readers

    names = [reader.name for reader in available_readers(pm)]
    if input_format != "auto" and input_format not in names:
        raise click.BadParameter(
            f"unknown input format {input_format!r} (known: {', '.join(names)}, or auto)", param_hint="'--input-format'"
        )


@main.command()
@_input_options
@click.option(
    "--to",
    "to",
    type=click.Choice(["jsonl", "parquet"]),
    required=True,
    help="The output format: jsonl, the canonical event log (one JSON event a line); parquet, a Parquet file of "
    "the same events (needs -o FILE and pip install 'livemoney[parquet]'; 'livemoney[duckdb]' installs what "
    "valuing the Parquet file needs too).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="Write here ('-' for standard output).",
)
def convert(logs: tuple[Path, ...], platform: str | None, input_format: str, to: str, output: str) -> None:
    """Read logs in any known format and write them as a canonical event log, or a Parquet file of events.

    Records without money and duplicates (repeats of a message) are left out and counted, across the files
    too (they are read as one stream, as value reads them); the last line counts them in value's terms:
    ``records N = events E + without money M + rejected R; events E = written W + duplicates D``. Rejected
    records go to stderr as FILE:LINE: field: problem, and the exit code is then 1. Several files whose events
    carry no id (a repeat cannot be told) are warned of, as value warns.
    """
    from livemoney.engine import readers
    from livemoney.engine.report import without_id_warning
    from livemoney.engine.valuer import without_repeats

    pm = _pm()
    _check_platform(pm, platform)
    _check_input_format(pm, input_format)
    if output != "-" and not Path(output).parent.is_dir():
        raise click.BadParameter(f"{output}: its folder does not exist", param_hint="'--output'")
    if to == "parquet" and output == "-":
        raise click.BadParameter("a Parquet file is written to a file: give -o FILE", param_hint="'--output'")
    if any(path.is_dir() for path in logs):
        raise click.UsageError("convert reads log files, not folders")
    converted = rejected = repeats = without_id = 0
    without: dict[str, int] = {}
    unread: dict[str, int] = {}
    # Atomic: the file appears whole at the end, and -o may name one of the logs being read.
    with _events_writer(to, output) as out:
        for item in without_repeats(readers.read_logs(logs, format=input_format, platform=platform, pm=pm)):
            if isinstance(item, Rejected):
                rejected += 1
                click.echo(for_terminal(str(item)), err=True)
            elif isinstance(item, Skipped) and item.why == REPEAT:
                repeats += item.count
            elif isinstance(item, Skipped):
                counts = without if item.why == NO_MONEY else unread
                counts[item.kind] = counts.get(item.kind, 0) + item.count
            else:
                try:
                    out(item)
                except ValueError as error:  # an event a Parquet file cannot hold (a count beyond int64)
                    rejected += 1
                    click.echo(for_terminal(f"{item.source or '(event)'}: {error}"), err=True)
                else:
                    converted += 1
                    without_id += not item.id
    # In the terms of value's last line (`Report.counts_line`): events are those written and the duplicates.
    events = converted + repeats
    records = events + sum(without.values()) + sum(unread.values()) + rejected
    line = f"records {records} = events {events} + without money {sum(without.values())}"
    line += f" + not read {sum(unread.values())}" if unread else ""
    for kind, count in unread.items():  # as value says them: the notes, then the counts line last
        click.echo(f"not read: {kind}: {count} record{'s' if count != 1 else ''}, not read by this version", err=True)
    if without_id and len(logs) > 1:  # as value warns: a repeat of an event without an id is written twice
        click.echo(without_id_warning(without_id, len(logs), "is written twice"), err=True)
    click.echo(f"{line} + rejected {rejected}; events {events} = written {converted} + duplicates {repeats}", err=True)
    if rejected:
        click.get_current_context().exit(EXIT_INVALID)


@contextlib.contextmanager
def _events_writer(to: str, output: str) -> Iterator[Callable[[Any], object]]:
    """A function that writes one event to ``output`` as ``to`` (jsonl, parquet), which appears whole when
    the block ends without an error."""
    if to == "jsonl":
        from livemoney.core.canonical import canonical_line

        with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as out:
            yield lambda event: out.write(for_terminal(canonical_line(event)) + "\n")
        return
    from livemoney.engine.columnar import ParquetWriter

    part = Path(output).with_name(f".{Path(output).name}.part")
    writer = ParquetWriter(part)  # without pyarrow: MissingExtra, which says how to install it
    try:
        yield writer.add
        writer.close()
        os.replace(part, output)
    finally:
        part.unlink(missing_ok=True)


@main.command()
def demo() -> None:
    """The comparison of 100 USD on every platform (today's rules), then a valuation of the bundled sample
    stream."""
    from livemoney.engine import valuer

    pm = _pm()
    click.echo(compare(Decimal(100), currency="USD", pm=pm).render("table"))
    with resources.as_file(resources.files("livemoney") / "data" / SAMPLE) as sample:
        click.echo(f"\nThe bundled sample stream ({SAMPLE}), valued in USD:\n")
        report = valuer.value([sample], currency="USD", pm=pm, progress=sys.stderr.isatty())
        click.echo(report.render("table"))


@main.command("new-plugin")
@click.argument("name")
@click.option("--title", help="The platform's display name (default: NAME capitalised).")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to create (default: livemoney-NAME); it must not exist or be empty.",
)
def new_plugin_command(name: str, title: str | None, directory: Path | None) -> None:
    """Create a platform plugin for NAME (e.g. twitch) from livemoney's template; its tests pass as it is."""
    from livemoney.scaffold import new_plugin

    folder = new_plugin(name, directory or Path(f"livemoney-{name}"), title=title)
    click.echo(f"created {folder} (platform {name}); next: cd {folder} && python -m pytest")


# --- analyze --------------------------------------------------------------------------------


class ZoneType(click.ParamType):
    """An IANA time zone (``Europe/Paris``, ``UTC``)."""

    name = "ZONE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(str(value).strip())
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(f"{value!r} is not a time zone (an IANA name such as Europe/Paris, or UTC)", param, ctx)
        return str(value).strip()


ANALYZE_TABLES = ("viewers", "streams", "heatmap", "velocity", "engagement", "rows")


@main.command("analyze")
@click.argument(
    "logs",
    nargs=-1,
    metavar="[LOG...]",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
    callback=_stdin_as_dash,
)
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Analyse this ledger (every stream it holds); with LOGs, they are valued into it first.",
)
@click.option("--from", "start", type=DATE, help="The first day analysed (YYYY-MM-DD, in --tz).")
@click.option("--to", "end", type=DATE, help="The last day analysed, included (YYYY-MM-DD, in --tz).")
@click.option(
    "--stream",
    "streams",
    multiple=True,
    metavar="S",
    help="Only stream S (repeatable): a stream id, or a session named by its UTC start (2026-11-01T20:00Z).",
)
@click.option("--tz", type=ZoneType(), default="UTC", show_default=True, help="The time zone times are shown in.")
@click.option(
    "--table",
    type=click.Choice(ANALYZE_TABLES),
    default="viewers",
    show_default=True,
    help="viewers: leaderboard; streams: per-stream summary; heatmap: day x hour of the net; velocity: gifts per "
    "minute with spikes; engagement: likes and comments beside net per minute; rows: totals per platform and kind.",
)
@click.option(
    "--by",
    type=click.Choice(["all", "stream", "week", "month"]),
    default="all",
    show_default=True,
    help="With --table viewers: one row per viewer, or per viewer and stream, week or month.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help="Show the first N rows (per stream or period). Without it, the table format shows the first 50 rows "
    "and says how many more there are; csv and json show every row.",
)
@_format_option("table", "csv", "json")
@click.option(
    "--export",
    "export",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the whole table to FILE: .csv (formulas neutralised), .xlsx (needs livemoney[excel]), "
    ".parquet (needs livemoney[parquet]) or .json.",
)
@click.option(
    "--currency",
    cls=CurrencyOption,
    type=CURRENCY,
    help="Report currency of LOGs (default USD); a ledger's own otherwise.",
)
@_rates_options
@click.option("--as-of", "as_of", type=DATE, help="Apply the rules in force on this date to LOGs.")
@SET_OPTION
@click.option("--host", metavar="USER_ID", help="The LIVE host's user id (gifts to guests are kept apart).")
@click.option("--platform", "platform", metavar="P", help="The platform of events whose record does not say.")
@click.option("--input-format", "input_format", default="auto", show_default=True, metavar="F", help="The logs' format.")
def analyze_command(
    logs: tuple[Path, ...],
    ledger: Path | None,
    start: dt.date | None,
    end: dt.date | None,
    streams: tuple[str, ...],
    tz: str,
    table: str,
    by: str,
    top: int | None,
    format_: str,
    export: Path | None,
    currency: str | None,
    rates: Path | None,
    rate_fallback: str | None,
    as_of: dt.date | None,
    assignments: tuple[str, ...],
    host: str | None,
    platform: str | None,
    input_format: str,
) -> None:
    """Analyse logs or a ledger across streams: leaderboards, per-stream summary, when to stream, gift
    velocity, engagement; print a table and export it.

    Figures are exact sums, each rounded once; times are kept in UTC and shown in --tz. The last line
    accounts for every record of what the analysis covers.
    """
    from livemoney.engine.analytics import EXPORTS, analyze

    if not logs and ledger is None:
        raise click.UsageError("give LOG files to analyse, or --ledger FILE")
    if by != "all" and table != "viewers":
        raise click.UsageError("--by goes with --table viewers")
    if start is not None and end is not None and end < start:
        raise click.UsageError(f"--to {end} is before --from {start}")
    if export is not None and export.suffix.lower() not in EXPORTS:
        raise click.BadParameter(
            f"{export.name}: the file must end in {', '.join(EXPORTS)}", param_hint="'--export'"
        )
    if ledger is not None and not logs and not ledger.exists():
        raise click.BadParameter(f"{ledger}: no such ledger", param_hint="'--ledger'")
    if not logs:
        _refuse_valuing_options(("as_of", "assignments", "rates", "rate_fallback", "host", "platform", "input_format"))
    if export is not None:
        _check_export_extra(EXPORTS[export.suffix.lower()])
        _refuse_writing_an_input(export, logs, "--export")
    pm = _pm()
    _check_platform(pm, platform)
    _check_input_format(pm, input_format)
    overrides = _settings(pm, assignments)
    analysis = analyze(
        list(logs) or None,
        ledger=ledger,
        currency=currency,
        as_of=as_of if logs else None,
        settings=overrides if logs else None,
        rates=rates if logs else None,
        rate_fallback=rate_fallback if logs else None,
        host=host if logs else None,
        start=start,
        end=end,
        streams=list(streams) or None,
        tz=tz,
        pm=pm,
        input_format=input_format,
        platform=platform,
        progress=sys.stderr.isatty(),
    )
    options = {"by": by} if table == "viewers" else {}
    found = analysis.table(table, **options)
    shown = found
    if top is not None:
        shown = _first_rows(found, top, "stream" if by == "stream" else "period" if by in ("week", "month") else None)
    elif format_ == "table" and len(found.rows) > ROWS_SHOWN:  # a terminal: not 20,000 viewers at once
        shown = _first_rows(found, ROWS_SHOWN, None)
    # the viewers table's line of what is in none of its rows (two passes over the events: that table's only)
    outside = [line for line in [analysis.outside_viewers() if table == "viewers" else None] if line is not None]
    if format_ == "table":
        scope = []
        if start is not None or end is not None:
            scope.append(f"from {start or 'the first event'} to {end or 'the last event'}")
        if streams:
            scope.append(f"streams {', '.join(streams)}")
        title = f"{table}{' by ' + by if table == 'viewers' and by != 'all' else ''} in {analysis.currency}"
        title += f", times in {tz}" + (f" ({'; '.join(scope)})" if scope else "")
        click.echo(f"{title}; each figure rounded once\n")
        click.echo(shown.render("table"))
        if len(shown.rows) < len(found.rows):
            more = len(found.rows) - len(shown.rows)
            each = f" of each {'stream' if by == 'stream' else 'period'}" if table == "viewers" and by != "all" else ""
            click.echo(
                f"... {more:,} more row{'s' if more != 1 else ''} not shown, of {len(found.rows):,} (--top N shows N{each}; "
                "every row: --format csv or json, or --export FILE)"
            )
        for line in (*outside, *analysis.report.remarks(), analysis.report.counts_line()):
            click.echo(line)
    else:
        rendered = shown.render(format_)
        click.echo(rendered, nl=not rendered.endswith("\n"))
        for line in (*outside, *analysis.report.remarks(), analysis.report.counts_line()):
            click.echo(line, err=True)
    if export is not None:
        written = found.export(export)
        rows = len(found.rows)
        click.echo(f"wrote {rows:,} row{'s' if rows != 1 else ''} of {table} to {written}", err=True)


ROWS_SHOWN = 50
"""``livemoney analyze`` without ``--top`` prints at most this many rows of a table in its ``table`` format (the
line after them says how many more, and how to see them); ``csv`` and ``json`` give every row."""


def _first_rows(table: Any, n: int, group: str | None) -> Any:
    """The first ``n`` rows of ``table`` (of each value of column ``group``)."""
    if group is None:
        return attrs.evolve(table, rows=table.rows[:n])
    index = table.columns.index(group)
    counts: dict[Any, int] = {}
    kept = []
    for row in table.rows:
        counts[row[index]] = counts.get(row[index], 0) + 1
        if counts[row[index]] <= n:
            kept.append(row)
    return attrs.evolve(table, rows=tuple(kept))
