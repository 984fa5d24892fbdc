import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../../mock/seed.ts';
import { getDb } from '../../../../mock/db.ts';
import { ApiError } from '../../../api/api-error.ts';
import { createApiClient, type ApiClient } from '../../../api/client.ts';
import { lookupFormSchema, readLookupParams } from '../lookup-schema.ts';
import * as z from 'zod/mini';
import { getIpAddress } from '../../../api/ip-addresses.ts';

// Made once msw is listening: openapi-fetch keeps the fetch it was created with.
let api: ApiClient;
beforeAll(() => {
  api = createApiClient({ baseUrl: 'http://panel.test/api' });
});
const failure = (address: string) => getIpAddress(api, address).then(() => undefined, (e: unknown) => e as ApiError);

describe('starting from an IP address', () => {
  it('finds the VM and network of an interface’s IPv4 and IPv6 address (the spec’s allocation shape)', async () => {
    for (const address of [DEMO.ipv4, DEMO.ipv6]) {
      const found = await getIpAddress(api, address);
      expect(found.target).toEqual({ vm: { kind: 'id', value: DEMO.vm }, network: { kind: 'id', value: DEMO.network } });
      expect(found.vm.name).toBe('web-01');
    }
  });

  it('reads the live API’s {type, value} allocation shape', async () => {
    const found = await getIpAddress(api, DEMO.ipLiveShape);
    expect(found.target.vm.value).toMatch(/^vm_/);
    expect(found.vm.name).toBeTruthy();
  });

  it.each([
    [DEMO.ipUnknown, 'ip_address_not_found', 404],
    [DEMO.ipUnallocated, 'ip_address_not_allocated', 200],
    [DEMO.ipLoadBalancer, 'ip_address_not_on_a_vm', 200],
    [DEMO.ipNoNetwork, 'ip_address_without_network', 200],
  ])('explains %s with %s', async (address, code, status) => {
    const e = await failure(address);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code, status });
  });

  it('says what a load balancer’s address is allocated to', async () => {
    expect((await failure(DEMO.ipLoadBalancer))?.detail).toMatchObject({ allocation_type: 'LoadBalancer', allocation_name: 'web-frontend-lb' });
  });

  it('shows 403 scope_not_granted as Katapult’s error', async () => {
    getDb().addFaults([{ endpoint: '/ip_addresses/ip_address', status: 403, code: 'scope_not_granted', times: 1 }]);
    expect(await failure(DEMO.ipv4)).toMatchObject({ code: 'scope_not_granted', status: 403 });
  });

  it('takes an address in the VM field without a network, and ?ip= as its deep link', () => {
    const form = z.safeParse(lookupFormSchema, { vm: ` ${DEMO.ipv6} `, vmKind: 'auto', network: '', networkKind: 'auto' });
    expect(form.data).toEqual({ ip: DEMO.ipv6 });
    expect(readLookupParams({ ip: DEMO.ipv4 }).lookup).toEqual({ ip: DEMO.ipv4 });
    expect(readLookupParams({ ip: '999.1.1.1' }).lookup).toBeUndefined();
  });
});
