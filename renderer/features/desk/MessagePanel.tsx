/**
 * "Take a message": prefilled with the called party, the caller and a callback number; saved as a manual-seat
 * message the engine delivers by SMS when the called party is reachable. Every keystroke is kept as a draft
 * (workItems.ts), so a reload or a dropped connection loses nothing; the draft goes once the core stored it.
 * After saving, the agent reads the caller a confirmation that respects the called party's privacy.
 */
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import CloudDoneOutlined from '@mui/icons-material/CloudDoneOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskContext, DeskMessageResult } from '../../../core/api/desk-types';
import { fieldErrorText } from '../../components/fieldError';
import { useAction } from '../../hooks/useCommand';
import { describeError } from '../../i18n/errors';
import { useDeskStore } from './deskStore';
import { useNumberText } from './labels';
import { Kbd } from './SoftphonePanel';
import { loadDraft, saveDraft, type MessageDraft, type WorkItem } from './workItems';

const maxText = 400;

/** What to prefill from the INVITE (at once) and from the context pop (once it answers). */
function prefill(item: WorkItem, context: DeskContext | undefined, number: (v: string | null) => string) {
  const known = (v: string | null) => (v && v.toLowerCase() !== 'anonymous' ? number(v) : '');
  return {
    called: context?.called.national ?? (item.lookedUp || known(item.called)),
    caller: context?.callerNational ?? known(item.caller),
    callback: context?.suggestedCallback ? number(context.suggestedCallback) : known(item.caller),
  };
}

export function MessagePanel({ item, context }: { item: WorkItem; context: DeskContext | undefined }) {
  const { t } = useTranslation();
  const number = useNumberText();
  const operatorId = useDeskStore((s) => s.operatorId) ?? 0;
  const messageSaved = useDeskStore((s) => s.messageSaved);
  const save = useAction('desk/take-message');
  const [draft, setDraftState] = useState<MessageDraft>(
    () => loadDraft(operatorId, item.callId) ?? { ...prefill(item, context, number), text: '', updatedAt: 0 },
  );
  const [restored] = useState(() => loadDraft(operatorId, item.callId) !== null && draft.text !== '');
  const [writingAnother, setWritingAnother] = useState(false);

  // The context pop names the called party the agent looked up: the form follows it; numbers still empty are filled.
  const contextKey = context?.called.msisdn ?? null;
  const [appliedContext, setAppliedContext] = useState<string | null>(draft.updatedAt > 0 ? contextKey : null);
  if (contextKey !== appliedContext) {
    setAppliedContext(contextKey);
    if (context) {
      const p = prefill(item, context, number);
      setDraftState((d) => ({ ...d, called: p.called, caller: d.caller || p.caller, callback: d.callback || p.callback }));
    }
  }

  const setDraft = (change: Partial<MessageDraft>) => {
    const next = { ...draft, ...change, updatedAt: Date.now() };
    setDraftState(next);
    saveDraft(operatorId, item.callId, next);
    if (save.error) save.clearError();
  };

  const refused = context && !context.called.messages.accepted;
  const submit = async () => {
    if (!draft.text.trim() || save.pending) return;
    const result = await save.run(
      {
        called: draft.called,
        caller: draft.caller.trim() || null,
        callback: draft.callback.trim() || null,
        text: draft.text,
        session: item.session,
        callId: item.callId,
      },
      { inline: true },
    );
    if (!result) return;
    messageSaved(item.callId, result);
    setDraftState({ ...draft, text: '', updatedAt: 0 });
    setWritingAnother(false);
  };

  const last = item.saved.at(-1);
  if (last && !writingAnother) {
    return (
      <Card data-testid="desk-message" data-state="saved">
        <CardContent>
          <ReadBack result={last} context={context} callback={last.message.callback} />
          <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
            <Button onClick={() => setWritingAnother(true)} data-testid="desk-message-another">
              {t('desk.message.another')}
            </Button>
          </Stack>
        </CardContent>
      </Card>
    );
  }

  const fieldError = (field: string) => fieldErrorText(save.error, field);
  const generalError = save.error && !['called', 'caller', 'callback', 'text'].some((f) => fieldError(f)) ? save.error : null;
  return (
    <Card data-testid="desk-message" data-state="editing">
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
          <Typography variant="overline" color="text.secondary" sx={{ flex: 1 }}>
            {t('desk.message.title')}
          </Typography>
          <Typography variant="caption" color="text.secondary" data-testid="desk-draft-state" data-saved={draft.updatedAt > 0}>
            {restored && draft.updatedAt > 0 ? t('desk.message.draftRestored') : draft.updatedAt > 0 ? t('desk.message.draftKept') : ''}
          </Typography>
        </Stack>
        <Box
          component="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack spacing={1.5}>
            <TextField
              label={t('desk.message.called')}
              value={draft.called}
              onChange={(e) => setDraft({ called: e.target.value })}
              error={!!fieldError('called')}
              helperText={fieldError('called') ?? t('desk.message.calledHint')}
              required
              slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'desk-message-called' } }}
            />
            <Stack direction="row" spacing={1.5}>
              <TextField
                label={t('desk.message.caller')}
                value={draft.caller}
                onChange={(e) => setDraft({ caller: e.target.value })}
                error={!!fieldError('caller')}
                helperText={fieldError('caller') ?? ' '}
                slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'desk-message-caller' } }}
              />
              <TextField
                label={t('desk.message.callback')}
                value={draft.callback}
                onChange={(e) => setDraft({ callback: e.target.value })}
                error={!!fieldError('callback')}
                helperText={fieldError('callback') ?? t('desk.message.callbackHint')}
                slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'desk-message-callback' } }}
              />
            </Stack>
            <TextField
              label={t('desk.message.text')}
              value={draft.text}
              onChange={(e) => setDraft({ text: e.target.value.slice(0, maxText) })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void submit();
                }
              }}
              multiline
              minRows={4}
              maxRows={10}
              placeholder={t('desk.message.placeholder')}
              error={!!fieldError('text')}
              helperText={fieldError('text') ?? t('desk.message.count', { n: draft.text.length, max: maxText })}
              slotProps={{ htmlInput: { 'data-testid': 'desk-message-text', maxLength: maxText } }}
            />
            {refused && (
              <Alert severity="warning" data-testid="desk-message-refused">
                {t('desk.message.refused')}
              </Alert>
            )}
            {generalError && (
              <Alert severity="error" data-testid="desk-message-error" data-code={generalError.code}>
                {generalError.code === 'unavailable' ? t('desk.message.notSavedOffline') : describeError(t, generalError)}
              </Alert>
            )}
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
              <Button
                type="submit"
                variant="contained"
                size="medium"
                startIcon={<SaveOutlined />}
                disabled={save.pending || !draft.text.trim() || !draft.called.trim()}
                data-testid="desk-message-save"
                sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
              >
                {save.pending ? t('desk.message.saving') : t('desk.message.save')}
                <Kbd>Ctrl+Enter</Kbd>
              </Button>
              <Typography variant="caption" color="text.secondary" sx={{ lineHeight: 1.35 }}>
                {save.pending ? t('desk.message.waitingForCore') : t('desk.message.deliveryHint')}
              </Typography>
            </Stack>
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}

/** The confirmation the agent reads to the caller; it says nothing about the phone being on when privacy forbids it. */
function ReadBack({ result, context, callback }: { result: DeskMessageResult; context: DeskContext | undefined; callback: string | null }) {
  const { t } = useTranslation();
  const number = useNumberText();
  const mayTellReachability = context?.called.privacy.rules[0]?.may ?? false;
  const delivery = !mayTellReachability ? 'neutral' : result.delivery === 'now' ? 'now' : 'whenReachable';
  const sentences = [
    t('desk.readback.saved', { called: result.calledNational }),
    t(`desk.readback.delivery.${delivery}`),
    callback ? t('desk.readback.callback', { callback: number(callback) }) : null,
  ].filter(Boolean);
  return (
    <>
      <Alert severity="success" icon={<CloudDoneOutlined />} data-testid="desk-message-saved" data-delivery={result.delivery}>
        <AlertTitle>{t('desk.message.saved')}</AlertTitle>
        {result.delivery === 'now' ? t('desk.message.deliveredNow') : t('desk.message.deliveredLater')}
      </Alert>
      <Box sx={{ mt: 2, p: 1.5, borderLeft: 4, borderColor: 'success.main', bgcolor: 'action.hover', borderRadius: 1 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
          <CheckCircleOutlined color="success" fontSize="small" />
          <Typography variant="subtitle2">{t('desk.readback.title')}</Typography>
        </Stack>
        <Typography variant="body1" sx={{ fontSize: '1.02rem', lineHeight: 1.6 }} data-testid="desk-readback">
          {sentences.join(t('desk.readback.join'))}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1, fontStyle: 'italic' }} data-testid="desk-readback-text">
          “{result.message.text}”
        </Typography>
      </Box>
    </>
  );
}
