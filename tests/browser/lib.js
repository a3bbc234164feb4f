// What every browser stage shares: Chromium (Debian's, driven by playwright-core) in a
// profile of its own, the one-line-per-check report, the back office's login, axe-core.
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');

const OUT = process.env.OUT || 'test-artifacts/browser';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// A reader's browser: headless Chromium's own User-Agent says "HeadlessChrome", a bot.
const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const REFERENCE = '/bai-viet/hoi-nghi-tap-huan-ve-de-xuat-va-trien-khai-thuc-hien-cac-nhiem-vu-kh-cn-cho-cac-co-quan-khoi-dang';
// The accounts scripts/browser-tests.sh creates.
const USERS = {
  admin: ['quantri', 'Đồng hồ cát 2026'],
  editor: ['bientap', 'Giấy trắng 2026!'],
  author: ['phongvien', 'Bút bi xanh 2026'],
};

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// Chromium in a new profile (`name` marks its folder); `options` add to or override the
// context's. close() ends it and removes the profile.
async function launch(name, options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `cong-${name}-`));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: FLAGS,
    viewport: { width: 1280, height: 900 }, ...options,
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const close = async () => {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { ctx, page, profile, close };
}

// Collects the console errors of `page` into `errors` (returned); `keep` may pass some by.
function consoleErrors(page, errors = [], keep = () => true) {
  page.on('console', m => { if (m.type() === 'error' && keep(m)) errors.push(m.text()); });
  return errors;
}

function noConsoleErrors(errors, note = '') {
  check(errors.length === 0, `no console errors${note}${errors.length ? ': ' + errors.join('; ') : ''}`);
}

// Logs in at `base` (the site's address) and waits for the back office.
async function login(page, base, [user, pw]) {
  await page.goto(base + '/dang-nhap', { waitUntil: 'load' });
  await page.fill('#username', user);
  await page.fill('#password', pw);
  await Promise.all([page.waitForURL(/\/quan-tri/), page.click('button[type=submit]')]);
}

// axe-core on the page as it stands: each violation on a line of its own, then one check.
// The page's context must bypass CSP, which rightly refuses the injected script.
async function axe(page, label) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const r = await page.evaluate(() => axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  for (const v of r.violations)
    console.log(`     [${v.impact}] ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
  check(r.violations.length === 0, `axe-core ${r.testEngine.version}: ${label}: ${r.violations.length} violations, ${r.passes.length} passes`);
}

// The public form's proof-of-work answer, once the widget has one (the form's own data: the
// widget is form-associated or keeps a hidden input; either way it is in FormData). Returns
// how long it took.
async function solved(page, timeout = 120000) {
  const t0 = Date.now();
  await page.waitForFunction(() => {
    const f = document.querySelector('form.public-form');
    return f && (new FormData(f).get('altcha') || '').length > 20;
  }, null, { timeout });
  return Date.now() - t0;
}

// Tabs forward until the element matching `selector` has the focus (at most `presses`).
async function tabTo(page, selector, presses = 40) {
  for (let i = 0; i < presses; i++) {
    if (await page.evaluate(s => document.activeElement && document.activeElement.matches(s), selector)) return true;
    await page.keyboard.press('Tab');
  }
  return false;
}

// Runs a stage: makes OUT, then `main`; prints the verdict (`what`: whose checks) and exits
// 0 only when every check passed and nothing was thrown.
function run(what, main) {
  (async () => {
    fs.mkdirSync(OUT, { recursive: true });
    await main();
    console.log(failures ? `${failures} check(s) failed` : `all ${what} checks passed`);
    process.exit(failures ? 1 : 0);
  })().catch(e => { console.error(e); process.exit(1); });
}

module.exports = { OUT, READER_UA, REFERENCE, USERS, check, launch, consoleErrors, noConsoleErrors, login, axe, solved, tabTo, run };
