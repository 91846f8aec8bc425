"""Opens HTML pages of checkout-sim (run --format html, export --format html) in headless
Chromium and checks what a reader sees: every text's colour against the background it is
drawn on has a contrast of at least 4.5:1 (WCAG AA), computed from the rendered styles,
not read from the CSS; and, with --mermaid FILE, the page's Mermaid source block shows
exactly that file's text.

    python page_contrast.py PAGE.html [--mermaid FILE] [--chromium PATH] [--chromedriver PATH]

One line per page, then 'contrast checks: N passed, N failed'; exit 1 on a failure.
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

# Every element with its own text: its colour, and the first opaque background behind it
# (walking up the ancestors), composed over white; the contrast ratio of the two.
MEASURE = """
function rgba(text) {
  const parts = text.match(/[0-9.]+/g).map(Number);
  return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
}
function over(top, bottom) {
  return {r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
          b: top.b * top.a + bottom.b * (1 - top.a), a: 1};
}
function luminance(c) {
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}
function background(element) {
  const layers = [];
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const color = rgba(getComputedStyle(node).backgroundColor);
    if (color.a > 0) layers.push(color);
    if (color.a >= 1) break;
  }
  let result = {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) result = over(layer, result);
  return result;
}
const failures = [];
let checked = 0;
for (const element of document.querySelectorAll("body *")) {
  const own = Array.from(element.childNodes).filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(" ");
  if (!own || element.closest("svg")) continue;
  const style = getComputedStyle(element);
  if (style.visibility === "hidden" || style.display === "none") continue;
  const back = background(element);
  const fore = over(rgba(style.color), back);
  const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
  const ratio = (light + 0.05) / (dark + 0.05);
  checked += 1;
  if (ratio < 4.5) failures.push(`${element.tagName.toLowerCase()}.${element.className} "${own.slice(0, 40)}": ${ratio.toFixed(2)}:1`);
}
return {checked: checked, failures: failures};
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--mermaid")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    profile = tempfile.mkdtemp(prefix="checkout-sim-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--no-first-run",
                     "--no-proxy-server", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000", "--host-resolver-rules=MAP * ~NOTFOUND"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=args.chromedriver))
    passed = failed = 0
    try:
        for page in args.pages:
            driver.get(pathlib.Path(page).resolve().as_uri())
            # Closed <details> hide their text; open them all so every text is measured.
            driver.execute_script("document.querySelectorAll('details').forEach((d) => d.open = true)")
            result = driver.execute_script(MEASURE)
            if result["checked"] > 0 and not result["failures"]:
                passed += 1
                print(f"PASS {page}: {result['checked']} texts at 4.5:1 or more", flush=True)
            else:
                failed += 1
                print(f"FAIL {page}: {result['checked']} texts, below 4.5:1: {result['failures'][:20]}", flush=True)
            if args.mermaid:
                expected = pathlib.Path(args.mermaid).read_text(encoding="utf-8")
                shown = driver.execute_script(
                    "const pre = Array.from(document.querySelectorAll('details pre')).pop(); return pre ? pre.textContent : null")
                if shown is not None and shown.rstrip("\n") == expected.rstrip("\n"):
                    passed += 1
                    print(f"PASS {page}: the Mermaid block is the Mermaid export, line for line", flush=True)
                else:
                    failed += 1
                    print(f"FAIL {page}: the Mermaid block differs from {args.mermaid}: {(shown or '')[:300]!r}", flush=True)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"contrast checks: {passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
