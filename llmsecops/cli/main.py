"""Entry point: builds the typer app, maps every error to one line and an exit code."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import typer

from llmsecops import __version__
from llmsecops.cli import baseline, db, doctor, init, merge, report, rules, scan
from llmsecops.errors import ExitCode, LlmsecopsError
from llmsecops.report._text import printable

BUG_URL = "https://github.com/llmsecops/llmsecops/issues"
MESSAGE_LIMIT = 500


def _line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """An error message as one terminal-safe line: it may quote a config key
    or a path from the scanned repository."""
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


app = typer.Typer(
    name="llmsecops",
    help="Security scanner for LLM applications: SAST, secrets, dependency audit and "
    "LLM-specific rules in one pass.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"llmsecops {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for internal errors."),
) -> None:
    """llmsecops: security scanner for LLM applications."""


app.command("scan")(scan.scan)
app.add_typer(rules.app, name="rules")
app.command("report")(report.report)
app.command("merge")(merge.merge)
app.add_typer(baseline.app, name="baseline")
app.command("doctor")(doctor.doctor)
app.command("init")(init.init)
app.add_typer(db.app, name="db")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="llmsecops", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        print("llmsecops: aborted", file=sys.stderr)
        return int(ExitCode.INCOMPLETE)
    except typer.TyperException as exc:  # bad usage: unknown option, missing argument, ...
        text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: show its help
            print(text, file=sys.stderr)
            return int(ExitCode.USAGE)
        print(f"llmsecops: error: {_line(text)} (see --help)", file=sys.stderr)
        return int(ExitCode.USAGE)
    except LlmsecopsError as exc:
        print(f"llmsecops: error: {_line(str(exc))}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("llmsecops: interrupted", file=sys.stderr)
        return int(ExitCode.INCOMPLETE)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(
            f"llmsecops: internal error: {type(exc).__name__}: {_line(str(exc), 200)} "
            f"(this is a bug: please report it at {BUG_URL}; rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return int(ExitCode.INCOMPLETE)
    return int(result) if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())
