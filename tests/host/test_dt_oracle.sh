#!/usr/bin/env bash
# Entry point of the [dt-oracle] test config: the oracle itself is Python.
exec python3 "$(dirname "$0")/test_dt_oracle.py" "$@"
