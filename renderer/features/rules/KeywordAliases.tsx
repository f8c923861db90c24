/** Extra words subscribers may send to the short code for each SMS command (e.g. Chinese keywords). */
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { smsCommandNames, type ServiceRules, type SmsCommandName } from '../../../core/api/rules';
import { englishKeywords } from '../../../core/domain/sms-commands';
import { ChipListEditor } from '../../components/ChipListEditor';
import { monoFontFamily } from '../../theme/theme';

/** The English keywords the core always accepts, on top of which operators add aliases. */
const builtinKeywords = englishKeywords;

const maxAliases = 10;
const maxAliasLength = 20;

interface Props {
  aliases: ServiceRules['keywordAliases'];
  disabled: boolean;
  onChange(next: ServiceRules['keywordAliases']): void;
}

export function KeywordAliases({ aliases, disabled, onChange }: Props) {
  const { t } = useTranslation();

  /** The command that already answers to this word (built-in keyword or alias), if any. */
  const takenBy = (word: string): SmsCommandName | null => {
    const upper = word.toUpperCase();
    for (const command of smsCommandNames) {
      const words = [...builtinKeywords[command], ...(aliases[command] ?? []).map((w) => w.toUpperCase())];
      if (words.includes(upper)) return command;
    }
    return null;
  };

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, columnGap: 3, rowGap: 2 }} data-testid="rules-keywords">
      {smsCommandNames.map((command) => {
        const list = aliases[command] ?? [];
        return (
          <Box key={command}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {t(`rules.commands.${command}`)}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.75 }}>
              {t('rules.keywords.builtin')}{' '}
              <Box component="span" sx={{ fontFamily: monoFontFamily }}>
                {builtinKeywords[command].join(' ')}
              </Box>
            </Typography>
            <ChipListEditor
              values={list}
              onAdd={(word) => {
                onChange({ ...aliases, [command]: [...list, word] });
                return true;
              }}
              onDelete={(word) => onChange({ ...aliases, [command]: list.filter((w) => w !== word) })}
              validate={(word) => {
                if (word.length > maxAliasLength) return t('rules.keywords.tooLong', { max: maxAliasLength });
                if (list.length >= maxAliases) return t('rules.keywords.tooMany', { max: maxAliases });
                const other = takenBy(word);
                return other ? t('rules.keywords.taken', { command: t(`rules.commands.${other}`) }) : null;
              }}
              label={t('rules.keywords.addLabel')}
              addLabel={t('rules.keywords.add')}
              removeLabel={(word) => t('rules.keywords.remove', { word })}
              emptyText={t('rules.keywords.none')}
              readOnly={disabled}
              maxLength={maxAliasLength + 5}
              testId={`rules-alias-${command}`}
            />
          </Box>
        );
      })}
    </Box>
  );
}
