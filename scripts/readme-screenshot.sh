#!/bin/sh
# docs/web-finding.png, the picture of the web app in README.md: the browser test
# test_the_readme_screenshot opens the founding finding's page in Chromium (1280 x 1000) and
# writes build/screenshots/web-finding.png; this copies it. Run from the repository root.
set -e
.venv/bin/pytest -q tests/test_web.py -k readme_screenshot
cp build/screenshots/web-finding.png docs/web-finding.png
echo docs/web-finding.png
