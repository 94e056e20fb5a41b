#!/bin/sh
# SARIF against the SARIF 2.1.0 schema, with Debian's python3-jsonschema.
# The schema ships in the npm package @microsoft/sarif-multitool-linux
# (sarif-2.1.0.json); .ci/run fetches it into .ci/sarif-2.1.0.json, or
# XENABI_SARIF_SCHEMA names it.
. "$(dirname "$0")/lib.sh"

SCHEMA=${XENABI_SARIF_SCHEMA:-$TOP/.ci/sarif-2.1.0.json}
PY=/usr/bin/python3
if [ ! -f "$SCHEMA" ] || ! $PY -c 'import jsonschema' 2>/dev/null; then
	echo "1..0 # skip no SARIF schema at $SCHEMA or no python3-jsonschema"
	exit 0
fi

xenabi scan --release old --tree "$FIXTURES/diff/old" --db "$DB" >/dev/null &&
xenabi scan --release new --tree "$FIXTURES/diff/new" --db "$DB" >/dev/null ||
	{ echo "Bail out! cannot scan the diff fixtures"; exit 2; }
printf 'accept member_narrowed *\n  reason: for the schema test\n' >"$TMP/accepted"

validate() {
	$PY - "$SCHEMA" "$1" <<'EOS'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
errors = list(cls(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:5]:
    print("#", list(e.path), e.message[:200])
sys.exit(1 if errors else 0)
EOS
}

xenabi diff old new --format sarif --db "$DB" >"$TMP/a.sarif"
check "a diff's SARIF is valid SARIF 2.1.0" validate "$TMP/a.sarif"
xenabi diff old new --format sarif --suppress "$TMP/accepted" --db "$DB" >"$TMP/b.sarif" 2>/dev/null
check "with suppressions too" validate "$TMP/b.sarif"
xenabi diff new new --format sarif --db "$DB" >"$TMP/c.sarif"
check "and with no change at all" validate "$TMP/c.sarif"

done_testing
