/** One audit entry: who did what, and the state before and after, side by side. */
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../core/api';
import { JsonBlock } from '../../components/JsonBlock';
import { KeyValueList } from '../../components/KeyValueList';
import { useCommandLabel } from '../../hooks/useLabels';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { OutcomeChip } from './OutcomeChip';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Top-level keys whose values differ between before and after (both must be objects). */
function changedKeys(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export function AuditDetailDrawer({ entry, onClose }: { entry: AuditEntry | null; onClose(): void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const commandLabel = useCommandLabel();
  const changed = entry ? changedKeys(entry.before, entry.after) : [];
  return (
    <Drawer anchor="right" open={entry !== null} onClose={onClose} slotProps={{ paper: { sx: { width: { xs: '100%', md: 820 } } } }}>
      {entry && (
        <Box sx={{ p: 2.5 }} data-testid="audit-drawer">
          <Stack direction="row" sx={{ alignItems: 'center', mb: 2 }} spacing={1}>
            <Typography variant="h3" sx={{ flex: 1 }}>
              {commandLabel(entry.command)}
            </Typography>
            <OutcomeChip outcome={entry.outcome} />
            <IconButton onClick={onClose} aria-label={t('common.close')} data-testid="audit-drawer-close">
              <CloseOutlined fontSize="small" />
            </IconButton>
          </Stack>
          <KeyValueList
            items={[
              { label: t('audit.columns.time'), value: f.dateTime(entry.at) },
              {
                label: t('audit.columns.actor'),
                value: entry.actorId === null ? entry.actorName : `${entry.actorName} (#${entry.actorId})`,
              },
              {
                label: t('audit.columns.command'),
                value: (
                  <Box component="span" sx={{ fontFamily: monoFontFamily }}>
                    {entry.command}
                  </Box>
                ),
              },
              { label: t('audit.columns.target'), value: entry.target ?? '—' },
              { label: t('audit.columns.detail'), value: entry.detail ?? '—' },
              { label: t('audit.entryId'), value: f.number(entry.id) },
            ]}
          />
          <Divider sx={{ my: 2 }} />
          {changed.length > 0 && (
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1.5 }} useFlexGap>
              <Typography variant="body2" color="text.secondary">
                {t('audit.changedFields')}
              </Typography>
              {changed.map((key) => (
                <Chip key={key} label={key} color="warning" variant="outlined" sx={{ fontFamily: monoFontFamily }} />
              ))}
            </Stack>
          )}
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                {t('audit.before')}
              </Typography>
              <JsonBlock value={entry.before} empty={t('audit.noState')} testId="audit-before" />
            </Box>
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                {t('audit.after')}
              </Typography>
              <JsonBlock value={entry.after} empty={t('audit.noState')} testId="audit-after" />
            </Box>
          </Box>
        </Box>
      )}
    </Drawer>
  );
}
