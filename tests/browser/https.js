// The site over HTTPS in real headless Chromium: pages arrive over HTTP/2, every resource and
// link to the site itself is https:// (no mixed content), the login cookie is Secure, HSTS is
// sent, the plain-HTTP address lands on HTTPS, and axe-core finds nothing on the pages.
// The certificate is a self-signed one made by browser-tests.sh: Chromium is told to accept
// it (certificate verification itself is tested by the HTTP suite against pebble's CA).
// Usage: BASE=https://localhost:PORT PLAIN=http://localhost:PORT OUT=dir node https.js
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');

const BASE = process.env.BASE;
const PLAIN = process.env.PLAIN;
const OUT = process.env.OUT || 'test-artifacts/browser';
const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const REFERENCE = '/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang';

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

(async () => {
  if (!BASE || !PLAIN) throw new Error('BASE and PLAIN must be set');
  fs.mkdirSync(OUT, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-https-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: FLAGS,
    viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true,
    ignoreHTTPSErrors: true, userAgent: READER_UA,
  });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
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
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const r = await page.evaluate(() => axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
      for (const v of r.violations)
        console.log(`     [${v.impact}] ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
      check(r.violations.length === 0, `axe-core over https: ${p}: ${r.violations.length} violations`);
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
    check(errors.length === 0, `no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(failures ? `${failures} check(s) failed` : 'all HTTPS browser checks passed');
  process.exit(failures ? 1 : 0);
})().catch(e => { console.error(e); process.exit(1); });
