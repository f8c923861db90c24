/** SMS wordings per language: pick a template, edit it with its placeholders, see the preview and what it costs in parts. */
import AutoFixHighOutlined from '@mui/icons-material/AutoFixHighOutlined';
import RestartAltOutlined from '@mui/icons-material/RestartAltOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import UndoOutlined from '@mui/icons-material/UndoOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateEntry } from '../../../core/api/engine-types';
import { defaultServiceRules, type ServiceRules } from '../../../core/api/rules';
import { analyzeSms } from '../../../core/domain/sms-encoding';
import {
  isTemplateKey,
  renderTemplate,
  templateLanguages,
  unknownPlaceholders,
  type TemplateKey,
  type TemplateLanguage,
} from '../../../core/domain/sms-templates';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fieldErrorText } from '../../components/fieldError';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCan } from '../../hooks/usePermissions';
import { i18n } from '../../i18n';
import { en } from '../../i18n/en';
import { useFormat } from '../../i18n/format';
import { useStore } from '../../store';
import { monoFontFamily } from '../../theme/theme';
import { describeChar, replaceLookAlikes, sampleValues, ucs2Culprits } from './smsPreview';

interface Selection {
  key: TemplateKey;
  language: TemplateLanguage;
}

type PlaceholderName = keyof typeof en.templates.placeholders;
const isPlaceholderName = (name: string): name is PlaceholderName => Object.prototype.hasOwnProperty.call(en.templates.placeholders, name);

const entryId = (s: Selection) => `${s.key}|${s.language}`;

export function TemplatesScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const list = useQuery('templates/list', {});
  const rulesQuery = useQuery('rules/get', {}, { enabled: can('rules.read') });
  const rules = rulesQuery.data ?? defaultServiceRules;
  const uiLanguage = useStore((s) => s.language);
  const setUnsavedChanges = useStore((s) => s.setUnsavedChanges);

  const [selected, setSelected] = useState<Selection>({ key: 'missed-summary', language: uiLanguage });
  /** Edited text of the selected template; null until the operator types. */
  const [draft, setDraft] = useState<string | null>(null);
  const [pendingSelection, setPendingSelection] = useState<Selection | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  // What a save answered, shown until the list has reloaded (so the old text does not flash back).
  const [justSaved, setJustSaved] = useState<{ entry: TemplateEntry; over: TemplateEntry[] | undefined } | null>(null);

  const entries = useMemo(() => {
    const map = new Map<string, TemplateEntry>();
    for (const e of list.data ?? []) if (isTemplateKey(e.key)) map.set(entryId({ key: e.key, language: e.language }), e);
    if (justSaved && justSaved.over === list.data && isTemplateKey(justSaved.entry.key))
      map.set(entryId({ key: justSaved.entry.key, language: justSaved.entry.language }), justSaved.entry);
    return map;
  }, [list.data, justSaved]);

  const applySaved = (saved: TemplateEntry) => {
    setJustSaved({ entry: saved, over: list.data });
    setDraft(null);
    list.reload();
  };
  const keys = useMemo(() => [...new Set((list.data ?? []).map((e) => e.key).filter(isTemplateKey))], [list.data]);
  const entry = entries.get(entryId(selected));
  const text = draft ?? entry?.text ?? '';
  const dirty = draft !== null && entry !== undefined && draft !== entry.text;

  useEffect(() => {
    setUnsavedChanges(dirty);
  }, [dirty, setUnsavedChanges]);
  useEffect(() => () => setUnsavedChanges(false), [setUnsavedChanges]);

  const select = (next: Selection, force = false) => {
    if (next.key === selected.key && next.language === selected.language) return;
    if (dirty && !force) {
      setPendingSelection(next);
      return;
    }
    setSelected(next);
    setDraft(null);
    setPendingSelection(null);
  };

  return (
    <Box data-testid="screen-templates" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader title={t('templates.title')} subtitle={t('templates.subtitle')} />
      {list.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={list.error} onRetry={list.reload} />
        </Box>
      )}
      {list.loading && !list.data ? (
        <LoadingState />
      ) : (
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '360px 1fr' }, alignItems: 'start' }}>
          <Paper variant="outlined" sx={{ maxHeight: { lg: 'calc(100vh - 190px)' }, overflowY: 'auto' }}>
            <List dense disablePadding data-testid="template-list">
              {keys.map((key) => (
                <ListItemButton
                  key={key}
                  selected={key === selected.key}
                  onClick={() => select({ key, language: selected.language })}
                  data-testid={`template-item-${key}`}
                  sx={{ display: 'block', borderRadius: 0, py: 1, borderBottom: 1, borderColor: 'divider' }}
                >
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <Typography variant="body2" sx={{ fontWeight: 600, flex: 1 }}>
                      {t(`templates.names.${key}`)}
                    </Typography>
                    {templateLanguages.map((language) => {
                      const e = entries.get(entryId({ key, language }));
                      const isSelected = key === selected.key && language === selected.language;
                      return (
                        <Tooltip key={language} title={e?.edited ? t('templates.editedTip') : t('templates.defaultTip')}>
                          <Chip
                            label={t(`templates.languageShort.${language}`)}
                            color={isSelected ? 'primary' : 'default'}
                            variant={e?.edited ? 'filled' : 'outlined'}
                            onClick={(event) => {
                              event.stopPropagation();
                              select({ key, language });
                            }}
                            data-testid={`template-${key}-${language}`}
                            data-edited={e?.edited ?? false}
                          />
                        </Tooltip>
                      );
                    })}
                  </Stack>
                  <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.25 }}>
                    {t(`templates.descriptions.${key}`)}
                  </Typography>
                </ListItemButton>
              ))}
            </List>
          </Paper>
          {entry ? (
            <TemplateEditor
              key={entryId(selected)}
              selection={selected}
              entry={entry}
              text={text}
              dirty={dirty}
              detailLine={
                selected.key === 'missed-detail-line'
                  ? text
                  : (entries.get(entryId({ key: 'missed-detail-line', language: selected.language }))?.text ?? '')
              }
              rules={rules}
              onText={setDraft}
              onLanguage={(language) => select({ key: selected.key, language })}
              onSaved={applySaved}
              onReset={() => setConfirmReset(true)}
            />
          ) : (
            <Paper variant="outlined" sx={{ p: 3 }}>
              <Typography color="text.secondary">{t('templates.pick')}</Typography>
            </Paper>
          )}
        </Box>
      )}
      <ConfirmDialog
        open={pendingSelection !== null}
        title={t('unsaved.title')}
        message={t('unsaved.message')}
        confirmLabel={t('unsaved.discard')}
        destructive
        onCancel={() => setPendingSelection(null)}
        onConfirm={() => pendingSelection && select(pendingSelection, true)}
      />
      {entry && (
        <ResetDialog
          open={confirmReset}
          selection={selected}
          onClose={() => setConfirmReset(false)}
          onDone={(saved) => {
            setConfirmReset(false);
            applySaved(saved);
          }}
        />
      )}
    </Box>
  );
}

interface ResetDialogProps {
  open: boolean;
  selection: Selection;
  onClose(): void;
  onDone(saved: TemplateEntry): void;
}

function ResetDialog({ open, selection, onClose, onDone }: ResetDialogProps) {
  const { t } = useTranslation();
  const save = useAction('templates/update');
  const name = t(`templates.names.${selection.key}`);
  const language = t(`subscribers.languages.${selection.language}`);
  return (
    <ConfirmDialog
      open={open}
      title={t('templates.resetTitle')}
      message={t('templates.resetMessage', { name, language })}
      confirmLabel={t('templates.reset')}
      pending={save.pending}
      onCancel={onClose}
      onConfirm={() =>
        void save
          .run({ key: selection.key, language: selection.language, text: null }, { success: t('templates.resetDone', { name, language }) })
          .then((result) => (result ? onDone(result) : onClose()))
      }
    />
  );
}

interface EditorProps {
  selection: Selection;
  entry: TemplateEntry;
  text: string;
  dirty: boolean;
  /** The wording of one details line in this language, for the details preview. */
  detailLine: string;
  rules: ServiceRules;
  onText(text: string | null): void;
  onLanguage(language: TemplateLanguage): void;
  onSaved(saved: TemplateEntry): void;
  onReset(): void;
}

function TemplateEditor({ selection, entry, text, dirty, detailLine, rules, onText, onLanguage, onSaved, onReset }: EditorProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const save = useAction('templates/update');
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  const { key, language } = selection;
  const name = t(`templates.names.${key}`);
  const languageName = t(`subscribers.languages.${language}`);

  const unknown = unknownPlaceholders(key, text);
  const empty = text.trim() === '';
  const localError = empty
    ? t('templates.emptyText')
    : unknown.length
      ? t('templates.unknownPlaceholders', { names: unknown.map((n) => `{${n}}`).join(', '), count: unknown.length })
      : null;
  const serverError = fieldErrorText(save.error, 'text');
  const fieldError = localError ?? serverError;

  const smsT = useMemo(() => i18n.getFixedT(language), [language]);
  const preview = useMemo(
    () => renderTemplate(text, sampleValues(language, rules, smsT, detailLine)),
    [text, language, rules, smsT, detailLine],
  );
  const layout = analyzeSms(preview);
  const encodingName = layout.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2';
  const culprits = ucs2Culprits(text);
  const fixedParts = culprits?.replaceable ? analyzeSms(replaceLookAlikes(preview)).parts : null;

  const insert = (placeholder: string) => {
    const token = `{${placeholder}}`;
    const el = inputRef.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    onText(text.slice(0, start) + token + text.slice(end));
    save.clearError();
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const submit = async () => {
    if (localError || !dirty) return;
    const result = await save.run(
      { key, language, text },
      { inline: true, success: t('templates.saved', { name, language: languageName }) },
    );
    if (result) onSaved(result);
  };

  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid="template-editor" data-key={key} data-language={language}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 0.5 }}>
        <Typography variant="h3" sx={{ flex: 1 }}>
          {name}
        </Typography>
        <Chip
          variant="outlined"
          color={entry.edited ? 'primary' : 'default'}
          label={entry.edited ? t('templates.edited') : t('templates.default')}
          data-testid="template-status"
        />
        <ToggleButtonGroup
          exclusive
          size="small"
          value={language}
          onChange={(_, value: TemplateLanguage | null) => value && onLanguage(value)}
          aria-label={t('templates.language')}
        >
          {templateLanguages.map((l) => (
            <ToggleButton key={l} value={l} data-testid={`template-language-${l}`} sx={{ px: 1.5, py: 0.25 }}>
              {t(`subscribers.languages.${l}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t(`templates.descriptions.${key}`)}
      </Typography>

      <TextField
        label={t('templates.text', { language: languageName })}
        value={text}
        onChange={(e) => {
          onText(e.target.value);
          save.clearError();
        }}
        multiline
        minRows={4}
        maxRows={12}
        error={!!fieldError}
        helperText={fieldError ?? t('templates.textHint')}
        inputRef={inputRef}
        slotProps={{ htmlInput: { 'data-testid': 'template-text', maxLength: 1000, spellCheck: false, lang: language } }}
      />
      <Box sx={{ mt: 1.5 }}>
        <Typography variant="caption" color="text.secondary">
          {entry.placeholders.length ? t('templates.placeholdersHint') : t('templates.noPlaceholders')}
        </Typography>
        <Stack direction="row" spacing={0.75} useFlexGap sx={{ flexWrap: 'wrap', mt: 0.5 }}>
          {entry.placeholders.map((p) => (
            <Tooltip key={p} title={isPlaceholderName(p) ? t(`templates.placeholders.${p}`) : ''}>
              <Chip
                label={`{${p}}`}
                variant="outlined"
                color={text.includes(`{${p}}`) ? 'primary' : 'default'}
                // Keep the caret where it is in the text field.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => insert(p)}
                sx={{ fontFamily: monoFontFamily }}
                data-testid={`template-placeholder-${p}`}
              />
            </Tooltip>
          ))}
        </Stack>
      </Box>

      <Typography variant="subtitle2" sx={{ mt: 2.5, mb: 0.5 }}>
        {t('templates.preview')}
        <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1 }}>
          {t('templates.previewHint')}
        </Typography>
      </Typography>
      <Box
        data-testid="template-preview"
        lang={language}
        sx={{
          p: 1.5,
          borderRadius: 2,
          bgcolor: 'action.hover',
          border: 1,
          borderColor: 'divider',
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
          maxWidth: 560,
          fontSize: '0.9rem',
        }}
      >
        {preview || '\u00A0'}
      </Box>
      <Typography
        variant="body2"
        sx={{ mt: 0.75, fontFamily: monoFontFamily, fontSize: '0.8rem' }}
        color={layout.parts > rules.segmentBudget ? 'warning.main' : 'text.secondary'}
        data-testid="template-encoding"
        data-encoding={layout.encoding}
        data-parts={layout.parts}
        data-units={layout.units}
      >
        {layout.parts === 1
          ? t('templates.layoutSingle', { encoding: encodingName, units: f.number(layout.units), limit: layout.unitsPerPart })
          : t('templates.layoutMulti', { encoding: encodingName, count: layout.parts, perPart: layout.unitsPerPart })}
      </Typography>
      {layout.parts > rules.segmentBudget && (
        <Typography variant="caption" color="warning.main" component="div">
          {t('templates.overBudget', { count: rules.segmentBudget })}
        </Typography>
      )}
      {culprits && (
        <Alert
          severity="warning"
          sx={{ mt: 1.5 }}
          data-testid="template-ucs2-warning"
          action={
            culprits.replaceable && (
              <Button
                color="inherit"
                size="small"
                startIcon={<AutoFixHighOutlined />}
                onClick={() => onText(replaceLookAlikes(text))}
                data-testid="template-fix-gsm"
              >
                {t('templates.ucs2Fix')}
              </Button>
            )
          }
        >
          {t('templates.ucs2Warning', { chars: culprits.chars.map(describeChar).join(', '), count: culprits.chars.length })}
          {fixedParts !== null && fixedParts < layout.parts && ` ${t('templates.ucs2Saves', { count: fixedParts })}`}
        </Alert>
      )}

      <Stack direction="row" spacing={1} sx={{ mt: 2.5, alignItems: 'center' }}>
        <Button
          variant="contained"
          startIcon={<SaveOutlined />}
          onClick={() => void submit()}
          disabled={!dirty || !!localError || save.pending}
          data-testid="template-save"
        >
          {t('common.save')}
        </Button>
        <Button startIcon={<UndoOutlined />} onClick={() => onText(null)} disabled={!dirty || save.pending} data-testid="template-revert">
          {t('templates.revert')}
        </Button>
        <Button startIcon={<RestartAltOutlined />} onClick={onReset} disabled={!entry.edited || save.pending} data-testid="template-reset">
          {t('templates.reset')}
        </Button>
        {dirty && (
          <Typography variant="body2" color="warning.main" data-testid="template-unsaved">
            {t('templates.unsaved')}
          </Typography>
        )}
      </Stack>
      {save.error && !serverError && (
        <Box sx={{ mt: 1.5 }}>
          <ErrorAlert error={save.error} onClose={save.clearError} />
        </Box>
      )}
      {entry.edited && (
        <Box sx={{ mt: 2.5 }}>
          <Typography variant="caption" color="text.secondary">
            {t('templates.defaultWording')}
          </Typography>
          <Typography
            variant="body2"
            color="text.secondary"
            sx={{ whiteSpace: 'pre-wrap', fontStyle: 'italic' }}
            lang={language}
            data-testid="template-default-text"
          >
            {entry.defaultText}
          </Typography>
        </Box>
      )}
    </Paper>
  );
}
