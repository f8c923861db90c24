/** What-if: a draft version (as edited, saved or not) applied to a chosen cycle's usage, before publishing it. */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WhatIfReport } from '../../../core/api/billing-types';
import { formatMoney } from '../../../core/domain/billing/money';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { fromDraft, type VersionDraft } from './tariffForm';

function signed(fen: number, currency: string): string {
  return fen > 0 ? `+${formatMoney(fen, currency)}` : formatMoney(fen, currency);
}

export function WhatIfPanel({ planId, currency, draft }: { planId: string; currency: string; draft: VersionDraft }) {
  const { t } = useTranslation();
  const cycles = useQuery('billing/cycles', {});
  const run = useAction('tariffs/what-if');
  const [cycle, setCycle] = useState<string | null>(null);
  const [result, setResult] = useState<WhatIfReport | null>(null);
  const [invalid, setInvalid] = useState(false);
  // What-if compares a cycle that has ended (closed, or waiting for its close).
  const keys = (cycles.data ?? []).filter((c) => c.status !== 'open' || c.canClose).map((c) => c.key);
  const chosen = cycle ?? keys[0] ?? '';

  const simulate = async () => {
    const { version, errors } = fromDraft(draft, currency);
    setInvalid(Object.keys(errors).length > 0);
    if (Object.keys(errors).length > 0) return;
    const report = await run.run({ id: planId, cycle: chosen, draft: version, top: 10 }, { inline: true });
    setResult(report ?? null);
  };

  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="tariff-what-if">
      <Typography variant="h4">{t('tariffs.whatIf.title')}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2, mt: 0.25 }}>
        {t('tariffs.whatIf.description')}
      </Typography>
      {keys.length === 0 ? (
        <Typography variant="body2" color="text.secondary" data-testid="tariff-what-if-none">
          {t('tariffs.whatIf.noCycles')}
        </Typography>
      ) : (
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start', mb: 2 }}>
          <TextField
            select
            label={t('tariffs.whatIf.cycle')}
            value={chosen}
            onChange={(e) => setCycle(e.target.value)}
            sx={{ width: 180 }}
            slotProps={{ htmlInput: { 'data-testid': 'tariff-what-if-cycle' } }}
          >
            {keys.map((key) => (
              <MenuItem key={key} value={key}>
                {key}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="outlined" onClick={() => void simulate()} disabled={run.pending} data-testid="tariff-what-if-run">
            {t('tariffs.whatIf.run')}
          </Button>
        </Stack>
      )}
      {invalid && <Alert severity="warning">{t('tariffs.whatIf.fixFirst')}</Alert>}
      {run.error && <ErrorAlert error={run.error} />}
      {result && (
        <Box data-testid="tariff-what-if-result">
          <Typography variant="body1" sx={{ mb: 1 }}>
            {t('tariffs.whatIf.summary', {
              count: result.subscribers,
              cycle: result.cycle,
              actual: formatMoney(result.actual, currency),
              simulated: formatMoney(result.simulated, currency),
              difference: signed(result.difference, currency),
            })}
          </Typography>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('tariffs.whatIf.plan')}</TableCell>
                  <TableCell align="right">{t('tariffs.whatIf.subscribers')}</TableCell>
                  <TableCell align="right">{t('tariffs.whatIf.actual')}</TableCell>
                  <TableCell align="right">{t('tariffs.whatIf.simulated')}</TableCell>
                  <TableCell align="right">{t('tariffs.whatIf.difference')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {result.byPlan.map((row) => (
                  <TableRow key={row.planId}>
                    <TableCell>{row.planId}</TableCell>
                    <TableCell align="right">{row.subscribers}</TableCell>
                    <TableCell align="right">{formatMoney(row.actual, currency)}</TableCell>
                    <TableCell align="right">{formatMoney(row.simulated, currency)}</TableCell>
                    <TableCell align="right" sx={{ fontWeight: 600 }}>
                      {signed(row.difference, currency)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Table size="small" data-testid="tariff-what-if-affected">
              <TableHead>
                <TableRow>
                  <TableCell>{t('tariffs.whatIf.mostAffected')}</TableCell>
                  <TableCell align="right">{t('tariffs.whatIf.actual')}</TableCell>
                  <TableCell align="right">{t('tariffs.whatIf.simulated')}</TableCell>
                  <TableCell align="right">{t('tariffs.whatIf.difference')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {result.mostAffected.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={4} sx={{ color: 'text.secondary' }}>
                      {t('tariffs.whatIf.noneAffected')}
                    </TableCell>
                  </TableRow>
                )}
                {result.mostAffected.map((row) => (
                  <TableRow key={row.party}>
                    <TableCell>{row.party}</TableCell>
                    <TableCell align="right">{formatMoney(row.actual, currency)}</TableCell>
                    <TableCell align="right">{formatMoney(row.simulated, currency)}</TableCell>
                    <TableCell align="right" sx={{ fontWeight: 600 }}>
                      {signed(row.difference, currency)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        </Box>
      )}
    </Paper>
  );
}
