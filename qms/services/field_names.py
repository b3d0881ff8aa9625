"""Swedish names of every stored field, link type and label, and values as a history shows them.

One table for the services (the history page, its JSON): field names shared by many labels
once, with the few that mean something else on one label overridden per label. Avvikelse
fields and words come from ``deviation_words``, enum words from ``exporters.terms``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from exporters.terms import TERMS
from qms.domain.graph import field_types
from qms.domain.kinds import DeviationKind, IncidentClass
from qms.domain.labels import Label, Rel
from qms.services import deviation_words
from qms.services.tracing import KIND_NAMES

#: The longest value a history shows in full; longer ones (a BPMN file) are cut.
SHOWN_CHARS = 4000
EMPTY = "–"

FIELDS: dict[str, str] = {
    "name": "Namn",
    "title": "Titel",
    "description": "Beskrivning",
    "kind": "Typ",
    "status": "Status",
    "level": "Nivå",
    "year": "År",
    "tertial": "Tertial",
    "code": "Kod",
    "working_method": "Arbetssätt",
    "resources": "Resursanvändning",
    "verdict": "Bedömning",
    "analysis": "Analys",
    "planned_actions": "Planerade åtgärder",
    "target": "Målvärde",
    "baseline": "Utgångsvärde",
    "unit": "Enhet",
    "target_value": "Målvärde",
    "outcome_value": "Utfall",
    "split_by_gender": "Uppdelat på kön",
    "value": "Utfall",
    "women": "Kvinnor",
    "men": "Män",
    "comment": "Kommentar",
    "starts_on": "Startar",
    "ends_on": "Slutar",
    "purpose": "Uppdrag",
    "trigger": "Startar när",
    "ends_when": "Avslutas när",
    "desired_effect": "Önskad effekt",
    "recipients": "Mottagare",
    "stakeholders": "Intressenter",
    "collaboration": "Samverkan",
    "archived": "Arkiverad",
    "position": "Plats i ordningen",
    "node_type": "Typ av steg",
    "inputs": "Objekt in",
    "outputs": "Objekt ut",
    "doc_version": "Dokumentversion",
    "decided_on": "Beslutad",
    "review_by": "Revideras senast",
    "url": "Länk",
    "legal_reference": "Lagrum",
    "body": "Text",
    "file_name": "Filnamn",
    "file_checksum": "Filens kontrollsumma",
    "file_media_type": "Filtyp",
    "file_size": "Filstorlek (byte)",
    "approved_by": "Fastställd av",
    "cause": "Orsak",
    "probability": "Sannolikhet",
    "consequence": "Konsekvens",
    "probability_labels": "Sannolikhetsskala",
    "consequence_labels": "Konsekvensskala",
    "level_names": "Risknivåer",
    "level_colours": "Nivåernas färger",
    "level_minimums": "Nivåernas lägsta värden",
    "control_threshold": "Gräns för internkontroll",
    "method": "Metod",
    "frequency": "Frekvens",
    "reporting": "Rapportering",
    "result": "Resultat",
    "outcome": "Utfall",
    "next_due": "Nästa gång",
    "performed_on": "Utförd",
    "findings": "Iakttagelser",
    "performed_by": "Utförd av",
    "category": "Kategori",
    "due_on": "Klar senast",
    "done_on": "Klar",
    "xml": "BPMN-fil",
    "source": "Källa",
    "tool": "Verktyg",
    "digest": "Kontrollsumma",
    "email": "E-post",
    "roles": "Roller",
    "password_hash": "Lösenord",
    "disabled": "Avstängt",
    "account": "Konto",
    "secret_hash": "Hemlighet",
    "expires_on": "Gäller till",
    "revoked": "Återkallad",
    "reported_by_account": "Rapporterad av konto",
}
#: Where one label means something else by a shared field name.
OVERRIDES: dict[Label, dict[str, str]] = {
    Label.DEVIATION: deviation_words.FIELD_NAMES,
    Label.PROCESS: {"kind": "Processtyp"},
    Label.DOCUMENT: {"kind": "Dokumenttyp"},
    Label.GOAL: {"level": "Målnivå"},
    Label.ORG_UNIT: {"level": "Organisationsnivå"},
    Label.CONTROL: {"method": "Kontrollmetod", "outcome": "Bedömning"},
    Label.SELF_INSPECTION: {"method": "Kontrollmetod"},
    Label.INSPECTION_RESULT: {"outcome": "Bedömning"},
    Label.ACTION: {"status": "Status"},
}
RELS: dict[Rel, str] = {
    Rel.PART_OF: "Överordnad enhet",
    Rel.BELONGS_TO: "Organisationsenhet",
    Rel.BREAKS_DOWN: "Bryter ned",
    Rel.EXPECTS: "Förväntat resultat",
    Rel.MEASURES: "Mäter",
    Rel.SUPPORTS: "Stödjer målet",
    Rel.CONTRIBUTES_TO: "Bidrar till målet",
    Rel.SUBPROCESS_OF: "Överordnad process",
    Rel.HAS_ACTIVITY: "Aktivitet",
    Rel.FLOWS_TO: "Nästa steg",
    Rel.PERFORMED_BY: "Utförs av",
    Rel.OWNED_BY: "Ägare",
    Rel.GOVERNED_BY: "Styrdokument eller rutin",
    Rel.THREATENS: "Hotar",
    Rel.CHECKS: "Kontrollerar",
    Rel.HAS_RESULT: "Kontrollresultat",
    Rel.AFFECTS: "Berör",
    Rel.RAISED_BY: "Upptäckt vid",
    Rel.REALISES: "Risk som inträffat",
    Rel.CAUSED_BY: "Grundorsak",
    Rel.ADDRESSES: "Åtgärdar",
    Rel.HAS_MODEL: "BPMN-modell",
    Rel.HAS_ASSESSMENT: "Målbedömning",
    Rel.HAS_OUTCOME: "Utfall",
    Rel.CONTROLS: "Kontrollerar",
    Rel.SUPERSEDES: "Ersätter",
}
LABELS: dict[str, str] = {
    Label.ORG_UNIT: "Organisationsenhet",
    Label.GOAL_ASSESSMENT: "Målbedömning",
    Label.EXPECTED_RESULT: "Förväntat resultat",
    Label.INDICATOR: "Indikator",
    Label.INDICATOR_OUTCOME: "Indikatorutfall",
    Label.INITIATIVE: "Aktivitet (ILS)",
    Label.ROLE: "Roll",
    Label.DOCUMENT: "Dokument",
    Label.RISK_MATRIX: "Riskmatris",
    Label.CONTROL: "Kontrollmoment",
    Label.SELF_INSPECTION: "Egenkontroll",
    Label.INSPECTION_RESULT: "Kontrollresultat",
    Label.CAUSE: "Grundorsak",
    Label.ACTION: "Åtgärd",
    Label.PROCESS_MODEL: "BPMN-modell",
    Label.ACCOUNT: "Konto",
    Label.API_TOKEN: "API-nyckel",
    **{label.value: name for label, name in KIND_NAMES.items()},
}
#: Swedish words of the closed lists exporters do not write.
_WORDS: dict[type[StrEnum], dict[str, str]] = {
    **TERMS,
    DeviationKind: deviation_words.KIND_NAMES,
    IncidentClass: deviation_words.CLASS_NAMES,
}


def known_label(text: str) -> Label | None:
    """The label named ``text``, or None for a name the graph does not have (any more)."""
    try:
        return Label(text)
    except ValueError:
        return None


def field_name(label: str, field: str) -> str:
    """The Swedish name of a field of ``label`` (the field itself when unknown)."""
    known = known_label(label)
    own = OVERRIDES.get(known, {}) if known is not None else {}
    return own.get(field) or FIELDS.get(field, field)


def rel_name(rel: str) -> str:
    """The Swedish name of a link type (the type itself when unknown)."""
    try:
        return RELS[Rel(rel)]
    except (ValueError, KeyError):
        return rel


def label_name(label: str) -> str:
    """The Swedish name of a label (the label itself when unknown)."""
    return LABELS.get(label, label)


def decoded(text: str) -> Any:
    """A change-log value (JSON text) as a Python value; text that is not JSON as it is."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def shown(label: str, field: str, value: Any) -> str:
    """A stored value as a person reads it: Swedish words for lists, ja/nej, "–" for nothing."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(shown(label, field, v) for v in value)
    known = known_label(label)
    kind = field_types(known).get(field) if known is not None else None
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        words = _WORDS.get(kind, {})
        return words.get(str(value), str(value))
    text = str(value)
    if len(text) > SHOWN_CHARS:
        return f"{text[:SHOWN_CHARS]} … ({len(text) - SHOWN_CHARS} tecken till)"
    return text
