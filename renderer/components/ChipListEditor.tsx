/** A list of values shown as deletable chips, with a field to add one more (lists of numbers, keyword aliases). */
import AddOutlined from '@mui/icons-material/AddOutlined';
import CancelIcon from '@mui/icons-material/Cancel';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type KeyboardEvent } from 'react';

export interface ChipListEditorProps {
  values: readonly string[];
  /** Adds a value; resolve to true when it was taken (the field is then cleared). */
  onAdd(value: string): boolean | Promise<boolean>;
  onDelete(value: string): void;
  /** Label of the add field. */
  label: string;
  /** Text of the add button. */
  addLabel: string;
  /** Accessible name of a chip's delete button. */
  removeLabel(shown: string): string;
  /** Shown when the list is empty. */
  emptyText: string;
  /** How a chip reads (e.g. a phone number in national format). */
  format?(value: string): string;
  /** A client-side check of the typed value: a message, or null when it may be sent. */
  validate?(value: string): string | null;
  /** An error to show under the field (e.g. from the core). */
  error?: string | null;
  helperText?: string;
  /** No add field and no delete buttons. */
  readOnly?: boolean;
  pending?: boolean;
  maxLength?: number;
  inputMode?: 'text' | 'tel';
  testId: string;
  /** Clears an external error when the operator types again. */
  onEdit?(): void;
}

export function ChipListEditor(props: ChipListEditorProps) {
  const {
    values,
    onAdd,
    onDelete,
    label,
    addLabel,
    removeLabel,
    emptyText,
    format,
    validate,
    error,
    helperText,
    readOnly,
    pending,
    maxLength,
    inputMode,
    testId,
    onEdit,
  } = props;
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const trimmed = text.trim();
  const localError = touched && trimmed ? (validate?.(trimmed) ?? null) : null;
  const shownError = localError ?? error ?? null;

  const add = async () => {
    setTouched(true);
    if (!trimmed || validate?.(trimmed)) return;
    if (await onAdd(trimmed)) {
      setText('');
      setTouched(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void add();
    }
  };

  return (
    <Box data-testid={testId}>
      <Stack direction="row" useFlexGap spacing={0.75} sx={{ flexWrap: 'wrap', mb: readOnly ? 0 : 1, minHeight: 24 }}>
        {values.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {emptyText}
          </Typography>
        ) : (
          values.map((value) => {
            const shown = format ? format(value) : value;
            return (
              <Chip
                key={value}
                label={shown}
                onDelete={readOnly ? undefined : () => onDelete(value)}
                disabled={pending}
                data-testid={`${testId}-chip`}
                data-value={value}
                deleteIcon={<CancelIcon aria-label={removeLabel(shown)} />}
              />
            );
          })
        )}
      </Stack>
      {!readOnly && (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
          <TextField
            label={label}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              onEdit?.();
            }}
            onKeyDown={onKeyDown}
            error={!!shownError}
            helperText={shownError ?? helperText ?? ' '}
            disabled={pending}
            slotProps={{ htmlInput: { 'data-testid': `${testId}-input`, maxLength, inputMode, spellCheck: false } }}
            sx={{ maxWidth: 320 }}
          />
          <Button
            variant="outlined"
            startIcon={<AddOutlined />}
            onClick={() => void add()}
            disabled={pending || !trimmed}
            data-testid={`${testId}-add`}
            sx={{ mt: '2px', flexShrink: 0 }}
          >
            {addLabel}
          </Button>
        </Stack>
      )}
    </Box>
  );
}
