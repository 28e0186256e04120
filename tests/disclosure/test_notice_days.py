"""The notice period of a written request is the profile's setting, not a constant."""

from __future__ import annotations

import json
import shutil

from helpers import REPO, redact


def test_request_add_dates_notice_by_the_profiles_notice_days(tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    (schemas / "profiles" / "ten_days.yaml").write_text(
        "extends: colorado\nprofile: ten_days\ntitle: ten days\nbasis: a test profile\n"
        "exceptions:\n  notice_days: 10\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("REDACT_SCHEMAS", str(schemas))
    doc = tmp_path / "letter.pdf"
    doc.write_bytes(b"%PDF- a written request")
    due = {}
    for profile in ("ten_days", "new_york", None):
        args = ["request", "add", "--requester", "R", "--agency", "Denver Police Department"]
        args += ["--received", "2026-07-01", "--purpose", "criminal_investigation"]
        args += ["--categories", "a_number", "--document", str(doc), "--json"]
        args += ["--id", f"REQ-{profile or 'default'}"]
        args += ["--profile", profile] if profile else []
        run = redact(*args)
        assert run.code == 0, run.err
        due[profile] = json.loads(run.out)["notice_due"]
    assert due == {"ten_days": "2026-07-11", "new_york": "2026-07-04", None: "2026-07-04"}
