// Videos in real headless Chromium: a WebM uploaded through the library's form gets a poster
// frame drawn by the browser; in the editor, the Video button's dialog uploads an MP4 from
// inside the shared picker and chooses the WebM by keyboard; the article published plays both
// through the browser's own player (metadata loaded by ranges, no console error); the public
// video library shows it with the poster. axe-core on the library, the video's page, the video
// dialog with the picker open, and the public library. Usage: BASE=… OUT=dir node video.js
// (user quantri/admin exists; see scripts/browser-tests.sh)
const path = require('path');
const { OUT, USERS, check, launch, consoleErrors, noConsoleErrors, login, axe, run } = require('./lib');

const BASE = process.env.BASE;
const DATA = path.resolve(__dirname, '../../crates/media/src/tests/data');
const TITLE = 'Họp báo cuối năm có video';

run('video browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const { ctx, page, close } = await launch('video', { locale: 'vi-VN' });
  try {
    page.setDefaultTimeout(20000);
    const errors = consoleErrors(page);
    await login(page, BASE, USERS.admin);

    // The library's form: choosing the file draws its poster into the poster field.
    await page.goto(BASE + '/quan-tri/video', { waitUntil: 'load' });
    await page.setInputFiles('#file', path.join(DATA, 'clip.webm'));
    await page.waitForFunction(() => /Đã lấy một khung hình/.test(document.querySelector('#poster-status').textContent));
    const posterFiles = await page.$eval('#poster', i => i.files.length && i.files[0].type);
    check(posterFiles === 'image/jpeg', `the browser drew a poster frame (${posterFiles})`);
    await page.fill('#title', 'Họp báo quý IV');
    await Promise.all([page.waitForURL(/\/quan-tri\/video\/\d+\?ok=taivideo/), page.click('form[data-video-upload] button[type=submit]')]);
    const poster = await page.getAttribute('.media-full video', 'poster');
    check(!!poster && poster.startsWith('/media/'), `the video has its poster (${poster})`);
    const detailUrl = page.url().split('?')[0];

    // The editor: the Video dialog, the MP4 uploaded inside the picker, then the WebM chosen.
    await page.goto(BASE + '/quan-tri/bai-viet/moi', { waitUntil: 'load' });
    await page.fill('#title', TITLE);
    await page.selectOption('#section_id', { label: 'Tin tức - Sự kiện' });
    await page.fill('#summary', 'Họp báo cuối năm, có video.');
    await page.waitForSelector('.editor-body');
    await page.click('.editor-body');
    await page.keyboard.type('Toàn cảnh buổi họp báo.');
    await page.click('button[aria-label="Chèn video"]');
    await page.click('dialog[open] button:text-is("Chọn hoặc tải video lên…")');
    await page.waitForSelector('dialog.media-picker .picker-status:not(:empty)');
    await page.setInputFiles('dialog.media-picker #picker-upload', path.join(DATA, 'clip.mp4'));
    await page.waitForSelector('dialog.media-picker .picker-item[aria-pressed="true"]');
    await page.click('dialog.media-picker button:text-is("Chọn")');
    await page.fill('dialog[open] input[id^="vid-name"]', 'Phóng sự đồng bằng');
    await page.click('dialog[open] button[type=submit]');
    let html = await page.inputValue('#body_html');
    check(/<video src="\/media\/[0-9a-f]{32}\.mp4"[^>]*title="Phóng sự đồng bằng"/.test(html),
      `the uploaded MP4 is in the body with its title (${/\.mp4"[^>]*poster=/.test(html) ? 'a poster drawn by the browser' : 'no poster: this Chromium does not decode H.264'})`);

    await page.click('button[aria-label="Chèn video"]');
    await page.click('dialog[open] button:text-is("Chọn hoặc tải video lên…")');
    await page.waitForSelector('dialog.media-picker .picker-item');
    await page.fill('dialog.media-picker input[type=search]', 'hop bao');
    await page.waitForFunction(() => document.querySelectorAll('dialog.media-picker .picker-item').length === 1);
    await page.focus('dialog.media-picker .picker-item');
    await page.keyboard.press('Enter');
    check(await page.getAttribute('dialog.media-picker .picker-item', 'aria-pressed') === 'true', 'a video chosen by keyboard');
    await page.click('dialog.media-picker button:text-is("Chọn")');
    check((await page.inputValue('dialog[open] input[id^="vid-name"]')) === 'Họp báo quý IV', 'its title is offered');
    await page.click('dialog[open] button[type=submit]');
    html = await page.inputValue('#body_html');
    check(/<video src="\/media\/[0-9a-f]{32}\.webm"[^>]* poster="\/media\/[^"]+"[^>]*title="Họp báo quý IV"/.test(html) && /\.mp4"/.test(html),
      'the WebM is in the body with its poster, after the MP4' + (/poster=/.test(html) ? '' : ': ' + html));

    await Promise.all([page.waitForURL(/ok=tao/), page.click('.edit-form button[type=submit]')]);
    check(!(await page.isVisible('.warning')), 'nothing the editor wrote was removed by the server');
    await Promise.all([page.waitForURL(/ok=xuatban/), page.click('button:text-is("Xuất bản")')]);
    const articleUrl = await page.getAttribute('.state a[href^="/bai-viet/"]', 'href');
    noConsoleErrors(errors, ' in the back office');

    // The public page plays them with the browser's own player.
    const pub = await ctx.newPage();
    const pubErrors = consoleErrors(pub);
    await pub.goto(BASE + articleUrl, { waitUntil: 'load' });
    const vids = await pub.$$eval('.prose video', vs => vs.map(v => ({ controls: v.controls, src: v.getAttribute('src'), poster: v.getAttribute('poster') })));
    check(vids.length === 2 && vids.every(v => v.controls), `two videos with controls (${JSON.stringify(vids)})`);
    await pub.waitForFunction(() => {
      const v = [...document.querySelectorAll('.prose video')].find(v => v.src.endsWith('.webm'));
      return v && v.readyState >= 1 && Math.round(v.duration) === 2;
    });
    check(true, 'the WebM loads its metadata (2 s) through the page');
    noConsoleErrors(pubErrors, ' on the public page');

    await pub.goto(BASE + '/video', { waitUntil: 'load' });
    const card = await pub.$eval('.card', c => ({ title: c.querySelector('.card-title').textContent.trim(), img: !!c.querySelector('img') }));
    check(card.title === 'Phóng sự đồng bằng' && card.img, `the video library shows it: its first video's title, a poster (${JSON.stringify(card)})`);
    await pub.screenshot({ path: path.join(OUT, 'video-library.png'), fullPage: true });
    await pub.close();
    check(detailUrl.includes('/quan-tri/video/'), `the video's page (${detailUrl})`);
  } finally {
    await close();
  }

  // axe-core (CSP bypassed only to inject it).
  const axeRun = await launch('video-axe', { bypassCSP: true });
  try {
    const page = axeRun.page;
    await login(page, BASE, USERS.admin);
    await page.goto(BASE + '/quan-tri/video', { waitUntil: 'load' });
    await axe(page, 'the video library in the back office');
    await page.click('.media-grid a');
    await page.waitForSelector('.media-full video');
    await axe(page, "a video's page");
    await page.goto(BASE + '/quan-tri/bai-viet/moi', { waitUntil: 'load' });
    await page.waitForSelector('.editor-body');
    await page.click('button[aria-label="Chèn video"]');
    await axe(page, 'the video dialog');
    await page.click('dialog[open] button:text-is("Chọn hoặc tải video lên…")');
    await page.waitForSelector('dialog.media-picker .picker-item');
    await axe(page, 'the video picker');
    await page.goto(BASE + '/video', { waitUntil: 'load' });
    await axe(page, 'the public video library');
  } finally {
    await axeRun.close();
  }
});
