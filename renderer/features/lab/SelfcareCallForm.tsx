/**
 * A call to the voicemail number: the subscriber's self-care IVR (PIN, voice messages, lists, privacy). The trainer
 * picks the handset it comes from (the subscriber's own, another, or a hidden number); the IVR panel then drives it.
 */
import VoicemailOutlined from '@mui/icons-material/VoicemailOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import { alpha } from '@mui/material/styles';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction } from '../../hooks/useCommand';
import { useVoicemailNumber } from '../../hooks/useNumbering';
import { monoFontFamily } from '../../theme/theme';
import { CallButton, HiddenCallerSwitch } from './CallControls';
import { fieldError } from './fieldErrors';
import { isEnded, useLab, type CallForm } from './labStore';
import { digitsOf, type NumberTools } from './numbers';

interface Props {
  tools: NumberTools;
  /** The handsets on screen (E.164), offered as the phone the call comes from. */
  handsetNumbers: string[];
  onNetworkChange(): void;
}

export function SelfcareCallForm({ tools, handsetNumbers, onNetworkChange }: Props) {
  const { t } = useTranslation();
  const form = useLab((s) => s.form);
  const setForm = useLab((s) => s.setForm);
  const dialogue = useLab((s) => s.dialogue);
  const startDialogue = useLab((s) => s.startDialogue);
  const rememberNumbers = useLab((s) => s.rememberNumbers);
  const call = useAction('lab/selfcare-call');
  const voicemailNumber = useVoicemailNumber();

  const inCall = dialogue !== null && !isEnded(dialogue);
  const fromError = fieldError(t, call.error, 'caller');
  const otherError = call.error && !fromError ? call.error : null;
  const fromE164 = tools.toE164(form.from);

  const edit = (patch: Partial<CallForm>) => {
    setForm(patch);
    call.clearError();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inCall) return;
    const from = form.from.trim();
    const result = await call.run({ caller: from || undefined, clir: form.clir }, { inline: true });
    if (!result) return;
    const caller = tools.toE164(from) ?? from;
    startDialogue({ kind: 'selfcare', session: result.session, caller, clir: form.clir, voicemailNumber }, result.action);
    rememberNumbers([caller]);
    onNetworkChange();
  };

  return (
    <Stack component="form" spacing={2} onSubmit={(e) => void submit(e)} noValidate data-testid="lab-selfcare-form">
      <Box>
        <TextField
          label={t('lab.selfcare.from')}
          value={form.from}
          onChange={(e) => edit({ from: e.target.value })}
          error={fromError !== null}
          helperText={fromError ?? t('lab.selfcare.fromHint')}
          autoComplete="off"
          fullWidth
          slotProps={{ htmlInput: { 'data-testid': 'lab-selfcare-from', inputMode: 'tel', spellCheck: false, maxLength: 40 } }}
        />
        {handsetNumbers.length > 0 && (
          <Box sx={{ mt: 1 }}>
            <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }}>
              {t('lab.selfcare.pick')}
            </Typography>
            <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
              {handsetNumbers.map((number) => {
                const chosen = number === fromE164;
                return (
                  <Chip
                    key={number}
                    label={tools.national(number)}
                    clickable
                    size="small"
                    color={chosen ? 'primary' : 'default'}
                    variant={chosen ? 'filled' : 'outlined'}
                    onClick={() => edit({ from: tools.national(number) })}
                    aria-label={t('lab.selfcare.pickNumber', { number: tools.national(number) })}
                    aria-pressed={chosen}
                    data-testid={`lab-selfcare-pick-${digitsOf(number)}`}
                    sx={{ fontVariantNumeric: 'tabular-nums' }}
                  />
                );
              })}
            </Stack>
          </Box>
        )}
      </Box>

      <Stack
        direction="row"
        spacing={1.25}
        data-testid="lab-voicemail-number"
        sx={(theme) => ({
          alignItems: 'center',
          px: 1.5,
          py: 1,
          borderRadius: 2,
          border: 1,
          borderStyle: 'dashed',
          borderColor: alpha(theme.palette.primary.main, 0.4),
          bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.1 : 0.04),
        })}
      >
        <VoicemailOutlined color="primary" />
        <Box sx={{ minWidth: 0 }}>
          {voicemailNumber ? (
            <>
              <Typography variant="caption" color="text.secondary" component="div" sx={{ lineHeight: 1.3 }}>
                {t('lab.selfcare.dials')}
              </Typography>
              <Typography
                variant="subtitle1"
                component="div"
                sx={{ fontWeight: 600, lineHeight: 1.3, fontFamily: monoFontFamily, letterSpacing: '0.04em' }}
              >
                {voicemailNumber}
              </Typography>
            </>
          ) : (
            <Typography variant="subtitle2" component="div" sx={{ lineHeight: 1.4 }}>
              {t('lab.selfcare.dials')}
            </Typography>
          )}
          <Typography variant="caption" color="text.secondary" component="div" sx={{ lineHeight: 1.35 }}>
            {t('lab.selfcare.voicemailHint')}
          </Typography>
        </Box>
      </Stack>

      <HiddenCallerSwitch
        checked={form.clir}
        onChange={(clir) => edit({ clir })}
        hint={t('lab.selfcare.clirHint')}
        testId="lab-selfcare-clir"
      />

      <CallButton disabled={call.pending} inCall={inCall} testId="lab-selfcare-call">
        {voicemailNumber ? t('lab.selfcare.callNumber', { number: voicemailNumber }) : t('lab.selfcare.call')}
      </CallButton>

      {otherError && <ErrorAlert error={otherError} onClose={call.clearError} />}
    </Stack>
  );
}
