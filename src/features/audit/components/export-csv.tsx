import DownloadIcon from '@mui/icons-material/Download';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useMutation } from '@tanstack/react-query';
import { getAuditCsv, type AuditFilters } from '../../../api/panel.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useApi } from '../../../lib/panel-config.tsx';

const FILE_NAME = 'katapult-panel-audit.csv';

/**
 * "Export CSV": the filtered rows, fetched through the panel's client (so the user's token goes with
 * it in per-user mode) and handed to the browser as a download.
 */
export function ExportCsv({ filters }: { filters: AuditFilters }) {
  const api = useApi();
  const download = useMutation({
    mutationFn: () => getAuditCsv(api, filters),
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const a = Object.assign(document.createElement('a'), { href: url, download: FILE_NAME });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
  });
  return (
    <Stack sx={{ gap: 1, alignItems: 'flex-end', flexShrink: 0 }}>
      <Button
        component="a"
        href="#export-csv"
        role="link"
        onClick={(e: React.MouseEvent) => {
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
