#!/usr/bin/env python3
"""Copies config/kensa.yaml into the README's configuration block (a test checks they agree)."""
import re, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text()
cfg = (root / "config/kensa.yaml").read_text().rstrip("\n")
new, n = re.subn(r"```yaml\n# Kensa configuration.*?```", lambda m: "```yaml\n" + cfg + "\n```", readme, flags=re.S)
assert n == 1, "configuration block not found in README.md"
(root / "README.md").write_text(new)
