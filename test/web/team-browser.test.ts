/**
 * The team flow in a real browser (Debian's Chromium through playwright-core) against a real node, as people
 * would do it: the owner adds a member and copies the set-password link; the member opens it in a second
 * browser, chooses a password and is signed in, sees the team without its controls, changes their password,
 * and signs in again with the new one. Screenshots go to .artifacts/dashboard/team-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/build-web.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { launchBrowser, watchProblems, type TestBrowser } from './browser.ts';

const OWNER_PASSWORD = 'the owner has a long passphrase';
const FIRST = 'ben chose this first';
const SECOND = 'ben changed it to this';
let node: TestNode;
let owner: TestBrowser;
let member: TestBrowser;
let page: Page;
let link = '';
const problems: string[] = [];

const watch = (b: TestBrowser): void => watchProblems(b, problems);

async function signIn(p: Page, email: string, password: string): Promise<void> {
  await p.getByLabel('E-mail address').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByLabel('Password').press('Enter');
}

before(async () => {
  await ensureDashboardBuilt();
  node = await startTestNode();
  const tenant = await node.services.accounts.addTenant('shop');
  await node.services.accounts.addUser(tenant.id, 'ada@shop.com', OWNER_PASSWORD, 'owner');
  owner = await launchBrowser(node.http);
  page = owner.page;
  watch(owner);
});

after(async () => {
  await member?.close();
  await owner?.close();
  await node?.close();
});

describe('a team in the browser', () => {
  test('the owner adds a member and copies the one-time link', async () => {
    await page.goto(`${node.http}/`);
    await signIn(page, 'ada@shop.com', OWNER_PASSWORD);
    await page.getByRole('heading', { name: 'Sender domains' }).waitFor();
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team of shop' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'ada@shop.com (you)' }).waitFor();
    // The last owner's own controls are there, and the server says no if they try to step down.
    await page.getByRole('button', { name: 'Make ada@shop.com a member' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /last owner/ })
      .waitFor();

    // Keyboard alone: the e-mail field, the role, the default "link" choice, then Enter.
    await page.getByLabel('E-mail address').fill('Ben@Shop.com');
    assert.equal(await page.getByLabel('Role').inputValue(), 'member');
    assert.ok(await page.getByLabel(/one-time set-password link/).isChecked());
    await owner.screenshot('team-01-owner-adds');
    await page.getByLabel('E-mail address').press('Enter');
    const panel = page.locator('.link-panel');
    await panel.getByText('Pass this link to').waitFor();
    link = await page.getByRole('textbox', { name: 'Set-password link for ben@shop.com' }).inputValue();
    assert.match(link, new RegExp(`^${node.http}/set-password#[A-Za-z0-9_-]{43}$`));
    await page.getByRole('button', { name: 'Copy set-password link for ben@shop.com' }).click();
    await panel.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), link);
    const row = page.getByRole('row').filter({ hasText: 'ben@shop.com' });
    assert.match(await row.innerText(), /member[\s\S]*invited: link until/);
    await owner.screenshot('team-02-link');
  });

  test('the member opens the link in a second browser, chooses a password and is signed in', async () => {
    member = await launchBrowser(node.http);
    watch(member);
    const p = member.page;
    await p.goto(link);
    await p.getByRole('heading', { name: 'Choose your password' }).waitFor();
    assert.equal(new URL(p.url()).hash, '', 'the token leaves the address bar');
    // Issue 15 item 10: the length is checked when the first field is left, before the second entry.
    await p.getByLabel('New password', { exact: true }).fill('too short');
    await p.getByLabel('New password', { exact: true }).press('Tab');
    await p.getByRole('alert').filter({ hasText: 'This password has 9 characters' }).waitFor();
    assert.equal(await p.getByLabel('New password again').inputValue(), '', 'asked before the second entry');
    await p.getByLabel('New password again').fill('too short');
    await p.getByRole('button', { name: 'Set the password and sign in' }).click();
    await p.getByRole('alert').filter({ hasText: 'at least 12 characters' }).waitFor();
    await p.getByLabel('New password', { exact: true }).fill(FIRST);
    await p.getByLabel('New password again').fill(FIRST);
    await member.screenshot('team-03-set-password');
    await p.getByLabel('New password again').press('Enter');
    await p.getByRole('heading', { name: 'Sender domains' }).waitFor();
    assert.match(await p.locator('header').innerText(), /ben@shop\.com · tenant shop/);

    // The link is spent: opening it again says so.
    const again = await member.context.newPage();
    await again.goto(link);
    await again.getByLabel('New password', { exact: true }).fill('somebody else again');
    await again.getByLabel('New password again').fill('somebody else again');
    await again.getByRole('button', { name: 'Set the password and sign in' }).click();
    await again
      .getByRole('alert')
      .filter({ hasText: /used already/ })
      .waitFor();
    await again.close();
  });

  test('the member signs in with it and sees the team without its controls', async () => {
    const p = member.page;
    await p.goto(`${node.http}/`);
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByText('You are signed out.').waitFor();
    await signIn(p, 'ben@shop.com', FIRST);
    await p.getByRole('heading', { name: 'Sender domains' }).waitFor();
    await p.getByRole('link', { name: 'Team' }).click();
    await p.getByRole('heading', { name: 'Team of shop' }).waitFor();
    await p.getByRole('row').filter({ hasText: 'ada@shop.com' }).waitFor();
    await p.getByText('Only owners can change the team.').waitFor();
    assert.equal(await p.getByRole('button', { name: /Make |Remove|New link/ }).count(), 0);
    assert.equal(await p.getByRole('heading', { name: 'Add a user' }).count(), 0);
    assert.equal(await p.getByRole('columnheader', { name: 'Change' }).count(), 0);
    await member.screenshot('team-04-member-view');
  });

  test('the member changes their password and signs in again with the new one', async () => {
    const p = member.page;
    await p.getByRole('link', { name: 'ben@shop.com' }).click();
    await p.getByRole('heading', { name: 'Your account' }).waitFor();
    await p.getByLabel('Current password').fill('not the password');
    await p.getByLabel('New password', { exact: true }).fill(SECOND);
    await p.getByLabel('New password again').fill(SECOND);
    await p.getByRole('button', { name: 'Change the password' }).click();
    await p.getByRole('alert').filter({ hasText: 'The current password is wrong.' }).waitFor();
    await p.getByLabel('Current password').fill(FIRST);
    await p.getByLabel('Current password').press('Enter');
    await p.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    assert.equal(await p.getByLabel('Current password').inputValue(), '', 'the fields are emptied');
    await member.screenshot('team-05-password-changed');
    // This session goes on (with a new id and token): a change still works.
    await p.getByRole('link', { name: 'Team' }).click();
    await p.getByRole('heading', { name: 'Team of shop' }).waitFor();

    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByText('You are signed out.').waitFor();
    await signIn(p, 'ben@shop.com', FIRST);
    await p.getByRole('alert').filter({ hasText: 'The e-mail address or the password is wrong.' }).waitFor();
    await p.getByLabel('Password').fill(SECOND);
    await p.getByLabel('Password').press('Enter');
    // Signed in again, on the page it was on.
    await p.getByRole('heading', { name: 'Team of shop' }).waitFor();
    assert.match(await p.locator('header').innerText(), /ben@shop\.com · tenant shop/);
  });

  test('the owner sees the member active, makes them an owner and back, and removes them', async () => {
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'ben@shop.com' });
    await row.getByText('active').waitFor();
    await page.getByRole('button', { name: 'Make ben@shop.com an owner' }).click();
    await page.getByRole('button', { name: 'Make ben@shop.com a member' }).waitFor();
    assert.match(await row.innerText(), /owner/);
    await page.getByRole('button', { name: 'Make ben@shop.com a member' }).click();
    await page.getByRole('button', { name: 'Make ben@shop.com an owner' }).waitFor();

    await page.getByRole('button', { name: 'Remove ben@shop.com' }).click();
    const confirm = page.getByRole('group', { name: 'Remove ben@shop.com?' });
    await confirm.getByText('Their sessions end at once.').waitFor();
    await owner.screenshot('team-06-confirm-remove');
    // The confirmation has the focus: Enter removes.
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Yes, remove');
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    // Ben's open dashboard finds the session gone at its next request.
    const p = member.page;
    await p.getByRole('link', { name: 'Domains' }).click();
    await p.getByText('Your session has ended. Sign in again.').waitFor();
  });

  test('the team page stays readable on a narrow screen', async () => {
    const narrow = await owner.context.newPage();
    await narrow.setViewportSize({ width: 390, height: 844 });
    await narrow.goto(`${node.http}/team`);
    await narrow.getByRole('heading', { name: 'Team of shop' }).waitFor();
    await narrow.getByRole('row').filter({ hasText: 'ada@shop.com' }).waitFor();
    const overflow = await narrow.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    assert.ok(overflow <= 0, `the team page fits the width (${overflow}px too wide)`);
    await owner.screenshot('team-07-narrow', narrow);
    await narrow.goto(`${node.http}/account`);
    await narrow.getByRole('heading', { name: 'Your account' }).waitFor();
    const accountOverflow = await narrow.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    assert.ok(accountOverflow <= 0, `the account page fits the width (${accountOverflow}px too wide)`);
    await owner.screenshot('team-08-narrow-account', narrow);
    await narrow.close();
  });

  test('no script error and no CSP violation on any page', () => {
    assert.deepEqual(problems, []);
  });
});
