"""The goal tree, the goal page and what threatens a goal, on the demo organisation."""

from __future__ import annotations

import pytest

from qms.domain.errors import NotFound
from qms.domain.kinds import DeviationStatus, Verdict
from qms.services import goal_graph, goals
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms


def test_exposure_reaches_risks_through_contributing_activities(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    found = goals.exposure(graph, "g-nm-aldre", ANONYMOUS)
    by_id = {e.risk.id: e for e in found.risks}
    # risk-nyckel threatens only two activities, which serve enhetsmål under the nämndmål
    assert {v.id for v in by_id["risk-nyckel"].via} == {"a-ht-planera", "a-ht-utfora"}
    assert "risk-kontinuitet" in by_id
    values = [e.risk.value for e in found.risks]
    assert values == sorted(values, reverse=True)
    assert "risk-attest" not in by_id


def test_exposure_lists_open_avvikelser_and_findings(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    found = goals.exposure(graph, "g-nm-aldre", ANONYMOUS)
    assert "dev-lexsarah-utebliven-insats" in {e.deviation.id for e in found.deviations}
    assert all(e.deviation.status is not DeviationStatus.CLOSED for e in found.deviations)
    assert all(e.title is None for e in found.deviations)  # personal data hidden
    shown = goals.exposure(graph, "g-nm-aldre", coordinator("c"))
    assert all(e.title for e in shown.deviations)
    assert "ek-lakemedel" in {e.inspection.id for e in found.inspections}
    assert all(r.outcome != "ok" for e in found.inspections for r in e.findings)


def test_goal_page_shows_follow_up_and_flags_a_missing_plan(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    page = goals.goal_page(graph, "g-em-ht-genomforandeplan", ANONYMOUS)
    assert [g.id for g in page.chain] == ["g-im-1", "g-kf-1-5", "g-nm-aldre"]
    flagged = [r.assessment.tertial for r in page.assessments if r.lacks_plan]
    assert flagged == [2]
    assert page.assessments[1].assessment.verdict is Verdict.NOT_MET
    row = next(r for r in page.indicators if r.indicator.id == "ind-genomforandeplaner")
    assert [(o.tertial, o.women, o.men) for o in row.outcomes] == [(1, 83, 78), (2, 86, 81)]
    assert row.has_split
    assert {i.id for i in page.initiatives} == {"ini-gfp-utbildning"}
    assert "p-hemtjanst-gfp" in {c.node.id for c in page.contributions}


def test_contributions_include_sub_goals(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    found = goals.contributions(graph, "g-nm-aldre")
    assert any(
        c.node.id == "a-ht-planera" and c.via and c.via.id == "g-em-ht-kontinuitet" for c in found
    )
    assert any(c.node.id == "p-hemtjanst" and c.via is None for c in found)


def test_tree_filtered_by_unit_keeps_the_chain_above(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    tree = goals.goal_tree(graph, "ou-enh-hemtjanst", 2026)
    assert [r.goal.id for r in tree.roots] == ["g-im-1", "g-im-2"]
    assert not tree.roots[0].matched
    nm = tree.roots[0].children[0].children[0]
    assert nm.goal.id == "g-nm-aldre"
    assert {c.goal.id for c in nm.children} == {"g-em-ht-kontinuitet", "g-em-ht-genomforandeplan"}
    assert all(c.matched for c in nm.children)
    assert tree.count == 3


def test_unknown_goal_is_not_found(demo: Qms) -> None:
    graph = goal_graph.load(demo.store)
    with pytest.raises(NotFound):
        goals.goal_page(graph, "g-finns-inte", ANONYMOUS)
