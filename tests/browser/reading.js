// The reading aids on the public pages, in real headless Chromium under the site's CSP: text
// size A−/A/A+ and high contrast, by keyboard, remembered across pages and reloads in the
// browser's storage (never a cookie); every public page without sideways scrolling on a
// 360 px phone at the largest text size and at 200 % zoom (a 1280 px screen: 640 CSS px);
// axe-core in high contrast at the largest size. Usage: BASE=… OUT=dir node reading.js
const path = require('path');
const { OUT, REFERENCE, check, launch, consoleErrors, noConsoleErrors, axe, run } = require('./lib');

const BASE = process.env.BASE;

// Every kind of public page.
const PAGES = ['/', REFERENCE, '/chuyen-muc/tin-tuc-su-kien', '/trang/gioi-thieu', '/van-ban', '/van-ban/544-qd-skhcn',
  '/tim-kiem?q=hoi+nghi', '/thu-vien-anh', '/video', '/hoi-dap', '/hoi-dap/gui', '/lien-he', '/lay-y-kien',
  '/van-ban/du-thao-quyet-dinh-cong-bo-thu-tuc-hanh-chinh', '/dang-nhap'];

const rootSize = page => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

// Tabs until the button whose text starts with `label` has the focus, then presses Enter.
async function press(page, label) {
  for (let i = 0; i < 30; i++) {
    const text = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
    if (text && text.startsWith(label)) {
      await page.keyboard.press('Enter');
      return true;
    }
    await page.keyboard.press('Tab');
  }
  return false;
}

run('reading aids browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const { page, ctx, close } = await launch('reading', { locale: 'vi-VN' });
  try {
    page.setDefaultTimeout(15000);
    const errors = consoleErrors(page);
    await page.goto(BASE + '/', { waitUntil: 'load' });
    check(await page.isVisible('.reading-aids'), 'the reading aids are shown');
    const normal = await rootSize(page);
    check(await press(page, 'A+'), 'A+ is reached with Tab and pressed with Enter');
    await page.keyboard.press('Enter');
    const larger = await rootSize(page);
    check(larger === normal * 1.25, `two steps up: ${normal}px → ${larger}px`);
    await page.goto(BASE + REFERENCE, { waitUntil: 'load' });
    check(await rootSize(page) === larger, 'another page keeps the size');
    for (let i = 0; i < 6; i++) await page.click('[data-text-size="-1"]:not([disabled])').catch(() => {});
    check(await page.isDisabled('[data-text-size="-1"]'), 'A− stops at the smallest size');
    check(await rootSize(page) < normal, `the smallest is smaller (${await rootSize(page)}px)`);
    await page.click('[data-text-size="0"]');
    check(await rootSize(page) === normal, 'A brings the normal size back');

    await page.click('[data-contrast]');
    check(await page.getAttribute('[data-contrast]', 'aria-pressed') === 'true', 'high contrast: the button says it is on');
    const ink = await page.evaluate(() => getComputedStyle(document.body).color);
    check(ink === 'rgb(0, 0, 0)', `high contrast: black text (${ink})`);
    await page.reload({ waitUntil: 'load' });
    check(await page.evaluate(() => document.documentElement.classList.contains('tuong-phan-cao')), 'high contrast is kept after a reload');
    check((await ctx.cookies()).length === 0, 'no cookie is set: the choice is in this browser\'s storage');
    await page.screenshot({ path: path.join(OUT, 'reading-contrast.png'), fullPage: true });

    // The largest size, on a phone, then at 200 % zoom: no page scrolls sideways.
    for (let i = 0; i < 4; i++) await page.click('[data-text-size="1"]:not([disabled])').catch(() => {});
    check(await rootSize(page) === normal * 1.5, `the largest size: ${await rootSize(page)}px`);
    for (const [width, label] of [[360, '360 px at the largest text'], [640, '200 % zoom']]) {
      await page.setViewportSize({ width, height: 800 });
      const wide = [];
      for (const url of PAGES) {
        await page.goto(BASE + url, { waitUntil: 'load' });
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (over > 0) wide.push(`${url} (${over}px)`);
      }
      check(wide.length === 0, `${label}: no page scrolls sideways${wide.length ? ': ' + wide.join(', ') : ` (${PAGES.length} pages)`}`);
    }
    await page.screenshot({ path: path.join(OUT, 'reading-phone-largest.png'), fullPage: true });
    noConsoleErrors(errors, ' under the site\'s CSP');
  } finally {
    await close();
  }

  // axe-core in high contrast at the largest size (CSP bypassed for axe's own script).
  const a = await launch('reading-axe', { locale: 'vi-VN', bypassCSP: true });
  try {
    const page = a.page;
    await page.goto(BASE + '/', { waitUntil: 'load' });
    await page.evaluate(() => { localStorage.setItem('cong-tuong-phan', '1'); localStorage.setItem('cong-co-chu', '4'); });
    for (const url of ['/', REFERENCE, '/van-ban', '/hoi-dap/gui']) {
      await page.goto(BASE + url, { waitUntil: 'load' });
      await axe(page, `${url} in high contrast, largest text`);
    }
  } finally {
    await a.close();
  }
});
