/**
 * The audit's part in the proxy: before a speed change leaves, write its record (what Katapult says
 * the interface is now, else what the panel reported); after the answer, its task id or error code;
 * on every relayed task answer, the task's state. The proxy calls these three at its hook points.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import {
  changeContextOf,
  changeOf,
  errorAnswer,
  interfaceAnswer,
  taskAnswer,
  userOf,
} from './context.ts';
import type { AuditStore, ChangeRecord } from './store.ts';

/** Path (relative to the API base) of the speed change that is audited, and of the task answers that end it. */
export const CHANGE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
export const TASK_PATH = '/tasks/task';
export const INTERFACE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface';

/** The interface read by id with the same credentials as the change: an answer, or undefined if there was none. */
export type ReadInterface = (query: string) => Promise<{ status: number; body: Buffer | string } | undefined>;

export class AuditUnavailable extends Error {
  override name = 'AuditUnavailable';
}

const json = (body: Buffer | string): unknown => {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return undefined;
  }
};

const defined = <T extends Record<string, string | undefined>>(o: T) =>
  Object.values(o).some((v) => v !== undefined) ? o : undefined;

export interface ChangeAudit {
  /**
   * Records the change about to be forwarded and returns its audit id. Throws AuditUnavailable when
   * the record cannot be written: the caller then answers 503 and does not forward.
   */
  beforeChange(req: FastifyRequest, readInterface: ReadInterface): Promise<string>;
  /** The PATCH's answer (an unreadable one is left as `pending`: outcome not seen). */
  afterChange(id: string, status: number, body: Buffer | string, log: FastifyBaseLogger): Promise<void>;
  /** The change could not reach Katapult at all (refused connection): rejected with the panel's own code. */
  notSent(id: string, errorCode: string, log: FastifyBaseLogger): Promise<void>;
  /** A relayed GET /tasks/task answer. */
  afterTask(status: number, body: Buffer | string, log: FastifyBaseLogger): Promise<void>;
}

export function createChangeAudit(store: AuditStore, trustedUserHeader: string | undefined): ChangeAudit {
  return {
    async beforeChange(req, readInterface) {
      const change = changeOf(req.body);
      // Only a well-formed change is forwarded by the proxy; this is its record's subject.
      const interfaceId = change?.interfaceId ?? '';
      const panel = changeContextOf(req.headers);
      const record: ChangeRecord = {
        user: userOf(req.headers, trustedUserHeader),
        interfaceId,
        vm: defined({ id: panel.vm_id, name: panel.vm_name }),
        network: defined({ id: panel.network_id, name: panel.network_name }),
        fromProfile: defined({ id: panel.from_profile_id, name: panel.from_profile_name }),
        fromSource: 'panel',
        toProfile: { ...change?.toProfile, name: panel.to_profile_name },
      };
      if (interfaceId) {
        try {
          const answer = await readInterface(`?virtual_machine_network_interface%5Bid%5D=${encodeURIComponent(interfaceId)}`);
          const parsed = answer && answer.status === 200 ? interfaceAnswer.safeParse(json(answer.body)) : undefined;
          if (parsed?.success) {
            const nic = parsed.data.virtual_machine_network_interface;
            const network = nic.network ?? nic.virtual_network;
            record.vm = { id: nic.virtual_machine?.id ?? panel.vm_id, name: nic.virtual_machine?.name ?? panel.vm_name };
            record.network = { id: network?.id ?? panel.network_id, name: network?.name ?? panel.network_name };
            record.fromProfile = nic.speed_profile ? { id: nic.speed_profile.id, name: nic.speed_profile.name } : undefined;
            record.fromSource = 'katapult';
          }
        } catch (e) {
          req.log.warn({ reason: e instanceof Error ? e.message : String(e) }, 'audit: interface read failed, using the panel’s values');
        }
      }
      try {
        return await store.recordChange(record);
      } catch (e) {
        req.log.error({ err: e }, 'audit: the change could not be recorded; not forwarded');
        throw new AuditUnavailable('audit record not written', { cause: e });
      }
    },

    async afterChange(id, status, body, log) {
      const parsed = json(body);
      let answer: Parameters<AuditStore['recordAnswer']>[1] | undefined;
      if (status >= 200 && status < 300) {
        const t = taskAnswer.safeParse(parsed);
        if (t.success) answer = { taskId: t.data.task.id, ...(t.data.task.status ? { status: t.data.task.status } : {}) };
      } else {
        const code = errorAnswer.safeParse(parsed);
        answer = { errorCode: code.success ? code.data : `http_${status}` };
      }
      if (!answer) return;
      // The change has been made (or refused) by now: a failure here is logged, the answer still relayed.
      await store.recordAnswer(id, answer).catch((e: unknown) => log.error({ err: e, auditId: id }, 'audit: answer not recorded'));
    },

    async notSent(id, errorCode, log) {
      await store.recordAnswer(id, { errorCode }).catch((e: unknown) => log.error({ err: e, auditId: id }, 'audit: answer not recorded'));
    },

    async afterTask(status, body, log) {
      if (status !== 200) return;
      const t = taskAnswer.safeParse(json(body));
      if (!t.success || !t.data.task.status) return;
      await store
        .recordTaskState(t.data.task.id, t.data.task.status)
        .catch((e: unknown) => log.warn({ err: e }, 'audit: task state not recorded'));
    },
  };
}
