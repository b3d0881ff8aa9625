"""The process landscape (processkarta): per organisation unit, three bands of processes."""

from __future__ import annotations

from dataclasses import dataclass

from qms.bpmn.svg import FONT, quote, wrap
from qms.domain.entities import Process
from qms.domain.kinds import ProcessKind

#: Top to bottom, as process maps are drawn: steering above the core, support below.
BANDS = (ProcessKind.MANAGEMENT, ProcessKind.CORE, ProcessKind.SUPPORT)
COLOURS = {
    ProcessKind.MANAGEMENT: ("#ddf4ff", "#54aeff"),
    ProcessKind.CORE: ("#dafbe1", "#4ac26b"),
    ProcessKind.SUPPORT: ("#fff8c5", "#d4a72c"),
}
PER_ROW = 4


@dataclass(frozen=True)
class Unit:
    """An organisation unit (or the group of processes without one) and its processes."""

    name: str
    processes: tuple[Process, ...]


def source(units: list[Unit], headings: dict[ProcessKind, str], link: str) -> str:
    """The dot text of the map; ``link`` is a URL pattern with ``{id}`` for each process."""
    out = [
        "digraph landscape {",
        f'graph [rankdir=TB, newrank=true, nodesep=0.25, ranksep=0.3, fontname="{FONT}",'
        ' fontsize=14, bgcolor="white", pad=0.2];',
        f'node [fontname="{FONT}", fontsize=11, shape=box, style="rounded,filled",'
        ' width=2.2, height=0.6, margin="0.15,0.06"];',
        "edge [style=invis];",
    ]
    # Units side by side in up to three columns (each column a chain), read down each column.
    columns_of_units = 1 if len(units) <= 2 else 2 if len(units) <= 6 else 3
    tails: dict[int, str] = {}
    for number, unit in enumerate(units):
        previous = tails.get(number % columns_of_units)
        out.append(f"subgraph cluster_u{number} {{ label={quote(unit.name)}; labeljust=l;")
        out.append('style="rounded"; color="#8c959f"; penwidth=1.2;')
        by_kind = {
            kind: sorted(
                (p for p in unit.processes if p.kind is kind), key=lambda p: p.name.casefold()
            )
            for kind in BANDS
        }
        # Every band as wide as the widest, so the three read as bands, boxes from the left.
        columns = max(1, min(PER_ROW, max(len(v) for v in by_kind.values())))
        for kind in BANDS:
            fill, border = COLOURS[kind]
            band = f"u{number}_{kind.value}"
            out.append(f"subgraph cluster_{band} {{ label={quote(headings[kind])}; labeljust=l;")
            out.append(f'style="filled,rounded"; fillcolor="{fill}"; color="{border}";')
            processes: list[Process | None] = list(by_kind[kind])
            rows = [processes[i : i + columns] for i in range(0, len(processes), columns)] or [[]]
            first = last = ""
            for index, row in enumerate(rows):
                names = [f"{band}_{index}_{i}" for i in range(columns)]
                padded = row + [None] * (columns - len(row))
                for name, process in zip(names, padded, strict=True):
                    if process is None:
                        height = 0.6 if row else 0.2
                        out.append(f'{name} [label="", style=invis, height={height}];')
                    else:
                        out.append(_box(name, process, kind, border, link))
                out.append(f"{{rank=same; {'; '.join(names)};}}")
                if len(names) > 1:
                    out.append(" -> ".join(names) + ";")
                if last:
                    out.append(f"{last} -> {names[0]};")
                first = first or names[0]
                last = names[0]
            out.append("}")
            if previous is not None:
                out.append(f"{previous} -> {first};")
            previous = last
        tails[number % columns_of_units] = last
        out.append("}")
    out.append("}")
    return "\n".join(out)


def _box(name: str, process: Process, kind: ProcessKind, border: str, link: str) -> str:
    shape = "cds" if kind is ProcessKind.CORE else "box"
    href = quote(link.replace("{id}", process.id))
    return (
        f'{name} [label={quote(wrap(process.name, 24))}, shape={shape}, fillcolor="white",'
        f' color="{border}", penwidth=1.5, URL={href}, target="_top",'
        f" tooltip={quote(process.name)}];"
    )
