#!/usr/bin/env python3
"""Copies config/kensa.yaml into docs/configuration.md's configuration block and into dist/kensa.yaml (tests check they agree)."""
import re, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
doc = (root / "docs/configuration.md").read_text()
cfg = (root / "config/kensa.yaml").read_text().rstrip("\n")
new, n = re.subn(r"```yaml\n# Kensa configuration.*?```", lambda m: "```yaml\n" + cfg + "\n```", doc, flags=re.S)
assert n == 1, "configuration block not found in docs/configuration.md"
(root / "docs/configuration.md").write_text(new)

# dist/kensa.yaml, the config `make install` puts in /etc/kensa, is the same file listening on
# the service's unix socket (dist/dist_test.go checks it, with the same text).
SERVICE_LISTEN = """# As a service (dist/systemd/kensa.service): a unix socket in /run/kensa, which
# the unit creates (group kensa may enter). Postfix connects once its user is in
# group kensa (usermod -aG kensa postfix). Postfix with a chrooted smtpd (Debian's
# default) cannot reach /run: use inet:127.0.0.1:8898, or the socket in Postfix's
# queue directory (docs/operations.md, "Install as a service").
listen: unix:/run/kensa/kensa.sock
"""
full = (root / "config/kensa.yaml").read_text()
assert full.count("listen: inet:127.0.0.1:8898\n") == 1, "listen line not found in config/kensa.yaml"
(root / "dist/kensa.yaml").write_text(full.replace("listen: inet:127.0.0.1:8898\n", SERVICE_LISTEN, 1))
