"""The README's examples work as written."""

import re
import subprocess
import sys
from pathlib import Path

from core.model.presets import get_preset
from core.model.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_scenario_example_is_the_self_defeating_preset():
    block = re.search(r"```json\n(.*?)```", README, re.S).group(1)
    assert Scenario.from_json(block) == get_preset("self-defeating").scenario


def test_command_line_examples_run(tmp_path):
    scenario_file = tmp_path / "my-scenario.json"
    scenario_file.write_text(get_preset("bank-run").scenario.to_json())
    lines = re.findall(r"^python -m core (analyze [^#\n]*?)\s+#", README, re.M)
    assert len(lines) == 2  # --preset and a file
    for line in lines:
        args = line.split()
        args = [str(scenario_file) if a == "my-scenario.json" else a for a in args]
        done = subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert '"fixed_points"' in done.stdout


def test_the_two_commands_are_there():
    assert "pip install -r requirements.txt && streamlit run app.py" in README
    assert "pip install -r requirements-dev.txt && python -m pytest" in README


def test_the_layout_section_names_every_folder_and_core_subpackage():
    layout = README.split("## Layout", 1)[1].split("```")[1]
    listed = set(re.findall(r"^ *([A-Za-z_]+)/", layout, re.MULTILINE))
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
               and any(p.rglob("*.py")) or p.name == "docs"}
    subpackages = {p.parent.name for p in (ROOT / "core").glob("*/__init__.py")}
    assert subpackages <= listed, f"README's layout omits core/{sorted(subpackages - listed)}"
    assert folders <= listed, f"README's layout omits {sorted(folders - listed)}"
    figures = {p.stem for p in (ROOT / "figures").glob("*.py")} - {"__init__", "style"}
    assert all(name in layout for name in figures), "README's layout omits a figures module"
