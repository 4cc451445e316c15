"""The report: report.json (the contract in schema.json), report.html and report.md, and the exports."""
