#!/usr/bin/env python3
"""Writes docs/configuration.md from the metadata that spring-boot-configuration-processor generates.

Run after `mvn -pl stamp-spring-boot-autoconfigure compile`; ConfigurationMetadataTests fails when a property is
missing from the page, so the two cannot drift apart.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "stamp-spring-boot-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json"

SECTIONS = [
    ("stamp.enabled", "Stamp (`stamp.enabled`)"),
    ("stamp.tcp.", "TCP listener (`stamp.tcp.*`)"),
    ("stamp.websocket.", "WebSocket listener (`stamp.websocket.*`)"),
    ("stamp.http.", "HTTP listener (`stamp.http.*`)"),
    ("stamp.webtransport.", "WebTransport listener (`stamp.webtransport.*`)"),
    ("stamp.middleware.", "Middleware (`stamp.middleware.*`)"),
    ("stamp.monitor.", "Monitor (`stamp.monitor.*`)"),
    ("stamp.topics.", "Topics (`stamp.topics.*`, see [cluster.md](cluster.md))"),
    ("stamp.cluster.", "Cluster (`stamp.cluster.*`, see [cluster.md](cluster.md))"),
    ("stamp.shutdown.", "Graceful shutdown (`stamp.shutdown.*`)"),
    ("stamp.blocking.", "Blocking handlers (`stamp.blocking.*`)"),
    ("management.", "Actuator (`management.*`)"),
]

INTRO = """# Configuration reference

Every Stamp property, bound from `stamp.*` (application.yml, application.properties, environment, command line).
Durations take Spring Boot's formats (`30s`, `5m`, `PT1M`), sizes take `DataSize` formats (`64KB`, `1MB`). Your IDE
shows the same list with these descriptions: the starter ships `spring-configuration-metadata.json`. This page is
generated from that file by `scripts/configuration-reference.py`.

Listeners share one shape: each has `enabled`, `host`, `port`, `max-connections`, `idle-timeout` and `ssl.bundle`,
and adds the settings of its protocol.

Values are validated at start-up (the starter brings `spring-boot-starter-validation`; without the starter, add a
Bean Validation provider): a port outside 0..65535, a negative limit, size or timeout, or a zero
`stamp.monitor.interval` fails the start and names the property.
"""

OUTRO = """## Published properties

| Property | Meaning |
| --- | --- |
| `local.stamp.tcp.port` | Port the TCP listener bound, also when `stamp.tcp.port=0` |
| `local.stamp.websocket.port` | Port the WebSocket listener bound |
| `local.stamp.http.port` | Port the HTTP listener bound |
| `local.stamp.webtransport.port` | UDP port the WebTransport listener bound |
| `local.stamp.webtransport.certificate-hash` | Base64 SHA-256 of the generated development certificate (no `ssl.bundle`), for `serverCertificateHashes` |

Inject them like `local.server.port`: `@Value("${local.stamp.http.port}") int port`.

To expose the `stamp` endpoint over HTTP, add it to `management.endpoints.web.exposure.include`; the `stamp`
health contributor is switched off with `management.health.stamp.enabled=false`.
"""


def clean(text):
    text = re.sub(r"\{@code ([^}]*)\}", r"`\1`", text or "")
    text = re.sub(r"\{@link ([^}]*)\}", r"`\1`", text)
    return " ".join(text.split())


def default(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, list):
        return "`" + ", ".join(str(v) for v in value) + "`" if value else ""
    return f"`{value}`"


def main():
    properties = json.loads(METADATA.read_text())["properties"]
    unplaced = [p["name"] for p in properties
                if not any(p["name"].startswith(prefix) for prefix, _ in SECTIONS)]
    if unplaced:
        # A property without a section would silently vanish from the reference.
        print("No section for: " + ", ".join(sorted(unplaced)), file=sys.stderr)
        return 1
    lines = [INTRO]
    for prefix, title in SECTIONS:
        rows = sorted((p for p in properties if p["name"].startswith(prefix)), key=lambda p: p["name"])
        if not rows:
            continue
        lines += [f"## {title}", "", "| Property | Default | Description |", "| --- | --- | --- |"]
        lines += [f"| `{p['name']}` | {default(p.get('defaultValue'))} | {clean(p.get('description'))} |" for p in rows]
        lines.append("")
    lines.append(OUTRO)
    (ROOT / "docs/configuration.md").write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
