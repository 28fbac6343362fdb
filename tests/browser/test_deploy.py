"""The deployment: what the Dockerfile copies into the image is the whole app, it serves its pages from
there with the production settings, and the image's health check passes against it. (No Docker daemon runs
here: the image's file set is rebuilt in a temporary directory from the Dockerfile's own COPY lines.)"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from playwright.sync_api import expect

from core.model.scenario import MAX_DOCUMENT_BYTES
from tests.browser.helpers import EXCEPTION, REPO_ROOT, open_page, running_app

DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()


def image_tree(target: Path) -> None:
    """The files the Dockerfile copies into its working directory, copied into ``target``."""
    for line in DOCKERFILE.splitlines():
        if not line.startswith("COPY "):
            continue
        words = shlex.split(line)
        sources, dest = [w for w in words[1:-1] if not w.startswith("--")], words[-1]
        for source in sources:
            src = REPO_ROOT / source
            to = target / (src.name if dest in (".", "./") else dest)
            if src.is_dir():
                shutil.copytree(src, to, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(src, to)


def test_the_image_files_serve_the_app_and_pass_its_health_check(tmp_path, browser, monkeypatch):
    image_tree(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)  # the server imports the copied tree, not the repository
    assert (tmp_path / "app.py").exists() and (tmp_path / ".streamlit" / "config.toml").exists()
    assert not (tmp_path / "tests").exists()
    with running_app(root=tmp_path) as server:
        page = browser.new_page()
        try:
            for path in ("/", "/binary?preset=notebook-log", "/markets?preset=notebook-log", "/theory"):
                open_page(page, server.url + path)
                expect(page.locator(EXCEPTION)).to_have_count(0)
        finally:
            page.close()
        # The HEALTHCHECK's own command, pointed at this server's port.
        (check,) = re.findall(r'HEALTHCHECK .*?CMD (\[.*\])', DOCKERFILE.replace("\\\n", " "))
        argv = json.loads(check)
        argv = [sys.executable if a == "python" else a.replace("127.0.0.1:8501", server.url.split("//")[1])
                for a in argv]
        assert subprocess.run(argv, timeout=30).returncode == 0
    # Down, the same check fails.
    assert subprocess.run(argv, timeout=30).returncode != 0


def test_the_image_runs_as_a_user_on_a_slim_python():
    assert re.search(r"^FROM python:3\.11-slim$", DOCKERFILE, re.M)
    users = re.findall(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0")


def test_the_production_settings():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True  # XSRF protection needs it
    assert config["browser"]["gatherUsageStats"] is False
    # The upload cap (whole megabytes) is the core's document cap, so the core's own message answers first.
    assert config["server"]["maxUploadSize"] * 1_000_000 == MAX_DOCUMENT_BYTES
