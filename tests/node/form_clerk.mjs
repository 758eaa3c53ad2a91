// A clerk at /admin/ (在线填报), driven through Chromium by Playwright, for
// tests/test_form_browser.py. Usage: node form_clerk.mjs <task> '<json settings>'
//   offline: open /admin/ without a local server; report every request.
//   clerk:   log in to the local decap-server, complete problem <slug> with a
//            measure and an uploaded PDF, save; then create a new problem.
//   timing:  open the ledger's list and one problem; report the seconds.
// Prints one JSON object on stdout; the Python test asserts on it and on git.
import fs from 'node:fs';
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
const failed = [];  // responses with an error status: which address, not only the console's message
page.on('request', (r) => requests.push(r.url()));
page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
page.on('pageerror', (e) => errors.push(String(e && e.message)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text().slice(0, 500)); });
page.setDefaultTimeout(settings.timeout_ms || 60000);  // generous: CI machines are shared

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
  await page.getByText('修改已保存').first().waitFor({ timeout: 120000 });
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

/** CPU seconds (user + system) used so far by the processes under `root`
 * (this script's browser, or decap-server), by Chromium process type. On a
 * loaded machine the wall clock measures the neighbours; this measures the
 * work, and the renderer's share is the page's own critical path. */
function cpuSeconds(root) {
  const tick = 100;  // USER_HZ on Linux
  const stats = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      const type = /--type=([a-z-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      stats.push({ pid: Number(pid), ppid: Number(fields[1]), type: type ? type[1] : 'main',
        cpu: (Number(fields[11]) + Number(fields[12])) / tick });
    } catch { /* gone */ }
  }
  const under = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) if (!under.has(s.pid) && under.has(s.ppid)) { under.add(s.pid); grew = true; }
  }
  const byType = { all: 0 };
  for (const s of stats.filter((x) => under.has(x.pid) && x.pid !== process.pid)) {
    byType[s.type] = (byType[s.type] || 0) + s.cpu;
    byType.all += s.cpu;
  }
  return byType;
}

function minus(after, before) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((after[k] - (before[k] || 0)) * 100) / 100]));
}

async function measured(step) {
  const wall = Date.now();
  const browserBefore = cpuSeconds(process.pid);
  const serverBefore = settings.server_pid ? cpuSeconds(settings.server_pid) : { all: 0 };
  await step();
  return {
    wall: (Date.now() - wall) / 1000,
    browser_cpu: minus(cpuSeconds(process.pid), browserBefore),
    server_cpu: settings.server_pid ? minus(cpuSeconds(settings.server_pid), serverBefore).all : 0,
  };
}

async function timing() {
  await page.goto(settings.site + 'admin/');
  await page.getByRole('button', { name: '登录' }).waitFor({ timeout: 120000 });
  const link = `/entries/${settings.slug}`;  // Decap writes the slug into href unencoded
  // Logging in opens the first collection: the ledger's list, every problem in it.
  const list = await measured(async () => {
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForFunction((href) => document.querySelector(`a[href$="${CSS.escape(href)}"]`), link,
      { timeout: 120000, polling: 200 });
  });
  const problem = await measured(async () => {
    await page.click(`a[href$="${link}"]`);
    await page.waitForFunction(() => {
      const title = document.querySelector('input[id^="title-field"]');
      return title && title.value;
    }, null, { timeout: 120000, polling: 200 });
  });
  return { list, problem };
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
result.failed = failed;
await browser.close();
process.stdout.write(JSON.stringify(result));
