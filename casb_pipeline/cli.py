"""`casb-pipeline`: the command line of README "Commands".

Parsers live here; each handler calls one domain function. Dagster is
imported only inside the handlers that run assets.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from casb_pipeline.errors import CasbError


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a date: use YYYY-MM-DD") from None


def _run(args: argparse.Namespace) -> int:
    from assets.runner import run_pipeline

    return run_pipeline(start=args.start, end=args.end, extract_only=args.command == "extract")


def _ui(args: argparse.Namespace) -> int:
    from assets.runner import run_ui

    return run_ui()


def _dlp_scan(args: argparse.Namespace) -> int:
    from casb_pipeline.dlp.command import scan_command

    return scan_command(
        in_path=args.input,
        out_path=args.out,
        text_column=args.text_column,
        id_column=args.id_column,
        profiles_path=args.profiles,
    )


def _dlp_hash_edm(args: argparse.Namespace) -> int:
    from casb_pipeline.dlp.command import hash_edm_command

    return hash_edm_command(in_path=args.input, out_path=args.out)


def _simulator_serve(args: argparse.Namespace) -> int:
    from casb_pipeline.simulator.command import serve_command

    return serve_command(
        port=args.port,
        seed=args.seed,
        scale=args.scale,
        anchor=args.anchor,
        api_key=args.api_key,
        rate_limit_rpm=args.rate_limit_rpm,
    )


def _actions_execute(args: argparse.Namespace) -> int:
    from casb_pipeline.actions.command import execute_command

    return execute_command(
        action_ids=args.action_id, execute=args.execute, select_all=args.all_actions
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casb-pipeline",
        description="Out-of-band CASB for Claude over the Compliance API.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, text in (
        ("run", "materialise the whole asset graph (extract, text, DLP, reports)"),
        ("extract", "materialise the extraction assets, then the warehouse"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--start", type=_date, help="first daily partition (YYYY-MM-DD)")
        sub.add_argument("--end", type=_date, help="last daily partition, inclusive")
        sub.set_defaults(handler=_run)

    ui = commands.add_parser("ui", help="run the Dagster UI on 127.0.0.1 over the same instance")
    ui.set_defaults(handler=_ui)

    dlp = commands.add_parser("dlp", help="data loss prevention tools")
    dlp_commands = dlp.add_subparsers(dest="dlp_command", required=True, metavar="COMMAND")
    scan = dlp_commands.add_parser("scan", help="scan a Parquet table of texts")
    scan.add_argument("input", type=Path, metavar="IN.parquet")
    scan.add_argument("--out", type=Path, required=True, metavar="OUT.parquet")
    scan.add_argument("--text-column", default="text")
    scan.add_argument("--id-column", default="id")
    scan.add_argument("--profiles", type=Path, metavar="FILE", help="custom profiles file")
    scan.set_defaults(handler=_dlp_scan)
    edm = dlp_commands.add_parser("hash-edm", help="turn a CSV of exact values into digests")
    edm.add_argument("input", type=Path, metavar="IN.csv")
    edm.add_argument("--out", type=Path, required=True, metavar="EDM_FILE")
    edm.set_defaults(handler=_dlp_hash_edm)

    sim = commands.add_parser("simulator", help="the embedded Compliance API simulator")
    sim_commands = sim.add_subparsers(dest="sim_command", required=True, metavar="COMMAND")
    serve = sim_commands.add_parser("serve", help="serve the synthetic organization")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--seed", type=int, default=None, help="default: CASB_SIM_SEED or 7")
    serve.add_argument("--scale", choices=("small", "medium", "large"), default=None)
    serve.add_argument("--anchor", type=_date, default=None, help="last day of data")
    serve.add_argument("--api-key", default=None, help="the only key accepted")
    serve.add_argument(
        "--rate-limit-rpm", type=int, default=None, help="requests/minute; 0 for no limit"
    )
    serve.set_defaults(handler=_simulator_serve)

    actions = commands.add_parser("actions", help="remediation actions")
    action_commands = actions.add_subparsers(dest="actions_command", required=True)
    execute = action_commands.add_parser(
        "execute",
        help="carry out actions of the action list (dry run unless --execute)",
        description="A dry run prints each action with its reason and sends nothing "
        "(without ids: every open action). --execute sends the deletes of the actions "
        "named by id, or of every open one with --all; it needs "
        "CASB_ALLOW_DESTRUCTIVE_ACTIONS=1 and a warehouse built within the last 24 h "
        "(CASB_ACTIONS_MAX_WAREHOUSE_AGE_HOURS).",
    )
    execute.add_argument(
        "action_id", nargs="*", help="action ids (exports/actions.csv); a dry run: all open"
    )
    execute.add_argument(
        "--all",
        dest="all_actions",
        action="store_true",
        help="every open action (needed with --execute when no ids are given)",
    )
    execute.add_argument("--execute", action="store_true", help="really call the delete endpoints")
    execute.set_defaults(handler=_actions_execute)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CasbError as error:
        print(f"casb-pipeline: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("casb-pipeline: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
