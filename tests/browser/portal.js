// Browser tests in real headless Chromium (Debian's, driven by playwright-core), against a
// running cong with the demo content. Usage: BASE=http://127.0.0.1:PORT OUT=dir node portal.js
// Exit 0 when every check passes; prints one line per check.
const fs = require('fs'), path = require('path');
const { execFileSync } = require('child_process');
const { OUT, READER_UA, REFERENCE, check, launch, consoleErrors, noConsoleErrors, axe, run } = require('./lib');

const BASE = process.env.BASE;

run('browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const browser = await launch('chromium', { userAgent: READER_UA, locale: 'vi-VN' });
  try {
    const page = browser.page;
    page.setDefaultTimeout(15000);
    const errors = consoleErrors(page);

    // The reference article with its gallery, byline and live view count.
    await page.goto(BASE + REFERENCE, { waitUntil: 'load' });
    const h1 = await page.textContent('h1');
    check(h1.includes('Tập huấn về đề xuất và triển khai thực hiện các nhiệm vụ KH&CN cho các cơ quan khối Đảng'), 'article title');
    check((await page.textContent('.article-meta time')).trim() === '17/05/2023 15:20', 'article date in Hà Nội time');
    const views = Number((await page.textContent('[data-stat="views"]')).replace(/\./g, ''));
    check(views >= 1, `own view shows at once (Lượt xem: ${views})`);
    // The gallery's images are lazy: 'load' does not wait for them, and a node fetches an
    // image it has not served yet from the store first. Scrolled into view, each must load.
    await page.$eval('.gallery', g => g.scrollIntoView());
    await page.waitForFunction(() => [...document.querySelectorAll('.gallery img')]
      .every(e => e.complete && e.naturalWidth > 0), null, { timeout: 15000 }).catch(() => {});
    const imgs = await page.$$eval('.gallery img', els => els.map(e => ({ ok: e.complete && e.naturalWidth > 0, alt: e.alt })));
    check(imgs.length >= 3 && imgs.every(i => i.ok && i.alt.length > 0),
      `gallery: ${imgs.filter(i => i.ok).length} of ${imgs.length} images loaded, all with alt text`);
    check((await page.textContent('.gallery h2')).trim() === 'Một số hình ảnh tại Hội nghị', 'gallery title');
    check((await page.$$eval('.gallery figcaption', f => f.length)) === imgs.length, 'every image has a caption');
    check((await page.textContent('.byline')).trim() === 'Kiều Diễm', 'byline');
    await page.screenshot({ path: path.join(OUT, 'article.png'), fullPage: true });
    await page.reload({ waitUntil: 'load' });
    const again = Number((await page.textContent('[data-stat="views"]')).replace(/\./g, ''));
    check(again === views, `a reload within 10 minutes is not counted again (${again})`);

    // Print: the button calls the browser's print, and the print stylesheet keeps the article
    // (title, date, body, images, byline, source address) without menu, widget or footer;
    // rendered to PDF by Chromium and read back with pdftotext.
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
    check(await page.isVisible('.print-button'), 'print button shown (with scripts)');
    await page.click('.print-button');
    check((await page.evaluate(() => window.__printed)) === 1, 'print button opens printing');
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.$$eval('nav.menu, .sidebar, .site-footer, .print-button, #tin-khac',
      els => els.every(e => getComputedStyle(e).display === 'none'));
    check(hidden, 'print stylesheet hides menu, widget, footer, Tin khác, the button');
    const pdf = path.join(OUT, 'article.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: false });
    await page.emulateMedia({ media: null });
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    fs.writeFileSync(path.join(OUT, 'article.pdf.txt'), text);
    const source = 'Nguồn: ' + BASE + REFERENCE;
    for (const [what, needle] of [['title', 'Tập huấn về đề xuất và triển khai'], ['date', '17/05/2023'],
      ['body', (await page.textContent('.prose p')).trim().replace(/\s+/g, ' ').slice(0, 40)],
      ['gallery caption', (await page.textContent('.gallery figcaption')).trim().replace(/\s+/g, ' ').slice(0, 30)],
      ['byline', 'Kiều Diễm']])
      check(text.includes(needle), `PDF keeps the ${what} (${needle.slice(0, 50)})`);
    // A long address wraps across lines, which pdftotext turns into a space.
    check(text.replace(/ /g, '').includes(source.replace(/ /g, '')), `PDF keeps the source address (${source})`);
    for (const [what, needle] of [['widget', 'Tổng lượt truy cập'], ['footer', 'Chịu trách nhiệm chính'], ['Tin khác', 'Tin khác'], ['print button', 'In bài viết']])
      check(!text.includes(needle), `PDF leaves out the ${what}`);
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').length - 2;
    check(images >= 3, `PDF carries the images (${images})`);

    // "Tin khác" pages on its own.
    const firstOther = await page.getAttribute('#tin-khac .titles a', 'href');
    await page.click('#tin-khac .pager a:text-is("2")');
    await page.waitForURL(/tin-khac=2/);
    check((await page.getAttribute('#tin-khac .pager a[aria-current="page"]', 'href')).includes('tin-khac=2'), 'Tin khác page 2 is marked current');
    check((await page.getAttribute('#tin-khac .titles a', 'href')) !== firstOther, 'Tin khác page 2 lists other articles');

    // Menu and section pagination, by clicking.
    await page.goto(BASE + '/', { waitUntil: 'load' });
    await page.screenshot({ path: path.join(OUT, 'home.png'), fullPage: true });
    await page.click('nav.menu a:text-is("Tin tức - Sự kiện")');
    await page.waitForURL(/\/chuyen-muc\/tin-tuc-su-kien$/);
    check((await page.textContent('h1')).trim() === 'Tin tức - Sự kiện', 'menu leads to the section');
    check((await page.getAttribute('nav.menu a[aria-current="page"]', 'href')) === '/chuyen-muc/tin-tuc-su-kien', 'menu marks the section');
    const page1 = await page.$$eval('.cards .card-title a', as => as.map(a => a.getAttribute('href')));
    await page.click('.pager a:text-is("2")');
    await page.waitForURL(/page=2/);
    const page2 = await page.$$eval('.cards .card-title a', as => as.map(a => a.getAttribute('href')));
    check(page2.length === 10 && page2.every(h => !page1.includes(h)), 'section page 2 shows ten other articles');
    check((await page.textContent('.pager a[aria-current="page"]')).trim() === '2', 'page 2 is marked current');
    await page.click('.pager a[rel="next"]');
    await page.waitForURL(/page=3/);
    check((await page.textContent('.pager a[aria-current="page"]')).trim() === '3', '"Sau »" goes to page 3');
    await page.click('.pager a[rel="prev"]');
    await page.waitForURL(/page=2/);
    check(true, '"« Trước" goes back to page 2');
    await page.screenshot({ path: path.join(OUT, 'section-page-2.png'), fullPage: true });

    // Keyboard: the first Tab reaches the skip link, which leads to the main content.
    await page.goto(BASE + '/', { waitUntil: 'load' });
    await page.keyboard.press('Tab');
    check((await page.evaluate(() => document.activeElement.textContent.trim())) === 'Chuyển đến nội dung chính', 'first Tab: skip link');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    check(outline !== 'none', `focus is visible (outline ${outline})`);
    await page.keyboard.press('Enter');
    check((await page.evaluate(() => document.activeElement.id)) === 'noi-dung', 'skip link moves focus to main');

    // The widget's five rows on every page.
    for (const url of ['/', '/chuyen-muc/van-ban', REFERENCE, '/trang/lien-he']) {
      await page.goto(BASE + url, { waitUntil: 'load' });
      const rows = await page.$$eval('.stats-list dt', d => d.map(x => x.textContent.trim()));
      check(rows.join('|') === 'Đang truy cập|Hôm nay|Trong tuần|Tháng hiện tại|Tổng lượt truy cập', `widget rows on ${url}`);
    }

    // The search box in the header: typed without marks, Enter, the reference article among
    // the results with its title highlighted; the phone layout keeps it usable.
    await page.goto(BASE + '/chuyen-muc/van-ban', { waitUntil: 'load' });
    await page.fill('#o-tim-kiem', 'hoi nghi tap huan khoi dang');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('#o-tim-kiem', 'Enter')]);
    check(new URL(page.url()).pathname === '/tim-kiem', `the header box leads to /tim-kiem (${page.url()})`);
    const first = await page.getAttribute('.search-results li:first-child .result-title a', 'href');
    check(first === REFERENCE, `first result is the reference article (${first})`);
    check((await page.$$eval('.search-results mark', m => m.length)) > 0, 'matches highlighted');
    check((await page.inputValue('#tu-khoa')) === 'hoi nghi tap huan khoi dang', 'query kept in the form');
    await page.screenshot({ path: path.join(OUT, 'search.png'), fullPage: true });

    // A phone: no sideways scrolling, menu and widget still there.
    await page.setViewportSize({ width: 375, height: 812 });
    for (const url of ['/', REFERENCE, '/tim-kiem?q=hoi+nghi']) {
      await page.goto(BASE + url, { waitUntil: 'load' });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(wide <= 0, `phone width: no horizontal scroll on ${url} (${wide}px)`);
    }
    await page.screenshot({ path: path.join(OUT, 'article-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    noConsoleErrors(errors, ' (CSP included)');

    // The 404 page is the site's own.
    const res = await page.goto(BASE + '/bai-viet/khong-co-bai-nay', { waitUntil: 'load' });
    check(res.status() === 404 && (await page.textContent('h1')).includes('Không tìm thấy'), '404 page in the site style');

  } finally {
    await browser.close();
  }

  // Accessibility: zero axe-core violations. axe is injected as a script, which the site's
  // CSP rightly refuses, so this context bypasses CSP.
  const axeBrowser = await launch('chromium-axe', { bypassCSP: true });
  try {
    const page = axeBrowser.page;
    const scan = async url => {
      await page.goto(BASE + url, { waitUntil: 'load' });
      await axe(page, url);
    };
    for (const url of ['/', '/chuyen-muc/tin-tuc-su-kien', REFERENCE, '/trang/gioi-thieu', '/chuyen-muc/lien-he', '/dang-nhap', '/khong-co',
                       '/tim-kiem', '/tim-kiem?q=hoi+nghi', '/tim-kiem?q=%22hoi+nghi', '/tim-kiem?q=zzzzqqq'])
      await scan(url);
    await page.setViewportSize({ width: 375, height: 812 });
    await scan(REFERENCE);
  } finally {
    await axeBrowser.close();
  }
});
