import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, ORG } from '../../../../mock/seed.ts';
import { ApiError } from '../../../api/api-error.ts';
import { createApiClient, type ApiClient } from '../../../api/client.ts';
import { getOrganizationVms } from '../../../api/vm.ts';
import { requestsTo } from '../../../testing/test-utils.tsx';
import { matchVmsByName } from '../vm-by-name.ts';

// Made once msw is listening: openapi-fetch keeps the fetch it was created with.
let api: ApiClient;
beforeAll(() => {
  api = createApiClient({ baseUrl: 'http://panel.test/api' });
});

const ORG_VMS = '/organizations/organization/virtual_machines';

describe('an organization’s VMs', () => {
  it('lists every page, by sub-domain or by id', async () => {
    const bySubDomain = await getOrganizationVms(api, ORG.sub_domain.toUpperCase());
    expect(bySubDomain.map((v) => v.id)).toContain(DEMO.vm);
    expect(bySubDomain.map((v) => v.id)).toContain(DEMO.failingVm);
    const pages = requestsTo(ORG_VMS).map((r) => r.query);
    expect(pages.map((q) => q.page)).toEqual(['1', '2']);
    expect(pages[0]?.['organization[sub_domain]']).toBe(ORG.sub_domain);
    expect((await getOrganizationVms(api, ORG.id)).map((v) => v.id)).toEqual(bySubDomain.map((v) => v.id));
  });

  it('answers organization_not_found for an organization Katapult does not know', async () => {
    const e = await getOrganizationVms(api, 'nobody').then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('organization_not_found');
  });
});

describe('finding a VM by name', () => {
  const vms = [
    { id: 'vm_a', name: 'web-01', hostname: 'bitter-beautiful-mango', fqdn: 'bitter-beautiful-mango.acme.katapult.cloud' },
    { id: 'vm_b', name: 'Web-01', hostname: 'quiet-orange-river', fqdn: 'quiet-orange-river.acme.katapult.cloud' },
    { id: 'vm_c', name: 'db-02', hostname: 'silent-green-moth', fqdn: 'silent-green-moth.acme.katapult.cloud' },
  ];
  it.each([
    ['DB-02', ['vm_c']],
    [' db-02 ', ['vm_c']],
    ['Silent-Green-Moth', ['vm_c']],
    ['web-01', ['vm_a', 'vm_b']],
    ['web-99', []],
    ['', []],
  ])('%j matches %j', (typed, ids) => {
    expect(matchVmsByName(vms, typed).map((v) => v.id)).toEqual(ids);
  });
});
