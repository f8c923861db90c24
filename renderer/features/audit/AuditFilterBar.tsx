import FilterAltOffOutlined from '@mui/icons-material/FilterAltOffOutlined';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { commands, type AuditOutcome } from '../../../core/api';
import { useCommandLabel } from '../../hooks/useLabels';
import { monoFontFamily } from '../../theme/theme';
import { emptyFilters, hasFilters, type AuditFilters } from './auditFilters';

const commandNames = Object.keys(commands).sort();
const outcomes: AuditOutcome[] = ['ok', 'denied', 'failed'];

export function AuditFilterBar({ filters, onChange }: { filters: AuditFilters; onChange(filters: AuditFilters): void }) {
  const { t } = useTranslation();
  const commandLabel = useCommandLabel();
  const set = <K extends keyof AuditFilters>(key: K, value: AuditFilters[K]) => onChange({ ...filters, [key]: value });
  return (
    <Box
      role="search"
      sx={{ display: 'grid', gap: 1.5, mb: 2, alignItems: 'center', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(6, 1fr)' } }}
    >
      <TextField
        sx={{ gridColumn: 'span 2' }}
        label={t('audit.filters.text')}
        value={filters.text}
        onChange={(e) => set('text', e.target.value)}
        slotProps={{
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchOutlined fontSize="small" />
              </InputAdornment>
            ),
          },
          htmlInput: { 'data-testid': 'audit-filter-text', maxLength: 200 },
        }}
      />
      <TextField
        sx={{ gridColumn: 'span 1' }}
        label={t('audit.filters.actor')}
        value={filters.actor}
        onChange={(e) => set('actor', e.target.value)}
        slotProps={{ htmlInput: { 'data-testid': 'audit-filter-actor', maxLength: 64 } }}
      />
      <Autocomplete
        sx={{ gridColumn: { xs: 'span 1', md: 'span 2' } }}
        freeSolo
        options={commandNames}
        inputValue={filters.command}
        onInputChange={(_, value) => set('command', value)}
        renderOption={({ key, ...props }, option) => (
          <Box component="li" key={key} {...props} sx={{ display: 'block !important' }}>
            <Typography variant="body2">{commandLabel(option)}</Typography>
            <Typography variant="caption" color="text.secondary" sx={{ fontFamily: monoFontFamily }}>
              {option}
            </Typography>
          </Box>
        )}
        renderInput={(params) => (
          <TextField
            {...params}
            label={t('audit.filters.command')}
            slotProps={{
              ...params.slotProps,
              htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'audit-filter-command', maxLength: 64 },
            }}
          />
        )}
      />
      <TextField
        sx={{ gridColumn: 'span 1' }}
        select
        label={t('audit.filters.outcome')}
        value={filters.outcome}
        onChange={(e) => set('outcome', e.target.value as AuditOutcome | '')}
        slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'audit-filter-outcome' } }}
      >
        <option value="">{t('audit.filters.anyOutcome')}</option>
        {outcomes.map((o) => (
          <option key={o} value={o}>
            {t(`audit.outcome.${o}`)}
          </option>
        ))}
      </TextField>
      <TextField
        sx={{ gridColumn: { xs: 'span 1', md: 'span 2' } }}
        label={t('audit.filters.from')}
        type="datetime-local"
        value={filters.from}
        onChange={(e) => set('from', e.target.value)}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'audit-filter-from', max: filters.to || undefined } }}
      />
      <TextField
        sx={{ gridColumn: { xs: 'span 1', md: 'span 2' } }}
        label={t('audit.filters.to')}
        type="datetime-local"
        value={filters.to}
        onChange={(e) => set('to', e.target.value)}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'audit-filter-to', min: filters.from || undefined } }}
      />
      <Button
        sx={{ justifySelf: 'start' }}
        startIcon={<FilterAltOffOutlined />}
        onClick={() => onChange(emptyFilters)}
        disabled={!hasFilters(filters)}
        data-testid="audit-filter-clear"
      >
        {t('audit.filters.clear')}
      </Button>
    </Box>
  );
}
