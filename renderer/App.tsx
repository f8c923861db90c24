import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { useMemo } from 'react';
import { Notifier } from './components/Notifier';
import { ForcedPasswordChange } from './features/auth/ForcedPasswordChange';
import { LoginScreen } from './features/auth/LoginScreen';
import { NoKeyScreen } from './features/auth/NoKeyScreen';
import { ResumingScreen } from './features/auth/ResumingScreen';
import { Shell } from './features/shell/Shell';
import { useStore } from './store';
import { createAppTheme } from './theme/theme';

function Gate() {
  const noKey = useStore((s) => s.connection === 'no-key');
  const status = useStore((s) => s.sessionStatus);
  const mustChange = useStore((s) => s.me?.mustChangePassword ?? false);
  if (noKey) return <NoKeyScreen />;
  if (status === 'resuming') return <ResumingScreen />;
  if (status === 'signed-out') return <LoginScreen />;
  if (mustChange) return <ForcedPasswordChange />;
  return <Shell />;
}

export function App() {
  const mode = useStore((s) => s.themeMode);
  const language = useStore((s) => s.language);
  const theme = useMemo(() => createAppTheme(mode, language), [mode, language]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      <Gate />
      <Notifier />
    </ThemeProvider>
  );
}
