// The documents library in real headless Chromium: the filters (each a GET form whose
// address can be shared), the pager, a document's page and a download, the site search with
// the documents filter, the back-office document form with a file, and axe-core on each page.
// Usage: BASE=http://127.0.0.1:PORT OUT=dir node documents.js (the demo, with the users of
// scripts/browser-tests.sh). Exit 0 when every check passes; prints one line per check.
const fs = require('fs'), os = require('os'), path = require('path');
const { OUT, READER_UA, USERS, check, launch, consoleErrors, noConsoleErrors, login, axe, run } = require('./lib');

const BASE = process.env.BASE;

const rows = page => page.$$eval('table.documents tbody tr', trs => trs.length);
const total = async page => Number((await page.textContent('.search-count strong')).replace(/\./g, ''));

run('documents browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-downloads-'));
  const browser = await launch('documents', {
    userAgent: READER_UA, locale: 'vi-VN', acceptDownloads: true, downloadsPath: downloads, bypassCSP: true,
  });
  const ctx = browser.ctx;
  try {
    const page = browser.page;
    page.setDefaultTimeout(15000);
    const errors = consoleErrors(page);

    // The library from the menu.
    await page.goto(BASE + '/', { waitUntil: 'load' });
    await page.click('nav.menu a[href="/van-ban"]');
    await page.waitForURL(BASE + '/van-ban');
    const all = await total(page);
    check(all === 42 && (await rows(page)) === 20, `the library: ${all} documents, 20 a page`);
    await axe(page, '/van-ban');
    // The pager.
    await page.click('nav.pager a[rel="next"]');
    await page.waitForLoadState('load');
    check(page.url().includes('page=2') && (await rows(page)) === 20, 'page 2 by the pager');
    // Two filters chosen in the form: the address carries them (shareable), the list narrows.
    await page.goto(BASE + '/van-ban', { waitUntil: 'load' });
    await page.selectOption('#vb-loai', { label: 'Quyết định' });
    await page.selectOption('#vb-co-quan', { label: 'UBND tỉnh' });
    await Promise.all([page.waitForNavigation(), page.click('.library-form button[type="submit"]')]);
    const url = new URL(page.url());
    check(url.searchParams.get('loai') === 'quyet-dinh' && url.searchParams.get('co-quan') === 'ubnd-tinh',
      `the filters are in the address: ${url.search}`);
    const narrowed = await total(page);
    const types = await page.$$eval('table.documents tbody tr td:nth-child(4)', t => t.map(x => x.textContent.trim()));
    // (One of them the demo's draft of the province, closed for comment.)
    check(narrowed === 9 && types.every(t => t === 'Quyết định'), `decisions of the province: ${narrowed}`);
    check(await page.isVisible('a.clear-filters'), 'a way to clear the filters');
    await axe(page, '/van-ban filtered');
    // The same address opened afresh shows the same list (shared by someone).
    const shared = await ctx.newPage();
    await shared.goto(page.url(), { waitUntil: 'load' });
    check((await total(shared)) === narrowed, 'the shared address shows the same list');
    await shared.close();
    // On a phone the table scrolls inside its box; the page does not.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(BASE + '/van-ban', { waitUntil: 'load' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `360 px: the page does not scroll sideways (${overflow} px)`);
    await page.screenshot({ path: path.join(OUT, 'documents-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A document: its fields, relations, a download under its Vietnamese name.
    await page.goto(BASE + '/van-ban/544-qd-skhcn', { waitUntil: 'load' });
    check((await page.textContent('h1')).includes('544/QĐ-SKHCN'), 'the document page');
    await axe(page, '/van-ban/544-qd-skhcn');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.attachments a[download][href$=".docx"]'),
    ]);
    const saved = path.join(downloads, download.suggestedFilename());
    await download.saveAs(saved);
    check(download.suggestedFilename().endsWith('.docx') && fs.statSync(saved).size > 1000,
      `download: ${download.suggestedFilename()}, ${fs.statSync(saved).size} bytes`);
    await page.screenshot({ path: path.join(OUT, 'document.png'), fullPage: true });
    await page.goto(BASE + '/van-ban/45-kh-skhcn', { waitUntil: 'load' });
    await page.click('.related-documents a[href="/van-ban/52-kh-skhcn"]');
    await page.waitForURL(BASE + '/van-ban/52-kh-skhcn');
    check((await page.textContent('.related-documents')).includes('Thay thế'), 'relations read both ways');

    // The site search with the documents filter.
    await page.goto(BASE + '/tim-kiem', { waitUntil: 'load' });
    await page.fill('#tu-khoa', 'tiep nhan phan anh kien nghi');
    await page.selectOption('#loai', 'van-ban');
    await Promise.all([page.waitForNavigation(), page.click('.search-form button[type="submit"]')]);
    const hits = await page.$$eval('.search-results .result-title a', a => a.map(x => x.getAttribute('href')));
    check(hits.length > 0 && hits.every(h => h.startsWith('/van-ban/')) && hits.includes('/van-ban/544-qd-skhcn'),
      `search, documents only: ${hits.slice(0, 3).join(', ')}`);
    await axe(page, '/tim-kiem?loai=van-ban');

    // The back office: a new document with a file, through the form as an editor types it.
    await login(page, BASE, USERS.editor);
    await page.goto(BASE + '/quan-tri/van-ban/moi', { waitUntil: 'load' });
    await axe(page, '/quan-tri/van-ban/moi');
    await page.fill('#number', '99/TB-SKHCN');
    await page.selectOption('#type_id', { label: 'Thông báo' });
    await page.selectOption('#issuer_id', { label: 'Sở Khoa học và Công nghệ' });
    await page.fill('#summary', 'Thông báo thử nghiệm từ trình duyệt');
    await page.fill('#issued_on', '2026-03-02');
    await page.check('fieldset.checks input[type="checkbox"] >> nth=0');
    await page.fill('#rel-number-1', '544/QĐ-SKHCN');
    await page.selectOption('#rel-kind-1', 'guides');
    await page.setInputFiles('#upload', saved);
    await Promise.all([page.waitForURL(/\/quan-tri\/van-ban\/\d+\?ok=tao/), page.click('.document-form button[type="submit"]')]);
    check(true, `saved with its file: ${page.url().replace(BASE, '')}`);
    check((await page.$$('.document-form input[name="file"]')).length === 1, 'the file is attached');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/trang-thai"] button:has-text("Đăng")')]);
    const published = await page.getAttribute('a:has-text("Xem trên trang")', 'href');
    await page.goto(new URL(published, BASE).href, { waitUntil: 'load' });
    check((await page.textContent('.related-documents')).includes('Hướng dẫn'), 'published with its relation');
    await page.goto(BASE + '/quan-tri/van-ban', { waitUntil: 'load' });
    await axe(page, '/quan-tri/van-ban');

    noConsoleErrors(errors);
  } finally {
    await browser.close();
    fs.rmSync(downloads, { recursive: true, force: true });
  }
});
