/**
 * Fault matrix, input: every odd value is refused on its field with a reason, and nothing is sent.
 * The full table of values and messages is a Vitest table test
 * (src/features/interface-lookup/__tests__/lookup-schema.test.ts); this checks the same refusals
 * reach the page and the network stays quiet.
 */
import { DEMO } from '../mock/seed.ts';
import { ENDPOINTS, expect, test } from './fixtures.ts';

const ODD_VM_VALUES: [string, string, RegExp][] = [
  ['empty', '', /Enter the virtual machine/],
  ['only spaces', '    ', /Enter the virtual machine/],
  ['a Cyrillic look-alike', 'vm_t8yоmYsG4bccKw5D', /U\+043E.*look-alike/],
  ['a zero-width space', 'vm_t8yomYsG4\u200bbccKw5D', /invisible character \(U\+200B\)/],
  ['a 10 kB paste', 'vm_' + 'a'.repeat(10 * 1024), /10,243 characters/],
  ['vm_ alone', 'vm_', /VM id is incomplete/],
  ['a script tag', '<script>alert(1)</script>', /contains “.” \(U\+003[CE]\), which no id or name can contain/],
];

test('refuses every odd VM value on its field with a reason, and sends no request', async ({ page, mock }) => {
  await page.goto('/');
  const vm = page.getByRole('textbox', { name: 'Virtual machine' });
  await page.getByRole('textbox', { name: 'Network' }).fill(DEMO.network);
  for (const [what, value, message] of ODD_VM_VALUES) {
    await vm.fill(value);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(vm, what).toHaveAttribute('aria-invalid', 'true');
    await expect(vm, what).toHaveAccessibleDescription(message);
  }
  expect(await mock.requests(ENDPOINTS.lookup)).toEqual([]);
  expect(await mock.requests(ENDPOINTS.vm)).toEqual([]);
});

test('accepts an FQDN with a trailing dot and a pasted URL, sending the cleaned value once each', async ({ page, mock }) => {
  await page.goto('/');
  const vm = page.getByRole('textbox', { name: 'Virtual machine' });
  await page.getByRole('textbox', { name: 'Network' }).fill(DEMO.networkPermalink);
  await vm.fill(`${DEMO.vmFqdn}.`);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.getByRole('region', { name: 'Network interface' })).toContainText(DEMO.mac);
  await vm.fill(`https://my.katapult.io/organizations/acme/vms/${DEMO.vm}`);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect.poll(async () => (await mock.requests(ENDPOINTS.lookup)).length).toBe(2);
  const sent = (await mock.requests(ENDPOINTS.lookup)).map((r) => r.query);
  expect(sent).toEqual([
    { 'virtual_machine[fqdn]': DEMO.vmFqdn, 'network[permalink]': DEMO.networkPermalink },
    { 'virtual_machine[id]': DEMO.vm, 'network[permalink]': DEMO.networkPermalink },
  ]);
});
