// The back office's rich-text editor in real headless Chromium: a picture pasted and a
// picture dropped into the body (uploaded at once, alt text asked for), a table inserted and
// grown by a row and a column, a YouTube link embedded, the toolbar worked by keyboard; the
// article saved and published, then its public page shows the pictures with srcset and
// captions, the table (scrolling in its own box on a phone) and the no-cookie player. Then
// axe-core on the edit page and on the picture dialog. Usage: BASE=… OUT=dir node editor.js
// (user quantri/admin exists; see scripts/browser-tests.sh)
const path = require('path');
const { OUT, USERS, check, launch, consoleErrors, noConsoleErrors, login, axe, run } = require('./lib');

const BASE = process.env.BASE;
const TITLE = 'Lễ hội hoa xuân tỉnh năm 2026';

// Sends a picture drawn on a canvas to the editor's body as a paste or a drop.
async function sendPicture(page, how, colour) {
  await page.evaluate(async ([how, colour]) => {
    const c = document.createElement('canvas');
    c.width = 900; c.height = 600;
    const g = c.getContext('2d');
    g.fillStyle = colour; g.fillRect(0, 0, 900, 600);
    g.fillStyle = '#fff'; g.fillRect(100, 100, 300, 200);
    const blob = await new Promise(r => c.toBlob(r, 'image/png'));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], how + '.png', { type: 'image/png' }));
    const body = document.querySelector('.editor-body');
    const r = body.getBoundingClientRect();
    const ev = how === 'paste'
      ? new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })
      : new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.left + 20, clientY: r.bottom - 10 });
    body.dispatchEvent(ev);
  }, [how, colour]);
}

// A toolbar command gives the focus back to the text on the next frame: wait for it.
async function backInText(page) {
  await page.waitForFunction(() => document.activeElement && document.activeElement.classList.contains('editor-body'));
}

async function describePicture(page, alt, caption) {
  await page.waitForSelector('dialog[open] .editor-preview:not([hidden])');
  // Required: without it the dialog stays open and says why.
  await page.click('dialog[open] button[type=submit]');
  check(await page.isVisible('dialog[open]'), 'the picture dialog refuses a picture without alt text');
  await page.fill('dialog[open] input[required]', alt);
  await page.fill('dialog[open] input[id^="pic-cap"]', caption);
  await page.click('dialog[open] button[type=submit]');
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  await backInText(page);
}

run('editor browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const browser = await launch('ed', { locale: 'vi-VN' });
  const ctx = browser.ctx;
  let articleUrl;
  try {
    const page = browser.page;
    page.setDefaultTimeout(20000);
    const errors = consoleErrors(page);
    await login(page, BASE, USERS.admin);
    await page.goto(BASE + '/quan-tri/bai-viet/moi', { waitUntil: 'load' });
    await page.fill('#title', TITLE);
    await page.selectOption('#section_id', { label: 'Tin tức - Sự kiện' });
    await page.fill('#summary', 'Lễ hội hoa xuân khai mạc với nhiều hoạt động.');
    await page.waitForSelector('.editor-body');
    check(await page.isHidden('#body_html'), 'the editor replaces the textarea');
    await page.evaluate(() => {
      window.inputs = 0;
      document.querySelector('#body_html').addEventListener('input', () => window.inputs++);
    });

    // Keyboard: from the summary, Tab reaches the toolbar; a heading by Enter on its button.
    await page.focus('#summary');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    check(first === 'Đoạn văn thường', `Tab reaches the toolbar (${first})`);
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.getAttribute('aria-label')) === 'Tiêu đề mục', 'Tab moves along the toolbar');
    await page.keyboard.press('Enter');
    await backInText(page);
    await page.keyboard.type('Chương trình lễ hội');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Lễ hội diễn ra trong ba ngày. ');
    let html = await page.inputValue('#body_html');
    check(html.includes('<h2>Chương trình lễ hội</h2>'), 'the heading button worked by keyboard' + (html.includes('<h2>') ? '' : ': ' + html));
    check(await page.evaluate(() => window.inputs) > 0, 'the textarea follows the editor, with input events');

    // A picture pasted, then one dropped.
    await sendPicture(page, 'paste', '#b03030');
    await describePicture(page, 'Cổng chào lễ hội rực rỡ hoa', 'Cổng chào lễ hội');
    await page.keyboard.press('Control+End');
    await sendPicture(page, 'drop', '#2050a0');
    await describePicture(page, 'Du khách chụp ảnh bên hoa', 'Du khách tham quan');
    html = await page.inputValue('#body_html');
    check((html.match(/<figure/g) || []).length === 2 && html.includes('<figcaption>Du khách tham quan</figcaption>'),
      'both pictures are in the body with their captions');

    // A table: inserted, a row and a column added.
    await page.click('.editor-body');
    await page.keyboard.press('Control+End');
    await page.click('button[aria-label="Chèn bảng"]');
    await backInText(page);
    await page.keyboard.type('Ngày');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Hoạt động');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Địa điểm');
    await page.click('button[aria-label="Thêm hàng"]');
    await page.click('button[aria-label="Thêm cột"]');
    await backInText(page);
    await page.click('.editor-body th:nth-child(4)');
    await page.keyboard.type('Ghi chú');
    html = await page.inputValue('#body_html');
    const rows = (html.match(/<tr>/g) || []).length, heads = (html.match(/<th/g) || []).length;
    check(rows === 4 && heads === 4, `table grown to 4 rows and 4 columns with a header row (${rows} rows, ${heads} headers)`);

    // A YouTube link: something else is refused in the dialog, the link is normalised.
    await page.click('button[aria-label="Chèn video"]');
    await page.fill('dialog[open] input[inputmode=url]', 'https://vimeo.com/123456');
    await page.click('dialog[open] button[type=submit]');
    check((await page.textContent('dialog[open] .editor-error')).includes('YouTube'), 'a non-YouTube link is refused');
    await page.fill('dialog[open] input[inputmode=url]', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    await page.click('dialog[open] button[type=submit]');
    html = await page.inputValue('#body_html');
    check(html.includes('<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"'), 'the video embedded through the no-cookie player');
    await page.screenshot({ path: path.join(OUT, 'editor.png'), fullPage: true });

    await Promise.all([page.waitForURL(/ok=tao/), page.click('.edit-form button[type=submit]')]);
    check(!(await page.isVisible('.warning')), 'nothing the editor wrote was removed by the server');
    await page.waitForSelector('.editor-body figure');
    check((await page.$$('.editor-body figure')).length === 2, 'the saved body loads back into the editor');
    await Promise.all([page.waitForURL(/ok=xuatban/), page.click('button:text-is("Xuất bản")')]);
    articleUrl = await page.getAttribute('.state a[href^="/bai-viet/"]', 'href');
    check(!!articleUrl, `published at ${articleUrl}`);
    noConsoleErrors(errors, ' in the back office');

    // The public page (not waiting for the player, which may be out of reach here).
    const pub = await ctx.newPage();
    await pub.route(/youtube-nocookie\.com/, r => r.fulfill({ status: 200, contentType: 'text/html', body: '<p>player</p>' }));
    const res = await pub.goto(BASE + articleUrl, { waitUntil: 'domcontentloaded' });
    check(res.headers()['content-security-policy'].includes('frame-src \'self\' https://www.youtube-nocookie.com'), 'the page lets the player be framed');
    const pics = await pub.$$eval('.prose figure', fs => fs.map(f => ({
      webp: (f.querySelector('picture source[type="image/webp"]') || {}).srcset || '',
      srcset: f.querySelector('img').getAttribute('srcset') || '',
      alt: f.querySelector('img').alt,
      caption: (f.querySelector('figcaption') || {}).textContent,
    })));
    check(pics.length === 2 && pics.every(p => p.webp.includes('.webp ') && / \d+w/.test(p.srcset)),
      `both pictures with srcset and WebP (${JSON.stringify(pics.map(p => p.srcset))})`);
    check(pics.map(p => p.caption).join('|') === 'Cổng chào lễ hội|Du khách tham quan', 'captions shown');
    check(pics.map(p => p.alt).join('|') === 'Cổng chào lễ hội rực rỡ hoa|Du khách chụp ảnh bên hoa', 'alt texts shown');
    await pub.waitForFunction(() => [...document.querySelectorAll('.prose img')].every(i => i.complete && i.naturalWidth > 0));
    check(true, 'the pictures load');
    check(await pub.$$eval('.prose table tr', t => t.length) === 4, 'the table is shown');
    check(await pub.getAttribute('.prose iframe', 'src') === 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', 'the video is shown');
    await pub.setViewportSize({ width: 360, height: 740 });
    await pub.evaluate(() => {
      // A table wide enough to need scrolling on a phone.
      document.querySelectorAll('.prose table td').forEach(td => { td.textContent = '0123456789012345678901234'; });
    });
    const over = await pub.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const inner = await pub.$eval('.prose table', t => t.scrollWidth > t.clientWidth);
    check(over <= 0 && inner, `on a 360 px phone the table scrolls in its box, not the page (${over}px)`);
    await pub.screenshot({ path: path.join(OUT, 'editor-public-phone.png'), fullPage: true });
    await pub.close();
  } finally {
    await browser.close();
  }

  // axe-core on the edit page, and with the picture dialog open (CSP bypassed only for axe).
  const axeBrowser = await launch('ed-axe', { bypassCSP: true });
  try {
    const page = axeBrowser.page;
    const scan = label => axe(page, label);
    await login(page, BASE, USERS.admin);
    await page.goto(BASE + '/quan-tri/bai-viet', { waitUntil: 'load' });
    await Promise.all([page.waitForURL(/bai-viet\/\d+/), page.click(`a:text-is("${TITLE}")`)]);
    await page.waitForSelector('.editor-body figure');
    await scan('the edit page with pictures, a table and a video');
    await page.click('button[aria-label="Chèn ảnh"]');
    await page.waitForSelector('dialog[open]');
    await scan('the picture dialog');
    await page.click('dialog[open] button:text-is("Chọn trong thư viện ảnh…")');
    await page.waitForSelector('dialog.media-picker .picker-grid li');
    await scan('the picture picker over the picture dialog');
  } finally {
    await axeBrowser.close();
  }
});
