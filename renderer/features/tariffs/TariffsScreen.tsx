/** Tariff plans: the list, a plan's versions, the version editor (save draft, publish) and the diff between versions. */
import AddOutlined from '@mui/icons-material/AddOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
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
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TariffPlanDetail } from '../../../core/api/billing-types';
import { currencies, defaultCurrency } from '../../../core/domain/billing/money';
import { versionPolicies, type VersionPolicy } from '../../../core/domain/billing/tariff';
import { addDays } from '../../../core/domain/billing/cycle';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fieldErrorText } from '../../components/fieldError';
import { FormDialog } from '../../components/FormDialog';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useBillingToday } from '../../hooks/useBillingToday';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useCan } from '../../hooks/usePermissions';
import { useUnsavedChanges } from '../../hooks/useUnsavedChanges';
import { useFormat } from '../../i18n/format';
import {
  blankVersion,
  fromDraft,
  nextDraft,
  toDraft,
  versionFieldError,
  withoutVersion,
  withVersion,
  type VersionDraft,
} from './tariffForm';
import { VersionDiffPanel } from './VersionDiff';
import { VersionEditor } from './VersionEditor';
import { WhatIfPanel } from './WhatIfPanel';

export function TariffsScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const canManage = can('billing.manage');
  const list = useQuery('tariffs/list', {});
  useCoreEvent('billing/changed', ({ what }) => {
    if (what === 'plans') list.reload();
  });
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const plans = list.data ?? [];
  const current = selected ?? plans[0]?.id ?? null;

  return (
    <Box data-testid="screen-tariffs" sx={{ display: 'flex', flexDirection: 'column', flex: 1 }}>
      <ScreenHeader
        title={t('tariffs.title')}
        subtitle={canManage ? t('tariffs.subtitle') : t('tariffs.subtitleReadOnly')}
        actions={
          canManage && (
            <Button variant="contained" startIcon={<AddOutlined />} onClick={() => setCreating(true)} data-testid="tariffs-create">
              {t('tariffs.create')}
            </Button>
          )
        }
      />
      {list.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={list.error} onRetry={list.reload} />
        </Box>
      )}
      {list.loading && <LoadingState />}
      {list.data && plans.length === 0 && (
        <Paper variant="outlined">
          <EmptyState title={t('tariffs.empty')} hint={canManage ? t('tariffs.emptyHint') : undefined} />
        </Paper>
      )}
      {plans.length > 0 && (
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '280px 1fr' }, alignItems: 'start' }}>
          <Paper variant="outlined">
            <List dense disablePadding data-testid="tariffs-list">
              {plans.map((plan) => (
                <ListItemButton
                  key={plan.id}
                  selected={plan.id === current}
                  onClick={() => setSelected(plan.id)}
                  data-testid={`tariffs-plan-${plan.id}`}
                >
                  <ListItemText
                    primary={plan.name}
                    secondary={
                      plan.inForce === null
                        ? t('tariffs.noneInForce', { id: plan.id })
                        : t('tariffs.inForceShort', { id: plan.id, number: plan.inForce, count: plan.subscribers })
                    }
                  />
                </ListItemButton>
              ))}
            </List>
          </Paper>
          {current && <PlanPanel key={current} id={current} canManage={canManage} onChanged={list.reload} />}
        </Box>
      )}
      {creating && (
        <CreatePlanDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setSelected(id);
            list.reload();
          }}
        />
      )}
    </Box>
  );
}

function CreatePlanDialog({ onClose, onCreated }: { onClose(): void; onCreated(id: string): void }) {
  const { t } = useTranslation();
  const { today } = useBillingToday();
  const create = useAction('tariffs/create');
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState(defaultCurrency);
  const [policy, setPolicy] = useState<VersionPolicy>('apply-to-all');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const plan = { id: id.trim(), name: name.trim(), currency, versionPolicy: policy, versions: [blankVersion(1, addDays(today, 1))] };
    const result = await create.run({ plan }, { inline: true, success: t('tariffs.created', { name: plan.name }) });
    if (result) onCreated(result.id);
  };
  const err = (field: string) => fieldErrorText(create.error, `plan.${field}`);
  const other = create.error && !err('id') && !err('name') && !err('currency') && !err('versionPolicy');
  return (
    <FormDialog
      title={t('tariffs.create')}
      submitLabel={t('tariffs.createSubmit')}
      pending={create.pending}
      onSubmit={submit}
      onClose={onClose}
      testId="tariff-create"
    >
      <Stack spacing={2} sx={{ pt: 1, minWidth: 420 }}>
        {other && <ErrorAlert error={create.error} />}
        <TextField
          label={t('tariffs.fields.id')}
          value={id}
          onChange={(e) => setId(e.target.value)}
          error={!!err('id')}
          helperText={err('id') ?? t('tariffs.hints.id')}
          autoFocus
          slotProps={{ htmlInput: { 'data-testid': 'tariff-create-id' } }}
        />
        <TextField
          label={t('tariffs.fields.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={!!err('name')}
          helperText={err('name') ?? undefined}
          slotProps={{ htmlInput: { 'data-testid': 'tariff-create-name' } }}
        />
        <TextField select label={t('tariffs.fields.currency')} value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {Object.values(currencies).map((c) => (
            <MenuItem key={c.code} value={c.code}>
              {c.code} ({c.symbol})
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label={t('tariffs.fields.versionPolicy')}
          value={policy}
          onChange={(e) => setPolicy(e.target.value as VersionPolicy)}
          helperText={t(`tariffs.policy.${policy}.hint`)}
          slotProps={{ htmlInput: { 'data-testid': 'tariff-create-policy' } }}
        >
          {versionPolicies.map((p) => (
            <MenuItem key={p} value={p}>
              {t(`tariffs.policy.${p}.label`)}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
    </FormDialog>
  );
}

interface Editing {
  number: number;
  isNew: boolean;
  initial: VersionDraft;
  draft: VersionDraft;
}

function PlanPanel({ id, canManage, onChanged }: { id: string; canManage: boolean; onChanged(): void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { today } = useBillingToday();
  const query = useQuery('tariffs/get', { id });
  const update = useAction('tariffs/update');
  const publish = useAction('tariffs/publish');
  const remove = useAction('tariffs/delete');
  const [fresh, setFresh] = useState<TariffPlanDetail | null>(null);
  const detail = fresh && (!query.data || fresh.updatedAt >= query.data.updatedAt) ? fresh : query.data;
  const [editing, setEditing] = useState<Editing | null>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [confirmPublish, setConfirmPublish] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const dirty = !!editing && (editing.isNew || JSON.stringify(editing.draft) !== JSON.stringify(editing.initial));
  useUnsavedChanges(dirty);

  const versionIndex = useMemo(() => {
    if (!detail || !editing) return -1;
    const numbers = [...detail.plan.versions.map((v) => v.number), ...(editing.isNew ? [editing.number] : [])].sort((a, b) => a - b);
    return numbers.indexOf(editing.number);
  }, [detail, editing]);

  if (query.error && !detail) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!detail) return <LoadingState />;
  const currency = detail.currency;
  const serverError = versionFieldError(update.error ?? publish.error, versionIndex);
  const errors = { ...localErrors, ...(serverError?.field != null ? { [serverError.field]: serverError.message } : {}) };
  const editingVersion = editing && detail.plan.versions.find((v) => v.number === editing.number);
  const readOnly = !canManage || (editingVersion?.status ?? 'draft') === 'published';

  const open = (number: number) => {
    const version = detail.plan.versions.find((v) => v.number === number)!;
    const draft = toDraft(version, currency);
    setEditing({ number, isNew: false, initial: draft, draft });
    setLocalErrors({});
    update.clearError();
    publish.clearError();
  };
  const addVersion = () => {
    const version = nextDraft(detail.plan, today);
    const draft = toDraft(version, currency);
    setEditing({ number: version.number, isNew: true, initial: draft, draft });
    setLocalErrors({});
    update.clearError();
    publish.clearError();
  };
  const saved = (next: TariffPlanDetail, number: number) => {
    setFresh(next);
    const version = next.plan.versions.find((v) => v.number === number);
    if (version) {
      const draft = toDraft(version, currency);
      setEditing({ number, isNew: false, initial: draft, draft });
    } else setEditing(null);
    onChanged();
  };

  /** Saves the edited draft; resolves to the saved plan, or null when the draft has errors. */
  const save = async (success?: string): Promise<TariffPlanDetail | null> => {
    if (!editing) return null;
    const { version, errors: found } = fromDraft(editing.draft, currency);
    setLocalErrors(found);
    publish.clearError();
    if (Object.keys(found).length > 0) return null;
    const result = await update.run(
      { plan: withVersion(detail.plan, version), expectedUpdatedAt: detail.updatedAt },
      { inline: true, success },
    );
    if (result) saved(result, version.number);
    return result ?? null;
  };

  const saveDraft = () => save(t('tariffs.draftSaved', { number: editing?.number ?? 0 }));

  const runPublish = async () => {
    setConfirmPublish(false);
    if (!editing) return;
    const number = editing.number;
    if (dirty && !(await save())) return;
    update.clearError();
    const result = await publish.run({ id, version: number }, { inline: true, success: t('tariffs.published', { number }) });
    if (result) saved(result, number);
  };

  const deleteDraft = async () => {
    setConfirmDelete(false);
    if (!editing) return;
    if (editing.isNew) {
      setEditing(null);
      return;
    }
    const result = await update.run(
      { plan: withoutVersion(detail.plan, editing.number), expectedUpdatedAt: detail.updatedAt },
      { inline: true, success: t('tariffs.draftDeleted', { number: editing.number }) },
    );
    if (result) {
      setFresh(result);
      setEditing(null);
      onChanged();
    }
  };

  const deletePlan = async () => {
    const result = await remove.run({ id }, { success: t('tariffs.planDeleted', { name: detail.name }) });
    if (result) onChanged();
  };

  const pending = update.pending || publish.pending;
  const hasPublished = detail.versions.some((v) => v.status === 'published');

  return (
    <Stack spacing={2} data-testid="tariff-plan" data-plan={detail.id}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack direction="row" spacing={2} sx={{ justifyContent: 'space-between', alignItems: 'flex-start', mb: 1 }}>
          <Box>
            <Typography variant="h3">{detail.name}</Typography>
            <Typography variant="body2" color="text.secondary">
              {t('tariffs.planLine', {
                id: detail.id,
                currency,
                policy: t(`tariffs.policy.${detail.versionPolicy}.label`),
                count: detail.subscribers,
              })}
            </Typography>
          </Box>
          <Stack direction="row" spacing={1}>
            {canManage && !hasPublished && (
              <Button color="error" onClick={() => void deletePlan()} disabled={remove.pending} data-testid="tariff-delete-plan">
                {t('tariffs.deletePlan')}
              </Button>
            )}
            {canManage && (
              <Button variant="outlined" startIcon={<AddOutlined />} onClick={addVersion} disabled={dirty} data-testid="tariff-add-version">
                {t('tariffs.addVersion')}
              </Button>
            )}
          </Stack>
        </Stack>
        <Table size="small" data-testid="tariff-versions">
          <TableHead>
            <TableRow>
              <TableCell>{t('tariffs.columns.version')}</TableCell>
              <TableCell>{t('tariffs.columns.status')}</TableCell>
              <TableCell>{t('tariffs.columns.effectiveFrom')}</TableCell>
              <TableCell>{t('tariffs.columns.published')}</TableCell>
              <TableCell align="right">{t('common.actions')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {[...detail.versions]
              .sort((a, b) => b.number - a.number)
              .map((v) => (
                <TableRow key={v.number} selected={editing?.number === v.number} data-testid={`tariff-version-${v.number}`}>
                  <TableCell>{t('tariffs.versionN', { number: v.number })}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={0.5}>
                      <Chip
                        size="small"
                        color={v.status === 'published' ? 'success' : 'default'}
                        variant={v.status === 'published' ? 'filled' : 'outlined'}
                        label={t(`tariffs.status.${v.status}`)}
                        data-testid={`tariff-version-${v.number}-status`}
                      />
                      {detail.inForce === v.number && <Chip size="small" color="primary" label={t('tariffs.inForce')} />}
                    </Stack>
                  </TableCell>
                  <TableCell>{v.effectiveFrom}</TableCell>
                  <TableCell>
                    {v.publishedAt ? t('tariffs.publishedBy', { at: f.dateTimeShort(v.publishedAt), by: v.publishedBy ?? '' }) : '—'}
                  </TableCell>
                  <TableCell align="right">
                    <Button size="small" onClick={() => open(v.number)} disabled={dirty} data-testid={`tariff-version-${v.number}-open`}>
                      {canManage && v.status === 'draft' ? t('tariffs.edit') : t('tariffs.view')}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            {editing?.isNew && (
              <TableRow selected data-testid={`tariff-version-${editing.number}`}>
                <TableCell>{t('tariffs.versionN', { number: editing.number })}</TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" color="warning" label={t('tariffs.unsaved')} />
                </TableCell>
                <TableCell>{editing.draft.effectiveFrom}</TableCell>
                <TableCell>—</TableCell>
                <TableCell />
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Paper>

      {editing && (
        <Paper variant="outlined" sx={{ p: 2, bgcolor: 'background.default' }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 2 }}>
            <Typography variant="h3" data-testid="tariff-editor-title">
              {readOnly ? t('tariffs.viewing', { number: editing.number }) : t('tariffs.editing', { number: editing.number })}
            </Typography>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              {dirty && (
                <Typography variant="body2" color="warning.main" data-testid="tariff-unsaved">
                  {t('tariffs.unsavedChanges')}
                </Typography>
              )}
              <Button onClick={() => setEditing(null)} disabled={pending} data-testid="tariff-editor-close">
                {dirty ? t('tariffs.discard') : t('common.close')}
              </Button>
              {!readOnly && (
                <>
                  <Button color="error" onClick={() => setConfirmDelete(true)} disabled={pending} data-testid="tariff-delete-draft">
                    {t('tariffs.deleteDraft')}
                  </Button>
                  <Button variant="outlined" onClick={() => void saveDraft()} disabled={pending || !dirty} data-testid="tariff-save-draft">
                    {t('tariffs.saveDraft')}
                  </Button>
                  <Button variant="contained" onClick={() => setConfirmPublish(true)} disabled={pending} data-testid="tariff-publish">
                    {t('tariffs.publish')}
                  </Button>
                </>
              )}
            </Stack>
          </Stack>
          {serverError && serverError.field === null && (
            <Alert severity="error" sx={{ mb: 2 }} data-testid="tariff-error">
              {serverError.message}
            </Alert>
          )}
          {Object.keys(errors).length > 0 && (
            <Alert severity="error" sx={{ mb: 2 }} data-testid="tariff-field-errors">
              {t('tariffs.fixFields', { count: Object.keys(errors).length })}
            </Alert>
          )}
          <VersionEditor
            draft={editing.draft}
            currency={currency}
            readOnly={readOnly || pending}
            errors={errors}
            onChange={(draft) => {
              setEditing({ ...editing, draft });
              setLocalErrors({});
              update.clearError();
              publish.clearError();
            }}
          />
        </Paper>
      )}

      {editing && editingVersion?.status !== 'published' && <WhatIfPanel planId={detail.id} currency={currency} draft={editing.draft} />}

      {detail.versions.length >= 2 && <VersionDiffPanel key={detail.updatedAt} detail={detail} />}

      {confirmPublish && editing && (
        <ConfirmDialog
          open
          title={t('tariffs.publishTitle', { number: editing.number })}
          message={t(`tariffs.publishMessage.${detail.versionPolicy}`, { date: editing.draft.effectiveFrom })}
          confirmLabel={t('tariffs.publish')}
          onConfirm={() => void runPublish()}
          onCancel={() => setConfirmPublish(false)}
        />
      )}
      {confirmDelete && editing && (
        <ConfirmDialog
          open
          title={t('tariffs.deleteDraftTitle', { number: editing.number })}
          message={t('tariffs.deleteDraftMessage')}
          confirmLabel={t('tariffs.deleteDraft')}
          onConfirm={() => void deleteDraft()}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
    </Stack>
  );
}
