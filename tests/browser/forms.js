// The public Góp ý form in real headless Chromium, under the site's own CSP: the ALTCHA widget
// fetches its challenge and solves it in a worker (the time it took is printed); the form is
// filled and sent by keyboard alone; a send before the minimum fill time is refused with the
// text kept, and the next one is taken with a receipt code; the message is then in the back
// office. axe-core on the form, a refusal and the receipt. Usage: BASE=… OUT=dir node forms.js
// (user quantri/admin exists; see scripts/browser-tests.sh)
const { OUT, USERS, check, launch, consoleErrors, noConsoleErrors, login, axe, solved, tabTo, run } = require('./lib');

const BASE = process.env.BASE;
const SUBJECT = 'Đề nghị bổ sung lịch tiếp công dân';

async function fillByKeyboard(page) {
  check(await tabTo(page, '#chu-de'), 'the topic is reached with Tab');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const fields = [['#ho-ten', 'Lê Văn Cường'], ['#thu-dien-tu', 'cuong@example.vn'], ['#dien-thoai', '0905 111 222'],
    ['#dia-chi', 'Phường Phú Thủy'], ['#tieu-de', SUBJECT], ['#noi-dung-gui', 'Xin bổ sung lịch tiếp công dân buổi chiều thứ Sáu.']];
  for (const [sel, text] of fields) {
    check(await tabTo(page, sel), `${sel} is reached with Tab`);
    await page.keyboard.type(text);
  }
  check(await tabTo(page, '#dong-y'), 'the consent box is reached with Tab');
  await page.keyboard.press('Space');
}

run('forms browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  // The site's CSP is enforced here: a widget that needed an inline style or script, or a
  // worker from elsewhere, would show as a console error.
  const { page, close } = await launch('forms', { locale: 'vi-VN' });
  try {
    page.setDefaultTimeout(30000);
    // A refusal is a 422 page, which Chromium reports on the console: that one is expected.
    const errors = consoleErrors(page, [], m => !/status of 422/.test(m.text()));
    await page.goto(BASE + '/lien-he', { waitUntil: 'load' });
    const ms = await solved(page);
    console.log(`     the proof of work was solved ${ms} ms after the page loaded`);
    check(await page.isVisible('altcha-widget'), 'the widget is shown');
    await fillByKeyboard(page);
    const selected = await page.$eval('#chu-de', s => s.options[s.selectedIndex].text);
    check(selected !== '— Chọn chủ đề —', `a topic was chosen with the arrow keys (${selected})`);
    // Sent at once: sooner than the minimum fill time (unless solving took longer).
    const started = Date.now();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    const first = await page.textContent('main');
    if (/quá nhanh/.test(first)) {
      check(await page.inputValue('#tieu-de') === SUBJECT, 'refused as too fast, the subject is kept');
      check(await page.isChecked('#dong-y'), 'the consent box stays ticked');
      await solved(page);
      await page.waitForTimeout(Math.max(0, 5500 - (Date.now() - started)));
      await page.focus('form.public-form button[type=submit]');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    } else {
      console.log('     (the first send was not too fast: solving took longer than the fill time)');
    }
    const receipt = await page.textContent('main');
    const code = (receipt.match(/GY-[A-Z0-9]{8}/) || [])[0];
    check(!!code, `the message was taken with a code (${code || receipt.slice(0, 200)})`);
    noConsoleErrors(errors, ' under the site\'s CSP (widget, worker, styles)');

    // The back office has it.
    await login(page, BASE, USERS.admin);
    await page.goto(BASE + '/quan-tri/gop-y', { waitUntil: 'load' });
    check((await page.textContent('main')).includes(code), 'the message is in the back office');
    await page.screenshot({ path: `${OUT}/forms-backoffice.png`, fullPage: true });
  } finally {
    await close();
  }

  // axe-core: the form, a refusal, the receipt (CSP bypassed for axe's own script).
  const a = await launch('forms-axe', { locale: 'vi-VN', bypassCSP: true });
  try {
    const page = a.page;
    page.setDefaultTimeout(30000);
    await page.goto(BASE + '/lien-he', { waitUntil: 'load' });
    await solved(page);
    await axe(page, 'the Góp ý form with its widget');
    await page.screenshot({ path: `${OUT}/forms-contact.png`, fullPage: true });
    await page.fill('#tieu-de', SUBJECT);
    // The server's own refusal, not the browser's: its required-field check is turned off.
    await page.$eval('form.public-form', f => { f.noValidate = true; });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.public-form button[type=submit]')]);
    check(await page.isVisible('.notice-error'), 'a form sent incomplete is refused with a notice');
    await axe(page, 'the form refused, with its errors');
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `at 360 px the form does not scroll sideways (${overflow})`);
    await page.screenshot({ path: `${OUT}/forms-refused-360.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Hỏi đáp: a question sent through its form (the same widget), then tracked by its code;
    // axe on the list, an answered question, the form and the tracking page.
    await page.goto(BASE + '/hoi-dap/gui', { waitUntil: 'load' });
    await solved(page);
    await page.selectOption('#chu-de', { index: 1 });
    await page.fill('#ho-ten', 'Đỗ Văn Phúc');
    await page.fill('#thu-dien-tu', 'phuc@example.vn');
    await page.fill('#tieu-de', 'Thủ tục công bố hợp chuẩn');
    await page.fill('#noi-dung-gui', 'Xin hướng dẫn thủ tục công bố hợp chuẩn cho sản phẩm gạch.');
    // A file attached, as a citizen would: one of the library's public PDFs or Word files.
    const fileUrl = await page.evaluate(async base => {
      const html = await (await fetch(base + '/van-ban/544-qd-skhcn')).text();
      return (html.match(/href="(\/tep\/[^"]+)"/) || [])[1];
    }, BASE);
    check(!!fileUrl, `a library file to attach (${fileUrl})`);
    const fileBytes = await (await page.request.get(BASE + fileUrl)).body();
    const ext = decodeURIComponent(fileUrl.split('?')[0]).split('.').pop();
    await page.setInputFiles('#tep', { name: `Bản chụp giấy tờ.${ext}`, mimeType: 'application/octet-stream', buffer: fileBytes });
    await page.check('#dong-y');
    await axe(page, 'the question form with its widget');
    await page.waitForTimeout(5500);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.public-form button[type=submit]')]);
    const code = ((await page.textContent('main')).match(/HD-[A-Z0-9]{8}/) || [])[0];
    check(!!code, `the question was taken with a code (${code})`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('text=Theo dõi bằng mã này')]);
    check((await page.textContent('main')).includes('Đã nhận, chờ xem xét'), 'tracking by the code shows where it stands');
    await axe(page, 'the tracking page');
    await page.goto(BASE + '/hoi-dap', { waitUntil: 'load' });
    await axe(page, 'the list of answered questions');
    await page.click('.qa-list a');
    await page.waitForSelector('.answer');
    await axe(page, 'an answered question');
    await page.screenshot({ path: `${OUT}/question.png`, fullPage: true });
    // The file reached the back office with the question, and only there.
    await login(page, BASE, USERS.admin);
    await page.goto(BASE + '/quan-tri/hoi-dap?trang-thai=new', { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`a:has-text("${code}")`)]);
    const attached = await page.textContent('.attached-file');
    check(attached.includes(`Bản chụp giấy tờ.${ext}`), `the question carries its file: ${attached.trim()}`);
    const download = await page.request.get(new URL(await page.getAttribute('.attached-file a', 'href'), BASE).href);
    check(download.ok() && (await download.body()).equals(fileBytes), 'the file downloads as it was sent');
  } finally {
    await a.close();
  }
});
