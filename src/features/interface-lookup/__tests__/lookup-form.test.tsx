import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { errorFromBody } from '../../../api/api-error.ts';
import { resetDb } from '../../../../mock/db.ts';
import { DEMO } from '../../../../mock/seed.ts';
import { mockDb, renderWithProviders, requestsTo } from '../../../testing/test-utils.tsx';
import { LookupForm, type LookupFormProps } from '../components/lookup-form.tsx';
import { readLookupParams } from '../lookup-schema.ts';

/** The form's fields as the route's parse gives them for `?vm=&network=`. */
const fromUrl = (vm: string, network: string) => readLookupParams({ vm, network }).fields;

const VM_INTERFACES = '/virtual_machines/virtual_machine/network_interfaces';
const vmField = () => screen.getByRole('textbox', { name: 'Virtual machine' });
const networkField = () => screen.getByRole('textbox', { name: 'Network' });

async function renderForm(props: Partial<LookupFormProps> = {}) {
  const onSubmit = vi.fn();
  const r = await renderWithProviders(
    <LookupForm fields={{ vm: '', vmKind: 'auto', network: '', networkKind: 'auto' }} busy={false} onSubmit={onSubmit} {...props} />,
  );
  return { ...r, onSubmit };
}

/** Pastes, as staff do: one input event, however long the value. */
async function paste(user: UserEvent, field: HTMLElement, value: string) {
  await user.clear(field);
  await user.click(field);
  if (value !== '') await user.paste(value);
}

describe('the lookup form', { timeout: 20_000 }, () => {
  it.each([
    ['vm', DEMO.vm, 'Detected: VM id'],
    ['vm', DEMO.vmFqdn, 'Detected: FQDN'],
    ['network', DEMO.network, 'Detected: Network id'],
    ['network', DEMO.legacyNetwork, 'Detected: Network id'],
    ['network', DEMO.networkPermalink, 'Detected: Permalink'],
  ] as const)('shows what it detected in %s %j', async (which, value, hint) => {
    const { user } = await renderForm();
    const field = which === 'vm' ? vmField() : networkField();
    await paste(user, field, value);
    expect(field).toHaveAccessibleDescription(hint);
  });

  it('lets the user override the detection, and says so', async () => {
    const { user, onSubmit } = await renderForm();
    await paste(user, vmField(), DEMO.vm);
    await paste(user, networkField(), 'net_office');
    expect(networkField()).toHaveAccessibleDescription('Detected: Network id');
    // "Given as" is a menu at the end of the field.
    await user.click(screen.getByRole('button', { name: 'Network given as: Detect' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Permalink' }));
    expect(networkField()).toHaveAccessibleDescription('Given as: Permalink');
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    expect(onSubmit).toHaveBeenCalledWith({
      vm: { kind: 'id', value: DEMO.vm },
      network: { kind: 'permalink', value: 'net_office' },
    });
  });

  it.each([
    ['empty VM', '', DEMO.network, 'vm', /Enter the virtual machine/],
    ['whitespace VM', '   ', DEMO.network, 'vm', /Enter the virtual machine/],
    ['VM over 255 characters', `vm_${'x'.repeat(300)}`, DEMO.network, 'vm', /303 characters/],
    ['10 kB pasted into the VM', 'a'.repeat(10_240), DEMO.network, 'vm', /10,240 characters/],
    ['VM with a space', 'web 01.example.com', DEMO.network, 'vm', /contains a space/],
    ['VM with a look-alike', 'vm_t8yоmYsG4bccKw5D', DEMO.network, 'vm', /U\+043E.*look-alike/],
    ['vm_ alone', 'vm_', DEMO.network, 'vm', /VM id is incomplete/],
    ['an empty network for a VM Katapult does not know', 'vm_Unkn0wnVm0000001', '', 'network', /Enter the network/],
    ['network with bad characters', DEMO.vm, 'public/eu', 'network', /“\/”/],
  ] as const)('refuses %s with a message on the field', async (_name, vm, network, which, message) => {
    const { user, onSubmit } = await renderForm();
    await paste(user, vmField(), vm);
    await paste(user, networkField(), network);
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    const field = which === 'vm' ? vmField() : networkField();
    await waitFor(() => expect(field).toHaveAccessibleDescription(message));
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it.each([
    ['a trailing dot', `${DEMO.vmFqdn}.`, { kind: 'fqdn', value: DEMO.vmFqdn }],
    ['a pasted URL', `https://my.katapult.io/vms/${DEMO.vm}`, { kind: 'id', value: DEMO.vm }],
    ['surrounding whitespace', `  ${DEMO.vm}  `, { kind: 'id', value: DEMO.vm }],
  ] as const)('cleans up %s and submits', async (_name, raw, vm) => {
    const { user, onSubmit } = await renderForm();
    await paste(user, vmField(), raw);
    await paste(user, networkField(), DEMO.networkPermalink);
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    expect(onSubmit).toHaveBeenCalledWith({ vm, network: { kind: 'permalink', value: DEMO.networkPermalink } });
  });

  it('looks up a VM given alone on the one network its interfaces are on', async () => {
    const { user, onSubmit } = await renderForm();
    await paste(user, vmField(), DEMO.legacyVm);
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({ vm: { kind: 'id', value: DEMO.legacyVm }, network: { kind: 'id', value: DEMO.legacyNetwork } }),
    );
    expect(networkField()).toHaveValue(DEMO.legacyNetwork);
  });

  it('asks which network for a VM given alone on several, without an error', async () => {
    const { user, onSubmit } = await renderForm();
    await paste(user, vmField(), DEMO.vm);
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    const choices = await screen.findByRole('group', { name: 'Networks of this VM' });
    expect(choices).toHaveTextContent('This VM is on several networks. Which one?');
    expect(networkField()).not.toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
    await user.click(within(choices).getByRole('button', { name: /Private LAN/ }));
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({ vm: { kind: 'id', value: DEMO.vm }, network: { kind: 'id', value: DEMO.privateNetwork } }),
    );
  });

  it('offers the VMs of an organization that share a name, and goes on with the one picked', async () => {
    const db = mockDb();
    const twin = db.data.vms.find((v) => v.vm.id === DEMO.legacyVm)!;
    db.data.vms.push({ ...twin, vm: { ...twin.vm, id: 'vm_Tw1nLegacyVm00001', fqdn: 'other-owl.example.katapult.cloud' } });
    const { user, onSubmit } = await renderForm();
    await paste(user, screen.getByRole('textbox', { name: 'Organization' }), 'acme');
    await paste(user, vmField(), 'LEGACY-03');
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    const choices = await screen.findByRole('group', { name: 'Virtual machines with this name' });
    expect(choices).toHaveTextContent('Several VMs in acme are called LEGACY-03. Which one?');
    expect(vmField()).not.toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
    await user.click(within(choices).getByRole('button', { name: /ancient-grey-owl/ }));
    // The organization goes with the lookup, for its link to open the form as it was.
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({ vm: { kind: 'id', value: DEMO.legacyVm }, network: { kind: 'id', value: DEMO.legacyNetwork }, org: 'acme' }),
    );
  });

  it('says so on the Organization field when Katapult does not know it', async () => {
    const { user, onSubmit } = await renderForm();
    await paste(user, screen.getByRole('textbox', { name: 'Organization' }), 'nobody');
    await paste(user, vmField(), 'web-01');
    await user.click(screen.getByRole('button', { name: 'Look up' }));
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Organization' })).toHaveAccessibleDescription('Katapult has no organization nobody (organization_not_found).'),
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits on Enter', async () => {
    const { user, onSubmit } = await renderForm();
    await paste(user, vmField(), DEMO.vm);
    await user.type(networkField(), `${DEMO.networkPermalink}{Enter}`);
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('shows it is busy without blocking a newer lookup', async () => {
    const { user, onSubmit } = await renderForm({ busy: true, fields: fromUrl(DEMO.vm, DEMO.network) });
    const button = screen.getByRole('button', { name: 'Look up' });
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(button).toBeEnabled();
    await user.click(button);
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('offers the VM’s networks from every page once a VM is entered', async () => {
    resetDb('default', { maxPerPage: 1 });
    const { user, onSubmit } = await renderForm();
    expect(screen.queryByRole('group', { name: 'Networks of this VM' })).toBeNull();
    await paste(user, vmField(), DEMO.vm);
    await user.tab();
    const group = await screen.findByRole('group', { name: 'Networks of this VM' });
    expect(within(group).getByRole('button', { name: /Public Network \(London\)/ })).toBeInTheDocument();
    expect(requestsTo(VM_INTERFACES).map((r) => r.query.page)).toEqual(['1', '2']);
    await user.click(within(group).getByRole('button', { name: /Private LAN/ }));
    expect(onSubmit).toHaveBeenCalledWith({
      vm: { kind: 'id', value: DEMO.vm },
      network: { kind: 'id', value: DEMO.privateNetwork },
    });
  });

  it('offers the networks after a deep link, without the field being touched', async () => {
    await renderForm({ fields: fromUrl(DEMO.vm, DEMO.network) });
    const group = await screen.findByRole('group', { name: 'Networks of this VM' });
    expect(within(group).getByRole('button', { name: /Private LAN/ })).toBeInTheDocument();
    expect(vmField()).toHaveValue(DEMO.vm);
    expect(networkField()).toHaveValue(DEMO.network);
  });

  it('says why a deep link with an invalid value was not looked up', async () => {
    await renderForm({ fields: fromUrl('vm_', 'public') });
    await waitFor(() => expect(vmField()).toHaveAccessibleDescription(/VM id is incomplete/));
  });

  it('puts the override from the URL back into the form', async () => {
    await renderForm({ fields: fromUrl(DEMO.vm, 'permalink:net_office') });
    expect(networkField()).toHaveValue('net_office');
    expect(networkField()).toHaveAccessibleDescription('Given as: Permalink');
  });

  it.each([
    ['virtual_machine_not_found', 'vm', /no virtual machine with this id \(virtual_machine_not_found\)/],
    ['network_not_found', 'network', /no network with this id \(network_not_found\)/],
  ] as const)('attaches a 404 %s to its field until the value changes', async (code, which, message) => {
    const error = errorFromBody(404, JSON.stringify({ error: { code, description: 'x', detail: {} } }));
    const { user } = await renderForm({
      fields: fromUrl(DEMO.vm, DEMO.network),
      target: { vm: { kind: 'id', value: DEMO.vm }, network: { kind: 'id', value: DEMO.network } },
      lookupError: error,
    });
    const field = which === 'vm' ? vmField() : networkField();
    const other = which === 'vm' ? networkField() : vmField();
    expect(field).toHaveAccessibleDescription(message);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(other).toHaveAttribute('aria-invalid', 'false');
    await waitFor(() => expect(field).toHaveFocus());
    await user.type(field, 'x');
    expect(field).not.toHaveAccessibleDescription(message);
  });
});
