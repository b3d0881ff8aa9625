"""``qms``: the command line. Errors print one clear line and exit non-zero."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from qms.domain.errors import InvalidInput, QmsError
from qms.domain.labels import Label
from qms.services.app import Qms
from qms.services.config import Settings

Handler = Callable[[Qms, argparse.Namespace], int]
TRACE_LABELS = {"deviation": Label.DEVIATION, "risk": Label.RISK}


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def cmd_init(qms: Qms, args: argparse.Namespace) -> int:
    """Create the data directory and the schema."""
    print(f"Datakatalog klar: {qms.settings.data_dir.resolve()}")
    return 0


def cmd_load(qms: Qms, args: argparse.Namespace) -> int:
    """Load model files."""
    report = qms.load(Path(args.path), _actor())
    print(
        f"Inläst: {report.created} nya, {report.updated} ändrade, {report.unchanged} oförändrade;"
        f" {report.linked} länkar tillagda, {report.unlinked} borttagna"
    )
    return 0


def cmd_dump(qms: Qms, args: argparse.Namespace) -> int:
    """Write the whole graph as JSON lines."""
    from qms.services.dump import dump

    with open(args.file, "w", encoding="utf-8", newline="\n") as out:
        lines = dump(qms.store, out)
    print(f"{lines} rader skrivna till {args.file}")
    return 0


def cmd_restore(qms: Qms, args: argparse.Namespace) -> int:
    """Replace the graph with a dump."""
    from qms.services.dump import restore

    with open(args.file, encoding="utf-8") as source:
        count = restore(qms.store, qms.search_index, source)
    print(f"Återställt: {count} noder")
    return 0


def cmd_export(qms: Qms, args: argparse.Namespace) -> int:
    """Write a registered export format to a file (and each sheet as CSV beside it)."""
    from datetime import date

    from qms.services.access import coordinator
    from qms.services.export_history import run

    today = date.fromisoformat(args.today) if args.today else date.today()
    result = run(qms, coordinator(_actor()), args.name, scope=args.scope, today=today)
    out = Path(args.out)
    out.write_bytes(result.data)
    print(f"{len(result.data)} byte skrivna till {out}")
    for name, data in result.attachments:
        sibling = out.with_name(f"{out.stem} - {name}")
        sibling.write_bytes(data)
        print(f"{len(data)} byte skrivna till {sibling}")
    if result.record_path is not None:
        print(f"Jämförelseunderlag för nästa export sparat: {result.record_path}")
    return 0


def cmd_reindex(qms: Qms, args: argparse.Namespace) -> int:
    """Rebuild the search index."""
    print(f"Sökindex återskapat: {qms.reindex()} dokument")
    return 0


def cmd_search(qms: Qms, args: argparse.Namespace) -> int:
    """Search processes, activities, documents and roles."""
    hits = qms.search(" ".join(args.text), limit=args.limit)
    for hit in hits:
        print(f"{hit.label:<9} {hit.id:<28} {hit.title}")
    if not hits:
        print("Inga träffar.")
    return 0


def cmd_trace(qms: Qms, args: argparse.Namespace) -> int:
    """Show the goals a deviation or risk endangers: one sentence per route, and a picture."""
    from qms.services import tracing
    from qms.services.access import coordinator

    # The command line runs on the server with the data directory's rights: a coordinator.
    found = tracing.trace(qms, coordinator("cli"), TRACE_LABELS[args.kind], args.id)
    for number, sentence in enumerate(found.sentences, start=1):
        print(f"{number}. {sentence}")
    if not found.sentences:
        print("Inga mål nås från denna nod.")
    if args.svg:
        Path(args.svg).write_text(tracing.svg(found), encoding="utf-8")
        print(f"Bilden skriven till {args.svg}")
    return 0


def cmd_serve(qms: Qms, args: argparse.Namespace) -> int:
    """Run the web app with a production WSGI server (waitress, threads)."""
    import waitress

    from process_models import DEMO
    from web import create_app

    if args.demo and qms.is_empty():
        cmd_load(qms, argparse.Namespace(path=str(DEMO)))
    qms.close()  # the app opens its own services
    config: dict[str, object] = {"DATA_DIR": str(qms.settings.data_dir)}
    if args.demo:
        # The demo shows every page without signing in; its accounts show each role's view.
        config["OPEN_ACCESS"] = True
    app = create_app(config)
    print(f"QMS på http://{args.host}:{args.port}/  (Ctrl+C avslutar)")
    threads = args.threads or qms.settings.server_threads
    waitress.serve(app, host=args.host, port=args.port, threads=threads)
    return 0


def cmd_generate(qms: Qms, args: argparse.Namespace) -> int:
    """Fill an empty store with a synthetic municipality."""
    from qms.services.generate import generate

    if not qms.is_empty() and not args.replace:
        raise InvalidInput("grafen är inte tom; använd --replace för att ersätta den")
    graph = generate(args.nodes, seed=args.seed)
    qms.store.clear()
    qms.store.bulk_load(graph.entities, graph.links)
    print(
        f"Genererat: {len(graph.entities)} noder, {len(graph.links)} länkar; "
        f"sökindex {qms.reindex()} dokument"
    )
    return 0


def cmd_migrate(qms: Qms, args: argparse.Namespace) -> int:
    """Copy the embedded store (graph and change log) into an empty Neo4j database."""
    from qms.services.migrate_store import migrate_to_neo4j

    report = migrate_to_neo4j(qms.settings, force=args.force)
    print(
        f"Kopierat till Neo4j: {report.nodes} noder, {report.links} länkar, "
        f"{report.changes} ändringsposter; antal och kontrollsumma stämmer "
        f"(sha256 {report.checksum[:16]}…); sökindex {report.indexed} dokument"
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure load, trace, process page and search on a generated municipality (own stores)."""
    from qms.services.bench import run_bench

    for line in run_bench(args.nodes, samples=args.samples):
        print(line, flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="qms", description="QMS – processer och kvalitet.")
    parser.add_argument("--data-dir", help="datakatalog (standard: $QMS_DATA_DIR eller ./var)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    def add(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.set_defaults(handler=handler)
        return cmd

    add("init", cmd_init, "skapa datakatalogen och schemat")
    add("load", cmd_load, "läs in modellfiler (YAML)").add_argument("path")
    add("dump", cmd_dump, "skriv hela grafen som JSON-rader").add_argument("file")
    add("restore", cmd_restore, "ersätt grafen med en dump").add_argument("file")
    export = add("export", cmd_export, "skriv ett exportformat till en fil")
    export.add_argument("name", help="formatets namn, t.ex. jsonl, 2c8-excel, ils-sosfs")
    export.add_argument("--out", required=True, help="filen att skriva")
    export.add_argument("--scope", help="id för den organisationsenhet exporten avser")
    export.add_argument("--today", help="dagens datum (ÅÅÅÅ-MM-DD), annars systemets")
    add("reindex", cmd_reindex, "återskapa sökindexet från grafen")
    search = add("search", cmd_search, "sök processer, aktiviteter, dokument och roller")
    search.add_argument("text", nargs="+")
    search.add_argument("--limit", type=int, default=20)
    trace = add("trace", cmd_trace, "visa målen en avvikelse eller risk hotar")
    trace.add_argument("kind", choices=sorted(TRACE_LABELS))
    trace.add_argument("id")
    trace.add_argument("--svg", help="skriv spårningen som bild (SVG) till denna fil")
    serve = add("serve", cmd_serve, "kör webbappen")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument(
        "--threads", type=int, default=0, help="arbetstrådar (standard: kärnor + 1 på inbäddad)"
    )
    serve.add_argument("--demo", action="store_true", help="läs in demoorganisationen om tom")
    gen = add("generate", cmd_generate, "skapa en syntetisk kommun för mätningar")
    gen.add_argument("--nodes", type=int, default=100_000)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--replace", action="store_true", help="ersätt en befintlig graf")
    migrate = add("migrate", cmd_migrate, "kopiera den inbäddade grafen till Neo4j")
    migrate.add_argument("--to", required=True, choices=["neo4j"], help="målet")
    migrate.add_argument("--force", action="store_true", help="ersätt innehållet i målet")
    bench = sub.add_parser("bench", help="mät laddning, spårning, processida och sökning")
    bench.set_defaults(handler=None, standalone=cmd_bench)
    bench.add_argument("--nodes", type=int, default=100_000)
    bench.add_argument("--samples", type=int, default=300)

    def bench_portal(qms: Qms, args: argparse.Namespace) -> int:
        """Serve this data directory (``qms serve``) and time the portal's pages under load."""
        from qms.services.portal_bench import run_portal_bench

        lines = run_portal_bench(
            qms,
            clients=args.clients,
            each=args.requests,
            threads=args.threads or qms.settings.server_threads,
        )
        for line in lines:
            print(line, flush=True)
        return 0

    portal = add("bench-portal", bench_portal, "mät portalens sidor med samtidiga klienter")
    portal.add_argument("--clients", type=int, default=20, help="samtidiga klienter")
    portal.add_argument("--requests", type=int, default=50, help="anrop per klient och sidtyp")
    portal.add_argument("--threads", type=int, default=0, help="serverns trådar (som qms serve)")
    from qms.cli_bpmn import add_commands as add_bpmn_commands

    add_bpmn_commands(sub)
    from qms.cli_workspace import add_parser as add_workspace_commands

    add_workspace_commands(sub)
    from qms.cli_import import add_parser as add_import_commands

    add_import_commands(sub)
    from qms.cli_users import add_parser as add_user_commands

    add_user_commands(sub)
    from qms.cli_documents import add_parser as add_document_commands

    add_document_commands(sub)
    from qms.cli_bench_audit import add_parser as add_audit_bench

    add_audit_bench(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qms`` command."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.data_dir:
            settings = dataclasses.replace(settings, data_dir=Path(args.data_dir))
        if args.handler is None:  # commands that work on their own temporary stores
            return args.standalone(args)  # type: ignore[no-any-return]
        qms = Qms.open(settings)
        try:
            return args.handler(qms, args)  # type: ignore[no-any-return]
        finally:
            qms.close()
    except InvalidInput as exc:
        for line in [exc.message, *exc.lines()] if exc.errors else [exc.message]:
            print(f"qms: {line}", file=sys.stderr)
        return 2
    except (QmsError, OSError) as exc:
        print(f"qms: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
