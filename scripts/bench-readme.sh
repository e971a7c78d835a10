#!/usr/bin/env bash
# Puts the table of `make bench` (TABLE, from scripts/bench-table.sh) into
# README between its "bench-table" markers, with what it was measured on.
# Usage: bench-readme.sh TABLE README
set -euo pipefail
table=$1 readme=$2
grep -q '^<!-- bench-table: ' "$readme" && grep -q '^<!-- bench-table end -->' "$readme" || {
	echo "bench-readme: no bench-table markers in $readme" >&2
	exit 1
}
linux=$(head -1 build/bench/linux-defaults.txt 2>/dev/null | sed 's/^# //; s/, kernel args:.*//')
{
	echo
	echo "From \`make bench-linux && make bench\` on commit $(git rev-parse --short HEAD)"
	echo "(Linux: ${linux:-none}):"
	echo
	sed 's/^./    &/' "$table"
	echo
} > "$table.md"
awk -v body="$table.md" '
	/^<!-- bench-table end -->/ { while ((getline l < body) > 0) print l; skip = 0 }
	!skip { print }
	/^<!-- bench-table: / { skip = 1 }' "$readme" > "$readme.tmp"
mv "$readme.tmp" "$readme"
