#!/usr/bin/env bash
# Formats every Swift file in place with the checked-in .swift-format (what scripts/test.sh checks).
set -euo pipefail
cd "$(dirname "$0")/.."
swift format format -i --configuration .swift-format -r Sources Tests Package.swift
