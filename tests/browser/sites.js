// The three sites of `cong serve --demo` in real headless Chromium, reached by their own
// names (Chromium sends *.localhost to the loopback address): the portal gathers both
// departments' news and links to their own addresses; each site shows its own name; an
// account with roles on two sites logs in once and moves between them with the switcher;
// axe-core on each site's pages and on the back office with the switcher.
// Usage: PORT=… OUT=dir node sites.js (the account nhieutrang exists: see browser-tests.sh)
const path = require('path');
const { OUT, check, launch, noConsoleErrors, login, axe: axeNow, run } = require('./lib');

const PORT = process.env.PORT;
const USER = ['nhieutrang', 'Hai trang một tài khoản 2026'];
const at = (host, p = '/') => `http://${host}:${PORT}${p}`;
const SITES = [
  ['localhost', 'Cổng thông tin điện tử tỉnh Bình Thuận'],
  ['skhcn.localhost', 'Sở Khoa học và Công nghệ'],
  ['stp.localhost', 'Sở Tư pháp'],
];

async function axe(page, url, label) {
  await page.goto(url, { waitUntil: 'load' });
  await axeNow(page, label || url);
}

run('three-site browser', async () => {
  if (!PORT) throw new Error('PORT is not set');
  // CSP bypassed only to inject axe.
  const browser = await launch('sites', { locale: 'vi-VN', bypassCSP: true });
  try {
    const page = browser.page;
    page.setDefaultTimeout(20000);
    const errors = [];
    // The unknown-host page is a 404 on purpose: its own status is not an error.
    page.on('console', m => {
      if (m.type() === 'error' && !(m.location().url || '').includes('nowhere.localhost'))
        errors.push(`${m.text()} (${m.location().url})`);
    });

    // Each site under its own name, with its own name in the title.
    for (const [host, name] of SITES) {
      const res = await page.goto(at(host), { waitUntil: 'load' });
      check(res.status() === 200, `${host}: ${res.status()}`);
      check((await page.title()).startsWith(name), `${host} is “${name}”`);
      await page.screenshot({ path: path.join(OUT, `site-${host}.png`) });
    }
    // The loopback address leads to the portal.
    await page.goto(`http://127.0.0.1:${PORT}/`, { waitUntil: 'load' });
    check(page.url() === at('localhost'), `127.0.0.1 redirects to the portal (${page.url()})`);

    // The portal's gathering section: both departments' newest articles, labelled, each
    // linking to its own site; a click lands there.
    await page.goto(at('localhost', '/chuyen-muc/tin-tu-cac-so-nganh'), { waitUntil: 'load' });
    const links = await page.$$eval('main a[href*="/bai-viet/"]', as => as.map(a => a.href));
    const hosts = new Set(links.map(h => new URL(h).hostname));
    check(hosts.has('skhcn.localhost') && hosts.has('stp.localhost'),
      `gathering section links to both departments (${[...hosts].join(', ')})`);
    const main = await page.textContent('main');
    check(main.includes('Sở Khoa học và Công nghệ') && main.includes('Sở Tư pháp'), 'gathered articles are labelled with their site');
    const stpLink = links.find(h => new URL(h).hostname === 'stp.localhost');
    await Promise.all([page.waitForURL(/stp\.localhost/), page.click(`main a[href="${stpLink}"]`)]);
    check((await page.title()).includes('Sở Tư pháp'), 'a gathered article opens on its own site');
    const canonical = await page.getAttribute('link[rel=canonical]', 'href');
    check(canonical && canonical.startsWith(at('stp.localhost', '/bai-viet/')), `its canonical address is its own site's (${canonical})`);

    // Accessibility on each site: home, a section, an article.
    for (const [host] of SITES) {
      await axe(page, at(host), `${host} home`);
      const article = await page.$eval('main a[href*="/bai-viet/"]', a => a.href);
      await axe(page, at(host, '/chuyen-muc/tin-tuc-su-kien'), `${host} Tin tức - Sự kiện`);
      await axe(page, article, `${host} article`);
    }
    await axe(page, at('nowhere.localhost'), 'the unknown-host page');

    // One login at the portal, two sites: the switcher moves the back office to Sở Tư pháp.
    await login(page, at('localhost', ''), USER);
    check((await page.textContent('.admin-brand')).includes('Cổng thông tin điện tử'), 'back office of the portal');
    const options = await page.$$eval('#chon-trang option', os => os.map(o => o.textContent.trim()));
    check(options.length === 2 && options.includes('Sở Tư pháp'), `the switcher offers the account's sites (${options.join(', ')})`);
    await axe(page, at('localhost', '/quan-tri'), 'back office with the switcher');
    const stpId = await page.$eval('#chon-trang', s => [...s.options].find(o => o.textContent.trim() === 'Sở Tư pháp').value);
    await page.selectOption('#chon-trang', stpId);
    await Promise.all([page.waitForURL(/\/quan-tri$/), page.click('.site-switcher button')]);
    check((await page.textContent('.admin-brand')).includes('Sở Tư pháp'), 'the switcher moved the back office to Sở Tư pháp');
    check((await page.textContent('.admin-user')).includes('Biên tập viên'), 'with the role held there');
    await page.goto(at('localhost', '/quan-tri/chuyen-muc'), { waitUntil: 'load' });
    check((await page.textContent('main')).includes('Phổ biến pháp luật'), 'Sở Tư pháp\'s sections, from the portal\'s address');
    await page.screenshot({ path: path.join(OUT, 'switcher.png') });
    await page.setViewportSize({ width: 375, height: 812 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(wide <= 0, `phone width: no horizontal scroll with the switcher (${wide}px)`);
    noConsoleErrors(errors);
  } finally {
    await browser.close();
  }
});
