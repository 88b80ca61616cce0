import { Box } from '@mui/material';
import type { ReactNode } from 'react';
import { AppBar, Layout, Logout, TitlePortal, UserMenu } from 'react-admin';
import { SignInSecurityMenuItem } from '../mfa/SignInSecurity';
import { GlobalSearch } from './GlobalSearch';

function OpsAppBar() {
  return (
    <AppBar
      userMenu={
        <UserMenu>
          <SignInSecurityMenuItem />
          <Logout />
        </UserMenu>
      }
    >
      <TitlePortal />
      <Box sx={{ flex: 1 }} />
      <GlobalSearch />
    </AppBar>
  );
}

/**
 * react-admin's layout with the global search in the app bar; the content never pushes the page
 * sideways. react-admin sizes its root to fit its widest content (`min-width: fit-content`), so one
 * wide table or chart widens the whole page on a phone; here wide content scrolls in its own box.
 */
export function OpsLayout({ children }: { children: ReactNode }) {
  return (
    <Layout appBar={OpsAppBar} sx={{ minWidth: 0, '& .RaLayout-content': { minWidth: 0 } }}>
      {children}
    </Layout>
  );
}
