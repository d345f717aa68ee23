import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';

const PASSWORD = 'mật khẩu thử nghiệm 2026';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/** No serious or critical accessibility violation on the page as it is now. */
async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function screenshot(page: Page, name: string, project: string): Promise<void> {
  if (project !== 'phone' || !process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/dang-nhap');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).last().click();
}

test.describe.configure({ mode: 'serial' });

test('a job seeker finds a Japan food-processing order by an unaccented search, asks for advice and follows it to assigned; the agency marks it contacted', async ({
  page,
}, info) => {
  const project = info.project.name;
  const title = `Tuyển 16 lao động Chế biến thực phẩm tại Gunma, Nhật Bản (${project})`;
  await page.goto('/');
  await expectAccessible(page);
  await page.getByLabel('Tìm đơn hàng').fill(`che bien thuc pham gunma ${project}`);
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await expect(page).toHaveURL(/q=che\+bien\+thuc\+pham/);
  const card = page.locator('article.card', { hasText: title });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Trong mức trần pháp luật');
  await expect(card).toContainText('Đã duyệt số');
  await screenshot(page, 'listing', project);

  await card.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('rowheader', { name: 'Tiền dịch vụ' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'order', project);

  await page.getByRole('link', { name: 'Tư vấn giúp tôi' }).first().click();
  await expectAccessible(page);
  await page.getByLabel('Họ và tên').fill('Nguyễn Văn An');
  const phone = project === 'phone' ? '0912000001' : '0912000002';
  await page.getByLabel('Số điện thoại').fill(phone);
  await page.getByLabel('Tỉnh/thành nơi bạn ở').selectOption('Nghệ An');
  await page.getByLabel('Năm sinh').fill('2000');
  await page.getByLabel('Tôi đã đọc và đồng ý').check();
  await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
  const code = (await page.locator('#tracking-code').textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Xem trạng thái' }).click();
  await expect(async () => {
    await page.getByRole('button', { name: 'Cập nhật' }).click();
    await expect(page.locator('#status')).toHaveAttribute('data-status', 'assigned', { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  expect(page.url()).not.toContain(phone);
  await expectAccessible(page);

  await signIn(page, `agency-${project}@example.vn`);
  await page.goto('/agency/khach-hang');
  const lead = page.locator('li[id^="lead-"]', { hasText: 'Nguyễn Văn An' }).first();
  await expect(lead).toContainText(`+84${phone.slice(1)}`);
  await expectAccessible(page);
  await screenshot(page, 'lead-inbox', project);
  await lead.getByRole('button', { name: 'Đã liên hệ' }).click();
  await expect(page.locator('li[id^="lead-"]', { hasText: 'Nguyễn Văn An' }).first()).toContainText(
    'Doanh nghiệp đã liên hệ',
  );
  for (const path of [
    '/agency/don-hang',
    '/agency/ket-noi',
    '/agency/ho-so',
    '/agency/xuat-canh',
    '/agency/nhan-vien',
  ]) {
    await page.goto(path);
    await expectAccessible(page);
  }
  await page.getByRole('link', { name: 'Đơn hàng' }).first().click();
  await page.locator('ul.list a').first().click();
  await expectAccessible(page);
});

test('a hostile title is shown inert, and a form posted without its CSRF token is refused', async ({
  page,
}, info) => {
  await page.goto(`/?q=${encodeURIComponent(`Đài Loan ${info.project.name}`)}`);
  const card = page.locator('article.card', { hasText: 'Đơn hàng Đài Loan' }).first();
  await expect(card).toContainText('<script>window.hacked=1</script>');
  expect(await page.evaluate(() => (globalThis as unknown as { hacked?: number }).hacked)).toBeUndefined();
  const href = await card.getByRole('link').first().getAttribute('href');
  await page.goto(href!);
  expect(await page.evaluate(() => (globalThis as unknown as { hacked?: number }).hacked)).toBeUndefined();

  await page.goto(`${href}/tu-van`);
  const refused = await page.request.post(`${href}/tu-van`, {
    form: {
      fullName: 'Kẻ giả mạo',
      phone: '0912999999',
      province: 'Hà Nội',
      birthYear: '2000',
      consent: 'yes',
    },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain('Biểu mẫu đã hết hạn');
});

test('the public pages are accessible in both languages', async ({ page }) => {
  for (const path of [
    '/doanh-nghiep?q=Nam',
    '/xep-hang',
    '/thong-ke',
    '/du-lieu-mo',
    '/tra-cuu',
    '/dang-nhap',
    '/?lang=en',
  ]) {
    await page.goto(path);
    await expectAccessible(page);
  }
  await page.goto('/doanh-nghiep?q=Nam');
  await page.locator('ul.list a').first().click();
  await expectAccessible(page);
  await page.goto('/');
  await page.locator('article.card a').first().click();
  await page.getByRole('link', { name: 'Báo cáo tin đăng' }).click();
  await expectAccessible(page);
});

test('a worker checks a number before paying, sees the legal caps of their case, and reports the broker', async ({
  page,
}, info) => {
  await page.goto('/kiem-tra');
  await expectAccessible(page);
  // The demo data's Năm Châu IMS registered 02400000101: typed another way, it is still found.
  await page.getByLabel('Số điện thoại, tên hoặc đường dẫn').fill('+84 24 0000 0101');
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'licensed');
  await expect(page.locator('#result')).toContainText('Công ty Cổ phần Năm Châu IMS');
  expect(page.url()).not.toContain('0101');
  await expectAccessible(page);

  const broker = info.project.name === 'phone' ? '0987 654 301' : '0987 654 302';
  await page.getByLabel('Số điện thoại, tên hoặc đường dẫn').fill(broker);
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await expect(page.locator('#verdict')).toHaveAttribute('data-verdict', 'unknown');
  await page.getByRole('link', { name: 'Xem mức trần chi phí theo pháp luật' }).click();
  await page.getByLabel('Nước', { exact: true }).selectOption('JP');
  await page.getByLabel('Chương trình', { exact: true }).selectOption('jp_technical_intern');
  await page.getByLabel('Thời hạn hợp đồng (tháng)').fill('36');
  await page.getByLabel('Lương cơ bản/tháng').fill('180000');
  await page.getByLabel('Tiền tệ', { exact: true }).selectOption('JPY');
  await page.getByRole('button', { name: 'Tính mức trần' }).click();
  await expect(page.locator('#cap-brokerage')).toHaveAttribute('data-max', '0');
  await expect(page.locator('#cap-serviceFee')).toContainText('3 tháng lương');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Báo cáo người tuyển dụng này' }).click();
  await expectAccessible(page);
  await page.getByLabel('Số điện thoại của họ').fill(broker);
  await page.getByLabel('Họ hứa gì').fill('Đi Nhật làm chế biến thực phẩm, bay ngay');
  await page.getByLabel('Số tiền họ đòi (đồng)').fill('150000000');
  await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await expect(page.getByRole('status')).toContainText('Báo cáo đã được gửi');
  await page.getByRole('link', { name: 'Kiểm tra một số khác' }).click();
  await page.getByLabel('Số điện thoại, tên hoặc đường dẫn').fill(broker);
  await page.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
  await expect(page.locator('#reports')).toHaveAttribute('data-count', '1');
});

test('the regulator suspends the agency and its order leaves the home page within 5 s, then verifies the audit chain', async ({
  page,
  browser,
}, info) => {
  const project = info.project.name;
  const title = `Tuyển 16 lao động Chế biến thực phẩm tại Gunma, Nhật Bản (${project})`;
  await signIn(page, `regulator-${project}@example.vn`);
  await expect(page).toHaveURL(/\/regulator$/);
  await expectAccessible(page);
  await screenshot(page, 'regulator-dashboard', project);
  for (const path of [
    '/regulator/dang-ky',
    '/regulator/canh-bao',
    '/regulator/bao-cao-co',
    '/regulator/go-tin',
    '/regulator/tam-dung',
    '/regulator/nhat-ky',
  ]) {
    await page.goto(path);
    await expectAccessible(page);
  }

  const visitor = await browser.newPage();
  await visitor.goto('/');
  await expect(visitor.locator('article.card', { hasText: title })).toBeVisible();

  await page.goto('/regulator/doanh-nghiep?licenseStatus=active');
  await expectAccessible(page);
  const agency = page.locator('li[id^="agency-"]', { hasText: `Công ty Thử nghiệm Trình duyệt ${project}` });
  await agency.getByLabel('Quyết định').selectOption('suspended');
  await agency.getByLabel('Lý do').fill('Thu phí vượt mức trần');
  const suspendedAt = Date.now();
  await agency.getByRole('button', { name: 'Thực hiện' }).click();
  await expect(async () => {
    await visitor.goto('/');
    await expect(visitor.locator('article.card', { hasText: title })).toHaveCount(0, { timeout: 200 });
  }).toPass({ timeout: 5_000 });
  expect(Date.now() - suspendedAt).toBeLessThan(5_000);

  await page.goto('/regulator/nhat-ky');
  await page.getByRole('button', { name: 'Kiểm tra chuỗi nhật ký' }).click();
  await expect(page.locator('#verification')).toContainText('Chuỗi nhật ký toàn vẹn');
  await expectAccessible(page);
});

test('the admin console is accessible', async ({ page }, info) => {
  await signIn(page, `admin-${info.project.name}@example.vn`);
  await expect(page).toHaveURL(/\/admin\/nguoi-dung$/);
  await expectAccessible(page);
  await page.goto('/admin/ty-gia');
  await expectAccessible(page);
  await page.goto('/agency/khach-hang');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không có quyền');
});
