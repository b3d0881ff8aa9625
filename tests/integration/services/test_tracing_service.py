"""Tracing an avvikelse or a risk to the goals, on the demo organisation."""

from __future__ import annotations

from lxml import etree

from qms.domain.labels import Label
from qms.services import tracing
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms

SVG = "{http://www.w3.org/2000/svg}"
START = "dev-lexsarah-utebliven-insats"


def test_every_sentence_reads_up_to_the_direction_goal(demo: Qms) -> None:
    found = tracing.trace(demo, coordinator("test"), Label.DEVIATION, START)
    assert found.sentences
    for sentence in found.sentences:
        assert sentence.startswith("Lex Sarah-rapporten ”Utebliven insats")
        assert sentence.endswith(
            "som bryter ned inriktningsmålet ”Ett Stockholm som håller samman”."
        )
    joined = "\n".join(found.sentences)
    assert "berör aktiviteten ”Planera uppstart, kontaktman och första besök”" in joined
    assert "som ingår i processen ”Hemtjänst – från beslut till insats”" in joined
    assert (
        "realiserar risken ”Bristande personalkontinuitet i hemtjänsten”, som hotar nämndmålet"
        in joined
    )
    assert "som bryter ned KF-målet ”I Stockholm har äldre" in joined
    assert found.goals[0].id == "g-im-1"


def test_an_avvikelse_title_is_hidden_without_permission(demo: Qms) -> None:
    found = tracing.trace(demo, ANONYMOUS, Label.DEVIATION, START)
    assert found.start.caption == START
    assert all("Utebliven insats" not in s for s in found.sentences)
    assert "Utebliven insats" not in tracing.svg(found)


def test_a_risk_traces_to_its_goals(demo: Qms) -> None:
    found = tracing.trace(demo, ANONYMOUS, Label.RISK, "risk-lakemedel")
    assert any(s.startswith("Risken ”Läkemedel ges inte") for s in found.sentences)
    assert "g-em-hsl-lakemedel" in found.nodes


def test_the_picture_is_svg_with_every_edge_labelled(demo: Qms) -> None:
    found = tracing.trace(demo, coordinator("test"), Label.DEVIATION, START)
    root = etree.fromstring(tracing.svg(found, lambda label, i: f"/x/{label}/{i}").encode())
    assert root.tag == f"{SVG}svg"
    edges = root.findall(f".//{SVG}g[@class='edge']")
    assert len(edges) == len(found.hops)
    labels = {"".join(e.itertext()).split("\n")[-1].strip() for e in edges}
    labels = {t for e in edges for t in (x.text for x in e.iter(f"{SVG}text")) if t}
    assert {"berör", "ingår i", "bidrar till", "bryter ned", "realiserar", "hotar"} <= labels
    assert all(e.find(f".//{SVG}text") is not None for e in edges)
    links = {a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")}
    assert "/x/Goal/g-im-1" in links
    assert f"/x/Deviation/{START}" in links
