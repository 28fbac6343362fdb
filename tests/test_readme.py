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
