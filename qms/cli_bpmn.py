"""``qms bpmn …``: conformance over a folder of files, import, export and SVG."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from qms.domain.kinds import ProcessKind
from qms.services.app import Qms

KIND_HEADINGS = {
    ProcessKind.MANAGEMENT: "Styrprocesser",
    ProcessKind.CORE: "Huvudprocesser",
    ProcessKind.SUPPORT: "Stödprocesser",
}


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def cmd_conformance(qms: Qms, args: argparse.Namespace) -> int:
    """One row per file, then ``N passed, N failed``; exit 1 when any failed."""
    from qms.services.bpmn_conformance import conformance

    passed = failed = 0
    for row in conformance(Path(args.dir)):
        if row.passed:
            passed += 1
            note = " (diagram lagt ut)" if row.laid_out else ""
            print(f"PASS  {row.path}  {row.nodes} noder{note}", flush=True)
        else:
            failed += 1
            print(f"FAIL  {row.path}: {'; '.join(row.problems)}", flush=True)
        if row.reference:
            shown = "; ".join(row.reference[:6]) + (" …" if len(row.reference) > 6 else "")
            print(f"      jämfört med referensen: {shown}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_import(qms: Qms, args: argparse.Namespace) -> int:
    """Import a BPMN file as processes (the next version of those with the same ids)."""
    from qms.services.bpmn_import import import_bpmn

    path = Path(args.file)
    report = import_bpmn(
        qms,
        path.read_bytes(),
        path.name,
        _actor(),
        process_id=args.process,
        kind=ProcessKind(args.kind),
    )
    print(
        f"Inläst: {', '.join(report.processes)}; {report.created} nya, {report.updated} ändrade,"
        f" {report.unchanged} oförändrade, {report.removed} borttagna"
    )
    for activity in report.kept:
        print(f"  behölls (har kopplingar): {activity}")
    for old, new in report.renamed.items():
        print(f"  nytt id: {old} → {new}")
    for warning in report.warnings:
        print(f"  justerat: {warning}")
    return 0


def cmd_export(qms: Qms, args: argparse.Namespace) -> int:
    """Write a process as a BPMN 2.0 file."""
    from qms.services.bpmn_export import export_process

    data = export_process(qms.store, args.process)
    Path(args.out).write_bytes(data)
    print(f"{len(data)} byte skrivna till {args.out}")
    return 0


def cmd_svg(qms: Qms, args: argparse.Namespace) -> int:
    """Write a process, or the process landscape, as SVG (Graphviz)."""
    from qms.services.bpmn_diagrams import landscape_svg, process_svg

    if args.process:
        data, _ = process_svg(qms.store, args.process)
    else:
        data, _ = landscape_svg(qms.store, KIND_HEADINGS, "Övriga", "/processer/{id}")
    Path(args.out).write_bytes(data)
    print(f"{len(data)} byte skrivna till {args.out}")
    return 0


def cmd_bench(qms: Qms, args: argparse.Namespace) -> int:
    """Time import, export and layout against their targets."""
    from qms.services.bpmn_bench import default_corpus, run

    for line in run(Path(args.corpus) if args.corpus else default_corpus()):
        print(line, flush=True)
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``bpmn`` command group."""
    group = sub.add_parser("bpmn", help="BPMN 2.0: import, export, SVG, konformitet")
    commands = group.add_subparsers(dest="bpmn_command", required=True, metavar="KOMMANDO")
    check = commands.add_parser("conformance", help="importera, exportera och validera alla .bpmn")
    check.add_argument("dir")
    check.set_defaults(handler=cmd_conformance)
    load = commands.add_parser("import", help="läs in en BPMN-fil som processer")
    load.add_argument("file")
    load.add_argument("--process", help="processen filen är nästa version av")
    load.add_argument("--kind", choices=[k.value for k in ProcessKind], default="core")
    load.set_defaults(handler=cmd_import)
    out = commands.add_parser("export", help="skriv en process som BPMN-fil")
    out.add_argument("process")
    out.add_argument("--out", required=True)
    out.set_defaults(handler=cmd_export)
    draw = commands.add_parser("svg", help="rita en process (eller processkartan) som SVG")
    draw.add_argument("process", nargs="?", help="utelämnas för processkartan")
    draw.add_argument("--out", required=True)
    draw.set_defaults(handler=cmd_svg)
    bench = commands.add_parser("bench", help="mät import, export och layout")
    bench.add_argument("--corpus", help="MIWG-korpusen (standard: $QMS_MIWG_CORPUS)")
    bench.set_defaults(handler=cmd_bench)
