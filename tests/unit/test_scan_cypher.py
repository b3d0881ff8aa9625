"""Cypher only with parameters: no query text anywhere in the code is built from values.

Every ``.py`` file under ``qms/``, ``exporters/`` and ``web/`` is parsed with ``ast``. A finding
is query text (Cypher or SQL keywords, or a relationship arrow) built with an f-string, ``%``,
``.format``, ``+`` or ``str.join``, or any built text passed to a ``run``/``execute``/``query``
call. Labels, types and property names, which Cypher cannot take as parameters, go into text
only through ``qms/storage/cypher.py``, the one audited helper that checks them against the
domain schema; its calls must use a constant template.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qms.domain.labels import Label, Rel
from qms.storage.cypher import Cypher, UnsafeCypher, cypher, join, param_map

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("qms", "exporters", "web")
HELPER = Path("qms/storage/cypher.py")
HELPER_MODULE = "qms.storage.cypher"

_KEYWORDS = re.compile(
    r"\b(?:MATCH|MERGE|CREATE|SET|DELETE|DETACH|REMOVE|RETURN|WHERE|CALL|UNWIND|WITH|OPTIONAL"
    r"|FOREACH|UNION|COPY|YIELD|SELECT|INSERT|UPDATE|DROP|ALTER)\b|<-\[|\]->|-\[:"
)
#: Methods of drivers, connections and cursors that take query text first.
_QUERY_METHODS = frozenset(
    {"run", "execute", "executemany", "executescript", "execute_query", "query", "auto", "rows"}
)


def _looks_like_query(text: str) -> bool:
    return bool(_KEYWORDS.search(text))


def _literal_text(node: ast.AST) -> str | None:
    """The constant text of a string literal or f-string (values left out), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


def _operands(node: ast.AST) -> list[ast.AST]:
    """The flattened operands of a chain of ``+``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_operands(node.left), *_operands(node.right)]
    return [node]


def _is_built(node: ast.AST) -> bool:
    """Whether an expression builds text at run time (f-string, %, +, .format, .join)."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return not all(isinstance(o, ast.Constant) for o in _operands(node))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
    )


@dataclass
class Scanner(ast.NodeVisitor):
    """Collects findings for one module."""

    path: str
    findings: list[str] = field(default_factory=list)
    helper_calls: int = 0
    _helpers: dict[str, str] = field(default_factory=dict)  # local name -> helper function
    _modules: set[str] = field(default_factory=set)  # local names of the helper module
    _built: list[set[str]] = field(default_factory=lambda: [set()])  # names bound to built text
    _texts: list[set[str]] = field(default_factory=lambda: [set()])  # names bound to query text

    def flag(self, node: ast.AST, why: str) -> None:
        """Record one finding with its place."""
        self.findings.append(f"{self.path}:{getattr(node, 'lineno', 0)}: {why}")

    # -- imports: which local names are the audited helper ----------------------------------
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802 (ast API)
        """Remember names bound to the helper module or its functions."""
        for alias in node.names:
            local = alias.asname or alias.name
            if node.module == HELPER_MODULE:
                self._helpers[local] = alias.name
            elif f"{node.module}.{alias.name}" == HELPER_MODULE:
                self._modules.add(local)

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802 (ast API)
        """``import qms.storage.cypher as c``."""
        for alias in node.names:
            if alias.name == HELPER_MODULE and alias.asname:
                self._modules.add(alias.asname)

    def _helper_name(self, func: ast.AST) -> str | None:
        if isinstance(func, ast.Name):
            return self._helpers.get(func.id)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in self._modules
        ):
            return func.attr
        return None

    # -- scopes: names bound to built text, per function ------------------------------------
    def _scoped(self, node: ast.AST) -> None:
        self._built.append(set())
        self._texts.append(set())
        self.generic_visit(node)
        self._built.pop()
        self._texts.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _scoped  # noqa: N815

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802 (ast API)
        """Track names that hold text built at run time."""
        text = _literal_text(node.value)
        is_query = text is not None and _looks_like_query(text)
        for target in node.targets:
            if isinstance(target, ast.Name):
                _mark(self._built[-1], target.id, _is_built(node.value))
                _mark(self._texts[-1], target.id, is_query)
        self.generic_visit(node)

    # -- the rules ---------------------------------------------------------------------------
    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:  # noqa: N802 (ast API)
        """An f-string with query words in it."""
        text = _literal_text(node) or ""
        if _is_built(node) and _looks_like_query(text):
            self.flag(node, f"f-string builds query text: {text[:60]!r}")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:  # noqa: N802 (ast API)
        """``"MATCH ..." % x`` and ``q + " RETURN 1"``."""
        if isinstance(node.op, ast.Mod):
            text = _literal_text(node.left)
            if text is not None and _looks_like_query(text):
                self.flag(node, f"%-formatting builds query text: {text[:60]!r}")
        elif isinstance(node.op, ast.Add):
            self._check_concat(node, _operands(node))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:  # noqa: N802 (ast API)
        """``query += " WHERE ..."``."""
        if isinstance(node.op, ast.Add):
            target = node.target
            if isinstance(target, ast.Name) and target.id in self._texts[-1]:
                self.flag(node, f"+= appends to the query text in {target.id}")
            self._check_concat(node, [target, *_operands(node.value)])
        self.generic_visit(node)

    def _check_concat(self, node: ast.AST, operands: list[ast.AST]) -> None:
        if all(isinstance(o, ast.Constant) for o in operands):
            return
        texts = [_literal_text(o) for o in operands]
        if any(t is not None and _looks_like_query(t) for t in texts):
            self.flag(node, "+ concatenation builds query text")

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802 (ast API)
        """``.format``/``.join`` on query text, built text run, and the helper's own calls."""
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
            text = _literal_text(func.value)
            if text is not None and _looks_like_query(text):
                self.flag(node, f".{func.attr} builds query text: {text[:60]!r}")
        if isinstance(func, ast.Attribute) and func.attr in _QUERY_METHODS and node.args:
            first = node.args[0]
            if _is_built(first) or (isinstance(first, ast.Name) and self._is_built_name(first)):
                self.flag(node, f"text built at run time is passed to .{func.attr}()")
        self._check_helper_call(node)
        self.generic_visit(node)

    def _is_built_name(self, name: ast.Name) -> bool:
        return any(name.id in scope for scope in self._built)

    def _check_helper_call(self, node: ast.Call) -> None:
        helper = self._helper_name(node.func)
        if helper is None:
            return
        self.helper_calls += 1
        if helper == "Cypher":
            self.flag(node, "Cypher(...) made outside the helper skips its checks")
        elif helper == "cypher" and not (node.args and _constant_template(node.args[0])):
            self.flag(node, "cypher() needs a constant template as its first argument")
        elif helper == "join":
            seps = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "sep")]
            if any(_literal_text(s) is None or isinstance(s, ast.JoinedStr) for s in seps):
                self.flag(node, "join() needs a constant separator")


def _mark(names: set[str], name: str, on: bool) -> None:
    if on:
        names.add(name)
    else:
        names.discard(name)


def _constant_template(node: ast.AST) -> bool:
    """A string literal, or a choice between two of them."""
    if isinstance(node, ast.IfExp):
        return _constant_template(node.body) and _constant_template(node.orelse)
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def scan(source: str, path: str = "<snippet>") -> Scanner:
    """Scan one module's source."""
    scanner = Scanner(path)
    scanner.visit(ast.parse(source, filename=path))
    return scanner


def scan_tree() -> tuple[list[str], int, int]:
    """Findings, files scanned and helper calls over the whole code base."""
    findings: list[str] = []
    files = calls = 0
    for top in SCANNED:
        for file in sorted((ROOT / top).rglob("*.py")):
            relative = file.relative_to(ROOT)
            if relative == HELPER:
                continue
            result = scan(file.read_text(encoding="utf-8"), str(relative))
            findings += result.findings
            files += 1
            calls += result.helper_calls
    return findings, files, calls


def test_no_query_text_is_built_from_values() -> None:
    findings, files, calls = scan_tree()
    assert findings == []
    assert files > 100  # the scan really walked the code base
    assert calls > 40  # and the query builders really go through the helper


PLANTED = {
    "f-string": 'def q(label):\n    return f"MATCH (n:{label}) RETURN n"\n',
    "f-string arrow": 'def q(rel):\n    return f"<-[:{rel}]-"\n',
    "percent": "def q(x):\n    return \"MATCH (n) WHERE n.name = '%s' RETURN n\" % x\n",
    "format": 'def q(x):\n    return "MATCH (n:{}) RETURN n".format(x)\n',
    "concatenation": 'def q(base):\n    return base + " DELETE r RETURN 1"\n',
    "augmented": 'def q(x):\n    s = "MATCH (n) "\n    s += x\n    return s\n',
    "join": 'def q(parts):\n    return " UNION ALL ".join(parts)\n',
    "run built": (
        "def q(conn, name):\n    conn.run('MATCH (n {name: \"' + name + '\"}) RETURN n')\n"
    ),
    "run built name": "def q(s, table):\n    text = f'{table}'\n    s.execute(text)\n",
    "sql f-string": 'def q(cur, t):\n    cur.execute(f"SELECT * FROM {t}")\n',
    "helper bypassed": "from qms.storage.cypher import Cypher\nX = Cypher(input())\n",
    "template not constant": (
        "from qms.storage.cypher import cypher\n"
        "def q(t, label):\n    return cypher(t, label=label)\n"
    ),
    "separator not constant": (
        "from qms.storage import cypher as c\ndef q(parts, s):\n    return c.join(parts, s)\n"
    ),
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_the_scan_finds_planted_string_built_queries(source: str) -> None:
    assert scan(source).findings


SAFE = {
    "parameters": 'def q(conn, x):\n    conn.run("MATCH (n {id: $id}) RETURN n", {"id": x})\n',
    "helper": (
        "from qms.storage.cypher import cypher\n"
        'def q(label):\n    return cypher("MATCH (n:{label}) RETURN n", label=label)\n'
    ),
    "message": 'def m(n):\n    return f"{n} ändringar sparades"\n',
    "constant concatenation": 'Q = "MATCH (n) " + "RETURN n"\n',
    "builder call run": "def q(conn, label):\n    conn.run(read_query(label), {'id': 1})\n",
}


@pytest.mark.parametrize("source", SAFE.values(), ids=SAFE.keys())
def test_the_scan_lets_parameterised_queries_pass(source: str) -> None:
    assert scan(source).findings == []


# -- the helper itself --------------------------------------------------------------------
def test_helper_fills_checked_names() -> None:
    text = cypher(
        "MATCH (a:{label} {id: $id})-[:{rel}]->(b) SET b.{prop} = $v",
        label=Label.PROCESS,
        rel=Rel.HAS_ACTIVITY,
        prop="name",
    )
    assert text == "MATCH (a:Process {id: $id})-[:HAS_ACTIVITY]->(b) SET b.name = $v"
    assert isinstance(text, Cypher)


def test_helper_builds_parameter_maps() -> None:
    assert param_map(("id", "name")) == "{id: $id, name: $name}"


@pytest.mark.parametrize(
    "value", ["Process) DETACH DELETE (n", "name`", "x", "Process {id: 1}", "ProcessX"]
)
def test_helper_refuses_names_outside_the_schema(value: str) -> None:
    with pytest.raises(UnsafeCypher):
        cypher("MATCH (n:{label}) RETURN n", label=value)


def test_helper_refuses_missing_and_extra_slots() -> None:
    with pytest.raises(UnsafeCypher):
        cypher("MATCH (n:{label}) RETURN n")
    with pytest.raises(UnsafeCypher):
        cypher("MATCH (n) RETURN n", label=Label.ROLE)


def test_helper_join_takes_only_its_own_parts_and_fixed_separators() -> None:
    with pytest.raises(UnsafeCypher):
        join(["name: $name"])
    with pytest.raises(UnsafeCypher):
        join([cypher("{p}", p="name")], " OR 1=1 ")
