/**
 * The audit's part in the change path: before a speed change leaves, write its record (with what
 * the panel reported), then replace its names with Katapult's: the interface as Katapult says it is
 * now, and the target profile's name from the organization's profiles. After the answer, its task
 * id or error code; on every relayed task answer, the task's state. server/changes/route-hooks.ts
 * calls these from the change route's and the task route's Fastify hooks.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import {
  changeContextOf,
  errorAnswer,
  interfaceAnswer,
  speedProfilesPage,
  taskAnswer,
  userOf,
  virtualMachineAnswer,
  withoutControls,
  type DemoUser,
} from './context.ts';
import { ChangeInProgress, type AuditStore, type ChangeRecord } from './store.ts';

/** Path (relative to the API base) of the speed change that is audited, and of the task answers that end it. */
export const CHANGE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
export const TASK_PATH = '/tasks/task';
export const INTERFACE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface';
export const VM_PATH = '/virtual_machines/virtual_machine';
export const PROFILES_PATH = '/organizations/organization/network_speed_profiles';
/** Pages of the organization's profiles read at the most while looking for the target's name. */
const MAX_PROFILE_PAGES = 20;

/** The speed change's validated body (the proxy's route checks it against the spec before any hook runs). */
export interface ChangeBody {
  virtual_machine_network_interface: { id?: string | undefined };
  speed_profile: { id?: string | undefined; permalink?: string | undefined };
}

/** A GET of an allowlisted Katapult path with the change's own credentials (the proxy's `get`). */
export type ReadKatapult = (path: string, query: Record<string, string>) => Promise<{ status: number; json: unknown }>;

/** The follower's first look at a change's task, after its PATCH was answered. */
export const FIRST_LOOK_MS = 1000;

export class AuditUnavailable extends Error {
  override name = 'AuditUnavailable';
}

const defined = <T extends Record<string, string | undefined>>(o: T) =>
  Object.values(o).some((v) => v !== undefined) ? o : undefined;
/** A name from Katapult, as recorded: without control characters, undefined when nothing is left. */
const nameOf = (name: string | undefined) => (name === undefined ? undefined : withoutControls(name) || undefined);

/**
 * The target profile's name as Katapult gives it: the VM's organization, then its profiles, page by
 * page, until one has the change's id or permalink. Undefined when Katapult does not say.
 */
async function targetName(read: ReadKatapult, vmId: string, target: ChangeBody['speed_profile']): Promise<string | undefined> {
  const vm = await read(VM_PATH, { 'virtual_machine[id]': vmId });
  const machine = vm.status === 200 ? virtualMachineAnswer.safeParse(vm.json) : undefined;
  if (!machine?.success) return undefined;
  const organization = machine.data.virtual_machine.organization.id;
  for (let page = 1; page <= MAX_PROFILE_PAGES; page++) {
    const answer = await read(PROFILES_PATH, { 'organization[id]': organization, page: String(page), per_page: '100' });
    const parsed = answer.status === 200 ? speedProfilesPage.safeParse(answer.json) : undefined;
    if (!parsed?.success) return undefined;
    const found = parsed.data.network_speed_profiles.find((p) =>
      target.id !== undefined ? p.id === target.id : target.permalink !== undefined && p.permalink === target.permalink,
    );
    if (found) return nameOf(found.name);
    if (page >= (parsed.data.pagination?.total_pages ?? 1)) return undefined;
  }
  return undefined;
}

export interface ChangeAudit {
  /**
   * Records the change about to be forwarded and returns its audit id. Throws ChangeInProgress when
   * another change holds the interface, AuditUnavailable when the record cannot be written: the
   * caller then answers 409 or 503 and does not forward.
   */
  beforeChange(req: FastifyRequest, body: ChangeBody, read: ReadKatapult): Promise<string>;
  /** Records a change the server refused itself (never forwarded), with what the panel reported. */
  refused(req: FastifyRequest, body: ChangeBody, errorCode: string): Promise<string>;
  /**
   * The PATCH's answer: a task (the follower takes it from there), or an error code, which ends the
   * record. A failure before the request reached Katapult (`neverSent`) ends it too; an answer lost
   * after it may have reached Katapult leaves it open, for the follower to settle.
   */
  afterChange(id: string, status: number, json: unknown, log: FastifyBaseLogger, failure?: { neverSent: boolean }): Promise<void>;
  /** A relayed GET /tasks/task answer. */
  afterTask(status: number, json: unknown, log: FastifyBaseLogger): Promise<void>;
}

export interface ChangeAuditOptions {
  trustedUserHeader: string | undefined;
  /** The server holding the change's follow lease while its PATCH is in flight. */
  follow?: { owner: string; leaseMs: number } | undefined;
  /** Demo mode: the browser's mock session, so each browser's interfaces are locked apart. */
  lockScope?: ((req: FastifyRequest) => string | undefined) | undefined;
  /** Demo mode: each browser's readable name. */
  demoUser?: DemoUser | undefined;
}

export function createChangeAudit(store: AuditStore, opts: ChangeAuditOptions): ChangeAudit {
  /** The record as the panel reported the change. */
  const panelRecord = (req: FastifyRequest, body: ChangeBody): ChangeRecord => {
    const panel = changeContextOf(req.headers);
    return {
      user: userOf(req.headers, opts.trustedUserHeader, opts.demoUser),
      interfaceId: body.virtual_machine_network_interface.id ?? '',
      vm: defined({ id: panel.vm_id, name: panel.vm_name }),
      network: defined({ id: panel.network_id, name: panel.network_name }),
      fromProfile: defined({ id: panel.from_profile_id, name: panel.from_profile_name }),
      fromSource: 'panel',
      toProfile: { id: body.speed_profile.id, permalink: body.speed_profile.permalink, name: panel.to_profile_name },
      lockScope: opts.lockScope?.(req),
    };
  };

  return {
    async beforeChange(req, body, read) {
      const record = panelRecord(req, body);
      // The record is written first: it takes the interface's lock, so a change that is refused
      // (409) costs Katapult no call at all.
      let id: string;
      try {
        id = await store.recordChange(record, opts.follow);
      } catch (e) {
        if (e instanceof ChangeInProgress) throw e;
        req.log.error({ err: e }, 'audit: the change could not be recorded; not forwarded');
        throw new AuditUnavailable('audit record not written', { cause: e });
      }
      if (!record.interfaceId) return id;
      try {
        const answer = await read(INTERFACE_PATH, { 'virtual_machine_network_interface[id]': record.interfaceId });
        const parsed = answer.status === 200 ? interfaceAnswer.safeParse(answer.json) : undefined;
        if (parsed?.success) {
          const nic = parsed.data.virtual_machine_network_interface;
          const network = nic.network ?? nic.virtual_network;
          const vmId = nic.virtual_machine?.id;
          // Every name in a record marked `katapult` is Katapult's: what the browser said is dropped,
          // and a name Katapult does not give (the target's, when its profiles cannot be read) stays empty.
          const toName = vmId ? await targetName(read, vmId, body.speed_profile).catch(() => undefined) : undefined;
          await store.recordKatapultView(id, {
            vm: { id: vmId, name: nameOf(nic.virtual_machine?.name) },
            network: { id: network?.id, name: nameOf(network?.name) },
            fromProfile: nic.speed_profile ? { id: nic.speed_profile.id, name: nameOf(nic.speed_profile.name) } : undefined,
            toProfileName: toName,
          });
        }
      } catch (e) {
        // The record exists with the panel's values (from_source `panel`), which is true of it.
        req.log.warn({ reason: e instanceof Error ? e.message : String(e) }, 'audit: interface read failed, using the panel’s values');
      }
      return id;
    },

    refused: (req, body, errorCode) => store.recordRefusal(panelRecord(req, body), errorCode),

    async afterChange(id, status, json, log, failure) {
      const at = (ms: number) => new Date(store.now().getTime() + ms);
      let answer: Parameters<AuditStore['recordAnswer']>[1];
      const code = errorAnswer.safeParse(json);
      if (failure && !failure.neverSent) {
        answer = { lost: true, nextAt: at(FIRST_LOOK_MS) };
      } else if (status >= 200 && status < 300) {
        const t = taskAnswer.safeParse(json);
        answer = t.success
          ? {
              taskId: t.data.task.id,
              task: { json: JSON.stringify(json), progress: t.data.task.progress },
              nextAt: at(FIRST_LOOK_MS),
              ...(t.data.task.status ? { status: t.data.task.status } : {}),
            }
          : { lost: true, nextAt: at(FIRST_LOOK_MS) };
      } else {
        answer = { errorCode: code.success ? code.data : `http_${status}` };
      }
      // The change has been made (or refused) by now: a failure here is logged, the answer still relayed.
      await store.recordAnswer(id, answer).catch((e: unknown) => log.error({ err: e, auditId: id }, 'audit: answer not recorded'));
    },

    async afterTask(status, json, log) {
      if (status !== 200) return;
      const t = taskAnswer.safeParse(json);
      if (!t.success || !t.data.task.status) return;
      await store
        .recordTaskState(t.data.task.id, t.data.task.status, { json: JSON.stringify(json), progress: t.data.task.progress })
        .catch((e: unknown) => log.warn({ err: e }, 'audit: task state not recorded'));
    },
  };
}
