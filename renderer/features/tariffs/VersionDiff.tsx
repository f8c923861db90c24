/** Two versions of a plan side by side: only the fields that differ, with money formatted. */
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TariffPlanDetail } from '../../../core/api/billing-types';
import { formatMoney } from '../../../core/domain/billing/money';
import type { FreeQuota, Tier } from '../../../core/domain/billing/tariff';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useQuery } from '../../hooks/useCommand';
import { isMoneyField } from './tariffForm';

const kindLabel = (t: TFunction, kind: string) => t(`tariffs.kinds.${kind}` as 'tariffs.kinds.notification', { defaultValue: kind });

/** A changed field's name as a billing admin reads it: 'usagePrices.missed-detail' → 'Price: Detail query SMS'. */
export function fieldLabel(t: TFunction, field: string): string {
  const [head, kind] = field.split('.');
  if (kind && (head === 'usagePrices' || head === 'tiers')) return `${t(`tariffs.diffFields.${head}`)}: ${kindLabel(t, kind)}`;
  return t(`tariffs.diffFields.${head}` as 'tariffs.diffFields.monthlyRent', { defaultValue: field });
}

/** A value of a version field, formatted: money in the plan's currency, kinds by name, caps "none". */
export function fieldValue(t: TFunction, field: string, value: unknown, currency: string): string {
  if (value === undefined) return '—';
  if (value === null) return isMoneyField(field) ? t('tariffs.noCap') : '—';
  if (isMoneyField(field) && typeof value === 'number') return formatMoney(value, currency);
  const head = field.split('.')[0];
  if (head === 'tiers' && Array.isArray(value)) {
    return (value as Tier[])
      .map((tier) => t('tariffs.tierText', { after: tier.after, price: formatMoney(tier.price, currency) }))
      .join('; ');
  }
  if (head === 'freeKinds' && Array.isArray(value)) return (value as string[]).map((k) => kindLabel(t, k)).join(t('common.listSeparator'));
  if (head === 'freeQuota' && Array.isArray(value)) {
    if (value.length === 0) return t('tariffs.noQuotaShort');
    return (value as FreeQuota[])
      .map((q) => t('tariffs.quotaText', { units: q.units, kinds: q.kinds.map((k) => kindLabel(t, k)).join(t('common.listSeparator')) }))
      .join('; ');
  }
  if (head === 'thresholds' && Array.isArray(value)) return (value as number[]).map((p) => `${p}%`).join(', ');
  if (head === 'rentProration' && typeof value === 'string')
    return t(`tariffs.proration.${value}.label` as 'tariffs.proration.daily.label');
  if (head === 'rounding' && typeof value === 'string') return t(`tariffs.rounding.${value}` as 'tariffs.rounding.half-up');
  if (head === 'status' && typeof value === 'string') return t(`tariffs.status.${value}` as 'tariffs.status.draft');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function VersionDiffPanel({ detail }: { detail: TariffPlanDetail }) {
  const { t } = useTranslation();
  const numbers = detail.versions.map((v) => v.number).sort((a, b) => a - b);
  const [from, setFrom] = useState(numbers[numbers.length - 2] ?? numbers[0]!);
  const [to, setTo] = useState(numbers[numbers.length - 1]!);
  const valid = numbers.includes(from) && numbers.includes(to) && from !== to;
  const diff = useQuery('tariffs/diff', { id: detail.id, from, to }, { enabled: valid });

  const picker = (label: string, value: number, onValue: (n: number) => void, testId: string) => (
    <TextField
      select
      size="small"
      label={label}
      value={value}
      onChange={(e) => onValue(Number(e.target.value))}
      sx={{ minWidth: 160 }}
      slotProps={{ htmlInput: { 'data-testid': testId } }}
    >
      {numbers.map((n) => (
        <MenuItem key={n} value={n}>
          {t('tariffs.versionN', { number: n })}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="tariff-diff">
      <Typography variant="h4">{t('tariffs.diff.title')}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2, mt: 0.25 }}>
        {t('tariffs.diff.description')}
      </Typography>
      {numbers.length < 2 ? (
        <Typography variant="body2" color="text.secondary">
          {t('tariffs.diff.needTwo')}
        </Typography>
      ) : (
        <>
          <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
            {picker(t('tariffs.diff.from'), from, setFrom, 'tariff-diff-from')}
            {picker(t('tariffs.diff.to'), to, setTo, 'tariff-diff-to')}
          </Stack>
          {!valid && (
            <Typography variant="body2" color="text.secondary">
              {t('tariffs.diff.pickTwo')}
            </Typography>
          )}
          {valid && diff.error && <ErrorAlert error={diff.error} onRetry={diff.reload} />}
          {valid && diff.loading && <LoadingState />}
          {valid && diff.data && diff.data.from === from && diff.data.to === to && (
            <Box>
              {diff.data.changes.length === 0 ? (
                <Typography variant="body2" color="text.secondary" data-testid="tariff-diff-same">
                  {t('tariffs.diff.same')}
                </Typography>
              ) : (
                <Table size="small" data-testid="tariff-diff-table">
                  <TableHead>
                    <TableRow>
                      <TableCell>{t('tariffs.diff.field')}</TableCell>
                      <TableCell>{t('tariffs.versionN', { number: from })}</TableCell>
                      <TableCell>{t('tariffs.versionN', { number: to })}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {diff.data.changes.map((change) => (
                      <TableRow key={change.field} data-testid={`tariff-diff-row-${change.field}`}>
                        <TableCell sx={{ fontWeight: 500 }}>{fieldLabel(t, change.field)}</TableCell>
                        <TableCell sx={{ color: 'error.main', textDecoration: change.before === undefined ? 'none' : 'line-through' }}>
                          {fieldValue(t, change.field, change.before, detail.currency)}
                        </TableCell>
                        <TableCell sx={{ color: 'success.main', fontWeight: 500 }}>
                          {fieldValue(t, change.field, change.after, detail.currency)}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </Box>
          )}
        </>
      )}
    </Paper>
  );
}
