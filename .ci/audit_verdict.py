"""Read pip-audit's JSON report: fail on any known vulnerability, warn when the audit could not run."""
import json
import sys
from pathlib import Path

report = Path(sys.argv[1])
if not report.is_file():
    print("WARNING: pip-audit wrote no report (no network?); dependencies were NOT audited", file=sys.stderr)
    sys.exit(0)
data = json.loads(report.read_text())
dependencies = data.get("dependencies", [])
vulnerable = [(d["name"], d.get("version"), v["id"], v.get("fix_versions"))
              for d in dependencies for v in d.get("vulns", [])]
skipped = [d["name"] for d in dependencies if "skip_reason" in d]
for name, version, advisory, fixes in vulnerable:
    print(f"error: {name} {version} has {advisory}; fixed in {', '.join(fixes or ['(no fix yet)'])}", file=sys.stderr)
if skipped:
    print(f"warning: not audited (not found on PyPI): {', '.join(sorted(skipped))}", file=sys.stderr)
print(f"pip-audit: {len(dependencies)} packages, {len(vulnerable)} known vulnerabilities", file=sys.stderr)
sys.exit(1 if vulnerable else 0)
