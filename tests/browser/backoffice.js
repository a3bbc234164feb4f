// The editorial workflow in real headless Chromium: an author writes an article with two
// gallery images and submits it; an editor returns it with a comment; the author fixes and
// resubmits; the editor publishes; the public page shows it with its gallery and byline.
// Then axe-core on the back office's pages. Usage: BASE=… OUT=dir node backoffice.js
// (users phongvien/author and bientap/editor exist; see scripts/browser-tests.sh)
const path = require('path');
const { OUT, USERS, check, launch, consoleErrors, noConsoleErrors, login: logIn, axe, run } = require('./lib');

const BASE = process.env.BASE;
const { author: AUTHOR, editor: EDITOR, admin: ADMIN } = USERS;
const TITLE = 'Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh năm 2026';

const login = (page, who) => logIn(page, BASE, who);

async function logout(page) {
  await Promise.all([page.waitForURL(/\/dang-nhap/), page.click('.admin-user button')]);
}

run('back-office browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const browser = await launch('bo', { locale: 'vi-VN' });
  let articleUrl;
  try {
    const page = browser.page;
    page.setDefaultTimeout(20000);
    const errors = consoleErrors(page);

    // 1. The author writes, with the rich-text editor and two gallery images.
    await login(page, AUTHOR);
    check((await page.textContent('h1')).trim() === 'Tổng quan', 'author logged in');
    await page.click('a:text-is("Viết bài mới")');
    await page.waitForURL(/bai-viet\/moi/);
    await page.fill('#title', TITLE);
    await page.selectOption('#section_id', { label: 'Tin tức - Sự kiện' });
    await page.fill('#summary', 'Hơn 50 dự án khởi nghiệp tham gia ngày hội.');
    await page.waitForSelector('.editor-body');
    check(await page.isHidden('#body_html'), 'the rich-text editor replaces the textarea');
    await page.click('.editor-body');
    await page.keyboard.type('Sáng nay, ngày hội khởi nghiệp đã khai mạc. ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('Năm mươi dự án');
    await page.keyboard.press('Control+B');
    await page.keyboard.type(' tham gia.');
    const media = await page.$$eval('#gm-1 option', os => os.map(o => o.value).filter(v => v));
    await page.selectOption('#gm-1', media[0]);
    await page.fill('#gc-1', 'Khai mạc ngày hội');
    await page.fill('#ga-1', 'Sân khấu khai mạc với phông nền đỏ');
    await page.selectOption('#gm-2', media[1]);
    await page.fill('#gc-2', 'Các gian hàng khởi nghiệp');
    await page.fill('#ga-2', 'Đại biểu tham quan các gian hàng');
    await page.fill('#gallery_title', 'Hình ảnh ngày hội');
    await page.screenshot({ path: path.join(OUT, 'admin-article-edit.png'), fullPage: true });
    await Promise.all([page.waitForURL(/ok=tao/), page.click('.edit-form button[type=submit]')]);
    check((await page.textContent('.flash')).includes('Đã tạo'), 'draft saved');
    const editUrl = page.url().split('?')[0];
    check((await page.inputValue('#gc-2')) === 'Các gian hàng khởi nghiệp', 'gallery kept in order');
    await Promise.all([page.waitForURL(/ok=gui/), page.click('button:text-is("Gửi duyệt")')]);
    check((await page.textContent('.state')).includes('Chờ duyệt'), 'submitted for review');
    await logout(page);

    // 2. The editor returns it with a comment.
    await login(page, EDITOR);
    await page.click(`a:text-is("${TITLE}")`);
    await page.fill('#comment', 'Bổ sung tên đơn vị tổ chức.');
    await Promise.all([page.waitForURL(/ok=tralai/), page.click('button:text-is("Trả lại phóng viên")')]);
    check((await page.textContent('.state')).includes('Bị trả lại'), 'returned to the author');
    await logout(page);

    // 3. The author sees why, fixes and resubmits.
    await login(page, AUTHOR);
    check((await page.textContent('main')).includes('Bổ sung tên đơn vị tổ chức.'), 'the note is on the dashboard');
    await page.goto(editUrl, { waitUntil: 'load' });
    await page.waitForSelector('.editor-body');
    await page.click('.editor-body');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Ngày hội do Sở Khoa học và Công nghệ tổ chức.');
    await Promise.all([page.waitForURL(/ok=luu/), page.click('.edit-form button[type=submit]')]);
    await Promise.all([page.waitForURL(/ok=gui/), page.click('button:text-is("Gửi duyệt")')]);
    await logout(page);

    // 4. The editor publishes; the public page has the article, gallery and byline.
    await login(page, EDITOR);
    await page.goto(editUrl, { waitUntil: 'load' });
    await Promise.all([page.waitForURL(/ok=xuatban/), page.click('button:text-is("Xuất bản")')]);
    articleUrl = await page.getAttribute('.state a[href^="/bai-viet/"]', 'href');
    check(!!articleUrl, `published at ${articleUrl}`);
    await logout(page);
    await page.goto(BASE + articleUrl, { waitUntil: 'load' });
    check((await page.textContent('h1')).trim() === TITLE, 'public page shows the article');
    const body = await page.innerHTML('.prose');
    check(body.includes('<strong>Năm mươi dự án</strong>') && body.includes('do Sở Khoa học và Công nghệ tổ chức'), 'body with formatting and the fix');
    const imgs = await page.$$eval('.gallery img', els => els.map(e => ({ ok: e.complete && e.naturalWidth > 0, alt: e.alt })));
    check(imgs.length === 2 && imgs.every(i => i.ok), `gallery: ${imgs.length} images loaded`);
    check(imgs.map(i => i.alt).join('|') === 'Sân khấu khai mạc với phông nền đỏ|Đại biểu tham quan các gian hàng', 'alt texts in order');
    check((await page.textContent('.gallery h2')).trim() === 'Hình ảnh ngày hội', 'gallery title');
    check((await page.textContent('.byline')).trim() === 'Kiều Diễm', 'byline (the author\'s display name)');
    await page.screenshot({ path: path.join(OUT, 'published-article.png'), fullPage: true });
    noConsoleErrors(errors);
  } finally {
    await browser.close();
  }

  // axe-core on the back office (CSP bypassed only to inject axe).
  const axeBrowser = await launch('bo-axe', { bypassCSP: true });
  try {
    const page = axeBrowser.page;
    const scan = async (url, label) => {
      await page.goto(BASE + url, { waitUntil: 'load' });
      await page.waitForTimeout(200);
      await axe(page, label || url);
    };
    await scan('/dang-nhap');
    await login(page, ADMIN);
    for (const url of ['/quan-tri', '/quan-tri/bai-viet', '/quan-tri/bai-viet/moi', '/quan-tri/bai-viet/1',
      '/quan-tri/bai-viet/1/phien-ban', '/quan-tri/chuyen-muc', '/quan-tri/trang', '/quan-tri/trang/1',
      '/quan-tri/anh', '/quan-tri/anh/1', '/quan-tri/nguoi-dung', '/quan-tri/nhat-ky', '/quan-tri/tai-khoan',
      '/quan-tri/cai-dat', '/quan-tri/trang-thanh-phan', '/quan-tri/thong-ke', '/quan-tri/thong-ke?so-ngay=365'])
      await scan(url);
    await page.setViewportSize({ width: 375, height: 812 });
    await scan('/quan-tri/bai-viet/1', 'article form on a phone');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(wide <= 0, `phone width: no horizontal scroll in the article form (${wide}px)`);
  } finally {
    await axeBrowser.close();
  }
});
