// Lịch công tác in real headless Chromium: the demo's week at 1280 px and at 360 px (a list
// of days, no sideways scroll), the day view, the date picker's form used by keyboard alone,
// print emulation (no menu, no sidebar, black on white), and the back office's week form;
// axe-core on each.
// Usage: BASE=… OUT=dir node schedule.js (user quantri/admin exists; see scripts/browser-tests.sh)
const { OUT, USERS, check, launch, login, axe, tabTo, run } = require('./lib');

const BASE = process.env.BASE;
const WEEK = '/lich-cong-tac';

// True when the page is no wider than its viewport.
async function noSidewaysScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

run('schedule browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const { page, close } = await launch('schedule', { locale: 'vi-VN', bypassCSP: true });
  try {
    page.setDefaultTimeout(30000);
    await page.goto(BASE + WEEK, { waitUntil: 'load' });
    const main = await page.textContent('main');
    check(main.includes('Giao ban lãnh đạo Sở đầu tuần'), 'the demo\'s week shows the Monday giao ban');
    check(main.includes('Điều chỉnh'), 'an adjusted entry is marked Điều chỉnh');
    check((await page.$$('section.schedule-day')).length === 7, 'seven days, Monday to Sunday');
    await axe(page, 'the week at 1280 px');
    await page.screenshot({ path: `${OUT}/schedule-week.png`, fullPage: true });

    // The date picker, by keyboard: Tab to it, step its first part (the day or the month,
    // as the locale orders them) with the arrow keys, send with Enter.
    const monday = await page.$eval('section.schedule-day h2', h => h.id.replace('ngay-', ''));
    check(await tabTo(page, '#ngay', 80), 'the date picker is reached with Tab');
    const before = await page.inputValue('#ngay');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowUp');
    const chosen = await page.inputValue('#ngay');
    check(chosen !== before && /^\d{4}-\d{2}-\d{2}$/.test(chosen), `the arrow keys change the day (${before} → ${chosen})`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    check(url.searchParams.get('ngay') === chosen, `Enter sends the form with the day chosen (${url.search})`);
    check(!!(await page.$(`section.schedule-day[aria-labelledby="ngay-${chosen}"]`)), 'and its week is shown');
    check((await page.inputValue('#ngay')) === chosen, 'with the day kept in the picker');

    // Print: no menu, no sidebar, the week's title, black on white.
    await page.goto(BASE + WEEK, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() => ['.menu', '.sidebar', '.schedule-pick', '.schedule-weeks']
      .map(s => [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none')));
    check(hidden.every(Boolean), `print hides the menu, the sidebar and the week's controls (${hidden})`);
    const ink = await page.evaluate(() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]);
    check(ink[0] === 'rgb(0, 0, 0)' && ['rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)'].includes(ink[1]), `print is black on white (${ink})`);
    check(await page.isVisible('h1.page-title'), 'print keeps the week\'s title');
    await page.pdf({ path: `${OUT}/schedule-print.pdf` }).catch(() => {});
    await page.emulateMedia({ media: 'screen' });

    // Phones: 360 px, the week as a list of days, the day view.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(BASE + WEEK, { waitUntil: 'load' });
    check(await noSidewaysScroll(page), 'no sideways scroll at 360 px on the week');
    const display = await page.$eval('.schedule-table tbody tr', r => getComputedStyle(r).display).catch(() => 'none');
    check(display === 'block', `at 360 px an entry reads as a block (${display})`);
    await axe(page, 'the week at 360 px');
    await page.screenshot({ path: `${OUT}/schedule-week-360.png`, fullPage: true });
    await page.goto(`${BASE}${WEEK}?xem=ngay&ngay=${monday}`, { waitUntil: 'load' });
    check((await page.$$('section.schedule-day')).length === 1, 'the day view shows one day');
    check(await noSidewaysScroll(page), 'no sideways scroll at 360 px on the day view');
    await axe(page, 'the day view at 360 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await axe(page, 'the day view at 1280 px');

    // The back office's week form.
    await login(page, BASE, USERS.admin);
    await page.goto(`${BASE}/quan-tri/lich-cong-tac`, { waitUntil: 'load' });
    check(await page.isVisible('button:has-text("Sao chép lịch lặp lại của tuần trước")'), 'the form offers to copy last week\'s recurring entries');
    check((await page.$$('fieldset.schedule-row')).length >= 9, 'a row per entry and blank rows');
    await axe(page, 'the back office\'s week form at 1280 px');
    await page.screenshot({ path: `${OUT}/schedule-admin.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload({ waitUntil: 'load' });
    await axe(page, 'the back office\'s week form at 360 px');
  } finally {
    await close();
  }
});
