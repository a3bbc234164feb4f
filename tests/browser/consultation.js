// Lấy ý kiến dự thảo in real headless Chromium, under the site's own CSP: the demo's open
// draft shows its comment form, the ALTCHA widget solves its challenge, the comment is filled
// and sent by keyboard alone, the receipt replaces the form, and the comment waits in the back
// office's moderation page (not on the public page). axe-core on the page with the form, on
// the receipt and on the demo's closed draft with its count and report.
// Usage: BASE=… OUT=dir node consultation.js (user quantri/admin exists; see
// scripts/browser-tests.sh)
const { OUT, USERS, check, launch, consoleErrors, noConsoleErrors, login, axe, solved, tabTo, run } = require('./lib');

const BASE = process.env.BASE;
// The demo's drafts (crates/demo/src/consultations.rs).
const OPEN = '/van-ban/du-thao-quyet-dinh-cong-bo-thu-tuc-hanh-chinh';
const CLOSED = '/van-ban/du-thao-quy-dinh-quan-ly-do-luong-chat-luong';
const NUMBER = '…/QĐ-SKHCN';
const BODY = 'Đề nghị công khai quy trình nội bộ của từng thủ tục trên Cổng Dịch vụ công.';
const RECEIPT = 'Cơ quan đã nhận ý kiến của bạn';
// forms.min_fill_time is 5 s: a send sooner is refused as too fast.
const FILL_MS = 5500;

// Waits until `FILL_MS` have passed since `t0`.
async function fillTime(page, t0) {
  await page.waitForTimeout(Math.max(0, FILL_MS - (Date.now() - t0)));
}

run('consultation browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const { page, close } = await launch('consultation', { locale: 'vi-VN' });
  try {
    page.setDefaultTimeout(30000);
    const errors = consoleErrors(page);
    await page.goto(BASE + OPEN, { waitUntil: 'load' });
    const t0 = Date.now();
    check((await page.textContent('#lay-y-kien .consultation-state')) === 'Đang lấy ý kiến', 'the draft is open for comment');
    const ms = await solved(page);
    console.log(`     the proof of work was solved ${ms} ms after the page loaded`);
    check(await page.isVisible('#lay-y-kien altcha-widget'), 'the widget is shown in the consultation');
    // Keyboard alone, from the top of the page: past the menu, the document and its files.
    const fields = [['#ho-ten', 'Võ Thị Mai'], ['#thu-dien-tu', 'mai.vo@example.vn'],
      ['#co-quan', 'Trung tâm Phục vụ hành chính công'], ['#y-kien', BODY]];
    for (const [sel, text] of fields) {
      check(await tabTo(page, sel, 150), `${sel} is reached with Tab`);
      await page.keyboard.type(text);
    }
    check(await tabTo(page, '#dong-y'), 'the consent box is reached with Tab');
    await page.keyboard.press('Space');
    check(await page.isChecked('#dong-y'), 'the consent box is ticked with Space');
    check(await tabTo(page, 'form.public-form button[type=submit]'), 'the send button is reached with Tab');
    await solved(page);
    await fillTime(page, t0);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    const receipt = await page.textContent('#lay-y-kien');
    check(receipt.includes(RECEIPT), `the comment was taken (${receipt.replace(/\s+/g, ' ').slice(0, 160)})`);
    check(!(await page.$('form.public-form')), 'the receipt replaces the form');
    noConsoleErrors(errors, ' under the site\'s CSP (widget, worker, styles)');
    await page.screenshot({ path: `${OUT}/consultation-receipt.png`, fullPage: true });
    await page.goto(BASE + OPEN, { waitUntil: 'load' });
    check(!(await page.textContent('main')).includes(BODY), 'not on the public page before moderation');

    // The back office has it, waiting for moderation.
    await login(page, BASE, USERS.admin);
    await page.goto(`${BASE}/quan-tri/van-ban?tim=${encodeURIComponent('công bố danh mục thủ tục hành chính')}`, { waitUntil: 'load' });
    const href = await page.$$eval('a[href^="/quan-tri/van-ban/"]',
      (links, number) => (links.find(a => a.textContent.trim() === number) || {}).getAttribute?.('href'), NUMBER);
    check(/^\/quan-tri\/van-ban\/\d+$/.test(href || ''), `the draft is in the back office's library (${href})`);
    await page.goto(`${BASE}${href}/lay-y-kien`, { waitUntil: 'load' });
    const row = await page.textContent('main');
    check(row.includes(BODY) && row.includes('mai.vo@example.vn'), 'the comment is on the moderation page with its address');
    check(await page.isVisible(`tr:has-text("${BODY}") button:has-text("Đăng")`), 'it can be published from there');
    await page.screenshot({ path: `${OUT}/consultation-moderation.png`, fullPage: true });
  } finally {
    await close();
  }

  // axe-core: the page with its form, the receipt, the closed draft (CSP bypassed for axe).
  const a = await launch('consultation-axe', { locale: 'vi-VN', bypassCSP: true });
  try {
    const page = a.page;
    page.setDefaultTimeout(30000);
    await page.goto(BASE + OPEN, { waitUntil: 'load' });
    const t0 = Date.now();
    await solved(page);
    await axe(page, 'the open draft with its comment form and widget');
    await page.fill('#ho-ten', 'Đặng Quốc Bảo');
    await page.fill('#thu-dien-tu', 'bao.dang@example.vn');
    await page.fill('#y-kien', 'Nên nêu rõ thời hạn giải quyết của từng thủ tục trong danh mục.');
    await page.check('#dong-y');
    await fillTime(page, t0);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.public-form button[type=submit]')]);
    check((await page.textContent('#lay-y-kien')).includes(RECEIPT), 'a second comment was taken');
    await axe(page, 'the receipt');
    await page.goto(BASE + CLOSED, { waitUntil: 'load' });
    const closed = (await page.textContent('#lay-y-kien')).replace(/\s+/g, ' ');
    check(closed.includes('Đã nhận 3 ý kiến góp ý'), 'the closed draft states its count');
    check(await page.isVisible('.consultation-report a[download]'), 'and links its summary report');
    check(!(await page.$('form.public-form')), 'and has no form');
    await axe(page, 'the closed draft with its report');
    await page.screenshot({ path: `${OUT}/consultation-closed.png`, fullPage: true });
  } finally {
    await a.close();
  }
});
