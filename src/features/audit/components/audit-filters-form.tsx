import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { ApiError } from '../../../api/api-error.ts';
import { OUTCOME_FILTERS } from '../use-audit.ts';
import { filterFormSchema, OUTCOME_LABELS, toFormValues, type FilterFormValues } from '../audit-filters.ts';
import type { AuditFilters } from '../../../api/audit.ts';
import { presetRange, PRESET_LABELS, zoneName, type AuditZone, type Preset } from '../audit-zone.ts';

interface AuditFiltersFormProps {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  /** The server's 400 invalid_audit_filter, shown on the field it names. */
  rejected: ApiError | null;
  /** The zone the dates are typed in (and the presets count in). */
  zone: AuditZone;
}

interface FieldSpec {
  name: Exclude<keyof FilterFormValues, 'outcome'>;
  label: string;
  hint: string;
  type?: 'date';
  mono?: boolean;
}

const TEXT_FIELDS: FieldSpec[] = [
  { name: 'vm', label: 'VM', hint: 'Id or part of the name', mono: true },
  { name: 'interface', label: 'Interface', hint: 'Interface id', mono: true },
  { name: 'user', label: 'User', hint: 'Exact, as recorded' },
];
const DATE_FIELDS: FieldSpec[] = [
  { name: 'from', label: 'From', hint: 'YYYY-MM-DD, from the start of the day', type: 'date' },
  { name: 'to', label: 'To', hint: 'YYYY-MM-DD, to the end of the day', type: 'date' },
];

const EMPTY: AuditFilters = {};

/** The filter bar: typed values are checked by the schema, then become the URL's filters. */
export function AuditFiltersForm({ filters, onApply, rejected, zone }: AuditFiltersFormProps) {
  // The form follows the filters (back/forward, a link) without losing focus.
  const values = useMemo(() => toFormValues(filters), [filters]);
  const { control, handleSubmit, reset } = useForm<FilterFormValues, unknown, AuditFilters>({
    resolver: zodResolver(filterFormSchema),
    values,
    mode: 'onSubmit',
  });
  const badParameter = typeof rejected?.detail.parameter === 'string' ? rejected.detail.parameter : undefined;
  const serverMessage = (name: string) => (badParameter === name ? (rejected?.description ?? 'Not accepted by the server.') : undefined);

  const textField = (spec: FieldSpec) => (
    <Controller
      key={spec.name}
      name={spec.name}
      control={control}
      render={({ field, fieldState }) => {
        const message = fieldState.error?.message ?? serverMessage(spec.name);
        return (
          <TextField
            {...field}
            size="small"
            label={spec.label}
            // A text field, not the browser's date input: a mistyped date is kept and said to be wrong, never dropped.
            type="text"
            error={message !== undefined}
            helperText={message ?? (spec.type === 'date' ? `${spec.hint} (${zoneName(zone)})` : spec.hint)}
            sx={{ width: spec.type === 'date' ? 200 : 180 }}
            slotProps={{
              inputLabel: spec.type === 'date' ? { shrink: true } : {},
              htmlInput: { spellCheck: false, autoComplete: 'off', ...(spec.type === 'date' ? { placeholder: 'YYYY-MM-DD', inputMode: 'numeric' } : {}) },
              input: spec.mono ? { sx: { fontFamily: 'monospace' } } : {},
            }}
          />
        );
      }}
    />
  );

  return (
    <Stack
      component="form"
      noValidate
      aria-label="Audit log filters"
      onSubmit={(e) => void handleSubmit(onApply)(e)}
      direction="row"
      useFlexGap
      sx={{ flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start' }}
    >
      {TEXT_FIELDS.map(textField)}
      <Controller
        name="outcome"
        control={control}
        render={({ field }) => {
          const message = serverMessage('outcome');
          return (
            <TextField
              {...field}
              select
              size="small"
              label="Outcome"
              error={message !== undefined}
              helperText={message ?? ' '}
              sx={{ width: 200 }}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
            >
              <option value="">Any outcome</option>
              {OUTCOME_FILTERS.map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_LABELS[o]}
                </option>
              ))}
            </TextField>
          );
        }}
      />
      {DATE_FIELDS.map(textField)}
      <Stack direction="row" spacing={1} sx={{ pt: 0.25 }}>
        <Button type="submit" variant="contained" size="medium">
          Apply filters
        </Button>
        <Button
          type="button"
          variant="text"
          onClick={() => {
            reset(toFormValues(EMPTY));
            onApply(EMPTY);
          }}
        >
          Clear filters
        </Button>
      </Stack>
      <Stack direction="row" role="group" aria-label="Date presets" spacing={1} sx={{ flexBasis: '100%' }}>
        {(Object.keys(PRESET_LABELS) as Preset[]).map((p) => (
          <Button key={p} size="small" variant="outlined" onClick={() => onApply({ ...filters, ...presetRange(p, zone, Date.now()) })}>
            {PRESET_LABELS[p]}
          </Button>
        ))}
      </Stack>
    </Stack>
  );
}
