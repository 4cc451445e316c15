"""The web UI in a real headless Chromium (Debian's `chromium` + `chromium-driver`, driven by Selenium).

The real app runs under uvicorn on a free localhost port, over a real SQLite database holding the
example story as `storydesk analyze` wrote it and a story of hostile articles added through the API.
Skipped only when Chromium, its driver or Selenium is missing (`.ci/run` installs them); screenshots
are saved under the test's tmp_path and their paths printed (`pytest -s` shows them). The layout test
screenshots every page at desktop and phone width into $STORYDESK_SCREENSHOTS when set (`make
screenshots` sets out/screenshots), for a person to look at; what it asserts is what a person would
otherwise have to spot: nothing wider than the screen, the brief above the fold.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("multipart")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("headless Chromium not installed: apt-get install chromium chromium-driver (.ci/run does)", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed: pip install -e '.[test]'")

from selenium.webdriver.common.by import By  # noqa: E402

from storydesk.service import default_db_url  # noqa: E402
from storydesk.web import create_app  # noqa: E402

# Each payload, if it ever ran, would leave a trace the tests look for: window.__xss, the page
# title, or a data-xss attribute on <body>.
PAYLOAD_SCRIPT = "<script>window.__xss='script';document.title='pwned'</script>"
PAYLOAD_ONERROR = "<img src=x onerror=\"window.__xss='onerror';document.body.setAttribute('data-xss','1')\">"
PAYLOAD_SVG = "<svg onload=\"window.__xss='svg'\"></svg>"
PAYLOAD_HREF = "javascript:window.__xss='href';document.title='pwned'"
HOSTILE_TEXT = (f"The port authority said on Monday that the ferry terminal would close for repairs. {PAYLOAD_SCRIPT} "
                f"Officials said 30 workers would be moved to other docks. {PAYLOAD_ONERROR} Click {PAYLOAD_HREF} for more. "
                "The harbour master said the terminal would reopen in June.")
HOSTILE_TITLE = f"Terminal closes {PAYLOAD_ONERROR}"
HOSTILE_HTML = (f"<html><head><title>Second {PAYLOAD_SVG}</title></head><body><article><p>The ferry terminal closed on Monday, "
                f"the port authority said.</p><p>Officials said 45 workers would be moved to other docks. "
                f"<img src=x onerror=\"window.__xss='html'\"></p><p><a href=\"{PAYLOAD_HREF}\">more</a></p>"
                f"<script>window.__xss='html-script'</script></article></body></html>")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(example_run: tuple[Path, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The app over the example story's database, served by uvicorn in a thread; plus a hostile story."""
    import uvicorn
    from fastapi.testclient import TestClient

    out, report = example_run
    app = create_app(default_db_url(out), token="")
    with TestClient(app) as client:  # add the hostile story through the real API and wait for its analysis
        sid = client.post("/api/stories", json={"name": f"Hostile {PAYLOAD_SCRIPT}"}).json()["id"]
        added = client.post(f"/api/stories/{sid}/articles", json={"articles": [
            {"text": HOSTILE_TEXT, "title": HOSTILE_TITLE, "byline": [f"Reporter {PAYLOAD_SVG}"], "url": PAYLOAD_HREF, "published": "2024-06-03"},
            {"html": HOSTILE_HTML, "url": PAYLOAD_HREF, "published": "2024-06-03"}]})
        assert added.status_code == 202
        app.state.runner.wait(600)
        assert client.get(f"/api/stories/{sid}/status").json()["job"]["status"] == "done"
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(default_db_url(out), token=""), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield {"base": f"http://127.0.0.1:{port}", "example": report["story"]["id"], "hostile": sid}
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: Any, path: Path) -> Path:
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 1000
    print(f"screenshot: {path}")
    return path


def no_trace(driver: Any) -> None:
    """Nothing a payload would do has happened on the current page."""
    assert driver.execute_script("return typeof window.__xss") == "undefined", driver.current_url
    assert driver.title != "pwned" and not driver.find_elements(By.CSS_SELECTOR, "body[data-xss]"), driver.current_url
    assert not driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript:' i]"), driver.current_url


def test_detector_sees_a_script_that_runs(browser: Any) -> None:
    """Control: in this browser a payload that is not escaped does run and is seen by `no_trace`."""
    browser.get("data:text/html,<body><script>window.__xss='control'</script></body>")
    assert browser.execute_script("return window.__xss") == "control"
    with pytest.raises(AssertionError):
        no_trace(browser)


def test_example_story_article_and_contradiction(site: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    base, sid = site["base"], site["example"]
    browser.get(base + "/")
    browser.find_element(By.CSS_SELECTOR, f"a[href='/stories/{sid}']").click()
    assert browser.current_url == f"{base}/stories/{sid}"
    counts = browser.find_element(By.CSS_SELECTOR, "ul.counts").text
    assert "5 articles" in counts
    assert browser.find_elements(By.CSS_SELECTOR, "#reliability > li details")
    assert browser.find_elements(By.ID, "brief") or browser.find_elements(By.ID, "brief-none")
    shot(browser, tmp_path / "overview.png")

    browser.find_element(By.LINK_TEXT, "Articles").click()
    browser.find_element(By.CSS_SELECTOR, "table tbody tr td a").click()
    assert f"/stories/{sid}/articles/" in browser.current_url
    claims = browser.find_elements(By.CSS_SELECTOR, "#text mark.claim")
    assert claims and all(m.get_attribute("title").startswith(("claim:", "quote", "flag")) for m in claims)
    colours = {m.value_of_css_property("background-color") for m in claims}
    assert len(colours) >= 2, "claims of different status are coloured differently"
    shot(browser, tmp_path / "article.png")

    browser.find_element(By.LINK_TEXT, "Contradictions").click()
    links = browser.find_elements(By.CSS_SELECTOR, "#contradictions li > a")
    assert links, "the example story has claims reported differently (contradicted or changed over time)"
    links[0].click()
    sides = browser.find_elements(By.CSS_SELECTOR, "section.side")
    assert len(sides) == 2
    sentences = [s.find_element(By.CSS_SELECTOR, "mark.sentence").text for s in sides]
    assert all(sentences) and sentences[0] != sentences[1]
    left, right = (s.rect for s in sides)
    assert right["x"] > left["x"] + left["width"] - 1, "side by side on a laptop"
    shot(browser, tmp_path / "contradiction.png")

    sides[0].find_element(By.CSS_SELECTOR, "h2 a").click()  # the cited sentence is marked on the article page
    assert browser.find_element(By.ID, "cited").text.strip() in sentences[0]


def test_pages_fit_a_phone(site: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    base, sid = site["base"], site["example"]
    browser.set_window_size(390, 844)
    try:
        for path in ("/", f"/stories/{sid}", f"/stories/{sid}/contradictions/1", f"/stories/{sid}/quotes", f"/stories/{sid}/timeline",
                     f"/stories/{sid}/add"):
            browser.get(base + path)
            overflow = browser.execute_script(
                "return [...document.querySelectorAll('body > *:not(.scroll)')].some(e => e.scrollWidth > document.documentElement.clientWidth + 1)")
            assert not overflow, f"{path} is wider than a phone screen"
        browser.get(f"{base}/stories/{sid}/contradictions/1")
        sides = browser.find_elements(By.CSS_SELECTOR, "section.side")
        assert sides[1].rect["y"] > sides[0].rect["y"], "the two sides stack on a phone"
        shot(browser, tmp_path / "phone-contradiction.png")
    finally:
        browser.set_window_size(1280, 900)


def test_timeline_chart_fits_desktop_and_phone(site: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    """The wide drawing on a desktop, the narrow one on a phone; either way every marker is on screen
    at a readable size and the numbers link to the list."""
    base, sid = site["base"], site["example"]
    try:
        for width, shown, hidden in ((1280, "tl-wide", "tl-narrow"), (390, "tl-narrow", "tl-wide")):
            browser.set_window_size(width, 900)
            browser.get(f"{base}/stories/{sid}/timeline")
            chart = browser.find_element(By.ID, "timeline-chart")
            drawing = chart.find_element(By.CLASS_NAME, shown)
            assert drawing.is_displayed() and not chart.find_element(By.CLASS_NAME, hidden).is_displayed()
            page_width = browser.execute_script("return document.documentElement.clientWidth")
            assert drawing.rect["x"] >= 0 and drawing.rect["x"] + drawing.rect["width"] <= page_width
            scale = drawing.rect["width"] / float(drawing.get_attribute("width"))
            assert scale > 0.75, f"the chart is shrunk to {scale:.2f} at {width}px"
            markers = drawing.find_elements(By.CSS_SELECTOR, "a.tl-marker")
            targets = [m.get_dom_attribute("href") for m in markers]
            assert targets and all(t.startswith("#event-") and browser.find_elements(By.ID, t[1:]) for t in targets)
            browser.execute_script("arguments[0].scrollIntoView()", chart)
            shot(browser, tmp_path / f"timeline-{width}.png")
    finally:
        browser.set_window_size(1280, 900)


def test_hostile_articles_never_execute(site: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    base, sid = site["base"], site["hostile"]
    pages = ["/", f"/stories/{sid}", f"/stories/{sid}/articles", f"/stories/{sid}/quotes", f"/stories/{sid}/entities",
             f"/stories/{sid}/timeline", f"/stories/{sid}/contradictions", f"/stories/{sid}/report", f"/stories/{sid}/add", "/docs"]
    browser.get(f"{base}/stories/{sid}/articles")
    article_links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "table tbody tr td a")]
    assert len(article_links) == 2
    for url in [base + p for p in pages] + article_links:
        browser.get(url)
        time.sleep(0.2)  # give any onerror/onload handler the chance to fire
        no_trace(browser)
        assert not browser.find_elements(By.CSS_SELECTOR, "#text img, #text svg, h1 img, #byline svg"), url

    browser.get(f"{base}/stories/{sid}")
    assert browser.find_element(By.TAG_NAME, "h1").text == f"Hostile {PAYLOAD_SCRIPT}"  # shown as text
    for url in article_links:
        browser.get(url)
        if browser.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE:
            break
    else:
        pytest.fail("the article with the hostile title is not shown with its title as text")
    import httpx

    stored = next(a for a in httpx.get(f"{base}/api/stories/{sid}").json()["articles"] if a["title"] == HOSTILE_TITLE)
    text = browser.find_element(By.ID, "text").text
    assert " ".join(text.split()) == " ".join(stored["text"].split())  # the stored text, character for character
    assert PAYLOAD_SCRIPT in text and "<img src=x on" in text and PAYLOAD_HREF in text
    assert f"Reporter {PAYLOAD_SVG}" in browser.find_element(By.ID, "byline").text
    assert PAYLOAD_HREF in browser.page_source.replace("&#39;", "'")  # the URL is shown, never linked
    shot(browser, tmp_path / "hostile-article.png")
    no_trace(browser)


WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
FULL_PAGE_MAX = 12000  # px of a page screenshot in tiles: enough to review every section of report.html


def _pages(base: str, sid: str, browser: Any) -> dict[str, str]:
    browser.get(f"{base}/stories/{sid}/articles")
    first_article = browser.find_element(By.CSS_SELECTOR, "table tbody tr td a").get_attribute("href")
    return {"index": "/", "overview": f"/stories/{sid}", "articles": f"/stories/{sid}/articles", "article": first_article[len(base):],
            "contradictions": f"/stories/{sid}/contradictions", "contradiction": f"/stories/{sid}/contradictions/1",
            "quotes": f"/stories/{sid}/quotes", "timeline": f"/stories/{sid}/timeline", "entities": f"/stories/{sid}/entities",
            "report": f"/stories/{sid}/report", "add": f"/stories/{sid}/add", "docs": "/docs"}


def full_page_shots(driver: Any, stem: Path) -> list[Path]:
    """The page from the top down to FULL_PAGE_MAX px, as tiles two screens tall (STEM-1.png, ...),
    through the DevTools protocol: one image of a long page shrinks to unreadable in a viewer."""
    width, height, screen = driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight, window.innerHeight]")
    tile, paths = 2 * screen, []
    for k, y in enumerate(range(0, min(height, FULL_PAGE_MAX), 2 * screen), 1):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": {
            "x": 0, "y": y, "width": width, "height": min(tile, height - y), "scale": 1}})
        path = stem.with_name(f"{stem.name}-{k}.png")
        path.write_bytes(base64.b64decode(shot["data"]))
        paths.append(path)
    return paths


# Elements sticking out past the right edge, outside a horizontally scrolling box (tables in .scroll
# may scroll; the page itself never should).
_OVERFLOWING = """
const w = window.innerWidth;
return [...document.body.querySelectorAll('*')].filter(e => {
  if (e.closest('.scroll') || !e.getClientRects().length) return false;
  return e.getBoundingClientRect().right > w + 1;
}).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className == 'string' ? '.' + e.className : '')
  + ' right=' + Math.round(e.getBoundingClientRect().right));
"""


def test_every_page_fits_and_is_screenshot_at_desktop_and_phone_width(site: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    out = Path(os.environ.get("STORYDESK_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    base, sid = site["base"], site["example"]
    pages = _pages(base, sid, browser)
    problems = []
    try:
        for device, (width, height) in WIDTHS.items():
            browser.set_window_size(width, height)
            for name, path in pages.items():
                browser.get(base + path)
                inner, scroll = browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
                if scroll > inner:
                    problems.append(f"{name} at {width}px: page {scroll}px wide in a {inner}px window; sticking out: "
                                    f"{browser.execute_script(_OVERFLOWING)}")
                for box in browser.find_elements(By.CSS_SELECTOR, ".scroll:has(> table.figures)"):  # stacks on a phone, never scrolls
                    if width < 500 and browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", box):
                        problems.append(f"{name} at {width}px: the disputed-figures table scrolls sideways")
                if name == "report":
                    top = browser.execute_script("return document.getElementById('brief').getBoundingClientRect().top")
                    if top >= browser.execute_script("return window.innerHeight") - 60:
                        problems.append(f"report.html at {width}px: the brief starts at {top:.0f}px, below the fold")
                shot(browser, out / f"{name}-{device}.png")
                full_page_shots(browser, out / f"{name}-{device}-full")
    finally:
        browser.set_window_size(1280, 900)
    assert not problems, "\n".join(problems)


def test_details_open_on_tap_and_quote_links_land(site: dict[str, Any], browser: Any) -> None:
    """What used to be hover-only is reachable by a tap: a marked passage opens its note; the report's
    reliability reasons and weak signals open as <details>; each quote links to an anchor that exists."""
    base, sid = site["base"], site["example"]
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{base}/stories/{sid}/articles")
        browser.find_element(By.CSS_SELECTOR, "table tbody tr td a").click()
        notes = browser.find_element(By.ID, "notes")
        assert not notes.find_element(By.CSS_SELECTOR, "li").is_displayed()
        link = browser.find_element(By.CSS_SELECTOR, "#text a.mk")
        target = link.get_dom_attribute("href")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        note = browser.find_element(By.ID, target[1:])
        assert note.is_displayed() and note.text.strip(), "a tapped mark shows its note"

        browser.get(f"{base}/stories/{sid}/report")
        row = browser.find_element(By.CSS_SELECTOR, "ol.rel > li > details")
        assert not row.get_attribute("open")
        row.find_element(By.TAG_NAME, "summary").click()
        assert row.get_attribute("open") and row.find_element(By.CSS_SELECTOR, "ul").is_displayed()
        anchors = [a.get_dom_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "section.speaker a")]
        assert anchors and all(browser.find_elements(By.ID, h[1:]) for h in anchors), "every quote link has a target"
        assert browser.find_elements(By.CSS_SELECTOR, "table.figures tbody tr")
    finally:
        browser.set_window_size(1280, 900)
