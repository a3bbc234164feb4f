// Giao diện in real headless Chromium, under the site's own CSP: an editor arranges a
// two-level menu (rows reordered with the keyboard's Lên button), the home page's blocks and a
// banner; the public pages then show them. At 360 px the menu is folded behind its button and
// opens by keyboard (Escape closes it, the focus back on the button) and by touch; at 1280 px a
// child list drops down when its entry has the keyboard's focus. axe-core on the back-office
// pages and on the arranged home page at both widths.
// Usage: BASE=… OUT=dir node arrange.js (user bientap/editor exists; see scripts/browser-tests.sh)
const { OUT, USERS, check, launch, consoleErrors, noConsoleErrors, login, axe, tabTo, run } = require('./lib');

const BASE = process.env.BASE;

// Fills row `n` (1-based) of the menu form.
async function menuRow(page, n, depth, label, kind, target = '') {
  await page.selectOption(`#depth-${n}`, depth);
  await page.fill(`#label-${n}`, label);
  await page.selectOption(`#kind-${n}`, kind);
  await page.fill(`#target-${n}`, target);
}

async function save(page) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.arrange-form button[type=submit]')]);
  const flash = await page.$('.flash');
  return flash ? (await flash.textContent()).trim() : (await page.textContent('main')).slice(0, 300);
}

async function menuOpen(page) {
  return page.evaluate(() => getComputedStyle(document.querySelector('#menu-chinh')).display !== 'none');
}

run('arrange browser', async () => {
  if (!BASE) throw new Error('BASE is not set');
  const { page, close } = await launch('arrange', { locale: 'vi-VN' });
  try {
    page.setDefaultTimeout(30000);
    const errors = consoleErrors(page);
    await login(page, BASE, USERS.editor);
    await page.goto(BASE + '/quan-tri/giao-dien', { waitUntil: 'load' });
    check(await page.isVisible('text=Thêm dòng'), 'the script offers more rows');
    // Two rows more than the three blank ones.
    await page.click('text=Thêm dòng');
    await page.click('text=Thêm dòng');
    const rows = await page.$$('ol.rows-edit li.edit-row');
    check(rows.length === 5, `five rows to fill (${rows.length})`);
    const ids = await page.$$eval('ol.rows-edit [name=label]', els => els.map(e => e.id.replace('label-', '')));
    await menuRow(page, ids[0], '0', 'Trang chủ', 'home');
    await menuRow(page, ids[1], '0', 'Tin tức', 'section', 'tin-tuc-su-kien');
    await menuRow(page, ids[2], '0', 'Giới thiệu', 'page', 'gioi-thieu');
    await menuRow(page, ids[3], '1', 'Cơ cấu tổ chức', 'organisation');
    await menuRow(page, ids[4], '1', 'Lịch công tác', 'schedule');
    // "Giới thiệu" moves up above "Tin tức" by keyboard, and the move is announced.
    const up = `ol.rows-edit li.edit-row:nth-child(3) button[data-move="up"]`;
    await page.focus(up);
    await page.keyboard.press('Enter');
    const order = await page.$$eval('ol.rows-edit [name=label]', els => els.map(e => e.value));
    check(order.slice(0, 3).join('|') === 'Trang chủ|Giới thiệu|Tin tức', `moved up by keyboard (${order.join(', ')})`);
    const said = await page.textContent('ol.rows-edit + [role=status]');
    check(said.includes('vị trí 2'), `the new place is announced (${said})`);
    // Its two children are moved up under it, one place each.
    for (const n of [4, 5]) {
      await page.focus(`ol.rows-edit li.edit-row:nth-child(${n}) button[data-move="up"]`);
      await page.keyboard.press('Enter');
    }
    const final = await page.$$eval('ol.rows-edit [name=label]', els => els.map(e => e.value).filter(Boolean));
    check(final.join('|') === 'Trang chủ|Giới thiệu|Cơ cấu tổ chức|Lịch công tác|Tin tức', `the menu's order (${final.join(', ')})`);
    const flash = await save(page);
    check(flash === 'Đã lưu.', `the menu is saved (${flash})`);

    // The home page: the week's schedule, then the latest articles, then the banners.
    await page.goto(BASE + '/quan-tri/giao-dien/trang-chu', { waitUntil: 'load' });
    await page.selectOption('#kind-1', 'schedule');
    await page.fill('#count-1', '4');
    await page.selectOption('#kind-2', 'latest');
    await page.fill('#count-2', '6');
    await page.selectOption('#kind-3', 'banners');
    check((await save(page)) === 'Đã lưu.', 'the home page\'s blocks are saved');

    // A banner in the sidebar and one for the home page, from the library.
    await page.goto(BASE + '/quan-tri/giao-dien/banner', { waitUntil: 'load' });
    const image = await page.$eval('#image-1 option:nth-child(2)', o => o.value);
    for (const [n, place, alt] of [[1, 'sidebar', 'Cổng Dịch vụ công quốc gia'], [2, 'home', 'Chuyển đổi số tỉnh Bình Thuận']]) {
      await page.selectOption(`#image-${n}`, image);
      await page.fill(`#alt-${n}`, alt);
      await page.fill(`#link-${n}`, 'https://dichvucong.gov.vn');
      await page.selectOption(`#place-${n}`, place);
    }
    check((await save(page)) === 'Đã lưu.', 'the banners are saved');
    noConsoleErrors(errors, ' in the back office');
    await close();
  } catch (e) {
    await close();
    throw e;
  }

  // A reader on a phone, under the site's CSP.
  const phone = await launch('arrange-phone', { locale: 'vi-VN', viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  try {
    const p = phone.page;
    const errors = consoleErrors(p);
    await p.goto(BASE + '/', { waitUntil: 'load' });
    const main = await p.textContent('main');
    check(main.includes('Lịch công tác tuần này') && main.includes('Tin mới nhất'), 'the home page shows the chosen blocks');
    check(main.indexOf('Lịch công tác tuần này') < main.indexOf('Tin mới nhất'), 'in their order');
    check(!main.includes('Tin nổi bật'), 'and no other');
    check(await p.isVisible('main img[alt="Chuyển đổi số tỉnh Bình Thuận"]'), 'the home page\'s banner');
    check(await p.isVisible('.sidebar img[alt="Cổng Dịch vụ công quốc gia"]'), 'the sidebar\'s banner');
    check(await p.isVisible('.menu-toggle'), 'the menu button shows at 360 px');
    check(!(await menuOpen(p)), 'the menu is folded');
    check((await p.getAttribute('.menu-toggle', 'aria-expanded')) === 'false', 'the button says it is closed');
    // Touch.
    await p.tap('.menu-toggle');
    check(await menuOpen(p), 'a tap opens it');
    check((await p.getAttribute('.menu-toggle', 'aria-expanded')) === 'true', 'the button says it is open');
    check(await p.isVisible('#menu-chinh a[href="/lich-cong-tac"]'), 'the second level shows under its entry');
    const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(over <= 0, `no sideways scroll with the menu open (${over} px)`);
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.tap('#menu-chinh a[href="/co-cau-to-chuc"]')]);
    check(p.url().endsWith('/co-cau-to-chuc'), 'a tap on a child entry follows it');
    check(!(await menuOpen(p)), 'folded again on the next page');
    // Keyboard.
    check(await tabTo(p, '.menu-toggle'), 'the button is reached with Tab');
    await p.keyboard.press('Enter');
    check(await menuOpen(p), 'Enter opens the menu');
    await p.keyboard.press('Tab');
    const first = await p.evaluate(() => document.activeElement.textContent);
    check(first === 'Trang chủ', `Tab goes into the menu (${first})`);
    await p.keyboard.press('Escape');
    check(!(await menuOpen(p)), 'Escape folds it');
    check(await p.evaluate(() => document.activeElement.classList.contains('menu-toggle')), 'the focus is back on the button');
    const current = await p.getAttribute('#menu-chinh a[aria-current="page"]', 'href');
    check(current === '/co-cau-to-chuc', `the entry of the page shown is marked (${current})`);
    const parent = await p.getAttribute('#menu-chinh li.has-sub > a', 'class');
    check(parent === 'active', 'and its parent entry is active');
    noConsoleErrors(errors, ' under the site\'s CSP');
    await p.screenshot({ path: `${OUT}/arrange-360.png`, fullPage: false });
  } finally {
    await phone.close();
  }

  // Wide: the second level drops down when its entry has the focus.
  const wide = await launch('arrange-wide', { locale: 'vi-VN' });
  try {
    const p = wide.page;
    await p.goto(BASE + '/', { waitUntil: 'load' });
    check(!(await p.isVisible('.menu-toggle')), 'no menu button at 1280 px');
    check(!(await p.isVisible('#menu-chinh a[href="/lich-cong-tac"]')), 'the second level waits');
    check(await tabTo(p, '#menu-chinh li.has-sub > a'), 'its entry is reached with Tab');
    check(await p.isVisible('#menu-chinh a[href="/lich-cong-tac"]'), 'the second level drops down on focus');
    await p.keyboard.press('Tab');
    const child = await p.evaluate(() => document.activeElement.getAttribute('href'));
    check(child === '/co-cau-to-chuc', `Tab goes into it (${child})`);
    await p.screenshot({ path: `${OUT}/arrange-1280.png`, fullPage: false });
  } finally {
    await wide.close();
  }

  // axe, both widths, public and back office.
  const a = await launch('arrange-axe', { locale: 'vi-VN', bypassCSP: true });
  try {
    const p = a.page;
    for (const width of [1280, 360]) {
      await p.setViewportSize({ width, height: 900 });
      await p.goto(BASE + '/', { waitUntil: 'load' });
      if (width === 360) await p.click('.menu-toggle');
      await axe(p, `the arranged home page at ${width} px${width === 360 ? ', menu open' : ''}`);
    }
    await login(p, BASE, USERS.editor);
    for (const width of [1280, 360]) {
      await p.setViewportSize({ width, height: 900 });
      for (const path of ['/quan-tri/giao-dien', '/quan-tri/giao-dien/trang-chu', '/quan-tri/giao-dien/banner', '/quan-tri/giao-dien/lien-ket?ngon-ngu=en']) {
        await p.goto(BASE + path, { waitUntil: 'load' });
        await axe(p, `${path} at ${width} px`);
      }
    }
  } finally {
    await a.close();
  }
});
