/** Create an operator (username, display name, role) or edit one (display name, role, disabled). */
import Alert from '@mui/material/Alert';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commands, type CommandArgs, type Operator, type RoleRef } from '../../../core/api';
import { FormDialog } from '../../components/FormDialog';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction } from '../../hooks/useCommand';
import { useRoleLabel } from '../../hooks/useLabels';
import { useStore } from '../../store';

const usernameSchema = commands['operators/create'].input.shape.username;
const displayNameSchema = commands['operators/create'].input.shape.displayName;

export type OperatorDialogState = { mode: 'create' } | { mode: 'edit'; operator: Operator };

interface Props {
  state: OperatorDialogState;
  roles: RoleRef[];
  onClose(): void;
  onCreated(operator: Operator, oneTimePassword: string): void;
}

export function OperatorDialog({ state, roles, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const myId = useStore((s) => s.me?.id);
  const editing = state.mode === 'edit' ? state.operator : null;
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState(editing?.displayName ?? '');
  const [roleId, setRoleId] = useState<number | ''>(editing?.role.id ?? '');
  const [disabled, setDisabled] = useState(editing?.disabled ?? false);
  const [touched, setTouched] = useState(false);
  const create = useAction('operators/create');
  const update = useAction('operators/update');
  const action = editing ? update : create;

  const usernameOk = editing !== null || usernameSchema.safeParse(username).success;
  const displayNameOk = displayNameSchema.safeParse(displayName).success;
  const roleOk = roleId !== '';
  const serverField = action.error?.field;
  const isSelf = editing !== null && editing.id === myId;
  // Offer the operator's current role even if the list we could load does not contain it.
  const roleOptions = editing && !roles.some((r) => r.id === editing.role.id) ? [editing.role, ...roles] : roles;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!usernameOk || !displayNameOk || roleId === '') return;
    if (editing) {
      const changes: CommandArgs<'operators/update'> = { id: editing.id };
      if (displayName.trim() !== editing.displayName) changes.displayName = displayName.trim();
      if (roleId !== editing.role.id) changes.roleId = roleId;
      if (disabled !== editing.disabled) changes.disabled = disabled;
      if (Object.keys(changes).length === 1) return onClose();
      const result = await update.run(changes, { inline: true, success: t('operators.saved', { name: displayName.trim() }) });
      if (result) onClose();
    } else {
      const result = await create.run(
        { username: username.trim().toLowerCase(), displayName: displayName.trim(), roleId },
        { inline: true },
      );
      if (result) onCreated(result.operator, result.oneTimePassword);
    }
  };

  return (
    <FormDialog
      title={editing ? t('operators.editTitle', { username: editing.username }) : t('operators.createTitle')}
      submitLabel={editing ? t('common.save') : t('operators.create')}
      pending={action.pending}
      onSubmit={(e) => void submit(e)}
      onClose={onClose}
      testId="operator"
    >
      <Stack spacing={2} sx={{ pt: 1 }}>
        {action.error && <ErrorAlert error={action.error} onClose={action.clearError} />}
        {editing ? (
          <TextField label={t('fields.username')} value={editing.username} disabled />
        ) : (
          <TextField
            label={t('fields.username')}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
            error={(touched && !usernameOk) || serverField === 'username'}
            helperText={t('operators.usernameHint')}
            slotProps={{ htmlInput: { 'data-testid': 'operator-username', autoCapitalize: 'none', spellCheck: false, maxLength: 32 } }}
          />
        )}
        <TextField
          label={t('fields.displayName')}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          required
          autoFocus={editing !== null}
          error={(touched && !displayNameOk) || serverField === 'displayName'}
          helperText={touched && !displayNameOk ? t('operators.displayNameHint') : ' '}
          slotProps={{ htmlInput: { 'data-testid': 'operator-displayname', maxLength: 80 } }}
        />
        <TextField
          select
          label={t('fields.roleId')}
          value={roleId}
          onChange={(e) => setRoleId(e.target.value === '' ? '' : Number(e.target.value))}
          required
          error={(touched && !roleOk) || serverField === 'roleId'}
          helperText={touched && !roleOk ? t('common.required') : ' '}
          // A native select keeps keyboard use and test automation (selectOption) simple.
          slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'operator-role' } }}
        >
          {roleId === '' && <option value="">{t('operators.chooseRole')}</option>}
          {roleOptions.map((role) => (
            <option key={role.id} value={role.id}>
              {roleLabel(role)}
            </option>
          ))}
        </TextField>
        {editing && (
          <div>
            <FormControlLabel
              control={<Switch checked={disabled} onChange={(e) => setDisabled(e.target.checked)} disabled={isSelf} />}
              label={t('operators.disabledSwitch')}
              slotProps={{ typography: { variant: 'body2' } }}
            />
            <FormHelperText>{isSelf ? t('operators.cannotDisableSelf') : t('operators.disabledHint')}</FormHelperText>
          </div>
        )}
        {!editing && <Alert severity="info">{t('operators.createExplanation')}</Alert>}
      </Stack>
    </FormDialog>
  );
}
