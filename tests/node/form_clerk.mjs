// A clerk at /admin/ (在线填报), driven through Chromium by Playwright, for
// tests/test_form_browser.py. Usage: node form_clerk.mjs <task> '<json settings>'
//   offline: open /admin/ without a local server; report every request.
//   clerk:   log in to the local decap-server, complete problem <slug> with a
//            measure and an uploaded PDF, save; then create a new problem.
//   timing:  open the ledger's list and one problem; report the seconds.
// Prints one JSON object on stdout; the Python test asserts on it and on git.
import { chromium } from 'playwright-core';

const [task, settingsJson] = process.argv.slice(2);
const settings = JSON.parse(settingsJson || '{}');
const browser = await chromium.launch({
  executablePath: settings.chromium || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1600 }, locale: 'zh-CN' });
const requests = [];
const errors = [];
page.on('request', (r) => requests.push(r.url()));
page.on('pageerror', (e) => errors.push(String(e && e.message)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text().slice(0, 500)); });
page.setDefaultTimeout(settings.timeout_ms || 20000);

/** The control block of a field, found by its Chinese label. */
const field = (scope, label) => scope.locator(
  `xpath=.//label[starts-with(normalize-space(.),"${label}")]/ancestor::div[contains(@class,"ControlContainer")][1]`);

async function choose(container, option) {
  await container.locator('[class*="control"]').first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function login() {
  await page.goto(settings.site + 'admin/');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('问题', { exact: true }).first().waitFor();
}

async function save() {
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('修改已保存').first().waitFor({ timeout: 30000 });
}

async function clerk() {
  await login();
  const started = Date.now();
  await page.goto(`${settings.site}admin/#/collections/${settings.collection}/entries/${encodeURIComponent(settings.slug)}`);
  const title = field(page, '问题标题').first().locator('input');
  await page.waitForFunction((el) => el && el.value, await title.elementHandle());
  const opened = (Date.now() - started) / 1000;
  await choose(field(page, '整改状态').first(), '已完成');
  await field(page, '完成时间').first().locator('input[type=date]').fill('2023-06-30');

  const measures = field(page, '整改措施').first();
  await measures.getByRole('button', { name: /新增/ }).click();
  await field(measures, '措施内容').last().locator('textarea').fill('修订调研制度并组织专题学习');
  await choose(field(measures, '整改状态').last(), '已完成');
  await field(measures, '完成时间').last().locator('input[type=date]').fill('2023-06-20');

  const evidence = field(page, '佐证材料').last();
  await evidence.getByRole('button', { name: /新增/ }).click();
  await field(evidence, '名称').last().locator('input').fill('调研制度会议纪要');
  await field(evidence, '文件').last().getByRole('button', { name: /选择/ }).click();
  await page.locator('input[type=file]').setInputFiles(settings.pdf);
  const chosen = page.getByRole('button', { name: '选用已选中项目' });
  await page.waitForFunction((el) => el && !el.disabled, await chosen.elementHandle());
  await chosen.click();
  await save();

  await page.goto(`${settings.site}admin/#/collections/${settings.collection}/new`);
  // The new draft is ready when the only editor on the page shows the next
  // 序号 (config.yml's default) and an empty title; until then the saved
  // problem's editor may still be there.
  await page.waitForFunction((next) => {
    const ids = document.querySelectorAll('input[id^="id-field"]');
    const titles = document.querySelectorAll('input[id^="title-field"]');
    return ids.length === 1 && ids[0].value === next && titles.length === 1 && titles[0].value === '';
  }, String(settings.new_id));
  await field(page, '问题标题').first().locator('input').fill(settings.new_title);
  await choose(field(page, '问题方面').first(), settings.new_category);
  await field(page, '责任部门').first().locator('input').fill('办公室');
  await field(page, '问题描述').first().locator('textarea').fill('会议记录不完整，部分会议没有签到表。');
  await field(page, '整改情况').first().locator('textarea').fill('已制定会议记录规范，正在补齐签到表。');
  await save();
  return { opened, saved: await page.evaluate(() => document.querySelector('input[id^="title-field"]').value) };
}

async function timing() {
  await login();
  let started = Date.now();
  await page.goto(`${settings.site}admin/#/collections/${settings.collection}`);
  await page.getByText(settings.list_item).first().waitFor({ timeout: 60000 });
  const list = (Date.now() - started) / 1000;
  started = Date.now();
  await page.goto(`${settings.site}admin/#/collections/${settings.collection}/entries/${encodeURIComponent(settings.slug)}`);
  const title = field(page, '问题标题').first().locator('input');
  await page.waitForFunction((el) => el && el.value, await title.elementHandle(), { timeout: 60000 });
  return { list, problem: (Date.now() - started) / 1000 };
}

async function offline() {
  await page.goto(settings.site + 'admin/');
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.waitForTimeout(1000);
  return { text: await page.innerText('body'), lang: await page.evaluate(() => document.documentElement.lang) };
}

let result;
try {
  result = await ({ clerk, timing, offline })[task]();
  result.ok = true;
} catch (e) {
  await page.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
  await page.screenshot({ path: settings.screenshot || '/tmp/form-failure.png' }).catch(() => {});
  result = { ok: false, error: String(e && e.message || e).slice(0, 2000), text: (await page.innerText('body').catch(() => '')).slice(0, 3000) };
}
result.requests = requests;
result.errors = errors;
await browser.close();
process.stdout.write(JSON.stringify(result));
