// Cơ cấu tổ chức and Danh bạ in real headless Chromium: axe-core at 1280 and 360 px on the
// four public pages and the back office's, no horizontal scroll at 360 px, the directory
// searched by keyboard alone, and the chart still a nested list with the styles turned off.
// Usage: BASE=… OUT=dir node organisation.js (user quantri/admin exists; see
// scripts/browser-tests.sh)
const { OUT, USERS, check, launch, login, axe, tabTo, run } = require('./lib');

const BASE = process.env.BASE;
const PUBLIC = ['/co-cau-to-chuc', '/co-cau-to-chuc/van-phong-so', '/danh-ba', '/lanh-dao-qua-cac-thoi-ky'];
const ADMIN = ['/quan-tri/to-chuc', '/quan-tri/to-chuc/moi', '/quan-tri/to-chuc/nguoi', '/quan-tri/to-chuc/nguoi/moi'];

async function everyWidth(page, paths, what) {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    for (const p of paths) {
      await page.goto(BASE + p, { waitUntil: 'load' });
      await axe(page, `${what} ${p} at ${width} px`);
      if (width === 360) {
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(over <= 0, `${p} has no horizontal scroll at 360 px (${over} px over)`);
      }
    }
  }
}

run('organisation browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const { page, close } = await launch('organisation', { locale: 'vi-VN', bypassCSP: true });
  try {
    page.setDefaultTimeout(30000);
    await everyWidth(page, PUBLIC, 'public');

    // The directory by keyboard alone: Tab to the search box, type, Enter.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(BASE + '/danh-ba', { waitUntil: 'load' });
    check(await tabTo(page, '#db-q', 80), 'the search box is reached with Tab');
    await page.keyboard.type('ngoc tram');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    const names = await page.$$eval('table.directory tbody th[scope=row]', ths => ths.map(t => t.textContent.trim()));
    check(names.length === 1 && names[0] === 'Đỗ Thị Ngọc Trâm', `folded search by keyboard found ${JSON.stringify(names)}`);
    check(await page.isVisible('table.directory a[href^="tel:"]'), 'the phone is a tel: link');
    await page.screenshot({ path: `${OUT}/organisation-directory.png`, fullPage: true });

    // The chart without CSS: nested lists still say the structure.
    await page.goto(BASE + '/co-cau-to-chuc', { waitUntil: 'load' });
    await page.screenshot({ path: `${OUT}/organisation-chart.png`, fullPage: true });
    await page.evaluate(() => {
      for (const s of document.querySelectorAll('link[rel=stylesheet], style')) s.remove();
    });
    const plain = await page.evaluate(() => {
      const top = document.querySelector('ul.org-chart');
      const first = top && top.querySelector(':scope > li');
      return {
        units: top ? top.querySelectorAll(':scope > li').length : 0,
        nested: top ? top.querySelectorAll('li > ul > li.org-unit').length : 0,
        first: first ? first.textContent.replace(/\s+/g, ' ').trim().slice(0, 60) : '',
        styled: getComputedStyle(document.body).fontFamily,
      };
    });
    check(plain.units === 8, `without CSS the chart lists the 8 top units (${plain.units})`);
    check(plain.first.startsWith('Ban Giám đốc'), `the leadership first (${plain.first})`);
    check(await page.isVisible('ul.org-chart li a[href="/co-cau-to-chuc/van-phong-so"]'), 'each unit links to its page');
    await page.screenshot({ path: `${OUT}/organisation-chart-no-css.png`, fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(BASE + '/co-cau-to-chuc', { waitUntil: 'load' });
    await page.screenshot({ path: `${OUT}/organisation-chart-360.png`, fullPage: true });

    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, BASE, USERS.admin);
    await everyWidth(page, ADMIN, 'back office');
    // Lên/Xuống are buttons a keyboard reaches.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(BASE + '/quan-tri/to-chuc', { waitUntil: 'load' });
    check(await tabTo(page, 'form[action$="/di-chuyen"] button', 120), 'a Lên/Xuống button is reached with Tab');
    await page.screenshot({ path: `${OUT}/organisation-admin.png`, fullPage: true });
  } finally {
    await close();
  }
});
