"""`negotiate admin …` and `negotiate store check` (issues 18 and 14.7)."""
from negotiate.cli import main
from negotiate.store import Store


def test_admin_commands_manage_memberships(tmp_path, capsys):
    home = ["--home", str(tmp_path)]
    assert main(["admin", "add-negotiation", "Framework", *home]) == 0
    assert main(["admin", "add-delegation", "G-77 and China", "--group", *home]) == 0
    assert main(["admin", "add-member", "Focal@G77.example", "G-77 and China", "--focal-point", *home]) == 0
    assert main(["admin", "grant", "co@un.example", "co-facilitator", "--negotiation", "Framework", *home]) == 0
    assert main(["admin", "grant", "sec@un.example", "secretariat", *home]) == 0
    capsys.readouterr()
    assert main(["admin", "grant", "x@un.example", "co-facilitator", *home]) == 2
    assert "give the negotiation" in capsys.readouterr().err
    assert main(["admin", "add-member", "y@un.example", "Atlantis", *home]) == 2
    assert "no delegation named 'Atlantis'" in capsys.readouterr().err
    assert main(["admin", "members", *home]) == 0
    rows = [l.split("\t") for l in capsys.readouterr().out.splitlines()]
    assert [r[1:4] for r in rows] == [["co@un.example", "co-facilitator", "negotiation 1"],
                                       ["focal@g77.example", "member", "G-77 and China"],
                                       ["sec@un.example", "secretariat"]]
    assert main(["admin", "revoke", rows[0][0], *home]) == 0
    assert main(["admin", "activity", "-o", str(tmp_path / "a.csv"), *home]) == 0
    csv = (tmp_path / "a.csv").read_text()
    assert "membership revoked" in csv and "focal point" in csv


def test_store_check_exit_codes(tmp_path, capsys):
    s = Store(root=tmp_path)
    nid = s.create_negotiation("N")
    e = s.add(nid, b"1. A.\n", "a.txt", "v1")
    assert main(["store", "check", "--home", str(tmp_path)]) == 0
    s.path_of(e.sha256).write_bytes(b"1. B.\n")
    capsys.readouterr()
    assert main(["store", "check", "--home", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "version 'v1'" in out and "no longer matches" in out
    (tmp_path / "negotiate.db").write_bytes(b"not a database at all, just garbage" * 100)
    assert main(["store", "check", "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"negotiate: error: {tmp_path / 'negotiate.db'}: ") and "backup" in err
