// The site over HTTPS in real headless Chromium: pages arrive over HTTP/2, every resource and
// link to the site itself is https:// (no mixed content), the login cookie is Secure, HSTS is
// sent, the plain-HTTP address lands on HTTPS, and axe-core finds nothing on the pages.
// The certificate is a self-signed one made by browser-tests.sh: Chromium is told to accept
// it (certificate verification itself is tested by the HTTP suite against pebble's CA).
// Usage: BASE=https://localhost:PORT PLAIN=http://localhost:PORT OUT=dir node https.js
const path = require('path');
const { OUT, READER_UA, REFERENCE, check, launch, noConsoleErrors, axe, run } = require('./lib');

const BASE = process.env.BASE;
const PLAIN = process.env.PLAIN;

run('HTTPS browser', async () => {
  if (!BASE || !PLAIN) throw new Error('BASE and PLAIN must be set');
  const browser = await launch('https', {
    locale: 'vi-VN', bypassCSP: true, ignoreHTTPSErrors: true, userAgent: READER_UA,
  });
  const ctx = browser.ctx;
  try {
    const page = browser.page;
    page.setDefaultTimeout(20000);
    const errors = [];
    page.on('console', m => { if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`); });
    const own = new URL(BASE).host;

    for (const p of ['/', '/chuyen-muc/tin-tuc-su-kien', REFERENCE, '/dang-nhap']) {
      const res = await page.goto(BASE + p, { waitUntil: 'load' });
      check(res.status() === 200, `${p}: ${res.status()}`);
      const hsts = (await res.allHeaders())['strict-transport-security'];
      check(hsts === 'max-age=31536000', `${p}: HSTS (${hsts})`);
      const proto = await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol);
      check(proto === 'h2', `${p}: over HTTP/2 (${proto})`);
      // Every resource fetched is https (no mixed content), and no link or form leads to the
      // site itself over plain http. (A namespace such as Dublin Core's schema URL is a name,
      // never fetched.)
      const plainRefs = await page.evaluate((host) => {
        const fetched = performance.getEntriesByType('resource').map(r => r.name);
        const own = [...document.querySelectorAll('a[href], link[href], img[src], script[src], form[action]')]
          .map(e => e.href || e.src || e.action).filter(u => { try { return new URL(u).host === host; } catch { return false; } });
        return [...fetched, ...own].filter(u => u.startsWith('http://'));
      }, own);
      check(plainRefs.length === 0, `${p}: no plain-http resource or link to itself${plainRefs.length ? ': ' + plainRefs.slice(0, 3).join(', ') : ''}`);
      await axe(page, `over https: ${p}`);
    }
    const canonical = await page.goto(BASE + REFERENCE).then(() => page.getAttribute('link[rel=canonical]', 'href'));
    check(canonical === BASE + REFERENCE, `canonical address is https (${canonical})`);
    await page.screenshot({ path: path.join(OUT, 'https-article.png') });

    await page.goto(BASE + '/dang-nhap', { waitUntil: 'load' });
    const cookies = await ctx.cookies(BASE);
    check(cookies.length > 0 && cookies.every(c => c.secure), `login cookies are Secure (${cookies.map(c => c.name + (c.secure ? ':secure' : '')).join(', ')})`);

    // Typing the plain address lands on HTTPS, same path.
    await page.goto(PLAIN + '/chuyen-muc/tin-tuc-su-kien', { waitUntil: 'load' });
    check(page.url() === BASE + '/chuyen-muc/tin-tuc-su-kien', `plain http lands on https (${page.url()})`);
    noConsoleErrors(errors);
  } finally {
    await browser.close();
  }
});
