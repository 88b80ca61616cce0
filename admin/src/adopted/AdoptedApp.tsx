import { Admin, Resource } from 'react-admin';
import { authProvider } from '../authProvider';
import { LoginPage } from '../LoginPage';
import { adoptedDataProvider } from './dataProvider';
import { fetchMeta, forgetMeta } from './meta';
import { resourceViews } from './views';

/**
 * The console over an adopted database: every resource, its fields, references, choices and
 * actions come from GET /api/_meta, so a table the console has never seen gets a list, a show
 * page and (for admins) an edit form.
 */
const adoptedAuth = {
  ...authProvider,
  async logout(params: unknown) {
    forgetMeta();
    return authProvider.logout(params);
  },
  async canAccess({ action }: { action: string }) {
    if (action === 'list' || action === 'show') return true;
    const meta = await fetchMeta().catch(() => undefined);
    return !!meta?.operator.canWrite;
  },
};

async function resources() {
  const meta = await fetchMeta();
  return meta.resources.map((r) => <Resource key={r.name} name={r.name} options={{ label: r.label }} {...resourceViews(r, meta)} />);
}

export function AdoptedApp() {
  return (
    <Admin title="opsroom" dataProvider={adoptedDataProvider} authProvider={adoptedAuth} loginPage={LoginPage} requireAuth disableTelemetry>
      {resources}
    </Admin>
  );
}
