/** Create a custom role (optionally copying another role's permissions) or rename / re-describe one. */
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commands, type Role } from '../../../core/api';
import { FormDialog } from '../../components/FormDialog';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction } from '../../hooks/useCommand';
import { useRoleLabel } from '../../hooks/useLabels';

const nameSchema = commands['roles/create'].input.shape.name;

export type RoleDialogState = { mode: 'create' } | { mode: 'edit'; role: Role };

interface Props {
  state: RoleDialogState;
  roles: Role[];
  onClose(): void;
  onSaved(role: Role): void;
}

export function RoleDialog({ state, roles, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const editing = state.mode === 'edit' ? state.role : null;
  const [name, setName] = useState(editing?.name ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [copyFrom, setCopyFrom] = useState<number | ''>('');
  const [touched, setTouched] = useState(false);
  const create = useAction('roles/create');
  const update = useAction('roles/update');
  const action = editing ? update : create;
  const nameOk = nameSchema.safeParse(name).success;
  const serverField = action.error?.field;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!nameOk) return;
    if (editing) {
      const result = await update.run(
        { id: editing.id, name: name.trim(), description: description.trim() },
        { inline: true, success: t('roles.saved', { name: name.trim() }) },
      );
      if (result) onSaved(result);
    } else {
      const source = roles.find((r) => r.id === copyFrom);
      const result = await create.run(
        { name: name.trim(), description: description.trim(), permissions: source ? [...source.permissions] : [] },
        { inline: true, success: t('roles.created', { name: name.trim() }) },
      );
      if (result) onSaved(result);
    }
  };

  return (
    <FormDialog
      title={editing ? t('roles.editTitle') : t('roles.createTitle')}
      submitLabel={editing ? t('common.save') : t('roles.create')}
      pending={action.pending}
      onSubmit={(e) => void submit(e)}
      onClose={onClose}
      testId="role"
    >
      <Stack spacing={2} sx={{ pt: 1 }}>
        {action.error && <ErrorAlert error={action.error} onClose={action.clearError} />}
        <TextField
          label={t('fields.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          autoFocus
          error={(touched && !nameOk) || serverField === 'name'}
          helperText={touched && !nameOk ? t('roles.nameHint') : ' '}
          slotProps={{ htmlInput: { 'data-testid': 'role-name', maxLength: 60 } }}
        />
        <TextField
          label={t('fields.description')}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          multiline
          minRows={2}
          error={serverField === 'description'}
          helperText={t('roles.descriptionHint')}
          slotProps={{ htmlInput: { 'data-testid': 'role-description', maxLength: 300 } }}
        />
        {!editing && (
          <TextField
            select
            label={t('roles.copyFrom')}
            value={copyFrom}
            onChange={(e) => setCopyFrom(e.target.value === '' ? '' : Number(e.target.value))}
            helperText={t('roles.copyFromHint')}
            slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'role-copy-from' } }}
          >
            <option value="">{t('roles.startEmpty')}</option>
            {roles.map((role) => (
              <option key={role.id} value={role.id}>
                {roleLabel(role)}
              </option>
            ))}
          </TextField>
        )}
      </Stack>
    </FormDialog>
  );
}
