import DownloadIcon from '@mui/icons-material/Download';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useMutation } from '@tanstack/react-query';
import type { MouseEvent } from 'react';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { auditCsvHref, getAuditCsv, type AuditFilters } from '../../../api/audit.ts';

/**
 * "Export CSV": a real link to the filtered rows (open it in a new tab, copy it), and a plain click
 * fetches them through the panel's client, so the user's token goes with it in per-user mode, and
 * hands them to the browser as a download.
 */
export function ExportCsv({ filters, fileName }: { filters: AuditFilters; fileName: string }) {
  const { api, apiBase } = usePanelConfig();
  const download = useMutation({
    mutationFn: () => getAuditCsv(api, filters),
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
  });
  return (
    <Stack sx={{ gap: 1, alignItems: 'flex-end', flexShrink: 0 }}>
      <Button
        component="a"
        href={auditCsvHref(apiBase, filters)}
        onClick={(e: MouseEvent) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
          e.preventDefault();
          download.mutate();
        }}
        loading={download.isPending}
        variant="outlined"
        size="small"
        startIcon={<DownloadIcon />}
        sx={{ whiteSpace: 'nowrap' }}
      >
        Export CSV
      </Button>
      {download.isError ? <ErrorAlert error={download.error} /> : null}
    </Stack>
  );
}
