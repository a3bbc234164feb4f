// The newsroom's safety nets in real headless Chromium: autosave restores what a closed tab
// lost; "Xem trước" opens the unsaved form as its public page; two editors saving the same
// article get a comparison, not a silent overwrite; the trash takes an article and gives it
// back (by keyboard); axe-core on each of those pages. Usage: BASE=… OUT=dir node safety.js
// (users bientap/editor and quantri/admin exist; see scripts/browser-tests.sh)
const path = require('path');
const { OUT, USERS, check, launch, consoleErrors, noConsoleErrors, login: logIn, axe, run } = require('./lib');

const BASE = process.env.BASE;
const { editor: EDITOR, admin: ADMIN } = USERS;

const login = (page, who) => logIn(page, BASE, who);

// CSP bypassed only so axe can be injected; the pages' own scripts run under it anyway.
const browser = name => launch(name, { locale: 'vi-VN', bypassCSP: true });

run('safety-net browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const a = await browser('a');
  const b = await browser('b');
  try {
    const page = a.page;
    page.setDefaultTimeout(20000);
    const errors = consoleErrors(page);
    await login(page, EDITOR);
    const edit = BASE + '/quan-tri/bai-viet/2';

    // 1. Autosave: typed, the tab closed without saving, opened again: offered and restored.
    await page.goto(edit, { waitUntil: 'load' });
    const title = await page.inputValue('#title');
    await page.fill('#title', title + ' (đang sửa)');
    await page.fill('#summary', 'Tóm tắt viết dở trước khi trình duyệt đóng.');
    await page.waitForTimeout(1500);
    const again = await a.ctx.newPage();
    await page.close();
    await again.goto(edit, { waitUntil: 'load' });
    check(await again.isVisible('.autosave-offer'), 'autosave: the kept copy is offered');
    check(await again.inputValue('#title') === title, 'autosave: the form itself is as saved');
    await axe(again, 'article form with the autosave offer');
    await again.click('button:text-is("Khôi phục bản tự lưu")');
    check(await again.inputValue('#title') === title + ' (đang sửa)', 'autosave: the title restored');
    check((await again.inputValue('#summary')).includes('viết dở'), 'autosave: the summary restored');

    // 2. Preview of the unsaved form: a new tab with the public page.
    const [preview] = await Promise.all([
      a.ctx.waitForEvent('page'),
      again.click('button:text-is("Xem trước")'),
    ]);
    await preview.waitForLoadState('load');
    check((await preview.textContent('h1')).trim() === title + ' (đang sửa)', 'preview: the unsaved title on the public page');
    check((await preview.content()).includes('Lượt xem'), 'preview: the public page\'s parts');
    await preview.screenshot({ path: path.join(OUT, 'preview.png'), fullPage: true });
    await preview.close();

    // 3. Another editor saves meanwhile; saving this form is refused with the comparison.
    const other = b.page;
    await login(other, ADMIN);
    await other.goto(edit, { waitUntil: 'load' });
    await other.fill('#summary', 'Tóm tắt do quản trị lưu trước.');
    await Promise.all([other.waitForURL(/ok=luu/), other.click('.edit-form button:text-is("Lưu")')]);
    await Promise.all([again.waitForLoadState('load'), again.click('.edit-form button:text-is("Lưu")')]);
    check(await again.isVisible('.conflict'), 'a stale save shows the comparison');
    check((await again.textContent('.conflict .diff')).includes('Tóm tắt do quản trị lưu trước.'), 'their change in the comparison');
    check((await again.inputValue('#summary')).includes('viết dở'), 'my text still in the form');
    await axe(again, 'article form with a conflict');
    // Merged by hand and saved again: goes through.
    await again.fill('#summary', 'Tóm tắt do quản trị lưu trước. Và phần viết dở.');
    await Promise.all([again.waitForURL(/ok=luu/), again.click('.edit-form button:text-is("Lưu")')]);
    check(!(await again.isVisible('.autosave-offer')), 'saved: the autosaved copy is gone');

    // 4. The trash: delete, find it there, restore by keyboard.
    await Promise.all([again.waitForURL(/ok=thungrac/), again.click('button:text-is("Xoá bài (chuyển vào thùng rác)")')]);
    await again.goto(BASE + '/quan-tri/thung-rac', { waitUntil: 'load' });
    check((await again.textContent('main')).includes(title + ' (đang sửa)'), 'the article is in the trash');
    await axe(again, 'the trash');
    await again.focus('button[aria-label^="Khôi phục"]');
    await Promise.all([again.waitForURL(/ok=rachoi/), again.keyboard.press('Enter')]);
    check((await again.textContent('main')).includes('Thùng rác trống.'), 'restored by keyboard, the trash is empty');
    await again.goto(edit, { waitUntil: 'load' });
    check((await again.textContent('.state')).includes('Bản nháp'), 'restored as a draft');

    // 5. A preview link to send.
    await Promise.all([again.waitForLoadState('load'), again.click('button:text-is("Tạo liên kết xem trước")')]);
    const link = await again.inputValue('#preview-url');
    check(link.includes('/xem-truoc/'), 'a preview link is shown');
    await axe(again, 'the preview link page');
    const anon = await launch('anon');
    const p = anon.page;
    const res = await p.goto(link, { waitUntil: 'load' });
    check(res.status() === 200 && (await p.textContent('h1')).includes('(đang sửa)'), 'the link opens the draft without an account');
    await anon.close();

    // 6. The visual picker: a cover and a gallery of four chosen as thumbnails (two at a
    // time, searched), reordered by keyboard, saved in that order.
    const form = await a.ctx.newPage();
    consoleErrors(form, errors);
    await form.goto(BASE + '/quan-tri/bai-viet/moi', { waitUntil: 'load' });
    await form.fill('#title', 'Bộ ảnh chọn bằng lưới ảnh');
    await form.selectOption('#section_id', { label: 'Tin tức - Sự kiện' });
    await form.click('button:text-is("Chọn ảnh đại diện…")');
    await form.waitForSelector('dialog.media-picker .picker-item');
    await form.click('dialog.media-picker .picker-item >> nth=0');
    await form.click('dialog.media-picker button:text-is("Chọn")');
    check(await form.inputValue('#cover_media_id') !== '', 'picker: a cover chosen from the thumbnails');
    await form.click('button:text-is("Chọn ảnh từ thư viện…")');
    await form.waitForSelector('dialog.media-picker .picker-item');
    await axe(form, 'the media picker');
    const before = await form.$$eval('dialog.media-picker .picker-item', b => b.length);
    await form.fill('#picker-q', 'zzzz-khong-co');
    await form.waitForFunction(() => document.querySelectorAll('dialog.media-picker .picker-item').length === 0);
    check(true, `picker: the search narrows the grid (${before} → 0)`);
    await form.fill('#picker-q', '');
    await form.waitForFunction(() => document.querySelectorAll('dialog.media-picker .picker-item').length > 3);
    await form.click('dialog.media-picker .picker-item >> nth=0');
    await form.click('dialog.media-picker .picker-item >> nth=1');
    check(await form.$$eval('dialog.media-picker [aria-pressed="true"]', b => b.length) === 2, 'picker: two chosen at once');
    await form.click('dialog.media-picker button:text-is("Thêm ảnh đã chọn")');
    await form.click('button:text-is("Thêm dòng ảnh")');
    await form.click('button:text-is("Chọn ảnh từ thư viện…")');
    await form.waitForSelector('dialog.media-picker .picker-item');
    await form.click('dialog.media-picker .picker-item >> nth=2');
    await form.click('dialog.media-picker .picker-item >> nth=3');
    await form.click('dialog.media-picker button:text-is("Thêm ảnh đã chọn")');
    let ids = await form.$$eval('select[name="gallery_media"]', s => s.map(x => x.value).filter(Boolean));
    check(ids.length === 4, `four pictures in a gallery of more than three rows (${ids.length})`);
    const alts = await form.$$('input[name="gallery_alt"]');
    for (let i = 0; i < alts.length; i++) await alts[i].fill(`Ảnh số ${i + 1} của bộ ảnh`);
    // The second picture up, by keyboard.
    await form.focus('li.gallery-row >> nth=1 >> button[data-move="up"]');
    await form.keyboard.press('Enter');
    const moved = await form.$$eval('select[name="gallery_media"]', s => s.map(x => x.value).filter(Boolean));
    check(moved[0] === ids[1] && moved[1] === ids[0], 'keyboard: the second picture moved up');
    check(await form.evaluate(() => document.activeElement.getAttribute('data-move') === 'up'), 'the focus stays on the moved button');
    await Promise.all([form.waitForURL(/ok=tao/), form.click('.edit-form button:text-is("Lưu")')]);
    const saved = await form.$$eval('select[name="gallery_media"]', s => s.map(x => x.value).filter(Boolean));
    check(saved.join(',') === moved.join(','), `saved in that order (${saved.join(',')})`);
    await form.close();

    noConsoleErrors(errors);
  } finally {
    for (const x of [a, b]) await x.close();
  }
});
