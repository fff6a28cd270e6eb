"""Measures the release page: the wasm's size, and the gather lesson's
total time at 1x in headless Chromium (how far from 3.00 s, as a ratio).

Usage: scripts/build.sh && python3 scripts/measure.py [RUNS]

Serves www/ itself on a free local port and drives Chromium with Selenium
(installed from PyPI if missing; the driver is Debian's chromedriver).
"""

import gzip
import json
import pathlib
import subprocess
import sys
import threading
import time

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "scripts"))

try:
    from selenium import webdriver
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "selenium"])
    from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

import functools
import http.server

from serve import Handler

Handler.log_message = lambda *args: None  # keep the report readable


def serve():
    handler = functools.partial(Handler, directory=str(root / "www"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    wasm = (root / "www/pkg/async_tour_bg.wasm").read_bytes()
    result = {"wasm_bytes": len(wasm), "wasm_gzip_bytes": len(gzip.compress(wasm, 9))}

    server = serve()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/#gather")
        time.sleep(1)
        totals = []
        for _ in range(runs):
            driver.find_element(By.CSS_SELECTOR, "#gather button.run").click()
            while driver.find_element(By.CSS_SELECTOR, "#gather .status").get_attribute("data-state") == "running":
                time.sleep(0.05)
            last = driver.find_elements(By.CSS_SELECTOR, "#gather .output samp")[-1].text
            # "Total time elapsed: 3.00 seconds" is what the lesson measured.
            totals.append(float(last.split(": ")[1].split()[0]))
        result["gather_1x_totals"] = totals
        worst = max(totals, key=lambda t: abs(t - 3.0))
        result["gather_1x_worst_ratio"] = round(worst / 3.0, 4)
        result["cross_origin_isolated"] = driver.execute_script("return crossOriginIsolated")
    finally:
        driver.quit()
        server.shutdown()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
