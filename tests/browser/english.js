// The English pages in real headless Chromium: axe-core at 1280 and 360 px on every kind of
// English page, no horizontal scroll at 360 px, the language switch reached and followed by
// keyboard (landing on the translation, and back), and the reading aids kept across the
// switch without a cookie.
// Usage: BASE=… OUT=dir node english.js (the demo's English pages; see scripts/browser-tests.sh)
const { OUT, check, launch, axe, tabTo, run } = require('./lib');

const BASE = process.env.BASE;
const PAGES = ['/en/', '/en/chuyen-muc/news', '/en/trang/introduction', '/en/trang/contact',
  '/en/co-cau-to-chuc', '/en/co-cau-to-chuc/van-phong-so', '/en/danh-ba', '/en/lanh-dao-qua-cac-thoi-ky',
  '/en/tim-kiem?q=science', '/en/lich-cong-tac', '/en/van-ban', '/en/hoi-dap', '/en/lien-he',
  '/en/thu-vien-anh', '/en/lay-y-kien', '/en/khong-co-trang-nay'];

run('English pages browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const { page, close } = await launch('english', { locale: 'en-GB', bypassCSP: true });
  try {
    page.setDefaultTimeout(30000);
    await page.goto(BASE + '/en/', { waitUntil: 'load' });
    const article = await page.$eval('main a[href^="/en/bai-viet/"]', a => a.getAttribute('href'));
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      for (const p of [...PAGES, article]) {
        await page.goto(BASE + p, { waitUntil: 'load' });
        const lang = await page.evaluate(() => document.documentElement.lang);
        check(lang === 'en', `${p} is in English (lang=${lang})`);
        await axe(page, `${p} at ${width} px`);
        if (width === 360) {
          const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          check(over <= 0, `${p} has no horizontal scroll at 360 px (${over} px over)`);
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // The switch by keyboard: from the English article to its Vietnamese original and back.
    await page.goto(BASE + article, { waitUntil: 'load' });
    await page.screenshot({ path: `${OUT}/english-article.png`, fullPage: true });
    check(await tabTo(page, 'a.lang-switch', 30), 'the language switch is reached with Tab');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    const there = new URL(page.url()).pathname;
    check(there.startsWith('/bai-viet/'), `the switch lands on the Vietnamese original (${there})`);
    check(await page.evaluate(() => document.documentElement.lang) === 'vi', 'which is in Vietnamese');
    const back = await page.$eval('a.lang-switch', a => a.getAttribute('href'));
    check(back === article, `the original's switch leads back to the translation (${back})`);

    // Larger text chosen on an English page stays on the Vietnamese one (no cookie).
    await page.goto(BASE + '/en/', { waitUntil: 'load' });
    const larger = page.locator('.reading-aids [data-text-size="1"]');
    if (await larger.isVisible()) {
      await larger.click();
      const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
      await page.goto(BASE + '/', { waitUntil: 'load' });
      const after = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
      check(size === after && size !== '16px', `the text size goes with the reader across languages (${size}, ${after})`);
      const cookies = await page.context().cookies();
      check(cookies.length === 0, `no cookie kept it (${cookies.length})`);
      await page.click('.reading-aids [data-text-size="0"]');
    } else {
      check(false, 'the reading aids are shown on English pages');
    }
  } finally {
    await close();
  }
});
