"""The heat map SVG: one cell per scale step pair, one marker per risk, text besides colour."""

from __future__ import annotations

import dataclasses

from lxml import etree

from qms.domain.entities import Risk
from qms.domain.risk_matrix import DEFAULT
from qms.services.heatmap import heatmap_svg

NS = {"s": "http://www.w3.org/2000/svg"}
RISKS = [
    Risk(id="r-1", title="Fel dos <läkemedel>", probability=3, consequence=5),
    Risk(id="r-2", title="Nycklar", probability=3, consequence=5),
    Risk(id="r-3", title="Attest & behörighet", probability=1, consequence=2),
]


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode())


def test_one_cell_per_step_pair_and_one_marker_per_risk() -> None:
    root = parse(heatmap_svg(DEFAULT, RISKS))
    assert len(root.findall(".//s:g[@class='cell']", NS)) == 25
    markers = root.findall(".//s:g[@class='marker']", NS)
    assert sorted(m.get("data-risk") for m in markers) == ["r-1", "r-2", "r-3"]
    titles = [m.find("s:title", NS).text for m in markers]
    assert any("Fel dos <läkemedel>" in t and "r-1" in t for t in titles)


def test_accessible_title_description_axes_and_legend() -> None:
    svg = heatmap_svg(DEFAULT, RISKS)
    root = parse(svg)
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    assert [root.find(f".//*[@id='{i}']", NS).tag.split("}")[1] for i in labelled] == [
        "title",
        "desc",
    ]
    text = " ".join(root.itertext())
    for words in ("Sannolikhet", "Konsekvens", "2 - Mindre sannolikt", "Mycket allvarlig"):
        assert words in text
    legend = root.find(".//s:g[@class='legend']", NS)
    assert [t for t in legend.itertext() if "(" in t] == [
        "Låg (1–4)",
        "Medel (5–9)",
        "Hög (10–14)",
        "Mycket hög (15–25)",
    ]


def test_cells_take_their_level_colour_and_name() -> None:
    root = parse(heatmap_svg(DEFAULT, []))
    top = root.find(".//s:g[@data-probability='5'][@data-consequence='5']", NS)
    assert top.find("s:rect", NS).get("fill") == "#c62828"
    assert "Mycket hög" in "".join(top.itertext())
    low = root.find(".//s:g[@data-probability='1'][@data-consequence='1']", NS)
    assert low.find("s:rect", NS).get("fill") == "#2e7d32"


def test_markers_link_when_asked() -> None:
    root = parse(heatmap_svg(DEFAULT, RISKS, link=lambda r: f"/risker/{r.id}?a=1&b=2"))
    links = root.findall(".//s:a", NS)
    assert [a.get("href") for a in links][0].startswith("/risker/")
    assert "/risker/r-3?a=1&b=2" in [a.get("href") for a in links]


def test_a_smaller_matrix_and_risks_off_the_scale() -> None:
    small = dataclasses.replace(
        DEFAULT,
        probability_labels=("Låg", "Medel", "Hög"),
        consequence_labels=("Liten", "Märkbar", "Stor"),
        level_names=("Låg", "Hög"),
        level_colours=("#2e7d32", "#c62828"),
        level_minimums=("1", "5"),
        control_threshold=5,
    )
    root = parse(heatmap_svg(small, RISKS))
    assert len(root.findall(".//s:g[@class='cell']", NS)) == 9
    assert len(root.findall(".//s:g[@class='marker']", NS)) == 3
