# Drive a real browser with Playwright (pip install playwright, then
# playwright install webkit), against the tour served on localhost:8000.
import asyncio

from playwright.async_api import async_playwright

URL = "http://localhost:8000/demo/page.html"


async def main():
    async with async_playwright() as p:
        browser = await p.webkit.launch()
        page = await browser.new_page()
        await page.goto(URL)
        await page.screenshot(path="shot.png")
        title = await page.title()
        print(title)
        await browser.close()


asyncio.run(main())
