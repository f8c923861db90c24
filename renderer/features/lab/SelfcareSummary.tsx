/** After a self-care call: what it changed for the subscriber, so a trainer can point at it (and check it in Subscribers). */
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import DeleteOutlineOutlined from '@mui/icons-material/DeleteOutlineOutlined';
import HeadphonesOutlined from '@mui/icons-material/HeadphonesOutlined';
import InfoOutlined from '@mui/icons-material/InfoOutlined';
import RecordVoiceOverOutlined from '@mui/icons-material/RecordVoiceOverOutlined';
import ManageAccountsOutlined from '@mui/icons-material/ManageAccountsOutlined';
import PasswordOutlined from '@mui/icons-material/PasswordOutlined';
import ShieldOutlined from '@mui/icons-material/ShieldOutlined';
import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../hooks/usePermissions';
import { navigate } from '../../routing';
import type { NumberTools } from './numbers';
import { isVoiceMessage, type SelfcareChange, type SelfcareProgress } from './selfcare';

interface Line {
  key: string;
  kind: SelfcareChange['kind'] | 'heard' | 'none';
  icon: ReactElement;
  text: string;
}

export function SelfcareSummary({ progress, tools }: { progress: SelfcareProgress; tools: NumberTools }) {
  const { t } = useTranslation();
  const can = useCan();
  const number = (raw: string) => tools.national(tools.toE164(raw) ?? raw);
  const { changes } = progress;
  const lines: Line[] = [];

  if (changes.some((c) => c.kind === 'pin'))
    lines.push({ key: 'pin', kind: 'pin', icon: <PasswordOutlined />, text: t('lab.selfcare.summary.pin') });
  const heard = progress.heard.filter(isVoiceMessage).length;
  if (heard)
    lines.push({ key: 'heard', kind: 'heard', icon: <HeadphonesOutlined />, text: t('lab.selfcare.summary.heard', { count: heard }) });
  const deleted = changes.filter((c) => c.kind === 'voice-deleted').length;
  if (deleted)
    lines.push({
      key: 'deleted',
      kind: 'voice-deleted',
      icon: <DeleteOutlineOutlined />,
      text: t('lab.selfcare.summary.voiceDeleted', { count: deleted }),
    });
  // Privacy set twice in one call: the last choice is what holds.
  const privacy = changes.findLast((c): c is Extract<SelfcareChange, { kind: 'privacy' }> => c.kind === 'privacy');
  if (privacy)
    lines.push({ key: 'privacy', kind: 'privacy', icon: <ShieldOutlined />, text: t(`lab.selfcare.summary.privacy.${privacy.mode}`) });
  // Recorded and deleted in one call: what holds is the last.
  const greeting = changes.findLast((c): c is Extract<SelfcareChange, { kind: 'greeting' }> => c.kind === 'greeting');
  if (greeting)
    lines.push({
      key: 'greeting',
      kind: 'greeting',
      icon: <RecordVoiceOverOutlined />,
      text: t(`lab.selfcare.summary.greeting.${greeting.change}`),
    });
  changes.forEach((change, index) => {
    if (change.kind !== 'list') return;
    const values = { number: number(change.number) };
    lines.push({
      key: `list-${index}`,
      kind: 'list',
      icon: change.list === 'black' ? <BlockOutlined /> : <VerifiedUserOutlined />,
      text: change.add
        ? t(`lab.selfcare.summary.listAdded.${change.list}`, values)
        : t(`lab.selfcare.summary.listRemoved.${change.list}`, values),
    });
  });
  if (!lines.length)
    lines.push({
      key: 'none',
      kind: 'none',
      icon: <InfoOutlined />,
      text: progress.signedIn ? t('lab.selfcare.summary.nothing') : t('lab.selfcare.summary.notSignedIn'),
    });

  const changed = lines.some((line) => line.kind !== 'none');
  return (
    <Box
      data-testid="lab-selfcare-summary"
      sx={{ mt: 1.5, p: 1.5, borderRadius: 2, border: 1, borderColor: 'divider', borderStyle: 'dashed', bgcolor: 'background.default' }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
        <Typography variant="overline" color="text.secondary" component="div" sx={{ lineHeight: 1.6 }}>
          {t('lab.selfcare.summary.title')}
        </Typography>
        {progress.subscriber && (
          <Typography variant="caption" color="text.secondary" data-testid="lab-selfcare-subscriber">
            {t('lab.selfcare.summary.subscriber', { number: number(progress.subscriber) })}
          </Typography>
        )}
      </Stack>
      <Stack component="ul" spacing={0.75} sx={{ m: 0, mt: 0.5, p: 0, listStyle: 'none' }}>
        {lines.map((line) => (
          <Stack
            component="li"
            key={line.key}
            direction="row"
            spacing={1}
            data-testid="lab-selfcare-change"
            data-change={line.kind}
            sx={{
              alignItems: 'flex-start',
              '& > svg': { fontSize: 18, mt: '2px', color: line.kind === 'none' ? 'text.disabled' : 'primary.main' },
            }}
          >
            {line.icon}
            <Typography variant="body2">{line.text}</Typography>
          </Stack>
        ))}
      </Stack>
      {changed && progress.subscriber && can('subscribers.read') && (
        <Button
          size="small"
          variant="outlined"
          startIcon={<ManageAccountsOutlined />}
          onClick={() => navigate('subscribers')}
          data-testid="lab-selfcare-open-subscribers"
          sx={{ mt: 1.25 }}
        >
          {t('lab.selfcare.summary.openSubscribers')}
        </Button>
      )}
    </Box>
  );
}
