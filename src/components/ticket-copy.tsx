import type { AuditEntry } from '../../protocol/audit.ts';
import { useKnownSpeeds } from '../api/profile-speeds.ts';
import { auditTicketChange, changeTicketText, type TicketChange } from '../lib/ticket-text.ts';
import { CopyButton } from './copy-button.tsx';

export interface ChangeTicketCopyProps {
  /** The change as the audit log records it. */
  entry: AuditEntry;
  /** What the panel knows beside the record: the interface's name, the IP address the lookup started from. */
  interfaceName?: string | undefined;
  ip?: string | undefined;
  /** What this tab has seen of it since the record was read (its task ended). */
  override?: Partial<TicketChange> | undefined;
}

/** button "Copy for ticket": one paragraph on the change (src/lib/ticket-text.ts), built when pressed. */
export function ChangeTicketCopy({ entry, interfaceName, ip, override }: ChangeTicketCopyProps) {
  const speedsOf = useKnownSpeeds();
  return (
    <CopyButton
      label="for ticket" what="ticket paragraph"
      showLabel
      text={() => changeTicketText({ ...auditTicketChange(entry, { speedsOf, interfaceName, ip }), ...override })}
    />
  );
}
