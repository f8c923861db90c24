/**
 * Call priority: when both parties subscribe, whose settings win for (a) the IVR dialogue, (b) the reachable
 * alert against privacy and (c) charging; globally and per tariff plan.
 */
import AddOutlined from '@mui/icons-material/AddOutlined';
import DeleteOutlineOutlined from '@mui/icons-material/DeleteOutlineOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Party, PriorityRule } from '../../../core/api/rules';
import { FileLockNote } from '../settings/fromFile';

const aspects = ['dialogue', 'privacy', 'charging'] as const satisfies readonly (keyof PriorityRule)[];
const aspectLetters = { dialogue: 'a', privacy: 'b', charging: 'c' } as const;
const parties: Party[] = ['called', 'calling'];
type Choice = Party | 'default';

interface TableProps {
  /** The rule shown; for a tariff, undefined aspects follow the default rule. */
  rule: Partial<PriorityRule>;
  /** Set for a tariff's table: offers "as the default" and shows what that currently means. */
  fallback?: PriorityRule;
  disabled: boolean;
  onChange(aspect: keyof PriorityRule, choice: Choice): void;
  testId: string;
}

function RuleTable({ rule, fallback, disabled, onChange, testId }: TableProps) {
  const { t } = useTranslation();
  const choices: Choice[] = fallback ? ['default', ...parties] : parties;
  return (
    <Table size="small" data-testid={testId} sx={{ '& td, & th': { borderColor: 'divider' } }}>
      <TableHead>
        <TableRow>
          <TableCell>{t('rules.priority.aspect')}</TableCell>
          {choices.map((choice) => (
            <TableCell key={choice} align="center" sx={{ width: 150 }}>
              {t(`rules.priority.wins.${choice}`)}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {aspects.map((aspect) => {
          const current: Choice = rule[aspect] ?? 'default';
          return (
            <TableRow key={aspect} hover>
              <TableCell>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  ({aspectLetters[aspect]}) {t(`rules.priority.aspects.${aspect}`)}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {t(`rules.priority.aspectHints.${aspect}`)}
                </Typography>
              </TableCell>
              {choices.map((choice) => (
                <TableCell key={choice} align="center">
                  <Radio
                    checked={current === choice}
                    onChange={() => onChange(aspect, choice)}
                    disabled={disabled}
                    value={choice}
                    name={`${testId}-${aspect}`}
                    slotProps={{
                      input: {
                        'aria-label': `${t(`rules.priority.aspects.${aspect}`)}: ${t(`rules.priority.wins.${choice}`)}`,
                        'data-testid': `${testId}-${aspect}-${choice}`,
                      } as object,
                    }}
                  />
                  {choice === 'default' && fallback && (
                    <Typography variant="caption" color="text.secondary" component="div">
                      {t('rules.priority.currently', { party: t(`rules.priority.party.${fallback[aspect]}`) })}
                    </Typography>
                  )}
                </TableCell>
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

interface Props {
  priority: PriorityRule;
  byTariff: Record<string, Partial<PriorityRule>>;
  disabled: boolean;
  /** Parts set in reachback.yaml: read-only, with the lock. */
  locked?: { priority: boolean; byTariff: boolean; file: string | null };
  onPriority(next: PriorityRule): void;
  onByTariff(next: Record<string, Partial<PriorityRule>>): void;
}

export function PriorityRules({ priority, byTariff, disabled: disabledAll, locked, onPriority, onByTariff }: Props) {
  const { t } = useTranslation();
  const priorityDisabled = disabledAll || Boolean(locked?.priority);
  const disabled = disabledAll || Boolean(locked?.byTariff);
  const [tariffName, setTariffName] = useState('');
  const name = tariffName.trim();
  const duplicate = Object.prototype.hasOwnProperty.call(byTariff, name);

  const addTariff = () => {
    if (!name || duplicate) return;
    onByTariff({ ...byTariff, [name]: {} });
    setTariffName('');
  };

  return (
    <Stack spacing={2}>
      {locked?.priority && !locked.byTariff && <FileLockNote file={locked.file} />}
      <Paper variant="outlined">
        <RuleTable
          rule={priority}
          disabled={priorityDisabled}
          testId="rules-priority"
          onChange={(aspect, choice) => {
            if (choice !== 'default') onPriority({ ...priority, [aspect]: choice });
          }}
        />
      </Paper>
      <Box>
        <Typography variant="subtitle2">{t('rules.priority.tariffsTitle')}</Typography>
        {locked?.byTariff && !locked.priority && <FileLockNote file={locked.file} />}
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {t('rules.priority.tariffsHint')}
        </Typography>
        <Stack spacing={1.5}>
          {Object.entries(byTariff).map(([tariff, rule]) => (
            <Paper variant="outlined" key={tariff} data-testid={`rules-tariff-${tariff}`}>
              <Stack direction="row" sx={{ alignItems: 'center', px: 2, pt: 1 }}>
                <Typography variant="subtitle2" sx={{ flex: 1 }}>
                  {t('rules.priority.tariffNamed', { tariff })}
                </Typography>
                {!disabled && (
                  <Tooltip title={t('rules.priority.removeTariff', { tariff })}>
                    <IconButton
                      aria-label={t('rules.priority.removeTariff', { tariff })}
                      onClick={() => onByTariff(Object.fromEntries(Object.entries(byTariff).filter(([k]) => k !== tariff)))}
                      data-testid={`rules-tariff-remove-${tariff}`}
                    >
                      <DeleteOutlineOutlined fontSize="small" />
                    </IconButton>
                  </Tooltip>
                )}
              </Stack>
              <RuleTable
                rule={rule}
                fallback={priority}
                disabled={disabled}
                testId={`rules-tariff-${tariff}`}
                onChange={(aspect, choice) => {
                  const next = { ...rule };
                  if (choice === 'default') delete next[aspect];
                  else next[aspect] = choice;
                  onByTariff({ ...byTariff, [tariff]: next });
                }}
              />
            </Paper>
          ))}
          {Object.keys(byTariff).length === 0 && (
            <Typography variant="body2" color="text.secondary">
              {t('rules.priority.noTariffs')}
            </Typography>
          )}
          {!disabled && (
            <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
              <TextField
                label={t('rules.priority.tariffName')}
                value={tariffName}
                onChange={(e) => setTariffName(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addTariff();
                  }
                }}
                error={duplicate}
                helperText={duplicate ? t('rules.priority.tariffExists') : t('rules.priority.tariffNameHint')}
                sx={{ maxWidth: 280 }}
                slotProps={{ htmlInput: { maxLength: 60, 'data-testid': 'rules-tariff-name' } }}
              />
              <Button
                variant="outlined"
                startIcon={<AddOutlined />}
                onClick={addTariff}
                disabled={!name || duplicate}
                sx={{ mt: '2px' }}
                data-testid="rules-tariff-add"
              >
                {t('rules.priority.addTariff')}
              </Button>
            </Stack>
          )}
        </Stack>
      </Box>
    </Stack>
  );
}
