/**
 * Bill cycles: where a billing admin runs the month. Each cycle is rated as usage comes in (every minute, or now on
 * demand), closed once it has ended into one frozen statement per subscriber, and rerated after a tariff correction
 * (the differences become adjustments). The billing rules (close day, time zone, default plan, automatic close and
 * export, warning SMS) are set here too.
 */
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillingCycleInfo, BillingSettings, RatingRun, TariffPlanSummary } from '../../../core/api/billing-types';
import { addDays } from '../../../core/domain/billing/cycle';
import { defaultCurrency, formatMoney } from '../../../core/domain/billing/money';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fieldErrorText } from '../../components/fieldError';
import { FormDialog } from '../../components/FormDialog';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';
import { useStore } from '../../store';

const money = (fen: number) => formatMoney(fen, defaultCurrency);

type CycleState = 'open' | 'ended' | 'closing' | 'closed';

/** The rules this card edits (the export folder is set in Charge exports). */
type EditableRule = Exclude<keyof BillingSettings, 'exportDir'>;

/** Plans a subscriber can be billed on now: with a published version. */
function publishedPlans(plans: TariffPlanSummary[] | undefined): { id: string; name: string }[] {
  return (plans ?? []).filter((p) => p.versions.some((v) => v.status === 'published'));
}

/** The cycle's last day (its end is the next cycle's first day, at local midnight). */
function lastDay(cycle: BillingCycleInfo): string {
  return addDays(cycle.endDay, -1);
}

/** The close action's name: a close the core stopped in the middle resumes. */
const closeLabel = (cycle: BillingCycleInfo): 'cycles.resumeClose' | 'cycles.close' =>
  cycle.status === 'closing' ? 'cycles.resumeClose' : 'cycles.close';

function stateOf(cycle: BillingCycleInfo): CycleState {
  if (cycle.status === 'open') return cycle.canClose ? 'ended' : 'open';
  return cycle.status;
}

const stateColor: Record<CycleState, 'default' | 'warning' | 'info' | 'success'> = {
  open: 'info',
  ended: 'warning',
  closing: 'warning',
  closed: 'success',
};

export function BillCyclesScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const canManage = can('billing.manage');
  // Polled as well: a cycle ends (and can be closed) at its boundary, with no event to say so.
  const cycles = useQuery('billing/cycles', {}, { intervalMs: 60_000 });
  useCoreEvent('billing/changed', ({ what }) => {
    if (what === 'cycles') cycles.reload();
  });
  const [closing, setClosing] = useState<BillingCycleInfo | null>(null);
  const [rerating, setRerating] = useState<BillingCycleInfo | null>(null);
  const [lastRun, setLastRun] = useState<RatingRun | null>(null);
  const rate = useAction('billing/rate');
  const rateNow = async () => {
    const run = await rate.run({});
    if (run) {
      setLastRun(run);
      cycles.reload();
    }
  };
  const list = [...(cycles.data ?? [])].sort((a, b) => b.key.localeCompare(a.key));
  return (
    <Box data-testid="screen-bill-cycles" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader
        title={t('cycles.title')}
        subtitle={t('cycles.subtitle')}
        actions={
          canManage && (
            <Button
              variant="contained"
              startIcon={<PlayArrowOutlined />}
              onClick={rateNow}
              disabled={rate.pending}
              data-testid="cycles-rate"
            >
              {rate.pending ? t('cycles.rating') : t('cycles.rateNow')}
            </Button>
          )
        }
      />
      {lastRun && <RatingRunSummary run={lastRun} onClose={() => setLastRun(null)} />}
      {cycles.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={cycles.error} onRetry={cycles.reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ mb: 2, overflowX: 'auto' }}>
        {cycles.loading ? (
          <LoadingState />
        ) : (
          <CyclesTable cycles={list} canManage={canManage} onClose={setClosing} onRerate={setRerating} />
        )}
      </Paper>
      <BillingRulesCard canManage={canManage} />
      {closing && (
        <CloseCycleDialog
          cycle={closing}
          onDone={() => {
            setClosing(null);
            cycles.reload();
          }}
        />
      )}
      {rerating && <RerateDialog cycle={rerating} onClose={() => setRerating(null)} />}
    </Box>
  );
}

function CyclesTable({
  cycles,
  canManage,
  onClose,
  onRerate,
}: {
  cycles: BillingCycleInfo[];
  canManage: boolean;
  onClose(cycle: BillingCycleInfo): void;
  onRerate(cycle: BillingCycleInfo): void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const closedText = (at: number, by: string | null) => {
    const when = f.timestamp(at);
    if (by === null) return when;
    return t('cycles.closedBy', { at: when, by: by === 'system' ? t('cycles.system') : by });
  };
  return (
    <Table size="small" data-testid="cycles-table">
      <TableHead>
        <TableRow>
          <TableCell>{t('cycles.columns.cycle')}</TableCell>
          <TableCell>{t('cycles.columns.period')}</TableCell>
          <TableCell>{t('cycles.columns.state')}</TableCell>
          <TableCell align="right">{t('cycles.columns.statements')}</TableCell>
          <TableCell align="right">{t('cycles.columns.rent')}</TableCell>
          <TableCell align="right">{t('cycles.columns.usage')}</TableCell>
          <TableCell align="right">{t('cycles.columns.adjustments')}</TableCell>
          <TableCell align="right">{t('cycles.columns.total')}</TableCell>
          <TableCell align="right">{t('cycles.columns.laterAdjustments')}</TableCell>
          <TableCell align="right">{t('cycles.columns.unbilled')}</TableCell>
          <TableCell>{t('cycles.columns.closed')}</TableCell>
          {canManage && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {cycles.map((c) => {
          const state = stateOf(c);
          const closed = c.status === 'closed';
          return (
            <TableRow key={c.key} data-testid={`cycle-${c.key}`} data-state={state}>
              <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>{c.key}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{t('cycles.period', { from: c.startDay, to: lastDay(c) })}</TableCell>
              <TableCell>
                <Chip size="small" variant="outlined" color={stateColor[state]} label={t(`cycles.state.${state}`)} />
              </TableCell>
              <TableCell align="right">{closed || c.statements ? f.number(c.statements) : '—'}</TableCell>
              <TableCell align="right">{closed ? money(c.rent) : '—'}</TableCell>
              <TableCell align="right">{closed ? money(c.usage) : '—'}</TableCell>
              <TableCell align="right">{closed ? money(c.adjustments) : '—'}</TableCell>
              <TableCell align="right" data-testid={`cycle-${c.key}-total`}>
                {closed ? money(c.total) : '—'}
              </TableCell>
              <TableCell align="right">{c.laterAdjustments ? money(c.laterAdjustments) : '—'}</TableCell>
              <TableCell align="right" title={c.unbilledRecords ? t('cycles.unbilledHint') : undefined}>
                {c.unbilledRecords ? f.number(c.unbilledRecords) : '—'}
              </TableCell>
              <TableCell>{c.closedAt ? closedText(c.closedAt, c.closedBy) : '—'}</TableCell>
              {canManage && (
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {(state === 'ended' || state === 'closing') && (
                    <Button size="small" variant="contained" onClick={() => onClose(c)} data-testid={`cycle-${c.key}-close`}>
                      {t(closeLabel(c))}
                    </Button>
                  )}
                  {closed && (
                    <Button size="small" onClick={() => onRerate(c)} data-testid={`cycle-${c.key}-rerate`}>
                      {t('cycles.rerate')}
                    </Button>
                  )}
                </TableCell>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** Numbers listed in a rating run's summary; the rest are counted. */
const shownSkipped = 10;

/** What a "Rate now" did; numbers that could not be rated are listed with the reason (not a subscriber, no plan). */
function RatingRunSummary({ run, onClose }: { run: RatingRun; onClose(): void }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Alert severity={run.skipped.length ? 'warning' : 'success'} onClose={onClose} sx={{ mb: 2 }} data-testid="cycles-rate-result">
      <Typography variant="body2">
        {t('cycles.rated', { records: f.number(run.records), parties: f.number(run.parties), charged: money(run.charged) })}
        {run.lateRecords > 0 && ` ${t('cycles.late', { count: run.lateRecords })}`}
      </Typography>
      {run.skipped.length > 0 && (
        <>
          <Typography variant="body2" sx={{ mt: 1 }}>
            {t('cycles.skipped', { count: run.skipped.length })}
          </Typography>
          <Box component="ul" sx={{ my: 0.5, pl: 2.5 }}>
            {run.skipped.slice(0, shownSkipped).map((s) => (
              <li key={s.party} data-testid="cycles-skipped">
                <Typography variant="body2">
                  {t('cycles.skippedLine', {
                    party: s.party,
                    count: s.records,
                    reason: t(`cycles.skipReason.${s.code}`, { reason: s.reason }),
                  })}
                </Typography>
              </li>
            ))}
            {run.skipped.length > shownSkipped && (
              <li>
                <Typography variant="body2">{t('cycles.skippedMore', { count: run.skipped.length - shownSkipped })}</Typography>
              </li>
            )}
          </Box>
        </>
      )}
    </Alert>
  );
}

function CloseCycleDialog({ cycle, onDone }: { cycle: BillingCycleInfo; onDone(): void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const close = useAction('billing/close');
  const confirm = async () => {
    const info = await close.run({ cycle: cycle.key });
    if (info) onDone();
  };
  return (
    <ConfirmDialog
      open
      title={t('cycles.closeTitle', { cycle: cycle.key })}
      message={
        <Stack spacing={1}>
          <span>{t('cycles.closeMessage', { from: cycle.startDay, to: lastDay(cycle) })}</span>
          {close.pending && <Alert severity="info">{t('cycles.closing')}</Alert>}
          {cycle.status === 'closing' && !close.pending && <span>{t('cycles.resumeHint', { done: f.number(cycle.statements) })}</span>}
        </Stack>
      }
      confirmLabel={t(closeLabel(cycle))}
      pending={close.pending}
      onConfirm={confirm}
      onCancel={onDone}
    />
  );
}

function RerateDialog({ cycle, onClose }: { cycle: BillingCycleInfo; onClose(): void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useStore((s) => s.notify);
  const rerate = useAction('billing/rerate');
  const plans = useQuery('tariffs/list', {});
  const [reason, setReason] = useState('');
  const [msisdn, setMsisdn] = useState('');
  const [planId, setPlanId] = useState('');
  const [version, setVersion] = useState('');
  const published = (plans.data ?? []).find((p) => p.id === planId)?.versions.filter((v) => v.status === 'published') ?? [];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await rerate.run(
      {
        cycle: cycle.key,
        reason: reason.trim(),
        ...(msisdn.trim() ? { msisdn: msisdn.trim() } : {}),
        // A plan without its version is sent as it is: the core refuses it and names the version field.
        ...(planId ? { planId, ...(version ? { version: Number(version) } : {}) } : {}),
      },
      { inline: true },
    );
    if (!result) return;
    onClose();
    notify(
      'success',
      t('cycles.rerated', { parties: f.number(result.parties), adjustments: f.number(result.adjustments), total: money(result.total) }),
    );
  };
  const err = (field: string) => fieldErrorText(rerate.error, field);
  const other = rerate.error && !err('reason') && !err('msisdn') && !err('planId') && !err('version');
  return (
    <FormDialog
      title={t('cycles.rerateTitle', { cycle: cycle.key })}
      submitLabel={t('cycles.rerate')}
      pending={rerate.pending}
      onSubmit={submit}
      onClose={onClose}
      testId="rerate"
    >
      <Stack spacing={2} sx={{ pt: 1, minWidth: 460 }}>
        <Typography variant="body2" color="text.secondary">
          {t('cycles.rerateHint')}
        </Typography>
        {other && <ErrorAlert error={rerate.error} />}
        <TextField
          label={t('cycles.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={!!err('reason')}
          helperText={err('reason') ?? t('cycles.reasonHint')}
          multiline
          minRows={2}
          autoFocus
          slotProps={{ htmlInput: { 'data-testid': 'rerate-reason' } }}
        />
        <TextField
          label={t('cycles.msisdn')}
          value={msisdn}
          onChange={(e) => setMsisdn(e.target.value)}
          error={!!err('msisdn')}
          helperText={err('msisdn') ?? t('cycles.msisdnHint')}
          slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'rerate-msisdn' } }}
        />
        <Stack direction="row" spacing={1.5}>
          <TextField
            select
            label={t('cycles.correctionPlan')}
            value={planId}
            onChange={(e) => {
              setPlanId(e.target.value);
              setVersion('');
            }}
            error={!!err('planId')}
            helperText={err('planId') ?? t('cycles.correctionHint')}
            sx={{ flex: 1 }}
          >
            <MenuItem value="">{t('cycles.noCorrection')}</MenuItem>
            {publishedPlans(plans.data).map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.name}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label={t('cycles.correctionVersion')}
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            disabled={!planId}
            error={!!err('version')}
            helperText={err('version') ?? ' '}
            sx={{ width: 170 }}
          >
            {published.map((v) => (
              <MenuItem key={v.number} value={String(v.number)}>
                {t('cycles.versionOption', { number: v.number, from: v.effectiveFrom })}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
      </Stack>
    </FormDialog>
  );
}

/** The billing rules: the cycle's (fixed once usage has been rated; the core refuses the change then, and says why), the default plan and the switches. */
function BillingRulesCard({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const settings = useQuery('billing/settings', {});
  useCoreEvent('billing/changed', ({ what }) => {
    if (what === 'settings') settings.reload();
  });
  const save = useAction('billing/settings-update');
  const plans = useQuery('tariffs/list', {});
  // Only the fields changed here: the others follow the core (another admin, or the export folder set elsewhere).
  const [edits, setEdits] = useState<Partial<Pick<BillingSettings, EditableRule>>>({});
  if (!settings.data) return settings.error ? <ErrorAlert error={settings.error} onRetry={settings.reload} /> : null;
  const stored = settings.data;
  const draft: BillingSettings = { ...stored, ...edits };
  const edit = <K extends EditableRule>(field: K, value: BillingSettings[K]) => setEdits((e) => ({ ...e, [field]: value }));
  const changes = Object.fromEntries(Object.entries(edits).filter(([field, value]) => stored[field as EditableRule] !== value));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await save.run(changes, { inline: true, success: t('cycles.settingsSaved') });
    if (!result) return;
    setEdits({});
    settings.reload();
  };
  const err = (field: string) => fieldErrorText(save.error, field);
  const other = save.error && !['closeDay', 'timeZone', 'defaultPlan', 'autoExport'].some((field) => err(field));
  const toggle = (field: 'warningSms' | 'autoClose' | 'autoExport', testId: string, hint?: string | null) => (
    <FormControl error={!!err(field)}>
      <FormControlLabel
        control={
          <Switch
            checked={draft[field]}
            disabled={!canManage}
            onChange={(e) => edit(field, e.target.checked)}
            slotProps={{ input: { 'data-testid': testId } as object }}
          />
        }
        label={t(`cycles.settings.${field}`)}
      />
      {(err(field) ?? hint) && <FormHelperText sx={{ mt: -0.5 }}>{err(field) ?? hint}</FormHelperText>}
    </FormControl>
  );
  const defaultPlans = publishedPlans(plans.data);
  // The stored default, even before the plans load (a select needs its value among its options).
  if (draft.defaultPlan && !defaultPlans.some((p) => p.id === draft.defaultPlan))
    defaultPlans.push({ id: draft.defaultPlan, name: draft.defaultPlan });
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="form" onSubmit={submit} noValidate data-testid="cycles-settings">
      <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
        {t('cycles.settings.title')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t('cycles.settings.hint')}
      </Typography>
      {other && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={save.error} />
        </Box>
      )}
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mb: 1 }}>
        <TextField
          label={t('cycles.settings.closeDay')}
          type="number"
          value={draft.closeDay}
          disabled={!canManage}
          onChange={(e) => edit('closeDay', Number(e.target.value))}
          error={!!err('closeDay')}
          helperText={err('closeDay') ?? t('cycles.settings.closeDayHint')}
          sx={{ width: { md: 260 } }}
          slotProps={{ htmlInput: { min: 1, max: 28, 'data-testid': 'cycles-close-day' } }}
        />
        <TextField
          label={t('cycles.settings.timeZone')}
          value={draft.timeZone}
          disabled={!canManage}
          onChange={(e) => edit('timeZone', e.target.value)}
          error={!!err('timeZone')}
          helperText={err('timeZone') ?? t('cycles.settings.timeZoneHint')}
          sx={{ width: { md: 300 } }}
          slotProps={{ htmlInput: { 'data-testid': 'cycles-time-zone' } }}
        />
        <TextField
          select
          label={t('cycles.settings.defaultPlan')}
          value={draft.defaultPlan ?? ''}
          disabled={!canManage}
          onChange={(e) => edit('defaultPlan', e.target.value || null)}
          error={!!err('defaultPlan')}
          helperText={err('defaultPlan') ?? t('cycles.settings.defaultPlanHint')}
          sx={{ width: { md: 360 } }}
        >
          <MenuItem value="">{t('cycles.settings.noDefaultPlan')}</MenuItem>
          {defaultPlans.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name} ({p.id})
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mb: canManage ? 2 : 0 }}>
        {toggle('autoClose', 'cycles-auto-close')}
        {toggle('autoExport', 'cycles-auto-export', stored.exportDir ? null : t('cycles.settings.autoExportNoFolder'))}
        {toggle('warningSms', 'cycles-warning-sms')}
      </Stack>
      {canManage && (
        <Button
          type="submit"
          variant="contained"
          disabled={!Object.keys(changes).length || save.pending}
          data-testid="cycles-settings-save"
        >
          {t('common.save')}
        </Button>
      )}
    </Paper>
  );
}
