import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engines } from '../../server/test/support/engines';
import { createOperator, type OperatorCredentials, type Session } from '../../server/test/support/operators';
import { bootTestServer, type TestServer } from '../../server/test/support/testServer';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser';
import { newMember, SHOTS, signInContext, until } from './support/pages';

const missing = chromiumMissing();
if (missing) console.warn(missing);

describe.skipIf(!!missing)('four-eyes approval across two admins (Chromium)', () => {
  let server: TestServer;
  const admins: { creds: OperatorCredentials; browser: Browser; page: Page; api: Session }[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await bootTestServer(engines[engines.length - 1]!, {
      demo: true,
      console: true,
      config: { approvals: { creditsAbove: 1000, roleChanges: false, keyRotation: false, expiresMs: 60 * 60 * 1000 } },
    });
    // Two admins, each in a browser of their own.
    for (let i = 0; i < 2; i++) {
      const creds = await createOperator(server, 'admin');
      const browser = await launchBrowser();
      const api = await signInContext(browser.context, server, creds);
      admins.push({ creds, browser, api, page: await browser.context.newPage() });
    }
  }, 300_000);
  afterAll(async () => {
    for (const a of admins) await a.browser.close();
    await server?.close();
  });

  const notification = (page: Page, text: string | RegExp) => page.getByRole('alert').filter({ hasText: text });
  const confirm = (page: Page) => page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();

  test('one admin asks for a big credit grant, the other approves it; the balance moves only then and the audit row names both', async () => {
    const [asker, approver] = admins as [(typeof admins)[0], (typeof admins)[0]];
    const member = await newMember(asker.api);
    const balance = async () => Number((await asker.api.json(`/api/credits?filter=${encodeURIComponent(JSON.stringify({ user_id: member.id }))}`)).body[0]?.left_credits ?? 0);
    const before = await balance();

    await asker.page.goto(`${server.url}/#/users/${member.id}/show`);
    await asker.page.getByRole('button', { name: 'Credits', exact: true }).click();
    await asker.page.getByLabel('Amount').fill('50000');
    await asker.page.getByLabel('Reason').fill('Enterprise pilot credits');
    await confirm(asker.page);
    await until(() => notification(asker.page, /Sent for approval/).isVisible()).toBe(true);
    expect(await balance()).toBe(before);

    // The asker sees the request, and is refused when approving it.
    await asker.page.goto(`${server.url}/#/approval_requests`);
    const askerRow = asker.page.getByRole('row').filter({ hasText: 'Enterprise pilot credits' });
    await until(() => askerRow.count()).toBe(1);
    await askerRow.getByRole('button', { name: 'Approve' }).click();
    await confirm(asker.page);
    // The refusal is shown (an error snackbar) and the dialog stays open.
    await until(() => asker.page.getByText('You asked for this change; another admin must approve it.').isVisible()).toBe(true);
    expect(await balance()).toBe(before);

    await approver.page.goto(`${server.url}/#/approval_requests`);
    const row = approver.page.getByRole('row').filter({ hasText: 'Enterprise pilot credits' });
    await until(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Grant 50,000 credits');
    expect(await row.textContent()).toContain(asker.creds.email);
    await row.getByRole('button', { name: 'Approve' }).click();
    await approver.page.getByRole('dialog').getByLabel('Note (optional)').fill('Pilot signed');
    await confirm(approver.page);
    await until(() => notification(approver.page, 'Approved: the change ran').isVisible()).toBe(true);
    await until(() => row.getByText('approved').isVisible()).toBe(true);
    expect(await row.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await until(balance).toBe(before + 50_000);
    await approver.page.screenshot({ path: `${SHOTS}/approvals.png`, fullPage: true });

    const filter = encodeURIComponent(JSON.stringify({ resource: 'users', record_id: String(member.id), action: 'adjust_credits' }));
    const [entry] = (await approver.api.json(`/api/audit_log?filter=${filter}`)).body as Record<string, unknown>[];
    expect(entry).toMatchObject({ actor_id: asker.creds.id, actor_email: asker.creds.email, approved_by_id: approver.creds.id, approved_by_email: approver.creds.email });
    // The audit page shows both operators.
    await approver.page.goto(`${server.url}/#/audit_log/${entry!.id}/show`);
    await until(() => approver.page.getByText(approver.creds.email).first().isVisible()).toBe(true);
    await until(() => approver.page.getByText(asker.creds.email).first().isVisible()).toBe(true);
  });
});
