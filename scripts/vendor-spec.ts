/**
 * Extracts the part of Katapult's published OpenAPI description that the panel uses:
 * the endpoints listed in ../shared/katapult/README.md (with only the methods we call)
 * and every component they reference, transitively. Re-run when Katapult publishes a new spec:
 *   npm run gen:api   (vendors, then regenerates protocol/katapult.gen.ts)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const source = resolve(process.argv[2] ?? '../shared/katapult/katapult-core-openapi.json');
const target = resolve('spec/katapult-core-openapi.subset.json');

/** path -> methods the panel calls. The server's proxy allowlist is derived from this file too. */
const USED: Record<string, string[]> = {
  '/virtual_machines/virtual_machine/networks/network/interface': ['get'],
  '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile': ['patch'],
  '/tasks/task': ['get'],
  '/virtual_machine_network_interfaces/virtual_machine_network_interface': ['get'],
  '/organizations/organization/network_speed_profiles': ['get'],
  '/virtual_machines/virtual_machine': ['get'],
  '/virtual_machines/virtual_machine/network_interfaces': ['get'],
  '/ip_addresses/ip_address': ['get'],
  '/organizations/organization/virtual_machines': ['get'],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const spec = JSON.parse(readFileSync(source, 'utf8')) as Obj;
const paths = spec.paths;
const components = spec.components;
if (!isObj(paths) || !isObj(components)) throw new Error(`${source} has no paths/components`);

const outPaths: Obj = {};
for (const [path, methods] of Object.entries(USED)) {
  const item = paths[path];
  if (!isObj(item)) throw new Error(`The spec no longer has ${path}`);
  const kept: Obj = {};
  for (const m of methods) {
    const op = item[m];
    if (!isObj(op)) throw new Error(`The spec no longer has ${m.toUpperCase()} ${path}`);
    kept[m] = op;
  }
  outPaths[path] = kept;
}

// Follow $refs transitively.
const wanted = new Map<string, Set<string>>();
const queue: Json[] = [outPaths];
const visit = (node: Json) => {
  if (Array.isArray(node)) node.forEach((n) => queue.push(n));
  else if (isObj(node)) {
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
      if (!m) throw new Error(`Unsupported $ref ${ref}`);
      const [, kind, name] = m as unknown as [string, string, string];
      const set = wanted.get(kind) ?? new Set<string>();
      if (!set.has(name)) {
        set.add(name);
        wanted.set(kind, set);
        const section = components[kind];
        const target = isObj(section) ? section[name] : undefined;
        if (target === undefined) throw new Error(`Dangling $ref ${ref}`);
        queue.push(target);
      }
    }
    Object.values(node).forEach((n) => queue.push(n));
  }
};
while (queue.length) visit(queue.pop() as Json);

const outComponents: Obj = {};
for (const kind of [...wanted.keys()].sort()) {
  const section = components[kind] as Obj;
  const names = [...(wanted.get(kind) ?? [])].sort();
  outComponents[kind] = Object.fromEntries(names.map((n) => [n, section[n] as Json]));
}
if (isObj(components.securitySchemes)) outComponents.securitySchemes = components.securitySchemes;

const out: Obj = {
  openapi: spec.openapi ?? '3.0.0',
  info: spec.info ?? {},
  servers: spec.servers ?? [],
  paths: outPaths,
  components: outComponents,
  security: spec.security ?? [],
};
writeFileSync(target, JSON.stringify(out, null, 2) + '\n');
const count = [...wanted.values()].reduce((n, s) => n + s.size, 0);
console.log(`vendored ${Object.keys(outPaths).length} paths and ${count} components into ${target}`);
