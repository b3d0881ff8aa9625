"""Server-side SVG: a process in BPMN style and the process landscape, drawn by Graphviz."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from qms.bpmn import landscape, svg
from qms.bpmn.layout import scene_of
from qms.bpmn.reader import read
from qms.domain.entities import Process
from qms.domain.kinds import ProcessKind

RICH = (Path(__file__).parent / "data" / "rich.bpmn").read_bytes()
SVG = "{http://www.w3.org/2000/svg}"
HEADINGS = {
    ProcessKind.MANAGEMENT: "Styrprocesser",
    ProcessKind.CORE: "Huvudprocesser",
    ProcessKind.SUPPORT: "Stödprocesser",
}


def _texts(data: bytes) -> list[str]:
    return [t.text or "" for t in etree.fromstring(data).iter(f"{SVG}text")]


def test_a_process_svg_shows_pools_lanes_and_names() -> None:
    model = read(RICH, "rich.bpmn")
    data = svg.render(svg.source(scene_of(model, model.processes[0])))
    texts = _texts(data)
    for expected in ("Kommunen", "Handläggare", "Enhetschef", "Registrera ansökan", "Komplett?"):
        assert expected in texts


def test_quotes_and_backslashes_in_names_cannot_break_the_dot_text() -> None:
    assert svg.quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'


def test_the_landscape_has_three_bands_per_unit_and_links() -> None:
    processes = (
        Process(id="p-a", name="Hemtjänst", kind=ProcessKind.CORE),
        Process(id="p-b", name="Bemanna", kind=ProcessKind.SUPPORT),
        Process(id="p-c", name="Följa upp", kind=ProcessKind.MANAGEMENT),
    )
    units = [landscape.Unit("Äldreomsorg", processes), landscape.Unit("Övriga", processes[:1])]
    data = svg.render(landscape.source(units, HEADINGS, "/processer/{id}"))
    texts = _texts(data)
    assert texts.count("Huvudprocesser") == 2
    assert texts.count("Stödprocesser") == 2
    assert texts.count("Styrprocesser") == 2
    links = {
        a.get("{http://www.w3.org/1999/xlink}href") for a in etree.fromstring(data).iter(f"{SVG}a")
    }
    assert {"/processer/p-a", "/processer/p-b", "/processer/p-c"} <= links
