// The editorial workflow in real headless Chromium: an author writes an article with two
// gallery images and submits it; an editor returns it with a comment; the author fixes and
// resubmits; the editor publishes; the public page shows it with its gallery and byline.
// Then axe-core on the back office's pages. Usage: BASE=… OUT=dir node backoffice.js
// (users phongvien/author and bientap/editor exist; see scripts/browser-tests.sh)
const { chromium } = require('playwright-core');
const fs = require('fs'), os = require('os'), path = require('path');

const BASE = process.env.BASE;
const OUT = process.env.OUT || 'test-artifacts/browser';
const AUTHOR = ['phongvien', 'Bút bi xanh 2026'];
const EDITOR = ['bientap', 'Giấy trắng 2026!'];
const ADMIN = ['quantri', 'Đồng hồ cát 2026'];
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TITLE = 'Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh năm 2026';

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

async function login(page, [user, pw]) {
  await page.goto(BASE + '/dang-nhap', { waitUntil: 'load' });
  await page.fill('#username', user);
  await page.fill('#password', pw);
  await Promise.all([page.waitForURL(/\/quan-tri/), page.click('button[type=submit]')]);
}

async function logout(page) {
  await Promise.all([page.waitForURL(/\/dang-nhap/), page.click('.admin-user button')]);
}

(async () => {
  if (!BASE) throw new Error('BASE is not set');
  fs.mkdirSync(OUT, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-bo-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: FLAGS,
    viewport: { width: 1280, height: 900 }, locale: 'vi-VN',
  });
  let articleUrl;
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.setDefaultTimeout(20000);
    const errors = [];
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });

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
    check(errors.length === 0, `no console errors${errors.length ? ': ' + errors.join('; ') : ''}`);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }

  // axe-core on the back office (CSP bypassed only to inject axe).
  const axeProfile = fs.mkdtempSync(path.join(os.tmpdir(), 'cong-bo-axe-'));
  const axeCtx = await chromium.launchPersistentContext(axeProfile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: FLAGS,
    viewport: { width: 1280, height: 900 }, bypassCSP: true,
  });
  try {
    const page = axeCtx.pages()[0] || await axeCtx.newPage();
    const scan = async (url, label) => {
      await page.goto(BASE + url, { waitUntil: 'load' });
      await page.waitForTimeout(200);
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const r = await page.evaluate(() => axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
      for (const v of r.violations)
        console.log(`     [${v.impact}] ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
      check(r.violations.length === 0, `axe-core: ${label || url}: ${r.violations.length} violations`);
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
    await axeCtx.close();
    fs.rmSync(axeProfile, { recursive: true, force: true });
  }
  console.log(failures ? `${failures} check(s) failed` : 'all back-office browser checks passed');
  process.exit(failures ? 1 : 0);
})().catch(e => { console.error(e); process.exit(1); });
