"""``qms user …``: the first administrator, roles, disabling, tokens, from the command line."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from qms.cli import main
from qms.services import accounts
from qms.services.app import Qms
from qms.services.config import Settings


def run(capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_first_administrator_and_a_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    code, out, _ = run(
        capsys,
        *data,
        "user",
        "add",
        "alva",
        "--name",
        "Alva Admin",
        "--role",
        "administrator@*",
        "--password-stdin",
        stdin="ett-långt-lösenord\n",
    )
    assert (code, out.strip()) == (0, "Kontot alva är skapat: administrator@*")
    code, out, err = run(capsys, *data, "user", "token", "alva", "--name", "Stratsys")
    assert code == 0
    assert "visas bara nu" in err
    text = out.strip()
    code, out, _ = run(capsys, *data, "user", "list")
    assert out.splitlines() == ["alva\tAlva Admin\taktivt\tadministrator@*"]

    qms = Qms.open(Settings(data_dir=tmp_path))
    try:
        found = accounts.account_for_token(qms.store, text, date.today())
        assert found is not None
        assert found.id == "alva"
        signed = accounts.sign_in(
            qms.store, accounts.Throttle(), "alva", "ett-långt-lösenord", "cli"
        )
        assert signed.id == "alva"
        assert all(c.actor.startswith("cli") for c in qms.store.changes("alva"))
    finally:
        qms.close()


def test_roles_disable_and_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert run(capsys, *data, "user", "add", "kim", "--sso-only")[0] == 0
    code, out, _ = run(capsys, *data, "user", "role", "kim", "--add", "chef@*")
    assert (code, out.strip()) == (0, "kim: chef@*")
    code, out, _ = run(
        capsys, *data, "user", "role", "kim", "--add", "chef@*", "--remove", "chef@*"
    )
    assert out.strip() == "kim: chef@*"
    code, _, err = run(capsys, *data, "user", "role", "kim", "--add", "trollkarl@*")
    assert code == 2
    assert "okänd roll 'trollkarl'" in err
    code, _, err = run(capsys, *data, "user", "add", "eva", "--password-stdin", stdin="kort\n")
    assert code == 2
    assert "Lösenordet måste ha minst 12 tecken." in err
    assert run(capsys, *data, "user", "disable", "kim")[1].strip() == "kim: avstängt"
    assert "kim\tkim\tavstängt\tchef@*" in run(capsys, *data, "user", "list")[1]
