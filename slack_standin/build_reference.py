"""Condense Slack's machine-readable method reference into ``reference.json``.

The installed package cannot reach the reference folder at run time, so the few facts the
stand-in needs (required arguments, rate-limit tier, documented errors) are copied in here.

    python -m slack_standin.build_reference /work/shared/slack/methods [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("reference.json")


def build(methods_dir: Path) -> dict[str, dict[str, Any]]:
    """One entry per ``<method>.json`` in ``methods_dir``, keyed by method name."""
    reference: dict[str, dict[str, Any]] = {}
    for path in sorted(methods_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        # methods.json (an index) sits beside the method files; it has no http_method.
        if not isinstance(doc, dict) or "http_method" not in doc:
            continue
        declared = (doc.get("args") or {}).get("required") or []
        entry: dict[str, Any] = {
            "required": [name for name in declared if name != "token"],
            "tier": doc.get("rate_limits"),
            "errors": sorted(doc.get("errors") or {}),
        }
        # The token is left out of "required" because it usually travels in a header; the few
        # methods that work without one (api.test, oauth.*) must still be told apart.
        if "token" not in declared:
            entry["auth"] = False
        reference[path.stem] = entry
    return reference


def render(reference: dict[str, dict[str, Any]]) -> str:
    """One method a line, sorted, so a regenerated file gives a readable diff."""
    lines = [
        f"  {json.dumps(name)}: {json.dumps(entry, ensure_ascii=False)}"
        for name, entry in sorted(reference.items())
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m slack_standin.build_reference")
    parser.add_argument("methods_dir", type=Path, help="folder of Slack's <method>.json files")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output is out of date, write nothing"
    )
    options = parser.parse_args(argv)
    if not options.methods_dir.is_dir():
        parser.error(f"not a folder: {options.methods_dir}")
    text = render(build(options.methods_dir))
    current = options.output.read_text(encoding="utf-8") if options.output.exists() else None
    if options.check:
        if current != text:
            print(f"{options.output} is out of date", file=sys.stderr)
            return 1
        return 0
    if current != text:
        options.output.write_text(text, encoding="utf-8")
    print(f"{options.output}: {text.count(chr(10)) - 2} methods")
    return 0


if __name__ == "__main__":
    sys.exit(main())
