"""One error base: every error livemoney raises on purpose is a `LivemoneyError` with its exit code, and
keeps the built-in base it always had."""

import importlib
import inspect
import pkgutil

import livemoney
import pytest
from livemoney import errors
from livemoney.cli import main

ERRORS = [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, Exception)]
VALUE_ERRORS = {
    errors.AnalysisError,
    errors.CurrencyMismatch,
    errors.FieldError,
    errors.FxError,
    errors.InvalidInput,
    errors.LedgerError,
    errors.RatesFileError,
    errors.ReaderError,
    errors.ScaffoldError,
    errors.SettingError,
    errors.UnknownPlatform,
    errors.UnknownPlugin,
}


def test_every_error_has_the_base_and_its_old_built_in_base():
    assert set(ERRORS) == {errors.LivemoneyError, errors.PluginError, errors.MissingExtra, *VALUE_ERRORS}
    assert issubclass(errors.MissingExtra, ImportError) and not issubclass(errors.MissingExtra, ValueError)
    assert all(issubclass(cls, errors.LivemoneyError) for cls in ERRORS)
    assert all(issubclass(cls, ValueError) for cls in VALUE_ERRORS)
    assert issubclass(errors.PluginError, RuntimeError) and not issubclass(errors.PluginError, ValueError)


@pytest.mark.parametrize("cls", ERRORS, ids=lambda cls: cls.__name__)
def test_exit_codes_come_from_the_base(cls):
    assert cls.exit_code == (3 if cls is errors.PluginError else 1)


def test_a_field_error_names_its_field():
    error = errors.FieldError("amount", "missing")
    assert (str(error), error.field, error.problem) == ("amount: missing", "amount", "missing")


def test_the_command_line_exits_with_the_errors_code(tmp_path, capsys):
    # new-plugin raises ScaffoldError for a bad name; the command line maps it by its exit_code, no list
    with pytest.raises(SystemExit) as stopped:
        main.main(["new-plugin", "Not A Key", "--directory", str(tmp_path / "x")], prog_name="livemoney")
    assert stopped.value.code == errors.ScaffoldError.exit_code == 1
    assert capsys.readouterr().err.startswith("livemoney: error: 'Not A Key' is not a platform key")


INTERNAL = {
    "livemoney.cli.CliError": "the command line's one line of a LivemoneyError, with its exit code",
    "livemoney.cli.Interrupted": "the command line's Ctrl-C: one line, exit code 130",
    "livemoney.engine.report.TooLarge": "caught by the valuer, which rejects the event (amount too large)",
    "livemoney.widgets.state.ControlError": "shown by a dashboard beside the control it names",
}
"""The exception classes of the host outside errors.py, none raised to a caller of livemoney's API."""


def test_every_error_class_the_host_raises_is_in_errors():
    found = set()
    for module in pkgutil.walk_packages(livemoney.__path__, "livemoney."):
        names = vars(importlib.import_module(module.name)).values()
        found |= {
            f"{module.name}.{cls.__qualname__}"
            for cls in names
            if isinstance(cls, type) and issubclass(cls, BaseException) and cls.__module__ == module.name
        }
    assert sorted(name for name in found if not name.startswith("livemoney.errors.")) == sorted(INTERNAL)
    assert {f"livemoney.errors.{cls.__name__}" for cls in ERRORS} <= found
