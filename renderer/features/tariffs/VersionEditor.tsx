/** One tariff version: rent, per-use prices by kind, free kinds, free quota, tiers, caps and thresholds. */
import AddOutlined from '@mui/icons-material/AddOutlined';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currencyOf, roundingModes } from '../../../core/domain/billing/money';
import { prorationPolicies, usageKinds, type UsageKind } from '../../../core/domain/billing/tariff';
import type { FieldErrors, VersionDraft } from './tariffForm';

interface Props {
  draft: VersionDraft;
  currency: string;
  readOnly: boolean;
  /** Local (parse) errors and the core's error, both by field within the version. */
  errors: FieldErrors;
  onChange(next: VersionDraft): void;
}

function Section({ id, children }: { id: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid={`tariff-section-${id}`}>
      <Typography variant="h4">{t(`tariffs.sections.${id}.title` as 'tariffs.sections.rent.title')}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2, mt: 0.25 }}>
        {t(`tariffs.sections.${id}.description` as 'tariffs.sections.rent.description')}
      </Typography>
      {children}
    </Paper>
  );
}

export function VersionEditor({ draft, currency, readOnly, errors, onChange }: Props) {
  const { t } = useTranslation();
  const symbol = currencyOf(currency).symbol;
  const set = <K extends keyof VersionDraft>(key: K, value: VersionDraft[K]) => onChange({ ...draft, [key]: value });
  const errorOf = (field: string) => errors[field] ?? null;
  const kindLabel = (kind: string) => t(`tariffs.kinds.${kind}` as 'tariffs.kinds.notification', { defaultValue: kind });

  const money = (field: string, value: string, onValue: (v: string) => void, label: string, hint?: string, testId?: string) => {
    const error = errorOf(field);
    return (
      <TextField
        label={label}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        disabled={readOnly}
        error={!!error}
        helperText={error ?? hint}
        size="small"
        slotProps={{
          input: { startAdornment: <InputAdornment position="start">{symbol}</InputAdornment> },
          htmlInput: { inputMode: 'decimal', 'data-testid': testId ?? `tariff-${field}` },
        }}
      />
    );
  };

  const toggleFree = (kind: UsageKind, free: boolean) => {
    const freeKinds = free ? [...draft.freeKinds, kind] : draft.freeKinds.filter((k) => k !== kind);
    // A free kind has no price; a kind taken off the free list gets a price to fill in.
    const prices = { ...draft.prices, [kind]: free ? '' : draft.prices[kind] || '0.00' };
    const tiers = { ...draft.tiers };
    if (free) delete tiers[kind];
    onChange({ ...draft, freeKinds, prices, tiers });
  };

  const setTiers = (kind: UsageKind, list: VersionDraft['tiers'][UsageKind]) => {
    const tiers = { ...draft.tiers };
    if (list && list.length) tiers[kind] = list;
    else delete tiers[kind];
    set('tiers', tiers);
  };

  const general = errorOf('') ?? errorOf('usagePrices') ?? errorOf('tiers') ?? errorOf('freeQuota') ?? errorOf('freeKinds');

  return (
    <Stack spacing={2} data-testid="tariff-version-editor">
      {general && <Alert severity="error">{general}</Alert>}
      <Section id="rent">
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(4, 1fr)' } }}>
          <TextField
            label={t('tariffs.fields.effectiveFrom')}
            type="date"
            value={draft.effectiveFrom}
            onChange={(e) => set('effectiveFrom', e.target.value)}
            disabled={readOnly}
            error={!!errorOf('effectiveFrom')}
            helperText={errorOf('effectiveFrom') ?? t('tariffs.hints.effectiveFrom')}
            size="small"
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'tariff-effectiveFrom' } }}
          />
          {money('monthlyRent', draft.monthlyRent, (v) => set('monthlyRent', v), t('tariffs.fields.monthlyRent'), t('tariffs.hints.yuan'))}
          <TextField
            select
            label={t('tariffs.fields.rentProration')}
            value={draft.rentProration}
            onChange={(e) => set('rentProration', e.target.value as VersionDraft['rentProration'])}
            disabled={readOnly}
            helperText={t(`tariffs.proration.${draft.rentProration}.hint`)}
            size="small"
            slotProps={{ htmlInput: { 'data-testid': 'tariff-rentProration' } }}
          >
            {prorationPolicies.map((p) => (
              <MenuItem key={p} value={p}>
                {t(`tariffs.proration.${p}.label`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label={t('tariffs.fields.rounding')}
            value={draft.rounding}
            onChange={(e) => set('rounding', e.target.value as VersionDraft['rounding'])}
            disabled={readOnly}
            helperText={t('tariffs.hints.rounding')}
            size="small"
          >
            {roundingModes.map((m) => (
              <MenuItem key={m} value={m}>
                {t(`tariffs.rounding.${m}`)}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      </Section>

      <Section id="usage">
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{t('tariffs.columns.kind')}</TableCell>
              <TableCell>{t('tariffs.columns.free')}</TableCell>
              <TableCell>{t('tariffs.columns.price')}</TableCell>
              <TableCell>{t('tariffs.columns.tiers')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {usageKinds.map((kind) => {
              const free = draft.freeKinds.includes(kind);
              const tiers = draft.tiers[kind] ?? [];
              const priceError = errorOf(`usagePrices.${kind}`);
              const tiersError = errorOf(`tiers.${kind}`);
              return (
                <TableRow key={kind} data-testid={`tariff-kind-${kind}`}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{kindLabel(kind)}</TableCell>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={free}
                      onChange={(e) => toggleFree(kind, e.target.checked)}
                      disabled={readOnly}
                      slotProps={{ input: { 'aria-label': t('tariffs.freeKind', { kind: kindLabel(kind) }) } }}
                      data-testid={`tariff-free-${kind}`}
                    />
                  </TableCell>
                  <TableCell sx={{ minWidth: 200 }}>
                    {free && !priceError ? (
                      <Typography variant="body2" color="text.secondary">
                        {t('tariffs.free')}
                      </Typography>
                    ) : (
                      <TextField
                        value={draft.prices[kind]}
                        onChange={(e) => set('prices', { ...draft.prices, [kind]: e.target.value })}
                        disabled={readOnly}
                        error={!!priceError}
                        helperText={priceError ?? undefined}
                        size="small"
                        placeholder="0.10"
                        slotProps={{
                          input: {
                            startAdornment: <InputAdornment position="start">{symbol}</InputAdornment>,
                            endAdornment: <InputAdornment position="end">{t('tariffs.perUnit')}</InputAdornment>,
                          },
                          htmlInput: {
                            inputMode: 'decimal',
                            'aria-label': t('tariffs.priceOf', { kind: kindLabel(kind) }),
                            'data-testid': `tariff-price-${kind}`,
                          },
                        }}
                      />
                    )}
                  </TableCell>
                  <TableCell>
                    <Stack spacing={1}>
                      {tiers.map((tier, i) => (
                        <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
                          <TextField
                            label={t('tariffs.fields.tierAfter')}
                            value={tier.after}
                            onChange={(e) =>
                              setTiers(
                                kind,
                                tiers.map((x, j) => (j === i ? { ...x, after: e.target.value } : x)),
                              )
                            }
                            disabled={readOnly}
                            error={!!errorOf(`tiers.${kind}.${i}.after`)}
                            helperText={errorOf(`tiers.${kind}.${i}.after`) ?? undefined}
                            size="small"
                            sx={{ width: 130 }}
                            slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `tariff-tier-${kind}-${i}-after` } }}
                          />
                          <TextField
                            label={t('tariffs.fields.tierPrice')}
                            value={tier.price}
                            onChange={(e) =>
                              setTiers(
                                kind,
                                tiers.map((x, j) => (j === i ? { ...x, price: e.target.value } : x)),
                              )
                            }
                            disabled={readOnly}
                            error={!!errorOf(`tiers.${kind}.${i}.price`)}
                            helperText={errorOf(`tiers.${kind}.${i}.price`) ?? undefined}
                            size="small"
                            sx={{ width: 140 }}
                            slotProps={{
                              input: { startAdornment: <InputAdornment position="start">{symbol}</InputAdornment> },
                              htmlInput: { inputMode: 'decimal', 'data-testid': `tariff-tier-${kind}-${i}-price` },
                            }}
                          />
                          {!readOnly && (
                            <Tooltip title={t('tariffs.removeTier')}>
                              <IconButton
                                size="small"
                                onClick={() =>
                                  setTiers(
                                    kind,
                                    tiers.filter((_, j) => j !== i),
                                  )
                                }
                              >
                                <DeleteOutline fontSize="small" />
                              </IconButton>
                            </Tooltip>
                          )}
                        </Stack>
                      ))}
                      {tiersError && (
                        <Typography variant="caption" color="error">
                          {tiersError}
                        </Typography>
                      )}
                      {!readOnly && !free && (
                        <Box>
                          <Button
                            size="small"
                            startIcon={<AddOutlined />}
                            onClick={() => {
                              const last = tiers[tiers.length - 1];
                              setTiers(kind, [...tiers, { after: String((Number(last?.after) || 0) + 100), price: last?.price ?? '' }]);
                            }}
                            data-testid={`tariff-add-tier-${kind}`}
                          >
                            {t('tariffs.addTier')}
                          </Button>
                        </Box>
                      )}
                    </Stack>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Section>

      <Section id="quota">
        <Stack spacing={1.5}>
          {draft.freeQuota.length === 0 && (
            <Typography variant="body2" color="text.secondary">
              {t('tariffs.noQuota')}
            </Typography>
          )}
          {draft.freeQuota.map((quota, i) => (
            <Stack key={i} direction="row" spacing={1.5} sx={{ alignItems: 'flex-start' }} data-testid={`tariff-quota-${i}`}>
              <TextField
                select
                label={t('tariffs.fields.quotaKinds')}
                value={quota.kinds}
                onChange={(e) => {
                  const value = e.target.value as unknown as UsageKind[];
                  set(
                    'freeQuota',
                    draft.freeQuota.map((q, j) => (j === i ? { ...q, kinds: value } : q)),
                  );
                }}
                disabled={readOnly}
                error={!!(errorOf(`freeQuota.${i}.kinds`) ?? Object.keys(errors).find((k) => k.startsWith(`freeQuota.${i}.kinds.`)))}
                helperText={
                  errorOf(`freeQuota.${i}.kinds`) ??
                  Object.entries(errors).find(([k]) => k.startsWith(`freeQuota.${i}.kinds.`))?.[1] ??
                  undefined
                }
                size="small"
                sx={{ minWidth: 320 }}
                slotProps={{
                  select: { multiple: true, renderValue: (v) => (v as string[]).map(kindLabel).join(t('common.listSeparator')) },
                }}
              >
                {usageKinds
                  .filter((k) => !draft.freeKinds.includes(k))
                  .map((k) => (
                    <MenuItem key={k} value={k}>
                      {kindLabel(k)}
                    </MenuItem>
                  ))}
              </TextField>
              <TextField
                label={t('tariffs.fields.quotaUnits')}
                value={quota.units}
                onChange={(e) =>
                  set(
                    'freeQuota',
                    draft.freeQuota.map((q, j) => (j === i ? { ...q, units: e.target.value } : q)),
                  )
                }
                disabled={readOnly}
                error={!!errorOf(`freeQuota.${i}.units`)}
                helperText={errorOf(`freeQuota.${i}.units`) ?? t('tariffs.hints.quotaUnits')}
                size="small"
                sx={{ width: 200 }}
                slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': `tariff-quota-${i}-units` } }}
              />
              {!readOnly && (
                <Tooltip title={t('tariffs.removeQuota')}>
                  <IconButton
                    onClick={() =>
                      set(
                        'freeQuota',
                        draft.freeQuota.filter((_, j) => j !== i),
                      )
                    }
                  >
                    <DeleteOutline fontSize="small" />
                  </IconButton>
                </Tooltip>
              )}
            </Stack>
          ))}
          {!readOnly && (
            <Box>
              <Button
                size="small"
                startIcon={<AddOutlined />}
                onClick={() => set('freeQuota', [...draft.freeQuota, { kinds: [], units: '10' }])}
                data-testid="tariff-add-quota"
              >
                {t('tariffs.addQuota')}
              </Button>
            </Box>
          )}
        </Stack>
      </Section>

      <Section id="caps">
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' } }}>
          {money('usageCap', draft.usageCap, (v) => set('usageCap', v), t('tariffs.fields.usageCap'), t('tariffs.hints.noCap'))}
          {money('totalCap', draft.totalCap, (v) => set('totalCap', v), t('tariffs.fields.totalCap'), t('tariffs.hints.totalCap'))}
          <TextField
            label={t('tariffs.fields.thresholds')}
            value={draft.thresholds}
            onChange={(e) => set('thresholds', e.target.value)}
            disabled={readOnly}
            error={!!(errorOf('thresholds') ?? Object.keys(errors).find((k) => k.startsWith('thresholds.')))}
            helperText={
              errorOf('thresholds') ??
              Object.entries(errors).find(([k]) => k.startsWith('thresholds.'))?.[1] ??
              t('tariffs.hints.thresholds')
            }
            size="small"
            slotProps={{
              input: { endAdornment: <InputAdornment position="end">%</InputAdornment> },
              htmlInput: { 'data-testid': 'tariff-thresholds' },
            }}
          />
        </Box>
      </Section>
    </Stack>
  );
}
